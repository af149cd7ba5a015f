/* libpcap live capture (AF_PACKET, TPACKET_V3 on Linux): what tcpdump -i does, as a burst source. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "io/live_backend.h"

_Static_assert(TD_ERRBUF_SIZE >= PCAP_ERRBUF_SIZE, "libpcap writes up to PCAP_ERRBUF_SIZE bytes into our errbufs");

/*
 * Bytes of packet data one burst may hold. libpcap hands a TPACKET_V3 block
 * back to the kernel as soon as its last packet went through the callback,
 * so a pointer into the ring is not safe until our next rx_burst: every
 * packet is copied here instead. A burst is cut at copy_size / snaplen
 * packets (at least one), 16 with the default snaplen.
 */
#define PCAP_COPY_MIN (4u << 20)

struct pcap_live {
	struct source src;
	pcap_t *pcap;
	int fd;		  /* selectable fd, -1 when libpcap has none */
	int wait_cap_ms;  /* the longest idle poll() libpcap allows (pcap_get_required_select_timeout) */
	uint32_t ts_mult; /* 1000 when libpcap gave micro and the run wants nano */
	uint32_t ts_div;  /* 1000 when libpcap gave nano and the run wants micro */
	/* Burst being filled by the pcap_dispatch callback. */
	struct td_pkt *pkts;
	unsigned n;
	size_t used;
	size_t copy_size;
	uint8_t *copy;
};

static void pcap_live_collect(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct pcap_live *pl = (struct pcap_live *)user;
	struct td_pkt *p = &pl->pkts[pl->n++];
	uint32_t caplen = h->caplen;
	uint8_t *dst = pl->copy + pl->used;

	/* dispatch's count keeps used + snaplen <= copy_size; the clamp is for a caplen libpcap got wrong. */
	if (caplen > pl->src.snaplen)
		caplen = pl->src.snaplen;
	memcpy(dst, bytes, caplen);
	pl->used += caplen;
	p->data = dst;
	p->caplen = caplen;
	p->wirelen = h->len;
	p->ts_sec = h->ts.tv_sec;
	p->ts_frac = (uint32_t)h->ts.tv_usec * pl->ts_mult / pl->ts_div;
}

static int pcap_live_dispatch(struct pcap_live *pl, struct td_pkt *pkts, unsigned max)
{
	unsigned room = (unsigned)(pl->copy_size / pl->src.snaplen);
	int ret;

	if (max > room)
		max = room;
	pl->pkts = pkts;
	pl->n = 0;
	pl->used = 0;
	ret = pcap_dispatch(pl->pcap, (int)max, pcap_live_collect, (u_char *)pl);
	if (ret == PCAP_ERROR) {
		snprintf(pl->src.errbuf, sizeof(pl->src.errbuf), "%s: %s", pl->src.name, pcap_geterr(pl->pcap));
		/* A vanished interface reads as ENETDOWN in libpcap's message; the caller only needs "stop". */
		return -EIO;
	}
	return (int)pl->n;
}

static int pcap_live_rx_burst(struct source *src, struct td_pkt *pkts, unsigned max)
{
	struct pcap_live *pl = (struct pcap_live *)src;
	int ret, wait;

	ret = pcap_live_dispatch(pl, pkts, max);
	if (ret != 0 || pl->fd < 0)
		return ret;
	/* Idle: sleep in the kernel until the ring has a block, the engine stops, or the timeout. */
	wait = live_idle_wait_ms(src);
	if (!live_wait(pl->fd, src, wait < pl->wait_cap_ms ? wait : pl->wait_cap_ms))
		return 0;
	return pcap_live_dispatch(pl, pkts, max);
}

static int pcap_live_stats(struct source *src, struct source_stats *st)
{
	struct pcap_live *pl = (struct pcap_live *)src;
	struct pcap_stat ps;

	if (pcap_stats(pl->pcap, &ps) < 0) {
		snprintf(src->errbuf, sizeof(src->errbuf), "%s: %s", src->name, pcap_geterr(pl->pcap));
		return -EIO;
	}
	/* ps_recv is what tcpdump prints as "received by filter". */
	st->received = ps.ps_recv;
	st->dropped = ps.ps_drop;
	st->if_dropped = ps.ps_ifdrop;
	st->errors = 0;
	return 0;
}

static void pcap_live_print_counters(struct source *src, FILE *out)
{
	struct pcap_live *pl = (struct pcap_live *)src;
	struct pcap_stat ps;

	if (pcap_stats(pl->pcap, &ps) == 0)
		fprintf(out, "ps_recv %u ps_drop %u ps_ifdrop %u", ps.ps_recv, ps.ps_drop, ps.ps_ifdrop);
}

static void pcap_live_close(struct source *src)
{
	struct pcap_live *pl = (struct pcap_live *)src;

	pcap_close(pl->pcap);
	free(pl->copy);
	free(pl);
}

/* The kernel filter, as tcpdump installs it: unmatched packets are never copied to user space. */
static int pcap_live_set_filter(struct source *src, const struct bpf_program *prog, char *errbuf)
{
	struct pcap_live *pl = (struct pcap_live *)src;

	/* pcap_setfilter copies prog: the caller may free it afterwards. */
	if (pcap_setfilter(pl->pcap, (struct bpf_program *)prog) < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", src->name, pcap_geterr(pl->pcap));
		return -EINVAL;
	}
	return 0;
}

static const struct source_ops pcap_live_ops = {
	.rx_burst = pcap_live_rx_burst,
	.stats = pcap_live_stats,
	.print_counters = pcap_live_print_counters,
	.set_filter = pcap_live_set_filter,
	.close = pcap_live_close,
};

/* Map a pcap_activate/pcap_set_* status to -errno, tcpdump's message in errbuf. */
static int pcap_live_status(pcap_t *p, const char *dev, int status, char *errbuf)
{
	const char *why = pcap_geterr(p);

	switch (status) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: No such device exists (%s)", dev, why);
		return -ENODEV;
	case PCAP_ERROR_PERM_DENIED:
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: You don't have permission to capture on that device (%s)", dev,
			 why);
		return -EPERM;
	case PCAP_ERROR_IFACE_NOT_UP:
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: That device is not up", dev);
		return -ENETDOWN;
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		snprintf(errbuf, TD_ERRBUF_SIZE,
			 "%s: You don't have permission to capture in promiscuous mode on that device", dev);
		return -EPERM;
	case PCAP_ERROR_TSTAMP_PRECISION_NOTSUP:
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: nanosecond time stamps are not supported", dev);
		return -ENOTSUP;
	case PCAP_ERROR: snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", dev, why); return -EIO;
	default: snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", dev, pcap_statustostr(status)); return -EINVAL;
	}
}

/* Everything pcap_set_* does before activation; returns 0 or -errno. */
static int pcap_live_configure(pcap_t *p, const char *dev, const struct live_opts *opts, char *errbuf)
{
	int status;

	pcap_set_snaplen(p, (int)opts->snaplen);
	pcap_set_promisc(p, opts->promisc);
	/* Our own poll() bounds the wait; libpcap's timeout only decides when a half-full block is handed over. */
	pcap_set_timeout(p, opts->block_ms > 0 ? opts->block_ms : LIVE_PCAP_BLOCK_MS);
	if (opts->buffer_kib > 0)
		pcap_set_buffer_size(p, opts->buffer_kib * 1024);
	if (opts->immediate)
		pcap_set_immediate_mode(p, 1);
	if (opts->tstamp_type) {
		int type = pcap_tstamp_type_name_to_val(opts->tstamp_type);

		if (type < 0) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "%s: invalid time stamp type %s", dev, opts->tstamp_type);
			return -EINVAL;
		}
		status = pcap_set_tstamp_type(p, type);
		if (status == PCAP_ERROR_CANTSET_TSTAMP_TYPE) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "%s: can't set time stamp type %s", dev, opts->tstamp_type);
			return -ENOTSUP;
		}
		/* PCAP_WARNING_TSTAMP_TYPE_NOTSUP: tcpdump goes on with the default type, and so do we. */
	}
	if (opts->tsprec == TS_NANO) {
		status = pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
		/* Not fatal: micro stamps are scaled to nano below. */
		(void)status;
	}
	return 0;
}

/* After activation: -y, direction, non-blocking mode. */
static int pcap_live_finish(pcap_t *p, const char *dev, const struct live_opts *opts, char *errbuf)
{
	if (opts->linktype >= 0 && pcap_set_datalink(p, opts->linktype) < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", dev, pcap_geterr(p));
		return -EINVAL;
	}
	if (opts->direction != LIVE_DIR_INOUT) {
		pcap_direction_t d = opts->direction == LIVE_DIR_IN ? PCAP_D_IN : PCAP_D_OUT;

		if (pcap_setdirection(p, d) < 0) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "%s: pcap_setdirection() failed: %s", dev, pcap_geterr(p));
			return -ENOTSUP;
		}
	}
	if (pcap_setnonblock(p, 1, errbuf) < 0)
		return -EIO;
	return 0;
}

int pcap_live_open(const char *dev, const struct live_opts *opts, struct source **srcs, unsigned max, char *errbuf)
{
	char pcap_err[TD_ERRBUF_SIZE];
	struct pcap_live *pl;
	int status, ret, prec;

	(void)max; /* libpcap gives one queue per device: one source */
	pl = calloc(1, sizeof(*pl));
	if (!pl) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: out of memory", dev);
		return -ENOMEM;
	}
	source_init(&pl->src, &pcap_live_ops);
	pl->pcap = pcap_create(dev, pcap_err);
	if (!pl->pcap) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", pcap_err);
		ret = -ENODEV;
		goto fail_free;
	}
	ret = pcap_live_configure(pl->pcap, dev, opts, errbuf);
	if (ret < 0)
		goto fail_close;
	status = pcap_activate(pl->pcap);
	if (status < 0) {
		ret = pcap_live_status(pl->pcap, dev, status, errbuf);
		goto fail_close;
	}
	if (status > 0) {
		/* A warning: tcpdump prints it and captures anyway. */
		if (status == PCAP_WARNING || status == PCAP_WARNING_PROMISC_NOTSUP)
			live_warn(opts, "%s: %s", dev, pcap_geterr(pl->pcap));
		else
			live_warn(opts, "%s: %s", dev, pcap_statustostr(status));
	}
	ret = pcap_live_finish(pl->pcap, dev, opts, errbuf);
	if (ret < 0)
		goto fail_close;

	snprintf(pl->src.name, sizeof(pl->src.name), "%s", dev);
	pl->src.linktype = pcap_datalink(pl->pcap);
	pl->src.numa_node = live_iface_numa_node(dev);
	pl->src.snaplen = (uint32_t)pcap_snapshot(pl->pcap);
	if (pl->src.snaplen == 0)
		pl->src.snaplen = opts->snaplen ? opts->snaplen : DEFAULT_SNAPLEN;
	pl->src.tsprec = opts->tsprec;
	pl->src.live = true;
	prec = pcap_get_tstamp_precision(pl->pcap);
	pl->ts_mult = 1;
	pl->ts_div = 1;
	if (opts->tsprec == TS_NANO && prec == PCAP_TSTAMP_PRECISION_MICRO)
		pl->ts_mult = 1000;
	else if (opts->tsprec == TS_MICRO && prec == PCAP_TSTAMP_PRECISION_NANO)
		pl->ts_div = 1000;
	pl->fd = pcap_get_selectable_fd(pl->pcap);
	/* libpcap 1.10 opens its packet socket without SOCK_CLOEXEC: a -z hook must not inherit the capture. */
	if (pl->fd >= 0)
		(void)fcntl(pl->fd, F_SETFD, fcntl(pl->fd, F_GETFD) | FD_CLOEXEC);
	pl->wait_cap_ms = LIVE_IDLE_LONG_WAIT_MS;
	{
		const struct timeval *tv = pcap_get_required_select_timeout(pl->pcap);

		if (tv && tv->tv_sec == 0 && tv->tv_usec / 1000 < pl->wait_cap_ms)
			pl->wait_cap_ms = (int)(tv->tv_usec / 1000);
	}
	pl->copy_size = PCAP_COPY_MIN;
	if (pl->copy_size < pl->src.snaplen)
		pl->copy_size = pl->src.snaplen;
	pl->copy = malloc(pl->copy_size);
	if (!pl->copy) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: out of memory", dev);
		ret = -ENOMEM;
		goto fail_close;
	}
	srcs[0] = &pl->src;
	return 1;

fail_close:
	pcap_close(pl->pcap);
fail_free:
	free(pl);
	return ret;
}

/* tcpdump's -D flag words: the state bits, then the connection status unless it does not apply. */
static void pcap_live_print_flags(FILE *out, bpf_u_int32 flags)
{
	static const struct {
		bpf_u_int32 bit;
		const char *word;
	} words[] = {
		{ PCAP_IF_UP, "Up" },
		{ PCAP_IF_RUNNING, "Running" },
		{ PCAP_IF_WIRELESS, "Wireless" },
		{ PCAP_IF_LOOPBACK, "Loopback" },
	};
	const char *sep = "";
	size_t i;

	if (flags == 0)
		return;
	fputs(" [", out);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (flags & words[i].bit) {
			fprintf(out, "%s%s", sep, words[i].word);
			sep = ", ";
		}
	}
	if (*sep == '\0')
		fputs("none", out);
	switch (flags & PCAP_IF_CONNECTION_STATUS) {
	case PCAP_IF_CONNECTION_STATUS_UNKNOWN:
		fputs(flags & PCAP_IF_WIRELESS ? ", Association status unknown" : ", Connection status unknown", out);
		break;
	case PCAP_IF_CONNECTION_STATUS_CONNECTED:
		fputs(flags & PCAP_IF_WIRELESS ? ", Associated" : ", Connected", out);
		break;
	case PCAP_IF_CONNECTION_STATUS_DISCONNECTED:
		fputs(flags & PCAP_IF_WIRELESS ? ", Not associated" : ", Disconnected", out);
		break;
	default: break;
	}
	fputc(']', out);
}

/* A real network interface (one AF_XDP can bind to), as opposed to "any", nflog, dbus and the like. */
static bool pcap_live_is_netdev(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	return access(path, F_OK) == 0;
}

int pcap_live_list(FILE *out, const char *prefix, unsigned *index, char *errbuf)
{
	char pcap_err[TD_ERRBUF_SIZE];
	pcap_if_t *devs, *d;
	bool netdevs_only = prefix[0] != '\0';

	if (pcap_findalldevs(&devs, pcap_err) < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", pcap_err);
		return -EIO;
	}
	for (d = devs; d; d = d->next) {
		if (netdevs_only && ((d->flags & PCAP_IF_LOOPBACK) || !pcap_live_is_netdev(d->name)))
			continue;
		fprintf(out, "%u.%s%s", (*index)++, prefix, d->name);
		if (netdevs_only)
			fputs(" (AF_XDP)", out);
		else if (d->description)
			fprintf(out, " (%s)", d->description);
		pcap_live_print_flags(out, d->flags);
		fputc('\n', out);
	}
	pcap_freealldevs(devs);
	return 0;
}

int pcap_live_list_tstamp_types(const char *dev, FILE *out, char *errbuf)
{
	char pcap_err[TD_ERRBUF_SIZE];
	int *types = NULL;
	pcap_t *p;
	int n;

	/* tcpdump 4.99's show_tstamp_types_and_exit(): the list libpcap has after pcap_create, no activation. */
	p = pcap_create(dev, pcap_err);
	if (!p) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", pcap_err);
		return -ENODEV;
	}
	n = pcap_list_tstamp_types(p, &types);
	if (n < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", dev, pcap_geterr(p));
		pcap_close(p);
		return -EIO;
	}
	if (n == 0)
		fprintf(out, "Time stamp type cannot be set for %s\n", dev);
	else
		fprintf(out, "Time stamp types for %s (use option -j to set):\n", dev);
	for (int i = 0; i < n; i++) {
		const char *name = pcap_tstamp_type_val_to_name(types[i]);

		if (name)
			fprintf(out, "  %s (%s)\n", name, pcap_tstamp_type_val_to_description(types[i]));
		else
			fprintf(out, "  %d\n", types[i]);
	}
	pcap_free_tstamp_types(types);
	pcap_close(p);
	return 0;
}

int pcap_live_list_linktypes(const char *dev, const struct live_opts *opts, FILE *out, char *errbuf)
{
	char pcap_err[TD_ERRBUF_SIZE];
	int *dlts = NULL;
	pcap_t *p;
	int i, n, status, ret;

	p = pcap_create(dev, pcap_err);
	if (!p) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", pcap_err);
		return -ENODEV;
	}
	ret = pcap_live_configure(p, dev, opts, errbuf);
	if (ret < 0)
		goto out;
	status = pcap_activate(p);
	if (status < 0) {
		ret = pcap_live_status(p, dev, status, errbuf);
		goto out;
	}
	n = pcap_list_datalinks(p, &dlts);
	if (n < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", dev, pcap_geterr(p));
		ret = -EIO;
		goto out;
	}
	fprintf(out, "Data link types for %s (use option -y to set):\n", dev);
	for (i = 0; i < n; i++) {
		const char *name = pcap_datalink_val_to_name(dlts[i]);
		const char *desc = pcap_datalink_val_to_description(dlts[i]);

		if (name)
			fprintf(out, "  %s (%s)\n", name, desc ? desc : "");
		else
			fprintf(out, "  DLT %d\n", dlts[i]);
	}
	pcap_free_datalinks(dlts);
	ret = 0;
out:
	pcap_close(p);
	return ret;
}
