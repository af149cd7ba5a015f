/* Linux NFLOG link type (DLT_NFLOG): the netlink log header, its TLVs, then the logged IPv4/IPv6 packet. */
#include "writers/print/print-int.h"

#define NFLOG_HDR_LEN 4
#define NFLOG_TLV_LEN 4
#define NFULA_PAYLOAD 9
#define NF_AF_INET 2
#define NF_AF_INET6 10

static const struct pr_tok family_names[] = { { NF_AF_INET, "IPv4" }, { NF_AF_INET6, "IPv6" }, { 0, NULL } };

static void nflog_hdr_print(struct pctx *ctx, const uint8_t *hdr, unsigned length)
{
	unsigned family = RD_U8(hdr);

	pr_printf(ctx, "version %u, resource ID %u", RD_U8(hdr + 1), RD_BE16(hdr + 2));
	if (!ctx->opts.quiet)
		pr_printf(ctx, ", family %s (%u)", pr_tok_str(ctx, family_names, "Unknown", family), family);
	else
		pr_printf(ctx, ", %s", pr_tok_str(ctx, family_names, "Unknown NFLOG (0x%02x)", family));
	pr_printf(ctx, ", length %u: ", length);
}

unsigned nflog_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	const uint8_t *hdr = p;
	unsigned h_size = NFLOG_HDR_LEN;

	PR_PROTO(ctx, "nflog");
	if (caplen < NFLOG_HDR_LEN) {
		pr_trunc_mark(ctx);
		return caplen;
	}
	if (ctx->opts.link_header)
		nflog_hdr_print(ctx, hdr, length);
	p += NFLOG_HDR_LEN;
	length -= NFLOG_HDR_LEN;
	caplen -= NFLOG_HDR_LEN;
	while (length > 0) {
		unsigned size;

		if (caplen < NFLOG_TLV_LEN)
			goto trunc;
		/* TLV length and type are in the logging host's byte order: little-endian, as tcpdump reads them on x86 */
		size = RD_LE16(p);
		if (size % 4 != 0)
			size += 4 - size % 4;
		if (size < NFLOG_TLV_LEN || caplen < size || length < size)
			goto trunc;
		if (RD_LE16(p + 2) == NFULA_PAYLOAD) {
			p += NFLOG_TLV_LEN;
			h_size += NFLOG_TLV_LEN;
			length -= NFLOG_TLV_LEN;
			caplen -= NFLOG_TLV_LEN;
			break;
		}
		p += size;
		h_size += size;
		length -= size;
		caplen -= size;
	}
	switch (RD_U8(hdr)) {
	case NF_AF_INET: ip_print(ctx, p, length); break;
	case NF_AF_INET6: ip6_print(ctx, p, length); break;
	default:
		if (!ctx->opts.link_header)
			nflog_hdr_print(ctx, hdr, length + h_size);
		pr_hex_ascii(ctx, "\n\t", p, caplen);
		break;
	}
	return h_size;
trunc:
	pr_trunc_mark(ctx);
	return h_size;
}
