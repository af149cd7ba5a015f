/* BSD loopback link types: DLT_NULL (address family in the writer's byte order) and DLT_LOOP (network order). */
#include "writers/print/print-int.h"

#define NULL_HDR_LEN 4

/* Address family values BSDs use (AF_INET6 differs between them). */
static const struct pr_tok bsd_af_names[] = {
	{ 2, "IPv4" },	{ 6, "NS" },	{ 7, "OSI" },	{ 16, "Appletalk" }, { 23, "IPX" },
	{ 24, "IPv6" }, { 28, "IPv6" }, { 30, "IPv6" }, { 0, NULL },
};

/* The -e header (and, without -e, the line of a family not decoded): -q names the family only. */
static void null_hdr_show(struct pctx *ctx, uint32_t family, unsigned length)
{
	if (ctx->opts.quiet)
		pr_puts(ctx, pr_tok_str(ctx, bsd_af_names, "Unknown AF %u", family));
	else
		pr_printf(ctx, "AF %s (%u)", pr_tok_str(ctx, bsd_af_names, "Unknown", family), family);
	pr_printf(ctx, ", length %u: ", length);
}

static unsigned loopback_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length, uint32_t family)
{
	if (ctx->opts.link_header)
		null_hdr_show(ctx, family, length);
	p += NULL_HDR_LEN;
	length -= NULL_HDR_LEN;
	caplen -= NULL_HDR_LEN;
	switch (family) {
	case 2: ip_print(ctx, p, length); break;
	case 24:
	case 28:
	case 30: ip6_print(ctx, p, length); break;
	default:
		if (!ctx->opts.link_header)
			null_hdr_show(ctx, family, length + NULL_HDR_LEN);
		/* tcpdump's default print, which -x, -X and -q suppress */
		if (!ctx->opts.hex && !ctx->opts.hex_ascii && !ctx->opts.quiet)
			pr_hex_ascii(ctx, "\n\t", p, caplen);
		break;
	}
	return NULL_HDR_LEN;
}

unsigned null_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	uint32_t family;

	PR_PROTO(ctx, "null");
	if (caplen < NULL_HDR_LEN) {
		pr_trunc_mark(ctx);
		return caplen;
	}
	/* written in the capturing host's order: a family never has high bits, so swap when they are set */
	family = RD_LE32(p);
	if (family & 0xffff0000u)
		family = RD_BE32(p);
	return loopback_print(ctx, p, caplen, length, family);
}

unsigned loop_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	PR_PROTO(ctx, "loop");
	if (caplen < NULL_HDR_LEN) {
		pr_trunc_mark(ctx);
		return caplen;
	}
	return loopback_print(ctx, p, caplen, length, RD_BE32(p));
}
