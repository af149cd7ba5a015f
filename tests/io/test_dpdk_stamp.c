/* Unit test of DPDK's per-packet stamps: host stamps distinct and growing per queue, NIC stamps mapped to wall time. */
#include <stddef.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "check.h"
#include "io/dpdk_stamp.h"

#define BURSTS 2000
#define BURST 64

static int64_t ns_of(const struct td_pkt *p)
{
	return p->ts_sec * 1000000000 + p->ts_frac;
}

/* A stamper as dpdk_stamp_init leaves it, without the EAL: the TSC read at an assumed 1 GHz. */
static void stamper(struct dpdk_stamper *st, enum dpdk_tstamp mode)
{
	memset(st, 0, sizeof(*st));
	st->mode = mode;
	st->dyn_offset = -1;
	st->tsc.c0 = rte_rdtsc();
	st->tsc.ns0 = 1700000000000000000;
	st->tsc.mult = 1ull << 32;
}

/* Host: bursts back to back (no idle poll between them, the busiest case), then some after idle polls. */
static void test_host(int *fails, enum dpdk_tstamp mode, unsigned *distinct_pct)
{
	struct dpdk_stamper st;
	struct td_pkt pkts[BURST];
	int64_t last = 0;
	unsigned distinct = 0, total = 0, back = 0;

	stamper(&st, mode);
	for (unsigned b = 0; b < BURSTS; b++) {
		if (b % 4 == 3)
			dpdk_stamp_idle(&st);
		dpdk_stamp_burst(&st, NULL, pkts, BURST, TS_NANO);
		for (unsigned i = 0; i < BURST; i++, total++) {
			int64_t ns = ns_of(&pkts[i]);

			CHECK(pkts[i].ts_frac < 1000000000u, "fraction %u out of range", pkts[i].ts_frac);
			if (total && ns < last)
				back++;
			if (!total || ns != last)
				distinct++;
			last = ns;
		}
	}
	CHECK(back == 0, "%u stamps went back", back);
	*distinct_pct = distinct * 100 / total;
}

/* Microseconds: the same stamps truncated, still never going back. */
static void test_micro(int *fails)
{
	struct dpdk_stamper st;
	struct td_pkt pkts[BURST];
	int64_t last = 0;

	stamper(&st, DPDK_TS_HOST);
	for (unsigned b = 0; b < 100; b++) {
		dpdk_stamp_burst(&st, NULL, pkts, BURST, TS_MICRO);
		for (unsigned i = 0; i < BURST; i++) {
			int64_t us = pkts[i].ts_sec * 1000000 + pkts[i].ts_frac;

			CHECK(pkts[i].ts_frac < 1000000u && us >= last, "micro stamp %lld after %lld", (long long)us,
			      (long long)last);
			last = us;
		}
	}
}

/*
 * Adapter: the mbuf's timestamp field through the NIC map (a 500 MHz clock
 * here), a packet the NIC did not stamp gets a host stamp and is counted.
 */
static void test_adapter(int *fails)
{
	static struct rte_mbuf m[3];
	struct rte_mbuf *mb[3] = { &m[0], &m[1], &m[2] };
	struct dpdk_stamper st;
	struct td_pkt pkts[3];
	const int64_t wall0 = 1700000000123456789;
	const uint64_t c0 = 5000000000ull;

	stamper(&st, DPDK_TS_ADAPTER);
	/* Where DPDK would register it: 8-byte aligned, inside dynfield1. */
	st.dyn_offset = (int)((offsetof(struct rte_mbuf, dynfield1) + 7) & ~(size_t)7);
	st.dyn_flag = 1ull << 40;
	st.refit_tsc = UINT64_MAX;
	/* Two readings 1 s apart on a 500 MHz NIC clock. */
	st.nic = clock_map_fit(c0, wall0, c0 + 500000000, wall0 + 1000000000);
	CHECK(st.nic.mult == 2ull << 32, "a 500 MHz clock maps 2 ns a tick, mult %llu",
	      (unsigned long long)st.nic.mult);
	memset(m, 0, sizeof(m));
	*RTE_MBUF_DYNFIELD(&m[0], st.dyn_offset, rte_mbuf_timestamp_t *) = c0 + 1;
	m[0].ol_flags = st.dyn_flag;
	*RTE_MBUF_DYNFIELD(&m[2], st.dyn_offset, rte_mbuf_timestamp_t *) = c0 - 10; /* before the first reading */
	m[2].ol_flags = st.dyn_flag;
	dpdk_stamp_burst(&st, mb, pkts, 3, TS_NANO);
	CHECK(ns_of(&pkts[0]) == wall0 + 2, "NIC stamp: %lld, expected %lld", (long long)ns_of(&pkts[0]),
	      (long long)(wall0 + 2));
	CHECK(ns_of(&pkts[2]) == wall0 - 20, "NIC stamp before the anchor: %lld", (long long)ns_of(&pkts[2]));
	CHECK(st.unstamped == 1, "unstamped %llu, expected 1", (unsigned long long)st.unstamped);
	CHECK(ns_of(&pkts[1]) > 1700000000000000000, "the unstamped packet has no host stamp");

	/* Unsynced: the NIC's own clock, ticks to nanoseconds from its 0. */
	st.mode = DPDK_TS_ADAPTER_UNSYNCED;
	st.nic = clock_map_fit(c0, wall0, c0 + 500000000, wall0 + 1000000000);
	st.nic.c0 = 0;
	st.nic.ns0 = 0;
	dpdk_stamp_burst(&st, mb, pkts, 1, TS_NANO);
	CHECK(ns_of(&pkts[0]) == (int64_t)(c0 + 1) * 2, "unsynced: %lld", (long long)ns_of(&pkts[0]));
	CHECK(clock_map_fit(10, 5, 10, 7).mult == 0, "a clock that did not advance fits nothing");
}

static void test_distinct(int *fails)
{
	unsigned host_pct = 0, burst_pct = 0;

	test_host(fails, DPDK_TS_HOST, &host_pct);
	test_host(fails, DPDK_TS_BURST, &burst_pct);
	CHECK(host_pct == 100, "host: %u%% distinct stamps, expected all", host_pct);
	CHECK(burst_pct < 10, "one stamp a burst: %u%% distinct, expected few (the check must tell them apart)",
	      burst_pct);
}

int main(void)
{
	int fails = 0;

	test_distinct(&fails);
	test_micro(&fails);
	test_adapter(&fails);
	return check_result("dpdk_stamp", fails);
}
