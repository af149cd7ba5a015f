/* GRE (RFC 1701, RFC 2784, RFC 2890) and enhanced GRE version 1 (RFC 2637, PPTP), IP protocol 47. */
#include "writers/print/print-int.h"

#define GRE_CP 0x8000  /* checksum present */
#define GRE_RP 0x4000  /* routing present */
#define GRE_KP 0x2000  /* key present */
#define GRE_SP 0x1000  /* sequence number present */
#define GRE_SSR 0x0800 /* strict source route */
#define GRE_AP 0x0080  /* acknowledgment number present (version 1) */
#define GRE_VERS_MASK 0x0007

#define GRE_SRE_AF_IP 0x0800
#define GRE_SRE_AF_ASN 0xfffe

static const struct pr_tok gre_flag_names[] = {
	{ GRE_CP, "checksum present" },
	{ GRE_RP, "routing present" },
	{ GRE_KP, "key present" },
	{ GRE_SP, "sequence# present" },
	{ GRE_SSR, "source routing present" },
	{ GRE_AP, "ack present" },
	{ 0, NULL },
};

/* Payload protocols tcpdump names after "proto" with -e (its ethertype table). */
static const char *gre_proto_name(unsigned prot)
{
	const char *s = ethertype_name(prot);

	return s ? s : "unknown";
}

/* The payload after the GRE header; prot is an ethertype. */
static void gre_payload(struct pctx *ctx, unsigned prot, const uint8_t *bp, unsigned len)
{
	switch (prot) {
	case 0x0800: ip_print(ctx, bp, len); break;
	case 0x86dd: ip6_print(ctx, bp, len); break;
	case 0x8847: mpls_print(ctx, bp, len); break;
	case 0x00fe: isoclns_print(ctx, bp, len); break;
	case 0x6558: ether_inner_print(ctx, bp, len); break; /* transparent Ethernet bridging */
	case 0x880b: ppp_print(ctx, bp, len); break;
	default: pr_printf(ctx, "gre-proto-0x%x", prot); break;
	}
}

/*
 * One RFC 1701 source route entry: a list of IPv4 addresses or 2-byte AS
 * numbers, the one at the SRE offset (the next hop) marked with '*'.
 * Returns 0 when the list runs past the packet.
 */
static int gre_sre_print(struct pctx *ctx, unsigned af, unsigned sreoff, unsigned srelen, const uint8_t *bp,
			 unsigned len)
{
	unsigned step, at;

	if (af == GRE_SRE_AF_IP) {
		pr_puts(ctx, ", (rtaf=ip");
		step = 4;
	} else if (af == GRE_SRE_AF_ASN) {
		pr_puts(ctx, ", (rtaf=asn");
		step = 2;
	} else {
		pr_printf(ctx, ", (rtaf=0x%x)", af);
		return 1;
	}
	if (sreoff % step)
		pr_printf(ctx, ", badoffset=%u", sreoff);
	else if (srelen % step)
		pr_printf(ctx, ", badlength=%u", srelen);
	else if (sreoff >= srelen)
		pr_printf(ctx, ", badoff/len=%u/%u", sreoff, srelen);
	else {
		for (at = 0; at < srelen; at += step) {
			if (!HAVE(bp + at, step) || len - at < step)
				return 0;
			if (step == 4)
				pr_printf(ctx, " %s%s", at == sreoff ? "*" : "", pr_ipv4_num(ctx, bp + at));
			else
				pr_printf(ctx, " %s%x", at == sreoff ? "*" : "", RD_BE16(bp + at));
		}
	}
	pr_putc(ctx, ')');
	return 1;
}

/* The header's next n bytes: truncated when len has fewer; *bp and *len move past them. */
static const uint8_t *gre_field(struct pctx *ctx, const uint8_t **bp, unsigned *len, unsigned n)
{
	const uint8_t *f = *bp;

	if (*len < n)
		pr_trunc(ctx);
	*bp += n;
	*len -= n;
	return f;
}

static void gre_print_0(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned len = length, flags, prot;

	flags = RD_BE16(bp);
	if (ctx->opts.verbose)
		pr_printf(ctx, ", Flags [%s]", pr_bits_str(ctx, gre_flag_names, "none", ", ", flags));
	len -= 2;
	bp += 2;
	prot = RD_BE16(gre_field(ctx, &bp, &len, 2));
	if (flags & (GRE_CP | GRE_RP)) {
		const uint8_t *sum = gre_field(ctx, &bp, &len, 2);

		if (ctx->opts.verbose)
			pr_printf(ctx, ", sum 0x%x", RD_BE16(sum));
		pr_printf(ctx, ", off 0x%x", RD_BE16(gre_field(ctx, &bp, &len, 2)));
	}
	if (flags & GRE_KP)
		pr_printf(ctx, ", key=0x%x", RD_BE32(gre_field(ctx, &bp, &len, 4)));
	if (flags & GRE_SP)
		pr_printf(ctx, ", seq %u", RD_BE32(gre_field(ctx, &bp, &len, 4)));
	if (flags & GRE_RP) {
		for (;;) {
			unsigned af, sreoff, srelen;

			const uint8_t *sre;

			NEED(bp, 4);
			sre = gre_field(ctx, &bp, &len, 4);
			af = RD_BE16(sre);
			sreoff = RD_U8(sre + 2);
			srelen = RD_U8(sre + 3);
			if (af == 0 && srelen == 0)
				break;
			if (!gre_sre_print(ctx, af, sreoff, srelen, bp, len))
				pr_trunc(ctx);
			if (len < srelen)
				pr_trunc(ctx);
			bp += srelen;
			len -= srelen;
		}
	}
	if (ctx->opts.link_header)
		pr_printf(ctx, ", proto %s (0x%04x)", gre_proto_name(prot), prot);
	pr_printf(ctx, ", length %u", length);
	pr_puts(ctx, ctx->opts.verbose ? "\n\t" : ": ");
	gre_payload(ctx, prot, bp, len);
}

static void gre_print_1(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned len = length, flags, prot;

	flags = RD_BE16(bp);
	len -= 2;
	bp += 2;
	if (ctx->opts.verbose)
		pr_printf(ctx, ", Flags [%s]", pr_bits_str(ctx, gre_flag_names, "none", ", ", flags));
	prot = RD_BE16(gre_field(ctx, &bp, &len, 2));
	/* RFC 2637 4.1: the key is the payload length, then the call ID */
	if (flags & GRE_KP)
		pr_printf(ctx, ", call %u", RD_BE32(gre_field(ctx, &bp, &len, 4)) & 0xffff);
	if (flags & GRE_SP)
		pr_printf(ctx, ", seq %u", RD_BE32(gre_field(ctx, &bp, &len, 4)));
	if (flags & GRE_AP)
		pr_printf(ctx, ", ack %u", RD_BE32(gre_field(ctx, &bp, &len, 4)));
	if (!(flags & GRE_SP))
		pr_puts(ctx, ", no-payload");
	if (ctx->opts.link_header)
		pr_printf(ctx, ", proto %s (0x%04x)", gre_proto_name(prot), prot);
	pr_printf(ctx, ", length %u", length);
	if (!(flags & GRE_SP))
		return;
	pr_puts(ctx, ctx->opts.verbose ? "\n\t" : ": ");
	if (prot == 0x880b)
		ppp_print(ctx, bp, len);
	else
		pr_printf(ctx, "gre-proto-0x%x", prot);
}

void gre_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned vers;

	PR_PROTO(ctx, "gre");
	if (length < 2)
		pr_trunc(ctx);
	vers = RD_BE16(bp) & GRE_VERS_MASK;
	pr_printf(ctx, "GREv%u", vers);
	switch (vers) {
	case 0: gre_print_0(ctx, bp, length); break;
	case 1: gre_print_1(ctx, bp, length); break;
	default: pr_puts(ctx, " ERROR: unknown-version"); break;
	}
}
