/* Live capture: open the rx queues named by -i (libpcap, AF_XDP or DPDK), list devices and link types. */
#ifndef TD_LIVE_H
#define TD_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "packet.h"
#include "source.h"

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

/* The busiest burst a live source hands out in one call; larger max values are clamped. */
#define LIVE_MAX_BURST 256

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
};

#define LIVE_PCAP_BLOCK_MS 100
#define LIVE_MERGED_BLOCK_MS 10

enum live_direction {
	LIVE_DIR_INOUT = 0,
	LIVE_DIR_IN = 1,
	LIVE_DIR_OUT = 2,
};

/* How long an idle rx_burst of src may wait now: what the worker set, or the short wait when nobody did. */
static inline int live_idle_wait_ms(const struct source *src)
{
	return src->idle_wait_ms > 0 ? src->idle_wait_ms : LIVE_IDLE_WAIT_MS;
}

/*
 * Wait up to timeout_ms for fd to turn readable, or for the engine's stop
 * (src->stop_fd). Returns 1 when fd is readable, 0 otherwise (timeout, stop,
 * a signal).
 */
int live_wait(int fd, const struct source *src, int timeout_ms);

/* Fill opts with tcpdump's defaults (snaplen 262144, promiscuous, both directions, micro). */
void live_opts_init(struct live_opts *opts);

/*
 * Open every rx queue named by spec: "eth0"/"any"/"lo" (libpcap),
 * "xdp:IFACE" or "xdp:IFACE:0-3" (AF_XDP), "dpdk:PCI-or-vdev-string"
 * (DPDK). Stores up to max sources, returns how many, or -errno with one
 * clear line in errbuf (nothing left half-configured: XDP program detached,
 * EAL cleaned up). errbuf is SOURCE_ERRBUF_SIZE bytes or more. On success
 * errbuf holds a warning to print (as tcpdump prints pcap_activate's
 * warnings), or "" when there is none.
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

/* A number from /sys/class/net/IFNAME/ATTR ("mtu", "speed", ...), or fallback when it cannot be read. */
long live_iface_attr(const char *ifname, const char *attr, long fallback);

/* The NUMA node of a network interface from sysfs, -1 when unknown (virtual devices, one-node boxes). */
int live_iface_numa_node(const char *ifname);

/* True when locked memory is not charged to RLIMIT_MEMLOCK: CAP_IPC_LOCK in the effective set. */
bool live_can_lock_memory(void);

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

/*
 * Backend entry points, called by live.c only. Each takes the spec with its
 * "xdp:"/"dpdk:" prefix removed and follows live_open's contract.
 */
int pcap_live_open(const char *dev, const struct live_opts *opts, struct source **srcs, unsigned max, char *errbuf);
/*
 * Print libpcap's devices numbered from *index (advanced). With prefix
 * "xdp:" only real network interfaces are printed, each named prefix+name:
 * every Linux netdev takes an AF_XDP socket (SKB mode at worst).
 */
int pcap_live_list(FILE *out, const char *prefix, unsigned *index, char *errbuf);
int pcap_live_list_linktypes(const char *dev, const struct live_opts *opts, FILE *out, char *errbuf);
int pcap_live_list_tstamp_types(const char *dev, FILE *out, char *errbuf);

int dpdk_source_open(const char *port, const struct live_opts *opts, struct source **srcs, unsigned max, char *errbuf);
/* -J for a DPDK port: starts the EAL (and the vdev) as an open would, then lists what the port offers. */
int dpdk_source_list_tstamp_types(const char *port, const struct live_opts *opts, FILE *out, char *errbuf);
/* Print DPDK-capable PCI devices (bound to vfio-pci/uio) numbered from *index, which is advanced. */
int dpdk_source_list(FILE *out, unsigned *index, char *errbuf);

/*
 * EAL: one per process (dpdk_eal.c). args NULL means the no-hugepage, no-PCI
 * defaults. Whatever the EAL prints while it starts (log lines, its usage
 * text) is held back: a failure is one line in errbuf, quoting the EAL's
 * most telling log message.
 */
int dpdk_eal_init(const char *args, const char *port, bool is_pci, char *errbuf);

/*
 * The EAL's log, caught while a port opens so that its lines do not run
 * ahead of our own one-line error. best is the first message of the most
 * severe level seen (WARNING or worse), the cause rather than the "probe
 * failed" that follows it; "" if there was none. Caller-owned, so no state
 * outlives the catch.
 */
struct dpdk_log_catch {
	FILE *stream;	/* NULL while not catching */
	unsigned level; /* RTE_LOG_* of best, 0 when best is empty */
	char best[256];
};

/* Send the EAL's log to c until dpdk_log_release(). With TAPDUMP_DPDK_DEBUG set the log flows as usual. */
void dpdk_log_catch(struct dpdk_log_catch *c);
/* Give the log back to its default stream (stderr); c->best stays readable. */
void dpdk_log_release(struct dpdk_log_catch *c);
bool dpdk_eal_running(void);

/*
 * --dpdk-gen (dpdk_gen.c): a thread putting frames into the rings of net_ring
 * port devname's first nq rx queues at opts->dpdk_gen_rate frames/s (0: as
 * fast as it goes), dpdk_gen_count frames in all (0: until stopped), of
 * dpdk_gen_size bytes or the IMIX, with text payloads LZ4 compresses as it
 * does web traffic. Frames that find a ring full, or are still in it when
 * the capture ends, are that queue's drops. dpdk_gen_stop joins it and
 * prints what it offered.
 */
#define LIVE_GEN_MAX_QUEUES 16
#define LIVE_GEN_IMIX 0
#define LIVE_GEN_MIN_SIZE 60
#define LIVE_GEN_MAX_SIZE 2048 /* an mbuf's data room: one segment a frame */
#define LIVE_GEN_DEFAULT_SIZE 60
struct dpdk_gen;
int dpdk_gen_start(struct dpdk_gen **out, const char *devname, unsigned nq, const struct live_opts *opts, int socket,
		   char *errbuf);
/* Called by each rx worker as it starts; frames flow once queue 0's worker is there to take them. */
void dpdk_gen_rx_ready(struct dpdk_gen *g, unsigned queue);
/*
 * Called by each rx worker after its last burst: the first call stops the
 * generator (so the count is final before any worker reads it), then the
 * worker's own ring is emptied into the drops: offered = received + dropped.
 */
void dpdk_gen_finish_queue(struct dpdk_gen *g, unsigned queue);
uint64_t dpdk_gen_dropped(const struct dpdk_gen *g, unsigned queue);
void dpdk_gen_stop(struct dpdk_gen *g);
void dpdk_eal_cleanup(void);

int xdp_source_open(const char *spec, const struct live_opts *opts, struct source **srcs, unsigned max, char *errbuf);

#endif
