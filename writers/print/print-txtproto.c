/* Line-oriented text protocols (HTTP, WHOIS...): the protocol name and the first line, or all lines with -v. */
#include <string.h>
#include <strings.h>

#include "writers/print/print-int.h"

#define TOKEN_MAX 128

static int is_print(unsigned c)
{
	return c >= 0x20 && c < 0x7f;
}

/*
 * Copies the token at idx into tok and returns the index after it and the
 * blanks that follow, or 0 when there is no printable ASCII token there.
 */
static unsigned fetch_token(struct pctx *ctx, const uint8_t *p, unsigned idx, unsigned len, char *tok)
{
	unsigned n = 0;

	for (; idx < len; idx++) {
		uint8_t c;

		if (!HAVE(p + idx, 1))
			return 0;
		c = p[idx];
		if (c & 0x80)
			return 0;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			break;
		if (!is_print(c) || n + 2 > TOKEN_MAX)
			return 0;
		tok[n++] = (char)c;
	}
	if (n == 0)
		return 0;
	tok[n] = 0;
	for (; idx < len && HAVE(p + idx, 1); idx++) {
		uint8_t c = p[idx];

		if (c == '\r' || c == '\n' || !is_print(c) || (c != ' ' && c != '\t'))
			break;
	}
	return idx;
}

/*
 * Prints the line starting at idx after prefix, without its LF or CR-LF;
 * returns the index after the line end, or 0 when the text stops being a
 * line: a binary byte or lone CR (nothing printed), or no line end before
 * len, which tcpdump prints followed by " [|proto]". A line cut by the
 * capture unwinds without printing it.
 */
static unsigned print_line(struct pctx *ctx, const char *prefix, const uint8_t *p, unsigned idx, unsigned len)
{
	unsigned start = idx, next;

	for (;; idx++) {
		uint8_t c;

		if (idx >= len) {
			pr_printf(ctx, "%s%.*s", prefix, (int)(idx - start), (const char *)p + start);
			pr_trunc_mark(ctx);
			return 0;
		}
		c = RD_U8(p + idx);
		if (c == '\n') {
			next = idx + 1;
			break;
		}
		if (c == '\r') {
			if (idx + 1 >= len || RD_U8(p + idx + 1) != '\n')
				return 0;
			next = idx + 2;
			break;
		}
		if (!is_print(c) && c != '\t')
			return 0;
	}
	pr_printf(ctx, "%s%.*s", prefix, (int)(idx - start), (const char *)p + start);
	return next;
}

void txtproto_print(struct pctx *ctx, const uint8_t *bp, unsigned len, const char *const *cmds, int resp_second)
{
	char tok[TOKEN_MAX + 1];
	int show = 0;
	const char *s;

	if (cmds) {
		unsigned idx = fetch_token(ctx, bp, 0, len, tok);

		if (idx != 0) {
			for (; *cmds; cmds++) {
				if (strcasecmp(tok, *cmds) == 0) {
					show = 1;
					break;
				}
			}
			if (resp_second)
				idx = fetch_token(ctx, bp, idx, len, tok);
			if (idx != 0 && tok[0] >= '0' && tok[0] <= '9' && tok[1] >= '0' && tok[1] <= '9' &&
			    tok[2] >= '0' && tok[2] <= '9' && tok[3] == 0)
				show = 1;
		}
	} else {
		show = 1;
	}
	for (s = ctx->proto; *s; s++)
		pr_putc(ctx, (*s >= 'a' && *s <= 'z') ? *s - 'a' + 'A' : *s);
	if (!show)
		return;
	if (ctx->opts.verbose) {
		unsigned idx, eol;

		pr_printf(ctx, ", length: %u", len);
		for (idx = 0; idx < len && (eol = print_line(ctx, "\n\t", bp, idx, len)) != 0; idx = eol)
			;
	} else {
		print_line(ctx, ": ", bp, 0, len);
	}
}
