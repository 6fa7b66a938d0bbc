# tanso: the two commands of the README.
#   make demo   install what is missing, build (release), run the demo on data/, products in out/demo/
#   make test   install what is missing, run the test suite
SWIFT ?= swift

.PHONY: demo test build deps bench map clean

deps:
	@./scripts/install-deps

build: deps
	$(SWIFT) build -c release --product tanso

demo: build
	.build/release/tanso demo --data data --output out/demo

test: deps
	$(SWIFT) test

bench: deps
	$(SWIFT) run -c release benchmarks

# Refresh the map shown in the README from the demo's products.
map: demo
	cp out/demo/map.png data/demo-map.png

clean:
	rm -rf .build out
