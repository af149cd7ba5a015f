/* libFuzzer target for the printer: one input is one packet, its first bytes choosing the link type and the output flags. */
#include <pcap/dlt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writers/print/print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every link type the printer decodes, and one it does not (the hex dump path). */
static const int link_types[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL,  DLT_LOOP,	  DLT_RAW,
	DLT_IPV4,   DLT_IPV6,	   DLT_PPP,	   DLT_NFLOG, DLT_C_HDLC, DLT_JUNIPER_ETHER,
};

/*
 * Synthetic framing: random bytes rarely make a valid Ethernet, IP and UDP
 * header with the right lengths, so most decoders behind a port or an
 * ethertype would stay out of reach. An input whose link byte has the top
 * bit set names one of these carriers instead; the harness builds the
 * headers (lengths filled in from the input) and the input's bytes follow.
 */
enum carrier_kind { C_ETHERTYPE, C_UDP_PORT, C_IP_PROTO, C_LLC, C_TCP_PORT };

struct carrier {
	enum carrier_kind kind;
	unsigned value;
};

static const struct carrier carriers[] = {
	{ C_ETHERTYPE, 0x8809 }, /* slow protocols */
	{ C_ETHERTYPE, 0x880b }, /* PPP */
	{ C_ETHERTYPE, 0x88cc }, /* LLDP */
	{ C_ETHERTYPE, 0x88f7 }, /* PTP */
	{ C_ETHERTYPE, 0x894f }, /* NSH */
	{ C_ETHERTYPE, 0x8863 }, /* PPPoE discovery */
	{ C_ETHERTYPE, 0x8864 }, /* PPPoE session */
	{ C_ETHERTYPE, 0x8847 }, /* MPLS */
	{ C_ETHERTYPE, 0x888e }, /* EAPOL */
	{ C_LLC, 0x424203 },	 /* STP */
	{ C_LLC, 0xaaaa03 },	 /* SNAP (CDP when the OUI and PID say so) */
	{ C_UDP_PORT, 69 },	 /* TFTP */
	{ C_UDP_PORT, 319 },	 /* PTP */
	{ C_UDP_PORT, 514 },	 /* syslog */
	{ C_UDP_PORT, 520 },	 /* RIP */
	{ C_UDP_PORT, 1985 },	 /* HSRP */
	{ C_UDP_PORT, 3784 },	 /* BFD control */
	{ C_UDP_PORT, 3785 },	 /* BFD echo */
	{ C_UDP_PORT, 4342 },	 /* LISP */
	{ C_UDP_PORT, 4789 },	 /* VXLAN */
	{ C_UDP_PORT, 4790 },	 /* VXLAN-GPE */
	{ C_UDP_PORT, 6081 },	 /* Geneve */
	{ C_UDP_PORT, 8472 },	 /* OTV */
	{ C_IP_PROTO, 50 },	 /* ESP */
	{ C_IP_PROTO, 112 },	 /* VRRP */
	{ C_IP_PROTO, 47 },	 /* GRE */
	{ C_IP_PROTO, 89 },	 /* OSPF */
	{ C_IP_PROTO, 103 },	 /* PIM */
	{ C_UDP_PORT, 646 },	 /* LDP */
	{ C_UDP_PORT, 1812 },	 /* RADIUS */
	{ C_UDP_PORT, 6343 },	 /* sFlow */
	{ C_UDP_PORT, 161 },	 /* SNMP */
	{ C_UDP_PORT, 521 },	 /* RIPng */
	{ C_UDP_PORT, 1701 },	 /* L2TP */
	{ C_IP_PROTO, 51 },	 /* AH */
	{ C_LLC, 0xfefe03 },	 /* OSI (IS-IS) */
	{ C_TCP_PORT, 179 },	 /* BGP */
	{ C_TCP_PORT, 646 },	 /* LDP */
	{ C_TCP_PORT, 6653 },	 /* OpenFlow */
};

#define ETH_LEN 14
#define IP4_LEN 20
#define UDP_LEN 8
#define TCP_LEN 20

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Ethernet (+ IPv4 (+ UDP)) or 802.3 + LLC in front of body; returns a malloc'd frame of *len bytes. */
static uint8_t *frame_build(const struct carrier *c, const uint8_t *body, size_t blen, size_t *len)
{
	size_t hdr = ETH_LEN;
	uint8_t *f;

	if (c->kind == C_UDP_PORT)
		hdr += IP4_LEN + UDP_LEN;
	else if (c->kind == C_TCP_PORT)
		hdr += IP4_LEN + TCP_LEN;
	else if (c->kind == C_IP_PROTO)
		hdr += IP4_LEN;
	else if (c->kind == C_LLC)
		hdr += 3;
	if (blen > 1400)
		blen = 1400;
	/* exactly the frame: ASan sees any read past it */
	f = malloc(hdr + blen ? hdr + blen : 1);
	if (!f)
		return NULL;
	memset(f, 0, hdr);
	f[0] = 0x01; /* a multicast destination, as these protocols use */
	f[11] = 0x02;
	switch (c->kind) {
	case C_ETHERTYPE: put16(f + 12, c->value); break;
	case C_LLC:
		put16(f + 12, (unsigned)(3 + blen));
		f[14] = (uint8_t)(c->value >> 16);
		f[15] = (uint8_t)(c->value >> 8);
		f[16] = (uint8_t)c->value;
		break;
	case C_UDP_PORT:
	case C_TCP_PORT:
	case C_IP_PROTO:
		put16(f + 12, 0x0800);
		f[14] = 0x45;
		put16(f + 16, (unsigned)(hdr - ETH_LEN + blen));
		f[22] = 255; /* TTL 255, as VRRP sends */
		f[23] = c->kind == C_UDP_PORT ? 17 : c->kind == C_TCP_PORT ? 6 : (uint8_t)c->value;
		f[26] = 10;
		f[29] = 1;
		f[30] = 224;
		f[33] = 18;
		if (c->kind == C_UDP_PORT) {
			put16(f + 34, 40000);
			put16(f + 36, c->value);
			put16(f + 38, (unsigned)(UDP_LEN + blen));
		} else if (c->kind == C_TCP_PORT) {
			put16(f + 34, 40000);
			put16(f + 36, c->value);
			f[46] = 0x50; /* data offset: 5 words */
			f[47] = 0x18; /* PSH, ACK */
			f[49] = 0xff; /* window */
		}
		break;
	}
	memcpy(f + hdr, body, blen);
	*len = hdr + blen;
	return f;
}

#define HDR_BYTES 4 /* link type, two flag bytes, wire length excess */

/*
 * Input layout: [0] link type (modulo the table), or with its top bit a
 * synthetic carrier (above), [1] and [2] flag bits,
 * [3] how many bytes the wire length exceeds the captured length (as a
 * snap length would), then the packet. Names are never looked up (-n is
 * always on): a fuzzer must not wait on DNS.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	char errbuf[TD_ERRBUF_SIZE];
	struct print_opts opts;
	struct printer *pr;
	struct td_pkt pkt;
	uint8_t f1, f2, *frame = NULL;
	size_t flen = 0;
	int linktype;

	if (size < HDR_BYTES)
		return 0;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		return 0;
	f1 = data[1];
	f2 = data[2];
	memset(&opts, 0, sizeof(opts));
	opts.numeric = 1;
	opts.link_header = f1 & 0x01;
	opts.quiet = (f1 & 0x02) != 0;
	opts.absolute_seq = (f1 & 0x04) != 0;
	opts.verbose = (f1 >> 3) & 0x03;
	opts.number = (f1 & 0x20) != 0;
	opts.no_checksum = (f1 & 0x40) != 0;
	opts.no_domain = (f1 & 0x80) != 0;
	switch (f2 & 0x07) {
	case 1: opts.hex = 1; break;
	case 2: opts.hex = 2; break;
	case 3: opts.hex_ascii = 1; break;
	case 4: opts.hex_ascii = 2; break;
	case 5: opts.ascii = true; break;
	default: break;
	}
	opts.ts_format = (enum print_ts_format)((f2 >> 3) % 6);
	opts.tsprec = (f2 & 0x80) ? TS_NANO : TS_MICRO;

	if (data[0] & 0x80) {
		frame = frame_build(&carriers[(data[0] & 0x7f) % (sizeof(carriers) / sizeof(carriers[0]))],
				    data + HDR_BYTES, size - HDR_BYTES, &flen);
		if (!frame)
			return 0;
		linktype = DLT_EN10MB;
	} else {
		linktype = link_types[data[0] % (sizeof(link_types) / sizeof(link_types[0]))];
	}
	pr = printer_new(&opts, linktype, devnull, errbuf);
	if (!pr) {
		free(frame);
		return 0;
	}
	memset(&pkt, 0, sizeof(pkt));
	pkt.data = frame ? frame : data + HDR_BYTES;
	pkt.caplen = (uint32_t)(frame ? flen : size - HDR_BYTES);
	pkt.wirelen = pkt.caplen + data[3];
	pkt.ts_sec = 1700000000 + f1;
	pkt.ts_frac = f2;
	/* twice: the second packet sees the first one's TCP flow and time reference */
	printer_packet(pr, &pkt);
	printer_packet(pr, &pkt);
	printer_free(pr);
	free(frame);
	return 0;
}
