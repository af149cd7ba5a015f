/* MSDP (RFC 3618), TCP port 639: a stream of type/length messages. */
#include "writers/print/print-int.h"

#define MSDP_TYPE_MAX 7

void msdp_print(struct pctx *ctx, const uint8_t *sp, unsigned length)
{
	unsigned type, len;

	PR_PROTO(ctx, "msdp");
	pr_puts(ctx, ": msdp");
	/* only what starts like a message is decoded */
	type = RD_U8(sp);
	len = RD_BE16(sp + 1);
	if (len > 1500 || len < 3 || type == 0 || type > MSDP_TYPE_MAX)
		pr_trunc(ctx);
	while (length != 0) {
		unsigned n;

		type = RD_U8(sp);
		len = RD_BE16(sp + 1);
		if (len > 1400 || ctx->opts.verbose)
			pr_printf(ctx, " [len %u]", len);
		if (len < 3 || length < len)
			pr_trunc(ctx);
		sp += 3;
		length -= 3;
		switch (type) {
		case 1:
		case 3:
			pr_puts(ctx, type == 1 ? " SA" : " SA-Response");
			n = RD_U8(sp);
			pr_printf(ctx, " %u entries", n);
			/* RFC 3618 12.2: entries of 12 bytes after an 8-byte header, then an encapsulated packet */
			if (n * 12 + 8 < len) {
				pr_puts(ctx, " [w/data]");
				if (ctx->opts.verbose > 1) {
					pr_putc(ctx, ' ');
					ip_print(ctx, sp + n * 12 + 8 - 3, len - (n * 12 + 8));
				}
			}
			break;
		case 2: pr_printf(ctx, " SA-Request for %s", RD_IPV4(sp + 1)); break;
		case 4:
			pr_puts(ctx, " Keepalive");
			if (len != 3)
				pr_printf(ctx, "[len=%u] ", len);
			break;
		case 5: pr_puts(ctx, " Notification"); break;
		default: pr_printf(ctx, " [type=%u len=%u]", type, len); break;
		}
		sp += len - 3;
		length -= len - 3;
	}
}
