/* What each signal does to a run, decided in one place; the main thread alone takes them. */
#ifndef TD_SIGNALS_H
#define TD_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum signal_action {
	SIGNAL_NONE, /* the wait timed out */
	/*
	 * SIGINT, SIGTERM, SIGHUP (unless it rotates): stop reading, write what
	 * was taken, close every file whole. A second one (250 ms or more after
	 * the first) ends the wait for -z hooks, and the run itself if a writer
	 * is stuck.
	 */
	SIGNAL_STOP,
	SIGNAL_ROTATE, /* SIGHUP on a live capture into files: close each file, open the next */
	SIGNAL_STATS,  /* SIGUSR1: the counters now */
	SIGNAL_CHILD,  /* SIGCHLD: a -z hook ended */
	SIGNAL_WAKE,   /* SIGUSR2: a writer is done (sent by the writer itself) */
};

struct run_signals {
	sigset_t all;		/* every signal above: blocked in every thread, taken by sigtimedwait */
	int stop_fd;		/* signalfd, readable while a stop signal is pending: blocking opens poll it */
	bool hup_ignored;	/* started ignoring SIGHUP (nohup): it stays ignored, as tcpdump leaves it */
	bool hup_rotates;	/* set by run() for a live capture with -w FILE: SIGHUP means SIGNAL_ROTATE */
	unsigned stops;		/* stop signals taken so far: the second one means "now" */
	int last_stop_sig;	/* for the message */
	uint64_t first_stop_ms; /* CLOCK_MONOTONIC of the first */
};

/*
 * Block the run's signals in the calling thread (every thread started
 * later inherits the mask, DPDK's EAL threads included), ignore SIGPIPE
 * (a closed output is a write error we handle, EPIPE) and open stop_fd.
 * Call before any source opens. Returns 0 or -errno.
 */
int signals_init(struct run_signals *rs);

/* Wait up to timeout (NULL: no wait) for one signal and say what it means. */
enum signal_action signals_take(struct run_signals *rs, const struct timespec *timeout);

void signals_fini(struct run_signals *rs);

#endif
