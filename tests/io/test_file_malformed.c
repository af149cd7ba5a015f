/* Crafted and damaged capture files: every case read by file_source and by libpcap must end the same way. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "io/file_source.h"

struct buf {
	uint8_t *p;
	size_t len, cap;
	bool be; /* write multi-byte fields big-endian */
};

static void put(struct buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 256;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	if (d)
		memcpy(b->p + b->len, d, n);
	else
		memset(b->p + b->len, 0, n);
	b->len += n;
}

static void uN(struct buf *b, uint64_t v, unsigned n)
{
	uint8_t x[8];

	for (unsigned i = 0; i < n; i++)
		x[b->be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
	put(b, x, n);
}

static void u16(struct buf *b, uint64_t v)
{
	uN(b, v, 2);
}
static void u32(struct buf *b, uint64_t v)
{
	uN(b, v, 4);
}

/* Payload bytes that differ per packet, so a misplaced pointer shows. */
static void payload(struct buf *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)(seed * 31 + i * 7);
		put(b, &c, 1);
	}
}

/* ---- pcap ---- */

static void pcap_hdr(struct buf *b, uint32_t magic, unsigned major, unsigned minor, uint32_t snaplen, uint32_t linktype)
{
	u32(b, magic);
	u16(b, major);
	u16(b, minor);
	u32(b, 0);
	u32(b, 0);
	u32(b, snaplen);
	u32(b, linktype);
}

static void pcap_rec(struct buf *b, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len, size_t data)
{
	u32(b, sec);
	u32(b, frac);
	u32(b, caplen);
	u32(b, len);
	payload(b, data, sec);
}

static void small_pcap(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 65535, 1);
	pcap_rec(b, 1000, 1, 60, 60, 60);
	pcap_rec(b, 1001, 999999, 14, 1514, 14);
	pcap_rec(b, 1002, 500000, 0, 0, 0);
	pcap_rec(b, 1003, 7, 42, 42, 42);
}

static void small_pcap_be(struct buf *b)
{
	b->be = true;
	small_pcap(b);
}

static void nano_pcap(struct buf *b)
{
	pcap_hdr(b, 0xa1b23c4d, 2, 4, 0, 101);
	pcap_rec(b, 5, 123456789, 20, 20, 20);
	pcap_rec(b, 6, 999999999, 20, 20, 20);
	pcap_rec(b, 7, 1999999999, 20, 20, 20); /* out of range, kept raw */
	pcap_rec(b, 0xfffffff0, 0xfffffff0, 20, 20, 20);
}

static void nano_pcap_be(struct buf *b)
{
	b->be = true;
	nano_pcap(b);
}

static void micro_odd(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0xffffffff, 0);
	pcap_rec(b, 0x80000000, 1000000, 4, 4, 4);
	pcap_rec(b, 0xffffffff, 0xffffffff, 4, 4, 4);
	pcap_rec(b, 4294967, 4294968, 4, 4, 4);
}

static void caplen_over_snaplen(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 100, 1);
	pcap_rec(b, 1, 2, 40, 40, 40);
	pcap_rec(b, 2, 3, 200, 300, 200);
	pcap_rec(b, 3, 4, 100, 100, 100);
	pcap_rec(b, 4, 5, 101, 101, 101);
}

static void caplen_absurd(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 100, 1);
	pcap_rec(b, 1, 2, 40, 40, 40);
	pcap_rec(b, 2, 3, 300000, 300000, 16);
}

static void caplen_absurd_big_snaplen(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0x7fffffff, 1);
	pcap_rec(b, 1, 2, 40, 40, 40);
	pcap_rec(b, 2, 3, 262145, 262145, 16);
}

static void caplen_huge_dbus(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0, 231);
	pcap_rec(b, 1, 2, 300000, 300000, 300000);
	pcap_rec(b, 2, 3, 0xffffff00, 16, 16);
}

static void snaplen_above_max(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 262200, 1);
	pcap_rec(b, 1, 2, 262150, 262150, 262150);
}

static void old_versions(struct buf *b)
{
	/* 2.2: len stored before caplen. */
	pcap_hdr(b, 0xa1b2c3d4, 2, 2, 0, 1);
	pcap_rec(b, 1, 2, 100, 30, 30);
}

static void version_23(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 2, 3, 0, 1);
	pcap_rec(b, 1, 2, 30, 100, 30);
	pcap_rec(b, 1, 2, 100, 30, 30);
}

static void version_543(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 543, 0, 0, 1);
	pcap_rec(b, 1, 2, 100, 30, 30);
}

static void version_archaic(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 1, 0, 0, 1);
}
static void version_25(struct buf *b)
{
	pcap_hdr(b, 0xa1b2c3d4, 2, 5, 0, 1);
}

static void kuznetzov(struct buf *b)
{
	pcap_hdr(b, 0xa1b2cd34, 2, 4, 100, 1);
	for (uint32_t i = 0; i < 3; i++) {
		pcap_rec(b, i, i, 0, 0, 0);
		b->len -= 8; /* rewrite caplen/len after the patched header's extra bytes */
		u32(b, 40 + i);
		u32(b, 60);
		u32(b, 7);
		u32(b, 0);
		payload(b, 40 + i, i);
	}
}

static void linktypes(struct buf *b)
{
	/* FCS bits above the link type are not part of pcap_datalink(). */
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0, 0x04000064);
	pcap_rec(b, 1, 2, 10, 10, 10);
}

static void bad_magic(struct buf *b)
{
	put(b, "this is not a capture file", 26);
}
static void empty(struct buf *b)
{
	(void)b;
}
static void three_bytes(struct buf *b)
{
	put(b, "\xd4\xc3\xb2", 3);
}

/* ---- pcapng ---- */

static size_t block_start(struct buf *b, uint32_t type)
{
	size_t at = b->len;

	u32(b, type);
	u32(b, 0);
	return at;
}

static void block_end(struct buf *b, size_t at)
{
	uint32_t total;
	struct buf fix = { .be = b->be };

	while (b->len % 4)
		put(b, NULL, 1);
	total = (uint32_t)(b->len - at + 4);
	u32(b, total);
	u32(&fix, total);
	memcpy(b->p + at + 4, fix.p, 4);
	free(fix.p);
}

static void opt(struct buf *b, unsigned code, const void *v, unsigned len)
{
	u16(b, code);
	u16(b, len);
	put(b, v, len);
	while (b->len % 4)
		put(b, NULL, 1);
}

static void shb(struct buf *b, unsigned major, unsigned minor)
{
	size_t at = block_start(b, 0x0A0D0D0A);

	u32(b, 0x1A2B3C4D);
	u16(b, major);
	u16(b, minor);
	u32(b, 0xffffffff);
	u32(b, 0xffffffff);
	opt(b, 4, "crafted", 7);
	opt(b, 0, NULL, 0);
	block_end(b, at);
}

/* tsresol < 0: none; has_off: add if_tsoffset. */
static void idb(struct buf *b, unsigned linktype, uint32_t snaplen, int tsresol, bool has_off, int64_t off)
{
	size_t at = block_start(b, 1);

	u16(b, linktype);
	u16(b, 0);
	u32(b, snaplen);
	opt(b, 2, "eth0", 4);
	if (tsresol >= 0) {
		uint8_t r = (uint8_t)tsresol;
		opt(b, 9, &r, 1);
	}
	if (has_off) {
		struct buf v = { .be = b->be };
		uN(&v, (uint64_t)off, 8);
		opt(b, 14, v.p, 8);
		free(v.p);
	}
	opt(b, 0, NULL, 0);
	block_end(b, at);
}

static void epb(struct buf *b, uint32_t ifid, uint64_t t, uint32_t caplen, uint32_t len, size_t data)
{
	size_t at = block_start(b, 6);

	u32(b, ifid);
	u32(b, t >> 32);
	u32(b, (uint32_t)t);
	u32(b, caplen);
	u32(b, len);
	payload(b, data, (unsigned)t);
	while (b->len % 4)
		put(b, NULL, 1);
	opt(b, 1, "a comment", 9);
	block_end(b, at);
}

static void spb(struct buf *b, uint32_t len, size_t data)
{
	size_t at = block_start(b, 3);

	u32(b, len);
	payload(b, data, len);
	block_end(b, at);
}

static void pb(struct buf *b, uint16_t ifid, uint64_t t, uint32_t caplen, uint32_t len)
{
	size_t at = block_start(b, 2);

	u16(b, ifid);
	u16(b, 0);
	u32(b, t >> 32);
	u32(b, (uint32_t)t);
	u32(b, caplen);
	u32(b, len);
	payload(b, caplen, (unsigned)t);
	block_end(b, at);
}

static void unknown_block(struct buf *b, uint32_t type)
{
	size_t at = block_start(b, type);

	payload(b, 13, 5);
	block_end(b, at);
}

static void ng_full(struct buf *b)
{
	shb(b, 1, 0);
	unknown_block(b, 0x0BAD);
	idb(b, 1, 1500, 9, true, 100); /* nanoseconds, offset 100 s */
	unknown_block(b, 4);	       /* name resolution */
	epb(b, 0, 1234567890123456789ull, 60, 60, 60);
	idb(b, 1, 1500, 0x80 | 20, false, 0); /* 2^-20 s */
	epb(b, 1, (5ull << 20) + 12345, 31, 64, 31);
	spb(b, 70, 70);
	pb(b, 1, 99ull << 20, 14, 14);
	idb(b, 1, 1500, 3, true, -5); /* milliseconds, offset -5 s */
	epb(b, 2, 1234999, 0, 0, 0);
	shb(b, 1, 2); /* a second section */
	idb(b, 1, 1500, -1, false, 0);
	epb(b, 0, 1700000000123456ull, 50, 50, 50);
	spb(b, 2000, 1500); /* longer than the snaplen */
}

static void ng_full_be(struct buf *b)
{
	b->be = true;
	ng_full(b);
}

static void ng_small(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, 6, false, 0);
	epb(b, 0, 1000001, 20, 20, 20);
	spb(b, 9, 9);
	epb(b, 0, 2000002, 4, 40, 4);
}

static void ng_small_be(struct buf *b)
{
	b->be = true;
	ng_small(b);
}

static void ng_two_linktypes(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	epb(b, 0, 1, 20, 20, 20);
	idb(b, 113, 0, -1, false, 0);
	epb(b, 1, 2, 20, 20, 20);
}

static void ng_raw_twice(struct buf *b)
{
	/* Same LINKTYPE_RAW twice: libpcap compares the DLT with the raw value. */
	shb(b, 1, 0);
	idb(b, 101, 0, -1, false, 0);
	epb(b, 0, 1, 20, 20, 20);
	idb(b, 101, 0, -1, false, 0);
	epb(b, 1, 2, 20, 20, 20);
}

static void ng_two_snaplens(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	idb(b, 1, 262144, -1, false, 0); /* same once adjusted */
	epb(b, 1, 1, 20, 20, 20);
	idb(b, 1, 100, -1, false, 0);
	epb(b, 0, 2, 20, 20, 20);
}

static void ng_caplen_over_snaplen(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 64, -1, false, 0);
	epb(b, 0, 1, 64, 64, 64);
	epb(b, 0, 2, 65, 65, 65);
}

static void ng_snaplen_odd(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0x80000001u, -1, false, 0);
	epb(b, 0, 1, 20, 20, 20);
}

static void ng_tsresol_edges(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, 0, false, 0);	   /* whole seconds */
	idb(b, 1, 0, 19, false, 0);	   /* 10^-19 */
	idb(b, 1, 0, 0x80 | 63, false, 0); /* 2^-63 */
	idb(b, 1, 0, 0x80, true, 1);	   /* 2^0 */
	epb(b, 0, 0xffffffffffffffffull, 4, 4, 4);
	epb(b, 1, 0xffffffffffffffffull, 4, 4, 4);
	epb(b, 2, 0xffffffffffffffffull, 4, 4, 4);
	epb(b, 3, 0xffffffffffffffffull, 4, 4, 4);
	epb(b, 2, 0x8000000000000001ull, 4, 4, 4);
}

static void ng_tsresol_bad(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	epb(b, 0, 1, 4, 4, 4);
	idb(b, 1, 0, 20, false, 0);
}

static void ng_unknown_iface(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	epb(b, 0, 1, 4, 4, 4);
	epb(b, 3, 1, 4, 4, 4);
}

static void ng_section_without_idb(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	epb(b, 0, 1, 4, 4, 4);
	shb(b, 1, 0);
	spb(b, 4, 4);
}

static void ng_packet_before_idb(struct buf *b)
{
	shb(b, 1, 0);
	epb(b, 0, 1, 4, 4, 4);
}

static void ng_no_idb(struct buf *b)
{
	shb(b, 1, 0);
	unknown_block(b, 5);
}

static void ng_version(struct buf *b)
{
	shb(b, 1, 1);
	idb(b, 1, 0, -1, false, 0);
}

static void ng_version_later(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	epb(b, 0, 1, 4, 4, 4);
	shb(b, 2, 0);
	idb(b, 1, 0, -1, false, 0);
}

static void ng_trailer_mismatch(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	epb(b, 0, 1, 4, 4, 4);
	epb(b, 0, 2, 4, 4, 4);
	b->p[b->len - 1] ^= 0x40;
}

static void ng_length_odd(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	epb(b, 0, 1, 4, 4, 4);
	u32(b, 6);
	u32(b, 30);
	put(b, NULL, 24);
}

static void ng_length_tiny(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	u32(b, 6);
	u32(b, 8);
}

static void ng_block_huge(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	u32(b, 6);
	u32(b, 0x7ffffff0);
	put(b, NULL, 64);
}

static void ng_epb_short(struct buf *b)
{
	size_t at;

	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	at = block_start(b, 6);
	u32(b, 0);
	u32(b, 0);
	u32(b, 1);
	u32(b, 40); /* caplen beyond the block */
	u32(b, 40);
	put(b, NULL, 8);
	block_end(b, at);
}

static void ng_shb_length(struct buf *b)
{
	u32(b, 0x0A0D0D0A);
	u32(b, 2 * 1024 * 1024);
	u32(b, 0x1A2B3C4D);
	put(b, NULL, 40);
}

static void ng_not_really(struct buf *b)
{
	/* \n\r\r\n followed by text: libpcap calls it an unknown format. */
	put(b, "\n\r\r\nhello world, just text", 27);
}

static void ng_mixed_order(struct buf *b)
{
	shb(b, 1, 0);
	idb(b, 1, 0, -1, false, 0);
	epb(b, 0, 1, 4, 4, 4);
	b->be = true;
	shb(b, 1, 0);
}

static void ng_bad_option(struct buf *b)
{
	size_t at;

	shb(b, 1, 0);
	at = block_start(b, 1);
	u16(b, 1);
	u16(b, 0);
	u32(b, 0);
	u16(b, 9);
	u16(b, 2); /* if_tsresol must be one byte */
	u32(b, 6);
	block_end(b, at);
}

/* ---- pseudo-headers libpcap rewrites ---- */

/*
 * One packet per captured length from 0 to its full size, so every field
 * of the pseudo-header is met whole, cut, and missing.
 */
static void every_caplen(struct buf *b, const uint8_t *pkt, uint32_t n, uint32_t wirelen)
{
	for (uint32_t c = 0; c <= n; c++) {
		u32(b, c);
		u32(b, 7);
		u32(b, c);
		u32(b, wirelen);
		put(b, pkt, c);
	}
}

static void pattern(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 37 + 11);
}

static void pflog_be(struct buf *b)
{
	uint8_t p[80];

	b->be = true;
	pattern(p, sizeof(p));
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0, 117);
	p[0] = 64;
	every_caplen(b, p, sizeof(p), 80);
	p[0] = 50; /* header says it ends inside pid */
	every_caplen(b, p, sizeof(p), 80);
	p[0] = 64;
	every_caplen(b, p, sizeof(p), 47); /* wire length ends inside uid */
}

static void sll_can_be(struct buf *b)
{
	uint8_t p[40];

	b->be = true;
	pattern(p, sizeof(p));
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0, 113);
	for (uint8_t proto = 0x0b; proto <= 0x0e; proto++) {
		p[14] = 0;
		p[15] = proto;
		every_caplen(b, p, sizeof(p), 40);
	}
	every_caplen(b, p, sizeof(p), 18);
}

static void sll2_can_be(struct buf *b)
{
	uint8_t p[40];

	b->be = true;
	pattern(p, sizeof(p));
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0, 276);
	p[0] = 0;
	p[1] = 0x0c;
	every_caplen(b, p, sizeof(p), 40);
	p[1] = 0x0d;
	every_caplen(b, p, sizeof(p), 40);
}

static void usb_be(struct buf *b)
{
	uint8_t p[72];

	b->be = true;
	pattern(p, sizeof(p));
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0, 189);
	p[9] = 0; /* isochronous */
	every_caplen(b, p, sizeof(p), 72);
	p[9] = 2; /* control: setup packet, not swapped */
	every_caplen(b, p, sizeof(p), 72);
}

static void usb_mmapped_be(struct buf *b)
{
	uint8_t p[64 + 3 * 16 + 8];

	b->be = true;
	pattern(p, sizeof(p));
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0, 220);
	p[9] = 0;
	memcpy(p + 60, "\0\0\0\2", 4); /* ndesc 2, big-endian as written */
	every_caplen(b, p, sizeof(p), sizeof(p));
	p[9] = 3;
	every_caplen(b, p, sizeof(p), sizeof(p));
}

static void nflog_be(struct buf *b)
{
	uint8_t p[4 + 8 + 12 + 4 + 6];

	b->be = true;
	pattern(p, sizeof(p));
	p[1] = 0;
	/* TLVs of length 8, 9 (padded to 12), 4, then one claiming 64 */
	p[4] = 0, p[5] = 8;
	p[12] = 0, p[13] = 9;
	p[24] = 0, p[25] = 4;
	p[28] = 0, p[29] = 64;
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0, 239);
	every_caplen(b, p, sizeof(p), sizeof(p));
	every_caplen(b, p, sizeof(p), 20);
	p[1] = 1; /* unknown version: left alone */
	every_caplen(b, p, 16, 16);
}

/* A completed incoming isochronous transfer whose length old libpcap took from urb_len. */
static void usb_mmapped_len(struct buf *b)
{
	uint8_t p[64 + 4 * 16 + 40];
	uint32_t urb_len = 500;

	memset(p, 0, sizeof(p));
	p[8] = 'C';
	p[9] = 0;
	p[10] = 0x81;
	memcpy(p + 32, &urb_len, 4);
	memcpy(p + 60, &(uint32_t){ 4 }, 4);
	for (uint32_t d = 0; d < 4; d++) {
		uint32_t desc[4] = { 0, d * 100, d == 2 ? 0 : 30 + d, 0 };

		memcpy(p + 64 + d * 16, desc, 16);
	}
	pcap_hdr(b, 0xa1b2c3d4, 2, 4, 0, 220);
	every_caplen(b, p, sizeof(p), 64 + 4 * 16 + urb_len);
	every_caplen(b, p, 70, 70); /* length does not match: kept */
	p[15] = 1;		    /* no data */
	every_caplen(b, p, sizeof(p), 64 + 4 * 16 + urb_len);
	p[15] = 0;
	memcpy(p + 60, &(uint32_t){ 200 }, 4); /* more descriptors than captured */
	every_caplen(b, p, sizeof(p), 64 + 200 * 16 + urb_len);
	memcpy(p + 60, &(uint32_t){ 0x10000001 }, 4); /* ndesc * 16 overflows 32 bits */
	u32(b, 1);
	u32(b, 2);
	u32(b, sizeof(p));
	u32(b, (uint32_t)(64 + 16 + urb_len));
	put(b, p, sizeof(p));
}

static void ng_usb_mmapped_be(struct buf *b)
{
	uint8_t p[64 + 2 * 16];

	b->be = true;
	pattern(p, sizeof(p));
	p[9] = 0;
	memcpy(p + 60, "\0\0\0\2", 4);
	shb(b, 1, 0);
	idb(b, 220, 0, -1, false, 0);
	for (uint32_t c = 0; c <= sizeof(p); c++) {
		size_t at = block_start(b, 6);

		u32(b, 0);
		u32(b, 0);
		u32(b, c);
		u32(b, c);
		u32(b, sizeof(p));
		put(b, p, c);
		block_end(b, at);
	}
}

/* Blocks bigger than the read buffer before the first IDB and between packets. */
static void ng_big_blocks(struct buf *b)
{
	static uint8_t big[60000];
	size_t at;

	memset(big, 'c', sizeof(big));
	at = block_start(b, 0x0A0D0D0A);
	u32(b, 0x1A2B3C4D);
	u16(b, 1);
	u16(b, 0);
	u32(b, 0xffffffff);
	u32(b, 0xffffffff);
	for (int i = 0; i < 12; i++)
		opt(b, 1, big, sizeof(big)); /* 720 KB of comments */
	opt(b, 0, NULL, 0);
	block_end(b, at);
	at = block_start(b, 0x0BAD);
	for (int i = 0; i < 7; i++)
		put(b, big, sizeof(big));
	block_end(b, at);
	idb(b, 1, 0, -1, false, 0);
	epb(b, 0, 1, 60, 60, 60);
	at = block_start(b, 0x0BAD);
	for (int i = 0; i < 9; i++)
		put(b, big, sizeof(big));
	block_end(b, at);
	epb(b, 0, 2, 60, 60, 60);
}

struct crafted {
	const char *name;
	void (*build)(struct buf *b);
	bool sweep; /* also cut at every byte offset */
};

static const struct crafted cases[] = {
	{ "small_pcap", small_pcap, true },
	{ "small_pcap_be", small_pcap_be, true },
	{ "nano_pcap", nano_pcap, false },
	{ "nano_pcap_be", nano_pcap_be, false },
	{ "micro_odd", micro_odd, false },
	{ "caplen_over_snaplen", caplen_over_snaplen, true },
	{ "caplen_absurd", caplen_absurd, false },
	{ "caplen_absurd_big_snaplen", caplen_absurd_big_snaplen, false },
	{ "caplen_huge_dbus", caplen_huge_dbus, false },
	{ "snaplen_above_max", snaplen_above_max, false },
	{ "old_versions", old_versions, false },
	{ "version_23", version_23, false },
	{ "version_543", version_543, false },
	{ "version_archaic", version_archaic, false },
	{ "version_25", version_25, false },
	{ "kuznetzov", kuznetzov, true },
	{ "linktypes", linktypes, false },
	{ "bad_magic", bad_magic, false },
	{ "empty", empty, false },
	{ "three_bytes", three_bytes, false },
	{ "ng_full", ng_full, true },
	{ "ng_full_be", ng_full_be, true },
	{ "ng_small", ng_small, true },
	{ "ng_small_be", ng_small_be, false },
	{ "ng_two_linktypes", ng_two_linktypes, false },
	{ "ng_raw_twice", ng_raw_twice, false },
	{ "ng_two_snaplens", ng_two_snaplens, false },
	{ "ng_caplen_over_snaplen", ng_caplen_over_snaplen, false },
	{ "ng_snaplen_odd", ng_snaplen_odd, false },
	{ "ng_tsresol_edges", ng_tsresol_edges, false },
	{ "ng_tsresol_bad", ng_tsresol_bad, false },
	{ "ng_unknown_iface", ng_unknown_iface, false },
	{ "ng_section_without_idb", ng_section_without_idb, false },
	{ "ng_packet_before_idb", ng_packet_before_idb, false },
	{ "ng_no_idb", ng_no_idb, false },
	{ "ng_version", ng_version, false },
	{ "ng_version_later", ng_version_later, false },
	{ "ng_trailer_mismatch", ng_trailer_mismatch, false },
	{ "ng_length_odd", ng_length_odd, false },
	{ "ng_length_tiny", ng_length_tiny, false },
	{ "ng_block_huge", ng_block_huge, false },
	{ "ng_epb_short", ng_epb_short, false },
	{ "ng_shb_length", ng_shb_length, false },
	{ "ng_not_really", ng_not_really, false },
	{ "ng_mixed_order", ng_mixed_order, false },
	{ "ng_bad_option", ng_bad_option, false },
	{ "ng_big_blocks", ng_big_blocks, false },
	{ "pflog_be", pflog_be, false },
	{ "sll_can_be", sll_can_be, false },
	{ "sll2_can_be", sll2_can_be, false },
	{ "usb_be", usb_be, false },
	{ "usb_mmapped_be", usb_mmapped_be, false },
	{ "nflog_be", nflog_be, false },
	{ "usb_mmapped_len", usb_mmapped_len, false },
	{ "ng_usb_mmapped_be", ng_usb_mmapped_be, false },
};

/*
 * Plain and LZ4-framed (which must not change a single message), at both
 * precisions, or for the byte-offset sweeps (both = false) plain in
 * microseconds and LZ4 in nanoseconds, which halves their run time.
 */
static int check_bytes(const char *dir, const char *label, const uint8_t *p, size_t len, bool both)
{
	char path[128], lz4[128], l2[256];
	size_t split = len / 2;
	int bad = 0;

	snprintf(path, sizeof(path), "%s/case", dir);
	snprintf(lz4, sizeof(lz4), "%s/case.lz4", dir);
	if (spit(path, p, len) < 0 || lz4_write_file(lz4, p, len, &split, len > 1) < 0)
		return 1;
	for (int w = TS_MICRO; w <= TS_NANO; w++) {
		enum ts_precision p_w = (enum ts_precision)w;

		if (both || w == TS_MICRO) {
			snprintf(l2, sizeof(l2), "%s (%s)", label, w == TS_NANO ? "nano" : "micro");
			bad |= compare_with_libpcap(l2, path, path, p_w, 0, 3, CMP_EXACT);
		}
		if (both || w == TS_NANO) {
			snprintf(l2, sizeof(l2), "%s mapped (%s)", label, w == TS_NANO ? "nano" : "micro");
			bad |= compare_with_libpcap(l2, path, path, p_w, FILE_SOURCE_MMAP, 2, CMP_EXACT);
			snprintf(l2, sizeof(l2), "%s.lz4 (%s)", label, w == TS_NANO ? "nano" : "micro");
			bad |= compare_with_libpcap(l2, lz4, path, p_w, 0, 3, CMP_EXACT);
		}
	}
	return bad;
}

static int check_crafted(const char *dir)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = { 0 };
		char label[128];

		cases[i].build(&b);
		bad |= check_bytes(dir, cases[i].name, b.p, b.len, true);
		for (size_t cut = 0; cases[i].sweep && cut < b.len; cut++) {
			snprintf(label, sizeof(label), "%s cut at %zu", cases[i].name, cut);
			bad |= check_bytes(dir, label, b.p, cut, false);
		}
		free(b.p);
	}
	return bad;
}

/* A compressed copy cut at every offset: good packets first, then an LZ4 or truncation error. */
static int check_lz4_cuts(const char *dir)
{
	struct buf b = { 0 };
	char path[128], lz4[128], cutp[128], label[128];
	size_t split, zlen;
	uint8_t *z;
	int bad = 0;

	ng_full(&b);
	split = b.len / 2;
	snprintf(path, sizeof(path), "%s/full", dir);
	snprintf(lz4, sizeof(lz4), "%s/full.lz4", dir);
	snprintf(cutp, sizeof(cutp), "%s/cut.lz4", dir);
	if (spit(path, b.p, b.len) < 0 || lz4_write_file(lz4, b.p, b.len, &split, 1) < 0 || !(z = slurp(lz4, &zlen))) {
		free(b.p);
		return 1;
	}
	for (size_t cut = 4; cut < zlen; cut++) {
		if (spit(cutp, z, cut) < 0) {
			bad = 1;
			break;
		}
		snprintf(label, sizeof(label), "lz4 cut at %zu/%zu", cut, zlen);
		bad |= compare_with_libpcap(label, cutp, path, TS_MICRO, 0, 4, CMP_PREFIX_LZ4);
	}
	/* Garbage after the magic, and garbage after a whole frame. */
	memcpy(z + 4, "garbage garbage garbage", 23);
	spit(cutp, z, zlen);
	{
		char err[TD_ERRBUF_SIZE] = "";
		struct source *s = file_source_open(cutp, TS_MICRO, err);

		if (s || strncmp(err, "lz4: ", 5) != 0) {
			printf("garbage lz4: expected an lz4 error at open, got %s\n", s ? "a source" : err);
			bad = 1;
		}
		source_close(s);
	}
	free(z);
	z = slurp(lz4, &zlen);
	if (z) {
		uint8_t *z2 = malloc(zlen + 16);
		memcpy(z2, z, zlen);
		memset(z2 + zlen, 0x5a, 16);
		spit(cutp, z2, zlen + 16);
		bad |= compare_with_libpcap("lz4 with trailing garbage", cutp, path, TS_MICRO, 0, 4, CMP_PREFIX_LZ4);
		{
			char err[TD_ERRBUF_SIZE] = "";
			struct td_pkt pk[64];
			struct source *s = file_source_open(cutp, TS_MICRO, err);
			int r = 0;

			while (s && (r = source_rx_burst(s, pk, 64)) >= 0)
				;
			/* Corrupt, not cut: -EBADMSG (instream_lz4.c), so no partial record reads as a truncation. */
			if (!s || r != -EBADMSG || strncmp(s->errbuf, "lz4: ", 5) != 0) {
				printf("lz4 trailing garbage: want -EBADMSG lz4: ..., got %d %s\n", r,
				       s ? s->errbuf : err);
				bad = 1;
			}
			source_close(s);
		}
		free(z2);
		free(z);
	}
	free(b.p);
	return bad;
}

/* Files that cannot be opened at all: libpcap's message and a meaningful errno. */
static int check_open_errors(const char *dir)
{
	char path[128], err[256];
	struct source *s;
	int bad = 0;

	snprintf(path, sizeof(path), "%s/missing.pcap", dir);
	bad |= compare_with_libpcap("missing", path, path, TS_MICRO, 0, 1, CMP_EXACT);
	errno = 0;
	s = file_source_open(path, TS_MICRO, err);
	if (s || errno != ENOENT) {
		printf("missing: want NULL/ENOENT, got errno %d\n", errno);
		bad = 1;
	}
	source_close(s);
	bad |= compare_with_libpcap("directory", dir, dir, TS_MICRO, 0, 1, CMP_EXACT);
	bad |= compare_with_libpcap("directory mapped", dir, dir, TS_MICRO, FILE_SOURCE_MMAP, 1, CMP_EXACT);

	if (geteuid() == 0) {
		printf("note: unreadable-file case skipped (running as root)\n");
	} else {
		struct buf b = { 0 };

		small_pcap(&b);
		snprintf(path, sizeof(path), "%s/unreadable.pcap", dir);
		spit(path, b.p, b.len);
		free(b.p);
		chmod(path, 0);
		bad |= compare_with_libpcap("unreadable", path, path, TS_MICRO, 0, 1, CMP_EXACT);
		errno = 0;
		s = file_source_open(path, TS_MICRO, err);
		if (s || errno != EACCES) {
			printf("unreadable: want NULL/EACCES, got errno %d\n", errno);
			bad = 1;
		}
		source_close(s);
	}
	return bad;
}

/*
 * "-" reads standard input, mapped or not, from where its offset stands,
 * and leaves it open: tcpdump -r - after something else read the head.
 */
static int check_stdin(const char *dir)
{
	struct buf b = { 0 };
	char path[128], tail[128];
	int bad = 0, saved = dup(STDIN_FILENO);

	small_pcap(&b);
	snprintf(path, sizeof(path), "%s/stdin.pcap", dir);
	snprintf(tail, sizeof(tail), "%s/stdin-tail.pcap", dir);
	/* What follows 7 junk bytes must read like the file without them. */
	{
		struct buf j = { 0 };

		put(&j, "junk!!\n", 7);
		put(&j, b.p, b.len);
		if (spit(tail, j.p, j.len) < 0 || spit(path, b.p, b.len) < 0)
			bad = 1;
		free(j.p);
	}
	for (unsigned flags = 0; !bad && flags <= FILE_SOURCE_MMAP; flags += FILE_SOURCE_MMAP) {
		char junk[7];
		int fd = open(tail, O_RDONLY);

		if (fd < 0 || read(fd, junk, sizeof(junk)) != 7 || dup2(fd, STDIN_FILENO) < 0) {
			bad = 1;
			break;
		}
		close(fd);
		bad |= compare_with_libpcap(flags ? "stdin mapped" : "stdin", "-", path, TS_MICRO, flags, 2, CMP_EXACT);
		if (fcntl(STDIN_FILENO, F_GETFD) < 0) {
			printf("stdin: closed by source_close()\n");
			bad = 1;
		}
	}
	dup2(saved, STDIN_FILENO);
	close(saved);
	free(b.p);
	return bad;
}

/*
 * Several MB through a FIFO in odd-sized writes, with records from 0 bytes
 * to 700 KB (D-Bus link type, whose records may be that big): bursts meet
 * the buffer's end, the buffer slides, and grows past its 512 KiB.
 */
static int check_big_fifo(const char *dir)
{
	struct buf b = { 0 };
	char path[128], fifo[128], lz4[128];
	uint32_t x = 12345;
	pid_t pid;
	int bad = 0, status;

	pcap_hdr(&b, 0xa1b2c3d4, 2, 4, 0, 231);
	for (uint32_t i = 0; b.len < (8u << 20); i++) {
		uint32_t n;

		x = x * 1103515245u + 12345u;
		n = (x >> 8) % 1600;
		if (i % 1000 == 999)
			n = 200000 + i % 77;
		if (i % 3000 == 1500)
			n = 700000 + i % 33;
		pcap_rec(&b, i, i % 1000000, n, n + (i & 1), n);
	}
	snprintf(path, sizeof(path), "%s/big.pcap", dir);
	snprintf(fifo, sizeof(fifo), "%s/big.fifo", dir);
	snprintf(lz4, sizeof(lz4), "%s/big.lz4", dir);
	if (spit(path, b.p, b.len) < 0 || mkfifo(fifo, 0600) < 0) {
		free(b.p);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		int fd = open(fifo, O_WRONLY);
		size_t off = 0;

		while (fd >= 0 && off < b.len) {
			size_t chunk = b.len - off < 77777 ? b.len - off : 77777;
			ssize_t w = write(fd, b.p + off, chunk);

			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	bad |= compare_with_libpcap("big fifo", fifo, path, TS_NANO, 0, 256, CMP_EXACT);
	bad |= compare_with_libpcap("big file", path, path, TS_MICRO, 0, 300, CMP_EXACT);
	bad |= compare_with_libpcap("big file mapped", path, path, TS_MICRO, FILE_SOURCE_MMAP, 300, CMP_EXACT);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		bad = 1;
	{
		size_t splits[3] = { b.len / 4, b.len / 2, b.len - 5 };

		if (lz4_write_file(lz4, b.p, b.len, splits, 3) < 0)
			bad = 1;
		else
			bad |= compare_with_libpcap("big lz4", lz4, path, TS_MICRO, 0, 512, CMP_EXACT);
	}
	free(b.p);
	return bad;
}

/* Run one group and say how long it took: these tests must stay short on a shared box. */
static int timed(const char *what, int (*fn)(const char *dir), const char *dir)
{
	struct timespec a, b;
	int bad;

	clock_gettime(CLOCK_MONOTONIC, &a);
	bad = fn(dir);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%s: %s (%.1f s)\n", what, bad ? "FAIL" : "ok",
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return bad;
}

int main(void)
{
	char dir[64];
	int bad = 0;

	if (scratch_make(dir, sizeof(dir)) < 0)
		return 1;
	bad |= timed("crafted and cut files", check_crafted, dir);
	bad |= timed("cut LZ4 frames", check_lz4_cuts, dir);
	bad |= timed("open errors", check_open_errors, dir);
	bad |= timed("standard input", check_stdin, dir);
	bad |= timed("big file through a FIFO", check_big_fifo, dir);
	scratch_remove(dir);
	printf("malformed files: %s\n", bad ? "FAIL" : "ok");
	return bad;
}
