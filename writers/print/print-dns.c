/* DNS and mDNS message decoder (RFC 1035, 6891 EDNS, 6762 mDNS) printing tcpdump 4.99.3's exact text. */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "writers/print/print-int.h"

/* Header flag bits (RFC 1035 4.1.1, RFC 4035 3.2 for AD/CD). */
#define DNS_QR 0x8000
#define DNS_AA 0x0400
#define DNS_TC 0x0200
#define DNS_RD 0x0100
#define DNS_RA 0x0080
#define DNS_AD 0x0020
#define DNS_CD 0x0010
#define DNS_OPCODE(f) (((f) >> 11) & 0xf)
#define DNS_RCODE(f) ((f)&0xf)
#define OPCODE_IQUERY 1

/* Label types: top two bits of the length byte (RFC 1035 4.1.4, RFC 6891 for 01). */
#define LBL_MASK 0xc0
#define LBL_PLAIN 0x00
#define LBL_EDNS0 0x40
#define LBL_RESERVED 0x80
#define LBL_POINTER 0xc0
#define ELT_BITLABEL 0x01 /* RFC 2673 bit-string label */
#define MAX_NAME 255	  /* RFC 1035 2.3.4, presentation characters tcpdump allows */

#define CLASS_IN 1
#define MDNS_QU 0x8000		/* RFC 6762 5.4: unicast response wanted */
#define MDNS_CACHE_FLUSH 0x8000 /* RFC 6762 10.2 */

enum {
	T_A = 1,
	T_NS = 2,
	T_CNAME = 5,
	T_SOA = 6,
	T_PTR = 12,
	T_MX = 15,
	T_TXT = 16,
	T_AAAA = 28,
	T_SRV = 33,
	T_A6 = 38,
	T_DNAME = 39,
	T_OPT = 41,
	T_UNSPECA = 103,
	T_TSIG = 250,
	T_URI = 256,
};

/* EDNS option codes (IANA "DNS EDNS0 Option Codes"). */
enum {
	E_NSID = 3,
	E_DAU = 5,
	E_DHU = 6,
	E_N3U = 7,
	E_ECS = 8,
	E_EXPIRE = 9,
	E_COOKIE = 10,
	E_KEEPALIVE = 11,
	E_PADDING = 12,
	E_CHAIN = 13,
	E_KEYTAG = 14,
};

/* tcpdump's wording, " update" for opcode 5 included. */
static const char *const dns_ops[16] = {
	"",	" inv_q",   " stat",	" op3",	     " notify",	 " update",   " op6",	   " op7",
	" op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef",
};

/* Extended rcodes; 17 and 21 lack the leading space in tcpdump 4.99.3, kept for identical output. */
static const char *const dns_rcodes[24] = {
	"",	    " FormErr", " ServFail", " NXDomain", " NotImp", " Refused", " YXDomain", " YXRRSet",
	" NXRRSet", " NotAuth", " NotZone",  " Resp11",	  " Resp12", " Resp13",	 " Resp14",   " NoChange",
	" BadVers", "Resp17",	" Resp18",   " Resp19",	  " Resp20", "Resp21",	 " Resp22",   " BadCookie",
};

/* IANA "Resource Record (RR) TYPEs", the subset tcpdump names. */
static const struct pr_tok dns_types[] = {
	{ 1, "A" },	 { 2, "NS" },	   { 3, "MD" },	       { 4, "MF" },	{ 5, "CNAME" },	    { 6, "SOA" },
	{ 7, "MB" },	 { 8, "MG" },	   { 9, "MR" },	       { 10, "NULL" },	{ 11, "WKS" },	    { 12, "PTR" },
	{ 13, "HINFO" }, { 14, "MINFO" },  { 15, "MX" },       { 16, "TXT" },	{ 17, "RP" },	    { 18, "AFSDB" },
	{ 19, "X25" },	 { 20, "ISDN" },   { 21, "RT" },       { 22, "NSAP" },	{ 23, "NSAP_PTR" }, { 24, "SIG" },
	{ 25, "KEY" },	 { 26, "PX" },	   { 27, "GPOS" },     { 28, "AAAA" },	{ 29, "LOC" },	    { 30, "NXT" },
	{ 31, "EID" },	 { 32, "NIMLOC" }, { 33, "SRV" },      { 34, "ATMA" },	{ 35, "NAPTR" },    { 36, "KX" },
	{ 37, "CERT" },	 { 38, "A6" },	   { 39, "DNAME" },    { 40, "SINK" },	{ 41, "OPT" },	    { 42, "APL" },
	{ 43, "DS" },	 { 44, "SSHFP" },  { 45, "IPSECKEY" }, { 46, "RRSIG" }, { 47, "NSEC" },	    { 48, "DNSKEY" },
	{ 99, "SPF" },	 { 100, "UINFO" }, { 101, "UID" },     { 102, "GID" },	{ 103, "UNSPEC" },  { 104, "UNSPECA" },
	{ 249, "TKEY" }, { 250, "TSIG" },  { 251, "IXFR" },    { 252, "AXFR" }, { 253, "MAILB" },   { 254, "MAILA" },
	{ 255, "ANY" },	 { 256, "URI" },   { 0, NULL },
};

static const struct pr_tok dns_classes[] = {
	{ 1, "IN" }, { 3, "CHAOS" }, { 4, "HS" }, { 255, "ANY" }, { 0, NULL },
};

static const struct pr_tok edns_opts[] = {
	{ 1, "LLQ" },
	{ 2, "UL" },
	{ E_NSID, "NSID" },
	{ E_DAU, "DAU" },
	{ E_DHU, "DHU" },
	{ E_N3U, "N3U" },
	{ E_ECS, "ECS" },
	{ E_EXPIRE, "EXPIRE" },
	{ E_COOKIE, "COOKIE" },
	{ E_KEEPALIVE, "KEEPALIVE" },
	{ E_PADDING, "PADDING" },
	{ E_CHAIN, "CHAIN" },
	{ E_KEYTAG, "KEY-TAG" },
	{ 16, "CLIENT-TAG" },
	{ 17, "SERVER-TAG" },
	{ 0, NULL },
};

/* DNSSEC algorithm numbers (RFC 6975 DAU list). */
static const struct pr_tok dau_algs[] = {
	{ 0, "DELETE" },
	{ 1, "RSAMD5" },
	{ 2, "DH" },
	{ 3, "DS" },
	{ 5, "RSASHA1" },
	{ 6, "DSA-NSEC3-SHA1" },
	{ 7, "RSASHA1-NSEC3-SHA1" },
	{ 8, "RSASHA256" },
	{ 10, "RSASHA512" },
	{ 12, "ECC-GOST" },
	{ 13, "ECDSAP256SHA256" },
	{ 14, "ECDSAP384SHA384" },
	{ 15, "ED25519" },
	{ 16, "ED448" },
	{ 252, "INDIRECT" },
	{ 253, "PRIVATEDNS" },
	{ 254, "PRIVATEOID" },
	{ 0, NULL },
};

static const struct pr_tok dhu_algs[] = {
	{ 1, "SHA-1" }, { 2, "SHA-256" }, { 3, "GOST_R_34.11-94" }, { 4, "SHA-384" }, { 0, NULL },
};

static const struct pr_tok n3u_algs[] = {
	{ 1, "SHA-1" },
	{ 0, NULL },
};

/* A table name; pr_tok_find cannot tell "DELETE" (0) from the end marker, so look up by hand. */
static const char *alg_name(struct pctx *ctx, const struct pr_tok *t, unsigned v)
{
	char *buf;

	for (; t->s; t++)
		if (t->v == v)
			return t->s;
	buf = pr_scratch(ctx);
	snprintf(buf, PR_STR_LEN, "Alg_%u", v);
	return buf;
}

/* Step over an encoded name without printing; NULL when it is not all captured or malformed. */
static const uint8_t *name_skip(struct pctx *ctx, const uint8_t *cp)
{
	unsigned i;

	if (!HAVE(cp, 1))
		return NULL;
	i = *cp++;
	while (i) {
		switch (i & LBL_MASK) {
		case LBL_POINTER: return cp + 1;
		case LBL_EDNS0: {
			unsigned bits;

			if ((i & ~LBL_MASK) != ELT_BITLABEL || !HAVE(cp, 1))
				return NULL;
			bits = *cp++;
			if (bits == 0)
				bits = 256;
			cp += (bits + 7) / 8;
			break;
		}
		case LBL_RESERVED: return NULL;
		default: cp += i; break;
		}
		if (!HAVE(cp, 1))
			return NULL;
		i = *cp++;
	}
	return cp;
}

/* Length of the label at cp (bit labels: its data bytes + 1); -1 after printing why when unusable. */
static int label_len(struct pctx *ctx, const uint8_t *cp)
{
	unsigned i;

	if (!HAVE(cp, 1))
		return -1;
	i = *cp;
	switch (i & LBL_MASK) {
	case LBL_EDNS0: {
		unsigned bits;

		if ((i & ~LBL_MASK) != ELT_BITLABEL) {
			pr_printf(ctx, "<ELT %d>", (int)(i & ~LBL_MASK));
			return -1;
		}
		if (!HAVE(cp + 1, 1))
			return -1;
		bits = cp[1] ? cp[1] : 256;
		return (int)((bits + 7) / 8 + 1);
	}
	case LBL_POINTER:
	case LBL_PLAIN: return (int)i;
	default: pr_puts(ctx, "<BAD LABEL TYPE>"); return -1;
	}
}

/* RFC 2673 bit-string label, printed as \[x<hex>/<bits>]. */
static const uint8_t *bitlabel_print(struct pctx *ctx, const uint8_t *cp)
{
	unsigned bits, b;
	const uint8_t *bp, *lim;

	bits = RD_U8(cp);
	if (bits == 0)
		bits = 256;
	lim = cp + 1 + (bits + 3) / 4;
	pr_puts(ctx, "\\[x");
	for (bp = cp + 1, b = bits; bp < lim && b > 7; b -= 8, bp++)
		pr_printf(ctx, "%02x", RD_U8(bp));
	if (b > 4)
		pr_printf(ctx, "%02x", RD_U8(bp) & (0xff << (8 - b)) & 0xff);
	else if (b > 0)
		pr_printf(ctx, "%1x", ((RD_U8(bp) >> 4) & 0x0f) & (0x0f << (4 - b)));
	pr_printf(ctx, "/%u]", bits);
	return lim;
}

/* The label at *cp: its first byte in *i, its length in *l, *cp past that byte; false when unusable. */
static bool label_next(struct pctx *ctx, const uint8_t **cp, unsigned *i, int *l)
{
	if (!HAVE(*cp, 1))
		return false;
	*i = **cp;
	if ((*l = label_len(ctx, *cp)) < 0)
		return false;
	(*cp)++;
	return true;
}

/*
 * Print the name at cp; msg is the start of the message for compression
 * pointers. Returns the byte after the name in place (not after the
 * pointer target), or NULL when the name could not be printed whole.
 */
const uint8_t *dns_name_print(struct pctx *ctx, const uint8_t *cp, const uint8_t *msg)
{
	const uint8_t *rp = NULL;
	unsigned i, chars = 0, max_off;
	int l, compressed = 0;

	max_off = (unsigned)(cp - msg);
	if (!label_next(ctx, &cp, &i, &l))
		return NULL;
	if ((i & LBL_MASK) != LBL_POINTER)
		rp = cp + l;
	if (i == 0) {
		pr_putc(ctx, '.');
		return rp;
	}
	while (i && cp < ctx->end) {
		switch (i & LBL_MASK) {
		case LBL_POINTER: {
			unsigned off;

			if (!compressed) {
				rp = cp + 1;
				compressed = 1;
			}
			if (!HAVE(cp, 1))
				return NULL;
			off = ((i << 8) | *cp) & 0x3fff;
			/* pointers must go backwards, as BIND insists: that also ends loops */
			if (off >= max_off) {
				pr_puts(ctx, "<BAD PTR>");
				return NULL;
			}
			max_off = off;
			cp = msg + off;
			if (!label_next(ctx, &cp, &i, &l))
				return NULL;
			continue;
		}
		case LBL_EDNS0:
			if ((i & ~LBL_MASK) != ELT_BITLABEL) {
				pr_printf(ctx, "<ELT %u>", i & ~LBL_MASK);
				return NULL;
			}
			bitlabel_print(ctx, cp);
			break;
		case LBL_RESERVED: pr_puts(ctx, "<BAD LABEL TYPE>"); return NULL;
		default:
			if (chars + (unsigned)l <= MAX_NAME)
				pr_str_n(ctx, cp, (unsigned)l);
			else if (chars < MAX_NAME)
				pr_str_n(ctx, cp, MAX_NAME - chars);
			chars += (unsigned)l;
			break;
		}
		cp += l;
		if (chars <= MAX_NAME)
			pr_putc(ctx, '.');
		chars++;
		if (!label_next(ctx, &cp, &i, &l))
			return NULL;
		if (!compressed)
			rp += l + 1;
	}
	if (chars > MAX_NAME)
		pr_puts(ctx, "<DOMAIN NAME TOO LONG>");
	return rp;
}

/* EDNS Client Subnet (RFC 7871): family, source and scope prefix lengths, truncated address. */
static void ecs_print(struct pctx *ctx, const uint8_t *cp, unsigned len)
{
	unsigned family, src, scope, bits;
	uint8_t addr[16];
	char text[INET6_ADDRSTRLEN];

	if (len < 4) {
		pr_invalid(ctx);
		return;
	}
	family = RD_BE16(cp);
	src = RD_U8(cp + 2);
	scope = RD_U8(cp + 3);
	if (family == 1)
		bits = 32;
	else if (family == 2)
		bits = 128;
	else {
		pr_invalid(ctx);
		return;
	}
	if (len - 4 > bits / 8 || src > bits || scope > bits || (src + 7) / 8 != len - 4) {
		pr_invalid(ctx);
		return;
	}
	memset(addr, 0, sizeof(addr));
	NEED(cp + 4, len - 4);
	memcpy(addr, cp + 4, len - 4);
	inet_ntop(family == 1 ? AF_INET : AF_INET6, addr, text, sizeof(text));
	pr_printf(ctx, "%s/%u/%u", text, src, scope);
}

static void alg_list_print(struct pctx *ctx, const struct pr_tok *t, const uint8_t *cp, unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++)
		pr_printf(ctx, "%s%s", i ? " " : "", alg_name(ctx, t, RD_U8(cp + i)));
}

/* One EDNS option; NULL when it is not all captured. */
static const uint8_t *edns_opt_print(struct pctx *ctx, const uint8_t *cp)
{
	unsigned opt, len, i;

	if (!HAVE(cp, 2))
		return NULL;
	opt = RD_BE16(cp);
	cp += 2;
	pr_puts(ctx, pr_tok_str(ctx, edns_opts, "Opt%u", opt));
	if (!HAVE(cp, 2))
		return NULL;
	len = RD_BE16(cp);
	cp += 2;
	if (!HAVE(cp, len))
		return NULL;
	if (len == 0)
		return cp;
	pr_putc(ctx, ' ');
	switch (opt) {
	case E_ECS: ecs_print(ctx, cp, len); break;
	case E_COOKIE:
		/* RFC 7873: 8-byte client cookie, optionally 8..32 bytes of server cookie */
		if (len < 8 || (len > 8 && len < 16) || len > 40) {
			pr_invalid(ctx);
			break;
		}
		for (i = 0; i < len; i++)
			pr_printf(ctx, "%s%02x", i == 8 ? " " : "", RD_U8(cp + i));
		break;
	case E_KEEPALIVE:
		/* RFC 7828: units of 100 ms */
		if (len != 2)
			pr_invalid(ctx);
		else
			pr_printf(ctx, "%0.1f sec", RD_BE16(cp) / 10.0);
		break;
	case E_EXPIRE:
		if (len != 4)
			pr_invalid(ctx);
		else
			pr_printf(ctx, "%u sec", RD_BE32(cp));
		break;
	case E_PADDING: pr_printf(ctx, "(%u)", len); break;
	case E_KEYTAG:
		if (len % 2) {
			pr_invalid(ctx);
			break;
		}
		for (i = 0; i < len; i += 2)
			pr_printf(ctx, "%s%u", i ? " " : "", RD_BE16(cp + i));
		break;
	case E_DAU: alg_list_print(ctx, dau_algs, cp, len); break;
	case E_DHU: alg_list_print(ctx, dhu_algs, cp, len); break;
	case E_N3U: alg_list_print(ctx, n3u_algs, cp, len); break;
	case E_CHAIN:
		/* tcpdump passes the option itself as the message start: names here cannot point back */
		dns_name_print(ctx, cp, cp + len);
		break;
	default:
		for (i = 0; i < len; i++)
			pr_printf(ctx, "%02x", RD_U8(cp + i));
		break;
	}
	return cp + len;
}

/* A question: " TYPE[ CLASS][ (QU|QM)]? name". Returns the byte after it or NULL. */
static const uint8_t *question_print(struct pctx *ctx, const uint8_t *cp, const uint8_t *msg, int is_mdns)
{
	const uint8_t *np = cp;
	unsigned type, cls, raw;

	cp = name_skip(ctx, cp);
	if (!cp || !HAVE(cp, 4))
		return NULL;
	type = RD_BE16(cp);
	raw = RD_BE16(cp + 2);
	pr_printf(ctx, " %s", pr_tok_str(ctx, dns_types, "Type%u", type));
	cls = is_mdns ? raw & ~MDNS_QU : raw;
	if (cls != CLASS_IN)
		pr_printf(ctx, " %s", pr_tok_str(ctx, dns_classes, "(Class %u)", cls));
	if (is_mdns)
		pr_puts(ctx, raw & MDNS_QU ? " (QU)" : " (QM)");
	pr_puts(ctx, "? ");
	cp = dns_name_print(ctx, np, msg);
	return cp ? cp + 4 : NULL;
}

static int soa_print(struct pctx *ctx, const uint8_t *cp, const uint8_t *msg)
{
	int i;

	pr_putc(ctx, ' ');
	if (!(cp = dns_name_print(ctx, cp, msg)))
		return -1;
	pr_putc(ctx, ' ');
	if (!(cp = dns_name_print(ctx, cp, msg)))
		return -1;
	if (!HAVE(cp, 20))
		return -1;
	for (i = 0; i < 5; i++)
		pr_printf(ctx, " %u", RD_BE32(cp + 4 * i));
	return 0;
}

/* RFC 2874 A6: prefix length, the address suffix, then the prefix name. */
static int a6_print(struct pctx *ctx, const uint8_t *cp, const uint8_t *msg)
{
	unsigned pbit, pbyte;
	uint8_t a[16];
	char text[INET6_ADDRSTRLEN];

	if (!HAVE(cp, 1))
		return -1;
	pbit = RD_U8(cp);
	pbyte = (pbit & ~7u) / 8;
	if (pbit > 128) {
		pr_printf(ctx, " %u(bad plen)", pbit);
		return 0;
	}
	if (pbit < 128) {
		memset(a, 0, sizeof(a));
		NEED(cp + 1, 16 - pbyte);
		memcpy(a + pbyte, cp + 1, 16 - pbyte);
		inet_ntop(AF_INET6, a, text, sizeof(text));
		pr_printf(ctx, " %u %s", pbit, text);
	}
	if (pbit > 0) {
		pr_putc(ctx, ' ');
		if (!dns_name_print(ctx, cp + 1 + 16 - pbyte, msg))
			return -1;
	}
	return 0;
}

/* A 16-bit field as " label=N"; the bytes after it, or NULL when it is not captured. */
static const uint8_t *u16_field(struct pctx *ctx, const uint8_t *cp, const char *label)
{
	if (!HAVE(cp, 2))
		return NULL;
	pr_printf(ctx, " %s=%u", label, RD_BE16(cp));
	return cp + 2;
}

static int tsig_print(struct pctx *ctx, const uint8_t *cp, const uint8_t *msg)
{
	pr_putc(ctx, ' ');
	if (!(cp = dns_name_print(ctx, cp, msg)))
		return -1;
	cp += 6; /* time signed (48 bits) */
	if (!(cp = u16_field(ctx, cp, "fudge")) || !(cp = u16_field(ctx, cp, "maclen")))
		return -1;
	cp += RD_BE16(cp - 2); /* the MAC */
	if (!(cp = u16_field(ctx, cp, "origid")) || !(cp = u16_field(ctx, cp, "error")) ||
	    !u16_field(ctx, cp, "otherlen"))
		return -1;
	return 0;
}

/* The RDATA of one record; -1 when it could not be printed whole. */
static int rdata_print(struct pctx *ctx, unsigned type, unsigned cls, unsigned opt_flags, const uint8_t *cp,
		       const uint8_t *rp, unsigned len, const uint8_t *msg)
{
	unsigned verbose = (unsigned)ctx->opts.verbose;

	switch (type) {
	case T_A:
		if (!HAVE(cp, 4))
			return -1;
		pr_printf(ctx, " %s", pr_ipv4_num(ctx, cp));
		break;
	case T_NS:
	case T_CNAME:
	case T_PTR:
	case T_DNAME:
		pr_putc(ctx, ' ');
		if (!dns_name_print(ctx, cp, msg))
			return -1;
		break;
	case T_SOA:
		if (verbose && soa_print(ctx, cp, msg) < 0)
			return -1;
		break;
	case T_MX:
		pr_putc(ctx, ' ');
		if (!HAVE(cp, 2) || !dns_name_print(ctx, cp + 2, msg))
			return -1;
		pr_printf(ctx, " %u", RD_BE16(cp));
		break;
	case T_TXT:
		while (cp < rp) {
			unsigned n;

			pr_puts(ctx, " \"");
			if (!HAVE(cp, 1))
				return -1;
			n = *cp++;
			pr_str_n(ctx, cp, n);
			cp += n;
			pr_putc(ctx, '"');
		}
		break;
	case T_SRV:
		pr_putc(ctx, ' ');
		if (!HAVE(cp, 6) || !dns_name_print(ctx, cp + 6, msg))
			return -1;
		pr_printf(ctx, ":%u %u %u", RD_BE16(cp + 4), RD_BE16(cp), RD_BE16(cp + 2));
		break;
	case T_AAAA:
		if (!HAVE(cp, 16))
			return -1;
		pr_printf(ctx, " %s", pr_ipv6_num(ctx, cp));
		break;
	case T_A6: return a6_print(ctx, cp, msg);
	case T_URI:
		if (!HAVE(cp, len))
			return -1;
		pr_printf(ctx, " %u %u ", RD_BE16(cp), RD_BE16(cp + 2));
		pr_str_n(ctx, cp + 4, len - 4);
		break;
	case T_OPT:
		pr_printf(ctx, " UDPsize=%u", cls);
		if (opt_flags & 0x8000)
			pr_puts(ctx, " DO");
		if (cp < rp) {
			pr_puts(ctx, " [");
			while (cp < rp) {
				if (!(cp = edns_opt_print(ctx, cp)))
					return -1;
				if (cp < rp)
					pr_putc(ctx, ',');
			}
			pr_putc(ctx, ']');
		}
		break;
	case T_UNSPECA:
		if (!HAVE(cp, len))
			return -1;
		pr_str_n(ctx, cp, len);
		break;
	case T_TSIG:
		if (!HAVE(cp, len))
			return -1;
		if (verbose && tsig_print(ctx, cp, msg) < 0)
			return -1;
		break;
	}
	return 0;
}

/*
 * One resource record. Returns the byte after it, NULL when it could not be
 * printed (the caller then marks the message truncated), or the captured end
 * when the fixed fields are missing, as tcpdump does.
 */
static const uint8_t *rr_print(struct pctx *ctx, const uint8_t *cp, const uint8_t *msg, int is_mdns)
{
	unsigned type, raw, cls, len, opt_flags = 0;
	const uint8_t *rp;

	if (ctx->opts.verbose) {
		pr_putc(ctx, ' ');
		if (!(cp = dns_name_print(ctx, cp, msg)))
			return NULL;
	} else
		cp = name_skip(ctx, cp);
	if (!cp || !HAVE(cp, 10))
		return ctx->end;

	type = RD_BE16(cp);
	raw = RD_BE16(cp + 2);
	cls = is_mdns ? raw & ~MDNS_CACHE_FLUSH : raw;
	if (cls != CLASS_IN && type != T_OPT)
		pr_printf(ctx, " %s", pr_tok_str(ctx, dns_classes, "(Class %u)", cls));
	if (is_mdns && (raw & MDNS_CACHE_FLUSH))
		pr_puts(ctx, " (Cache flush)");
	if (type == T_OPT)
		opt_flags = RD_BE16(cp + 6); /* RFC 6891 6.1.3: DO is the top bit after version */
	else if (ctx->opts.verbose > 2) {
		pr_puts(ctx, " [");
		pr_relts(ctx, RD_BE32(cp + 4));
		pr_putc(ctx, ']');
	}
	len = RD_BE16(cp + 8);
	cp += 10;
	rp = cp + len;
	pr_printf(ctx, " %s", pr_tok_str(ctx, dns_types, "Type%u", type));
	if (rp > ctx->end)
		return NULL;
	if (rdata_print(ctx, type, cls, opt_flags, cp, rp, len, msg) < 0)
		return NULL;
	return rp;
}

/*
 * A section of count records: ", "-less comma separated, each preceded by
 * its own space. tag is " ns:" / " ar:" or NULL for the answers.
 * Returns -1 when the message must be marked truncated.
 */
static int section_print(struct pctx *ctx, const uint8_t **cpp, unsigned count, const char *tag, const uint8_t *msg,
			 int is_mdns)
{
	const uint8_t *cp = *cpp;

	if (!count)
		return 0;
	if (tag) {
		/* tcpdump only opens " ns:"/" ar:" while bytes remain */
		if (cp >= ctx->end)
			return -1;
		pr_puts(ctx, tag);
	}
	if (!(cp = rr_print(ctx, cp, msg, is_mdns)))
		return -1;
	count--;
	while (cp < ctx->end && count) {
		pr_putc(ctx, ',');
		if (!(cp = rr_print(ctx, cp, msg, is_mdns)))
			return -1;
		count--;
	}
	*cpp = cp;
	return count ? -1 : 0;
}

/* Extended rcode: the high 8 bits live in the OPT record's TTL (RFC 6891 6.1.3). */
static unsigned full_rcode(struct pctx *ctx, const uint8_t *cp, unsigned flags, unsigned qd, unsigned an, unsigned ns,
			   unsigned ar)
{
	unsigned rcode = DNS_RCODE(flags), i;

	for (i = 0; i < qd; i++) {
		if (!(cp = name_skip(ctx, cp)))
			return rcode;
		cp += 4;
		if (cp >= ctx->end)
			return rcode;
	}
	for (i = 0; i < an + ns; i++) {
		if (!(cp = name_skip(ctx, cp)))
			return rcode;
		cp += 8;
		if (!HAVE(cp, 2))
			return rcode;
		cp += 2 + RD_BE16(cp);
		if (cp >= ctx->end)
			return rcode;
	}
	for (i = 0; i < ar; i++) {
		unsigned type;

		if (!(cp = name_skip(ctx, cp)) || !HAVE(cp, 2))
			return rcode;
		type = RD_BE16(cp);
		cp += 4;
		if (!HAVE(cp, 1))
			return rcode;
		if (type == T_OPT)
			return rcode | (unsigned)RD_U8(cp) << 4;
		cp += 4;
		if (!HAVE(cp, 2))
			return rcode;
		cp += 2 + RD_BE16(cp);
		if (cp >= ctx->end)
			return rcode;
	}
	return rcode;
}

static const char *rcode_str(struct pctx *ctx, unsigned rcode)
{
	char *buf;

	if (rcode < sizeof(dns_rcodes) / sizeof(dns_rcodes[0]))
		return dns_rcodes[rcode];
	buf = pr_scratch(ctx);
	snprintf(buf, PR_STR_LEN, " Resp%u", rcode & 0xfff);
	return buf;
}

static int response_print(struct pctx *ctx, const uint8_t *msg, unsigned flags, unsigned qd, unsigned an, unsigned ns,
			  unsigned ar, int is_mdns)
{
	const struct dns_hdr *h = (const void *)msg;
	const uint8_t *cp = msg + DNS_HDR_LEN;
	unsigned rcode = full_rcode(ctx, cp, flags, qd, an, ns, ar), i;

	pr_printf(ctx, "%u%s%s%s%s%s%s", RD_BE16(h->id), dns_ops[DNS_OPCODE(flags)], rcode_str(ctx, rcode),
		  flags & DNS_AA ? "*" : "", flags & DNS_RA ? "" : "-", flags & DNS_TC ? "|" : "",
		  flags & DNS_AD ? "$" : "");
	if (qd != 1)
		pr_printf(ctx, " [%uq]", qd);
	for (i = 0; i < qd; i++) {
		if (i)
			pr_putc(ctx, ',');
		if (ctx->opts.verbose > 1) {
			pr_puts(ctx, " q:");
			if (!(cp = question_print(ctx, cp, msg, is_mdns)))
				return -1;
		} else {
			if (!(cp = name_skip(ctx, cp)))
				return -1;
			cp += 4;
		}
	}
	pr_printf(ctx, " %u/%u/%u", an, ns, ar);
	if (section_print(ctx, &cp, an, NULL, msg, is_mdns) < 0)
		return -1;
	if (ctx->opts.verbose > 1) {
		if (section_print(ctx, &cp, ns, " ns:", msg, is_mdns) < 0)
			return -1;
		if (section_print(ctx, &cp, ar, " ar:", msg, is_mdns) < 0)
			return -1;
	}
	return 0;
}

static int query_print(struct pctx *ctx, const uint8_t *msg, unsigned flags, unsigned qd, unsigned an, unsigned ns,
		       unsigned ar, int is_mdns)
{
	const struct dns_hdr *h = (const void *)msg;
	const uint8_t *cp = msg + DNS_HDR_LEN;

	pr_printf(ctx, "%u%s%s%s", RD_BE16(h->id), dns_ops[DNS_OPCODE(flags)], flags & DNS_RD ? "+" : "",
		  flags & DNS_CD ? "%" : "");
	/* AA, TC, RA, Z or an rcode in a query are odd enough to show the raw flags */
	if (flags & 0x6cf)
		pr_printf(ctx, " [b2&3=0x%x]", flags);
	if (DNS_OPCODE(flags) == OPCODE_IQUERY) {
		if (qd)
			pr_printf(ctx, " [%uq]", qd);
		if (an != 1)
			pr_printf(ctx, " [%ua]", an);
	} else {
		if (an)
			pr_printf(ctx, " [%ua]", an);
		if (qd != 1)
			pr_printf(ctx, " [%uq]", qd);
	}
	if (ns)
		pr_printf(ctx, " [%un]", ns);
	if (ar)
		pr_printf(ctx, " [%uau]", ar);
	if (qd) {
		if (!(cp = question_print(ctx, cp, msg, is_mdns)))
			return -1;
		qd--;
		while (cp < ctx->end && qd) {
			if (!(cp = question_print(ctx, cp, msg, is_mdns)))
				return -1;
			qd--;
		}
	}
	if (qd)
		return -1;
	if (ctx->opts.verbose > 1) {
		/* answers in a query carry no " an:" tag */
		if (section_print(ctx, &cp, an, NULL, msg, is_mdns) < 0)
			return -1;
		if (section_print(ctx, &cp, ns, " ns:", msg, is_mdns) < 0)
			return -1;
		if (section_print(ctx, &cp, ar, " ar:", msg, is_mdns) < 0)
			return -1;
	}
	return 0;
}

void dns_print(struct pctx *ctx, const uint8_t *bp, unsigned length, int is_mdns, int over_tcp)
{
	const struct dns_hdr *h = (const void *)bp;
	unsigned flags, qd, an, ns, ar;
	int rc;

	PR_PROTO(ctx, "domain");
	(void)over_tcp; /* the TCP printer has checked the RFC 1035 4.2.2 length prefix */
	if (length < DNS_HDR_LEN) {
		pr_printf(ctx, "domain [length %u < %u]", length, DNS_HDR_LEN);
		pr_invalid(ctx);
		return;
	}
	/* tcpdump tests the header itself and returns normally: a -x dump still skips the link header */
	if (!HAVE(bp, DNS_HDR_LEN)) {
		pr_trunc_mark(ctx);
		return;
	}
	flags = RD_BE16(h->flags);
	qd = RD_BE16(h->qdcount);
	an = RD_BE16(h->ancount);
	ns = RD_BE16(h->nscount);
	ar = RD_BE16(h->arcount);
	if (flags & DNS_QR)
		rc = response_print(ctx, bp, flags, qd, an, ns, ar, is_mdns);
	else
		rc = query_print(ctx, bp, flags, qd, an, ns, ar, is_mdns);
	if (rc < 0) {
		pr_trunc_mark(ctx);
		return;
	}
	pr_printf(ctx, " (%u)", length);
}
