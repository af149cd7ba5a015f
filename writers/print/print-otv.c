/* Cisco Overlay Transport Virtualization (draft-hasmit-otv-04), UDP port 8472: flags, 24-bit overlay and instance IDs, then Ethernet. */
#include "writers/print/print-int.h"

#define OTV_HDR_LEN 8

void otv_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	unsigned flags;

	PR_PROTO(ctx, "otv");
	pr_puts(ctx, "OTV, ");
	if (len < OTV_HDR_LEN)
		pr_trunc(ctx);
	flags = RD_U8(bp);
	pr_printf(ctx, "flags [%s] (0x%02x), ", (flags & 0x08) ? "I" : ".", flags);
	pr_printf(ctx, "overlay %u, ", RD_BE24(bp + 1));
	pr_printf(ctx, "instance %u\n", RD_BE24(bp + 4));
	ether_inner_print(ctx, bp + OTV_HDR_LEN, len - OTV_HDR_LEN);
}
