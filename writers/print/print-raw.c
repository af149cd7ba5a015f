/* Raw IP link types (DLT_RAW, DLT_IPV4, DLT_IPV6): the version nibble picks the decoder. */
#include "writers/print/print-int.h"

/* tcpdump decodes all three by the version nibble, whatever the link type promises. */
static unsigned raw_ip_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned version;

	if (ctx->opts.link_header)
		pr_puts(ctx, "ip: ");
	PR_PROTO(ctx, "ip");
	version = RD_U8(p) >> 4;
	switch (version) {
	case 4: ip_print(ctx, p, length); break;
	case 6: ip6_print(ctx, p, length); break;
	default: pr_printf(ctx, "unknown ip %u", version); break;
	}
	return 0;
}

unsigned raw_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	(void)caplen;
	return raw_ip_print(ctx, p, length);
}

unsigned ipv4_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	(void)caplen;
	return raw_ip_print(ctx, p, length);
}

unsigned ipv6_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	(void)caplen;
	return raw_ip_print(ctx, p, length);
}
