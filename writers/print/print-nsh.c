/* Network Service Header (RFC 8300), ethertype 0x894f and VXLAN-GPE next protocol 4. */
#include "writers/print/print-int.h"

#define NSH_BASE_LEN 8 /* base header and service path header */
#define NSH_WORD 4

/* RFC 8300 2.2: only the O bit is a flag; U and TTL follow it */
static const struct pr_tok flag_names[] = { { 0x20, "O" }, { 0, NULL } };
static const struct pr_tok md_names[] = {
	{ 0x00, "reserved" }, { 0x01, "1" }, { 0x02, "2" }, { 0x0f, "experimental" }, { 0, NULL },
};
static const struct pr_tok next_names[] = {
	{ 0x01, "IPv4" }, { 0x02, "IPv6" }, { 0x03, "Ethernet" }, { 0x04, "NSH" }, { 0x05, "MPLS" }, { 0, NULL },
};

/*
 * MD type 2 context headers: (class, type, length) TLVs padded to 4 bytes, within words 4-byte
 * words. Returns -1 after saying the lengths do not fit.
 */
static int md2_print(struct pctx *ctx, const uint8_t *p, unsigned words)
{
	unsigned n = 0;

	while (n < words) {
		unsigned cls = RD_BE16(p), type = RD_U8(p + 2), tlen = RD_U8(p + 3) & 0x7f, padded = (tlen + 3) & ~3u;

		p += 4;
		pr_printf(ctx, "\n        TLV Class %u, Type %u, Len %u", cls, type, tlen);
		n++;
		if (words < n + padded / NSH_WORD) {
			pr_puts(ctx, " (length too big)");
			return -1;
		}
		if (tlen) {
			pr_puts(ctx, "\n            Value: ");
			for (unsigned i = 0; i < tlen; i++)
				pr_printf(ctx, "%s%02x", i ? ":" : "0x", RD_U8(p + i));
			NEED(p + tlen, padded - tlen);
			p += padded;
			n += padded / NSH_WORD;
		}
	}
	return 0;
}

/* RFC 8300, laid out and checked in the order tcpdump 4.99 does. */
void nsh_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	unsigned ver, flags, hlen, md, next, past = 0, i, v = ctx->opts.verbose;

	PR_PROTO(ctx, "nsh");
	if (len < NSH_BASE_LEN) {
		pr_printf(ctx, " (packet length %u < %u)", len, NSH_BASE_LEN);
		goto invalid;
	}
	ver = RD_U8(bp) >> 6;
	flags = RD_U8(bp);
	hlen = RD_U8(bp + 1) & 0x3f; /* in 4-byte words, base and service path headers included */
	md = RD_U8(bp + 2) & 0x0f;
	next = RD_U8(bp + 3);
	pr_puts(ctx, "NSH, ");
	if (v > 1)
		pr_printf(ctx, "ver %u, ", ver);
	if (ver != 0)
		return;
	pr_printf(ctx, "flags [%s], ", pr_bits_str(ctx, flag_names, "none", "", flags));
	if (v > 2) {
		pr_printf(ctx, "TTL %u, ", (RD_BE16(bp) >> 6) & 0x3f);
		pr_printf(ctx, "length %u, ", hlen);
		pr_printf(ctx, "md type %s, ", pr_tok_str(ctx, md_names, "unknown (0x%02x)", md));
	}
	if (v > 1)
		pr_printf(ctx, "next-protocol %s, ", pr_tok_str(ctx, next_names, "unknown (0x%02x)", next));
	if (len < hlen * NSH_WORD) {
		pr_printf(ctx, " (too many headers for packet length %u)", len);
		goto invalid;
	}
	pr_printf(ctx, "service-path-id 0x%06x, ", RD_BE24(bp + 4));
	pr_printf(ctx, "service-index 0x%x", RD_U8(bp + 7));
	if (hlen < 2) {
		pr_puts(ctx, " (less than two headers)");
		goto invalid;
	}
	bp += NSH_BASE_LEN;
	if (v > 2 && md == 0x01) {
		if (hlen != 6) {
			pr_puts(ctx, " (invalid length for the MD type)");
			goto invalid;
		}
		for (i = 0; i < hlen - 2; i++)
			pr_printf(ctx, "\n        Context[%02u]: 0x%08x", i, RD_BE32(bp + i * NSH_WORD));
		past = 1;
	} else if (v > 2 && md == 0x02) {
		if (md2_print(ctx, bp, hlen - 2) < 0)
			goto invalid;
		past = 1;
	}
	if (!past)
		NEED(bp, (hlen - 2) * NSH_WORD);
	pr_puts(ctx, v ? "\n    " : ": ");
	bp += (hlen - 2) * NSH_WORD;
	len -= hlen * NSH_WORD;
	switch (next) {
	case 0x01: ip_print(ctx, bp, len); break;
	case 0x02: ip6_print(ctx, bp, len); break;
	case 0x03: ether_inner_print(ctx, bp, len); break;
	default: pr_puts(ctx, "ERROR: unknown-next-protocol"); break;
	}
	return;
invalid:
	pr_invalid(ctx);
}
