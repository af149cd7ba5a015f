/* The printer's frame: one line per packet - number, time stamp, link decoder, hex/ASCII dump. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "writers/print/print-int.h"

struct printer {
	struct pctx ctx;
	link_print_fn link;
};

/* The time stamp fraction, signed as libpcap keeps it (struct pcap_timeval has a bpf_int32). */
static long ts_frac(uint32_t frac)
{
	return (long)(int32_t)frac;
}

static void print_frac(struct pctx *ctx, long frac)
{
	if (ctx->opts.tsprec == TS_NANO)
		pr_printf(ctx, ".%09u", (unsigned)frac);
	else
		pr_printf(ctx, ".%06u", (unsigned)frac);
}

/*
 * tcpdump refuses seconds with bit 31 set (a 32-bit pcap time past 2038 is
 * read as negative); pcapng's 64-bit seconds only show their low 32 bits in -tt.
 */
static void print_clock(struct pctx *ctx, int64_t sec, long frac, int with_date, int local)
{
	time_t t = (time_t)sec;
	struct tm tm, *ok;
	char buf[32];

	if ((uint32_t)sec & 0x80000000u) {
		pr_puts(ctx, "[Error converting time]");
		return;
	}
	ok = local ? localtime_r(&t, &tm) : gmtime_r(&t, &tm);
	if (!ok) {
		pr_puts(ctx, "[localtime() or gmtime() couldn't convert the date and time]");
		return;
	}
	strftime(buf, sizeof(buf), with_date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
	pr_puts(ctx, buf);
	print_frac(ctx, frac);
}

/* -ttt and -ttttt: the difference from a reference stamp, signed the way tcpdump's timeval arithmetic is. */
static void print_delta(struct pctx *ctx, int64_t sec, long frac)
{
	long unit = ctx->opts.tsprec == TS_NANO ? 1000000000L : 1000000L;
	int64_t rsec = ctx->ref_sec;
	long rfrac = ts_frac(ctx->ref_frac);
	int64_t dsec;
	long dfrac;
	int neg;

	/* an all-zero reference counts as unset, as timerisset() says */
	if (!ctx->ref_set || (rsec == 0 && rfrac == 0)) {
		rsec = sec;
		rfrac = frac;
		ctx->ref_sec = sec;
		ctx->ref_frac = (uint32_t)frac;
		ctx->ref_set = 1;
	}
	neg = sec == rsec ? frac < rfrac : sec < rsec;
	if (neg) {
		dsec = rsec - sec;
		dfrac = rfrac - frac;
	} else {
		dsec = sec - rsec;
		dfrac = frac - rfrac;
	}
	if (dfrac < 0) {
		dsec--;
		dfrac += unit;
	}
	pr_putc(ctx, neg ? '-' : ' ');
	print_clock(ctx, dsec, dfrac, 0, 0);
	pr_putc(ctx, ' ');
	if (ctx->opts.ts_format == PRINT_TS_DELTA) {
		ctx->ref_sec = sec;
		ctx->ref_frac = (uint32_t)frac;
	}
}

static void print_ts(struct pctx *ctx, const struct td_pkt *pkt)
{
	long frac = ts_frac(pkt->ts_frac);

	switch (ctx->opts.ts_format) {
	case PRINT_TS_DEFAULT:
		print_clock(ctx, pkt->ts_sec, frac, 0, 1);
		pr_putc(ctx, ' ');
		break;
	case PRINT_TS_NONE: break;
	case PRINT_TS_EPOCH:
		if ((uint32_t)pkt->ts_sec & 0x80000000u) {
			pr_puts(ctx, "[Error converting time]");
		} else {
			pr_printf(ctx, "%u", (unsigned)pkt->ts_sec);
			print_frac(ctx, frac);
		}
		pr_putc(ctx, ' ');
		break;
	case PRINT_TS_DELTA:
	case PRINT_TS_SINCE_FIRST: print_delta(ctx, pkt->ts_sec, frac); break;
	case PRINT_TS_DATE:
		print_clock(ctx, pkt->ts_sec, frac, 1, 1);
		pr_putc(ctx, ' ');
		break;
	}
}

/* -x/-X/-A dump of what follows the link header (or of everything with -xx/-XX). */
static void print_dump(struct pctx *ctx, const struct td_pkt *pkt, unsigned hdrlen)
{
	const uint8_t *bp = pkt->data;
	unsigned len = pkt->caplen;
	int whole;

	if (ctx->opts.hex_ascii)
		whole = ctx->opts.hex_ascii > 1;
	else if (ctx->opts.hex)
		whole = ctx->opts.hex > 1;
	else if (ctx->opts.ascii)
		whole = 0;
	else
		return;
	if (!whole) {
		if (len <= hdrlen)
			return;
		bp += hdrlen;
		len -= hdrlen;
	}
	if (ctx->opts.hex_ascii)
		pr_hex_ascii(ctx, "\n\t", bp, len);
	else if (ctx->opts.hex)
		pr_hex(ctx, "\n\t", bp, len);
	else
		pr_ascii(ctx, bp, len);
}

/* tcpdump's largest snapshot length: its printers refuse longer records (print.c, MAXIMUM_SNAPLEN). */
#define PRINT_MAX_SNAPLEN 262144u

/*
 * tcpdump 4.99 judges the record header before anything else and prints
 * one line instead of the packet: "[Invalid header: caplen==0, len==0]",
 * "len(L) < caplen(C)", "caplen(C) > 262144", "len(L) > 262144", in that
 * order. DBUS and USB files hold such records legally: they are written
 * whole, printed like this.
 */
static bool print_invalid_header(struct pctx *ctx, const struct td_pkt *pkt)
{
	const char *sep = "[Invalid header: ";
	bool bad = false;

	if (pkt->caplen == 0) {
		pr_printf(ctx, "%scaplen==0", sep);
		sep = ", ";
		bad = true;
	}
	if (pkt->wirelen == 0) {
		pr_printf(ctx, "%slen==0", sep);
		sep = ", ";
		bad = true;
	} else if (pkt->wirelen < pkt->caplen) {
		pr_printf(ctx, "%slen(%u) < caplen(%u)", sep, pkt->wirelen, pkt->caplen);
		sep = ", ";
		bad = true;
	}
	if (pkt->caplen > PRINT_MAX_SNAPLEN) {
		pr_printf(ctx, "%scaplen(%u) > %u", sep, pkt->caplen, PRINT_MAX_SNAPLEN);
		sep = ", ";
		bad = true;
	}
	if (pkt->wirelen > PRINT_MAX_SNAPLEN) {
		pr_printf(ctx, "%slen(%u) > %u", sep, pkt->wirelen, PRINT_MAX_SNAPLEN);
		bad = true;
	}
	if (bad)
		pr_puts(ctx, "]\n");
	return bad;
}

void printer_packet(struct printer *pr, const struct td_pkt *pkt)
{
	struct pctx *ctx = &pr->ctx;
	jmp_buf unwind;
	volatile unsigned hdrlen = 0;

	ctx->count++;
	if (ctx->opts.number)
		pr_printf(ctx, "%5u  ", (unsigned)ctx->count);
	if (print_invalid_header(ctx, pkt))
		return;
	print_ts(ctx, pkt);

	ctx->pkt = pkt->data;
	ctx->end = pkt->data + pkt->caplen;
	ctx->caplen = pkt->caplen;
	ctx->wirelen = pkt->wirelen;
	ctx->end_depth = 0;
	PR_PROTO(ctx, "");
	ctx->unwind = &unwind;
	if (setjmp(unwind) == 0) {
		hdrlen = pr->link(ctx, pkt->data, pkt->caplen, pkt->wirelen);
	} else {
		pr_trunc_mark(ctx);
		/* tcpdump learns the link header length only when its decoder returns: a dump after an unwind starts at byte 0 */
		hdrlen = 0;
	}

	/* decoders may have narrowed the end or decoded a private copy; the dump sees the whole capture */
	ctx->pkt = pkt->data;
	ctx->end = pkt->data + pkt->caplen;
	ctx->end_depth = 0;
	if (setjmp(unwind) == 0)
		print_dump(ctx, pkt, hdrlen);
	ctx->unwind = NULL;
	pr_putc(ctx, '\n');
}

struct printer *printer_new(const struct print_opts *opts, int linktype, FILE *out, char *errbuf)
{
	struct printer *pr;
	link_print_fn fn = link_printer_find(linktype);

	pr = calloc(1, sizeof(*pr));
	if (!pr) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "printer: %s", strerror(errno));
		return NULL;
	}
	pr->ctx.opts = *opts;
	pr->ctx.out = out;
	pr->ctx.linktype = linktype;
	pr->link = fn;
	return pr;
}

void printer_free(struct printer *pr)
{
	if (!pr)
		return;
	free(pr->ctx.tcp);
	free(pr->ctx.hdlc_buf);
	pr_names_free(&pr->ctx);
	free(pr);
}
