/* DPDK EAL setup and teardown: the process-wide runtime every DPDK port needs, built from --dpdk-args or safe defaults. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "io/dpdk_internal.h"

#define EAL_MAX_ARGS 64

/*
 * The EAL is a singleton of the library itself: it can be initialised once
 * per process and never again after rte_eal_cleanup(). This is the one
 * piece of mutable file-scope state in io/, touched only by the main thread
 * while it opens and closes sources.
 */
enum eal_state {
	EAL_DOWN, /* never started */
	EAL_RUNNING,
	EAL_FINISHED, /* cleaned up or failed: DPDK refuses a second rte_eal_init */
};
static enum eal_state eal_state = EAL_DOWN;

struct eal_argv {
	int argc;
	char *argv[EAL_MAX_ARGS + 1];
	char store[4096]; /* every argument string, NUL-separated */
	size_t used;
};

static int eal_push(struct eal_argv *a, const char *arg)
{
	size_t len = strlen(arg) + 1;

	if (a->argc >= EAL_MAX_ARGS || a->used + len > sizeof(a->store))
		return -E2BIG;
	memcpy(a->store + a->used, arg, len);
	a->argv[a->argc++] = a->store + a->used;
	a->argv[a->argc] = NULL;
	a->used += len;
	return 0;
}

/* Split the user's --dpdk-args on blanks; no quoting, EAL arguments never need it. */
static int eal_push_words(struct eal_argv *a, const char *words)
{
	char word[1024];
	const char *p = words;
	int ret;

	while (*p) {
		size_t len = strcspn(p, " \t\n");

		if (len >= sizeof(word))
			return -E2BIG;
		if (len > 0) {
			memcpy(word, p, len);
			word[len] = '\0';
			ret = eal_push(a, word);
			if (ret < 0)
				return ret;
		}
		p += len;
		p += strspn(p, " \t\n");
	}
	return 0;
}

/*
 * "--lcores=0@(cpus)" with the cpus the main thread may run on now: the EAL
 * pins its main thread to lcore 0's set, and the main thread must stay where
 * the placement code put it. Workers are not EAL lcores: they register with
 * rte_thread_register() from their own pinned threads.
 */
static int eal_lcores_arg(char *buf, size_t size)
{
	cpu_set_t set;
	size_t used;
	int cpu, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return -errno;
	used = (size_t)snprintf(buf, size, "--lcores=0@(");
	for (cpu = 0; cpu < CPU_SETSIZE && used + 8 < size; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%d", n++ ? "," : "", cpu);
	}
	if (n == 0 || used + 2 > size)
		return -EINVAL;
	snprintf(buf + used, size - used, ")");
	return 0;
}

/* The defaults: no hugepages, no PCI scan, no shared config files, quiet unless something is wrong. */
static int eal_default_args(struct eal_argv *a, const char *port, bool is_pci)
{
	char arg[1200];
	int ret;

	if (!is_pci) {
		ret = eal_push_words(a, "--no-huge --no-pci -m 512");
		if (ret < 0)
			return ret;
	} else {
		/*
		 * A real NIC needs DMA-able hugepage memory; scan only the device we
		 * were given. --huge-unlink: the EAL's hugepage files go as soon as
		 * they are mapped, so the pages return to the kernel when we exit,
		 * even after kill -9 (with a new --file-prefix each run, files left
		 * behind would never be reused).
		 */
		snprintf(arg, sizeof(arg), "--allow=%s", port);
		ret = eal_push(a, arg);
		if (ret == 0)
			ret = eal_push(a, "--huge-unlink");
		if (ret < 0)
			return ret;
	}
	ret = eal_push_words(a, "--no-shconf --no-telemetry --log-level=warning");
	if (ret < 0)
		return ret;
	/* A distinct prefix lets two tapdump processes (or a test beside another) run at once. */
	snprintf(arg, sizeof(arg), "--file-prefix=tapdump%ld", (long)getpid());
	ret = eal_push(a, arg);
	if (ret < 0)
		return ret;
	ret = eal_lcores_arg(arg, sizeof(arg));
	if (ret < 0)
		return ret;
	return eal_push(a, arg);
}

/*
 * The EAL makes /var/run/dpdk/PREFIX even with --no-shconf and leaves it
 * behind; with one prefix per pid they would pile up. rmdir only takes it
 * if it is empty, so a prefix another process still uses is safe.
 */
static void eal_remove_runtime_dir(void)
{
	const char *dir = rte_eal_get_runtime_dir();

	if (dir && dir[0])
		rmdir(dir);
}

/*
 * Log stream write: rte_vlog formats a message and flushes it, so each
 * call is one whole message logged at rte_log_cur_msg_loglevel(). (A
 * memstream would keep the text but lose that level, and the level is what
 * tells the cause from the start-up chatter around it.) Only its
 * first line is kept, without the "function(): " prefix PMDs put on theirs
 * (a name that means nothing to someone reading the error).
 */
static ssize_t log_catch_write(void *cookie, const char *buf, size_t size)
{
	struct dpdk_log_catch *c = cookie;
	int level = rte_log_cur_msg_loglevel();
	const char *end, *paren;
	size_t len;

	if (level <= 0 || (unsigned)level > RTE_LOG_WARNING || (c->level && (unsigned)level >= c->level))
		return (ssize_t)size;
	end = memchr(buf, '\n', size);
	len = end ? (size_t)(end - buf) : size;
	paren = memchr(buf, '(', len);
	if (paren && paren + 4 <= buf + len && memcmp(paren, "(): ", 4) == 0 &&
	    memchr(buf, ' ', (size_t)(paren - buf)) == NULL) {
		len -= (size_t)(paren + 4 - buf);
		buf = paren + 4;
	}
	while (len > 0 && (buf[len - 1] == '.' || buf[len - 1] == ' ' || buf[len - 1] == '\r'))
		len--;
	if (len == 0)
		return (ssize_t)size;
	if (len >= sizeof(c->best))
		len = sizeof(c->best) - 1;
	memcpy(c->best, buf, len);
	c->best[len] = '\0';
	c->level = (unsigned)level;
	return (ssize_t)size;
}

void dpdk_log_catch(struct dpdk_log_catch *c, bool debug)
{
	cookie_io_functions_t io = { .write = log_catch_write };

	c->stream = NULL;
	c->level = 0;
	c->best[0] = '\0';
	if (debug)
		return;
	c->stream = fopencookie(c, "w", io);
	/* Without the stream the log simply stays on stderr: noisier, not wrong. */
	if (c->stream && rte_openlog_stream(c->stream) < 0) {
		fclose(c->stream);
		c->stream = NULL;
	}
}

void dpdk_log_release(struct dpdk_log_catch *c)
{
	if (!c->stream)
		return;
	/*
	 * NULL is the EAL's default stream (stderr and syslog once it is up);
	 * tapdump sets no stream of its own but this one. An EAL thread that
	 * fetched our stream just before the switch could still write to it:
	 * the main thread opens ports before any of ours run, and the EAL's
	 * own threads log only on faults, so that window stays theoretical.
	 */
	rte_openlog_stream(NULL);
	fclose(c->stream);
	c->stream = NULL;
}

/*
 * rte_eal_init prints its usage text on stdout for a bad argument, and a
 * "FATAL" copy of its error on stderr, with plain printf, besides the log.
 * Both go to /dev/null while it runs: this is the main thread, before any
 * other thread of ours writes. saved[] gets the real descriptors, or -1.
 */
static void eal_mute_stdio(int saved[2], bool debug)
{
	int null, fd;

	saved[0] = saved[1] = -1;
	if (debug)
		return;
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0)
		return;
	fflush(stdout);
	fflush(stderr);
	for (fd = 1; fd <= 2; fd++) {
		saved[fd - 1] = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (saved[fd - 1] >= 0 && dup2(null, fd) < 0) {
			close(saved[fd - 1]);
			saved[fd - 1] = -1;
		}
	}
	close(null);
}

static void eal_unmute_stdio(const int saved[2])
{
	int fd;

	/* The usage text sits in stdout's buffer: drop it into /dev/null before stdout comes back. */
	fflush(stdout);
	fflush(stderr);
	for (fd = 1; fd <= 2; fd++) {
		if (saved[fd - 1] < 0)
			continue;
		dup2(saved[fd - 1], fd);
		close(saved[fd - 1]);
	}
}

int dpdk_eal_init(const struct live_opts *opts, const char *port, bool is_pci, char *errbuf)
{
	const char *args = opts->dpdk_args;
	struct dpdk_log_catch log;
	int muted[2];
	struct eal_argv *a;
	char arg[1200];
	int ret;

	if (eal_state == EAL_RUNNING)
		return 0;
	if (eal_state == EAL_FINISHED) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: the DPDK EAL was already shut down in this process", port);
		return -EALREADY;
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: out of memory", port);
		return -ENOMEM;
	}
	ret = eal_push(a, "tapdump");
	if (ret == 0)
		ret = args ? eal_push_words(a, args) : eal_default_args(a, port, is_pci);
	/* A vdev exists only if the EAL is told to create it; the user's args may already do so. */
	snprintf(arg, sizeof(arg), "%.*s", (int)strcspn(port, ","), port);
	if (ret == 0 && !is_pci && !(args && strstr(args, arg))) {
		snprintf(arg, sizeof(arg), "--vdev=%s", port);
		ret = eal_push(a, arg);
	}
	if (ret < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: EAL arguments too long or too many", port);
		goto out;
	}
	/* rte_eal_init may reorder argv; a->argv is a scratch copy. */
	dpdk_log_catch(&log, opts->dpdk_debug);
	eal_mute_stdio(muted, opts->dpdk_debug);
	ret = rte_eal_init(a->argc, a->argv);
	eal_unmute_stdio(muted);
	dpdk_log_release(&log);
	if (ret < 0) {
		ret = rte_errno ? -rte_errno : -EINVAL;
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: EAL initialisation failed: %s%s%s%s", port,
			 rte_strerror(-ret), log.best[0] ? " [" : "", log.best, log.best[0] ? "]" : "");
		snprintf(errbuf + strlen(errbuf), TD_ERRBUF_SIZE - strlen(errbuf), "%s",
			 args	  ? " (check --dpdk-args)"
			 : is_pci ? " (a PCI port needs root, hugepages and a vfio-pci bound device)"
				  : " (check the vdev name and arguments; root is needed)");
		eal_state = EAL_FINISHED;
		eal_remove_runtime_dir();
		goto out;
	}
	eal_state = EAL_RUNNING;
	ret = 0;
out:
	free(a);
	return ret;
}

bool dpdk_eal_running(void)
{
	return eal_state == EAL_RUNNING;
}

void dpdk_eal_cleanup(void)
{
	if (eal_state != EAL_RUNNING)
		return;
	rte_eal_cleanup();
	eal_state = EAL_FINISHED;
	eal_remove_runtime_dir();
}
