/* IPsec Encapsulating Security Payload (RFC 4303), IP protocol 50: SPI and sequence number (no decryption). */
#include "writers/print/print-int.h"

void esp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	PR_PROTO(ctx, "esp");
	pr_printf(ctx, "ESP(spi=0x%08x", RD_BE32(bp));
	pr_printf(ctx, ",seq=0x%x)", RD_BE32(bp + 4));
	pr_printf(ctx, ", length %u", length);
}
