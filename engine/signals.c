/* The run's signal policy: which signals stop, rotate or ask for stats, and the fd that ends a blocking open. */
#include "engine/signals.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "engine/clock.h"

/* A stop signal this soon after the first is the same event delivered twice (milliseconds). */
#define SIGNAL_SECOND_MS 250

int signals_init(struct run_signals *rs)
{
	struct sigaction old, ign = { .sa_handler = SIG_IGN };
	sigset_t stops;

	rs->stops = 0;
	rs->last_stop_sig = 0;
	rs->hup_rotates = false;
	rs->stop_fd = -1;
	/* tcpdump: SIGHUP cleans up like SIGTERM, unless the run was started with it ignored (nohup). */
	rs->hup_ignored = sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler == SIG_IGN;
	/* A reader of our standard output that goes away is EPIPE on the write, handled there (tcpdump exits 0). */
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, NULL);

	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	if (!rs->hup_ignored)
		sigaddset(&stops, SIGHUP);
	rs->all = stops;
	sigaddset(&rs->all, SIGUSR1);
	sigaddset(&rs->all, SIGUSR2);
	sigaddset(&rs->all, SIGCHLD);
	if (pthread_sigmask(SIG_BLOCK, &rs->all, NULL) != 0)
		return -EINVAL;
	/* Only polled, never read: the signal stays pending for sigtimedwait, which decides. */
	rs->stop_fd = signalfd(-1, &stops, SFD_CLOEXEC | SFD_NONBLOCK);
	return rs->stop_fd < 0 ? -errno : 0;
}

enum signal_action signals_take(struct run_signals *rs, const struct timespec *timeout)
{
	static const struct timespec none = { 0, 0 };
	int sig = sigtimedwait(&rs->all, NULL, timeout ? timeout : &none);

	/*
	 * A daemon's SIGHUP: a recorder under a service manager is never ended
	 * by it (tcpdump's terminal hang-up meaning) but starts its next file,
	 * a rotation on demand. File input, printing and -w - keep tcpdump's stop.
	 */
	if (sig == SIGHUP && rs->hup_rotates)
		return SIGNAL_ROTATE;
	switch (sig) {
	case SIGINT:
	case SIGTERM:
	case SIGHUP: {
		uint64_t now = mono_ns() / 1000000;

		/*
		 * One event can arrive twice: timeout(1) signals its child, then
		 * the whole process group. Only a stop signal well after the first
		 * counts as a second one.
		 */
		if (rs->stops == 1 && now - rs->first_stop_ms < SIGNAL_SECOND_MS)
			return SIGNAL_NONE;
		if (!rs->stops)
			rs->first_stop_ms = now;
		rs->stops++;
		rs->last_stop_sig = sig;
		return SIGNAL_STOP;
	}
	case SIGUSR1: return SIGNAL_STATS;
	case SIGCHLD: return SIGNAL_CHILD;
	case SIGUSR2: return SIGNAL_WAKE;
	default: return SIGNAL_NONE;
	}
}

void signals_fini(struct run_signals *rs)
{
	if (rs->stop_fd >= 0)
		close(rs->stop_fd);
	rs->stop_fd = -1;
}
