/* Ethernet II, 802.3 length frames and 802.1Q / 802.1ad VLAN tags (tcpdump's ether_print). */
#include "writers/print/print-int.h"

#define ETHER_HDR_LEN 14
#define ETHER_MAX_LEN_FIELD 1500 /* type values up to this are 802.3 lengths */

#define ETYPE_IPV4 0x0800
#define ETYPE_ARP 0x0806
#define ETYPE_RARP 0x8035
#define ETYPE_VLAN 0x8100
#define ETYPE_IPV6 0x86dd
#define ETYPE_QINQ 0x88a8
#define ETYPE_VLAN_9100 0x9100
#define ETYPE_VLAN_9200 0x9200

static const struct pr_tok ethertype_names[] = {
	{ ETYPE_IPV4, "IPv4" },
	{ ETYPE_ARP, "ARP" },
	{ ETYPE_RARP, "Reverse ARP" },
	{ ETYPE_VLAN, "802.1Q" },
	{ ETYPE_IPV6, "IPv6" },
	{ ETYPE_QINQ, "802.1Q-QinQ" },
	{ ETYPE_VLAN_9100, "802.1Q-9100" },
	{ ETYPE_VLAN_9200, "802.1Q-9200" },
	{ 0x8847, "MPLS unicast" },
	{ 0x8848, "MPLS multicast" },
	{ 0x888e, "EAPOL" },
	{ 0x88cc, "LLDP" },
	{ 0x8863, "PPPoE D" },
	{ 0x8864, "PPPoE S" },
	{ 0x88f7, "PTP" },
	{ 0x8809, "Slow Protocols" },
	{ 0x880b, "PPP" },
	{ 0x9000, "Loopback" },
	{ 0x6558, "TEB" },
	{ 0x894f, "NSH" },
	{ 0, NULL },
};

const char *ethertype_name(unsigned type)
{
	return pr_tok_find(ethertype_names, type);
}

static void ether_type_show(struct pctx *ctx, unsigned type)
{
	const char *name = ethertype_name(type);

	if (!ctx->opts.quiet)
		pr_printf(ctx, "ethertype %s (0x%04x)", name ? name : "Unknown", type);
	else if (name)
		pr_puts(ctx, name);
	else
		pr_printf(ctx, "Unknown Ethertype (0x%04x)", type);
}

int ethertype_print(struct pctx *ctx, unsigned type, const uint8_t *bp, unsigned length)
{
	switch (type) {
	case ETYPE_IPV4: ip_print(ctx, bp, length); return 1;
	case ETYPE_IPV6: ip6_print(ctx, bp, length); return 1;
	case ETYPE_ARP:
	case ETYPE_RARP: arp_print(ctx, bp, length); return 1;
	case 0x8809: slow_print(ctx, bp, length); return 1;
	case 0x88f7: ptp_print(ctx, bp, length); return 1;
	case 0x88cc: lldp_print(ctx, bp, length); return 1;
	case 0x894f: nsh_print(ctx, bp, length); return 1;
	case 0x8847:
	case 0x8848: mpls_print(ctx, bp, length); return 1;
	case 0x888e: eapol_print(ctx, bp, length); return 1;
	case 0x8863:
	case 0x8864: pppoe_print(ctx, bp, length); return 1;
	case 0x880b:
		if (length) {
			pr_puts(ctx, ": ");
			ppp_print(ctx, bp, length);
		}
		return 1;
	default: return 0;
	}
}

static int is_vlan_type(unsigned type)
{
	return type == ETYPE_VLAN || type == ETYPE_QINQ || type == ETYPE_VLAN_9100 || type == ETYPE_VLAN_9200;
}

unsigned ether_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	const uint8_t *src = p + 6, *dst = p;
	unsigned orig_length = length, hdrlen, type;
	int shown_length = 0;

	PR_PROTO(ctx, "ether");
	if (length < caplen) {
		pr_printf(ctx, "[length %u < caplen %u]", length, caplen);
		pr_invalid(ctx);
		return length;
	}
	if (caplen < ETHER_HDR_LEN) {
		pr_trunc_mark(ctx);
		return caplen;
	}
	if (ctx->opts.link_header)
		pr_printf(ctx, "%s > %s, ", RD_MAC(src), RD_MAC(dst));
	p += 12;
	length -= 12;
	caplen -= 12;
	hdrlen = 12;

	type = RD_BE16(p);
	p += 2;
	length -= 2;
	caplen -= 2;
	hdrlen += 2;

	while (is_vlan_type(type)) {
		if (caplen < 4 || length < 4) {
			PR_PROTO(ctx, "vlan");
			pr_trunc_mark(ctx);
			return hdrlen + (caplen < 4 ? caplen : length);
		}
		if (ctx->opts.link_header) {
			unsigned tci = RD_BE16(p);

			ether_type_show(ctx, type);
			if (!shown_length) {
				pr_printf(ctx, ", length %u: ", orig_length);
				shown_length = 1;
			} else {
				pr_puts(ctx, ", ");
			}
			pr_printf(ctx, "vlan %u, p %u%s, ", tci & 0xfff, tci >> 13, (tci & 0x1000) ? ", DEI" : "");
		}
		type = RD_BE16(p + 2);
		p += 4;
		length -= 4;
		caplen -= 4;
		hdrlen += 4;
	}

	if (type <= ETHER_MAX_LEN_FIELD) {
		unsigned llc_len;

		/* an 802.3 length: 802.2 LLC follows */
		pr_push_end(ctx, p, type);
		if (ctx->opts.link_header) {
			pr_puts(ctx, "802.3");
			if (!shown_length)
				pr_printf(ctx, ", length %u: ", type);
		}
		llc_len = (unsigned)llc_print(ctx, p, type < length ? type : length);
		pr_pop_end(ctx);
		if (llc_len)
			return hdrlen + llc_len;
		/* an LLC payload without a decoder: the frame raw */
		if (!ctx->opts.link_header) {
			pr_printf(ctx, "%s > %s, 802.3, length %u: ", RD_MAC(src), RD_MAC(dst), type);
		}
		if (caplen > type)
			caplen = type;
		/* tcpdump's default print, which -x, -X and -q suppress */
		if (!ctx->opts.hex && !ctx->opts.hex_ascii && !ctx->opts.quiet)
			pr_hex_ascii(ctx, "\n\t", p, caplen);
		return hdrlen;
	}

	if (ctx->opts.link_header) {
		ether_type_show(ctx, type);
		if (!shown_length)
			pr_printf(ctx, ", length %u: ", orig_length);
		else
			pr_puts(ctx, ", ");
	}
	if (!ethertype_print(ctx, type, p, length)) {
		if (!ctx->opts.link_header) {
			pr_printf(ctx, "%s > %s, ", RD_MAC(src), RD_MAC(dst));
			ether_type_show(ctx, type);
			pr_printf(ctx, ", length %u: ", orig_length);
		}
		if (!ctx->opts.hex && !ctx->opts.hex_ascii && !ctx->opts.quiet)
			pr_hex_ascii(ctx, "\n\t", p, caplen);
	}
	return hdrlen;
}
