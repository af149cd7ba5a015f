/* The plan: sources, filter, privileges, workers and writers, built in that order (lifecycle.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <lz4.h>
#include <pcap/pcap.h>

#include "common/errbuf.h"
#include "io/archive_source.h"
#include "io/file_source.h"
#include "engine/lifecycle.h"
#include "io/live.h"
#include "engine/privs.h"
#include "engine/stats.h"
#include "td_build.h"

/*
 * Live: 64 blocks of 1 MiB per worker, about 50 ms of 10G traffic to ride
 * out a slow write. Files wait instead of dropping, so a few blocks keep
 * both threads busy, and each block's first-touch page faults (costly in a
 * VM) are paid for less memory.
 */
#define LIVE_BLOCKS_PER_WORKER 64
#define FILE_BLOCKS_PER_WORKER 8

static void print_reading_line(const struct source *src)
{
	const char *name = pcap_datalink_val_to_name(src->linktype);
	const char *desc = pcap_datalink_val_to_description(src->linktype);

	if (name)
		fprintf(stderr, "reading from file %s, link-type %s (%s), snapshot length %u\n", src->name, name,
			desc ? desc : name, src->snaplen);
	else
		fprintf(stderr, "reading from file %s, link-type %d, snapshot length %u\n", src->name, src->linktype,
			src->snaplen);
}

/*
 * -r and -V inputs. A FIFO without a writer, or a pipe that says nothing,
 * must not hold the run deaf to signals: opens and header reads also poll
 * the stop signals' fd (1: a stop signal came first, nothing to report).
 */
static bool archive_mode(const struct td_config *cfg)
{
	if (cfg->has_since || cfg->has_until)
		return true;
	for (unsigned i = 0; i < cfg->n_read_files; i++)
		if (archive_is_dir(cfg->read_files[i]))
			return true;
	return false;
}

static void print_time(FILE *out, int64_t ns)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	char buf[64];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out, "%s.%09lldZ", buf, (long long)(ns % 1000000000));
}

/*
 * -r of directories, or with --since/--until: the archive reader picks the
 * files and segments, and says what the archive recorded as lost there,
 * so an analyst knows whether the extract is complete.
 */
static int open_archive(struct run *r)
{
	const struct td_config *cfg = r->eng.cfg;
	struct archive_report rep;
	struct archive_params ap = {
		.paths = cfg->read_files,
		.npaths = cfg->n_read_files,
		.has_since = cfg->has_since,
		.has_until = cfg->has_until,
		.since_ns = cfg->since_ns,
		.until_ns = cfg->until_ns,
		.expression = cfg->expression,
		.use_index = !cfg->no_index,
		.verbose = cfg->print.verbose > 0,
		.want = cfg->tsprec,
		.stop_fd = r->sig.stop_fd,
	};
	int rc = archive_open(&ap, r->srcs, MAX_INPUTS, &r->nsrc, &rep, r->errbuf);

	if (rc == -ECANCELED)
		return 1;
	if (rc)
		return rc;
	/* The stats file and the Prometheus file carry the same report (stats.c). */
	r->eng.archive_on = true;
	r->eng.archive = rep;
	for (unsigned i = 0; i < r->nsrc; i++) {
		print_reading_line(r->srcs[i]);
		if (r->srcs[i]->linktype != r->srcs[0]->linktype)
			return td_errf(r->errbuf, EINVAL,
				       "%s: link-type %d differs from the first input's %d; merge them separately",
				       r->srcs[i]->name, r->srcs[i]->linktype, r->srcs[0]->linktype);
	}
	if (rep.ring_drops || rep.backend_drops) {
		fprintf(stderr, "tapdump: %llu packets were lost between ",
			(unsigned long long)(rep.ring_drops + rep.backend_drops));
		print_time(stderr, rep.drops_from_ns);
		fprintf(stderr, " and ");
		print_time(stderr, rep.drops_to_ns);
		fprintf(stderr, " (ring %llu, backend %llu)\n", (unsigned long long)rep.ring_drops,
			(unsigned long long)rep.backend_drops);
	}
	if (cfg->print.verbose)
		fprintf(stderr,
			"tapdump: archive: %u files (%u skipped by the index, %u without one), %llu of %llu "
			"segments read\n",
			rep.files, rep.files_skipped, rep.files_unindexed, (unsigned long long)rep.segments_read,
			(unsigned long long)rep.segments);
	return 0;
}

static int open_files(struct run *r)
{
	const struct td_config *cfg = r->eng.cfg;
	struct source **srcs = r->srcs;

	if (archive_mode(cfg))
		return open_archive(r);
	for (unsigned i = 0; i < cfg->n_read_files; i++) {
		struct source *src =
			file_source_open_stoppable(cfg->read_files[i], cfg->tsprec, 0, r->sig.stop_fd, r->errbuf);
		if (!src && errno == ECANCELED)
			return 1;
		if (!src)
			return td_errno_or(EIO);
		srcs[r->nsrc++] = src;
		print_reading_line(src);
		if (src->linktype != srcs[0]->linktype)
			return td_errf(r->errbuf, EINVAL,
				       "%s: link-type %d differs from the first input's %d; merge them separately",
				       src->name, src->linktype, srcs[0]->linktype);
	}
	return 0;
}

/* tcpdump prints this once the filter is in place, so a bad expression never shows it. */
static void print_listening_line(const struct iface *ifc)
{
	const char *name = pcap_datalink_val_to_name(ifc->linktype);
	const char *desc = pcap_datalink_val_to_description(ifc->linktype);

	fprintf(stderr, "listening on %s, link-type %s (%s), snapshot length %u bytes\n", ifc->name, name ? name : "?",
		desc ? desc : "?", ifc->snaplen);
}

/* A live backend's warning: printed as tcpdump prints pcap_activate's, and the capture goes on. */
static void live_warning(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "tapdump: %s\n", msg);
}

static void live_opts_of(const struct td_config *cfg, struct live_opts *lo)
{
	live_opts_init(lo);
	lo->snaplen = cfg->snaplen;
	lo->promisc = cfg->promisc;
	lo->direction = cfg->direction;
	lo->buffer_kib = cfg->buffer_kib;
	lo->immediate = cfg->immediate;
	lo->tstamp_type = cfg->tstamp_type;
	lo->queues = cfg->workers;
	lo->dpdk_args = cfg->dpdk_args;
	lo->dpdk_gen = cfg->dpdk_gen;
	lo->dpdk_gen_rate = cfg->dpdk_gen_rate;
	lo->dpdk_gen_count = cfg->dpdk_gen_count;
	lo->dpdk_gen_size = cfg->dpdk_gen_size;
	lo->xdp_mode = cfg->xdp_mode;
	lo->xdp_stamp_burst = cfg->xdp_stamp_burst;
	lo->xdp_debug = cfg->xdp_debug;
	lo->dpdk_stamp_burst = cfg->dpdk_stamp_burst;
	lo->dpdk_debug = cfg->dpdk_debug;
	lo->warn = live_warning;
	lo->tsprec = cfg->tsprec;
}

/* The -i names, or tcpdump's default (the first device libpcap lists) in r->default_if. */
static int live_names(struct run *r, const char **names, unsigned *n)
{
	const struct td_config *cfg = r->eng.cfg;
	char errbuf[TD_ERRBUF_SIZE] = "";
	pcap_if_t *all = NULL;

	*n = cfg->n_interfaces;
	for (unsigned i = 0; i < cfg->n_interfaces; i++)
		names[i] = cfg->interfaces[i];
	if (*n)
		return 0;
	if (pcap_findalldevs(&all, errbuf) < 0 || !all)
		return td_errf(r->errbuf, ENODEV, "no capture device found (use -i or -r)%s%s", *errbuf ? ": " : "",
			       errbuf);
	snprintf(r->default_if, sizeof(r->default_if), "%s", all->name);
	pcap_freealldevs(all);
	names[0] = r->default_if;
	*n = 1;
	return 0;
}

/* Open one interface's queues into r->srcs, as interface k of the run. */
static int open_interface(struct run *r, unsigned k, const char *spec, const struct live_opts *lo)
{
	struct iface *ifc = &r->eng.ifaces[k];
	int rc;

	if (r->nsrc == MAX_INPUTS)
		return td_errf(r->errbuf, ENOSPC, "%s: no queue left for it (%u queues in all at most)", spec,
			       MAX_INPUTS);
	rc = live_open(spec, lo, r->srcs + r->nsrc, MAX_INPUTS - r->nsrc, r->errbuf);
	if (rc < 0)
		return rc;
	ifc->name = spec;
	ifc->linktype = r->srcs[r->nsrc]->linktype;
	ifc->linktype_ext = r->srcs[r->nsrc]->linktype_ext;
	for (int q = 0; q < rc; q++) {
		if (r->srcs[r->nsrc]->snaplen > ifc->snaplen)
			ifc->snaplen = r->srcs[r->nsrc]->snaplen;
		r->src_iface[r->nsrc++] = k;
	}
	return 0;
}

/*
 * pcap output and the printer know one link type: interfaces that differ
 * can only be recorded to pcapng, where each has its IDB.
 */
static int check_linktypes(const struct engine *eng, char *errbuf)
{
	const struct td_config *cfg = eng->cfg;
	bool pcapng = cfg->write_file && cfg->format == FORMAT_PCAPNG;

	for (unsigned k = 1; k < eng->nifaces; k++) {
		const struct iface *a = &eng->ifaces[0], *b = &eng->ifaces[k];
		const char *na = pcap_datalink_val_to_name(a->linktype), *nb = pcap_datalink_val_to_name(b->linktype);

		if (a->linktype == b->linktype && (pcapng || a->linktype_ext == b->linktype_ext))
			continue;
		if (pcapng && !cfg->print_beside_write)
			continue;
		return td_errf(errbuf, EINVAL, "%s is link-type %s but %s is %s: %s", a->name, na ? na : "?", b->name,
			       nb ? nb : "?",
			       !cfg->write_file ? "printing decodes one link type (record both with -w FILE.pcapng)"
			       : pcapng		? "--print decodes one link type"
						: "a pcap file holds one link type (write pcapng: -w FILE.pcapng)");
	}
	return 0;
}

/* Open every -i interface's queues, in order; each is an interface of the run. */
static int open_live(struct run *r)
{
	const struct td_config *cfg = r->eng.cfg;
	const char *names[MAX_INTERFACES];
	struct live_opts lo;
	unsigned n;
	size_t used = 0;
	int rc;

	live_opts_of(cfg, &lo);
	if (cfg->linktype_name) {
		lo.linktype = pcap_datalink_name_to_val(cfg->linktype_name);
		if (lo.linktype < 0)
			return td_errf(r->errbuf, EINVAL, "invalid data link type %s", cfg->linktype_name);
	}
	if ((rc = live_names(r, names, &n)) < 0)
		return rc;
	/* writer.c waits LIVE_MERGE_WAIT_NS (50 ms) for a silent input: each interface delivers well within it. */
	if (n > 1)
		lo.block_ms = LIVE_MERGED_BLOCK_MS;
	for (unsigned k = 0; k < n; k++) {
		if (cfg->dpdk_gen && strncmp(names[k], "dpdk:", 5) != 0)
			return td_errf(r->errbuf, EINVAL,
				       "--dpdk-gen feeds a DPDK net_ring port (-i dpdk:net_ring0), not %s", names[k]);
	}
	if (cfg->list_linktypes || cfg->list_tstamp_types) {
		for (unsigned k = 0; k < n; k++) {
			/* tcpdump 4.99 prints -L's list on standard output, -J's on standard error. */
			rc = cfg->list_linktypes ? live_list_linktypes(names[k], &lo, stdout, r->errbuf)
						 : live_list_tstamp_types(names[k], &lo, stderr, r->errbuf);
			if (rc < 0)
				return rc;
		}
		return 1;
	}
	for (unsigned k = 0; k < n; k++) {
		if ((rc = open_interface(r, k, names[k], &lo)) < 0)
			return rc;
		r->eng.nifaces = k + 1;
		if (used < sizeof(r->live_spec))
			used += (size_t)snprintf(r->live_spec + used, sizeof(r->live_spec) - used, "%s%s",
						 k ? ", " : "", names[k]);
	}
	return check_linktypes(&r->eng, r->errbuf);
}

/* libpcap writes the file header itself, so the header bytes are exactly tcpdump's. */
static int make_header(int linktype, uint32_t snaplen, enum ts_precision prec, uint8_t *out)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(
		linktype, (int)snaplen, prec == TS_NANO ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	pcap_dumper_t *d;
	int rc = -1;

	if (!dead)
		return -1;
	mem = open_memstream(&buf, &len);
	if (mem && (d = pcap_dump_fopen(dead, mem))) {
		pcap_dump_close(d); /* closes mem, which settles buf and len */
		if (len == PCAP_FILE_HEADER_BYTES) {
			memcpy(out, buf, len);
			rc = 0;
		}
	} else if (mem) {
		fclose(mem);
	}
	free(buf);
	pcap_close(dead);
	return rc;
}

/* With several writers each keeps its own series: "cap.pcap.lz4" becomes "cap-w1.pcap.lz4". */
static char *writer_pattern(const char *pattern, unsigned id, unsigned nwriters)
{
	const char *slash = strrchr(pattern, '/'), *dot;
	char *out;

	if (nwriters == 1)
		return strdup(pattern);
	dot = strchr(slash ? slash + 1 : pattern, '.');
	if (!dot)
		dot = pattern + strlen(pattern);
	if (asprintf(&out, "%.*s-w%u%s", (int)(dot - pattern), pattern, id, dot) < 0)
		return NULL;
	return out;
}

static void on_file_closed(void *arg, const struct file_report *r)
{
	struct writer *wr = arg;
	struct totals t;
	uint64_t drops;

	counter_add(&wr->ctr.files, 1);
	stats_sum(wr->eng, &t);
	drops = t.ring_dropped + t.lost;
	stats_json_file(wr->eng, r, drops - wr->drops_at_open);
	wr->drops_at_open = drops;
	/* A failed close is reported once, by whoever sees the error: the writer (write error) or run() at the end. */
}

/*
 * Hooks for the tests, from the environment (documented in tests/, not in
 * the man page): TAPDUMP_TEST_LZ4_DELAY_US=N makes LZ4 compression cost
 * the writer N more microseconds a run, a compressor slower than the link,
 * and paces file input as live input is (lz4_pace.h).
 */
static int test_hooks(struct engine *eng, char *errbuf)
{
	const char *v = getenv("TAPDUMP_TEST_LZ4_DELAY_US");
	char *end;
	unsigned long us;

	if (!v)
		return 0;
	errno = 0;
	us = strtoul(v, &end, 10);
	if (errno || end == v || *end || us > 1000000)
		return td_errf(errbuf, EINVAL, "TAPDUMP_TEST_LZ4_DELAY_US=%s: expected microseconds, 0 to 1000000", v);
	eng->test_lz4_delay_us = (unsigned)us;
	return 0;
}

static int setup_writers(struct engine *eng, const struct td_config *cfg, const uint8_t *header, char *errbuf)
{
	/* pcapng's SHB and an IDB per interface: each as -i names it (a -r input has none), the filter as given. */
	struct pcapng_iface ifaces[MAX_INTERFACES];
	const struct pcapng_meta ng = {
		.userappl = "tapdump " TAPDUMP_VERSION,
		.filter = cfg->expression,
		.ifaces = ifaces,
		.nifaces = eng->nifaces,
	};

	_Static_assert(MAX_INTERFACES <= PCAPNG_MAX_IFACES, "every interface gets its IDB");
	for (unsigned k = 0; k < eng->nifaces; k++)
		ifaces[k] = (struct pcapng_iface){
			.name = eng->ifaces[k].name,
			.linktype = (uint32_t)eng->ifaces[k].linktype | eng->ifaces[k].linktype_ext,
			.snaplen = eng->ifaces[k].snaplen,
		};

	eng->writers = calloc(eng->nwriters, sizeof(*eng->writers));
	if (!eng->writers)
		return td_errf(errbuf, ENOMEM, "out of memory");
	for (unsigned i = 0; i < eng->nwriters; i++) {
		struct writer *wr = &eng->writers[i];

		wr->eng = eng;
		wr->id = i;
		wr->count_limit = cfg->count;
		wr->inputs = calloc(eng->nworkers, sizeof(*wr->inputs));
		wr->lz4 = LZ4_createStream();
		if (!wr->inputs || !wr->lz4)
			return td_errf(errbuf, ENOMEM, "out of memory");
		for (unsigned k = i; k < eng->nworkers; k += eng->nwriters) {
			wr->inputs[wr->ninputs++] = &eng->workers[k];
			eng->workers[k].writer_park = &wr->park;
		}
		if (cfg->write_file) {
			struct series_params sp = {
				.rotate_bytes = cfg->rotate_bytes,
				.rotate_seconds = cfg->rotate_seconds,
				.max_files = cfg->rotate_files,
				.align = cfg->rotate_align,
				.wall_clock = eng->live,
				.hook_cmd = cfg->rotate_hook,
				.hooks = eng->hooks,
				.sink = { .kind = cfg->compress == COMPRESS_LZ4 ? SINK_LZ4 : SINK_PLAIN,
					  .lz4_accel = cfg->lz4_accel,
					  .lz4_ctr = &wr->ctr.lz4,
					  .write_behind = cfg->write_behind,
					  .direct_io = cfg->direct_io,
					  .io_ns = &wr->io_ns,
					  .index = !cfg->no_index },
				.packet_buffered = cfg->packet_buffered,
				.disk_budget = cfg->disk_budget,
				.min_free = cfg->min_free,
				.budget_share = eng->nwriters, /* each writer's series keeps its share */
				.retention_ctr = &wr->ctr.retention,
				.on_close = on_file_closed,
				.arg = wr,
				.pcapng = cfg->format == FORMAT_PCAPNG ? &ng : NULL,
			};
			char *pattern = writer_pattern(cfg->write_file, i, eng->nwriters);
			if (!pattern)
				return td_errf(errbuf, ENOMEM, "out of memory");
			sp.pattern = pattern;
			memcpy(sp.header, header, PCAP_FILE_HEADER_BYTES);
			wr->series = series_open(&sp, errbuf);
			free(pattern); /* the series keeps its own copy */
			if (!wr->series)
				return td_errno_or(EIO);
			if (sp.sink.kind == SINK_LZ4) {
				/*
				 * File input waits for the writer and never drops, so only a
				 * live capture trades ratio for speed when it falls behind (and
				 * a replay under the test hook, whose files must then read back
				 * as a run without it).
				 */
				wr->paced = eng->live || eng->test_lz4_delay_us;
				lz4_pace_init(&wr->pace, cfg->lz4_accel);
				atomic_init(&wr->lz4_accel_now, lz4_pace_accel(&wr->pace));
				counter_set(&wr->ctr.lz4.accel, (uint64_t)lz4_pace_accel(&wr->pace));
			}
			/* pcapng compresses its EPBs in the sink: no LZ4 blocks of pcap records made ahead. */
			if (sp.sink.kind == SINK_LZ4 && !sp.pcapng) {
				wr->lz4_accel = cfg->lz4_accel > 1 ? cfg->lz4_accel : 1;
				/*
				 * A merge cuts blocks into runs, and so does -G by packet time:
				 * only then do whole blocks go out, and compressing ahead pays.
				 */
				if (wr->ninputs == 1 && !(sp.rotate_seconds && !sp.wall_clock)) {
					wr->inputs[0]->lz4_ahead = wr->lz4_accel;
					wr->inputs[0]->lz4_accel_now = &wr->lz4_accel_now;
				}
			}
		} else {
			wr->printer = printer_new(&cfg->print, eng->linktype, stdout, errbuf);
			if (!wr->printer)
				return td_errno_or(EINVAL);
		}
	}
	return 0;
}

/* -r inputs are one interface, unnamed: their link types agree (open_files), the snaplen is the largest. */
static void files_interface(struct run *r)
{
	struct iface *ifc = &r->eng.ifaces[0];

	r->eng.nifaces = 1;
	ifc->name = NULL;
	ifc->linktype = r->srcs[0]->linktype;
	ifc->linktype_ext = r->srcs[0]->linktype_ext;
	for (unsigned i = 0; i < r->nsrc; i++) {
		r->src_iface[i] = 0;
		if (r->srcs[i]->snaplen > ifc->snaplen)
			ifc->snaplen = r->srcs[i]->snaplen;
	}
}

/* 1. Sources: -r files (merged in time order) or the queues of every -i interface. */
static int build_sources(struct run *r)
{
	const struct td_config *cfg = r->eng.cfg;
	int rc;

	if (cfg->n_read_files) {
		rc = open_files(r);
		if (rc == 0)
			files_interface(r);
	} else {
		rc = open_live(r);
	}
	if (rc)
		return rc;
	r->eng.live = r->srcs[0]->live;
	/* Every source's blocking waits end when the engine stops (source.h): live polls, FIFO and pipe reads. */
	r->eng.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (r->eng.stop_fd < 0)
		return td_errf(r->errbuf, errno, "eventfd: %s", strerror(errno));
	for (unsigned i = 0; i < r->nsrc; i++)
		r->srcs[i]->stop_fd = r->eng.stop_fd;
	r->eng.linktype = r->eng.ifaces[0].linktype;
	r->eng.snaplen = 0;
	for (unsigned k = 0; k < r->eng.nifaces; k++)
		if (r->eng.ifaces[k].snaplen > r->eng.snaplen)
			r->eng.snaplen = r->eng.ifaces[k].snaplen;
	return 0;
}

/*
 * 2. The filter, compiled as tcpdump compiles it, for each interface (its
 * link type and snaplen; the input's for -r); -d prints the first
 * interface's program and ends the run here.
 */
static int build_filter(struct run *r)
{
	const struct td_config *cfg = r->eng.cfg;

	for (unsigned k = 0; k < r->eng.nifaces; k++) {
		struct iface *ifc = &r->eng.ifaces[k];

		ifc->filter = filter_compile(cfg->expression, ifc->linktype, ifc->snaplen, cfg->optimize, !cfg->no_jit,
					     r->errbuf);
		if (!ifc->filter)
			return -EINVAL;
	}
	if (cfg->dump_code) {
		bpf_dump(filter_program(r->eng.ifaces[0].filter), cfg->dump_code);
		r->status = 0;
		return 1;
	}
	/*
	 * libpcap live sources filter in the kernel too, as tcpdump does, so
	 * unmatched packets are never copied up; the worker's filter still runs
	 * and its verdict is the same. AF_XDP and DPDK sources see everything.
	 */
	if (r->eng.live && cfg->expression && *cfg->expression) {
		for (unsigned i = 0; i < r->nsrc; i++) {
			const struct filter *f = r->eng.ifaces[r->src_iface[i]].filter;
			int rc = live_set_kernel_filter(r->srcs[i], filter_program(f), r->errbuf);
			if (rc < 0 && rc != -ENOTSUP)
				return rc;
		}
	}
	for (unsigned k = 0; r->eng.live && k < r->eng.nifaces; k++)
		print_listening_line(&r->eng.ifaces[k]);
	return 0;
}

/* 3. Workers, one per source, each with its channel of blocks; the sources move into them. */
static int build_workers(struct run *r)
{
	struct engine *eng = &r->eng;

	eng->workers = calloc(r->nsrc, sizeof(*eng->workers));
	if (!eng->workers)
		return td_errf(r->errbuf, ENOMEM, "out of memory");
	eng->nworkers = r->nsrc;
	for (unsigned i = 0; i < r->nsrc; i++) {
		struct worker *w = &eng->workers[i];

		w->eng = eng;
		w->id = i;
		if (!(w->lz4 = LZ4_createStream()))
			return td_errf(r->errbuf, ENOMEM, "out of memory");
		w->iface = r->src_iface[i];
		w->src = r->srcs[i];
		r->srcs[i] = NULL;
		w->filter = eng->ifaces[w->iface].filter;
		w->snaplen = eng->ifaces[w->iface].snaplen;
		w->count_limit = eng->cfg->count;
		if (channel_init(&w->ch, eng->live ? LIVE_BLOCKS_PER_WORKER : FILE_BLOCKS_PER_WORKER) < 0)
			return td_errf(r->errbuf, ENOMEM, "out of memory");
	}
	r->nsrc = 0;
	return 0;
}

/* 4. Outputs: hooks, the stats file, the pcap header, the writers and the printer tap. */
static int build_outputs(struct run *r)
{
	struct engine *eng = &r->eng;
	const struct td_config *cfg = eng->cfg;
	uint8_t header[PCAP_FILE_HEADER_BYTES];
	uint32_t lt;
	int rc;

	if (cfg->rotate_hook && !(eng->hooks = hooks_new()))
		return td_errf(r->errbuf, ENOMEM, "out of memory");
	if (cfg->stats_file) {
		rc = stats_file_open(cfg->stats_file, &eng->stats_out, r->errbuf);
		if (rc < 0)
			return rc;
		if (eng->archive_on)
			stats_json_archive(eng);
	}
	if (make_header(eng->linktype, eng->snaplen, cfg->tsprec, header) < 0)
		return td_errf(r->errbuf, EINVAL, "cannot build a pcap header for link-type %d", eng->linktype);
	/* libpcap's dumper keeps the input's FCS-length bits of the link-type field. */
	memcpy(&lt, header + 20, sizeof(lt));
	lt |= eng->workers[0].src->linktype_ext;
	memcpy(header + 20, &lt, sizeof(lt));
	if (cfg->line_buffered)
		setvbuf(stdout, NULL, _IOLBF, 0);
	if ((rc = test_hooks(eng, r->errbuf)) < 0)
		return rc;
	eng->nwriters = cfg->write_file ? (cfg->writers < eng->nworkers ? cfg->writers : eng->nworkers) : 1;
	if ((rc = setup_writers(eng, cfg, header, r->errbuf)) < 0)
		return rc;
	if (cfg->print_beside_write && cfg->write_file) {
		rc = print_tap_start(&eng->tap, &cfg->print, cfg->print_rate, eng->linktype, stdout, r->errbuf);
		if (rc < 0)
			return rc;
		eng->writers[0].tap = &eng->tap;
	}
	return 0;
}

/*
 * LZ4 helpers (lz4_offers.h): with whole blocks going out compressed, one
 * thread per core no worker or writer has (--lz4-threads N: that many,
 * pinned to the spare cores first), and a board the workers offer their
 * blocks on. With no helper the board still lets idle writers help.
 */
static int build_lz4_helpers(struct run *r)
{
	struct engine *eng = &r->eng;
	const struct td_config *cfg = eng->cfg;
	bool ahead = false;
	unsigned n;

	for (unsigned i = 0; i < eng->nworkers; i++)
		ahead |= eng->workers[i].lz4_ahead != 0;
	if (!ahead)
		return 0;
	n = cfg->lz4_threads >= 0 ? (unsigned)cfg->lz4_threads : r->pl.nspare;
	if (!n && eng->nwriters < 2)
		return 0;
	eng->offers = malloc(sizeof(*eng->offers));
	eng->helpers = n ? calloc(n, sizeof(*eng->helpers)) : NULL;
	if (!eng->offers || (n && !eng->helpers))
		return td_errf(r->errbuf, ENOMEM, "out of memory");
	lz4_offers_init(eng->offers);
	eng->nhelpers = n;
	for (unsigned i = 0; i < n; i++) {
		if (!(eng->helpers[i].lz4 = LZ4_createStream()))
			return td_errf(r->errbuf, ENOMEM, "out of memory");
		eng->helpers[i].board = eng->offers;
		eng->helpers[i].id = i;
		eng->helpers[i].cpu = i < r->pl.nspare ? r->pl.spare_cpu[i] : -1;
	}
	for (unsigned i = 0; i < eng->nworkers; i++)
		if (eng->workers[i].lz4_ahead) {
			eng->workers[i].offers = eng->offers;
			eng->workers[i].helped = n > 0;
		}
	return 0;
}

int run_build(struct run *r)
{
	struct engine *eng = &r->eng;
	const struct td_config *cfg = eng->cfg;
	char warnbuf[TD_ERRBUF_SIZE];
	int rc;

	r->status = 1;
	if ((rc = build_sources(r)) != 0 || (rc = build_filter(r)) != 0) {
		/* A stop signal while an input blocked, -L or -d served: nothing more to do, no error. */
		if (rc > 0)
			r->status = 0;
		return rc;
	}
	/* Privileges go before any output file exists, so all of them have one owner. */
	if (cfg->user && (rc = privs_drop(cfg->user, r->errbuf)) < 0)
		return rc;
	if ((rc = build_workers(r)) < 0 || (rc = build_outputs(r)) < 0)
		return rc;
	rc = placement_plan(cfg->cpus, eng->nworkers, eng->nwriters, eng->live ? eng->workers[0].src->numa_node : -1,
			    &r->pl, r->errbuf, warnbuf);
	if (rc < 0)
		return rc;
	if (*warnbuf)
		fprintf(stderr, "tapdump: warning: %s\n", warnbuf);
	if ((rc = build_lz4_helpers(r)) < 0)
		return rc;
	r->status = 0;
	return 0;
}

void run_destroy(struct run *r)
{
	struct engine *eng = &r->eng;

	if (eng->tap.started || eng->tap.full) {
		if (eng->tap.started) {
			atomic_store(&eng->tap.done, true);
			park_wake(&eng->tap.park);
		}
		print_tap_stop(&eng->tap);
	}
	for (unsigned i = 0; eng->writers && i < eng->nwriters; i++) {
		if (eng->writers[i].series)
			series_close(eng->writers[i].series, NULL, NULL, NULL);
		if (eng->writers[i].printer)
			printer_free(eng->writers[i].printer);
		free(eng->writers[i].inputs);
		LZ4_freeStream(eng->writers[i].lz4);
	}
	/* Before the blocks go: no helper may still be at one. */
	lz4_helpers_stop(eng->offers, eng->helpers, eng->nhelpers);
	for (unsigned i = 0; eng->helpers && i < eng->nhelpers; i++)
		LZ4_freeStream(eng->helpers[i].lz4);
	free(eng->helpers);
	free(eng->offers);
	for (unsigned i = 0; eng->workers && i < eng->nworkers; i++) {
		source_close(eng->workers[i].src);
		LZ4_freeStream(eng->workers[i].lz4);
		channel_destroy(&eng->workers[i].ch);
	}
	for (unsigned i = 0; i < r->nsrc; i++)
		source_close(r->srcs[i]);
	if (eng->live)
		live_cleanup();
	for (unsigned k = 0; k < eng->nifaces; k++)
		filter_free(eng->ifaces[k].filter);
	hooks_free(eng->hooks);
	if (eng->stats_out)
		fclose(eng->stats_out);
	free(eng->workers);
	free(eng->writers);
	if (eng->stop_fd >= 0)
		close(eng->stop_fd);
	signals_fini(&r->sig);
	pthread_mutex_destroy(&eng->report_lock);
}
