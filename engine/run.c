/* The main thread's part of a run: start the threads, supervise them, finish, report, one teardown (lifecycle.h). */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/errbuf.h"
#include "engine/lifecycle.h"
#include "io/live.h"
#include "engine/notify.h"
#include "engine/run.h"
#include "engine/stats.h"

/* Without --stats-interval the --prometheus-file is still refreshed this often (seconds). */
#define PROMETHEUS_DEFAULT_INTERVAL 1.0

/* Without --stats-interval a service manager still gets STATUS= this often (seconds): systemctl status stays fresh. */
#define NOTIFY_STATUS_DEFAULT_INTERVAL 5.0

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

static int start_threads(struct engine *eng, const struct placement *pl, char *errbuf)
{
	int err;

	for (unsigned i = 0; i < eng->nwriters; i++) {
		struct writer *wr = &eng->writers[i];
		if ((err = pthread_create(&wr->thread, NULL, writer_main, wr)) != 0)
			return td_errf(errbuf, err, "cannot start a writer thread");
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
		if ((err = pthread_create(&w->thread, NULL, worker_main, w)) != 0)
			return td_errf(errbuf, err, "cannot start an rx worker thread");
		w->started = true;
		thread_name(w->thread, "td-rx", i);
		placement_pin(w->thread, pl->worker_cpu[i]);
	}
	for (unsigned i = 0; i < eng->nhelpers; i++) {
		struct lz4_helper *h = &eng->helpers[i];
		if ((err = pthread_create(&h->thread, NULL, lz4_helper_main, h)) != 0)
			return td_errf(errbuf, err, "cannot start an LZ4 helper thread");
		h->started = true;
		thread_name(h->thread, "td-lz4-", i);
		placement_pin(h->thread, h->cpu);
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

/* STATUS= for the service manager (systemctl status): what the capture has done so far, in one line. */
static void notify_status(struct run *r, const char *state)
{
	struct totals t;

	if (!notify_on(&r->notify))
		return;
	stats_sum(&r->eng, &t);
	notify_send(&r->notify,
		    "STATUS=%s: %" PRIu64 " packets received, %" PRIu64 " written, %" PRIu64 " dropped (kernel %" PRIu64
		    ", interface %" PRIu64 ", ring %" PRIu64 "), %" PRIu64 " lost to write errors, %" PRIu64
		    " files closed",
		    state, t.received, t.written, t.backend_dropped + t.backend_if_dropped + t.ring_dropped,
		    t.backend_dropped, t.backend_if_dropped, t.ring_dropped, t.lost, t.files);
}

/* SIGHUP on a live capture into files: every writer closes its file and opens the next (series_rotate_now). */
static void request_rotate(struct engine *eng)
{
	if (engine_stopping(eng))
		return;
	/* Pairs with the acquire load in engine_rotate_requested(). */
	atomic_fetch_add_explicit(&eng->rotate_req, 1, memory_order_release);
	for (unsigned i = 0; i < eng->nwriters; i++)
		park_wake(&eng->writers[i].park);
}

/*
 * How long the main thread may sleep: until the next stats line, prometheus
 * rewrite, service notification (0: none) or --duration's end, at most a
 * second (-z children are reaped that often), at least 10 ms. Signals and
 * writers finishing (SIGUSR2) end the sleep early, so an idle capture wakes
 * it about once a second.
 */
static struct timespec supervise_tick(const struct td_config *cfg, double start, double next_stats, double next_prom,
				      double next_notify)
{
	double now = mono_seconds(), wait = 1.0;

	if (next_notify > 0 && next_notify - now < wait)
		wait = next_notify - now;

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
		counter_add(&eng->ctr.hook_failures, failed);
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
	/* Service notifications (NOTIFY_SOCKET): STATUS= at each stats interval, WATCHDOG=1 at half WATCHDOG_USEC. */
	double status_every = cfg->stats_interval > 0 ? cfg->stats_interval : NOTIFY_STATUS_DEFAULT_INTERVAL;
	double dog_every = notify_watchdog_interval(&r->notify);
	double next_status = notify_on(&r->notify) ? start + status_every : 0;
	double next_dog = dog_every > 0 ? start + dog_every : 0;
	bool stopping_sent = false;
	struct totals prev;

	memset(&prev, 0, sizeof(prev));
	for (;;) {
		double next_notify =
			next_dog > 0 && (next_status == 0 || next_dog < next_status) ? next_dog : next_status;
		struct timespec tick = supervise_tick(cfg, start, next_stats, next_prom, next_notify);
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
		case SIGNAL_ROTATE: request_rotate(eng); break;
		case SIGNAL_STATS:
			stats_print_summary(eng, stderr);
			if (cfg->print.verbose)
				stats_print_table(eng, stderr);
			notify_status(r, "running");
			break;
		default: break;
		}
		reap_hooks(eng);
		now = mono_seconds();
		if (cfg->duration > 0 && now - start >= cfg->duration)
			engine_request_stop(eng);
		/* The watchdog says the supervisor runs: it also reaps hooks, rotates on SIGHUP and ends a stuck stop. */
		if (next_dog > 0 && now >= next_dog) {
			notify_send(&r->notify, "WATCHDOG=1");
			while (next_dog <= now)
				next_dog += dog_every;
		}
		if (!stopping_sent && engine_stopping(eng)) {
			notify_send(&r->notify, "STOPPING=1");
			stopping_sent = true;
		}
		if (next_status > 0 && now >= next_status) {
			if (!stopping_sent)
				notify_status(r, "running");
			while (next_status <= now)
				next_status += status_every;
		}
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
	/* The input ended, -c or -W -G ended it: the manager hears of the stop before the files close. */
	if (!stopping_sent)
		notify_send(&r->notify, "STOPPING=1");
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
	lz4_helpers_stop(eng->offers, eng->helpers, eng->nhelpers);
	if (eng->nhelpers && eng->cfg->print.verbose) {
		uint64_t blocks = 0;

		for (unsigned i = 0; i < eng->nhelpers; i++)
			blocks += counter_get(&eng->helpers[i].blocks);
		fprintf(stderr, "tapdump: LZ4 helpers: %" PRIu64 " blocks compressed by %u helper thread(s)\n", blocks,
			eng->nhelpers);
	}
	for (unsigned i = 0; i < eng->nwriters; i++) {
		struct writer *wr = &eng->writers[i];
		char cerr[TD_ERRBUF_SIZE];

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
	int status, rc;

	memset(&r, 0, sizeof(r));
	r.eng.cfg = cfg;
	r.eng.stop_fd = -1;
	r.sig.stop_fd = -1;
	r.eng.main_thread = pthread_self();
	pthread_mutex_init(&r.eng.report_lock, NULL);

	if (cfg->list_devices) {
		status = 0;
		if (live_list(stdout, r.errbuf) < 0) {
			fprintf(stderr, "tapdump: %s\n", r.errbuf);
			status = 1;
		}
		pthread_mutex_destroy(&r.eng.report_lock);
		return status;
	}
	/* Before any thread exists: notify_open() edits the environment. A bad NOTIFY_SOCKET is said, not fatal. */
	if (notify_open(&r.notify, r.errbuf) < 0)
		fprintf(stderr, "tapdump: %s; no service notifications\n", r.errbuf);
	/*
	 * Signals go to the main thread only: every thread inherits the mask
	 * set here, before any source opens, because DPDK's EAL starts threads
	 * of its own there; a SIGUSR1 or SIGTERM landing on one of them would
	 * kill the process instead of reaching supervise().
	 */
	if ((rc = signals_init(&r.sig)) < 0) {
		fprintf(stderr, "tapdump: cannot set up signal handling: %s\n", strerror(-rc));
		r.status = 1;
		goto out;
	}
	/* The one place a failed build is said (common/errbuf.h: errors go up, the top prints). */
	if ((rc = run_build(&r)) != 0) {
		if (rc < 0)
			fprintf(stderr, "tapdump: %s\n", r.errbuf);
		goto out;
	}
	/* A daemon's SIGHUP (signals.c): only a live capture into files has a next file to start. */
	r.sig.hup_rotates = r.eng.live && cfg->write_file && strcmp(cfg->write_file, "-") != 0;
	r.started_at = mono_seconds();
	if (start_threads(&r.eng, &r.pl, r.errbuf) < 0) {
		fprintf(stderr, "tapdump: %s\n", r.errbuf);
		/* Workers that never started will never say they are done: say it for them, so the writers end. */
		for (unsigned i = 0; i < r.eng.nworkers; i++)
			if (!r.eng.workers[i].started)
				atomic_store_explicit(&r.eng.workers[i].ch.done, true, memory_order_release);
		engine_request_stop(&r.eng);
		r.status = 1;
	} else {
		/* Every source is open and listening (run_build), every thread started: the service is up. */
		notify_send(&r.notify, "READY=1\nSTATUS=%s %s", r.eng.live ? "listening on" : "reading",
			    r.eng.live ? r.live_spec : "capture files");
	}
	supervise(&r);
	finish(&r);
	wait_hooks(&r);
	report(&r);
out:
	status = r.status;
	run_destroy(&r);
	notify_close(&r.notify);
	return status;
}
