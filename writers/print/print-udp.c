/* UDP (RFC 768) and the dispatch to application decoders by port. */
#include "writers/print/print-int.h"

#define UDP_HDR_LEN 8

struct udp_hdr {
	wire_u16 sport;
	wire_u16 dport;
	wire_u16 len;
	wire_u16 sum;
};

/* The line's start; without ports (sport < 0) only the addresses, and only when UDP follows the IP header. */
static void udp_addrs(struct pctx *ctx, const uint8_t *ip, int sport, int dport)
{
	if (sport >= 0) {
		ip_ports_print(ctx, ip, IPPROTO_UDP, (unsigned)sport, (unsigned)dport);
	} else if (ip_next_proto(ctx, ip) == IPPROTO_UDP) {
		ip_addrs_print(ctx, ip);
		pr_puts(ctx, ": ");
	}
}

static void udp_length_line(struct pctx *ctx, unsigned ulen, unsigned length, int fragmented)
{
	if (ulen > length && !fragmented)
		pr_printf(ctx, "UDP, bad length %u > %u", ulen, length);
	else
		pr_printf(ctx, "UDP, length %u", ulen);
}

void udp_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip, int fragmented)
{
	const struct udp_hdr *uh = (const void *)bp;
	const uint8_t *cp = bp + UDP_HDR_LEN;
	int v6 = ip_is_v6(ctx, ip);
	unsigned sport, dport, ulen;

	PR_PROTO(ctx, "udp");
	if (!HAVE(uh->dport, 2)) {
		udp_addrs(ctx, ip, -1, -1);
		pr_trunc_mark(ctx);
		return;
	}
	sport = RD_BE16(uh->sport);
	dport = RD_BE16(uh->dport);
	if (length < UDP_HDR_LEN) {
		udp_addrs(ctx, ip, (int)sport, (int)dport);
		pr_printf(ctx, "truncated-udp %u", length);
		return;
	}
	if (!HAVE(uh->len, 2)) {
		udp_addrs(ctx, ip, (int)sport, (int)dport);
		pr_trunc_mark(ctx);
		return;
	}
	ulen = RD_BE16(uh->len);
	/* RFC 2675: a jumbogram's UDP length is 0 and the IPv6 length rules */
	if (ulen == 0 && length > 65535)
		ulen = length;
	if (ulen < UDP_HDR_LEN) {
		udp_addrs(ctx, ip, (int)sport, (int)dport);
		pr_printf(ctx, "truncated-udplength %u", ulen);
		return;
	}
	ulen -= UDP_HDR_LEN;
	length -= UDP_HDR_LEN;
	if (ulen < length)
		length = ulen;
	if (cp > ctx->end) {
		udp_addrs(ctx, ip, (int)sport, (int)dport);
		pr_trunc_mark(ctx);
		return;
	}
	udp_addrs(ctx, ip, (int)sport, (int)dport);

	if (ctx->opts.verbose && !ctx->opts.no_checksum && !fragmented) {
		/* tcpdump checks IPv4 UDP sums only from -vv, IPv6 ones (mandatory there) from -v */
		if (!v6 && ctx->opts.verbose > 1) {
			uint16_t field = RD_BE16(uh->sum);

			if (field == 0) {
				pr_puts(ctx, "[no cksum] ");
			} else if (HAVE(cp, length)) {
				uint16_t sum = ip_l4_cksum(ctx, ip, bp, length + UDP_HDR_LEN, IPPROTO_UDP);

				if (sum != 0)
					pr_printf(ctx, "[bad udp cksum 0x%04x -> 0x%04x!] ", field,
						  pr_cksum_shouldbe(field, sum));
				else
					pr_puts(ctx, "[udp sum ok] ");
			}
		} else if (v6 && HAVE(cp, length)) {
			uint16_t sum = ip6_l4_cksum(ctx, ip, bp, length + UDP_HDR_LEN, IPPROTO_UDP);
			uint16_t field = RD_BE16(uh->sum);

			if (sum != 0)
				pr_printf(ctx, "[bad udp cksum 0x%04x -> 0x%04x!] ", field,
					  pr_cksum_shouldbe(field, sum));
			else
				pr_puts(ctx, "[udp sum ok] ");
		}
	}

	if (ctx->opts.quiet) {
		udp_length_line(ctx, ulen, length, fragmented);
		return;
	}
#define PORT_IS(p) (sport == (p) || dport == (p))
	/* the order of these tests is tcpdump's: it decides which side wins */
	if (PORT_IS(53))
		dns_print(ctx, cp, length, 0, 0);
	else if (PORT_IS(69))
		tftp_print(ctx, cp, length);
	else if (PORT_IS(520))
		rip_print(ctx, cp, length);
	else if (PORT_IS(67) || PORT_IS(68))
		bootp_print(ctx, cp, length);
	else if (PORT_IS(123))
		ntp_print(ctx, cp, length);
	else if (PORT_IS(161) || PORT_IS(162))
		snmp_print(ctx, cp, length);
	else if (PORT_IS(5060))
		sip_print(ctx, cp, length);
	else if (PORT_IS(1701))
		l2tp_print(ctx, cp, length);
	else if (PORT_IS(521))
		ripng_print(ctx, cp, length);
	else if (PORT_IS(546) || PORT_IS(547))
		dhcp6_print(ctx, cp, length);
	else if (PORT_IS(5353))
		dns_print(ctx, cp, length, 1, 0);
	else if (PORT_IS(1985))
		hsrp_print(ctx, cp, length);
	else if (PORT_IS(319) || PORT_IS(320))
		ptp_print(ctx, cp, length);
	else if (PORT_IS(8472))
		otv_print(ctx, cp, length);
	else if (PORT_IS(4789))
		vxlan_print(ctx, cp, length);
	else if (PORT_IS(6081))
		geneve_print(ctx, cp, length);
	else if (PORT_IS(4342))
		lisp_print(ctx, cp, length);
	else if (PORT_IS(4790))
		vxlan_gpe_print(ctx, cp, length);
	else if (PORT_IS(514))
		syslog_print(ctx, cp, length);
	else if (PORT_IS(1645) || PORT_IS(1646) || PORT_IS(1812) || PORT_IS(1813) || PORT_IS(1700) || PORT_IS(3799))
		radius_print(ctx, cp, length);
	else if (PORT_IS(646))
		ldp_print(ctx, cp, length);
	else if (PORT_IS(6343))
		sflow_print(ctx, cp, length);
	else if (dport == 3784 || dport == 3785 || dport == 4784 || dport == 6784)
		bfd_print(ctx, cp, length, dport);
	else
		udp_length_line(ctx, ulen, length, fragmented);
#undef PORT_IS
}
