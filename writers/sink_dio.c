/* --direct-io: a sink's bytes reach the file through O_DIRECT, bypassing the page cache, whole pages at a time. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writers/sink.h"

/* O_DIRECT wants buffers, offsets and lengths in whole logical blocks: 4 KiB covers every disk. */
#define DIO_ALIGN 4096u
/* Large writes: a block's worth staged before it goes, as the buffered path writes it. */
#define DIO_CHUNK (1u << 20)

/*
 * The staging buffer holds the file's bytes from `base` (page aligned) on:
 * whole pages go out direct, the last partial page stays here and is also
 * written through the page cache, so the file always has its true size and
 * contents, and a byte counted as handed to the kernel is in it. The next
 * direct write covers that page again (the kernel writes back and drops
 * the cached copy first), and the close's fdatasync the last one.
 */
struct sink_dio {
	int fd;	    /* the file again, opened O_DIRECT */
	bool stale; /* the file was cut back after a failure: reload the partial page first */
	uint64_t base;
	size_t fill;
	uint8_t *buf; /* DIO_CHUNK + DIO_ALIGN bytes, page aligned */
};

int sink_dio_open(struct sink *s, char *errbuf)
{
	struct sink_dio *d = calloc(1, sizeof(*d));
	int err;

	if (!d || posix_memalign((void **)&d->buf, DIO_ALIGN, DIO_CHUNK + DIO_ALIGN) != 0) {
		free(d);
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: out of memory for --direct-io", s->path);
		return -ENOMEM;
	}
	d->fd = open(s->path, O_WRONLY | O_DIRECT | O_CLOEXEC);
	if (d->fd < 0) {
		err = errno;
		if (err == EINVAL)
			snprintf(errbuf, TD_ERRBUF_SIZE, "%s: --direct-io: the filesystem does not take O_DIRECT",
				 s->path);
		else
			snprintf(errbuf, TD_ERRBUF_SIZE, "%s: --direct-io: %s", s->path, strerror(err));
		free(d->buf);
		free(d);
		return -err;
	}
	s->dio = d;
	return 0;
}

void sink_dio_close(struct sink *s)
{
	if (!s->dio)
		return;
	close(s->dio->fd);
	free(s->dio->buf);
	free(s->dio);
	s->dio = NULL;
}

/* After a failed write cut the file back: the partial page at its end, read back into the staging buffer. */
static int dio_resync(struct sink *s)
{
	struct sink_dio *d = s->dio;
	uint64_t end = s->bytes_on_disk;

	d->base = end & ~(uint64_t)(DIO_ALIGN - 1);
	d->fill = (size_t)(end - d->base);
	if (d->fill && pread(s->fd, d->buf, d->fill, (off_t)d->base) != (ssize_t)d->fill)
		return td_errno_or(EIO);
	d->stale = false;
	return 0;
}

/*
 * All of buf[0..len) at fd's offset off; 0 or -errno (a short write is
 * -ENOSPC). A full disk that the sink's room() relieves is no failure, as
 * on the buffered path: the rest follows what was written.
 */
static int put(struct sink *s, int fd, const uint8_t *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, buf + done, len - done, (off_t)(off + done));
		int err;

		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		err = n < 0 ? errno : ENOSPC;
		if (sink_disk_full(err) && s->room && s->room(s->room_arg, len - done) == 0)
			continue;
		return -err;
	}
	return 0;
}

int sink_dio_write(struct sink *s, const void *buf, size_t len)
{
	struct sink_dio *d = s->dio;
	const uint8_t *p = buf;
	uint64_t start = s->bytes_on_disk;
	size_t left = len;
	int rc = 0;

	if ((d->stale || d->base + d->fill != start) && (rc = dio_resync(s)))
		goto fail;
	while (left) {
		size_t take = DIO_CHUNK + DIO_ALIGN - d->fill, whole;

		if (take > left)
			take = left;
		memcpy(d->buf + d->fill, p, take);
		d->fill += take;
		p += take;
		left -= take;
		whole = d->fill & ~(size_t)(DIO_ALIGN - 1);
		/* A full buffer, or the end of this write: its whole pages go out direct. */
		if (!whole || (left && d->fill < DIO_CHUNK))
			continue;
		if ((rc = put(s, d->fd, d->buf, whole, d->base)))
			goto fail;
		memmove(d->buf, d->buf + whole, d->fill - whole);
		d->base += whole;
		d->fill -= whole;
	}
	/* The partial page through the page cache: in the kernel now, as a buffered write would be. */
	if (d->fill && (rc = put(s, s->fd, d->buf, d->fill, d->base)))
		goto fail;
	s->bytes_on_disk += len;
	return 0;
fail:
	snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", s->path, strerror(-rc));
	s->write_failed = true;
	/* As the buffered path: the file back to where this write started, then to be reread. */
	if (s->own_fd && ftruncate(s->fd, (off_t)start) == 0)
		lseek(s->fd, (off_t)start, SEEK_SET);
	d->stale = true;
	return rc;
}
