/*
 * -r over an archive: directories expanded to their capture files, files
 * whose time ranges follow each other read one after another as one
 * source (a chain), and within each file only the segments the index says
 * can hold packets in [since, until) that the filter may match. Packets
 * outside [since, until) never leave the source.
 */
#ifndef TD_ARCHIVE_SOURCE_H
#define TD_ARCHIVE_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "writers/archive_index.h"
#include "io/source.h"

struct instream;

/* Where a segment's records lie (archive_index.h's entry, as much as a reader needs). */
struct archive_segment {
	uint64_t file_off;
	uint32_t skip;
	uint64_t raw_len;
};

/* The pcap header, then the records of seg[0..nseg) in order; seg must outlive the stream. */
struct instream *archive_segments_open(const char *path, bool lz4, const struct archive_segment *seg, unsigned nseg,
				       char *errbuf);

struct archive_params {
	const char *const *paths; /* -r arguments: files or directories */
	unsigned npaths;
	bool has_since, has_until;
	int64_t since_ns, until_ns; /* [since, until) */
	const char *expression;	    /* the filter, for the segment summaries (NULL: none) */
	bool use_index;		    /* false: --no-index, every file read whole */
	bool verbose;		    /* -v: say what the index saved */
	enum ts_precision want;
	int stop_fd;
};

/* What the selected part of the archive says about itself. */
struct archive_report {
	unsigned files, files_skipped, files_unindexed;
	uint64_t segments, segments_read;
	uint64_t ring_drops, backend_drops; /* recorded in segments that overlap [since, until) */
	int64_t drops_from_ns, drops_to_ns;
};

/*
 * Open the archive as up to max sources (chains, merged by the engine in
 * time order). 0 with *n sources (0 when nothing lies in the window), or
 * -errno with the message in errbuf (TD_ERRBUF_SIZE bytes).
 */
int archive_open(const struct archive_params *ap, struct source **srcs, unsigned max, unsigned *n,
		 struct archive_report *rep, char *errbuf);

/* Does this -r argument need archive_open (a directory)? */
bool archive_is_dir(const char *path);

/*
 * The index of path: the sidecar, checked against the file. 0, -ENOENT
 * when there is none, or -EBADMSG with the reason in errbuf (TD_ERRBUF_SIZE bytes).
 */
int archive_index_load(const char *path, struct archive_index *idx, char *errbuf);

/* --index: write the sidecar index of each file. 0, or 1 after printing a line per failure. */
int archive_index_files(const char *const *paths, unsigned n);

#endif
