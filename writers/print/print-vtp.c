/* Cisco VLAN Trunking Protocol (SNAP OUI 0x00000c, PID 0x2003): summary and subset advertisements, requests. */
#include "writers/print/print-int.h"

#define VTP_HDR_LEN 36 /* version, code, follower/sequence, domain length, 32-byte domain */
#define VTP_DOMAIN_LEN 32
#define VTP_VLAN_FIXED_LEN 12

enum { VTP_SUMMARY = 1, VTP_SUBSET = 2, VTP_REQUEST = 3, VTP_JOIN = 4 };

static const struct pr_tok msg_names[] = {
	{ VTP_SUMMARY, "Summary advertisement" },
	{ VTP_SUBSET, "Subset advertisement" },
	{ VTP_REQUEST, "Advertisement request" },
	{ VTP_JOIN, "Join message" },
	{ 0, NULL },
};

/* what the third header byte means, by message */
static const struct pr_tok hdr_byte_names[] = {
	{ 1, "Followers" }, { 2, "Seq number" }, { 3, "Rsvd" }, { 4, "Rsvd" }, { 0, NULL }
};

static const struct pr_tok vlan_type_names[] = { { 1, "Ethernet" }, { 2, "FDDI" },  { 3, "TrCRF" },
						 { 4, "FDDI-net" }, { 5, "TrBRF" }, { 0, NULL } };

static const struct pr_tok vlan_status_names[] = { { 0, "Operational" }, { 1, "Suspended" }, { 0, NULL } };

static const struct pr_tok vlan_tlv_names[] = {
	{ 1, "Source-Routing Ring Number TLV" },
	{ 2, "Source-Routing Bridge Number TLV" },
	{ 3, "STP type TLV" },
	{ 4, "Parent VLAN TLV" },
	{ 5, "Translationally bridged VLANs TLV" },
	{ 6, "Pruning TLV" },
	{ 7, "Bridge Type TLV" },
	{ 8, "Max ARP Hop Count TLV" },
	{ 9, "Max STE Hop Count TLV" },
	{ 10, "Backup CRF Mode TLV" },
	{ 0, NULL },
};

static const struct pr_tok stp_type_names[] = { { 1, "SRT" }, { 2, "SRB" }, { 3, "Auto" }, { 0, NULL } };

void vtp_print(struct pctx *ctx, const uint8_t *pp, unsigned length)
{
	const uint8_t *t = pp;
	unsigned type, dlen;

	PR_PROTO(ctx, "vtp");
	if (length < VTP_HDR_LEN)
		goto invalid;
	NEED(t, VTP_HDR_LEN);
	type = RD_U8(t + 1);
	pr_printf(ctx, "VTPv%u, Message %s (0x%02x), length %u", RD_U8(t),
		  pr_tok_str(ctx, msg_names, "Unknown message type", type), type, length);
	if (!ctx->opts.verbose)
		goto check;
	pr_puts(ctx, "\n\tDomain name: ");
	dlen = RD_U8(t + 3);
	if (dlen < 1 || dlen > VTP_DOMAIN_LEN) {
		pr_printf(ctx, " [invalid MgmtD Len %u]", dlen);
		goto invalid;
	}
	pr_str_pad(ctx, t + 4, dlen);
	pr_printf(ctx, ", %s: %u", pr_tok_str(ctx, hdr_byte_names, "Unknown", type), RD_U8(t + 2));
	t += VTP_HDR_LEN;
	switch (type) {
	case VTP_SUMMARY:
		pr_printf(ctx, "\n\t  Config Rev %x, Updater %s", RD_BE32(t), RD_IPV4(t + 4));
		t += 8;
		pr_printf(ctx, ", Timestamp 0x%08x 0x%08x 0x%08x", RD_BE32(t), RD_BE32(t + 4), RD_BE32(t + 8));
		t += 12;
		pr_printf(ctx, ", MD5 digest: %08x%08x%08x%08x", RD_BE32(t), RD_BE32(t + 4), RD_BE32(t + 8),
			  RD_BE32(t + 12));
		break;
	case VTP_SUBSET:
		pr_printf(ctx, ", Config Rev %x", RD_BE32(t));
		t += 4;
		while ((unsigned)(t - pp) < length) {
			unsigned len = RD_U8(t), name_len, pad;

			if (len == 0)
				break;
			NEED(t, len);
			if (len < VTP_VLAN_FIXED_LEN)
				goto invalid;
			pr_printf(ctx, "\n\tVLAN info status %s, type %s, VLAN-id %u, MTU %u, SAID 0x%08x, Name ",
				  pr_tok_str(ctx, vlan_status_names, "Unknown", RD_U8(t + 1)),
				  pr_tok_str(ctx, vlan_type_names, "Unknown", RD_U8(t + 2)), RD_BE16(t + 4),
				  RD_BE16(t + 6), RD_BE32(t + 8));
			name_len = RD_U8(t + 3);
			len -= VTP_VLAN_FIXED_LEN;
			t += VTP_VLAN_FIXED_LEN;
			/* names are padded to 32-bit words */
			pad = 4 * ((name_len + 3) / 4);
			if (len < pad)
				goto invalid;
			pr_str_pad(ctx, t, name_len);
			len -= pad;
			t += pad;
			while (len != 0) {
				unsigned tt, tl, v;

				/* on the wire: 1-byte type, 1-byte length in 16-bit words */
				if (len < 2)
					goto invalid;
				tt = RD_U8(t);
				tl = RD_U8(t + 1);
				pr_printf(ctx, "\n\t\t%s (0x%04x) TLV", pr_tok_str(ctx, vlan_tlv_names, "Unknown", tt),
					  tt);
				if (len < tl * 2 + 2) {
					pr_puts(ctx, " (TLV goes past the end of the packet)");
					goto invalid;
				}
				NEED(t, tl * 2 + 2);
				if (tl != 1) {
					pr_printf(ctx, " [TLV length %u != 1]", tl);
					goto invalid;
				}
				v = RD_BE16(t + 2);
				switch (tt) {
				case 9: pr_printf(ctx, ", %u", v); break;
				case 6: pr_printf(ctx, ", %s (%u)", v == 1 ? "Enabled" : "Disabled", v); break;
				case 3:
					pr_printf(ctx, ", %s (%u)", pr_tok_str(ctx, stp_type_names, "Unknown", v), v);
					break;
				case 7: pr_printf(ctx, ", %s (%u)", v == 1 ? "SRB" : "SRT", v); break;
				case 10: pr_printf(ctx, ", %s (%u)", v == 1 ? "Backup" : "Not backup", v); break;
				default: pr_unknown_data(ctx, t, "\n\t\t  ", 2 + tl * 2); break;
				}
				len -= 2 + tl * 2;
				t += 2 + tl * 2;
			}
		}
		break;
	case VTP_REQUEST: pr_printf(ctx, "\n\tStart value: %u", RD_BE32(t)); break;
	default: break;
	}
	return;
invalid:
	pr_invalid(ctx);
check:
	NEED(pp, length);
}
