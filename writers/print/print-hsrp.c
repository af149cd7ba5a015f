/* Cisco Hot Standby Router Protocol version 0/1 (RFC 2281), UDP port 1985. */
#include "writers/print/print-int.h"

#define HSRP_AUTH_SIZE 8

struct hsrp_hdr {
	wire_u8 version;
	wire_u8 op_code;
	wire_u8 state;
	wire_u8 hellotime;
	wire_u8 holdtime;
	wire_u8 priority;
	wire_u8 group;
	wire_u8 reserved;
	uint8_t authdata[HSRP_AUTH_SIZE];
	wire_ipv4 virtaddr;
};

static const struct pr_tok op_names[] = { { 0, "hello" }, { 1, "coup" }, { 2, "resign" }, { 0, NULL } };

static const struct pr_tok state_names[] = {
	{ 0, "initial" }, { 1, "learn" },   { 2, "listen" }, { 4, "speak" },
	{ 8, "standby" }, { 16, "active" }, { 0, NULL },
};

void hsrp_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	const struct hsrp_hdr *h = (const void *)bp;
	unsigned version;

	PR_PROTO(ctx, "hsrp");
	version = RD_U8(&h->version);
	pr_printf(ctx, "HSRPv%u", version);
	if (version != 0)
		return;
	pr_printf(ctx, "-%s ", pr_tok_str(ctx, op_names, "unknown (%u)", RD_U8(&h->op_code)));
	pr_printf(ctx, "%u: ", len);
	pr_printf(ctx, "state=%s ", pr_tok_str(ctx, state_names, "Unknown (%u)", RD_U8(&h->state)));
	pr_printf(ctx, "group=%u ", RD_U8(&h->group));
	if (RD_U8(&h->reserved) != 0)
		pr_printf(ctx, "[reserved=%u!] ", RD_U8(&h->reserved));
	pr_printf(ctx, "addr=%s", RD_IPV4(h->virtaddr));
	if (!ctx->opts.verbose)
		return;
	pr_puts(ctx, " hellotime=");
	pr_relts(ctx, RD_U8(&h->hellotime));
	pr_puts(ctx, " holdtime=");
	pr_relts(ctx, RD_U8(&h->holdtime));
	pr_printf(ctx, " priority=%u", RD_U8(&h->priority));
	/* RFC 2281 5.1: the authentication data is zero-padded text */
	pr_puts(ctx, " auth=\"");
	pr_str_pad(ctx, h->authdata, HSRP_AUTH_SIZE);
	pr_putc(ctx, '"');
}
