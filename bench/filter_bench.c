/* ns/packet of libpcap's bpf_filter(), DPDK's rte_bpf JIT and tapdump's JIT (per call and per burst) on the same filters and packets. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "filters/bpf_jit.h"
#include "engine/engine.h"
#include "td_build.h"

#if HAVE_DPDK
#include <rte_bpf.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#endif

#define NPKTS 4096
#define PKT_MAX 1514
#define DEFAULT_REPS 7

static const char *const default_filters[] = {
	"ip",
	"tcp dst port 80 or udp dst port 123",
	"(tcp[tcpflags] & tcp-syn) != 0",
	"host 10.0.1.2 or (net 8.8.8.0/24 and udp port 53)",
	"vlan and tcp",
	"tcp[((tcp[12]&0xf0)>>2):4] = 0x47455420",
	"not arp and not (host 10.0.0.1 or host 10.0.0.2 or host 10.0.0.3) and "
	"(tcp port 80 or tcp port 443 or tcp portrange 8000-8100 or udp port 53 or "
	"udp port 123) and ip[8] > 1 and len > 60",
};

struct pkts {
	uint8_t **data;
	uint32_t *caplen;
	uint32_t *wirelen;
	struct td_pkt *desc; /* the same packets as the rx workers hand them to filter_burst() */
	size_t n;
};

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s >> 16);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

/*
 * A mix shaped like a campus uplink: mostly IPv4 TCP (a third of it
 * web, a few SYNs), DNS and NTP over UDP, some IPv6, VLAN tags, ARP and
 * ICMP; sizes bimodal between ACKs and full frames.
 */
static size_t build_packet(struct rng *r, uint8_t *p, uint32_t *wirelen)
{
	static const uint32_t hosts[] = { 0x0a000001, 0x0a000102, 0x0a000203, 0x08080808,
					  0x08080404, 0xc0a80001, 0xac100a0a, 0x5db8d822 };
	static const uint16_t ports[] = { 80, 443, 443, 443, 22, 8080, 53, 123, 51234, 40000 };
	uint32_t kind = rnd(r) % 100;
	size_t off = 12, len;
	bool v6 = kind >= 82 && kind < 90;
	uint8_t proto = kind < 60 || kind >= 95 ? 6 : kind < 82 ? 17 : kind < 86 ? 6 : 17;

	memset(p, 0, PKT_MAX);
	for (int i = 0; i < 12; i++)
		p[i] = (uint8_t)rnd(r);
	p[0] &= 0xfe;
	if (kind >= 95) { /* VLAN-tagged IPv4 TCP */
		wr16(p + 12, 0x8100);
		wr16(p + 14, 100);
		off = 16;
	}
	if (kind >= 90 && kind < 93) { /* ARP */
		wr16(p + 12, 0x0806);
		wr16(p + 14, 1);
		wr16(p + 16, 0x0800);
		p[18] = 6;
		p[19] = 4;
		wr16(p + 20, 1);
		*wirelen = 60;
		return 60;
	}
	if (kind >= 93 && kind < 95)
		proto = 1;
	wr16(p + off, v6 ? 0x86dd : 0x0800);
	off += 2;
	len = rnd(r) % 3 ? 54 + rnd(r) % 40 : 1000 + rnd(r) % 514;
	if (v6) {
		wr32(p + off, 0x60000000);
		wr16(p + off + 4, (uint16_t)(len - off - 40));
		p[off + 6] = proto;
		p[off + 7] = 64;
		wr32(p + off + 8, 0x20010db8);
		wr32(p + off + 24, 0x20010db8);
		wr32(p + off + 36, rnd(r));
		off += 40;
	} else {
		p[off] = 0x45;
		wr16(p + off + 2, (uint16_t)(len - off));
		wr16(p + off + 6, rnd(r) % 4 ? 0x4000 : 0);
		p[off + 8] = (uint8_t)(rnd(r) % 8 ? 64 : 1);
		p[off + 9] = proto;
		wr32(p + off + 12, hosts[rnd(r) % 8]);
		wr32(p + off + 16, hosts[rnd(r) % 8]);
		off += 20;
	}
	if (proto == 6) {
		wr16(p + off, ports[rnd(r) % 10]);
		wr16(p + off + 2, ports[rnd(r) % 10]);
		p[off + 12] = 0x50;
		p[off + 13] = rnd(r) % 20 ? 0x10 : 0x02;
		if (len > off + 24 && rnd(r) % 4 == 0)
			memcpy(p + off + 20, "GET ", 4);
	} else if (proto == 17) {
		wr16(p + off, ports[rnd(r) % 10]);
		wr16(p + off + 2, ports[6 + rnd(r) % 2]);
		wr16(p + off + 4, (uint16_t)(len - off));
	} else {
		p[off] = 8;
	}
	if (len < off + 20)
		len = off + 20;
	*wirelen = (uint32_t)len;
	return len;
}

static int load_pkts(struct pkts *ps, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	struct rng r = { 0x853c49e6748fea9bULL };

	ps->data = calloc(NPKTS, sizeof(*ps->data));
	ps->caplen = calloc(NPKTS, sizeof(*ps->caplen));
	ps->wirelen = calloc(NPKTS, sizeof(*ps->wirelen));
	if (!path) {
		for (ps->n = 0; ps->n < NPKTS; ps->n++) {
			ps->data[ps->n] = malloc(PKT_MAX);
			ps->caplen[ps->n] = (uint32_t)build_packet(&r, ps->data[ps->n], &ps->wirelen[ps->n]);
		}
		return 0;
	}
	p = pcap_open_offline(path, errbuf);
	if (!p) {
		fprintf(stderr, "%s\n", errbuf);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "%s: not Ethernet\n", path);
		pcap_close(p);
		return -1;
	}
	while (ps->n < NPKTS && pcap_next_ex(p, &h, &d) == 1) {
		ps->data[ps->n] = malloc(h->caplen ? h->caplen : 1);
		memcpy(ps->data[ps->n], d, h->caplen);
		ps->caplen[ps->n] = h->caplen;
		ps->wirelen[ps->n] = h->len;
		ps->n++;
	}
	pcap_close(p);
	return ps->n ? 0 : -1;
}

static void describe_pkts(struct pkts *ps)
{
	ps->desc = calloc(ps->n, sizeof(*ps->desc));
	for (size_t i = 0; i < ps->n; i++)
		ps->desc[i] =
			(struct td_pkt){ .data = ps->data[i], .caplen = ps->caplen[i], .wirelen = ps->wirelen[i] };
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One executor behind one signature; the indirect call is outside the timed inner loops. */
enum exec_kind { EXEC_LIBPCAP, EXEC_DPDK, EXEC_TAPDUMP, EXEC_TAPDUMP_BURST };

struct exec {
	enum exec_kind kind;
	const struct bpf_insn *insns;
	const struct bpf_jit *jit;
#if HAVE_DPDK
	uint64_t (*dpdk_fn)(void *);
	struct rte_mbuf **mbufs;
#endif
};

static uint64_t run_all(const struct exec *e, const struct pkts *ps, uint32_t *verdicts)
{
	uint64_t sum = 0;

	switch (e->kind) {
	case EXEC_LIBPCAP:
		for (size_t i = 0; i < ps->n; i++) {
			uint32_t v = bpf_filter(e->insns, ps->data[i], ps->wirelen[i], ps->caplen[i]);

			sum += v;
			if (verdicts)
				verdicts[i] = v;
		}
		break;
	case EXEC_TAPDUMP:
		for (size_t i = 0; i < ps->n; i++) {
			uint32_t v = bpf_jit_run(e->jit, ps->data[i], ps->wirelen[i], ps->caplen[i]);

			sum += v;
			if (verdicts)
				verdicts[i] = v;
		}
		break;
	case EXEC_TAPDUMP_BURST:
		/* RX_BURST packets per call, as filter_burst() gets them from the rx workers */
		for (size_t base = 0; base < ps->n; base += RX_BURST) {
			unsigned len = ps->n - base < RX_BURST ? (unsigned)(ps->n - base) : RX_BURST;
			uint32_t v[RX_BURST];

			bpf_jit_run_burst(e->jit, ps->desc + base, len, v);
			for (unsigned i = 0; i < len; i++)
				sum += v[i];
			if (verdicts)
				memcpy(verdicts + base, v, len * sizeof(v[0]));
		}
		break;
	case EXEC_DPDK:
#if HAVE_DPDK
		for (size_t i = 0; i < ps->n; i++) {
			uint32_t v = (uint32_t)e->dpdk_fn(e->mbufs[i]);

			sum += v;
			if (verdicts)
				verdicts[i] = v;
		}
#endif
		break;
	}
	return sum;
}

/* Median ns/packet over reps runs of `loops` passes over the packet set. */
static double time_exec(const struct exec *e, const struct pkts *ps, int reps, volatile uint64_t *sink)
{
	double samples[64];
	int loops = 40;

	if (reps > 64)
		reps = 64;
	run_all(e, ps, NULL); /* warm caches and branch predictors */
	for (int r = 0; r < reps; r++) {
		double t0 = now_ns();

		for (int l = 0; l < loops; l++)
			*sink += run_all(e, ps, NULL);
		samples[r] = (now_ns() - t0) / ((double)loops * (double)ps->n);
	}
	qsort(samples, (size_t)reps, sizeof(samples[0]), cmp_double);
	return samples[reps / 2];
}

#if HAVE_DPDK
struct dpdk_env {
	bool up;
	struct rte_mempool *pool;
	struct rte_mbuf **mbufs;
};

static void dpdk_setup(struct dpdk_env *env, const struct pkts *ps, const char *prog)
{
	char *eal_argv[] = { (char *)prog,
			     "--no-huge",
			     "--no-pci",
			     "-m",
			     "512",
			     "--no-shconf",
			     "--no-telemetry",
			     "--file-prefix=fbench",
			     "--log-level=lib.eal:error",
			     NULL };

	if (rte_eal_init((int)(sizeof(eal_argv) / sizeof(eal_argv[0])) - 1, eal_argv) < 0) {
		fprintf(stderr, "DPDK EAL init failed (%s): rte_bpf column is n/a\n", rte_strerror(rte_errno));
		return;
	}
	env->pool = rte_pktmbuf_pool_create("fbench", (unsigned)ps->n + 64, 0, 0, RTE_PKTMBUF_HEADROOM + 2048,
					    SOCKET_ID_ANY);
	env->mbufs = calloc(ps->n, sizeof(*env->mbufs));
	if (!env->pool || !env->mbufs) {
		fprintf(stderr, "DPDK mbuf pool: %s\n", rte_strerror(rte_errno));
		return;
	}
	for (size_t i = 0; i < ps->n; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(env->pool);
		char *dst = m ? rte_pktmbuf_append(m, (uint16_t)ps->caplen[i]) : NULL;

		if (!dst && ps->caplen[i]) {
			fprintf(stderr, "DPDK mbuf alloc failed\n");
			return;
		}
		memcpy(dst, ps->data[i], ps->caplen[i]);
		env->mbufs[i] = m;
	}
	env->up = true;
}

/*
 * DPDK's verdicts, computed in a child: its JIT faults on some filters,
 * which must cost a table cell, not the run. Returns "crashes" or NULL.
 */
static const char *dpdk_verdicts(const struct exec *e, const struct pkts *ps, uint32_t *verdicts)
{
	size_t len = ps->n * sizeof(*verdicts);
	uint32_t *shared = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	const char *why = NULL;
	int status = 0;
	pid_t child;

	if (shared == MAP_FAILED)
		return "no memory";
	fflush(NULL);
	child = fork();
	if (child == 0) {
		run_all(e, ps, shared);
		_exit(0);
	}
	if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		why = "crashes";
	else
		memcpy(verdicts, shared, len);
	munmap(shared, len);
	return why;
}

/* Returns the loaded program (to destroy) or NULL, with the JIT entry in *fn. */
static struct rte_bpf *dpdk_load(const struct bpf_program *prog, uint64_t (**fn)(void *))
{
	struct rte_bpf_prm *prm = rte_bpf_convert(prog);
	struct rte_bpf_jit jit = { 0 };
	struct rte_bpf *bpf;

	if (!prm)
		return NULL;
	bpf = rte_bpf_load(prm);
	rte_free(prm);
	if (!bpf)
		return NULL;
	if (rte_bpf_get_jit(bpf, &jit) < 0 || !jit.func) {
		rte_bpf_destroy(bpf);
		return NULL;
	}
	*fn = jit.func;
	return bpf;
}
#endif

static void print_cell(double ns, const char *why)
{
	if (why)
		printf(" %14s", why);
	else
		printf(" %14.2f", ns);
}

int main(int argc, char **argv)
{
	const char *pcap_path = NULL;
	int reps = DEFAULT_REPS;
	bool use_dpdk = true;
	struct pkts ps = { 0 };
	volatile uint64_t sink = 0;
	uint32_t *want, *got;
	enum { nrows = sizeof(default_filters) / sizeof(default_filters[0]) };
	double row_ns[nrows], row_ratio[nrows];
#if HAVE_DPDK
	struct dpdk_env denv = { 0 };
#endif

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc)
			pcap_path = argv[++i];
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-dpdk"))
			use_dpdk = false;
		else {
			fprintf(stderr, "usage: %s [-r file.pcap] [--reps N] [--no-dpdk]\n", argv[0]);
			return 2;
		}
	}
	if (reps < 5)
		reps = 5;
	if (load_pkts(&ps, pcap_path) < 0)
		return 1;
	describe_pkts(&ps);
	want = calloc(ps.n, sizeof(*want));
	got = calloc(ps.n, sizeof(*got));
#if HAVE_DPDK
	if (use_dpdk)
		dpdk_setup(&denv, &ps, argv[0]);
#endif
	printf("%zu packets (%s), median of %d runs, ns/packet\n", ps.n, pcap_path ? pcap_path : "synthetic mix", reps);
	printf("%-52s %5s %14s %14s %14s %14s %9s %9s\n", "filter", "insns", "libpcap", "dpdk rte_bpf", "jit per call",
	       "jit burst", "vs pcap", "vs dpdk");
	for (size_t f = 0; f < nrows; f++) {
		const char *expr = default_filters[f];
		pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
		struct bpf_program prog;
		char errbuf[TD_ERRBUF_SIZE];
		struct exec pcap_e = { .kind = EXEC_LIBPCAP }, jit_e = { .kind = EXEC_TAPDUMP },
			    burst_e = { .kind = EXEC_TAPDUMP_BURST };
		double t_pcap, t_call, t_jit, t_dpdk = 0;
		const char *dpdk_why = "n/a";
		struct bpf_jit *jit;
		size_t accepted = 0;

		if (pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fprintf(stderr, "%s: %s\n", expr, pcap_geterr(dead));
			pcap_close(dead);
			return 1;
		}
		pcap_close(dead);
		jit = bpf_jit_compile(prog.bf_insns, prog.bf_len, errbuf);
		if (!jit) {
			fprintf(stderr, "%s: %s\n", expr, errbuf);
			return 1;
		}
		pcap_e.insns = prog.bf_insns;
		jit_e.jit = jit;
		burst_e.jit = jit;
		run_all(&pcap_e, &ps, want);
		run_all(&jit_e, &ps, got);
		for (size_t i = 0; i < ps.n; i++)
			accepted += want[i] != 0;
		if (memcmp(want, got, ps.n * sizeof(*want))) {
			fprintf(stderr, "%s: tapdump JIT disagrees with bpf_filter\n", expr);
			return 1;
		}
		run_all(&burst_e, &ps, got);
		if (memcmp(want, got, ps.n * sizeof(*want))) {
			fprintf(stderr, "%s: tapdump JIT's burst entry disagrees with bpf_filter\n", expr);
			return 1;
		}
		t_pcap = time_exec(&pcap_e, &ps, reps, &sink);
		t_call = time_exec(&jit_e, &ps, reps, &sink);
		t_jit = time_exec(&burst_e, &ps, reps, &sink);
#if HAVE_DPDK
		if (denv.up) {
			struct exec dpdk_e = { .kind = EXEC_DPDK, .mbufs = denv.mbufs };
			struct rte_bpf *bpf = dpdk_load(&prog, &dpdk_e.dpdk_fn);

			dpdk_why = "load failed";
			if (bpf) {
				bool wrong = false;

				dpdk_why = dpdk_verdicts(&dpdk_e, &ps, got);
				for (size_t i = 0; i < ps.n && !dpdk_why; i++)
					wrong |= (got[i] != 0) != (want[i] != 0);
				if (dpdk_why) {
					/* the child said why */
				} else if (wrong) {
					dpdk_why = "wrong verdicts";
				} else {
					t_dpdk = time_exec(&dpdk_e, &ps, reps, &sink);
					dpdk_why = NULL;
				}
				rte_bpf_destroy(bpf);
			}
		}
#endif
		printf("%-52.52s %5u", expr, prog.bf_len);
		print_cell(t_pcap, NULL);
		print_cell(t_dpdk, dpdk_why);
		print_cell(t_call, NULL);
		print_cell(t_jit, NULL);
		printf(" %8.1fx", t_pcap / t_jit);
		if (dpdk_why)
			printf(" %9s", "-");
		else
			printf(" %8.1fx", t_dpdk / t_jit);
		printf("   (%zu/%zu accepted)\n", accepted, ps.n);
		row_ns[f] = t_jit;
		row_ratio[f] = t_pcap / t_jit;
		bpf_jit_free(jit);
		pcap_freecode(&prog);
	}
	qsort(row_ns, nrows, sizeof(row_ns[0]), cmp_double);
	qsort(row_ratio, nrows, sizeof(row_ratio[0]), cmp_double);
	printf("jit burst: median %.2f ns/packet over the %d filters, lowest ratio to libpcap %.1fx\n",
	       row_ns[nrows / 2], (int)nrows, row_ratio[0]);
	(void)use_dpdk;
	return 0;
}
