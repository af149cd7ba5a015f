/* DHCPv6 (RFC 8415) decoder printing tcpdump 4.99.3's exact text. */
#include <stdint.h>

#include "writers/print/print-int.h"

enum { DH6_RELAY_FORW = 12, DH6_RELAY_REPLY = 13, DH6_RENEW = 5, DH6_INFORM_REQ = 11 };

enum {
	OPT_CLIENTID = 1,
	OPT_SERVERID = 2,
	OPT_IA_NA = 3,
	OPT_IA_TA = 4,
	OPT_IA_ADDR = 5,
	OPT_ORO = 6,
	OPT_PREFERENCE = 7,
	OPT_ELAPSED_TIME = 8,
	OPT_RELAY_MSG = 9,
	OPT_UNICAST = 12,
	OPT_STATUS_CODE = 13,
	OPT_RAPID_COMMIT = 14,
	OPT_INTERFACE_ID = 18,
	OPT_RECONF_MSG = 19,
	OPT_RECONF_ACCEPT = 20,
	OPT_SIP_SERVER_D = 21,
	OPT_SIP_SERVER_A = 22,
	OPT_DNS_SERVERS = 23,
	OPT_DOMAIN_LIST = 24,
	OPT_IA_PD = 25,
	OPT_IA_PD_PREFIX = 26,
	OPT_NIS_SERVERS = 27,
	OPT_NISP_SERVERS = 28,
	OPT_NIS_NAME = 29,
	OPT_NISP_NAME = 30,
	OPT_SNTP_SERVERS = 31,
	OPT_LIFETIME = 32,
	OPT_BCMCS_SERVER_D = 33,
	OPT_BCMCS_SERVER_A = 34,
	OPT_SUBSCRIBER_ID = 38,
	OPT_PANA_AGENT = 40,
	OPT_ERO = 43,
	OPT_LQ_CLIENT_LINK = 48,
	OPT_SOL_MAX_RT = 82,
	OPT_INF_MAX_RT = 83,
};

static const struct pr_tok dh6_msgs[] = {
	{ 1, "solicit" },  { 2, "advertise" },	{ 3, "request" },      { 4, "confirm" },     { 5, "renew" },
	{ 6, "rebind" },   { 7, "reply" },	{ 8, "release" },      { 9, "decline" },     { 10, "reconfigure" },
	{ 11, "inf-req" }, { 12, "relay-fwd" }, { 13, "relay-reply" }, { 14, "leasequery" }, { 15, "leasequery-reply" },
	{ 0, NULL },
};

/* IANA "DHCPv6 Option Codes", tcpdump's names. */
static const struct pr_tok dh6_opts[] = {
	{ 1, "client-ID" },
	{ 2, "server-ID" },
	{ 3, "IA_NA" },
	{ 4, "IA_TA" },
	{ 5, "IA_ADDR" },
	{ 6, "option-request" },
	{ 7, "preference" },
	{ 8, "elapsed-time" },
	{ 9, "relay-message" },
	{ 11, "authentication" },
	{ 12, "server-unicast" },
	{ 13, "status-code" },
	{ 14, "rapid-commit" },
	{ 15, "user-class" },
	{ 16, "vendor-class" },
	{ 17, "vendor-specific-info" },
	{ 18, "interface-ID" },
	{ 19, "reconfigure-message" },
	{ 20, "reconfigure-accept" },
	{ 21, "SIP-servers-domain" },
	{ 22, "SIP-servers-address" },
	{ 23, "DNS-server" },
	{ 24, "DNS-search-list" },
	{ 25, "IA_PD" },
	{ 26, "IA_PD-prefix" },
	{ 27, "NIS-server" },
	{ 28, "NIS+-server" },
	{ 29, "NIS-domain-name" },
	{ 30, "NIS+-domain-name" },
	{ 31, "SNTP-servers" },
	{ 32, "lifetime" },
	{ 33, "BCMCS-domain-name" },
	{ 34, "BCMCS-server" },
	{ 35, "geoconf" },
	{ 36, "remote-ID" },
	{ 37, "subscriber-ID" },
	{ 38, "subscriber-ID" },
	{ 39, "client-FQDN" },
	{ 40, "PANA-agent" },
	{ 41, "POSIX-timezone" },
	{ 42, "POSIX-tz-database" },
	{ 43, "ERO" },
	{ 44, "LQ-query" },
	{ 45, "LQ-client-data" },
	{ 46, "LQ-client-time" },
	{ 47, "LQ-relay-data" },
	{ 48, "LQ-client-link" },
	{ 56, "NTP-server" },
	{ 82, "SOL_MAX_RT" },
	{ 83, "INF_MAX_RT" },
	{ 0, NULL },
};

static const struct pr_tok dh6_status[] = {
	{ 0, "Success" },	 { 1, "UnspecFail" },	 { 2, "NoAddrsAvail" },	 { 3, "NoBinding" },
	{ 4, "NotOnLink" },	 { 5, "UseMulticast" },	 { 6, "NoPrefixAvail" }, { 7, "UnknownQueryType" },
	{ 8, "MalformedQuery" }, { 9, "NotConfigured" }, { 10, "NotAllowed" },	 { 0, NULL },
};

static int options_print(struct pctx *ctx, const uint8_t *cp, const uint8_t *ep);
static void message_print(struct pctx *ctx, const uint8_t *bp, unsigned length);

/* RFC 8415 11: DUID-LLT, DUID-EN, DUID-LL. */
static void duid_print(struct pctx *ctx, const uint8_t *tp, unsigned optlen)
{
	unsigned i;

	if (optlen < 2) {
		pr_puts(ctx, " ?)");
		return;
	}
	switch (RD_BE16(tp)) {
	case 1:
		if (optlen < 2 + 6) {
			pr_puts(ctx, " ?)");
			return;
		}
		pr_printf(ctx, " hwaddr/time type %u time %u ", RD_BE16(tp + 2), RD_BE32(tp + 4));
		for (i = 8; i < optlen; i++)
			pr_printf(ctx, "%02x", RD_U8(tp + i));
		pr_putc(ctx, ')');
		break;
	case 2:
		if (optlen < 2 + 8) {
			pr_puts(ctx, " ?)");
			return;
		}
		pr_puts(ctx, " vid ");
		for (i = 2; i < 2 + 8; i++)
			pr_printf(ctx, "%02x", RD_U8(tp + i));
		pr_putc(ctx, ')');
		break;
	case 3:
		if (optlen < 2 + 2) {
			pr_puts(ctx, " ?)");
			return;
		}
		pr_printf(ctx, " hwaddr type %u ", RD_BE16(tp + 2));
		for (i = 4; i < optlen; i++)
			pr_printf(ctx, "%02x", RD_U8(tp + i));
		pr_putc(ctx, ')');
		break;
	default: pr_printf(ctx, " type %u)", RD_BE16(tp)); break;
	}
}

/* The body of one option after " (name"; closes the parenthesis. -1 when truncated. */
static int option_body_print(struct pctx *ctx, unsigned type, const uint8_t *tp, unsigned optlen)
{
	unsigned i;

	switch (type) {
	case OPT_CLIENTID:
	case OPT_SERVERID: duid_print(ctx, tp, optlen); return 0;
	case OPT_IA_ADDR:
		if (optlen < 24)
			break;
		pr_printf(ctx, " %s pltime:%u vltime:%u", RD_IPV6(tp), RD_BE32(tp + 16), RD_BE32(tp + 20));
		if (optlen > 24 && options_print(ctx, tp + 24, tp + optlen) < 0)
			return -1;
		pr_putc(ctx, ')');
		return 0;
	case OPT_ORO:
	case OPT_ERO:
		if (optlen % 2)
			break;
		for (i = 0; i < optlen; i += 2)
			pr_printf(ctx, " %s", pr_tok_str(ctx, dh6_opts, "opt_%u", RD_BE16(tp + i)));
		pr_putc(ctx, ')');
		return 0;
	case OPT_PREFERENCE:
		if (optlen != 1)
			break;
		pr_printf(ctx, " %u)", RD_U8(tp));
		return 0;
	case OPT_ELAPSED_TIME:
		if (optlen != 2)
			break;
		pr_printf(ctx, " %u)", RD_BE16(tp));
		return 0;
	case OPT_RELAY_MSG:
		pr_puts(ctx, " (dhcp6");
		message_print(ctx, tp, optlen);
		pr_putc(ctx, ')');
		return 0;
	case OPT_UNICAST:
		if (optlen != 16)
			break;
		pr_printf(ctx, " %s)", RD_IPV6(tp));
		return 0;
	case OPT_STATUS_CODE:
		if (optlen < 2)
			break;
		pr_printf(ctx, " %s)", pr_tok_str(ctx, dh6_status, "code%u", RD_BE16(tp)));
		return 0;
	case OPT_INTERFACE_ID:
	case OPT_SUBSCRIBER_ID:
		/* the encoding is unknown: at most 10 bytes in hex */
		pr_putc(ctx, ' ');
		for (i = 0; i < optlen && i < 10; i++)
			pr_printf(ctx, "%02x", RD_U8(tp + i));
		pr_puts(ctx, "...)");
		return 0;
	case OPT_RECONF_MSG:
		if (optlen != 1)
			break;
		i = RD_U8(tp);
		if (i == DH6_RENEW)
			pr_puts(ctx, " for renew)");
		else if (i == DH6_INFORM_REQ)
			pr_puts(ctx, " for inf-req)");
		else
			pr_printf(ctx, " for ?\?\?(%02x))", i);
		return 0;
	case OPT_SIP_SERVER_A:
	case OPT_DNS_SERVERS:
	case OPT_SNTP_SERVERS:
	case OPT_NIS_SERVERS:
	case OPT_NISP_SERVERS:
	case OPT_BCMCS_SERVER_A:
	case OPT_PANA_AGENT:
	case OPT_LQ_CLIENT_LINK:
		if (optlen % 16)
			break;
		for (i = 0; i < optlen; i += 16)
			pr_printf(ctx, " %s", RD_IPV6(tp + i));
		pr_putc(ctx, ')');
		return 0;
	case OPT_SIP_SERVER_D:
	case OPT_DOMAIN_LIST:
	case OPT_NIS_NAME:
	case OPT_NISP_NAME:
	case OPT_BCMCS_SERVER_D: {
		/* RFC 8415 10: uncompressed names back to back */
		const uint8_t *p = tp;

		while (p < tp + optlen) {
			pr_putc(ctx, ' ');
			if (!(p = dns_name_print(ctx, p, tp + optlen)))
				return -1;
		}
		pr_putc(ctx, ')');
		return 0;
	}
	case OPT_IA_NA:
	case OPT_IA_PD:
		if (optlen < 12)
			break;
		pr_printf(ctx, " IAID:%u T1:%u T2:%u", RD_BE32(tp), RD_BE32(tp + 4), RD_BE32(tp + 8));
		if (optlen > 12 && options_print(ctx, tp + 12, tp + optlen) < 0)
			return -1;
		pr_putc(ctx, ')');
		return 0;
	case OPT_IA_TA:
		if (optlen < 4)
			break;
		pr_printf(ctx, " IAID:%u", RD_BE32(tp));
		if (optlen > 4 && options_print(ctx, tp + 4, tp + optlen) < 0)
			return -1;
		pr_putc(ctx, ')');
		return 0;
	case OPT_IA_PD_PREFIX:
		if (optlen < 25)
			break;
		pr_printf(ctx, " %s/%u", RD_IPV6(tp + 9), RD_U8(tp + 8));
		pr_printf(ctx, " pltime:%u vltime:%u", RD_BE32(tp), RD_BE32(tp + 4));
		if (optlen > 25 && options_print(ctx, tp + 25, tp + optlen) < 0)
			return -1;
		pr_putc(ctx, ')');
		return 0;
	case OPT_LIFETIME:
	case OPT_SOL_MAX_RT:
	case OPT_INF_MAX_RT:
		if (optlen != 4)
			break;
		pr_printf(ctx, " %u)", RD_BE32(tp));
		return 0;
	default: pr_putc(ctx, ')'); return 0;
	}
	pr_puts(ctx, " ?)");
	return 0;
}

/* Options from cp to ep; -1 (after " [|dhcp6]") when one runs past ep. */
static int options_print(struct pctx *ctx, const uint8_t *cp, const uint8_t *ep)
{
	while (cp < ep) {
		unsigned type, optlen;

		if (ep < cp + 4)
			goto trunc;
		type = RD_BE16(cp);
		optlen = RD_BE16(cp + 2);
		if (ep < cp + 4 + optlen)
			goto trunc;
		pr_printf(ctx, " (%s", pr_tok_str(ctx, dh6_opts, "opt_%u", type));
		if (option_body_print(ctx, type, cp + 4, optlen) < 0)
			return -1;
		cp += 4 + optlen;
	}
	return 0;
trunc:
	pr_trunc_mark(ctx);
	return -1;
}

/* One message: name, then with -v the xid (or relay addresses) and the options in parentheses. */
static void message_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	const uint8_t *ep = ctx->end;
	unsigned type;

	if (bp + length < ep)
		ep = bp + length;
	type = RD_U8(bp);
	if (!ctx->opts.verbose) {
		pr_printf(ctx, " %s", pr_tok_str(ctx, dh6_msgs, "msgtype-%u", type));
		return;
	}
	pr_printf(ctx, " %s (", pr_tok_str(ctx, dh6_msgs, "msgtype-%u", type));
	if (type != DH6_RELAY_FORW && type != DH6_RELAY_REPLY) {
		pr_printf(ctx, "xid=%x", RD_BE32(bp) & 0xffffff);
		options_print(ctx, bp + 4, ep);
	} else {
		/* RFC 8415 9: hop count, link address, peer address */
		pr_printf(ctx, "linkaddr=%s", RD_IPV6(bp + 2));
		pr_printf(ctx, " peeraddr=%s", RD_IPV6(bp + 18));
		options_print(ctx, bp + 34, ep);
	}
	pr_putc(ctx, ')');
}

void dhcp6_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	PR_PROTO(ctx, "dhcp6");
	pr_puts(ctx, "dhcp6");
	message_print(ctx, bp, length);
}
