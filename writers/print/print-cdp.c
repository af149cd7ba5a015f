/* Cisco Discovery Protocol (CDP v1/v2), carried in SNAP with Cisco's OUI and PID 0x2000. */
#include <string.h>

#include "print-int.h"

#define CDP_HDR_LEN 4
#define CDP_TLV_HDR_LEN 4

enum {
	T_DEV_ID = 0x01,
	T_ADDRESS = 0x02,
	T_PORT_ID = 0x03,
	T_CAPABILITIES = 0x04,
	T_VERSION = 0x05,
	T_PLATFORM = 0x06,
	T_PREFIXES = 0x07,
	T_PROT_HELLO = 0x08,
	T_VTP_DOMAIN = 0x09,
	T_NATIVE_VLAN = 0x0a,
	T_DUPLEX = 0x0b,
	T_ATA_REQ = 0x0e,
	T_ATA_ASSIGN = 0x0f,
	T_POWER = 0x10,
	T_MTU = 0x11,
	T_TRUST = 0x12,
	T_UNTRUSTED_COS = 0x13,
	T_SYSNAME = 0x14,
	T_SYSOID = 0x15,
	T_MGMT_ADDR = 0x16,
	T_LOCATION = 0x17,
};

static const struct pr_tok tlv_names[] = {
	{ T_DEV_ID, "Device-ID" },
	{ T_ADDRESS, "Address" },
	{ T_PORT_ID, "Port-ID" },
	{ T_CAPABILITIES, "Capability" },
	{ T_VERSION, "Version String" },
	{ T_PLATFORM, "Platform" },
	{ T_PREFIXES, "Prefixes" },
	{ T_PROT_HELLO, "Protocol-Hello option" },
	{ T_VTP_DOMAIN, "VTP Management Domain" },
	{ T_NATIVE_VLAN, "Native VLAN ID" },
	{ T_DUPLEX, "Duplex" },
	{ T_ATA_REQ, "ATA-186 VoIP VLAN request" },
	{ T_ATA_ASSIGN, "ATA-186 VoIP VLAN assignment" },
	{ T_POWER, "power consumption" },
	{ T_MTU, "MTU" },
	{ T_TRUST, "AVVID trust bitmap" },
	{ T_UNTRUSTED_COS, "AVVID untrusted ports CoS" },
	{ T_SYSNAME, "System Name" },
	{ T_SYSOID, "System Object ID (not decoded)" },
	{ T_MGMT_ADDR, "Management Addresses" },
	{ T_LOCATION, "Physical Location" },
	{ 0, NULL },
};

static const struct pr_tok cap_names[] = {
	{ 0x01, "Router" },	{ 0x02, "Transparent Bridge" }, { 0x04, "Source Route Bridge" }, { 0x08, "L2 Switch" },
	{ 0x10, "L3 capable" }, { 0x20, "IGMP snooping" },	{ 0x40, "L1 capable" },		 { 0, NULL },
};

static void quoted(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	pr_putc(ctx, '\'');
	pr_str_n(ctx, p, len);
	pr_putc(ctx, '\'');
}

/* Address list: count, then (protocol type, protocol, address) triples. Returns -1 when it runs short. */
static int print_addrs(struct pctx *ctx, const uint8_t *p, unsigned l)
{
	static const uint8_t llc_ipv6[8] = { 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd };
	const uint8_t *endp = p + l;
	unsigned num, pt, pl, al;

	if (l < 4)
		return -1;
	num = RD_BE32(p);
	p += 4;
	while (p < endp && num > 0) {
		if (endp - p < 2)
			return -1;
		pt = RD_U8(p);
		pl = RD_U8(p + 1);
		p += 2;
		if (endp - p < (long)pl + 2)
			return -1;
		al = RD_BE16(p + pl);
		if (pt == 1 && pl == 1 && RD_U8(p) == 0xcc && al == 4) {
			p += 3;
			if (endp - p < 4)
				return -1;
			pr_printf(ctx, "IPv4 (%u) %s", num, RD_IPV4(p));
			p += 4;
		} else if (pt == 2 && pl == 8 && HAVE(p, 8) && memcmp(p, llc_ipv6, 8) == 0 && al == 16) {
			p += 10;
			if (endp - p < 16)
				return -1;
			pr_printf(ctx, "IPv6 (%u) %s", num, RD_IPV6(p));
			p += 16;
		} else {
			pr_printf(ctx, "pt=0x%02x, pl=%u, pb=", pt, pl);
			while (pl-- > 0) {
				pr_printf(ctx, " %02x", RD_U8(p));
				p++;
			}
			pr_printf(ctx, ", al=%u, a=", al);
			p += 2;
			if (endp - p < (long)al)
				return -1;
			while (al-- > 0) {
				pr_printf(ctx, " %02x", RD_U8(p));
				p++;
			}
		}
		num--;
		if (num)
			pr_putc(ctx, ' ');
	}
	return 0;
}

/* One TLV value at -v; returns -1 when it is shorter than its type needs. */
static int print_value(struct pctx *ctx, unsigned type, const uint8_t *p, unsigned len)
{
	unsigned i;

	switch (type) {
	case T_DEV_ID:
	case T_PORT_ID:
	case T_PLATFORM:
	case T_VTP_DOMAIN:
	case T_SYSNAME: quoted(ctx, p, len); break;
	case T_ADDRESS:
	case T_MGMT_ADDR: return print_addrs(ctx, p, len);
	case T_CAPABILITIES:
		if (len < 4)
			return -1;
		pr_printf(ctx, "(0x%08x): %s", RD_BE32(p), pr_bits_str(ctx, cap_names, "none", ", ", RD_BE32(p)));
		break;
	case T_VERSION:
		/* each line of the version text on its own indented line */
		pr_puts(ctx, "\n\t  ");
		for (i = 0; i < len; i++) {
			uint8_t c = RD_U8(p + i);

			if (c == '\n')
				pr_puts(ctx, "\n\t  ");
			else
				pr_char(ctx, c);
		}
		break;
	case T_PREFIXES:
		if (len % 5)
			return -1;
		pr_printf(ctx, " IPv4 Prefixes (%u):", len / 5);
		for (i = 0; i < len; i += 5)
			pr_printf(ctx, " %s/%u", pr_ipv4_num(ctx, p + i), RD_U8(p + i + 4));
		break;
	case T_PROT_HELLO: break;
	case T_NATIVE_VLAN:
		if (len < 2)
			return -1;
		pr_printf(ctx, "%u", RD_BE16(p));
		break;
	case T_DUPLEX:
		if (len < 1)
			return -1;
		pr_puts(ctx, RD_U8(p) ? "full" : "half");
		break;
	case T_ATA_REQ:
		if (len < 3)
			return -1;
		pr_printf(ctx, "app %u, vlan %u", RD_U8(p), RD_BE16(p + 1));
		break;
	case T_POWER: {
		unsigned long v = 0;

		for (i = 0; i < len && i < sizeof(v); i++)
			v = (v << 8) | RD_U8(p + i);
		pr_printf(ctx, "%1.2fW", v / 1000.0);
		break;
	}
	case T_MTU:
		if (len < 4)
			return -1;
		pr_printf(ctx, "%u bytes", RD_BE32(p));
		break;
	case T_TRUST:
	case T_UNTRUSTED_COS:
		if (len < 1)
			return -1;
		pr_printf(ctx, "0x%02x", RD_U8(p));
		break;
	case T_LOCATION:
		if (len < 1)
			return -1;
		pr_printf(ctx, "0x%02x", RD_U8(p));
		if (len > 1) {
			pr_putc(ctx, '/');
			pr_str_n(ctx, p + 1, len - 1);
		}
		break;
	default: pr_unknown_data(ctx, p, "\n\t  ", len); break;
	}
	return 0;
}

void cdp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	const uint8_t *p = bp, *end = bp + length;
	unsigned caplen = pr_left(ctx, bp);

	PR_PROTO(ctx, "cdp");
	if (caplen < CDP_HDR_LEN) {
		pr_trunc_mark(ctx);
		return;
	}
	pr_printf(ctx, "CDPv%u, ttl: %us", RD_U8(p), RD_U8(p + 1));
	if (ctx->opts.verbose)
		pr_printf(ctx, ", checksum: 0x%04x (unverified), length %u", RD_BE16(p + 2), length);
	p += CDP_HDR_LEN;
	while (p < end) {
		unsigned type = RD_BE16(p), len = RD_BE16(p + 2);
		const char *name = pr_tok_str(ctx, tlv_names, "unknown field type", type);

		if (len < CDP_TLV_HDR_LEN) {
			if (ctx->opts.verbose)
				pr_printf(ctx, "\n\t%s (0x%02x), TLV length: %u byte%s (too short)", name, type, len,
					  len == 1 ? "" : "s");
			else
				pr_printf(ctx, ", %s TLV length %u too short", name, len);
			break;
		}
		p += CDP_TLV_HDR_LEN;
		len -= CDP_TLV_HDR_LEN;
		NEED(p, len);
		if (ctx->opts.verbose) {
			pr_printf(ctx, "\n\t%s (0x%02x), value length: %u byte%s: ", name, type, len,
				  len == 1 ? "" : "s");
			if (print_value(ctx, type, p, len) < 0)
				pr_trunc(ctx);
		} else if (type == T_DEV_ID) {
			pr_puts(ctx, ", Device-ID ");
			quoted(ctx, p, len);
		} else {
			/* tcpdump 4.99 dumps every other TLV's value in hex without -v */
			pr_unknown_data(ctx, p, "\n\t  ", len);
		}
		p += len;
	}
	if (!ctx->opts.verbose)
		pr_printf(ctx, ", length %u", caplen);
}
