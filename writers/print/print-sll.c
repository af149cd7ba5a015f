/* Linux cooked captures, v1 (DLT_LINUX_SLL) and v2 with the interface index (DLT_LINUX_SLL2). */
#include <net/if.h>

#include "writers/print/print-int.h"

#define SLL_HDR_LEN 16
#define SLL2_HDR_LEN 20

static const struct pr_tok sll_pkttypes[] = {
	{ 0, "In" }, { 1, "B" }, { 2, "M" }, { 3, "P" }, { 4, "Out" }, { 0, NULL },
};

/* The protocol field and the length, shared by both versions' -e header; -q leaves both out. */
static void sll_proto_show(struct pctx *ctx, unsigned type, unsigned length)
{
	if (!ctx->opts.quiet) {
		const char *name;

		if (type == 1)
			pr_puts(ctx, "802.3");
		else if (type == 4)
			pr_puts(ctx, "802.2");
		else if (type <= 1500 || !(name = ethertype_name(type)))
			pr_printf(ctx, "ethertype Unknown (0x%04x)", type);
		else
			pr_printf(ctx, "ethertype %s (0x%04x)", name, type);
		pr_printf(ctx, ", length %u: ", length);
	}
}

static void sll_header_show(struct pctx *ctx, const uint8_t *h, unsigned length)
{
	pr_printf(ctx, "%3s ", pr_tok_str(ctx, sll_pkttypes, "?", RD_BE16(h)));
	if (RD_BE16(h + 4) == 6)
		pr_printf(ctx, "%s ", RD_MAC(h + 6));
	sll_proto_show(ctx, RD_BE16(h + 14), length);
}

/*
 * After the cooked header: an ethertype, possibly behind VLAN tags, as tcpdump 4.99's
 * sll_if_print reads it. A protocol value up to 1500 is not an ethertype: 4 is 802.2 LLC,
 * anything else is dumped bare. Each tag prints its inner type by name (without -q), and an
 * unknown ethertype repeats the header (without -e) with the length left after the tags.
 * The hex dump of what is not decoded gives way to -x, -X and -q, like tcpdump's default print.
 */
static unsigned sll_payload(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length, unsigned type,
			    unsigned hdrlen, const uint8_t *h, int v2)
{
	int dump = !ctx->opts.hex && !ctx->opts.hex_ascii && !ctx->opts.quiet;
	unsigned base = hdrlen;

	while (type == 0x8100) {
		unsigned tci;
		const char *name;

		if (caplen < 4) {
			PR_PROTO(ctx, "vlan");
			pr_trunc_mark(ctx);
			return hdrlen + caplen;
		}
		tci = RD_BE16(p);
		if (ctx->opts.link_header)
			pr_printf(ctx, "vlan %u, p %u%s, ", tci & 0xfff, tci >> 13, (tci & 0x1000) ? ", DEI" : "");
		type = RD_BE16(p + 2);
		if (type <= 1500)
			type = 4;
		if (!ctx->opts.quiet) {
			/* 4 is no ethertype: tcpdump's table does not name it */
			name = type == 4 ? NULL : ethertype_name(type);
			pr_printf(ctx, "ethertype %s, ", name ? name : "Unknown");
		}
		p += 4;
		caplen -= 4;
		length -= 4;
		hdrlen += 4;
	}
	if (type <= 1500) {
		unsigned llc_len = type == 4 ? (unsigned)llc_print(ctx, p, length) : 0;

		if (llc_len)
			return hdrlen + llc_len;
		if (dump)
			pr_hex_ascii(ctx, "\n\t", p, caplen);
		return hdrlen;
	}
	if (!ethertype_print(ctx, type, p, length)) {
		if (!ctx->opts.link_header) {
			if (v2) {
				pr_printf(ctx, "ifindex %u ", RD_BE32(h + 4));
				if (RD_U8(h + 11) == 6)
					pr_printf(ctx, "%s ", RD_MAC(h + 12));
				sll_proto_show(ctx, RD_BE16(h), length + base);
			} else {
				sll_header_show(ctx, h, length + base);
			}
		}
		if (dump)
			pr_hex_ascii(ctx, "\n\t", p, caplen);
	}
	return hdrlen;
}

unsigned sll_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	PR_PROTO(ctx, "sll");
	if (caplen < SLL_HDR_LEN) {
		pr_trunc_mark(ctx);
		return caplen;
	}
	if (ctx->opts.link_header)
		sll_header_show(ctx, p, length);
	return sll_payload(ctx, p + SLL_HDR_LEN, caplen - SLL_HDR_LEN, length - SLL_HDR_LEN, RD_BE16(p + 14),
			   SLL_HDR_LEN, p, 0);
}

/*
 * tcpdump names the interface by looking the stored index up on the host
 * that reads the file, "?" when there is none.
 */
unsigned sll2_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	char ifname[IF_NAMESIZE + 1];

	PR_PROTO(ctx, "sll2");
	if (caplen < SLL2_HDR_LEN) {
		pr_trunc_mark(ctx);
		return caplen;
	}
	if (!if_indextoname(RD_BE32(p + 4), ifname))
		snprintf(ifname, sizeof(ifname), "?");
	pr_printf(ctx, "%-5s ", ifname);
	pr_printf(ctx, "%-3s ", pr_tok_str(ctx, sll_pkttypes, "?", RD_U8(p + 10)));
	if (ctx->opts.link_header) {
		pr_printf(ctx, "ifindex %u ", RD_BE32(p + 4));
		if (RD_U8(p + 11) == 6)
			pr_printf(ctx, "%s ", RD_MAC(p + 12));
		sll_proto_show(ctx, RD_BE16(p), length);
	}
	return sll_payload(ctx, p + SLL2_HDR_LEN, caplen - SLL2_HDR_LEN, length - SLL2_HDR_LEN, RD_BE16(p),
			   SLL2_HDR_LEN, p, 1);
}
