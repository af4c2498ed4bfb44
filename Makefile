# dmasim -- the two commands of the README, over CMake.
#
#   make run    install missing Debian packages, build, and check every bundled scenario
#   make test   install missing Debian packages, then build and run every test: the normal
#               build (warnings are errors), the ASan+UBSan build, and 30 s of libFuzzer on
#               the scenario loader when clang is installed
#
# Build directories: build/ (release with debug info), build-asan/, build-fuzz/.

JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
SCENARIOS  = $(shell find scenarios -name '*.yaml' | LC_ALL=C sort)

.PHONY: run test deps build build-asan test-build test-asan fuzz clean

# Findings (exit 1) are the point of many bundled scenarios; only invalid input (2) fails.
run: build
	./$(BUILD)/tools/dmasim/dmasim check $(SCENARIOS) || [ $$? -eq 1 ]

test: deps test-build test-asan fuzz
	@echo "make test: all test stages passed"

deps:
	@./tools/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDMASIM_WERROR=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

test-build: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DDMASIM_WERROR=ON \
	      -DDMASIM_SANITIZE=address,undefined >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)

test-asan: build-asan
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

fuzz: deps
	@FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) ./tests/fuzz/run-fuzz.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
