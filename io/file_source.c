/* The capture-file source: picks the format by magic (LZ4 frames first) and hands out bursts from its reader. */
#include "io/file_source.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/file_format.h"
#include "io/instream.h"

#define LZ4_FRAME_MAGIC 0x184D2204u
/* Skippable frames: 0x184D2A50 to 0x184D2A5F. */
#define LZ4_SKIPPABLE_MASK 0xFFFFFFF0u
#define LZ4_SKIPPABLE_MAGIC 0x184D2A50u

/* Tried in libpcap's order, which decides the message for a file that is neither. */
static const struct file_format *const formats[] = {
	&file_format_pcap,
	&file_format_pcapng,
};

struct file_source {
	struct source src;
	const struct file_format *fmt;
	void *rd;
	struct instream *in;
	/* Only for link types whose packets libpcap rewrites (file_pseudo.c). */
	bool swapped;
	uint8_t *copy;
	size_t copy_cap;
};

static int file_rx_burst(struct source *src, struct td_pkt *pkts, unsigned max)
{
	struct file_source *fs = (struct file_source *)src;

	return fs->fmt->read_burst(fs->rd, pkts, max, src->errbuf);
}

/*
 * The same, for the few link types libpcap rewrites on reading: the
 * packets are copied (the input stays as it is) and fixed up.
 */
static int file_rx_burst_fixup(struct source *src, struct td_pkt *pkts, unsigned max)
{
	struct file_source *fs = (struct file_source *)src;
	int n = fs->fmt->read_burst(fs->rd, pkts, max, src->errbuf);
	size_t need = 0, off = 0;

	for (int i = 0; i < n; i++)
		need += pkts[i].caplen;
	/* Never a null copy area, even for a burst of empty packets. */
	if (need > fs->copy_cap || !fs->copy) {
		uint8_t *c = realloc(fs->copy, need ? need : 1);

		if (!c) {
			snprintf(src->errbuf, TD_ERRBUF_SIZE, "out of memory");
			return -ENOMEM;
		}
		fs->copy = c;
		fs->copy_cap = need;
	}
	for (int i = 0; i < n; i++) {
		uint8_t *p = fs->copy + off;

		memcpy(p, pkts[i].data, pkts[i].caplen);
		file_pseudo_fix(src->linktype, fs->swapped, p, pkts[i].caplen, &pkts[i].wirelen);
		pkts[i].data = p;
		off += pkts[i].caplen;
	}
	return n;
}

static void file_close(struct source *src)
{
	struct file_source *fs = (struct file_source *)src;

	fs->fmt->close(fs->rd);
	instream_close(fs->in);
	free(fs->copy);
	free(fs);
}

static const struct source_ops file_source_ops = {
	.rx_burst = file_rx_burst,
	.close = file_close,
};

static const struct source_ops file_source_fixup_ops = {
	.rx_burst = file_rx_burst_fixup,
	.close = file_close,
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * The first four bytes, which every format needs. libpcap reads them
 * before looking at any format, hence its message for a shorter input.
 */
static int peek_magic(struct instream *in, uint32_t *magic, char *errbuf)
{
	const uint8_t *p;
	ssize_t got = instream_peek(in, 4, &p);

	if (got < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", instream_error(in));
		return (int)got;
	}
	/* A stop while the first bytes were awaited (a FIFO, a pipe): not a short file. */
	if (got < 4 && instream_failed(in) == -ECANCELED) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", instream_error(in));
		return -ECANCELED;
	}
	if (got < 4) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "truncated dump file; tried to read 4 file header bytes, only got %zd",
			 got);
		return -EIO;
	}
	*magic = le32(p);
	return 0;
}

struct source *file_source_open(const char *path, enum ts_precision want, char *errbuf)
{
	return file_source_open_flags(path, want, 0, errbuf);
}

struct source *file_source_open_flags(const char *path, enum ts_precision want, unsigned flags, char *errbuf)
{
	return file_source_open_stoppable(path, want, flags, -1, errbuf);
}

struct source *file_source_open_stoppable(const char *path, enum ts_precision want, unsigned flags, int stop_fd,
					  char *errbuf)
{
	struct instream *in = instream_open(path, (flags & FILE_SOURCE_MMAP) ? INSTREAM_MAP : 0, errbuf);

	if (!in)
		return NULL;
	return file_source_open_stream(in, path, want, stop_fd, errbuf);
}

struct source *file_source_open_stream(struct instream *in, const char *path, enum ts_precision want, int stop_fd,
				       char *errbuf)
{
	struct file_source *fs;
	struct file_format_info info = { 0 };
	uint32_t magic = 0;
	int r, e;

	fs = calloc(1, sizeof(*fs));
	if (!fs) {
		instream_close(in);
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	source_init(&fs->src, &file_source_ops);
	fs->src.stop_fd = stop_fd;
	fs->in = in;
	/* The source's field: the engine swaps the opener's fd for its own stop eventfd before the worker reads. */
	instream_set_stop(fs->in, &fs->src.stop_fd);
	r = peek_magic(fs->in, &magic, errbuf);
	if (r < 0)
		goto fail_r;
	/* LZ4 frames are stored little-endian whatever they wrap. */
	if (magic == LZ4_FRAME_MAGIC || (magic & LZ4_SKIPPABLE_MASK) == LZ4_SKIPPABLE_MAGIC) {
		fs->in = instream_lz4_open(fs->in, path, errbuf);
		if (!fs->in)
			goto fail_errno;
		r = peek_magic(fs->in, &magic, errbuf);
		if (r < 0)
			goto fail_r;
	}
	for (unsigned i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		fs->rd = formats[i]->open(fs->in, want, &info, errbuf);
		if (fs->rd) {
			fs->fmt = formats[i];
			break;
		}
		if (errno != ENOMSG)
			goto fail_errno;
	}
	if (!fs->rd) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "unknown file format");
		r = -EINVAL;
		goto fail_r;
	}

	fs->swapped = info.swapped;
	fs->src.ops = file_pseudo_rewrites(info.linktype, info.swapped) ? &file_source_fixup_ops : &file_source_ops;
	snprintf(fs->src.name, sizeof(fs->src.name), "%s", path);
	fs->src.linktype = info.linktype;
	fs->src.linktype_ext = info.linktype_ext;
	fs->src.snaplen = info.snaplen;
	fs->src.tsprec = want;
	fs->src.live = false;
	/* Not after a fix-up: those packets are copies, with nothing of theirs before them. */
	fs->src.records_in_place = fs->fmt == &file_format_pcap && fs->src.ops == &file_source_ops;
	return &fs->src;

fail_errno:
	r = -errno;
fail_r:
	e = -r;
	instream_close(fs->in);
	free(fs);
	errno = e;
	return NULL;
}
