/* IEEE 1588 Precision Time Protocol version 2 messages (UDP 319/320, ethertype 0x88f7). */
#include <inttypes.h>

#include "writers/print/print-int.h"

#define PTP_HDR_LEN 34
#define PTP_V1_COMPAT 0x10

enum {
	M_SYNC = 0x0,
	M_DELAY_REQ = 0x1,
	M_PDELAY_REQ = 0x2,
	M_PDELAY_RESP = 0x3,
	M_FOLLOW_UP = 0x8,
	M_DELAY_RESP = 0x9,
	M_PDELAY_RESP_FOLLOW_UP = 0xa,
	M_ANNOUNCE = 0xb,
	M_SIGNALING = 0xc,
	M_MANAGEMENT = 0xd,
};

static const struct pr_tok msg_names[] = {
	{ M_SYNC, "sync msg" },
	{ M_DELAY_REQ, "delay req msg" },
	{ M_PDELAY_REQ, "peer delay req msg" },
	{ M_PDELAY_RESP, "peer delay resp msg" },
	{ M_FOLLOW_UP, "follow up msg" },
	{ M_DELAY_RESP, "delay resp msg" },
	{ M_PDELAY_RESP_FOLLOW_UP, "pdelay resp fup msg" },
	{ M_ANNOUNCE, "announce msg" },
	{ M_SIGNALING, "signaling msg" },
	{ M_MANAGEMENT, "management msg" },
	{ 0, NULL },
};

static const struct pr_tok control_names[] = {
	{ 0, "Sync" },	     { 1, "Delay_Req" }, { 2, "Follow_Up" }, { 3, "Delay_Resp" },
	{ 4, "Management" }, { 5, "Other" },	 { 0, NULL },
};

static const struct pr_tok flag_names[] = {
	{ 0x0001, "l1 61" },
	{ 0x0002, "l1 59" },
	{ 0x0004, "utc reasonable" },
	{ 0x0008, "timescale" },
	{ 0x0010, "time tracable" },
	{ 0x0020, "frequency tracable" },
	{ 0x0100, "alternate master" },
	{ 0x0200, "two step" },
	{ 0x0400, "unicast" },
	{ 0x1000, "profile specific 1" },
	{ 0x2000, "profile specific 2" },
	{ 0x4000, "security mask" },
	{ 0x18c0, "unknown" },
	{ 0, NULL },
};

static uint64_t rd_be48(struct pctx *ctx, const uint8_t *p)
{
	return (uint64_t)RD_BE16(p) << 32 | RD_BE32(p + 2);
}

static void print_ts(struct pctx *ctx, const uint8_t *bp, const char *name, const char *sep)
{
	pr_printf(ctx, ", %s :", name);
	pr_printf(ctx, " %" PRIu64 " seconds%s", rd_be48(ctx, bp), sep);
	pr_printf(ctx, " %u nanoseconds", RD_BE32(bp + 6));
}

static void print_port_id(struct pctx *ctx, const uint8_t *bp)
{
	pr_printf(ctx, ", port identity : 0x%" PRIx64, RD_BE64(bp));
	pr_printf(ctx, ", port id : %u", RD_BE16(bp + 8));
}

static void print_ts_port_id(struct pctx *ctx, const uint8_t *bp, const char *name)
{
	print_ts(ctx, bp, name, ",");
	print_port_id(ctx, bp + 10);
}

static void print_announce(struct pctx *ctx, const uint8_t *bp)
{
	print_ts(ctx, bp, "originTimeStamp", "");
	pr_printf(ctx, ", origin cur utc :%u", RD_BE16(bp + 10));
	pr_printf(ctx, ", rsvd : %u", RD_U8(bp + 12));
	pr_printf(ctx, ", gm priority_1 : %u", RD_U8(bp + 13));
	pr_printf(ctx, ", gm clock class : %u", RD_U8(bp + 14));
	pr_printf(ctx, ", gm clock accuracy : %u", RD_U8(bp + 15));
	pr_printf(ctx, ", gm clock variance : %u", RD_BE16(bp + 16));
	pr_printf(ctx, ", gm priority_2 : %u", RD_U8(bp + 18));
	pr_printf(ctx, ", gm clock id : 0x%" PRIx64, RD_BE64(bp + 19));
	pr_printf(ctx, ", steps removed : %u", RD_BE16(bp + 27));
	pr_printf(ctx, ", time source : 0x%x", RD_U8(bp + 29));
}

/*
 * Management: tcpdump 4.99 prints the four one-byte fields after the target
 * port identity from the identity's first byte (its field printer never
 * advances), with a doubled separator; matched here byte for byte.
 */
static void print_mgmt(struct pctx *ctx, const uint8_t *bp)
{
	unsigned b;

	print_port_id(ctx, bp);
	b = RD_U8(bp);
	pr_printf(ctx, ", , start boundary hops  %u", b);
	pr_printf(ctx, ", , boundary hops  %u", b);
	pr_printf(ctx, ", , flags  0x%x", b);
	pr_printf(ctx, ", , reserved  0x%x", b);
}

static void ptp_print_2(struct pctx *ctx, const uint8_t *bp)
{
	unsigned foct = RD_U8(bp), type = foct & 0x0f, control;

	pr_printf(ctx, ", v1 compat : %s", (foct & PTP_V1_COMPAT) ? "yes" : "no");
	pr_printf(ctx, ", msg type : %s", pr_tok_str(ctx, msg_names, "Reserved", type));
	pr_printf(ctx, ", length : %u", RD_BE16(bp + 2));
	pr_printf(ctx, ", domain : %u", RD_U8(bp + 4));
	pr_printf(ctx, ", reserved1 : %u", RD_U8(bp + 5));
	pr_printf(ctx, ", Flags [%s]", pr_bits_str(ctx, flag_names, "none", ", ", RD_BE16(bp + 6)));
	pr_printf(ctx, ", NS correction : %" PRIu64, rd_be48(ctx, bp + 8));
	pr_printf(ctx, ", sub NS correction : %u", RD_BE16(bp + 14));
	pr_printf(ctx, ", reserved2 : %u", RD_BE32(bp + 16));
	pr_printf(ctx, ", clock identity : 0x%" PRIx64, RD_BE64(bp + 20));
	pr_printf(ctx, ", port id : %u", RD_BE16(bp + 28));
	pr_printf(ctx, ", seq id : %u", RD_BE16(bp + 30));
	control = RD_U8(bp + 32);
	pr_printf(ctx, ", control : %u (%s)", control, pr_tok_str(ctx, control_names, "Reserved", control));
	pr_printf(ctx, ", log message interval : %u", RD_U8(bp + 33));
	bp += PTP_HDR_LEN;
	switch (type) {
	case M_SYNC:
	case M_DELAY_REQ: print_ts(ctx, bp, "originTimeStamp", ","); break;
	case M_PDELAY_REQ: print_ts_port_id(ctx, bp, "preciseOriginTimeStamp"); break;
	case M_PDELAY_RESP: print_ts_port_id(ctx, bp, "receiveTimeStamp"); break;
	case M_FOLLOW_UP: print_ts(ctx, bp, "preciseOriginTimeStamp", ","); break;
	case M_DELAY_RESP: print_ts_port_id(ctx, bp, "receiveTimeStamp"); break;
	case M_PDELAY_RESP_FOLLOW_UP: print_ts_port_id(ctx, bp, "preciseOriginTimeStamp"); break;
	case M_ANNOUNCE: print_announce(ctx, bp); break;
	case M_SIGNALING: print_port_id(ctx, bp); break;
	case M_MANAGEMENT: print_mgmt(ctx, bp); break;
	default: break;
	}
}

void ptp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned major;

	PR_PROTO(ctx, "ptp");
	/* a short message is only said to be one, without the protocol name */
	if (length < PTP_HDR_LEN) {
		pr_printf(ctx, " [length %u < %u]", length, PTP_HDR_LEN);
		pr_invalid(ctx);
		return;
	}
	pr_puts(ctx, "PTP");
	/* tcpdump 4.99 takes the whole second byte as the version: a minor version makes it another */
	major = RD_U8(bp + 1);
	pr_printf(ctx, "v%u", major);
	switch (major) {
	case 1: pr_puts(ctx, " (not implemented)"); break;
	case 2: ptp_print_2(ctx, bp); break;
	default: break;
	}
}
