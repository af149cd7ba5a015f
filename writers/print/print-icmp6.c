/* ICMPv6 decoder (RFC 4443, 4861 neighbour discovery, 2710/3810 MLD) printing tcpdump 4.99.3's exact text. */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "writers/print/print-int.h"

enum {
	T_DST_UNREACH = 1,
	T_PACKET_TOO_BIG = 2,
	T_TIME_EXCEEDED = 3,
	T_PARAM_PROB = 4,
	T_ECHO_REQUEST = 128,
	T_ECHO_REPLY = 129,
	T_MLD_QUERY = 130,
	T_MLD_REPORT = 131,
	T_MLD_DONE = 132,
	T_ROUTER_SOLICIT = 133,
	T_ROUTER_ADVERT = 134,
	T_NEIGHBOR_SOLICIT = 135,
	T_NEIGHBOR_ADVERT = 136,
	T_REDIRECT = 137,
	T_MLD2_REPORT = 143,
	T_HA_DISCOV_REQUEST = 144,
	T_HA_DISCOV_REPLY = 145,
	T_MOBILE_PREFIX_SOLICIT = 146,
	T_MOBILE_PREFIX_ADVERT = 147,
};

enum {
	OPT_SOURCE_LL = 1,
	OPT_TARGET_LL = 2,
	OPT_PREFIX_INFO = 3,
	OPT_REDIRECTED = 4,
	OPT_MTU = 5,
	OPT_ADV_INTERVAL = 7,
	OPT_HA_INFO = 8,
	OPT_ROUTE_INFO = 24,
	OPT_RDNSS = 25,
	OPT_DNSSL = 31,
};

#define MLD_MINLEN 24
#define MLDV2_QUERY_MINLEN 28

static const struct pr_tok icmp6_types[] = {
	{ 1, "destination unreachable" },
	{ 2, "packet too big" },
	{ 3, "time exceeded in-transit" },
	{ 4, "parameter problem" },
	{ 128, "echo request" },
	{ 129, "echo reply" },
	{ 130, "multicast listener query" },
	{ 131, "multicast listener report" },
	{ 132, "multicast listener done" },
	{ 133, "router solicitation" },
	{ 134, "router advertisement" },
	{ 135, "neighbor solicitation" },
	{ 136, "neighbor advertisement" },
	{ 137, "redirect" },
	{ 138, "router renumbering" },
	{ 139, "who-are-you request" },
	{ 140, "who-are-you reply" },
	{ 141, "inverse neighbor solicitation" },
	{ 142, "inverse neighbor advertisement" },
	{ 143, "multicast listener report v2" },
	{ 144, "home agent discovery request" },
	{ 145, "home agent discovery reply" },
	{ 146, "mobile router solicitation" },
	{ 147, "mobile router advertisement" },
	{ 155, "RPL" },
	{ 0, NULL },
};

static const struct pr_tok unreach_codes[] = {
	{ 0, "unreachable route" },   { 1, "unreachable prohibited" }, { 2, "beyond scope" },
	{ 3, "unreachable address" }, { 4, "unreachable port" },       { 0, NULL },
};

static const struct pr_tok nd_opt_names[] = {
	{ OPT_SOURCE_LL, "source link-address" },
	{ OPT_TARGET_LL, "destination link-address" },
	{ OPT_PREFIX_INFO, "prefix info" },
	{ OPT_REDIRECTED, "redirected header" },
	{ OPT_MTU, "mtu" },
	{ OPT_RDNSS, "rdnss" },
	{ OPT_DNSSL, "dnssl" },
	{ OPT_ADV_INTERVAL, "advertisement interval" },
	{ OPT_HA_INFO, "homeagent information" },
	{ OPT_ROUTE_INFO, "route info" },
	{ 0, NULL },
};

static const struct pr_tok ra_flags[] = {
	{ 0x80, "managed" }, { 0x40, "other stateful" }, { 0x20, "home agent" }, { 0x02, "ipv6 only" }, /* RFC 8925 */
	{ 0, NULL },
};

static const struct pr_tok na_flags[] = {
	{ 0x80000000u, "router" },
	{ 0x40000000u, "solicited" },
	{ 0x20000000u, "override" },
	{ 0, NULL },
};

static const struct pr_tok pi_flags[] = {
	{ 0x80, "onlink" },
	{ 0x40, "auto" },
	{ 0x20, "router" },
	{ 0, NULL },
};

/* RFC 3810 5.2.12 record types. */
static const struct pr_tok mld2_record_types[] = {
	{ 1, "is_in" }, { 2, "is_ex" }, { 3, "to_in" }, { 4, "to_ex" }, { 5, "allow" }, { 6, "block" }, { 0, NULL },
};

/* RFC 4191 2.1 preference field. */
static const char *rtpref_str(unsigned flags)
{
	static const char *const names[4] = { "medium", "high", "rsv", "low" };

	return names[(flags >> 3) & 3];
}

static const char *lifetime_str(struct pctx *ctx, uint32_t v)
{
	char *s;

	if (v == 0xffffffffu)
		return "infinity";
	s = pr_scratch(ctx);
	snprintf(s, PR_STR_LEN, "%us", v);
	return s;
}

/*
 * Find the UDP/TCP header inside the quoted packet of an error message,
 * through any extension headers; NULL when not captured or not reachable.
 */
static const uint8_t *quoted_l4(struct pctx *ctx, const uint8_t *ip6, unsigned *proto)
{
	const struct ip6_hdr *h = (const void *)ip6;
	const uint8_t *bp = ip6;
	unsigned nh, hlen = IP6_HDR_LEN;

	if (!HAVE(&h->nxt, 1))
		return NULL;
	nh = RD_U8(&h->nxt);
	while (bp < ctx->end) {
		bp += hlen;
		switch (nh) {
		case IPPROTO_TCP:
		case IPPROTO_UDP:
			if (!HAVE(bp + 2, 2))
				return NULL;
			*proto = nh;
			return bp;
		case IPPROTO_HOPOPTS:
		case IPPROTO_DSTOPTS:
		case IPPROTO_ROUTING:
			if (!HAVE(bp + 1, 1))
				return NULL;
			nh = bp[0];
			hlen = (bp[1] + 1u) << 3;
			break;
		case IPPROTO_FRAGMENT:
			if (!HAVE(bp + 2, 2))
				return NULL;
			/* only a first fragment holds the transport header */
			if (RD_BE16(bp + 2) & 0xfff8)
				return NULL;
			nh = bp[0];
			hlen = 8;
			break;
		case IPPROTO_AH:
			if (!HAVE(bp + 1, 1))
				return NULL;
			nh = bp[0];
			hlen = (bp[1] + 2u) << 2;
			break;
		default: *proto = nh; return NULL;
		}
	}
	return NULL;
}

/*
 * Returns -1 when the quoted packet is too short to find its transport
 * header: tcpdump's "goto trunc" there prints " [|icmp6]" and returns
 * normally, so the -x dump still skips the link header.
 */
static int unreach_print(struct pctx *ctx, const uint8_t *dp, const uint8_t *oip, unsigned length)
{
	const struct ip6_hdr *oh = (const void *)oip;
	unsigned code = RD_U8(dp + 1), proto = 0, dport;
	const uint8_t *l4;

	pr_printf(ctx, ", %s", pr_tok_str(ctx, unreach_codes, "unknown unreach code (%u)", code));
	switch (code) {
	case 0:
	case 1:
	case 3: pr_printf(ctx, " %s", RD_IPV6(oh->dst)); break;
	case 2: pr_printf(ctx, " %s, source address %s", RD_IPV6(oh->dst), RD_IPV6(oh->src)); break;
	case 4:
		if (!(l4 = quoted_l4(ctx, oip, &proto)))
			return -1;
		dport = RD_BE16(l4 + 2);
		if (proto == IPPROTO_TCP)
			pr_printf(ctx, ", %s tcp port %s", RD_IPV6(oh->dst), pr_port_str(ctx, dport, 0));
		else if (proto == IPPROTO_UDP)
			pr_printf(ctx, ", %s udp port %s", RD_IPV6(oh->dst), pr_port_str(ctx, dport, 1));
		else
			pr_printf(ctx, ", %s protocol %u port %u unreachable", RD_IPV6(oh->dst), proto, dport);
		break;
	default:
		if (ctx->opts.verbose <= 1)
			pr_unknown_data(ctx, dp, "\n\t", length);
		break;
	}
	return 0;
}

/* MLDv1 (RFC 2710): tcpdump prints it straight after the type name, with no separator. */
static void mld1_print(struct pctx *ctx, const uint8_t *dp)
{
	pr_printf(ctx, "max resp delay: %u ", RD_BE16(dp + 4));
	pr_printf(ctx, "addr: %s", RD_IPV6(dp + 8));
}

/* RFC 3810 5.1.3 / 5.1.9: the exponential encodings of the query's codes. */
static void mld2_query_print(struct pctx *ctx, const uint8_t *dp, unsigned length)
{
	unsigned mrc, mrt, qqic, qqi, nsrcs, i;

	if (length < MLDV2_QUERY_MINLEN) {
		pr_printf(ctx, " [invalid len %u]", length);
		return;
	}
	mrc = RD_BE16(dp + 4);
	mrt = mrc < 32768 ? mrc : ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
	if (ctx->opts.verbose)
		pr_printf(ctx, " [max resp delay=%u]", mrt);
	pr_printf(ctx, " [gaddr %s", RD_IPV6(dp + 8));
	if (ctx->opts.verbose) {
		unsigned sqrv = RD_U8(dp + 24);

		if (sqrv & 0x08)
			pr_puts(ctx, " sflag");
		if (sqrv & 0x07)
			pr_printf(ctx, " robustness=%u", sqrv & 0x07);
		qqic = RD_U8(dp + 25);
		qqi = qqic < 128 ? qqic : ((qqic & 0x0f) | 0x10) << (((qqic & 0x70) >> 4) + 3);
		pr_printf(ctx, " qqi=%u", qqi);
	}
	nsrcs = RD_BE16(dp + 26);
	if (nsrcs > 0) {
		if (length < 28 + nsrcs * 16)
			pr_puts(ctx, " [invalid number of sources]");
		else if (ctx->opts.verbose > 1) {
			pr_puts(ctx, " {");
			for (i = 0; i < nsrcs; i++)
				pr_printf(ctx, " %s", RD_IPV6(dp + 28 + i * 16));
			pr_puts(ctx, " }");
		} else
			pr_printf(ctx, ", %u source(s)", nsrcs);
	}
	pr_putc(ctx, ']');
}

static void mld2_report_print(struct pctx *ctx, const uint8_t *dp, unsigned length)
{
	unsigned ngroups, group = 8, i, j;

	if (length < 8) {
		pr_printf(ctx, " [invalid len %u]", length);
		return;
	}
	ngroups = RD_BE16(dp + 6);
	pr_printf(ctx, ", %u group record(s)", ngroups);
	if (!ctx->opts.verbose)
		return;
	for (i = 0; i < ngroups; i++) {
		unsigned nsrcs;

		/* record type, aux length, source count, group address */
		if (length < group + 20) {
			pr_puts(ctx, " [invalid number of groups]");
			return;
		}
		pr_printf(ctx, " [gaddr %s", RD_IPV6(dp + group + 4));
		pr_printf(ctx, " %s", pr_tok_str(ctx, mld2_record_types, " [v2-report-#%u]", RD_U8(dp + group)));
		nsrcs = RD_BE16(dp + group + 2);
		if (length < group + 20 + nsrcs * 16) {
			pr_printf(ctx, " [invalid number of sources %u]", nsrcs);
			return;
		}
		if (ctx->opts.verbose == 1)
			pr_printf(ctx, ", %u source(s)", nsrcs);
		else {
			pr_puts(ctx, " {");
			for (j = 0; j < nsrcs; j++)
				pr_printf(ctx, " %s", RD_IPV6(dp + group + 20 + j * 16));
			pr_puts(ctx, " }");
		}
		group += 20 + nsrcs * 16;
		pr_putc(ctx, ']');
	}
}

/* The body of one option after its "name option (t), length n (l): " line start. 1: stop the list. */
static int nd_opt_body_print(struct pctx *ctx, unsigned type, const uint8_t *cp, unsigned optlen, const uint8_t *opts)
{
	unsigned l, i;

	switch (type) {
	case OPT_SOURCE_LL:
	case OPT_TARGET_LL:
		l = optlen * 8 - 2;
		for (i = 0; i < l; i++)
			pr_printf(ctx, "%s%02x", i ? ":" : "", RD_U8(cp + 2 + i));
		break;
	case OPT_PREFIX_INFO:
		pr_printf(ctx, "%s/%u%s, Flags [%s], valid time %s", RD_IPV6(cp + 16), RD_U8(cp + 2),
			  optlen != 4 ? "badlen" : "", pr_bits_str(ctx, pi_flags, "none", ", ", RD_U8(cp + 3)),
			  lifetime_str(ctx, RD_BE32(cp + 4)));
		pr_printf(ctx, ", pref. time %s", lifetime_str(ctx, RD_BE32(cp + 8)));
		break;
	case OPT_REDIRECTED: pr_unknown_data(ctx, opts, "\n\t    ", optlen * 8); break;
	case OPT_MTU: pr_printf(ctx, " %u%s", RD_BE32(cp + 4), optlen != 1 ? "bad option length" : ""); break;
	case OPT_RDNSS:
		/* RFC 8106 5.1 */
		l = (optlen - 1) / 2;
		pr_printf(ctx, " lifetime %us,", RD_BE32(cp + 4));
		for (i = 0; i < l; i++)
			pr_printf(ctx, " addr: %s", RD_IPV6(cp + 8 + i * 16));
		break;
	case OPT_DNSSL: {
		const uint8_t *dp = cp + 8;

		pr_printf(ctx, " lifetime %us, domain(s):", RD_BE32(cp + 4));
		while (dp < cp + optlen * 8 && RD_U8(dp) != 0) {
			pr_putc(ctx, ' ');
			if (!(dp = dns_name_print(ctx, dp, opts)))
				return -1;
		}
		break;
	}
	case OPT_ADV_INTERVAL: pr_printf(ctx, " %ums", RD_BE32(cp + 4)); break;
	case OPT_HA_INFO: pr_printf(ctx, " preference %u, lifetime %u", RD_BE16(cp + 4), RD_BE16(cp + 6)); break;
	case OPT_ROUTE_INFO: {
		/* RFC 4191 2.3: 0, 8 or 16 prefix bytes */
		uint8_t in6[16];
		char text[INET6_ADDRSTRLEN];

		NEED(cp + 4, 4);
		memset(in6, 0, sizeof(in6));
		switch (optlen) {
		case 1: break;
		case 2:
			NEED(cp + 8, 8);
			memcpy(in6, cp + 8, 8);
			break;
		case 3:
			NEED(cp + 8, 16);
			memcpy(in6, cp + 8, 16);
			break;
		default: return -1;
		}
		/* a local copy: the packet accessors would refuse it */
		inet_ntop(AF_INET6, in6, text, sizeof(text));
		pr_printf(ctx, " %s/%u", text, RD_U8(cp + 2));
		pr_printf(ctx, ", pref=%s", rtpref_str(RD_U8(cp + 3)));
		pr_printf(ctx, ", lifetime=%s", lifetime_str(ctx, RD_BE32(cp + 4)));
		break;
	}
	default:
		if (ctx->opts.verbose <= 1) {
			pr_unknown_data(ctx, cp + 2, "\n\t  ", optlen * 8 - 2);
			return 1;
		}
		break;
	}
	return 0;
}

/* Neighbour discovery options (RFC 4861 4.6); -1 when truncated or malformed. */
static int nd_opts_print(struct pctx *ctx, const uint8_t *bp, int resid)
{
	const uint8_t *cp = bp;

	while (cp < ctx->end) {
		unsigned type, optlen;
		int rc;

		NEED(cp + 1, 1);
		if (resid <= 0)
			return 0;
		type = cp[0];
		optlen = cp[1];
		if (optlen == 0)
			return -1;
		if (cp + optlen * 8 > ctx->end)
			return -1;
		pr_printf(ctx, "\n\t  %s option (%u), length %u (%u): ", pr_tok_str(ctx, nd_opt_names, "unknown", type),
			  type, optlen * 8, optlen);
		rc = nd_opt_body_print(ctx, type, cp, optlen, bp);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return 0;
		if (ctx->opts.verbose > 1)
			pr_unknown_data(ctx, cp + 2, "\n\t    ", optlen * 8 - 2);
		cp += optlen * 8;
		resid -= (int)(optlen * 8);
	}
	return 0;
}

static void checksum_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip6)
{
	uint16_t field, sum;

	if (!HAVE(bp, length))
		return;
	field = RD_BE16(bp + 2);
	sum = ip6_l4_cksum(ctx, ip6, bp, length, IPPROTO_ICMPV6);
	if (sum != 0)
		pr_printf(ctx, "[bad icmp6 cksum 0x%04x -> 0x%04x!] ", field, pr_cksum_shouldbe(field, sum));
	else
		pr_puts(ctx, "[icmp6 sum ok] ");
}

void icmp6_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip6, int fragmented)
{
	const uint8_t *oip = bp + 8; /* the quoted packet of an error message */
	const struct ip6_hdr *oh = (const void *)oip;
	unsigned type, code;
	int verbose = ctx->opts.verbose, rc = 0;

	PR_PROTO(ctx, "icmp6");
	if (length == 0) {
		pr_puts(ctx, "ICMP6, length 0");
		pr_invalid(ctx);
		return;
	}
	if (verbose && !fragmented)
		checksum_print(ctx, bp, length, ip6);
	type = RD_U8(bp);
	pr_printf(ctx, "ICMP6, %s", pr_tok_str(ctx, icmp6_types, "unknown icmp6 type (%u)", type));
	/* tcpdump moves the length forward for the types whose -v output spans lines */
	if (verbose && (type == T_ROUTER_SOLICIT || type == T_ROUTER_ADVERT || type == T_NEIGHBOR_ADVERT ||
			type == T_NEIGHBOR_SOLICIT || type == T_REDIRECT || type == T_HA_DISCOV_REPLY ||
			type == T_MOBILE_PREFIX_ADVERT))
		pr_printf(ctx, ", length %u", length);

	switch (type) {
	case T_DST_UNREACH:
		rc = unreach_print(ctx, bp, oip, length);
		if (rc == 0 && RD_U8(bp + 1) > 4 && verbose <= 1)
			return;
		break;
	case T_PACKET_TOO_BIG: pr_printf(ctx, ", mtu %u", RD_BE32(bp + 4)); break;
	case T_TIME_EXCEEDED:
		code = RD_U8(bp + 1);
		if (code == 0)
			pr_printf(ctx, " for %s", RD_IPV6(oh->dst));
		else if (code == 1)
			pr_puts(ctx, " (reassembly)");
		else
			pr_printf(ctx, ", unknown code (%u)", code);
		break;
	case T_PARAM_PROB: {
		static const char *const what[] = { "erroneous", "next header", "option", "incomplete header chain" };

		NEED(oh->dst, 16);
		code = RD_U8(bp + 1);
		if (code < 4)
			pr_printf(ctx, ", %s - octet %u", what[code], RD_BE32(bp + 4));
		else
			pr_printf(ctx, ", code-#%u", code);
		break;
	}
	case T_ECHO_REQUEST:
	case T_ECHO_REPLY: pr_printf(ctx, ", id %u, seq %u", RD_BE16(bp + 4), RD_BE16(bp + 6)); break;
	case T_MLD_QUERY:
		if (length == MLD_MINLEN)
			mld1_print(ctx, bp);
		else if (length >= MLDV2_QUERY_MINLEN) {
			pr_puts(ctx, " v2");
			mld2_query_print(ctx, bp, length);
		} else
			pr_printf(ctx, " unknown-version (len %u) ", length);
		break;
	case T_MLD_REPORT:
	case T_MLD_DONE: mld1_print(ctx, bp); break;
	case T_ROUTER_SOLICIT:
		if (verbose)
			rc = nd_opts_print(ctx, bp + 8, (int)length - 8);
		break;
	case T_ROUTER_ADVERT:
		if (verbose) {
			unsigned fl = RD_U8(bp + 5);

			pr_printf(
				ctx,
				"\n\thop limit %u, Flags [%s], pref %s, router lifetime %us, reachable time %ums, retrans timer %ums",
				RD_U8(bp + 4), pr_bits_str(ctx, ra_flags, "none", ", ", fl), rtpref_str(fl),
				RD_BE16(bp + 6), RD_BE32(bp + 8), RD_BE32(bp + 12));
			rc = nd_opts_print(ctx, bp + 16, (int)length - 16);
		}
		break;
	case T_NEIGHBOR_SOLICIT:
		pr_printf(ctx, ", who has %s", RD_IPV6(bp + 8));
		if (verbose)
			rc = nd_opts_print(ctx, bp + 24, (int)length - 24);
		break;
	case T_NEIGHBOR_ADVERT:
		pr_printf(ctx, ", tgt is %s", RD_IPV6(bp + 8));
		if (verbose) {
			pr_printf(ctx, ", Flags [%s]", pr_bits_str(ctx, na_flags, "none", ", ", RD_BE32(bp + 4)));
			rc = nd_opts_print(ctx, bp + 24, (int)length - 24);
		}
		break;
	case T_REDIRECT:
		pr_printf(ctx, ", %s", RD_IPV6(bp + 24));
		pr_printf(ctx, " to %s", RD_IPV6(bp + 8));
		if (verbose)
			rc = nd_opts_print(ctx, bp + 40, (int)length - 40);
		break;
	case T_MLD2_REPORT: mld2_report_print(ctx, bp, length); break;
	case T_HA_DISCOV_REQUEST:
	case T_MOBILE_PREFIX_SOLICIT: pr_printf(ctx, ", id 0x%04x", RD_BE16(bp + 4)); break;
	case 141: /* inverse neighbor discovery (RFC 3122): tcpdump names them, decodes nothing */
	case 142: break;
	default:
		pr_printf(ctx, ", length %u", length);
		if (verbose <= 1)
			pr_unknown_data(ctx, bp, "\n\t", length);
		return;
	}
	if (rc < 0) {
		pr_trunc_mark(ctx);
		return;
	}
	if (!verbose)
		pr_printf(ctx, ", length %u", length);
}
