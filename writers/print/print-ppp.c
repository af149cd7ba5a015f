/* PPP (RFC 1661) framing and protocol dispatch, with RFC 1662 HDLC-like octet un-escaping; DLT_PPP and ethertype 0x880b. */
#include <stdlib.h>

#include "print-int.h"
#include "print-link.h"

#define PPP_HDRLEN 4 /* address, control, protocol: what DLT_PPP's -x leaves out */
#define PPP_ADDRESS 0xff
#define PPP_CONTROL 0x03
#define PPP_PPPD_IN 0x00
#define PPP_PPPD_OUT 0x01
#define PPP_IP 0x0021
#define PPP_VJNC 0x002f
#define PPP_IPV6 0x0057
#define PPP_COMP 0x00fd
#define HDLC_ESCAPE 0x7d

static const struct pr_tok ppp_names[] = {
	{ 0x0021, "IP" },     { 0x0023, "OSI" },      { 0x0025, "NS" },	     { 0x0027, "DECNET" },
	{ 0x0029, "APPLE" },  { 0x002b, "IPX" },      { 0x002d, "VJC IP" },  { 0x002f, "VJNC IP" },
	{ 0x0031, "BRPDU" },  { 0x0033, "STII" },     { 0x0035, "VINES" },   { 0x003d, "ML" },
	{ 0x0057, "IPv6" },   { 0x0201, "HELLO" },    { 0x0231, "LUXCOM" },  { 0x0233, "SNS" },
	{ 0x0281, "MPLS" },   { 0x0283, "MPLS" },     { 0x8021, "IPCP" },    { 0x8023, "OSICP" },
	{ 0x8025, "NSCP" },   { 0x8027, "DECNETCP" }, { 0x8029, "APPLECP" }, { 0x802b, "IPXCP" },
	{ 0x8033, "STIICP" }, { 0x8035, "VINESCP" },  { 0x8057, "IP6CP" },   { 0x8281, "MPLSCP" },
	{ 0xc021, "LCP" },    { 0xc023, "PAP" },      { 0xc025, "LQM" },     { 0xc223, "CHAP" },
	{ 0xc02b, "BACP" },   { 0xc02d, "BAP" },      { 0x80fd, "CCP" },     { 0, NULL },
};

static void handle_ppp(struct pctx *ctx, unsigned proto, const uint8_t *p, unsigned length);

/*
 * A frame still in RFC 1662 octet-stuffed form: un-escape what was captured
 * into the context's buffer and guess the protocol field the way tcpdump
 * does (one octet, then two, then address/control and two).
 */
static void ppp_hdlc(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	const uint8_t *save_pkt = ctx->pkt, *save_end = ctx->end;
	unsigned caplen = pr_left(ctx, p), i, n = 0, proto;
	uint8_t *b;

	if (caplen == 0 || length == 0)
		return;
	if (!ctx->hdlc_buf) {
		ctx->hdlc_buf = malloc(PR_HDLC_BUF);
		if (!ctx->hdlc_buf)
			return;
	}
	b = ctx->hdlc_buf;
	for (i = 0; i < caplen && n < PR_HDLC_BUF; i++) {
		uint8_t c = p[i];

		if (c == HDLC_ESCAPE) {
			if (i + 1 >= caplen)
				break;
			c = p[++i] ^ 0x20;
		}
		b[n++] = c;
	}
	/* decode from the private copy; printer_packet() restores pkt and end after an unwind */
	ctx->pkt = b;
	ctx->end = b + n;
	length = n;
	if (length < 1)
		goto trunc;
	proto = b[0];
	if (proto == PPP_IP) {
		ip_print(ctx, b + 1, length - 1);
		goto done;
	}
	if (proto == PPP_IPV6) {
		ip6_print(ctx, b + 1, length - 1);
		goto done;
	}
	if (length < 2)
		goto trunc;
	proto = (unsigned)b[0] << 8 | b[1];
	if (proto == (PPP_ADDRESS << 8 | PPP_CONTROL)) {
		if (length < 4)
			goto trunc;
		proto = (unsigned)b[2] << 8 | b[3];
		if ((proto & 0xff00) == 0x7e00)
			pr_printf(ctx, "(protocol 0x%04x invalid)", proto);
		else
			handle_ppp(ctx, proto, b + 4, length - 4);
	} else if ((proto & 0xff00) == 0x7e00) {
		pr_printf(ctx, "(protocol 0x%04x invalid)", proto);
	} else {
		handle_ppp(ctx, proto, b + 2, length - 2);
	}
done:
	ctx->pkt = save_pkt;
	ctx->end = save_end;
	return;
trunc:
	ctx->pkt = save_pkt;
	ctx->end = save_end;
	pr_trunc_mark(ctx);
}

static void handle_ppp(struct pctx *ctx, unsigned proto, const uint8_t *p, unsigned length)
{
	if ((proto & 0xff00) == 0x7e00) {
		/* an HDLC flag where the protocol should be: the frame is still escaped */
		ppp_hdlc(ctx, p - 1, length);
		return;
	}
	switch (proto) {
	case 0x0800:
	case PPP_VJNC:
	case PPP_IP: ip_print(ctx, p, length); break;
	case 0x86dd:
	case PPP_IPV6: ip6_print(ctx, p, length); break;
	case PPP_COMP: pr_puts(ctx, "compressed PPP data"); break;
	default:
		pr_printf(ctx, "%s ", pr_tok_str(ctx, ppp_names, "unknown PPP protocol (0x%04x)", proto));
		pr_unknown_data(ctx, p, "\n\t", length);
		break;
	}
}

unsigned ppp_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned olen = length, hdr_len = 0, proto, hdr;

	PR_PROTO(ctx, "ppp");
	if (length < 2)
		goto trunc;
	hdr = RD_BE16(p);
	if (hdr == (PPP_PPPD_IN << 8 | PPP_CONTROL) || hdr == (PPP_PPPD_OUT << 8 | PPP_CONTROL) ||
	    hdr == (PPP_ADDRESS << 8 | PPP_CONTROL)) {
		if (ctx->opts.link_header && hdr != (PPP_ADDRESS << 8 | PPP_CONTROL))
			pr_puts(ctx, (hdr >> 8) == PPP_PPPD_IN ? "In  " : "Out ");
		p += 2;
		length -= 2;
		hdr_len += 2;
	}
	if (length < 2)
		goto trunc;
	if (RD_U8(p) & 1) {
		/* protocol field compression (RFC 1661 6.5) */
		proto = RD_U8(p);
		p++;
		length--;
		hdr_len++;
	} else {
		proto = RD_BE16(p);
		p += 2;
		length -= 2;
		hdr_len += 2;
	}
	if (ctx->opts.link_header) {
		const char *name = pr_tok_find(ppp_names, proto);

		pr_printf(ctx, "%s (0x%04x), length %u", name ? name : "unknown", proto, olen);
		if (!name)
			return hdr_len;
		pr_puts(ctx, ": ");
	}
	handle_ppp(ctx, proto, p, length);
	return hdr_len;
trunc:
	pr_trunc_mark(ctx);
	return 0;
}

unsigned ppp_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	PR_PROTO(ctx, "ppp");
	if (caplen < PPP_HDRLEN) {
		pr_trunc_mark(ctx);
		return caplen;
	}
	ppp_print(ctx, p, length);
	return PPP_HDRLEN;
}
