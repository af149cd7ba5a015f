/* Cisco Discovery Protocol (CDP v1/v2), carried in SNAP with Cisco's OUI and PID 0x2000. */
#include <string.h>

#include "writers/print/print-int.h"

#define CDP_HDR_LEN 4
#define CDP_TLV_HDR_LEN 4

#define T_DEV_ID 0x01
#define T_MAX 0x17

static const struct pr_tok cap_names[] = {
	{ 0x01, "Router" },	{ 0x02, "Transparent Bridge" }, { 0x04, "Source Route Bridge" }, { 0x08, "L2 Switch" },
	{ 0x10, "L3 capable" }, { 0x20, "IGMP snooping" },	{ 0x40, "L1 capable" },		 { 0, NULL },
};

static void print_string(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	pr_putc(ctx, '\'');
	pr_str_n(ctx, p, len);
	pr_putc(ctx, '\'');
}

/*
 * Address list (Address and Management Addresses): count, then (protocol type, protocol, address)
 * triples. A count or a length that does not fit says so and ends the list; like tcpdump 4.99 the
 * rest of the value must still be captured, and the TLVs after it are printed.
 */
static void print_addrs(struct pctx *ctx, const uint8_t *p, unsigned l)
{
	static const uint8_t llc_ipv6[8] = { 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd };
	unsigned num, pt, pl, al;

	if (l < 4) {
		pr_puts(ctx, " (not enough space for num)");
		goto invalid;
	}
	num = RD_BE32(p);
	p += 4;
	l -= 4;
	while (num) {
		if (l < 2) {
			pr_puts(ctx, " (not enough space for PT+PL)");
			goto invalid;
		}
		pt = RD_U8(p);
		pl = RD_U8(p + 1);
		p += 2;
		l -= 2;
		if (l < pl + 2) {
			pr_puts(ctx, " (not enough space for P+AL)");
			goto invalid;
		}
		al = RD_BE16(p + pl);
		if ((pt == 1 && pl == 1 && RD_U8(p) == 0xcc && al == 4) ||
		    (pt == 2 && pl == 8 && HAVE(p, 8) && memcmp(p, llc_ipv6, 8) == 0 && al == 16)) {
			/* IPv4 by its NLPID, IPv6 by an LLC/SNAP header with the IPv6 ethertype */
			p += pl + 2;
			l -= pl + 2;
			if (l < al) {
				pr_puts(ctx, " (not enough space for A)");
				goto invalid;
			}
			if (al == 4)
				pr_printf(ctx, "IPv4 (%u) %s", num, RD_IPV4(p));
			else
				pr_printf(ctx, "IPv6 (%u) %s", num, RD_IPV6(p));
		} else {
			pr_printf(ctx, "pt=0x%02x, pl=%u, pb=", pt, pl);
			for (; pl; pl--, p++, l--)
				pr_printf(ctx, " %02x", RD_U8(p));
			pr_printf(ctx, ", al=%u, a=", al);
			p += 2;
			l -= 2;
			if (l < al) {
				pr_puts(ctx, " (not enough space for A)");
				goto invalid;
			}
			for (unsigned i = 0; i < al; i++)
				pr_printf(ctx, " %02x", RD_U8(p + i));
		}
		p += al;
		l -= al;
		num--;
		if (num)
			pr_putc(ctx, ' ');
	}
	if (l)
		pr_printf(ctx, " (%u bytes of stray data)", l);
	return;
invalid:
	NEED(p, l);
}

static void print_prefixes(struct pctx *ctx, const uint8_t *p, unsigned l)
{
	if (l % 5) {
		pr_printf(ctx, " [length %u is not a multiple of 5]", l);
		NEED(p, l);
		return;
	}
	pr_printf(ctx, " IPv4 Prefixes (%u):", l / 5);
	for (; l > 0; l -= 5, p += 5)
		pr_printf(ctx, " %u.%u.%u.%u/%u", RD_U8(p), RD_U8(p + 1), RD_U8(p + 2), RD_U8(p + 3), RD_U8(p + 4));
}

/* Each line of the version text on its own indented line. */
static void print_version(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	pr_puts(ctx, "\n\t  ");
	for (unsigned i = 0; i < len; i++) {
		uint8_t c = RD_U8(p + i);

		if (c == '\n')
			pr_puts(ctx, "\n\t  ");
		else
			pr_char(ctx, c);
	}
}

/* The value of a known TLV whose length is in its range. */
static void print_value(struct pctx *ctx, unsigned type, const uint8_t *p, unsigned len)
{
	uint32_t v;

	switch (type) {
	case 0x01:
	case 0x03:
	case 0x06:
	case 0x09:
	case 0x14: print_string(ctx, p, len); break;
	case 0x02:
	case 0x16: print_addrs(ctx, p, len); break;
	case 0x04:
		v = RD_BE32(p);
		pr_printf(ctx, "(0x%08x): %s", v, pr_bits_str(ctx, cap_names, "none", ", ", v));
		break;
	case 0x05: print_version(ctx, p, len); break;
	case 0x07: print_prefixes(ctx, p, len); break;
	case 0x0a: pr_printf(ctx, "%u", RD_BE16(p)); break;
	case 0x0b: pr_puts(ctx, RD_U8(p) ? "full" : "half"); break;
	case 0x0e:
	case 0x0f:
		/* the 2-byte request form is not documented */
		if (len == 2)
			pr_printf(ctx, "unknown 0x%04x", RD_BE16(p));
		else
			pr_printf(ctx, "app %u, vlan %u", RD_U8(p), RD_BE16(p + 1));
		break;
	case 0x10:
		v = len == 1 ? RD_U8(p) : len == 2 ? RD_BE16(p) : RD_BE24(p);
		pr_printf(ctx, "%1.2fW", v / 1000.0);
		break;
	case 0x11: pr_printf(ctx, "%u bytes", RD_BE32(p)); break;
	case 0x12:
	case 0x13: pr_printf(ctx, "0x%02x", RD_U8(p)); break;
	case 0x17:
		pr_printf(ctx, "0x%02x", RD_U8(p));
		if (len > 1) {
			pr_putc(ctx, '/');
			pr_str_n(ctx, p + 1, len - 1);
		}
		break;
	default:
		/* Protocol-Hello, System Object ID and the unnamed slots: checked, not printed */
		NEED(p, len);
		break;
	}
}

/*
 * The TLV types below T_MAX, as tcpdump 4.99 knows them: a name (NULL: "unknown field type", but
 * still known, so not dumped at -v) and the value lengths it accepts (0: any).
 */
static const struct {
	const char *name;
	uint16_t min, max;
} tlvs[T_MAX + 1] = {
	[0x01] = { "Device-ID", 0, 0 },
	[0x02] = { "Address", 0, 0 },
	[0x03] = { "Port-ID", 0, 0 },
	[0x04] = { "Capability", 4, 4 },
	[0x05] = { "Version String", 0, 0 },
	[0x06] = { "Platform", 0, 0 },
	[0x07] = { "Prefixes", 0, 0 },
	[0x08] = { "Protocol-Hello option", 0, 0 },
	[0x09] = { "VTP Management Domain", 0, 0 },
	[0x0a] = { "Native VLAN ID", 2, 2 },
	[0x0b] = { "Duplex", 1, 1 },
	[0x0e] = { "ATA-186 VoIP VLAN assignment", 3, 3 },
	[0x0f] = { "ATA-186 VoIP VLAN request", 2, 3 },
	[0x10] = { "power consumption", 1, 3 },
	[0x11] = { "MTU", 4, 4 },
	[0x12] = { "AVVID trust bitmap", 1, 1 },
	[0x13] = { "AVVID untrusted ports CoS", 1, 1 },
	[0x14] = { "System Name", 0, 0 },
	[0x15] = { "System Object ID (not decoded)", 0, 0 },
	[0x16] = { "Management Addresses", 4, 0 },
	[0x17] = { "Physical Location", 1, 0 },
};

void cdp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	const uint8_t *p = bp;
	unsigned orig_length = length, checksum;

	PR_PROTO(ctx, "cdp");
	if (length < CDP_HDR_LEN) {
		pr_printf(ctx, " (packet length %u < %u)", length, CDP_HDR_LEN);
		goto invalid;
	}
	pr_printf(ctx, "CDPv%u, ttl: %us", RD_U8(p), RD_U8(p + 1));
	checksum = RD_BE16(p + 2);
	if (ctx->opts.verbose)
		pr_printf(ctx, ", checksum: 0x%04x (unverified), length %u", checksum, orig_length);
	p += CDP_HDR_LEN;
	length -= CDP_HDR_LEN;
	while (length) {
		unsigned type, len, known, covered = 0;
		const char *name;

		if (length < CDP_TLV_HDR_LEN) {
			pr_printf(ctx, " (remaining packet length %u < %u)", length, CDP_TLV_HDR_LEN);
			goto invalid;
		}
		type = RD_BE16(p);
		len = RD_BE16(p + 2);
		known = type <= T_MAX;
		name = known && tlvs[type].name ? tlvs[type].name : "unknown field type";
		if (len < CDP_TLV_HDR_LEN) {
			if (ctx->opts.verbose)
				pr_printf(ctx, "\n\t%s (0x%02x), TLV length: %u byte%s (too short)", name, type, len,
					  len == 1 ? "" : "s");
			else
				pr_printf(ctx, ", %s TLV length %u too short", name, len);
			goto invalid;
		}
		if (len > length) {
			pr_printf(ctx, " (TLV length %u > %u)", len, length);
			goto invalid;
		}
		p += CDP_TLV_HDR_LEN;
		length -= CDP_TLV_HDR_LEN;
		len -= CDP_TLV_HDR_LEN;
		if (!ctx->opts.verbose && type == T_DEV_ID)
			pr_puts(ctx, ", Device-ID ");
		else if (ctx->opts.verbose)
			pr_printf(ctx, "\n\t%s (0x%02x), value length: %u byte%s: ", name, type, len,
				  len == 1 ? "" : "s");
		if (known) {
			if ((tlvs[type].min && len < tlvs[type].min) || (tlvs[type].max && len > tlvs[type].max)) {
				pr_puts(ctx, " (malformed TLV)");
			} else if (ctx->opts.verbose || type == T_DEV_ID) {
				print_value(ctx, type, p, len);
				covered = 1;
			}
		}
		if (!covered) {
			/* tcpdump 4.99 dumps every other TLV's value in hex without -v */
			NEED(p, len);
			pr_unknown_data(ctx, p, "\n\t  ", len);
		}
		p += len;
		length -= len;
	}
	if (!ctx->opts.verbose)
		pr_printf(ctx, ", length %u", orig_length);
	return;
invalid:
	pr_invalid(ctx);
	NEED(p, length);
}
