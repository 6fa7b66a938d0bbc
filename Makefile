# tanso: the two commands of the README.
#   make demo   install what is missing, build (release), run the demo on data/, products in out/demo/
#   make test   install what is missing, run the test suite
#   make notebooks   build, then execute every notebooks/*.ipynb headless in .venv-notebooks/ (fails on any error)
SWIFT ?= swift
PYTHON ?= python3
NOTEBOOK_VENV := .venv-notebooks
# TANSO_CPU=haswell builds the release binary for AVX2/FMA-era x86-64: wider vectors for the terrain kernels
# (about 9 % off scenario A), the same results (Swift does not contract multiply-adds), a longer build, and a
# binary that needs such a CPU. Empty (the default): baseline x86-64.
TANSO_CPU ?=
RELEASE_FLAGS := $(if $(TANSO_CPU),-Xswiftc -target-cpu -Xswiftc $(TANSO_CPU) -Xcc -march=$(TANSO_CPU))

.PHONY: demo test build deps bench map clean notebooks

deps:
	@./scripts/install-deps

build: deps
	$(SWIFT) build -c release --product tanso $(RELEASE_FLAGS)

demo: build
	.build/release/tanso demo --data data --output out/demo

test: deps
	$(SWIFT) test

bench: deps
	$(SWIFT) run -c release $(RELEASE_FLAGS) benchmarks $(GROUPS)

# Executes the notebooks with the release build (or the binary in $TANSO) and writes their outputs back into them.
notebooks: build $(NOTEBOOK_VENV)/.installed
	$(NOTEBOOK_VENV)/bin/python scripts/run-notebooks notebooks/*.ipynb

$(NOTEBOOK_VENV)/.installed: notebooks/requirements.txt
	@./scripts/install-deps --notebooks
	$(PYTHON) -m venv $(NOTEBOOK_VENV)
	$(NOTEBOOK_VENV)/bin/pip install --disable-pip-version-check -q --only-binary=:all: -r notebooks/requirements.txt
	touch $@

# Refresh the map shown in the README from the demo's products.
map: demo
	cp out/demo/map.png data/demo-map.png

clean:
	rm -rf .build out
