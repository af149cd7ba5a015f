/* VRRP version 2 (RFC 3768) and version 3 (RFC 5798), IP protocol 112. */
#include "writers/print/print-int.h"

#define VRRP_ADVERTISEMENT 1
#define VRRP_AUTH_SIMPLE 1

static const struct pr_tok type_names[] = { { VRRP_ADVERTISEMENT, "Advertisement" }, { 0, NULL } };
static const struct pr_tok auth_names[] = { { 0, "none" }, { 1, "simple" }, { 2, "ah" }, { 0, NULL } };

void vrrp_print(struct pctx *ctx, const uint8_t *bp, unsigned len, const uint8_t *ip)
{
	const struct ip6_hdr *h6 = (const void *)ip;
	const struct ip_hdr *h4 = (const void *)ip;
	int v6 = ip_is_v6(ctx, ip);
	unsigned version, type, ttl, naddrs, auth = 0, i;
	const uint8_t *c;

	PR_PROTO(ctx, "vrrp");
	ttl = v6 ? RD_U8(&h6->hlim) : RD_U8(&h4->ttl);
	pr_puts(ctx, "VRRP");
	version = RD_U8(bp) >> 4;
	type = RD_U8(bp) & 0x0f;
	pr_printf(ctx, "v%u, %s", version, pr_tok_str(ctx, type_names, "unknown type (%u)", type));
	/* RFC 3768 5.2.3 / RFC 5798 5.1.1.3: sent with TTL 255 */
	if (ttl != 255)
		pr_printf(ctx, ", (ttl %u)", ttl);
	if (version < 2 || version > 3 || type != VRRP_ADVERTISEMENT)
		return;
	pr_printf(ctx, ", vrid %u, prio %u", RD_U8(bp + 1), RD_U8(bp + 2));
	naddrs = RD_U8(bp + 3);
	if (version == 2) {
		auth = RD_U8(bp + 4);
		pr_printf(ctx, ", authtype %s", pr_tok_str(ctx, auth_names, "#%u", auth));
		pr_printf(ctx, ", intvl %us, length %u", RD_U8(bp + 5), len);
	} else {
		pr_printf(ctx, ", intvl %ucs, length %u", RD_BE16(bp + 4) & 0x0fff, len);
	}
	if (!ctx->opts.verbose)
		return;
	if (HAVE(bp, len)) {
		uint16_t sum;

		/* v2 sums the VRRP message alone, v3 adds the IP pseudo-header */
		if (version == 2)
			sum = pr_in_cksum(bp, len, 0);
		else if (v6)
			sum = ip6_l4_cksum(ctx, ip, bp, len, IPPROTO_VRRP);
		else
			sum = ip_l4_cksum(ctx, ip, bp, len, IPPROTO_VRRP);
		if (sum)
			pr_printf(ctx, ", (bad vrrp cksum %x)", RD_BE16(bp + 6));
	}
	pr_puts(ctx, ", addrs");
	if (naddrs > 1)
		pr_printf(ctx, "(%u)", naddrs);
	pr_putc(ctx, ':');
	c = bp + 8;
	for (i = 0; i < naddrs; i++) {
		if (!v6) {
			pr_printf(ctx, "%c%s", i ? ',' : ' ', RD_IPV4(c));
			c += 4;
		} else {
			pr_printf(ctx, "%c%s", i ? ',' : ' ', RD_IPV6(c));
			c += 16;
		}
	}
	if (version == 2 && auth == VRRP_AUTH_SIMPLE) {
		/* RFC 2338 5.3.10: up to 8 bytes, zero-filled */
		pr_puts(ctx, " auth \"");
		pr_str_pad(ctx, c, 8);
		pr_putc(ctx, '"');
	}
}
