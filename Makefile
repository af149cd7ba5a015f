# tapdump: `make demo` and `make test` do all the set-up on a fresh Debian 12 machine.
BUILD ?= build
MESON_FLAGS ?= -Dwerror=true -Dbuildtype=debugoptimized

# Debian packages the build, the tests and the benchmarks use.
BUILD_DEPS := meson ninja-build pkg-config gcc clang python3 libpcap-dev liblz4-dev libhwloc-dev \
	libdpdk-dev dpdk libxdp-dev libbpf-dev
TEST_DEPS := tcpdump tshark lz4 iproute2 time tcpreplay netsniff-ng valgrind gnuplot-nox clang-format \
	iputils-ping

.PHONY: all deps build test demo bench bench-drops fuzz format clean

all: build

deps:
	@./configs/install-deps.sh $(BUILD_DEPS) $(TEST_DEPS)

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_FLAGS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

test: build
	@./tests/run-all.sh $(BUILD)

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
