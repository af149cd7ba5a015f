/* FTP control connection (RFC 959), TCP port 21: commands and replies as text. */
#include "writers/print/print-int.h"

void ftp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	PR_PROTO(ctx, "ftp");
	txtproto_print(ctx, bp, length, NULL, 0);
}
