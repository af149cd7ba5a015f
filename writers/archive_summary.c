/*
 * The index's per-segment summary: every IPv4/IPv6 address (with its /24 and
 * /16, or /64 and /48, for `net`), TCP/UDP/SCTP port and IP protocol seen in
 * a packet goes in. It only has to say "maybe" for everything a filter's
 * address, port or protocol term could match, so it takes more than libpcap
 * would match (VLAN-tagged frames, IPv6 extension headers, ARP addresses):
 * extra keys cost false positives, a missing key would lose packets.
 */
#include <string.h>

#include "writers/archive_index.h"

#define LINKTYPE_NULL 0
#define LINKTYPE_EN10MB 1
#define DLT_RAW_LINUX 12
#define DLT_RAW_BSD 14
#define LINKTYPE_RAW 101
#define LINKTYPE_LOOP 108
#define LINKTYPE_LINUX_SLL 113
#define LINKTYPE_IPV4 228
#define LINKTYPE_IPV6 229
#define LINKTYPE_LINUX_SLL2 276

#define ETH_IP4 0x0800
#define ETH_ARP 0x0806
#define ETH_RARP 0x8035
#define ETH_IP6 0x86dd

/* The entry being filled, and what its Bloom filter already holds (NULL: not kept). */
struct summary_ctx {
	struct index_entry *e;
	struct summary_seen *seen;
};

/* Is v (16 bits) marked in the map? Marks it. */
static bool seen16(uint8_t *map, const uint8_t *v)
{
	unsigned k = (unsigned)v[0] << 8 | v[1];
	bool was = map[k >> 3] & (1u << (k & 7));

	map[k >> 3] |= (uint8_t)(1u << (k & 7));
	return was;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void set_proto(struct summary_ctx *c, uint8_t proto)
{
	c->e->protos[proto >> 3] |= (uint8_t)(1u << (proto & 7));
}

static void add_ip4(struct summary_ctx *c, const uint8_t *a)
{
	bloom_add(c->e->bloom, KEY_IP4, a, 4);
	bloom_add(c->e->bloom, KEY_IP4_24, a, 3);
	if (!c->seen || !seen16(c->seen->net16, a))
		bloom_add(c->e->bloom, KEY_IP4_16, a, 2);
}

static void add_ip6(struct summary_ctx *c, const uint8_t *a)
{
	bloom_add(c->e->bloom, KEY_IP6, a, 16);
	bloom_add(c->e->bloom, KEY_IP6_64, a, 8);
	bloom_add(c->e->bloom, KEY_IP6_48, a, 6);
}

static void add_ports(struct summary_ctx *c, uint8_t proto, const uint8_t *l4, uint32_t left)
{
	if ((proto != 6 && proto != 17 && proto != 132) || left < 4)
		return;
	if (!c->seen || !seen16(c->seen->port, l4))
		bloom_add(c->e->bloom, KEY_PORT, l4, 2);
	if (!c->seen || !seen16(c->seen->port, l4 + 2))
		bloom_add(c->e->bloom, KEY_PORT, l4 + 2, 2);
}

static void ip4(struct summary_ctx *c, const uint8_t *p, uint32_t left)
{
	uint32_t ihl;

	if (left < 20 || (p[0] >> 4) != 4)
		return;
	ihl = (p[0] & 0x0fu) * 4;
	set_proto(c, p[9]);
	add_ip4(c, p + 12);
	add_ip4(c, p + 16);
	/* Ports only in a first fragment, as libpcap looks for them. */
	if ((be16(p + 6) & 0x1fff) == 0 && ihl >= 20 && ihl <= left)
		add_ports(c, p[9], p + ihl, left - ihl);
}

static void ip6(struct summary_ctx *c, const uint8_t *p, uint32_t left)
{
	uint8_t nh;
	uint32_t off = 40;

	if (left < 40 || (p[0] >> 4) != 6)
		return;
	add_ip6(c, p + 8);
	add_ip6(c, p + 24);
	nh = p[6];
	/* Every next header on the way counts: `tcp` must not miss a segment behind an extension header. */
	for (int hops = 0; hops < 8; hops++) {
		set_proto(c, nh);
		if (nh == 0 || nh == 43 || nh == 60 || nh == 51 || nh == 44) {
			uint32_t len;

			if (off + 8 > left)
				return;
			if (nh == 44) {
				if (be16(p + off + 2) & 0xfff8)
					return; /* not the first fragment: no ports */
				len = 8;
			} else if (nh == 51) {
				len = ((uint32_t)p[off + 1] + 2) * 4;
			} else {
				len = ((uint32_t)p[off + 1] + 1) * 8;
			}
			nh = p[off];
			off += len;
			continue;
		}
		if (off <= left)
			add_ports(c, nh, p + off, left - off);
		return;
	}
}

static void arp(struct summary_ctx *c, const uint8_t *p, uint32_t left)
{
	uint32_t hlen, plen;

	if (left < 8)
		return;
	hlen = p[4];
	plen = p[5];
	if (be16(p + 2) != ETH_IP4 || plen != 4 || 8 + 2 * hlen + 8 > left)
		return;
	add_ip4(c, p + 8 + hlen);
	add_ip4(c, p + 8 + 2 * hlen + 4);
}

static void network(struct summary_ctx *c, uint16_t type, const uint8_t *p, uint32_t left)
{
	if (type == ETH_IP4)
		ip4(c, p, left);
	else if (type == ETH_IP6)
		ip6(c, p, left);
	else if (type == ETH_ARP || type == ETH_RARP)
		arp(c, p, left);
}

static void ethernet(struct summary_ctx *c, const uint8_t *p, uint32_t len)
{
	uint32_t off = 12;

	if (len < 14)
		return;
	/* 802.1Q, 802.1ad and the old QinQ tag: `vlan` filters reach behind them, so the summary does. */
	for (int tags = 0; tags < 4 && off + 6 <= len; tags++) {
		uint16_t t = be16(p + off);

		if (t != 0x8100 && t != 0x88a8 && t != 0x9100)
			break;
		off += 4;
	}
	if (off + 2 <= len)
		network(c, be16(p + off), p + off + 2, len - off - 2);
}

/* DLT_NULL holds the address family in the writer's byte order; DLT_LOOP in network order. */
static void null_family(struct summary_ctx *c, const uint8_t *p, uint32_t len)
{
	uint32_t le, be;

	if (len < 4)
		return;
	le = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	be = __builtin_bswap32(le);
	if (le == 2 || be == 2)
		ip4(c, p + 4, len - 4);
	else if (le == 10 || le == 24 || le == 28 || le == 30 || be == 10 || be == 24 || be == 28 || be == 30)
		ip6(c, p + 4, len - 4);
}

bool summary_add_packet(struct index_entry *e, struct summary_seen *seen, uint32_t linktype, const uint8_t *pkt,
			uint32_t caplen)
{
	struct summary_ctx ctx = { e, seen }, *c = &ctx;

	switch (linktype) {
	case LINKTYPE_EN10MB: ethernet(c, pkt, caplen); return true;
	case DLT_RAW_LINUX:
	case DLT_RAW_BSD:
	case LINKTYPE_RAW:
	case LINKTYPE_IPV4:
	case LINKTYPE_IPV6:
		if (caplen && (pkt[0] >> 4) == 4)
			ip4(c, pkt, caplen);
		else if (caplen && (pkt[0] >> 4) == 6)
			ip6(c, pkt, caplen);
		return true;
	case LINKTYPE_LINUX_SLL:
		if (caplen >= 16)
			network(c, be16(pkt + 14), pkt + 16, caplen - 16);
		return true;
	case LINKTYPE_LINUX_SLL2:
		if (caplen >= 20)
			network(c, be16(pkt), pkt + 20, caplen - 20);
		return true;
	case LINKTYPE_NULL:
	case LINKTYPE_LOOP: null_family(c, pkt, caplen); return true;
	default: return false;
	}
}
