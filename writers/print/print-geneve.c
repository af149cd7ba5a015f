/* Geneve (RFC 8926), UDP port 6081: header, options, then the payload by its protocol type. */
#include "writers/print/print-int.h"

#define GENEVE_HDR_LEN 8
#define ETYPE_TEB 0x6558

static const struct pr_tok flag_names[] = { { 0x80, "O" }, { 0x40, "C" }, { 0, NULL } };

static const char *opt_class_name(unsigned c)
{
	switch (c) {
	case 0x0100: return "Linux";
	case 0x0101: return "Open vSwitch";
	case 0x0102: return "Open Virtual Networking (OVN)";
	case 0x0103: return "In-band Network Telemetry (INT)";
	case 0x0104: return "VMware";
	default:
		if (c <= 0x00ff)
			return "Standard";
		if (c >= 0xfff0)
			return "Experimental";
		return "Unknown";
	}
}

static void print_opts(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	const char *sep = "";

	while (len > 0) {
		unsigned cls = RD_BE16(bp), type = RD_U8(bp + 2), olen = 4 + (RD_U8(bp + 3) & 0x1f) * 4, i;

		pr_printf(ctx, "%sclass %s (0x%x) type 0x%x%s len %u", sep, opt_class_name(cls), cls, type,
			  (type & 0x80) ? "(C)" : "", olen);
		if (olen > len) {
			pr_puts(ctx, " [bad length]");
			return;
		}
		if (ctx->opts.verbose > 1 && olen > 4) {
			pr_puts(ctx, " data");
			for (i = 4; i < olen; i += 4)
				pr_printf(ctx, " %08x", RD_BE32(bp + i));
		}
		bp += olen;
		len -= olen;
		sep = ", ";
	}
}

void geneve_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	unsigned ver_opt, flags, prot, vni, rsvd, opts_len;

	PR_PROTO(ctx, "geneve");
	pr_puts(ctx, "Geneve");
	NEED(bp, GENEVE_HDR_LEN);
	if (len < GENEVE_HDR_LEN) {
		pr_invalid(ctx);
		return;
	}
	ver_opt = RD_U8(bp);
	if (ver_opt >> 6 != 0) {
		pr_printf(ctx, " ERROR: unknown-version %u", ver_opt >> 6);
		return;
	}
	flags = RD_U8(bp + 1);
	prot = RD_BE16(bp + 2);
	vni = RD_BE24(bp + 4);
	rsvd = RD_U8(bp + 7);
	bp += GENEVE_HDR_LEN;
	len -= GENEVE_HDR_LEN;
	pr_printf(ctx, ", Flags [%s]", pr_bits_str(ctx, flag_names, "none", "", flags));
	pr_printf(ctx, ", vni 0x%x", vni);
	if (rsvd)
		pr_printf(ctx, ", rsvd 0x%x", rsvd);
	if (ctx->opts.link_header) {
		const char *name = ethertype_name(prot);

		pr_printf(ctx, ", proto %s (0x%04x)", name ? name : "unknown", prot);
	}
	opts_len = (ver_opt & 0x3f) * 4;
	if (len < opts_len) {
		pr_printf(ctx, " truncated-geneve - %u bytes missing", opts_len - len);
		return;
	}
	if (opts_len > 0) {
		pr_puts(ctx, ", options [");
		if (ctx->opts.verbose)
			print_opts(ctx, bp, opts_len);
		else
			pr_printf(ctx, "%u bytes", opts_len);
		pr_putc(ctx, ']');
	}
	bp += opts_len;
	len -= opts_len;
	pr_puts(ctx, ctx->opts.verbose ? "\n\t" : ": ");
	if (!ethertype_print(ctx, prot, bp, len)) {
		if (prot == ETYPE_TEB)
			ether_inner_print(ctx, bp, len);
		else
			pr_printf(ctx, "geneve-proto-0x%x", prot);
	}
}
