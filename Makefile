# tapdump: `make demo` and `make test` do all the set-up on a fresh Debian 12 machine.
BUILD ?= build
MESON_FLAGS ?= -Dwerror=true -Dbuildtype=debugoptimized

# Debian packages the build, the tests and the benchmarks use.
BUILD_DEPS := meson ninja-build pkg-config gcc clang python3 libpcap-dev liblz4-dev libhwloc-dev \
	libdpdk-dev dpdk libxdp-dev libbpf-dev libclang-rt-14-dev
TEST_DEPS := tcpdump tshark lz4 iproute2 time tcpreplay netsniff-ng valgrind gnuplot-nox clang-format \
	iputils-ping

.PHONY: all deps build test demo bench bench-drops fuzz fuzz-build format clean

all: build

deps:
	@./configs/install-deps.sh $(BUILD_DEPS) $(TEST_DEPS)

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_FLAGS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The libFuzzer harnesses must build (clang, -Dfuzz=true) and run briefly; then every test.
test: build fuzz-build
	@for f in fuzz_jit fuzz_print; do \
		$(BUILD)-fuzz/tests/fuzz/$$f -max_total_time=10 -max_len=2048 -timeout=10 >$(BUILD)-fuzz/$$f.log 2>&1 \
			|| { echo "$$f: libFuzzer found a failure:"; tail -30 $(BUILD)-fuzz/$$f.log; exit 1; }; \
		echo "$$f: 10 s of libFuzzer: $$(grep -o 'Done [0-9]* runs' $(BUILD)-fuzz/$$f.log)"; \
	done
	@./tests/run-all.sh $(BUILD)

$(BUILD)-fuzz/build.ninja:
	CC=clang meson setup $(BUILD)-fuzz -Dfuzz=true -Dbuildtype=debugoptimized

fuzz-build: deps $(BUILD)-fuzz/build.ninja
	ninja -C $(BUILD)-fuzz tests/fuzz/fuzz_jit tests/fuzz/fuzz_print

# A long fuzzing session (not part of make test): FUZZ_SECONDS per harness.
FUZZ_SECONDS ?= 600
fuzz: fuzz-build
	$(BUILD)-fuzz/tests/fuzz/fuzz_print -max_total_time=$(FUZZ_SECONDS) -max_len=2048 -timeout=10
	$(BUILD)-fuzz/tests/fuzz/fuzz_jit -max_total_time=$(FUZZ_SECONDS) -max_len=2048

# The file path first (anyone), then the live appliance path on a DPDK vdev (root; skipped otherwise).
demo: build
	@./configs/demo.sh $(BUILD)
	@./configs/demo-live.sh $(BUILD)

bench: build
	@./bench/run.sh $(BUILD)

bench-drops: build
	@if [ -x bench/drops.sh ]; then ./bench/drops.sh $(BUILD); else echo "bench-drops: bench/drops.sh not written yet"; exit 1; fi

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)
