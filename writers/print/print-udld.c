/* Cisco UniDirectional Link Detection (RFC 5171; SNAP OUI 0x00000c, PID 0x0111). */
#include "writers/print/print-int.h"

#define UDLD_HDR_LEN 4

static const struct pr_tok code_names[] = {
	{ 0, "Reserved" }, { 1, "Probe message" }, { 2, "Echo message" }, { 3, "Flush message" }, { 0, NULL }
};

static const struct pr_tok flag_names[] = { { 0x01, "RT" }, { 0x02, "RSY" }, { 0, NULL } };

static const struct pr_tok tlv_names[] = {
	{ 1, "Device-ID TLV" },
	{ 2, "Port-ID TLV" },
	{ 3, "Echo TLV" },
	{ 4, "Message Interval TLV" },
	{ 5, "Timeout Interval TLV" },
	{ 6, "Device Name TLV" },
	{ 7, "Sequence Number TLV" },
	{ 0, NULL },
};

void udld_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned b, flags;

	PR_PROTO(ctx, "udld");
	if (length < UDLD_HDR_LEN)
		goto invalid;
	b = RD_U8(p);
	flags = RD_U8(p + 1);
	pr_printf(ctx, "UDLDv%u, Code %s (%x), Flags [%s] (0x%02x), length %u", b >> 5,
		  pr_tok_str(ctx, code_names, "Reserved", b & 0x1f), b & 0x1f,
		  pr_bits_str(ctx, flag_names, "none", ", ", flags), flags, length);
	p += 2;
	length -= 2;
	if (!ctx->opts.verbose) {
		NEED(p, length);
		return;
	}
	/* RFC 5171 2: the checksum, not checked here */
	pr_printf(ctx, "\n\tChecksum 0x%04x (unverified)", RD_BE16(p));
	p += 2;
	length -= 2;
	while (length) {
		unsigned type, len;

		if (length < 4)
			goto invalid;
		type = RD_BE16(p);
		len = RD_BE16(p + 2);
		pr_printf(ctx, "\n\t%s (0x%04x) TLV, length %u", pr_tok_str(ctx, tlv_names, "Unknown", type), type,
			  len);
		if (len <= 4 || len > length)
			goto invalid;
		len -= 4;
		p += 4;
		length -= 4;
		switch (type) {
		case 1:
		case 2:
		case 6:
			pr_puts(ctx, ", ");
			pr_str_pad(ctx, p, len);
			break;
		case 3:
			pr_puts(ctx, ", ");
			pr_str_n(ctx, p, len);
			break;
		case 4:
		case 5:
			if (len != 1)
				goto invalid;
			pr_printf(ctx, ", %us", RD_U8(p));
			break;
		case 7:
			if (len != 4)
				goto invalid;
			pr_printf(ctx, ", %u", RD_BE32(p));
			break;
		default: NEED(p, len); break;
		}
		p += len;
		length -= len;
	}
	return;
invalid:
	pr_invalid(ctx);
	NEED(p, length);
}
