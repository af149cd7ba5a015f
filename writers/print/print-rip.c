/* RIP version 1 (RFC 1058) and version 2 (RFC 2453, authentication RFC 4822), UDP port 520. */
#include "writers/print/print-int.h"

#define RIP_HDR_LEN 4
#define RIP_ROUTELEN 20
#define RIP_AUTHLEN 16
#define AF_INET_BSD 2

static const struct pr_tok cmd_names[] = {
	{ 1, "Request" }, { 2, "Response" },   { 3, "Trace on" }, { 4, "Trace off" },
	{ 5, "Poll" },	  { 6, "Poll Entry" }, { 0, NULL },
};

/* BSD address family numbers as RIP carries them */
static const struct pr_tok af_names[] = {
	{ 2, "IPv4" },	{ 6, "NS" },	{ 7, "OSI" },	{ 16, "Appletalk" }, { 23, "IPX" },
	{ 24, "IPv6" }, { 28, "IPv6" }, { 30, "IPv6" }, { 0, NULL },
};

/* Prefix length of a contiguous mask, -1 otherwise. */
static int mask2plen(uint32_t mask)
{
	int plen = 0;

	while (plen < 32 && (mask & (0x80000000u >> plen)))
		plen++;
	if (plen < 32 && (mask << plen) != 0)
		return -1;
	return plen;
}

static unsigned entry_v1(struct pctx *ctx, const uint8_t *p, unsigned remaining)
{
	unsigned family;

	if (remaining < RIP_ROUTELEN)
		return 0;
	NEED(p, RIP_ROUTELEN);
	family = RD_BE16(p);
	if (family != AF_INET_BSD && family != 0) {
		pr_printf(ctx, "\n\t AFI %s, ", pr_tok_str(ctx, af_names, "Unknown (%u)", family));
		pr_unknown_data(ctx, p + 4, "\n\t  ", RIP_ROUTELEN - 4);
		return RIP_ROUTELEN;
	}
	if (RD_BE16(p + 2) || RD_BE32(p + 8) || RD_BE32(p + 12)) {
		/* must-be-zero fields that are not */
		pr_unknown_data(ctx, p, "\n\t  ", RIP_ROUTELEN);
		return RIP_ROUTELEN;
	}
	if (family == 0)
		pr_printf(ctx, "\n\t  AFI 0, %s, metric: %u", RD_IPV4(p + 4), RD_BE32(p + 16));
	else
		pr_printf(ctx, "\n\t  %s, metric: %u", RD_IPV4(p + 4), RD_BE32(p + 16));
	return RIP_ROUTELEN;
}

static unsigned entry_v2(struct pctx *ctx, const uint8_t *p, unsigned remaining)
{
	unsigned family, auth;

	if (remaining < 4)
		return 0;
	family = RD_BE16(p);
	if (family == 0xffff) {
		auth = RD_BE16(p + 2);
		p += 4;
		remaining -= 4;
		if (auth == 2) {
			pr_puts(ctx, "\n\t  Simple Text Authentication data: ");
			pr_str_pad(ctx, p, RIP_AUTHLEN < remaining ? RIP_AUTHLEN : remaining);
		} else if (auth == 3) {
			NEED(p, 16);
			if (remaining < 16)
				return 0;
			pr_printf(ctx, "\n\t  Auth header: Packet Len %u,", RD_BE16(p));
			pr_printf(ctx, " Key-ID %u, Auth Data Len %u,", RD_U8(p + 2), RD_U8(p + 3));
			pr_printf(ctx, " SeqNo %u, MBZ %u, MBZ %u", RD_BE32(p + 4), RD_BE32(p + 8), RD_BE32(p + 12));
		} else {
			if (auth == 1)
				pr_puts(ctx, "\n\t  Auth trailer:");
			else
				pr_printf(ctx, "\n\t  Unknown (%u) Authentication data:", auth);
			pr_unknown_data(ctx, p, "\n\t  ", remaining);
			return 4 + remaining; /* runs to the end of the packet */
		}
	} else if (family != AF_INET_BSD && family != 0) {
		pr_printf(ctx, "\n\t  AFI %s", pr_tok_str(ctx, af_names, "Unknown (%u)", family));
		pr_unknown_data(ctx, p + 4, "\n\t  ", RIP_ROUTELEN - 4);
	} else {
		NEED(p, RIP_ROUTELEN);
		if (remaining < RIP_ROUTELEN)
			return 0;
		pr_printf(ctx, "\n\t  AFI %s, %15s/%-2d, tag 0x%04x, metric: %u, next-hop: ",
			  pr_tok_str(ctx, af_names, "%u", family), RD_IPV4(p + 4), mask2plen(RD_BE32(p + 8)),
			  RD_BE16(p + 2), RD_BE32(p + 16));
		if (RD_BE32(p + 12))
			pr_puts(ctx, RD_IPV4(p + 12));
		else
			pr_puts(ctx, "self");
	}
	return RIP_ROUTELEN;
}

void rip_print(struct pctx *ctx, const uint8_t *dat, unsigned length)
{
	unsigned len = pr_left(ctx, dat), vers, cmd;
	const uint8_t *p;

	PR_PROTO(ctx, "rip");
	if (len > length)
		len = length;
	if (len < RIP_HDR_LEN) {
		pr_trunc_mark(ctx);
		return;
	}
	len -= RIP_HDR_LEN;
	vers = RD_U8(dat + 1);
	pr_printf(ctx, "%sRIPv%u", ctx->opts.verbose ? "\n\t" : "", vers);
	if (vers == 0) {
		/* RFC 1058: version 0 datagrams are to be ignored */
		pr_unknown_data(ctx, dat, "\n\t", length);
		return;
	}
	cmd = RD_U8(dat);
	pr_printf(ctx, ", %s, length: %u", pr_tok_str(ctx, cmd_names, "unknown command (%u)", cmd), length);
	if (!ctx->opts.verbose)
		return;
	switch (cmd) {
	case 1:
	case 2:
		if (vers > 2) {
			pr_puts(ctx, ", unknown version");
			break;
		}
		pr_printf(ctx, ", routes: %u%s", length / RIP_ROUTELEN, vers == 2 ? " or less" : "");
		p = dat + RIP_HDR_LEN;
		while (len != 0) {
			unsigned n = vers == 1 ? entry_v1(ctx, p, len) : entry_v2(ctx, p, len);

			if (n == 0) {
				pr_trunc_mark(ctx);
				break;
			}
			if (len < n) {
				pr_printf(ctx, " [remaining entries length %u < %u]", len, n);
				pr_invalid(ctx);
				break;
			}
			p += n;
			len -= n;
		}
		break;
	case 4:
	case 5:
	case 6: break;
	default:
		if (ctx->opts.verbose <= 1 && !pr_unknown_data(ctx, dat, "\n\t", length))
			return;
		break;
	}
	if (ctx->opts.verbose > 1)
		pr_unknown_data(ctx, dat, "\n\t", length);
}
