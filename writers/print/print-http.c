/* HTTP (RFC 9110, 9112) request and status lines, plus WebDAV methods tcpdump knows. */
#include "writers/print/print-int.h"

static const char *const http_methods[] = {
	"OPTIONS",
	"GET",
	"HEAD",
	"POST",
	"PUT",
	"DELETE",
	"TRACE",
	"CONNECT",
	/* WebDAV and versioning extensions (RFC 4918, 3253, 3648, 3744, 5323, 5842) */
	"PROPFIND",
	"PROPPATCH",
	"MKCOL",
	"COPY",
	"MOVE",
	"LOCK",
	"UNLOCK",
	"ORDERPATCH",
	"BIND",
	"REBIND",
	"UNBIND",
	"ACL",
	"REPORT",
	"SEARCH",
	"VERSION-CONTROL",
	"CHECKOUT",
	"UNCHECKOUT",
	"CHECKIN",
	"MERGE",
	"LABEL",
	"UPDATE",
	"MKWORKSPACE",
	"MKACTIVITY",
	"BASELINE-CONTROL",
	"MKREDIRECTREF",
	"UPDATEREDIRECTREF",
	"PATCH",
	NULL,
};

void http_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	PR_PROTO(ctx, "http");
	txtproto_print(ctx, bp, length, http_methods, 1);
}
