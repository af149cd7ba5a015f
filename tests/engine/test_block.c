/* Unit test of record packing: block_fits/block_append limits, and records laid out byte for byte as libpcap writes them. */
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "engine/block.h"
#include "check.h"

#define NPKTS 300

/* What pcap_dump writes for the same packets: the reference layout (file header stripped). */
static size_t pcap_reference(const struct td_pkt *pkts, unsigned n, uint8_t **out)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	pcap_dumper_t *d;

	*out = NULL;
	if (!dead || !mem || !(d = pcap_dump_fopen(dead, mem))) {
		if (mem)
			fclose(mem);
		free(buf);
		if (dead)
			pcap_close(dead);
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		struct pcap_pkthdr h = {
			.ts = { .tv_sec = (time_t)pkts[i].ts_sec, .tv_usec = (suseconds_t)pkts[i].ts_frac },
			.caplen = pkts[i].caplen,
			.len = pkts[i].wirelen,
		};
		pcap_dump((u_char *)d, &h, pkts[i].data);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	if (len < 24) {
		free(buf);
		return 0;
	}
	*out = (uint8_t *)buf;
	return len;
}

static void test_layout(int *fails, struct block *b)
{
	static uint8_t payload[2000];
	struct td_pkt pkts[NPKTS];
	uint8_t *ref;
	size_t ref_len, expect_used = 0;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 31 + 7);
	block_reset(b);
	for (unsigned i = 0; i < NPKTS; i++) {
		/* Sizes from 0 to 1999, wire lengths above caplen (snapped), odd time stamps. */
		pkts[i].data = payload + (i % 13);
		pkts[i].caplen = (i * 97) % 1988;
		pkts[i].wirelen = pkts[i].caplen + (i % 3) * 100;
		pkts[i].ts_sec = 1700000000 + i / 10;
		pkts[i].ts_frac = (i * 123457u) % 1000000u;
		CHECK(block_fits(b, pkts[i].caplen), "record %u does not fit an almost empty block", i);
		block_append(b, &pkts[i]);
		expect_used += sizeof(struct rec_hdr) + pkts[i].caplen;
	}
	CHECK(b->count == NPKTS, "count %u", b->count);
	CHECK(b->used == expect_used, "used %u, expected %zu", b->used, expect_used);
	ref_len = pcap_reference(pkts, NPKTS, &ref);
	CHECK(ref_len == 24 + expect_used, "pcap_dump wrote %zu bytes, block holds %u", ref_len, b->used);
	if (ref && ref_len == 24 + b->used) {
		for (size_t i = 0; i < b->used; i++)
			if (b->data[i] != ref[24 + i]) {
				CHECK(0, "block differs from pcap_dump's records at byte %zu", i);
				break;
			}
	}
	free(ref);
}

static void test_limits(int *fails, struct block *b)
{
	static uint8_t big[BLOCK_BYTES];
	struct td_pkt p = { .data = big, .ts_sec = 1, .ts_frac = 2 };
	uint32_t max_cap = BLOCK_BYTES - (uint32_t)sizeof(struct rec_hdr);

	CHECK(sizeof(struct rec_hdr) == 16, "record header is %zu bytes, pcap's is 16", sizeof(struct rec_hdr));
	block_reset(b);
	CHECK(b->used == 0 && b->count == 0 && b->opened_ns == 0, "block_reset left state");
	CHECK(block_fits(b, max_cap), "a record filling the block exactly must fit");
	CHECK(!block_fits(b, max_cap + 1), "a record one byte too big fits");
	p.caplen = p.wirelen = max_cap;
	block_append(b, &p);
	CHECK(b->used == BLOCK_BYTES, "used %u after an exact fill", b->used);
	CHECK(!block_fits(b, 0), "an empty record fits a full block");

	/* Fill with 1000-byte records until it refuses: the last one accepted ends within the block. */
	block_reset(b);
	p.caplen = p.wirelen = 1000;
	while (block_fits(b, p.caplen))
		block_append(b, &p);
	CHECK(b->count == BLOCK_BYTES / 1016, "%u 1000-byte records, expected %u", b->count, BLOCK_BYTES / 1016);
	CHECK(b->used <= BLOCK_BYTES && BLOCK_BYTES - b->used < 1016, "used %u", b->used);
	CHECK(block_fits(b, BLOCK_BYTES - b->used - 16), "the exact remainder must fit");
	CHECK(!block_fits(b, BLOCK_BYTES - b->used - 15), "one byte past the remainder fits");

	/* Time stamps past 2038 still go to disk as pcap's unsigned 32-bit seconds. */
	block_reset(b);
	p.caplen = p.wirelen = 4;
	p.ts_sec = 0xfffffff0;
	p.ts_frac = 999999;
	block_append(b, &p);
	{
		struct rec_hdr h;
		memcpy(&h, b->data, sizeof(h));
		CHECK(h.ts_sec == 0xfffffff0u && h.ts_frac == 999999 && h.caplen == 4 && h.len == 4,
		      "header %u.%u %u/%u", h.ts_sec, h.ts_frac, h.caplen, h.len);
	}
}

/* A record larger than a block travels alone in a block of its own size, byte for byte. */
static void test_oversized(int *fails, struct block *b)
{
	uint32_t caplen = 3u << 20;
	uint8_t *big = malloc(caplen);
	struct td_pkt p = { .data = big, .caplen = caplen, .wirelen = caplen, .ts_sec = 7, .ts_frac = 8 };
	struct rec_iter it;
	struct rec_hdr h;
	const uint8_t *rec;

	if (!big)
		return;
	for (uint32_t i = 0; i < caplen; i++)
		big[i] = (uint8_t)(i * 7 + (i >> 20));
	block_reset(b);
	CHECK(record_oversized(caplen) && !record_oversized(BLOCK_BYTES - REC_HDR_BYTES),
	      "record_oversized draws the line in the wrong place");
	CHECK(!block_fits(b, caplen), "a 3 MiB record fits a 1 MiB block");
	CHECK(!block_fits(b, UINT32_MAX), "a 4 GiB record fits (overflow)");
	CHECK(block_make_oversized(b, caplen) == 0, "no oversized buffer for 3 MiB");
	CHECK(block_oversized(b) && block_fits(b, caplen), "the oversized block does not hold its record");
	block_append(b, &p);
	CHECK(b->used == REC_HDR_BYTES + caplen && b->count == 1, "used %u count %u", b->used, b->count);
	it = rec_iter_of(b->data, b->used);
	rec = rec_next(&it, &h);
	CHECK(rec == b->data && h.caplen == caplen && h.ts_sec == 7 && !memcmp(rec + REC_HDR_BYTES, big, caplen),
	      "the oversized record does not read back");
	CHECK(rec_next(&it, &h) == NULL, "a second record after the oversized one");
	block_release_oversized(b);
	CHECK(!block_oversized(b) && b->cap == BLOCK_BYTES && b->data == b->room, "release left the buffer");
	/* A cut run: the iterator stops before a record that runs past the end. */
	block_reset(b);
	p.caplen = 100;
	block_append(b, &p);
	block_append(b, &p);
	it = rec_iter_of(b->data, b->used - 1);
	CHECK(rec_next(&it, &h) != NULL && rec_next(&it, &h) == NULL, "the iterator read a cut record");
	free(big);
}

int main(void)
{
	struct block *b = aligned_alloc(CACHE_LINE, sizeof(struct block));
	int fails = 0;

	if (!b) {
		printf("block: out of memory\n");
		return 1;
	}
	block_init(b);
	test_layout(&fails, b);
	test_limits(&fails, b);
	test_oversized(&fails, b);
	free(b);
	return check_result("block", fails);
}
