/* SIP (RFC 3261), UDP port 5060 (tcpdump leaves SIP over TCP undecoded): request and status lines as text. */
#include "writers/print/print-int.h"

static const char *const sip_methods[] = {
	"ACK",	 "BYE",	  "CANCEL", "DO",	"INFO",	  "INVITE",    "MESSAGE", "NOTIFY",  "OPTIONS",
	"PRACK", "QAUTH", "REFER",  "REGISTER", "SPRACK", "SUBSCRIBE", "UPDATE",  "PUBLISH", NULL,
};

void sip_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	PR_PROTO(ctx, "sip");
	txtproto_print(ctx, bp, length, sip_methods, 1);
}
