/* L2TPv2 (RFC 2661), UDP port 1701: header flags, tunnel/session IDs, control AVPs, PPP in data messages. */
#include "writers/print/print-int.h"

#define F_TYPE 0x8000
#define F_LENGTH 0x4000
#define F_SEQUENCE 0x0800
#define F_OFFSET 0x0200
#define F_PRIORITY 0x0100
#define AVP_MANDATORY 0x8000
#define AVP_HIDDEN 0x4000
#define AVP_LEN_MASK 0x03ff

static const struct pr_tok msg_names[] = {
	{ 1, "SCCRQ" }, { 2, "SCCRP" }, { 3, "SCCCN" }, { 4, "StopCCN" }, { 6, "HELLO" },
	{ 7, "OCRQ" },	{ 8, "OCRP" },	{ 9, "OCCN" },	{ 10, "ICRQ" },	  { 11, "ICRP" },
	{ 12, "ICCN" }, { 14, "CDN" },	{ 15, "WEN" },	{ 16, "SLI" },	  { 0, NULL },
};

static const struct pr_tok avp_names[] = {
	{ 0, "MSGTYPE" },	   { 1, "RESULT_CODE" },      { 2, "PROTO_VER" },
	{ 3, "FRAMING_CAP" },	   { 4, "BEARER_CAP" },	      { 5, "TIE_BREAKER" },
	{ 6, "FIRM_VER" },	   { 7, "HOST_NAME" },	      { 8, "VENDOR_NAME" },
	{ 9, "ASSND_TUN_ID" },	   { 10, "RECV_WIN_SIZE" },   { 11, "CHALLENGE" },
	{ 12, "Q931_CC" },	   { 13, "CHALLENGE_RESP" },  { 14, "ASSND_SESS_ID" },
	{ 15, "CALL_SER_NUM" },	   { 16, "MINIMUM_BPS" },     { 17, "MAXIMUM_BPS" },
	{ 18, "BEARER_TYPE" },	   { 19, "FRAMING_TYPE" },    { 20, "PACKET_PROC_DELAY" },
	{ 21, "CALLED_NUMBER" },   { 22, "CALLING_NUMBER" },  { 23, "SUB_ADDRESS" },
	{ 24, "TX_CONN_SPEED" },   { 25, "PHY_CHANNEL_ID" },  { 26, "INI_RECV_LCP" },
	{ 27, "LAST_SENT_LCP" },   { 28, "LAST_RECV_LCP" },   { 29, "PROXY_AUTH_TYPE" },
	{ 30, "PROXY_AUTH_NAME" }, { 31, "PROXY_AUTH_CHAL" }, { 32, "PROXY_AUTH_ID" },
	{ 33, "PROXY_AUTH_RESP" }, { 34, "CALL_ERRORS" },     { 35, "ACCM" },
	{ 36, "RANDOM_VECTOR" },   { 37, "PRIVATE_GRP_ID" },  { 38, "RX_CONN_SPEED" },
	{ 39, "SEQ_REQUIRED" },	   { 46, "PPP_DISCON_CC" },   { 0, NULL },
};

static const struct pr_tok auth_type_names[] = {
	{ 0, "Reserved" }, { 1, "Textual" },   { 2, "CHAP" }, { 3, "PAP" },
	{ 4, "No Auth" },  { 5, "MS-CHAPv1" }, { 0, NULL },
};

static const struct pr_tok direction_names[] = {
	{ 0, "global error" }, { 1, "at peer" }, { 2, "at local" }, { 0, NULL }
};

static void chars(struct pctx *ctx, const uint8_t *p, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		pr_char(ctx, RD_U8(p + i));
}

static void octets(struct pctx *ctx, const uint8_t *p, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		pr_printf(ctx, "%02x", RD_U8(p + i));
}

#define SHORT(n)                                       \
	do {                                           \
		if (len < (n)) {                       \
			pr_puts(ctx, "AVP too short"); \
			return;                        \
		}                                      \
	} while (0)

/* The value of an IETF AVP of type (len bytes at p). */
static void avp_value(struct pctx *ctx, unsigned type, const uint8_t *p, unsigned len)
{
	static const char *const err_names[] = { "CRCErr", "FrameErr", "HardOver", "BufOver", "Timeout", "AlignErr" };
	unsigned i, v;

	switch (type) {
	case 0:
		SHORT(2);
		pr_puts(ctx, pr_tok_str(ctx, msg_names, "MSGTYPE-#%u", RD_BE16(p)));
		break;
	case 1:
		SHORT(2);
		pr_printf(ctx, "%u", RD_BE16(p));
		if (len == 2)
			break;
		if (len < 4) {
			pr_puts(ctx, " AVP too short");
			break;
		}
		pr_printf(ctx, "/%u", RD_BE16(p + 2));
		if (len > 4) {
			pr_putc(ctx, ' ');
			chars(ctx, p + 4, len - 4);
		}
		break;
	case 2:
		SHORT(2);
		pr_printf(ctx, "%u.%u", RD_U8(p), RD_U8(p + 1));
		break;
	case 3:
	case 19:
		SHORT(4);
		v = RD_BE32(p);
		pr_printf(ctx, "%s%s", (v & 2) ? "A" : "", (v & 1) ? "S" : "");
		break;
	case 4:
	case 18:
		SHORT(4);
		v = RD_BE32(p);
		pr_printf(ctx, "%s%s", (v & 2) ? "A" : "", (v & 1) ? "D" : "");
		break;
	case 5:
		SHORT(8);
		octets(ctx, p, 8);
		break;
	case 6:
	case 9:
	case 10:
	case 14:
		SHORT(2);
		pr_printf(ctx, "%u", RD_BE16(p));
		break;
	case 7:
	case 8:
	case 21:
	case 22:
	case 23:
	case 30:
	case 37: chars(ctx, p, len); break;
	case 11:
	case 26:
	case 27:
	case 28:
	case 31:
	case 33:
	case 36: octets(ctx, p, len); break;
	case 12:
		SHORT(3);
		pr_printf(ctx, "%u, %02x", RD_BE16(p), RD_U8(p + 2));
		if (len > 3) {
			pr_putc(ctx, ' ');
			chars(ctx, p + 3, len - 3);
		}
		break;
	case 13:
		SHORT(16);
		octets(ctx, p, 16);
		break;
	case 15:
	case 16:
	case 17:
	case 24:
	case 25:
	case 38:
		SHORT(4);
		pr_printf(ctx, "%u", RD_BE32(p));
		break;
	case 20: pr_puts(ctx, "obsolete"); break;
	case 29:
		SHORT(2);
		pr_puts(ctx, pr_tok_str(ctx, auth_type_names, "AuthType-#%u", RD_BE16(p)));
		break;
	case 32:
		SHORT(2);
		pr_printf(ctx, "%u", RD_BE16(p) & 0x00ff);
		break;
	case 34:
		/* RFC 2661 4.4.6: reserved, then six 32-bit counters */
		SHORT(2);
		p += 2;
		len -= 2;
		for (i = 0; i < 6; i++) {
			SHORT(4);
			pr_printf(ctx, "%s=%u ", err_names[i], RD_BE32(p));
			p += 4;
			len -= 4;
		}
		break;
	case 35:
		SHORT(2);
		p += 2;
		len -= 2;
		SHORT(4);
		pr_printf(ctx, "send=%08x ", RD_BE32(p));
		p += 4;
		len -= 4;
		SHORT(4);
		pr_printf(ctx, "recv=%08x ", RD_BE32(p));
		break;
	case 46:
		SHORT(5);
		pr_printf(ctx, "%04x, ", RD_BE16(p));
		pr_printf(ctx, "%04x ", RD_BE16(p + 2));
		pr_puts(ctx, pr_tok_str(ctx, direction_names, "Direction-#%u", RD_U8(p + 4)));
		if (len > 5) {
			pr_putc(ctx, ' ');
			chars(ctx, p + 5, len - 5);
		}
		break;
	default: break;
	}
}

#undef SHORT

static void avps_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	while (length > 0) {
		unsigned hdr, len;

		pr_putc(ctx, ' ');
		if (!HAVE(p, 2)) {
			pr_puts(ctx, "|...");
			return;
		}
		hdr = RD_BE16(p);
		len = hdr & AVP_LEN_MASK;
		/* shorter than its header, past the message or past the capture: stop */
		if (len < 6 || len > length || !HAVE(p, len)) {
			pr_puts(ctx, "|...");
			return;
		}
		if (hdr & AVP_MANDATORY)
			pr_putc(ctx, '*');
		if (hdr & AVP_HIDDEN)
			pr_putc(ctx, '?');
		if (RD_BE16(p + 2)) {
			pr_printf(ctx, "VENDOR%04x:", RD_BE16(p + 2));
			pr_printf(ctx, "ATTR%04x", RD_BE16(p + 4));
			pr_putc(ctx, '(');
			octets(ctx, p + 6, len - 6);
			pr_putc(ctx, ')');
		} else {
			unsigned type = RD_BE16(p + 4);

			pr_puts(ctx, pr_tok_str(ctx, avp_names, "AVP-#%u", type));
			pr_putc(ctx, '(');
			if (hdr & AVP_HIDDEN)
				pr_puts(ctx, "???");
			else
				avp_value(ctx, type, p + 6, len - 6);
			pr_putc(ctx, ')');
		}
		p += len;
		length -= len;
	}
}

void l2tp_print(struct pctx *ctx, const uint8_t *dat, unsigned length)
{
	const uint8_t *p = dat;
	unsigned flags, cnt = 0, l2tp_len = 0;

	PR_PROTO(ctx, "l2tp");
	flags = RD_BE16(p);
	if ((flags & 0x000f) == 2) {
		pr_puts(ctx, " l2tp:");
	} else if ((flags & 0x000f) == 1) {
		pr_puts(ctx, " l2f:");
		return;
	} else {
		pr_puts(ctx, " Unknown Version, neither L2F(1) nor L2TP(2)");
		return;
	}
	pr_printf(ctx, "[%s%s%s%s%s]", (flags & F_TYPE) ? "T" : "", (flags & F_LENGTH) ? "L" : "",
		  (flags & F_SEQUENCE) ? "S" : "", (flags & F_OFFSET) ? "O" : "", (flags & F_PRIORITY) ? "P" : "");
	p += 2;
	cnt += 2;
	if (flags & F_LENGTH) {
		l2tp_len = RD_BE16(p);
		p += 2;
		cnt += 2;
	}
	pr_printf(ctx, "(%u/", RD_BE16(p));
	pr_printf(ctx, "%u)", RD_BE16(p + 2));
	p += 4;
	cnt += 4;
	if (flags & F_SEQUENCE) {
		pr_printf(ctx, "Ns=%u,", RD_BE16(p));
		pr_printf(ctx, "Nr=%u", RD_BE16(p + 2));
		p += 4;
		cnt += 4;
	}
	if (flags & F_OFFSET) {
		unsigned pad = RD_BE16(p);

		p += 2 + pad;
		cnt += 2 + pad;
	}
	if (flags & F_LENGTH) {
		if (length < l2tp_len) {
			pr_printf(ctx, " Length %u larger than packet", l2tp_len);
			return;
		}
		length = l2tp_len;
	}
	if (length < cnt) {
		pr_printf(ctx, " Length %u smaller than header length", length);
		return;
	}
	if (flags & F_TYPE) {
		if (!(flags & F_LENGTH)) {
			pr_puts(ctx, " No length");
			return;
		}
		if (length - cnt == 0)
			pr_puts(ctx, " ZLB");
		else
			avps_print(ctx, p, length - cnt);
	} else {
		pr_puts(ctx, " {");
		ppp_print(ctx, p, length - cnt);
		pr_putc(ctx, '}');
	}
}
