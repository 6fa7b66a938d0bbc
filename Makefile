# tanso: the two commands of the README.
#   make demo   install what is missing, build (release), run the demo on data/, products in out/demo/
#   make test   install what is missing, run the test suite
#   make slurm      build, then the coverage of the sample province as a Slurm array job on a private one-node cluster
#   make notebooks   build, then execute every notebooks/*.ipynb headless in .venv-notebooks/ (fails on any error)
SWIFT ?= swift
PYTHON ?= python3
NOTEBOOK_VENV := .venv-notebooks
# TANSO_CPU=haswell builds the release binary for AVX2/FMA-era x86-64: wider vectors for the terrain kernels
# (about 10 % off scenario A), the same results (Swift does not contract multiply-adds), a longer build, and a
# binary that needs such a CPU. Empty (the default for `make build`/`make demo`): baseline x86-64.
# `make bench` builds for this machine's CPU (BENCH_CPU, haswell when it has AVX2 and FMA) in its own folder.
TANSO_CPU ?=
HOST_CPU := $(shell [ "$$(uname -m)" = x86_64 ] && grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && echo haswell)
BENCH_CPU ?= $(HOST_CPU)
cpu_flags = $(if $(1),-Xswiftc -target-cpu -Xswiftc $(1) -Xcc -march=$(1))
# The release binary carries the Swift runtime and Foundation inside it (--static-swift-stdlib): it needs only
# Debian's GDAL and PROJ where it runs (a Slurm node without Swift), and it starts 15-25 ms sooner, for the dynamic
# loader no longer resolves GDAL's symbols through a dozen Swift libraries (benchmarks/README.md). 94 MB, not 23.
STATIC := --static-swift-stdlib

.PHONY: demo test build deps bench map clean notebooks lint format slurm

deps:
	@./scripts/install-deps

build: deps
	$(SWIFT) build -c release $(STATIC) --product tanso $(call cpu_flags,$(TANSO_CPU))

demo: build
	.build/release/tanso demo --data data --output out/demo

# The test suite includes the map's browser test (headless Chromium through Selenium): --browser installs it.
test:
	@./scripts/install-deps --browser
	$(SWIFT) test

# Style: swift-format (part of the Swift toolchain) with the project's .swift-format; CI fails on any finding.
lint:
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests benchmarks

format:
	$(SWIFT) format format --in-place --recursive --parallel Sources Tests benchmarks

bench: deps
	$(SWIFT) build -c release $(STATIC) --product tanso $(if $(BENCH_CPU),--scratch-path .build-$(BENCH_CPU)) $(call cpu_flags,$(BENCH_CPU))
	$(SWIFT) run -c release $(STATIC) $(if $(BENCH_CPU),--scratch-path .build-$(BENCH_CPU)) $(call cpu_flags,$(BENCH_CPU)) benchmarks $(GROUPS)

# Executes the notebooks with the release build (or the binary in $TANSO) and writes their outputs back into them.
notebooks: build $(NOTEBOOK_VENV)/.installed
	$(NOTEBOOK_VENV)/bin/python scripts/run-notebooks notebooks/*.ipynb

$(NOTEBOOK_VENV)/.installed: notebooks/requirements.txt
	@./scripts/install-deps --notebooks
	$(PYTHON) -m venv $(NOTEBOOK_VENV)
	$(NOTEBOOK_VENV)/bin/pip install --disable-pip-version-check -q --only-binary=:all: -r notebooks/requirements.txt
	touch $@

# A real Slurm run: a private single-node cluster, the sample province as 4 shards + a merge job, products compared
# byte for byte with a single run, daemons stopped (scripts/slurm-local; needs root).
slurm: build
	./scripts/slurm-local

# Refresh the map shown in the README from the demo's products.
map: demo
	cp out/demo/map.png data/demo-map.png

clean:
	rm -rf .build out
