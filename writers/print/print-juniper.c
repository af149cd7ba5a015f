/* Juniper capture header (pcap link type JUNIPER_ETHER): magic, flags and extension TLVs, then an Ethernet frame. */
#include "writers/print/print-int.h"

#define JNX_MAGIC 0x4d4743 /* "MGC" */
#define JNX_FLAG_IN 0x01
#define JNX_FLAG_NO_L2 0x02
#define JNX_FLAG_EXT 0x80

static const struct pr_tok flag_names[] = {
	{ 0x80, "Ext" }, { 0x40, "Filter" }, { 0x04, "IIF" }, { 0x02, "no-L2" }, { 0x01, "In" }, { 0, NULL },
};

static const struct pr_tok ext_tlv_names[] = {
	{ 1, "Device Interface Index" },
	{ 2, "Device Interface Name" },
	{ 3, "Device Media Type" },
	{ 4, "Logical Interface Index" },
	{ 5, "Logical Unit Number" },
	{ 6, "Logical Interface Encapsulation" },
	{ 7, "TTP Device Media Type" },
	{ 8, "TTP Logical Interface Encapsulation" },
	{ 0, NULL },
};

static const struct pr_tok media_names[] = {
	{ 1, "Ethernet" },    { 2, "FDDI" },	   { 3, "Token-Ring" }, { 4, "PPP" },
	{ 5, "Frame-Relay" }, { 6, "Cisco-HDLC" }, { 0, NULL },
};

static const struct pr_tok encaps_names[] = { { 14, "Ethernet" }, { 0, NULL } };

/* An extension value: little-endian below type 128, big-endian from it; -1 for other sizes. */
static long ext_value(struct pctx *ctx, const uint8_t *p, unsigned type, unsigned len)
{
	unsigned i;
	uint32_t v = 0;

	if (len < 1 || len > 4)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned b = RD_U8(p + (type < 128 ? len - 1 - i : i));

		v = v << 8 | b;
	}
	return (long)v;
}

unsigned juniper_ether_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	unsigned flags, hlen = 4;
	int vv = ctx->opts.verbose > 1;

	PR_PROTO(ctx, "juniper");
	if (RD_BE24(p) != JNX_MAGIC) {
		pr_puts(ctx, "no magic-number found!");
		return 0;
	}
	flags = RD_U8(p + 3);
	if (ctx->opts.link_header)
		pr_printf(ctx, "%3s ", (flags & JNX_FLAG_IN) ? "In" : "Out");
	if (vv)
		pr_printf(ctx, "\n\tJuniper PCAP Flags [%s]", pr_bits_str(ctx, flag_names, "none", ", ", flags));
	if (flags & JNX_FLAG_EXT) {
		const uint8_t *t = p + 6;
		unsigned ext_len = RD_BE16(p + 4);

		hlen += 2 + ext_len;
		if (vv)
			pr_printf(ctx, ", PCAP Extension(s) total length %u", ext_len);
		NEED(t, ext_len);
		while (ext_len > 2) {
			unsigned type = RD_U8(t), len = RD_U8(t + 1);
			long v;

			t += 2;
			if (type == 0 || len == 0)
				break;
			if (len + 2 > ext_len)
				pr_trunc(ctx);
			if (vv)
				pr_printf(ctx, "\n\t  %s Extension TLV #%u, length %u, value ",
					  pr_tok_str(ctx, ext_tlv_names, "Unknown", type), type, len);
			v = ext_value(ctx, t, type, len);
			if (vv && v != -1 && type != 2) {
				if (type == 3 || type == 7)
					pr_printf(ctx, "%s (%ld)", pr_tok_str(ctx, media_names, "Unknown", (unsigned)v),
						  v);
				else if (type == 6 || type == 8)
					pr_printf(ctx, "%s (%ld)",
						  pr_tok_str(ctx, encaps_names, "Unknown", (unsigned)v), v);
				else
					pr_printf(ctx, "%ld", v);
			}
			t += len;
			ext_len -= len + 2;
		}
		if (vv)
			pr_puts(ctx, "\n\t-----original packet-----\n\t");
	}
	if (flags & JNX_FLAG_NO_L2) {
		/* no link header: the IP packet starts 4 bytes further */
		if (ctx->opts.link_header)
			pr_puts(ctx, "no-L2-hdr, ");
		hlen += 4;
		if (caplen > hlen && length > hlen) {
			unsigned v = RD_U8(p + hlen) >> 4;

			if (v == 4)
				ip_print(ctx, p + hlen, length - hlen);
			else if (v == 6)
				ip6_print(ctx, p + hlen, length - hlen);
			else
				pr_puts(ctx, "no IP-hdr found!");
		}
		return hlen;
	}
	if (ctx->opts.link_header)
		pr_printf(ctx, "hlen %u, proto 0x%04x, ", hlen, 0);
	if (caplen < hlen || length < hlen) {
		pr_trunc_mark(ctx);
		return caplen;
	}
	return hlen + ether_if_print(ctx, p + hlen, caplen - hlen, length - hlen);
}
