/* Live capture as the engine sees it: open the -i rx queues (libpcap, AF_XDP, DPDK), list devices and link types. */
#ifndef TD_LIVE_H
#define TD_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "io/packet.h"
#include "io/source.h"

/*
 * How long an idle rx_burst may wait in poll() before returning 0, so the
 * worker still sees stop requests and flushes aged blocks on a quiet link.
 */
#define LIVE_IDLE_WAIT_MS 20
/*
 * The same with nothing waiting to be flushed: an idle link then wakes the
 * worker twice a second (a wake-up costs ~28 us of CPU in a VM), and the
 * backend counters it refreshes (worker.c) stay as fresh as before.
 */
#define LIVE_IDLE_LONG_WAIT_MS 500

struct live_opts {
	uint32_t snaplen;	  /* -s, default 262144 */
	bool promisc;		  /* true unless -p */
	int direction;		  /* -Q/-P: 0 inout, 1 in, 2 out */
	int buffer_kib;		  /* -B, 0 = backend default */
	bool immediate;		  /* --immediate-mode */
	const char *tstamp_type;  /* -j, NULL = default */
	int linktype;		  /* -y as DLT, -1 = default */
	unsigned queues;	  /* --workers N: rx queues wanted (DPDK RSS, XDP queue range), 0 = backend default */
	const char *dpdk_args;	  /* --dpdk-args "EAL ARGS", NULL = defaults that work without hugepages and PCI */
	const char *xdp_mode;	  /* --xdp-mode skb|drv|auto */
	bool xdp_stamp_burst;	  /* --xdp-stamp burst: libxdp's program (one stamp a burst), not tapdump's */
	bool xdp_debug;		  /* --xdp-debug: libbpf's and libxdp's messages, and why our program was not used */
	bool dpdk_stamp_burst;	  /* --dpdk-stamp burst: -j host stamps one a burst (the old way), not one a packet */
	bool dpdk_debug;	  /* --dpdk-debug: the EAL's log and start-up output flow as they come */
	bool dpdk_gen;		  /* --dpdk-gen RATE[,COUNT[,SIZE]]: feed a net_ring port from a generator thread */
	uint64_t dpdk_gen_rate;	  /* frames/s, 0 = unpaced */
	uint64_t dpdk_gen_count;  /* frames in all, 0 = until the capture stops */
	unsigned dpdk_gen_size;	  /* frame bytes, LIVE_GEN_IMIX for 7:4:1 of 64, 570 and 1518 */
	enum ts_precision tsprec; /* td_pkt.ts_frac units */
	/*
	 * libpcap: how long the kernel may hold a part-filled TPACKET_V3 block
	 * (pcap_set_timeout), 0 = LIVE_PCAP_BLOCK_MS. Several interfaces merged
	 * into one series ask for LIVE_MERGED_BLOCK_MS: a sparse interface's
	 * packets must reach the writer within its merge wait, or the series
	 * goes out of order.
	 */
	int block_ms;
	/*
	 * Where live_open's warnings go, one line each without the newline: the
	 * open went on regardless (as tcpdump captures after pcap_activate's
	 * warnings). Called from the opening thread while live_open runs, and
	 * by a DPDK port that cannot be put back as it was (its promiscuous
	 * mode) when its last queue closes. NULL: "warning: MSG" on standard
	 * error.
	 */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

#define LIVE_PCAP_BLOCK_MS 100
#define LIVE_MERGED_BLOCK_MS 10

enum live_direction {
	LIVE_DIR_INOUT = 0,
	LIVE_DIR_IN = 1,
	LIVE_DIR_OUT = 2,
};

/* --dpdk-gen's frame sizes (live_opts.dpdk_gen_size): LIVE_GEN_IMIX for 7:4:1 of 64, 570 and 1518 bytes. */
#define LIVE_GEN_IMIX 0
#define LIVE_GEN_MIN_SIZE 60
#define LIVE_GEN_MAX_SIZE 2048 /* an mbuf's data room: one segment a frame */
#define LIVE_GEN_DEFAULT_SIZE 60

/* Fill opts with tcpdump's defaults (snaplen 262144, promiscuous, both directions, micro). */
void live_opts_init(struct live_opts *opts);

/*
 * Open every rx queue named by spec: "eth0"/"any"/"lo" (libpcap),
 * "xdp:IFACE" or "xdp:IFACE:0-3" (AF_XDP), "dpdk:PCI-or-vdev-string"
 * (DPDK). Stores up to max sources, returns how many, or -errno with one
 * clear line in errbuf (nothing left half-configured: XDP program detached,
 * EAL cleaned up). errbuf is TD_ERRBUF_SIZE bytes and holds an error only
 * ("" on success); warnings go to opts->warn.
 */
int live_open(const char *spec, const struct live_opts *opts, struct source **srcs, unsigned max, char *errbuf);

struct bpf_program;

/*
 * Optional: install prog (compiled for src's link type and snaplen) in the
 * kernel, so a libpcap live source copies only matching packets to user
 * space. The worker's own filter still runs and gives the same verdict.
 * -ENOTSUP for AF_XDP and DPDK sources, which see every packet.
 */
int live_set_kernel_filter(struct source *src, const struct bpf_program *prog, char *errbuf);

/* Process-wide teardown after every source is closed (rte_eal_cleanup). */
void live_cleanup(void);

/* -D: list libpcap devices, AF_XDP-capable interfaces and DPDK ports in tcpdump's format ("1.eth0 [Up, Running, Connected]"). */
int live_list(FILE *out, char *errbuf);

/* -L: list data link types for spec, tcpdump's format. */
int live_list_linktypes(const char *spec, const struct live_opts *opts, FILE *out, char *errbuf);

/*
 * -J: list the time stamp types spec offers (-j), tcpdump's format (which
 * prints it on standard error): libpcap
 * asks the device; AF_XDP offers host (the kernel's clock); a DPDK port
 * host, and adapter and adapter_unsynced when it stamps packets
 * (RTE_ETH_RX_OFFLOAD_TIMESTAMP).
 */
int live_list_tstamp_types(const char *spec, const struct live_opts *opts, FILE *out, char *errbuf);

#endif
