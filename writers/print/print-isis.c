/* OSI network layer dispatch by NLPID (ISO/IEC TR 9577) and IS-IS (ISO/IEC 10589, RFC 1195, RFC 5305, RFC 5308, RFC 6232). */
#include "writers/print/print-gmpls.h"
#include "writers/print/print-int.h"

#define ISIS_COMMON_LEN 8
#define ISIS_IIH_LAN_LEN 19
#define ISIS_IIH_PTP_LEN 12
#define ISIS_LSP_LEN 19
#define ISIS_CSNP_LEN 25
#define ISIS_PSNP_LEN 9
#define SYSTEM_ID_LEN 6
#define NODE_ID_LEN 7
#define LSP_ID_LEN 8

enum {
	NLPID_NULLNS = 0x00,
	NLPID_CLNP = 0x81,
	NLPID_ESIS = 0x82,
	NLPID_ISIS = 0x83,
	NLPID_IP6 = 0x8e,
	NLPID_IP = 0xcc,
	NLPID_PPP = 0xcf
};

static const struct pr_tok nlpid_names[] = {
	{ 0x00, "NULL" },
	{ 0x08, "Q.933" },
	{ 0x80, "IETF SNAP" },
	{ 0x81, "ISO8473/CLNP" },
	{ 0x82, "ISO9542/ESIS" },
	{ 0x83, "IS-IS" },
	{ 0x8e, "IPv6" },
	{ 0xb0, "FRF.9" },
	{ 0xb1, "FRF.12" },
	{ 0xc0, "TRILL" },
	{ 0xc1, "IEEE 802.1aq/SPB" },
	{ 0xcc, "IPv4" },
	{ 0xcf, "PPP" },
	{ 0, NULL },
};

enum {
	PDU_L1_LAN_IIH = 15,
	PDU_L2_LAN_IIH = 16,
	PDU_PTP_IIH = 17,
	PDU_L1_LSP = 18,
	PDU_L2_LSP = 20,
	PDU_L1_CSNP = 24,
	PDU_L2_CSNP = 25,
	PDU_L1_PSNP = 26,
	PDU_L2_PSNP = 27,
};

static const struct pr_tok pdu_names[] = {
	{ PDU_L1_LAN_IIH, "L1 Lan IIH" }, { PDU_L2_LAN_IIH, "L2 Lan IIH" },
	{ PDU_PTP_IIH, "p2p IIH" },	  { PDU_L1_LSP, "L1 LSP" },
	{ PDU_L2_LSP, "L2 LSP" },	  { PDU_L1_CSNP, "L1 CSNP" },
	{ PDU_L2_CSNP, "L2 CSNP" },	  { PDU_L1_PSNP, "L1 PSNP" },
	{ PDU_L2_PSNP, "L2 PSNP" },	  { 0, NULL },
};

static const struct pr_tok tlv_names[] = {
	{ 1, "Area address(es)" },
	{ 2, "IS Reachability" },
	{ 3, "ES Neighbor(s)" },
	{ 4, "Partition DIS" },
	{ 5, "Prefix Neighbors" },
	{ 6, "IS Neighbor(s)" },
	{ 7, "Instance Identifier" },
	{ 8, "Padding" },
	{ 9, "LSP entries" },
	{ 10, "Authentication" },
	{ 12, "Checksum" },
	{ 13, "Purge Originator Identifier" },
	{ 14, "LSP Buffersize" },
	{ 22, "Extended IS Reachability" },
	{ 24, "IS Alias ID" },
	{ 42, "DECnet Phase IV" },
	{ 66, "Lucent Proprietary" },
	{ 128, "IPv4 Internal Reachability" },
	{ 129, "Protocols supported" },
	{ 130, "IPv4 External Reachability" },
	{ 131, "Inter-Domain Information Type" },
	{ 132, "IPv4 Interface address(es)" },
	{ 133, "IPv4 authentication (deprecated)" },
	{ 134, "Traffic Engineering Router ID" },
	{ 135, "Extended IPv4 Reachability" },
	{ 137, "Hostname" },
	{ 138, "Shared Risk Link Group" },
	{ 143, "MT-Port-Capability" },
	{ 144, "MT-Capability" },
	{ 176, "Nortel Proprietary" },
	{ 177, "Nortel Proprietary" },
	{ 211, "Restart Signaling" },
	{ 222, "Multi Topology IS Reachability" },
	{ 229, "Multi Topology" },
	{ 232, "IPv6 Interface address(es)" },
	{ 235, "Multi-Topology IPv4 Reachability" },
	{ 236, "IPv6 reachability" },
	{ 237, "Multi-Topology IP6 Reachability" },
	{ 240, "Point-to-point Adjacency State" },
	{ 241, "IIH Sequence Number" },
	{ 242, "IS-IS Router Capability" },
	{ 250, "Vendor Private" },
	{ 0, NULL },
};

static const struct pr_tok circuit_type_names[] = {
	{ 1, "Level 1 only" }, { 2, "Level 2 only" }, { 3, "Level 1, Level 2" }, { 0, NULL }
};

static const struct pr_tok lsp_istype_names[] = {
	{ 0, "Unused 0x0 (invalid)" }, { 1, "L1 IS" }, { 2, "Unused 0x2 (invalid)" }, { 3, "L2 IS" }, { 0, NULL }
};

static const struct pr_tok virtual_names[] = { { 0, "IsNotVirtual" }, { 1, "IsVirtual" }, { 0, NULL } };

static const struct pr_tok ptp_adj_names[] = { { 0, "Up" }, { 1, "Initializing" }, { 2, "Down" }, { 0, NULL } };

static const struct pr_tok auth_names[] = {
	{ 1, "simple text password" },
	{ 3, "Generic Crypto key-id" },
	{ 54, "HMAC-MD5 password" },
	{ 255, "Routing Domain private" },
	{ 0, NULL },
};

static const struct pr_tok is_subtlv_names[] = {
	{ 3, "Administrative groups" },
	{ 4, "Link Local/Remote Identifier" },
	{ 5, "Link Remote Identifier" },
	{ 6, "IPv4 interface address" },
	{ 8, "IPv4 neighbor address" },
	{ 9, "Maximum link bandwidth" },
	{ 10, "Reservable link bandwidth" },
	{ 11, "Unreserved bandwidth" },
	{ 12, "IPv6 Interface address" },
	{ 13, "IPv6 Neighbor address" },
	{ 18, "Traffic Engineering Metric" },
	{ 19, "Link Attribute" },
	{ 20, "Link Protection Type" },
	{ 21, "Interface Switching Capability" },
	{ 22, "Bandwidth Constraints" },
	{ 250, "Reserved for cisco specific extensions" },
	{ 251, "Reserved for cisco specific extensions" },
	{ 252, "Reserved for cisco specific extensions" },
	{ 253, "Reserved for cisco specific extensions" },
	{ 254, "Reserved for cisco specific extensions" },
	{ 255, "Reserved for future expansion" },
	{ 0, NULL },
};

static const struct pr_tok ip_subtlv_names[] = {
	{ 1, "32-Bit Administrative tag" }, { 2, "64-Bit Administrative tag" }, { 3, "Prefix SID" }, { 0, NULL }
};

static const struct pr_tok mt_names[] = {
	{ 0, "IPv4 unicast" },
	{ 1, "In-Band Management" },
	{ 2, "IPv6 unicast" },
	{ 3, "Multicast" },
	{ 4095, "Development, Experimental or Proprietary" },
	{ 0, NULL },
};

static const struct pr_tok mt_flag_names[] = { { 0x4000, "ATT bit set" }, { 0x8000, "Overload bit set" }, { 0, NULL } };

static const struct pr_tok restart_flag_names[] = {
	{ 0x1, "Restart Request" },
	{ 0x2, "Restart Acknowledgement" },
	{ 0x4, "Suppress adjacency advertisement" },
	{ 0, NULL },
};

static const struct pr_tok link_attr_names[] = {
	{ 0x01, "Local Protection Available" },
	{ 0x02, "Link excluded from local protection path" },
	{ 0x04, "Local maintenance required" },
	{ 0, NULL },
};

/* A system (6 bytes), node (7) or LSP (8) ID: "1921.6800.1001", ".00", "-00". */
static const char *isis_id(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	char *s = pr_scratch(ctx);
	size_t n = 0;
	unsigned i;

	NEED(p, len);
	for (i = 1; i <= SYSTEM_ID_LEN && i <= len; i++) {
		n += (size_t)snprintf(s + n, PR_STR_LEN - n, "%02x", p[i - 1]);
		if ((i == 2 || i == 4) && i < len)
			s[n++] = '.';
	}
	if (len >= NODE_ID_LEN)
		n += (size_t)snprintf(s + n, PR_STR_LEN - n, ".%02x", p[6]);
	if (len >= LSP_ID_LEN)
		snprintf(s + n, PR_STR_LEN - n, "-%02x", p[7]);
	else
		s[n] = '\0';
	return s;
}

/* An NSAP or area address: "49.0001.1921.6800.1001.00". */
static const char *nsap_str(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	char *s = pr_scratch(ctx);
	size_t n = 0;
	unsigned i;

	NEED(p, len);
	if (len < 1 || len > 20) {
		snprintf(s, PR_STR_LEN, "illegal OSI address length");
		return s;
	}
	for (i = 0; i < len; i++) {
		n += (size_t)snprintf(s + n, PR_STR_LEN - n, "%02x", p[i]);
		if ((i == 0 || (i & 1) == 0) && i + 1 < len)
			s[n++] = '.';
	}
	s[n] = '\0';
	return s;
}

/* ISO 8473 7.2.10 Fletcher checksum: the value the field at offset should hold over len bytes at p. */
static uint16_t osi_cksum(const uint8_t *p, unsigned offset, unsigned len)
{
	uint32_t c0 = 0, c1 = 0;
	int32_t x, y, mul;
	unsigned i;

	for (i = 0; i < len; i++) {
		if (i != offset && i != offset + 1)
			c0 += p[i];
		c1 += c0;
		/* keep the sums small; the result is taken modulo 255 anyway */
		c0 %= 255;
		c1 %= 255;
	}
	mul = (int32_t)((len - offset) * c0);
	x = mul - (int32_t)c0 - (int32_t)c1;
	y = (int32_t)c1 - mul - 1;
	if (y >= 0)
		y++;
	if (x < 0)
		x--;
	x %= 255;
	y %= 255;
	if (x == 0)
		x = 255;
	if (y == 0)
		y = 255;
	return (uint16_t)(((x & 0xff) << 8) | (y & 0xff));
}

static void osi_print_cksum(struct pctx *ctx, const uint8_t *p, unsigned field, unsigned offset, unsigned len)
{
	uint16_t want;

	if (!field || !HAVE(p + offset, 2) || offset > len || !HAVE(p, len)) {
		pr_puts(ctx, " (unverified)");
		return;
	}
	want = osi_cksum(p, offset, len);
	if (want == field)
		pr_puts(ctx, " (correct)");
	else
		pr_printf(ctx, " (incorrect should be 0x%04x)", want);
}

/* RFC 1195 metrics: default, then delay, expense and error when supported (bit 8 clear). */
static void metric_block_print(struct pctx *ctx, const uint8_t *m, const char *lead, int updown)
{
	static const char *const names[] = { "Delay", "Expense", "Error" };
	unsigned d = RD_U8(m), i;

	if (updown)
		pr_printf(ctx, ", Distribution: %s, Metric: %u, %s", (d & 0x80) ? "down" : "up", d & 0x3f,
			  (d & 0x40) ? "External" : "Internal");
	else
		pr_printf(ctx, ", Default Metric: %u, %s", d & 0x3f, (d & 0x40) ? "External" : "Internal");
	for (i = 0; i < 3; i++) {
		unsigned v = RD_U8(m + 1 + i);

		if (!(v & 0x80))
			pr_printf(ctx, "%s%s Metric: %u, %s", lead, names[i], v & 0x3f,
				  (v & 0x40) ? "External" : "Internal");
	}
}

static int ip_reach_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	while (len > 0) {
		uint32_t mask;
		int plen = 0;

		if (len < 12) {
			pr_printf(ctx, "short IPv4 Reachability (%u vs %u)", len, 12);
			return 0;
		}
		NEED(p, 12);
		mask = RD_BE32(p + 8);
		/* a contiguous mask gives a prefix length, anything else is shown as is */
		while (plen < 32 && (mask & (0x80000000u >> plen)))
			plen++;
		if (plen < 32 && (mask << plen) != 0)
			pr_printf(ctx, "\n\t      IPv4 prefix: %s mask %s", RD_IPV4(p + 4), RD_IPV4(p + 8));
		else
			pr_printf(ctx, "\n\t      IPv4 prefix: %15s/%d", RD_IPV4(p + 4), plen);
		metric_block_print(ctx, p, "\n\t        ", 1);
		len -= 12;
		p += 12;
	}
	return 1;
}

static int is_subtlv_print(struct pctx *ctx, const uint8_t *p, unsigned type, unsigned len, const char *ident)
{
	unsigned i;

	pr_printf(ctx, "%s%s subTLV #%u, length: %u", ident, pr_tok_str(ctx, is_subtlv_names, "unknown", type), type,
		  len);
	NEED(p, len);
	switch (type) {
	case 3:
	case 4:
	case 5:
		if (len >= 4) {
			pr_printf(ctx, ", 0x%08x", RD_BE32(p));
			if (len == 8)
				pr_printf(ctx, ", 0x%08x", RD_BE32(p + 4));
		}
		break;
	case 6:
	case 8:
		if (len >= 4)
			pr_printf(ctx, ", %s", RD_IPV4(p));
		break;
	case 12:
	case 13:
		if (len >= 16)
			pr_printf(ctx, ", %s", RD_IPV6(p));
		break;
	case 9:
	case 10:
		if (len >= 4)
			pr_printf(ctx, ", %.3f Mbps", gmpls_bw_mbps(RD_BE32(p)));
		break;
	case 11:
		if (len >= 32)
			for (i = 0; i < 8; i++)
				pr_printf(ctx, "%s  TE-Class %u: %.3f Mbps", ident, i,
					  gmpls_bw_mbps(RD_BE32(p + i * 4)));
		break;
	case 18:
		if (len >= 3)
			pr_printf(ctx, ", %u", RD_BE24(p));
		break;
	case 19:
		if (len == 2)
			pr_printf(ctx, ", [ %s ] (0x%04x)",
				  pr_bits_str(ctx, link_attr_names, "Unknown", ", ", RD_BE16(p)), RD_BE16(p));
		break;
	case 20:
		if (len >= 2)
			pr_printf(ctx, ", %s, Priority %u",
				  pr_bits_str(ctx, gmpls_link_prot_names, "none", ", ", RD_U8(p)), RD_U8(p + 1));
		break;
	default: pr_unknown_data(ctx, p, "\n\t\t    ", len); break;
	}
	return 1;
}

/* RFC 5305 3: one neighbor of an Extended IS Reachability TLV; returns its size, 0 when malformed. */
static unsigned ext_is_reach_print(struct pctx *ctx, const uint8_t *p, unsigned type, unsigned left)
{
	unsigned sublen, used;
	const char *ident = "\n\t      ";

	if (left < NODE_ID_LEN)
		return 0;
	pr_printf(ctx, "%sIS Neighbor: %s", ident, isis_id(ctx, p, NODE_ID_LEN));
	p += NODE_ID_LEN;
	used = NODE_ID_LEN;
	if (type != 24) {
		if (left < used + 3)
			return 0;
		pr_printf(ctx, ", Metric: %u", RD_BE24(p));
		p += 3;
		used += 3;
	}
	if (left < used + 1)
		return 0;
	sublen = RD_U8(p);
	p++;
	used++;
	pr_printf(ctx, ", %ssub-TLVs present", sublen ? "" : "no ");
	if (!sublen)
		return used;
	/*
	 * tcpdump 4.99 holds each sub-TLV against both the TLV and the sub-TLV length, says which
	 * one ran out and ends the neighbor there, counting what was left as used.
	 */
	pr_printf(ctx, " (%u)", sublen);
	while (sublen != 0) {
		unsigned st, sl;

		NEED(p, 2);
		if (left - used < 2) {
			pr_puts(ctx, "\n\t        Remaining data in TLV shorter than a subTLV header");
			return left;
		}
		if (sublen < 2) {
			pr_puts(ctx, "\n\t        Remaining data in subTLVs shorter than a subTLV header");
			return used + sublen;
		}
		st = RD_U8(p);
		sl = RD_U8(p + 1);
		p += 2;
		used += 2;
		sublen -= 2;
		if (sublen < sl || left - used < sl) {
			pr_printf(ctx, "\n\t        %s subTLV #%u, length: %u%s",
				  pr_tok_str(ctx, is_subtlv_names, "unknown", st), st, sl,
				  sublen < sl ? " (remaining data in subTLVs shorter than the current subTLV)"
					      : " (> remaining tlv length)");
			return sublen < sl ? used + sublen : left;
		}
		if (!is_subtlv_print(ctx, p, st, sl, "\n\t        "))
			return 0;
		p += sl;
		used += sl;
		sublen -= sl;
	}
	return used;
}

/* RFC 5305 4 / RFC 5308 2: one prefix of an extended reachability TLV; returns its size, 0 when malformed. */
static unsigned extd_ip_reach_print(struct pctx *ctx, const uint8_t *p, int v6)
{
	uint8_t a[16];
	unsigned metric, status, bits, bytes, used;

	metric = RD_BE32(p);
	status = RD_U8(p + 4);
	if (!v6) {
		bits = status & 0x3f;
		if (bits > 32) {
			pr_printf(ctx, "\n\t      IPv4 prefix: bad bit length %u", bits);
			return 0;
		}
		p += 5;
		used = 5;
	} else {
		bits = RD_U8(p + 5);
		if (bits > 128) {
			pr_printf(ctx, "\n\t      IPv6 prefix: bad bit length %u", bits);
			return 0;
		}
		p += 6;
		used = 6;
	}
	bytes = (bits + 7) / 8;
	NEED(p, bytes);
	memset(a, 0, sizeof(a));
	memcpy(a, p, bytes);
	p += bytes;
	used += bytes;
	if (!v6)
		pr_printf(ctx, "\n\t      IPv4 prefix: %15s/%u", pr_ipv4_copy(ctx, a), bits);
	else
		pr_printf(ctx, "\n\t      IPv6 prefix: %s/%u", pr_ipv6_copy(ctx, a), bits);
	pr_printf(ctx, ", Distribution: %s, Metric: %u", (status & 0x80) ? "down" : "up", metric);
	if (!v6 && (status & 0x40))
		pr_puts(ctx, ", sub-TLVs present");
	else if (v6)
		pr_printf(ctx, ", %s%s", (status & 0x40) ? "External" : "Internal",
			  (status & 0x20) ? ", sub-TLVs present" : "");
	if ((!v6 && (status & 0x40)) || (v6 && (status & 0x20))) {
		unsigned sublen = RD_U8(p);

		p++;
		used += sublen + 1;
		pr_printf(ctx, " (%u)", sublen);
		while (sublen > 0) {
			unsigned st, sl;

			st = RD_U8(p);
			sl = RD_U8(p + 1);
			p += 2;
			pr_printf(ctx, "\n\t        %s subTLV #%u, length: %u",
				  pr_tok_str(ctx, ip_subtlv_names, "unknown", st), st, sl);
			NEED(p, sl);
			if (st == 1) {
				unsigned q;

				for (q = 0; q + 4 <= sl; q += 4)
					pr_printf(ctx, ", 0x%08x (=%u)", RD_BE32(p + q), RD_BE32(p + q));
			} else if (st == 2) {
				unsigned q;

				for (q = 0; q + 8 <= sl; q += 8)
					pr_printf(ctx, ", 0x%08x%08x", RD_BE32(p + q), RD_BE32(p + q + 4));
			} else {
				pr_unknown_data(ctx, p, "\n\t\t    ", sl);
			}
			p += sl;
			if (sublen < sl + 2)
				return 0;
			sublen -= sl + 2;
		}
	}
	return used;
}

/* RFC 5120 7.2: a multi-topology ID with its O and A flags; returns 2, 0 when short. */
static unsigned mtid_print(struct pctx *ctx, const uint8_t *p, unsigned left)
{
	unsigned v;

	if (left < 2)
		return 0;
	v = RD_BE16(p);
	pr_printf(ctx, "\n\t      %s", pr_tok_str(ctx, mt_names, "Reserved for IETF Consensus", v & 0x0fff));
	pr_printf(ctx, " Topology (0x%03x), Flags: [%s]", v & 0x0fff,
		  pr_bits_str(ctx, mt_flag_names, "none", ", ", v & 0xf000));
	return 2;
}

/* A TLV's MT-ID (the topology of what follows); *p and *t move past it. */
static void mtid_take(struct pctx *ctx, const uint8_t **p, unsigned *t)
{
	unsigned n = mtid_print(ctx, *p, *t);

	if (n == 0)
		pr_trunc(ctx);
	*p += n;
	*t -= n;
}

/*
 * An entry of n bytes (0: not captured) just printed from a TLV with *t
 * bytes left: *p and *t move past it, or false, said, when it overran.
 */
static bool entry_take(struct pctx *ctx, unsigned n, const uint8_t **p, unsigned *t)
{
	if (n == 0)
		pr_trunc(ctx);
	if (*t < n) {
		pr_printf(ctx, " [remaining tlv length %u < %u]", *t, n);
		pr_invalid(ctx);
		return false;
	}
	*t -= n;
	*p += n;
	return true;
}

/* One TLV's value (type, len bytes at p); returns 0 when the rest of the PDU is not to be decoded. */
static int tlv_print(struct pctx *ctx, unsigned type, const uint8_t *p, unsigned len, const uint8_t *pdu,
		     unsigned pdu_len)
{
	unsigned t = len, i;

	switch (type) {
	case 1:
		while (t != 0) {
			unsigned alen = RD_U8(p);

			p++;
			t--;
			if (t < alen)
				return 2;
			pr_printf(ctx, "\n\t      Area address (length: %u): %s", alen, nsap_str(ctx, p, alen));
			p += alen;
			t -= alen;
		}
		break;
	case 6:
		while (t != 0) {
			if (t < 6)
				return 2;
			pr_printf(ctx, "\n\t      SNPA: %s", isis_id(ctx, p, 6));
			t -= 6;
			p += 6;
		}
		break;
	case 8: break;
	case 229:
		while (t != 0) {
			if (t == 1) {
				pr_puts(ctx, "\n\t      invalid MT-ID");
				break;
			}
			mtid_take(ctx, &p, &t);
		}
		break;
	case 235:
	case 237:
		mtid_take(ctx, &p, &t);
		while (t != 0 && entry_take(ctx, extd_ip_reach_print(ctx, p, type == 237), &p, &t))
			;
		break;
	case 211:
		if (t < 1)
			return 2;
		pr_printf(ctx, "\n\t      Flags [%s]", pr_bits_str(ctx, restart_flag_names, "none", ", ", RD_U8(p)));
		p++;
		t--;
		if (t == 0)
			break;
		if (t < 2)
			return 2;
		pr_printf(ctx, ", Remaining holding time %us", RD_BE16(p));
		p += 2;
		t -= 2;
		if (t == SYSTEM_ID_LEN)
			pr_printf(ctx, ", for %s", isis_id(ctx, p, SYSTEM_ID_LEN));
		break;
	case 222:
		mtid_take(ctx, &p, &t);
		/* fall through: extended IS reachability entries follow the topology */
	case 22:
	case 24:
		while (t != 0 && entry_take(ctx, ext_is_reach_print(ctx, p, type, t), &p, &t))
			;
		break;
	case 2:
		if (t < 1)
			return 2;
		pr_printf(ctx, "\n\t      %s", pr_tok_str(ctx, virtual_names, "bogus virtual flag 0x%02x", RD_U8(p)));
		p++;
		t--;
		while (t != 0) {
			if (t < 11)
				return 2;
			NEED(p, 11);
			pr_printf(ctx, "\n\t      IS Neighbor: %s", isis_id(ctx, p + 4, NODE_ID_LEN));
			metric_block_print(ctx, p, "\n\t\t  ", 0);
			t -= 11;
			p += 11;
		}
		break;
	case 3:
		while (t != 0) {
			if (t < 10)
				return 2;
			NEED(p, 10);
			pr_printf(ctx, "\n\t      ES Neighbor: %s", isis_id(ctx, p + 4, SYSTEM_ID_LEN));
			metric_block_print(ctx, p, "\n\t\t  ", 0);
			t -= 10;
			p += 10;
		}
		break;
	case 128:
	case 130:
		if (!ip_reach_print(ctx, p, len))
			return 0;
		break;
	case 135:
	case 236:
		while (t != 0 && entry_take(ctx, extd_ip_reach_print(ctx, p, type == 236), &p, &t))
			;
		break;
	case 232:
		while (t != 0) {
			if (t < 16)
				return 2;
			pr_printf(ctx, "\n\t      IPv6 interface address: %s", RD_IPV6(p));
			p += 16;
			t -= 16;
		}
		break;
	case 132:
		while (t != 0) {
			if (t < 4)
				return 2;
			pr_printf(ctx, "\n\t      IPv4 interface address: %s", RD_IPV4(p));
			p += 4;
			t -= 4;
		}
		break;
	case 10: {
		unsigned at;

		if (t < 1)
			return 2;
		at = RD_U8(p);
		p++;
		t--;
		pr_printf(ctx, "\n\t      %s: ", pr_tok_str(ctx, auth_names, "unknown Authentication type 0x%02x", at));
		if (at == 1) {
			pr_str_pad(ctx, p, t);
		} else if (at == 54) {
			for (i = 0; i < t; i++)
				pr_printf(ctx, "%02x", RD_U8(p + i));
			if (t != 16)
				pr_puts(ctx, ", (invalid subTLV) ");
			/* the HMAC key is not known here */
			pr_puts(ctx, " (unchecked)");
		} else if (at == 3) {
			if (t < 2)
				return 2;
			pr_printf(ctx, "%u, password: ", RD_BE16(p));
			for (i = 2; i < t; i++)
				pr_printf(ctx, "%02x", RD_U8(p + i));
		} else if (!pr_unknown_data(ctx, p, "\n\t\t  ", t)) {
			return 0;
		}
		break;
	}
	case 240:
		if (t >= 1) {
			pr_printf(ctx, "\n\t      Adjacency State: %s (%u)",
				  pr_tok_str(ctx, ptp_adj_names, "unknown", RD_U8(p)), RD_U8(p));
			t--;
		}
		if (t > 4) {
			pr_printf(ctx, "\n\t      Extended Local circuit-ID: 0x%08x", RD_BE32(p + 1));
			t -= 4;
		}
		if (t >= SYSTEM_ID_LEN) {
			pr_printf(ctx, "\n\t      Neighbor System-ID: %s", isis_id(ctx, p + 5, SYSTEM_ID_LEN));
			t -= SYSTEM_ID_LEN;
		}
		if (t >= 4)
			pr_printf(ctx, "\n\t      Neighbor Extended Local circuit-ID: 0x%08x", RD_BE32(p + 11));
		break;
	case 129:
		pr_puts(ctx, "\n\t      NLPID(s): ");
		for (; t != 0; p++, t--)
			pr_printf(ctx, "%s (0x%02x)%s", pr_tok_str(ctx, nlpid_names, "unknown", RD_U8(p)), RD_U8(p),
				  t > 1 ? ", " : "");
		break;
	case 134: pr_printf(ctx, "\n\t      Traffic Engineering Router ID: %s", RD_IPV4(p)); break;
	case 137:
		pr_puts(ctx, "\n\t      Hostname: ");
		pr_str_pad(ctx, p, t);
		break;
	case 9:
		while (t != 0) {
			if (t < 16)
				return 2;
			NEED(p + LSP_ID_LEN + 1, 1);
			pr_printf(ctx, "\n\t      lsp-id: %s", isis_id(ctx, p + 2, LSP_ID_LEN));
			pr_printf(ctx, ", seq: 0x%08x", RD_BE32(p + 10));
			pr_printf(ctx, ", lifetime: %5ds", (int)RD_BE16(p));
			pr_printf(ctx, ", chksum: 0x%04x", RD_BE16(p + 14));
			t -= 16;
			p += 16;
		}
		break;
	case 12:
		if (t < 2)
			return 2;
		pr_printf(ctx, "\n\t      checksum: 0x%04x ", RD_BE16(p));
		osi_print_cksum(ctx, pdu, RD_BE16(p), (unsigned)(p - pdu), pdu_len);
		break;
	case 13: {
		unsigned n;

		if (t < 1)
			return 2;
		n = RD_U8(p);
		p++;
		t--;
		if (n == 0) {
			pr_puts(ctx, " No system IDs supplied");
		} else {
			if (t < SYSTEM_ID_LEN)
				return 2;
			pr_printf(ctx, "\n\t      Purge Originator System-ID: %s", isis_id(ctx, p, SYSTEM_ID_LEN));
			p += SYSTEM_ID_LEN;
			t -= SYSTEM_ID_LEN;
			if (n > 1) {
				if (t < SYSTEM_ID_LEN)
					return 2;
				pr_printf(ctx, "\n\t      Received from System-ID: %s", isis_id(ctx, p, SYSTEM_ID_LEN));
			}
		}
		break;
	}
	case 14:
		if (t < 2)
			return 2;
		pr_printf(ctx, "\n\t      LSP Buffersize: %u", RD_BE16(p));
		break;
	case 241:
		if (t < 4)
			return 2;
		pr_printf(ctx, "\n\t      Sequence number: %u", RD_BE32(p));
		break;
	default:
		if (ctx->opts.verbose <= 1 && !pr_unknown_data(ctx, p, "\n\t\t", len))
			return 0;
		break;
	}
	return 1;
}

/* The fixed part that follows the common header (ISO 10589 9.5-9.13); 0 for a PDU type not decoded. */
static unsigned fixed_part_len(unsigned type)
{
	switch (type) {
	case PDU_L1_LAN_IIH:
	case PDU_L2_LAN_IIH: return ISIS_IIH_LAN_LEN;
	case PDU_PTP_IIH: return ISIS_IIH_PTP_LEN;
	case PDU_L1_LSP:
	case PDU_L2_LSP: return ISIS_LSP_LEN;
	case PDU_L1_CSNP:
	case PDU_L2_CSNP: return ISIS_CSNP_LEN;
	case PDU_L1_PSNP:
	case PDU_L2_PSNP: return ISIS_PSNP_LEN;
	default: return 0;
	}
}

/* What the one-line form (no -v) shows of the fixed part. */
static void fixed_part_brief(struct pctx *ctx, unsigned type, const uint8_t *pptr)
{
	switch (type) {
	case PDU_L1_LAN_IIH:
	case PDU_L2_LAN_IIH:
		pr_printf(ctx, ", src-id %s", isis_id(ctx, pptr + 1, SYSTEM_ID_LEN));
		pr_printf(ctx, ", lan-id %s, prio %u", isis_id(ctx, pptr + 12, NODE_ID_LEN), RD_U8(pptr + 11));
		break;
	case PDU_PTP_IIH: pr_printf(ctx, ", src-id %s", isis_id(ctx, pptr + 1, SYSTEM_ID_LEN)); break;
	case PDU_L1_LSP:
	case PDU_L2_LSP:
		pr_printf(ctx, ", lsp-id %s, seq 0x%08x, lifetime %5us", isis_id(ctx, pptr + 4, LSP_ID_LEN),
			  RD_BE32(pptr + 12), RD_BE16(pptr + 2));
		break;
	default: /* CSNP, PSNP */ pr_printf(ctx, ", src-id %s", isis_id(ctx, pptr + 2, NODE_ID_LEN)); break;
	}
}

/* The fixed part with -v; length is the PDU's, already cut to pdu_len. */
static void fixed_part_print(struct pctx *ctx, unsigned type, const uint8_t *pptr, unsigned pdu_len, unsigned length)
{
	unsigned tb;

	switch (type) {
	case PDU_L1_LAN_IIH:
	case PDU_L2_LAN_IIH:
		pr_printf(ctx, "\n\t  source-id: %s,  holding time: %us, Flags: [%s]",
			  isis_id(ctx, pptr + 1, SYSTEM_ID_LEN), RD_BE16(pptr + 7),
			  pr_tok_str(ctx, circuit_type_names, "unknown circuit type 0x%02x", RD_U8(pptr)));
		pr_printf(ctx, "\n\t  lan-id:    %s, Priority: %u, PDU length: %u",
			  isis_id(ctx, pptr + 12, NODE_ID_LEN), RD_U8(pptr + 11) & 0x7f, pdu_len);
		break;
	case PDU_PTP_IIH:
		pr_printf(ctx, "\n\t  source-id: %s, holding time: %us, Flags: [%s]",
			  isis_id(ctx, pptr + 1, SYSTEM_ID_LEN), RD_BE16(pptr + 7),
			  pr_tok_str(ctx, circuit_type_names, "unknown circuit type 0x%02x", RD_U8(pptr)));
		pr_printf(ctx, "\n\t  circuit-id: 0x%02x, PDU length: %u", RD_U8(pptr + 11), pdu_len);
		break;
	case PDU_L1_LSP:
	case PDU_L2_LSP:
		pr_printf(ctx, "\n\t  lsp-id: %s, seq: 0x%08x, lifetime: %5us\n\t  chksum: 0x%04x",
			  isis_id(ctx, pptr + 4, LSP_ID_LEN), RD_BE32(pptr + 12), RD_BE16(pptr + 2),
			  RD_BE16(pptr + 16));
		/* the sum covers the PDU from the LSP ID on */
		osi_print_cksum(ctx, pptr + 4, RD_BE16(pptr + 16), 12, length >= 12 ? length - 12 : 0);
		tb = RD_U8(pptr + 18);
		pr_printf(ctx, ", PDU length: %u, Flags: [ %s", pdu_len, (tb & 0x04) ? "Overload bit set, " : "");
		if (tb & 0x78) {
			pr_puts(ctx, (tb & 0x08) ? "default " : "");
			pr_puts(ctx, (tb & 0x10) ? "delay " : "");
			pr_puts(ctx, (tb & 0x20) ? "expense " : "");
			pr_puts(ctx, (tb & 0x40) ? "error " : "");
			pr_puts(ctx, "ATT bit set, ");
		}
		pr_puts(ctx, (tb & 0x80) ? "P bit set, " : "");
		pr_printf(ctx, "%s ]", pr_tok_str(ctx, lsp_istype_names, "Unknown(0x%x)", tb & 0x03));
		break;
	default: /* CSNP, PSNP: a CSNP also names the range of LSPs it describes */
		pr_printf(ctx, "\n\t  source-id:    %s, PDU length: %u", isis_id(ctx, pptr + 2, NODE_ID_LEN), pdu_len);
		if (type == PDU_L1_CSNP || type == PDU_L2_CSNP) {
			pr_printf(ctx, "\n\t  start lsp-id: %s", isis_id(ctx, pptr + 9, LSP_ID_LEN));
			pr_printf(ctx, "\n\t  end lsp-id:   %s", isis_id(ctx, pptr + 17, LSP_ID_LEN));
		}
		break;
	}
}

/* Returns 0 when the caller should dump the PDU as unknown data. */
static int isis_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	const uint8_t *pptr;
	unsigned version, pdu_version, fixed_len, id_len_raw, id_len, max_area_raw, max_area, type, pdu_len, hdr_len;
	unsigned packet_len = length;
	const char *sep = ctx->opts.link_header ? "" : ", ";

	PR_PROTO(ctx, "isis");
	NEED(p, ISIS_COMMON_LEN);
	if (length < ISIS_COMMON_LEN)
		pr_trunc(ctx);
	if (!ctx->opts.link_header)
		pr_puts(ctx, "IS-IS");
	version = RD_U8(p + 2);
	if (version != 1) {
		pr_printf(ctx, "version %u packet not supported", version);
		return 0;
	}
	id_len_raw = RD_U8(p + 3);
	if (id_len_raw != SYSTEM_ID_LEN && id_len_raw != 0) {
		pr_printf(ctx, "system ID length of %u is not supported", id_len_raw);
		return 0;
	}
	pdu_version = RD_U8(p + 5);
	if (pdu_version != 1) {
		pr_printf(ctx, "version %u packet not supported", pdu_version);
		return 0;
	}
	fixed_len = RD_U8(p + 1);
	if (length < fixed_len) {
		pr_printf(ctx, "fixed header length %u > packet length %u", fixed_len, length);
		return 0;
	}
	if (fixed_len < ISIS_COMMON_LEN) {
		pr_printf(ctx, "fixed header length %u < minimum header size %u", fixed_len, ISIS_COMMON_LEN);
		return 0;
	}
	max_area_raw = RD_U8(p + 7);
	max_area = max_area_raw == 0 ? 3 : max_area_raw;
	if (max_area_raw == 255) {
		pr_puts(ctx, "bad packet -- 255 areas");
		return 0;
	}
	id_len = id_len_raw == 0 ? 6 : id_len_raw;
	type = RD_U8(p + 4) & 0x1f;
	if (!ctx->opts.verbose) {
		pr_printf(ctx, "%s%s", sep, pr_tok_str(ctx, pdu_names, "unknown PDU-Type %u", type));
	} else {
		pr_printf(ctx, "%slength %u", sep, length);
		pr_printf(ctx, "\n\t%s, hlen: %u, v: %u, pdu-v: %u, sys-id-len: %u (%u), max-area: %u (%u)",
			  pr_tok_str(ctx, pdu_names, "unknown, type %u", type), fixed_len, version, pdu_version, id_len,
			  id_len_raw, max_area, max_area_raw);
		if (ctx->opts.verbose > 1 && !pr_unknown_data(ctx, p, "\n\t", 8))
			return 0;
	}
	pptr = p + ISIS_COMMON_LEN;
	hdr_len = fixed_part_len(type);
	if (!hdr_len) {
		if (!ctx->opts.verbose) {
			pr_printf(ctx, ", length %u", length);
			return 1;
		}
		pr_unknown_data(ctx, pptr, "\n\t  ", length);
		return 0;
	}
	if (fixed_len != ISIS_COMMON_LEN + hdr_len) {
		int lsp = type == PDU_L1_LSP || type == PDU_L2_LSP, psnp = type == PDU_L1_PSNP || type == PDU_L2_PSNP;

		/* tcpdump 4.99.3's wording: an LSP's size leaves the common header out, a PSNP's has a dash */
		pr_printf(ctx, "%s bogus fixed header length %u should be %u", psnp ? "-" : ",", fixed_len,
			  lsp ? hdr_len : ISIS_COMMON_LEN + hdr_len);
		return 0;
	}
	NEED(pptr, hdr_len);
	if (length < ISIS_COMMON_LEN + hdr_len)
		pr_trunc(ctx);
	if (!ctx->opts.verbose) {
		fixed_part_brief(ctx, type, pptr);
		pr_printf(ctx, ", length %u", length);
		return 1;
	}
	/* the hellos carry the PDU length after the holding time, the others first */
	pdu_len = RD_BE16(type == PDU_L1_LAN_IIH || type == PDU_L2_LAN_IIH || type == PDU_PTP_IIH ? pptr + 9 : pptr);
	if (packet_len > pdu_len)
		packet_len = length = pdu_len;
	fixed_part_print(ctx, type, pptr, pdu_len, length);
	if (ctx->opts.verbose > 1 && !pr_unknown_data(ctx, pptr, "\n\t  ", hdr_len))
		return 0;
	packet_len -= ISIS_COMMON_LEN + hdr_len;
	pptr = p + ISIS_COMMON_LEN + hdr_len;

	while (packet_len > 0) {
		unsigned ttype, tlen;
		int r;

		NEED(pptr, 2);
		if (packet_len < 2)
			pr_trunc(ctx);
		ttype = RD_U8(pptr);
		tlen = RD_U8(pptr + 1);
		pptr += 2;
		packet_len -= 2;
		pr_printf(ctx, "\n\t    %s TLV #%u, length: %u", pr_tok_str(ctx, tlv_names, "unknown", ttype), ttype,
			  tlen);
		if (packet_len < tlen)
			pr_trunc(ctx);
		r = tlv_print(ctx, ttype, pptr, tlen, p, length);
		if (r == 0)
			return 0;
		/* r == 2: the value was shorter than its layout; tcpdump still dumps it with -vv */
		if (ctx->opts.verbose > 1 && !pr_unknown_data(ctx, pptr, "\n\t      ", tlen))
			return 0;
		pptr += tlen;
		packet_len -= tlen;
	}
	if (packet_len != 0)
		pr_printf(ctx, "\n\t      %u straggler bytes", packet_len);
	return 1;
}

void isoclns_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned nlpid;

	PR_PROTO(ctx, "isoclns");
	nlpid = RD_U8(p);
	if (ctx->opts.link_header)
		pr_printf(ctx, "OSI NLPID %s (0x%02x): ", pr_tok_str(ctx, nlpid_names, "Unknown", nlpid), nlpid);
	switch (nlpid) {
	case NLPID_ISIS:
		if (!isis_print(ctx, p, length))
			pr_unknown_data(ctx, p, "\n\t", length);
		break;
	case NLPID_NULLNS: pr_printf(ctx, "%slength: %u", ctx->opts.link_header ? "" : ", ", length); break;
	case NLPID_IP: ip_print(ctx, p + 1, length - 1); break;
	case NLPID_IP6: ip6_print(ctx, p + 1, length - 1); break;
	case NLPID_PPP: ppp_print(ctx, p + 1, length - 1); break;
	default:
		/* CLNP and ES-IS have no decoder here: tcpdump's unknown-NLPID form */
		if (!ctx->opts.link_header)
			pr_printf(ctx, "OSI NLPID 0x%02x unknown", nlpid);
		pr_printf(ctx, "%slength: %u", ctx->opts.link_header ? "" : ", ", length);
		if (length > 1)
			pr_unknown_data(ctx, p, "\n\t", length);
		break;
	}
}
