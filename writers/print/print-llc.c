/* IEEE 802.2 LLC and SNAP headers (what follows an 802.3 length field): the SAP and OUI/PID dispatch. */
#include "writers/print/print-int.h"

#define LLCSAP_STP 0x42
#define LLCSAP_SNAP 0xaa
#define LLC_UI 0x03
#define OUI_ENCAP_ETHER 0x000000
#define OUI_CISCO 0x00000c
#define OUI_CISCO_90 0x0000f8
#define PID_CISCO_CDP 0x2000
#define PID_CISCO_PVST 0x010b
#define PID_CISCO_VLANBRIDGE 0x010c
#define PID_CISCO_DTP 0x2004
#define PID_CISCO_VTP 0x2003
#define PID_CISCO_UDLD 0x0111

static const struct pr_tok llc_sap_names[] = {
	{ 0x00, "Null" },  { 0xff, "Global" },	{ 0x02, "802.1B I" },  { 0x03, "802.1B G" },
	{ 0x06, "IP" },	   { 0x04, "SNA" },	{ 0x0e, "ProWay NM" }, { 0x42, "STP" },
	{ 0x4e, "RS511" }, { 0x7e, "ISO8208" }, { 0x8e, "ProWay" },    { 0xaa, "SNAP" },
	{ 0xe0, "IPX" },   { 0xf0, "NetBeui" }, { 0xfe, "OSI" },       { 0, NULL },
};

static const struct pr_tok oui_names[] = {
	{ OUI_ENCAP_ETHER, "Ethernet" },   { OUI_CISCO, "Cisco" },
	{ OUI_CISCO_90, "Cisco bridged" }, { 0x0080c2, "IEEE 802.1" },
	{ 0x000f0f, "Juniper" },	   { 0x00120f, "IEEE 802.3" },
	{ 0x0000f8, "Cisco bridged" },	   { 0, NULL },
};

static const struct pr_tok cisco_pid_names[] = {
	{ 0x010b, "PVST" }, { PID_CISCO_CDP, "CDP" }, { 0x2003, "VTP" },	 { 0x2004, "DTP" }, { 0x0104, "PVST" },
	{ 0x0111, "UDLD" }, { 0x0102, "DRIP" },	      { 0x010c, "VLAN Bridge" }, { 0, NULL },
};

/* The -e part of an LLC header: "LLC, dsap STP (0x42) Individual, ssap ... ctrl 0x03: " (tcpdump's llc_print). */
static void llc_header_show(struct pctx *ctx, unsigned dsap, unsigned ssap, unsigned control, int is_u)
{
	pr_printf(ctx, "LLC, dsap %s (0x%02x) %s, ", pr_tok_str(ctx, llc_sap_names, "Unknown", dsap & 0xfe),
		  dsap & 0xfe, (dsap & 1) ? "Group" : "Individual");
	pr_printf(ctx, "ssap %s (0x%02x) %s", pr_tok_str(ctx, llc_sap_names, "Unknown", ssap & 0xfe), ssap & 0xfe,
		  (ssap & 1) ? "Response" : "Command");
	if (is_u)
		pr_printf(ctx, ", ctrl 0x%02x: ", control);
	else
		pr_printf(ctx, ", ctrl 0x%04x: ", control);
}

/* SNAP (RFC 1042): returns 1 when the payload was printed. */
/* Cisco SNAP protocols with a decoder here. */
static int cisco_pid_decoded(unsigned pid)
{
	return pid == PID_CISCO_CDP || pid == PID_CISCO_PVST || pid == PID_CISCO_VLANBRIDGE || pid == PID_CISCO_DTP ||
	       pid == PID_CISCO_VTP || pid == PID_CISCO_UDLD;
}

static int snap_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned oui = RD_BE24(p), pid = RD_BE16(p + 3);

	if (oui == OUI_CISCO && cisco_pid_decoded(pid)) {
		if (ctx->opts.link_header)
			pr_printf(ctx, "oui %s (0x%06x), pid %s (0x%04x), length %u: ",
				  pr_tok_str(ctx, oui_names, "Unknown", oui), oui,
				  pr_tok_str(ctx, cisco_pid_names, "Unknown", pid), pid, length - 5);
		if (pid == PID_CISCO_CDP)
			cdp_print(ctx, p + 5, length - 5);
		else if (pid == PID_CISCO_DTP)
			dtp_print(ctx, p + 5, length - 5);
		else if (pid == PID_CISCO_UDLD)
			udld_print(ctx, p + 5, length - 5);
		else if (pid == PID_CISCO_VTP)
			vtp_print(ctx, p + 5, length - 5);
		else /* Cisco PVST+ and VLAN-bridge BPDUs are STP BPDUs behind SNAP */
			stp_print(ctx, p + 5, length - 5);
		return 1;
	}
	if ((oui == OUI_ENCAP_ETHER || oui == OUI_CISCO_90) && (pid == 0x0800 || pid == 0x86dd || pid == 0x0806)) {
		if (ctx->opts.link_header) {
			const char *name = ethertype_name(pid);

			pr_printf(ctx, "oui %s (0x%06x), ethertype %s (0x%04x), length %u: ",
				  pr_tok_str(ctx, oui_names, "Unknown", oui), oui, name ? name : "Unknown", pid,
				  length - 5);
		}
		return ethertype_print(ctx, pid, p + 5, length - 5);
	}
	return 0;
}

int llc_print(struct pctx *ctx, const uint8_t *p, unsigned length)
{
	unsigned dsap, ssap, control;

	if (length < 3 || !HAVE(p, 3))
		return 0;
	dsap = RD_U8(p);
	ssap = RD_U8(p + 1);
	control = RD_U8(p + 2);
	if (control != LLC_UI)
		return 0;
	if (dsap == LLCSAP_STP && ssap == LLCSAP_STP) {
		if (ctx->opts.link_header)
			llc_header_show(ctx, dsap, ssap, control, 1);
		stp_print(ctx, p + 3, length - 3);
		return 3;
	}
	/* ISO 8802-2 OSI network layer: the NLPID follows the LLC header */
	if (dsap == 0xfe && ssap == 0xfe) {
		if (ctx->opts.link_header)
			llc_header_show(ctx, dsap, ssap, control, 1);
		isoclns_print(ctx, p + 3, length - 3);
		return 3;
	}
	if (dsap == LLCSAP_SNAP && ssap == LLCSAP_SNAP && length >= 8 && HAVE(p, 8)) {
		unsigned oui = RD_BE24(p + 3), pid = RD_BE16(p + 6);

		if (!(oui == OUI_CISCO && cisco_pid_decoded(pid)) &&
		    !((oui == OUI_ENCAP_ETHER || oui == OUI_CISCO_90) &&
		      (pid == 0x0800 || pid == 0x86dd || pid == 0x0806)))
			return 0;
		if (ctx->opts.link_header)
			llc_header_show(ctx, dsap, ssap, control, 1);
		snap_print(ctx, p + 3, length - 3);
		return 8;
	}
	return 0;
}
