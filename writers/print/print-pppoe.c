/* PPP over Ethernet (RFC 2516): discovery (ethertype 0x8863) tags and session (0x8864) PPP frames. */
#include "writers/print/print-int.h"

#define PPPOE_HDRLEN 6
#define PPPOE_PADI 0x09
#define MAXTAGPRINT 80

static const struct pr_tok code_names[] = {
	{ PPPOE_PADI, "PADI" }, { 0x07, "PADO" }, { 0x19, "PADR" }, { 0x65, "PADS" },
	{ 0xa7, "PADT" },	{ 0, "" },	  { 0, NULL },
};

static const struct pr_tok tag_names[] = {
	{ 0x0000, "EOL" },
	{ 0x0101, "Service-Name" },
	{ 0x0102, "AC-Name" },
	{ 0x0103, "Host-Uniq" },
	{ 0x0104, "AC-Cookie" },
	{ 0x0105, "Vendor-Specific" },
	{ 0x0110, "Relay-Session-ID" },
	{ 0x0120, "PPP-Max-Payload" },
	{ 0x0201, "Service-Name-Error" },
	{ 0x0202, "AC-System-Error" },
	{ 0x0203, "Generic-Error" },
	{ 0, NULL },
};

/* One tag value: quoted text when mostly printable (up to 79 bytes shown), else hex. */
static void tag_value(struct pctx *ctx, const char *name, const uint8_t *p, unsigned len)
{
	char text[MAXTAGPRINT];
	unsigned n = 0, ascii = 0, garbage = 0, i;

	for (i = 0; i < len && n < MAXTAGPRINT - 1; i++) {
		uint8_t c = RD_U8(p + i);

		if (c >= 0x20 && c < 0x7f) {
			text[n++] = (char)c;
			ascii++;
		} else {
			text[n++] = '.';
			garbage++;
		}
	}
	text[n] = 0;
	if (ascii > garbage) {
		pr_printf(ctx, " [%s \"%s\"]", name, text);
		return;
	}
	pr_printf(ctx, " [%s 0x", name);
	for (i = 0; i < len; i++)
		pr_printf(ctx, "%02X", RD_U8(p + i));
	pr_putc(ctx, ']');
}

void pppoe_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned ver, type, code, ses, plen, tag;
	const uint8_t *payload, *p;

	PR_PROTO(ctx, "pppoe");
	if (length < PPPOE_HDRLEN) {
		pr_printf(ctx, " (length %u < %u)", length, PPPOE_HDRLEN);
		pr_invalid(ctx);
		return;
	}
	length -= PPPOE_HDRLEN;
	NEED(bp, PPPOE_HDRLEN);
	ver = RD_U8(bp) >> 4;
	type = RD_U8(bp) & 0x0f;
	code = RD_U8(bp + 1);
	ses = RD_BE16(bp + 2);
	plen = RD_BE16(bp + 4);
	payload = bp + PPPOE_HDRLEN;
	if (ver != 1)
		pr_printf(ctx, " [ver %u]", ver);
	if (type != 1)
		pr_printf(ctx, " [type %u]", type);
	pr_printf(ctx, "PPPoE %s", pr_tok_str(ctx, code_names, "PAD-%x", code));
	/* RFC 2516 5.1: a PADI must leave room for relay tags in a 1484-byte frame */
	if (code == PPPOE_PADI && plen > 1484 - PPPOE_HDRLEN)
		pr_printf(ctx, " [len %u!]", plen);
	if (plen > length) {
		pr_printf(ctx, " [len %u > %u!]", plen, length);
		plen = length;
	}
	if (ses)
		pr_printf(ctx, " [ses 0x%x]", ses);
	if (code == 0) {
		pr_putc(ctx, ' ');
		ppp_print(ctx, payload, plen);
		return;
	}
	/* discovery: tags until End-Of-List or the payload's end */
	for (p = payload, tag = 0xffff; tag && p < payload + plen;) {
		unsigned tlen;
		const char *name;

		tag = RD_BE16(p);
		tlen = RD_BE16(p + 2);
		p += 4;
		name = pr_tok_str(ctx, tag_names, "TAG-0x%x", tag);
		if (tlen)
			tag_value(ctx, name, p, tlen);
		else
			pr_printf(ctx, " [%s]", name);
		p += tlen;
	}
}
