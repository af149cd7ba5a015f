/* LDP (RFC 5036; FT session RFC 3479, MTU RFC 3988), UDP and TCP port 646. */
#include <string.h>

#include "writers/print/print-int.h"

#define LDP_COMMON_LEN 10 /* version, PDU length, LSR ID, label space */
#define LDP_MSG_HDR_LEN 8 /* type, length, message ID */

enum {
	TLV_FEC = 0x0100,
	TLV_ADDRESS_LIST = 0x0101,
	TLV_GENERIC_LABEL = 0x0200,
	TLV_STATUS = 0x0300,
	TLV_COMMON_HELLO = 0x0400,
	TLV_IPV4_TRANSPORT = 0x0401,
	TLV_CONFIG_SEQ = 0x0402,
	TLV_IPV6_TRANSPORT = 0x0403,
	TLV_COMMON_SESSION = 0x0500,
	TLV_FT_SESSION = 0x0503,
	TLV_MTU = 0x0601,
};

static const struct pr_tok msg_names[] = {
	{ 0x0001, "Notification" },
	{ 0x0100, "Hello" },
	{ 0x0200, "Initialization" },
	{ 0x0201, "Keepalive" },
	{ 0x0300, "Address" },
	{ 0x0301, "Address Withdraw" },
	{ 0x0400, "Label Mapping" },
	{ 0x0401, "Label Request" },
	{ 0x0402, "Label Withdraw" },
	{ 0x0403, "Label Release" },
	{ 0x0404, "Label Abort Request" },
	{ 0, NULL },
};

static const struct pr_tok tlv_names[] = {
	{ TLV_FEC, "FEC" },
	{ TLV_ADDRESS_LIST, "Address List" },
	{ 0x0103, "Hop Count" },
	{ 0x0104, "Path Vector" },
	{ TLV_GENERIC_LABEL, "Generic Label" },
	{ 0x0201, "ATM Label" },
	{ 0x0202, "Frame-Relay Label" },
	{ TLV_STATUS, "Status" },
	{ 0x0301, "Extended Status" },
	{ 0x0302, "Returned PDU" },
	{ 0x0303, "Returned Message" },
	{ TLV_COMMON_HELLO, "Common Hello Parameters" },
	{ TLV_IPV4_TRANSPORT, "IPv4 Transport Address" },
	{ TLV_CONFIG_SEQ, "Configuration Sequence Number" },
	{ TLV_IPV6_TRANSPORT, "IPv6 Transport Address" },
	{ TLV_COMMON_SESSION, "Common Session Parameters" },
	{ 0x0501, "ATM Session Parameters" },
	{ 0x0502, "Frame-Relay Session Parameters" },
	{ TLV_FT_SESSION, "FT Session" },
	{ 0x0600, "Label Request Message ID" },
	{ TLV_MTU, "MTU" },
	{ 0, NULL },
};

static const struct pr_tok fec_names[] = {
	{ 0x01, "Wildcard" }, { 0x02, "Prefix" }, { 0x03, "Host address" }, { 0x80, "Martini VC" }, { 0, NULL }
};

static const struct pr_tok af_names[] = { { 1, "IPv4" }, { 2, "IPv6" }, { 0, NULL } };

/* An FEC prefix element's prefix (alen 4 or 16 bytes): text into buf, or NULL with *why set. */
static const char *fec_prefix(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned alen, const char **why)
{
	uint8_t a[16];
	unsigned plen, bytes;
	char *s;

	plen = RD_U8(p);
	if (plen > alen * 8) {
		*why = "(invalid length)";
		return NULL;
	}
	bytes = (plen + 7) / 8;
	if (1 + bytes > len) {
		*why = "(goes past end of TLV)";
		return NULL;
	}
	NEED(p + 1, bytes);
	memset(a, 0, sizeof(a));
	memcpy(a, p + 1, bytes);
	if (plen % 8)
		a[bytes - 1] &= (uint8_t)(0xff00 >> (plen % 8));
	s = pr_scratch(ctx);
	snprintf(s, PR_STR_LEN, "%s/%u", alen == 4 ? pr_ipv4_copy(ctx, a) : pr_ipv6_copy(ctx, a), plen);
	return s;
}

/* One TLV of a message with msg_len bytes left; returns the bytes it used, 0 to stop. */
static unsigned tlv_print(struct pctx *ctx, const uint8_t *p, unsigned msg_len)
{
	unsigned raw, type, len, tlen;
	const uint8_t *v;

	NEED(p, 4);
	raw = RD_BE16(p);
	len = RD_BE16(p + 2);
	if (len + 4 > msg_len) {
		pr_puts(ctx, "\n\t\t TLV contents go past end of message");
		return 0;
	}
	type = raw & 0x3fff;
	pr_printf(ctx, "\n\t    %s TLV (0x%04x), length: %u, Flags: [%s and %s forward if unknown]",
		  pr_tok_str(ctx, tlv_names, "Unknown", type), type, len,
		  (raw & 0x8000) ? "continue processing" : "ignore", (raw & 0x4000) ? "do" : "don't");
	v = p + 4;
	tlen = len;
#define TLV_MIN(n)                \
	do {                      \
		if (tlen < (n))   \
			goto bad; \
	} while (0)
	switch (type) {
	case TLV_COMMON_SESSION:
		TLV_MIN(8);
		pr_printf(ctx, "\n\t      Version: %u, Keepalive: %us, Flags: [Downstream %s, Loop Detection %s]",
			  RD_BE16(v), RD_BE16(v + 2), (RD_BE16(v + 6) & 0x8000) ? "On Demand" : "Unsolicited",
			  (RD_BE16(v + 6) & 0x4000) ? "Enabled" : "Disabled");
		break;
	case TLV_COMMON_HELLO:
		TLV_MIN(4);
		pr_printf(ctx, "\n\t      Hold Time: %us, Flags: [%s Hello%s]", RD_BE16(v),
			  (RD_BE16(v + 2) & 0x8000) ? "Targeted" : "Link",
			  (RD_BE16(v + 2) & 0x4000) ? ", Request for targeted Hellos" : "");
		break;
	case TLV_IPV4_TRANSPORT:
		TLV_MIN(4);
		pr_printf(ctx, "\n\t      IPv4 Transport Address: %s", RD_IPV4(v));
		break;
	case TLV_IPV6_TRANSPORT:
		TLV_MIN(16);
		pr_printf(ctx, "\n\t      IPv6 Transport Address: %s", RD_IPV6(v));
		break;
	case TLV_CONFIG_SEQ:
		TLV_MIN(4);
		pr_printf(ctx, "\n\t      Sequence Number: %u", RD_BE32(v));
		break;
	case TLV_ADDRESS_LIST: {
		unsigned af;

		TLV_MIN(2);
		af = RD_BE16(v);
		v += 2;
		tlen -= 2;
		pr_printf(ctx, "\n\t      Address Family: %s, addresses",
			  pr_tok_str(ctx, af_names, "Unknown (%u)", af));
		if (af == 1) {
			for (; tlen >= 4; v += 4, tlen -= 4)
				pr_printf(ctx, " %s", RD_IPV4(v));
		} else if (af == 2) {
			for (; tlen >= 16; v += 16, tlen -= 16)
				pr_printf(ctx, " %s", RD_IPV6(v));
		}
		break;
	}
	case TLV_FEC: {
		unsigned fec, af;
		const char *s, *why = NULL;

		TLV_MIN(1);
		fec = RD_U8(v);
		pr_printf(ctx, "\n\t      %s FEC (0x%02x)", pr_tok_str(ctx, fec_names, "Unknown", fec), fec);
		v++;
		tlen--;
		if (fec != 0x02)
			break;
		TLV_MIN(2);
		af = RD_BE16(v);
		v += 2;
		tlen -= 2;
		if (af == 1 || af == 2) {
			if (tlen < 1)
				pr_trunc(ctx);
			s = fec_prefix(ctx, v, tlen, af == 1 ? 4 : 16, &why);
			if (s)
				pr_printf(ctx, ": %s prefix %s", af == 1 ? "IPv4" : "IPv6", s);
			else
				pr_printf(ctx, ": %s prefix %s", af == 1 ? "IPv4" : "IPv6", why);
		} else {
			pr_printf(ctx, ": Address family %u prefix", af);
		}
		break;
	}
	case TLV_GENERIC_LABEL:
		TLV_MIN(4);
		pr_printf(ctx, "\n\t      Label: %u", RD_BE32(v) & 0xfffff);
		break;
	case TLV_STATUS: {
		uint32_t st, id;

		TLV_MIN(8);
		st = RD_BE32(v);
		pr_printf(ctx, "\n\t      Status: 0x%02x, Flags: [%s and %s forward]", st & 0x3fffffff,
			  (st & 0x80000000) ? "Fatal error" : "Advisory Notification",
			  (st & 0x40000000) ? "do" : "don't");
		id = RD_BE32(v + 4);
		if (id)
			pr_printf(ctx, ", causing Message ID: 0x%08x", id);
		break;
	}
	case TLV_FT_SESSION: {
		unsigned f;

		TLV_MIN(12);
		f = RD_BE16(v);
		pr_printf(
			ctx,
			"\n\t      Flags: [%sReconnect, %sSave State, %sAll-Label Protection, %s Checkpoint, %sRe-Learn "
			"State]",
			(f & 0x8000) ? "" : "No ", (f & 0x8) ? "" : "Don't ", (f & 0x4) ? "" : "No ",
			(f & 0x2) ? "Sequence Numbered Label" : "All Labels", (f & 0x1) ? "" : "Don't ");
		if (RD_BE32(v + 4))
			pr_printf(ctx, ", Reconnect Timeout: %ums", RD_BE32(v + 4));
		if (RD_BE32(v + 8))
			pr_printf(ctx, ", Recovery Time: %ums", RD_BE32(v + 8));
		break;
	}
	case TLV_MTU:
		TLV_MIN(2);
		pr_printf(ctx, "\n\t      MTU: %u", RD_BE16(v));
		break;
	default:
		if (ctx->opts.verbose <= 1)
			pr_unknown_data(ctx, v, "\n\t      ", tlen);
		break;
	}
#undef TLV_MIN
	return len + 4;
bad:
	pr_puts(ctx, "\n\t\t TLV contents go past end of TLV");
	return len + 4;
}

/* One LDP PDU; returns its length, 0 when nothing more is to be printed. */
static unsigned pdu_print(struct pctx *ctx, const uint8_t *p)
{
	const char *lead = ctx->opts.verbose ? "\n\t" : "";
	unsigned pdu_len, tlen;
	const uint8_t *t;

	if (RD_BE16(p) != 1) {
		pr_printf(ctx, "%sLDP version %u packet not supported", lead, RD_BE16(p));
		return 0;
	}
	pdu_len = RD_BE16(p + 2);
	if (pdu_len < LDP_COMMON_LEN - 4) {
		pr_printf(ctx, "%sLDP, pdu-length: %u (too short, < %u)", lead, pdu_len, LDP_COMMON_LEN - 4);
		return 0;
	}
	pr_printf(ctx, "%sLDP, Label-Space-ID: %s:%u, pdu-length: %u", lead, RD_IPV4(p + 4), RD_BE16(p + 8), pdu_len);
	if (!ctx->opts.verbose)
		return 0;
	t = p + LDP_COMMON_LEN;
	tlen = pdu_len - (LDP_COMMON_LEN - 4);
	while (tlen > 0) {
		unsigned raw, type, mlen, mt;
		const uint8_t *m;

		NEED(t, LDP_MSG_HDR_LEN);
		raw = RD_BE16(t);
		mlen = RD_BE16(t + 2);
		type = raw & 0x7fff;
		if (mlen < LDP_MSG_HDR_LEN - 4) {
			pr_printf(ctx, "\n\t  %s Message (0x%04x), length: %u (too short, < %u)",
				  pr_tok_str(ctx, msg_names, "Unknown", type), type, mlen, LDP_MSG_HDR_LEN - 4);
			return 0;
		}
		pr_printf(ctx, "\n\t  %s Message (0x%04x), length: %u, Message ID: 0x%08x, Flags: [%s if unknown]",
			  pr_tok_str(ctx, msg_names, "Unknown", type), type, mlen, RD_BE32(t + 4),
			  (raw & 0x8000) ? "continue processing" : "ignore");
		m = t + LDP_MSG_HDR_LEN;
		mt = mlen - (LDP_MSG_HDR_LEN - 4);
		NEED(t, mlen);
		switch (type) {
		case 0x0001:
		case 0x0100:
		case 0x0200:
		case 0x0201:
		case 0x0300:
		case 0x0301:
		case 0x0400:
		case 0x0402:
			while (mt >= 4) {
				unsigned n = tlv_print(ctx, m, mt);

				if (n == 0)
					break;
				mt -= n;
				m += n;
			}
			break;
		default:
			if (ctx->opts.verbose <= 1)
				pr_unknown_data(ctx, m, "\n\t  ", mt);
			break;
		}
		/* tcpdump dumps mlen bytes from the message body here, 4 more than the body holds */
		if (ctx->opts.verbose > 1)
			pr_unknown_data(ctx, t + LDP_MSG_HDR_LEN, "\n\t  ", mlen);
		if (tlen < mlen + 4)
			break;
		t += mlen + 4;
		tlen -= mlen + 4;
	}
	return pdu_len + 4;
}

void ldp_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	PR_PROTO(ctx, "ldp");
	while (len > LDP_COMMON_LEN + LDP_MSG_HDR_LEN) {
		unsigned n = pdu_print(ctx, bp);

		if (n == 0)
			return;
		if (len < n) {
			pr_printf(ctx, " [remaining length %u < %u]", len, n);
			pr_invalid(ctx);
			break;
		}
		len -= n;
		bp += n;
	}
}
