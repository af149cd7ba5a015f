/* The capture filter: compile with libpcap, run per burst with the JIT or libpcap's interpreter. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include "filters/bpf_jit.h"
#include "filters/filter.h"

/* Verdicts the JIT writes per call: an rx burst (RX_BURST) in one go, on the stack. */
#define FILTER_CHUNK 64

struct filter {
	struct bpf_program prog;
	struct bpf_jit *jit; /* NULL: libpcap's interpreter (--no-jit, no JIT here, or a program it refuses) */
	bool match_all;
};

struct filter *filter_compile(const char *expr, int linktype, uint32_t snaplen, bool optimize, bool use_jit,
			      char *errbuf)
{
	struct filter *f = calloc(1, sizeof(*f));
	pcap_t *dead;

	if (!f) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	dead = pcap_open_dead(linktype, (int)snaplen);
	if (!dead) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "pcap_open_dead failed");
		goto fail;
	}
	if (pcap_compile(dead, &f->prog, expr ? expr : "", optimize, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", pcap_geterr(dead));
		pcap_close(dead);
		goto fail;
	}
	pcap_close(dead);
	f->match_all = !expr || !*expr;
	if (use_jit && !f->match_all) {
		char jit_err[TD_ERRBUF_SIZE];
		/* A program the JIT refuses (protochain's backward jumps) still runs, interpreted. */
		f->jit = bpf_jit_compile(f->prog.bf_insns, f->prog.bf_len, jit_err);
	}
	return f;
fail:
	free(f);
	errno = EINVAL;
	return NULL;
}

const struct bpf_program *filter_program(const struct filter *f)
{
	return &f->prog;
}

/* Keep pkts[i] when verdict says so, cut to the verdict and the snaplen; returns the new kept count. */
static inline unsigned keep(struct td_pkt *pkts, unsigned kept, unsigned i, uint32_t verdict, uint32_t snaplen)
{
	if (!verdict)
		return kept;
	pkts[kept] = pkts[i];
	if (pkts[kept].caplen > verdict)
		pkts[kept].caplen = verdict;
	if (pkts[kept].caplen > snaplen)
		pkts[kept].caplen = snaplen;
	return kept + 1;
}

unsigned filter_burst(const struct filter *f, struct td_pkt *pkts, unsigned n, uint32_t snaplen)
{
	unsigned kept = 0;

	/* One loop per executor, so the choice is made once per burst, not per packet. */
	if (f->match_all) {
		for (unsigned i = 0; i < n; i++)
			kept = keep(pkts, kept, i, UINT32_MAX, snaplen);
	} else if (f->jit) {
		uint32_t verdicts[FILTER_CHUNK];

		/*
		 * One call per chunk; compacting only moves descriptors to
		 * indexes below base, so the next chunk is still untouched.
		 */
		for (unsigned base = 0; base < n; base += FILTER_CHUNK) {
			unsigned len = n - base < FILTER_CHUNK ? n - base : FILTER_CHUNK;

			bpf_jit_run_burst(f->jit, pkts + base, len, verdicts);
			for (unsigned i = 0; i < len; i++)
				kept = keep(pkts, kept, base + i, verdicts[i], snaplen);
		}
	} else {
		for (unsigned i = 0; i < n; i++)
			kept = keep(pkts, kept, i,
				    bpf_filter(f->prog.bf_insns, pkts[i].data, pkts[i].wirelen, pkts[i].caplen),
				    snaplen);
	}
	return kept;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	bpf_jit_free(f->jit);
	pcap_freecode(&f->prog);
	free(f);
}
