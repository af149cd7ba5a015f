/* MPLS label stacks (RFC 3032), ethertypes 0x8847/0x8848 and GRE: the labels, then the payload as its first byte suggests. */
#include "writers/print/print-int.h"

/* RFC 3032 2.1 / RFC 7274 reserved label values */
static const char *const label_names[] = {
	"IPv4 explicit NULL", "router alert", "IPv6 explicit NULL", "implicit NULL", [4 ... 15] = "rsvd",
};

enum payload { PT_UNKNOWN, PT_IPV4, PT_IPV6, PT_OSI };

void mpls_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	const uint8_t *p = bp;
	unsigned depth = 0, label;
	uint32_t entry;
	enum payload pt;

	PR_PROTO(ctx, "mpls");
	pr_puts(ctx, "MPLS");
	do {
		if (length < 4) {
			pr_invalid(ctx);
			NEED(p, length);
			return;
		}
		entry = RD_BE32(p);
		label = entry >> 12;
		pr_printf(ctx, "%s(label %u", depth && ctx->opts.verbose ? "\n\t" : " ", label);
		depth++;
		if (ctx->opts.verbose && label < sizeof(label_names) / sizeof(label_names[0]))
			pr_printf(ctx, " (%s)", label_names[label]);
		pr_printf(ctx, ", tc %u", (entry >> 9) & 7);
		if (entry & 0x100)
			pr_puts(ctx, ", [S]");
		pr_printf(ctx, ", ttl %u)", entry & 0xff);
		p += 4;
		length -= 4;
	} while (!(entry & 0x100));

	switch (label) {
	case 0:
	case 3: pt = PT_IPV4; break;
	case 2: pt = PT_IPV6; break;
	default: {
		/* no protocol field: guess from the first payload byte, as tcpdump does */
		unsigned first;

		if (length < 1)
			return;
		first = RD_U8(p);
		pt = (first >= 0x45 && first <= 0x4f)	? PT_IPV4
		     : (first >= 0x60 && first <= 0x6f) ? PT_IPV6
		     : (first >= 0x81 && first <= 0x83) ? PT_OSI
							: PT_UNKNOWN;
		break;
	}
	}
	switch (pt) {
	case PT_UNKNOWN: {
		unsigned have = pr_left(ctx, p);

		/* tcpdump's default print, which -x and -X replace with their own dump */
		if (!ctx->opts.hex && !ctx->opts.hex_ascii)
			pr_hex_ascii(ctx, "\n\t", p, have < length ? have : length);
		break;
	}
	case PT_IPV4:
		pr_puts(ctx, ctx->opts.verbose ? "\n\t" : " ");
		ip_print(ctx, p, length);
		break;
	case PT_IPV6:
		pr_puts(ctx, ctx->opts.verbose ? "\n\t" : " ");
		ip6_print(ctx, p, length);
		break;
	case PT_OSI:
		pr_puts(ctx, ctx->opts.verbose ? "\n\t" : " ");
		isoclns_print(ctx, p, length);
		break;
	}
}
