/* JIT verdicts, one packet and one burst at a time, against libpcap's bpf_filter() for exprs.txt over corpus and synthetic packets. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "filters/bpf_jit.h"
#include "pktgen.h"

#define SNAPLEN 262144
#define MAX_REPORTS 10
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Burst lengths the packets are cut into, in turn: empty, single, odd,
 * exactly an rx burst (64) and longer than one.
 */
static const unsigned burst_lens[] = { 1, 0, 2, 64, 3, 65, 17, 150, 5 };
#define MAX_BURST 150
#define VERDICT_CANARY 0x5a5aa5a5u

struct prog {
	const char *expr;
	int linktype;
	int optimize;
	struct bpf_program bpf;
	struct bpf_jit *jit; /* NULL: the validator refused it, interpreter only */
};

struct progs {
	struct prog *v;
	size_t n, cap;
};

struct run_stats {
	uint64_t pairs;
	uint64_t mismatches;
	uint64_t accepted;
	uint64_t bursts;
};

/*
 * Each packet of a burst is copied into its own slot so that its last
 * captured byte sits right before an inaccessible page: a load one byte
 * past caplen faults instead of reading something plausible.
 */
struct guard_buf {
	uint8_t *base;
	size_t usable; /* bytes before each slot's guard page */
	size_t stride;
};

static int guard_init(struct guard_buf *g, size_t usable, unsigned slots)
{
	long page = sysconf(_SC_PAGESIZE);

	usable = (usable + (size_t)page - 1) & ~((size_t)page - 1);
	g->stride = usable + (size_t)page;
	g->base = mmap(NULL, g->stride * slots, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->base == MAP_FAILED)
		return -errno;
	for (unsigned i = 0; i < slots; i++)
		if (mprotect(g->base + i * g->stride + usable, (size_t)page, PROT_NONE) < 0)
			return -errno;
	g->usable = usable;
	return 0;
}

static const uint8_t *guard_place(struct guard_buf *g, unsigned slot, const uint8_t *data, uint32_t caplen)
{
	uint8_t *dst = g->base + slot * g->stride + g->usable - caplen;

	memcpy(dst, data, caplen);
	return dst;
}

static char *trim(char *s)
{
	size_t len = strlen(s);

	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
		s[--len] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int read_exprs(const char *path, char ***out, size_t *count)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	char **v = NULL;
	size_t n = 0;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line);

		if (!*s || *s == '#')
			continue;
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = strdup(s);
	}
	fclose(f);
	*out = v;
	*count = n;
	return 0;
}

/* Returns 1 compiled, 0 does not compile for this link type, -1 hard failure. */
static int add_prog(struct progs *ps, const char *expr, int linktype, int optimize, bool must)
{
	pcap_t *dead = pcap_open_dead(linktype, SNAPLEN);
	char errbuf[TD_ERRBUF_SIZE];
	struct prog *p;

	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 256;
		ps->v = realloc(ps->v, ps->cap * sizeof(*ps->v));
	}
	p = &ps->v[ps->n];
	memset(p, 0, sizeof(*p));
	if (pcap_compile(dead, &p->bpf, expr, optimize, PCAP_NETMASK_UNKNOWN) < 0) {
		if (must)
			fprintf(stderr, "FAIL: \"%s\" does not compile: %s\n", expr, pcap_geterr(dead));
		pcap_close(dead);
		return must ? -1 : 0;
	}
	pcap_close(dead);
	p->expr = expr;
	p->linktype = linktype;
	p->optimize = optimize;
	if (bpf_prog_validate(p->bpf.bf_insns, p->bpf.bf_len, errbuf) == 0) {
		p->jit = bpf_jit_compile(p->bpf.bf_insns, p->bpf.bf_len, errbuf);
		if (!p->jit) {
			fprintf(stderr, "FAIL: \"%s\" (optimize=%d): JIT: %s\n", expr, optimize, errbuf);
			return -1;
		}
	} else if (bpf_jit_compile(p->bpf.bf_insns, p->bpf.bf_len, errbuf) != NULL || errno != EINVAL) {
		fprintf(stderr, "FAIL: \"%s\": JIT accepted a program the validator refuses\n", expr);
		return -1;
	}
	ps->n++;
	return 1;
}

static void report(const struct prog *p, const struct td_testpkt *pkt, const char *how, uint32_t want, uint32_t got)
{
	fprintf(stderr,
		"MISMATCH: \"%s\" (linktype %d, optimize=%d) on %s caplen=%u wirelen=%u: bpf_filter=%u jit %s=%u\n  bytes:",
		p->expr, p->linktype, p->optimize, pkt->origin, pkt->caplen, pkt->wirelen, want, how, got);
	for (uint32_t i = 0; i < pkt->caplen && i < 64; i++)
		fprintf(stderr, " %02x", pkt->data[i]);
	fprintf(stderr, "\n");
}

/* One burst through every program: each packet's verdict from bpf_jit_run and from the burst entry. */
static void run_burst(const struct progs *ps, int linktype, const struct td_testpkt *pkts, const struct td_pkt *desc,
		      unsigned len, struct run_stats *st)
{
	uint32_t verdicts[MAX_BURST + 1];

	for (size_t j = 0; j < ps->n; j++) {
		const struct prog *p = &ps->v[j];

		if (p->linktype != linktype || !p->jit)
			continue;
		for (unsigned k = 0; k <= len; k++)
			verdicts[k] = VERDICT_CANARY;
		bpf_jit_run_burst(p->jit, desc, len, verdicts);
		st->bursts++;
		if (verdicts[len] != VERDICT_CANARY && st->mismatches++ < MAX_REPORTS)
			fprintf(stderr, "MISMATCH: \"%s\": a burst of %u wrote verdict %u past its end\n", p->expr, len,
				len);
		for (unsigned k = 0; k < len; k++) {
			uint32_t want = bpf_filter(p->bpf.bf_insns, desc[k].data, desc[k].wirelen, desc[k].caplen);
			uint32_t got = bpf_jit_run(p->jit, desc[k].data, desc[k].wirelen, desc[k].caplen);

			st->pairs++;
			st->accepted += want != 0;
			if (want != got && st->mismatches++ < MAX_REPORTS)
				report(p, &pkts[k], "run", want, got);
			if (want != verdicts[k] && st->mismatches++ < MAX_REPORTS)
				report(p, &pkts[k], "burst", want, verdicts[k]);
		}
	}
}

static void run_set(const struct progs *ps, int linktype, const struct td_pktset *set, struct guard_buf *g,
		    struct run_stats *st)
{
	struct td_pkt desc[MAX_BURST];
	size_t i = 0;

	for (unsigned turn = 0; i < set->n; turn++) {
		unsigned len = burst_lens[turn % NELEM(burst_lens)];

		if (len > set->n - i)
			len = (unsigned)(set->n - i);
		for (unsigned k = 0; k < len; k++) {
			const struct td_testpkt *pkt = &set->v[i + k];

			desc[k] = (struct td_pkt){
				.data = guard_place(g, k, pkt->data, pkt->caplen),
				.caplen = pkt->caplen,
				.wirelen = pkt->wirelen,
			};
		}
		run_burst(ps, linktype, &set->v[i], desc, len, st);
		i += len;
	}
}

int main(int argc, char **argv)
{
	const char *exprs_path = argc > 1 ? argv[1] : "exprs.txt";
	const char *corpus = argc > 2 ? argv[2] : getenv("TD_CORPUS");
	struct td_corpus cor = { 0 };
	struct progs ps = { 0 };
	struct guard_buf g = { 0 };
	struct run_stats st = { 0 };
	size_t nexpr, interp_only = 0, other_lt = 0;
	char **exprs;
	int ret = 1;

	if (read_exprs(exprs_path, &exprs, &nexpr) < 0)
		return 1;
	if (guard_init(&g, SNAPLEN, MAX_BURST) < 0) {
		fprintf(stderr, "guard buffer: %s\n", strerror(errno));
		return 1;
	}
	if (!corpus)
		corpus = "/work/shared/corpus";
	td_corpus_load(&cor, corpus);
	td_corpus_add_synthetic(&cor, 0x7a9d0c41u);

	for (size_t i = 0; i < nexpr; i++) {
		for (int opt = 0; opt <= 1; opt++) {
			if (add_prog(&ps, exprs[i], DLT_EN10MB, opt, true) < 0)
				goto out;
			for (size_t s = 0; s < cor.nsets; s++) {
				int r;

				if (cor.sets[s].linktype == DLT_EN10MB)
					continue;
				r = add_prog(&ps, exprs[i], cor.sets[s].linktype, opt, false);
				if (r < 0)
					goto out;
				other_lt += (size_t)r;
			}
		}
	}
	for (size_t j = 0; j < ps.n; j++)
		interp_only += !ps.v[j].jit;

	for (size_t s = 0; s < cor.nsets; s++)
		run_set(&ps, cor.sets[s].linktype, &cor.sets[s], &g, &st);

	printf("%zu expressions, %zu programs (%zu for non-Ethernet link types, %zu interpreter-only: backward jumps)\n",
	       nexpr, ps.n, other_lt, interp_only);
	for (size_t s = 0; s < cor.nsets; s++)
		printf("  link type %d: %zu packets\n", cor.sets[s].linktype, cor.sets[s].n);
	printf("%llu (program, packet) pairs checked one at a time and in %llu bursts, %llu accepted, %llu disagreements\n",
	       (unsigned long long)st.pairs, (unsigned long long)st.bursts, (unsigned long long)st.accepted,
	       (unsigned long long)st.mismatches);
	ret = st.mismatches ? 1 : 0;
	if (st.pairs < 1000000) {
		fprintf(stderr, "FAIL: too few pairs checked\n");
		ret = 1;
	}
out:
	for (size_t j = 0; j < ps.n; j++) {
		bpf_jit_free(ps.v[j].jit);
		pcap_freecode(&ps.v[j].bpf);
	}
	free(ps.v);
	for (size_t i = 0; i < nexpr; i++)
		free(exprs[i]);
	free(exprs);
	td_corpus_free(&cor);
	return ret;
}
