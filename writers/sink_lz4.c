/* The LZ4 sink: one LZ4 frame per file, independent 256 KiB blocks, content checksum. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lz4frame.h>

#include "sink.h"

/*
 * One frame per file because tshark 4.0 stops at the end of the first frame.
 * Independent blocks so that after a crash every block already on disk still
 * decodes; 256 KiB keeps that loss window small at a ratio within 1% of 4 MiB
 * blocks on captured traffic.
 */
#define LZ4_CHUNK (1u << 20)	      /* input bytes per LZ4F_compressUpdate call */
#define LZ4_BLOCK_BYTES (256u * 1024) /* LZ4F_max256KB */

struct sink_lz4 {
	struct sink base;
	uint64_t flushed_in;   /* bytes_in at the last flush: a record boundary */
	uint64_t flushed_disk; /* file size then: where a failed write cuts the file back to */
	bool failed;	       /* a write failed: the frame must not be ended over lost data */
	LZ4F_cctx *cctx;
	LZ4F_preferences_t prefs;
	size_t out_cap;
	uint8_t *out;
};

static int lz4_error(struct sink *s, const char *what, size_t code)
{
	snprintf(s->errbuf, sizeof(s->errbuf), "%s: lz4 %s: %s", s->path, what, LZ4F_getErrorName(code));
	return -EIO;
}

/*
 * Every write hands over whole records, so flushing between two writes puts
 * an LZ4 block boundary on a record boundary. The sink does so before its
 * unflushed input would pass one block, and after any large write: then a
 * failed write can cut the file back to the last flush and leave a frame
 * whose every block holds whole records (the durability promise after a
 * crash or ENOSPC), at the cost of some blocks shorter than 256 KiB.
 */
static int lz4_fail(struct sink *s, int rc)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;

	ls->failed = true;
	if (s->own_fd && ftruncate(s->fd, (off_t)ls->flushed_disk) == 0) {
		lseek(s->fd, (off_t)ls->flushed_disk, SEEK_SET);
		s->bytes_on_disk = ls->flushed_disk;
	}
	return rc;
}

static int lz4_flush(struct sink *s)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;
	size_t n;
	int rc;

	if (ls->failed)
		return -EIO;
	if (s->bytes_in == ls->flushed_in)
		return 0;
	n = LZ4F_flush(ls->cctx, ls->out, ls->out_cap, NULL);
	if (LZ4F_isError(n))
		return lz4_fail(s, lz4_error(s, "flush", n));
	if (n && (rc = sink_write_fd(s, ls->out, n)))
		return lz4_fail(s, rc);
	s->bytes_durable = ls->flushed_in = s->bytes_in;
	ls->flushed_disk = s->bytes_on_disk;
	return 0;
}

static int lz4_write(struct sink *s, const void *buf, size_t len)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;
	const uint8_t *p = buf;
	int rc;

	if (ls->failed)
		return -EIO;
	if (s->bytes_in > ls->flushed_in && s->bytes_in - ls->flushed_in + len > LZ4_BLOCK_BYTES && (rc = lz4_flush(s)))
		return rc;
	s->bytes_in += len;
	while (len) {
		size_t chunk = len < LZ4_CHUNK ? len : LZ4_CHUNK;
		size_t n = LZ4F_compressUpdate(ls->cctx, ls->out, ls->out_cap, p, chunk, NULL);

		if (LZ4F_isError(n))
			return lz4_fail(s, lz4_error(s, "compress", n));
		if (n && (rc = sink_write_fd(s, ls->out, n)))
			return lz4_fail(s, rc);
		p += chunk;
		len -= chunk;
	}
	if (s->bytes_in - ls->flushed_in >= LZ4_BLOCK_BYTES)
		return lz4_flush(s);
	return 0;
}

/* XXH32 of a few bytes (the frame descriptor's header checksum, LZ4 frame format 1.6.x section "HC"). */
static uint32_t xxh32_short(const uint8_t *p, size_t len)
{
	const uint32_t p1 = 2654435761u, p2 = 2246822519u, p3 = 3266489917u, p5 = 374761393u;
	uint32_t h = p5 + (uint32_t)len;

	for (size_t i = 0; i < len; i++) {
		h += p[i] * p5;
		h = ((h << 11) | (h >> 21)) * p1;
	}
	h ^= h >> 15;
	h *= p2;
	h ^= h >> 13;
	h *= p3;
	h ^= h >> 16;
	return h;
}

/*
 * After a failed write the file was cut back to the last flush, so every
 * block in it holds whole records, but the content checksum LZ4F would
 * append covers input that never reached the disk. Rewrite the descriptor
 * without the content checksum flag (and its header checksum), then end
 * the frame: lz4 -t and every reader accept the file and get exactly the
 * records counted as written. Best effort: on failure the frame simply
 * stays unterminated, which readers report as a cut.
 */
static void lz4_seal_after_failure(struct sink_lz4 *ls)
{
	struct sink *s = &ls->base;
	uint8_t desc[3];
	static const uint8_t end_mark[4] = { 0, 0, 0, 0 };

	if (!s->own_fd || pread(s->fd, desc, 2, 4) != 2)
		return;
	desc[0] &= (uint8_t)~0x04; /* FLG: content checksum flag off */
	desc[2] = (uint8_t)(xxh32_short(desc, 2) >> 8);
	if (pwrite(s->fd, desc, 3, 4) != 3)
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
	n = LZ4F_compressEnd(ls->cctx, ls->out, ls->out_cap, NULL);
	if (LZ4F_isError(n))
		rc = lz4_error(s, "end of frame", n);
	else if (n)
		rc = sink_write_fd(s, ls->out, n);
	if (rc == 0)
		s->bytes_durable = s->bytes_in;
close_fd:
	*disk_bytes = s->bytes_on_disk;
	if (s->own_fd && close(s->fd) < 0 && rc == 0)
		rc = -errno;
	LZ4F_freeCompressionContext(ls->cctx);
	free(ls->out);
	free(ls);
	return rc;
}

static const struct sink_ops lz4_ops = {
	.write = lz4_write,
	.flush = lz4_flush,
	.close = lz4_close,
};

struct sink *sink_lz4_open(int fd, bool own_fd, const char *path, int accel, char *errbuf)
{
	struct sink_lz4 *ls = calloc(1, sizeof(*ls));
	size_t n;

	if (!ls)
		goto nomem;
	ls->base.ops = &lz4_ops;
	ls->base.fd = fd;
	ls->base.own_fd = own_fd;
	strncpy(ls->base.path, path, sizeof(ls->base.path) - 1);
	ls->prefs.frameInfo.blockSizeID = LZ4F_max256KB;
	ls->prefs.frameInfo.blockMode = LZ4F_blockIndependent;
	ls->prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
	/* LZ4F maps negative levels to the fast mode's acceleration factor. */
	ls->prefs.compressionLevel = accel > 1 ? -accel : 0;
	ls->out_cap = LZ4F_compressBound(LZ4_CHUNK, &ls->prefs) + LZ4F_HEADER_SIZE_MAX;
	ls->out = malloc(ls->out_cap);
	if (!ls->out)
		goto nomem;
	n = LZ4F_createCompressionContext(&ls->cctx, LZ4F_VERSION);
	if (LZ4F_isError(n)) {
		snprintf(errbuf, SINK_ERRBUF_SIZE, "%s: lz4: %s", path, LZ4F_getErrorName(n));
		goto fail;
	}
	n = LZ4F_compressBegin(ls->cctx, ls->out, ls->out_cap, &ls->prefs);
	if (LZ4F_isError(n)) {
		snprintf(errbuf, SINK_ERRBUF_SIZE, "%s: lz4: %s", path, LZ4F_getErrorName(n));
		goto fail;
	}
	if (sink_write_fd(&ls->base, ls->out, n)) {
		snprintf(errbuf, SINK_ERRBUF_SIZE, "%s", ls->base.errbuf);
		goto fail;
	}
	ls->flushed_disk = ls->base.bytes_on_disk;
	return &ls->base;
nomem:
	snprintf(errbuf, SINK_ERRBUF_SIZE, "%s: out of memory for the LZ4 compressor", path);
fail:
	if (ls) {
		LZ4F_freeCompressionContext(ls->cctx);
		free(ls->out);
		free(ls);
	}
	errno = EIO;
	return NULL;
}
