/* OSPF for IPv6 (OSPFv3, RFC 5340) with LLS (RFC 5613) and authentication trailer (RFC 7166) headers; IPv6 next header 89. */
#include <string.h>

#include "writers/print/print-int.h"

#define OSPF6_HDR_LEN 16
#define LSA6_HDR_LEN 20

enum { T_HELLO = 1, T_DD = 2, T_LS_REQ = 3, T_LS_UPDATE = 4, T_LS_ACK = 5 };

static const struct pr_tok type_names[] = {
	{ T_HELLO, "Hello" },	      { T_DD, "Database Description" }, { T_LS_REQ, "LS-Request" },
	{ T_LS_UPDATE, "LS-Update" }, { T_LS_ACK, "LS-Ack" },		{ 0, NULL },
};

#define OPT_L 0x0200

static const struct pr_tok option_names[] = {
	{ 0x0001, "V6" },
	{ 0x0002, "External" },
	{ 0x0004, "Deprecated" },
	{ 0x0008, "NSSA" },
	{ 0x0010, "Router" },
	{ 0x0020, "Demand Circuit" },
	{ 0x0100, "AFs Support" },
	{ OPT_L, "LLS" },
	{ 0x0400, "Authentication Trailer" },
	{ 0, NULL },
};

static const struct pr_tok rla_flag_names[] = {
	{ 0x01, "ABR" },	{ 0x02, "External" },	     { 0x04, "Virtual-Link Endpoint" },
	{ 0x08, "Deprecated" }, { 0x10, "NSSA Translator" }, { 0, NULL },
};

#define ASLA_FWDADDR 0x02000000
#define ASLA_ROUTETAG 0x01000000

static const struct pr_tok asla_flag_names[] = { { 0x80000000,
						   "External Type 2" } /* tcpdump tests the OSPFv2 E bit position */,
						 { ASLA_FWDADDR, "Forwarding" },
						 { ASLA_ROUTETAG, "Tag" },
						 { 0, NULL } };

static const struct pr_tok lsa_names[] = {
	{ 1, "Router" },
	{ 2, "Network" },
	{ 3, "Inter-Area Prefix" },
	{ 4, "Inter-Area Router" },
	{ 5, "External" },
	{ 6, "Deprecated" },
	{ 7, "NSSA" },
	{ 8, "Link" },
	{ 9, "Intra-Area Prefix" },
	{ 10, "Intra-Area TE" },
	{ 11, "Grace" },
	{ 12, "Router Information" },
	{ 13, "Inter-AS-TE" },
	{ 14, "Layer 1 VPN" },
	{ 0, NULL },
};

static const struct pr_tok scope_names[] = {
	{ 0x0000, "Link Local" }, { 0x2000, "Area Local" }, { 0x4000, "Domain Wide" }, { 0, NULL }
};

static const struct pr_tok dd_flag_names[] = {
	{ 0x04, "Init" }, { 0x02, "More" }, { 0x01, "Master" }, { 0x10, "IPv6 MTU" }, { 0, NULL }
};

static const struct pr_tok prefix_opt_names[] = {
	{ 0x01, "No Unicast" },
	{ 0x02, "Local address" },
	{ 0x04, "Deprecated" },
	{ 0x08, "Propagate" },
	{ 0x10, "Down" },
	{ 0x20, "N-bit" },
	{ 0, NULL },
};

#define LS_TYPE_MASK 0x1fff
#define LS_SCOPE_MASK 0x6000
#define LS_SCOPE_AREA 0x2000
#define LS_SCOPE_AS 0x4000

static void ls_type_print(struct pctx *ctx, unsigned type, const uint8_t *id)
{
	pr_printf(ctx, "\n\t    %s LSA (%u), %s Scope%s, LSA-ID %s",
		  pr_tok_str(ctx, lsa_names, "Unknown", type & LS_TYPE_MASK), type & LS_TYPE_MASK,
		  pr_tok_str(ctx, scope_names, "Unknown", type & LS_SCOPE_MASK), (type & 0x8000) ? ", transitive" : "",
		  RD_IPV4(id));
}

/* An LSA header; nonzero when it lies past dataend or is shorter than itself. */
static int lshdr_print(struct pctx *ctx, const uint8_t *h, const uint8_t *dataend)
{
	unsigned len;

	if (h + LSA6_HDR_LEN > dataend)
		return 1;
	len = RD_BE16(h + 18);
	if (len < LSA6_HDR_LEN) {
		pr_printf(ctx, "\n\t\t  Bogus length %u < header (%u)", len, LSA6_HDR_LEN);
		return 1;
	}
	pr_printf(ctx, "\n\t  Advertising Router %s, seq 0x%08x, age %us, length %u", RD_IPV4(h + 8), RD_BE32(h + 12),
		  RD_BE16(h), len - LSA6_HDR_LEN);
	ls_type_print(ctx, RD_BE16(h + 2), h + 4);
	return 0;
}

/* RFC 5340 A.4.1: prefix length, options, a 16-bit field, then the prefix in 32-bit words. */
static int lsa_prefix_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	uint8_t a[16];
	unsigned plen, words;

	if (len < 4)
		return -1;
	len -= 4;
	NEED(p, 4);
	plen = RD_U8(p);
	words = (plen + 31) / 32;
	if (words * 4 > 16) {
		pr_printf(ctx, " bogus prefixlen /%u", plen);
		return -1;
	}
	if (len < words * 4)
		return -1;
	NEED(p + 4, words * 4);
	memset(a, 0, sizeof(a));
	memcpy(a, p + 4, words * 4);
	pr_printf(ctx, "\n\t\t%s/%u", pr_ipv6_copy(ctx, a), plen);
	if (RD_U8(p + 1))
		pr_printf(ctx, ", Options [%s]", pr_bits_str(ctx, prefix_opt_names, "none", ", ", RD_U8(p + 1)));
	pr_printf(ctx, ", metric %u", RD_BE16(p + 2));
	return (int)(4 + words * 4);
}

/* One LSA; nonzero when it is truncated or malformed. */
static int lsa_print(struct pctx *ctx, const uint8_t *lsa, const uint8_t *dataend)
{
	const uint8_t *t;
	unsigned len, left, type;
	int n;

	if (lshdr_print(ctx, lsa, dataend))
		return 1;
	len = RD_BE16(lsa + 18);
	if (len < LSA6_HDR_LEN || lsa + len > dataend)
		return 1;
	left = len - LSA6_HDR_LEN;
	t = lsa + LSA6_HDR_LEN;
	type = RD_BE16(lsa + 2);
	switch (type) {
	case 1 | LS_SCOPE_AREA:
		if (left < 4)
			return 1;
		left -= 4;
		pr_printf(ctx, "\n\t      Options [%s]", pr_bits_str(ctx, option_names, "none", ", ", RD_BE32(t)));
		pr_printf(ctx, ", RLA-Flags [%s]", pr_bits_str(ctx, rla_flag_names, "none", ", ", RD_U8(t)));
		for (t += 4; left != 0; t += 16) {
			const char *what;

			if (left < 16)
				return 1;
			left -= 16;
			NEED(t, 16);
			switch (RD_U8(t)) {
			case 4: what = "Virtual Link: Neighbor Router-ID"; break;
			case 1: what = "Neighbor Router-ID"; break;
			case 2: what = "Neighbor Network-ID"; break;
			default: pr_printf(ctx, "\n\t      Unknown Router Links Type 0x%02x", RD_U8(t)); return 0;
			}
			pr_printf(ctx, "\n\t      %s %s\n\t      Neighbor Interface-ID %s, Interface %s", what,
				  RD_IPV4(t + 12), RD_IPV4(t + 8), RD_IPV4(t + 4));
			pr_printf(ctx, ", metric %u", RD_BE16(t + 2));
		}
		break;
	case 2 | LS_SCOPE_AREA:
		if (left < 4)
			return 1;
		left -= 4;
		pr_printf(ctx, "\n\t      Options [%s]", pr_bits_str(ctx, option_names, "none", ", ", RD_BE32(t)));
		pr_puts(ctx, "\n\t      Connected Routers:");
		for (t += 4; left != 0; t += 4) {
			if (left < 4)
				return 1;
			left -= 4;
			pr_printf(ctx, "\n\t\t%s", RD_IPV4(t));
		}
		break;
	case 3 | LS_SCOPE_AREA:
		if (left < 4)
			return 1;
		left -= 4;
		pr_printf(ctx, ", metric %u", RD_BE32(t) & 0x00ffffff);
		for (t += 4; left != 0; t += n, left -= (unsigned)n)
			if ((n = lsa_prefix_print(ctx, t, left)) < 0)
				return 1;
		break;
	case 5 | LS_SCOPE_AS: {
		uint32_t f;
		const uint8_t *pfx;

		if (left < 4)
			return 1;
		left -= 4;
		f = RD_BE32(t);
		pr_printf(ctx, "\n\t     Flags [%s]", pr_bits_str(ctx, asla_flag_names, "none", ", ", f));
		pr_printf(ctx, " metric %u", f & 0x00ffffff);
		pfx = t + 4;
		if ((n = lsa_prefix_print(ctx, pfx, left)) < 0)
			return 1;
		left -= (unsigned)n;
		t = pfx + n;
		if (f & ASLA_FWDADDR) {
			if (left < 16)
				return 1;
			left -= 16;
			pr_printf(ctx, " forward %s", RD_IPV6(t));
			t += 16;
		}
		if (f & ASLA_ROUTETAG) {
			if (left < 4)
				return 1;
			left -= 4;
			pr_printf(ctx, " tag %s", RD_IPV4(t));
			t += 4;
		}
		/* the prefix's 16-bit field holds the referenced LS type here; tcpdump tests its first byte */
		if (RD_U8(pfx + 2)) {
			if (left < 4)
				return 1;
			pr_printf(ctx, " RefLSID: %s", RD_IPV4(t));
		}
		break;
	}
	case 8: {
		unsigned prefixes;

		if (left < 4)
			return 1;
		left -= 4;
		pr_printf(ctx, "\n\t      Options [%s]", pr_bits_str(ctx, option_names, "none", ", ", RD_BE32(t)));
		if (left < 20)
			return 1;
		left -= 20;
		prefixes = RD_BE32(t + 20);
		pr_printf(ctx, "\n\t      Priority %u, Link-local address %s, Prefixes %u:", RD_U8(t), RD_IPV6(t + 4),
			  prefixes);
		for (t += 24; prefixes != 0; prefixes--, t += n, left -= (unsigned)n)
			if ((n = lsa_prefix_print(ctx, t, left)) < 0)
				return 1;
		break;
	}
	case 9 | LS_SCOPE_AREA: {
		unsigned prefixes;

		if (left < 4)
			return 1;
		left -= 4;
		NEED(t + 8, 4);
		ls_type_print(ctx, RD_BE16(t + 2), t + 4);
		if (left < 2)
			return 1;
		left -= 2;
		prefixes = RD_BE16(t);
		pr_printf(ctx, "\n\t      Prefixes %u:", prefixes);
		for (t += 12; prefixes != 0; prefixes--, t += n, left -= (unsigned)n)
			if ((n = lsa_prefix_print(ctx, t, left)) < 0)
				return 1;
		break;
	}
	case 11:
		if (ospf_grace_print(ctx, t, left) < 0)
			return 1;
		break;
	case 10:
		if (ospf_te_print(ctx, t, left) < 0)
			return 1;
		break;
	default:
		if (!pr_unknown_data(ctx, t, "\n\t      ", left))
			return 1;
		break;
	}
	return 0;
}

static int decode_v3(struct pctx *ctx, const uint8_t *op, const uint8_t *dataend)
{
	const uint8_t *b = op + OSPF6_HDR_LEN, *p;
	int vv = ctx->opts.verbose > 1;

	switch (RD_U8(op + 1)) {
	case T_HELLO:
		pr_printf(ctx, "\n\tOptions [%s]", pr_bits_str(ctx, option_names, "none", ", ", RD_BE32(b + 4)));
		pr_printf(ctx, "\n\t  Hello Timer %us, Dead Timer %us, Interface-ID %s, Priority %u", RD_BE16(b + 8),
			  RD_BE16(b + 10), RD_IPV4(b), RD_U8(b + 4));
		if (RD_BE32(b + 12) != 0)
			pr_printf(ctx, "\n\t  Designated Router %s", RD_IPV4(b + 12));
		if (RD_BE32(b + 16) != 0)
			pr_printf(ctx, ", Backup Designated Router %s", RD_IPV4(b + 16));
		if (vv) {
			pr_puts(ctx, "\n\t  Neighbor List:");
			for (p = b + 20; p < dataend; p += 4)
				pr_printf(ctx, "\n\t    %s", RD_IPV4(p));
		}
		break;
	case T_DD:
		pr_printf(ctx, "\n\tOptions [%s]", pr_bits_str(ctx, option_names, "none", ", ", RD_BE32(b)));
		pr_printf(ctx, ", DD Flags [%s]", pr_bits_str(ctx, dd_flag_names, "none", ", ", RD_U8(b + 7)));
		pr_printf(ctx, ", MTU %u, DD-Sequence 0x%08x", RD_BE16(b + 4), RD_BE32(b + 8));
		if (vv)
			for (p = b + 12; p < dataend; p += LSA6_HDR_LEN)
				if (lshdr_print(ctx, p, dataend))
					return 1;
		break;
	case T_LS_REQ:
		if (vv)
			for (p = b; p < dataend; p += 12) {
				NEED(p, 12);
				pr_printf(ctx, "\n\t  Advertising Router %s", RD_IPV4(p + 8));
				ls_type_print(ctx, RD_BE16(p + 2), p + 4);
			}
		break;
	case T_LS_UPDATE:
		if (vv) {
			uint32_t i = RD_BE32(b);

			for (p = b + 4; p < dataend && i--; p += RD_BE16(p + 18))
				if (lsa_print(ctx, p, dataend))
					return 1;
		}
		break;
	case T_LS_ACK:
		if (vv)
			for (p = b; p < dataend; p += LSA6_HDR_LEN)
				if (lshdr_print(ctx, p, dataend))
					return 1;
		break;
	default: break;
	}
	return 0;
}

/* RFC 5613 2.2 header of the LLS block; its length, -1 when malformed. */
static int lls_print(struct pctx *ctx, const uint8_t *cp, unsigned len)
{
	unsigned dlen;

	if (len == 0)
		return 0;
	if (len < 4)
		return -1;
	pr_printf(ctx, "\n\tLLS Checksum 0x%04x", RD_BE16(cp));
	dlen = RD_BE16(cp + 2);
	pr_printf(ctx, ", Data Length %u", dlen);
	if (dlen < 4 || dlen > len)
		return -1;
	NEED(cp + 4, dlen - 4);
	return (int)dlen;
}

/* RFC 7166 4.1 authentication trailer; nonzero when malformed. */
static int at_print(struct pctx *ctx, const uint8_t *cp, unsigned len)
{
	unsigned alen, type;

	if (len == 0)
		return 0;
	if (len < 16)
		return 1;
	type = RD_BE16(cp);
	if (type == 1)
		pr_puts(ctx, "\n\tAuthentication Type HMAC");
	else
		pr_printf(ctx, "\n\tAuthentication Type unknown (0x%04x)", type);
	alen = RD_BE16(cp + 2);
	pr_printf(ctx, ", Length %u", alen);
	if (alen < 16 || alen > len)
		return 1;
	pr_printf(ctx, ", SAID %u", RD_BE16(cp + 6));
	pr_printf(ctx, ", CSN 0x%08x", RD_BE32(cp + 8));
	pr_printf(ctx, ":%08x", RD_BE32(cp + 12));
	NEED(cp + 16, alen - 16);
	if (ctx->opts.verbose > 1)
		pr_unknown_data(ctx, cp + 16, "\n\tAuthentication Data ", alen - 16);
	return 0;
}

void ospf6_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	const uint8_t *dataend;
	unsigned type, datalen;
	const char *tname;

	PR_PROTO(ctx, "ospf3");
	type = RD_U8(bp + 1);
	tname = pr_tok_find(type_names, type);
	if (!tname) {
		pr_printf(ctx, "OSPFv%u, unknown packet type (%u), length %u", RD_U8(bp), type, length);
		return;
	}
	pr_printf(ctx, "OSPFv%u, %s, length %u", RD_U8(bp), tname, length);
	if (!ctx->opts.verbose)
		return;
	datalen = RD_BE16(bp + 2);
	if (datalen > length) {
		pr_printf(ctx, " [len %u]", datalen);
		return;
	}
	dataend = bp + datalen;
	pr_printf(ctx, "\n\tRouter-ID %s", RD_IPV4(bp + 4));
	if (RD_BE32(bp + 8) != 0)
		pr_printf(ctx, ", Area %s", RD_IPV4(bp + 8));
	else
		pr_puts(ctx, ", Backbone Area");
	if (RD_U8(bp + 14))
		pr_printf(ctx, ", Instance %u", RD_U8(bp + 14));
	if (RD_U8(bp) != 3)
		return;
	if (decode_v3(ctx, bp, dataend))
		pr_trunc(ctx);
	{
		/* the trailer: LLS for Hello and DD with the L bit, then an authentication trailer */
		unsigned opts = 0, tlen = length - datalen;
		int lls = 0;

		if (type == T_HELLO)
			opts = RD_BE32(bp + OSPF6_HDR_LEN + 4);
		else if (type == T_DD)
			opts = RD_BE32(bp + OSPF6_HDR_LEN);
		if ((type == T_HELLO || type == T_DD) && (opts & OPT_L) && (lls = lls_print(ctx, dataend, tlen)) < 0)
			pr_trunc(ctx);
		if (at_print(ctx, dataend + lls, tlen - (unsigned)lls))
			pr_trunc(ctx);
	}
}
