# tapdump: `make demo` and `make test` do all the set-up on a fresh Debian 12 machine.
BUILD ?= build
MESON_FLAGS ?= -Dwerror=true -Dbuildtype=debugoptimized

# Debian packages the build, the tests and the benchmarks use.
BUILD_DEPS := meson ninja-build pkg-config gcc clang python3 libpcap-dev liblz4-dev libhwloc-dev \
	libdpdk-dev dpdk libxdp-dev libbpf-dev libclang-rt-14-dev
TEST_DEPS := tcpdump tshark lz4 iproute2 time tcpreplay netsniff-ng valgrind gnuplot-nox clang-format \
	iputils-ping systemd groff-base man-db

.PHONY: all deps build test demo bench bench-drops fuzz fuzz-build san-build format clean install

all: build

deps:
	@./configs/install-deps.sh $(BUILD_DEPS) $(TEST_DEPS)

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_FLAGS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The libFuzzer harnesses must build (clang, -Dfuzz=true) and run briefly; then every test, and the
# tests of suite 'hardening' again in a build under ASan and UBSan (run-all.sh counts both runs).
FUZZERS := fuzz_jit fuzz_print fuzz_read fuzz_index
test: build fuzz-build san-build
	@$(foreach f,$(FUZZERS),$(call fuzz_run,$(f),10))
	@./tests/run-all.sh $(BUILD) --san $(BUILD)-san

# fuzz_read's inputs are capture files: its seeds (made by the build) hold 3 MiB records;
# fuzz_print starts from a packet of each decoder (tests/fuzz/seeds_print). New inputs go to the
# first corpus folder, never to the seeds.
fuzz_args = $(if $(filter fuzz_read,$(1)),-max_len=4194304 $(BUILD)-fuzz/fuzz_read.corpus \
	$(BUILD)-fuzz/tests/fuzz/seeds_read,-max_len=2048 \
	$(if $(filter fuzz_print,$(1)),$(BUILD)-fuzz/fuzz_print.corpus tests/fuzz/seeds_print))

# fuzz_run NAME SECONDS: one libFuzzer run; a finding ends make with the tail of its log (its input in $(BUILD)-fuzz/).
fuzz_run = mkdir -p $(BUILD)-fuzz/fuzz_read.corpus $(BUILD)-fuzz/fuzz_print.corpus; \
	$(BUILD)-fuzz/tests/fuzz/$(1) -max_total_time=$(2) -timeout=10 -artifact_prefix=$(BUILD)-fuzz/ \
		$(call fuzz_args,$(1)) >$(BUILD)-fuzz/$(1).log 2>&1 \
		|| { echo "$(1): libFuzzer found a failure:"; tail -30 $(BUILD)-fuzz/$(1).log; exit 1; }; \
	echo "$(1): $(2) s of libFuzzer: $$(grep -o 'Done [0-9]* runs' $(BUILD)-fuzz/$(1).log)";

$(BUILD)-fuzz/build.ninja:
	CC=clang meson setup $(BUILD)-fuzz -Dfuzz=true -Dbuildtype=debugoptimized

fuzz-build: deps $(BUILD)-fuzz/build.ninja
	ninja -C $(BUILD)-fuzz $(addprefix tests/fuzz/,$(FUZZERS)) tests/fuzz/seeds_read

# The whole project under AddressSanitizer (LeakSanitizer included) and UBSan, every finding fatal.
SAN_FLAGS ?= -Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false \
	-Dc_args=-fno-sanitize-recover=undefined

$(BUILD)-san/build.ninja:
	meson setup $(BUILD)-san $(SAN_FLAGS)

san-build: deps $(BUILD)-san/build.ninja
	ninja -C $(BUILD)-san

# A long fuzzing session (not part of make test): FUZZ_SECONDS per harness.
FUZZ_SECONDS ?= 600
fuzz: fuzz-build
	@$(foreach f,$(FUZZERS),$(call fuzz_run,$(f),$(FUZZ_SECONDS)))

# The file path first (anyone), then the live appliance path on a DPDK vdev (root; skipped otherwise).
demo: build
	@./configs/demo.sh $(BUILD)
	@./configs/demo-live.sh $(BUILD)

bench: build
	@./bench/run.sh $(BUILD)
	@./bench/archive.sh $(BUILD)

bench-drops: build
	@if [ -x bench/drops.sh ]; then ./bench/drops.sh $(BUILD); else echo "bench-drops: bench/drops.sh not written yet"; exit 1; fi

# The binary, tapdump.8, the tapdump@.service template and an example config, under the build's prefix
# (meson setup's default /usr/local; MESON_FLAGS=--prefix=/usr for /usr/bin, /etc/tapdump); DESTDIR honoured.
install: build
	meson install -C $(BUILD) --no-rebuild $(if $(DESTDIR),--destdir $(abspath $(DESTDIR)))

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz $(BUILD)-san
