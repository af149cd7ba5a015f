/* ICMP for IPv4 (RFC 792, 1191, 4884): echo, unreachables, redirects, time exceeded, with the quoted packet at -v. */
#include <stdio.h>

#include "writers/print/print-int.h"

#define ICMP_ECHOREPLY 0
#define ICMP_UNREACH 3
#define ICMP_SOURCEQUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8
#define ICMP_TIMXCEED 11
#define ICMP_PARAMPROB 12
#define ICMP_TSTAMP 13
#define ICMP_MASKREPLY 18

/* Offsets in the message: the quoted IP header starts after 8 bytes (RFC 792). */
#define ICMP_QUOTE 8
#define ICMP_EXT_MIN 136 /* RFC 4884: the extension follows 128 bytes of quote */

static const struct pr_tok icmp_types[] = {
	{ ICMP_ECHOREPLY, "echo reply" },      { ICMP_SOURCEQUENCH, "source quench" },
	{ ICMP_ECHO, "echo request" },	       { 10, "router solicitation" },
	{ ICMP_TSTAMP, "time stamp request" }, { 14, "time stamp reply" },
	{ 15, "information request" },	       { 16, "information reply" },
	{ 17, "address mask request" },	       { 0, NULL },
};

/* Unreachable codes 5-15; each format takes the quoted destination. */
static const struct pr_tok unreach_fmts[] = {
	{ 5, "%s unreachable - source route failed" },
	{ 6, "net %s unreachable - unknown" },
	{ 7, "host %s unreachable - unknown" },
	{ 8, "%s unreachable - source host isolated" },
	{ 9, "net %s unreachable - admin prohibited" },
	{ 10, "host %s unreachable - admin prohibited" },
	{ 11, "net %s unreachable - tos prohibited" },
	{ 12, "host %s unreachable - tos prohibited" },
	{ 13, "host %s unreachable - admin prohibited filter" },
	{ 14, "host %s unreachable - host precedence violation" },
	{ 15, "host %s unreachable - precedence cutoff" },
	{ 0, NULL },
};

static const struct pr_tok redirect_fmts[] = {
	{ 0, "redirect %s to net %s" },
	{ 1, "redirect %s to host %s" },
	{ 2, "redirect-tos %s to net %s" },
	{ 3, "redirect-tos %s to host %s" },
	{ 0, NULL },
};

static int is_error_type(unsigned type)
{
	return type == ICMP_UNREACH || type == ICMP_SOURCEQUENCH || type == ICMP_REDIRECT || type == ICMP_TIMXCEED ||
	       type == ICMP_PARAMPROB;
}

/*
 * Returns -1 when a port unreachable quotes too little to find the quoted
 * protocol: tcpdump checks that byte itself ("goto trunc"), prints " [|icmp]"
 * and returns normally, so a -x dump still leaves out the link header. The
 * port past it is a checked read that unwinds, as tcpdump's GET_ does.
 */
static int describe_unreach(struct pctx *ctx, const uint8_t *bp, unsigned code, char *buf, size_t n)
{
	const uint8_t *oip = bp + ICMP_QUOTE;
	const struct ip_hdr *oh = (const void *)oip;
	const char *fmt;

	switch (code) {
	case 0: snprintf(buf, n, "net %s unreachable", RD_IPV4(oh->dst)); break;
	case 1: snprintf(buf, n, "host %s unreachable", RD_IPV4(oh->dst)); break;
	case 2: snprintf(buf, n, "%s protocol %u unreachable", RD_IPV4(oh->dst), RD_U8(&oh->proto)); break;
	case 3: {
		unsigned hlen, dport, proto;

		if (!HAVE(&oh->proto, 1))
			return -1;
		hlen = (RD_U8(&oh->vhl) & 0xf) * 4;
		dport = RD_BE16(oip + hlen + 2);
		proto = RD_U8(&oh->proto);
		if (proto == IPPROTO_TCP)
			snprintf(buf, n, "%s tcp port %s unreachable", RD_IPV4(oh->dst), pr_port_str(ctx, dport, 0));
		else if (proto == IPPROTO_UDP)
			snprintf(buf, n, "%s udp port %s unreachable", RD_IPV4(oh->dst), pr_port_str(ctx, dport, 1));
		else
			snprintf(buf, n, "%s protocol %u port %u unreachable", RD_IPV4(oh->dst), proto, dport);
		break;
	}
	case 4: {
		unsigned mtu = RD_BE16(bp + 6);

		if (mtu)
			snprintf(buf, n, "%s unreachable - need to frag (mtu %u)", RD_IPV4(oh->dst), mtu);
		else
			snprintf(buf, n, "%s unreachable - need to frag", RD_IPV4(oh->dst));
		break;
	}
	default:
		fmt = pr_tok_find(unreach_fmts, code);
		if (fmt) {
			snprintf(buf, n, fmt, RD_IPV4(oh->dst));
		} else {
			const char *dst = RD_IPV4(oh->dst);

			snprintf(buf, n, "#%u %s unreachable", code, dst);
		}
		break;
	}
	return 0;
}

/* RFC 4884 extension structure after the 128-byte quote; only version 2 is defined. */
static void print_extension(struct pctx *ctx, const uint8_t *bp, unsigned plen)
{
	const uint8_t *ext = bp + ICMP_EXT_MIN;
	unsigned version;

	NEED(bp, ICMP_EXT_MIN + 5);
	/* without a length field, only a valid extension checksum tells one is there */
	if (RD_U8(bp + 5) == 0 && HAVE(ext, plen - ICMP_EXT_MIN) && pr_in_cksum(ext, plen - ICMP_EXT_MIN, 0) != 0)
		return;
	version = RD_U8(ext) >> 4;
	pr_printf(ctx, "\n\tICMP Multi-Part extension v%u", version);
	if (version != 2) {
		pr_puts(ctx, " packet not supported");
		return;
	}
	pr_printf(ctx, ", checksum 0x%04x (unverified), length %u", RD_BE16(ext + 2), plen - ICMP_EXT_MIN);
}

void icmp_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip, int fragmented)
{
	const struct ip_hdr *oh = (const void *)(bp + ICMP_QUOTE); /* the packet an error message quotes */
	char buf[256];
	const char *str = buf, *fmt;
	unsigned type, code;

	(void)ip;
	PR_PROTO(ctx, "icmp");
	type = RD_U8(bp);
	code = RD_U8(bp + 1);
	switch (type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
		snprintf(buf, sizeof(buf), "echo %s, id %u, seq %u", type == ICMP_ECHO ? "request" : "reply",
			 RD_BE16(bp + 4), RD_BE16(bp + 6));
		break;
	case ICMP_UNREACH:
		if (describe_unreach(ctx, bp, code, buf, sizeof(buf)) < 0) {
			pr_trunc_mark(ctx);
			return;
		}
		break;
	case ICMP_REDIRECT: {
		const char *dst = RD_IPV4(oh->dst), *gw = RD_IPV4(bp + 4);

		fmt = pr_tok_find(redirect_fmts, code);
		if (fmt)
			snprintf(buf, sizeof(buf), fmt, dst, gw);
		else
			snprintf(buf, sizeof(buf), "redirect-#%u %s to net %s", code, dst, gw);
		break;
	}
	case ICMP_TIMXCEED:
		/* checked without unwinding, as for a port unreachable */
		if (!HAVE(oh->dst, 4)) {
			pr_trunc_mark(ctx);
			return;
		}
		if (code == 0)
			str = "time exceeded in-transit";
		else if (code == 1)
			str = "ip reassembly time exceeded";
		else
			snprintf(buf, sizeof(buf), "time exceeded-#%u", code);
		break;
	case ICMP_PARAMPROB:
		if (code)
			snprintf(buf, sizeof(buf), "parameter problem - code %u", code);
		else
			snprintf(buf, sizeof(buf), "parameter problem - octet %u", RD_U8(bp + 4));
		break;
	case ICMP_MASKREPLY: snprintf(buf, sizeof(buf), "address mask is 0x%08x", RD_BE32(bp + 8)); break;
	case ICMP_TSTAMP:
		snprintf(buf, sizeof(buf), "time stamp query id %u seq %u", RD_BE16(bp + 4), RD_BE16(bp + 6));
		break;
	default: str = pr_tok_str(ctx, icmp_types, "type-#%u", type); break;
	}
	pr_printf(ctx, "ICMP %s, length %u", str, length);
	if (ctx->opts.verbose && !fragmented && HAVE(bp, length)) {
		uint16_t sum = pr_in_cksum(bp, length, 0);

		if (sum != 0) {
			uint16_t field = RD_BE16(bp + 2);

			pr_printf(ctx, " (wrong icmp cksum %x (->%x)!)", field, pr_cksum_shouldbe(field, sum));
		}
	}
	if (ctx->opts.verbose && is_error_type(type)) {
		const uint8_t *oip = bp + ICMP_QUOTE;
		unsigned olen;

		pr_puts(ctx, "\n\t");
		olen = RD_BE16(oh->len);
		/* the quote may be followed by an extension: the inner packet ends at its own length */
		pr_push_end(ctx, oip, olen);
		ip_print(ctx, oip, olen);
		pr_pop_end(ctx);
	}
	PR_PROTO(ctx, "icmp");
	if (ctx->opts.verbose && length > ICMP_EXT_MIN &&
	    (type == ICMP_UNREACH || type == ICMP_TIMXCEED || type == ICMP_PARAMPROB))
		print_extension(ctx, bp, length);
}
