/*
 * The archive index: for each segment of whole records in a capture file,
 * where it lies, its time range, its packet count, the drops counted while
 * it filled, and a summary of the addresses, ports and IP protocols in it.
 *
 * The index lies beside its file, in NAME.tdidx, for .pcap and .pcap.lz4
 * alike. Not in a skippable frame after the LZ4 frame: the LZ4 format
 * allows one, and lz4 -dc and -t skip it, but tshark 4.0 reads any bytes
 * after the first frame of a file larger than its first read as packets
 * and calls the file corrupt, and tshark must read every file we write.
 * The sidecar is the index body followed by a 16-byte trailer:
 *
 *   body:    "TDIX", version, flags, linktype, bloom bytes, entry count,
 *            data bytes (the capture bytes it covers); from version 2 the
 *            earliest and latest packet of the file and an XXH32 of the
 *            head so far (a reader tells whether the file lies in a time
 *            window from these 56 bytes alone); then the entries
 *   trailer: body length (u32), XXH32 of the body (u32), "TDINDEX1"
 *
 * All integers little-endian. A segment starts where an independent LZ4
 * block (or, plain, a record) starts, so a reader seeks straight to it.
 */
#ifndef TD_ARCHIVE_INDEX_H
#define TD_ARCHIVE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errbuf.h"

#define INDEX_VERSION 2
/* The head of a version 2 index, checked on its own (archive_index_head). */
#define INDEX_HEAD_V2_BYTES 56
/* 16 Kibit per segment: about 2 500 distinct keys at a 3% false-positive rate, 0.2% of a 1 MiB segment. */
#define INDEX_BLOOM_BYTES 2048
#define INDEX_BLOOM_HASHES 4
/* A segment grows until it holds this many record bytes, then the next block boundary starts another. */
#define INDEX_SEGMENT_TARGET (1u << 20)
#define INDEX_TRAILER_BYTES 16
#define INDEX_SIDECAR_SUFFIX ".tdidx"

/* The index's flags. */
#define INDEX_NANO 0x1u /* time stamps of the file are nanoseconds */

/* Entry flags. */
#define ENTRY_UNSUMMARIZED 0x1u /* the link type is not parsed: the summary rules nothing out */

struct index_entry {
	uint64_t file_off; /* plain: the first record's offset; LZ4: the block it lies in */
	uint32_t skip;	   /* LZ4: decoded bytes of that block before the first record (plain: 0) */
	uint64_t raw_off;  /* the first record's offset in the pcap byte stream */
	uint64_t raw_len;  /* bytes of whole records */
	uint32_t count;
	uint32_t flags;
	int64_t min_ns, max_ns; /* earliest and latest packet (a file need not be in time order) */
	uint64_t ring_drops, backend_drops;
	uint8_t protos[32]; /* a bit per IP protocol number (IPv6: every next header on the way) */
	uint8_t bloom[INDEX_BLOOM_BYTES];
};

struct archive_index {
	uint32_t flags;
	uint32_t linktype;
	uint64_t data_bytes;
	uint32_t nentries;
	struct index_entry *e;
};

/* Builds a file's index from the records as they are written (or read back, for --index). */
struct index_builder;

/* header_bytes of the stream come before the first record (24 for pcap); linktype says how to summarise. */
struct index_builder *index_builder_new(uint32_t linktype, bool nano, uint64_t header_bytes);
void index_builder_free(struct index_builder *ib);

/* Where a reader starts to get some records: an offset, and (LZ4) decoded bytes to drop there. */
struct index_place {
	uint64_t file_off;
	uint32_t skip;
};

/*
 * Records recs[0..len) lie at raw_off in the pcap stream (right after what
 * the builder already has), and a reader finds them at `at`: they open a
 * new segment when the current one is full, else join it. Bytes below
 * header_bytes are skipped. `swapped`: headers in the other byte order
 * (--index of a file written elsewhere).
 */
void index_builder_add(struct index_builder *ib, struct index_place at, uint64_t raw_off, const uint8_t *recs,
		       size_t len, bool swapped);

/* Drops while the next records were waiting: they go to the segment that receives them. */
void index_builder_drops(struct index_builder *ib, uint64_t ring, uint64_t backend);

/* Encoded index (body and trailer) in *out (malloc'd), covering data_bytes of capture. 0 or -ENOMEM. */
int index_builder_encode(const struct index_builder *ib, uint64_t data_bytes, uint8_t **out, size_t *len);

/* The sidecar of data_path (NAME.tdidx) from ib, covering data_bytes. 0, or -errno with errbuf (TD_ERRBUF_SIZE bytes) set. */
int archive_index_write(const char *data_path, const struct index_builder *ib, uint64_t data_bytes, char *errbuf);

/*
 * Parse an encoded index (body and trailer, as index_builder_encode gives
 * it). 0, or -EBADMSG with the reason in errbuf (TD_ERRBUF_SIZE bytes). idx->e is
 * malloc'd: archive_index_free.
 */
int archive_index_decode(const uint8_t *buf, size_t len, struct archive_index *idx, char *errbuf);
void archive_index_free(struct archive_index *idx);

/* What the head of an index says of the whole file. */
struct archive_index_head {
	uint32_t flags, linktype, nentries;
	uint64_t data_bytes;
	int64_t min_ns, max_ns; /* of the file's packets; min > max when it has none */
};

/*
 * Parse the first INDEX_HEAD_V2_BYTES of an index. 0; -ENOTSUP for an
 * index of version 1 (no time bounds in its head: decode all of it); or
 * -EBADMSG when the head is damaged or no index head.
 */
int archive_index_head(const uint8_t *buf, size_t len, struct archive_index_head *h);

/* The body length a trailer announces, 0 when the 16 bytes are no index trailer. */
uint32_t archive_index_trailer(const uint8_t trailer[INDEX_TRAILER_BYTES]);

/* The summary's keys (archive_summary.c adds them per packet; the filter check asks for them). */
enum summary_key {
	KEY_IP4 = 1,
	KEY_IP4_24,
	KEY_IP4_16,
	KEY_IP6,
	KEY_IP6_64,
	KEY_IP6_48,
	KEY_PORT,
};

void bloom_add(uint8_t bloom[INDEX_BLOOM_BYTES], enum summary_key kind, const uint8_t *val, size_t len);
bool bloom_maybe(const uint8_t bloom[INDEX_BLOOM_BYTES], enum summary_key kind, const uint8_t *val, size_t len);

/*
 * Keys already in one segment's Bloom filter, by value, where the value is
 * 16 bits: most packets repeat a port and a /16 the segment has seen, and
 * this spares their hashing (bench/index_cost.sh). Cleared with each new
 * segment.
 */
struct summary_seen {
	uint8_t port[65536 / 8];
	uint8_t net16[65536 / 8];
};

/*
 * Add one packet's addresses, ports and protocols to e (false: the link
 * type is not one it parses). seen, when not NULL, is e's (summary_seen).
 */
bool summary_add_packet(struct index_entry *e, struct summary_seen *seen, uint32_t linktype, const uint8_t *pkt,
			uint32_t caplen);

#endif
