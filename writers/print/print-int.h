/* Printer internals shared by every decoder: the per-thread context, checked wire reads, output helpers. */
#ifndef TD_PRINT_INT_H
#define TD_PRINT_INT_H

/*
 * How a decoder is written
 * ------------------------
 * Every decoder takes `struct pctx *ctx` (always named `ctx`: the short
 * read macros below use it) and a pointer into the packet.
 *
 *  - Wire structs are byte arrays (`wire_u16 len;`), so a field can only be
 *    read through an accessor: RD_U8(p), RD_BE16(p), RD_BE24(p), RD_BE32(p),
 *    RD_BE64(p), RD_LE16(p), RD_LE32(p), RD_S8/RD_BE_S16/RD_BE_S32 (signed).
 *    Each checks that the bytes lie inside the captured data and, when they
 *    do not, unwinds (longjmp) to printer_packet(), which prints
 *    " [|<proto>]" with the name set by PR_PROTO() - tcpdump 4.99's
 *    nd_trunc_longjmp. So set PR_PROTO(ctx, "domain") (tcpdump's
 *    ndo_protocol name) on entry, before the first read.
 *  - RD_IPV4(p), RD_IPV6(p), RD_MAC(p) check and return the address as text
 *    (a name without -n, see print-names.c). The text
 *    lives in a small ring of buffers in ctx, so up to PR_STR_RING of them
 *    may be used in one pr_printf() call.
 *  - NEED(p, n) unwinds like a read when p[0..n) is not captured;
 *    HAVE(p, n) only tests (tcpdump's ND_TTEST_LEN). Use HAVE when the
 *    decoder must print its own ending instead of " [|proto]".
 *  - pr_printf(ctx, ...) writes to the packet's output. pr_trunc_mark(ctx)
 *    prints " [|<proto>]" without unwinding (nd_print_trunc),
 *    pr_invalid(ctx) prints " (invalid)" (nd_print_invalid), and
 *    pr_trunc(ctx) unwinds (tcpdump's "goto trunc" then nd_print_trunc,
 *    when nothing else is printed after).
 *  - To narrow the captured end to a length field (IP total length, UDP
 *    length), call pr_push_end(ctx, bp, len) and pr_pop_end(ctx) when done;
 *    the framework resets the stack after an unwind, so an unwind between
 *    push and pop is fine.
 *  - Strings from the packet: pr_str_n(), pr_str_z(), pr_str_pad() below;
 *    hex dumps: pr_hex_ascii(), pr_hex().
 *  - ctx->opts holds the options (verbose, numeric, quiet...). No decoder
 *    keeps state anywhere but in ctx.
 *  - A header more than one decoder reads has one layout, in print-wire.h
 *    (struct ip_hdr, ip6_hdr, dns_hdr), beside the IPPROTO_* names; every
 *    decoder's entry point is declared in print-decoders.h. This header
 *    includes both, so a decoder includes only print-int.h.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "writers/print/print-decoders.h"
#include "writers/print/print-wire.h"
#include "writers/print/print.h"

#define PR_STR_RING 8	/* address strings usable at once */
#define PR_STR_LEN 256	/* longest address text incl. NUL: a host name */
#define PR_END_STACK 16 /* nested pr_push_end() levels */
/*
 * TCP connections tracked for relative seq numbers: bounded (memory stays
 * flat on endless input) but large enough that a busy link with hundreds of
 * thousands of open connections prints what tcpdump prints (15 MiB). The
 * table starts at PR_TCP_FLOWS_MIN and grows only when it has to evict, so
 * a printer that sees a few connections stays small.
 */
#define PR_TCP_FLOWS (1u << 18)
#define PR_TCP_FLOWS_MIN (1u << 10)

/* One direction-independent TCP connection, for relative sequence numbers (tcpdump's tcp_seq_hash). */
struct pr_tcp_flow {
	uint8_t addr[2][16]; /* source, destination as first seen */
	uint16_t port[2];
	uint8_t is_v6;
	uint8_t used;
	uint32_t seq;	/* initial sequence of the first-seen side */
	uint32_t ack;	/* initial sequence of the other side */
	uint64_t stamp; /* last use, for replacement when full */
};

struct pctx {
	struct print_opts opts;
	FILE *out;
	int linktype;

	/* the packet being printed */
	const uint8_t *pkt; /* first captured byte */
	const uint8_t *end; /* one past the last byte a decoder may read */
	uint32_t caplen;
	uint32_t wirelen;
	const char *proto; /* name printed by " [|proto]" */
	jmp_buf *unwind;   /* where a failed read goes */

	const uint8_t *end_stack[PR_END_STACK];
	unsigned end_depth;

	/* reference stamp for -ttt (previous packet) and -ttttt (first packet) */
	int ref_set;
	int64_t ref_sec;
	uint32_t ref_frac;
	uint64_t count; /* packets printed, for -# */

	char str[PR_STR_RING][PR_STR_LEN];
	unsigned str_next;
	char bits[512]; /* pr_bits_str() result */

	/* allocated on the first TCP packet and grown up to PR_TCP_FLOWS (freed by printer_free) */
	struct pr_tcp_flow *tcp;
	struct pr_names *names; /* name caches, allocated on first use without -n (print-names.c) */
	unsigned tcp_size;	/* entries, a power of two; 0 until allocated */
	uint64_t tcp_clock;
	uint8_t *hdlc_buf; /* un-escaped RFC 1662 frame (print-ppp.c), PR_HDLC_BUF bytes, allocated on first use */
};

#define PR_HDLC_BUF 262144u

#define PR_PROTO(c, name) ((c)->proto = (name))

/* Unwind to printer_packet(), which prints " [|proto]". */
__attribute__((noreturn)) void pr_trunc(struct pctx *ctx);

static inline int pr_have(const struct pctx *ctx, const void *p, size_t n)
{
	const uint8_t *b = p;

	return b >= ctx->pkt && b <= ctx->end && n <= (size_t)(ctx->end - b);
}

static inline void pr_need(struct pctx *ctx, const void *p, size_t n)
{
	if (!pr_have(ctx, p, n))
		pr_trunc(ctx);
}

static inline uint8_t pr_u8(struct pctx *ctx, const void *p)
{
	pr_need(ctx, p, 1);
	return *(const uint8_t *)p;
}

static inline uint16_t pr_be16(struct pctx *ctx, const void *p)
{
	const uint8_t *b = p;

	pr_need(ctx, p, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t pr_be24(struct pctx *ctx, const void *p)
{
	const uint8_t *b = p;

	pr_need(ctx, p, 3);
	return (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
}

static inline uint32_t pr_be32(struct pctx *ctx, const void *p)
{
	const uint8_t *b = p;

	pr_need(ctx, p, 4);
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t pr_be64(struct pctx *ctx, const void *p)
{
	const uint8_t *b = p;

	pr_need(ctx, p, 8);
	return (uint64_t)pr_be32(ctx, b) << 32 | pr_be32(ctx, b + 4);
}

static inline uint16_t pr_le16(struct pctx *ctx, const void *p)
{
	const uint8_t *b = p;

	pr_need(ctx, p, 2);
	return (uint16_t)(b[1] << 8 | b[0]);
}

static inline uint32_t pr_le32(struct pctx *ctx, const void *p)
{
	const uint8_t *b = p;

	pr_need(ctx, p, 4);
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

/*
 * Address text (checked reads), valid until PR_STR_RING more are made.
 * Without -n these are names where tcpdump shows names (print-names.c):
 * host names (-N: up to the first dot), "(oui ...)" after a MAC.
 */
const char *pr_ipv4_str(struct pctx *ctx, const void *p);
const char *pr_ipv6_str(struct pctx *ctx, const void *p);
const char *pr_mac_str(struct pctx *ctx, const void *p);
/* Always the number, where tcpdump prints one even without -n (DNS A/AAAA data). */
const char *pr_ipv4_num(struct pctx *ctx, const void *p);
const char *pr_ipv6_num(struct pctx *ctx, const void *p);
/* The number of an address the decoder copied out of the packet (a prefix padded with zeros). */
const char *pr_ipv4_copy(struct pctx *ctx, const uint8_t a[4]);
const char *pr_ipv6_copy(struct pctx *ctx, const uint8_t a[16]);
/* A TCP (udp == 0) or UDP port: its /etc/services name without -n, else the number. */
const char *pr_port_str(struct pctx *ctx, unsigned port, int udp);
/* Frees what print-names.c allocated in ctx. */
void pr_names_free(struct pctx *ctx);
/* A scratch buffer from the same ring, PR_STR_LEN bytes. */
char *pr_scratch(struct pctx *ctx);

/* Short forms: they expect the context in a variable named ctx. */
#define RD_U8(p) pr_u8(ctx, (p))
#define RD_S8(p) ((int8_t)pr_u8(ctx, (p)))
#define RD_BE16(p) pr_be16(ctx, (p))
#define RD_BE_S16(p) ((int16_t)pr_be16(ctx, (p)))
#define RD_BE24(p) pr_be24(ctx, (p))
#define RD_BE32(p) pr_be32(ctx, (p))
#define RD_BE_S32(p) ((int32_t)pr_be32(ctx, (p)))
#define RD_BE64(p) pr_be64(ctx, (p))
#define RD_LE16(p) pr_le16(ctx, (p))
#define RD_LE32(p) pr_le32(ctx, (p))
#define RD_IPV4(p) pr_ipv4_str(ctx, (p))
#define RD_IPV6(p) pr_ipv6_str(ctx, (p))
#define RD_MAC(p) pr_mac_str(ctx, (p))
#define NEED(p, n) pr_need(ctx, (p), (n))
#define HAVE(p, n) pr_have(ctx, (p), (n))

/* Output. */
__attribute__((format(printf, 2, 3))) void pr_printf(struct pctx *ctx, const char *fmt, ...);
static inline void pr_puts(struct pctx *ctx, const char *s)
{
	fputs(s, ctx->out);
}
static inline void pr_putc(struct pctx *ctx, int c)
{
	putc(c, ctx->out);
}
/* " [|proto]" without unwinding (tcpdump's nd_print_trunc). */
void pr_trunc_mark(struct pctx *ctx);
/* " (invalid)" (tcpdump's nd_print_invalid). */
void pr_invalid(struct pctx *ctx);
/* One byte the way tcpdump shows packet text: "M-" for 8-bit, "^X" for controls. */
void pr_char(struct pctx *ctx, uint8_t c);

/*
 * Packet strings, every byte checked (unwind when not captured):
 * pr_str_n:   exactly n bytes, NULs included (nd_printjn).
 * pr_str_pad: up to n bytes, stops at the first NUL (nd_printjnp).
 * pr_str_z:   NUL-terminated, at most n bytes; returns the bytes used
 *             including the NUL, 0 when no NUL within n or not captured,
 *             in which case it printed what it had (nd_printztn).
 */
void pr_str_n(struct pctx *ctx, const uint8_t *s, unsigned n);
void pr_str_pad(struct pctx *ctx, const uint8_t *s, unsigned n);
unsigned pr_str_z(struct pctx *ctx, const uint8_t *s, unsigned n);

/*
 * Hex dumps as -x / -X print them: lines of 16 bytes, each starting with
 * indent (usually "\n\t") + "0x%04x: ", offsets from 0. When len runs past
 * the captured bytes the dump stops there and unwinds (" [|proto]").
 */
void pr_hex(struct pctx *ctx, const char *indent, const uint8_t *bp, unsigned len);
void pr_hex_ascii(struct pctx *ctx, const char *indent, const uint8_t *bp, unsigned len);
/* -A: the bytes as text after a newline, '.' for what is not printable. */
void pr_ascii(struct pctx *ctx, const uint8_t *bp, unsigned len);
/* tcpdump's print_unknown_data: "\n\t0x0000:  ..." hex+ASCII of what is captured; 0 if none. */
int pr_unknown_data(struct pctx *ctx, const uint8_t *bp, const char *indent, unsigned len);

/* Narrow the readable end to bp + len when that is shorter; pair with pr_pop_end(). */
void pr_push_end(struct pctx *ctx, const uint8_t *bp, unsigned len);
void pr_pop_end(struct pctx *ctx);

/* The packet's bytes still readable from p (0 when p is past the end). */
static inline unsigned pr_left(const struct pctx *ctx, const uint8_t *p)
{
	return p < ctx->end ? (unsigned)(ctx->end - p) : 0;
}

/* Table lookup: name of v or NULL (tcpdump's tok2str family). */
struct pr_tok {
	unsigned v;
	const char *s;
};
const char *pr_tok_find(const struct pr_tok *t, unsigned v);
/*
 * IANA address family numbers 0 to 15, the entries every printer's table of
 * them shares; what follows (25, 196, ...) tcpdump names differently in BGP
 * and elsewhere, so each table adds its own.
 */
/* clang-format off */
#define PR_IANA_AF_TOKS                                                                              \
	{ 0, "Reserved" }, { 1, "IPv4" }, { 2, "IPv6" }, { 3, "NSAP" }, { 4, "HDLC" },             \
	{ 5, "BBN 1822" }, { 6, "802" }, { 7, "E.163" }, { 8, "E.164" }, { 9, "F.69" },            \
	{ 10, "X.121" }, { 11, "Novell IPX" }, { 12, "Appletalk" }, { 13, "Decnet IV" },           \
	{ 14, "Banyan Vines" }, { 15, "E.164 with NSAP subaddress" }
/* clang-format on */
/* An IANA private enterprise number's name, "Unknown" when not listed. */
const char *pr_smi_vendor(unsigned id);
/* Name of v, or fmt (one %u) formatted into a scratch buffer when absent. */
const char *pr_tok_str(struct pctx *ctx, const struct pr_tok *t, const char *fmt, unsigned v);
/*
 * Names of every entry whose bits are all set in v, joined by sep; when none
 * matches, fmt (one %u or %x) formatted with v (tcpdump's bittok2str with
 * sep ", ", bittok2str_nosep with sep ""). Result valid until the next call.
 */
const char *pr_bits_str(struct pctx *ctx, const struct pr_tok *t, const char *fmt, const char *sep, unsigned v);

/* A duration as tcpdump's unsigned_relts_print shows it: "1y2w3d4h5m6s", "0s". */
void pr_relts(struct pctx *ctx, uint32_t secs);

/*
 * Internet checksum (RFC 1071) of bp[0..len) plus a starting sum: 0 when the
 * data (checksum field included) is correct. The caller checks the bytes.
 */
uint16_t pr_in_cksum(const uint8_t *bp, unsigned len, uint32_t sum);
/* The checksum field value that would be right, given the field and pr_in_cksum() over the data (RFC 1624). */
uint16_t pr_cksum_shouldbe(uint16_t field, uint16_t computed);

#endif
