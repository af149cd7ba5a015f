/* The filter executor off x86-64: a validated copy of the program run by libpcap's bpf_filter(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "filters/bpf_jit.h"

struct bpf_jit {
	unsigned n;
	struct bpf_insn insns[];
};

struct bpf_jit *bpf_jit_compile(const struct bpf_insn *insns, unsigned n, char *errbuf)
{
	struct bpf_jit *jit;
	int err = bpf_prog_validate(insns, n, errbuf);

	if (err < 0) {
		errno = -err;
		return NULL;
	}
	jit = malloc(sizeof(*jit) + (size_t)n * sizeof(jit->insns[0]));
	if (!jit) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory copying a %u-instruction filter", n);
		errno = ENOMEM;
		return NULL;
	}
	jit->n = n;
	memcpy(jit->insns, insns, (size_t)n * sizeof(jit->insns[0]));
	return jit;
}

uint32_t bpf_jit_run(const struct bpf_jit *jit, const uint8_t *pkt, uint32_t wirelen, uint32_t caplen)
{
	return bpf_filter(jit->insns, pkt, wirelen, caplen);
}

void bpf_jit_run_burst(const struct bpf_jit *jit, const struct td_pkt *pkts, unsigned n, uint32_t *verdicts)
{
	for (unsigned i = 0; i < n; i++)
		verdicts[i] = bpf_filter(jit->insns, pkts[i].data, pkts[i].wirelen, pkts[i].caplen);
}

void bpf_jit_free(struct bpf_jit *jit)
{
	free(jit);
}
