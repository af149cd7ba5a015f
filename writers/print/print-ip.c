/* IPv4 (RFC 791): header, options, fragments, the transport checksum's pseudo-header. */
#include "writers/print/print-int.h"

#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_RES 0x8000
#define IP_OFFMASK 0x1fff

#define IPOPT_EOL 0
#define IPOPT_NOP 1
#define IPOPT_RR 7
#define IPOPT_TS 68
#define IPOPT_SECURITY 130
#define IPOPT_LSRR 131
#define IPOPT_SSRR 137
#define IPOPT_RA 148

static const struct pr_tok ipopt_names[] = {
	{ IPOPT_EOL, "EOL" },	   { IPOPT_NOP, "NOP" },
	{ IPOPT_TS, "timestamp" }, { IPOPT_SECURITY, "security" },
	{ IPOPT_RR, "RR" },	   { IPOPT_SSRR, "SSRR" },
	{ IPOPT_LSRR, "LSRR" },	   { IPOPT_RA, "RA" },
	{ 82, "traceroute" },	   { 0, NULL },
};

static const struct pr_tok ip_frag_names[] = {
	{ IP_MF, "+" },
	{ IP_DF, "DF" },
	{ IP_RES, "rsvd" }, /* RFC 3514 */
	{ 0, NULL },
};

/* RR / LSRR / SSRR: the addresses, a comma after each one already visited. Returns -1 if cut. */
static int print_route(struct pctx *ctx, const uint8_t *cp, unsigned length)
{
	unsigned ptr, off;

	if (length < 3) {
		pr_printf(ctx, " [bad length %u]", length);
		return 0;
	}
	if ((length + 1) & 3)
		pr_printf(ctx, " [bad length %u]", length);
	ptr = RD_U8(cp + 2) - 1;
	if (ptr < 3 || ((ptr + 1) & 3) || ptr > length + 1)
		pr_printf(ctx, " [bad ptr %u]", RD_U8(cp + 2));
	for (off = 3; off < length; off += 4) {
		if (!HAVE(cp + off, 4))
			return -1;
		pr_printf(ctx, " %s", RD_IPV4(cp + off));
		if (ptr > off)
			pr_putc(ctx, ',');
	}
	return 0;
}

/* Timestamp option (RFC 791): a caret marks where the pointer is. Returns -1 if cut. */
static int print_ts_opt(struct pctx *ctx, const uint8_t *cp, unsigned length)
{
	unsigned ptr, off = 0, hoplen, flags;
	const char *mark;

	if (length < 4) {
		pr_printf(ctx, "[bad length %u]", length);
		return 0;
	}
	pr_puts(ctx, " TS{");
	flags = RD_U8(cp + 3);
	hoplen = (flags & 0xf) != 0 ? 8 : 4;
	if ((length - 4) & (hoplen - 1))
		pr_printf(ctx, "[bad length %u]", length);
	ptr = RD_U8(cp + 2) - 1;
	if (ptr < 4 || ((ptr - 4) & (hoplen - 1)) || ptr > length + 1)
		pr_printf(ctx, "[bad ptr %u]", RD_U8(cp + 2));
	switch (flags & 0xf) {
	case 0: pr_puts(ctx, "TSONLY"); break;
	case 1: pr_puts(ctx, "TS+ADDR"); break;
	case 3: pr_puts(ctx, "PRESPEC"); break;
	default: pr_printf(ctx, "[bad ts type %u]", flags & 0xf); goto done;
	}
	mark = " ";
	for (off = 4; off < length; off += hoplen) {
		if (ptr == off)
			mark = " ^ ";
		if (!HAVE(cp + off, hoplen))
			return -1;
		pr_printf(ctx, "%s%u@%s", mark, RD_BE32(cp + off + hoplen - 4), hoplen != 8 ? "" : RD_IPV4(cp + off));
		mark = " ";
	}
done:
	pr_puts(ctx, ptr == off ? " ^ " : "");
	if (flags >> 4)
		pr_printf(ctx, " [%u hops not recorded]} ", flags >> 4);
	else
		pr_putc(ctx, '}');
	return 0;
}

/* The option list inside "options (...)". Returns -1 when it runs off the capture. */
static int print_options(struct pctx *ctx, const uint8_t *cp, unsigned length)
{
	const char *sep = "";
	unsigned optlen;

	for (; length > 0; cp += optlen, length -= optlen) {
		unsigned code;

		pr_puts(ctx, sep);
		sep = ",";
		code = RD_U8(cp);
		pr_puts(ctx, pr_tok_str(ctx, ipopt_names, "unknown %u", code));
		if (code == IPOPT_NOP || code == IPOPT_EOL) {
			optlen = 1;
		} else {
			optlen = RD_U8(cp + 1);
			if (optlen < 2) {
				pr_printf(ctx, " [bad length %u]", optlen);
				return 0;
			}
		}
		if (optlen > length) {
			pr_printf(ctx, " [bad length %u]", optlen);
			return 0;
		}
		if (!HAVE(cp, optlen))
			return -1;
		switch (code) {
		case IPOPT_EOL: return 0;
		case IPOPT_TS:
			if (print_ts_opt(ctx, cp, optlen) < 0)
				return -1;
			break;
		case IPOPT_RR:
		case IPOPT_SSRR:
		case IPOPT_LSRR:
			if (print_route(ctx, cp, optlen) < 0)
				return -1;
			break;
		case IPOPT_RA:
			if (optlen < 4) {
				pr_printf(ctx, " [bad length %u]", optlen);
				break;
			}
			if (RD_BE16(cp + 2) != 0)
				pr_printf(ctx, " value %u", RD_BE16(cp + 2));
			break;
		default: break;
		}
	}
	return 0;
}

/* The destination the transport checksum covers: the last hop of a source route, if any. */
static const uint8_t *final_dst(struct pctx *ctx, const uint8_t *ip)
{
	const struct ip_hdr *h = (const void *)ip;
	const uint8_t *cp = ip + IP_HDR_LEN;
	unsigned length = (RD_U8(&h->vhl) & 0xf) * 4, len;

	if (length < IP_HDR_LEN)
		return h->dst;
	for (length -= IP_HDR_LEN; length != 0; cp += len, length -= len) {
		unsigned type = RD_U8(cp);

		if (type == IPOPT_EOL)
			break;
		if (type == IPOPT_NOP) {
			len = 1;
		} else {
			len = RD_U8(cp + 1);
			if (len < 2)
				break;
		}
		if (length < len || !HAVE(cp, len))
			break;
		if ((type == IPOPT_SSRR || type == IPOPT_LSRR) && len >= 7)
			return cp + len - 4;
	}
	return h->dst;
}

uint16_t ip_l4_cksum(struct pctx *ctx, const uint8_t *ip, const uint8_t *bp, unsigned len, unsigned proto)
{
	const struct ip_hdr *h = (const void *)ip;
	const uint8_t *dst = final_dst(ctx, ip);
	uint32_t sum = 0;

	pr_need(ctx, h->src, 4);
	pr_need(ctx, dst, 4);
	sum += (uint32_t)(h->src[0] << 8 | h->src[1]) + (uint32_t)(h->src[2] << 8 | h->src[3]);
	sum += (uint32_t)(dst[0] << 8 | dst[1]) + (uint32_t)(dst[2] << 8 | dst[3]);
	sum += proto + (len & 0xffff);
	return pr_in_cksum(bp, len, sum);
}

void ip_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	const struct ip_hdr *h = (const void *)bp;
	unsigned vhl, hlen, len, off, proto;
	int cut = 0;

	PR_PROTO(ctx, "ip");
	vhl = RD_U8(&h->vhl);
	if (vhl >> 4 != 4) {
		if (vhl >> 4 == 6)
			pr_puts(ctx, "IP6, wrong link-layer encapsulation");
		else
			pr_printf(ctx, "IP%u", vhl >> 4);
		pr_invalid(ctx);
		return;
	}
	if (!ctx->opts.link_header)
		pr_puts(ctx, "IP ");
	/* a short header ends the line here without unwinding, so -x still skips the link header */
	if (!HAVE(bp, IP_HDR_LEN)) {
		pr_trunc_mark(ctx);
		return;
	}
	if (length < IP_HDR_LEN) {
		pr_printf(ctx, "truncated-ip %u", length);
		return;
	}
	hlen = (vhl & 0xf) * 4;
	if (hlen < IP_HDR_LEN) {
		pr_printf(ctx, "bad-hlen %u", hlen);
		return;
	}
	len = RD_BE16(h->len);
	if (length < len)
		pr_printf(ctx, "truncated-ip - %u bytes missing! ", len - length);
	if (len < hlen) {
		pr_printf(ctx, "bad-len %u", len);
		return;
	}
	pr_push_end(ctx, bp, len);
	len -= hlen;
	off = RD_BE16(h->off);
	proto = RD_U8(&h->proto);

	if (ctx->opts.verbose) {
		static const char *const ecn[4] = { "", ",ECT(1)", ",ECT(0)", ",CE" };
		unsigned tos = RD_U8(&h->tos), ttl = RD_U8(&h->ttl);

		pr_printf(ctx, "(tos 0x%x%s", tos, ecn[tos & 3]);
		if (ttl >= 1)
			pr_printf(ctx, ", ttl %u", ttl);
		pr_printf(ctx, ", id %u, offset %u, flags [%s], proto %s (%u)", RD_BE16(h->id), (off & IP_OFFMASK) * 8,
			  pr_bits_str(ctx, ip_frag_names, "none", ", ", off & (IP_RES | IP_DF | IP_MF)),
			  ipproto_name(proto), proto);
		pr_printf(ctx, ", length %u", RD_BE16(h->len));
		if (hlen > IP_HDR_LEN) {
			pr_puts(ctx, ", options (");
			if (print_options(ctx, bp + IP_HDR_LEN, hlen - IP_HDR_LEN) < 0) {
				pr_puts(ctx, " [truncated-option]");
				cut = 1;
			}
			pr_putc(ctx, ')');
		}
		if (!ctx->opts.no_checksum && HAVE(bp, hlen)) {
			uint16_t sum = pr_in_cksum(bp, hlen, 0);

			if (sum != 0) {
				uint16_t field = RD_BE16(h->sum);

				pr_printf(ctx, ", bad cksum %x (->%x)!", field, pr_cksum_shouldbe(field, sum));
			}
		}
		pr_puts(ctx, ")\n    ");
		if (cut) {
			pr_printf(ctx, "%s > %s: ", RD_IPV4(h->src), RD_IPV4(h->dst));
			pr_trunc_mark(ctx);
			pr_pop_end(ctx);
			return;
		}
	}

	if ((off & IP_OFFMASK) == 0) {
		if (!ip_proto_has_ports(proto))
			pr_printf(ctx, "%s > %s: ", RD_IPV4(h->src), RD_IPV4(h->dst));
		if (!HAVE(bp, hlen)) {
			pr_printf(ctx, " [remaining caplen(%u) < header length(%u)]", pr_left(ctx, bp), hlen);
			pr_trunc(ctx);
		}
		ip_demux(ctx, bp + hlen, len, bp, proto, (off & IP_MF) != 0);
	} else {
		pr_printf(ctx, "%s > %s:", RD_IPV4(h->src), RD_IPV4(h->dst));
		pr_printf(ctx, " ip-proto-%u", proto);
	}
	pr_pop_end(ctx);
}
