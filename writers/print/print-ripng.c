/* RIPng (RFC 2080), UDP port 521: request and response route entries. */
#include <string.h>

#include "writers/print/print-int.h"

#define RIPNG_HDR_LEN 4
#define RIPNG_ENTRY_LEN 20
#define HOPCNT_INFINITY6 16

/* One route table entry: "prefix/len", the route tag in brackets, the metric in parentheses. */
static void entry_print(struct pctx *ctx, const uint8_t *ni, unsigned metric)
{
	unsigned tag;

	pr_printf(ctx, "%s/%u", RD_IPV6(ni), RD_U8(ni + 18));
	tag = RD_BE16(ni + 16);
	if (tag)
		pr_printf(ctx, " [%u]", tag);
	if (metric)
		pr_printf(ctx, " (%u)", metric);
}

void ripng_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	static const uint8_t zero[16];
	unsigned cmd, left, n;
	const uint8_t *ni;

	PR_PROTO(ctx, "ripng");
	if (length < RIPNG_HDR_LEN) {
		pr_invalid(ctx);
		return;
	}
	if (RD_U8(bp + 1) != 1) {
		pr_printf(ctx, " [vers %u]", RD_U8(bp + 1));
		pr_invalid(ctx);
		return;
	}
	cmd = RD_U8(bp);
	if (cmd != 1 && cmd != 2) {
		pr_printf(ctx, " ripng-%u ?? %u", cmd, length);
		pr_invalid(ctx);
		return;
	}
	left = length - RIPNG_HDR_LEN;
	n = left / RIPNG_ENTRY_LEN;
	ni = bp + RIPNG_HDR_LEN;
	if (cmd == 1 && n == 1 && RD_U8(ni + 19) == HOPCNT_INFINITY6) {
		NEED(ni, 16);
		if (memcmp(ni, zero, 16) == 0) {
			/* RFC 2080 2.4.1: a request for the whole table */
			pr_puts(ctx, " ripng-req dump");
			return;
		}
	}
	if (n * RIPNG_ENTRY_LEN != left)
		pr_printf(ctx, " ripng-%s %u[%u]:", cmd == 1 ? "req" : "resp", n, length);
	else
		pr_printf(ctx, " ripng-%s %u:", cmd == 1 ? "req" : "resp", n);
	for (; left >= RIPNG_ENTRY_LEN; ni += RIPNG_ENTRY_LEN, left -= RIPNG_ENTRY_LEN) {
		pr_puts(ctx, ctx->opts.verbose > 1 ? "\n\t" : " ");
		entry_print(ctx, ni, cmd == 1 ? 0 : RD_U8(ni + 19));
	}
	if (left != 0)
		pr_invalid(ctx);
}
