/* Every decoder's entry point, one list: link types, layer 2, IP, transports, applications (one file each). */
#ifndef TD_PRINT_DECODERS_H
#define TD_PRINT_DECODERS_H

#include <stdint.h>

struct pctx; /* per-thread printer context, defined in print-int.h */

/*
 * Link types. Each prints one packet starting at its link header and returns
 * the link header length (what -x/-X/-A leave out); caplen bytes are in hand
 * of length.
 */
typedef unsigned (*link_print_fn)(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);

/* The decoder for a DLT_ value; unknown types get a hex dump of every packet. */
link_print_fn link_printer_find(int dlt);

unsigned ether_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned sll_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned sll2_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned null_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned loop_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned raw_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned ipv4_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned nflog_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned ppp_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned chdlc_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned juniper_ether_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned ipv6_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);

/* Layer 2 and what an ethertype or an LLC header selects. */
void ether_print(struct pctx *ctx, const uint8_t *bp, unsigned caplen, unsigned length);
/* Hands bp to the decoder for ethertype; returns 0 when the type is not decoded. */
int ethertype_print(struct pctx *ctx, unsigned type, const uint8_t *bp, unsigned length);
/* "IPv4", "ARP"... or NULL for an ethertype without a name. */
const char *ethertype_name(unsigned type);
/* An Ethernet frame carried inside a tunnel, through the full printer. */
void ether_inner_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void arp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* 802.2 LLC after an 802.3 length: returns the LLC/SNAP header length when it printed the frame, else 0. */
int llc_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void stp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void cdp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void dtp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void udld_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void vtp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* IEEE slow protocols (LACP, Marker, OAM), ethertype 0x8809. */
void slow_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void lldp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* A PPP frame from its address/control (or protocol) field; returns the PPP header length. */
unsigned ppp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void pppoe_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void mpls_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void eap_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void eapol_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* An OSI network layer PDU from its NLPID (IS-IS; others shown as unknown). */
void isoclns_print(struct pctx *ctx, const uint8_t *bp, unsigned length);

/* IPv4 and IPv6, and what they offer the decoders above them (ip: the IP header, either version). */
void ip_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void ip6_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* Hands an IPv4 or IPv6 payload to the decoder of its protocol (IPPROTO_*). */
void ip_demux(struct pctx *ctx, const uint8_t *bp, unsigned len, const uint8_t *ip, unsigned proto, int fragmented);
/* Whether ip is an IPv6 header (checked read of the version). */
int ip_is_v6(struct pctx *ctx, const uint8_t *ip);
/* The protocol field of the fixed header: IPv4's protocol, IPv6's next header. */
unsigned ip_next_proto(struct pctx *ctx, const uint8_t *ip);
/* "src > dst", the header's addresses (names without -n). */
void ip_addrs_print(struct pctx *ctx, const uint8_t *ip);
/*
 * The start of a TCP or UDP line (proto IPPROTO_TCP or IPPROTO_UDP):
 * "src.sport > dst.dport: " when the transport follows the fixed header,
 * "sport > dport: " when extension headers stand between, as tcpdump does.
 */
void ip_ports_print(struct pctx *ctx, const uint8_t *ip, unsigned proto, unsigned sport, unsigned dport);
/* TCP, UDP, SCTP and DCCP: transports that print the addresses themselves, with their ports. */
int ip_proto_has_ports(unsigned proto);
/* Transport checksum with the IPv4 / IPv6 pseudo-header (ip points at the IP header). */
uint16_t ip_l4_cksum(struct pctx *ctx, const uint8_t *ip, const uint8_t *bp, unsigned len, unsigned proto);
uint16_t ip6_l4_cksum(struct pctx *ctx, const uint8_t *ip6, const uint8_t *bp, unsigned len, unsigned proto);
/* "TCP", "UDP"... as tcpdump's -v lines name an IP protocol; "unknown" otherwise. */
const char *ipproto_name(unsigned proto);

/* What an IP protocol number selects. */
void tcp_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip, int fragmented);
void udp_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip, int fragmented);
void icmp_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip, int fragmented);
/* ICMPv6 (RFC 4443, 4861, 3810...). ip6 points at the IPv6 header (for the checksum and -v). */
void icmp6_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip6, int fragmented);
void igmp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void dvmrp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void esp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* IPsec AH: prints the header, returns its length. */
unsigned ah_print(struct pctx *ctx, const uint8_t *bp);
void vrrp_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip);
void gre_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void pim_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip);
void ospf_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void ospf6_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* OSPF TE (RFC 3630) and grace (RFC 3623) LSA bodies, shared by OSPFv2 and OSPFv3; -1 ends the LSA early. */
int ospf_te_print(struct pctx *ctx, const uint8_t *p, unsigned ls_len);
int ospf_grace_print(struct pctx *ctx, const uint8_t *p, unsigned ls_len);

/* What a UDP or TCP port selects. */
/* DNS and mDNS message; over_tcp: bp starts after the 2-byte length prefix. */
void dns_print(struct pctx *ctx, const uint8_t *bp, unsigned length, int is_mdns, int over_tcp);
/*
 * Print the DNS name at cp (RFC 1035 4.1.4); msg is where compression
 * offsets count from. Returns the byte after the name in place, or NULL
 * when it could not be printed whole (tcpdump's fqdn_print). DHCPv6 and
 * ICMPv6 options carry such names too.
 */
const uint8_t *dns_name_print(struct pctx *ctx, const uint8_t *cp, const uint8_t *msg);
/* NTP, every mode (RFC 5905 time messages, mode 6 control, mode 7 private). */
void ntp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* BOOTP/DHCPv4 (RFC 951, 2131, 2132 and the option RFCs in the corpus). */
void bootp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* DHCPv6 (RFC 8415). */
void dhcp6_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void hsrp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void ptp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void vxlan_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void otv_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void geneve_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void syslog_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* BFD; port is the UDP destination port, which selects control or echo. */
void bfd_print(struct pctx *ctx, const uint8_t *bp, unsigned length, unsigned port);
void lisp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void nsh_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void vxlan_gpe_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void tftp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void rip_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void ripng_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void radius_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void bgp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void ldp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void sflow_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void openflow_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void snmp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void l2tp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void msdp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* Text protocols over TCP (first line, every line with -v). */
void http_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void whois_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void ssh_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void ftp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void smtp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void rtsp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
void sip_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/*
 * tcpdump's txtproto_print: PROTO (ctx->proto upper-cased), then the first
 * line, or every text line with -v. cmds (NULL-terminated) are the request
 * names that mark a line worth printing; resp_second: the response code is
 * the second token (HTTP) rather than the first.
 */
void txtproto_print(struct pctx *ctx, const uint8_t *bp, unsigned len, const char *const *cmds, int resp_second);

#endif
