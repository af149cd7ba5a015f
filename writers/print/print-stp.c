/* IEEE 802.1D/802.1w/802.1s/802.1aq spanning tree BPDUs (STP, RSTP, MSTP, SPB). */
#include "writers/print/print-int.h"

#define STP_TIME_BASE 256.0f /* timers count 1/256 s (802.1D 9.3) */
#define BPDU_CONFIG_LEN 35   /* through the forward delay */
#define BPDU_RSTP_LEN 36     /* plus the version 1 length */
#define MSTP_MIN_LEN 102
#define MSTP_V3LEN_OFF 36
#define MSTP_NAME_OFF 39
#define MSTP_DIGEST_OFF 73
#define MSTP_INT_COST_OFF 89
#define MSTP_BRIDGE_OFF 93
#define MSTP_HOPS_OFF 101
#define MSTP_MSTI_OFF 102
#define MSTP_CONFIG_INFO_LEN 64
#define MSTI_LEN 16
#define SPB_MIN_LEN 87

static const struct pr_tok proto_names[] = {
	{ 0x00, "802.1d" }, { 0x02, "802.1w" }, { 0x03, "802.1s" }, { 0x04, "802.1aq" }, { 0, NULL },
};

static const struct pr_tok bpdu_type_names[] = {
	{ 0x00, "Config" },
	{ 0x02, "Rapid STP" },
	{ 0x80, "Topology Change" },
	{ 0, NULL },
};

static const struct pr_tok flag_names[] = {
	{ 0x01, "Topology change" },
	{ 0x02, "Proposal" },
	{ 0x10, "Learn" },
	{ 0x20, "Forward" },
	{ 0x40, "Agreement" },
	{ 0x80, "Topology change ACK" },
	{ 0, NULL },
};

static const struct pr_tok role_names[] = {
	{ 0, "Unknown" }, { 1, "Alternate" }, { 2, "Root" }, { 3, "Designated" }, { 0, NULL },
};

#define PORT_ROLE(f) (((f)&0x0c) >> 2)

/* Priority and MAC of a bridge identifier: "8000.00:11:22:33:44:55". */
static const char *bridge_id(struct pctx *ctx, const uint8_t *p)
{
	char *s = pr_scratch(ctx);

	NEED(p, 8);
	snprintf(s, PR_STR_LEN, "%02x%02x.%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3], p[4], p[5], p[6],
		 p[7]);
	return s;
}

static void print_timers(struct pctx *ctx, const uint8_t *p)
{
	pr_printf(ctx, "\n\tmessage-age %.2fs, max-age %.2fs, hello-time %.2fs, forwarding-delay %.2fs",
		  RD_BE16(p + 27) / STP_TIME_BASE, RD_BE16(p + 29) / STP_TIME_BASE, RD_BE16(p + 31) / STP_TIME_BASE,
		  RD_BE16(p + 33) / STP_TIME_BASE);
}

static void print_config(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned flags = RD_U8(p + 4);

	pr_printf(ctx, ", Flags [%s]", pr_bits_str(ctx, flag_names, "none", ", ", flags));
	pr_printf(ctx, ", bridge-id %s.%04x, length %u", bridge_id(ctx, p + 17), RD_BE16(p + 25), length);
	if (!ctx->opts.verbose)
		return;
	print_timers(ctx, p);
	pr_printf(ctx, "\n\troot-id %s, root-pathcost %u", bridge_id(ctx, p + 5), RD_BE32(p + 13));
	if (RD_U8(p + 2) == 0x02)
		pr_printf(ctx, ", port-role %s", pr_tok_str(ctx, role_names, "Unknown", PORT_ROLE(flags)));
}

static void print_mstp(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned flags = RD_U8(p + 4), v3len, off;
	int left;

	pr_printf(ctx, ", CIST Flags [%s], length %u", pr_bits_str(ctx, flag_names, "none", ", ", flags), length);
	if (!ctx->opts.verbose)
		return;
	pr_printf(ctx, "\n\tport-role %s, ", pr_tok_str(ctx, role_names, "Unknown", PORT_ROLE(flags)));
	pr_printf(ctx, "CIST root-id %s, CIST ext-pathcost %u", bridge_id(ctx, p + 5), RD_BE32(p + 13));
	pr_printf(ctx, "\n\tCIST regional-root-id %s, ", bridge_id(ctx, p + 17));
	pr_printf(ctx, "CIST port-id %04x,", RD_BE16(p + 25));
	print_timers(ctx, p);
	pr_printf(ctx, "\n\tv3len %u, MCID Name ", RD_BE16(p + MSTP_V3LEN_OFF));
	pr_str_pad(ctx, p + MSTP_NAME_OFF, 32);
	pr_printf(ctx, ", rev %u,\n\t\tdigest %08x%08x%08x%08x, ", RD_BE16(p + MSTP_NAME_OFF + 32),
		  RD_BE32(p + MSTP_DIGEST_OFF), RD_BE32(p + MSTP_DIGEST_OFF + 4), RD_BE32(p + MSTP_DIGEST_OFF + 8),
		  RD_BE32(p + MSTP_DIGEST_OFF + 12));
	pr_printf(ctx, "CIST int-root-pathcost %u,", RD_BE32(p + MSTP_INT_COST_OFF));
	pr_printf(ctx, "\n\tCIST bridge-id %s, ", bridge_id(ctx, p + MSTP_BRIDGE_OFF));
	pr_printf(ctx, "CIST remaining-hops %u", RD_U8(p + MSTP_HOPS_OFF));

	v3len = RD_BE16(p + MSTP_V3LEN_OFF);
	if (v3len <= MSTP_CONFIG_INFO_LEN)
		return;
	left = (int)(v3len - MSTP_CONFIG_INFO_LEN);
	for (off = MSTP_MSTI_OFF; left >= MSTI_LEN; left -= MSTI_LEN, off += MSTI_LEN) {
		unsigned mflags = RD_U8(p + off);

		pr_printf(ctx, "\n\tMSTI %u, Flags [%s], port-role %s", RD_BE16(p + off + 1) & 0x0fff,
			  pr_bits_str(ctx, flag_names, "none", ", ", mflags),
			  pr_tok_str(ctx, role_names, "Unknown", PORT_ROLE(mflags)));
		pr_printf(ctx, "\n\t\tMSTI regional-root-id %s, pathcost %u", bridge_id(ctx, p + off + 1),
			  RD_BE32(p + off + 9));
		pr_printf(ctx, "\n\t\tMSTI bridge-prio %u, port-prio %u, hops %u", RD_U8(p + off + 13) >> 4,
			  RD_U8(p + off + 14) >> 4, RD_U8(p + off + 15));
	}
}

/* The 802.1aq SPB extension that follows the MSTIs (v4 length first). */
static void print_spb(struct pctx *ctx, const uint8_t *p)
{
	unsigned agr, fmt, con;

	if (!ctx->opts.verbose)
		return;
	pr_printf(ctx, "\n\tv4len %u, AUXMCID Name ", RD_BE16(p));
	pr_str_pad(ctx, p + 3, 32);
	pr_printf(ctx, ", Rev %u,\n\t\tdigest %08x%08x%08x%08x", RD_BE16(p + 35), RD_BE32(p + 37), RD_BE32(p + 41),
		  RD_BE32(p + 45), RD_BE32(p + 49));
	agr = RD_U8(p + 53);
	fmt = RD_U8(p + 55);
	con = RD_U8(p + 56);
	pr_printf(ctx,
		  "\n\tAgreement num %u, Discarded Agreement num %u, Agreement valid-flag %u,\n\tRestricted role-flag: "
		  "%u, Format id %u cap %u, Convention id %u cap %u,\n\tEdge count %u, ",
		  agr >> 6, (agr >> 4) & 3, (agr >> 3) & 1, (agr >> 2) & 1, fmt >> 4, fmt, con >> 4, con,
		  RD_BE16(p + 57));
	pr_printf(ctx, "Agreement digest %08x%08x%08x%08x%08x", RD_BE32(p + 67), RD_BE32(p + 71), RD_BE32(p + 75),
		  RD_BE32(p + 79), RD_BE32(p + 83));
}

void stp_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned version, type, v3len, v4len;

	PR_PROTO(ctx, "stp");
	if (length < 4) {
		pr_invalid(ctx);
		return;
	}
	if (RD_BE16(p)) {
		pr_printf(ctx, "unknown STP version, length %u", length);
		return;
	}
	version = RD_U8(p + 2);
	pr_printf(ctx, "STP %s", pr_tok_str(ctx, proto_names, "Unknown STP protocol (0x%02x)", version));
	if (version != 0 && version != 2 && version != 3 && version != 4)
		return;
	type = RD_U8(p + 3);
	pr_printf(ctx, ", %s", pr_tok_str(ctx, bpdu_type_names, "Unknown BPDU Type (0x%02x)", type));
	switch (type) {
	case 0x00:
		if (length < BPDU_CONFIG_LEN)
			goto invalid;
		print_config(ctx, p, length);
		break;
	case 0x02:
		if (version == 2) {
			if (length < BPDU_RSTP_LEN)
				goto invalid;
			print_config(ctx, p, length);
			break;
		}
		if (version != 3 && version != 4)
			break;
		if (length < MSTP_MIN_LEN || RD_U8(p + 35) != 0)
			goto invalid;
		v3len = RD_BE16(p + MSTP_V3LEN_OFF) + 2u;
		if (length < BPDU_RSTP_LEN + v3len)
			goto invalid;
		print_mstp(ctx, p, length);
		if (version == 4) {
			v4len = RD_BE16(p + MSTP_V3LEN_OFF + v3len) + 2u;
			if (length < BPDU_RSTP_LEN + v3len + v4len || v4len < SPB_MIN_LEN)
				goto invalid;
			print_spb(ctx, p + BPDU_RSTP_LEN + v3len);
		}
		break;
	default: break;
	}
	return;
invalid:
	pr_invalid(ctx);
}
