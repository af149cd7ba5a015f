/* AF_XDP receive time stamps and wake-ups: our own XDP program stamps each frame and wakes its queue's worker every N frames. */
#ifndef TD_XDP_STAMP_H
#define TD_XDP_STAMP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/errbuf.h"

/*
 * Bytes of metadata the program puts just before a frame's first byte: the
 * CLOCK_MONOTONIC nanoseconds at which XDP saw the frame, or nothing (the
 * slot keeps what user space left there) when the mode has no metadata room.
 */
#define XDP_STAMP_META_BYTES 8

/*
 * -j adapter_unsynced: a stamp with this bit set is the driver's hardware
 * time stamp (the bpf_xdp_metadata_rx_timestamp kfunc, kernel 6.3+), in
 * nanoseconds of the NIC's clock; without it, the kernel's CLOCK_MONOTONIC
 * (a frame the driver had no stamp for). The kernel clock never reaches it.
 */
#define XDP_STAMP_HW_BIT (1ull << 63)

/* Interfaces with more rx queues than this get time stamps but no wake-ups (the worker then sleeps in slices). */
#define XDP_STAMP_MAX_WAKE_QUEUES 32

struct xdp_stamp;

/*
 * Load the stamping program for an interface and attach it through a BPF
 * link, so it comes off with the last file descriptor even after kill -9.
 * It stamps each frame, then redirects it to the AF_XDP socket of its rx
 * queue (queues below nqueues) or passes it to the stack when the queue
 * has none. Every wake_frames frames (a power of two) of a queue it also
 * writes a record to that queue's wake ring buffer, which wakes a worker
 * waiting on it: the worker sleeps until a batch is there, as tcpdump's
 * TPACKET_V3 blocks let it, instead of being woken for each frame. xdp_flags:
 * XDP_FLAGS_SKB_MODE, XDP_FLAGS_DRV_MODE or 0 (the kernel's choice). Returns
 * NULL with errno set and a line in errbuf (TD_ERRBUF_SIZE bytes) when
 * the kernel refuses it; the caller may then fall back to libxdp's own
 * program.
 */
struct xdp_stamp *xdp_stamp_attach(int ifindex, unsigned nqueues, unsigned wake_frames, uint32_t xdp_flags, bool hw,
				   char *errbuf);

/*
 * With hw, the program is bound to the device and asks its driver for each
 * frame's hardware stamp first (XDP_STAMP_HW_BIT). Whether the kernel has
 * the kfunc at all (its BTF names it): -J lists adapter_unsynced then.
 */
bool xdp_stamp_hw_possible(void);

/* Send queue q's frames to the AF_XDP socket xsk_fd. Returns 0 or -errno. */
int xdp_stamp_add_socket(struct xdp_stamp *st, unsigned q, int xsk_fd);

/*
 * Bytes in front of each frame the socket receives: 0 when the stamp is
 * metadata before the frame, XDP_STAMP_META_BYTES when the kernel refused
 * metadata to XDP programs and the stamp leads the frame instead. Either
 * way, once these bytes are skipped, the stamp is the XDP_STAMP_META_BYTES
 * just before the frame's first byte.
 */
unsigned xdp_stamp_prefix(const struct xdp_stamp *st);

/* Queue q's wake ring buffer (a BPF_MAP_TYPE_RINGBUF fd to poll), or -1 when the kernel gave none. */
int xdp_stamp_wake_fd(const struct xdp_stamp *st, unsigned q);

/* One more rx queue uses st; xdp_stamp_put is called once for each, the last one detaches. */
void xdp_stamp_get(struct xdp_stamp *st);
void xdp_stamp_put(struct xdp_stamp *st);

#endif
