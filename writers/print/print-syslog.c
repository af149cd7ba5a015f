/* BSD syslog over UDP (RFC 3164, RFC 5424 priority), port 514. */
#include "writers/print/print-int.h"

#define SYSLOG_MAX_DIGITS 3 /* the priority is at most "191" */

static const struct pr_tok facility_names[] = {
	{ 0, "kernel" },    { 1, "user" },    { 2, "mail" },	{ 3, "daemon" },    { 4, "auth" },
	{ 5, "syslog" },    { 6, "lpr" },     { 7, "news" },	{ 8, "uucp" },	    { 9, "cron" },
	{ 10, "authpriv" }, { 11, "ftp" },    { 12, "ntp" },	{ 13, "security" }, { 14, "console" },
	{ 15, "cron" },	    { 16, "local0" }, { 17, "local1" }, { 18, "local2" },   { 19, "local3" },
	{ 20, "local4" },   { 21, "local5" }, { 22, "local6" }, { 23, "local7" },   { 0, NULL },
};

static const struct pr_tok severity_names[] = {
	{ 0, "emergency" }, { 1, "alert" }, { 2, "critical" }, { 3, "error" }, { 4, "warning" },
	{ 5, "notice" },    { 6, "info" },  { 7, "debug" },    { 0, NULL },
};

void syslog_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	unsigned off = 0, pri = 0, facility, severity;

	PR_PROTO(ctx, "syslog");
	/* the message starts with "<PRI>" */
	if (RD_U8(bp) != '<') {
		pr_invalid(ctx);
		return;
	}
	off++;
	while (off <= SYSLOG_MAX_DIGITS && RD_U8(bp + off) >= '0' && RD_U8(bp + off) <= '9') {
		pri = pri * 10 + (RD_U8(bp + off) - '0');
		off++;
	}
	if (RD_U8(bp + off) != '>') {
		pr_invalid(ctx);
		return;
	}
	off++;
	facility = (pri & 0x03f8) >> 3;
	severity = pri & 0x07;
	if (!ctx->opts.verbose) {
		pr_printf(ctx, "SYSLOG %s.", pr_tok_str(ctx, facility_names, "unknown (%u)", facility));
		pr_printf(ctx, "%s, length: %u", pr_tok_str(ctx, severity_names, "unknown (%u)", severity), len);
		return;
	}
	pr_printf(ctx, "SYSLOG, length: %u\n\tFacility %s (%u), ", len,
		  pr_tok_str(ctx, facility_names, "unknown (%u)", facility), facility);
	pr_printf(ctx, "Severity %s (%u)\n\tMsg: ", pr_tok_str(ctx, severity_names, "unknown (%u)", severity),
		  severity);
	for (; off < len; off++)
		pr_char(ctx, RD_U8(bp + off));
	if (ctx->opts.verbose > 1)
		pr_unknown_data(ctx, bp, "\n\t", len);
}
