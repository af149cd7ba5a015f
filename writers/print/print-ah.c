/* IP Authentication Header (RFC 4302), IP protocol 51: SPI, sequence, ICV, then the protected payload. */
#include "writers/print/print-int.h"

/* Prints the header; returns its length (the payload follows), 0 when the length field is bogus. */
unsigned ah_print(struct pctx *ctx, const uint8_t *bp)
{
	unsigned len_field, hdr_len, reserved, i;

	PR_PROTO(ctx, "ah");
	pr_puts(ctx, "AH");
	len_field = RD_U8(bp + 1);
	/* RFC 4302 2.2: the length counts 32-bit words, minus 2 */
	hdr_len = (len_field + 2) * 4;
	pr_putc(ctx, '(');
	if (ctx->opts.verbose)
		pr_printf(ctx, "length=%u(%u-bytes),", len_field, hdr_len);
	reserved = RD_BE16(bp + 2);
	if (reserved)
		pr_printf(ctx, "reserved=0x%x[MustBeZero],", reserved);
	pr_printf(ctx, "spi=0x%08x,", RD_BE32(bp + 4));
	pr_printf(ctx, "seq=0x%x,", RD_BE32(bp + 8));
	pr_puts(ctx, "icv=0x");
	for (i = 12; i < hdr_len; i++)
		pr_printf(ctx, "%02x", RD_U8(bp + i));
	pr_puts(ctx, "): ");
	return hdr_len;
}
