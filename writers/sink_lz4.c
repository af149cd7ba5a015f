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
#define LZ4_CHUNK (1u << 20) /* input bytes per LZ4F_compressUpdate call */

struct sink_lz4 {
	struct sink base;
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

static int lz4_write(struct sink *s, const void *buf, size_t len)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;
	const uint8_t *p = buf;

	s->bytes_in += len;
	while (len) {
		size_t chunk = len < LZ4_CHUNK ? len : LZ4_CHUNK;
		size_t n = LZ4F_compressUpdate(ls->cctx, ls->out, ls->out_cap, p, chunk, NULL);
		int rc;

		if (LZ4F_isError(n))
			return lz4_error(s, "compress", n);
		/* Output appears a whole block at a time, so each write ends on a block boundary. */
		if (n && (rc = sink_write_fd(s, ls->out, n)))
			return rc;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

static int lz4_flush(struct sink *s)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;
	size_t n = LZ4F_flush(ls->cctx, ls->out, ls->out_cap, NULL);
	int rc;

	if (LZ4F_isError(n))
		return lz4_error(s, "flush", n);
	if (n && (rc = sink_write_fd(s, ls->out, n)))
		return rc;
	s->bytes_durable = s->bytes_in;
	return 0;
}

static int lz4_close(struct sink *s, uint64_t *disk_bytes)
{
	struct sink_lz4 *ls = (struct sink_lz4 *)s;
	size_t n = LZ4F_compressEnd(ls->cctx, ls->out, ls->out_cap, NULL);
	int rc = 0;

	if (LZ4F_isError(n))
		rc = lz4_error(s, "end of frame", n);
	else if (n)
		rc = sink_write_fd(s, ls->out, n);
	if (rc == 0)
		s->bytes_durable = s->bytes_in;
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
