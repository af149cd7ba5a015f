/* -z hooks: spawn each at SCHED_IDLE, without a shell, so a slow hook never competes with capture. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hook.h"

#define MAX_HOOKS 256

struct hook_child {
	pid_t pid;
	char *what; /* "cmd file", for the failure message */
};

/* Writers spawn, the main thread reaps: the table is the one place they meet, hence the lock (not a hot path). */
struct hooks {
	pthread_mutex_t lock;
	struct hook_child child[MAX_HOOKS];
};

struct hooks *hooks_new(void)
{
	struct hooks *h = calloc(1, sizeof(*h));

	if (h)
		pthread_mutex_init(&h->lock, NULL);
	return h;
}

void hooks_free(struct hooks *h)
{
	if (!h)
		return;
	for (int i = 0; i < MAX_HOOKS; i++)
		free(h->child[i].what);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

/*
 * Start cmd at SCHED_IDLE from its first instruction. glibc 2.36's
 * posix_spawn ignores POSIX_SPAWN_SETSCHEDULER (measured: the child stays
 * SCHED_OTHER), and moving the child afterwards races with it (a hook that
 * read its own policy at once saw SCHED_OTHER on a loaded machine). So the
 * child sets the policy itself between vfork and exec. vfork, not fork: no
 * copy of page tables (nor of pinned UMEM or hugepages), and this thread
 * waits only until the exec. The child touches nothing but its own stack
 * and child_err, through which a failed exec reports its errno.
 * Returns the pid, or -errno.
 */
static pid_t spawn_idle(const char *cmd, char *const argv[])
{
	static const int defaults[] = { SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGPIPE, SIGCHLD };
	volatile int child_err = 0;
	pid_t pid;

	pid = vfork();
	if (pid == 0) {
		struct sched_param sp = { .sched_priority = 0 };
		sigset_t none;

		sched_setscheduler(0, SCHED_IDLE, &sp);
		for (unsigned i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			signal(defaults[i], SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(cmd, argv);
		child_err = errno;
		_exit(127);
	}
	if (pid < 0)
		return -errno;
	if (child_err) {
		waitpid(pid, NULL, 0);
		return -child_err;
	}
	return pid;
}

int hook_spawn(struct hooks *h, const char *cmd, const char *file, char *errbuf)
{
	char *argv[] = { (char *)cmd, (char *)file, NULL };
	pid_t pid;
	int slot = -1;

	pthread_mutex_lock(&h->lock);
	for (int i = 0; i < MAX_HOOKS; i++)
		if (!h->child[i].pid) {
			slot = i;
			break;
		}
	pthread_mutex_unlock(&h->lock);
	if (slot < 0) {
		snprintf(errbuf, 256, "-z: %d hooks still running, not starting '%s %s'", MAX_HOOKS, cmd, file);
		return -EAGAIN;
	}
	pid = spawn_idle(cmd, argv);
	if (pid < 0) {
		snprintf(errbuf, 256, "-z: cannot run '%s %s': %s", cmd, file, strerror((int)-pid));
		return (int)pid;
	}
	pthread_mutex_lock(&h->lock);
	h->child[slot].pid = pid;
	if (asprintf(&h->child[slot].what, "%s %s", cmd, file) < 0)
		h->child[slot].what = NULL;
	pthread_mutex_unlock(&h->lock);
	return 0;
}

unsigned hook_reap(struct hooks *h, bool wait_all)
{
	unsigned failed = 0;

	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, wait_all ? 0 : WNOHANG);
		if (pid <= 0)
			break;
		pthread_mutex_lock(&h->lock);
		for (int i = 0; i < MAX_HOOKS; i++) {
			if (h->child[i].pid != pid)
				continue;
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				failed++;
				if (WIFEXITED(status))
					fprintf(stderr, "tapdump: -z hook '%s' exited with status %d\n",
						h->child[i].what ? h->child[i].what : "?", WEXITSTATUS(status));
				else
					fprintf(stderr, "tapdump: -z hook '%s' killed by signal %d\n",
						h->child[i].what ? h->child[i].what : "?", WTERMSIG(status));
			}
			free(h->child[i].what);
			h->child[i].what = NULL;
			h->child[i].pid = 0;
		}
		pthread_mutex_unlock(&h->lock);
	}
	return failed;
}
