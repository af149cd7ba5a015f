/* What IPv4 and IPv6 both offer the decoders above them: the protocol dispatch and names, the addresses that start a line. */
#include "writers/print/print-int.h"

static const struct pr_tok ipproto_names[] = {
	{ IPPROTO_HOPOPTS, "Options" },
	{ IPPROTO_ICMP, "ICMP" },
	{ IPPROTO_IGMP, "IGMP" },
	{ IPPROTO_IPIP, "IPIP" },
	{ IPPROTO_TCP, "TCP" },
	{ IPPROTO_EGP, "EGP" },
	{ IPPROTO_IGRP, "IGRP" },
	{ IPPROTO_UDP, "UDP" },
	{ IPPROTO_DCCP, "DCCP" },
	{ IPPROTO_IPV6, "IPv6" },
	{ IPPROTO_ROUTING, "Routing" },
	{ IPPROTO_FRAGMENT, "Fragment" },
	{ IPPROTO_RSVP, "RSVP" },
	{ IPPROTO_GRE, "GRE" },
	{ IPPROTO_ESP, "ESP" },
	{ IPPROTO_AH, "AH" },
	{ IPPROTO_MOBILE, "Mobile IP" },
	{ IPPROTO_ICMPV6, "ICMPv6" },
	{ IPPROTO_MOBILITY_OLD, "Mobile IP (old)" },
	{ IPPROTO_EIGRP, "EIGRP" },
	{ IPPROTO_OSPF, "OSPF" },
	{ IPPROTO_PIM, "PIM" },
	{ IPPROTO_COMP, "Compressed IP" },
	{ IPPROTO_VRRP, "VRRP" },
	{ IPPROTO_PGM, "PGM" },
	{ IPPROTO_SCTP, "SCTP" },
	{ IPPROTO_MH, "Mobility" },
	{ IPPROTO_PFSYNC, "pfsync" },
	{ 0, NULL },
};

const char *ipproto_name(unsigned proto)
{
	const char *s = pr_tok_find(ipproto_names, proto);

	return s ? s : "unknown";
}
int ip_is_v6(struct pctx *ctx, const uint8_t *ip)
{
	return RD_U8(ip) >> 4 == 6;
}

unsigned ip_next_proto(struct pctx *ctx, const uint8_t *ip)
{
	const struct ip6_hdr *h6 = (const void *)ip;
	const struct ip_hdr *h4 = (const void *)ip;

	return ip_is_v6(ctx, ip) ? RD_U8(&h6->nxt) : RD_U8(&h4->proto);
}

void ip_addrs_print(struct pctx *ctx, const uint8_t *ip)
{
	const struct ip6_hdr *h6 = (const void *)ip;
	const struct ip_hdr *h4 = (const void *)ip;

	if (ip_is_v6(ctx, ip))
		pr_printf(ctx, "%s > %s", RD_IPV6(h6->src), RD_IPV6(h6->dst));
	else
		pr_printf(ctx, "%s > %s", RD_IPV4(h4->src), RD_IPV4(h4->dst));
}

void ip_ports_print(struct pctx *ctx, const uint8_t *ip, unsigned proto, unsigned sport, unsigned dport)
{
	const struct ip6_hdr *h6 = (const void *)ip;
	const struct ip_hdr *h4 = (const void *)ip;
	int udp = proto == IPPROTO_UDP;

	/* behind IPv6 extension headers tcpdump shows the ports alone, as numbers */
	if (ip_next_proto(ctx, ip) != proto)
		pr_printf(ctx, "%u > %u: ", sport, dport);
	else if (ip_is_v6(ctx, ip))
		pr_printf(ctx, "%s.%s > %s.%s: ", RD_IPV6(h6->src), pr_port_str(ctx, sport, udp), RD_IPV6(h6->dst),
			  pr_port_str(ctx, dport, udp));
	else
		pr_printf(ctx, "%s.%s > %s.%s: ", RD_IPV4(h4->src), pr_port_str(ctx, sport, udp), RD_IPV4(h4->dst),
			  pr_port_str(ctx, dport, udp));
}

int ip_proto_has_ports(unsigned proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP || proto == IPPROTO_DCCP;
}

void ip_demux(struct pctx *ctx, const uint8_t *bp, unsigned len, const uint8_t *ip, unsigned proto, int fragmented)
{
	int v6 = ip_is_v6(ctx, ip);

	switch (proto) {
	case IPPROTO_TCP: tcp_print(ctx, bp, len, ip, fragmented); break;
	case IPPROTO_UDP: udp_print(ctx, bp, len, ip, fragmented); break;
	case IPPROTO_ICMP:
		if (v6)
			pr_puts(ctx, "[ICMP requires IPv4]");
		else
			icmp_print(ctx, bp, len, ip, fragmented);
		break;
	case IPPROTO_ICMPV6:
		if (v6)
			icmp6_print(ctx, bp, len, ip, fragmented);
		else
			pr_puts(ctx, "[ICMPv6 requires IPv6]");
		break;
	case IPPROTO_IGMP: igmp_print(ctx, bp, len); break;
	case IPPROTO_IPIP: ip_print(ctx, bp, len); break;
	case IPPROTO_IPV6: ip6_print(ctx, bp, len); break;
	case IPPROTO_NONE: pr_puts(ctx, "no next header"); break;
	case IPPROTO_VRRP: vrrp_print(ctx, bp, len, ip); break;
	case IPPROTO_ESP: esp_print(ctx, bp, len); break;
	case IPPROTO_AH: {
		unsigned next = RD_U8(bp), hl = ah_print(ctx, bp);

		if (hl > len) {
			pr_printf(ctx, "[AH header length %u > length %u]", hl, len);
			break;
		}
		ip_demux(ctx, bp + hl, len - hl, ip, next, fragmented);
		break;
	}
	case IPPROTO_GRE: gre_print(ctx, bp, len); break;
	case IPPROTO_PIM: pim_print(ctx, bp, len, ip); break;
	case IPPROTO_OSPF:
		if (v6)
			ospf6_print(ctx, bp, len);
		else
			ospf_print(ctx, bp, len);
		break;
	default: pr_printf(ctx, " ip-proto-%u %u", proto, len); break;
	}
}
