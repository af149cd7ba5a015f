/* -z hooks: spawn with posix_spawnp at SCHED_IDLE so a slow hook never competes with capture. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "hook.h"

extern char **environ;

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

int hook_spawn(struct hooks *h, const char *cmd, const char *file, char *errbuf)
{
	posix_spawnattr_t attr;
	struct sched_param sp = { .sched_priority = 0 };
	char *argv[] = { (char *)cmd, (char *)file, NULL };
	sigset_t none;
	pid_t pid;
	int rc, slot = -1;

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
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	{
		sigset_t def;
		sigemptyset(&def);
		sigaddset(&def, SIGINT);
		sigaddset(&def, SIGTERM);
		sigaddset(&def, SIGUSR1);
		sigaddset(&def, SIGPIPE);
		posix_spawnattr_setsigdefault(&attr, &def);
	}
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(&pid, cmd, NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	/*
	 * Measured here: glibc 2.36's POSIX_SPAWN_SETSCHEDULER left the child
	 * at SCHED_OTHER, so the parent moves it to SCHED_IDLE right after the
	 * spawn (the child may run a few instructions at normal priority first).
	 */
	if (rc == 0)
		sched_setscheduler(pid, SCHED_IDLE, &sp);
	if (rc) {
		snprintf(errbuf, 256, "-z: cannot run '%s %s': %s", cmd, file, strerror(rc));
		return -rc;
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
