/* The main thread's part of a run: start the threads, supervise them, finish, report, one teardown (lifecycle.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lifecycle.h"
#include "live.h"
#include "run.h"
#include "stats.h"

/* Without --stats-interval the --prometheus-file is still refreshed this often (seconds). */
#define PROMETHEUS_DEFAULT_INTERVAL 1.0

/*
 * At exit, -z hooks still running are waited for this long (seconds), so a
 * short hook (gzip, an upload) finishes and its failure is reported; a
 * stop signal ends the wait at once. Hooks still running then go on,
 * detached (tcpdump never waits for them), and each is named on stderr.
 */
#define HOOK_WAIT_SECONDS 10.0

static double mono_seconds(void)
{
	return (double)mono_ns() / 1e9;
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

static void reap_hooks(struct engine *eng)
{
	unsigned failed;

	if (!eng->hooks)
		return;
	failed = hook_reap(eng->hooks);
	if (failed)
		counter_add(&eng->writers[0].ctr.hook_failures, failed);
}

/*
 * A second stop signal and still a writer not done after this long: it is
 * stuck in a write (a FIFO or pipe nobody reads, a hung file system), and
 * no close can finish. The process ends anyway, saying so: a second signal
 * always ends the run promptly.
 */
#define STUCK_WRITER_SECONDS 2.0

static void give_up_if_stuck(double second_stop_at)
{
	if (second_stop_at == 0 || mono_seconds() - second_stop_at < STUCK_WRITER_SECONDS)
		return;
	fprintf(stderr, "tapdump: a writer is stuck in a write; exiting without closing its file\n");
	_exit(1);
}

/* The main thread's loop: signals, stats intervals, --duration, -z reaping, until every writer is done. */
static void supervise(struct run *r)
{
	struct engine *eng = &r->eng;
	const struct td_config *cfg = eng->cfg;
	double start = r->started_at;
	double next_stats = start + cfg->stats_interval, last_stats = start;
	double prom_every = cfg->stats_interval > 0 ? cfg->stats_interval : PROMETHEUS_DEFAULT_INTERVAL;
	double next_prom = start + prom_every, second_stop_at = 0;
	struct totals prev;

	memset(&prev, 0, sizeof(prev));
	for (;;) {
		struct timespec tick = supervise_tick(cfg, start, next_stats, next_prom);
		bool writers_done = true;
		double now;

		if (second_stop_at && tick.tv_sec >= 1)
			tick = (struct timespec){ 0, 100 * 1000 * 1000L };
		switch (signals_take(&r->sig, &tick)) {
		case SIGNAL_STOP:
			engine_request_stop(eng);
			if (r->sig.stops == 2)
				second_stop_at = mono_seconds();
			break;
		case SIGNAL_STATS:
			stats_print_summary(eng, stderr);
			if (cfg->print.verbose)
				stats_print_table(eng, stderr);
			break;
		default: break;
		}
		reap_hooks(eng);
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
			write_prometheus(eng, now - start, &r->prom_warned);
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
		give_up_if_stuck(second_stop_at);
	}
}

/*
 * Join the workers, close every file (queueing the last -z hooks) and stop
 * the printer; errors are reported once each and set the exit status.
 */
static void finish(struct run *r)
{
	struct engine *eng = &r->eng;

	for (unsigned i = 0; i < eng->nworkers; i++) {
		struct worker *w = &eng->workers[i];

		if (w->started)
			pthread_join(w->thread, NULL);
		w->started = false;
		/* A read the stop interrupted (a FIFO, a pipe) is how a stop ends, not an error. */
		if (w->error && w->error != -ECANCELED) {
			/* tcpdump's wording for a file that ends mid-record. */
			fprintf(stderr, "tapdump: pcap_loop: %s\n", w->errbuf);
			r->status = 1;
		}
	}
	for (unsigned i = 0; i < eng->nwriters; i++) {
		struct writer *wr = &eng->writers[i];
		char cerr[SINK_ERRBUF_SIZE];

		/* The reader of our standard output went away: tcpdump ends quietly then (its SIGPIPE cleanup). */
		if (wr->error && wr->error != -EPIPE) {
			fprintf(stderr, "tapdump: write error: %s\n", wr->errbuf);
			r->status = 1;
		}
		if (wr->series) {
			uint64_t durable = 0, lost = 0;
			int crc = series_close(wr->series, cerr, &durable, &lost);

			/* The writer thread is gone: its counters take the records the close settled. */
			counter_add(&wr->ctr.written, durable);
			counter_add(&wr->ctr.lost, lost);
			if (crc < 0 && !wr->error) {
				fprintf(stderr, "tapdump: %s\n", cerr);
				r->status = 1;
			}
			wr->series = NULL;
		}
		if (wr->printer) {
			printer_free(wr->printer);
			wr->printer = NULL;
		}
	}
	if (eng->tap.started)
		print_tap_stop(&eng->tap);
	fflush(stdout);
}

/*
 * Wait a while for the -z hooks still queued or running (HOOK_WAIT_SECONDS);
 * a stop signal, or a second one taken during the run, ends the wait.
 * Hook failures are reported, counted, and do not change the exit status
 * (tcpdump ignores its -z children's status).
 */
static void wait_hooks(struct run *r)
{
	struct engine *eng = &r->eng;
	double deadline = mono_seconds() + HOOK_WAIT_SECONDS;

	if (!eng->hooks)
		return;
	while (r->sig.stops < 2) {
		struct timespec slice = { 0, 100 * 1000 * 1000L };

		reap_hooks(eng);
		if (!hooks_pending(eng->hooks) || mono_seconds() >= deadline)
			break;
		if (signals_take(&r->sig, &slice) == SIGNAL_STOP)
			break;
	}
	reap_hooks(eng);
	hooks_report_running(eng->hooks, stderr);
}

/* tcpdump's closing lines on live input, the -v table, the last --prometheus-file. */
static void report(struct run *r)
{
	struct engine *eng = &r->eng;
	const struct td_config *cfg = eng->cfg;

	if (eng->live)
		stats_print_summary(eng, stderr);
	if (cfg->print.verbose && (eng->live || cfg->write_file))
		stats_print_table(eng, stderr);
	if (cfg->prometheus_file)
		write_prometheus(eng, mono_seconds() - r->started_at, &r->prom_warned);
}

int run(const struct td_config *cfg)
{
	struct run r;
	char errbuf[512];
	int status;

	memset(&r, 0, sizeof(r));
	r.eng.cfg = cfg;
	r.eng.stop_fd = -1;
	r.sig.stop_fd = -1;
	r.eng.main_thread = pthread_self();
	pthread_mutex_init(&r.eng.report_lock, NULL);

	if (cfg->list_devices) {
		status = 0;
		if (live_list(stdout, errbuf) < 0) {
			fprintf(stderr, "tapdump: %s\n", errbuf);
			status = 1;
		}
		pthread_mutex_destroy(&r.eng.report_lock);
		return status;
	}
	/*
	 * Signals go to the main thread only: every thread inherits the mask
	 * set here, before any source opens, because DPDK's EAL starts threads
	 * of its own there; a SIGUSR1 or SIGTERM landing on one of them would
	 * kill the process instead of reaching supervise().
	 */
	if (signals_init(&r.sig) < 0) {
		fprintf(stderr, "tapdump: cannot set up signal handling: %s\n", strerror(errno));
		r.status = 1;
		goto out;
	}
	if (run_build(&r) != 0)
		goto out;
	r.started_at = mono_seconds();
	if (start_threads(&r.eng, &r.pl) < 0) {
		/* Workers that never started will never say they are done: say it for them, so the writers end. */
		for (unsigned i = 0; i < r.eng.nworkers; i++)
			if (!r.eng.workers[i].started)
				atomic_store_explicit(&r.eng.workers[i].ch.done, true, memory_order_release);
		engine_request_stop(&r.eng);
		r.status = 1;
	}
	supervise(&r);
	finish(&r);
	wait_hooks(&r);
	report(&r);
out:
	status = r.status;
	run_destroy(&r);
	return status;
}
