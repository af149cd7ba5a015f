/* Dispatch -i values to the live backends: libpcap by default, "xdp:" to AF_XDP, "dpdk:" to DPDK. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include <linux/capability.h>

#include "td_build.h"
#include "io/live_backend.h"
#if HAVE_AFXDP
#include "io/xdp_stamp.h"
#endif

#define XDP_PREFIX "xdp:"
#define DPDK_PREFIX "dpdk:"

enum live_backend {
	LIVE_PCAP,
	LIVE_XDP,
	LIVE_DPDK,
};

/* Split spec into its backend and the name that backend understands. */
static enum live_backend live_backend_of(const char *spec, const char **rest)
{
	if (strncmp(spec, XDP_PREFIX, strlen(XDP_PREFIX)) == 0) {
		*rest = spec + strlen(XDP_PREFIX);
		return LIVE_XDP;
	}
	if (strncmp(spec, DPDK_PREFIX, strlen(DPDK_PREFIX)) == 0) {
		*rest = spec + strlen(DPDK_PREFIX);
		return LIVE_DPDK;
	}
	*rest = spec;
	return LIVE_PCAP;
}

void live_opts_init(struct live_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->snaplen = DEFAULT_SNAPLEN;
	opts->promisc = true;
	opts->direction = LIVE_DIR_INOUT;
	opts->linktype = -1;
	opts->tsprec = TS_MICRO;
}

#if !HAVE_AFXDP || !HAVE_DPDK
static int live_not_built(const char *spec, const char *what, char *errbuf)
{
	snprintf(errbuf, TD_ERRBUF_SIZE, "%s: tapdump was built without %s support", spec, what);
	return -ENOTSUP;
}
#endif

/*
 * The descriptors open now, as a bitmap of the first FD_SEEN_MAX (a higher
 * one counts as new). NULL when /proc/self/fd cannot be read.
 */
#define FD_SEEN_MAX 65536u

static uint64_t *fds_open_now(void)
{
	uint64_t *seen;
	struct dirent *e;
	DIR *d;

	seen = calloc(FD_SEEN_MAX / 64, sizeof(*seen));
	if (!seen)
		return NULL;
	d = opendir("/proc/self/fd");
	if (!d) {
		free(seen);
		return NULL;
	}
	while ((e = readdir(d))) {
		char *end;
		unsigned long fd = strtoul(e->d_name, &end, 10);

		/* Not the directory's own descriptor: it is closed below, and its number reused. */
		if (*end == '\0' && end != e->d_name && fd < FD_SEEN_MAX && (int)fd != dirfd(d))
			seen[fd / 64] |= 1ull << (fd % 64);
	}
	closedir(d);
	return seen;
}

/*
 * Close-on-exec on every descriptor opened since before (fds_open_now()),
 * so that -z hooks inherit none of them. The backends' libraries open some
 * without it and give no handle on them: DPDK's EAL (its interrupt
 * thread's pipe, epoll and timerfd, the no-huge memfd), libpcap's packet
 * socket, libxdp's AF_XDP socket. Descriptors we inherited are left as
 * they are. Without /proc, every descriptor above 2 gets the flag.
 */
static void cloexec_new_fds(const uint64_t *before)
{
	struct dirent *e;
	DIR *d;

	d = before ? opendir("/proc/self/fd") : NULL;
	if (!d) {
		(void)close_range(3, ~0u, CLOSE_RANGE_CLOEXEC);
		return;
	}
	while ((e = readdir(d))) {
		char *end;
		unsigned long fd = strtoul(e->d_name, &end, 10);
		int flags;

		if (*end != '\0' || end == e->d_name || fd < 3 || (int)fd == dirfd(d))
			continue;
		if (fd < FD_SEEN_MAX && (before[fd / 64] & (1ull << (fd % 64))))
			continue;
		flags = fcntl((int)fd, F_GETFD);
		if (flags >= 0 && !(flags & FD_CLOEXEC))
			(void)fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC);
	}
	closedir(d);
}

/*
 * AF_XDP's frames carry the kernel's clock (our XDP program, or one stamp a
 * burst), or the driver's stamp through the XDP metadata kfunc: -j host or
 * adapter_unsynced (the NIC's clock is not mapped to the system's).
 */
static int xdp_check_tstamp(const char *spec, const char *type, char *errbuf)
{
	if (!type || !strcmp(type, "host") || !strcmp(type, "adapter_unsynced"))
		return 0;
	if (pcap_tstamp_type_name_to_val(type) < 0)
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: invalid time stamp type %s", spec, type);
	else
		snprintf(errbuf, TD_ERRBUF_SIZE,
			 "%s: time stamp type %s is not offered by AF_XDP here (-J lists its types)", spec, type);
	return -ENOTSUP;
}

static int live_open_backend(const char *spec, const struct live_opts *opts, struct source **srcs, unsigned max,
			     char *errbuf)
{
	const char *name;
	enum live_backend be = live_backend_of(spec, &name);

	errbuf[0] = '\0';
	if (max == 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: no room for a source", spec);
		return -EINVAL;
	}
	if (*name == '\0') {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: no interface or port named", spec);
		return -EINVAL;
	}
	switch (be) {
	case LIVE_XDP:
#if HAVE_AFXDP
		if (xdp_check_tstamp(spec, opts->tstamp_type, errbuf) < 0)
			return -ENOTSUP;
		return xdp_source_open(name, opts, srcs, max, errbuf);
#else
		return live_not_built(spec, "AF_XDP", errbuf);
#endif
	case LIVE_DPDK:
#if HAVE_DPDK
		return dpdk_source_open(name, opts, srcs, max, errbuf);
#else
		return live_not_built(spec, "DPDK", errbuf);
#endif
	case LIVE_PCAP: break;
	}
	return pcap_live_open(name, opts, srcs, max, errbuf);
}

int live_open(const char *spec, const struct live_opts *opts, struct source **srcs, unsigned max, char *errbuf)
{
	uint64_t *before = fds_open_now();
	int ret = live_open_backend(spec, opts, srcs, max, errbuf);

	cloexec_new_fds(before);
	free(before);
	return ret;
}

void live_warn(const struct live_opts *opts, const char *fmt, ...)
{
	char msg[TD_ERRBUF_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (opts->warn)
		opts->warn(opts->warn_ctx, msg);
	else
		fprintf(stderr, "warning: %s\n", msg);
}

int live_set_kernel_filter(struct source *src, const struct bpf_program *prog, char *errbuf)
{
	errbuf[0] = '\0';
	return source_set_filter(src, prog, errbuf);
}

void live_cleanup(void)
{
#if HAVE_DPDK
	dpdk_eal_cleanup();
#endif
}

int live_list(FILE *out, char *errbuf)
{
	unsigned index = 1;
	int ret;

	errbuf[0] = '\0';
	ret = pcap_live_list(out, "", &index, errbuf);
	if (ret < 0)
		return ret;
#if HAVE_AFXDP
	ret = pcap_live_list(out, XDP_PREFIX, &index, errbuf);
	if (ret < 0)
		return ret;
#endif
#if HAVE_DPDK
	ret = dpdk_source_list(out, &index, errbuf);
	if (ret < 0)
		return ret;
#endif
	return 0;
}

int live_list_linktypes(const char *spec, const struct live_opts *opts, FILE *out, char *errbuf)
{
	const char *name;
	enum live_backend be = live_backend_of(spec, &name);

	errbuf[0] = '\0';
	if (be == LIVE_PCAP)
		return pcap_live_list_linktypes(name, opts, out, errbuf);
	/* AF_XDP frames and DPDK mbufs start at the Ethernet header: that is the only link type. */
	fprintf(out, "Data link types for %s (use option -y to set):\n", spec);
	fprintf(out, "  EN10MB (Ethernet)\n");
	return 0;
}

int live_list_tstamp_types(const char *spec, const struct live_opts *opts, FILE *out, char *errbuf)
{
	const char *name;
	enum live_backend be = live_backend_of(spec, &name);
	char ifname[IF_NAMESIZE + 1];

	errbuf[0] = '\0';
	switch (be) {
	case LIVE_PCAP: return pcap_live_list_tstamp_types(name, out, errbuf);
	case LIVE_DPDK:
#if HAVE_DPDK
		return dpdk_source_list_tstamp_types(name, opts, out, errbuf);
#else
		return live_not_built(spec, "DPDK", errbuf);
#endif
	case LIVE_XDP:
#if HAVE_AFXDP
		snprintf(ifname, sizeof(ifname), "%.*s", (int)strcspn(name, ":"), name);
		if (!if_nametoindex(ifname)) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "%s: No such device exists", spec);
			return -ENODEV;
		}
		fprintf(out, "Time stamp types for %s (use option -j to set):\n", spec);
		fprintf(out, "  %s (%s)\n", pcap_tstamp_type_val_to_name(PCAP_TSTAMP_HOST),
			pcap_tstamp_type_val_to_description(PCAP_TSTAMP_HOST));
		/* The kernel can ask the driver; whether this driver answers shows in -v's counts. */
		if (xdp_stamp_hw_possible())
			fprintf(out, "  %s (%s)\n", pcap_tstamp_type_val_to_name(PCAP_TSTAMP_ADAPTER_UNSYNCED),
				pcap_tstamp_type_val_to_description(PCAP_TSTAMP_ADAPTER_UNSYNCED));
		return 0;
#else
		(void)ifname;
		return live_not_built(spec, "AF_XDP", errbuf);
#endif
	}
	return -EINVAL;
}

int live_wait(int fd, const struct source *src, int timeout_ms)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = src->stop_fd, .events = POLLIN },
	};

	if (poll(pfd, src->stop_fd >= 0 ? 2 : 1, timeout_ms) <= 0)
		return 0;
	return (pfd[0].revents & POLLIN) != 0;
}

long live_iface_attr(const char *ifname, const char *attr, long fallback)
{
	char path[512];
	long v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, attr);
	f = fopen(path, "re");
	if (!f)
		return fallback;
	if (fscanf(f, "%ld", &v) != 1)
		v = fallback;
	fclose(f);
	return v;
}

int live_iface_numa_node(const char *ifname)
{
	return (int)live_iface_attr(ifname, "device/numa_node", -1);
}

bool live_can_lock_memory(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	/* The raw system call: one bit is not worth a libcap dependency. */
	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[CAP_IPC_LOCK / 32].effective & (1u << (CAP_IPC_LOCK % 32));
}
