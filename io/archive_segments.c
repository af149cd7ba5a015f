/*
 * A capture file read by its index: the pcap file header, then only the
 * selected segments, as one byte stream the pcap reader parses as usual.
 * Plain files are read at the segments' offsets; LZ4 files are decoded
 * from the independent block each segment starts at.
 */
#include "io/archive_source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lz4.h>

#include "io/instream.h"
#include "writers/lz4_frame.h"

#define PCAP_HEADER_BYTES 24
#define LZ4_MAGIC 0x184D2204u
#define LZ4_FLG_INDEPENDENT 0x20
#define LZ4_FLG_BLOCK_CHECKSUM 0x10
#define LZ4_FLG_CONTENT_SIZE 0x08
#define LZ4_FLG_DICT_ID 0x01
#define LZ4_BLOCK_STORED 0x80000000u

struct seg_reader {
	int fd;
	char name[256];
	bool lz4;
	size_t block_max;
	bool block_checksum;
	uint8_t header[PCAP_HEADER_BYTES];
	size_t header_left;
	const struct archive_segment *seg;
	unsigned nseg, cur;
	uint64_t pos;	   /* file offset of the next read */
	uint64_t seg_left; /* record bytes of the current segment still to give */
	bool in_segment;
	uint8_t *cbuf, *dbuf; /* one compressed block, its decoded bytes */
	size_t dlen, doff;
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int read_at(struct seg_reader *r, void *buf, size_t len, uint64_t off, char *errbuf)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(r->fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s at byte %llu (the index points past the data)",
				 r->name, n < 0 ? strerror(errno) : "file ends", (unsigned long long)(off + done));
			return n < 0 ? -errno : -EBADMSG;
		}
		done += (size_t)n;
	}
	return 0;
}

/* The LZ4 block at r->pos, decoded into dbuf. */
static int next_block(struct seg_reader *r, char *errbuf)
{
	uint8_t sz[4];
	uint32_t size, len;
	int rc, n;

	if ((rc = read_at(r, sz, 4, r->pos, errbuf)))
		return rc;
	size = le32(sz);
	len = size & ~LZ4_BLOCK_STORED;
	if (!size || len > r->block_max) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "lz4: %s in %s at compressed byte %llu (index)",
			 size ? "corrupt block" : "end of frame inside an indexed segment", r->name,
			 (unsigned long long)r->pos);
		return -EBADMSG;
	}
	/* The block and its checksum in one read: a block read through the index is checked as the whole frame would be. */
	if ((rc = read_at(r, r->cbuf, len + (r->block_checksum ? 4 : 0), r->pos + 4, errbuf)))
		return rc;
	if (r->block_checksum && le32(r->cbuf + len) != xxh32(r->cbuf, len)) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "lz4: block checksum mismatch in %s at compressed byte %llu (index)",
			 r->name, (unsigned long long)r->pos);
		return -EBADMSG;
	}
	if (size & LZ4_BLOCK_STORED) {
		memcpy(r->dbuf, r->cbuf, len);
		n = (int)len;
	} else {
		n = LZ4_decompress_safe((const char *)r->cbuf, (char *)r->dbuf, (int)len, (int)r->block_max);
		if (n < 0) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "lz4: corrupt block in %s at compressed byte %llu (index)",
				 r->name, (unsigned long long)r->pos);
			return -EBADMSG;
		}
	}
	r->pos += 4 + len + (r->block_checksum ? 4 : 0);
	r->dlen = (size_t)n;
	r->doff = 0;
	return 0;
}

static ssize_t seg_refill(void *ctx, uint8_t *dst, size_t room, char *errbuf)
{
	struct seg_reader *r = ctx;
	size_t n;
	int rc;

	if (r->header_left) {
		n = room < r->header_left ? room : r->header_left;
		memcpy(dst, r->header + PCAP_HEADER_BYTES - r->header_left, n);
		r->header_left -= n;
		return (ssize_t)n;
	}
	for (;;) {
		if (!r->in_segment) {
			if (r->cur == r->nseg)
				return 0;
			r->pos = r->seg[r->cur].file_off;
			r->seg_left = r->seg[r->cur].raw_len;
			r->dlen = r->doff = 0;
			r->in_segment = true;
			if (!r->lz4) {
				r->pos += r->seg[r->cur].skip;
			} else {
				if ((rc = next_block(r, errbuf)))
					return rc;
				if (r->seg[r->cur].skip > r->dlen) {
					snprintf(errbuf, TD_ERRBUF_SIZE, "%s: index entry past its block", r->name);
					return -EBADMSG;
				}
				r->doff = r->seg[r->cur].skip;
			}
		}
		if (!r->seg_left) {
			r->in_segment = false;
			r->cur++;
			continue;
		}
		if (!r->lz4) {
			n = room < r->seg_left ? room : (size_t)r->seg_left;
			if ((rc = read_at(r, dst, n, r->pos, errbuf)))
				return rc;
			r->pos += n;
			r->seg_left -= n;
			return (ssize_t)n;
		}
		if (r->doff == r->dlen && (rc = next_block(r, errbuf)))
			return rc;
		n = r->dlen - r->doff;
		if (n > room)
			n = room;
		if (n > r->seg_left)
			n = (size_t)r->seg_left;
		memcpy(dst, r->dbuf + r->doff, n);
		r->doff += n;
		r->seg_left -= n;
		/* A segment ends on a block boundary; whatever else a block holds belongs to the next one. */
		if (!r->seg_left)
			r->doff = r->dlen;
		return (ssize_t)n;
	}
}

static void seg_close(void *ctx)
{
	struct seg_reader *r = ctx;

	if (r->fd >= 0)
		close(r->fd);
	free(r->cbuf);
	free(r->dbuf);
	free(r);
}

/* The frame descriptor: block size, flags, where the first block starts. */
static int lz4_descriptor(struct seg_reader *r, uint64_t *first_block, char *errbuf)
{
	uint8_t h[19];
	uint8_t flg, bd;
	size_t len = 7;
	int rc;

	if ((rc = read_at(r, h, 7, 0, errbuf)))
		return rc;
	flg = h[4];
	bd = h[5];
	if (le32(h) != LZ4_MAGIC || (flg >> 6) != 1 || !(flg & LZ4_FLG_INDEPENDENT) || ((bd >> 4) & 7) < 4) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: not an LZ4 frame of independent blocks", r->name);
		return -EBADMSG;
	}
	r->block_max = (size_t)1 << (8 + 2 * ((bd >> 4) & 7));
	r->block_checksum = flg & LZ4_FLG_BLOCK_CHECKSUM;
	len += (flg & LZ4_FLG_CONTENT_SIZE) ? 8 : 0;
	len += (flg & LZ4_FLG_DICT_ID) ? 4 : 0;
	*first_block = len;
	return 0;
}

struct instream *archive_segments_open(const char *path, bool lz4, const struct archive_segment *seg, unsigned nseg,
				       char *errbuf)
{
	struct seg_reader *r = calloc(1, sizeof(*r));
	int rc = 0;

	if (!r) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	snprintf(r->name, sizeof(r->name), "%s", path);
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	r->lz4 = lz4;
	r->seg = seg;
	r->nseg = nseg;
	r->header_left = PCAP_HEADER_BYTES;
	if (r->fd < 0) {
		rc = -errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", path, strerror(errno));
	} else if (!lz4) {
		rc = read_at(r, r->header, PCAP_HEADER_BYTES, 0, errbuf);
	} else if ((rc = lz4_descriptor(r, &r->pos, errbuf)) == 0) {
		r->cbuf = malloc(r->block_max + 4);
		r->dbuf = malloc(r->block_max);
		if (!r->cbuf || !r->dbuf) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
			rc = -ENOMEM;
		} else if ((rc = next_block(r, errbuf)) == 0 && r->dlen < PCAP_HEADER_BYTES) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "%s: first block shorter than a pcap header", path);
			rc = -EBADMSG;
		} else if (rc == 0) {
			memcpy(r->header, r->dbuf, PCAP_HEADER_BYTES);
		}
		r->dlen = r->doff = 0;
	}
	if (rc) {
		seg_close(r);
		errno = -rc;
		return NULL;
	}
	return instream_new_decoder(seg_refill, seg_close, r, errbuf);
}
