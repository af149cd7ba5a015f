/* IPv6 (RFC 8200) and its extension headers: hop-by-hop (with jumbo), routing (type 0/2, SRH), fragment, destination options. */
#include "writers/print/print-int.h"

#define FRAG_HDR_LEN 8

#define OPT_PAD1 0
#define OPT_PADN 1
#define OPT_JUMBO 0xc2
#define OPT_RTALERT 0x05

/* An option of fixed data length: "(name: trunc)" or "(name: invalid len N)" and false when it is not. */
static bool opt_fixed(struct pctx *ctx, const uint8_t *opt, unsigned left, const char *name, unsigned datalen)
{
	if (left < datalen + 2) {
		pr_printf(ctx, "(%s: trunc)", name);
		return false;
	}
	if (RD_U8(opt + 1) != datalen) {
		pr_printf(ctx, "(%s: invalid len %u)", name, RD_U8(opt + 1));
		return false;
	}
	return true;
}

/*
 * The option list of a hop-by-hop or destination header. Options are
 * always parsed (a jumbo payload length matters) but shown only with -v.
 * Returns -1 when the list is malformed or cut.
 */
static int print_ext_opts(struct pctx *ctx, const uint8_t *bp, unsigned len, int *found_jumbo, uint32_t *payload_len)
{
	int v = ctx->opts.verbose;
	unsigned i, optlen;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i += optlen) {
		unsigned type = RD_U8(bp + i);

		if (type == OPT_PAD1) {
			optlen = 1;
		} else {
			if (i + 1 >= len)
				return -1;
			optlen = RD_U8(bp + i + 1) + 2;
		}
		if (i + optlen > len)
			return -1;
		NEED(bp + i, optlen);
		switch (type) {
		case OPT_PAD1:
			if (v)
				pr_puts(ctx, "(pad1)");
			break;
		case OPT_PADN:
			if (len - i < 2) {
				pr_puts(ctx, "(padn: trunc)");
				return -1;
			}
			if (v)
				pr_puts(ctx, "(padn)");
			break;
		case OPT_RTALERT:
			if (!opt_fixed(ctx, bp + i, len - i, "rtalert", 2))
				return -1;
			if (v)
				pr_printf(ctx, "(rtalert: 0x%04x) ", RD_BE16(bp + i + 2));
			break;
		case OPT_JUMBO: {
			uint32_t jlen;

			if (!opt_fixed(ctx, bp + i, len - i, "jumbo", 4))
				return -1;
			jlen = RD_BE32(bp + i + 2);
			if (!found_jumbo || *found_jumbo) {
				if (v)
					pr_printf(ctx, "(jumbo: %u - already seen) ", jlen);
			} else {
				*found_jumbo = 1;
				if (*payload_len != 0) {
					if (v)
						pr_printf(ctx, "(jumbo: %u - payload len != 0) ", jlen);
				} else if (jlen < 65536) {
					if (v)
						pr_printf(ctx, "(jumbo: %u - < 65536) ", jlen);
				} else {
					if (v)
						pr_printf(ctx, "(jumbo: %u) ", jlen);
					*payload_len = jlen;
				}
			}
			break;
		}
		default:
			if (len - i < 2) {
				pr_printf(ctx, "(type %u: trunc)", type);
				return -1;
			}
			if (v)
				pr_printf(ctx, "(opt_type 0x%02x: len=%u)", type, RD_U8(bp + i + 1));
			break;
		}
	}
	if (v)
		pr_putc(ctx, ' ');
	return 0;
}

/* Hop-by-hop or destination options header; returns its length or -1. */
static int print_opts_hdr(struct pctx *ctx, const uint8_t *bp, const char *name, int *found_jumbo,
			  uint32_t *payload_len)
{
	unsigned hlen;

	PR_PROTO(ctx, found_jumbo ? "hbhopt" : "dstopt");
	hlen = (RD_U8(bp + 1) + 1) << 3;
	if (!HAVE(bp, hlen)) {
		pr_trunc_mark(ctx);
		return -1;
	}
	pr_printf(ctx, "%s ", name);
	/* tcpdump reads destination options only with -v; hop-by-hop always (the jumbo length) */
	if ((found_jumbo || ctx->opts.verbose) && print_ext_opts(ctx, bp + 2, hlen - 2, found_jumbo, payload_len) < 0) {
		pr_trunc_mark(ctx);
		return -1;
	}
	return (int)hlen;
}

/* Routing header: type 0 and 2 list addresses, type 4 is segment routing (RFC 8754). */
static int print_routing(struct pctx *ctx, const uint8_t *bp)
{
	unsigned len, type, i, n;
	const uint8_t *p;

	PR_PROTO(ctx, "rt6");
	pr_puts(ctx, "RT6");
	len = RD_U8(bp + 1);
	pr_printf(ctx, " (len=%u", len);
	type = RD_U8(bp + 2);
	pr_printf(ctx, ", type=%u", type);
	if (type == 0)
		pr_puts(ctx, " [Deprecated]");
	pr_printf(ctx, ", segleft=%u", RD_U8(bp + 3));
	switch (type) {
	case 0:
	case 2:
		if (RD_BE32(bp + 4) || ctx->opts.verbose)
			pr_printf(ctx, ", rsv=0x%0x", RD_BE32(bp + 4));
		if (len % 2 == 1) {
			pr_printf(ctx, " [invalid length %u]", len);
			break;
		}
		p = bp + 8;
		for (i = 0; i < len / 2; i++, p += 16)
			pr_printf(ctx, ", [%u]%s", i, RD_IPV6(p));
		pr_puts(ctx, ") ");
		return (int)((len + 1) << 3);
	case 4:
		pr_printf(ctx, ", last-entry=%u", RD_U8(bp + 4));
		if (RD_U8(bp + 5) || ctx->opts.verbose)
			pr_printf(ctx, ", flags=0x%0x", RD_U8(bp + 5));
		pr_printf(ctx, ", tag=%x", RD_BE16(bp + 6));
		p = bp + 8;
		n = RD_U8(bp + 4) + 1;
		for (i = 0; i < n; i++, p += 16)
			pr_printf(ctx, ", [%u]%s", i, RD_IPV6(p));
		pr_puts(ctx, ") ");
		return (int)((len + 1) << 3);
	default: pr_puts(ctx, " (unknown type)"); break;
	}
	pr_invalid(ctx);
	return -1;
}

/* Fragment header: "frag (offset|bytes after it)"; later fragments end the line. */
static int print_frag(struct pctx *ctx, const uint8_t *bp, const uint8_t *ip6)
{
	const struct ip6_hdr *h = (const void *)ip6;
	unsigned off;
	size_t rest;

	PR_PROTO(ctx, "frag6");
	/* a checked read that unwinds (tcpdump's GET_): a -x dump then starts at the link header */
	NEED(bp, FRAG_HDR_LEN);
	off = RD_BE16(bp + 2) & 0xfff8;
	/* size_t on purpose: a header longer than the payload shows tcpdump's wrapped value */
	rest = (size_t)IP6_HDR_LEN + RD_BE16(h->plen) - (size_t)(bp - ip6) - FRAG_HDR_LEN;
	if (ctx->opts.verbose)
		pr_printf(ctx, "frag (0x%08x:%u|%zu)", RD_BE32(bp + 4), off, rest);
	else
		pr_printf(ctx, "frag (%u|%zu)", off, rest);
	if (off != 0)
		return -1;
	pr_putc(ctx, ' ');
	return FRAG_HDR_LEN;
}

/* The destination the transport checksum covers: the final hop of a routing header, if any. */
static const uint8_t *final_dst6(struct pctx *ctx, const uint8_t *ip6)
{
	const struct ip6_hdr *h = (const void *)ip6;
	const uint8_t *cp = ip6, *dst = h->dst;
	unsigned advance = IP6_HDR_LEN, nh = RD_U8(&h->nxt);

	while (cp + advance < ctx->end) {
		cp += advance;
		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_DSTOPTS:
		case IPPROTO_AH:
			advance = (RD_U8(cp + 1) + 1) << 3;
			nh = RD_U8(cp);
			break;
		case IPPROTO_FRAGMENT:
			advance = FRAG_HDR_LEN;
			nh = RD_U8(cp);
			break;
		case IPPROTO_ROUTING: {
			unsigned len, type = RD_U8(cp + 2), i;

			len = RD_U8(cp + 1);
			if (type == 0 || type == 2) {
				if (len % 2 == 1)
					return dst;
				for (i = 0; i < len / 2; i++) {
					NEED(cp + 8 + 16 * i, 16);
					dst = cp + 8 + 16 * i;
				}
			} else if (type == 4) {
				dst = cp + 8;
			}
			return dst;
		}
		default: return dst;
		}
	}
	return dst;
}

uint16_t ip6_l4_cksum(struct pctx *ctx, const uint8_t *ip6, const uint8_t *bp, unsigned len, unsigned proto)
{
	const struct ip6_hdr *h = (const void *)ip6;
	const uint8_t *dst = final_dst6(ctx, ip6);
	uint32_t sum = 0;
	unsigned i;

	NEED(h->src, 16);
	NEED(dst, 16);
	for (i = 0; i < 16; i += 2) {
		sum += (uint32_t)(h->src[i] << 8 | h->src[i + 1]);
		sum += (uint32_t)(dst[i] << 8 | dst[i + 1]);
	}
	sum += (len >> 16) + (len & 0xffff) + proto;
	return pr_in_cksum(bp, len, sum);
}

void ip6_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	const struct ip6_hdr *h = (const void *)bp;
	int found_ext = 0, found_jumbo = 0, found_hbh = 0, fragmented = 0, advance;
	unsigned len, total = 0, nh, ph = 255;
	uint32_t payload_len;
	const uint8_t *cp;

	PR_PROTO(ctx, "ip6");
	/* a short header ends the line here without unwinding, so -x still skips the link header */
	if (!HAVE(bp, IP6_HDR_LEN)) {
		pr_trunc_mark(ctx);
		return;
	}
	if (length < IP6_HDR_LEN) {
		pr_printf(ctx, "truncated-ip6 %u", length);
		return;
	}
	if (!ctx->opts.link_header)
		pr_puts(ctx, "IP6 ");
	if (RD_U8(bp) >> 4 != 6) {
		pr_printf(ctx, "version error: %u != 6", RD_U8(bp) >> 4);
		return;
	}
	payload_len = RD_BE16(h->plen);
	if (payload_len != 0) {
		len = payload_len + IP6_HDR_LEN;
		if (length < len)
			pr_printf(ctx, "truncated-ip6 - %u bytes missing!", len - length);
	} else {
		len = length;
	}
	nh = RD_U8(&h->nxt);
	if (ctx->opts.verbose) {
		uint32_t flow = RD_BE32(h->flow);

		pr_putc(ctx, '(');
		if (flow & 0x0ff00000)
			pr_printf(ctx, "class 0x%02x, ", (flow & 0x0ff00000) >> 20);
		if (flow & 0x000fffff)
			pr_printf(ctx, "flowlabel 0x%05x, ", flow & 0x000fffff);
		pr_printf(ctx, "hlim %u, next-header %s (%u) payload length: %u) ", RD_U8(&h->hlim), ipproto_name(nh),
			  nh, payload_len);
	}
	pr_push_end(ctx, bp, len);

	cp = bp;
	advance = IP6_HDR_LEN;
	while (cp < ctx->end && advance > 0) {
		if (len < (unsigned)advance)
			goto trunc;
		cp += advance;
		len -= (unsigned)advance;
		total += (unsigned)advance;
		if (cp == bp + IP6_HDR_LEN && !ip_proto_has_ports(nh))
			pr_printf(ctx, "%s > %s: ", RD_IPV6(h->src), RD_IPV6(h->dst));
		switch (nh) {
		case IPPROTO_HOPOPTS:
			/* RFC 8200 4.3: only right after the IPv6 header, and only once */
			if (found_hbh) {
				pr_puts(ctx, "[The Hop-by-Hop Options header was already found]");
				pr_invalid(ctx);
				goto out;
			}
			if (ph != 255) {
				pr_puts(ctx, "[The Hop-by-Hop Options header don't follow the IPv6 header]");
				pr_invalid(ctx);
				goto out;
			}
			advance = print_opts_hdr(ctx, cp, "HBH", &found_jumbo, &payload_len);
			if (payload_len == 0 && !found_jumbo) {
				pr_puts(ctx, "[No valid Jumbo Payload Hop-by-Hop option found]");
				pr_invalid(ctx);
				goto out;
			}
			if (advance < 0)
				goto out;
			found_hbh = 1;
			break;
		case IPPROTO_DSTOPTS:
			advance = print_opts_hdr(ctx, cp, "DSTOPT", NULL, NULL);
			if (advance < 0)
				goto out;
			break;
		case IPPROTO_FRAGMENT:
			advance = print_frag(ctx, cp, bp);
			if (advance < 0 || ctx->end <= cp + advance)
				goto out;
			fragmented = 1;
			break;
		case IPPROTO_ROUTING:
			/* tcpdump tests this byte itself: " [|ip6]" and a normal return, not an unwind */
			if (!HAVE(cp, 1))
				goto trunc;
			advance = print_routing(ctx, cp);
			if (advance < 0)
				goto out;
			break;
		default:
			if (found_jumbo) {
				len = payload_len + IP6_HDR_LEN;
				if (len < total)
					goto trunc;
				if (length < len)
					pr_printf(ctx, "truncated-ip6 - %u bytes missing!", len - length);
				pr_pop_end(ctx);
				pr_push_end(ctx, bp, len);
				len -= total;
			} else if (payload_len == 0) {
				if (found_ext)
					goto trunc;
				len = IP6_HDR_LEN;
				pr_pop_end(ctx);
				pr_push_end(ctx, bp, len);
				len -= total;
			}
			ip_demux(ctx, cp, len, bp, nh, fragmented);
			goto out;
		}
		/* An extension header: its first byte names the next one. */
		found_ext = 1;
		ph = nh;
		nh = RD_U8(cp);
		PR_PROTO(ctx, "ip6");
	}
	goto out;
trunc:
	pr_trunc_mark(ctx);
out:
	pr_pop_end(ctx);
}
