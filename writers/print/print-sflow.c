/* sFlow version 5 (sflow.org sflow_version_5.txt), UDP port 6343: datagram header, samples, flow and counter records. */
#include "writers/print/print-int.h"

enum { S_FLOW = 1, S_COUNTER = 2, S_EXP_FLOW = 3, S_EXP_COUNTER = 4 };

static const struct pr_tok sample_names[] = {
	{ S_FLOW, "flow sample" },
	{ S_COUNTER, "counter sample" },
	{ S_EXP_FLOW, "expanded flow sample" },
	{ S_EXP_COUNTER, "expanded counter sample" },
	{ 0, NULL },
};

static const struct pr_tok flow_names[] = {
	{ 1, "Raw packet" },
	{ 2, "Ethernet frame" },
	{ 3, "IPv4 Data" },
	{ 4, "IPv6 Data" },
	{ 1001, "Extended Switch data" },
	{ 1002, "Extended Router data" },
	{ 1003, "Extended Gateway data" },
	{ 1004, "Extended User data" },
	{ 1005, "Extended URL data" },
	{ 0, NULL },
};

static const struct pr_tok counter_names[] = {
	{ 1, "Generic counter" },
	{ 2, "Ethernet counter" },
	{ 3, "Token ring counter" },
	{ 4, "100 BaseVG counter" },
	{ 5, "Vlan counter" },
	{ 1001, "Processor counter" },
	{ 0, NULL },
};

static const struct pr_tok raw_proto_names[] = {
	{ 1, "Ethernet" }, { 2, "Token Bus" }, { 3, "Token Ring" }, { 4, "FDDI" }, { 5, "Frame Relay" },
	{ 6, "X.25" },	   { 7, "PPP" },       { 8, "SMDS" },	    { 9, "AAL5" }, { 10, "AAL5-IP" },
	{ 11, "IPv4" },	   { 12, "IPv6" },     { 13, "MPLS" },	    { 0, NULL },
};

/* Each returns nonzero when the record is shorter than its layout. */
static int counter_generic(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	unsigned dir, st;

	if (len < 88)
		return 1;
	dir = RD_BE32(p + 16);
	st = RD_BE32(p + 20);
	pr_printf(ctx, "\n\t      ifindex %u, iftype %u, ifspeed %llu, ifdirection %u (%s)", RD_BE32(p), RD_BE32(p + 4),
		  (unsigned long long)RD_BE64(p + 8), dir, dir == 1 ? "full-duplex" : "half-duplex");
	pr_printf(ctx, "\n\t      ifstatus %u, adminstatus: %s, operstatus: %s", st, (st & 1) ? "up" : "down",
		  ((st >> 1) & 1) ? "up" : "down");
	pr_printf(ctx, "\n\t      In octets %llu, unicast pkts %u, multicast pkts %u, broadcast pkts %u, discards %u",
		  (unsigned long long)RD_BE64(p + 24), RD_BE32(p + 32), RD_BE32(p + 36), RD_BE32(p + 40),
		  RD_BE32(p + 44));
	pr_printf(ctx, "\n\t      In errors %u, unknown protos %u", RD_BE32(p + 48), RD_BE32(p + 52));
	pr_printf(ctx, "\n\t      Out octets %llu, unicast pkts %u, multicast pkts %u, broadcast pkts %u, discards %u",
		  (unsigned long long)RD_BE64(p + 56), RD_BE32(p + 64), RD_BE32(p + 68), RD_BE32(p + 72),
		  RD_BE32(p + 76));
	pr_printf(ctx, "\n\t      Out errors %u, promisc mode %u", RD_BE32(p + 80), RD_BE32(p + 84));
	return 0;
}

static int counter_ethernet(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	if (len < 52)
		return 1;
	pr_printf(ctx,
		  "\n\t      align errors %u, fcs errors %u, single collision %u, multiple collision %u, test error %u",
		  RD_BE32(p), RD_BE32(p + 4), RD_BE32(p + 8), RD_BE32(p + 12), RD_BE32(p + 16));
	pr_printf(ctx, "\n\t      deferred %u, late collision %u, excessive collision %u, mac trans error %u",
		  RD_BE32(p + 20), RD_BE32(p + 24), RD_BE32(p + 28), RD_BE32(p + 32));
	pr_printf(ctx, "\n\t      carrier error %u, frames too long %u, mac receive errors %u, symbol errors %u",
		  RD_BE32(p + 36), RD_BE32(p + 40), RD_BE32(p + 44), RD_BE32(p + 48));
	return 0;
}

static int counter_token_ring(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	if (len < 72)
		return 1;
	pr_printf(ctx, "\n\t      line errors %u, burst errors %u, ac errors %u, abort errors %u", RD_BE32(p),
		  RD_BE32(p + 4), RD_BE32(p + 8), RD_BE32(p + 12));
	pr_printf(ctx, "\n\t      internal errors %u, lost frames %u, receive congestion %u", RD_BE32(p + 16),
		  RD_BE32(p + 20), RD_BE32(p + 24));
	pr_printf(ctx, "\n\t      frame copied errors %u, token errors %u, soft errors %u, hard errors %u",
		  RD_BE32(p + 28), RD_BE32(p + 32), RD_BE32(p + 36), RD_BE32(p + 40));
	pr_printf(ctx, "\n\t      signal loss %u, transmit beacons %u, recovery counts %u, lobe wires %u",
		  RD_BE32(p + 44), RD_BE32(p + 48), RD_BE32(p + 52), RD_BE32(p + 56));
	pr_printf(ctx, "\n\t      removes %u, singles %u, freq errors %u", RD_BE32(p + 60), RD_BE32(p + 64),
		  RD_BE32(p + 68));
	return 0;
}

static int counter_basevg(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	if (len < 80)
		return 1;
	pr_printf(ctx, "\n\t      in high prio frames %u, in high prio octets %llu", RD_BE32(p),
		  (unsigned long long)RD_BE64(p + 4));
	pr_printf(ctx, "\n\t      in norm prio frames %u, in norm prio octets %llu", RD_BE32(p + 12),
		  (unsigned long long)RD_BE64(p + 16));
	pr_printf(ctx, "\n\t      in ipm errors %u, oversized %u, in data errors %u, null addressed frames %u",
		  RD_BE32(p + 24), RD_BE32(p + 28), RD_BE32(p + 32), RD_BE32(p + 36));
	pr_printf(ctx, "\n\t      out high prio frames %u, out high prio octets %llu, trans into frames %u",
		  RD_BE32(p + 40), (unsigned long long)RD_BE64(p + 44), RD_BE32(p + 52));
	pr_printf(ctx,
		  "\n\t      in hc high prio octets %llu, in hc norm prio octets %llu, out hc high prio octets %llu",
		  (unsigned long long)RD_BE64(p + 56), (unsigned long long)RD_BE64(p + 64),
		  (unsigned long long)RD_BE64(p + 72));
	return 0;
}

static int counter_vlan(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	if (len < 28)
		return 1;
	pr_printf(ctx,
		  "\n\t      vlan_id %u, octets %llu, unicast_pkt %u, multicast_pkt %u, broadcast_pkt %u, discards %u",
		  RD_BE32(p), (unsigned long long)RD_BE64(p + 4), RD_BE32(p + 12), RD_BE32(p + 16), RD_BE32(p + 20),
		  RD_BE32(p + 24));
	return 0;
}

static int counter_processor(struct pctx *ctx, const uint8_t *p, unsigned len)
{
	if (len < 28)
		return 1;
	/* tcpdump labels the free memory "total_mem" as well */
	pr_printf(ctx, "\n\t      5sec %u, 1min %u, 5min %u, total_mem %llu, total_mem %llu", RD_BE32(p),
		  RD_BE32(p + 4), RD_BE32(p + 8), (unsigned long long)RD_BE64(p + 12),
		  (unsigned long long)RD_BE64(p + 20));
	return 0;
}

/*
 * A record's head: its data format (enterprise, type) and length, printed
 * with the type named from names ("enterprise 0, NAME (1) length 88"; flow
 * records have no comma, as in tcpdump); *p and *len move past it. 1 when
 * the 8 bytes are not there.
 */
static int record_head(struct pctx *ctx, const uint8_t **p, unsigned *len, const char *sep, const struct pr_tok *names,
		       unsigned *ent, unsigned *type, unsigned *rlen)
{
	unsigned fmt;

	if (*len < 8)
		return 1;
	fmt = RD_BE32(*p);
	*ent = fmt >> 12;
	*type = fmt & 0x0fff;
	*rlen = RD_BE32(*p + 4);
	pr_printf(ctx, "\n\t    enterprise %u%s %s (%u) length %u", *ent, sep,
		  *ent == 0 ? pr_tok_str(ctx, names, "Unknown", *type) : "Unknown", *type, *rlen);
	*p += 8;
	*len -= 8;
	return 0;
}

static int counter_records(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned n)
{
	while (n > 0) {
		unsigned ent, type, rlen;

		if (record_head(ctx, &p, &len, ",", counter_names, &ent, &type, &rlen))
			return 1;
		if (len < rlen)
			return 1;
		if (ent == 0) {
			int bad = 0;

			switch (type) {
			case 1: bad = counter_generic(ctx, p, rlen); break;
			case 2: bad = counter_ethernet(ctx, p, rlen); break;
			case 3: bad = counter_token_ring(ctx, p, rlen); break;
			case 4: bad = counter_basevg(ctx, p, rlen); break;
			case 5: bad = counter_vlan(ctx, p, rlen); break;
			case 1001: bad = counter_processor(ctx, p, rlen); break;
			default:
				if (ctx->opts.verbose <= 1)
					pr_unknown_data(ctx, p, "\n\t\t", rlen);
				break;
			}
			if (bad)
				return 1;
		}
		p += rlen;
		len -= rlen;
		n--;
	}
	return 0;
}

static int flow_records(struct pctx *ctx, const uint8_t *p, unsigned len, unsigned n)
{
	while (n > 0) {
		unsigned ent, type, rlen;

		if (record_head(ctx, &p, &len, "", flow_names, &ent, &type, &rlen))
			return 1;
		if (ent != 0) {
			if (len < rlen)
				return 1;
			p += rlen;
			len -= rlen;
			n--;
			continue;
		}
		if (len < rlen)
			return 1;
		switch (type) {
		case 1:
			if (rlen < 16)
				return 1;
			pr_printf(ctx, "\n\t      protocol %s (%u), length %u, stripped bytes %u, header_size %u",
				  pr_tok_str(ctx, raw_proto_names, "Unknown", RD_BE32(p)), RD_BE32(p), RD_BE32(p + 4),
				  RD_BE32(p + 8), RD_BE32(p + 12));
			break;
		case 1001:
			if (rlen < 16)
				return 1;
			pr_printf(ctx, "\n\t      src vlan %u, src pri %u, dst vlan %u, dst pri %u", RD_BE32(p),
				  RD_BE32(p + 4), RD_BE32(p + 8), RD_BE32(p + 12));
			break;
		case 2:
		case 3:
		case 4:
		case 1002:
		case 1003:
		case 1004:
		case 1005: break;
		default:
			if (ctx->opts.verbose <= 1)
				pr_unknown_data(ctx, p, "\n\t\t", rlen);
			break;
		}
		p += rlen;
		len -= rlen;
		n--;
	}
	return 0;
}

/*
 * One sample's fixed part, then its records; nonzero when it is malformed. The sample is slen
 * bytes, but its records are read up to len, what is left of the datagram.
 */
static int sample_print(struct pctx *ctx, unsigned type, const uint8_t *p, unsigned slen, unsigned len)
{
	unsigned n;

	switch (type) {
	case S_FLOW:
		if (len < 32)
			return 1;
		n = RD_BE32(p + 28);
		pr_printf(ctx, " seqnum %u, type %u, idx %u, rate %u, pool %u, drops %u, input %u output %u records %u",
			  RD_BE32(p), RD_U8(p + 4), RD_BE24(p + 5), RD_BE32(p + 8), RD_BE32(p + 12), RD_BE32(p + 16),
			  RD_BE32(p + 20), RD_BE32(p + 24), n);
		return flow_records(ctx, p + 32, len - 32, n);
	case S_EXP_FLOW:
		if (len < 44)
			return 1;
		n = RD_BE32(p + 40);
		pr_printf(ctx, " seqnum %u, type %u, idx %u, rate %u, pool %u, drops %u, records %u", RD_BE32(p),
			  RD_BE32(p + 4), RD_BE32(p + 8), RD_BE32(p + 12), RD_BE32(p + 16), RD_BE32(p + 20), n);
		return flow_records(ctx, p + 44, len - 44, n);
	case S_COUNTER:
		if (len < 12)
			return 1;
		n = RD_BE32(p + 8);
		pr_printf(ctx, " seqnum %u, type %u, idx %u, records %u", RD_BE32(p), RD_U8(p + 4), RD_BE24(p + 5), n);
		return counter_records(ctx, p + 12, len - 12, n);
	case S_EXP_COUNTER:
		if (len < 16)
			return 1;
		n = RD_BE32(p + 12);
		pr_printf(ctx, " seqnum %u, type %u, idx %u, records %u", RD_BE32(p), RD_BE32(p + 4), RD_BE32(p + 8),
			  n);
		return counter_records(ctx, p + 16, len - 16, n);
	default:
		if (ctx->opts.verbose <= 1)
			pr_unknown_data(ctx, p, "\n\t    ", slen);
		return 0;
	}
}

/*
 * As tcpdump 4.99 reads it: an agent address type of 1 is IPv4 and any other value IPv6 (a
 * 40-byte header), the sample printers see everything left in the datagram, not only the sample.
 */
void sflow_print(struct pctx *ctx, const uint8_t *bp, unsigned len)
{
	const uint8_t *p = bp;
	unsigned version, atype, alen, nsamples, tlen;
	const char *agent;

	PR_PROTO(ctx, "sflow");
	atype = RD_BE32(bp + 4);
	if ((len < 28 && atype == 1) || (len < 40 && atype == 2)) {
		pr_printf(ctx, "sFlowv%u [length %u < 28]", RD_BE32(bp), len);
		pr_invalid(ctx);
		return;
	}
	NEED(bp, 28);
	version = RD_BE32(bp);
	if (version != 5) {
		pr_printf(ctx, "sFlow version %u packet not supported", version);
		return;
	}
	if (atype == 1) {
		agent = RD_IPV4(bp + 8);
		alen = 4;
	} else {
		agent = RD_IPV6(bp + 8);
		alen = 16;
	}
	p = bp + 8 + alen;
	if (!ctx->opts.verbose) {
		pr_printf(ctx, "sFlowv%u, %s agent %s, agent-id %u, length %u", version, atype == 1 ? "IPv4" : "IPv6",
			  agent, RD_BE32(p), len);
		return;
	}
	nsamples = RD_BE32(p + 12);
	pr_printf(ctx, "sFlowv%u, %s agent %s, agent-id %u, seqnum %u, uptime %u, samples %u, length %u", version,
		  atype == 1 ? "IPv4" : "IPv6", agent, RD_BE32(p), RD_BE32(p + 4), RD_BE32(p + 8), nsamples, len);
	p += 16;
	if (len < (unsigned)(p - bp))
		goto invalid;
	tlen = len - (unsigned)(p - bp);
	while (nsamples > 0 && tlen > 0) {
		unsigned type, slen;

		type = RD_BE32(p) & 0x0fff;
		slen = RD_BE32(p + 4);
		if (tlen < 8)
			goto invalid;
		p += 8;
		tlen -= 8;
		pr_printf(ctx, "\n\t%s (%u), length %u,", pr_tok_str(ctx, sample_names, "Unknown", type), type, slen);
		if (type == 0 || slen == 0)
			return;
		if (tlen < slen)
			goto invalid;
		NEED(p, slen);
		if (sample_print(ctx, type, p, slen, tlen))
			goto invalid;
		p += slen;
		tlen -= slen;
		nsamples--;
	}
	return;
invalid:
	pr_invalid(ctx);
	NEED(p, len - (unsigned)(p - bp));
}
