/* TCP (RFC 9293): flags, relative sequence numbers, options, and the dispatch to payload decoders. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "writers/print/print-int.h"

#define TCP_HDR_LEN 20

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PUSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WSCALE 3
#define TCPOPT_SACK 5
#define TCPOPT_TS 8
#define TCPOPT_CC 11
#define TCPOPT_CCNEW 12
#define TCPOPT_CCECHO 13
#define TCPOPT_MD5 19
#define TCPOPT_UTO 28
#define TCPOPT_MPTCP 30
#define TCPOPT_TFO 34
#define TCPOPT_EXP 254

#define RST_DATA_MAX 30 /* tcpdump shows at most this much of an RST's payload */

struct tcp_hdr {
	wire_u16 sport;
	wire_u16 dport;
	wire_u32 seq;
	wire_u32 ack;
	wire_u8 off;
	wire_u8 flags;
	wire_u16 win;
	wire_u16 sum;
	wire_u16 urp;
};

static const struct pr_tok tcp_flag_names[] = {
	{ 0x01, "F" }, { 0x02, "S" }, { 0x04, "R" }, { 0x08, "P" }, { 0x10, "." },
	{ 0x20, "U" }, { 0x40, "E" }, { 0x80, "W" }, { 0, NULL },
};

static const struct pr_tok tcp_opt_names[] = {
	{ TCPOPT_EOL, "eol" },
	{ TCPOPT_NOP, "nop" },
	{ TCPOPT_MSS, "mss" },
	{ TCPOPT_WSCALE, "wscale" },
	{ 4, "sackOK" },
	{ TCPOPT_SACK, "sack" },
	{ 6, "echo" },
	{ 7, "echoreply" },
	{ TCPOPT_TS, "TS" },
	{ TCPOPT_CC, "cc" },
	{ TCPOPT_CCNEW, "ccnew" },
	{ TCPOPT_CCECHO, "ccecho" },
	{ TCPOPT_MD5, "md5" },
	{ 20, "scps" },
	{ 21, "snack" },
	{ 27, "qs" },
	{ TCPOPT_UTO, "uto" },
	{ 29, "tcp-ao" },
	{ TCPOPT_MPTCP, "mptcp" },
	{ TCPOPT_TFO, "tfo" },
	{ TCPOPT_EXP, "exp" },
	{ 0, NULL },
};

/* MPTCP option subtypes (RFC 8684 3); tcpdump 4.99 names these and calls the rest (TCPRST too) unknown. */
static const char *const mptcp_subtypes[] = {
	"capable", "join", "dss", "add-addr", "rem-addr", "prio", "fail", "fast-close",
};

/*
 * Relative sequence numbers: tcpdump keys a connection by its addresses and
 * ports in one order for both directions (the lower port first, the lower
 * address when ports tie), records the initial numbers at the SYN-ACK or the
 * first ACK seen, and subtracts them afterwards. The table here is bounded:
 * when a probe window is full the least recently used entry is replaced.
 */
#define FLOW_PROBE 8

static uint32_t flow_hash(const uint8_t *a, const uint8_t *b, unsigned alen, uint32_t ports)
{
	uint32_t h = 2166136261u ^ ports;
	unsigned i;

	for (i = 0; i < alen; i++)
		h = (h ^ a[i]) * 16777619u;
	for (i = 0; i < alen; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static struct pr_tcp_flow *flow_probe(struct pr_tcp_flow *tab, unsigned size, const uint8_t *src, const uint8_t *dst,
				      unsigned alen, unsigned sport, unsigned dport, struct pr_tcp_flow **victim)
{
	uint32_t h = flow_hash(src, dst, alen, (uint32_t)sport << 16 | dport);
	unsigned i;

	*victim = NULL;
	for (i = 0; i < FLOW_PROBE; i++) {
		struct pr_tcp_flow *f = &tab[(h + i) & (size - 1)];

		if (f->used && f->is_v6 == (alen == 16) && f->port[0] == sport && f->port[1] == dport &&
		    !memcmp(f->addr[0], src, alen) && !memcmp(f->addr[1], dst, alen))
			return f;
		if (!*victim || !f->used || ((*victim)->used && f->stamp < (*victim)->stamp))
			*victim = f;
	}
	return NULL;
}

/* Moves every flow into a table of new_size entries; -ENOMEM leaves the old one in place. */
static int flow_grow(struct pctx *ctx, unsigned new_size)
{
	struct pr_tcp_flow *tab = calloc(new_size, sizeof(*tab)), *victim;
	unsigned i;

	if (!tab)
		return -ENOMEM;
	for (i = 0; i < ctx->tcp_size; i++) {
		struct pr_tcp_flow *f = &ctx->tcp[i];
		unsigned alen = f->is_v6 ? 16 : 4;

		if (!f->used)
			continue;
		flow_probe(tab, new_size, f->addr[0], f->addr[1], alen, f->port[0], f->port[1], &victim);
		/* a full window in the bigger table keeps the more recent flow */
		if (!victim->used || victim->stamp < f->stamp)
			*victim = *f;
	}
	free(ctx->tcp);
	ctx->tcp = tab;
	ctx->tcp_size = new_size;
	return 0;
}

/* NULL only when no table could be allocated at all. */
static struct pr_tcp_flow *flow_find(struct pctx *ctx, const uint8_t *src, const uint8_t *dst, unsigned alen,
				     unsigned sport, unsigned dport, int *created)
{
	struct pr_tcp_flow *f, *victim;

	if (!ctx->tcp && flow_grow(ctx, PR_TCP_FLOWS_MIN) < 0)
		return NULL;
	ctx->tcp_clock++;
	f = flow_probe(ctx->tcp, ctx->tcp_size, src, dst, alen, sport, dport, &victim);
	if (f) {
		f->stamp = ctx->tcp_clock;
		*created = 0;
		return f;
	}
	/* evict only at the size bound; below it a full window means grow */
	while (victim->used && ctx->tcp_size < PR_TCP_FLOWS && flow_grow(ctx, ctx->tcp_size * 8) == 0)
		flow_probe(ctx->tcp, ctx->tcp_size, src, dst, alen, sport, dport, &victim);
	memset(victim, 0, sizeof(*victim));
	memcpy(victim->addr[0], src, alen);
	memcpy(victim->addr[1], dst, alen);
	victim->port[0] = (uint16_t)sport;
	victim->port[1] = (uint16_t)dport;
	victim->is_v6 = alen == 16;
	victim->used = 1;
	victim->stamp = ctx->tcp_clock;
	*created = 1;
	return victim;
}

/* The TCP Fast Open cookie (RFC 7413), in its own option or the experimental one. */
static void print_tfo(struct pctx *ctx, const uint8_t *cp, unsigned datalen, int exp)
{
	unsigned i;

	if (exp)
		pr_puts(ctx, "tfo");
	if (datalen == 0) {
		pr_puts(ctx, " cookiereq");
	} else if (datalen % 2 != 0 || datalen < 4 || datalen > 16) {
		pr_invalid(ctx);
	} else {
		pr_puts(ctx, " cookie ");
		for (i = 0; i < datalen; i++)
			pr_printf(ctx, "%02x", RD_U8(cp + i));
	}
}

/*
 * The options list. Returns 0 when done, -1 for a malformed option (the
 * caller prints "[bad opt]"), -2 when an option's data is not captured
 * (" [|tcp]"). A missing kind or length byte unwinds, as in tcpdump.
 */
static int print_tcp_options(struct pctx *ctx, const uint8_t *cp, unsigned hlen, unsigned flags, int rev,
			     uint32_t thseq, uint32_t thack, int *sep)
{
	while (hlen > 0) {
		unsigned opt, len, datalen = 0, i;

		if (*sep)
			pr_putc(ctx, ',');
		opt = RD_U8(cp);
		cp++;
		if (opt == TCPOPT_EOL || opt == TCPOPT_NOP) {
			len = 1;
		} else {
			len = RD_U8(cp);
			cp++;
			if (len < 2 || len > hlen)
				return -1;
			hlen--;
		}
		hlen--;

/* the option's data must be inside the header, then inside the capture */
#define OPT_NEED(l)                 \
	do {                        \
		if ((l) > hlen)     \
			return -1;  \
		if (!HAVE(cp, (l))) \
			return -2;  \
	} while (0)

		pr_puts(ctx, pr_tok_str(ctx, tcp_opt_names, "unknown-%u", opt));
		switch (opt) {
		case TCPOPT_EOL:
		case TCPOPT_NOP: break;
		case TCPOPT_MSS:
			datalen = 2;
			OPT_NEED(datalen);
			pr_printf(ctx, " %u", RD_BE16(cp));
			break;
		case TCPOPT_WSCALE:
			datalen = 1;
			OPT_NEED(datalen);
			pr_printf(ctx, " %u", RD_U8(cp));
			break;
		case TCPOPT_SACK:
			datalen = len - 2;
			if (datalen % 8 != 0) {
				pr_puts(ctx, " invalid sack");
				break;
			}
			pr_printf(ctx, " %u ", datalen / 8);
			for (i = 0; i < datalen; i += 8) {
				uint32_t s, e;

				OPT_NEED(i + 4);
				s = RD_BE32(cp + i);
				OPT_NEED(i + 8);
				e = RD_BE32(cp + i + 4);
				if (rev) {
					s -= thseq;
					e -= thseq;
				} else {
					s -= thack;
					e -= thack;
				}
				pr_printf(ctx, "{%u:%u}", s, e);
			}
			break;
		case 6: /* echo (RFC 1072) */
		case 7: /* echoreply */
		case TCPOPT_CC:
		case TCPOPT_CCNEW:
		case TCPOPT_CCECHO:
			datalen = 4;
			OPT_NEED(datalen);
			pr_printf(ctx, " %u", RD_BE32(cp));
			break;
		case TCPOPT_TS:
			datalen = 8;
			OPT_NEED(datalen);
			pr_printf(ctx, " val %u ecr %u", RD_BE32(cp), RD_BE32(cp + 4));
			break;
		case TCPOPT_MD5:
			datalen = 16;
			OPT_NEED(datalen);
			pr_putc(ctx, ' ');
			for (i = 0; i < datalen; i++)
				pr_printf(ctx, "%02x", RD_U8(cp + i));
			break;
		case TCPOPT_UTO: {
			unsigned uto;

			datalen = 2;
			OPT_NEED(datalen);
			uto = RD_BE16(cp);
			pr_printf(ctx, " 0x%x", uto);
			uto = (uto & 1) ? (uto >> 1) * 60 : uto >> 1;
			pr_printf(ctx, " %u", uto);
			break;
		}
		case TCPOPT_MPTCP: {
			unsigned sub;

			datalen = len - 2;
			OPT_NEED(datalen);
			pr_printf(ctx, " %u", len);
			if (len < 3)
				return -1;
			sub = RD_U8(cp) >> 4;
			pr_printf(ctx, " %s",
				  sub < sizeof(mptcp_subtypes) / sizeof(mptcp_subtypes[0]) ? mptcp_subtypes[sub]
											   : "unknown");
			(void)flags;
			break;
		}
		case TCPOPT_TFO:
			datalen = len - 2;
			OPT_NEED(datalen);
			pr_putc(ctx, ' ');
			print_tfo(ctx, cp, datalen, 0);
			break;
		case TCPOPT_EXP: {
			unsigned magic;

			datalen = len - 2;
			OPT_NEED(datalen);
			if (datalen < 2)
				return -1;
			/* RFC 6994 experiment identifiers */
			magic = RD_BE16(cp);
			pr_putc(ctx, '-');
			if (magic == 0xf989)
				print_tfo(ctx, cp + 2, datalen - 2, 1);
			else
				pr_printf(ctx, "%04x", magic);
			break;
		}
		default:
			datalen = len - 2;
			if (datalen)
				pr_puts(ctx, " 0x");
			for (i = 0; i < datalen; i++) {
				OPT_NEED(i + 1);
				pr_printf(ctx, "%02x", RD_U8(cp + i));
			}
			break;
		}
#undef OPT_NEED
		cp += datalen;
		hlen -= datalen;
		datalen++;
		if (opt != TCPOPT_EOL && opt != TCPOPT_NOP)
			datalen++;
		if (datalen != len)
			pr_printf(ctx, "[len %u]", len);
		*sep = 1;
		if (opt == TCPOPT_EOL)
			break;
	}
	return 0;
}

/* -v shows the start of an RST's payload, which some stacks use for a reason (RFC 1122 4.2.2.12). */
static void print_rst_data(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned i;

	pr_puts(ctx, HAVE(bp, length) ? " [RST" : " [!RST");
	if (length > RST_DATA_MAX) {
		length = RST_DATA_MAX;
		pr_putc(ctx, '+');
	}
	pr_putc(ctx, ' ');
	for (i = 0; i < length && HAVE(bp + i, 1); i++)
		pr_char(ctx, bp[i]);
	pr_putc(ctx, ']');
}

static void tcp_payload(struct pctx *ctx, const uint8_t *bp, unsigned length, unsigned sport, unsigned dport)
{
#define PORT_IS(p) (sport == (p) || dport == (p))
	if (PORT_IS(21)) {
		pr_puts(ctx, ": ");
		ftp_print(ctx, bp, length);
	} else if (PORT_IS(25)) {
		pr_puts(ctx, ": ");
		smtp_print(ctx, bp, length);
	} else if (PORT_IS(43)) {
		pr_puts(ctx, ": ");
		whois_print(ctx, bp, length);
	} else if (PORT_IS(22)) {
		ssh_print(ctx, bp, length);
	} else if (PORT_IS(80) || PORT_IS(8080)) {
		pr_puts(ctx, ": ");
		http_print(ctx, bp, length);
	} else if (PORT_IS(554) || PORT_IS(8554)) {
		pr_puts(ctx, ": ");
		rtsp_print(ctx, bp, length);
	} else if (PORT_IS(179)) {
		bgp_print(ctx, bp, length);
	} else if (PORT_IS(639)) {
		msdp_print(ctx, bp, length);
	} else if (PORT_IS(6633) || PORT_IS(6653)) {
		openflow_print(ctx, bp, length);
	} else if (PORT_IS(646)) {
		/* tcpdump puts no separator before LDP over TCP */
		ldp_print(ctx, bp, length);
	} else if (PORT_IS(53)) {
		/* RFC 1035 4.2.2: a two-byte length prefixes each message; tcpdump reads it as "domain" */
		PR_PROTO(ctx, "domain");
		if (length < 2) {
			pr_printf(ctx, " [DNS over TCP: length %u < 2]", length);
			pr_invalid(ctx);
		} else if (RD_BE16(bp) != length - 2) {
			pr_printf(ctx, " [prefix length(%u) != length(%u)]", RD_BE16(bp), length - 2);
			pr_invalid(ctx);
		} else {
			pr_putc(ctx, ' ');
			dns_print(ctx, bp + 2, length - 2, 0, 1);
		}
	}
#undef PORT_IS
}

void tcp_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip, int fragmented)
{
	const struct tcp_hdr *th = (const void *)bp;
	const struct ip6_hdr *h6 = (const void *)ip;
	const struct ip_hdr *h4 = (const void *)ip;
	int v6 = ip_is_v6(ctx, ip);
	const uint8_t *src = v6 ? h6->src : h4->src, *dst = v6 ? h6->dst : h4->dst;
	unsigned alen = v6 ? 16 : 4;
	unsigned sport, dport, hlen, flags, win, urp;
	uint32_t seq, ack, thseq = 0, thack = 0;
	int rev = 0, sep = 0;

	PR_PROTO(ctx, "tcp");
	if (!HAVE(th->dport, 2)) {
		ip_addrs_print(ctx, ip);
		pr_putc(ctx, ':');
		pr_trunc_mark(ctx);
		return;
	}
	sport = RD_BE16(th->sport);
	dport = RD_BE16(th->dport);
	ip_ports_print(ctx, ip, IPPROTO_TCP, sport, dport);

	/* tcpdump ends a line cut inside the fixed header itself (no unwind, so -x skips the link header) */
	if (!HAVE(bp, TCP_HDR_LEN)) {
		pr_trunc_mark(ctx);
		return;
	}
	hlen = (RD_U8(&th->off) >> 4) * 4;
	if (hlen < TCP_HDR_LEN) {
		pr_printf(ctx, " tcp %u [bad hdr length %u - too short, < %u]", length - hlen, hlen, TCP_HDR_LEN);
		return;
	}
	seq = RD_BE32(th->seq);
	ack = RD_BE32(th->ack);
	win = RD_BE16(th->win);
	urp = RD_BE16(th->urp);
	if (ctx->opts.quiet) {
		pr_printf(ctx, "tcp %u", length - hlen);
		if (hlen > length)
			pr_printf(ctx, " [bad hdr length %u - too long, > %u]", hlen, length);
		return;
	}
	flags = RD_U8(&th->flags);
	pr_printf(ctx, "Flags [%s]", pr_bits_str(ctx, tcp_flag_names, "none", "", flags));

	if (!ctx->opts.absolute_seq && (flags & TH_ACK)) {
		const uint8_t *ka = src, *kb = dst;
		unsigned kpa = sport, kpb = dport;
		struct pr_tcp_flow *f;
		int created;

		if (sport > dport || (sport == dport && memcmp(src, dst, alen) > 0))
			rev = 1;
		if (rev) {
			ka = dst;
			kb = src;
			kpa = dport;
			kpb = sport;
		}
		NEED(src, alen);
		NEED(dst, alen);
		f = flow_find(ctx, ka, kb, alen, kpa, kpb, &created);
		if (!f) {
			/* no memory for the table: absolute numbers rather than no line */
		} else if (created || (flags & TH_SYN)) {
			if (rev) {
				f->ack = seq;
				f->seq = ack - 1;
			} else {
				f->seq = seq;
				f->ack = ack - 1;
			}
		} else if (rev) {
			seq -= f->ack;
			ack -= f->seq;
		} else {
			seq -= f->seq;
			ack -= f->ack;
		}
		if (f) {
			thseq = f->seq;
			thack = f->ack;
		}
	}
	if (hlen > length) {
		pr_printf(ctx, " [bad hdr length %u - too long, > %u]", hlen, length);
		return;
	}

	if (ctx->opts.verbose && !ctx->opts.no_checksum && !fragmented && HAVE(bp, length)) {
		uint16_t sum = v6 ? ip6_l4_cksum(ctx, ip, bp, length, IPPROTO_TCP)
				  : ip_l4_cksum(ctx, ip, bp, length, IPPROTO_TCP);
		uint16_t field = RD_BE16(th->sum);

		pr_printf(ctx, ", cksum 0x%04x", field);
		if (sum != 0)
			pr_printf(ctx, " (incorrect -> 0x%04x)", pr_cksum_shouldbe(field, sum));
		else
			pr_puts(ctx, " (correct)");
	}

	length -= hlen;
	if (ctx->opts.verbose > 1 || length > 0 || (flags & (TH_SYN | TH_FIN | TH_RST))) {
		pr_printf(ctx, ", seq %u", seq);
		if (length > 0)
			pr_printf(ctx, ":%u", seq + length);
	}
	if (flags & TH_ACK)
		pr_printf(ctx, ", ack %u", ack);
	pr_printf(ctx, ", win %u", win);
	if (flags & TH_URG)
		pr_printf(ctx, ", urg %u", urp);

	if (hlen > TCP_HDR_LEN) {
		int rc;

		pr_puts(ctx, ", options [");
		rc = print_tcp_options(ctx, bp + TCP_HDR_LEN, hlen - TCP_HDR_LEN, flags, rev, thseq, thack, &sep);
		if (rc == -2) {
			pr_trunc_mark(ctx);
			if (sep)
				pr_putc(ctx, '>');
			return;
		}
		if (rc < 0) {
			pr_puts(ctx, "[bad opt]");
			if (sep)
				pr_putc(ctx, ']');
			return;
		}
		pr_putc(ctx, ']');
	}

	pr_printf(ctx, ", length %u", length);
	if (length == 0)
		return;
	bp += hlen;
	if ((flags & TH_RST) && ctx->opts.verbose) {
		print_rst_data(ctx, bp, length);
		return;
	}
	tcp_payload(ctx, bp, length, sport, dport);
}
