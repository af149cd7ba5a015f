/* RTSP (RFC 2326), TCP ports 554 and 8554: request and status lines as text. */
#include "writers/print/print-int.h"

static const char *const rtsp_methods[] = {
	"DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "OPTIONS",	  "PAUSE",    "PLAY",
	"RECORD",   "REDIRECT", "SETUP",	 "SET_PARAMETER", "TEARDOWN", NULL,
};

void rtsp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	PR_PROTO(ctx, "rtsp");
	txtproto_print(ctx, bp, length, rtsp_methods, 1);
}
