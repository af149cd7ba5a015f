/* Trivial File Transfer Protocol (RFC 1350, options RFC 2347), UDP port 69. */
#include "writers/print/print-int.h"

enum { RRQ = 1, WRQ, DATA, ACK, TFTP_ERROR, OACK };

static const struct pr_tok op_names[] = {
	{ RRQ, "RRQ" },		 { WRQ, "WRQ" },   { DATA, "DATA" }, { ACK, "ACK" },
	{ TFTP_ERROR, "ERROR" }, { OACK, "OACK" }, { 0, NULL },
};

static const struct pr_tok err_names[] = {
	{ 0, "EUNDEF" }, { 1, "ENOTFOUND" }, { 2, "EACCESS" }, { 3, "ENOSPACE" }, { 4, "EBADOP" },
	{ 5, "EBADID" }, { 6, "EEXISTS" },   { 7, "ENOUSER" }, { 0, NULL },
};

/* NUL-terminated option names and values, blank-separated (RFC 2347). Returns 0 when one runs off the end. */
static int print_strings(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	while (length != 0) {
		unsigned used;

		if (RD_U8(bp) != '\0')
			pr_putc(ctx, ' ');
		used = pr_str_z(ctx, bp, length);
		if (used == 0)
			return 0;
		bp += used;
		length -= used;
	}
	return 1;
}

/* A NUL-terminated string in quotes: the bytes it used with its NUL, 0 when it runs off the end. */
static unsigned quoted_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned used;

	pr_puts(ctx, " \"");
	used = pr_str_z(ctx, bp, length);
	pr_putc(ctx, '"');
	return used;
}

void tftp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned op, used;
	const char *name;

	PR_PROTO(ctx, "tftp");
	pr_printf(ctx, "TFTP, length %u", length);
	if (length < 2)
		goto trunc;
	op = RD_BE16(bp);
	name = pr_tok_find(op_names, op);
	if (!name) {
		pr_printf(ctx, ", tftp-#%u", op);
		return;
	}
	pr_printf(ctx, ", %s", name);
	bp += 2;
	length -= 2;
	switch (op) {
	case RRQ:
	case WRQ:
		if (length == 0)
			goto trunc;
		used = quoted_print(ctx, bp, length);
		if (used == 0)
			goto trunc;
		bp += used;
		length -= used;
		if (length == 0)
			goto trunc; /* no mode */
		pr_putc(ctx, ' ');
		used = pr_str_z(ctx, bp, length);
		if (used == 0)
			goto trunc;
		bp += used;
		length -= used;
		if (!print_strings(ctx, bp, length))
			goto trunc;
		break;
	case OACK:
		if (!print_strings(ctx, bp, length))
			goto trunc;
		break;
	case DATA:
	case ACK:
		if (length < 2)
			goto trunc;
		pr_printf(ctx, " block %u", RD_BE16(bp));
		break;
	case TFTP_ERROR:
		if (length < 2)
			goto trunc;
		pr_printf(ctx, " %s", pr_tok_str(ctx, err_names, "tftp-err-#%u \"", RD_BE16(bp)));
		bp += 2;
		length -= 2;
		if (length == 0)
			goto trunc;
		if (quoted_print(ctx, bp, length) == 0)
			goto trunc;
		break;
	default: break;
	}
	return;
trunc:
	pr_trunc_mark(ctx);
}
