/* Opening an output file and the one write path every sink shares. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sink.h"

/* Read-write: after a write error the LZ4 sink rereads and patches its frame descriptor. */
struct sink *sink_open(const char *path, const struct sink_params *params, char *errbuf)
{
	bool is_stdout = !strcmp(path, "-");
	int fd = is_stdout ? STDOUT_FILENO : open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct sink *s;

	if (fd < 0) {
		int err = errno;
		snprintf(errbuf, SINK_ERRBUF_SIZE, "%s: %s", path, strerror(err));
		errno = err;
		return NULL;
	}
	if (params->kind == SINK_LZ4)
		s = sink_lz4_open(fd, !is_stdout, path, params->lz4_accel, errbuf);
	else
		s = sink_plain_open(fd, !is_stdout, path, errbuf);
	if (!s && !is_stdout) {
		int err = errno;
		close(fd);
		unlink(path);
		errno = err;
	}
	return s;
}

/*
 * Every write(2) carries whole records, so a short write (ENOSPC, EIO) is
 * undone with ftruncate to where the call started: the file stays a valid
 * capture holding everything accounted as written before it.
 */
int sink_write_fd(struct sink *s, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t start = s->bytes_on_disk;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(s->fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : ENOSPC;
			snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", s->path, strerror(err));
			if (s->own_fd && done && ftruncate(s->fd, (off_t)start) == 0)
				lseek(s->fd, (off_t)start, SEEK_SET);
			return -err;
		}
		done += (size_t)n;
	}
	s->bytes_on_disk += len;
	return 0;
}
