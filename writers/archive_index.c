/* The archive index: building it segment by segment, its encoding, and the Bloom summary's hashing. */
#include "writers/archive_index.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writers/lz4_frame.h"
#include "writers/record.h"

#define INDEX_MAGIC "TDIX"
#define INDEX_TRAILER_MAGIC "TDINDEX1"
#define INDEX_HEAD_V1_BYTES 32
#define INDEX_HEAD_BYTES INDEX_HEAD_V2_BYTES
#define INDEX_ENTRY_FIXED 104
#define INDEX_ENTRY_BYTES (INDEX_ENTRY_FIXED + INDEX_BLOOM_BYTES)
/* Nothing tapdump writes comes near it; a damaged count cannot make the reader allocate without bound. */
#define INDEX_MAX_ENTRIES (1u << 24)

struct index_builder {
	uint32_t linktype;
	bool nano;
	uint64_t header_bytes;
	uint64_t ring_pending, backend_pending;
	struct index_entry *e;
	uint32_t n, cap;
	struct summary_seen seen; /* of the last entry */
};

struct index_builder *index_builder_new(uint32_t linktype, bool nano, uint64_t header_bytes)
{
	struct index_builder *ib = calloc(1, sizeof(*ib));

	if (!ib)
		return NULL;
	ib->linktype = linktype;
	ib->nano = nano;
	ib->header_bytes = header_bytes;
	return ib;
}

void index_builder_free(struct index_builder *ib)
{
	if (!ib)
		return;
	free(ib->e);
	free(ib);
}

static struct index_entry *new_entry(struct index_builder *ib, struct index_place at, uint64_t raw_off)
{
	struct index_entry *e;

	if (ib->n == ib->cap) {
		uint32_t cap = ib->cap ? ib->cap * 2 : 16;
		struct index_entry *grown = realloc(ib->e, (size_t)cap * sizeof(*grown));

		if (!grown)
			return NULL;
		ib->e = grown;
		ib->cap = cap;
	}
	e = &ib->e[ib->n++];
	memset(e, 0, sizeof(*e));
	memset(&ib->seen, 0, sizeof(ib->seen));
	e->file_off = at.file_off;
	e->skip = at.skip;
	e->raw_off = raw_off;
	e->min_ns = INT64_MAX;
	e->max_ns = INT64_MIN;
	return e;
}

/* How far ahead of its walk index_builder_add asks for the records' lines. */
#define INDEX_PREFETCH_AHEAD 4096u

static uint32_t swap32(uint32_t v)
{
	return __builtin_bswap32(v);
}

void index_builder_add(struct index_builder *ib, struct index_place at, uint64_t raw_off, const uint8_t *recs,
		       size_t len, bool swapped)
{
	struct index_entry *e = ib->n ? &ib->e[ib->n - 1] : NULL;
	const uint8_t *p = recs, *end = recs + len;

	/* The file header is no record. */
	if (raw_off < ib->header_bytes) {
		uint64_t skip = ib->header_bytes - raw_off;

		if (skip >= len)
			return;
		p += skip;
		raw_off += skip;
		at.skip += (uint32_t)skip;
	}
	if (p == end)
		return;
	/* A full segment (or none yet): these records start the next one, at the place a reader can seek to. */
	if (!e || e->raw_len >= INDEX_SEGMENT_TARGET) {
		e = new_entry(ib, at, raw_off);
		/* Out of memory: the segment before grows instead; the index stays right, only coarser. */
		if (!e && !ib->n)
			return;
		if (!e)
			e = &ib->e[ib->n - 1];
	}
	e->ring_drops += ib->ring_pending;
	e->backend_drops += ib->backend_pending;
	ib->ring_pending = ib->backend_pending = 0;
	e->raw_len += (uint64_t)(end - p);
	while ((size_t)(end - p) >= REC_HDR_BYTES) {
		struct rec_hdr h;
		int64_t ns;

		rec_hdr_read(p, &h);
		if (swapped) {
			h.ts_sec = swap32(h.ts_sec);
			h.ts_frac = swap32(h.ts_frac);
			h.caplen = swap32(h.caplen);
		}
		if (h.caplen > (size_t)(end - p) - REC_HDR_BYTES)
			break;
		/*
		 * Records compressed on another core are not in this one's cache:
		 * asking for the lines a few records ahead turns the walk's miss
		 * per record header into a stream (a prefetch never faults).
		 */
		for (size_t o = 0; o < rec_bytes(&h); o += 64)
			__builtin_prefetch(p + INDEX_PREFETCH_AHEAD + o);
		ns = (int64_t)h.ts_sec * 1000000000 + (int64_t)h.ts_frac * (ib->nano ? 1 : 1000);
		if (ns < e->min_ns)
			e->min_ns = ns;
		if (ns > e->max_ns)
			e->max_ns = ns;
		e->count++;
		if (!summary_add_packet(e, &ib->seen, ib->linktype, p + REC_HDR_BYTES, h.caplen))
			e->flags |= ENTRY_UNSUMMARIZED;
		p += rec_bytes(&h);
	}
}

void index_builder_drops(struct index_builder *ib, uint64_t ring, uint64_t backend)
{
	ib->ring_pending += ring;
	ib->backend_pending += backend;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

int index_builder_encode(const struct index_builder *ib, uint64_t data_bytes, uint8_t **out, size_t *len)
{
	/* Drops after the last record (the run ended) belong to the last segment. */
	uint64_t ring_tail = ib->ring_pending, backend_tail = ib->backend_pending;
	size_t body = INDEX_HEAD_BYTES + (size_t)ib->n * INDEX_ENTRY_BYTES;
	uint8_t *buf = malloc(body + INDEX_TRAILER_BYTES), *p;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, INDEX_MAGIC, 4);
	put32(buf + 4, INDEX_VERSION);
	put32(buf + 8, ib->nano ? INDEX_NANO : 0);
	put32(buf + 12, ib->linktype);
	put32(buf + 16, INDEX_BLOOM_BYTES);
	put32(buf + 20, ib->n);
	put64(buf + 24, data_bytes);
	{
		int64_t lo = INT64_MAX, hi = INT64_MIN;

		for (uint32_t i = 0; i < ib->n; i++) {
			if (!ib->e[i].count)
				continue;
			lo = ib->e[i].min_ns < lo ? ib->e[i].min_ns : lo;
			hi = ib->e[i].max_ns > hi ? ib->e[i].max_ns : hi;
		}
		put64(buf + 32, (uint64_t)lo);
		put64(buf + 40, (uint64_t)hi);
		put32(buf + 48, 0);
		put32(buf + 52, xxh32(buf, 52));
	}
	p = buf + INDEX_HEAD_BYTES;
	for (uint32_t i = 0; i < ib->n; i++, p += INDEX_ENTRY_BYTES) {
		const struct index_entry *e = &ib->e[i];
		bool last = i + 1 == ib->n;

		put64(p, e->file_off);
		put64(p + 8, e->raw_off);
		put64(p + 16, e->raw_len);
		put32(p + 24, e->count);
		put32(p + 28, e->flags);
		put32(p + 64, e->skip);
		put64(p + 32, (uint64_t)e->min_ns);
		put64(p + 40, (uint64_t)e->max_ns);
		put64(p + 48, e->ring_drops + (last ? ring_tail : 0));
		put64(p + 56, e->backend_drops + (last ? backend_tail : 0));
		memset(p + 68, 0, INDEX_ENTRY_FIXED - 68 - 32);
		memcpy(p + INDEX_ENTRY_FIXED - 32, e->protos, 32);
		memcpy(p + INDEX_ENTRY_FIXED, e->bloom, INDEX_BLOOM_BYTES);
	}
	put32(p, (uint32_t)body);
	put32(p + 4, xxh32(buf, body));
	memcpy(p + 8, INDEX_TRAILER_MAGIC, 8);
	*out = buf;
	*len = body + INDEX_TRAILER_BYTES;
	return 0;
}

/*
 * Written under a temporary name and renamed, so a reader never sees half
 * of one, and never through a link planted under either name.
 */
int archive_index_write(const char *data_path, const struct index_builder *ib, uint64_t data_bytes, char *errbuf)
{
	char side[4096 + 16], tmp[4096 + 32];
	uint8_t *idx;
	size_t len;
	int fd, err;

	if (index_builder_encode(ib, data_bytes, &idx, &len)) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory for the index of %s", data_path);
		return -ENOMEM;
	}
	snprintf(side, sizeof(side), "%s%s", data_path, INDEX_SIDECAR_SUFFIX);
	snprintf(tmp, sizeof(tmp), "%s.tmp", side);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = errno;
	} else {
		ssize_t n = write(fd, idx, len);

		err = n == (ssize_t)len ? 0 : n < 0 ? errno : ENOSPC;
		if (close(fd) < 0 && !err)
			err = errno;
		if (!err && rename(tmp, side) < 0)
			err = errno;
		if (err)
			unlink(tmp);
	}
	free(idx);
	if (err) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s (the capture file has no index)", side, strerror(err));
		return -err;
	}
	return 0;
}

uint32_t archive_index_trailer(const uint8_t trailer[INDEX_TRAILER_BYTES])
{
	if (memcmp(trailer + 8, INDEX_TRAILER_MAGIC, 8) != 0)
		return 0;
	return get32(trailer);
}

static int bad(char *errbuf, const char *why)
{
	snprintf(errbuf, TD_ERRBUF_SIZE, "%s", why);
	return -EBADMSG;
}

int archive_index_head(const uint8_t *buf, size_t len, struct archive_index_head *h)
{
	if (len < INDEX_HEAD_V1_BYTES || memcmp(buf, INDEX_MAGIC, 4) != 0)
		return -EBADMSG;
	if (get32(buf + 4) == 1)
		return -ENOTSUP;
	if (len < INDEX_HEAD_V2_BYTES || get32(buf + 4) != INDEX_VERSION || xxh32(buf, 52) != get32(buf + 52))
		return -EBADMSG;
	h->flags = get32(buf + 8);
	h->linktype = get32(buf + 12);
	h->nentries = get32(buf + 20);
	h->data_bytes = get64(buf + 24);
	h->min_ns = (int64_t)get64(buf + 32);
	h->max_ns = (int64_t)get64(buf + 40);
	return 0;
}

int archive_index_decode(const uint8_t *buf, size_t len, struct archive_index *idx, char *errbuf)
{
	const uint8_t *p;
	uint32_t body, n, head, version;

	memset(idx, 0, sizeof(*idx));
	if (len < INDEX_HEAD_V1_BYTES + INDEX_TRAILER_BYTES)
		return bad(errbuf, "index too short");
	body = archive_index_trailer(buf + len - INDEX_TRAILER_BYTES);
	if (body != len - INDEX_TRAILER_BYTES)
		return bad(errbuf, "index trailer damaged");
	if (xxh32(buf, body) != get32(buf + len - INDEX_TRAILER_BYTES + 4))
		return bad(errbuf, "index checksum mismatch");
	/* Version 1 (no time bounds in its head) is still read: archives outlive the program that wrote them. */
	version = get32(buf + 4);
	if (memcmp(buf, INDEX_MAGIC, 4) != 0 || (version != 1 && version != INDEX_VERSION))
		return bad(errbuf, "not an index of this version");
	head = version == 1 ? INDEX_HEAD_V1_BYTES : INDEX_HEAD_V2_BYTES;
	if (body < head || (version != 1 && xxh32(buf, 52) != get32(buf + 52)))
		return bad(errbuf, "index head damaged");
	if (get32(buf + 16) != INDEX_BLOOM_BYTES)
		return bad(errbuf, "index summary of another size");
	n = get32(buf + 20);
	if (n > INDEX_MAX_ENTRIES || (uint64_t)n * INDEX_ENTRY_BYTES + head != body)
		return bad(errbuf, "index entry count does not match its size");
	idx->flags = get32(buf + 8);
	idx->linktype = get32(buf + 12);
	idx->data_bytes = get64(buf + 24);
	idx->nentries = n;
	idx->e = calloc(n ? n : 1, sizeof(*idx->e));
	if (!idx->e)
		return bad(errbuf, "out of memory for the index");
	p = buf + head;
	for (uint32_t i = 0; i < n; i++, p += INDEX_ENTRY_BYTES) {
		struct index_entry *e = &idx->e[i];

		e->file_off = get64(p);
		e->raw_off = get64(p + 8);
		e->raw_len = get64(p + 16);
		e->count = get32(p + 24);
		e->flags = get32(p + 28);
		e->skip = get32(p + 64);
		e->min_ns = (int64_t)get64(p + 32);
		e->max_ns = (int64_t)get64(p + 40);
		e->ring_drops = get64(p + 48);
		e->backend_drops = get64(p + 56);
		memcpy(e->protos, p + INDEX_ENTRY_FIXED - 32, 32);
		memcpy(e->bloom, p + INDEX_ENTRY_FIXED, INDEX_BLOOM_BYTES);
		/* Segments follow each other in the stream; anything else is damage a seek must not trust. */
		if (e->file_off > idx->data_bytes ||
		    (i && e->raw_off != idx->e[i - 1].raw_off + idx->e[i - 1].raw_len)) {
			archive_index_free(idx);
			return bad(errbuf, "index segments out of order");
		}
	}
	return 0;
}

void archive_index_free(struct archive_index *idx)
{
	free(idx->e);
	idx->e = NULL;
	idx->nentries = 0;
}

/* splitmix64's finaliser: every input bit moves every output bit. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

/*
 * Up to 8 bytes of a key as a little-endian integer: the Bloom bits an index
 * holds must not depend on the host that wrote it. Byte by byte, not a
 * memcpy of variable length: that one was a library call and a stalled
 * load, a third of the index's cost on a replay.
 */
static uint64_t load_le(const uint8_t *p, size_t len)
{
	uint64_t v = 0;

	while (len--)
		v = v << 8 | p[len];
	return v;
}

static uint64_t key_hash(enum summary_key kind, const uint8_t *val, size_t len)
{
	/* Keys are at most 16 bytes: one round of mixing per 8, the kind and length in the first. */
	uint64_t w = (uint64_t)kind << 56 | (uint64_t)len << 48, h;

	if (len <= 6)
		return mix64(w ^ load_le(val, len));
	h = mix64(w ^ mix64(load_le(val, 8)));
	if (len > 8)
		h = mix64(h ^ load_le(val + 8, len - 8 < 8 ? len - 8 : 8));
	return h;
}

/* INDEX_BLOOM_HASHES bit positions from one 64-bit hash (double hashing). */
#define BLOOM_BITS (INDEX_BLOOM_BYTES * 8u)

void bloom_add(uint8_t bloom[INDEX_BLOOM_BYTES], enum summary_key kind, const uint8_t *val, size_t len)
{
	uint64_t h = key_hash(kind, val, len);
	uint32_t a = (uint32_t)h, b = (uint32_t)(h >> 32) | 1;

	for (uint32_t i = 0; i < INDEX_BLOOM_HASHES; i++) {
		uint32_t bit = (a + i * b) % BLOOM_BITS;

		bloom[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	}
}

bool bloom_maybe(const uint8_t bloom[INDEX_BLOOM_BYTES], enum summary_key kind, const uint8_t *val, size_t len)
{
	uint64_t h = key_hash(kind, val, len);
	uint32_t a = (uint32_t)h, b = (uint32_t)(h >> 32) | 1;

	for (uint32_t i = 0; i < INDEX_BLOOM_HASHES; i++) {
		uint32_t bit = (a + i * b) % BLOOM_BITS;

		if (!(bloom[bit >> 3] & (1u << (bit & 7))))
			return false;
	}
	return true;
}
