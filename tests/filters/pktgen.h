/* Packet sets for filter tests: the shared pcap corpus by link type, plus synthetic and truncated packets. */
#ifndef TD_TEST_PKTGEN_H
#define TD_TEST_PKTGEN_H

#include <stddef.h>
#include <stdint.h>

struct td_testpkt {
	const uint8_t *data;
	uint32_t caplen;
	uint32_t wirelen;
	char origin[64]; /* file#index or synthetic kind, for failure messages */
};

struct td_pktset {
	int linktype;
	struct td_testpkt *v;
	size_t n, cap;
};

struct td_corpus {
	struct td_pktset *sets;
	size_t nsets;
	uint8_t **owned; /* every buffer the sets point into */
	size_t nowned, capowned;
};

/* Small deterministic generator so a failure names a reproducible packet. */
struct td_rng {
	uint64_t s;
};

uint32_t td_rng_next(struct td_rng *r);

/* Every .pcap/.pcapng under dir, grouped by link type; a missing dir adds nothing. */
void td_corpus_load(struct td_corpus *c, const char *dir);

/*
 * Ethernet packets: random bytes, VLAN/QinQ/MPLS/PPPoE/IPv4/IPv6/ARP shapes
 * with field values the expressions in exprs.txt look for, and truncated
 * copies of some corpus and synthetic packets at every caplen.
 */
void td_corpus_add_synthetic(struct td_corpus *c, uint32_t seed);

void td_corpus_free(struct td_corpus *c);

#endif
