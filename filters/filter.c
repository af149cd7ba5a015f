/* The capture filter: compile with libpcap, run per burst with the JIT or libpcap's interpreter. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

struct filter {
	struct bpf_program prog;
	bool match_all;
};

struct filter *filter_compile(const char *expr, int linktype, uint32_t snaplen, bool optimize,
			      bool use_jit, char *errbuf)
{
	struct filter *f = calloc(1, sizeof(*f));
	pcap_t *dead;

	(void)use_jit;
	if (!f) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	dead = pcap_open_dead(linktype, (int)snaplen);
	if (!dead) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "pcap_open_dead failed");
		goto fail;
	}
	if (pcap_compile(dead, &f->prog, expr ? expr : "", optimize, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(dead));
		pcap_close(dead);
		goto fail;
	}
	pcap_close(dead);
	f->match_all = !expr || !*expr;
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

unsigned filter_burst(const struct filter *f, struct td_pkt *pkts, unsigned n, uint32_t snaplen)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < n; i++) {
		uint32_t verdict = f->match_all ? UINT32_MAX
			: bpf_filter(f->prog.bf_insns, pkts[i].data, pkts[i].wirelen, pkts[i].caplen);
		if (!verdict)
			continue;
		pkts[kept] = pkts[i];
		if (pkts[kept].caplen > verdict)
			pkts[kept].caplen = verdict;
		if (pkts[kept].caplen > snaplen)
			pkts[kept].caplen = snaplen;
		kept++;
	}
	return kept;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	pcap_freecode(&f->prog);
	free(f);
}
