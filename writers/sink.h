/* Output byte sinks: a plain file or an LZ4 frame, behind one small ops table. */
#ifndef TD_SINK_H
#define TD_SINK_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/counters.h"
#include "common/errbuf.h"
#include "writers/lz4_frame.h"

enum sink_kind {
	SINK_PLAIN = 0,
	SINK_LZ4,
};

struct sink;
struct sink_packed;

struct sink_ops {
	/* Append len bytes holding whole pcap records (or the file header). 0 or -errno. */
	int (*write)(struct sink *s, const void *buf, size_t len);
	/*
	 * Optional: the same records already compressed into the sink's own
	 * format (LZ4 frame blocks, by an rx worker with time to spare).
	 */
	int (*write_packed)(struct sink *s, const void *raw, size_t len, const struct sink_packed *z);
	/* Hand everything buffered to the kernel (for -U and the live flush). 0 or -errno. */
	int (*flush)(struct sink *s);
	/* Flush, finish the format (LZ4 end mark), close; *disk_bytes gets the final size. 0 or -errno; s is freed either way. */
	int (*close)(struct sink *s, uint64_t *disk_bytes);
};

struct sink {
	const struct sink_ops *ops;
	int fd;
	bool own_fd;		/* false for standard output */
	bool regular;		/* a regular file (not /dev/null, a FIFO, a terminal): it may be removed and indexed */
	uint64_t bytes_in;	/* bytes given to write() */
	uint64_t bytes_durable; /* of those, bytes the kernel has accepted (whole records) */
	uint64_t bytes_on_disk; /* bytes in the file (compressed for LZ4) */
	char path[4096];
	char errbuf[TD_ERRBUF_SIZE];
	bool want_index;	  /* sink_params.index, for a named file */
	bool write_failed;	  /* a write failed: the file holds less than was given, so it gets no index */
	struct index_builder *ib; /* the archive index, from the pcap header on (archive_index.h) */
	int (*room)(void *arg, uint64_t need); /* sink_params.room */
	void *room_arg;
	/*
	 * Write-behind (sink_params.write_behind, regular files only): every
	 * window the kernel starts writing what came since, and the window
	 * before is waited for and dropped from the page cache, so a capture
	 * holds a few MiB of cache a file, not everything it wrote.
	 */
	bool write_behind;
	struct sink_dio *dio; /* --direct-io (sink_dio.c), or NULL */
	uint64_t *io_ns;      /* sink_params.io_ns */
	uint64_t wb_started;  /* writeback started below this offset */
	uint64_t wb_dropped;  /* written and dropped from the cache below this one */
};

/* A full disk (ENOSPC, EDQUOT): the errors sink_params.room is asked about. */
static inline bool sink_disk_full(int err)
{
	return err == ENOSPC || err == EDQUOT;
}

struct sink_params {
	enum sink_kind kind;
	int lz4_accel; /* 1 = LZ4's fastest default, higher trades ratio for speed; LZ4_FRAME_STORE: no compression */
	struct lz4_counters *lz4_ctr; /* LZ4: the run's counters, added to by the thread writing (NULL: none) */
	bool index;	   /* keep an archive index of a pcap file (archive_index.h); never for standard output */
	bool write_behind; /* --write-behind: keep the file out of the page cache as it is written */
	bool direct_io;	   /* --direct-io: write named files with O_DIRECT (sink_dio.c) */
	uint64_t *io_ns;   /* time spent in writes and syncs is added here (the writer's, lz4_pace.h), or NULL */
	/*
	 * Optional, for a named file: a write that finds the disk full asks it
	 * for `need` more bytes (retention deletes the series' oldest files).
	 * 0: space was freed, the write goes on where it stopped; -ENOSPC:
	 * nothing more to free, the write fails as it would have.
	 */
	int (*room)(void *arg, uint64_t need);
	void *room_arg;
	/* A symbolic link at the name is refused rather than written through (retention's series: only its own files). */
	bool no_follow;
};

/*
 * Create path ("-" is standard output) and return the sink, or NULL with
 * errno set and the message in errbuf.
 */
struct sink *sink_open(const char *path, const struct sink_params *params, char *errbuf);

static inline int sink_write(struct sink *s, const void *buf, size_t len)
{
	return s->ops->write(s, buf, len);
}

/* Records already in the sink's format (LZ4 frame blocks of exactly the records at hand). */
struct sink_packed {
	const void *data;
	size_t len;
	int accel; /* what they were compressed at (LZ4_FRAME_STORE: stored) */
};

/* raw[0..len) as write() would take it, with its packed form when the sink can use that (NULL: it cannot). */
static inline int sink_write_packed(struct sink *s, const void *raw, size_t len, const struct sink_packed *z)
{
	if (z && s->ops->write_packed)
		return s->ops->write_packed(s, raw, len, z);
	return s->ops->write(s, raw, len);
}

static inline int sink_flush(struct sink *s)
{
	return s->ops->flush(s);
}

static inline int sink_close(struct sink *s, uint64_t *disk_bytes)
{
	return s->ops->close(s, disk_bytes);
}

/*
 * Shared by the backends: write all of buf to fd. A full disk first asks
 * sink_params.room for space and, given some, goes on from where the write
 * stopped; a failure cuts the file back to where the call started.
 */
int sink_write_fd(struct sink *s, const void *buf, size_t len);

/*
 * --direct-io (sink_dio.c): open s->path again with O_DIRECT (0, or -errno
 * with one line in errbuf: a filesystem without O_DIRECT says so); then
 * sink_write_fd writes through it; sink_close_fd releases it.
 */
int sink_dio_open(struct sink *s, char *errbuf);
int sink_dio_write(struct sink *s, const void *buf, size_t len);
void sink_dio_close(struct sink *s);

/*
 * The sinks' last step: a named file's data on the disk (fdatasync), then
 * closed, so that neither the file's report nor its -z hook ever sees a
 * file a power cut could still take back. rc is the close so far; returns
 * it, or the sync's or close's -errno when rc was 0.
 */
int sink_close_fd(struct sink *s, int rc);

/*
 * The archive index, for the sinks: the first write (the pcap file header)
 * starts it, sink_index_add gives it records a reader finds by starting at
 * file_off (plain: the record itself; LZ4: the block it starts).
 */
void sink_index_start(struct sink *s, const void *header, size_t len);
void sink_index_add(struct sink *s, uint64_t file_off, uint64_t raw_off, const void *recs, size_t len);
/* At a clean close: the index beside the file (NAME.tdidx); a failure costs the index, not the file. */
void sink_index_write(struct sink *s);
void sink_index_free(struct sink *s);

/* Packets lost before the next records (index_builder_drops); a no-op without an index. */
void sink_note_drops(struct sink *s, uint64_t ring, uint64_t backend);

struct sink *sink_plain_open(int fd, bool own_fd, const char *path, char *errbuf);
struct sink *sink_lz4_open(int fd, bool own_fd, const char *path, int accel, struct lz4_counters *ctr, char *errbuf);

/* LZ4: the acceleration for the blocks this sink compresses from now on (lz4_pace.h); LZ4_FRAME_STORE stores them. */
void sink_lz4_set_accel(struct sink *s, int accel);

/* LZ4: what this file's blocks hold so far, and the highest acceleration any was made at. */
void sink_lz4_tally(const struct sink *s, struct lz4_tally *t, int *accel_max);

#endif
