/* An output file series: the current file, its rotation by size (-C) and time (-G), -W, and -z. */
#ifndef TD_SERIES_H
#define TD_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "writers/hook.h"
#include "writers/pcapng_out.h"
#include "writers/retention.h"
#include "writers/sink.h"

#define PCAP_FILE_HEADER_BYTES 24

/* What one closed file holds, for --stats-file. */
struct file_report {
	const char *name;
	uint64_t packets;
	uint64_t pcap_bytes;
	uint64_t disk_bytes;
	uint32_t first_sec, first_frac;
	uint32_t last_sec, last_frac;
	uint64_t ring_drops, backend_drops; /* packets lost while this file was open */
	int error;			    /* 0, or the -errno that ended the file */
	bool lz4;			    /* an LZ4 file: what its blocks hold, and the fastest acceleration used */
	struct lz4_tally lz4_blocks;
	int lz4_accel_max;
};

struct series_params {
	const char *pattern;	 /* -w */
	uint64_t rotate_bytes;	 /* -C, 0 = off */
	unsigned rotate_seconds; /* -G, 0 = off */
	unsigned max_files;	 /* -W, 0 = unlimited */
	bool align;		 /* --rotate-align: slices start at multiples of -G */
	bool wall_clock;	 /* live input: -G follows the clock (series_tick), else packet time */
	const char *hook_cmd;	 /* -z */
	struct hooks *hooks;
	struct sink_params sink;
	bool packet_buffered; /* -U: flush after every write */
	uint8_t header[PCAP_FILE_HEADER_BYTES];
	/*
	 * NULL: pcap files, starting with header. Else pcapng: an SHB and an
	 * IDB per interface made from header and these names (copied at open),
	 * records as EPBs of their interface (epb_dropcount after a loss on
	 * it), and at every close an ISB per interface with the file's counts.
	 */
	const struct pcapng_meta *pcapng;
	/*
	 * --disk-budget / --min-free: with either size set, at open and after
	 * every file closes the oldest
	 * files of this series go until it fits; before a write, until the
	 * write fits on the disk.
	 */
	struct retention_size disk_budget, min_free;
	unsigned budget_share; /* series sharing the budget (writers); 0 = 1 */
	struct retention_counters *retention_ctr;
	void (*on_close)(void *arg, const struct file_report *r);
	void *arg;
};

struct series;

/* Opens the first file unless its name depends on the first packet's time. NULL + errbuf on failure. */
struct series *series_open(const struct series_params *p, char *errbuf);

/*
 * Write `count` whole records (rec_hdr + bytes each), captured on
 * interface `iface` (pcapng's interface id; 0 for pcap), from recs, rotating
 * between records as -C/-G/-W say. *consumed gets how many were handed to
 * a file (durable or still buffered). Returns 0; -ECANCELED when -W with
 * -G has filled its last file (tcpdump then stops); another -errno with the
 * message in series_error() on a write failure. `last`, when the caller
 * knows it, points at the last record: a run that cannot cross a rotation
 * then goes out without walking its headers (NULL: walk), and z, when not
 * NULL, is the run already compressed for an LZ4 sink.
 */
int series_write(struct series *s, const uint8_t *recs, size_t len, unsigned count, unsigned iface, const uint8_t *last,
		 const struct sink_packed *z, unsigned *consumed);

/* True when a run of len bytes goes into the current file whole (no rotation inside): then z is used. Never for pcapng. */
bool series_run_fits(const struct series *s, size_t len);

/*
 * Accounting that never counts a buffered record as written: how many
 * records reached the kernel since the last call, and how many handed-over
 * records a failed write threw away.
 */
uint64_t series_take_durable(struct series *s);
uint64_t series_take_lost(struct series *s);

/*
 * Packets lost (ring: tapdump's own; backend: the NIC's or kernel's) on
 * interface `iface` since its previous note: they belong to the file open
 * now and, in the archive index and pcapng output, to the next record
 * written (pcapng: the interface's next record).
 */
void series_note_drops(struct series *s, unsigned iface, uint64_t ring, uint64_t backend);

/* Live -G: rotate if now (wall clock) has left the current slice, even with no packet. */
int series_tick(struct series *s, int64_t now_sec);

/*
 * LZ4 output: the acceleration for what the sinks compress from now on, the
 * file open now and the next ones (LZ4_FRAME_STORE: stored uncompressed).
 */
void series_set_lz4_accel(struct series *s, int accel);

/* Hand buffered bytes to the kernel (live flush interval, SIGUSR1, -U). */
int series_flush(struct series *s);

/* Finish and close the current file (no hook if the run failed); the last durable/lost counts. Frees s. */
int series_close(struct series *s, char *errbuf, uint64_t *durable, uint64_t *lost);

const char *series_error(const struct series *s);

/*
 * SIGHUP on a live capture: close the current file (its -z hook runs) and
 * open the next now, named as tcpdump's rotation names it. With -C (and
 * -G): the next index, as when the file passes the size limit; -G alone: a
 * new slice starting at now_sec (-W counts it, -G's next slice follows
 * from it); neither: tcpdump's -C numbering (cap.pcap, cap.pcap1, ...,
 * wrapping at -W). Refused, with a line on stderr and 0 returned, when the
 * output is not a regular file or the new name would be the current one
 * (-G alone within the same second, or within an aligned slice). Returns
 * 0; -ECANCELED when -W with -G has had its last file; another -errno as
 * series_write.
 */
int series_rotate_now(struct series *s, int64_t now_sec);

#endif
