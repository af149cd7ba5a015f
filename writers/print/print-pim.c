/* PIM version 2 (RFC 7761 sparse mode, RFC 3973 dense mode, RFC 5059 bootstrap), IP protocol 103. */
#include "writers/print/print-int.h"

enum {
	T_HELLO = 0,
	T_REGISTER = 1,
	T_REGISTER_STOP = 2,
	T_JOIN_PRUNE = 3,
	T_BOOTSTRAP = 4,
	T_ASSERT = 5,
	T_GRAFT = 6,
	T_GRAFT_ACK = 7,
	T_CANDIDATE_RP = 8,
	T_PRUNE_REFRESH = 9,
};

static const struct pr_tok type_names[] = {
	{ T_HELLO, "Hello" },
	{ T_REGISTER, "Register" },
	{ T_REGISTER_STOP, "Register Stop" },
	{ T_JOIN_PRUNE, "Join / Prune" },
	{ T_BOOTSTRAP, "Bootstrap" },
	{ T_ASSERT, "Assert" },
	{ T_GRAFT, "Graft" },
	{ T_GRAFT_ACK, "Graft Acknowledgement" },
	{ T_CANDIDATE_RP, "Candidate RP Advertisement" },
	{ T_PRUNE_REFRESH, "Prune Refresh" },
	{ 10, "DF Election" },
	{ 11, "ECMP Redirect" },
	{ 0, NULL },
};

enum {
	O_HOLDTIME = 1,
	O_LANPRUNEDELAY = 2,
	O_DR_PRIORITY_OLD = 18,
	O_DR_PRIORITY = 19,
	O_GENID = 20,
	O_REFRESH_CAP = 21,
	O_BIDIR_CAP = 22,
	O_ADDRESS_LIST = 24,
	O_ADDRESS_LIST_OLD = 65001,
};

static const struct pr_tok hello_option_names[] = {
	{ O_HOLDTIME, "Hold Time" },
	{ O_LANPRUNEDELAY, "LAN Prune Delay" },
	{ O_DR_PRIORITY_OLD, "DR Priority (Old)" },
	{ O_DR_PRIORITY, "DR Priority" },
	{ O_GENID, "Generation ID" },
	{ O_REFRESH_CAP, "State Refresh Capability" },
	{ O_BIDIR_CAP, "Bi-Directional Capability" },
	{ O_ADDRESS_LIST, "Address List" },
	{ O_ADDRESS_LIST_OLD, "Address List (Old)" },
	{ 0, NULL },
};

enum addr_kind { A_UNICAST, A_GROUP, A_SOURCE };

/*
 * An encoded address (RFC 7761 4.9.1): family and encoding bytes, then for
 * groups and sources a flags byte and a mask length. With an RFC 2117
 * address length in the header there is no family byte. Returns the bytes
 * used, -1 when the address is not decodable or runs past len.
 */
static int addr_print(struct pctx *ctx, const uint8_t *bp, unsigned len, enum addr_kind kind, unsigned alen)
{
	unsigned hdr, v6;

	if (alen == 0) {
		if (len < 2)
			return -1;
		switch (RD_U8(bp)) {
		case 1:
			v6 = 0;
			alen = 4;
			break;
		case 2:
			v6 = 1;
			alen = 16;
			break;
		default: return -1;
		}
		if (RD_U8(bp + 1) != 0)
			return -1;
		hdr = 2;
	} else {
		if (alen != 4 && alen != 16)
			return -1;
		v6 = alen == 16;
		hdr = 0;
	}
	bp += hdr;
	len -= hdr;
	if (kind == A_UNICAST) {
		if (len < alen)
			return -1;
		pr_puts(ctx, v6 ? RD_IPV6(bp) : RD_IPV4(bp));
		return (int)(hdr + alen);
	}
	if (len < alen + 2)
		return -1;
	NEED(bp, alen + 2);
	{
		unsigned flags = RD_U8(bp), mlen = RD_U8(bp + 1);

		pr_puts(ctx, v6 ? RD_IPV6(bp + 2) : RD_IPV4(bp + 2));
		if (mlen != (v6 ? 128u : 32u))
			pr_printf(ctx, "/%u", mlen);
		if (flags) {
			if (kind == A_GROUP) {
				pr_printf(ctx, "(0x%02x)", flags);
			} else {
				pr_printf(ctx, "(%s%s%s", (flags & 4) ? "S" : "", (flags & 2) ? "W" : "",
					  (flags & 1) ? "R" : "");
				if (flags & 0xf8)
					pr_printf(ctx, "+0x%02x", flags & 0xf8);
				pr_putc(ctx, ')');
			}
		}
	}
	return (int)(hdr + 2 + alen);
}

/* RFC 7761 4.9: the sum covers the PIM message (with an IPv6 pseudo-header for IPv6). */
static const char *cksum_status(struct pctx *ctx, const uint8_t *bp, unsigned len, const uint8_t *ip)
{
	uint16_t sum;

	if (!HAVE(bp, len))
		return NULL;
	if (ip_is_v6(ctx, ip))
		sum = ip6_l4_cksum(ctx, ip, bp, len, IPPROTO_PIM);
	else
		sum = pr_in_cksum(bp, len, 0);
	return sum ? "(incorrect)" : "(correct)";
}

static void hello_print(struct pctx *ctx, const uint8_t *bp, unsigned len, unsigned alen)
{
	while (len > 0) {
		unsigned type, olen;

		if (len < 4)
			pr_trunc(ctx);
		type = RD_BE16(bp);
		olen = RD_BE16(bp + 2);
		pr_printf(ctx, "\n\t  %s Option (%u), length %u, Value: ",
			  pr_tok_str(ctx, hello_option_names, "Unknown", type), type, olen);
		bp += 4;
		len -= 4;
		if (len < olen)
			pr_trunc(ctx);
		NEED(bp, olen);
		switch (type) {
		case O_HOLDTIME:
			if (olen != 2)
				pr_printf(ctx, "ERROR: Option Length != 2 Bytes (%u)", olen);
			else
				pr_relts(ctx, RD_BE16(bp));
			break;
		case O_LANPRUNEDELAY:
			if (olen != 4) {
				pr_printf(ctx, "ERROR: Option Length != 4 Bytes (%u)", olen);
			} else {
				unsigned d = RD_BE16(bp);

				pr_printf(ctx, "\n\t    T-bit=%u, LAN delay %ums, Override interval %ums", d >> 15,
					  d & 0x7fff, RD_BE16(bp + 2));
			}
			break;
		case O_DR_PRIORITY_OLD:
		case O_DR_PRIORITY:
			if (olen == 0)
				pr_puts(ctx, "Bi-Directional Capability (Old)");
			else if (olen == 4)
				pr_printf(ctx, "%u", RD_BE32(bp));
			else
				pr_printf(ctx, "ERROR: Option Length != 4 Bytes (%u)", olen);
			break;
		case O_GENID:
			if (olen != 4)
				pr_printf(ctx, "ERROR: Option Length != 4 Bytes (%u)", olen);
			else
				pr_printf(ctx, "0x%08x", RD_BE32(bp));
			break;
		case O_REFRESH_CAP:
			if (olen != 4) {
				pr_printf(ctx, "ERROR: Option Length != 4 Bytes (%u)", olen);
			} else {
				pr_printf(ctx, "v%u", RD_U8(bp));
				if (RD_U8(bp + 1)) {
					pr_puts(ctx, ", interval ");
					pr_relts(ctx, RD_U8(bp + 1));
				}
				if (RD_BE16(bp + 2))
					pr_printf(ctx, " ?0x%04x?", RD_BE16(bp + 2));
			}
			break;
		case O_BIDIR_CAP: break;
		case O_ADDRESS_LIST:
		case O_ADDRESS_LIST_OLD:
			if (ctx->opts.verbose > 1) {
				const uint8_t *q = bp;
				unsigned left = len;

				while (q < bp + olen) {
					int n;

					pr_puts(ctx, "\n\t    ");
					n = addr_print(ctx, q, left, A_UNICAST, alen);
					if (n < 0)
						pr_trunc(ctx);
					q += n;
					left -= (unsigned)n;
				}
			}
			break;
		default:
			if (ctx->opts.verbose <= 1)
				pr_unknown_data(ctx, bp, "\n\t    ", olen);
			break;
		}
		if (ctx->opts.verbose > 1)
			pr_unknown_data(ctx, bp, "\n\t    ", olen);
		bp += olen;
		len -= olen;
	}
}

/* Print an address or unwind; advance bp and len past it. */
#define ADDR(kind)                                               \
	do {                                                     \
		int n_ = addr_print(ctx, bp, len, (kind), alen); \
		if (n_ < 0)                                      \
			pr_trunc(ctx);                           \
		bp += n_;                                        \
		len -= (unsigned)n_;                             \
	} while (0)

static void join_prune_print(struct pctx *ctx, unsigned type, const uint8_t *bp, unsigned len, unsigned alen)
{
	unsigned ngroup, hold, i, j;

	if (type != T_GRAFT_ACK) {
		pr_puts(ctx, ", upstream-neighbor: ");
		ADDR(A_UNICAST);
	}
	if (len < 4)
		pr_trunc(ctx);
	ngroup = RD_U8(bp + 1);
	hold = RD_BE16(bp + 2);
	pr_printf(ctx, "\n\t  %u group(s)", ngroup);
	if (type != T_GRAFT_ACK) {
		pr_puts(ctx, ", holdtime: ");
		if (hold == 0xffff)
			pr_puts(ctx, "infinite");
		else
			pr_relts(ctx, hold);
	}
	bp += 4;
	len -= 4;
	for (i = 0; i < ngroup; i++) {
		unsigned njoin, nprune;

		pr_printf(ctx, "\n\t    group #%u: ", i + 1);
		ADDR(A_GROUP);
		if (len < 4)
			pr_trunc(ctx);
		njoin = RD_BE16(bp);
		nprune = RD_BE16(bp + 2);
		pr_printf(ctx, ", joined sources: %u, pruned sources: %u", njoin, nprune);
		bp += 4;
		len -= 4;
		for (j = 0; j < njoin; j++) {
			pr_printf(ctx, "\n\t      joined source #%u: ", j + 1);
			ADDR(A_SOURCE);
		}
		for (j = 0; j < nprune; j++) {
			pr_printf(ctx, "\n\t      pruned source #%u: ", j + 1);
			ADDR(A_SOURCE);
		}
	}
}

static void bootstrap_print(struct pctx *ctx, const uint8_t *bp, unsigned len, unsigned alen)
{
	unsigned i, j;

	if (len < 2)
		pr_trunc(ctx);
	pr_printf(ctx, " tag=%x", RD_BE16(bp));
	bp += 2;
	len -= 2;
	if (len < 1)
		pr_trunc(ctx);
	pr_printf(ctx, " hashmlen=%u", RD_U8(bp));
	if (len < 2)
		pr_trunc(ctx);
	pr_printf(ctx, " BSRprio=%u", RD_U8(bp + 1));
	bp += 2;
	len -= 2;
	pr_puts(ctx, " BSR=");
	ADDR(A_UNICAST);
	for (i = 0; len > 0; i++) {
		unsigned frpcnt;

		pr_printf(ctx, " (group%u: ", i);
		ADDR(A_GROUP);
		if (len < 1)
			pr_trunc(ctx);
		pr_printf(ctx, " RPcnt=%u", RD_U8(bp));
		if (len < 2)
			pr_trunc(ctx);
		frpcnt = RD_U8(bp + 1);
		pr_printf(ctx, " FRPcnt=%u", frpcnt);
		if (len < 4)
			pr_trunc(ctx);
		bp += 4;
		len -= 4;
		for (j = 0; j < frpcnt && len > 0; j++) {
			pr_printf(ctx, " RP%u=", j);
			ADDR(A_UNICAST);
			if (len < 2)
				pr_trunc(ctx);
			pr_puts(ctx, ",holdtime=");
			pr_relts(ctx, RD_BE16(bp));
			if (len < 3)
				pr_trunc(ctx);
			pr_printf(ctx, ",prio=%u", RD_U8(bp + 2));
			if (len < 4)
				pr_trunc(ctx);
			bp += 4;
			len -= 4;
		}
		pr_putc(ctx, ')');
	}
}

static void pimv2_print(struct pctx *ctx, const uint8_t *bp, unsigned len, const uint8_t *ip)
{
	const uint8_t *msg = bp;
	unsigned type = RD_U8(bp) & 0x0f, alen, field;

	PR_PROTO(ctx, "pimv2");
	if (len < 2)
		pr_trunc(ctx);
	alen = RD_U8(bp + 1);
	if (alen != 0)
		pr_puts(ctx, ", RFC2117-encoding");
	if (len < 4)
		pr_trunc(ctx);
	field = RD_BE16(bp + 2);
	pr_printf(ctx, ", cksum 0x%04x ", field);
	if (field == 0) {
		pr_puts(ctx, "(unverified)");
	} else {
		const char *st;

		/* RFC 7761 4.9: a Register's sum covers its 8-byte header; some senders sum it all */
		if (type == T_REGISTER) {
			st = cksum_status(ctx, msg, 8, ip);
			if (st && st[1] == 'i')
				st = cksum_status(ctx, msg, len, ip);
		} else {
			st = cksum_status(ctx, msg, len, ip);
		}
		pr_puts(ctx, st ? st : "(unverified)");
	}
	bp += 4;
	len -= 4;
	switch (type) {
	case T_HELLO: hello_print(ctx, bp, len, alen); break;
	case T_REGISTER: {
		unsigned flags, v;

		if (len < 4)
			pr_trunc(ctx);
		flags = RD_BE32(bp);
		pr_printf(ctx, ", Flags [ %s ]\n\t",
			  flags == 0x80000000	? "Border"
			  : flags == 0x40000000 ? "Null"
						: "none");
		bp += 4;
		len -= 4;
		if (len == 0)
			pr_trunc(ctx);
		v = RD_U8(bp) >> 4;
		switch (v) {
		case 0: pr_printf(ctx, "IP-Null-header %s > %s", RD_IPV4(bp + 12), RD_IPV4(bp + 16)); break;
		case 4: ip_print(ctx, bp, len); break;
		case 6: ip6_print(ctx, bp, len); break;
		default: pr_printf(ctx, "IP ver %u", v); break;
		}
		break;
	}
	case T_REGISTER_STOP:
		pr_puts(ctx, " group=");
		ADDR(A_GROUP);
		pr_puts(ctx, " source=");
		ADDR(A_UNICAST);
		break;
	case T_JOIN_PRUNE:
	case T_GRAFT:
	case T_GRAFT_ACK: join_prune_print(ctx, type, bp, len, alen); break;
	case T_BOOTSTRAP: bootstrap_print(ctx, bp, len, alen); break;
	case T_ASSERT:
		pr_puts(ctx, " group=");
		ADDR(A_GROUP);
		pr_puts(ctx, " src=");
		ADDR(A_UNICAST);
		if (len < 8)
			pr_trunc(ctx);
		if (RD_U8(bp) & 0x80)
			pr_puts(ctx, " RPT");
		pr_printf(ctx, " pref=%u", RD_BE32(bp) & 0x7fffffff);
		pr_printf(ctx, " metric=%u", RD_BE32(bp + 4));
		break;
	case T_CANDIDATE_RP: {
		unsigned i, cnt;

		if (len < 1)
			pr_trunc(ctx);
		cnt = RD_U8(bp);
		pr_printf(ctx, " prefix-cnt=%u", cnt);
		if (len < 2)
			pr_trunc(ctx);
		pr_printf(ctx, " prio=%u", RD_U8(bp + 1));
		if (len < 4)
			pr_trunc(ctx);
		pr_puts(ctx, " holdtime=");
		pr_relts(ctx, RD_BE16(bp + 2));
		bp += 4;
		len -= 4;
		pr_puts(ctx, " RP=");
		ADDR(A_UNICAST);
		for (i = 0; i < cnt && len > 0; i++) {
			pr_printf(ctx, " Group%u=", i);
			ADDR(A_GROUP);
		}
		break;
	}
	case T_PRUNE_REFRESH:
		pr_puts(ctx, " src=");
		ADDR(A_UNICAST);
		pr_puts(ctx, " grp=");
		ADDR(A_GROUP);
		pr_puts(ctx, " forwarder=");
		ADDR(A_UNICAST);
		if (len < 2)
			pr_trunc(ctx);
		pr_puts(ctx, " TUNR ");
		pr_relts(ctx, RD_BE16(bp));
		break;
	default: pr_printf(ctx, " [type %u]", type); break;
	}
}

#undef ADDR

void pim_print(struct pctx *ctx, const uint8_t *bp, unsigned len, const uint8_t *ip)
{
	unsigned vt, ver;

	PR_PROTO(ctx, "pim");
	vt = RD_U8(bp);
	ver = vt >> 4;
	if (ver != 2) {
		pr_printf(ctx, "PIMv%u, length %u", ver, len);
		return;
	}
	if (!ctx->opts.verbose) {
		pr_printf(ctx, "PIMv%u, %s, length %u", ver, pr_tok_str(ctx, type_names, "Unknown Type", vt & 0x0f),
			  len);
		return;
	}
	pr_printf(ctx, "PIMv%u, length %u\n\t%s", ver, len, pr_tok_str(ctx, type_names, "Unknown Type", vt & 0x0f));
	pimv2_print(ctx, bp, len, ip);
}
