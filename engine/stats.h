/* Counters summed across threads, and every way they are reported: tcpdump's lines, the table, JSON lines. */
#ifndef TD_STATS_H
#define TD_STATS_H

#include <stdio.h>

#include "engine.h"

struct totals {
	uint64_t received, received_bytes, rejected, accepted, ring_dropped, queued, worker_beyond;
	uint64_t written, written_bytes, lost, writer_beyond, files, hook_failures;
	uint64_t backend_dropped, backend_if_dropped, backend_errors;
	/* --disk-budget / --min-free: deleted, kept (bytes of every series), and the oldest first packet kept (ns, 0 none). */
	uint64_t files_deleted, bytes_deleted, series_bytes, oldest_ns;
	uint64_t disk_full; /* writes that met a full disk and went on after deleting old files */
	/* LZ4 output: bytes into and out of the frame blocks, blocks (stored ones), time degraded for the backlog. */
	uint64_t lz4_in, lz4_out, lz4_blocks, lz4_stored, lz4_degraded_ns, lz4_degraded_times;
};

/* Is the output LZ4? Its counters are reported only then. */
bool stats_lz4_on(const struct engine *eng);

/* Is retention on (--disk-budget or --min-free)? Its counters are reported only then. */
bool stats_retention_on(const struct engine *eng);

void stats_sum(const struct engine *eng, struct totals *t);

/* The receive side (worker and backend counters) of one interface's queues; writer fields stay 0. */
void stats_sum_iface(const struct engine *eng, unsigned iface, struct totals *t);

/* tcpdump's closing lines ("N packets captured", ...). */
void stats_print_summary(const struct engine *eng, FILE *out);

/* The per-queue, per-stage table (-v), and per interface when there are several. */
void stats_print_table(const struct engine *eng, FILE *out);

/* One line per --stats-interval on stderr: rates since the previous call, drops by stage. */
void stats_print_interval(const struct engine *eng, FILE *out, struct totals *prev, double seconds);

/* --stats-file: one JSON object per interval... */
void stats_json_interval(const struct engine *eng, FILE *out, double uptime);
/* ...and one per closed output file, with the drops counted while it was open. */
void stats_json_file(struct engine *eng, const struct file_report *r, uint64_t drops);
/*
 * ...and, reading an archive (eng->archive_on), one at the start: files and
 * segments selected and read, and the packets its index recorded as lost
 * in them ("lost", by stage, between "lost_from" and "lost_to"), the
 * report stderr gets as "N packets were lost between T1 and T2".
 */
void stats_json_archive(struct engine *eng);

/*
 * --prometheus-file: every counter in Prometheus text format for
 * node_exporter's textfile collector, replaced atomically (a new,
 * exclusively created PATH.XXXXXX beside it, then rename). Returns 0 or
 * -errno.
 */
int stats_prometheus_write(const struct engine *eng, const char *path, double uptime);

/*
 * Open --stats-file PATH for appending, created 0644 if missing. It follows
 * no symbolic link at PATH (one planted there could aim our writes at any
 * file) and takes only a regular file, a FIFO or a character device
 * (/dev/null). NULL with errno set and one line in errbuf ("PATH: is a
 * symbolic link, not following it", "PATH: Is a directory", ...).
 */
FILE *stats_file_open(const char *path, char *errbuf, size_t errlen);

#endif
