/* OSPF version 2 (RFC 2328) with opaque LSAs: traffic engineering (RFC 3630, RFC 4203), graceful restart (RFC 3623), router information (RFC 7770), LLS (RFC 5613); IP protocol 89. */
#include "writers/print/print-gmpls.h"
#include "writers/print/print-int.h"

#define OSPF_HDR_LEN 24
#define LSA_HDR_LEN 20

enum { T_HELLO = 1, T_DD = 2, T_LS_REQ = 3, T_LS_UPDATE = 4, T_LS_ACK = 5 };

static const struct pr_tok type_names[] = {
	{ T_HELLO, "Hello" },	      { T_DD, "Database Description" }, { T_LS_REQ, "LS-Request" },
	{ T_LS_UPDATE, "LS-Update" }, { T_LS_ACK, "LS-Ack" },		{ 0, NULL },
};

static const struct pr_tok auth_names[] = { { 0, "none" }, { 1, "simple" }, { 2, "MD5" }, { 0, NULL } };

#define OPT_L 0x10

static const struct pr_tok option_names[] = {
	{ 0x01, "MultiTopology" },  { 0x02, "External" }, { 0x04, "Multicast" }, { 0x08, "NSSA" }, { OPT_L, "LLS" },
	{ 0x20, "Demand Circuit" }, { 0x40, "Opaque" },	  { 0x80, "Up/Down" },	 { 0, NULL },
};

static const struct pr_tok dd_flag_names[] = {
	{ 0x04, "Init" }, { 0x02, "More" }, { 0x01, "Master" }, { 0x08, "OOBResync" }, { 0, NULL }
};

static const struct pr_tok rla_flag_names[] = {
	{ 0x01, "ABR" }, { 0x02, "ASBR" }, { 0x04, "Virtual" }, { 0x08, "Wildcard" }, { 0, NULL }
};

enum {
	LS_ROUTER = 1,
	LS_NETWORK = 2,
	LS_SUM_IP = 3,
	LS_SUM_ABR = 4,
	LS_ASE = 5,
	LS_GROUP = 6,
	LS_NSSA = 7,
	LS_OPAQUE_LL = 9,
	LS_OPAQUE_AL = 10,
	LS_OPAQUE_DW = 11,
};

static const struct pr_tok lsa_names[] = {
	{ LS_ROUTER, "Router" },
	{ LS_NETWORK, "Network" },
	{ LS_SUM_IP, "Summary" },
	{ LS_SUM_ABR, "ASBR Summary" },
	{ LS_ASE, "External" },
	{ LS_GROUP, "Multicast Group" },
	{ LS_NSSA, "NSSA" },
	{ LS_OPAQUE_LL, "Link Local Opaque" },
	{ LS_OPAQUE_AL, "Area Local Opaque" },
	{ LS_OPAQUE_DW, "Domain Wide Opaque" },
	{ 0, NULL },
};

enum { OPQ_TE = 1, OPQ_GRACE = 3, OPQ_RI = 4 };

static const struct pr_tok opaque_names[] = {
	{ OPQ_TE, "Traffic Engineering" },
	{ OPQ_GRACE, "Graceful restart" },
	{ OPQ_RI, "Router Information" },
	{ 0, NULL },
};

static const struct pr_tok topology_names[] = {
	{ 0, "default" }, { 1, "multicast" }, { 2, "management" }, { 0, NULL }
};

static const struct pr_tok te_tlv_names[] = { { 1, "Router Address" }, { 2, "Link" }, { 0, NULL } };

static const struct pr_tok te_subtlv_names[] = {
	{ 1, "Link Type" },
	{ 2, "Link ID" },
	{ 3, "Local Interface IP address" },
	{ 4, "Remote Interface IP address" },
	{ 5, "Traffic Engineering Metric" },
	{ 6, "Maximum Bandwidth" },
	{ 7, "Maximum Reservable Bandwidth" },
	{ 8, "Unreserved Bandwidth" },
	{ 9, "Administrative Group" },
	{ 11, "Link Local/Remote Identifier" },
	{ 14, "Link Protection Type" },
	{ 15, "Interface Switching Capability" },
	{ 16, "Shared Risk Link Group" },
	{ 17, "Bandwidth Constraints" },
	{ 0, NULL },
};

static const struct pr_tok link_type_names[] = { { 1, "Point-to-point" }, { 2, "Multi-Access" }, { 0, NULL } };

static const struct pr_tok grace_tlv_names[] = {
	{ 1, "Grace Period" }, { 2, "Graceful restart Reason" }, { 3, "IPv4 interface address" }, { 0, NULL }
};

static const struct pr_tok grace_reason_names[] = {
	{ 0, "Unknown" },
	{ 1, "Software Restart" },
	{ 2, "Software Reload/Upgrade" },
	{ 3, "Control Processor Switch" },
	{ 0, NULL },
};

static const struct pr_tok ri_tlv_names[] = { { 1, "Router Capabilities" }, { 0, NULL } };

/* tcpdump numbers the RFC 7770 capability bits from the least significant end */
static const struct pr_tok ri_cap_names[] = {
	{ 0x00000001, "OSPF graceful restart capable" },
	{ 0x00000002, "OSPF graceful restart helper" },
	{ 0x00000004, "OSPF Stub Router support" },
	{ 0x00000008, "OSPF Traffic Engineering support" },
	{ 0x00000010, "OSPF point-to-point over LAN" },
	{ 0x00000020, "OSPF Experimental TE" },
	{ 0, NULL },
};

static const struct pr_tok lls_tlv_names[] = { { 1, "Extended Options" },
					       { 2, "Cryptographic Authentication" },
					       { 0, NULL } };
static const struct pr_tok lls_eo_names[] = { { 0x00000001, "LSDB resync" }, { 0x00000002, "Restart" }, { 0, NULL } };

/* An LSA header; returns the LSA length, or -1 when it is shorter than the header. */
static int lshdr_print(struct pctx *ctx, const uint8_t *h)
{
	unsigned len = RD_BE16(h + 18), type;

	if (len < LSA_HDR_LEN) {
		pr_printf(ctx, "\n\t    Bogus length %u < header (%u)", len, LSA_HDR_LEN);
		return -1;
	}
	pr_printf(ctx, "\n\t  Advertising Router %s, seq 0x%08x, age %us, length %u", RD_IPV4(h + 8), RD_BE32(h + 12),
		  RD_BE16(h), len - LSA_HDR_LEN);
	type = RD_U8(h + 3);
	switch (type) {
	case LS_OPAQUE_LL:
	case LS_OPAQUE_AL:
	case LS_OPAQUE_DW:
		pr_printf(ctx, "\n\t    %s LSA (%u), Opaque-Type %s LSA (%u), Opaque-ID %u",
			  pr_tok_str(ctx, lsa_names, "unknown", type), type,
			  pr_tok_str(ctx, opaque_names, "unknown", RD_U8(h + 4)), RD_U8(h + 4), RD_BE24(h + 5));
		break;
	default:
		pr_printf(ctx, "\n\t    %s LSA (%u), LSA-ID: %s", pr_tok_str(ctx, lsa_names, "unknown", type), type,
			  RD_IPV4(h + 4));
		break;
	}
	pr_printf(ctx, "\n\t    Options: [%s]", pr_bits_str(ctx, option_names, "none", ", ", RD_U8(h + 2)));
	return (int)len;
}

/* RFC 3630 2.5 link sub-TLVs of a Link TLV; -1 when the rest of the LSA is not to be shown. */
static int te_link_print(struct pctx *ctx, const uint8_t **pp, unsigned tlen)
{
	const uint8_t *p = *pp;
	unsigned i;

	while (tlen != 0) {
		unsigned type, len;

		if (tlen < 4) {
			pr_printf(ctx, "\n\t    Remaining TLV length %u < 4", tlen);
			return -1;
		}
		type = RD_BE16(p);
		len = RD_BE16(p + 2);
		p += 4;
		tlen -= 4;
		if (type == 0 || len == 0)
			goto invalid;
		pr_printf(ctx, "\n\t      %s subTLV (%u), length: %u",
			  pr_tok_str(ctx, te_subtlv_names, "unknown", type), type, len);
		if (tlen < len) {
			pr_printf(ctx, "\n\t    Remaining TLV length %u < %u", tlen + 4, len + 4);
			return -1;
		}
		if (!HAVE(p, len))
			return -1;
		switch (type) {
		case 9:
			if (len != 4) {
				pr_puts(ctx, " != 4");
				goto invalid;
			}
			pr_printf(ctx, ", 0x%08x", RD_BE32(p));
			break;
		case 2:
		case 11:
			if (len != 4 && len != 8) {
				pr_puts(ctx, " != 4 && != 8");
				goto invalid;
			}
			pr_printf(ctx, ", %s (0x%08x)", RD_IPV4(p), RD_BE32(p));
			if (len == 8)
				pr_printf(ctx, ", %s (0x%08x)", RD_IPV4(p + 4), RD_BE32(p + 4));
			break;
		case 3:
		case 4:
			if (len != 4) {
				pr_puts(ctx, " != 4");
				goto invalid;
			}
			pr_printf(ctx, ", %s", RD_IPV4(p));
			break;
		case 6:
		case 7:
			if (len != 4) {
				pr_puts(ctx, " != 4");
				goto invalid;
			}
			pr_printf(ctx, ", %.3f Mbps", gmpls_bw_mbps(RD_BE32(p)));
			break;
		case 8:
			if (len != 32) {
				pr_puts(ctx, " != 32");
				goto invalid;
			}
			for (i = 0; i < 8; i++)
				pr_printf(ctx, "\n\t\tTE-Class %u: %.3f Mbps", i, gmpls_bw_mbps(RD_BE32(p + i * 4)));
			break;
		case 17:
			if (len < 4) {
				pr_puts(ctx, " < 4");
				goto invalid;
			}
			pr_printf(ctx, "\n\t\tBandwidth Constraints Model ID: %s (%u)",
				  pr_tok_str(ctx, diffserv_te_bc_names, "unknown", RD_U8(p)), RD_U8(p));
			if (len % 4 != 0) {
				pr_printf(ctx, "\n\t\tlength %u != N x 4", len);
				goto invalid;
			}
			if (len > 36) {
				pr_printf(ctx, "\n\t\tlength %u > 36", len);
				goto invalid;
			}
			for (i = 0; i < (len - 4) / 4; i++)
				pr_printf(ctx, "\n\t\t  Bandwidth constraint CT%u: %.3f Mbps", i,
					  gmpls_bw_mbps(RD_BE32(p + 4 + i * 4)));
			break;
		case 5:
			if (len != 4) {
				pr_puts(ctx, " != 4");
				goto invalid;
			}
			pr_printf(ctx, ", Metric %u", RD_BE32(p));
			break;
		case 14:
			if (len != 4) {
				pr_puts(ctx, " != 4");
				goto invalid;
			}
			pr_printf(ctx, ", %s", pr_bits_str(ctx, gmpls_link_prot_names, "none", ", ", RD_U8(p)));
			break;
		case 15:
			if (len < 36) {
				pr_puts(ctx, " < 36");
				goto invalid;
			}
			pr_printf(ctx, "\n\t\tInterface Switching Capability: %s",
				  pr_tok_str(ctx, gmpls_switch_cap_names, "Unknown", RD_U8(p)));
			pr_printf(ctx, "\n\t\tLSP Encoding: %s\n\t\tMax LSP Bandwidth:",
				  pr_tok_str(ctx, gmpls_encoding_names, "Unknown", RD_U8(p + 1)));
			for (i = 0; i < 8; i++)
				pr_printf(ctx, "\n\t\t  priority level %u: %.3f Mbps", i,
					  gmpls_bw_mbps(RD_BE32(p + 4 + i * 4)));
			break;
		case 1:
			if (len != 1) {
				pr_puts(ctx, " != 1");
				goto invalid;
			}
			pr_printf(ctx, ", %s (%u)", pr_tok_str(ctx, link_type_names, "unknown", RD_U8(p)), RD_U8(p));
			break;
		case 16: {
			unsigned n;

			if (len % 4 != 0) {
				pr_puts(ctx, " != N x 4");
				goto invalid;
			}
			n = len / 4;
			if (n)
				pr_puts(ctx, "\n\t\t  Shared risk group: ");
			for (i = 0; i < n; i++)
				pr_printf(ctx, "%u%s", RD_BE32(p + i * 4), i + 1 < n ? ", " : "");
			break;
		}
		default:
			if (ctx->opts.verbose <= 1)
				pr_unknown_data(ctx, p, "\n\t\t", len);
			break;
		}
		/* RFC 3630 2.3.2: sub-TLVs are padded to 4 bytes */
		if (len % 4)
			len += 4 - len % 4;
		if (tlen < len) {
			pr_printf(ctx, "\n\t    Remaining TLV length %u < %u", tlen + 4, len + 4);
			return -1;
		}
		tlen -= len;
		p += len;
		*pp = p;
	}
	return 0;
invalid:
	pr_invalid(ctx);
	return -1;
}

/*
 * The 4-byte head of a TLV inside an LSA: its type and length, *p and
 * *ls_len moved past it. -1, said as tcpdump says it, when the LSA has no
 * room left for one.
 */
static int lsa_tlv_head(struct pctx *ctx, const uint8_t **p, unsigned *ls_len, unsigned *type, unsigned *len)
{
	if (*ls_len < 4) {
		pr_printf(ctx, "\n\t    Remaining LS length %u < 4", *ls_len);
		return -1;
	}
	*type = RD_BE16(*p);
	*len = RD_BE16(*p + 2);
	*p += 4;
	*ls_len -= 4;
	return 0;
}

/* A TLV whose value has a fixed size: false, said, when len is not it. */
static bool tlv_len_is(struct pctx *ctx, unsigned len, unsigned want)
{
	if (len == want)
		return true;
	pr_printf(ctx, "\n\t    Bogus length %u != %u", len, want);
	return false;
}

/*
 * TE LSA TLVs. tcpdump's walk has two quirks kept here so the output
 * matches: after a Link TLV the remaining LSA length is not reduced (the
 * walk goes on at the bytes after it), and a TLV header or sub-TLV that is
 * not captured ends the LSA quietly, without its -vv hex dump.
 */
int ospf_te_print(struct pctx *ctx, const uint8_t *p, unsigned ls_len)
{
	while (ls_len != 0) {
		unsigned type, len;

		if (!HAVE(p, 4) || lsa_tlv_head(ctx, &p, &ls_len, &type, &len) < 0)
			return -1;
		pr_printf(ctx, "\n\t    %s TLV (%u), length: %u", pr_tok_str(ctx, te_tlv_names, "unknown", type), type,
			  len);
		if (len > ls_len) {
			pr_printf(ctx, "\n\t    Bogus length %u > %u", len, ls_len);
			return -1;
		}
		if (type == 0 || len == 0)
			return -1;
		switch (type) {
		case 2:
			if (te_link_print(ctx, &p, len) < 0)
				return -1;
			continue;
		case 1:
			if (len < 4) {
				pr_printf(ctx, "\n\t    TLV length %u < 4", len);
				return -1;
			}
			pr_printf(ctx, ", %s", RD_IPV4(p));
			break;
		default:
			if (ctx->opts.verbose <= 1 && !pr_unknown_data(ctx, p, "\n\t      ", len))
				return -1;
			break;
		}
		p += len;
		ls_len -= len;
	}
	return 0;
}

int ospf_grace_print(struct pctx *ctx, const uint8_t *p, unsigned ls_len)
{
	while (ls_len > 0) {
		unsigned type, len;

		if (!HAVE(p, 4) || lsa_tlv_head(ctx, &p, &ls_len, &type, &len) < 0)
			return -1;
		pr_printf(ctx,
			  "\n\t    %s TLV (%u), length %u, value: ", pr_tok_str(ctx, grace_tlv_names, "unknown", type),
			  type, len);
		if (len > ls_len) {
			pr_printf(ctx, "\n\t    Bogus length %u > %u", len, ls_len);
			return -1;
		}
		if (type == 0 || len == 0)
			return -1;
		if (!HAVE(p, len))
			return -1;
		switch (type) {
		case 1:
			if (!tlv_len_is(ctx, len, 4))
				return -1;
			pr_printf(ctx, "%us", RD_BE32(p));
			break;
		case 2:
			if (!tlv_len_is(ctx, len, 1))
				return -1;
			pr_printf(ctx, "%s (%u)", pr_tok_str(ctx, grace_reason_names, "Unknown", RD_U8(p)), RD_U8(p));
			break;
		case 3:
			if (!tlv_len_is(ctx, len, 4))
				return -1;
			pr_puts(ctx, RD_IPV4(p));
			break;
		default:
			if (ctx->opts.verbose <= 1 && !pr_unknown_data(ctx, p, "\n\t      ", len))
				return -1;
			break;
		}
		/* padded to 4 bytes; like tcpdump's, the remaining length may wrap and the walk ends at the capture's end */
		if (len % 4)
			len += 4 - len % 4;
		ls_len -= len;
		p += len;
	}
	return 0;
}

static int ri_lsa_print(struct pctx *ctx, const uint8_t *p, unsigned ls_len)
{
	while (ls_len != 0) {
		unsigned type, len;

		NEED(p, 4);
		if (lsa_tlv_head(ctx, &p, &ls_len, &type, &len) < 0)
			return -1;
		pr_printf(ctx,
			  "\n\t    %s TLV (%u), length: %u, value: ", pr_tok_str(ctx, ri_tlv_names, "unknown", type),
			  type, len);
		if (len > ls_len) {
			pr_printf(ctx, "\n\t    Bogus length %u > remaining LS length %u", len, ls_len);
			return -1;
		}
		NEED(p, len);
		if (type == 1) {
			if (!tlv_len_is(ctx, len, 4))
				return -1;
			pr_printf(ctx, "Capabilities: %s", pr_bits_str(ctx, ri_cap_names, "Unknown", ", ", RD_BE32(p)));
		} else if (ctx->opts.verbose <= 1 && !pr_unknown_data(ctx, p, "\n\t      ", len)) {
			return -1;
		}
		p += len;
		ls_len -= len;
	}
	return 0;
}

/* RFC 2328 A.4.2: the TOS 0 metric, then the TOS/topology specific ones. */
static void tos_metrics_print(struct pctx *ctx, const uint8_t *t)
{
	unsigned n = RD_U8(t + 1) + 1, i;

	for (i = 0; i < n; i++, t += 4) {
		unsigned topo = i ? RD_U8(t) : 0;

		pr_printf(ctx, "\n\t\ttopology %s (%u), metric %u", pr_tok_str(ctx, topology_names, "Unknown", topo),
			  topo, RD_BE16(t + 2));
	}
}

/* One LSA; returns its end. */
static const uint8_t *lsa_print(struct pctx *ctx, const uint8_t *lsa)
{
	int n = lshdr_print(ctx, lsa);
	const uint8_t *end, *p, *body = lsa + LSA_HDR_LEN;
	unsigned ls_len, type;

	if (n < 0)
		pr_trunc(ctx);
	end = lsa + n;
	ls_len = (unsigned)n - LSA_HDR_LEN;
	type = RD_U8(lsa + 3);
	switch (type) {
	case LS_ROUTER: {
		unsigned count, i;

		pr_printf(ctx, "\n\t    Router LSA Options: [%s]",
			  pr_bits_str(ctx, rla_flag_names, "none", ", ", RD_U8(body)));
		count = RD_BE16(body + 2);
		p = body + 4;
		NEED(p, 12);
		for (i = count; i != 0; i--) {
			unsigned ltype;

			NEED(p, 12);
			ltype = RD_U8(p + 8);
			switch (ltype) {
			case 4:
				pr_printf(ctx, "\n\t      Virtual Link: Neighbor Router-ID: %s, Interface Address: %s",
					  RD_IPV4(p), RD_IPV4(p + 4));
				break;
			case 1:
				pr_printf(ctx, "\n\t      Neighbor Router-ID: %s, Interface Address: %s", RD_IPV4(p),
					  RD_IPV4(p + 4));
				break;
			case 2:
				pr_printf(ctx, "\n\t      Neighbor Network-ID: %s, Interface Address: %s", RD_IPV4(p),
					  RD_IPV4(p + 4));
				break;
			case 3:
				pr_printf(ctx, "\n\t      Stub Network: %s, Mask: %s", RD_IPV4(p), RD_IPV4(p + 4));
				break;
			default: pr_printf(ctx, "\n\t      Unknown Router Link Type (%u)", ltype); return end;
			}
			tos_metrics_print(ctx, p + 8);
			p += 12 + RD_U8(p + 9) * 4;
		}
		break;
	}
	case LS_NETWORK:
		pr_printf(ctx, "\n\t    Mask %s\n\t    Connected Routers:", RD_IPV4(body));
		for (p = body + 4; p < end; p += 4)
			pr_printf(ctx, "\n\t      %s", RD_IPV4(p));
		break;
	case LS_SUM_IP:
	case LS_SUM_ABR:
		if (type == LS_SUM_IP)
			pr_printf(ctx, "\n\t    Mask %s", RD_IPV4(body));
		NEED(body + 4, 4);
		for (p = body + 4; p < end; p += 4) {
			uint32_t v = RD_BE32(p);
			unsigned topo = (v & 0x7f000000) >> 24;

			pr_printf(ctx, "\n\t\ttopology %s (%u) metric %u",
				  pr_tok_str(ctx, topology_names, "Unknown", topo), topo, v & 0x00ffffff);
		}
		break;
	case LS_ASE:
	case LS_NSSA:
		pr_printf(ctx, "\n\t    Mask %s", RD_IPV4(body));
		NEED(body + 4, 4);
		for (p = body + 4; p < end; p += 12) {
			uint32_t v = RD_BE32(p);
			unsigned topo = (v & 0x7f000000) >> 24;

			pr_printf(ctx, "\n\t\ttopology %s (%u), type %u, metric",
				  pr_tok_str(ctx, topology_names, "Unknown", topo), topo, (v & 0x80000000) ? 2 : 1);
			if ((v & 0x00ffffff) == 0xffffff)
				pr_puts(ctx, " infinite");
			else
				pr_printf(ctx, " %u", v & 0x00ffffff);
			if (RD_BE32(p + 4) != 0)
				pr_printf(ctx, ", forward %s", RD_IPV4(p + 4));
			if (RD_BE32(p + 8) != 0)
				pr_printf(ctx, ", tag %s", RD_IPV4(p + 8));
		}
		break;
	case LS_GROUP:
		for (p = body; p < end; p += 8) {
			uint32_t vt = RD_BE32(p);

			if (vt == 1)
				pr_printf(ctx, "\n\t    Router Router-ID %s", RD_IPV4(p + 4));
			else if (vt == 2)
				pr_printf(ctx, "\n\t    Network Designated Router %s", RD_IPV4(p + 4));
			else
				pr_printf(ctx, "\n\t    unknown VertexType (%u)", vt);
		}
		break;
	case LS_OPAQUE_LL:
	case LS_OPAQUE_AL:
	case LS_OPAQUE_DW:
		switch (RD_U8(lsa + 4)) {
		case OPQ_RI:
			if (ri_lsa_print(ctx, body, ls_len) < 0)
				return end;
			break;
		case OPQ_GRACE:
			if (ospf_grace_print(ctx, body, ls_len) < 0)
				return end;
			break;
		case OPQ_TE:
			if (ospf_te_print(ctx, body, ls_len) < 0)
				return end;
			break;
		default:
			if (ctx->opts.verbose <= 1 && !pr_unknown_data(ctx, body, "\n\t    ", ls_len))
				return end;
			break;
		}
		break;
	default: break;
	}
	if (ctx->opts.verbose > 1 && !pr_unknown_data(ctx, body, "\n\t    ", ls_len))
		return end;
	return end;
}

/* RFC 5613: link-local signalling after the OSPF packet of Hello and DD packets with the L option. */
static void lls_print(struct pctx *ctx, const uint8_t *op, unsigned length)
{
	unsigned type = RD_U8(op + 1), opts, len2;
	const uint8_t *p, *end;

	if (type == T_HELLO)
		opts = RD_U8(op + 24 + 6);
	else if (type == T_DD)
		opts = RD_U8(op + 24 + 2);
	else
		return;
	if (!(opts & OPT_L))
		return;
	len2 = RD_BE16(op + 2);
	p = op + len2;
	end = op + length;
	if (RD_BE16(op + 14) == 2) {
		p += RD_U8(op + 16 + 3);
		len2 += RD_U8(op + 16 + 3);
	}
	if (len2 >= length) {
		pr_puts(ctx, "\n\t[LLS truncated]");
		pr_trunc(ctx);
	}
	pr_printf(ctx, "\n\t  LLS: checksum: 0x%04x", RD_BE16(p));
	p += 2;
	pr_printf(ctx, ", length: %u", RD_BE16(p));
	p += 2;
	while (p < end) {
		unsigned t = RD_BE16(p), l;

		pr_printf(ctx, "\n\t    %s (%u)", pr_tok_str(ctx, lls_tlv_names, "Unknown TLV", t), t);
		p += 2;
		l = RD_BE16(p);
		pr_printf(ctx, ", length: %u", l);
		p += 2;
		if (t == 1) {
			uint32_t f;

			if (l != 4) {
				pr_puts(ctx, " [should be 4]");
				l = 4;
			}
			f = RD_BE32(p);
			pr_printf(ctx, "\n\t      Options: 0x%08x [%s]", f,
				  pr_bits_str(ctx, lls_eo_names, "?", ", ", f));
		} else if (t == 2) {
			if (l != 20) {
				pr_puts(ctx, " [should be 20]");
				l = 20;
			}
			pr_printf(ctx, "\n\t      Sequence number: 0x%08x", RD_BE32(p));
		}
		p += l;
	}
}

static void decode_v2(struct pctx *ctx, const uint8_t *op, const uint8_t *dataend)
{
	const uint8_t *b = op + OSPF_HDR_LEN, *p;

	switch (RD_U8(op + 1)) {
	case T_HELLO:
		pr_printf(ctx, "\n\tOptions [%s]", pr_bits_str(ctx, option_names, "none", ", ", RD_U8(b + 6)));
		pr_printf(ctx, "\n\t  Hello Timer %us, Dead Timer %us, Mask %s, Priority %u", RD_BE16(b + 4),
			  RD_BE32(b + 8), RD_IPV4(b), RD_U8(b + 7));
		if (RD_BE32(b + 12) != 0)
			pr_printf(ctx, "\n\t  Designated Router %s", RD_IPV4(b + 12));
		if (RD_BE32(b + 16) != 0)
			pr_printf(ctx, ", Backup Designated Router %s", RD_IPV4(b + 16));
		p = b + 20;
		if (p < dataend)
			pr_puts(ctx, "\n\t  Neighbor List:");
		for (; p < dataend; p += 4)
			pr_printf(ctx, "\n\t    %s", RD_IPV4(p));
		break;
	case T_DD:
		pr_printf(ctx, "\n\tOptions [%s]", pr_bits_str(ctx, option_names, "none", ", ", RD_U8(b + 2)));
		pr_printf(ctx, ", DD Flags [%s]", pr_bits_str(ctx, dd_flag_names, "none", ", ", RD_U8(b + 3)));
		if (RD_BE16(b))
			pr_printf(ctx, ", MTU: %u", RD_BE16(b));
		pr_printf(ctx, ", Sequence: 0x%08x", RD_BE32(b + 4));
		for (p = b + 8; p < dataend && lshdr_print(ctx, p) != -1; p += LSA_HDR_LEN)
			;
		break;
	case T_LS_REQ:
		for (p = b; p < dataend; p += 12) {
			uint32_t t;

			NEED(p, 12);
			t = RD_BE32(p);
			pr_printf(ctx, "\n\t  Advertising Router: %s, %s LSA (%u)", RD_IPV4(p + 8),
				  pr_tok_str(ctx, lsa_names, "unknown", t), t);
			if (t == LS_OPAQUE_LL || t == LS_OPAQUE_AL || t == LS_OPAQUE_DW)
				pr_printf(ctx, ", Opaque-Type: %s LSA (%u), Opaque-ID: %u",
					  pr_tok_str(ctx, opaque_names, "unknown", RD_U8(p + 4)), RD_U8(p + 4),
					  RD_BE24(p + 5));
			else
				pr_printf(ctx, ", LSA-ID: %s", RD_IPV4(p + 4));
		}
		break;
	case T_LS_UPDATE: {
		uint32_t count = RD_BE32(b), i;

		pr_printf(ctx, ", %u LSA%s", count, count == 1 ? "" : "s");
		p = b + 4;
		for (i = 1; i <= count; i++) {
			pr_printf(ctx, "\n\t  LSA #%u", i);
			p = lsa_print(ctx, p);
		}
		break;
	}
	case T_LS_ACK:
		/* tcpdump walks the headers until one is bogus or not captured */
		for (p = b; lshdr_print(ctx, p) != -1; p += LSA_HDR_LEN)
			;
		break;
	default: break;
	}
}

void ospf_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned ver, type, olen, auth;
	const uint8_t *dataend;

	PR_PROTO(ctx, "ospf2");
	ver = RD_U8(bp);
	type = RD_U8(bp + 1);
	pr_printf(ctx, "OSPFv%u, %s, length %u", ver, pr_tok_str(ctx, type_names, "unknown LS-type %u", type), length);
	if (!ctx->opts.verbose)
		return;
	olen = RD_BE16(bp + 2);
	if (olen != length)
		pr_printf(ctx, " [len %u]", olen);
	dataend = bp + (length > olen ? olen : length);
	pr_printf(ctx, "\n\tRouter-ID %s", RD_IPV4(bp + 4));
	if (RD_BE32(bp + 8) != 0)
		pr_printf(ctx, ", Area %s", RD_IPV4(bp + 8));
	else
		pr_puts(ctx, ", Backbone Area");
	NEED(bp + 16, 8);
	auth = RD_BE16(bp + 14);
	pr_printf(ctx, ", Authentication Type: %s (%u)", pr_tok_str(ctx, auth_names, "unknown", auth), auth);
	switch (auth) {
	case 0: break;
	case 1:
		pr_puts(ctx, "\n\tSimple text password: ");
		pr_str_pad(ctx, bp + 16, 8);
		break;
	case 2:
		pr_printf(ctx, "\n\tKey-ID: %u, Auth-Length: %u, Crypto Sequence Number: 0x%08x", RD_U8(bp + 18),
			  RD_U8(bp + 19), RD_BE32(bp + 20));
		break;
	default: return;
	}
	if (ver != 2) {
		pr_printf(ctx, " ospf [version %u]", ver);
		return;
	}
	decode_v2(ctx, bp, dataend);
	if (length > olen)
		lls_print(ctx, bp, length);
}
