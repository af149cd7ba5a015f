/* The plain pcap sink: a large buffer drained with whole-record write(2) calls. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writers/sink.h"

/* 1 MiB: a write per block at line rate, few syscalls, bounded loss window on a crash. */
#define PLAIN_BUF_BYTES (1u << 20)

struct sink_plain {
	struct sink base;
	size_t fill;
	uint8_t buf[PLAIN_BUF_BYTES];
};

static int plain_flush(struct sink *s)
{
	struct sink_plain *ps = (struct sink_plain *)s;
	int rc;

	if (!ps->fill)
		return 0;
	rc = sink_write_fd(s, ps->buf, ps->fill);
	if (rc == 0)
		s->bytes_durable += ps->fill;
	ps->fill = 0;
	return rc;
}

static int plain_write(struct sink *s, const void *buf, size_t len)
{
	struct sink_plain *ps = (struct sink_plain *)s;
	int rc;

	sink_index_start(s, buf, len);
	rc = 0;
	if (ps->fill && (ps->fill + len > sizeof(ps->buf) || len >= sizeof(ps->buf) / 4))
		rc = plain_flush(s);
	if (rc == 0 && len >= sizeof(ps->buf) / 4) {
		/* A large run of records (a whole block) goes straight out, without a copy. */
		rc = sink_write_fd(s, buf, len);
		if (rc == 0)
			s->bytes_durable += len;
	} else if (rc == 0) {
		memcpy(ps->buf + ps->fill, buf, len);
		ps->fill += len;
	}
	/*
	 * Plain: a record's place in the file is its place in the stream. The
	 * index walks the records after the copy above, which leaves them in
	 * this core's cache: before it, the walk took a miss per record header
	 * (the worker wrote them on another core), 8% of a replay's samples.
	 */
	sink_index_add(s, s->bytes_in, s->bytes_in, buf, len);
	s->bytes_in += len;
	return rc;
}

static int plain_close(struct sink *s, uint64_t *disk_bytes)
{
	int rc = plain_flush(s);

	if (rc == 0 && s->own_fd)
		sink_index_write(s);
	sink_index_free(s);
	*disk_bytes = s->bytes_on_disk;
	rc = sink_close_fd(s, rc);
	free(s);
	return rc;
}

static const struct sink_ops plain_ops = {
	.write = plain_write,
	.flush = plain_flush,
	.close = plain_close,
};

struct sink *sink_plain_open(int fd, bool own_fd, const char *path, char *errbuf)
{
	struct sink_plain *ps = malloc(sizeof(*ps));

	if (!ps) {
		strcpy(errbuf, "out of memory for an output buffer");
		errno = ENOMEM;
		return NULL;
	}
	memset(&ps->base, 0, sizeof(ps->base));
	ps->base.ops = &plain_ops;
	ps->base.fd = fd;
	ps->base.own_fd = own_fd;
	ps->fill = 0;
	strncpy(ps->base.path, path, sizeof(ps->base.path) - 1);
	return &ps->base;
}
