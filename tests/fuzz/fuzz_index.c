/*
 * fuzz_index: the archive index's untrusted inputs. The first byte picks
 * what the rest is: a sidecar as found on disk, an index body (given a
 * valid trailer so the entries are parsed), a packet for the summary of
 * each link type, or a filter expression for the segment check. Every
 * parsed entry is then checked against a few filters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "writers/archive_index.h"
#include "writers/lz4_frame.h"
#include "filters/prefilter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const exprs[] = {
	"host 10.0.0.1",  "net 10.1.0.0/16 or port 53",	     "tcp port 80 and not host 2001:db8::1",
	"portrange 1-20", "(udp or icmp) and src 192.0.2.1", "ip proto 50",
};

static void check_entries(const struct archive_index *idx)
{
	for (size_t k = 0; k < sizeof(exprs) / sizeof(exprs[0]); k++) {
		struct prefilter *pf = prefilter_compile(exprs[k]);

		for (uint32_t i = 0; i < idx->nentries; i++)
			(void)prefilter_maybe(pf, &idx->e[i]);
		prefilter_free(pf);
	}
}

static void decode(const uint8_t *buf, size_t len)
{
	struct archive_index idx;
	struct archive_index_head h;
	char err[TD_ERRBUF_SIZE];

	if (archive_index_decode(buf, len, &idx, err) == 0) {
		check_entries(&idx);
		/* A whole index that decodes has a head that parses, and says as many entries. */
		if (archive_index_head(buf, len, &h) == 0 && h.nentries != idx.nentries)
			__builtin_trap();
		archive_index_free(&idx);
	}
	(void)archive_index_head(buf, len, &h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t linktypes[] = { 0, 1, 12, 101, 108, 113, 228, 229, 276, 147 };
	uint8_t mode;

	if (!size)
		return 0;
	mode = data[0] % 4;
	data++;
	size--;
	if (mode == 0) {
		decode(data, size);
	} else if (mode == 1) {
		/* The body as it is, with the trailer a writer would put after it. */
		uint8_t *buf = malloc(size + 16);
		uint32_t body = (uint32_t)size, sum = xxh32(data, size);

		if (!buf)
			return 0;
		memcpy(buf, data, size);
		memcpy(buf + size, &body, 4);
		memcpy(buf + size + 4, &sum, 4);
		memcpy(buf + size + 8, "TDINDEX1", 8);
		decode(buf, size + 16);
		free(buf);
	} else if (mode == 2) {
		struct index_entry *e = calloc(1, sizeof(*e));

		if (!e || !size) {
			free(e);
			return 0;
		}
		summary_add_packet(e, NULL, linktypes[data[0] % (sizeof(linktypes) / sizeof(linktypes[0]))], data + 1,
				   (uint32_t)size - 1);
		for (size_t k = 0; k < sizeof(exprs) / sizeof(exprs[0]); k++) {
			struct prefilter *pf = prefilter_compile(exprs[k]);
			(void)prefilter_maybe(pf, e);
			prefilter_free(pf);
		}
		free(e);
	} else {
		char *text = malloc(size + 1);
		struct index_entry *e = calloc(1, sizeof(*e));
		struct prefilter *pf;

		if (text && e) {
			memcpy(text, data, size);
			text[size] = 0;
			pf = prefilter_compile(text);
			memset(e->bloom, 0x55, sizeof(e->bloom));
			(void)prefilter_maybe(pf, e);
			prefilter_free(pf);
		}
		free(text);
		free(e);
	}
	return 0;
}
