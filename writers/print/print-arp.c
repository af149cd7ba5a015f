/* ARP and RARP (RFC 826, 903, 2390 inverse ARP). */
#include "writers/print/print-int.h"

#define ARP_HDR_LEN 8
#define ETYPE_IP 0x0800
#define ETYPE_TRAIL 0x1000

#define OP_REQUEST 1
#define OP_REPLY 2
#define OP_REVREQUEST 3
#define OP_REVREPLY 4
#define OP_INVREQUEST 8
#define OP_INVREPLY 9

static const struct pr_tok arp_ops[] = {
	{ OP_REQUEST, "Request" },
	{ OP_REPLY, "Reply" },
	{ OP_REVREQUEST, "Reverse Request" },
	{ OP_REVREPLY, "Reverse Reply" },
	{ OP_INVREQUEST, "Inverse Request" },
	{ OP_INVREPLY, "Inverse Reply" },
	{ 10, "NACK Reply" },
	{ 0, NULL },
};

static const struct pr_tok arp_hw[] = {
	{ 1, "Ethernet" },
	{ 2, "Experimental Ethernet" },
	{ 3, "AX.25" },
	{ 4, "ProNET" },
	{ 5, "Chaos" },
	{ 6, "IEEE 802" },
	{ 7, "ARCNET" },
	{ 15, "Frame Relay" },
	{ 16, "ATM" },
	{ 18, "Fibre Channel" },
	{ 19, "ATM (RFC 2225)" },
	{ 23, "Metricom STRIP" },
	{ 24, "IEEE 1394" },
	{ 27, "EUI-64" },
	{ 32, "InfiniBand" },
	{ 0, NULL },
};

/* Link address of any length: 6 bytes as a MAC, others as colon-separated hex. */
static void print_hwaddr(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned i;

	NEED(p, len);
	if (len == 0) {
		pr_puts(ctx, "<empty>");
		return;
	}
	for (i = 0; i < len; i++)
		pr_printf(ctx, i ? ":%02x" : "%02x", p[i]);
}

static void print_paddr(struct pctx *ctx, const uint8_t *p, unsigned pro, unsigned plen)
{
	if (pro != ETYPE_IP && pro != ETYPE_TRAIL)
		pr_puts(ctx, "<wrong proto type>");
	else if (plen != 4)
		pr_puts(ctx, "<wrong len>");
	else
		pr_puts(ctx, RD_IPV4(p));
}

static int all_zero(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++)
		if (RD_U8(p + i))
			return 0;
	return 1;
}

void arp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned hrd, pro, op, hln, pln;
	const uint8_t *sha, *spa, *tha, *tpa;

	PR_PROTO(ctx, "arp");
	NEED(bp, ARP_HDR_LEN);
	hrd = RD_BE16(bp);
	pro = RD_BE16(bp + 2);
	hln = RD_U8(bp + 4);
	pln = RD_U8(bp + 5);
	op = RD_BE16(bp + 6);
	sha = bp + ARP_HDR_LEN;
	spa = sha + hln;
	tha = spa + pln;
	tpa = tha + hln;
	/* addresses past the capture: tcpdump 4.99 gives up on the packet (" [|arp]", -x from byte 0) */
	if (!HAVE(tpa, pln))
		pr_trunc(ctx);
	if (!ctx->opts.link_header)
		pr_puts(ctx, "ARP, ");
	if ((pro != ETYPE_IP && pro != ETYPE_TRAIL) || pln != 4 || hln == 0 || ctx->opts.verbose) {
		const char *pname = ethertype_name(pro);

		pr_printf(ctx, "%s (len %u), ", pr_tok_str(ctx, arp_hw, "Unknown Hardware (%u)", hrd), hln);
		if (pname)
			pr_printf(ctx, "%s (len %u)", pname, pln);
		else
			pr_printf(ctx, "Unknown Protocol (0x%04x) (len %u)", pro, pln);
		if (!ctx->opts.verbose)
			goto out;
	}
	pr_printf(ctx, "%s%s ", ctx->opts.verbose ? ", " : "", pr_tok_str(ctx, arp_ops, "Unknown (%u)", op));
	switch (op) {
	case OP_REQUEST:
		pr_puts(ctx, "who-has ");
		print_paddr(ctx, tpa, pro, pln);
		if (!all_zero(ctx, tha, hln)) {
			pr_puts(ctx, " (");
			print_hwaddr(ctx, tha, hln);
			pr_putc(ctx, ')');
		}
		pr_puts(ctx, " tell ");
		print_paddr(ctx, spa, pro, pln);
		break;
	case OP_REPLY:
		print_paddr(ctx, spa, pro, pln);
		pr_puts(ctx, " is-at ");
		print_hwaddr(ctx, sha, hln);
		break;
	case OP_REVREQUEST:
	case OP_INVREQUEST:
		pr_puts(ctx, "who-is ");
		print_hwaddr(ctx, tha, hln);
		pr_puts(ctx, " tell ");
		print_hwaddr(ctx, sha, hln);
		break;
	case OP_REVREPLY:
		print_hwaddr(ctx, tha, hln);
		pr_puts(ctx, " at ");
		print_paddr(ctx, tpa, pro, pln);
		break;
	case OP_INVREPLY:
		print_hwaddr(ctx, sha, hln);
		pr_puts(ctx, " at ");
		print_paddr(ctx, spa, pro, pln);
		break;
	default: pr_hex_ascii(ctx, "\n\t", bp, pr_left(ctx, bp)); return;
	}
out:
	pr_printf(ctx, ", length %u", length);
}
