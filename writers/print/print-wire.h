/* Wire field types, the header layouts more than one decoder reads (IPv4, IPv6, DNS) and the IP protocol numbers. */
#ifndef TD_PRINT_WIRE_H
#define TD_PRINT_WIRE_H

#include <netinet/in.h>
#include <stdint.h>

/* Wire field types: arrays, so they cannot be read without an accessor (print-int.h). */
typedef uint8_t wire_u8;
typedef uint8_t wire_u16[2];
typedef uint8_t wire_u24[3];
typedef uint8_t wire_u32[4];
typedef uint8_t wire_u64[8];
typedef uint8_t wire_ipv4[4];
typedef uint8_t wire_ipv6[16];
typedef uint8_t wire_mac[6];

/*
 * IP protocol numbers (IANA "Assigned Internet Protocol Numbers"). The C
 * library names most of them in <netinet/in.h>; the ones it leaves out are
 * named here, as tcpdump's ipproto.h does, so that every decoder spells a
 * protocol one way whichever header it includes first.
 */
#ifndef IPPROTO_IGRP
#define IPPROTO_IGRP 9
#endif
#ifndef IPPROTO_MOBILE
#define IPPROTO_MOBILE 55
#endif
#ifndef IPPROTO_MOBILITY_OLD
#define IPPROTO_MOBILITY_OLD 62
#endif
#ifndef IPPROTO_EIGRP
#define IPPROTO_EIGRP 88
#endif
#ifndef IPPROTO_OSPF
#define IPPROTO_OSPF 89
#endif
#ifndef IPPROTO_VRRP
#define IPPROTO_VRRP 112
#endif
#ifndef IPPROTO_PGM
#define IPPROTO_PGM 113
#endif
#ifndef IPPROTO_PFSYNC
#define IPPROTO_PFSYNC 240
#endif

/* IPv4 fixed header (RFC 791 3.1); options follow up to 4 * (vhl & 0xf) bytes. */
struct ip_hdr {
	wire_u8 vhl;
	wire_u8 tos;
	wire_u16 len;
	wire_u16 id;
	wire_u16 off;
	wire_u8 ttl;
	wire_u8 proto;
	wire_u16 sum;
	wire_ipv4 src;
	wire_ipv4 dst;
};

#define IP_HDR_LEN 20

/* IPv6 fixed header (RFC 8200 3): version, class and flow label share the first word. */
struct ip6_hdr {
	wire_u32 flow;
	wire_u16 plen;
	wire_u8 nxt;
	wire_u8 hlim;
	wire_ipv6 src;
	wire_ipv6 dst;
};

#define IP6_HDR_LEN 40

/* DNS message header (RFC 1035 4.1.1), also mDNS's (RFC 6762). */
struct dns_hdr {
	wire_u16 id;
	wire_u16 flags;
	wire_u16 qdcount;
	wire_u16 ancount;
	wire_u16 nscount;
	wire_u16 arcount;
};

#define DNS_HDR_LEN 12

#endif
