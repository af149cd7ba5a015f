/* WHOIS (RFC 3912): plain text lines. */
#include "writers/print/print-int.h"

void whois_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	PR_PROTO(ctx, "whois");
	txtproto_print(ctx, bp, length, NULL, 0);
}
