/* Network Service Header (RFC 8300), ethertype 0x894f and VXLAN-GPE next protocol 4. */
#include "print-int.h"

#define NSH_BASE_LEN 8 /* base header and service path header */
#define NSH_WORD 4

/* RFC 8300 2.2: only the O bit is a flag; U and TTL follow it */
static const struct pr_tok flag_names[] = { { 0x20, "O" }, { 0, NULL } };
static const struct pr_tok md_names[] = { { 0x01, "1" }, { 0x02, "2" }, { 0, NULL } };
static const struct pr_tok next_names[] = {
	{ 0x01, "IPv4" }, { 0x02, "IPv6" }, { 0x03, "Ethernet" }, { 0x04, "NSH" }, { 0x05, "MPLS" }, { 0, NULL },
};

void nsh_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	unsigned ver, flags, hlen, md, next, past, i;

	PR_PROTO(ctx, "nsh");
	pr_puts(ctx, "NSH");
	NEED(bp, NSH_BASE_LEN);
	ver = RD_U8(bp) >> 6;
	flags = RD_U8(bp);
	hlen = RD_U8(bp + 1) & 0x3f; /* in 4-byte words */
	md = RD_U8(bp + 2) & 0x0f;
	next = RD_U8(bp + 3);
	if (ctx->opts.verbose > 1)
		pr_printf(ctx, ", ver %u", ver);
	pr_printf(ctx, ", flags [%s]", pr_bits_str(ctx, flag_names, "none", "", flags));
	if (ctx->opts.verbose > 2) {
		pr_printf(ctx, ", length %u", hlen);
		pr_printf(ctx, ", md type %s", pr_tok_str(ctx, md_names, "unknown (0x%02x)", md));
	}
	if (ctx->opts.verbose > 1)
		pr_printf(ctx, ", next-protocol %s", pr_tok_str(ctx, next_names, "unknown (0x%02x)", next));
	pr_printf(ctx, ", service-path-id 0x%06x", RD_BE24(bp + 4));
	pr_printf(ctx, ", service-index 0x%x", RD_U8(bp + 7));
	past = hlen * NSH_WORD;
	if (past < NSH_BASE_LEN || len < past) {
		pr_invalid(ctx);
		return;
	}
	if (ctx->opts.verbose > 2 && md == 0x01) {
		for (i = NSH_BASE_LEN; i < past; i += NSH_WORD)
			pr_printf(ctx, "\n        Context[%02u]: 0x%08x", (i - NSH_BASE_LEN) / NSH_WORD,
				  RD_BE32(bp + i));
	}
	pr_puts(ctx, ctx->opts.verbose ? "\n    " : ": ");
	bp += past;
	len -= past;
	switch (next) {
	case 0x01: ip_print(ctx, bp, len); break;
	case 0x02: ip6_print(ctx, bp, len); break;
	case 0x03: ether_inner_print(ctx, bp, len); break;
	default: pr_puts(ctx, "ERROR: unknown-next-protocol"); break;
	}
}
