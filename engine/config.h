/* Every setting of a run, by name: tcpdump's letters and the appliance's long options map here, in options.c only. */
#ifndef TD_CONFIG_H
#define TD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/errbuf.h"
#include "io/packet.h"
#include "writers/print/print.h"
#include "writers/retention.h"

#define MAX_INPUTS 64
/* -i is repeatable: interfaces whose queues merge into one series (a tap's two directions, say). */
#define MAX_INTERFACES 16

enum compress_mode {
	COMPRESS_AUTO = 0, /* lz4 when the output name ends in .lz4 */
	COMPRESS_NONE,
	COMPRESS_LZ4,
};

enum out_format {
	FORMAT_AUTO = 0, /* pcapng when the -w name ends in .pcapng or .pcapng.lz4, else pcap */
	FORMAT_PCAP,
	FORMAT_PCAPNG,
};

struct td_config {
	/* Inputs: -r (repeatable), -V list, or -i (repeatable). */
	const char *read_files[MAX_INPUTS];
	unsigned n_read_files;
	const char *interfaces[MAX_INTERFACES];
	unsigned n_interfaces;

	/* Filter. */
	char *expression; /* joined trailing arguments or the -F file */
	bool optimize;	  /* cleared by -O */
	int dump_code;	  /* -d count: print the program and exit */
	bool no_jit;	  /* --no-jit */

	/* Recording. */
	const char *write_file; /* -w; "-" is stdout */
	uint64_t count;		/* -c, 0 = unlimited */
	uint32_t snaplen;	/* -s (0 means the maximum, as in tcpdump) */
	bool snaplen_set;
	uint64_t rotate_bytes;	  /* -C in bytes (tcpdump: N x 1,000,000) */
	unsigned rotate_seconds;  /* -G */
	unsigned rotate_files;	  /* -W */
	bool rotate_align;	  /* --rotate-align */
	const char *rotate_hook;  /* -z */
	const char *user;	  /* -Z */
	bool packet_buffered;	  /* -U */
	enum ts_precision tsprec; /* --time-stamp-precision */
	enum compress_mode compress;
	enum out_format format;		   /* --format */
	int lz4_accel;			   /* --lz4-accel, 1 = default */
	int lz4_threads;		   /* --lz4-threads: LZ4 helper threads; -1 (auto) one per spare core */
	struct retention_size disk_budget; /* --disk-budget: the -w series' bytes on disk at most */
	struct retention_size min_free;	   /* --min-free: free space the filesystem keeps */
	bool no_index;			   /* --no-index: neither write nor use archive indexes */
	bool write_behind;		   /* --write-behind on|off (default on) */
	bool direct_io;			   /* --direct-io: O_DIRECT output files */

	/* The archive: --since/--until bound -r by packet time, [since, until), ns since the epoch. */
	bool has_since, has_until;
	int64_t since_ns, until_ns;
	bool index_mode; /* --index FILE...: write the index of existing files, then exit */
	const char *const *index_files;
	unsigned n_index_files;

	/* Printing. */
	struct print_opts print;
	bool print_beside_write; /* --print */
	unsigned print_rate;	 /* --print-rate lines/s, 0 = unlimited */
	bool line_buffered;	 /* -l */

	/* Live capture. */
	bool promisc;		   /* cleared by -p */
	int direction;		   /* -Q: 0 inout, 1 in, 2 out */
	int buffer_kib;		   /* -B */
	bool immediate;		   /* --immediate-mode */
	const char *tstamp_type;   /* -j */
	const char *linktype_name; /* -y */
	bool list_devices;	   /* -D */
	bool list_linktypes;	   /* -L */
	bool list_tstamp_types;	   /* -J */
	const char *dpdk_args;	   /* --dpdk-args */
	bool dpdk_gen;		   /* --dpdk-gen RATE[,COUNT[,SIZE]] */
	uint64_t dpdk_gen_rate;
	uint64_t dpdk_gen_count;
	unsigned dpdk_gen_size; /* frame bytes; 0 = IMIX (live.h's LIVE_GEN_IMIX) */
	const char *xdp_mode;	/* --xdp-mode */
	/* Backend knobs; TAPDUMP_DPDK_DEBUG, TAPDUMP_DPDK_STAMP, TAPDUMP_XDP_DEBUG and TAPDUMP_XDP_STAMP are older names read by options.c. */
	bool dpdk_debug;       /* --dpdk-debug: the EAL's log and start-up output as they come */
	bool dpdk_stamp_burst; /* --dpdk-stamp burst: one host stamp a burst instead of one a packet */
	bool xdp_debug;	       /* --xdp-debug: libbpf's and libxdp's messages, and why our XDP program was not used */
	bool xdp_stamp_burst;  /* --xdp-stamp burst: libxdp's program, one stamp a burst, instead of ours */
	double duration;       /* --duration seconds, 0 = until stopped */

	/* Engine. */
	unsigned workers;	     /* --workers (live rx queues) */
	unsigned writers;	     /* --writers */
	const char *cpus;	     /* --cpus LIST */
	const char *stats_file;	     /* --stats-file */
	double stats_interval;	     /* --stats-interval */
	const char *prometheus_file; /* --prometheus-file */

	/* Texts read for the config (-F, -V, --config) that its fields point into; config_free() releases them. */
	char **owned;
	unsigned n_owned;
};

void config_defaults(struct td_config *cfg);

/*
 * Parse argv (tcpdump 4.99's syntax plus the long options). Returns 0 to
 * run, 1 when the request was fully served (--help, --version), or -errno
 * with errbuf (TD_ERRBUF_SIZE bytes) holding the one sentence for main to
 * print: nothing is printed here but warnings and what -h and --version ask
 * for. Frees nothing: the config lives for the run.
 */
int config_parse_args(struct td_config *cfg, int argc, char **argv, char *errbuf);

void config_usage(FILE *out);

/* Release what parsing allocated; the config's strings are gone after it. */
void config_free(struct td_config *cfg);

#endif
