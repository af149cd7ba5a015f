/* DVMRP (RFC 1075, draft-ietf-idmr-dvmrp-v3) carried in IGMP: message names, prune and graft bodies. */
#include "writers/print/print-int.h"

void dvmrp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned code;

	PR_PROTO(ctx, "dvmrp");
	if (!HAVE(bp, 1))
		return;
	code = RD_U8(bp + 1);
	bp += 8;
	(void)length;
	switch (code) {
	case 1: pr_puts(ctx, " Probe"); break;
	case 2: pr_puts(ctx, " Report"); break;
	case 3: pr_puts(ctx, " Ask-neighbors(old)"); break;
	case 4: pr_puts(ctx, " Neighbors(old)"); break;
	case 5: pr_puts(ctx, " Ask-neighbors2"); break;
	case 6: pr_puts(ctx, " Neighbors2"); break;
	case 7:
		pr_puts(ctx, " Prune");
		pr_printf(ctx, " src %s grp %s", RD_IPV4(bp), RD_IPV4(bp + 4));
		pr_puts(ctx, " timer ");
		pr_relts(ctx, RD_BE32(bp + 8));
		break;
	case 8:
	case 9:
		pr_puts(ctx, code == 8 ? " Graft" : " Graft ACK");
		pr_printf(ctx, " src %s grp %s", RD_IPV4(bp), RD_IPV4(bp + 4));
		break;
	default: pr_printf(ctx, " [type %u]", code); break;
	}
}
