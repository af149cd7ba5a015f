/* LISP control plane (RFC 6830/9301), UDP port 4342: Map-Register and Map-Notify records; other types by name. */
#include <inttypes.h>

#include "writers/print/print-int.h"

#define LISP_MAP_REGISTER 3
#define LISP_MAP_NOTIFY 4
#define HDR_LEN 16 /* type/flags, reserved, record count, nonce, key ID, auth data length */
#define EID_LEN 12 /* TTL, locator count, mask, action/A, reserved, version, EID AFI */
#define LOC_LEN 8  /* priority, weight, m-priority, m-weight, flags, AFI */
#define AFI_IPV4 1
#define AFI_IPV6 2

static const struct pr_tok type_names[] = {
	{ 0, "LISP-Reserved" },
	{ 1, "LISP-Map-Request" },
	{ 2, "LISP-Map-Reply" },
	{ 3, "LISP-Map-Register" },
	{ 4, "LISP-Map-Notify" },
	{ 8, "LISP-Encapsulated-Contol-Message" },
	{ 0, NULL },
};

static const struct pr_tok register_flags[] = {
	{ 0x08000000, "P-Proxy-Map-Reply" }, { 0x04000000, "S-LISP-SEC-Capable" }, { 0x02000000, "I-xTR-ID-Present" },
	{ 0x01000000, "R-Build-For-RTR" },   { 0x00000100, "M-Want-Map-Notify" },  { 0, NULL },
};

static const struct pr_tok notify_flags[] = {
	{ 0x08000000, "I-xTR-ID-Present" },
	{ 0x04000000, "R-Build-For-RTR" },
	{ 0, NULL },
};

static const struct pr_tok auth_names[] = { { 0, "None" }, { 1, "SHA1" }, { 2, "SHA256" }, { 0, NULL } };

static const struct pr_tok action_names[] = {
	{ 0, "No-Action" }, { 1, "Natively-Forward" }, { 2, "Send-Map-Request" }, { 3, "Drop" }, { 0, NULL },
};

static const struct pr_tok loc_flags[] = {
	{ 0x0004, "Local-Locator" },
	{ 0x0002, "RLoc-Probed" },
	{ 0x0001, "Reachable" },
	{ 0, NULL },
};

/*
 * tcpdump 4.99 tests the header, each EID record and each locator before it reads them and
 * stops there with " [|lisp]": the packet is not abandoned, so -x still dumps it from the
 * network header. Reads inside them and hex dumps that run out unwind as usual.
 */
void lisp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned tf, type, xtr, records, off, v = ctx->opts.verbose;

	PR_PROTO(ctx, "lisp");
	if (!HAVE(bp, HDR_LEN))
		goto trunc;
	tf = RD_U8(bp);
	type = tf >> 4;
	pr_printf(ctx, "%s,", pr_tok_str(ctx, type_names, "unknown-type-%u", type));
	if (v && type == LISP_MAP_REGISTER)
		pr_printf(ctx, " flags [%s],", pr_bits_str(ctx, register_flags, "none", ", ", RD_BE32(bp)));
	else if (v && type == LISP_MAP_NOTIFY)
		pr_printf(ctx, " flags [%s],", pr_bits_str(ctx, notify_flags, "none", ", ", RD_BE32(bp)));
	if (type != LISP_MAP_REGISTER && type != LISP_MAP_NOTIFY)
		return;
	xtr = type == LISP_MAP_REGISTER ? tf & 0x02 : tf & 0x08;
	records = RD_U8(bp + 3);
	off = HDR_LEN;
	if (v) {
		pr_printf(ctx, "\n    %u record(s), ", records);
		pr_printf(ctx, "Authentication %s,", pr_tok_str(ctx, auth_names, "unknown-type", RD_BE16(bp + 12)));
		pr_hex(ctx, "\n    Authentication-Data: ", bp + off, RD_BE16(bp + 14));
	} else {
		pr_printf(ctx, " %u record(s),", records);
	}
	/* tcpdump keeps the offset in 16 bits */
	off = (off + RD_BE16(bp + 14)) & 0xffff;
	if (records == 0) {
		pr_invalid(ctx);
		return;
	}
	while (length > off && records--) {
		const uint8_t *eid = bp + off;
		unsigned mask, afi, locs;

		if (!HAVE(eid, EID_LEN))
			goto trunc;
		pr_putc(ctx, '\n');
		off += EID_LEN;
		mask = RD_U8(eid + 5);
		afi = RD_BE16(eid + 10);
		locs = RD_U8(eid + 4);
		if (v) {
			unsigned act = RD_U8(eid + 6);

			pr_printf(ctx, "      Record TTL %u,", RD_BE32(eid));
			pr_puts(ctx, ((act >> 4) & 1) ? " Authoritative," : " Non-Authoritative,");
			pr_printf(ctx, " %s,", pr_tok_str(ctx, action_names, "unknown", act >> 5));
			pr_printf(ctx, " Map Version: %u,", RD_BE16(eid + 8) & 0x0fff);
		}
		if (afi == AFI_IPV4) {
			pr_printf(ctx, " EID %s/%u,", RD_IPV4(bp + off), mask);
			off += 4;
		} else if (afi == AFI_IPV6) {
			pr_printf(ctx, " EID %s/%u,", RD_IPV6(bp + off), mask);
			off += 16;
		} else {
			return; /* LCAF EIDs are not decoded */
		}
		pr_printf(ctx, " %u locator(s)", locs);
		while (locs--) {
			const uint8_t *loc = bp + off;
			unsigned lafi;

			if (!HAVE(loc, LOC_LEN))
				goto trunc;
			off += LOC_LEN;
			lafi = RD_BE16(loc + 6);
			if (v)
				pr_puts(ctx, "\n       ");
			if (lafi == AFI_IPV4) {
				if (!HAVE(loc + LOC_LEN, 4))
					goto trunc;
				pr_printf(ctx, " LOC %s", RD_IPV4(loc + LOC_LEN));
				off += 4;
			} else if (lafi == AFI_IPV6) {
				if (!HAVE(loc + LOC_LEN, 16))
					goto trunc;
				pr_printf(ctx, " LOC %s", RD_IPV6(loc + LOC_LEN));
				off += 16;
			}
			if (v) {
				pr_printf(ctx, "\n          Priority/Weight %u/%u, Multicast Priority/Weight %u/%u,",
					  RD_U8(loc), RD_U8(loc + 1), RD_U8(loc + 2), RD_U8(loc + 3));
				pr_printf(ctx, " flags [%s],",
					  pr_bits_str(ctx, loc_flags, "none", ", ", RD_BE16(loc + 4)));
			}
		}
		off &= 0xffff;
	}
	if (xtr) {
		if (!HAVE(bp + off, 24)) {
			pr_invalid(ctx);
			return;
		}
		pr_hex(ctx, "\n    xTR-ID: ", bp + off, 16);
		pr_printf(ctx, "\n    SITE-ID: %" PRIu64, RD_BE64(bp + off + 16));
	} else if (bp + off < ctx->end) {
		pr_hex(ctx, "\n    Data: ", bp + off, pr_left(ctx, bp + off));
	}
	return;
trunc:
	pr_trunc_mark(ctx);
}
