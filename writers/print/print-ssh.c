/* SSH (RFC 4253 4.2): only the identification line is text, so only it is shown. */
#include "writers/print/print-int.h"

void ssh_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned idx;

	PR_PROTO(ctx, "ssh");
	if (RD_U8(bp) != 'S' || RD_U8(bp + 1) != 'S' || RD_U8(bp + 2) != 'H' || RD_U8(bp + 3) != '-')
		return;
	for (idx = 4; idx < length; idx++) {
		uint8_t c = RD_U8(bp + idx);

		if (c == '\n')
			break;
		if (c == '\r') {
			if (idx + 1 >= length || RD_U8(bp + idx + 1) != '\n')
				return;
			break;
		}
		if (c < 0x20 || c >= 0x7f)
			return;
	}
	pr_puts(ctx, ": SSH: ");
	pr_str_n(ctx, bp, idx);
}
