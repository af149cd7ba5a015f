/* EAP (RFC 3748) and EAPOL (IEEE 802.1X, ethertype 0x888e); EAP also inside RADIUS EAP-Message attributes. */
#include "writers/print/print-int.h"

enum { EAP_REQUEST = 1, EAP_RESPONSE = 2 };

static const struct pr_tok frame_names[] = {
	{ 0, "EAP packet" },
	{ 1, "EAPOL start" },
	{ 2, "EAPOL logoff" },
	{ 3, "EAPOL key" },
	{ 4, "Encapsulated ASF alert" },
	{ 0, NULL },
};

static const struct pr_tok code_names[] = {
	{ 1, "Request" }, { 2, "Response" }, { 3, "Success" }, { 4, "Failure" }, { 0, NULL }
};

enum {
	T_IDENTITY = 1,
	T_NOTIFICATION = 2,
	T_NAK = 3,
	T_TLS = 13,
	T_SIM = 18,
	T_TTLS = 21,
	T_AKA = 23,
	T_FAST = 43,
};

static const struct pr_tok type_names[] = {
	{ 0, "No proposed" },
	{ T_IDENTITY, "Identity" },
	{ T_NOTIFICATION, "Notification" },
	{ T_NAK, "Nak" },
	{ 4, "MD5-challenge" },
	{ 5, "OTP" },
	{ 6, "GTC" },
	{ T_TLS, "TLS" },
	{ T_SIM, "SIM" },
	{ T_TTLS, "TTLS" },
	{ T_AKA, "AKA" },
	{ T_FAST, "FAST" },
	{ 254, "Expanded types" },
	{ 255, "Experimental" },
	{ 0, NULL },
};

/* RFC 5216 3.1 */
static const struct pr_tok tls_flag_names[] = {
	{ 0x80, "L bit" }, { 0x40, "More fragments bit" }, { 0x20, "Start bit" }, { 0, NULL }
};

/* RFC 4187 11 / RFC 4186 */
static const struct pr_tok aka_subtype_names[] = {
	{ 1, "Challenge" },  { 2, "Auth reject" },   { 4, "Sync failure" }, { 5, "Identity" },	    { 10, "Start" },
	{ 11, "Challenge" }, { 12, "Notification" }, { 13, "Reauth" },	    { 14, "Client error" }, { 0, NULL },
};

/* One EAP packet of length bytes; one not matching its own length field is shown as a fragment. */
void eap_print(struct pctx *ctx, const uint8_t *cp, unsigned length)
{
	unsigned code, len, type, i;

	PR_PROTO(ctx, "eap");
	code = RD_U8(cp);
	len = RD_BE16(cp + 2);
	if (len != length) {
		/* RADIUS may split a message over several attributes without repeating the header */
		pr_puts(ctx, "EAP fragment?");
		return;
	}
	pr_printf(ctx, "%s (%u), id %u, len %u", pr_tok_str(ctx, code_names, "unknown", code), code, RD_U8(cp + 1),
		  len);
	if (len < 4) {
		pr_puts(ctx, " (too short for EAP header)");
		return;
	}
	NEED(cp, len);
	if (code != EAP_REQUEST && code != EAP_RESPONSE)
		return;
	if (len < 5) {
		pr_puts(ctx, " (too short for EAP request/response)");
		return;
	}
	type = RD_U8(cp + 4);
	pr_printf(ctx, "\n\t\t Type %s (%u)", pr_tok_str(ctx, type_names, "unknown", type), type);
	switch (type) {
	case T_IDENTITY:
		if (len > 5) {
			pr_puts(ctx, ", Identity: ");
			pr_str_pad(ctx, cp + 5, len - 5);
		}
		break;
	case T_NOTIFICATION:
		if (len < 6) {
			pr_puts(ctx, " (too short for EAP Notification request/response)");
			return;
		}
		pr_puts(ctx, ", Notification: ");
		pr_str_pad(ctx, cp + 5, len - 5);
		break;
	case T_NAK:
		if (len < 6) {
			pr_puts(ctx, " (too short for EAP Legacy NAK request/response)");
			return;
		}
		for (i = 5; i < len; i++)
			pr_printf(ctx, "%s %s (%u)", i > 5 ? "," : "",
				  pr_tok_str(ctx, type_names, "unknown", RD_U8(cp + i)), RD_U8(cp + i));
		break;
	case T_TTLS:
	case T_TLS:
	case T_FAST: {
		unsigned f;

		if (len < 6) {
			pr_printf(ctx, " (too short for EAP %s request/response)",
				  type == T_FAST ? "FAST" : "TLS/TTLS");
			return;
		}
		f = RD_U8(cp + 5);
		if (type == T_TTLS)
			pr_printf(ctx, " TTLSv%u", f & 0x07);
		else if (type == T_FAST)
			pr_printf(ctx, " FASTv%u", f & 0x07);
		pr_printf(ctx, " flags [%s] 0x%02x", pr_bits_str(ctx, tls_flag_names, "none", ", ", f), f);
		if (f & 0x80) {
			if (len < 10) {
				pr_printf(ctx, " (too short for EAP %s request/response with length)",
					  type == T_FAST ? "FAST" : "TLS/TTLS");
				return;
			}
			pr_printf(ctx, ", len %u", RD_BE32(cp + 6));
		}
		break;
	}
	case T_AKA:
	case T_SIM:
		if (len < 6) {
			pr_puts(ctx, " (too short for EAP SIM/AKA request/response)");
			return;
		}
		pr_printf(ctx, " subtype [%s] 0x%02x", pr_tok_str(ctx, aka_subtype_names, "unknown", RD_U8(cp + 5)),
			  RD_U8(cp + 5));
		break;
	default: break;
	}
}

void eapol_print(struct pctx *ctx, const uint8_t *cp, unsigned length)
{
	unsigned type, len;

	(void)length;
	PR_PROTO(ctx, "eap");
	NEED(cp, 4);
	type = RD_U8(cp + 1);
	len = RD_BE16(cp + 2);
	pr_printf(ctx, "%s (%u) v%u, len %u", pr_tok_str(ctx, frame_names, "unknown", type), type, RD_U8(cp), len);
	if (!ctx->opts.verbose)
		return;
	if (type == 0) {
		if (len == 0)
			pr_trunc(ctx);
		pr_puts(ctx, ", ");
		eap_print(ctx, cp + 4, len);
	}
}
