/* pcapng output blocks (draft-ietf-opsawg-pcapng): SHB, IDB, EPB and ISB, host byte order as the SHB's magic says. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "writers/pcapng_out.h"
#include "writers/record.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_ISB 0x00000005u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define OPT_ENDOFOPT 0
#define OPT_SHB_HARDWARE 2
#define OPT_SHB_OS 3
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME 2
#define OPT_IF_TSRESOL 9
#define OPT_IF_FILTER 11
#define OPT_IF_FCSLEN 13
#define OPT_EPB_DROPCOUNT 4
#define OPT_ISB_STARTTIME 2
#define OPT_ISB_ENDTIME 3
#define OPT_ISB_IFRECV 4
#define OPT_ISB_IFDROP 5
#define OPT_ISB_FILTERACCEPT 6
#define OPT_ISB_OSDROP 7

/* An option's value is at most 65535 bytes; longer text (a huge -F filter) is left out rather than cut. */
#define OPT_VALUE_MAX 65535u

static inline size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static inline uint8_t *put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
	return p + 4;
}

static inline uint8_t *put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
	return p + 2;
}

static inline uint8_t *put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
	return p + 8;
}

/* An option: code, length, value, zero padding to 32 bits. `pre` is one byte put before the value (-1: none). */
static uint8_t *put_opt(uint8_t *p, uint16_t code, int pre, const void *val, size_t len)
{
	size_t n = len + (pre >= 0);

	p = put16(p, code);
	p = put16(p, (uint16_t)n);
	if (pre >= 0)
		*p++ = (uint8_t)pre;
	memcpy(p, val, len);
	memset(p + len, 0, pad4(n) - n);
	return p + (pad4(n) - (pre >= 0));
}

static size_t opt_bytes(size_t len)
{
	return 4 + pad4(len);
}

/* A text option is written when present, not empty and short enough. */
static bool text_ok(const char *s, size_t extra)
{
	return s && *s && strlen(s) + extra <= OPT_VALUE_MAX;
}

/* Timestamps are units of if_tsresol (10^-6 or 10^-9 s), high word first. */
static uint8_t *put_ts(uint8_t *p, uint64_t t)
{
	p = put32(p, (uint32_t)(t >> 32));
	return put32(p, (uint32_t)t);
}

bool pcapng_header_nano(const uint8_t pcap_header[24])
{
	return pcap_header[0] == 0x4d || pcap_header[3] == 0x4d;
}

/* The pcap header's fields in host order, swapped when its magic says the other order. */
static uint32_t header_u32(const uint8_t pcap_header[24], size_t off)
{
	uint32_t magic, v;

	memcpy(&magic, pcap_header, 4);
	memcpy(&v, pcap_header + off, 4);
	if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
		v = __builtin_bswap32(v);
	return v;
}

/* libpcap's LT_FCS_LENGTH_PRESENT: bit 26, the length in 16-bit words in bits 28-31. In bits; 0 none. */
static uint8_t fcs_bits(uint32_t lt)
{
	return (lt & 0x04000000u) ? (uint8_t)(((lt >> 28) & 0xf) * 16) : 0;
}

/* Bytes of the IDB of ifc (tsresol and, when the link-type field carries one, if_fcslen included). */
static size_t idb_bytes(const struct pcapng_iface *ifc, const char *filter)
{
	size_t idb = 16 + opt_bytes(1) + (fcs_bits(ifc->linktype) ? opt_bytes(1) : 0) + 4 + 4;

	if (text_ok(ifc->name, 0))
		idb += opt_bytes(strlen(ifc->name));
	if (text_ok(filter, 1))
		idb += opt_bytes(strlen(filter) + 1);
	return idb;
}

static uint8_t *put_idb(uint8_t *p, const struct pcapng_iface *ifc, const char *filter, uint8_t tsresol)
{
	uint32_t lt = ifc->linktype, idb = (uint32_t)idb_bytes(ifc, filter);
	uint8_t fcslen = fcs_bits(lt);

	p = put32(p, BT_IDB);
	p = put32(p, idb);
	p = put16(p, (uint16_t)(lt & 0xffff));
	p = put16(p, 0);
	p = put32(p, ifc->snaplen);
	if (text_ok(ifc->name, 0))
		p = put_opt(p, OPT_IF_NAME, -1, ifc->name, strlen(ifc->name));
	/* if_filter's first byte says what follows: 0 is a libpcap filter string. */
	if (text_ok(filter, 1))
		p = put_opt(p, OPT_IF_FILTER, 0, filter, strlen(filter));
	p = put_opt(p, OPT_IF_TSRESOL, -1, &tsresol, 1);
	if (fcslen)
		p = put_opt(p, OPT_IF_FCSLEN, -1, &fcslen, 1);
	p = put32(p, OPT_ENDOFOPT);
	return put32(p, idb);
}

uint8_t *pcapng_head_new(const uint8_t pcap_header[24], const struct pcapng_meta *m, size_t *len)
{
	struct utsname u;
	char os[2 * sizeof(u.sysname) + 2];
	const char *hw = NULL, *appl = m ? m->userappl : NULL, *filter = m ? m->filter : NULL;
	/* No interfaces named: the one the pcap header describes. */
	const struct pcapng_iface one = {
		.name = m ? m->if_name : NULL,
		.linktype = header_u32(pcap_header, 20),
		.snaplen = header_u32(pcap_header, 16),
	};
	const struct pcapng_iface *ifaces = m && m->nifaces ? m->ifaces : &one;
	unsigned nifaces = m && m->nifaces ? m->nifaces : 1;
	uint8_t tsresol = pcapng_header_nano(pcap_header) ? 9 : 6;
	size_t shb, idbs = 0;
	uint8_t *buf, *p;

	if (nifaces > PCAPNG_MAX_IFACES) {
		errno = EINVAL;
		return NULL;
	}
	os[0] = '\0';
	if (uname(&u) == 0) {
		hw = u.machine;
		snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
	}
	shb = 24 + 4 + 4;
	if (text_ok(hw, 0))
		shb += opt_bytes(strlen(hw));
	if (text_ok(os, 0))
		shb += opt_bytes(strlen(os));
	if (text_ok(appl, 0))
		shb += opt_bytes(strlen(appl));
	for (unsigned i = 0; i < nifaces; i++)
		idbs += idb_bytes(&ifaces[i], filter);
	buf = malloc(shb + idbs);
	if (!buf)
		return NULL;

	p = put32(buf, BT_SHB);
	p = put32(p, (uint32_t)shb);
	p = put32(p, BYTE_ORDER_MAGIC);
	p = put16(p, 1);
	p = put16(p, 0);
	p = put64(p, UINT64_MAX); /* section length not given: the file is written as it grows */
	if (text_ok(hw, 0))
		p = put_opt(p, OPT_SHB_HARDWARE, -1, hw, strlen(hw));
	if (text_ok(os, 0))
		p = put_opt(p, OPT_SHB_OS, -1, os, strlen(os));
	if (text_ok(appl, 0))
		p = put_opt(p, OPT_SHB_USERAPPL, -1, appl, strlen(appl));
	p = put32(p, OPT_ENDOFOPT);
	p = put32(p, (uint32_t)shb);
	for (unsigned i = 0; i < nifaces; i++)
		p = put_idb(p, &ifaces[i], filter, tsresol);
	*len = (size_t)(p - buf);
	return buf;
}

size_t pcapng_epbs(uint8_t *out, const uint8_t *recs, size_t len, unsigned count, bool nano, uint32_t iface,
		   uint64_t *dropcount)
{
	struct rec_iter it = rec_iter_of(recs, len);
	uint64_t unit = nano ? 1000000000u : 1000000u;
	const uint8_t *rec;
	struct rec_hdr h;
	uint8_t *p = out;

	while (count-- && (rec = rec_next(&it, &h))) {
		bool drops = *dropcount != 0;
		size_t total = REC_HDR_BYTES + h.caplen + pcapng_epb_extra(h.caplen, drops);

		p = put32(p, BT_EPB);
		p = put32(p, (uint32_t)total);
		p = put32(p, iface);
		/* pcap records hold 32 bits of seconds (until 2106), the fraction in the file's unit. */
		p = put_ts(p, (uint64_t)h.ts_sec * unit + h.ts_frac);
		p = put32(p, h.caplen);
		p = put32(p, h.len);
		memcpy(p, rec + REC_HDR_BYTES, h.caplen);
		memset(p + h.caplen, 0, pad4(h.caplen) - h.caplen);
		p += pad4(h.caplen);
		if (drops) {
			p = put_opt(p, OPT_EPB_DROPCOUNT, -1, dropcount, 8);
			p = put32(p, OPT_ENDOFOPT);
			*dropcount = 0;
		}
		p = put32(p, (uint32_t)total);
	}
	return (size_t)(p - out);
}

size_t pcapng_isb(uint8_t *out, const struct pcapng_isb *st, bool nano)
{
	uint64_t div = nano ? 1 : 1000;
	uint8_t *p = out + 8;
	uint32_t total;

	p = put32(p, st->iface);
	/* The block's own time stamp: when the counts were taken, the end of the file (0 when unknown). */
	p = put_ts(p, st->have_times ? st->end_ns / div : 0);
	if (st->have_times) {
		uint8_t t[8];

		put_ts(t, st->start_ns / div);
		p = put_opt(p, OPT_ISB_STARTTIME, -1, t, 8);
		put_ts(t, st->end_ns / div);
		p = put_opt(p, OPT_ISB_ENDTIME, -1, t, 8);
	}
	p = put_opt(p, OPT_ISB_IFRECV, -1, &st->ifrecv, 8);
	p = put_opt(p, OPT_ISB_IFDROP, -1, &st->ifdrop, 8);
	p = put_opt(p, OPT_ISB_FILTERACCEPT, -1, &st->filteraccept, 8);
	p = put_opt(p, OPT_ISB_OSDROP, -1, &st->osdrop, 8);
	p = put32(p, OPT_ENDOFOPT);
	total = (uint32_t)(p - out) + 4;
	put32(out, BT_ISB);
	put32(out + 4, total);
	put32(p, total);
	return total;
}
