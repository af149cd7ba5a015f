/* systemd's service notification protocol (sd_notify(3)): READY, STATUS, WATCHDOG and STOPPING over NOTIFY_SOCKET. */
#ifndef TD_NOTIFY_H
#define TD_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

struct notify {
	int fd; /* -1: not started by a service manager (NOTIFY_SOCKET unset), every call is a no-op */
	struct sockaddr_un addr;
	socklen_t addr_len;
	uint64_t watchdog_usec; /* WATCHDOG_USEC for this process; 0: no watchdog */
	bool warned;		/* a failed send is reported once */
};

/*
 * Read NOTIFY_SOCKET (a path, or "@name" for an abstract socket),
 * WATCHDOG_USEC and WATCHDOG_PID, then remove them from the environment
 * so -z hooks do not inherit them (a hook is not the service). Call while
 * the process has one thread (the environment is not thread-safe). Returns
 * 0 (also when NOTIFY_SOCKET is unset: notifications are off) or -errno
 * with a message in errbuf (TD_ERRBUF_SIZE) for an unusable NOTIFY_SOCKET.
 */
int notify_open(struct notify *n, char *errbuf);

/* Send one datagram of "KEY=value" lines ("READY=1", "STATUS=..."); best effort, a failure is reported once. */
void notify_send(struct notify *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* How often to send WATCHDOG=1 (seconds): half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises; 0 when off. */
double notify_watchdog_interval(const struct notify *n);

static inline bool notify_on(const struct notify *n)
{
	return n->fd >= 0;
}

void notify_close(struct notify *n);

#endif
