/* VXLAN (RFC 7348), UDP port 4789: an 8-byte header, then the encapsulated Ethernet frame. */
#include "writers/print/print-int.h"

#define VXLAN_HDR_LEN 8

/* An encapsulated Ethernet frame of length bytes, through the full printer. */
void ether_inner_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned caplen = pr_left(ctx, bp);

	ether_if_print(ctx, bp, caplen < length ? caplen : length, length);
}

void vxlan_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	unsigned flags;

	PR_PROTO(ctx, "vxlan");
	pr_puts(ctx, "VXLAN");
	if (len < VXLAN_HDR_LEN) {
		pr_trunc(ctx);
	}
	flags = RD_U8(bp);
	pr_printf(ctx, ", flags [%s] (0x%02x), ", (flags & 0x08) ? "I" : ".", flags);
	pr_printf(ctx, "vni %u\n", RD_BE24(bp + 4));
	ether_inner_print(ctx, bp + VXLAN_HDR_LEN, len - VXLAN_HDR_LEN);
}
