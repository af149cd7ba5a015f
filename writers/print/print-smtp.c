/* SMTP (RFC 5321), TCP port 25: commands and replies as text. */
#include "writers/print/print-int.h"

void smtp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	PR_PROTO(ctx, "smtp");
	txtproto_print(ctx, bp, length, NULL, 0);
}
