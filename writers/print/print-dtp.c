/* Cisco Dynamic Trunking Protocol (SNAP OUI 0x00000c, PID 0x2004): version, then type/length/value fields. */
#include "writers/print/print-int.h"

static const struct pr_tok tlv_names[] = {
	{ 0x0001, "Domain" }, { 0x0002, "Status" }, { 0x0003, "DTP type" }, { 0x0004, "Neighbor" }, { 0, NULL }
};

void dtp_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	PR_PROTO(ctx, "dtp");
	if (length < 1) {
		pr_puts(ctx, "[zero packet length]");
		goto invalid;
	}
	pr_printf(ctx, "DTPv%u, length %u", RD_U8(p), length);
	if (!ctx->opts.verbose)
		return;
	p++;
	length--;
	while (length) {
		unsigned type, len;

		if (length < 4) {
			pr_printf(ctx, "[%u bytes remaining]", length);
			goto invalid;
		}
		type = RD_BE16(p);
		len = RD_BE16(p + 2);
		/* some senders pad the frame with zeros */
		if (type == 0)
			return;
		pr_printf(ctx, "\n\t%s (0x%04x) TLV, length %u", pr_tok_str(ctx, tlv_names, "Unknown", type), type,
			  len);
		if (len < 4 || len > length) {
			pr_printf(ctx, "[TLV length %u]", len);
			goto invalid;
		}
		switch (type) {
		case 0x0001:
			pr_puts(ctx, ", ");
			pr_str_pad(ctx, p + 4, len - 4);
			break;
		case 0x0002:
		case 0x0003:
			if (len != 5)
				goto invalid;
			pr_printf(ctx, ", 0x%x", RD_U8(p + 4));
			break;
		case 0x0004:
			if (len != 10)
				goto invalid;
			pr_printf(ctx, ", %s", RD_MAC(p + 4));
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
