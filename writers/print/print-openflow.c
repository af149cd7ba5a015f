/* OpenFlow (TCP ports 6633 and 6653): message headers of every version, vendor messages of 1.0 with the Big Switch Networks extensions. */
#include "writers/print/print-int.h"

#define OF_HDR_LEN 8
#define OF_VENDOR_BSN 0x005c16c7

static const struct pr_tok version_names[] = {
	{ 0x01, "1.0" }, { 0x02, "1.1" }, { 0x03, "1.2" }, { 0x04, "1.3" },
	{ 0x05, "1.4" }, { 0x06, "1.5" }, { 0, NULL },
};

/* OpenFlow 1.0 (ofp_type) */
enum { OF10_HELLO = 0, OF10_ERROR = 1, OF10_ECHO_REQUEST = 2, OF10_ECHO_REPLY = 3, OF10_VENDOR = 4 };

static const struct pr_tok of10_type_names[] = {
	{ 0, "HELLO" },
	{ 1, "ERROR" },
	{ 2, "ECHO_REQUEST" },
	{ 3, "ECHO_REPLY" },
	{ 4, "VENDOR" },
	{ 5, "FEATURES_REQUEST" },
	{ 6, "FEATURES_REPLY" },
	{ 7, "GET_CONFIG_REQUEST" },
	{ 8, "GET_CONFIG_REPLY" },
	{ 9, "SET_CONFIG" },
	{ 10, "PACKET_IN" },
	{ 11, "FLOW_REMOVED" },
	{ 12, "PORT_STATUS" },
	{ 13, "PACKET_OUT" },
	{ 14, "FLOW_MOD" },
	{ 15, "PORT_MOD" },
	{ 16, "STATS_REQUEST" },
	{ 17, "STATS_REPLY" },
	{ 18, "BARRIER_REQUEST" },
	{ 19, "BARRIER_REPLY" },
	{ 20, "QUEUE_GET_CONFIG_REQUEST" },
	{ 21, "QUEUE_GET_CONFIG_REPLY" },
	{ 0, NULL },
};

/* OpenFlow 1.3 (also 1.1, 1.2, 1.4, 1.5 for the common part of the table) */
static const struct pr_tok of13_type_names[] = {
	{ 0, "HELLO" },
	{ 1, "ERROR" },
	{ 2, "ECHO_REQUEST" },
	{ 3, "ECHO_REPLY" },
	{ 4, "EXPERIMENTER" },
	{ 5, "FEATURES_REQUEST" },
	{ 6, "FEATURES_REPLY" },
	{ 7, "GET_CONFIG_REQUEST" },
	{ 8, "GET_CONFIG_REPLY" },
	{ 9, "SET_CONFIG" },
	{ 10, "PACKET_IN" },
	{ 11, "FLOW_REMOVED" },
	{ 12, "PORT_STATUS" },
	{ 13, "PACKET_OUT" },
	{ 14, "FLOW_MOD" },
	{ 15, "GROUP_MOD" },
	{ 16, "PORT_MOD" },
	{ 17, "TABLE_MOD" },
	{ 18, "MULTIPART_REQUEST" },
	{ 19, "MULTIPART_REPLY" },
	{ 20, "BARRIER_REQUEST" },
	{ 21, "BARRIER_REPLY" },
	{ 22, "QUEUE_GET_CONFIG_REQUEST" },
	{ 23, "QUEUE_GET_CONFIG_REPLY" },
	{ 24, "ROLE_REQUEST" },
	{ 25, "ROLE_REPLY" },
	{ 26, "GET_ASYNC_REQUEST" },
	{ 27, "GET_ASYNC_REPLY" },
	{ 28, "SET_ASYNC" },
	{ 29, "METER_MOD" },
	{ 0, NULL },
};

static const struct pr_tok vendor_names[] = { { 0x00002320, "Nicira Networks" },
					      { OF_VENDOR_BSN, "Big Switch Networks" },
					      { 0, NULL } };

enum {
	BSN_SET_IP_MASK = 0,
	BSN_GET_IP_MASK_REQUEST = 1,
	BSN_GET_IP_MASK_REPLY = 2,
	BSN_SET_MIRRORING = 3,
	BSN_GET_MIRRORING_REQUEST = 4,
	BSN_GET_MIRRORING_REPLY = 5,
};

static const struct pr_tok bsn_subtype_names[] = {
	{ BSN_SET_IP_MASK, "SET_IP_MASK" },
	{ BSN_GET_IP_MASK_REQUEST, "GET_IP_MASK_REQUEST" },
	{ BSN_GET_IP_MASK_REPLY, "GET_IP_MASK_REPLY" },
	{ BSN_SET_MIRRORING, "SET_MIRRORING" },
	{ BSN_GET_MIRRORING_REQUEST, "GET_MIRRORING_REQUEST" },
	{ BSN_GET_MIRRORING_REPLY, "GET_MIRRORING_REPLY" },
	{ 6, "SHELL_COMMAND" },
	{ 7, "SHELL_OUTPUT" },
	{ 8, "SHELL_STATUS" },
	{ 9, "GET_INTERFACES_REQUEST" },
	{ 10, "GET_INTERFACES_REPLY" },
	{ 11, "SET_PKTIN_SUPPRESSION_REQUEST" },
	{ 12, "SET_L2_TABLE_REQUEST" },
	{ 13, "GET_L2_TABLE_REQUEST" },
	{ 14, "GET_L2_TABLE_REPLY" },
	{ 15, "VIRTUAL_PORT_CREATE_REQUEST" },
	{ 16, "VIRTUAL_PORT_CREATE_REPLY" },
	{ 17, "VIRTUAL_PORT_REMOVE_REQUEST" },
	{ 18, "BW_ENABLE_SET_REQUEST" },
	{ 19, "BW_ENABLE_GET_REQUEST" },
	{ 20, "BW_ENABLE_GET_REPLY" },
	{ 21, "BW_CLEAR_DATA_REQUEST" },
	{ 22, "BW_CLEAR_DATA_REPLY" },
	{ 23, "BW_ENABLE_SET_REPLY" },
	{ 24, "SET_L2_TABLE_REPLY" },
	{ 25, "SET_PKTIN_SUPPRESSION_REPLY" },
	{ 26, "VIRTUAL_PORT_REMOVE_REPLY" },
	{ 27, "HYBRID_GET_REQUEST" },
	{ 28, "HYBRID_GET_REPLY" },
	{ 0, NULL },
};

/* Opaque message data: its size, and with -vv its bytes. */
static void data_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	if (len == 0)
		return;
	pr_printf(ctx, "\n\t data (%u octets)", len);
	if (ctx->opts.verbose >= 2)
		pr_hex_ascii(ctx, "\n\t  ", p, len);
	else
		NEED(p, len);
}

static const struct pr_tok onoff_names[] = { { 0, "OFF" }, { 1, "ON" }, { 0, NULL } };

/*
 * Big Switch Networks extension: a 4-byte subtype, then the subtype's body, each with the
 * length tcpdump 4.99 requires of it. Subtypes it does not decode print nothing more.
 */
static void bsn_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned sub;

	if (len < 4)
		goto invalid;
	sub = RD_BE32(p);
	pr_printf(ctx, "\n\t subtype %s", pr_tok_str(ctx, bsn_subtype_names, "unknown (0x%08x)", sub));
	p += 4;
	len -= 4;
	switch (sub) {
	case BSN_SET_IP_MASK:
	case BSN_GET_IP_MASK_REPLY:
		if (len != 8)
			goto invalid;
		pr_printf(ctx, ", index %u", RD_U8(p));
		pr_printf(ctx, ", mask %s", RD_IPV4(p + 4));
		break;
	case BSN_GET_IP_MASK_REQUEST:
		if (len != 8)
			goto invalid;
		pr_printf(ctx, ", index %u", RD_U8(p));
		NEED(p + 1, 7);
		break;
	case BSN_SET_MIRRORING:
	case BSN_GET_MIRRORING_REQUEST:
	case BSN_GET_MIRRORING_REPLY:
		if (len != 4)
			goto invalid;
		pr_printf(ctx, ", report_mirror_ports %s", pr_tok_str(ctx, onoff_names, "bogus (%u)", RD_U8(p)));
		NEED(p + 1, 3);
		break;
	case 6: /* SHELL_COMMAND */
		if (len < 4)
			goto invalid;
		pr_printf(ctx, ", service %u", RD_BE32(p));
		p += 4;
		len -= 4;
		/* fall through */
	case 7: /* SHELL_OUTPUT */
		pr_puts(ctx, ", data '");
		pr_str_n(ctx, p, len);
		pr_putc(ctx, '\'');
		break;
	case 8:	 /* SHELL_STATUS */
	case 17: /* VIRTUAL_PORT_REMOVE_REQUEST */
		if (len != 4)
			goto invalid;
		pr_printf(ctx, sub == 8 ? ", status 0x%08x" : ", vport_no %u", RD_BE32(p));
		break;
	case 9:	 /* GET_INTERFACES_REQUEST */
	case 13: /* GET_L2_TABLE_REQUEST */
	case 19: /* BW_ENABLE_GET_REQUEST */
	case 21: /* BW_CLEAR_DATA_REQUEST */
	case 27: /* HYBRID_GET_REQUEST */
		if (len)
			goto invalid;
		break;
	default: NEED(p, len); break;
	}
	return;
invalid:
	pr_invalid(ctx);
	NEED(p, len);
}

/*
 * The body lengths tcpdump 4.99 requires of OpenFlow 1.0 messages (body: after the 8-byte
 * header): exactly fix bytes when fix is set, at least min bytes otherwise.
 */
static const struct {
	uint8_t fixed;
	uint8_t len;
} of10_body_len[] = {
	[1] = { 0, 4 },	 /* ERROR */
	[4] = { 0, 4 },	 /* VENDOR */
	[5] = { 1, 0 },	 /* FEATURES_REQUEST */
	[7] = { 1, 0 },	 /* GET_CONFIG_REQUEST */
	[8] = { 1, 4 },	 /* GET_CONFIG_REPLY */
	[9] = { 1, 4 },	 /* SET_CONFIG */
	[18] = { 1, 0 }, /* BARRIER_REQUEST */
	[19] = { 1, 0 }, /* BARRIER_REPLY */
	[20] = { 1, 4 }, /* QUEUE_GET_CONFIG_REQUEST */
};

/* The body of an OpenFlow 1.0 message of type after the header; len counts the body. */
static void of10_body_print(struct pctx *ctx, unsigned type, const uint8_t *p, unsigned len)
{
	switch (type) {
	case OF10_VENDOR: {
		unsigned vendor;

		if (len < 4) {
			pr_invalid(ctx);
			NEED(p, len);
			return;
		}
		vendor = RD_BE32(p);
		pr_printf(ctx, ", vendor 0x%08x (%s)", vendor, pr_tok_str(ctx, vendor_names, "unknown", vendor));
		if (vendor == OF_VENDOR_BSN)
			bsn_print(ctx, p + 4, len - 4);
		else
			data_print(ctx, p + 4, len - 4);
		break;
	}
	case OF10_ECHO_REQUEST:
	case OF10_ECHO_REPLY:
	case OF10_HELLO: data_print(ctx, p, len); break;
	default:
		/* bodies without a decoder here: checked, not shown */
		NEED(p, len);
		break;
	}
}

/*
 * A TCP segment of OpenFlow messages, read as tcpdump 4.99 does: a header cut by the end of the
 * segment says so, a message longer than the segment is decoded as far as it is captured and
 * ends the segment.
 */
void openflow_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	PR_PROTO(ctx, "openflow");
	pr_puts(ctx, ": OpenFlow");
	while (len) {
		unsigned version, type, mlen, blen;
		const struct pr_tok *types = NULL;

		version = RD_U8(bp);
		bp++;
		len--;
		pr_printf(ctx, "\n\tversion %s", pr_tok_str(ctx, version_names, "unknown (0x%02x)", version));
		if (len < 1)
			goto partial;
		type = RD_U8(bp);
		bp++;
		len--;
		if (version == 1)
			types = of10_type_names;
		else if (version == 4)
			types = of13_type_names;
		pr_printf(ctx, ", type %s", pr_tok_str(ctx, types, "unknown (0x%02x)", type));
		if (len < 2)
			goto partial;
		mlen = RD_BE16(bp);
		bp += 2;
		len -= 2;
		pr_printf(ctx, ", length %u%s", mlen, mlen < OF_HDR_LEN ? " (too short!)" : "");
		if (len < 4)
			goto partial;
		pr_printf(ctx, ", xid 0x%08x", RD_BE32(bp));
		bp += 4;
		len -= 4;
		if (mlen < OF_HDR_LEN)
			goto invalid;
		blen = mlen - OF_HDR_LEN;
		if (version == 1 && type < sizeof(of10_body_len) / sizeof(of10_body_len[0]) &&
		    (of10_body_len[type].fixed ? blen != of10_body_len[type].len : blen < of10_body_len[type].len)) {
			pr_invalid(ctx);
			NEED(bp, blen);
		} else if (ctx->opts.verbose && version == 1 && pr_tok_find(of10_type_names, type)) {
			of10_body_print(ctx, type, bp, blen);
		} else {
			NEED(bp, blen);
		}
		if (blen > len)
			break;
		bp += blen;
		len -= blen;
	}
	return;
partial:
	pr_puts(ctx, " (end of TCP payload)");
	NEED(bp, len);
	return;
invalid:
	pr_invalid(ctx);
	NEED(bp, len);
}
