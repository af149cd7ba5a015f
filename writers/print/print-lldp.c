/* IEEE 802.1AB Link Layer Discovery Protocol (ethertype 0x88cc), with the 802.1, 802.3 and IANA organizational TLVs. */
#include "writers/print/print-int.h"

#define TLV_END 0
#define TLV_CHASSIS_ID 1
#define TLV_PORT_ID 2
#define TLV_TTL 3
#define TLV_PORT_DESCR 4
#define TLV_SYSTEM_NAME 5
#define TLV_SYSTEM_DESCR 6
#define TLV_SYSTEM_CAP 7
#define TLV_MGMT_ADDR 8
#define TLV_PRIVATE 127
#define OUI_8021 0x0080c2
#define OUI_8023 0x00120f
#define OUI_IANA 0x00005e
#define INTF_NUM_LEN 5

static const struct pr_tok tlv_names[] = {
	{ TLV_END, "End" },
	{ TLV_CHASSIS_ID, "Chassis ID" },
	{ TLV_PORT_ID, "Port ID" },
	{ TLV_TTL, "Time to Live" },
	{ TLV_PORT_DESCR, "Port Description" },
	{ TLV_SYSTEM_NAME, "System Name" },
	{ TLV_SYSTEM_DESCR, "System Description" },
	{ TLV_SYSTEM_CAP, "System Capabilities" },
	{ TLV_MGMT_ADDR, "Management Address" },
	{ TLV_PRIVATE, "Organization specific" },
	{ 0, NULL },
};

static const struct pr_tok chassis_subtypes[] = {
	{ 1, "Chassis component" }, { 2, "Interface alias" }, { 3, "Port component" }, { 4, "MAC address" },
	{ 5, "Network address" },   { 6, "Interface name" },  { 7, "Local" },	       { 0, NULL },
};

static const struct pr_tok port_subtypes[] = {
	{ 1, "Interface alias" }, { 2, "Port component" },   { 3, "MAC address" }, { 4, "Network Address" },
	{ 5, "Interface Name" },  { 6, "Agent circuit ID" }, { 7, "Local" },	   { 0, NULL },
};

static const struct pr_tok cap_names[] = {
	{ 0x01, "Other" },     { 0x02, "Repeater" }, { 0x04, "Bridge" },       { 0x08, "WLAN AP" }, { 0x10, "Router" },
	{ 0x20, "Telephone" }, { 0x40, "Docsis" },   { 0x80, "Station Only" }, { 0, NULL },
};

static const struct pr_tok oui_names[] = {
	{ OUI_8021, "Ethernet bridged" },
	{ OUI_8023, "IEEE 802.3 Private" },
	{ OUI_IANA, "IANA" },
	{ 0x0012bb, "TIA" },
	{ 0x001b21, "DCBX" },
	{ 0x00000c, "Cisco" },
	{ 0, NULL },
};

/* IANA address family numbers, named as tcpdump names them */
static const struct pr_tok af_names[] = {
	PR_IANA_AF_TOKS,
	{ 25, "VPLS" },
	{ 196, "Layer-2 VPN" },
	{ 0, NULL },
};

static const struct pr_tok intf_numb_names[] = {
	{ 2, "Interface Index" },
	{ 3, "System Port Number" },
	{ 0, NULL },
};

static const struct pr_tok sub8021_names[] = {
	{ 1, "Port VLAN Id" },
	{ 2, "Port and Protocol VLAN ID" },
	{ 3, "VLAN name" },
	{ 4, "Protocol Identity" },
	{ 7, "Link aggregation" },
	{ 8, "Congestion Notification" },
	{ 9, "ETS Configuration" },
	{ 10, "ETS Recommendation" },
	{ 11, "Priority Flow Control Configuration" },
	{ 12, "Application Priority" },
	{ 13, "EVB" },
	{ 14, "CDCP" },
	{ 0, NULL },
};

static const struct pr_tok ppvid_flags[] = { { 0x02, "supported" }, { 0x04, "enabled" }, { 0, NULL } };

static const struct pr_tok sub8023_names[] = {
	{ 1, "MAC/PHY configuration/status" },
	{ 2, "Power via MDI" },
	{ 3, "Link aggregation" },
	{ 4, "Max frame size" },
	{ 0, NULL },
};

static const struct pr_tok autoneg_names[] = { { 0x01, "supported" }, { 0x02, "enabled" }, { 0, NULL } };

/* RFC 3636 ifMauAutoNegCapAdvertisedBits */
static const struct pr_tok pmd_names[] = {
	{ 1 << 14, "10BASE-T hdx" },
	{ 1 << 13, "10BASE-T fdx" },
	{ 1 << 12, "100BASE-T4" },
	{ 1 << 11, "100BASE-TX hdx" },
	{ 1 << 10, "100BASE-TX fdx" },
	{ 1 << 9, "100BASE-T2 hdx" },
	{ 1 << 8, "100BASE-T2 fdx" },
	{ 1 << 7, "Pause for fdx links" },
	{ 1 << 6, "Asym PAUSE for fdx" },
	{ 1 << 5, "Sym PAUSE for fdx" },
	{ 1 << 4, "Asym and Sym PAUSE for fdx" },
	{ 1 << 3, "1000BASE-{X LX SX CX} hdx" },
	{ 1 << 2, "1000BASE-{X LX SX CX} fdx" },
	{ 1 << 1, "1000BASE-T hdx" },
	{ 1 << 0, "1000BASE-T fdx" },
	{ 0, NULL },
};

/* RFC 3636 dot3MauType */
static const struct pr_tok mau_names[] = {
	{ 0, "Unknown" },
	{ 1, "AUI" },
	{ 2, "10BASE_5" },
	{ 3, "FOIRL" },
	{ 4, "10BASE2" },
	{ 5, "10BASET duplex mode unknown" },
	{ 6, "10BASEFP" },
	{ 7, "10BASEFB" },
	{ 8, "10BASEFL duplex mode unknown" },
	{ 9, "10BROAD36" },
	{ 10, "10BASET hdx" },
	{ 11, "10BASET fdx" },
	{ 12, "10BASEFL hdx" },
	{ 13, "10BASEFL fdx" },
	{ 14, "100BASET4" },
	{ 15, "100BASETX hdx" },
	{ 16, "100BASETX fdx" },
	{ 17, "100BASEFX hdx" },
	{ 18, "100BASEFX fdx" },
	{ 19, "100BASET2 hdx" },
	{ 20, "100BASET2 fdx" },
	{ 21, "1000BASEX hdx" },
	{ 22, "1000BASEX fdx" },
	{ 23, "1000BASELX hdx" },
	{ 24, "1000BASELX fdx" },
	{ 25, "1000BASESX hdx" },
	{ 26, "1000BASESX fdx" },
	{ 27, "1000BASECX hdx" },
	{ 28, "1000BASECX fdx" },
	{ 29, "1000BASET hdx" },
	{ 30, "1000BASET fdx" },
	{ 31, "10GBASEX" },
	{ 32, "10GBASELX4" },
	{ 33, "10GBASER" },
	{ 34, "10GBASEER" },
	{ 35, "10GBASELR" },
	{ 36, "10GBASESR" },
	{ 37, "10GBASEW" },
	{ 38, "10GBASEEW" },
	{ 39, "10GBASELW" },
	{ 40, "10GBASESW" },
	{ 0, NULL },
};

static const struct pr_tok mdi_names[] = {
	{ 0x01, "PSE" }, { 0x02, "supported" }, { 0x04, "enabled" }, { 0x08, "can be controlled" }, { 0, NULL },
};
static const struct pr_tok mdi_pairs[] = { { 1, "signal" }, { 2, "spare" }, { 0, NULL } };
static const struct pr_tok mdi_class[] = {
	{ 1, "class0" }, { 2, "class1" }, { 3, "class2" }, { 4, "class3" }, { 5, "class4" }, { 0, NULL },
};
static const struct pr_tok aggr_names[] = { { 0x01, "supported" }, { 0x02, "enabled" }, { 0, NULL } };

/* "AFI IPv4 (1): 10.0.0.1"; returns 0 when len is too short for the family. */
static int network_addr_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned af;
	const char *addr;

	if (len < 1)
		return 0;
	len--;
	af = RD_U8(p);
	switch (af) {
	case 1:
		if (len < 4)
			return 0;
		addr = RD_IPV4(p + 1);
		break;
	case 2:
		if (len < 16)
			return 0;
		addr = RD_IPV6(p + 1);
		break;
	case 6:
		if (len < 6)
			return 0;
		addr = RD_MAC(p + 1);
		break;
	default: addr = NULL; break;
	}
	if (!addr)
		pr_printf(ctx, "AFI %s (%u), no AF printer !", pr_tok_str(ctx, af_names, "Unknown", af), af);
	else
		pr_printf(ctx, "AFI %s (%u): %s", pr_tok_str(ctx, af_names, "Unknown", af), af, addr);
	return 1;
}

static int mgmt_addr_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned alen, sub, oid_len;

	if (len < 1)
		return 0;
	alen = RD_U8(p);
	p++;
	len--;
	if (len < alen)
		return 0;
	/* validate before printing, as tcpdump formats the address first */
	if (alen < 1 || (RD_U8(p) == 1 && alen - 1 < 4) || (RD_U8(p) == 2 && alen - 1 < 16) ||
	    (RD_U8(p) == 6 && alen - 1 < 6))
		return 0;
	pr_printf(ctx, "\n\t  Management Address length %u, ", alen);
	network_addr_print(ctx, p, alen);
	p += alen;
	len -= alen;
	if (len < INTF_NUM_LEN)
		return 0;
	sub = RD_U8(p);
	pr_printf(ctx, "\n\t  %s Interface Numbering (%u): %u", pr_tok_str(ctx, intf_numb_names, "Unknown", sub), sub,
		  RD_BE32(p + 1));
	p += INTF_NUM_LEN;
	len -= INTF_NUM_LEN;
	if (len) {
		oid_len = RD_U8(p);
		if (len < 1u + oid_len)
			return 0;
		if (oid_len) {
			pr_printf(ctx, "\n\t  OID length %u", oid_len);
			pr_str_pad(ctx, p + 1, oid_len);
		}
	}
	return 1;
}

static int private_8021_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned sub, sublen;

	if (len < 4)
		return 0;
	sub = RD_U8(p + 3);
	pr_printf(ctx, "\n\t  %s Subtype (%u)", pr_tok_str(ctx, sub8021_names, "unknown", sub), sub);
	switch (sub) {
	case 1:
		if (len < 6)
			return 0;
		pr_printf(ctx, "\n\t    port vlan id (PVID): %u", RD_BE16(p + 4));
		break;
	case 2:
		if (len < 7)
			return 0;
		pr_printf(ctx, "\n\t    port and protocol vlan id (PPVID): %u, flags [%s] (0x%02x)", RD_BE16(p + 5),
			  pr_bits_str(ctx, ppvid_flags, "none", ", ", RD_U8(p + 4)), RD_U8(p + 4));
		break;
	case 3:
		if (len < 6)
			return 0;
		pr_printf(ctx, "\n\t    vlan id (VID): %u", RD_BE16(p + 4));
		if (len < 7)
			return 0;
		sublen = RD_U8(p + 6);
		if (len < 7 + sublen)
			return 0;
		pr_puts(ctx, "\n\t    vlan name: ");
		pr_str_pad(ctx, p + 7, sublen);
		break;
	case 4:
		if (len < 5)
			return 0;
		sublen = RD_U8(p + 4);
		if (len < 5 + sublen)
			return 0;
		pr_puts(ctx, "\n\t    protocol identity: ");
		pr_str_pad(ctx, p + 5, sublen);
		break;
	case 7:
		/* 802.1AX link aggregation, moved here from the 802.3 OUI */
		if (len < 9)
			return 0;
		pr_printf(ctx, "\n\t    aggregation status [%s], aggregation port ID %u",
			  pr_bits_str(ctx, aggr_names, "none", ", ", RD_U8(p + 4)), RD_BE32(p + 5));
		break;
	default: return 1;
	}
	return 0;
}

static int private_8023_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned sub;

	if (len < 4)
		return 0;
	sub = RD_U8(p + 3);
	pr_printf(ctx, "\n\t  %s Subtype (%u)", pr_tok_str(ctx, sub8023_names, "unknown", sub), sub);
	switch (sub) {
	case 1:
		if (len < 9)
			return 0;
		pr_printf(ctx, "\n\t    autonegotiation [%s] (0x%02x)",
			  pr_bits_str(ctx, autoneg_names, "none", ", ", RD_U8(p + 4)), RD_U8(p + 4));
		pr_printf(ctx, "\n\t    PMD autoneg capability [%s] (0x%04x)",
			  pr_bits_str(ctx, pmd_names, "unknown", ", ", RD_BE16(p + 5)), RD_BE16(p + 5));
		pr_printf(ctx, "\n\t    MAU type %s (0x%04x)", pr_tok_str(ctx, mau_names, "unknown", RD_BE16(p + 7)),
			  RD_BE16(p + 7));
		break;
	case 2:
		if (len < 7)
			return 0;
		pr_printf(ctx, "\n\t    MDI power support [%s], ",
			  pr_bits_str(ctx, mdi_names, "none", ", ", RD_U8(p + 4)));
		pr_printf(ctx, "power pair %s, power class %s", pr_tok_str(ctx, mdi_pairs, "unknown", RD_U8(p + 5)),
			  pr_tok_str(ctx, mdi_class, "unknown", RD_U8(p + 6)));
		break;
	case 3:
		if (len < 9)
			return 0;
		pr_printf(ctx, "\n\t    aggregation status [%s], aggregation port ID %u",
			  pr_bits_str(ctx, aggr_names, "none", ", ", RD_U8(p + 4)), RD_BE32(p + 5));
		break;
	case 4:
		if (len < 6)
			return 0;
		pr_printf(ctx, "\n\t    MTU size %u", RD_BE16(p + 4));
		break;
	default: return 1;
	}
	return 0;
}

static int private_iana_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned sub;

	if (len < 8)
		return 0;
	sub = RD_U8(p + 3);
	pr_printf(ctx, "\n\t  %s Subtype (%u)", sub == 1 ? "MUD-URL" : "unknown", sub);
	if (sub != 1)
		return 1;
	/* RFC 8520 MUD URL */
	pr_puts(ctx, "\n\t  MUD-URL=");
	pr_str_n(ctx, p + 4, len - 4);
	return 0;
}

/* Chassis or port ID: subtype, then a MAC, an address or text. Returns 1 for a hex dump, -1 when too short. */
static int id_print(struct pctx *ctx, const uint8_t *p, unsigned len, const struct pr_tok *names, unsigned mac_sub,
		    unsigned net_sub)
{
	unsigned sub;

	if (len < 2)
		return -1;
	sub = RD_U8(p);
	pr_printf(ctx, "\n\t  Subtype %s (%u): ", pr_tok_str(ctx, names, "Unknown", sub), sub);
	if (sub == mac_sub) {
		if (len < 7)
			return -1;
		pr_puts(ctx, RD_MAC(p + 1));
	} else if (sub == net_sub) {
		if (!network_addr_print(ctx, p + 1, len - 1))
			return -1;
	} else if (sub >= 1 && sub <= 7) {
		pr_str_pad(ctx, p + 1, len - 1);
	} else {
		return 1;
	}
	return 0;
}

void lldp_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	const uint8_t *p = bp;
	unsigned tlen = len;
	int v = ctx->opts.verbose;

	PR_PROTO(ctx, "lldp");
	pr_printf(ctx, "LLDP, length %u", len);
	/* a TLV header or value not captured ends the line, not the packet (tcpdump's ND_TCHECK: -x still dumps) */
	while (tlen >= 2) {
		unsigned tlv, type, tl, oui, cap, ena;
		int hexdump = 0, r;

		if (!HAVE(p, 2))
			goto trunc;
		tlv = RD_BE16(p);
		type = tlv >> 9;
		tl = tlv & 0x01ff;

		tlen -= 2;
		p += 2;
		if (v)
			pr_printf(ctx, "\n\t%s TLV (%u), length %u", pr_tok_str(ctx, tlv_names, "Unknown", type), type,
				  tl);
		if (!type || !tl)
			break;
		if (!HAVE(p, tl) || tlen < tl)
			goto trunc;
		switch (type) {
		case TLV_CHASSIS_ID:
		case TLV_PORT_ID:
			if (!v)
				break;
			if (type == TLV_CHASSIS_ID)
				r = id_print(ctx, p, tl, chassis_subtypes, 4, 5);
			else
				r = id_print(ctx, p, tl, port_subtypes, 3, 4);
			if (r < 0)
				goto trunc;
			hexdump = r;
			break;
		case TLV_TTL:
			if (!v)
				break;
			if (tl < 2)
				goto trunc;
			pr_printf(ctx, ": TTL %us", RD_BE16(p));
			break;
		case TLV_PORT_DESCR:
			if (!v)
				break;
			pr_puts(ctx, ": ");
			pr_str_pad(ctx, p, tl);
			break;
		case TLV_SYSTEM_NAME:
			/* the system name shows without -v too, as CDP's device ID does */
			pr_puts(ctx, ": ");
			pr_str_pad(ctx, p, tl);
			break;
		case TLV_SYSTEM_DESCR:
			if (!v)
				break;
			pr_puts(ctx, "\n\t  ");
			pr_str_pad(ctx, p, tl);
			break;
		case TLV_SYSTEM_CAP:
			if (!v)
				break;
			if (tl < 4)
				goto trunc;
			cap = RD_BE16(p);
			ena = RD_BE16(p + 2);
			pr_printf(ctx, "\n\t  System  Capabilities [%s] (0x%04x)",
				  pr_bits_str(ctx, cap_names, "none", ", ", cap), cap);
			pr_printf(ctx, "\n\t  Enabled Capabilities [%s] (0x%04x)",
				  pr_bits_str(ctx, cap_names, "none", ", ", ena), ena);
			break;
		case TLV_MGMT_ADDR:
			if (v && !mgmt_addr_print(ctx, p, tl))
				goto trunc;
			break;
		case TLV_PRIVATE:
			if (!v)
				break;
			if (tl < 3)
				goto trunc;
			oui = RD_BE24(p);
			pr_printf(ctx, ": OUI %s (0x%06x)", pr_tok_str(ctx, oui_names, "Unknown", oui), oui);
			switch (oui) {
			case OUI_8021: hexdump = private_8021_print(ctx, p, tl); break;
			case OUI_8023: hexdump = private_8023_print(ctx, p, tl); break;
			case OUI_IANA: hexdump = private_iana_print(ctx, p, tl); break;
			default: hexdump = 1; break;
			}
			break;
		default: hexdump = 1; break;
		}
		if (v > 1 || (v && hexdump))
			pr_unknown_data(ctx, p, "\n\t  ", tl);
		tlen -= tl;
		p += tl;
	}
	return;
trunc:
	pr_trunc_mark(ctx);
}
