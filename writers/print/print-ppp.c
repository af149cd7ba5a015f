/* PPP (RFC 1661) framing, protocol dispatch and control protocols (LCP, IPCP, IP6CP, CCP, CHAP, PAP), with RFC 1662 HDLC-like octet un-escaping; DLT_PPP and ethertype 0x880b. */
#include <stdlib.h>

#include "writers/print/print-int.h"

#define PPP_HDRLEN 4 /* address, control, protocol: what DLT_PPP's -x leaves out */
#define PPP_ADDRESS 0xff
#define PPP_CONTROL 0x03
#define PPP_PPPD_IN 0x00
#define PPP_PPPD_OUT 0x01
#define PPP_IP 0x0021
#define PPP_VJNC 0x002f
#define PPP_IPV6 0x0057
#define PPP_COMP 0x00fd
#define HDLC_ESCAPE 0x7d

static const struct pr_tok ppp_names[] = {
	{ 0x0021, "IP" },     { 0x0023, "OSI" },      { 0x0025, "NS" },	     { 0x0027, "DECNET" },
	{ 0x0029, "APPLE" },  { 0x002b, "IPX" },      { 0x002d, "VJC IP" },  { 0x002f, "VJNC IP" },
	{ 0x0031, "BRPDU" },  { 0x0033, "STII" },     { 0x0035, "VINES" },   { 0x003d, "ML" },
	{ 0x0057, "IPv6" },   { 0x0201, "HELLO" },    { 0x0231, "LUXCOM" },  { 0x0233, "SNS" },
	{ 0x0281, "MPLS" },   { 0x0283, "MPLS" },     { 0x8021, "IPCP" },    { 0x8023, "OSICP" },
	{ 0x8025, "NSCP" },   { 0x8027, "DECNETCP" }, { 0x8029, "APPLECP" }, { 0x802b, "IPXCP" },
	{ 0x8033, "STIICP" }, { 0x8035, "VINESCP" },  { 0x8057, "IP6CP" },   { 0x8281, "MPLSCP" },
	{ 0xc021, "LCP" },    { 0xc023, "PAP" },      { 0xc025, "LQM" },     { 0xc223, "CHAP" },
	{ 0xc02b, "BACP" },   { 0xc02d, "BAP" },      { 0x80fd, "CCP" },     { 0, NULL },
};

static void handle_ppp(struct pctx *ctx, unsigned proto, const uint8_t *p, unsigned length);

/* tcpdump's PPP protocol names (ppptype2str), for the control protocol lines. */
static const struct pr_tok cp_proto_names[] = {
	{ 0x0021, "IP" },     { 0x0023, "OSI" },	{ 0x0025, "NS" },	{ 0x0027, "DECNET" },
	{ 0x0029, "APPLE" },  { 0x002b, "IPX" },	{ 0x002d, "VJC IP" },	{ 0x002f, "VJNC IP" },
	{ 0x0031, "BRPDU" },  { 0x0033, "STII" },	{ 0x0035, "VINES" },	{ 0x0281, "MPLS" },
	{ 0x0283, "MPLS" },   { 0x00fd, "Compressed" }, { 0x003d, "MLPPP" },	{ 0x0057, "IP6" },
	{ 0x0201, "HELLO" },  { 0x0231, "LUXCOM" },	{ 0x0233, "SNS" },	{ 0x8021, "IPCP" },
	{ 0x8023, "OSICP" },  { 0x8025, "NSCP" },	{ 0x8027, "DECNETCP" }, { 0x8029, "APPLECP" },
	{ 0x802b, "IPXCP" },  { 0x8033, "STIICP" },	{ 0x8035, "VINESCP" },	{ 0x8057, "IP6CP" },
	{ 0x8281, "MPLSCP" }, { 0xc021, "LCP" },	{ 0xc023, "PAP" },	{ 0xc025, "LQM" },
	{ 0xc223, "CHAP" },   { 0xc227, "EAP" },	{ 0xc027, "SPAP" },	{ 0xc123, "Old-SPAP" },
	{ 0xc02b, "BACP" },   { 0xc02d, "BAP" },	{ 0x803d, "MLPPP-CP" }, { 0x80fd, "CCP" },
	{ 0, NULL },
};

#define PPP_LCP 0xc021
#define PPP_IPCP 0x8021
#define PPP_IP6CP 0x8057
#define PPP_CHAP 0xc223
#define PPP_PAP 0xc023

/* RFC 1661 5: control packet codes */
static const struct pr_tok cp_codes[] = {
	{ 0, "Vendor-Extension" }, { 1, "Conf-Request" }, { 2, "Conf-Ack" },
	{ 3, "Conf-Nack" },	   { 4, "Conf-Reject" },  { 5, "Term-Request" },
	{ 6, "Term-Ack" },	   { 7, "Code-Reject" },  { 8, "Prot-Reject" },
	{ 9, "Echo-Request" },	   { 10, "Echo-Reply" },  { 11, "Disc-Req" },
	{ 12, "Ident" },	   { 13, "Time-Rem" },	  { 14, "Reset-Req" },
	{ 15, "Reset-Ack" },	   { 0, NULL },
};

static const char *const lcp_opt_names[] = {
	"Vend-Ext",
	"MRU",
	"ACCM",
	"Auth-Prot",
	"Qual-Prot",
	"Magic-Num",
	"deprecated(6)",
	"PFC",
	"ACFC",
	"FCS-Alt",
	"SDP",
	"Num-Mode",
	"deprecated(12)",
	"Call-Back",
	"deprecated(14)",
	"deprecated(15)",
	"deprecated(16)",
	"MRRU",
	"12-Bit seq #",
	"End-Disc",
	"Proprietary",
	"DCE-Id",
	"MP+",
	"Link-Disc",
	"LCP-Auth-Opt",
	"COBS",
	"Prefix-elision",
	"Multilink-header-Form",
	"I18N",
	"SDL-over-SONET/SDH",
	"PPP-Muxing",
};
#define N_LCP_OPTS (sizeof(lcp_opt_names) / sizeof(lcp_opt_names[0]))

static const struct pr_tok ipcp_opt_names[] = {
	{ 1, "IP-Addrs" },   { 2, "IP-Comp" },	 { 3, "IP-Addr" },    { 4, "Home-Addr" }, { 129, "Pri-DNS" },
	{ 130, "Pri-NBNS" }, { 131, "Sec-DNS" }, { 132, "Sec-NBNS" }, { 0, NULL },
};

static const struct pr_tok auth_alg_names[] = { { 5, "MD5" }, { 128, "MS-CHAPv1" }, { 129, "MS-CHAPv2" }, { 0, NULL } };

static const struct pr_tok callback_names[] = {
	{ 0, "UserAuth" }, { 1, "DialString" }, { 2, "LocalID" }, { 3, "E.164" },
	{ 4, "X.500" },	   { 6, "CBCP" },	{ 0, NULL },
};

/* A configuration option's type and length (RFC 1661 6); false when they or its body are not all there. */
static bool cp_opt_read(struct pctx *ctx, const uint8_t *p, unsigned length, unsigned *opt, unsigned *len)
{
	if (length < 2)
		return false;
	*opt = RD_U8(p);
	*len = RD_U8(p + 1);
	return length >= *len;
}

/* An option's first line; with a length under 2 (which would never end the list) it says so and is false. */
static bool cp_opt_line(struct pctx *ctx, const char *name, unsigned opt, unsigned len)
{
	pr_printf(ctx, "\n\t  %s Option (0x%02x), length %u%s", name, opt, len,
		  len < 2 ? " (length bogus, should be >= 2)" : "");
	return len >= 2;
}

/* One LCP option (RFC 1661 6, RFC 1990 5.1); returns its length, 0 to stop. */
static unsigned lcp_option(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned opt, len;

	if (!cp_opt_read(ctx, p, length, &opt, &len))
		return 0;
	if (opt >= N_LCP_OPTS) {
		pr_printf(ctx, "\n\tunknown LCP option 0x%02x", opt);
		return len < 2 ? 0 : len;
	}
	if (!cp_opt_line(ctx, lcp_opt_names[opt], opt, len))
		return 0;
	switch (opt) {
	case 0:
		if (len < 6) {
			pr_puts(ctx, " (length bogus, should be >= 6)");
			return len;
		}
		pr_printf(ctx, ": Vendor: %s (%u)", "Unknown", RD_BE24(p + 2));
		break;
	case 1:
	case 17:
		if (len != 4) {
			pr_puts(ctx, " (length bogus, should be = 4)");
			return opt == 1 ? len : 0;
		}
		pr_printf(ctx, ": %u", RD_BE16(p + 2));
		break;
	case 2:
		if (len != 6) {
			pr_puts(ctx, " (length bogus, should be = 6)");
			return len;
		}
		pr_printf(ctx, ": 0x%08x", RD_BE32(p + 2));
		break;
	case 3: {
		unsigned ap;

		if (len < 4) {
			pr_puts(ctx, " (length bogus, should be >= 4)");
			return len;
		}
		ap = RD_BE16(p + 2);
		pr_printf(ctx, ": %s", pr_tok_str(ctx, cp_proto_names, "Unknown Auth Proto (0x04x)", ap));
		if (ap == PPP_CHAP)
			pr_printf(ctx, ", %s", pr_tok_str(ctx, auth_alg_names, "Unknown Auth Alg %u", RD_U8(p + 4)));
		else if (ap != PPP_PAP && ap != 0xc227 && ap != 0xc027 && ap != 0xc123)
			pr_unknown_data(ctx, p, "\n\t", len);
		break;
	}
	case 4:
		if (len < 4) {
			pr_puts(ctx, " (length bogus, should be >= 4)");
			return 0;
		}
		pr_puts(ctx, RD_BE16(p + 2) == 0xc025 ? ": LQR" : ": unknown");
		break;
	case 5:
		if (len != 6) {
			pr_puts(ctx, " (length bogus, should be = 6)");
			return 0;
		}
		pr_printf(ctx, ": 0x%08x", RD_BE32(p + 2));
		break;
	case 7:
	case 8: break;
	case 23:
		if (len != 4) {
			pr_puts(ctx, " (length bogus, should be = 4)");
			return 0;
		}
		pr_printf(ctx, ": 0x%04x", RD_BE16(p + 2));
		break;
	case 13:
		if (len < 3) {
			pr_puts(ctx, " (length bogus, should be >= 3)");
			return 0;
		}
		pr_printf(ctx, ": Callback Operation %s (%u)", pr_tok_str(ctx, callback_names, "Unknown", RD_U8(p + 2)),
			  RD_U8(p + 2));
		break;
	case 19:
		if (len < 3) {
			pr_puts(ctx, " (length bogus, should be >= 3)");
			return 0;
		}
		switch (RD_U8(p + 2)) {
		case 0: pr_puts(ctx, ": Null"); break;
		case 1: pr_puts(ctx, ": Local"); break;
		case 2:
			if (len != 7) {
				pr_puts(ctx, " (length bogus, should be = 7)");
				return 0;
			}
			pr_printf(ctx, ": IPv4 %s", RD_IPV4(p + 3));
			break;
		case 3:
			if (len != 9) {
				pr_puts(ctx, " (length bogus, should be = 9)");
				return 0;
			}
			pr_printf(ctx, ": MAC %s", RD_MAC(p + 3));
			break;
		case 4: pr_puts(ctx, ": Magic-Num-Block"); break;
		case 5: pr_puts(ctx, ": PSNDN"); break;
		default: pr_printf(ctx, ": Unknown class %u", RD_U8(p + 2)); break;
		}
		break;
	default:
		if (ctx->opts.verbose < 2)
			pr_unknown_data(ctx, p + 2, "\n\t    ", len - 2);
		break;
	}
	if (ctx->opts.verbose > 1)
		pr_unknown_data(ctx, p + 2, "\n\t    ", len - 2);
	return len;
}

/* One IPCP (RFC 1332, RFC 1877) or IP6CP (RFC 5072) option; returns its length, 0 to stop. */
static unsigned ipcp_option(struct pctx *ctx, const uint8_t *p, unsigned length, int v6)
{
	unsigned opt, len;
	const char *name;

	if (!cp_opt_read(ctx, p, length, &opt, &len))
		return 0;
	name = v6 ? (opt == 1 ? "Interface-ID" : "unknown") : pr_tok_str(ctx, ipcp_opt_names, "unknown", opt);
	if (!cp_opt_line(ctx, name, opt, len))
		return 0;
	if (v6) {
		if (opt == 1) {
			if (len != 10) {
				pr_puts(ctx, " (length bogus, should be = 10)");
				return len;
			}
			pr_printf(ctx, ": %04x:%04x:%04x:%04x", RD_BE16(p + 2), RD_BE16(p + 4), RD_BE16(p + 6),
				  RD_BE16(p + 8));
		} else if (ctx->opts.verbose < 2) {
			pr_unknown_data(ctx, p + 2, "\n\t    ", len - 2);
		}
	} else {
		switch (opt) {
		case 1:
			if (len != 10) {
				pr_puts(ctx, " (length bogus, should be = 10)");
				return len;
			}
			pr_printf(ctx, ": src %s, dst %s", RD_IPV4(p + 2), RD_IPV4(p + 6));
			break;
		case 2: {
			unsigned cp;

			if (len < 4) {
				pr_puts(ctx, " (length bogus, should be >= 4)");
				return 0;
			}
			cp = RD_BE16(p + 2);
			pr_printf(ctx, ": %s (0x%02x):",
				  cp == 0x002d ? "VJ-Comp"
				  : cp == 0x61 ? "IP Header Compression"
					       : "Unknown",
				  cp);
			break;
		}
		case 3:
		case 4:
		case 129:
		case 130:
		case 131:
		case 132:
			if (len != 6) {
				pr_puts(ctx, " (length bogus, should be = 6)");
				return 0;
			}
			pr_printf(ctx, ": %s", RD_IPV4(p + 2));
			break;
		default:
			if (ctx->opts.verbose < 2)
				pr_unknown_data(ctx, p + 2, "\n\t    ", len - 2);
			break;
		}
	}
	if (ctx->opts.verbose > 1 && HAVE(p + 2, len - 2))
		pr_unknown_data(ctx, p + 2, "\n\t    ", len - 2);
	return len;
}

static const struct pr_tok ccp_opt_names[] = {
	{ 0, "OUI" },	   { 1, "Pred-1" },    { 2, "Pred-2" },	    { 3, "Puddle" },
	{ 16, "HP-PPC" },  { 17, "Stac-LZS" }, { 18, "MPPC" },	    { 19, "Gand-FZA" },
	{ 20, "V.42bis" }, { 21, "BSD-Comp" }, { 23, "LZS-DCP" },   { 24, "MVRCA" },
	{ 25, "DEC" },	   { 26, "Deflate" },  { 255, "Reserved" }, { 0, NULL },
};

/* One CCP option (RFC 1962): its name and, without a decoder here, its bytes. */
static unsigned ccp_option(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned opt, len;

	if (!cp_opt_read(ctx, p, length, &opt, &len) ||
	    !cp_opt_line(ctx, pr_tok_str(ctx, ccp_opt_names, "Unknown", opt), opt, len))
		return 0;
	/* shown once: below -vv as the option's value, at -vv as its dump */
	pr_unknown_data(ctx, p + 2, "\n\t    ", len - 2);
	return len;
}

/* LCP, IPCP, IP6CP, CCP...: code, identifier, length, then code-specific data (RFC 1661 5). */
static void ctrl_proto_print(struct pctx *ctx, unsigned proto, const uint8_t *pptr, unsigned length)
{
	const char *typestr = pr_tok_str(ctx, cp_proto_names, "unknown ctrl-proto (0x%04x)", proto);
	const uint8_t *t = pptr;
	unsigned code, len;

	pr_printf(ctx, "%s, ", typestr);
	if (length < 4) {
		pr_printf(ctx, "[|%s]", typestr);
		return;
	}
	code = RD_U8(t);
	pr_printf(ctx, "%s (0x%02x), id %u, length %u", pr_tok_str(ctx, cp_codes, "Unknown Opcode", code), code,
		  RD_U8(t + 1), length + 2);
	if (!ctx->opts.verbose)
		return;
	len = RD_BE16(t + 2);
	t += 4;
	if (len < 4) {
		pr_printf(ctx, "\n\tencoded length %u (< 4))", len);
		return;
	}
	if (len > length) {
		pr_printf(ctx, "\n\tencoded length %u (> packet length %u))", len, length);
		return;
	}
	length = len;
	pr_printf(ctx, "\n\tencoded length %u (=Option(s) length %u)", len, len - 4);
	if (length == 4)
		return;
	if (ctx->opts.verbose > 1)
		pr_unknown_data(ctx, pptr - 2, "\n\t", 6);
	switch (code) {
	case 0:
		if (length < 11)
			break;
		pr_printf(ctx, "\n\t  Magic-Num 0x%08x", RD_BE32(t));
		pr_printf(ctx, " Vendor: %s (%u)", "Unknown", RD_BE24(t + 4));
		break;
	case 1:
	case 2:
	case 3:
	case 4: {
		unsigned tlen = len - 4, n;

		if (proto != PPP_LCP && proto != PPP_IPCP && proto != PPP_IP6CP && proto != 0x80fd)
			break;
		do {
			if (proto == PPP_LCP)
				n = lcp_option(ctx, t, len);
			else if (proto == 0x80fd)
				n = ccp_option(ctx, t, len);
			else
				n = ipcp_option(ctx, t, len, proto == PPP_IP6CP);
			if (n == 0)
				break;
			if (tlen < n) {
				pr_printf(ctx, " [remaining options length %u < %u]", tlen, n);
				pr_invalid(ctx);
				break;
			}
			tlen -= n;
			t += n;
		} while (tlen != 0);
		break;
	}
	case 5:
	case 6:
	case 7: break;
	case 8:
		if (length < 6)
			break;
		pr_printf(ctx, "\n\t  Rejected %s Protocol (0x%04x)",
			  pr_tok_str(ctx, cp_proto_names, "unknown", RD_BE16(t)), RD_BE16(t));
		if (len > 6) {
			pr_puts(ctx, "\n\t  Rejected Packet");
			pr_unknown_data(ctx, t + 2, "\n\t    ", len - 2);
		}
		break;
	case 9:
	case 10:
	case 11:
		if (length < 8)
			break;
		pr_printf(ctx, "\n\t  Magic-Num 0x%08x", RD_BE32(t));
		if (len > 8) {
			pr_puts(ctx, "\n\t  -----trailing data-----");
			NEED(t + 4, len - 8);
			pr_unknown_data(ctx, t + 4, "\n\t  ", len - 8);
		}
		break;
	case 12:
		if (length < 8)
			break;
		pr_printf(ctx, "\n\t  Magic-Num 0x%08x", RD_BE32(t));
		if (len > 8) {
			pr_puts(ctx, "\n\t  Message\n\t    ");
			pr_str_n(ctx, t + 4, len - 4);
		}
		break;
	case 13:
		if (length < 12)
			break;
		pr_printf(ctx, "\n\t  Magic-Num 0x%08x", RD_BE32(t));
		pr_printf(ctx, ", Seconds-Remaining %us", RD_BE32(t + 4));
		break;
	default:
		if (ctx->opts.verbose <= 1)
			pr_unknown_data(ctx, pptr - 2, "\n\t  ", length + 2);
		break;
	}
}

/*
 * CHAP and PAP open alike: code, id, a 16-bit length. Prints the code and
 * id; false (and the truncation mark) when the 4 bytes are not there.
 */
static bool auth_head(struct pctx *ctx, const uint8_t *p, unsigned length, const char *tag, const char *name,
		      const struct pr_tok *codes, unsigned *code, unsigned *len)
{
	if (length < 1) {
		pr_printf(ctx, "[|%s]", tag);
		return false;
	}
	if (length < 4) {
		pr_printf(ctx, "[|%s 0x%02x]", tag, RD_U8(p));
		return false;
	}
	*code = RD_U8(p);
	pr_printf(ctx, "%s, %s (0x%02x)", name, pr_tok_str(ctx, codes, "unknown", *code), *code);
	pr_printf(ctx, ", id %u", RD_U8(p + 1));
	*len = RD_BE16(p + 2);
	return true;
}

/* A one-byte count and that many bytes after it, as ", LABEL text"; false when they run past length from p0. */
static bool counted_text(struct pctx *ctx, const uint8_t **pp, const uint8_t *p0, unsigned length, const char *label)
{
	const uint8_t *p = *pp;
	unsigned n;

	if (length - (unsigned)(p - p0) < 1)
		return false;
	n = RD_U8(p);
	p++;
	if (length - (unsigned)(p - p0) < n)
		return false;
	pr_printf(ctx, ", %s ", label);
	for (unsigned i = 0; i < n; i++)
		pr_char(ctx, RD_U8(p + i));
	*pp = p + n;
	return true;
}

/* The rest of a CHAP packet up to its own length, as ", LABEL text". */
static void chap_rest(struct pctx *ctx, const uint8_t *p, const uint8_t *p0, unsigned len, const char *label)
{
	unsigned at = (unsigned)(p - p0);

	pr_printf(ctx, ", %s ", label);
	if (len < at)
		return;
	for (unsigned i = 0; i < len - at; i++)
		pr_char(ctx, RD_U8(p + i));
}

/* CHAP (RFC 1994 4): code, id, length, then value and name, or a message. */
static void chap_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	static const struct pr_tok codes[] = {
		{ 1, "Challenge" }, { 2, "Response" }, { 3, "Success" }, { 4, "Fail" }, { 0, NULL }
	};
	const uint8_t *p0 = p;
	unsigned code, len, n, i;

	if (!auth_head(ctx, p, length, "chap", "CHAP", codes, &code, &len))
		return;
	p += 4;
	switch (code) {
	case 1:
	case 2:
		if (length - (unsigned)(p - p0) < 1)
			return;
		n = RD_U8(p);
		p++;
		if (length - (unsigned)(p - p0) < n)
			return;
		pr_puts(ctx, ", Value ");
		for (i = 0; i < n; i++)
			pr_printf(ctx, "%02x", RD_U8(p + i));
		/* the name runs to the end the CHAP length gives */
		chap_rest(ctx, p + n, p0, len, "Name");
		break;
	case 3:
	case 4: chap_rest(ctx, p, p0, len, "Msg"); break;
	}
}

/* PAP (RFC 1334 2.2): peer ID and password, or a message. */
static void pap_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	static const struct pr_tok codes[] = { { 1, "Auth-Req" }, { 2, "Auth-ACK" }, { 3, "Auth-NACK" }, { 0, NULL } };
	const uint8_t *p0 = p;
	unsigned code, len;

	if (!auth_head(ctx, p, length, "pap", "PAP", codes, &code, &len))
		return;
	p += 4;
	if (len > length) {
		pr_printf(ctx, ", length %u > packet size", len);
		return;
	}
	length = len;
	if (length < 4) {
		pr_printf(ctx, ", length %u < PAP header length", length);
		return;
	}
	switch (code) {
	case 1:
		if (len < 6) {
			pr_puts(ctx, "[|pap]");
			return;
		}
		if (counted_text(ctx, &p, p0, length, "Peer"))
			counted_text(ctx, &p, p0, length, "Name");
		break;
	case 2:
	case 3:
		if (len < 5) {
			pr_puts(ctx, "[|pap]");
			return;
		}
		counted_text(ctx, &p, p0, length, "Msg");
		break;
	}
}

/*
 * A frame still in RFC 1662 octet-stuffed form: un-escape what was captured
 * into the context's buffer and guess the protocol field the way tcpdump
 * does (one octet, then two, then address/control and two).
 */
static void ppp_hdlc(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	const uint8_t *save_pkt = ctx->pkt, *save_end = ctx->end;
	unsigned caplen = pr_left(ctx, p), i, n = 0, proto;
	uint8_t *b;

	if (caplen == 0 || length == 0)
		return;
	if (!ctx->hdlc_buf) {
		ctx->hdlc_buf = malloc(PR_HDLC_BUF);
		if (!ctx->hdlc_buf)
			return;
	}
	b = ctx->hdlc_buf;
	for (i = 0; i < caplen && n < PR_HDLC_BUF; i++) {
		uint8_t c = p[i];

		if (c == HDLC_ESCAPE) {
			if (i + 1 >= caplen)
				break;
			c = p[++i] ^ 0x20;
		}
		b[n++] = c;
	}
	/* decode from the private copy; printer_packet() restores pkt and end after an unwind */
	ctx->pkt = b;
	ctx->end = b + n;
	length = n;
	if (length < 1)
		goto trunc;
	proto = b[0];
	if (proto == PPP_IP) {
		ip_print(ctx, b + 1, length - 1);
		goto done;
	}
	if (proto == PPP_IPV6) {
		ip6_print(ctx, b + 1, length - 1);
		goto done;
	}
	if (length < 2)
		goto trunc;
	proto = (unsigned)b[0] << 8 | b[1];
	if (proto == (PPP_ADDRESS << 8 | PPP_CONTROL)) {
		if (length < 4)
			goto trunc;
		proto = (unsigned)b[2] << 8 | b[3];
		if ((proto & 0xff00) == 0x7e00)
			pr_printf(ctx, "(protocol 0x%04x invalid)", proto);
		else
			handle_ppp(ctx, proto, b + 4, length - 4);
	} else if ((proto & 0xff00) == 0x7e00) {
		pr_printf(ctx, "(protocol 0x%04x invalid)", proto);
	} else {
		handle_ppp(ctx, proto, b + 2, length - 2);
	}
done:
	ctx->pkt = save_pkt;
	ctx->end = save_end;
	return;
trunc:
	ctx->pkt = save_pkt;
	ctx->end = save_end;
	pr_trunc_mark(ctx);
}

static void handle_ppp(struct pctx *ctx, unsigned proto, const uint8_t *p, unsigned length)
{
	if ((proto & 0xff00) == 0x7e00) {
		/* an HDLC flag where the protocol should be: the frame is still escaped */
		ppp_hdlc(ctx, p - 1, length);
		return;
	}
	switch (proto) {
	case PPP_LCP:
	case PPP_IPCP:
	case 0x8023: /* OSICP */
	case 0x8281: /* MPLSCP */
	case PPP_IP6CP:
	case 0x80fd: /* CCP */
	case 0xc02b: /* BACP */ ctrl_proto_print(ctx, proto, p, length); break;
	case PPP_CHAP: chap_print(ctx, p, length); break;
	case PPP_PAP: pap_print(ctx, p, length); break;
	case 0x0281:
	case 0x0283: mpls_print(ctx, p, length); break;
	case 0x0023: isoclns_print(ctx, p, length); break;
	case 0x0800:
	case PPP_VJNC:
	case PPP_IP: ip_print(ctx, p, length); break;
	case 0x86dd:
	case PPP_IPV6: ip6_print(ctx, p, length); break;
	case PPP_COMP: pr_puts(ctx, "compressed PPP data"); break;
	default:
		pr_printf(ctx, "%s ", pr_tok_str(ctx, ppp_names, "unknown PPP protocol (0x%04x)", proto));
		pr_unknown_data(ctx, p, "\n\t", length);
		break;
	}
}

unsigned ppp_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned olen = length, hdr_len = 0, proto, hdr;

	PR_PROTO(ctx, "ppp");
	if (length < 2)
		goto trunc;
	hdr = RD_BE16(p);
	if (hdr == (PPP_PPPD_IN << 8 | PPP_CONTROL) || hdr == (PPP_PPPD_OUT << 8 | PPP_CONTROL) ||
	    hdr == (PPP_ADDRESS << 8 | PPP_CONTROL)) {
		if (ctx->opts.link_header && hdr != (PPP_ADDRESS << 8 | PPP_CONTROL))
			pr_puts(ctx, (hdr >> 8) == PPP_PPPD_IN ? "In  " : "Out ");
		p += 2;
		length -= 2;
		hdr_len += 2;
	}
	if (length < 2)
		goto trunc;
	if (RD_U8(p) & 1) {
		/* protocol field compression (RFC 1661 6.5) */
		proto = RD_U8(p);
		p++;
		length--;
		hdr_len++;
	} else {
		proto = RD_BE16(p);
		p += 2;
		length -= 2;
		hdr_len += 2;
	}
	if (ctx->opts.link_header) {
		const char *name = pr_tok_find(ppp_names, proto);

		pr_printf(ctx, "%s (0x%04x), length %u", name ? name : "unknown", proto, olen);
		if (!name)
			return hdr_len;
		pr_puts(ctx, ": ");
	}
	handle_ppp(ctx, proto, p, length);
	return hdr_len;
trunc:
	pr_trunc_mark(ctx);
	return 0;
}

unsigned ppp_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	PR_PROTO(ctx, "ppp");
	if (caplen < PPP_HDRLEN) {
		pr_trunc_mark(ctx);
		return caplen;
	}
	ppp_print(ctx, p, length);
	return PPP_HDRLEN;
}
