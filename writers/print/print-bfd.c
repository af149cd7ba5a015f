/* Bidirectional Forwarding Detection (RFC 5880/5881/5883, RFC 7130): UDP 3784, 4784, 6784 control, 3785 echo. */
#include "writers/print/print-int.h"

#define BFD_CONTROL_PORT 3784
#define BFD_ECHO_PORT 3785
#define BFD_MULTIHOP_PORT 4784
#define BFD_LAG_PORT 6784
#define BFD_HDR_LEN 24
#define BFD_FLAG_AUTH 0x04

static const struct pr_tok port_names[] = {
	{ BFD_CONTROL_PORT, "Control" },
	{ BFD_MULTIHOP_PORT, "Multihop" },
	{ BFD_LAG_PORT, "Lag" },
	{ BFD_ECHO_PORT, "Echo" },
	{ 0, NULL },
};

static const struct pr_tok diag_names[] = {
	{ 0, "No Diagnostic" },
	{ 1, "Control Detection Time Expired" },
	{ 2, "Echo Function Failed" },
	{ 3, "Neighbor Signaled Session Down" },
	{ 4, "Forwarding Plane Reset" },
	{ 5, "Path Down" },
	{ 6, "Concatenated Path Down" },
	{ 7, "Administratively Down" },
	{ 8, "Reverse Concatenated Path Down" },
	{ 0, NULL },
};

static const struct pr_tok state_names[] = {
	{ 0, "AdminDown" }, { 1, "Down" }, { 2, "Init" }, { 3, "Up" }, { 0, NULL },
};

static const struct pr_tok flag_names[] = {
	{ 0x20, "Poll" },
	{ 0x10, "Final" },
	{ 0x08, "Control Plane Independent" },
	{ BFD_FLAG_AUTH, "Authentication Present" },
	{ 0x02, "Demand" },
	{ 0x01, "Multipoint" },
	{ 0, NULL },
};

/* tcpdump's table: type 0 (reserved) and unassigned types print as "Unknown". */
static const struct pr_tok auth_names[] = {
	{ 1, "Simple Password" },	{ 2, "Keyed MD5" }, { 3, "Meticulous Keyed MD5" }, { 4, "Keyed SHA1" },
	{ 5, "Meticulous Keyed SHA1" }, { 0, NULL },
};

/* Draft-ietf-bfd-base-01 (BFDv0): the top two bits are flags, not a state. */
static const struct pr_tok v0_flag_names[] = {
	{ 0x80, "I Hear You" },
	{ 0x40, "Demand" },
	{ 0x20, "Poll" },
	{ 0x10, "Final" },
	{ 0x08, "Control Plane Independent" },
	{ BFD_FLAG_AUTH, "Authentication Present" },
	{ 0x02, "Reserved" },
	{ 0x01, "Reserved" },
	{ 0, NULL },
};

/*
 * RFC 5880 4.2-4.4: the authentication section after the mandatory header. As tcpdump
 * 4.99 does, its first four bytes must be captured, the key ID follows the type whatever
 * the type, and a length that does not fit the type ends the section with "[invalid length N]".
 */
static void print_auth(struct pctx *ctx, const uint8_t *p)
{
	unsigned type, len, i, digest;

	NEED(p, 4);
	type = RD_U8(p);
	len = RD_U8(p + 1);
	pr_printf(ctx, "\n\tAuthentication: %s (%u), length: %u", pr_tok_str(ctx, auth_names, "Unknown", type), type,
		  len);
	pr_printf(ctx, "\n\t  Auth Key ID: %u", RD_U8(p + 2));
	switch (type) {
	case 1:
		/* 1 to 16 bytes of password after type, length and key ID */
		if (len < 4 || len > 19) {
			pr_printf(ctx, "[invalid length %u]", len);
			return;
		}
		pr_puts(ctx, ", Password: ");
		pr_str_n(ctx, p + 3, len - 3);
		break;
	case 2:
	case 3:
	case 4:
	case 5:
		digest = type <= 3 ? 16 : 20;
		if (len != 8 + digest) {
			pr_printf(ctx, "[invalid length %u]", len);
			return;
		}
		pr_printf(ctx, ", Sequence Number: 0x%08x", RD_BE32(p + 4));
		NEED(p + 8, digest);
		pr_puts(ctx, type <= 3 ? "\n\t  Digest: " : "\n\t  Hash: ");
		for (i = 0; i < digest; i++)
			pr_printf(ctx, "%02x", RD_U8(p + 8 + i));
		break;
	default: break;
	}
}

/* The fields after the first line, the same in BFDv0 and BFDv1. */
static void print_timers(struct pctx *ctx, const uint8_t *bp)
{
	unsigned mult = RD_U8(bp + 2), tx = RD_BE32(bp + 12);

	pr_printf(ctx, "\n\tDetection Timer Multiplier: %u (%u ms Detection time), BFD Length: %u", mult,
		  (unsigned)(mult * tx) / 1000, RD_U8(bp + 3));
	pr_printf(ctx, "\n\tMy Discriminator: 0x%08x", RD_BE32(bp + 4));
	pr_printf(ctx, ", Your Discriminator: 0x%08x", RD_BE32(bp + 8));
	pr_printf(ctx, "\n\t  Desired min Tx Interval:    %4u ms", tx / 1000);
	pr_printf(ctx, "\n\t  Required min Rx Interval:   %4u ms", RD_BE32(bp + 16) / 1000);
	pr_printf(ctx, "\n\t  Required min Echo Interval: %4u ms", RD_BE32(bp + 20) / 1000);
	if (RD_U8(bp + 1) & BFD_FLAG_AUTH)
		print_auth(ctx, bp + BFD_HDR_LEN);
}

void bfd_print(struct pctx *ctx, const uint8_t *bp, unsigned len, unsigned port)
{
	unsigned vd, flags, version, diag;
	const char *pname;

	PR_PROTO(ctx, "bfd");
	if (port == BFD_ECHO_PORT) {
		pr_printf(ctx, "BFD, %s, length: %u", pr_tok_str(ctx, port_names, "unknown (%u)", port), len);
		if (ctx->opts.verbose)
			pr_unknown_data(ctx, bp, "\n\t", len);
		return;
	}
	NEED(bp, BFD_HDR_LEN);
	vd = RD_U8(bp);
	flags = RD_U8(bp + 1);
	version = vd >> 5;
	diag = vd & 0x1f;
	pname = pr_tok_str(ctx, port_names, "unknown (%u)", port);
	switch (version) {
	case 0:
		/* draft-ietf-bfd-base-01 knows only the control port: tcpdump names no other */
		if (!ctx->opts.verbose) {
			pr_printf(ctx, "BFDv0, Control, Flags: [%s], length: %u",
				  pr_bits_str(ctx, v0_flag_names, "none", ", ", flags), len);
			return;
		}
		pr_printf(ctx, "BFDv0, length: %u\n\tControl, Flags: [%s], Diagnostic: %s (0x%02x)", len,
			  pr_bits_str(ctx, v0_flag_names, "none", ", ", flags),
			  pr_tok_str(ctx, diag_names, "unknown", diag), diag);
		print_timers(ctx, bp);
		break;
	case 1:
		if (!ctx->opts.verbose) {
			pr_printf(ctx, "BFDv1, %s, State %s, ", pname,
				  pr_tok_str(ctx, state_names, "unknown (%u)", flags >> 6));
			pr_printf(ctx, "Flags: [%s], length: %u",
				  pr_bits_str(ctx, flag_names, "none", ", ", flags & 0x3f), len);
			return;
		}
		pr_printf(ctx, "BFDv1, length: %u\n\t%s, State %s, ", len, pname,
			  pr_tok_str(ctx, state_names, "unknown (%u)", flags >> 6));
		pr_printf(ctx, "Flags: [%s], Diagnostic: %s (0x%02x)",
			  pr_bits_str(ctx, flag_names, "none", ", ", flags & 0x3f),
			  pr_tok_str(ctx, diag_names, "unknown", diag), diag);
		print_timers(ctx, bp);
		break;
	default:
		pr_printf(ctx, "BFDv%u, Control, length: %u", version, len);
		if (ctx->opts.verbose)
			pr_unknown_data(ctx, bp, "\n\t", len);
		break;
	}
}
