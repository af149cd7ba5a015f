/* Byte window over an input: a buffer refilled by read() or a decoder, or the whole mapping of a regular file. */
#include "io/instream.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Half a megabyte stays in L2 while the parsers and the next stage read it,
 * and is one read() per ~650 full-size frames. Measured on the 2-core VM
 * with a page-cached 1.2 GB, 1.5M-record pcap: 256-512 KiB gave 6-9.4 Mpps,
 * 1 MiB 5-6, 4-8 MiB 3-5 (the copy no longer stays in cache).
 */
#define INSTREAM_BUFSIZE (512u << 10)

struct instream {
	/* Hot fields first: the window is base[cur, end). */
	const uint8_t *base;
	size_t cur;
	size_t end;
	size_t pin;  /* base[pin, cur) was handed out since the last release */
	bool at_end; /* nothing more will arrive: mapped whole, or refill said so */
	int err;     /* sticky -errno once refill failed */

	/* Buffered inputs (everything not mapped): base == buf. */
	uint8_t *buf;
	size_t cap;
	instream_refill_fn refill;
	void (*close_ctx)(void *ctx);
	void *ctx;

	/* Where the bytes come from. */
	int fd;	     /* -1 for decoders */
	bool own_fd; /* false for standard input */
	/*
	 * Pipes, FIFOs, sockets and devices can block for ever: every read
	 * waits in poll() beside *stop_fd (when set and >= 0), whose becoming
	 * readable ends the wait with -ECANCELED. A FIFO is opened without
	 * blocking for the same reason (open() waits for a writer otherwise).
	 */
	bool pollable;
	const int *stop_fd;
	void *map;
	size_t map_len;

	char errbuf[TD_ERRBUF_SIZE];
};

/* An empty regular file has nothing to map; its window points here. */
static const uint8_t empty_window[1];

/*
 * Wait until fd has bytes (or its end) or the stop fd turns readable.
 * Returns 0, or -ECANCELED with the message in errbuf.
 */
static int wait_readable(struct instream *in, char *errbuf)
{
	struct pollfd pf[2] = { { .fd = in->fd, .events = POLLIN } };
	nfds_t n = 1;

	if (in->stop_fd && *in->stop_fd >= 0) {
		pf[1] = (struct pollfd){ .fd = *in->stop_fd, .events = POLLIN };
		n = 2;
	}
	for (;;) {
		if (poll(pf, n, -1) < 0 && errno != EINTR) {
			/* poll itself failing leaves read() to decide. */
			return 0;
		}
		if (n == 2 && pf[1].revents) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "interrupted while waiting for input");
			return -ECANCELED;
		}
		if (pf[0].revents)
			return 0;
	}
}

static ssize_t fd_refill(void *ctx, uint8_t *dst, size_t room, char *errbuf)
{
	struct instream *in = ctx;
	ssize_t r;

	for (;;) {
		int w = in->pollable ? wait_readable(in, errbuf) : 0;

		if (w < 0)
			return w;
		r = read(in->fd, dst, room);
		if (r >= 0 || (errno != EINTR && errno != EAGAIN))
			break;
		/* EAGAIN: a non-blocking input (a FIFO we opened so, or an inherited stdin) had nothing yet. */
		if (errno == EAGAIN)
			in->pollable = true;
	}
	if (r < 0) {
		int e = errno;

		/* libpcap's wording for a failed fread(), which tcpdump prints. */
		snprintf(errbuf, TD_ERRBUF_SIZE, "error reading dump file: %s", strerror(e));
		return -e;
	}
	return r;
}

static int alloc_buffer(struct instream *in, char *errbuf)
{
	in->cap = INSTREAM_BUFSIZE;
	in->buf = malloc(in->cap);
	if (!in->buf) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		errno = ENOMEM;
		return -ENOMEM;
	}
	in->base = in->buf;
	return 0;
}

/*
 * Map a regular file whole. Returns 0 when mapped, 1 when the file is not
 * something mmap takes (the caller reads it instead), -errno on failure.
 */
static int try_map(struct instream *in, const struct stat *st)
{
	off_t start;
	void *m;

	if (!S_ISREG(st->st_mode))
		return 1;
	/* Standard input may be a file someone already read part of. */
	start = lseek(in->fd, 0, SEEK_CUR);
	if (start < 0)
		start = 0;
	if (st->st_size == 0) {
		in->base = empty_window;
		in->at_end = true;
		return 0;
	}
	m = mmap(NULL, (size_t)st->st_size, PROT_READ, MAP_PRIVATE, in->fd, 0);
	if (m == MAP_FAILED)
		return 1;
	/* Records are read once, front to back: ask for aggressive readahead. */
	(void)madvise(m, (size_t)st->st_size, MADV_SEQUENTIAL);
	in->map = m;
	in->map_len = (size_t)st->st_size;
	in->base = m;
	in->end = in->map_len;
	in->cur = in->pin = (size_t)start < in->map_len ? (size_t)start : in->map_len;
	in->at_end = true;
	return 0;
}

struct instream *instream_open(const char *path, unsigned flags, char *errbuf)
{
	struct instream *in;
	struct stat st;
	int e, r;

	in = calloc(1, sizeof(*in));
	if (!in) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		in->fd = STDIN_FILENO;
	} else {
		/* Non-blocking: a FIFO with no writer would hold open() for ever, deaf to the stop. */
		in->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (in->fd < 0)
			goto fail_path;
		in->own_fd = true;
	}
	if (fstat(in->fd, &st) < 0)
		goto fail_path;
	in->pollable = !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);

	r = (flags & INSTREAM_MAP) ? try_map(in, &st) : 1;
	if (r == 0)
		return in;
	if (alloc_buffer(in, errbuf) < 0)
		goto fail_close;
	in->refill = fd_refill;
	in->ctx = in;
	(void)posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return in;

fail_path:
	e = errno;
	/* libpcap: pcap_fmt_errmsg_for_errno(errbuf, ..., errno, "%s", fname). */
	snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", path, strerror(e));
	errno = e;
fail_close:
	e = errno;
	if (in->own_fd)
		close(in->fd);
	free(in);
	errno = e;
	return NULL;
}

struct instream *instream_new_decoder(instream_refill_fn refill, void (*close_ctx)(void *ctx), void *ctx, char *errbuf)
{
	struct instream *in;

	in = calloc(1, sizeof(*in));
	if (!in) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		goto fail;
	}
	in->fd = -1;
	if (alloc_buffer(in, errbuf) < 0)
		goto fail_free;
	in->refill = refill;
	in->close_ctx = close_ctx;
	in->ctx = ctx;
	return in;

fail_free:
	free(in);
fail:
	close_ctx(ctx);
	errno = ENOMEM;
	return NULL;
}

/*
 * Make room for want bytes from the cursor on. Moving the unread tail to the
 * front (or growing the buffer) would leave the current burst's pointers
 * dangling, so it is refused while any are out.
 */
static int make_room(struct instream *in, size_t want)
{
	size_t have = in->end - in->cur;

	if (in->cap - in->cur >= want)
		return 0;
	if (in->pin != in->cur)
		return -EAGAIN;
	if (want > in->cap) {
		size_t ncap = in->cap;
		uint8_t *nbuf;

		while (ncap < want)
			ncap *= 2;
		nbuf = malloc(ncap);
		if (!nbuf) {
			snprintf(in->errbuf, sizeof(in->errbuf), "out of memory");
			return -ENOMEM;
		}
		memcpy(nbuf, in->buf + in->cur, have);
		free(in->buf);
		in->buf = nbuf;
		in->cap = ncap;
	} else {
		memmove(in->buf, in->buf + in->cur, have);
	}
	in->base = in->buf;
	in->cur = in->pin = 0;
	in->end = have;
	return 0;
}

ssize_t instream_peek(struct instream *in, size_t want, const uint8_t **p)
{
	int r;

	if (in->end - in->cur >= want || in->at_end)
		goto out;
	if (in->err)
		return in->err;
	r = make_room(in, want);
	if (r < 0)
		return r;
	/* Slide early so that the read below is a big one, not a sliver at the end. */
	if (in->pin == in->cur && in->cur > in->cap / 2) {
		r = make_room(in, in->cap);
		if (r < 0)
			return r;
	}
	while (in->end - in->cur < want) {
		ssize_t got = in->refill(in->ctx, in->buf + in->end, in->cap - in->end, in->errbuf);

		if (got < 0) {
			in->err = (int)got;
			/*
			 * Bytes already decoded stay usable (whole records before an
			 * LZ4 frame's cut): hand out the short window now, the error
			 * on the next call that needs more.
			 */
			if (in->end > in->cur)
				break;
			return in->err;
		}
		if (got == 0) {
			in->at_end = true;
			break;
		}
		in->end += (size_t)got;
	}
out:
	*p = in->base + in->cur;
	return (ssize_t)(in->end - in->cur);
}

void instream_set_stop(struct instream *in, const int *stop_fd)
{
	in->stop_fd = stop_fd;
}

size_t instream_window(const struct instream *in, const uint8_t **p)
{
	*p = in->base + in->cur;
	return in->end - in->cur;
}

void instream_consume(struct instream *in, size_t n)
{
	in->cur += n;
}

void instream_release(struct instream *in)
{
	in->pin = in->cur;
}

int instream_failed(const struct instream *in)
{
	return in->err;
}

const char *instream_error(const struct instream *in)
{
	return in->errbuf;
}

void instream_close(struct instream *in)
{
	if (!in)
		return;
	if (in->close_ctx)
		in->close_ctx(in->ctx);
	if (in->map)
		munmap(in->map, in->map_len);
	free(in->buf);
	if (in->own_fd)
		close(in->fd);
	free(in);
}
