/* LZ4 frame decoder in front of an instream: concatenated and skippable frames read as one byte stream. */
#include "io/instream.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lz4frame.h>

/* Compressed bytes asked of raw per call: large enough to amortise the call, small enough to stay in L2. */
#define LZ4_IN_CHUNK (256u << 10)

/* Between frames the decoder wants a magic number first; it asks for the rest of the header itself. */
#define LZ4_FRAME_START 4u

struct lz4_ctx {
	struct instream *raw;
	LZ4F_dctx *dctx;
	/*
	 * LZ4F_decompress's hint: the compressed bytes that complete the
	 * current block (and the next block's header), 0 exactly when the
	 * last frame ended cleanly.
	 */
	size_t hint;
	uint64_t offset; /* compressed bytes consumed: where a failure lies */
	char name[128];	 /* the input's name, for the messages */
};

/* liblz4's error names in words; the name itself follows in parentheses. */
static const struct {
	const char *name;
	const char *words;
} lz4_errors[] = {
	{ "ERROR_blockChecksum_invalid", "block checksum mismatch" },
	{ "ERROR_contentChecksum_invalid", "content checksum mismatch" },
	{ "ERROR_decompressionFailed", "corrupt block" },
	{ "ERROR_frameSize_wrong", "content size mismatch" },
	{ "ERROR_frameType_unknown", "not an LZ4 frame" },
	{ "ERROR_headerChecksum_invalid", "header checksum mismatch" },
};

static ssize_t lz4_fail(const struct lz4_ctx *ctx, size_t code, char *errbuf)
{
	const char *name = LZ4F_getErrorName(code), *words = "corrupt frame";

	for (size_t i = 0; i < sizeof(lz4_errors) / sizeof(lz4_errors[0]); i++)
		if (strcmp(name, lz4_errors[i].name) == 0)
			words = lz4_errors[i].words;
	snprintf(errbuf, TD_ERRBUF_SIZE, "lz4: %s in %s at compressed byte %llu (%s)", words, ctx->name,
		 (unsigned long long)ctx->offset, name);
	/* Corrupt input, not a cut one: instream.h's contract for refill errors that are not truncation. */
	return -EBADMSG;
}

static ssize_t lz4_refill(void *vctx, uint8_t *dst, size_t room, char *errbuf)
{
	struct lz4_ctx *ctx = vctx;

	for (;;) {
		const uint8_t *src;
		size_t src_len, dst_len = room, r;
		ssize_t avail;

		/* The decoder copies out of raw, so none of raw's bytes stay referenced. */
		instream_release(ctx->raw);
		avail = instream_peek(ctx->raw, LZ4_IN_CHUNK, &src);
		if (avail < 0) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "%s", instream_error(ctx->raw));
			return avail;
		}
		if (avail == 0) {
			if (ctx->hint == 0)
				return 0;
			/* The decoder may still hold output of whole blocks it could not hand over for lack of room. */
			src_len = 0;
			LZ4F_decompress(ctx->dctx, dst, &dst_len, NULL, &src_len, NULL);
			if (dst_len > 0)
				return (ssize_t)dst_len;
			snprintf(errbuf, TD_ERRBUF_SIZE, "lz4: truncated frame: input ended %zu or more bytes early",
				 ctx->hint);
			return -EIO;
		}
		/*
		 * At most one block per call: on an error LZ4F_decompress reports
		 * no output at all, so blocks decoded in the same call before a bad
		 * one would be lost. Block by block, every block before a bad one
		 * (or before a bad content checksum) has been handed out.
		 */
		src_len = ctx->hint ? ctx->hint : LZ4_FRAME_START;
		if (src_len > (size_t)avail)
			src_len = (size_t)avail;
		r = LZ4F_decompress(ctx->dctx, dst, &dst_len, src, &src_len, NULL);
		if (LZ4F_isError(r)) {
			/* A failed frame leaves the context mid-frame; the stream ends here anyway. */
			return lz4_fail(ctx, r, errbuf);
		}
		ctx->hint = r;
		ctx->offset += src_len;
		instream_consume(ctx->raw, src_len);
		if (dst_len > 0)
			return (ssize_t)dst_len;
		/*
		 * Only headers or a skippable frame went by. The decoder always
		 * consumes something while it has input and room, so this loop
		 * advances through raw and ends at its end.
		 */
		if (src_len == 0) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "lz4: decoder made no progress");
			return -EIO;
		}
	}
}

static void lz4_close(void *vctx)
{
	struct lz4_ctx *ctx = vctx;

	LZ4F_freeDecompressionContext(ctx->dctx);
	instream_close(ctx->raw);
	free(ctx);
}

struct instream *instream_lz4_open(struct instream *raw, const char *name, char *errbuf)
{
	struct lz4_ctx *ctx;
	LZ4F_errorCode_t rc;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		goto fail;
	}
	rc = LZ4F_createDecompressionContext(&ctx->dctx, LZ4F_VERSION);
	if (LZ4F_isError(rc)) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "lz4: %s", LZ4F_getErrorName(rc));
		goto fail_free;
	}
	ctx->raw = raw;
	snprintf(ctx->name, sizeof(ctx->name), "%s", name);
	ctx->hint = LZ4_FRAME_START; /* nothing decoded yet: an empty input is a truncated frame */
	return instream_new_decoder(lz4_refill, lz4_close, ctx, errbuf);

fail_free:
	free(ctx);
fail:
	instream_close(raw);
	errno = ENOMEM;
	return NULL;
}
