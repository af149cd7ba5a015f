/* IEEE 802.3 slow protocols (ethertype 0x8809): LACP and Marker (802.3ad), OAM (802.3ah) headers. */
#include "writers/print/print-int.h"

#define SLOW_LACP 1
#define SLOW_MARKER 2
#define SLOW_OAM 3
#define TLV_HDR_LEN 2
#define ACTOR_INFO_LEN 18  /* system priority, system, key, port priority, port, state, 3 reserved */
#define COLLECTOR_LEN 14   /* max delay, 12 reserved */
#define MARKER_INFO_LEN 14 /* port, system, transaction id, 2 pad */

static const struct pr_tok subtype_names[] = {
	{ SLOW_LACP, "LACP" },
	{ SLOW_MARKER, "MARKER" },
	{ SLOW_OAM, "OAM" },
	{ 0, NULL },
};

/* (subtype << 8) | TLV type */
static const struct pr_tok tlv_names[] = {
	{ (SLOW_LACP << 8) | 0, "Terminator" },
	{ (SLOW_LACP << 8) | 1, "Actor Information" },
	{ (SLOW_LACP << 8) | 2, "Partner Information" },
	{ (SLOW_LACP << 8) | 3, "Collector Information" },
	{ (SLOW_MARKER << 8) | 0, "Terminator" },
	{ (SLOW_MARKER << 8) | 1, "Marker Information" },
	{ 0, NULL },
};

static const struct pr_tok state_names[] = {
	{ 0x01, "Activity" },	     { 0x02, "Timeout" },    { 0x04, "Aggregation" },
	{ 0x08, "Synchronization" }, { 0x10, "Collecting" }, { 0x20, "Distributing" },
	{ 0x40, "Default" },	     { 0x80, "Expired" },    { 0, NULL },
};

static void lacp_tlvs(struct pctx *ctx, const uint8_t *p, unsigned tlen, unsigned subtype)
{
	while (tlen != 0) {
		unsigned type, len, key;
		const uint8_t *v;

		if (tlen < TLV_HDR_LEN)
			goto tooshort;
		type = RD_U8(p);
		len = RD_U8(p + 1);
		key = subtype << 8 | type;
		pr_printf(ctx, "\n\t%s TLV (0x%02x), length %u", pr_tok_str(ctx, tlv_names, "Unknown", key), type, len);
		if (type == 0)
			return; /* the terminator ends the list whatever its length */
		if (len < TLV_HDR_LEN) {
			pr_printf(ctx, "\n\t    ERROR: illegal length - should be >= %u", TLV_HDR_LEN);
			return;
		}
		if (tlen < len)
			goto tooshort;
		NEED(p, len);
		v = p + TLV_HDR_LEN;
		switch (key) {
		case (SLOW_LACP << 8) | 1:
		case (SLOW_LACP << 8) | 2:
			if (len - TLV_HDR_LEN != ACTOR_INFO_LEN) {
				pr_printf(ctx, "\n\t    ERROR: illegal length - should be %u",
					  TLV_HDR_LEN + ACTOR_INFO_LEN);
				break;
			}
			pr_printf(ctx, "\n\t  System %s, System Priority %u, Key %u, Port %u, Port Priority %u",
				  RD_MAC(v + 2), RD_BE16(v), RD_BE16(v + 8), RD_BE16(v + 12), RD_BE16(v + 10));
			pr_printf(ctx, "\n\t  State Flags [%s]",
				  pr_bits_str(ctx, state_names, "none", ", ", RD_U8(v + 14)));
			break;
		case (SLOW_LACP << 8) | 3:
			if (len - TLV_HDR_LEN != COLLECTOR_LEN) {
				pr_printf(ctx, "\n\t    ERROR: illegal length - should be %u",
					  TLV_HDR_LEN + COLLECTOR_LEN);
				break;
			}
			pr_printf(ctx, "\n\t  Max Delay %u", RD_BE16(v));
			break;
		case (SLOW_MARKER << 8) | 1:
			if (len - TLV_HDR_LEN != MARKER_INFO_LEN) {
				pr_printf(ctx, "\n\t    ERROR: illegal length - should be %u",
					  TLV_HDR_LEN + MARKER_INFO_LEN);
				break;
			}
			pr_printf(ctx, "\n\t  Request System %s, Request Port %u, Request Transaction ID 0x%08x",
				  RD_MAC(v + 2), RD_BE16(v), RD_BE32(v + 8));
			break;
		default:
			if (ctx->opts.verbose <= 1)
				pr_unknown_data(ctx, v, "\n\t  ", len - TLV_HDR_LEN);
			break;
		}
		if (ctx->opts.verbose > 1)
			pr_unknown_data(ctx, v, "\n\t  ", len - TLV_HDR_LEN);
		p += len;
		tlen -= len;
	}
	return;
tooshort:
	pr_puts(ctx, "\n\t\t packet is too short");
}

void slow_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned subtype;

	PR_PROTO(ctx, "slow");
	if (len < 1)
		goto tooshort;
	subtype = RD_U8(p);
	if (subtype == SLOW_LACP || subtype == SLOW_MARKER) {
		if (len < 2)
			goto tooshort;
		if (RD_U8(p + 1) != 1) {
			pr_printf(ctx, "%s version %u packet not supported", subtype == SLOW_LACP ? "LACP" : "MARKER",
				  RD_U8(p + 1));
			return;
		}
		pr_printf(ctx, "%sv%u, length %u", pr_tok_str(ctx, subtype_names, "unknown (%u)", subtype),
			  RD_U8(p + 1), len);
		if (ctx->opts.verbose)
			lacp_tlvs(ctx, p + 2, len - 2, subtype);
		return;
	}
	pr_printf(ctx, "%s, length %u", pr_tok_str(ctx, subtype_names, "unknown (%u)", subtype), len);
	if (subtype != SLOW_OAM)
		pr_unknown_data(ctx, p, "\n\t", len);
	return;
tooshort:
	if (!ctx->opts.verbose)
		pr_puts(ctx, " (packet is too short)");
	else
		pr_puts(ctx, "\n\t\t packet is too short");
}
