/* -z hooks: started per closed file by a SCHED_IDLE thread of their own, without a shell; reaped by the main thread. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "writers/hook.h"

extern char **environ;

#define MAX_HOOKS 256
/* Files closed faster than hooks start wait here; beyond it a hook is refused (reported), never the capture. */
#define MAX_QUEUED 1024

struct hook_child {
	pid_t pid;
	char *what; /* "cmd file", for the failure message */
	char *file; /* the file, for hooks_busy */
};

struct hook_job {
	char *cmd;
	char *file;
};

/*
 * Writers queue, the spawner thread starts, the main thread reaps (not a
 * hot path: one use per closed file). `lock` guards the queue, so a writer
 * never waits for a spawn; `table_lock` the child table, held by the
 * spawner from the spawn until the child is in the table, so a hook that
 * exits at once is never reaped unrecorded.
 *
 * Why a thread: a child inherits its parent thread's scheduling policy,
 * and the spawner runs at SCHED_IDLE, so each hook is SCHED_IDLE from its
 * first instruction (glibc 2.36's posix_spawn ignores
 * POSIX_SPAWN_SETSCHEDULER, measured; moving the child afterwards raced
 * with it). And a writer never waits for a spawn, however slowly an idle
 * child gets to its exec on a busy machine.
 */
struct hooks {
	pthread_mutex_t lock;
	pthread_mutex_t table_lock;
	pthread_cond_t wake; /* a job was queued, or stop */
	struct hook_job queue[MAX_QUEUED];
	unsigned head, count;
	bool spawning;	     /* a job is out of the queue but not yet in the table */
	char *spawning_file; /* (lock) its file, for hooks_busy */
	bool stop;
	unsigned failed; /* (table_lock) hooks that could not start or failed, since the last reap */
	pthread_t spawner;
	struct hook_child child[MAX_HOOKS];
};

/* Start one job; called with table_lock held. A failure is reported here and counted for hook_reap. */
static void spawn_job(struct hooks *h, struct hook_job *job)
{
	char *argv[] = { job->cmd, job->file, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, def;
	int rc, slot = -1;
	pid_t pid;

	for (int i = 0; i < MAX_HOOKS; i++)
		if (!h->child[i].pid) {
			slot = i;
			break;
		}
	if (slot < 0) {
		fprintf(stderr, "tapdump: -z: %d hooks still running, not starting '%s %s'\n", MAX_HOOKS, job->cmd,
			job->file);
		h->failed++;
		return;
	}
	posix_spawnattr_init(&attr);
	/* The capture's threads block these signals; a hook gets them as any program would. */
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	sigemptyset(&def);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGUSR1);
	sigaddset(&def, SIGUSR2);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGHUP);
	sigaddset(&def, SIGCHLD);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	/*
	 * A hook gets standard input, output and error and nothing else: not
	 * the capture socket (with -Z it could send frames on it), not the
	 * stats file, not an output file still being written. Every fd is
	 * opened close-on-exec too; this also covers those libraries open.
	 */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	rc = posix_spawnp(&pid, job->cmd, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc) {
		fprintf(stderr, "tapdump: -z: cannot run '%s %s': %s\n", job->cmd, job->file, strerror(rc));
		h->failed++;
		return;
	}
	h->child[slot].pid = pid;
	if (asprintf(&h->child[slot].what, "%s %s", job->cmd, job->file) < 0)
		h->child[slot].what = NULL;
	h->child[slot].file = strdup(job->file);
}

static void *spawner_main(void *arg)
{
	struct hooks *h = arg;
	struct sched_param sp = { .sched_priority = 0 };
	cpu_set_t all;

	/* Any CPU will do for starting a hook (and its children inherit this mask, not a capture core's). */
	CPU_ZERO(&all);
	for (int c = 0; c < CPU_SETSIZE; c++)
		CPU_SET(c, &all);
	sched_setaffinity(0, sizeof(all), &all);
	sched_setscheduler(0, SCHED_IDLE, &sp);
	pthread_mutex_lock(&h->lock);
	for (;;) {
		struct hook_job job;

		while (!h->count && !h->stop)
			pthread_cond_wait(&h->wake, &h->lock);
		if (!h->count)
			break;
		job = h->queue[h->head];
		h->head = (h->head + 1) % MAX_QUEUED;
		h->count--;
		h->spawning = true;
		h->spawning_file = job.file;
		pthread_mutex_unlock(&h->lock);
		pthread_mutex_lock(&h->table_lock);
		spawn_job(h, &job);
		pthread_mutex_unlock(&h->table_lock);
		pthread_mutex_lock(&h->lock);
		h->spawning = false;
		h->spawning_file = NULL;
		free(job.cmd);
		free(job.file);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

struct hooks *hooks_new(void)
{
	struct hooks *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_init(&h->table_lock, NULL);
	pthread_cond_init(&h->wake, NULL);
	if (pthread_create(&h->spawner, NULL, spawner_main, h) != 0) {
		pthread_cond_destroy(&h->wake);
		pthread_mutex_destroy(&h->table_lock);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	pthread_setname_np(h->spawner, "td-hooks");
	return h;
}

void hooks_free(struct hooks *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
	/* The spawner starts what is still queued before it leaves. */
	pthread_join(h->spawner, NULL);
	for (int i = 0; i < MAX_HOOKS; i++) {
		free(h->child[i].what);
		free(h->child[i].file);
	}
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->table_lock);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

int hook_spawn(struct hooks *h, const char *cmd, const char *file, char *errbuf)
{
	struct hook_job job = { strdup(cmd), strdup(file) };
	int ret = 0;

	if (!job.cmd || !job.file) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "-z: out of memory, not starting '%s %s'", cmd, file);
		ret = -ENOMEM;
		goto out;
	}
	pthread_mutex_lock(&h->lock);
	if (h->count == MAX_QUEUED) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "-z: %d hooks waiting to start, not starting '%s %s'", MAX_QUEUED, cmd,
			 file);
		ret = -EAGAIN;
	} else {
		h->queue[(h->head + h->count) % MAX_QUEUED] = job;
		h->count++;
		job.cmd = job.file = NULL;
		pthread_cond_signal(&h->wake);
	}
	pthread_mutex_unlock(&h->lock);
out:
	free(job.cmd);
	free(job.file);
	return ret;
}

unsigned hook_reap(struct hooks *h)
{
	unsigned failed;

	pthread_mutex_lock(&h->table_lock);
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid <= 0)
			break;
		for (int i = 0; i < MAX_HOOKS; i++) {
			if (h->child[i].pid != pid)
				continue;
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				h->failed++;
				if (WIFEXITED(status))
					fprintf(stderr, "tapdump: -z hook '%s' exited with status %d\n",
						h->child[i].what ? h->child[i].what : "?", WEXITSTATUS(status));
				else
					fprintf(stderr, "tapdump: -z hook '%s' killed by signal %d\n",
						h->child[i].what ? h->child[i].what : "?", WTERMSIG(status));
			}
			free(h->child[i].what);
			free(h->child[i].file);
			h->child[i].what = NULL;
			h->child[i].file = NULL;
			h->child[i].pid = 0;
		}
	}
	failed = h->failed;
	h->failed = 0;
	pthread_mutex_unlock(&h->table_lock);
	return failed;
}

unsigned hooks_pending(struct hooks *h)
{
	unsigned n;

	pthread_mutex_lock(&h->lock);
	n = h->count + (h->spawning ? 1 : 0);
	pthread_mutex_unlock(&h->lock);
	pthread_mutex_lock(&h->table_lock);
	for (int i = 0; i < MAX_HOOKS; i++)
		n += h->child[i].pid != 0;
	pthread_mutex_unlock(&h->table_lock);
	return n;
}

bool hooks_busy(struct hooks *h, const char *file)
{
	bool busy = false;

	/* Queue first, then the table: a job moves from one to the other with the table lock held (spawner_main). */
	pthread_mutex_lock(&h->lock);
	for (unsigned i = 0; i < h->count && !busy; i++)
		busy = !strcmp(h->queue[(h->head + i) % MAX_QUEUED].file, file);
	if (h->spawning_file && !strcmp(h->spawning_file, file))
		busy = true;
	pthread_mutex_unlock(&h->lock);
	pthread_mutex_lock(&h->table_lock);
	for (int i = 0; i < MAX_HOOKS && !busy; i++)
		busy = h->child[i].pid && h->child[i].file && !strcmp(h->child[i].file, file);
	pthread_mutex_unlock(&h->table_lock);
	return busy;
}

void hooks_report_running(struct hooks *h, FILE *out)
{
	pthread_mutex_lock(&h->table_lock);
	for (int i = 0; i < MAX_HOOKS; i++)
		if (h->child[i].pid)
			fprintf(out, "tapdump: -z hook '%s' (pid %d) still running, not waited for\n",
				h->child[i].what ? h->child[i].what : "?", (int)h->child[i].pid);
	pthread_mutex_unlock(&h->table_lock);
}
