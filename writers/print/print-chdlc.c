/* Cisco HDLC (pcap link type C_HDLC): address, control and a 2-byte ethertype, then the payload. */
#include <pcap/dlt.h>

#include "writers/print/print-int.h"

#define CHDLC_HDR_LEN 4
#define ETYPE_ISO 0xfefe
#define CHDLC_SLARP 0x8035

static const struct pr_tok cast_names[] = { { 0x0f, "unicast" }, { 0x8f, "bcast" }, { 0, NULL } };

unsigned chdlc_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	unsigned proto;
	const char *name;

	PR_PROTO(ctx, "chdlc");
	if (caplen < CHDLC_HDR_LEN || length < CHDLC_HDR_LEN) {
		pr_trunc_mark(ctx);
		return caplen;
	}
	proto = RD_BE16(p + 2);
	if (ctx->opts.link_header) {
		name = proto == ETYPE_ISO ? "OSI" : ethertype_name(proto);
		pr_printf(ctx,
			  "%s, ethertype %s (0x%04x), length %u: ", pr_tok_str(ctx, cast_names, "0x%02x", RD_U8(p)),
			  name ? name : "Unknown", proto, length);
	}
	length -= CHDLC_HDR_LEN;
	p += CHDLC_HDR_LEN;
	switch (proto) {
	case 0x0800: ip_print(ctx, p, length); break;
	case 0x86dd: ip6_print(ctx, p, length); break;
	case ETYPE_ISO:
		/* a padding byte may come first: skip it when an OSI NLPID follows */
		if (length < 2) {
			pr_trunc_mark(ctx);
			break;
		}
		if (RD_U8(p + 1) == 0x81 || RD_U8(p + 1) == 0x82 || RD_U8(p + 1) == 0x83)
			isoclns_print(ctx, p + 1, length - 1);
		else
			isoclns_print(ctx, p, length);
		break;
	default:
		if (!ctx->opts.link_header)
			pr_printf(ctx, "unknown CHDLC protocol (0x%04x)", proto);
		break;
	}
	return CHDLC_HDR_LEN;
}
