/* BGP-4 (RFC 4271) with multiprotocol (RFC 4760), capabilities (RFC 5492) and common path attributes, TCP port 179. */
#include <string.h>

#include "writers/print/print-int.h"

#define BGP_HDR_LEN 19
#define BGP_OPEN_LEN 29
#define BGP_NOTIFICATION_LEN 21

enum { BGP_OPEN = 1, BGP_UPDATE, BGP_NOTIFICATION, BGP_KEEPALIVE, BGP_ROUTE_REFRESH };

static const struct pr_tok msg_names[] = {
	{ BGP_OPEN, "Open" },
	{ BGP_UPDATE, "Update" },
	{ BGP_NOTIFICATION, "Notification" },
	{ BGP_KEEPALIVE, "Keepalive" },
	{ BGP_ROUTE_REFRESH, "Route Refresh" },
	{ 0, NULL },
};

enum {
	A_ORIGIN = 1,
	A_AS_PATH = 2,
	A_NEXT_HOP = 3,
	A_MED = 4,
	A_LOCAL_PREF = 5,
	A_ATOMIC_AGGREGATE = 6,
	A_AGGREGATOR = 7,
	A_COMMUNITIES = 8,
	A_ORIGINATOR_ID = 9,
	A_CLUSTER_LIST = 10,
	A_MP_REACH = 14,
	A_MP_UNREACH = 15,
	A_EXT_COMMUNITIES = 16,
	A_AS4_PATH = 17,
	A_AGGREGATOR4 = 18,
	A_AIGP = 26,
	A_LARGE_COMMUNITY = 32,
};

static const struct pr_tok attr_names[] = {
	{ A_ORIGIN, "Origin" },
	{ A_AS_PATH, "AS Path" },
	{ A_AS4_PATH, "AS4 Path" },
	{ A_NEXT_HOP, "Next Hop" },
	{ A_MED, "Multi Exit Discriminator" },
	{ A_LOCAL_PREF, "Local Preference" },
	{ A_ATOMIC_AGGREGATE, "Atomic Aggregate" },
	{ A_AGGREGATOR, "Aggregator" },
	{ A_AGGREGATOR4, "Aggregator4" },
	{ A_COMMUNITIES, "Community" },
	{ A_ORIGINATOR_ID, "Originator ID" },
	{ A_CLUSTER_LIST, "Cluster List" },
	{ 11, "DPA" },
	{ 12, "Advertisers" },
	{ 13, "RCID Path / Cluster ID" },
	{ A_MP_REACH, "Multi-Protocol Reach NLRI" },
	{ A_MP_UNREACH, "Multi-Protocol Unreach NLRI" },
	{ A_EXT_COMMUNITIES, "Extended Community" },
	{ 22, "PMSI Tunnel" },
	{ 23, "Tunnel Encapsulation" },
	{ 24, "Traffic Engineering" },
	{ 25, "IPv6 Extended Community" },
	{ A_AIGP, "Accumulated IGP Metric" },
	{ 27, "PE Distinguisher Label" },
	{ 28, "Entropy Label" },
	{ A_LARGE_COMMUNITY, "Large Community" },
	{ 128, "Attribute Set" },
	{ 255, "Reserved for development" },
	{ 0, NULL },
};

static const struct pr_tok origin_names[] = { { 0, "IGP" }, { 1, "EGP" }, { 2, "Incomplete" }, { 0, NULL } };

/* IANA address family numbers. */
static const struct pr_tok afi_names[] = {
	PR_IANA_AF_TOKS,
	{ 25, "Layer-2 VPN" },
	{ 196, "Layer-2 VPN (old)" },
	{ 0, NULL },
};

enum {
	SAFI_UNICAST = 1,
	SAFI_MULTICAST = 2,
	SAFI_UNIMULTICAST = 3,
	SAFI_LABUNICAST = 4,
	SAFI_VPNUNICAST = 128,
	SAFI_VPNMULTICAST = 129,
	SAFI_VPNUNIMULTICAST = 130,
};

static const struct pr_tok safi_names[] = {
	{ 0, "Reserved" },
	{ SAFI_UNICAST, "Unicast" },
	{ SAFI_MULTICAST, "Multicast" },
	{ SAFI_UNIMULTICAST, "Unicast+Multicast" },
	{ SAFI_LABUNICAST, "labeled Unicast" },
	{ 5, "Multicast VPN" },
	{ 64, "Tunnel" },
	{ 65, "VPLS" },
	{ 66, "MDT" },
	{ SAFI_VPNUNICAST, "labeled VPN Unicast" },
	{ SAFI_VPNMULTICAST, "labeled VPN Multicast" },
	{ SAFI_VPNUNIMULTICAST, "labeled VPN Unicast+Multicast" },
	{ 132, "Route Target Routing Information" },
	{ 0, NULL },
};

static const struct pr_tok capability_names[] = {
	{ 1, "Multiprotocol Extensions" },
	{ 2, "Route Refresh" },
	{ 3, "Cooperative Route Filtering" },
	{ 4, "Multiple Routes to a Destination" },
	{ 5, "Extended Next Hop Encoding" },
	{ 6, "Extended Message" },
	{ 7, "BGPsec" },
	{ 8, "Multiple Labels" },
	{ 64, "Graceful Restart" },
	{ 65, "32-Bit AS Number" },
	{ 67, "Dynamic Capability" },
	{ 69, "Multiple Paths" },
	{ 70, "Enhanced Route Refresh" },
	{ 71, "Long-lived Graceful Restart" },
	{ 128, "Route Refresh (Cisco)" },
	{ 0, NULL },
};

static const struct pr_tok notify_major_names[] = {
	{ 1, "Message Header Error" },	     { 2, "OPEN Message Error" },
	{ 3, "UPDATE Message Error" },	     { 4, "Hold Timer Expired" },
	{ 5, "Finite State Machine Error" }, { 6, "Cease" },
	{ 7, "Capability Message Error" },   { 0, NULL },
};

static const struct pr_tok notify_minor_msg[] = {
	{ 1, "Connection Not Synchronized" }, { 2, "Bad Message Length" }, { 3, "Bad Message Type" }, { 0, NULL }
};
static const struct pr_tok notify_minor_open[] = {
	{ 1, "Unsupported Version Number" }, { 2, "Bad Peer AS" },
	{ 3, "Bad BGP Identifier" },	     { 4, "Unsupported Optional Parameter" },
	{ 5, "Authentication Failure" },     { 6, "Unacceptable Hold Time" },
	{ 7, "Capability Message Error" },   { 0, NULL },
};
static const struct pr_tok notify_minor_update[] = {
	{ 1, "Malformed Attribute List" },
	{ 2, "Unrecognized Well-known Attribute" },
	{ 3, "Missing Well-known Attribute" },
	{ 4, "Attribute Flags Error" },
	{ 5, "Attribute Length Error" },
	{ 6, "Invalid ORIGIN Attribute" },
	{ 7, "AS Routing Loop" },
	{ 8, "Invalid NEXT_HOP Attribute" },
	{ 9, "Optional Attribute Error" },
	{ 10, "Invalid Network Field" },
	{ 11, "Malformed AS_PATH" },
	{ 0, NULL },
};
static const struct pr_tok notify_minor_fsm[] = {
	{ 0, "Unspecified Error" },
	{ 1, "In OpenSent State" },
	{ 2, "In OpenConfirm State" },
	{ 3, "In Established State" },
	{ 0, NULL },
};
/* RFC 4486 */
static const struct pr_tok notify_minor_cease[] = {
	{ 1, "Maximum Number of Prefixes Reached" },
	{ 2, "Administrative Shutdown" },
	{ 3, "Peer De-configured" },
	{ 4, "Administrative Reset" },
	{ 5, "Connection Rejected" },
	{ 6, "Other Configuration Change" },
	{ 7, "Connection Collision Resolution" },
	{ 8, "Out of Resources" },
	{ 0, NULL },
};
static const struct pr_tok notify_minor_cap[] = {
	{ 1, "Invalid Action Value" },
	{ 2, "Invalid Capability Length" },
	{ 3, "Malformed Capability Value" },
	{ 4, "Unsupported Capability Code" },
	{ 0, NULL },
};

/* Extended community types (RFC 4360), flags in the high bits of the type. */
static const struct pr_tok ext_comm_names[] = {
	{ 0x0002, "target" },	       { 0x0102, "target" },	      { 0x0202, "target" },
	{ 0x0003, "origin" },	       { 0x0103, "origin" },	      { 0x0203, "origin" },
	{ 0x4004, "link-BW" },	       { 0x0009, "mdt-group" },	      { 0x0005, "ospf-domain" },
	{ 0x0105, "ospf-domain" },     { 0x0205, "ospf-domain" },     { 0x8005, "ospf-domain" },
	{ 0x0306, "ospf-route-type" }, { 0x8000, "ospf-route-type" }, { 0x0107, "ospf-router-id" },
	{ 0x8001, "ospf-router-id" },  { 0x800a, "layer2-info" },     { 0, NULL },
};
static const struct pr_tok ext_comm_flags[] = { { 0x8000, "vendor-specific" },
						{ 0x4000, "non-transitive" },
						{ 0, NULL } };

/* An IPv4 (alen 4) or IPv6 (alen 16) prefix: length byte, then the significant bytes. Returns bytes used, -1 bad length. */
static int decode_prefix(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned alen, char *buf, size_t bufsz)
{
	uint8_t a[16];
	unsigned plen, bytes;

	if (len < 1)
		pr_trunc(ctx);
	plen = RD_U8(p);
	if (plen > alen * 8)
		return -1;
	bytes = (plen + 7) / 8;
	if (len < 1 + bytes)
		pr_trunc(ctx);
	NEED(p + 1, bytes);
	memset(a, 0, sizeof(a));
	memcpy(a, p + 1, bytes);
	if (plen % 8)
		a[bytes - 1] &= (uint8_t)(0xff00 >> (plen % 8));
	snprintf(buf, bufsz, "%s/%u", alen == 4 ? pr_ipv4_copy(ctx, a) : pr_ipv6_copy(ctx, a), plen);
	return (int)(1 + bytes);
}

/* RFC 3107: the prefix length counts one 3-byte label before the prefix bytes. */
static int decode_labeled_prefix(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned alen, char *buf,
				 size_t bufsz)
{
	uint8_t a[16];
	unsigned plen, bytes, label;

	if (len < 1)
		pr_trunc(ctx);
	plen = RD_U8(p);
	if (plen < 24)
		return -1;
	plen -= 24;
	if (plen > alen * 8)
		return -1;
	bytes = (plen + 7) / 8;
	if (len < 4 + bytes)
		pr_trunc(ctx);
	label = RD_BE24(p + 1);
	NEED(p + 4, bytes);
	memset(a, 0, sizeof(a));
	memcpy(a, p + 4, bytes);
	if (plen % 8)
		a[bytes - 1] &= (uint8_t)(0xff00 >> (plen % 8));
	snprintf(buf, bufsz, "%s/%u, label:%u %s", alen == 4 ? pr_ipv4_copy(ctx, a) : pr_ipv6_copy(ctx, a), plen,
		 label >> 4, (label & 1) ? "(bottom)" : "(BOGUS: Bottom of Stack NOT set!)");
	return (int)(4 + bytes);
}

/* RFC 4364 4.2 route distinguisher. */
static const char *rd_str(struct pctx *ctx, const uint8_t *p)
{
	char *s = pr_scratch(ctx);

	switch (RD_BE16(p)) {
	case 0:
		snprintf(s, PR_STR_LEN, "%u:%u (= %u.%u.%u.%u)", RD_BE16(p + 2), RD_BE32(p + 4), RD_U8(p + 4),
			 RD_U8(p + 5), RD_U8(p + 6), RD_U8(p + 7));
		break;
	case 1: snprintf(s, PR_STR_LEN, "%s:%u", pr_ipv4_num(ctx, p + 2), RD_BE16(p + 6)); break;
	case 2:
		snprintf(s, PR_STR_LEN, "%u:%u (%u.%u.%u.%u:%u)", RD_BE32(p + 2), RD_BE16(p + 6), RD_U8(p + 2),
			 RD_U8(p + 3), RD_U8(p + 4), RD_U8(p + 5), RD_BE16(p + 6));
		break;
	default: snprintf(s, PR_STR_LEN, "unknown RD format"); break;
	}
	return s;
}

/* RFC 4364 / 4659: label, RD, then the prefix; the length counts all three. */
static int decode_vpn_prefix(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned alen, char *buf, size_t bufsz)
{
	uint8_t a[16];
	unsigned plen, bytes, label;

	if (len < 1)
		pr_trunc(ctx);
	plen = RD_U8(p);
	if (plen < 88)
		return -1;
	plen -= 88;
	if (plen > alen * 8)
		return -1;
	bytes = (plen + 7) / 8;
	if (len < 12 + bytes)
		pr_trunc(ctx);
	label = RD_BE24(p + 1);
	NEED(p + 12, bytes);
	memset(a, 0, sizeof(a));
	memcpy(a, p + 12, bytes);
	if (plen % 8)
		a[bytes - 1] &= (uint8_t)(0xff00 >> (plen % 8));
	snprintf(buf, bufsz, "RD: %s, %s/%u, label:%u %s", rd_str(ctx, p + 4),
		 alen == 4 ? pr_ipv4_copy(ctx, a) : pr_ipv6_copy(ctx, a), plen, label >> 4,
		 (label & 1) ? "(bottom)" : "(BOGUS: Bottom of Stack NOT set!)");
	return (int)(12 + bytes);
}

static int af_supported(unsigned afi, unsigned safi)
{
	if (afi != 1 && afi != 2)
		return 0;
	switch (safi) {
	case SAFI_UNICAST:
	case SAFI_MULTICAST:
	case SAFI_UNIMULTICAST:
	case SAFI_LABUNICAST:
	case SAFI_VPNUNICAST:
	case SAFI_VPNMULTICAST:
	case SAFI_VPNUNIMULTICAST: return 1;
	default: return 0;
	}
}

/* One NLRI entry of afi/safi; returns bytes used, or -1 when the rest cannot be decoded. */
static int nlri_print(struct pctx *ctx, unsigned afi, unsigned safi, const uint8_t *p, unsigned len)
{
	char buf[512];
	unsigned alen = afi == 1 ? 4 : 16;
	int n;

	switch (safi) {
	case SAFI_UNICAST:
	case SAFI_MULTICAST:
	case SAFI_UNIMULTICAST: n = decode_prefix(ctx, p, len, alen, buf, sizeof(buf)); break;
	case SAFI_LABUNICAST: n = decode_labeled_prefix(ctx, p, len, alen, buf, sizeof(buf)); break;
	default: n = decode_vpn_prefix(ctx, p, len, alen, buf, sizeof(buf)); break;
	}
	if (n < 0) {
		pr_puts(ctx, "\n\t    (illegal prefix length)");
		return -1;
	}
	pr_printf(ctx, "\n\t      %s", buf);
	return n;
}

/* AFI and SAFI of an MP attribute; 0 when tcpdump has no decoder for them (after saying so). */
static int mp_af_print(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned *afi, unsigned *safi)
{
	*afi = RD_BE16(p);
	*safi = RD_U8(p + 2);
	pr_printf(ctx, "\n\t    AFI: %s (%u), %sSAFI: %s (%u)", pr_tok_str(ctx, afi_names, "Unknown AFI", *afi), *afi,
		  *safi > 128 ? "vendor specific " : "", pr_tok_str(ctx, safi_names, "Unknown SAFI", *safi), *safi);
	if (af_supported(*afi, *safi))
		return 1;
	NEED(p, len);
	pr_printf(ctx, "\n\t    no AFI %u / SAFI %u decoder", *afi, *safi);
	if (ctx->opts.verbose <= 1)
		pr_unknown_data(ctx, p, "\n\t    ", len);
	return 0;
}

/* 2 when an AS_PATH of len bytes parses exactly with 2-byte AS numbers, else 4 (RFC 6793 without the capability in hand). */
static unsigned as_path_as_size(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned off = 0;

	while (off + 2 <= len) {
		unsigned type = RD_U8(p + off), n = RD_U8(p + off + 1);

		if (type < 1 || type > 4)
			return 4;
		off += 2 + n * 2;
	}
	return off == len ? 2 : 4;
}

static void as_path_print(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned as_size)
{
	static const char *const open[] = { "?", "{ ", "", "( ", "({ " };
	static const char *const close[] = { "?", "}", "", ")", "})" };
	const uint8_t *end = p + len;

	while (p < end) {
		unsigned type = RD_U8(p), n = RD_U8(p + 1), i;

		pr_puts(ctx, type <= 4 ? open[type] : "?");
		for (i = 0; i < n; i++)
			pr_printf(ctx, "%u ", as_size == 2 ? RD_BE16(p + 2 + i * 2) : RD_BE32(p + 2 + i * 4));
		pr_puts(ctx, type <= 4 ? close[type] : "?");
		p += 2 + n * as_size;
	}
}

static void mp_reach_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	const uint8_t *q = p, *end = p + len;
	unsigned afi, safi, nhlen, tnh, nnh = 0, snpa, tlen = len;

	if (len < 3)
		pr_trunc(ctx);
	if (!mp_af_print(ctx, p, len, &afi, &safi))
		return;
	q += 3;
	tlen -= 3;
	nhlen = RD_U8(q);
	q++;
	tlen--;
	if (nhlen) {
		unsigned alen = afi == 1 ? 4 : 16, rd = safi >= SAFI_VPNUNICAST ? 8 : 0;

		if (tlen < nhlen)
			pr_trunc(ctx);
		pr_puts(ctx, "\n\t    nexthop: ");
		tnh = nhlen;
		while (tnh != 0) {
			if (nnh++ > 0)
				pr_puts(ctx, ", ");
			if (tnh < alen + rd) {
				pr_puts(ctx, "invalid len");
				q += tnh;
				tlen -= tnh;
				tnh = 0;
				break;
			}
			if (rd)
				pr_printf(ctx, "RD: %s, %s", rd_str(ctx, q),
					  alen == 4 ? RD_IPV4(q + rd) : RD_IPV6(q + rd));
			else
				pr_puts(ctx, alen == 4 ? RD_IPV4(q) : RD_IPV6(q));
			q += alen + rd;
			tnh -= alen + rd;
			tlen -= alen + rd;
		}
	}
	pr_printf(ctx, ", nh-length: %u", nhlen);
	if (tlen < 1)
		pr_trunc(ctx);
	snpa = RD_U8(q);
	q++;
	tlen--;
	if (snpa) {
		pr_printf(ctx, "\n\t    %u SNPA", snpa);
		for (; snpa != 0; snpa--) {
			unsigned slen = RD_U8(q);

			pr_printf(ctx, "\n\t      %u bytes", slen);
			q += 1 + slen;
			if (tlen < 1 + slen)
				pr_trunc(ctx);
			tlen -= 1 + slen;
		}
	} else {
		pr_puts(ctx, ", no SNPA");
	}
	while (q < end) {
		int n = nlri_print(ctx, afi, safi, q, (unsigned)(end - q));

		if (n < 0)
			break;
		q += n;
	}
}

static void mp_unreach_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	const uint8_t *q = p + 3, *end = p + len;
	unsigned afi, safi;

	if (len < 3)
		pr_trunc(ctx);
	if (!mp_af_print(ctx, p, len, &afi, &safi))
		return;
	if (len == 3)
		pr_puts(ctx, "\n\t      End-of-Rib Marker (empty NLRI)");
	while (q < end) {
		int n = nlri_print(ctx, afi, safi, q, (unsigned)(end - q));

		if (n < 0)
			break;
		q += n;
	}
}

static void ext_communities_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	if (len % 8) {
		pr_puts(ctx, "invalid len");
		return;
	}
	for (; len; p += 8, len -= 8) {
		unsigned type = RD_BE16(p);

		pr_printf(ctx, "\n\t    %s (0x%04x), Flags [%s]",
			  pr_tok_str(ctx, ext_comm_names, "unknown extd community typecode", type), type,
			  pr_bits_str(ctx, ext_comm_flags, "none", ", ", type));
		switch (type) {
		case 0x0002:
		case 0x0003:
			pr_printf(ctx, ": %u:%u (= %s)", RD_BE16(p + 2), RD_BE32(p + 4), pr_ipv4_num(ctx, p + 4));
			break;
		case 0x0102:
		case 0x0103: pr_printf(ctx, ": %s:%u", pr_ipv4_num(ctx, p + 2), RD_BE16(p + 6)); break;
		case 0x0202:
		case 0x0203: pr_printf(ctx, ": %u:%u", RD_BE32(p + 2), RD_BE16(p + 6)); break;
		case 0x4004: {
			uint32_t bits = RD_BE32(p + 4);
			float bw;

			/* single precision throughout, as tcpdump computes it */
			memcpy(&bw, &bits, sizeof(bw));
			bw = bw * 8 / 1000000;
			pr_printf(ctx, ": bandwidth: %.3f Mbps", (double)bw);
			break;
		}
		default: pr_unknown_data(ctx, p, "\n\t      ", 8); break;
		}
	}
}

static void aigp_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	/* RFC 7311 3: type, 2-byte length counting the 3-byte header, value */
	while (len >= 3) {
		unsigned type = RD_U8(p), tlv_len = RD_BE16(p + 1);

		p += 3;
		len -= 3;
		pr_printf(ctx, "\n\t    %s TLV (%u), length %u", type == 1 ? "AIGP" : "Unknown", type, tlv_len);
		if (tlv_len < 3)
			pr_trunc(ctx);
		tlv_len -= 3;
		NEED(p, tlv_len);
		if (type == 1) {
			if (tlv_len < 8)
				pr_trunc(ctx);
			pr_printf(ctx, ", metric %llu", (unsigned long long)RD_BE64(p));
		} else if (ctx->opts.verbose <= 1) {
			pr_unknown_data(ctx, p, "\n\t      ", tlv_len);
		}
		if (len < tlv_len)
			pr_trunc(ctx);
		p += tlv_len;
		len -= tlv_len;
	}
}

static void attr_print(struct pctx *ctx, unsigned type, const uint8_t *p, unsigned len)
{
	unsigned i;

	switch (type) {
	case A_ORIGIN:
		if (len != 1)
			pr_puts(ctx, "invalid len");
		else
			pr_puts(ctx, pr_tok_str(ctx, origin_names, "Unknown Origin Typecode", RD_U8(p)));
		break;
	case A_AS_PATH:
	case A_AS4_PATH:
		if (len % 2) {
			pr_puts(ctx, "invalid len");
			break;
		}
		if (!len) {
			pr_puts(ctx, "empty");
			break;
		}
		as_path_print(ctx, p, len, type == A_AS4_PATH ? 4 : as_path_as_size(ctx, p, len));
		break;
	case A_NEXT_HOP:
	case A_ORIGINATOR_ID:
		if (len != 4)
			pr_puts(ctx, "invalid len");
		else
			pr_puts(ctx, RD_IPV4(p));
		break;
	case A_MED:
	case A_LOCAL_PREF:
		if (len != 4)
			pr_puts(ctx, "invalid len");
		else
			pr_printf(ctx, "%u", RD_BE32(p));
		break;
	case A_ATOMIC_AGGREGATE:
		if (len != 0)
			pr_puts(ctx, "invalid len");
		break;
	case A_AGGREGATOR:
		if (len == 6)
			pr_printf(ctx, " AS #%u, origin %s", RD_BE16(p), RD_IPV4(p + 2));
		else if (len == 8)
			pr_printf(ctx, " AS #%u, origin %s", RD_BE32(p), RD_IPV4(p + 4));
		else
			pr_puts(ctx, "invalid len");
		break;
	case A_AGGREGATOR4:
		if (len != 8)
			pr_puts(ctx, "invalid len");
		else
			pr_printf(ctx, " AS #%u, origin %s", RD_BE32(p), RD_IPV4(p + 4));
		break;
	case A_COMMUNITIES:
		if (len % 4) {
			pr_puts(ctx, "invalid len");
			break;
		}
		/* tcpdump's layout: well-known names with a leading space, others with a trailing ", " */
		for (i = 0; i < len; i += 4) {
			uint32_t c = RD_BE32(p + i);

			if (c == 0xffffff01)
				pr_puts(ctx, " NO_EXPORT");
			else if (c == 0xffffff02)
				pr_puts(ctx, " NO_ADVERTISE");
			else if (c == 0xffffff03)
				pr_puts(ctx, " NO_EXPORT_SUBCONFED");
			else
				pr_printf(ctx, "%u:%u%s", c >> 16, c & 0xffff, len - i > 4 ? ", " : "");
		}
		break;
	case A_CLUSTER_LIST:
		if (len % 4) {
			pr_puts(ctx, "invalid len");
			break;
		}
		for (i = 0; i < len; i += 4)
			pr_printf(ctx, "%s%s", RD_IPV4(p + i), len - i > 4 ? ", " : "");
		break;
	case A_MP_REACH: mp_reach_print(ctx, p, len); break;
	case A_MP_UNREACH: mp_unreach_print(ctx, p, len); break;
	case A_EXT_COMMUNITIES: ext_communities_print(ctx, p, len); break;
	case A_AIGP: aigp_print(ctx, p, len); break;
	case A_LARGE_COMMUNITY:
		if (len == 0 || len % 12) {
			pr_puts(ctx, "invalid len");
			break;
		}
		pr_puts(ctx, "\n\t    ");
		for (i = 0; i < len; i += 12)
			pr_printf(ctx, "%u:%u:%u%s", RD_BE32(p + i), RD_BE32(p + i + 4), RD_BE32(p + i + 8),
				  len - i > 12 ? ", " : "");
		/* tcpdump consumes the length here, so no -vv dump follows */
		return;
	default:
		NEED(p, len);
		pr_printf(ctx, "\n\t    no Attribute %u decoder", type);
		if (ctx->opts.verbose <= 1)
			pr_unknown_data(ctx, p, "\n\t    ", len);
		break;
	}
	if (ctx->opts.verbose > 1 && len) {
		NEED(p, len);
		pr_unknown_data(ctx, p, "\n\t    ", len);
	}
}

/* Withdrawn routes or NLRI of an UPDATE: IPv4 prefixes. */
static void prefixes4_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	char buf[64];

	while (len > 0) {
		int n = decode_prefix(ctx, p, len, 4, buf, sizeof(buf));

		if (n < 0) {
			pr_puts(ctx, "\n\t    (illegal prefix length)");
			return;
		}
		pr_printf(ctx, "\n\t    %s", buf);
		p += n;
		len -= (unsigned)n;
	}
}

static void update_print(struct pctx *ctx, const uint8_t *dat, unsigned length)
{
	const uint8_t *p = dat + BGP_HDR_LEN;
	unsigned wlen, alen;

	if (length < BGP_HDR_LEN + 2)
		pr_trunc(ctx);
	length -= BGP_HDR_LEN;
	wlen = RD_BE16(p);
	p += 2;
	length -= 2;
	if (wlen) {
		if (length < wlen)
			pr_trunc(ctx);
		pr_puts(ctx, "\n\t  Withdrawn routes:");
		prefixes4_print(ctx, p, wlen);
		p += wlen;
		length -= wlen;
	}
	if (length < 2)
		pr_trunc(ctx);
	alen = RD_BE16(p);
	p += 2;
	length -= 2;
	if (wlen == 0 && alen == 0 && length == 0) {
		pr_puts(ctx, "\n\t  End-of-Rib Marker (empty NLRI)");
		return;
	}
	if (length < alen)
		pr_trunc(ctx);
	length -= alen;
	/* an attribute that does not fit what is left says so, and the NLRI after the attributes still print */
	while (alen) {
		unsigned flags, type, hlen, vlen;

		if (alen < 2) {
			pr_puts(ctx, "\n\t  [path attrs too short]");
			break;
		}
		flags = RD_U8(p);
		type = RD_U8(p + 1);
		hlen = (flags & 0x10) ? 4 : 3;
		if (alen < hlen) {
			pr_puts(ctx, "\n\t  [path attrs too short]");
			break;
		}
		vlen = (flags & 0x10) ? RD_BE16(p + 2) : RD_U8(p + 2);
		p += hlen;
		alen -= hlen;
		pr_printf(ctx, "\n\t  %s (%u), length: %u", pr_tok_str(ctx, attr_names, "Unknown Attribute", type),
			  type, vlen);
		if (flags) {
			pr_printf(ctx, ", Flags [%s%s%s%s", flags & 0x80 ? "O" : "", flags & 0x40 ? "T" : "",
				  flags & 0x20 ? "P" : "", flags & 0x10 ? "E" : "");
			if (flags & 0xf)
				pr_printf(ctx, "+%x", flags & 0xf);
			pr_puts(ctx, "]: ");
		}
		if (alen < vlen) {
			pr_puts(ctx, " [path attrs too short]");
			break;
		}
		attr_print(ctx, type, p, vlen);
		p += vlen;
		alen -= vlen;
	}
	p += alen;
	if (length) {
		pr_puts(ctx, "\n\t  Updated routes:");
		prefixes4_print(ctx, p, length);
	}
}

static void capabilities_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned i = 0;

	while (i + 2 <= len) {
		unsigned type = RD_U8(p + i), clen = RD_U8(p + i + 1);
		const uint8_t *v = p + i + 2;

		pr_printf(ctx, "\n\t      %s (%u), length: %u", pr_tok_str(ctx, capability_names, "Unknown", type),
			  type, clen);
		NEED(v, clen);
		switch (type) {
		case 1:
			if (clen < 4) {
				pr_puts(ctx, " (too short, < 4)");
				return;
			}
			pr_printf(ctx, "\n\t\tAFI %s (%u), SAFI %s (%u)",
				  pr_tok_str(ctx, afi_names, "Unknown", RD_BE16(v)), RD_BE16(v),
				  pr_tok_str(ctx, safi_names, "Unknown", RD_U8(v + 3)), RD_U8(v + 3));
			break;
		case 64: {
			unsigned off;

			if (clen < 2) {
				pr_puts(ctx, " (too short, < 2)");
				return;
			}
			pr_printf(ctx, "\n\t\tRestart Flags: [%s], Restart Time %us", (RD_U8(v) & 0x80) ? "R" : "none",
				  RD_BE16(v) & 0xfff);
			for (off = 2; off + 4 <= clen; off += 4)
				pr_printf(ctx, "\n\t\t  AFI %s (%u), SAFI %s (%u), Forwarding state preserved: %s",
					  pr_tok_str(ctx, afi_names, "Unknown", RD_BE16(v + off)), RD_BE16(v + off),
					  pr_tok_str(ctx, safi_names, "Unknown", RD_U8(v + off + 2)),
					  RD_U8(v + off + 2), (RD_U8(v + off + 3) & 0x80) ? "yes" : "no");
			break;
		}
		case 69: {
			unsigned off;

			/* RFC 7911 4: AFI, SAFI, send/receive per entry */
			for (off = 0; off + 4 <= clen; off += 4) {
				unsigned sr = RD_U8(v + off + 3);

				pr_printf(ctx, "\n\t\tAFI %s (%u), SAFI %s (%u), Send/Receive: %s",
					  pr_tok_str(ctx, afi_names, "Unknown", RD_BE16(v + off)), RD_BE16(v + off),
					  pr_tok_str(ctx, safi_names, "Unknown", RD_U8(v + off + 2)),
					  RD_U8(v + off + 2),
					  sr == 1   ? "Receive"
					  : sr == 2 ? "Send"
					  : sr == 3 ? "Both"
						    : "Bogus");
			}
			break;
		}
		case 2:
		case 128: break;
		case 65:
			if (clen < 4) {
				pr_puts(ctx, " (too short, < 4)");
				return;
			}
			pr_printf(ctx, "\n\t\t 4 Byte AS %u", RD_BE32(v));
			break;
		default:
			pr_printf(ctx, "\n\t\tno decoder for Capability %u", type);
			if (ctx->opts.verbose <= 1)
				pr_unknown_data(ctx, v, "\n\t\t", clen);
			break;
		}
		if (ctx->opts.verbose > 1 && clen)
			pr_unknown_data(ctx, v, "\n\t\t", clen);
		i += 2 + clen;
	}
}

static void open_print(struct pctx *ctx, const uint8_t *dat, unsigned length)
{
	const uint8_t *opt;
	unsigned optlen, i = 0;

	if (length < BGP_OPEN_LEN)
		pr_trunc(ctx);
	pr_printf(ctx, "\n\t  Version %u, ", RD_U8(dat + 19));
	pr_printf(ctx, "my AS %u, ", RD_BE16(dat + 20));
	pr_printf(ctx, "Holdtime %us, ", RD_BE16(dat + 22));
	pr_printf(ctx, "ID %s", RD_IPV4(dat + 24));
	optlen = RD_U8(dat + 28);
	pr_printf(ctx, "\n\t  Optional parameters, length: %u", optlen);
	opt = dat + BGP_OPEN_LEN;
	while (i < optlen) {
		unsigned type = RD_U8(opt + i), olen = RD_U8(opt + i + 1);

		if (i + 2 + olen > optlen) {
			pr_printf(ctx, "\n\t     Option %u, length: %u, goes past the end of the options", type, olen);
			break;
		}
		pr_printf(ctx, "\n\t    Option %s (%u), length: %u",
			  type == 1   ? "Authentication Information"
			  : type == 2 ? "Capabilities Advertisement"
				      : "Unknown",
			  type, olen);
		if (type == 2)
			capabilities_print(ctx, opt + i + 2, olen);
		else
			pr_printf(ctx, "\n\t      no decoder for option %u", type);
		i += 2 + olen;
	}
}

static void notification_print(struct pctx *ctx, const uint8_t *dat, unsigned length)
{
	static const struct pr_tok *const minors[] = { NULL, notify_minor_msg, notify_minor_open,  notify_minor_update,
						       NULL, notify_minor_fsm, notify_minor_cease, notify_minor_cap };
	unsigned major, minor;

	if (length < BGP_NOTIFICATION_LEN)
		pr_trunc(ctx);
	major = RD_U8(dat + 19);
	minor = RD_U8(dat + 20);
	pr_printf(ctx, ", %s (%u)", pr_tok_str(ctx, notify_major_names, "Unknown Error", major), major);
	if (major < 8 && minors[major])
		pr_printf(ctx, ", subcode %s (%u)", pr_tok_str(ctx, minors[major], "Unknown", minor), minor);
	if (major != 6)
		return;
	if (minor == 1 && length >= BGP_NOTIFICATION_LEN + 7) {
		const uint8_t *t = dat + BGP_NOTIFICATION_LEN;

		pr_printf(ctx, ", AFI %s (%u), SAFI %s (%u), Max Prefixes: %u",
			  pr_tok_str(ctx, afi_names, "Unknown", RD_BE16(t)), RD_BE16(t),
			  pr_tok_str(ctx, safi_names, "Unknown", RD_U8(t + 2)), RD_U8(t + 2), RD_BE32(t + 3));
	}
	/* RFC 8203: a UTF-8 shutdown communication after Administrative Shutdown or Reset */
	if ((minor == 2 || minor == 4) && length >= BGP_NOTIFICATION_LEN + 1) {
		const uint8_t *t = dat + BGP_NOTIFICATION_LEN;
		unsigned clen = RD_U8(t), used = 0;

		if (clen > 128 || clen > length - (BGP_NOTIFICATION_LEN + 1)) {
			pr_puts(ctx, ", invalid Shutdown Communication length");
		} else if (clen == 0) {
			pr_puts(ctx, ", empty Shutdown Communication");
			used = 1;
		} else {
			pr_printf(ctx, ", Shutdown Communication (length: %u): \"", clen);
			pr_str_n(ctx, t + 1, clen);
			pr_putc(ctx, '"');
			used = clen + 1;
		}
		if (length > used + BGP_NOTIFICATION_LEN) {
			unsigned rest = length - (used + BGP_NOTIFICATION_LEN);

			pr_printf(ctx, ", Data: (length: %u)", rest);
			pr_hex(ctx, "\n\t\t", t + used, rest);
		}
	}
}

static void route_refresh_print(struct pctx *ctx, const uint8_t *dat, unsigned length)
{
	unsigned afi, safi;

	if (length < BGP_HDR_LEN + 4)
		pr_trunc(ctx);
	afi = RD_BE16(dat + 19);
	safi = RD_U8(dat + 22);
	pr_printf(ctx, "\n\t  AFI %s (%u), SAFI %s (%u)", pr_tok_str(ctx, afi_names, "Unknown", afi), afi,
		  pr_tok_str(ctx, safi_names, "Unknown", safi), safi);
	if (ctx->opts.verbose > 1) {
		NEED(dat, length);
		pr_unknown_data(ctx, dat, "\n\t  ", length);
	}
}

static void pdu_print(struct pctx *ctx, const uint8_t *dat, unsigned length)
{
	unsigned type = RD_U8(dat + 18);

	pr_printf(ctx, "\n\t%s Message (%u), length: %u", pr_tok_str(ctx, msg_names, "Unknown", type), type, length);
	switch (type) {
	case BGP_OPEN: open_print(ctx, dat, length); break;
	case BGP_UPDATE: update_print(ctx, dat, length); break;
	case BGP_NOTIFICATION: notification_print(ctx, dat, length); break;
	case BGP_KEEPALIVE: break;
	case BGP_ROUTE_REFRESH: route_refresh_print(ctx, dat, length); break;
	default:
		NEED(dat, length);
		pr_printf(ctx, "\n\t  no Message %u decoder", type);
		pr_unknown_data(ctx, dat, "\n\t  ", length);
		break;
	}
}

/* A TCP segment to or from port 179: every message whose 16-byte all-ones marker starts in it. */
void bgp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	const uint8_t *p = bp, *end = bp + length, *start = bp;

	PR_PROTO(ctx, "bgp");
	pr_puts(ctx, ": BGP");
	if (!ctx->opts.verbose)
		return;
	if (end > ctx->end)
		end = ctx->end;
	while (p < end) {
		unsigned i, hlen;

		if (RD_U8(p) != 0xff) {
			p++;
			continue;
		}
		if (!HAVE(p, 16))
			break;
		for (i = 0; i < 16 && p[i] == 0xff; i++)
			;
		if (i < 16) {
			p++;
			continue;
		}
		NEED(p, BGP_HDR_LEN);
		/* bytes skipped to reach this marker: tcpdump marks them as a truncation */
		if (start != p)
			pr_trunc_mark(ctx);
		hlen = RD_BE16(p + 16);
		if (hlen < BGP_HDR_LEN) {
			pr_printf(ctx, "\nmessage length %u < %u", hlen, BGP_HDR_LEN);
			pr_invalid(ctx);
			break;
		}
		if (!HAVE(p, hlen)) {
			pr_printf(ctx, "\n[|BGP %s]",
				  pr_tok_str(ctx, msg_names, "Unknown Message Type", RD_U8(p + 18)));
			break;
		}
		pdu_print(ctx, p, hlen);
		p += hlen;
		start = p;
	}
}
