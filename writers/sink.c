/* Opening an output file and the one write path every sink shares. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "writers/archive_index.h"
#include "writers/sink.h"

/* Read-write: after a write error the LZ4 sink rereads and patches its frame descriptor. */
struct sink *sink_open(const char *path, const struct sink_params *params, char *errbuf)
{
	bool is_stdout = !strcmp(path, "-");
	int flags = O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | (params->no_follow ? O_NOFOLLOW : 0);
	int fd = is_stdout ? STDOUT_FILENO : open(path, flags, 0644);
	struct sink *s;
	struct stat st;
	bool regular;

	if (fd < 0) {
		int err = errno;

		if (err == ELOOP && params->no_follow)
			snprintf(errbuf, TD_ERRBUF_SIZE,
				 "%s: is a symbolic link, not writing through it (the series' names are its own files)",
				 path);
		else
			snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", path, strerror(err));
		errno = err;
		return NULL;
	}
	/*
	 * Only a regular file has an index: /dev/null, a FIFO or a terminal
	 * would get a NAME.tdidx beside it (in /dev, say) describing nothing.
	 */
	regular = !is_stdout && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	/* A sidecar left by an earlier file of this name describes bytes that are gone now. */
	if (regular) {
		char side[4096 + 16];

		snprintf(side, sizeof(side), "%s%s", path, INDEX_SIDECAR_SUFFIX);
		unlink(side);
	}
	if (params->kind == SINK_LZ4)
		s = sink_lz4_open(fd, !is_stdout, path, params->lz4_accel, params->lz4_ctr, errbuf);
	else
		s = sink_plain_open(fd, !is_stdout, path, errbuf);
	if (s && !is_stdout) {
		s->regular = regular;
		s->want_index = params->index && regular;
		s->room = params->room;
		s->room_arg = params->room_arg;
	}
	if (s) {
		s->io_ns = params->io_ns;
		/* Direct I/O leaves nothing in the page cache to write behind. */
		s->write_behind = params->write_behind && regular && !params->direct_io;
		if (params->direct_io && regular && sink_dio_open(s, errbuf) < 0) {
			uint64_t ignored;

			s->own_fd = false; /* closed below, with the file removed */
			sink_close(s, &ignored);
			s = NULL;
			errno = EINVAL;
		}
	}
	if (!s && !is_stdout) {
		int err = errno;
		close(fd);
		if (regular) /* what open() created; never /dev/null or a FIFO */
			unlink(path);
		errno = err;
	}
	return s;
}

/* 8 MiB: large enough for the disk to take in one go, small beside any box's memory. */
#define WRITE_BEHIND_WINDOW (8ull << 20)

/*
 * Start writeback of the window just written and wait for the one before,
 * then drop it from the cache: the writer is held back only by a disk
 * slower than the capture, which the page cache would only have hidden
 * until it filled. Errors are left to the fdatasync at close.
 */
static void write_behind(struct sink *s)
{
	uint64_t end = s->bytes_on_disk;

	/* A file cut back after a failed write: start again from its end. */
	if (end < s->wb_started)
		s->wb_started = s->wb_dropped = end;
	if (end - s->wb_started < WRITE_BEHIND_WINDOW)
		return;
	sync_file_range(s->fd, (off_t)s->wb_started, (off_t)(end - s->wb_started), SYNC_FILE_RANGE_WRITE);
	if (s->wb_started > s->wb_dropped) {
		off_t off = (off_t)s->wb_dropped, len = (off_t)(s->wb_started - s->wb_dropped);

		sync_file_range(s->fd, off, len,
				SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
		posix_fadvise(s->fd, off, len, POSIX_FADV_DONTNEED);
		s->wb_dropped = s->wb_started;
	}
	s->wb_started = end;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Every write(2) carries whole records, so a short write (ENOSPC, EIO) is
 * undone with ftruncate to where the call started: the file stays a valid
 * capture holding everything accounted as written before it. A full disk
 * that room() can relieve is no failure: the bytes already written stay
 * and the rest follows them, so the file is as if the disk never filled.
 */
static int write_all(struct sink *s, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t start = s->bytes_on_disk;
	size_t done = 0;

	if (s->dio)
		return sink_dio_write(s, buf, len);

	while (done < len) {
		ssize_t n = write(s->fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : ENOSPC;

			if (sink_disk_full(err) && s->room && s->room(s->room_arg, len - done) == 0)
				continue;
			snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", s->path, strerror(err));
			s->write_failed = true;
			if (s->own_fd && done && ftruncate(s->fd, (off_t)start) == 0)
				lseek(s->fd, (off_t)start, SEEK_SET);
			return -err;
		}
		done += (size_t)n;
	}
	s->bytes_on_disk += len;
	if (s->write_behind)
		write_behind(s);
	return 0;
}

/* Two clock reads a write of up to a block: nothing beside the syscall. */
int sink_write_fd(struct sink *s, const void *buf, size_t len)
{
	uint64_t t0;
	int rc;

	if (!s->io_ns)
		return write_all(s, buf, len);
	t0 = now_ns();
	rc = write_all(s, buf, len);
	*s->io_ns += now_ns() - t0;
	return rc;
}

int sink_close_fd(struct sink *s, int rc)
{
	uint64_t t0 = now_ns();

	if (!s->own_fd)
		return rc;
	/* A device or a pipe (/dev/null, a FIFO) has nothing to sync: EINVAL there is no error. */
	if (fdatasync(s->fd) < 0 && rc == 0 && errno != EINVAL && errno != EROFS) {
		rc = -errno;
		snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", s->path, strerror(-rc));
	}
	/* On the disk now: what write-behind had left in the cache goes too. */
	if (s->write_behind)
		posix_fadvise(s->fd, 0, 0, POSIX_FADV_DONTNEED);
	sink_dio_close(s);
	if (close(s->fd) < 0 && rc == 0)
		rc = -errno;
	if (s->io_ns)
		*s->io_ns += now_ns() - t0;
	return rc;
}

#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAP_MAGIC_NSEC 0xa1b23c4du

void sink_index_start(struct sink *s, const void *header, size_t len)
{
	uint32_t magic, linktype;

	/* Only a pcap header in the writer's byte order starts one (pcapng output has no index). */
	if (!s->want_index || s->ib || s->bytes_in != 0 || len != 24)
		return;
	memcpy(&magic, header, 4);
	memcpy(&linktype, (const uint8_t *)header + 20, 4);
	if (magic != PCAP_MAGIC_USEC && magic != PCAP_MAGIC_NSEC)
		return;
	s->ib = index_builder_new(linktype & 0x03ffffffu, magic == PCAP_MAGIC_NSEC, len);
}

void sink_index_add(struct sink *s, uint64_t file_off, uint64_t raw_off, const void *recs, size_t len)
{
	if (s->ib)
		index_builder_add(s->ib, (struct index_place){ file_off, 0 }, raw_off, recs, len, false);
}

void sink_note_drops(struct sink *s, uint64_t ring, uint64_t backend)
{
	if (s->ib)
		index_builder_drops(s->ib, ring, backend);
}

/* An index is small beside its capture: room for this much covers it. */
#define INDEX_ROOM (256u * 1024)

void sink_index_write(struct sink *s)
{
	char err[TD_ERRBUF_SIZE];
	int rc;

	if (!s->ib || s->write_failed)
		return;
	/* A full disk that room() relieves costs no index either (each try frees at least one file). */
	while ((rc = archive_index_write(s->path, s->ib, s->bytes_on_disk, err)) < 0 && sink_disk_full(-rc) &&
	       s->room && s->room(s->room_arg, INDEX_ROOM) == 0)
		;
	if (rc < 0)
		fprintf(stderr, "tapdump: %s\n", err);
}

void sink_index_free(struct sink *s)
{
	index_builder_free(s->ib);
	s->ib = NULL;
}
