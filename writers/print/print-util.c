/* Helpers every decoder shares: output, truncation marks, packet strings, hex dumps, tables, checksums, durations. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "writers/print/print-int.h"

void pr_trunc(struct pctx *ctx)
{
	longjmp(*ctx->unwind, 1);
}

void pr_printf(struct pctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(ctx->out, fmt, ap);
	va_end(ap);
}

void pr_trunc_mark(struct pctx *ctx)
{
	pr_printf(ctx, " [|%s]", ctx->proto);
}

void pr_invalid(struct pctx *ctx)
{
	pr_puts(ctx, " (invalid)");
}

char *pr_scratch(struct pctx *ctx)
{
	char *s = ctx->str[ctx->str_next];

	ctx->str_next = (ctx->str_next + 1) % PR_STR_RING;
	return s;
}

const char *pr_ipv4_num(struct pctx *ctx, const void *p)
{
	const uint8_t *b = p;
	char *s;

	pr_need(ctx, p, 4);
	s = pr_scratch(ctx);
	snprintf(s, PR_STR_LEN, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return s;
}

const char *pr_ipv6_num(struct pctx *ctx, const void *p)
{
	char *s;

	pr_need(ctx, p, 16);
	s = pr_scratch(ctx);
	/* glibc's inet_ntop writes RFC 5952 text, the same as tcpdump's addrtostr6 */
	if (!inet_ntop(AF_INET6, p, s, PR_STR_LEN))
		snprintf(s, PR_STR_LEN, "?");
	return s;
}

const char *pr_ipv4_copy(struct pctx *ctx, const uint8_t a[4])
{
	char *s = pr_scratch(ctx);

	snprintf(s, PR_STR_LEN, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	return s;
}

const char *pr_ipv6_copy(struct pctx *ctx, const uint8_t a[16])
{
	char *s = pr_scratch(ctx);

	if (!inet_ntop(AF_INET6, a, s, PR_STR_LEN))
		snprintf(s, PR_STR_LEN, "?");
	return s;
}

void pr_char(struct pctx *ctx, uint8_t c)
{
	if (c & 0x80) {
		c &= 0x7f;
		pr_puts(ctx, "M-");
	}
	if (c < 0x20 || c == 0x7f) {
		/* DEL shows as ^?, the other controls as ^@..^_ */
		c ^= 0x40;
		pr_putc(ctx, '^');
	}
	pr_putc(ctx, c);
}

void pr_str_n(struct pctx *ctx, const uint8_t *s, unsigned n)
{
	for (; n; n--, s++)
		pr_char(ctx, pr_u8(ctx, s));
}

void pr_str_pad(struct pctx *ctx, const uint8_t *s, unsigned n)
{
	for (; n; n--, s++) {
		uint8_t c = pr_u8(ctx, s);

		if (c == 0)
			break;
		pr_char(ctx, c);
	}
}

unsigned pr_str_z(struct pctx *ctx, const uint8_t *s, unsigned n)
{
	unsigned used = 0;

	for (;;) {
		uint8_t c;

		if (n == 0 || !pr_have(ctx, s, 1))
			return 0;
		c = *s++;
		used++;
		n--;
		if (c == 0)
			return used;
		pr_char(ctx, c);
	}
}

static int is_graph(unsigned c)
{
	return c > 0x20 && c < 0x7f;
}

/* Clamp len to what is captured; returns 1 when it had to. */
static int clamp_len(struct pctx *ctx, const uint8_t *bp, unsigned *len)
{
	unsigned avail = pr_left(ctx, bp);

	if (*len > avail) {
		*len = avail;
		return 1;
	}
	return 0;
}

void pr_hex(struct pctx *ctx, const char *indent, const uint8_t *bp, unsigned len)
{
	int cut = clamp_len(ctx, bp, &len);
	unsigned i;

	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			pr_printf(ctx, "%s0x%04x: ", indent, i);
		/* bytes are shown in pairs: " abcd", a lone last byte as " ab" */
		if (i % 2 == 0)
			pr_putc(ctx, ' ');
		pr_printf(ctx, "%02x", bp[i]);
	}
	if (cut)
		pr_trunc(ctx);
}

void pr_hex_ascii(struct pctx *ctx, const char *indent, const uint8_t *bp, unsigned len)
{
	int cut = clamp_len(ctx, bp, &len);
	char hex[41], txt[17];
	unsigned off, i, n;

	for (off = 0; off < len; off += 16) {
		char *h = hex;

		n = len - off < 16 ? len - off : 16;
		for (i = 0; i < n; i++) {
			uint8_t c = bp[off + i];

			if (i % 2 == 0)
				*h++ = ' ';
			h += sprintf(h, "%02x", c);
			txt[i] = is_graph(c) ? (char)c : '.';
		}
		*h = 0;
		txt[n] = 0;
		pr_printf(ctx, "%s0x%04x: %-40s  %s", indent, off, hex, txt);
	}
	if (cut)
		pr_trunc(ctx);
}

int pr_unknown_data(struct pctx *ctx, const uint8_t *bp, const char *indent, unsigned len)
{
	if (!pr_have(ctx, bp, 0)) {
		pr_printf(ctx, "%sDissector error: print_unknown_data() called with pointer past end of packet",
			  indent);
		return 0;
	}
	clamp_len(ctx, bp, &len);
	pr_hex(ctx, indent, bp, len);
	return 1;
}

void pr_push_end(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	if (ctx->end_depth < PR_END_STACK)
		ctx->end_stack[ctx->end_depth] = ctx->end;
	ctx->end_depth++;
	if (bp >= ctx->pkt && bp <= ctx->end && len < (size_t)(ctx->end - bp))
		ctx->end = bp + len;
}

void pr_pop_end(struct pctx *ctx)
{
	if (ctx->end_depth == 0)
		return;
	ctx->end_depth--;
	if (ctx->end_depth < PR_END_STACK)
		ctx->end = ctx->end_stack[ctx->end_depth];
}

const char *pr_tok_find(const struct pr_tok *t, unsigned v)
{
	for (; t && t->s; t++)
		if (t->v == v)
			return t->s;
	return NULL;
}

const char *pr_tok_str(struct pctx *ctx, const struct pr_tok *t, const char *fmt, unsigned v)
{
	const char *s = pr_tok_find(t, v);
	char *buf;

	if (s)
		return s;
	buf = pr_scratch(ctx);
	snprintf(buf, PR_STR_LEN, fmt ? fmt : "#%u", v);
	return buf;
}

const char *pr_bits_str(struct pctx *ctx, const struct pr_tok *t, const char *fmt, const char *sep, unsigned v)
{
	size_t used = 0;
	const char *s = "";

	ctx->bits[0] = 0;
	for (; t && t->s; t++) {
		if (!t->v || (v & t->v) != t->v)
			continue;
		used += (size_t)snprintf(ctx->bits + used, sizeof(ctx->bits) - used, "%s%s", s, t->s);
		if (used >= sizeof(ctx->bits))
			return ctx->bits;
		s = sep;
	}
	if (used == 0)
		snprintf(ctx->bits, sizeof(ctx->bits), fmt ? fmt : "#%08x", v);
	return ctx->bits;
}

uint16_t pr_in_cksum(const uint8_t *bp, unsigned len, uint32_t sum)
{
	unsigned i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(bp[i] << 8 | bp[i + 1]);
	if (len & 1)
		sum += (uint32_t)bp[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t pr_cksum_shouldbe(uint16_t field, uint16_t computed)
{
	uint32_t s = (uint32_t)field + computed;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

void pr_relts(struct pctx *ctx, uint32_t secs)
{
	static const char units[] = "ywdhms";
	static const uint32_t div[] = { 31536000, 604800, 86400, 3600, 60, 1 };
	unsigned i;

	if (secs == 0) {
		pr_puts(ctx, "0s");
		return;
	}
	for (i = 0; i < 6 && secs; i++) {
		if (secs >= div[i]) {
			pr_printf(ctx, "%u%c", secs / div[i], units[i]);
			secs %= div[i];
		}
	}
}

void pr_ascii(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	int cut = clamp_len(ctx, bp, &len);
	unsigned i;

	PR_PROTO(ctx, "ascii");
	pr_putc(ctx, '\n');
	for (i = 0; i < len; i++) {
		uint8_t c = bp[i];

		if (c == '\r') {
			/* a CR before LF is dropped (the line ends anyway); elsewhere it shows as '.' */
			if (len - i - 1 > 1 && bp[i + 1] != '\n')
				pr_putc(ctx, '.');
		} else if (is_graph(c) || c == '\t' || c == ' ' || c == '\n') {
			pr_putc(ctx, c);
		} else {
			pr_putc(ctx, '.');
		}
	}
	if (cut)
		pr_trunc(ctx);
}

/* IANA private enterprise numbers, named as tcpdump names them (its smi_values). */
static const struct pr_tok smi_vendors[] = {
	{ 0, "IETF (reserved)" },
	{ 5, "ACC" },
	{ 9, "Cisco" },
	{ 11, "Hewlett Packard" },
	{ 42, "Sun Microsystems" },
	{ 61, "Merit" },
	{ 166, "Shiva" },
	{ 193, "Ericsson AB" },
	{ 255, "Cisco VPN 5000" },
	{ 307, "Livingston" },
	{ 311, "Microsoft" },
	{ 429, "3Com" },
	{ 529, "Ascend" },
	{ 1584, "Bay Networks" },
	{ 1991, "Foundry" },
	{ 2180, "Versanet" },
	{ 2352, "Redback" },
	{ 2636, "Juniper Networks" },
	{ 2637, "Aptis" },
	{ 2937, "Deutsche Telekom AG" },
	{ 3076, "Cisco VPN 3000" },
	{ 3085, "CoSine Communications" },
	{ 3199, "Shasta" },
	{ 3224, "Netscreen" },
	{ 3309, "Nomadix" },
	{ 4329, "Siemens" },
	{ 4491, "CableLabs" },
	{ 4874, "Unisphere Networks" },
	{ 5263, "Cisco BBSM" },
	{ 5535, "3rd Generation Partnership Project 2 (3GPP2)" },
	{ 5806, "SK Telecom" },
	{ 5925, "ip.unplugged" },
	{ 5948, "Issanni Communications" },
	{ 5951, "Netscaler" },
	{ 6253, "Devicescape Software" },
	{ 6527, "Nokia" },
	{ 8164, "Starent Networks" },
	{ 10415, "3GPP" },
	{ 12356, "Fortinet" },
	{ 14122, "Network Appliance" },
	{ 14823, "Aruba Networks" },
	{ 14988, "Mikrotik" },
	{ 20942, "China Unicom" },
	{ 25506, "Huawei" },
	{ 29169, "PacketCable" },
	{ 0, NULL },
};

const char *pr_smi_vendor(unsigned id)
{
	const char *s = pr_tok_find(smi_vendors, id);

	return s ? s : "Unknown";
}
