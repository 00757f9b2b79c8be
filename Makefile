# The two set-up commands (see README):
#   make run   - install build dependencies if missing, build Release, run blynkd on ./data
#   make test  - install test dependencies if missing, build, run every test through ctest,
#                and run the unit+integration suites again under ASan+UBSan
JOBS ?= $(shell nproc)
BUILD ?= build
DATA ?= $(CURDIR)/data
ARGS ?=

.PHONY: run build test test-sanitize test-all deps deps-test format clean cross

# blynkd refuses to run as root; `make run` as root (a fresh machine, CI) allows it and says so.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

run: build
	@$(if $(ROOT_FLAG),echo "make run: running blynkd as root with --allow-root (a service runs it \
		as a normal user: docs/security.md)")
	$(BUILD)/release/blynkd $(ROOT_FLAG) --data-dir "$(DATA)" $(ARGS)

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

build: deps
	cmake -S . -B $(BUILD)/release -DCMAKE_BUILD_TYPE=Release -DBLYNKD_TESTS=OFF >/dev/null
	cmake --build $(BUILD)/release -j $(JOBS)

# Sanitizers first, the full suite last (a Release build, as `make run` uses), so the final
# lines are ctest's summary of everything.
test: deps-test test-sanitize test-all

test-sanitize:
	cmake -S . -B $(BUILD)/asan -DCMAKE_BUILD_TYPE=Debug -DBLYNKD_SANITIZE=ON -DBLYNKD_WERROR=ON \
		>/dev/null
	cmake --build $(BUILD)/asan -j $(JOBS)
	cd $(BUILD)/asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest -L 'unit|integration|fuzz' -j $(JOBS) --output-on-failure --timeout 300

test-all:
	cmake -S . -B $(BUILD)/test -DCMAKE_BUILD_TYPE=Release -DBLYNKD_WERROR=ON >/dev/null
	cmake --build $(BUILD)/test -j $(JOBS)
	cd $(BUILD)/test && ctest -j $(JOBS) --output-on-failure --timeout 300

# A Raspberry Pi build (ARCH=arm64 or armhf) with Debian's cross toolchain and multiarch libraries
# (cmake/toolchains/$(ARCH).cmake); the unit and integration tests run under qemu-user.
cross:
	$(if $(filter arm64 armhf,$(ARCH)),,$(error make cross needs ARCH=arm64 or ARCH=armhf))
	@scripts/install-deps.sh cross $(ARCH)
	cmake -S . -B $(BUILD)/cross-$(ARCH) -DCMAKE_BUILD_TYPE=Release -DBLYNKD_WERROR=ON \
		-DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/$(ARCH).cmake >/dev/null
	cmake --build $(BUILD)/cross-$(ARCH) -j $(JOBS) --target blynkd unit_tests integration_tests
	cd $(BUILD)/cross-$(ARCH) && ctest -L 'unit|integration' -j $(JOBS) --output-on-failure

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD)

# The libFuzzer targets (tests/fuzz) built with clang, ASan and UBSan in $(BUILD)/fuzz and run one
# after the other for FUZZ_SECONDS each (FUZZ_TARGETS: some of them); new inputs go to
# $(BUILD)/fuzz/corpus, or with FUZZ_MINIMIZE=1 into the seed corpora in tests/fuzz/corpus.
# `make test` replays the seed corpora without libFuzzer.
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz:
	@scripts/install-deps.sh fuzz
	cmake -S . -B $(BUILD)/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
		-DBLYNKD_FUZZ=ON -DBLYNKD_TESTS=OFF -DBLYNKD_WERROR=ON >/dev/null
	cmake --build $(BUILD)/fuzz -j $(JOBS) --target fuzz_targets
	tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The benchmark suite (tools/bench): Release build in $(BUILD)/bench, blynkd started by the tool on
# ephemeral ports with temp data dirs; results in bench/results.md and bench/results.json.
.PHONY: bench
bench: deps
	cmake -S . -B $(BUILD)/bench -DCMAKE_BUILD_TYPE=Release -DBLYNKD_TESTS=OFF >/dev/null
	cmake --build $(BUILD)/bench -j $(JOBS) --target blynkd blynk-bench
	$(BUILD)/bench/tools/bench/blynk-bench suite --out bench --quiet-wait 120 $(BENCH_ARGS)

# The Docker image built with podman from the unchanged Dockerfile, run and checked with a real
# client (tests/docker/run.sh; 10-17 min with a cold build cache, about 15 s with a warm one).
# Not part of `make test`: it needs root and podman.
.PHONY: docker-test deb deb-test
docker-test:
	@scripts/install-deps.sh docker
	tests/docker/run.sh

# blynkd_<version>_<arch>.deb in $(BUILD)/: ARCH=amd64, arm64 or armhf, by default this machine's.
# Another architecture is cross-built with cmake/toolchains/$(ARCH).cmake.
HOST_DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB_ARCH = $(or $(ARCH),$(HOST_DEB_ARCH))
DEB_CROSS = $(filter-out $(HOST_DEB_ARCH),$(DEB_ARCH))
DEB_BUILD = $(BUILD)/deb-$(DEB_ARCH)
deb:
	@scripts/install-deps.sh deb
	$(if $(DEB_CROSS),@scripts/install-deps.sh cross $(DEB_ARCH))
	cmake -S . -B $(DEB_BUILD) -DCMAKE_BUILD_TYPE=Release -DBLYNKD_TESTS=OFF \
		$(if $(DEB_CROSS),-DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/$(DEB_ARCH).cmake) >/dev/null
	cmake --build $(DEB_BUILD) -j $(JOBS) --target blynkd
	packaging/build-deb.sh $(DEB_ARCH) $(DEB_BUILD)/blynkd $(BUILD)

# Installs this machine's package in a fresh container from the local Debian base image, runs
# blynkd as its unit does, logs a board in, removes the package (the data stays), installs it
# again and purges it (the data is gone). About 40 s after `make deb`.
deb-test: deb
	@scripts/install-deps.sh docker
	tests/docker/deb-test.sh "$$(ls -t $(BUILD)/blynkd_*_$(DEB_ARCH).deb | head -n 1)"
