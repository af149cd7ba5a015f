/* Counters summed across threads, and every way they are reported: tcpdump's lines, the table, JSON lines. */
#ifndef TD_STATS_H
#define TD_STATS_H

#include <stdio.h>

#include "engine/engine.h"

/* Each counter of counters.def summed over the threads that count it (its .sum says how). */
struct totals {
#define COUNTER_TOTAL(field, total, ...) uint64_t total;
#define WORKER COUNTER_TOTAL
#define BACKEND COUNTER_TOTAL
#define WRITER COUNTER_TOTAL
#define RETENTION COUNTER_TOTAL
#define LZ4 COUNTER_TOTAL
#define MAIN COUNTER_TOTAL
#include "engine/counters.def"
#undef COUNTER_TOTAL
};

/* Is the output LZ4? Its counters are reported only then. */
bool stats_lz4_on(const struct engine *eng);

/* Is retention on (--disk-budget or --min-free)? Its counters are reported only then. */
bool stats_retention_on(const struct engine *eng);

/* Every thread's counters (counters.def), summed. */
void stats_sum(const struct engine *eng, struct totals *t);

/* The receive side (WORKER and BACKEND counters) of one interface's queues; the others stay 0. */
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
 * (/dev/null). 0 with the stream in *out, or -errno and one line in errbuf
 * ("PATH: is a symbolic link, not following it", "PATH: Is a directory", ...).
 */
int stats_file_open(const char *path, FILE **out, char *errbuf);

#endif
