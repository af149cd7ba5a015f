/* BOOTP/DHCPv4 decoder (RFC 951, 2131, 2132 and option RFCs) printing tcpdump 4.99.3's exact text. */
#include <stdint.h>
#include <string.h>

#include "writers/print/print-int.h"

/* RFC 951 message layout. */
struct bootp_msg {
	wire_u8 op;
	wire_u8 htype;
	wire_u8 hlen;
	wire_u8 hops;
	wire_u32 xid;
	wire_u16 secs;
	wire_u16 flags;
	wire_ipv4 ciaddr;
	wire_ipv4 yiaddr;
	wire_ipv4 siaddr;
	wire_ipv4 giaddr;
	uint8_t chaddr[16];
	uint8_t sname[64];
	uint8_t file[128];
	uint8_t vend[64];
};

enum { BOOTP_REQUEST = 1, BOOTP_REPLY = 2 };

enum {
	TAG_PAD = 0,
	TAG_NETBIOS_NODE = 46,
	TAG_DHCP_MESSAGE = 53,
	TAG_OPT_OVERLOAD = 52,
	TAG_PARM_REQUEST = 55,
	TAG_CLIENT_ID = 61,
	TAG_USER_CLASS = 77,
	TAG_CLIENT_FQDN = 81,
	TAG_AGENT_CIRCUIT = 82,
	TAG_CLASSLESS_STATIC_RT = 121,
	TAG_EXTENDED_REQUEST = 126,
	TAG_EXTENDED_OPTION = 127,
	TAG_CLASSLESS_STA_RT_MS = 249,
	TAG_END = 255,
};

/*
 * Option names; the first character says how the value prints:
 * i IPv4 addresses, p address pairs, l unsigned 32-bit, L signed 32-bit,
 * s 16-bit, b dotted bytes, x colon hex bytes, a text, B booleans,
 * $ decoded by hand, ' ' no value format.
 */
static const struct pr_tok dhcp_tags[] = {
	{ 0, " PAD" },
	{ 1, "iSubnet-Mask" },
	{ 2, "LTime-Zone" },
	{ 3, "iDefault-Gateway" },
	{ 4, "iTime-Server" },
	{ 5, "iIEN-Name-Server" },
	{ 6, "iDomain-Name-Server" },
	{ 7, "iLOG" },
	{ 8, "iCS" },
	{ 9, "iLPR-Server" },
	{ 10, "iIM" },
	{ 11, "iRL" },
	{ 12, "aHostname" },
	{ 13, "sBS" },
	{ 255, " END" },
	{ 14, "aDP" },
	{ 15, "aDomain-Name" },
	{ 16, "iSS" },
	{ 17, "aRP" },
	{ 18, "aEP" },
	{ 19, "BIPF" },
	{ 20, "BSRT" },
	{ 21, "pPF" },
	{ 22, "sRSZ" },
	{ 23, "bTTL" },
	{ 24, "lMTU-Timeout" },
	{ 25, "sMTU-Table" },
	{ 26, "sMTU" },
	{ 27, "BLSN" },
	{ 28, "iBR" },
	{ 29, "BMD" },
	{ 30, "BMS" },
	{ 31, "BRouter-Discovery" },
	{ 32, "iRSA" },
	{ 33, "pStatic-Route" },
	{ 34, "BUT" },
	{ 35, "lAT" },
	{ 36, "BIE" },
	{ 37, "bTT" },
	{ 38, "lKI" },
	{ 39, "BKG" },
	{ 40, "aYD" },
	{ 41, "iYS" },
	{ 42, "iNTP" },
	{ 43, "bVendor-Option" },
	{ 44, "iNetbios-Name-Server" },
	{ 45, "iWDD" },
	{ 46, "$Netbios-Node" },
	{ 47, "aNetbios-Scope" },
	{ 48, "iXFS" },
	{ 49, "iXDM" },
	{ 64, "sN+D" },
	{ 65, "iN+S" },
	{ 68, "iMH" },
	{ 69, "iSMTP" },
	{ 70, "iPOP3" },
	{ 71, "iNNTP" },
	{ 72, "iWWW" },
	{ 73, "iFG" },
	{ 74, "iIRC" },
	{ 75, "iSTS" },
	{ 76, "iSTDA" },
	{ 50, "iRequested-IP" },
	{ 51, "lLease-Time" },
	{ 52, "$OO" },
	{ 66, "aTFTP" },
	{ 67, "aBF" },
	{ 53, " DHCP-Message" },
	{ 54, "iServer-ID" },
	{ 55, "bParameter-Request" },
	{ 56, "aMSG" },
	{ 57, "sMSZ" },
	{ 58, "lRN" },
	{ 59, "lRB" },
	{ 60, "aVendor-Class" },
	{ 61, "$Client-ID" },
	{ 98, "aUAP" },
	{ 116, "BNOAUTO" },
	{ 78, "bSLP-DA" },
	{ 79, "bSLP-SCOPE" },
	{ 117, "sNSSEARCH" },
	{ 77, "$User-Class" },
	{ 118, "iSUBNET" },
	{ 121, "$Classless-Static-Route" },
	{ 249, "$Classless-Static-Route-Microsoft" },
	{ 150, "iTFTP-Server-Address" },
	{ 80, "aSLP-NA" },
	{ 81, "$FQDN" },
	{ 82, "$Agent-Information" },
	{ 83, "bARMT" },
	{ 84, "bAMSK" },
	{ 88, "aTZSTR" },
	{ 89, "bFQDNS" },
	{ 90, "bAUTH" },
	{ 91, "lLast-Transaction-Time" },
	{ 92, "iAssociated-IP" },
	{ 93, "sARCH" },
	{ 94, "bNDI" },
	{ 97, "bGUID" },
	{ 95, "aLDAP" },
	{ 96, "i6o4" },
	{ 100, "aPOSIX-TZ" },
	{ 101, "aTZ-Name" },
	{ 110, "bIPX" },
	{ 112, "iNI" },
	{ 113, "aNITAG" },
	{ 114, "aURL" },
	{ 115, "bFAIL" },
	{ 161, "aMUD-URL" },
	{ 0, NULL },
};

/* DHCP message types (RFC 2132 9.6, RFC 4388 6.1 for lease query). */
static const struct pr_tok dhcp_msgs[] = {
	{ 1, "Discover" },
	{ 2, "Offer" },
	{ 3, "Request" },
	{ 4, "Decline" },
	{ 5, "ACK" },
	{ 6, "NACK" },
	{ 7, "Release" },
	{ 8, "Inform" },
	{ 10, "LeaseQuery" },
	{ 11, "LeaseUnassigned" },
	{ 12, "LeaseUnknown" },
	{ 13, "LeaseActive" },
	{ 0, NULL },
};

static const struct pr_tok overload_names[] = {
	{ 1, "file" },
	{ 2, "sname" },
	{ 3, "file+sname" },
	{ 0, NULL },
};

static const struct pr_tok netbios_nodes[] = {
	{ 1, "b-node" }, { 2, "p-node" }, { 4, "m-node" }, { 8, "h-node" }, { 0, NULL },
};

static const struct pr_tok arp_hw_names[] = {
	{ 1, "ether" },	 { 6, "ieee802" },   { 7, "arcnet" }, { 15, "frelay" },
	{ 23, "strip" }, { 24, "ieee1394" }, { 0, NULL },
};

/* RFC 3046 / 3993 relay agent sub-options. */
static const struct pr_tok agent_subopts[] = {
	{ 1, "Circuit-ID" },
	{ 2, "Remote-ID" },
	{ 6, "Subscriber-ID" },
	{ 0, NULL },
};

static const struct pr_tok bootp_ops[] = {
	{ BOOTP_REQUEST, "Request" },
	{ BOOTP_REPLY, "Reply" },
	{ 0, NULL },
};

static const struct pr_tok bootp_flag_bits[] = {
	{ 0x8000, "Broadcast" },
	{ 0, NULL },
};

/* The option's name with its format character, "?Unknown" when unknown. */
static const char *tag_entry(unsigned tag)
{
	const char *s = pr_tok_find(dhcp_tags, tag);

	return s ? s : "?Unknown";
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Option 82 (RFC 3046): a list of sub-options. */
static void agent_info_print(struct pctx *ctx, const uint8_t **bpp, unsigned *lenp)
{
	const uint8_t *bp = *bpp;
	unsigned len = *lenp;

	while (len >= 2) {
		unsigned sub = RD_U8(bp), sublen = RD_U8(bp + 1);
		const char *name = pr_tok_find(agent_subopts, sub);

		bp += 2;
		len -= 2;
		if (sublen > len) {
			pr_printf(ctx, "\n\t      %s SubOption %u, length %u: length goes past end of option",
				  name ? name : "Unknown", sub, sublen);
			bp += len;
			len = 0;
			break;
		}
		pr_printf(ctx, "\n\t      %s SubOption %u, length %u: ", name ? name : "Unknown", sub, sublen);
		if (name)
			pr_str_n(ctx, bp, sublen);
		else
			pr_unknown_data(ctx, bp, "\n\t\t", sublen);
		len -= sublen;
		bp += sublen;
	}
	*bpp = bp;
	*lenp = len;
}

/* Options 121/249 (RFC 3442): width, significant destination octets, router. */
static void classless_routes_print(struct pctx *ctx, const uint8_t **bpp, unsigned *lenp)
{
	const uint8_t *bp = *bpp;
	unsigned len = *lenp;
	int first = 1;

	if (len < 5) {
		pr_puts(ctx, "ERROR: length < 5 bytes");
		*bpp = bp + len;
		*lenp = 0;
		return;
	}
	while (len > 0) {
		unsigned width, octets, i;

		if (!first)
			pr_putc(ctx, ',');
		width = RD_U8(bp);
		bp++;
		len--;
		if (width > 32) {
			pr_printf(ctx, "[ERROR: Mask width (%u) > 32]", width);
			bp += len;
			len = 0;
			break;
		}
		octets = (width + 7) / 8;
		if (len < octets + 4) {
			pr_printf(ctx, "[ERROR: Remaining length (%u) < %u bytes]", len, octets + 4);
			bp += len;
			len = 0;
			break;
		}
		pr_putc(ctx, '(');
		if (width == 0)
			pr_puts(ctx, "default");
		else {
			for (i = 0; i < octets; i++, bp++)
				pr_printf(ctx, "%s%u", i ? "." : "", RD_U8(bp));
			for (i = octets; i < 4; i++)
				pr_puts(ctx, ".0");
			pr_printf(ctx, "/%u", width);
		}
		pr_printf(ctx, ":%s)", RD_IPV4(bp));
		bp += 4;
		len -= octets + 4;
		first = 0;
	}
	*bpp = bp;
	*lenp = len;
}

/* Option 77 (RFC 3004): length-prefixed user class instances. */
static void user_class_print(struct pctx *ctx, const uint8_t **bpp, unsigned *lenp)
{
	const uint8_t *bp = *bpp;
	unsigned len = *lenp, n = 1;

	if (len < 2) {
		pr_puts(ctx, "ERROR: length < 2 bytes");
		*bpp = bp + len;
		*lenp = 0;
		return;
	}
	while (len > 0) {
		unsigned sublen = RD_U8(bp);

		bp++;
		len--;
		pr_printf(ctx, "\n\t      instance#%u: ", n);
		if (sublen == 0) {
			pr_puts(ctx, "ERROR: suboption length must be non-zero");
			bp += len;
			len = 0;
			break;
		}
		if (len < sublen) {
			pr_puts(ctx, "ERROR: invalid option");
			bp += len;
			len = 0;
			break;
		}
		pr_putc(ctx, '"');
		pr_str_n(ctx, bp, sublen);
		pr_printf(ctx, "\", length %u", sublen);
		n++;
		len -= sublen;
		bp += sublen;
	}
	*bpp = bp;
	*lenp = len;
}

/* The options tcpdump decodes by hand ('$'). */
static void special_print(struct pctx *ctx, unsigned tag, const uint8_t **bpp, unsigned *lenp)
{
	const uint8_t *bp = *bpp;
	unsigned len = *lenp;

	switch (tag) {
	case TAG_NETBIOS_NODE:
	case TAG_OPT_OVERLOAD:
		if (len < 1) {
			pr_puts(ctx, "ERROR: length < 1 bytes");
			break;
		}
		pr_puts(ctx,
			or_empty(pr_tok_find(tag == TAG_NETBIOS_NODE ? netbios_nodes : overload_names, RD_U8(bp))));
		bp++;
		len--;
		break;
	case TAG_CLIENT_FQDN: {
		/* RFC 4702: flags, two obsolete rcode bytes, then the name */
		unsigned fl;

		if (len < 3) {
			pr_puts(ctx, "ERROR: length < 3 bytes");
			bp += len;
			len = 0;
			break;
		}
		fl = RD_U8(bp);
		if (fl)
			pr_printf(ctx, "[%s%s%s%s] ", fl & 1 ? "S" : "", fl & 2 ? "O" : "", fl & 4 ? "E" : "",
				  fl & 8 ? "N" : "");
		if (RD_U8(bp + 1) || RD_U8(bp + 2))
			pr_printf(ctx, "%u/%u ", RD_U8(bp + 1), RD_U8(bp + 2));
		bp += 3;
		pr_putc(ctx, '"');
		pr_str_n(ctx, bp, len - 3);
		pr_putc(ctx, '"');
		bp += len - 3;
		len = 0;
		break;
	}
	case TAG_CLIENT_ID: {
		unsigned type, first = 1;

		if (len < 1) {
			pr_puts(ctx, "ERROR: length < 1 bytes");
			break;
		}
		type = RD_U8(bp);
		bp++;
		len--;
		if (type == 0) {
			pr_putc(ctx, '"');
			pr_str_n(ctx, bp, len);
			pr_putc(ctx, '"');
			bp += len;
			len = 0;
			break;
		}
		pr_printf(ctx, "%s ", pr_tok_str(ctx, arp_hw_names, "hardware-type %u,", type));
		for (; len > 0; bp++, len--, first = 0)
			pr_printf(ctx, "%s%02x", first ? "" : ":", RD_U8(bp));
		break;
	}
	case TAG_AGENT_CIRCUIT: agent_info_print(ctx, &bp, &len); break;
	case TAG_CLASSLESS_STATIC_RT:
	case TAG_CLASSLESS_STA_RT_MS: classless_routes_print(ctx, &bp, &len); break;
	case TAG_USER_CLASS: user_class_print(ctx, &bp, &len); break;
	default:
		pr_printf(ctx, "[unknown special tag %u, size %u]", tag, len);
		bp += len;
		len = 0;
		break;
	}
	*bpp = bp;
	*lenp = len;
}

/* The value of one option in its table format; leaves what it did not use in *lenp. */
static void value_print(struct pctx *ctx, int fmt, unsigned tag, const uint8_t **bpp, unsigned *lenp)
{
	const uint8_t *bp = *bpp;
	unsigned len = *lenp;
	int first = 1;

	switch (fmt) {
	case 'a':
		pr_putc(ctx, '"');
		pr_str_n(ctx, bp, len);
		pr_putc(ctx, '"');
		bp += len;
		len = 0;
		break;
	case 'i':
	case 'l':
	case 'L':
		for (; len >= 4; bp += 4, len -= 4, first = 0) {
			if (!first)
				pr_putc(ctx, ',');
			if (fmt == 'i')
				pr_puts(ctx, RD_IPV4(bp));
			else if (fmt == 'L')
				pr_printf(ctx, "%d", RD_BE_S32(bp));
			else
				pr_printf(ctx, "%u", RD_BE32(bp));
		}
		break;
	case 'p':
		for (; len >= 8; bp += 8, len -= 8, first = 0)
			pr_printf(ctx, "%s(%s:%s)", first ? "" : ",", RD_IPV4(bp), RD_IPV4(bp + 4));
		break;
	case 's':
		for (; len >= 2; bp += 2, len -= 2, first = 0)
			pr_printf(ctx, "%s%u", first ? "" : ",", RD_BE16(bp));
		break;
	case 'B':
		for (; len > 0; bp++, len--, first = 0) {
			unsigned v = RD_U8(bp);

			if (!first)
				pr_putc(ctx, ',');
			if (v <= 1)
				pr_putc(ctx, v ? 'Y' : 'N');
			else
				pr_printf(ctx, "%u?", v);
		}
		break;
	case '$': special_print(ctx, tag, &bp, &len); break;
	default: /* 'b', 'x' and the unformatted */
		for (; len > 0; bp++, len--, first = 0) {
			if (!first)
				pr_putc(ctx, fmt == 'x' ? ':' : '.');
			pr_printf(ctx, fmt == 'x' ? "%02x" : "%u", RD_U8(bp));
		}
		break;
	}
	*bpp = bp;
	*lenp = len;
}

/* RFC 1497 / 2132 vendor extensions after the magic cookie. */
static void rfc1048_print(struct pctx *ctx, const uint8_t *bp)
{
	pr_puts(ctx, "\n\t  Vendor-rfc1048 Extensions");
	pr_printf(ctx, "\n\t    Magic Cookie 0x%08x", RD_BE32(bp));
	bp += 4;

	while (HAVE(bp, 1)) {
		unsigned tag = *bp++, len;
		const char *name;
		int fmt;

		if (tag == TAG_PAD && ctx->opts.verbose < 3)
			continue;
		if (tag == TAG_END && ctx->opts.verbose < 3)
			return;
		if (tag == TAG_EXTENDED_OPTION) {
			/* no 2-byte tags are named */
			tag = RD_BE16(bp + 1);
			name = "?Unknown";
		} else
			name = tag_entry(tag);
		fmt = name[0];
		name++;
		if (tag == TAG_PAD || tag == TAG_END)
			len = 0;
		else
			len = RD_U8(bp++);
		pr_printf(ctx, "\n\t    %s (%u), length %u%s", name, tag, len, len > 0 ? ": " : "");

		if (tag == TAG_PAD && ctx->opts.verbose > 2) {
			unsigned n = 1;

			while (HAVE(bp, 1) && *bp == TAG_PAD) {
				bp++;
				n++;
			}
			if (n > 1)
				pr_printf(ctx, ", occurs %u", n);
		}
		NEED(bp, len);
		if (tag == TAG_DHCP_MESSAGE && len == 1) {
			pr_puts(ctx, pr_tok_str(ctx, dhcp_msgs, "Unknown (%u)", RD_U8(bp)));
			bp++;
			continue;
		}
		if (tag == TAG_PARM_REQUEST) {
			unsigned idx = 0;

			for (; len > 0; bp++, len--, idx++) {
				unsigned t = RD_U8(bp);

				pr_puts(ctx, idx % 4 == 0 ? "\n\t      " : ", ");
				pr_printf(ctx, "%s (%u)", tag_entry(t) + 1, t);
			}
			continue;
		}
		if (tag == TAG_EXTENDED_REQUEST) {
			int first = 1;

			for (; len > 1; bp += 2, len -= 2, first = 0)
				pr_printf(ctx, "%sUnknown (%u)", first ? "" : "+", RD_BE16(bp));
			continue;
		}
		if (fmt == '?') {
			/* guess a format for unknown tags from the size */
			if (len & 1)
				fmt = 'b';
			else if (len & 2)
				fmt = 's';
			else
				fmt = 'l';
		}
		value_print(ctx, fmt, tag, &bp, &len);
		if (len) {
			pr_printf(ctx, "\n\t  trailing data length %u", len);
			bp += len;
		}
	}
}

/* CMU vendor area: flags, then the non-zero addresses. */
static void cmu_print(struct pctx *ctx, const uint8_t *bp)
{
	static const char *const names[] = { "NS1", "NS2", "IEN1", "IEN2", "TS1", "TS2" };
	unsigned flags, i;
	const uint8_t *a;

	pr_puts(ctx, " vend-cmu");
	flags = RD_U8(bp + 4);
	NEED(bp + 4, 4);
	if (flags & ~1u)
		pr_printf(ctx, " F:0x%x", flags);
	if (RD_BE32(bp + 12))
		pr_printf(ctx, " DG:%s", RD_IPV4(bp + 12));
	if (RD_BE32(bp + 8))
		pr_printf(ctx, " %s:%s", flags & 1 ? "SM" : "SM*", RD_IPV4(bp + 8));
	for (i = 0, a = bp + 16; i < 6; i++, a += 4)
		if (RD_BE32(a))
			pr_printf(ctx, " %s:%s", names[i], RD_IPV4(a));
}

/* sname / file: NUL-terminated text; returns -1 after marking truncation. */
static int field_str_print(struct pctx *ctx, const char *label, const uint8_t *s, unsigned n)
{
	if (!RD_U8(s))
		return 0;
	pr_printf(ctx, "\n\t  %s \"", label);
	if (pr_str_z(ctx, s, n) == 0) {
		pr_putc(ctx, '"');
		pr_trunc_mark(ctx);
		return -1;
	}
	pr_putc(ctx, '"');
	return 0;
}

static void addr_field_print(struct pctx *ctx, const char *label, const uint8_t *a)
{
	if (RD_BE32(a))
		pr_printf(ctx, "\n\t  %s %s", label, RD_IPV4(a));
}

void bootp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	static const uint8_t rfc1048_magic[4] = { 99, 130, 83, 99 };
	static const uint8_t cmu_magic[4] = { 'C', 'M', 'U', 0 };
	const struct bootp_msg *m = (const struct bootp_msg *)bp;
	unsigned op, htype, hlen, v;

	PR_PROTO(ctx, "bootp");
	op = RD_U8(&m->op);
	pr_printf(ctx, "BOOTP/DHCP, %s", pr_tok_str(ctx, bootp_ops, "unknown (0x%02x)", op));
	htype = RD_U8(&m->htype);
	hlen = RD_U8(&m->hlen);
	if (htype == 1 && hlen == 6 && op == BOOTP_REQUEST)
		pr_printf(ctx, " from %s", RD_MAC(m->chaddr));
	pr_printf(ctx, ", length %u", length);
	if (!ctx->opts.verbose)
		return;

	NEED(m->secs, 2);
	if (htype != 1)
		pr_printf(ctx, ", htype %u", htype);
	if (htype != 1 || hlen != 6)
		pr_printf(ctx, ", hlen %u", hlen);
	if ((v = RD_U8(&m->hops)))
		pr_printf(ctx, ", hops %u", v);
	if ((v = RD_BE32(m->xid)))
		pr_printf(ctx, ", xid 0x%x", v);
	if ((v = RD_BE16(m->secs)))
		pr_printf(ctx, ", secs %u", v);
	v = RD_BE16(m->flags);
	pr_printf(ctx, ", Flags [%s]", pr_bits_str(ctx, bootp_flag_bits, "none", ", ", v));
	if (ctx->opts.verbose > 1)
		pr_printf(ctx, " (0x%04x)", v);

	addr_field_print(ctx, "Client-IP", m->ciaddr);
	addr_field_print(ctx, "Your-IP", m->yiaddr);
	addr_field_print(ctx, "Server-IP", m->siaddr);
	addr_field_print(ctx, "Gateway-IP", m->giaddr);
	if (htype == 1 && hlen == 6)
		pr_printf(ctx, "\n\t  Client-Ethernet-Address %s", RD_MAC(m->chaddr));
	if (field_str_print(ctx, "sname", m->sname, sizeof(m->sname)) < 0)
		return;
	if (field_str_print(ctx, "file", m->file, sizeof(m->file)) < 0)
		return;

	NEED(m->vend, 4);
	if (memcmp(m->vend, rfc1048_magic, 4) == 0)
		rfc1048_print(ctx, m->vend);
	else if (memcmp(m->vend, cmu_magic, 4) == 0)
		cmu_print(ctx, m->vend);
	else if ((v = RD_BE32(m->vend)))
		pr_printf(ctx, "\n\t  Vendor-#0x%x", v);
}
