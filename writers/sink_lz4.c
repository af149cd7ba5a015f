/* The LZ4 sink: one LZ4 frame per file, independent 256 KiB blocks, each with its checksum. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lz4.h>

#include "writers/lz4_frame.h"
#include "writers/sink.h"

/*
 * One frame per file because tshark 4.0 stops at the end of the first frame.
 * Independent blocks so that after a crash every block already on disk still
 * decodes; 256 KiB keeps that loss window small at a ratio within 1% of 4 MiB
 * blocks on captured traffic.
 */
#define LZ4_PIECE (1u << 20) /* input bytes compressed per write(2) of a large write */

struct sink_lz4 {
	struct sink base;
	uint64_t flushed_in;	  /* bytes_in at the last flush: a record boundary */
	uint64_t flushed_disk;	  /* file size then: where a failed write cuts the file back to */
	bool failed;		  /* a write failed: the frame must not be ended over lost data */
	bool cut;		  /* after the failure the file was cut back to flushed_disk */
	int accel;		  /* for the blocks compressed here; LZ4_FRAME_STORE stores them */
	int accel_max;		  /* the highest any block of the file was made at */
	struct lz4_tally tally;	  /* this file's blocks */
	struct lz4_counters *ctr; /* the run's, or NULL */
	LZ4_stream_t state;
	size_t pend_len;   /* small writes gather here into one block */
	uint64_t pend_raw; /* where the gathered bytes start in the stream */
	uint8_t *pend;
	uint8_t *out;
};

/*
 * Every write hands over whole records, so a block that ends where a write
 * ends ends on a record boundary. Small writes gather into one block of at
 * most 256 KiB; a write that would overflow it first closes the gathered
 * block, and a large write goes out whole, so a failed write can cut the
 * file back to the last flush and leave a frame whose every block holds
 * whole records (the durability promise after a crash or ENOSPC).
 */
static int lz4_fail(struct sink *s, int rc)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;

	ls->failed = true;
	if (s->own_fd && ftruncate(s->fd, (off_t)ls->flushed_disk) == 0) {
		lseek(s->fd, (off_t)ls->flushed_disk, SEEK_SET);
		s->bytes_on_disk = ls->flushed_disk;
		ls->cut = true;
	}
	return rc;
}

/* out[0..n) is on its way: write it, and everything given so far is then in the kernel. */
static int lz4_commit(struct sink_lz4 *ls, const uint8_t *out, size_t n)
{
	struct sink *s = &ls->base;
	int rc;

	if (n && (rc = sink_write_fd(s, out, n)))
		return lz4_fail(s, rc);
	s->bytes_durable = ls->flushed_in = s->bytes_in;
	ls->flushed_disk = s->bytes_on_disk;
	return 0;
}

/* Blocks made (here or elsewhere) from raw_len bytes at accel: into the file's tally and the run's counters. */
static void lz4_count(struct sink_lz4 *ls, const uint8_t *blocks, size_t n, size_t raw_len, int accel)
{
	struct lz4_tally t = { .in_bytes = raw_len };

	lz4_frame_tally(&t, blocks, n);
	ls->tally.in_bytes += t.in_bytes;
	ls->tally.out_bytes += t.out_bytes;
	ls->tally.blocks += t.blocks;
	ls->tally.stored += t.stored;
	if (accel > ls->accel_max)
		ls->accel_max = accel;
	if (ls->ctr) {
		counter_add(&ls->ctr->in_bytes, t.in_bytes);
		counter_add(&ls->ctr->out_bytes, t.out_bytes);
		counter_add(&ls->ctr->blocks, t.blocks);
		counter_add(&ls->ctr->blocks_stored, t.stored);
	}
}

/*
 * The gathered small writes as one block at out, which goes to the file at
 * file_off; returns its size. The block starts on a record, so the index
 * can send a reader straight there (it holds only whole records).
 */
static size_t lz4_close_pending(struct sink_lz4 *ls, uint8_t *out, uint64_t file_off)
{
	size_t n = 0;

	if (ls->pend_len) {
		n = lz4_frame_block(&ls->state, ls->pend, ls->pend_len, out, ls->accel);
		lz4_count(ls, out, n, ls->pend_len, ls->accel);
		sink_index_add(&ls->base, file_off, ls->pend_raw, ls->pend, ls->pend_len);
	}
	ls->pend_len = 0;
	return n;
}

static int lz4_flush(struct sink *s)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;

	if (ls->failed)
		return -EIO;
	if (s->bytes_in == ls->flushed_in)
		return 0;
	return lz4_commit(ls, ls->out, lz4_close_pending(ls, ls->out, s->bytes_on_disk));
}

static int lz4_write(struct sink *s, const void *buf, size_t len)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;
	const uint8_t *p = buf;
	size_t n;
	int rc;

	if (ls->failed)
		return -EIO;
	sink_index_start(s, buf, len);
	if (ls->pend_len + len <= LZ4_FRAME_BLOCK) {
		if (!ls->pend_len)
			ls->pend_raw = s->bytes_in;
		s->bytes_in += len;
		memcpy(ls->pend + ls->pend_len, p, len);
		ls->pend_len += len;
		return 0;
	}
	n = lz4_close_pending(ls, ls->out, s->bytes_on_disk);
	/* The large write's first block follows the gathered one. */
	sink_index_add(s, s->bytes_on_disk + n, s->bytes_in, buf, len);
	s->bytes_in += len;
	do {
		size_t piece = len < LZ4_PIECE ? len : LZ4_PIECE;
		size_t made = lz4_frame_blocks(&ls->state, p, piece, ls->out + n, ls->accel);

		lz4_count(ls, ls->out + n, made, piece, ls->accel);
		n += made;
		p += piece;
		len -= piece;
		if (len && (rc = sink_write_fd(s, ls->out, n)))
			return lz4_fail(s, rc);
		if (len)
			n = 0;
	} while (len);
	return lz4_commit(ls, ls->out, n);
}

/* Records compressed elsewhere (lz4_frame_blocks over exactly raw[0..len)): only checksummed here. */
static int lz4_write_packed(struct sink *s, const void *raw, size_t len, const struct sink_packed *z)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;
	int rc;

	if (ls->failed)
		return -EIO;
	if (ls->pend_len && (rc = lz4_flush(s)))
		return rc;
	sink_index_add(s, s->bytes_on_disk, s->bytes_in, raw, len);
	s->bytes_in += len;
	lz4_count(ls, z->data, z->len, len, z->accel);
	return lz4_commit(ls, z->data, z->len);
}

void sink_lz4_set_accel(struct sink *s, int accel)
{
	((struct sink_lz4 *)s)->accel = accel;
}

void sink_lz4_tally(const struct sink *s, struct lz4_tally *t, int *accel_max)
{
	const struct sink_lz4 *ls = (const struct sink_lz4 *)s;

	*t = ls->tally;
	*accel_max = ls->accel_max;
}

/*
 * After a failed write the file was cut back to the last flush, so every
 * block in it holds whole records: end the frame there, and lz4 -t and
 * every reader accept the file and get exactly the records counted as
 * written. Best effort: on failure the frame simply stays unterminated,
 * which readers report as a cut.
 */
static void lz4_seal_after_failure(struct sink_lz4 *ls)
{
	struct sink *s = &ls->base;
	static const uint8_t end_mark[4] = { 0, 0, 0, 0 };

	/* Only over a file cut back to whole blocks: an end mark before leftover bytes would hide them. */
	if (!s->own_fd || !ls->cut)
		return;
	if (pwrite(s->fd, end_mark, sizeof(end_mark), (off_t)ls->flushed_disk) == sizeof(end_mark))
		s->bytes_on_disk = ls->flushed_disk + sizeof(end_mark);
}

static int lz4_close(struct sink *s, uint64_t *disk_bytes)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;
	size_t n;
	int rc = 0;

	if (ls->failed) {
		rc = -EIO;
		snprintf(s->errbuf, sizeof(s->errbuf), "%s: frame ended at the last whole record after a write error",
			 s->path);
		lz4_seal_after_failure(ls);
		goto close_fd;
	}
	n = lz4_close_pending(ls, ls->out, s->bytes_on_disk);
	lz4_frame_end(ls->out + n);
	rc = lz4_commit(ls, ls->out, n + LZ4_FRAME_END_BYTES);
	/* The last write failed (a full disk takes the gathered small writes here): end the frame where it was cut. */
	if (rc)
		lz4_seal_after_failure(ls);
	else if (s->own_fd)
		sink_index_write(s);
close_fd:
	sink_index_free(s);
	*disk_bytes = s->bytes_on_disk;
	rc = sink_close_fd(s, rc);
	free(ls->pend);
	free(ls->out);
	free(ls);
	return rc;
}

static const struct sink_ops lz4_ops = {
	.write = lz4_write,
	.write_packed = lz4_write_packed,
	.flush = lz4_flush,
	.close = lz4_close,
};

struct sink *sink_lz4_open(int fd, bool own_fd, const char *path, int accel, struct lz4_counters *ctr, char *errbuf)
{
	struct sink_lz4 *ls = aligned_alloc(64, (sizeof(*ls) + 63) & ~(size_t)63);
	uint8_t hdr[LZ4_FRAME_HEADER_BYTES];
	int err = ENOMEM;

	if (!ls)
		goto nomem;
	memset(ls, 0, sizeof(*ls));
	ls->base.ops = &lz4_ops;
	ls->base.fd = fd;
	ls->base.own_fd = own_fd;
	strncpy(ls->base.path, path, sizeof(ls->base.path) - 1);
	ls->accel = accel == LZ4_FRAME_STORE || accel > 1 ? accel : 1;
	ls->ctr = ctr;
	ls->pend = malloc(LZ4_FRAME_BLOCK);
	/* A large write: the gathered block, then a piece, plus room for the end of the frame. */
	ls->out = malloc(lz4_frame_bound(LZ4_FRAME_BLOCK) + lz4_frame_bound(LZ4_PIECE) + LZ4_FRAME_END_BYTES);
	if (!ls->pend || !ls->out)
		goto nomem;
	lz4_frame_header(hdr);
	/* The caller sets room() after this: a full disk here is its to handle (series.c retries the open). */
	if ((err = -sink_write_fd(&ls->base, hdr, sizeof(hdr)))) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", ls->base.errbuf);
		goto fail;
	}
	ls->flushed_disk = ls->base.bytes_on_disk;
	return &ls->base;
nomem:
	snprintf(errbuf, TD_ERRBUF_SIZE, "%s: out of memory for the LZ4 compressor", path);
fail:
	if (ls) {
		free(ls->pend);
		free(ls->out);
		free(ls);
	}
	errno = err;
	return NULL;
}
