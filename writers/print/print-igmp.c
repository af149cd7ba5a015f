/* IGMP (RFC 1112, 2236, 3376): queries, reports, leaves. */
#include "writers/print/print-int.h"

static const struct pr_tok v3_record_types[] = {
	{ 1, "is_in" }, { 2, "is_ex" }, { 3, "to_in" }, { 4, "to_ex" }, { 5, "allow" }, { 6, "block" }, { 0, NULL },
};

static void print_v3_report(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	unsigned ngroups, group, i, j, nsrcs;

	if (len < 16 || (len & 3)) {
		pr_printf(ctx, " [invalid len %u]", len);
		return;
	}
	ngroups = RD_BE16(bp + 6);
	pr_printf(ctx, ", %u group record(s)", ngroups);
	if (!ctx->opts.verbose)
		return;
	group = 8;
	for (i = 0; i < ngroups; i++) {
		if (len < group + 8) {
			pr_puts(ctx, " [invalid number of groups]");
			return;
		}
		pr_printf(ctx, " [gaddr %s", RD_IPV4(bp + group + 4));
		pr_printf(ctx, " %s", pr_tok_str(ctx, v3_record_types, " [v3-report-#%u]", RD_U8(bp + group)));
		nsrcs = RD_BE16(bp + group + 2);
		if (len < group + 8 + (nsrcs << 2)) {
			pr_printf(ctx, " [invalid number of sources %u]", nsrcs);
			return;
		}
		if (ctx->opts.verbose == 1) {
			pr_printf(ctx, ", %u source(s)", nsrcs);
		} else {
			pr_puts(ctx, " {");
			for (j = 0; j < nsrcs; j++)
				pr_printf(ctx, " %s", RD_IPV4(bp + group + 8 + (j << 2)));
			pr_puts(ctx, " }");
		}
		group += 8 + (nsrcs << 2);
		pr_putc(ctx, ']');
	}
}

static void print_v3_query(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	unsigned mrc, mrt, nsrcs, i;

	pr_puts(ctx, " v3");
	if (len < 12 || (len & 3)) {
		pr_printf(ctx, " [invalid len %u]", len);
		return;
	}
	/* RFC 3376 4.1.1: codes from 128 are a floating-point mantissa/exponent */
	mrc = RD_U8(bp + 1);
	mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
	if (mrc != 100) {
		pr_puts(ctx, " [max resp time ");
		if (mrt < 600)
			pr_printf(ctx, "%.1fs", mrt * 0.1);
		else
			pr_relts(ctx, mrt / 10);
		pr_putc(ctx, ']');
	}
	if (RD_BE32(bp + 4) == 0)
		return;
	pr_printf(ctx, " [gaddr %s", RD_IPV4(bp + 4));
	nsrcs = RD_BE16(bp + 10);
	if (nsrcs > 0) {
		if (len < 12 + (nsrcs << 2)) {
			pr_puts(ctx, " [invalid number of sources]");
		} else if (ctx->opts.verbose > 1) {
			pr_puts(ctx, " {");
			for (i = 0; i < nsrcs; i++)
				pr_printf(ctx, " %s", RD_IPV4(bp + 12 + (i << 2)));
			pr_puts(ctx, " }");
		} else {
			pr_printf(ctx, ", %u source(s)", nsrcs);
		}
	}
	pr_putc(ctx, ']');
}

void igmp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned type;

	PR_PROTO(ctx, "igmp");
	if (ctx->opts.quiet) {
		pr_puts(ctx, "igmp");
		return;
	}
	type = RD_U8(bp);
	switch (type) {
	case 0x11:
		pr_puts(ctx, "igmp query");
		if (length >= 12) {
			print_v3_query(ctx, bp, length);
			break;
		}
		if (RD_U8(bp + 1)) {
			pr_puts(ctx, " v2");
			if (RD_U8(bp + 1) != 100)
				pr_printf(ctx, " [max resp time %u]", RD_U8(bp + 1));
		} else {
			pr_puts(ctx, " v1");
		}
		if (RD_BE32(bp + 4))
			pr_printf(ctx, " [gaddr %s]", RD_IPV4(bp + 4));
		if (length != 8)
			pr_printf(ctx, " [len %u]", length);
		break;
	case 0x12:
		pr_printf(ctx, "igmp v1 report %s", RD_IPV4(bp + 4));
		if (length != 8)
			pr_printf(ctx, " [len %u]", length);
		break;
	case 0x16: pr_printf(ctx, "igmp v2 report %s", RD_IPV4(bp + 4)); break;
	case 0x22:
		pr_puts(ctx, "igmp v3 report");
		print_v3_report(ctx, bp, length);
		break;
	case 0x17: pr_printf(ctx, "igmp leave %s", RD_IPV4(bp + 4)); break;
	case 0x13:
		pr_puts(ctx, "igmp dvmrp");
		if (length < 8)
			pr_printf(ctx, " [len %u]", length);
		else
			dvmrp_print(ctx, bp, length);
		break;
	default: pr_printf(ctx, "igmp-%x", type); break;
	}
	if (ctx->opts.verbose && length >= 4 && HAVE(bp, length) && pr_in_cksum(bp, length, 0))
		pr_printf(ctx, " bad igmp cksum %x!", RD_BE16(bp + 2));
}
