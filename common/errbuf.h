/* The one size of every error buffer, and the one way a message gets into one. */
#ifndef TD_ERRBUF_H
#define TD_ERRBUF_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

/*
 * Room for libpcap's message (PCAP_ERRBUF_SIZE, 256: our buffers are handed
 * to libpcap as they are) after a name as long as a source's (a path, up to
 * 1024 bytes): "PATH: why" is the usual shape of a message. No
 * <pcap/pcap.h> here: the AF_XDP files include linux/bpf.h, whose struct
 * bpf_insn clashes with libpcap's. io/pcap_live.c checks the relation.
 */
#define TD_ERRBUF_SIZE 1280

/*
 * The error convention, everywhere (engine/ included): a function that can
 * fail returns 0 or -errno and puts one human sentence, without the
 * "tapdump: " prefix or a newline, into the caller's errbuf of
 * TD_ERRBUF_SIZE bytes. Only the top of the stack prints it, once:
 * main.c for the command line, run() for building and running a plan.
 * A positive return means "done, nothing more to do" (-h, -d, -L, a stop
 * signal during a blocking open). Warnings are not errors: they go to
 * stderr where they happen and the work goes on.
 *
 * td_errf() fills errbuf and returns -err, so a failure site is one line:
 *	return td_errf(errbuf, EINVAL, "%s: bad queue range", spec);
 */
__attribute__((format(printf, 3, 4))) static inline int td_errf(char *errbuf, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, TD_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
	return -err;
}

/*
 * -errno after a call that should have set errno, or -fallback where it
 * left errno 0 (fdopen and a few libraries do not always say why).
 */
static inline int td_errno_or(int fallback)
{
	return errno ? -errno : -fallback;
}

#endif
