/* The plan and the main thread: sources, filter, outputs, threads, signals, timers, the closing report. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "engine.h"
#include "file_source.h"
#include "live.h"
#include "placement.h"
#include "privs.h"
#include "run.h"
#include "stats.h"

/*
 * Live: 64 blocks of 1 MiB per worker, about 50 ms of 10G traffic to ride
 * out a slow write. Files wait instead of dropping, so a few blocks keep
 * both threads busy, and each block's first-touch page faults (costly in a
 * VM) are paid for less memory.
 */
#define LIVE_BLOCKS_PER_WORKER 64
#define FILE_BLOCKS_PER_WORKER 8

/* Without --stats-interval the --prometheus-file is still refreshed this often (seconds). */
#define PROMETHEUS_DEFAULT_INTERVAL 1.0

static double mono_seconds(void)
{
	return (double)mono_ns() / 1e9;
}

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

static int open_files(const struct td_config *cfg, struct source **srcs, unsigned *n)
{
	char errbuf[PCAP_ERRBUF_SIZE + 256];

	for (unsigned i = 0; i < cfg->n_read_files; i++) {
		struct source *src = file_source_open(cfg->read_files[i], cfg->tsprec, errbuf);
		if (!src) {
			fprintf(stderr, "tapdump: %s\n", errbuf);
			return -1;
		}
		srcs[(*n)++] = src;
		print_reading_line(src);
		if (src->linktype != srcs[0]->linktype) {
			fprintf(stderr,
				"tapdump: %s: link-type %d differs from the first input's %d; merge them separately\n",
				src->name, src->linktype, srcs[0]->linktype);
			return -1;
		}
	}
	return 0;
}

/* tcpdump prints this once the filter is in place, so a bad expression never shows it. */
static void print_listening_line(const char *spec, const struct source *src)
{
	const char *name = pcap_datalink_val_to_name(src->linktype);
	const char *desc = pcap_datalink_val_to_description(src->linktype);

	fprintf(stderr, "listening on %s, link-type %s (%s), snapshot length %u bytes\n", spec, name ? name : "?",
		desc ? desc : "?", src->snaplen);
}

/* Open -i's queues; spec_out gets the name for the "listening on" line. */
static int open_live(const struct td_config *cfg, struct source **srcs, unsigned *n, char *spec_out, size_t spec_size)
{
	char errbuf[PCAP_ERRBUF_SIZE + 256] = "";
	struct live_opts lo;
	const char *spec = cfg->interface;
	pcap_if_t *all = NULL;
	int rc;

	live_opts_init(&lo);
	lo.snaplen = cfg->snaplen;
	lo.promisc = cfg->promisc;
	lo.direction = cfg->direction;
	lo.buffer_kib = cfg->buffer_kib;
	lo.immediate = cfg->immediate;
	lo.tstamp_type = cfg->tstamp_type;
	lo.queues = cfg->workers;
	lo.dpdk_args = cfg->dpdk_args;
	lo.dpdk_gen = cfg->dpdk_gen;
	lo.dpdk_gen_rate = cfg->dpdk_gen_rate;
	lo.dpdk_gen_count = cfg->dpdk_gen_count;
	lo.xdp_mode = cfg->xdp_mode;
	lo.tsprec = cfg->tsprec;
	if (cfg->linktype_name) {
		lo.linktype = pcap_datalink_name_to_val(cfg->linktype_name);
		if (lo.linktype < 0) {
			fprintf(stderr, "tapdump: invalid data link type %s\n", cfg->linktype_name);
			return -1;
		}
	}
	if (!spec) {
		/* tcpdump's default: the first device libpcap lists. */
		if (pcap_findalldevs(&all, errbuf) < 0 || !all) {
			fprintf(stderr, "tapdump: no capture device found (use -i or -r)%s%s\n", *errbuf ? ": " : "",
				errbuf);
			return -1;
		}
		snprintf(spec_out, spec_size, "%s", all->name);
		spec = spec_out;
		pcap_freealldevs(all);
	}
	if (cfg->dpdk_gen && strncmp(spec, "dpdk:", 5) != 0) {
		fprintf(stderr, "tapdump: --dpdk-gen feeds a DPDK net_ring port (-i dpdk:net_ring0), not %s\n", spec);
		return -1;
	}
	if (cfg->list_linktypes) {
		rc = live_list_linktypes(spec, &lo, stdout, errbuf);
		if (rc < 0)
			fprintf(stderr, "tapdump: %s\n", errbuf);
		return rc < 0 ? -1 : 1;
	}
	rc = live_open(spec, &lo, srcs, MAX_INPUTS, errbuf);
	if (rc < 0) {
		fprintf(stderr, "tapdump: %s\n", errbuf);
		return -1;
	}
	if (*errbuf)
		fprintf(stderr, "tapdump: %s\n", errbuf);
	*n = (unsigned)rc;
	if (spec != spec_out)
		snprintf(spec_out, spec_size, "%s", spec);
	return 0;
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

/* Names for top -H, perf and gdb: "td-rx0", "td-writer1" (the kernel keeps 15 characters). */
static void thread_name(pthread_t t, const char *role, unsigned i)
{
	char name[16];

	snprintf(name, sizeof(name), "%s%u", role, i);
	pthread_setname_np(t, name);
}

static int start_threads(struct engine *eng, const struct placement *pl)
{
	for (unsigned i = 0; i < eng->nwriters; i++) {
		struct writer *wr = &eng->writers[i];
		if (pthread_create(&wr->thread, NULL, writer_main, wr)) {
			fprintf(stderr, "tapdump: cannot start a writer thread\n");
			return -1;
		}
		wr->started = true;
		thread_name(wr->thread, "td-writer", i);
		placement_pin(wr->thread, pl->writer_cpu[i]);
		if (wr->printer && eng->live) {
			/*
			 * The printer must never cost a live capture a packet: lowest
			 * priority there is. Reading a file there is nothing to lose,
			 * and printing is the whole job, so it keeps normal priority.
			 */
			struct sched_param sp = { .sched_priority = 0 };
			pthread_setschedparam(wr->thread, SCHED_IDLE, &sp);
		}
	}
	for (unsigned i = 0; i < eng->nworkers; i++) {
		struct worker *w = &eng->workers[i];
		if (pthread_create(&w->thread, NULL, worker_main, w)) {
			fprintf(stderr, "tapdump: cannot start an rx worker thread\n");
			return -1;
		}
		w->started = true;
		thread_name(w->thread, "td-rx", i);
		placement_pin(w->thread, pl->worker_cpu[i]);
	}
	return 0;
}

/* Rewrite --prometheus-file; a failure is reported once, the capture goes on. */
static void write_prometheus(struct engine *eng, double uptime, bool *warned)
{
	int ret = stats_prometheus_write(eng, eng->cfg->prometheus_file, uptime);

	if (ret < 0 && !*warned) {
		fprintf(stderr, "tapdump: %s: %s\n", eng->cfg->prometheus_file, strerror(-ret));
		*warned = true;
	}
}

/*
 * How long the main thread may sleep: until the next stats line, prometheus
 * rewrite or --duration's end, at most a second (-z children are reaped
 * that often), at least 10 ms. Signals and writers finishing (SIGUSR2) end
 * the sleep early, so an idle capture wakes it about once a second.
 */
static struct timespec supervise_tick(const struct td_config *cfg, double start, double next_stats, double next_prom)
{
	double now = mono_seconds(), wait = 1.0;

	if (cfg->stats_interval > 0 && next_stats - now < wait)
		wait = next_stats - now;
	if (cfg->prometheus_file && next_prom - now < wait)
		wait = next_prom - now;
	if (cfg->duration > 0 && start + cfg->duration - now < wait)
		wait = start + cfg->duration - now;
	if (wait < 0.01)
		wait = 0.01;
	return (struct timespec){ .tv_sec = (time_t)wait, .tv_nsec = (long)((wait - (double)(time_t)wait) * 1e9) };
}

/* The main thread's loop: signals, stats intervals, --duration, -z reaping, until every writer is done. */
static void supervise(struct engine *eng, const sigset_t *sigs, double start, bool *prom_warned)
{
	const struct td_config *cfg = eng->cfg;
	double next_stats = start + cfg->stats_interval, last_stats = start;
	double prom_every = cfg->stats_interval > 0 ? cfg->stats_interval : PROMETHEUS_DEFAULT_INTERVAL;
	double next_prom = start + prom_every;
	struct totals prev;

	memset(&prev, 0, sizeof(prev));
	for (;;) {
		struct timespec tick = supervise_tick(cfg, start, next_stats, next_prom);
		bool writers_done = true;
		double now;
		int sig = sigtimedwait(sigs, NULL, &tick);

		if (sig == SIGINT || sig == SIGTERM) {
			engine_request_stop(eng);
		} else if (sig == SIGUSR1) {
			stats_print_summary(eng, stderr);
			if (cfg->print.verbose)
				stats_print_table(eng, stderr);
		}
		if (eng->hooks) {
			unsigned failed = hook_reap(eng->hooks, false);
			if (failed)
				counter_add(&eng->writers[0].ctr.hook_failures, failed);
		}
		now = mono_seconds();
		if (cfg->duration > 0 && now - start >= cfg->duration)
			engine_request_stop(eng);
		if (cfg->stats_interval > 0 && now >= next_stats) {
			stats_print_interval(eng, stderr, &prev, now - last_stats);
			if (eng->stats_out) {
				pthread_mutex_lock(&eng->report_lock);
				stats_json_interval(eng, eng->stats_out, now - start);
				pthread_mutex_unlock(&eng->report_lock);
			}
			last_stats = now;
			next_stats += cfg->stats_interval;
		}
		if (cfg->prometheus_file && now >= next_prom) {
			write_prometheus(eng, now - start, prom_warned);
			next_prom += prom_every;
		}
		/*
		 * A writer says it is done just before it returns: join it then
		 * (a moment's wait), rather than try a join that can come too soon
		 * and leave the run idle for a whole tick.
		 */
		for (unsigned i = 0; i < eng->nwriters; i++) {
			struct writer *wr = &eng->writers[i];

			if (!wr->started)
				continue;
			if (atomic_load_explicit(&wr->done, memory_order_acquire)) {
				pthread_join(wr->thread, NULL);
				wr->started = false;
			} else {
				writers_done = false;
			}
		}
		if (writers_done)
			break;
	}
}

static int setup_writers(struct engine *eng, const struct td_config *cfg, const uint8_t *header)
{
	char errbuf[SINK_ERRBUF_SIZE + 256];

	eng->writers = calloc(eng->nwriters, sizeof(*eng->writers));
	if (!eng->writers)
		return -1;
	for (unsigned i = 0; i < eng->nwriters; i++) {
		struct writer *wr = &eng->writers[i];

		wr->eng = eng;
		wr->id = i;
		wr->count_limit = cfg->count;
		wr->inputs = calloc(eng->nworkers, sizeof(*wr->inputs));
		if (!wr->inputs)
			return -1;
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
					  .lz4_accel = cfg->lz4_accel },
				.packet_buffered = cfg->packet_buffered,
				.on_close = on_file_closed,
				.arg = wr,
			};
			char *pattern = writer_pattern(cfg->write_file, i, eng->nwriters);
			if (!pattern)
				return -1;
			sp.pattern = pattern;
			memcpy(sp.header, header, PCAP_FILE_HEADER_BYTES);
			wr->series = series_open(&sp, errbuf);
			if (!wr->series) {
				fprintf(stderr, "tapdump: %s\n", errbuf);
				return -1;
			}
			if (sp.sink.kind == SINK_LZ4) {
				wr->lz4_accel = cfg->lz4_accel > 1 ? cfg->lz4_accel : 1;
				/*
				 * A merge cuts blocks into runs, and so does -G by packet time:
				 * only then do whole blocks go out, and compressing ahead pays.
				 */
				if (wr->ninputs == 1 && !(sp.rotate_seconds && !sp.wall_clock))
					wr->inputs[0]->lz4_ahead = wr->lz4_accel;
			}
		} else {
			wr->printer = printer_new(&cfg->print, eng->linktype, stdout, errbuf);
			if (!wr->printer) {
				fprintf(stderr, "tapdump: %s\n", errbuf);
				return -1;
			}
		}
	}
	return 0;
}

int run(const struct td_config *cfg)
{
	struct engine eng;
	struct source *srcs[MAX_INPUTS];
	unsigned nsrc = 0;
	struct filter *filter = NULL;
	uint8_t header[PCAP_FILE_HEADER_BYTES];
	char errbuf[PCAP_ERRBUF_SIZE + 256], warnbuf[256], live_spec[256];
	struct placement pl;
	sigset_t sigs;
	double started_at;
	bool prom_warned = false;
	uint32_t srcs_ext = 0;
	int status = 1, rc;

	memset(&eng, 0, sizeof(eng));
	eng.cfg = cfg;
	eng.stop_fd = -1;
	eng.main_thread = pthread_self();
	pthread_mutex_init(&eng.report_lock, NULL);

	if (cfg->list_devices) {
		if (live_list(stdout, errbuf) < 0) {
			fprintf(stderr, "tapdump: %s\n", errbuf);
			return 1;
		}
		return 0;
	}
	/*
	 * Signals go to the main thread only: every thread inherits this mask.
	 * It is set before any source opens because DPDK's EAL starts threads
	 * of its own there; a SIGUSR1 or SIGTERM landing on one of them would
	 * kill the process instead of reaching supervise().
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGCHLD);
	/* A writer that finishes says so at once: no waiting out the supervisor's tick at exit. */
	sigaddset(&sigs, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	/* 1. Sources. */
	if (cfg->n_read_files)
		rc = open_files(cfg, srcs, &nsrc);
	else
		rc = open_live(cfg, srcs, &nsrc, live_spec, sizeof(live_spec));
	if (rc) {
		status = rc > 0 ? 0 : 1;
		goto out;
	}
	eng.live = srcs[0]->live;
	if (eng.live) {
		/* Without it live sources only wake on their short timeout: stopping takes longer, nothing else. */
		eng.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		for (unsigned i = 0; i < nsrc; i++)
			srcs[i]->stop_fd = eng.stop_fd;
	}
	eng.linktype = srcs[0]->linktype;
	srcs_ext = srcs[0]->linktype_ext;
	eng.snaplen = srcs[0]->snaplen;
	for (unsigned i = 1; i < nsrc; i++)
		if (srcs[i]->snaplen > eng.snaplen)
			eng.snaplen = srcs[i]->snaplen;

	/* 2. The filter, compiled as tcpdump compiles it (the input's link type and snaplen). */
	filter = filter_compile(cfg->expression, eng.linktype, eng.snaplen, cfg->optimize, !cfg->no_jit, errbuf);
	if (!filter) {
		fprintf(stderr, "tapdump: %s\n", errbuf);
		goto out;
	}
	if (cfg->dump_code) {
		bpf_dump(filter_program(filter), cfg->dump_code);
		status = 0;
		goto out;
	}
	/*
	 * libpcap live sources filter in the kernel too, as tcpdump does, so
	 * unmatched packets are never copied up; the worker's filter still runs
	 * and its verdict is the same. AF_XDP and DPDK sources see everything.
	 */
	if (eng.live && cfg->expression && *cfg->expression) {
		for (unsigned i = 0; i < nsrc; i++) {
			rc = live_set_kernel_filter(srcs[i], filter_program(filter), errbuf);
			if (rc < 0 && rc != -ENOTSUP) {
				fprintf(stderr, "tapdump: %s\n", errbuf);
				goto out;
			}
		}
	}
	if (eng.live)
		print_listening_line(live_spec, srcs[0]);
	/* tcpdump ignores -s when reading files (the bytes written are the input's); live sources applied it. */

	/* 3. Privileges go before any output file exists, so all of them have one owner. */
	if (cfg->user && privs_drop(cfg->user, errbuf) < 0) {
		fprintf(stderr, "tapdump: %s\n", errbuf);
		goto out;
	}

	/* 4. Threads and outputs. */
	eng.nworkers = nsrc;
	eng.nwriters = cfg->write_file ? (cfg->writers < nsrc ? cfg->writers : nsrc) : 1;
	eng.workers = calloc(nsrc, sizeof(*eng.workers));
	if (!eng.workers)
		goto nomem;
	if (cfg->rotate_hook && !(eng.hooks = hooks_new()))
		goto nomem;
	if (cfg->stats_file) {
		eng.stats_out = fopen(cfg->stats_file, "a");
		if (!eng.stats_out) {
			fprintf(stderr, "tapdump: %s: %s\n", cfg->stats_file, strerror(errno));
			goto out;
		}
	}
	for (unsigned i = 0; i < nsrc; i++) {
		struct worker *w = &eng.workers[i];
		w->eng = &eng;
		w->id = i;
		w->src = srcs[i];
		srcs[i] = NULL;
		w->filter = filter;
		w->snaplen = eng.snaplen;
		w->count_limit = cfg->count;
		if (channel_init(&w->ch, eng.live ? LIVE_BLOCKS_PER_WORKER : FILE_BLOCKS_PER_WORKER) < 0)
			goto nomem;
	}
	if (make_header(eng.linktype, eng.snaplen, cfg->tsprec, header) < 0) {
		fprintf(stderr, "tapdump: cannot build a pcap header for link-type %d\n", eng.linktype);
		goto out;
	}
	{
		/* libpcap's dumper keeps the input's FCS-length bits of the link-type field. */
		uint32_t lt;
		memcpy(&lt, header + 20, sizeof(lt));
		lt |= srcs_ext;
		memcpy(header + 20, &lt, sizeof(lt));
	}
	if (cfg->line_buffered)
		setvbuf(stdout, NULL, _IOLBF, 0);
	if (setup_writers(&eng, cfg, header) < 0)
		goto out;
	if (cfg->print_beside_write && cfg->write_file) {
		if (print_tap_start(&eng.tap, &cfg->print, cfg->print_rate, eng.linktype, stdout) < 0)
			goto out;
		eng.writers[0].tap = &eng.tap;
	}
	if (placement_plan(cfg->cpus, eng.nworkers, eng.nwriters, eng.live ? eng.workers[0].src->numa_node : -1, &pl,
			   errbuf, warnbuf) < 0) {
		fprintf(stderr, "tapdump: %s\n", errbuf);
		goto out;
	}
	if (*warnbuf)
		fprintf(stderr, "tapdump: warning: %s\n", warnbuf);

	if (start_threads(&eng, &pl) < 0) {
		engine_request_stop(&eng);
		status = 1;
	}
	started_at = mono_seconds();
	supervise(&eng, &sigs, started_at, &prom_warned);
	status = 0;
	for (unsigned i = 0; i < eng.nworkers; i++) {
		struct worker *w = &eng.workers[i];
		if (w->started)
			pthread_join(w->thread, NULL);
		w->started = false;
		if (w->error) {
			/* tcpdump's wording for a file that ends mid-record. */
			fprintf(stderr, "tapdump: pcap_loop: %s\n", w->errbuf);
			status = 1;
		}
	}
	for (unsigned i = 0; i < eng.nwriters; i++) {
		struct writer *wr = &eng.writers[i];
		char cerr[SINK_ERRBUF_SIZE];

		if (wr->error) {
			fprintf(stderr, "tapdump: write error: %s\n", wr->errbuf);
			status = 1;
		}
		if (wr->series) {
			uint64_t durable = 0, lost = 0;
			int crc = series_close(wr->series, cerr, &durable, &lost);

			/* The writer thread is gone: its counters take the records the close settled. */
			counter_add(&wr->ctr.written, durable);
			counter_add(&wr->ctr.lost, lost);
			if (crc < 0 && !wr->error) {
				fprintf(stderr, "tapdump: %s\n", cerr);
				status = 1;
			}
			wr->series = NULL;
		}
		if (wr->printer) {
			printer_free(wr->printer);
			wr->printer = NULL;
		}
	}
	if (eng.tap.started)
		print_tap_stop(&eng.tap);
	fflush(stdout);
	if (eng.hooks && hook_reap(eng.hooks, true))
		status = status ? status : 0;
	if (eng.live)
		stats_print_summary(&eng, stderr);
	if (cfg->print.verbose && (eng.live || cfg->write_file))
		stats_print_table(&eng, stderr);
	if (cfg->prometheus_file)
		write_prometheus(&eng, mono_seconds() - started_at, &prom_warned);
	goto out;
nomem:
	fprintf(stderr, "tapdump: out of memory\n");
	status = 1;
out:
	if (eng.tap.started || eng.tap.full) {
		if (eng.tap.started) {
			atomic_store(&eng.tap.done, true);
			park_wake(&eng.tap.park);
		}
		print_tap_stop(&eng.tap);
	}
	for (unsigned i = 0; eng.writers && i < eng.nwriters; i++) {
		if (eng.writers[i].series)
			series_close(eng.writers[i].series, NULL, NULL, NULL);
		if (eng.writers[i].printer)
			printer_free(eng.writers[i].printer);
		free(eng.writers[i].inputs);
	}
	for (unsigned i = 0; eng.workers && i < eng.nworkers; i++) {
		source_close(eng.workers[i].src);
		channel_destroy(&eng.workers[i].ch);
	}
	for (unsigned i = 0; i < nsrc; i++)
		source_close(srcs[i]);
	if (eng.live)
		live_cleanup();
	filter_free(filter);
	hooks_free(eng.hooks);
	if (eng.stats_out)
		fclose(eng.stats_out);
	free(eng.workers);
	free(eng.writers);
	if (eng.stop_fd >= 0)
		close(eng.stop_fd);
	return status;
}
