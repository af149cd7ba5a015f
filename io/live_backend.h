/* What the live backends (io/pcap_live.c, xdp_source.c, dpdk_*.c) share with live.c; the engine uses live.h only. */
#ifndef TD_LIVE_BACKEND_H
#define TD_LIVE_BACKEND_H

#include <stdbool.h>
#include <stdio.h>

#include "io/live.h"
#include "io/source.h"

/* The busiest burst a live source hands out in one call; larger max values are clamped. */
#define LIVE_MAX_BURST 256

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

/* A number from /sys/class/net/IFNAME/ATTR ("mtu", "speed", ...), or fallback when it cannot be read. */
long live_iface_attr(const char *ifname, const char *attr, long fallback);

/* The NUMA node of a network interface from sysfs, -1 when unknown (virtual devices, one-node boxes). */
int live_iface_numa_node(const char *ifname);

/* True when locked memory is not charged to RLIMIT_MEMLOCK: CAP_IPC_LOCK in the effective set. */
bool live_can_lock_memory(void);

/* Pass one warning line (printf format, no newline) to opts->warn, or to stderr when there is none. */
void live_warn(const struct live_opts *opts, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
/* Process-wide: rte_eal_cleanup once every port is closed (live_cleanup). */
void dpdk_eal_cleanup(void);

int xdp_source_open(const char *spec, const struct live_opts *opts, struct source **srcs, unsigned max, char *errbuf);

#endif
