/* systemd's notification protocol spoken directly: one datagram per message to the NOTIFY_SOCKET unix socket. */
#include "engine/notify.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/errbuf.h"

/*
 * Why not libsystemd's sd_notify(): the protocol is a dozen lines (one
 * datagram of KEY=value lines to the socket named in NOTIFY_SOCKET, see
 * sd_notify(3) "Notes"), and speaking it here keeps the capture box free of
 * a libsystemd dependency (builds without systemd headers, runs under any
 * manager that sets NOTIFY_SOCKET: s6, a test's python listener).
 */

static uint64_t env_u64(const char *name, bool *set)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	*set = false;
	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return 0;
	*set = true;
	return v;
}

int notify_open(struct notify *n, char *errbuf)
{
	const char *path = getenv("NOTIFY_SOCKET");
	bool usec_set, pid_set;
	uint64_t usec = env_u64("WATCHDOG_USEC", &usec_set), pid = env_u64("WATCHDOG_PID", &pid_set);
	size_t len;

	memset(n, 0, sizeof(*n));
	n->fd = -1;
	/* The watchdog is ours only when WATCHDOG_PID names this process or is absent (sd_watchdog_enabled). */
	if (usec_set && usec > 0 && (!pid_set || pid == (uint64_t)getpid()))
		n->watchdog_usec = usec;
	if (!path || !*path) {
		n->watchdog_usec = 0; /* nowhere to send it */
		return 0;
	}
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(n->addr.sun_path) || len < 2) {
		return td_errf(errbuf, EINVAL, "NOTIFY_SOCKET=%s: not a socket path or @abstract name", path);
	}
	n->addr.sun_family = AF_UNIX;
	memcpy(n->addr.sun_path, path, len);
	/* "@name": Linux's abstract namespace, a leading NUL and no terminator (the length says where it ends). */
	if (path[0] == '@')
		n->addr.sun_path[0] = '\0';
	n->addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '/'));
	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (n->fd < 0)
		return td_errf(errbuf, errno, "NOTIFY_SOCKET: socket: %s", strerror(errno));
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	return 0;
}

void notify_send(struct notify *n, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int len;

	if (n->fd < 0)
		return;
	va_start(ap, fmt);
	len = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(msg))
		len = sizeof(msg) - 1;
	/*
	 * sendto with the address every time, as sd_notify does: no connection
	 * to lose when the manager re-executes, and the datagram never blocks
	 * the supervisor (MSG_DONTWAIT: a full queue drops this one message).
	 */
	if (sendto(n->fd, msg, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT, (const struct sockaddr *)&n->addr,
		   n->addr_len) < 0 &&
	    !n->warned) {
		fprintf(stderr, "tapdump: NOTIFY_SOCKET: %s\n", strerror(errno));
		n->warned = true;
	}
}

double notify_watchdog_interval(const struct notify *n)
{
	return n->fd >= 0 && n->watchdog_usec ? (double)n->watchdog_usec / 2e6 : 0;
}

void notify_close(struct notify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}
