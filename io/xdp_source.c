/* AF_XDP capture: one XDP socket per rx queue of an interface (libxdp), frames handed out in bursts. */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#include "io/live_backend.h"
#include "io/xdp_stamp.h"

/* DLT_EN10MB; pcap/pcap.h cannot be included beside linux/bpf.h (both define struct bpf_insn). */
#define XDP_DLT_EN10MB 1

/*
 * UMEM frames: 2 KiB when the MTU fits beside the 256 bytes of headroom the
 * kernel keeps in copy mode (twice the frames in the same locked memory),
 * 4 KiB otherwise, the largest every driver accepts.
 */
#define XDP_FRAME_SMALL 2048
#define XDP_FRAME_LARGE 4096
#define XDP_HEADROOM 256
/*
 * Our own headroom in each frame, on top of the kernel's 256 bytes: 8
 * bytes put the frame's first byte at offset 264, so the time stamp the XDP
 * program writes just before it (bytes 256-263) shares a cache line with
 * the headers the filter reads. One cold line a frame instead of two.
 */
#define XDP_UMEM_HEADROOM XDP_STAMP_META_BYTES
#define XDP_MIN_FRAMES 64
/*
 * Without a memlock limit (CAP_IPC_LOCK, or RLIMIT_MEMLOCK unlimited) a
 * queue gets this much UMEM: at 2 KiB frames, 32768 frames hold 30 ms of a
 * 1 Mpps veth or 2 ms of 10G line rate while the worker is off the CPU.
 */
#define XDP_MAX_UMEM_BYTES (64u << 20)
#define XDP_MAX_FRAMES 32768
/*
 * How the worker waits. A busy link (the last burst was at least half full)
 * is polled in a spin of XDP_SPIN_POLLS empty peeks, so it never pays for a
 * sleep. Otherwise, with our XDP program (xdp_stamp.c), the worker sleeps on
 * its queue's wake ring buffer until a quarter of its UMEM has filled or
 * LIVE_IDLE_WAIT_MS has passed: like a TPACKET_V3 block, a batch per
 * wake-up whatever the rate, and the frames still carry the kernel's time
 * stamp. When that wait brings nothing the link is idle, and the worker
 * sleeps on the socket until the first frame (or the worker's idle wait). A wake-up costs ~28 us of CPU in this VM (the timer and the wake
 * are VM exits): at one per frame, or one per 0.2 ms, that was most of a
 * slow link's cost.
 *
 * Without wake-ups (libxdp's program, or more queues than the program
 * serves) an empty ring first costs one linger sleep, so a slow link wakes
 * the worker once per batch rather than once per frame; a ring still empty
 * after it means an idle link, and the worker sleeps in poll() until a
 * frame comes. With kernel stamps the linger is as long as half the UMEM
 * takes to fill at the link's line rate in 64-byte frames (1.1 ms for 32768
 * frames at 10G), at most XDP_LINGER_MAX_NS, so a burst at line rate that
 * starts as it falls asleep still finds frames free; without them a burst's
 * time stamp is read once per burst and the linger stays XDP_LINGER_NS, the
 * most a stamp may be late.
 */
#define XDP_SPIN_POLLS 256
#define XDP_LINGER_NS (200 * 1000L)
#define XDP_LINGER_MAX_NS (10 * 1000 * 1000L)

struct xdp_source {
	struct source src;
	/* Hot: rings and the previous burst, touched on every call. */
	struct xsk_ring_cons rx;
	struct xsk_ring_prod fill;
	void *area;
	int fd;
	unsigned idle;
	bool busy;	 /* the last burst was at least half full */
	bool lingered;	 /* the ring was empty after one linger: the next wait is poll() */
	bool stamped;	 /* frames carry the kernel's CLOCK_MONOTONIC in their metadata */
	unsigned prefix; /* our stamp leads each frame (xdp_stamp_prefix): bytes to skip */
	unsigned prev_n;
	long linger_ns;
	uint64_t frame_mask; /* ~(frame size - 1) */
	uint64_t received;   /* written by the worker, read by stats() from the main thread */
	uint64_t unstamped;  /* frames stamped in user space although the kernel should have (same) */
	uint64_t hw_stamped; /* -j adapter_unsynced: frames with the driver's stamp (same) */
	uint64_t hw_missing; /* -j adapter_unsynced: frames the driver gave none, on the kernel's clock (same) */
	bool hw;	     /* -j adapter_unsynced: the program asks the driver first */
	uint64_t prev_addr[LIVE_MAX_BURST];
	/* Cold. */
	struct xsk_ring_cons comp;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xdp_stamp *stamp;  /* shared by the interface's queues; NULL: libxdp's program, no stamps */
	struct ring_buffer *wake; /* this queue's wake-ups from the program; NULL: sleep in slices */
	unsigned wake_frames;
	size_t area_size;
	int promisc_fd;
	bool zerocopy;
} __attribute__((aligned(64)));

/* Hand the previous burst's frames back to the kernel through the fill ring. */
static void xdp_recycle(struct xdp_source *xs)
{
	uint32_t idx;
	unsigned i;

	xsk_ring_cons__release(&xs->rx, xs->prev_n);
	/* The fill ring has a slot for every frame of the UMEM, so this reserve cannot come up short. */
	if (xsk_ring_prod__reserve(&xs->fill, xs->prev_n, &idx) != xs->prev_n)
		return;
	for (i = 0; i < xs->prev_n; i++)
		*xsk_ring_prod__fill_addr(&xs->fill, idx + i) = xs->prev_addr[i];
	xsk_ring_prod__submit(&xs->fill, xs->prev_n);
	xs->prev_n = 0;
}

/* need_wakeup: a driver that stopped looking at the fill ring until told to is told now. */
static inline void xdp_kick(struct xdp_source *xs)
{
	if (xsk_ring_prod__needs_wakeup(&xs->fill))
		recvfrom(xs->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
}

static inline uint64_t timespec_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec;
}

/*
 * The frame's kernel stamp as CLOCK_REALTIME nanoseconds, or fallback_ns
 * when the slot holds none. The slot is cleared as it is read, so a frame
 * the program could not stamp never shows an earlier frame's time; however
 * long a frame waited in the ring, its stamp is still when it arrived.
 */
static inline uint64_t xdp_frame_time(struct xdp_source *xs, uint8_t *data, uint64_t mono_ns, uint64_t real_minus_mono,
				      uint64_t fallback_ns)
{
	uint8_t *slot = data - XDP_STAMP_META_BYTES;
	uint64_t k;

	memcpy(&k, slot, sizeof(k));
	/* The driver's stamp (-j adapter_unsynced): the NIC's clock as it is, not mapped to the system's. */
	if (k & XDP_STAMP_HW_BIT) {
		xs->hw_stamped++;
		memset(slot, 0, sizeof(k));
		return k & ~XDP_STAMP_HW_BIT;
	}
	if (xs->hw && k != 0 && k <= mono_ns)
		xs->hw_missing++;
	if (k == 0 || k > mono_ns) {
		/*
		 * The driver gave the program no metadata room: this queue's stamps
		 * are per burst from now on, so its waits go back to the short
		 * linger that bounds how late they are.
		 */
		xs->unstamped++;
		xs->linger_ns = XDP_LINGER_NS;
		return fallback_ns;
	}
	memset(slot, 0, sizeof(k));
	return k + real_minus_mono;
}

static int xdp_rx_burst(struct source *src, struct td_pkt *pkts, unsigned max)
{
	struct xdp_source *xs = (struct xdp_source *)src;
	struct timespec now, mono;
	uint64_t now_ns, mono_ns = 0, real_minus_mono = 0;
	uint32_t idx;
	unsigned i, n;

	if (xs->prev_n)
		xdp_recycle(xs);
	if (max > LIVE_MAX_BURST)
		max = LIVE_MAX_BURST;
	n = xsk_ring_cons__peek(&xs->rx, max, &idx);
	if (n == 0) {
		if (xs->busy && ++xs->idle < XDP_SPIN_POLLS) {
			xdp_kick(xs);
			return 0;
		}
		xs->busy = false;
		/* A zero-copy driver waiting to be told about the fill ring must not wait out our sleep. */
		xdp_kick(xs);
		if (xs->wake && !xs->unstamped) {
			/*
			 * Frames came lately: wait for a batch (the ring buffer's epoll fd
			 * turns readable with a wake record) or LIVE_IDLE_WAIT_MS. Nothing
			 * came in that time: the link is idle, and the next wait is on the
			 * socket, which ends at the first frame, so a frame after a quiet
			 * spell is not held for a whole idle wait.
			 */
			if (!xs->lingered) {
				xs->lingered = true;
				live_wait(ring_buffer__epoll_fd(xs->wake), src, LIVE_IDLE_WAIT_MS);
			} else {
				live_wait(xs->fd, src, live_idle_wait_ms(src));
			}
			ring_buffer__consume(xs->wake); /* the records say nothing; being woken was the message */
		} else if (!xs->lingered) {
			xs->lingered = true;
			nanosleep(&(struct timespec){ .tv_nsec = xs->linger_ns }, NULL);
		} else if (!live_wait(xs->fd, src, live_idle_wait_ms(src))) {
			return 0;
		}
		n = xsk_ring_cons__peek(&xs->rx, max, &idx);
		if (n == 0)
			return 0;
	}
	xs->idle = 0;
	xs->lingered = false;
	xs->busy = n >= max / 2;
	/* One clock read per burst: the stamp of frames the kernel did not stamp, and the clocks' offset. */
	clock_gettime(CLOCK_REALTIME, &now);
	now_ns = timespec_ns(&now);
	if (xs->stamped) {
		clock_gettime(CLOCK_MONOTONIC, &mono);
		mono_ns = timespec_ns(&mono);
		real_minus_mono = now_ns - mono_ns;
	}
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&xs->rx, idx + i);
		uint8_t *data = xsk_umem__get_data(xs->area, xsk_umem__add_offset_to_addr(d->addr));
		/* The program grew every frame it redirected by the prefix: never shorter than it. */
		uint32_t len = d->len >= xs->prefix ? d->len - xs->prefix : 0;
		uint64_t t;

		data += xs->prefix;
		t = xs->stamped ? xdp_frame_time(xs, data, mono_ns, real_minus_mono, now_ns) : now_ns;
		pkts[i].data = data;
		pkts[i].caplen = len;
		pkts[i].wirelen = len;
		pkts[i].ts_sec = t / 1000000000ull;
		pkts[i].ts_frac = (uint32_t)(src->tsprec == TS_NANO ? t % 1000000000ull : t % 1000000000ull / 1000);
		/* Aligned mode: the frame is the chunk the address falls in. */
		xs->prev_addr[i] = xsk_umem__extract_addr(d->addr) & xs->frame_mask;
	}
	xs->prev_n = n;
	__atomic_store_n(&xs->received, xs->received + n, __ATOMIC_RELAXED);
	return (int)n;
}

static int xdp_stats(struct source *src, struct source_stats *st)
{
	struct xdp_source *xs = (struct xdp_source *)src;
	struct xdp_statistics ks;
	socklen_t len = sizeof(ks);

	memset(&ks, 0, sizeof(ks));
	if (getsockopt(xs->fd, SOL_XDP, XDP_STATISTICS, &ks, &len) < 0) {
		snprintf(src->errbuf, sizeof(src->errbuf), "%s: XDP_STATISTICS: %s", src->name, strerror(errno));
		return -errno;
	}
	st->received = __atomic_load_n(&xs->received, __ATOMIC_RELAXED);
	/*
	 * What the kernel's three counters mean (net/xdp/xsk.c), so that each
	 * lost frame is reported once:
	 * - rx_dropped: frames the socket took from XDP but could not store:
	 *   no free UMEM frame (the fill ring was empty) or a frame larger
	 *   than a UMEM chunk. Copy mode only; one per frame.
	 * - rx_ring_full: a frame was stored but our rx ring had no slot.
	 * - rx_fill_ring_empty_descs: times a UMEM frame was wanted and the
	 *   fill ring had none. In copy mode that is the socket's own
	 *   allocation, each failure already one of rx_dropped's frames. In
	 *   zero-copy mode it is the driver refilling its NIC ring: the NIC
	 *   then drops on the wire, outside rx_dropped, so it is the only sign
	 *   of those losses (one per descriptor the driver could not refill;
	 *   the NIC's own missed counter, ethtool -S, is the exact one).
	 * Hence "dropped by kernel" is rx_dropped + rx_ring_full, and "dropped
	 * by interface" the empty-fill-ring count in zero-copy mode only.
	 */
	st->dropped = ks.rx_dropped + ks.rx_ring_full;
	st->if_dropped = xs->zerocopy ? ks.rx_fill_ring_empty_descs : 0;
	st->errors = ks.rx_invalid_descs;
	return 0;
}

static void xdp_close(struct source *src)
{
	struct xdp_source *xs = (struct xdp_source *)src;

	/* The last socket of the interface takes libxdp's program off with it; ours goes with its last user. */
	if (xs->xsk)
		xsk_socket__delete(xs->xsk);
	if (xs->wake)
		ring_buffer__free(xs->wake);
	if (xs->stamp)
		xdp_stamp_put(xs->stamp);
	if (xs->umem)
		xsk_umem__delete(xs->umem);
	if (xs->area)
		munmap(xs->area, xs->area_size);
	if (xs->promisc_fd >= 0)
		close(xs->promisc_fd);
	free(xs);
}

static void xdp_print_counters(struct source *src, FILE *out)
{
	struct xdp_source *xs = (struct xdp_source *)src;
	struct xdp_statistics ks;
	socklen_t len = sizeof(ks);

	memset(&ks, 0, sizeof(ks));
	if (getsockopt(xs->fd, SOL_XDP, XDP_STATISTICS, &ks, &len) == 0)
		fprintf(out,
			"rx_dropped %llu rx_invalid_descs %llu rx_ring_full %llu rx_fill_ring_empty_descs %llu "
			"(%s mode; time stamps: %s",
			(unsigned long long)ks.rx_dropped, (unsigned long long)ks.rx_invalid_descs,
			(unsigned long long)ks.rx_ring_full, (unsigned long long)ks.rx_fill_ring_empty_descs,
			xs->zerocopy ? "zero-copy" : "copy",
			!xs->stamped ? "one per burst"
			: xs->prefix ? "kernel, XDP headroom"
				     : "kernel, XDP metadata");
	if (xs->wake)
		fprintf(out, "; woken every %u frames", xs->wake_frames);
	if (xs->unstamped)
		fprintf(out, ", %llu frames without one", (unsigned long long)xs->unstamped);
	if (xs->hw)
		fprintf(out, "; adapter_unsynced: %llu frames with the driver's stamp, %llu without (kernel clock)",
			(unsigned long long)xs->hw_stamped, (unsigned long long)xs->hw_missing);
	fputc(')', out);
}

static const struct source_ops xdp_ops = {
	.rx_burst = xdp_rx_burst,
	.stats = xdp_stats,
	.print_counters = xdp_print_counters,
	.close = xdp_close,
};

/* How many rx queues the interface has (rx-N in sysfs); 1 if that cannot be read. */
static unsigned xdp_iface_queues(const char *ifname)
{
	char path[512];
	struct dirent *de;
	unsigned n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", ifname);
	dir = opendir(path);
	if (!dir)
		return 1;
	while ((de = readdir(dir)) != NULL)
		n += strncmp(de->d_name, "rx-", 3) == 0;
	closedir(dir);
	return n ? n : 1;
}

/* "IFACE", "IFACE:3" or "IFACE:0-3" → name and queue range [*first, *last]. */
static int xdp_parse_spec(const char *spec, const struct live_opts *opts, char *ifname, unsigned *first, unsigned *last,
			  char *errbuf)
{
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	char *end;

	if (len == 0 || len >= IFNAMSIZ) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s: bad interface name", spec);
		return -EINVAL;
	}
	memcpy(ifname, spec, len);
	ifname[len] = '\0';
	if (!colon) {
		*first = 0;
		*last = (opts->queues ? opts->queues : xdp_iface_queues(ifname)) - 1;
		return 0;
	}
	*first = (unsigned)strtoul(colon + 1, &end, 10);
	*last = *first;
	if (*end == '-')
		*last = (unsigned)strtoul(end + 1, &end, 10);
	if (end == colon + 1 || *end != '\0' || *last < *first) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s: bad queue range (want IFACE:N or IFACE:A-B)", spec);
		return -EINVAL;
	}
	return 0;
}

static int xdp_mode_flags(const char *mode, uint32_t *flags)
{
	if (!mode || strcmp(mode, "auto") == 0)
		*flags = 0; /* the kernel tries native, then generic (SKB) */
	else if (strcmp(mode, "skb") == 0)
		*flags = XDP_FLAGS_SKB_MODE;
	else if (strcmp(mode, "drv") == 0)
		*flags = XDP_FLAGS_DRV_MODE;
	else
		return -EINVAL;
	return 0;
}

/*
 * The frame size that holds the interface's largest frame (MTU, Ethernet and
 * VLAN headers) after the headroom, with room for a stamp in front of it.
 */
static unsigned xdp_frame_size(const char *ifname)
{
	long mtu = live_iface_attr(ifname, "mtu", 1500);

	return mtu + 18 + XDP_STAMP_META_BYTES + XDP_HEADROOM + XDP_UMEM_HEADROOM <= XDP_FRAME_SMALL ? XDP_FRAME_SMALL
												     : XDP_FRAME_LARGE;
}

/* The link's line rate in 64-byte frames a second (84 bytes on the wire each); 10G when sysfs does not say. */
static uint64_t xdp_line_rate_pps(const char *ifname)
{
	long mbps = live_iface_attr(ifname, "speed", 0);

	if (mbps <= 0)
		mbps = 10000;
	return (uint64_t)mbps * 1000000 / (84 * 8);
}

/* The linger sleep (see XDP_LINGER_NS): half the UMEM at line rate when frames carry kernel stamps. */
static long xdp_linger_ns(const char *ifname, unsigned frames, bool stamped)
{
	uint64_t ns;

	if (!stamped)
		return XDP_LINGER_NS;
	ns = (uint64_t)frames / 2 * 1000000000ull / xdp_line_rate_pps(ifname);
	return ns < XDP_LINGER_NS ? XDP_LINGER_NS : ns > XDP_LINGER_MAX_NS ? XDP_LINGER_MAX_NS : (long)ns;
}

/*
 * Frames per queue: UMEM pages are locked memory, charged against
 * RLIMIT_MEMLOCK (8 MiB here) for anyone without CAP_IPC_LOCK. A quarter is
 * left for the rings and BPF maps. Returns 0 if even the minimum does not fit.
 */
static unsigned xdp_frames_per_queue(unsigned nq, unsigned frame_size, uint64_t *limit)
{
	struct rlimit rl;
	uint64_t frames;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY || live_can_lock_memory()) {
		*limit = 0;
		frames = XDP_MAX_UMEM_BYTES / frame_size;
		return frames < XDP_MAX_FRAMES ? (unsigned)frames : XDP_MAX_FRAMES;
	}
	*limit = rl.rlim_cur;
	frames = rl.rlim_cur / 4 * 3 / nq / frame_size;
	if (frames > XDP_MAX_FRAMES)
		frames = XDP_MAX_FRAMES;
	return frames >= XDP_MIN_FRAMES ? (unsigned)frames : 0;
}

/* Ring sizes must be powers of two; the fill ring holds every frame at once. */
static unsigned xdp_ring_size(unsigned frames)
{
	unsigned n = XDP_MIN_FRAMES;

	while (n < frames)
		n *= 2;
	return n;
}

/*
 * A packet socket with PACKET_MR_PROMISC holds the interface in promiscuous
 * mode for as long as it is open, and the kernel undoes it when we exit,
 * crash included. Protocol 0: it receives nothing itself.
 */
static int xdp_promisc_socket(int ifindex)
{
	struct packet_mreq mr = { .mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC };
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int xdp_socket_create(struct xdp_source *xs, const char *ifname, unsigned q, unsigned frames, uint32_t xdp_flags)
{
	struct xsk_socket_config cfg = {
		.rx_size = xdp_ring_size(frames),
		.tx_size = 0,
		/* With our stamping program attached, libxdp must not load its own. */
		.libxdp_flags = xs->stamp ? XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD : 0,
		.xdp_flags = xdp_flags,
	};
	struct xdp_options xo;
	socklen_t len = sizeof(xo);
	int ret = -EOPNOTSUPP;

	/* Zero-copy when the driver has it (never in SKB mode); copy mode otherwise. */
	if (!(xdp_flags & XDP_FLAGS_SKB_MODE)) {
		cfg.bind_flags = XDP_USE_NEED_WAKEUP | XDP_ZEROCOPY;
		ret = xsk_socket__create(&xs->xsk, ifname, q, xs->umem, &xs->rx, NULL, &cfg);
	}
	if (ret < 0) {
		cfg.bind_flags = XDP_USE_NEED_WAKEUP | XDP_COPY;
		ret = xsk_socket__create(&xs->xsk, ifname, q, xs->umem, &xs->rx, NULL, &cfg);
	}
	if (ret < 0) {
		xs->xsk = NULL;
		return ret;
	}
	xs->fd = xsk_socket__fd(xs->xsk);
	/* libxdp 1.3 makes the AF_XDP socket (the UMEM's, shared with queue 0) without SOCK_CLOEXEC. */
	(void)fcntl(xs->fd, F_SETFD, fcntl(xs->fd, F_GETFD) | FD_CLOEXEC);
	if (getsockopt(xs->fd, SOL_XDP, XDP_OPTIONS, &xo, &len) == 0)
		xs->zerocopy = xo.flags & XDP_OPTIONS_ZEROCOPY;
	return xs->stamp ? xdp_stamp_add_socket(xs->stamp, q, xs->fd) : 0;
}

/* One queue's UMEM, socket and full fill ring. Returns 0 or -errno with errbuf set. */
static int xdp_queue_open(struct xdp_source *xs, const char *ifname, unsigned q, unsigned frames, unsigned frame_size,
			  uint32_t xdp_flags, uint64_t limit, char *errbuf)
{
	struct xsk_umem_config ucfg = {
		.fill_size = xdp_ring_size(frames),
		.comp_size = XDP_MIN_FRAMES,
		.frame_size = frame_size,
		.frame_headroom = XDP_UMEM_HEADROOM,
		.flags = 0,
	};
	uint32_t idx;
	unsigned i;
	int ret;

	xs->frame_mask = ~(uint64_t)(frame_size - 1);
	xs->area_size = (size_t)frames * frame_size;
	xs->area = mmap(NULL, xs->area_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (xs->area == MAP_FAILED) {
		xs->area = NULL;
		snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s:%u: cannot map %zu KiB of UMEM", ifname, q,
			 xs->area_size >> 10);
		return -ENOMEM;
	}
	ret = xsk_umem__create(&xs->umem, xs->area, xs->area_size, &xs->fill, &xs->comp, &ucfg);
	if (ret < 0) {
		xs->umem = NULL;
		if (ret == -ENOBUFS || ret == -ENOMEM || ret == -EPERM)
			snprintf(errbuf, TD_ERRBUF_SIZE,
				 "xdp:%s:%u: cannot lock %zu KiB of UMEM (RLIMIT_MEMLOCK %llu KiB): %s", ifname, q,
				 xs->area_size >> 10, (unsigned long long)(limit >> 10), strerror(-ret));
		else
			snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s:%u: UMEM: %s", ifname, q, strerror(-ret));
		return ret;
	}
	ret = xdp_socket_create(xs, ifname, q, frames, xdp_flags);
	if (ret < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s:%u: cannot create AF_XDP socket: %s%s", ifname, q,
			 strerror(-ret),
			 ret == -EPERM	  ? " (are you root?)"
			 : ret == -EINVAL ? " (queue out of range or XDP mode not supported)"
					  : "");
		return ret;
	}
	/* Give the kernel every frame up front; each burst returns its frames on the next call. */
	if (xsk_ring_prod__reserve(&xs->fill, frames, &idx) != frames) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s:%u: fill ring shorter than the UMEM", ifname, q);
		return -ENOSPC;
	}
	for (i = 0; i < frames; i++)
		*xsk_ring_prod__fill_addr(&xs->fill, idx + i) = (uint64_t)i * frame_size;
	xsk_ring_prod__submit(&xs->fill, frames);
	return 0;
}

/*
 * libbpf and libxdp narrate their fallbacks on stderr (the multi-program
 * dispatcher refused, ELF sections skipped) even when the socket works;
 * what matters reaches the user through errbuf instead.
 */
static int xdp_quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

static int xdp_quiet_libxdp(enum libxdp_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

/* Wake records carry nothing the worker needs: being woken is the message. */
static int xdp_wake_record(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/* Frames between wake-ups: the largest power of two at most a quarter of the UMEM, so 3/4 stay free for the wake's latency. */
static unsigned xdp_wake_frames(unsigned frames)
{
	unsigned k = 2;

	while (k * 2 <= frames / 4)
		k *= 2;
	return k;
}

int xdp_source_open(const char *spec, const struct live_opts *opts, struct source **srcs, unsigned max, char *errbuf)
{
	char ifname[IFNAMSIZ], stamp_err[TD_ERRBUF_SIZE];
	/* live.c lets only host and adapter_unsynced through -j for AF_XDP. */
	bool hw = opts->tstamp_type && !strcmp(opts->tstamp_type, "adapter_unsynced");
	struct xdp_stamp *stamp;
	unsigned first, last, nq, frames, frame_size, wake_frames, q, made = 0;
	uint32_t xdp_flags;
	uint64_t limit;
	int ifindex, ret;

	ret = xdp_parse_spec(spec, opts, ifname, &first, &last, errbuf);
	if (ret < 0)
		return ret;
	if (!opts->xdp_debug) {
		libbpf_set_print(xdp_quiet_libbpf);
		libxdp_set_print(xdp_quiet_libxdp);
	}
	ifindex = (int)if_nametoindex(ifname);
	if (ifindex == 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s: No such device exists", ifname);
		return -ENODEV;
	}
	if (xdp_mode_flags(opts->xdp_mode, &xdp_flags) < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s: unknown --xdp-mode %s (skb, drv or auto)", ifname,
			 opts->xdp_mode);
		return -EINVAL;
	}
	if (opts->direction == LIVE_DIR_OUT) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s: AF_XDP sees received packets only", ifname);
		return -ENOTSUP;
	}
	if (last >= xdp_iface_queues(ifname)) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s: queue %u out of range (%s has %u rx queue%s)", ifname, last,
			 ifname, xdp_iface_queues(ifname), xdp_iface_queues(ifname) == 1 ? "" : "s");
		return -EINVAL;
	}
	nq = last - first + 1;
	if (nq > max) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s: %u queues asked for, room for %u", ifname, nq, max);
		return -E2BIG;
	}
	frame_size = xdp_frame_size(ifname);
	frames = xdp_frames_per_queue(nq, frame_size, &limit);
	if (frames == 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE,
			 "xdp:%s: RLIMIT_MEMLOCK %llu KiB is too small for %u queue%s of %u KiB UMEM", ifname,
			 (unsigned long long)(limit >> 10), nq, nq == 1 ? "" : "s", XDP_MIN_FRAMES * frame_size >> 10);
		return -ENOBUFS;
	}
	/*
	 * Our stamping program when the kernel takes it; libxdp's default
	 * program otherwise (frames then get one user-space stamp per burst).
	 * --xdp-stamp burst asks for the latter.
	 */
	stamp = NULL;
	wake_frames = xdp_wake_frames(frames);
	if (hw) {
		/* The driver's stamps were asked for: no quiet fallback to a program without them. */
		stamp = xdp_stamp_attach(ifindex, last + 1, wake_frames, xdp_flags, true, stamp_err);
		if (!stamp) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s: -j adapter_unsynced: %s", ifname, stamp_err);
			return -ENOTSUP;
		}
	} else if (!opts->xdp_stamp_burst) {
		stamp = xdp_stamp_attach(ifindex, last + 1, wake_frames, xdp_flags, false, stamp_err);
		if (!stamp && opts->xdp_debug)
			fprintf(stderr, "xdp:%s: %s; using libxdp's program\n", ifname, stamp_err);
	}
	for (q = first; q <= last; q++) {
		struct xdp_source *xs = aligned_alloc(64, (sizeof(*xs) + 63) & ~(size_t)63);

		if (!xs) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s: out of memory", ifname);
			ret = -ENOMEM;
			goto fail;
		}
		memset(xs, 0, sizeof(*xs));
		xs->promisc_fd = -1;
		xs->fd = -1;
		source_init(&xs->src, &xdp_ops);
		if (stamp) {
			xs->stamp = stamp;
			xdp_stamp_get(stamp);
			xs->stamped = true;
			xs->prefix = xdp_stamp_prefix(stamp);
			xs->hw = hw;
		}
		xs->linger_ns = xdp_linger_ns(ifname, frames, xs->stamped);
		if (stamp && xdp_stamp_wake_fd(stamp, q) >= 0) {
			xs->wake = ring_buffer__new(xdp_stamp_wake_fd(stamp, q), xdp_wake_record, NULL, NULL);
			xs->wake_frames = wake_frames;
		}
		snprintf(xs->src.name, sizeof(xs->src.name), "xdp:%s:%u", ifname, q);
		xs->src.linktype = XDP_DLT_EN10MB;
		xs->src.numa_node = live_iface_numa_node(ifname);
		xs->src.snaplen = opts->snaplen ? opts->snaplen : DEFAULT_SNAPLEN;
		xs->src.tsprec = opts->tsprec;
		xs->src.live = true;
		xs->src.rx_held_max = frames;
		srcs[made++] = &xs->src;
		ret = xdp_queue_open(xs, ifname, q, frames, frame_size, xdp_flags, limit, errbuf);
		if (ret < 0)
			goto fail;
		if (opts->promisc && q == first) {
			xs->promisc_fd = xdp_promisc_socket(ifindex);
			if (xs->promisc_fd < 0) {
				ret = xs->promisc_fd;
				snprintf(errbuf, TD_ERRBUF_SIZE, "xdp:%s: cannot set promiscuous mode: %s", ifname,
					 strerror(-ret));
				goto fail;
			}
		}
	}
	if (stamp)
		xdp_stamp_put(stamp); /* the queues hold it now */
	if (opts->direction == LIVE_DIR_INOUT)
		live_warn(opts, "xdp:%s: AF_XDP captures received packets only (as with -Q in)", ifname);
	return (int)made;

fail:
	/* Closing every socket made so far also detaches the XDP program (libxdp's, or ours with its last user). */
	while (made > 0)
		xdp_close(srcs[--made]);
	if (stamp)
		xdp_stamp_put(stamp);
	return ret;
}
