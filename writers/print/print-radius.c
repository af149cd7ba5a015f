/* RADIUS (RFC 2865, 2866, 2868, 2869, 3162, 4675, 4818, 5176, 5447), UDP ports 1645/1646, 1812/1813, 1700, 3799. */
#include <string.h>
#include <time.h>

#include "writers/print/print-int.h"

#define RADIUS_HDR_LEN 20

static const struct pr_tok code_names[] = {
	{ 1, "Access-Request" },
	{ 2, "Access-Accept" },
	{ 3, "Access-Reject" },
	{ 4, "Accounting-Request" },
	{ 5, "Accounting-Response" },
	{ 11, "Access-Challenge" },
	{ 12, "Status-Server" },
	{ 13, "Status-Client" },
	{ 40, "Disconnect-Request" },
	{ 41, "Disconnect-ACK" },
	{ 42, "Disconnect-NAK" },
	{ 43, "CoA-Request" },
	{ 44, "CoA-ACK" },
	{ 45, "CoA-NAK" },
	{ 255, "Reserved" },
	{ 0, NULL },
};

/* How an attribute's value is shown. */
enum val_kind {
	V_NONE, /* name only (hex with -vv) */
	V_STR,	/* text up to the first NUL, '.' for unprintable bytes */
	V_NUM,	/* 32-bit integer, or a name from the attribute's value list */
	V_IP4,
	V_IP6,
	V_PFX6,	    /* RFC 3162 prefix: reserved, length, prefix bytes */
	V_TIME,	    /* seconds since 1970 */
	V_VENDOR,   /* RFC 2865 5.26 */
	V_ODD,	    /* ARAP and Error-Cause layouts */
	V_MIP6_FV,  /* RFC 5447 4.2.5: 64-bit capability flags */
	V_MIP6_HLP, /* RFC 5447 4.2.4: prefix length, then 16 address bytes */
	V_EAP,	    /* RFC 3579 3.1: an EAP packet or a fragment of one */
};

struct attr_def {
	const char *name;
	unsigned char kind;
	unsigned char first; /* value of vals[0] */
	unsigned char nvals;
	const char *const *vals;
};

static const char *const serv_type[] = { "Login",
					 "Framed",
					 "Callback Login",
					 "Callback Framed",
					 "Outbound",
					 "Administrative",
					 "NAS Prompt",
					 "Authenticate Only",
					 "Callback NAS Prompt",
					 "Call Check",
					 "Callback Administrative" };
static const char *const frm_proto[] = {
	"PPP", "SLIP", "ARAP", "Gandalf proprietary", "Xylogics IPX/SLIP", "X.75 Synchronous"
};
static const char *const frm_routing[] = { "None", "Send", "Listen", "Send&Listen" };
static const char *const frm_comp[] = { "None", "VJ TCP/IP", "IPX", "Stac-LZS" };
static const char *const login_serv[] = { "Telnet",   "Rlogin",	    "TCP Clear",  "PortMaster(proprietary)", "LAT",
					  "X.25-PAD", "X.25-T3POS", "Unassigned", "TCP Clear Quiet" };
static const char *const term_action[] = { "Default", "RADIUS-Request" };
static const char *const ingress_filters[] = { "Enabled", "Disabled" };
static const char *const nas_port_type[] = { "Async",
					     "Sync",
					     "ISDN Sync",
					     "ISDN Async V.120",
					     "ISDN Async V.110",
					     "Virtual",
					     "PIAFS",
					     "HDLC Clear Channel",
					     "X.25",
					     "X.75",
					     "G.3 Fax",
					     "SDSL",
					     "ADSL-CAP",
					     "ADSL-DMT",
					     "ISDN-DSL",
					     "Ethernet",
					     "xDSL",
					     "Cable",
					     "Wireless - Other",
					     "Wireless - IEEE 802.11" };
static const char *const acct_status[] = { "Start",
					   "Stop",
					   "Interim-Update",
					   "Unassigned",
					   "Unassigned",
					   "Unassigned",
					   "Accounting-On",
					   "Accounting-Off",
					   "Tunnel-Start",
					   "Tunnel-Stop",
					   "Tunnel-Reject",
					   "Tunnel-Link-Start",
					   "Tunnel-Link-Stop",
					   "Tunnel-Link-Reject",
					   "Failed" };
static const char *const acct_auth[] = { "RADIUS", "Local", "Remote" };
static const char *const acct_term[] = { "User Request",    "Lost Carrier",   "Lost Service",	     "Idle Timeout",
					 "Session Timeout", "Admin Reset",    "Admin Reboot",	     "Port Error",
					 "NAS Error",	    "NAS Request",    "NAS Reboot",	     "Port Unneeded",
					 "Port Preempted",  "Port Suspended", "Service Unavailable", "Callback",
					 "User Error",	    "Host Request" };
static const char *const tunnel_type[] = { "PPTP",  "L2F",	 "L2TP", "ATMP", "VTP", "AH",
					   "IP-IP", "MIN-IP-IP", "ESP",	 "GRE",	 "DVS", "IP-in-IP Tunneling",
					   "VLAN" };
static const char *const tunnel_medium[] = { "IPv4",	  "IPv6",	  "NSAP",
					     "HDLC",	  "BBN 1822",	  "802",
					     "E.163",	  "E.164",	  "F.69",
					     "X.121",	  "IPX",	  "Appletalk",
					     "Decnet IV", "Banyan Vines", "E.164 with NSAP subaddress" };
static const char *const arap_zone[] = { "Only access to dfl zone", "Use zone filter inc.", "Not used",
					 "Use zone filter exc." };
static const char *const prompt[] = { "No Echo", "Echo" };

#define LIST(first, a) first, (unsigned char)(sizeof(a) / sizeof((a)[0])), a

/* IANA RADIUS attribute types, 1..125. */
static const struct attr_def attrs[] = {
	[1] = { "User-Name", V_STR, 0, 0, NULL },
	[2] = { "User-Password", V_NONE, 0, 0, NULL },
	[3] = { "CHAP-Password", V_NONE, 0, 0, NULL },
	[4] = { "NAS-IP-Address", V_IP4, 0, 0, NULL },
	[5] = { "NAS-Port", V_NUM, 0, 0, NULL },
	[6] = { "Service-Type", V_NUM, LIST(1, serv_type) },
	[7] = { "Framed-Protocol", V_NUM, LIST(1, frm_proto) },
	[8] = { "Framed-IP-Address", V_IP4, 0, 0, NULL },
	[9] = { "Framed-IP-Netmask", V_IP4, 0, 0, NULL },
	[10] = { "Framed-Routing", V_NUM, LIST(0, frm_routing) },
	[11] = { "Filter-Id", V_STR, 0, 0, NULL },
	[12] = { "Framed-MTU", V_NUM, 0, 0, NULL },
	[13] = { "Framed-Compression", V_NUM, LIST(0, frm_comp) },
	[14] = { "Login-IP-Host", V_IP4, 0, 0, NULL },
	[15] = { "Login-Service", V_NUM, LIST(0, login_serv) },
	[16] = { "Login-TCP-Port", V_NUM, 0, 0, NULL },
	[17] = { "Unassigned", V_NONE, 0, 0, NULL },
	[18] = { "Reply-Message", V_STR, 0, 0, NULL },
	[19] = { "Callback-Number", V_STR, 0, 0, NULL },
	[20] = { "Callback-Id", V_STR, 0, 0, NULL },
	[21] = { "Unassigned", V_NONE, 0, 0, NULL },
	[22] = { "Framed-Route", V_STR, 0, 0, NULL },
	[23] = { "Framed-IPX-Network", V_NUM, 0, 0, NULL },
	[24] = { "State", V_STR, 0, 0, NULL },
	[25] = { "Class", V_STR, 0, 0, NULL },
	[26] = { "Vendor-Specific", V_VENDOR, 0, 0, NULL },
	[27] = { "Session-Timeout", V_NUM, 0, 0, NULL },
	[28] = { "Idle-Timeout", V_NUM, 0, 0, NULL },
	[29] = { "Termination-Action", V_NUM, LIST(0, term_action) },
	[30] = { "Called-Station-Id", V_STR, 0, 0, NULL },
	[31] = { "Calling-Station-Id", V_STR, 0, 0, NULL },
	[32] = { "NAS-Identifier", V_STR, 0, 0, NULL },
	[33] = { "Proxy-State", V_STR, 0, 0, NULL },
	[34] = { "Login-LAT-Service", V_STR, 0, 0, NULL },
	[35] = { "Login-LAT-Node", V_STR, 0, 0, NULL },
	[36] = { "Login-LAT-Group", V_STR, 0, 0, NULL },
	[37] = { "Framed-AppleTalk-Link", V_NUM, 0, 0, NULL },
	[38] = { "Framed-AppleTalk-Network", V_NUM, 0, 0, NULL },
	[39] = { "Framed-AppleTalk-Zone", V_STR, 0, 0, NULL },
	[40] = { "Acct-Status-Type", V_NUM, LIST(1, acct_status) },
	[41] = { "Acct-Delay-Time", V_NUM, 0, 0, NULL },
	[42] = { "Acct-Input-Octets", V_NUM, 0, 0, NULL },
	[43] = { "Acct-Output-Octets", V_NUM, 0, 0, NULL },
	[44] = { "Acct-Session-Id", V_STR, 0, 0, NULL },
	[45] = { "Acct-Authentic", V_NUM, LIST(1, acct_auth) },
	[46] = { "Acct-Session-Time", V_NUM, 0, 0, NULL },
	[47] = { "Acct-Input-Packets", V_NUM, 0, 0, NULL },
	[48] = { "Acct-Output-Packets", V_NUM, 0, 0, NULL },
	[49] = { "Acct-Terminate-Cause", V_NUM, LIST(1, acct_term) },
	[50] = { "Acct-Multi-Session-Id", V_STR, 0, 0, NULL },
	[51] = { "Acct-Link-Count", V_NUM, 0, 0, NULL },
	[52] = { "Acct-Input-Gigawords", V_NUM, 0, 0, NULL },
	[53] = { "Acct-Output-Gigawords", V_NUM, 0, 0, NULL },
	[54] = { "Unassigned", V_NONE, 0, 0, NULL },
	[55] = { "Event-Timestamp", V_TIME, 0, 0, NULL },
	[56] = { "Egress-VLANID", V_NUM, 0, 0, NULL },
	[57] = { "Ingress-Filters", V_NUM, LIST(1, ingress_filters) },
	[58] = { "Egress-VLAN-Name", V_STR, 0, 0, NULL },
	[59] = { "User-Priority-Table", V_NONE, 0, 0, NULL },
	[60] = { "CHAP-Challenge", V_STR, 0, 0, NULL },
	[61] = { "NAS-Port-Type", V_NUM, LIST(0, nas_port_type) },
	[62] = { "Port-Limit", V_NUM, 0, 0, NULL },
	[63] = { "Login-LAT-Port", V_STR, 0, 0, NULL },
	[64] = { "Tunnel-Type", V_NUM, LIST(1, tunnel_type) },
	[65] = { "Tunnel-Medium-Type", V_NUM, LIST(1, tunnel_medium) },
	[66] = { "Tunnel-Client-Endpoint", V_STR, 0, 0, NULL },
	[67] = { "Tunnel-Server-Endpoint", V_STR, 0, 0, NULL },
	[68] = { "Acct-Tunnel-Connection", V_STR, 0, 0, NULL },
	[69] = { "Tunnel-Password", V_STR, 0, 0, NULL },
	[70] = { "ARAP-Password", V_ODD, 0, 0, NULL },
	[71] = { "ARAP-Features", V_ODD, 0, 0, NULL },
	[72] = { "ARAP-Zone-Access", V_NUM, LIST(1, arap_zone) },
	[73] = { "ARAP-Security", V_STR, 0, 0, NULL },
	[74] = { "ARAP-Security-Data", V_STR, 0, 0, NULL },
	[75] = { "Password-Retry", V_NUM, 0, 0, NULL },
	[76] = { "Prompt", V_NUM, LIST(0, prompt) },
	[77] = { "Connect-Info", V_STR, 0, 0, NULL },
	[78] = { "Configuration-Token", V_STR, 0, 0, NULL },
	[79] = { "EAP-Message", V_EAP, 0, 0, NULL },
	[80] = { "Message-Authenticator", V_STR, 0, 0, NULL },
	[81] = { "Tunnel-Private-Group-ID", V_STR, 0, 0, NULL },
	[82] = { "Tunnel-Assignment-ID", V_STR, 0, 0, NULL },
	[83] = { "Tunnel-Preference", V_NUM, 0, 0, NULL },
	[84] = { "ARAP-Challenge-Response", V_ODD, 0, 0, NULL },
	[85] = { "Acct-Interim-Interval", V_NUM, 0, 0, NULL },
	[86] = { "Acct-Tunnel-Packets-Lost", V_NUM, 0, 0, NULL },
	[87] = { "NAS-Port-Id", V_STR, 0, 0, NULL },
	[88] = { "Framed-Pool", V_STR, 0, 0, NULL },
	[89] = { "CUI", V_STR, 0, 0, NULL },
	[90] = { "Tunnel-Client-Auth-ID", V_STR, 0, 0, NULL },
	[91] = { "Tunnel-Server-Auth-ID", V_STR, 0, 0, NULL },
	[92] = { "NAS-Filter-Rule", V_STR, 0, 0, NULL },
	[93] = { "Unassigned", V_NONE, 0, 0, NULL },
	[94] = { "Originating-Line-Info", V_NONE, 0, 0, NULL },
	[95] = { "NAS-IPv6-Address", V_IP6, 0, 0, NULL },
	[96] = { "Framed-Interface-ID", V_NONE, 0, 0, NULL },
	[97] = { "Framed-IPv6-Prefix", V_PFX6, 0, 0, NULL },
	[98] = { "Login-IPv6-Host", V_IP6, 0, 0, NULL },
	[99] = { "Framed-IPv6-Route", V_STR, 0, 0, NULL },
	[100] = { "Framed-IPv6-Pool", V_STR, 0, 0, NULL },
	[101] = { "Error-Cause", V_ODD, 0, 0, NULL },
	[102] = { "EAP-Key-Name", V_NONE, 0, 0, NULL },
	[103] = { "Digest-Response", V_STR, 0, 0, NULL },
	[104] = { "Digest-Realm", V_STR, 0, 0, NULL },
	[105] = { "Digest-Nonce", V_STR, 0, 0, NULL },
	[106] = { "Digest-Response-Auth", V_STR, 0, 0, NULL },
	[107] = { "Digest-Nextnonce", V_STR, 0, 0, NULL },
	[108] = { "Digest-Method", V_STR, 0, 0, NULL },
	[109] = { "Digest-URI", V_STR, 0, 0, NULL },
	[110] = { "Digest-Qop", V_STR, 0, 0, NULL },
	[111] = { "Digest-Algorithm", V_STR, 0, 0, NULL },
	[112] = { "Digest-Entity-Body-Hash", V_STR, 0, 0, NULL },
	[113] = { "Digest-CNonce", V_STR, 0, 0, NULL },
	[114] = { "Digest-Nonce-Count", V_STR, 0, 0, NULL },
	[115] = { "Digest-Username", V_STR, 0, 0, NULL },
	[116] = { "Digest-Opaque", V_STR, 0, 0, NULL },
	[117] = { "Digest-Auth-Param", V_STR, 0, 0, NULL },
	[118] = { "Digest-AKA-Auts", V_STR, 0, 0, NULL },
	[119] = { "Digest-Domain", V_STR, 0, 0, NULL },
	[120] = { "Digest-Stale", V_STR, 0, 0, NULL },
	[121] = { "Digest-HA1", V_STR, 0, 0, NULL },
	[122] = { "SIP-AOR", V_STR, 0, 0, NULL },
	[123] = { "Delegated-IPv6-Prefix", V_PFX6, 0, 0, NULL },
	[124] = { "MIP6-Feature-Vector", V_MIP6_FV, 0, 0, NULL },
	[125] = { "MIP6-Home-Link-Prefix", V_MIP6_HLP, 0, 0, NULL },
};
#define N_ATTRS (sizeof(attrs) / sizeof(attrs[0]))

enum {
	A_FRM_IPADDR = 8,
	A_LOG_IPHOST = 14,
	A_FRM_IPX = 23,
	A_SESSION_TIMEOUT = 27,
	A_IDLE_TIMEOUT = 28,
	A_FRM_ATALK_LINK = 37,
	A_FRM_ATALK_NETWORK = 38,
	A_ACCT_DELAY = 41,
	A_ACCT_SESSION_TIME = 46,
	A_EGRESS_VLAN_ID = 56,
	A_EGRESS_VLAN_NAME = 58,
	A_TUNNEL_TYPE = 64,
	A_TUNNEL_MEDIUM = 65,
	A_TUNNEL_CLIENT_END = 66,
	A_TUNNEL_SERVER_END = 67,
	A_TUNNEL_PASS = 69,
	A_ARAP_PASS = 70,
	A_ARAP_FEATURES = 71,
	A_TUNNEL_PRIV_GROUP = 81,
	A_TUNNEL_ASSIGN_ID = 82,
	A_TUNNEL_PREFERENCE = 83,
	A_ARAP_CHALLENGE_RESP = 84,
	A_ACCT_INT_INTERVAL = 85,
	A_TUNNEL_CLIENT_AUTH = 90,
	A_TUNNEL_SERVER_AUTH = 91,
	A_ERROR_CAUSE = 101,
};

/* RFC 4675 2.1: the tag byte of Egress-VLANID and Egress-VLAN-Name. */
static const struct pr_tok vlan_tag_names[] = { { 0x31, "Tagged" }, { 0x32, "Untagged" }, { 0, NULL } };

/* RFC 5176 3.5 */
static const struct pr_tok error_cause_names[] = {
	{ 201, "Residual Session Context Removed" },
	{ 202, "Invalid EAP Packet (Ignored)" },
	{ 401, "Unsupported Attribute" },
	{ 402, "Missing Attribute" },
	{ 403, "NAS Identification Mismatch" },
	{ 404, "Invalid Request" },
	{ 405, "Unsupported Service" },
	{ 406, "Unsupported Extension" },
	{ 407, "Invalid Attribute Value" },
	{ 501, "Administratively Prohibited" },
	{ 502, "Request Not Routable (Proxy)" },
	{ 503, "Session Context Not Found" },
	{ 504, "Session Context Not Removable" },
	{ 505, "Other Proxy Processing Error" },
	{ 506, "Resources Unavailable" },
	{ 507, "Request Initiated" },
	{ 508, "Multiple Session Selection Unsupported" },
	{ 509, "Location Info Required" },
	{ 0, NULL },
};

/* RFC 5447 4.2.5, RFC 5779 5.5 and IANA's later capability bits, lowest first. */
static const struct {
	uint64_t bit;
	const char *name;
} mip6_features[] = {
	{ 0x0000000000000001ULL, "MIP6_INTEGRATED" },
	{ 0x0000000000000002ULL, "LOCAL_HOME_AGENT_ASSIGNMENT" },
	{ 0x0000010000000000ULL, "PMIP6_SUPPORTED" },
	{ 0x0000020000000000ULL, "IP4_HOA_SUPPORTED" },
	{ 0x0000040000000000ULL, "LOCAL_MAG_ROUTING_SUPPORTED" },
	{ 0x0000080000000000ULL, "ASSIGN_LOCAL_IP" },
	{ 0x0000100000000000ULL, "MIP4_SUPPORTED" },
	{ 0x0000200000000000ULL, "OPTIMIZED_IDLE_MODE_MOBILITY" },
	{ 0x0000400000000000ULL, "GTPv2_SUPPORTED" },
	{ 0x0000800000000000ULL, "IP4_TRANSPORT_SUPPORTED" },
	{ 0x0001000000000000ULL, "IP4_HOA_ONLY_SUPPORTED" },
	{ 0x0002000000000000ULL, "INTER_MAG_ROUTING_SUPPORTED" },
};

static void print_chars(struct pctx *ctx, const uint8_t *p, unsigned n, int stop_at_nul)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		uint8_t c = RD_U8(p + i);

		if (stop_at_nul && c == 0)
			break;
		pr_putc(ctx, c >= 0x20 && c < 0x7f ? c : '.');
	}
}

static void print_hex_upper(struct pctx *ctx, const uint8_t *p, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		pr_printf(ctx, "%02X", RD_U8(p + i));
}

static void attr_string(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned type)
{
	NEED(p, len);
	switch (type) {
	case A_TUNNEL_PASS:
		/* RFC 2868 3.5: tag, salt, then the encrypted string */
		if (len < 3) {
			pr_trunc_mark(ctx);
			return;
		}
		if (RD_U8(p) && RD_U8(p) <= 0x1f)
			pr_printf(ctx, "Tag[%u] ", RD_U8(p));
		else
			pr_puts(ctx, "Tag[Unused] ");
		pr_printf(ctx, "Salt %u ", RD_BE16(p + 1));
		p += 3;
		len -= 3;
		break;
	case A_TUNNEL_CLIENT_END:
	case A_TUNNEL_SERVER_END:
	case A_TUNNEL_PRIV_GROUP:
	case A_TUNNEL_ASSIGN_ID:
	case A_TUNNEL_CLIENT_AUTH:
	case A_TUNNEL_SERVER_AUTH:
		/* RFC 2868: an optional tag byte (0x01-0x1f) before the text */
		if (RD_U8(p) <= 0x1f) {
			if (RD_U8(p))
				pr_printf(ctx, "Tag[%u] ", RD_U8(p));
			else
				pr_puts(ctx, "Tag[Unused] ");
			p++;
			len--;
		}
		break;
	case A_EGRESS_VLAN_NAME:
		pr_printf(ctx, "%s (0x%02x) ", pr_tok_str(ctx, vlan_tag_names, "Unknown tag", RD_U8(p)), RD_U8(p));
		p++;
		len--;
		break;
	}
	print_chars(ctx, p, len, 1);
}

static void attr_num(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned type)
{
	const struct attr_def *d = &attrs[type];
	uint32_t v;

	if (len != 4) {
		pr_printf(ctx, "ERROR: length %u != 4", len);
		return;
	}
	NEED(p, 4);
	if (d->nvals) {
		if (type == A_TUNNEL_TYPE || type == A_TUNNEL_MEDIUM) {
			/* RFC 2868 3.1/3.2: a tag byte, then a 24-bit value */
			if (RD_U8(p))
				pr_printf(ctx, "Tag[%u] ", RD_U8(p));
			else
				pr_puts(ctx, "Tag[Unused] ");
			v = RD_BE24(p + 1);
		} else {
			v = RD_BE32(p);
		}
		if (v >= d->first && v - d->first < d->nvals)
			pr_puts(ctx, d->vals[v - d->first]);
		else
			pr_printf(ctx, "#%u", v);
		return;
	}
	v = RD_BE32(p);
	switch (type) {
	case A_FRM_IPX:
		if (v == 0xfffffffe)
			pr_puts(ctx, "NAS Select");
		else
			pr_printf(ctx, "%u", v);
		break;
	case A_SESSION_TIMEOUT:
	case A_IDLE_TIMEOUT:
	case A_ACCT_DELAY:
	case A_ACCT_SESSION_TIME:
	case A_ACCT_INT_INTERVAL:
		if (v < 60)
			pr_printf(ctx, "%02u secs", v);
		else if (v < 3600)
			pr_printf(ctx, "%02u:%02u min", v / 60, v % 60);
		else
			pr_printf(ctx, "%02u:%02u:%02u hours", v / 3600, (v % 3600) / 60, v % 60);
		break;
	case A_FRM_ATALK_LINK:
		if (v)
			pr_printf(ctx, "%u", v);
		else
			pr_puts(ctx, "Unnumbered");
		break;
	case A_FRM_ATALK_NETWORK:
		if (v)
			pr_printf(ctx, "%u", v);
		else
			pr_puts(ctx, "NAS assigned");
		break;
	case A_TUNNEL_PREFERENCE:
		if (RD_U8(p))
			pr_printf(ctx, "Tag[%u] ", RD_U8(p));
		else
			pr_puts(ctx, "Tag[Unused] ");
		pr_printf(ctx, "%u", RD_BE24(p + 1));
		break;
	case A_EGRESS_VLAN_ID:
		pr_printf(ctx, "%s (0x%02x) ", pr_tok_str(ctx, vlan_tag_names, "Unknown tag", RD_U8(p)), RD_U8(p));
		pr_printf(ctx, "%u", RD_BE24(p + 1));
		break;
	default: pr_printf(ctx, "%u", v); break;
	}
}

static void attr_ip4(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned type)
{
	uint32_t v;

	if (len != 4) {
		pr_printf(ctx, "ERROR: length %u != 4", len);
		return;
	}
	v = RD_BE32(p);
	if ((type == A_FRM_IPADDR || type == A_LOG_IPHOST) && v == 0xffffffff)
		pr_puts(ctx, "User Selected");
	else if ((type == A_FRM_IPADDR || type == A_LOG_IPHOST) && v == 0xfffffffe)
		pr_puts(ctx, "NAS Select");
	else
		pr_puts(ctx, RD_IPV4(p));
}

/* An IPv6 prefix of plen bits whose significant bytes are n bytes at p. */
static void print_prefix6(struct pctx *ctx, const uint8_t *p, unsigned n, unsigned plen)
{
	uint8_t a[16];

	memset(a, 0, sizeof(a));
	NEED(p, n);
	memcpy(a, p, n > 16 ? 16 : n);
	pr_printf(ctx, "%s/%u", pr_ipv6_copy(ctx, a), plen);
}

static void attr_pfx6(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned plen;

	if (len < 2 || len > 18) {
		pr_printf(ctx, "ERROR: length %u not in range (2..18)", len);
		return;
	}
	NEED(p, len);
	plen = RD_U8(p + 1);
	if (plen > 128) {
		pr_printf(ctx, "ERROR: netmask %u not in range (0..128)", plen);
		return;
	}
	print_prefix6(ctx, p + 2, len - 2, plen);
	if (plen > 8 * (len - 2))
		pr_puts(ctx, " (inconsistent prefix length)");
}

static void attr_time(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	time_t t;
	struct tm tm;
	char buf[64];

	if (len != 4) {
		pr_printf(ctx, "ERROR: length %u != 4", len);
		return;
	}
	t = (time_t)RD_BE32(p);
	/* ctime()'s layout, without its newline */
	if (localtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &tm))
		pr_puts(ctx, buf);
}

static void attr_odd(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned type)
{
	switch (type) {
	case A_ARAP_PASS:
		if (len != 16) {
			pr_printf(ctx, "ERROR: length %u != 16", len);
			return;
		}
		pr_puts(ctx, "User_challenge (");
		print_hex_upper(ctx, p, 8);
		pr_puts(ctx, ") User_resp(");
		print_hex_upper(ctx, p + 8, 8);
		pr_putc(ctx, ')');
		break;
	case A_ARAP_FEATURES:
		if (len != 14) {
			pr_printf(ctx, "ERROR: length %u != 14", len);
			return;
		}
		pr_puts(ctx, RD_U8(p) ? "User can change password" : "User cannot change password");
		pr_printf(ctx, ", Min password length: %u", RD_U8(p + 1));
		pr_puts(ctx, ", created at: ");
		print_hex_upper(ctx, p + 2, 4);
		pr_puts(ctx, ", expires in: ");
		print_hex_upper(ctx, p + 6, 4);
		pr_puts(ctx, ", Current Time: ");
		print_hex_upper(ctx, p + 10, 4);
		break;
	case A_ARAP_CHALLENGE_RESP:
		if (len < 8) {
			pr_printf(ctx, "ERROR: length %u != 8", len);
			return;
		}
		print_hex_upper(ctx, p, 8);
		break;
	case A_ERROR_CAUSE: {
		uint32_t v;
		const char *s;

		if (len != 4) {
			pr_printf(ctx, "Error: length %u != 4", len);
			return;
		}
		v = RD_BE32(p);
		s = pr_tok_find(error_cause_names, v);
		if (s)
			pr_printf(ctx, "Error cause %u: %s", v, s);
		else
			pr_printf(ctx, "Error cause %u: Error-Cause %u not known", v, v);
		break;
	}
	}
}

/* RFC 2865 5.26: vendor id, then vendor type/length/value triples shown as text. */
static void attr_vendor(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned vid, vtype, vlen;

	if (len < 4) {
		pr_trunc_mark(ctx);
		return;
	}
	vid = RD_BE32(p);
	p += 4;
	len -= 4;
	pr_printf(ctx, "Vendor: %s (%u)", pr_smi_vendor(vid), vid);
	while (len >= 2) {
		vtype = RD_U8(p);
		vlen = RD_U8(p + 1);
		if (vlen < 2) {
			pr_printf(ctx, "\n\t    Vendor Attribute: %u, Length: %u (bogus, must be >= 2)", vtype, vlen);
			return;
		}
		if (vlen > len) {
			pr_printf(ctx,
				  "\n\t    Vendor Attribute: %u, Length: %u (bogus, goes past end of vendor-specific "
				  "attribute)",
				  vtype, vlen);
			return;
		}
		p += 2;
		vlen -= 2;
		len -= 2;
		NEED(p, vlen);
		pr_printf(ctx, "\n\t    Vendor Attribute: %u, Length: %u, Value: ", vtype, vlen);
		print_chars(ctx, p, vlen, 0);
		p += vlen;
		len -= vlen;
	}
}

static void attr_mip6_fv(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	uint64_t v;
	unsigned i, n = 0;

	if (len != 8) {
		pr_printf(ctx, "ERROR: length %u != 8", len);
		return;
	}
	v = RD_BE64(p);
	pr_putc(ctx, '[');
	for (i = 0; i < sizeof(mip6_features) / sizeof(mip6_features[0]); i++)
		if (v & mip6_features[i].bit)
			pr_printf(ctx, "%s%s", n++ ? ", " : "", mip6_features[i].name);
	if (!n)
		pr_puts(ctx, "none");
	pr_putc(ctx, ']');
}

static void attr_mip6_hlp(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned plen;

	if (len != 17) {
		pr_printf(ctx, "ERROR: length %u != 17", len);
		return;
	}
	plen = RD_U8(p);
	if (plen > 128) {
		pr_printf(ctx, "ERROR: netmask %u not in range (0..128)", plen);
		return;
	}
	print_prefix6(ctx, p + 1, 16, plen);
}

static void attrs_print(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	while (len > 0) {
		unsigned type, alen;
		const char *name;

		if (len < 2) {
			pr_trunc_mark(ctx);
			return;
		}
		type = RD_U8(p);
		alen = RD_U8(p + 1);
		name = type > 0 && type < N_ATTRS && attrs[type].name ? attrs[type].name : "Unknown";
		if (alen < 2) {
			pr_printf(ctx, "\n\t  %s Attribute (%u), length: %u (bogus, must be >= 2)", name, type, alen);
			return;
		}
		if (alen > len) {
			pr_printf(ctx, "\n\t  %s Attribute (%u), length: %u (bogus, goes past end of packet)", name,
				  type, alen);
			return;
		}
		pr_printf(ctx, "\n\t  %s Attribute (%u), length: %u, Value: ", name, type, alen);
		if (type < N_ATTRS && alen > 2) {
			const uint8_t *v = p + 2;
			unsigned vlen = alen - 2;

			switch (attrs[type].kind) {
			case V_STR: attr_string(ctx, v, vlen, type); break;
			case V_NUM: attr_num(ctx, v, vlen, type); break;
			case V_IP4: attr_ip4(ctx, v, vlen, type); break;
			case V_IP6:
				if (vlen != 16)
					pr_printf(ctx, "ERROR: length %u != 16", vlen);
				else
					pr_puts(ctx, RD_IPV6(v));
				break;
			case V_PFX6: attr_pfx6(ctx, v, vlen); break;
			case V_TIME: attr_time(ctx, v, vlen); break;
			case V_VENDOR: attr_vendor(ctx, v, vlen); break;
			case V_ODD: attr_odd(ctx, v, vlen, type); break;
			case V_MIP6_FV: attr_mip6_fv(ctx, v, vlen); break;
			case V_MIP6_HLP: attr_mip6_hlp(ctx, v, vlen); break;
			case V_EAP:
				eap_print(ctx, v, vlen);
				PR_PROTO(ctx, "radius");
				break;
			default: break;
			}
		}
		if (ctx->opts.verbose > 1)
			pr_unknown_data(ctx, p + 2, "\n\t    ", alen - 2);
		p += alen;
		len -= alen;
	}
}

void radius_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned code, len, i;

	PR_PROTO(ctx, "radius");
	NEED(bp, RADIUS_HDR_LEN);
	len = RD_BE16(bp + 2);
	if (len < RADIUS_HDR_LEN) {
		pr_trunc_mark(ctx);
		return;
	}
	if (len > length)
		len = length;
	code = RD_U8(bp);
	if (!ctx->opts.verbose) {
		pr_printf(ctx, "RADIUS, %s (%u), id: 0x%02x length: %u",
			  pr_tok_str(ctx, code_names, "Unknown Command", code), code, RD_U8(bp + 1), len);
		return;
	}
	pr_printf(ctx, "RADIUS, length: %u\n\t%s (%u), id: 0x%02x, Authenticator: ", len,
		  pr_tok_str(ctx, code_names, "Unknown Command", code), code, RD_U8(bp + 1));
	for (i = 0; i < 16; i++)
		pr_printf(ctx, "%02x", RD_U8(bp + 4 + i));
	if (len > RADIUS_HDR_LEN)
		attrs_print(ctx, bp + RADIUS_HDR_LEN, len - RADIUS_HDR_LEN);
}
