/* VXLAN Generic Protocol Extension (draft-ietf-nvo3-vxlan-gpe), UDP port 4790. */
#include "writers/print/print-int.h"

#define VXLAN_GPE_HDR_LEN 8

static const struct pr_tok flag_names[] = { { 0x08, "I" }, { 0x04, "P" }, { 0x02, "B" }, { 0x01, "O" }, { 0, NULL } };

void vxlan_gpe_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	unsigned next;

	PR_PROTO(ctx, "vxlan_gpe");
	pr_puts(ctx, "VXLAN-GPE, ");
	/* the flags print before the rest of the header is known to be there */
	pr_printf(ctx, "flags [%s], ", pr_bits_str(ctx, flag_names, "none", "", RD_U8(bp)));
	NEED(bp, VXLAN_GPE_HDR_LEN);
	next = RD_U8(bp + 3);
	pr_printf(ctx, "vni %u", RD_BE24(bp + 4));
	pr_puts(ctx, ctx->opts.verbose ? "\n    " : ": ");
	bp += VXLAN_GPE_HDR_LEN;
	len = len < VXLAN_GPE_HDR_LEN ? 0 : len - VXLAN_GPE_HDR_LEN;
	switch (next) {
	case 0x01: ip_print(ctx, bp, len); break;
	case 0x02: ip6_print(ctx, bp, len); break;
	case 0x03: ether_inner_print(ctx, bp, len); break;
	case 0x04: nsh_print(ctx, bp, len); break;
	default:
		pr_puts(ctx, "ERROR: unknown-next-protocol");
		pr_invalid(ctx);
		break;
	}
}
