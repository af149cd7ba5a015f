/* Builds the packet sets the filter tests run over: corpus files, synthetic frames, truncations. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pktgen.h"

#define FRAME_MAX 1600

/* Truncate every Nth packet at every caplen; all of them would take minutes. */
#define TRUNC_EVERY 12
#define TRUNC_MAX_LEN 700

uint32_t td_rng_next(struct td_rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (uint32_t)((r->s * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint32_t pick(struct td_rng *r, uint32_t n)
{
	return td_rng_next(r) % n;
}

static struct td_pktset *set_for(struct td_corpus *c, int linktype)
{
	for (size_t i = 0; i < c->nsets; i++)
		if (c->sets[i].linktype == linktype)
			return &c->sets[i];
	c->sets = realloc(c->sets, (c->nsets + 1) * sizeof(*c->sets));
	memset(&c->sets[c->nsets], 0, sizeof(c->sets[0]));
	c->sets[c->nsets].linktype = linktype;
	return &c->sets[c->nsets++];
}

static const uint8_t *own(struct td_corpus *c, const uint8_t *data, uint32_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	memcpy(copy, data, len);
	if (c->nowned == c->capowned) {
		c->capowned = c->capowned ? 2 * c->capowned : 1024;
		c->owned = realloc(c->owned, c->capowned * sizeof(*c->owned));
	}
	c->owned[c->nowned++] = copy;
	return copy;
}

static void add(struct td_pktset *s, const uint8_t *data, uint32_t caplen, uint32_t wirelen, const char *origin)
{
	struct td_testpkt *p;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
	}
	p = &s->v[s->n++];
	p->data = data;
	p->caplen = caplen;
	p->wirelen = wirelen;
	snprintf(p->origin, sizeof(p->origin), "%s", origin);
}

static void add_truncations(struct td_pktset *s, const struct td_testpkt *p)
{
	char origin[64];
	uint32_t last = p->caplen < TRUNC_MAX_LEN ? p->caplen : TRUNC_MAX_LEN;

	for (uint32_t cap = 0; cap < last; cap++) {
		snprintf(origin, sizeof(origin), "%.40s cut@%u", p->origin, cap);
		add(s, p->data, cap, p->wirelen, origin);
	}
}

static int name_is_capture(const char *name)
{
	size_t len = strlen(name);

	return (len > 5 && !strcmp(name + len - 5, ".pcap")) || (len > 7 && !strcmp(name + len - 7, ".pcapng"));
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_file(struct td_corpus *c, const char *dir, const char *name)
{
	char path[4096], errbuf[PCAP_ERRBUF_SIZE], origin[64];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct td_pktset *s;
	pcap_t *p;
	unsigned idx = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	p = pcap_open_offline(path, errbuf);
	if (!p)
		return;
	s = set_for(c, pcap_datalink(p));
	while (pcap_next_ex(p, &h, &data) == 1) {
		snprintf(origin, sizeof(origin), "%.50s#%u", name, idx++);
		add(s, own(c, data, h->caplen), h->caplen, h->len, origin);
	}
	pcap_close(p);
}

void td_corpus_load(struct td_corpus *c, const char *dir)
{
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!name_is_capture(de->d_name))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	/* Directory order varies; sorted, a failure names the same packet every run. */
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		load_file(c, dir, names[i]);
		free(names[i]);
	}
	free(names);
}

/* A frame under construction. */
struct frame {
	uint8_t b[FRAME_MAX];
	uint32_t len;
};

static void put(struct frame *f, const void *src, uint32_t n)
{
	if (f->len + n > FRAME_MAX)
		n = FRAME_MAX - f->len;
	memcpy(f->b + f->len, src, n);
	f->len += n;
}

static void put8(struct frame *f, uint8_t v)
{
	put(f, &v, 1);
}

static void put16(struct frame *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(f, b, 2);
}

static void put32(struct frame *f, uint32_t v)
{
	put16(f, (uint16_t)(v >> 16));
	put16(f, (uint16_t)v);
}

static void put_random(struct frame *f, struct td_rng *r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		put8(f, (uint8_t)td_rng_next(r));
}

static void set16(struct frame *f, uint32_t at, uint16_t v)
{
	if (at + 2 <= f->len) {
		f->b[at] = (uint8_t)(v >> 8);
		f->b[at + 1] = (uint8_t)v;
	}
}

static uint16_t pick16(struct td_rng *r, const uint16_t *pool, size_t n)
{
	uint32_t i = pick(r, (uint32_t)n + 1);

	return i < n ? pool[i] : (uint16_t)td_rng_next(r);
}

static uint32_t pick32(struct td_rng *r, const uint32_t *pool, size_t n)
{
	uint32_t i = pick(r, (uint32_t)n + 1);

	return i < n ? pool[i] : td_rng_next(r);
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const uint16_t ports[] = { 80,	443,  22,   53,	  123,	67,   68,   161, 179,	514,  999,  1000,
				  1500, 2000, 2001, 2152, 4789, 5353, 8080, 0,	 65535, 1024, 33434 };

static void put_payload(struct frame *f, struct td_rng *r)
{
	static const char *const starts[] = { "GET ", "POST", "HTTP", "\x16\x03\x01\x02" };
	uint32_t which = pick(r, 6);

	if (which < NELEM(starts))
		put(f, starts[which], 4);
	put_random(f, r, pick(r, 4) ? pick(r, 64) : pick(r, 1200));
}

static void put_tcp(struct frame *f, struct td_rng *r)
{
	uint32_t doff = pick(r, 4) ? 5 : 5 + pick(r, 11);

	put16(f, pick16(r, ports, NELEM(ports)));
	put16(f, pick16(r, ports, NELEM(ports)));
	put32(f, td_rng_next(r));
	put32(f, pick(r, 3) ? td_rng_next(r) : 0);
	put8(f, (uint8_t)(doff << 4 | pick(r, 16)));
	put8(f, (uint8_t)(pick(r, 2) ? (uint8_t[]){ 0x02, 0x12, 0x10, 0x11, 0x04, 0x18, 0x01 }[pick(r, 7)]
				     : td_rng_next(r)));
	put16(f, (uint16_t)td_rng_next(r));
	put32(f, td_rng_next(r));
	put_random(f, r, (doff - 5) * 4);
	put_payload(f, r);
}

static void put_udp(struct frame *f, struct td_rng *r)
{
	uint32_t start = f->len;

	put16(f, pick16(r, ports, NELEM(ports)));
	put16(f, pick16(r, ports, NELEM(ports)));
	put16(f, 0);
	put16(f, pick(r, 2) ? 0 : (uint16_t)td_rng_next(r));
	put_payload(f, r);
	set16(f, start + 4, pick(r, 5) ? (uint16_t)(f->len - start) : (uint16_t)td_rng_next(r));
}

static void put_icmp(struct frame *f, struct td_rng *r, int v6)
{
	static const uint8_t t4[] = { 0, 8, 3, 11, 5, 13 };
	static const uint8_t t6[] = { 128, 129, 133, 134, 135, 136, 1 };

	put8(f, v6 ? t6[pick(r, NELEM(t6))] : t4[pick(r, NELEM(t4))]);
	put8(f, pick(r, 2) ? 0 : (uint8_t)pick(r, 16));
	put16(f, (uint16_t)td_rng_next(r));
	put_random(f, r, pick(r, 64));
}

static void put_transport(struct frame *f, struct td_rng *r, uint8_t proto, int v6)
{
	switch (proto) {
	case 6: put_tcp(f, r); break;
	case 17: put_udp(f, r); break;
	case 1:
	case 58: put_icmp(f, r, v6); break;
	default: put_random(f, r, pick(r, 80));
	}
}

static void put_ipv4(struct frame *f, struct td_rng *r)
{
	static const uint32_t addrs[] = { 0x0a000001, 0x0a000002, 0x0a000003, 0x0a000102, 0x08080808,
					  0x08080835, 0xc0a80101, 0xc0a80102, 0xac100504, 0xe00000fb,
					  0xffffffff, 0x7f000001, 0x00000000, 0xc0000207, 0x80200101 };
	static const uint8_t protos[] = { 6, 17, 1, 2, 47, 50, 51, 132, 103, 112 };
	uint32_t start = f->len, ihl = pick(r, 5) ? 5 : 5 + pick(r, 11);
	uint8_t proto = pick(r, 8) ? protos[pick(r, 4)] : protos[pick(r, NELEM(protos))];
	uint16_t frag = pick(r, 8) ? (pick(r, 2) ? 0x4000 : 0) : (uint16_t)td_rng_next(r);

	put8(f, (uint8_t)(pick(r, 20) ? 0x40 | ihl : td_rng_next(r)));
	put8(f, (uint8_t)(pick(r, 2) ? 0 : td_rng_next(r)));
	put16(f, 0);
	put16(f, (uint16_t)td_rng_next(r));
	put16(f, frag);
	put8(f, (uint8_t)(pick(r, 2) ? 64 : td_rng_next(r)));
	put8(f, proto);
	put16(f, 0);
	put32(f, pick32(r, addrs, NELEM(addrs)));
	put32(f, pick32(r, addrs, NELEM(addrs)));
	put_random(f, r, (ihl - 5) * 4);
	put_transport(f, r, proto, 0);
	set16(f, start + 2, pick(r, 6) ? (uint16_t)(f->len - start) : (uint16_t)td_rng_next(r));
}

static void put_addr6(struct frame *f, struct td_rng *r)
{
	switch (pick(r, 6)) {
	case 0: /* ::1 */ put32(f, 0), put32(f, 0), put32(f, 0), put32(f, 1); break;
	case 1: /* fe80::1 */ put32(f, 0xfe800000), put32(f, 0), put32(f, 0), put32(f, 1); break;
	case 2: /* 2001:db8::1 */ put32(f, 0x20010db8), put32(f, 0), put32(f, 0), put32(f, 1); break;
	case 3: /* ff02::1 or ff02::fb */
		put32(f, 0xff020000), put32(f, 0), put32(f, 0), put32(f, pick(r, 2) ? 1 : 0xfb);
		break;
	default: put_random(f, r, 16);
	}
}

static void put_ipv6(struct frame *f, struct td_rng *r)
{
	static const uint8_t nexts[] = { 6, 17, 58, 0, 43, 44, 60, 59 };
	uint8_t next = nexts[pick(r, NELEM(nexts))];
	uint32_t start = f->len;

	put32(f, pick(r, 20) ? 0x60000000 | (td_rng_next(r) & 0xfffff) : td_rng_next(r));
	put16(f, 0);
	put8(f, next);
	put8(f, (uint8_t)(pick(r, 2) ? 64 : td_rng_next(r)));
	put_addr6(f, r);
	put_addr6(f, r);
	if (next == 0 || next == 43 || next == 60 || next == 44) {
		/* one extension header, then a transport */
		uint8_t inner = (uint8_t[]){ 6, 17, 58 }[pick(r, 3)];

		put8(f, inner);
		put8(f, next == 44 ? 0 : (uint8_t)pick(r, 2));
		put_random(f, r, next == 44 ? 6 : 6 + 8 * (f->b[f->len - 1]));
		next = inner;
	}
	put_transport(f, r, next, 1);
	set16(f, start + 4, pick(r, 6) ? (uint16_t)(f->len - start - 40) : (uint16_t)td_rng_next(r));
}

static void put_arp(struct frame *f, struct td_rng *r)
{
	static const uint32_t addrs[] = { 0x0a000001, 0xc0a80101, 0x0a000002 };

	put16(f, pick(r, 8) ? 1 : (uint16_t)td_rng_next(r));
	put16(f, 0x0800);
	put8(f, 6);
	put8(f, 4);
	put16(f, (uint16_t)(1 + pick(r, 4)));
	put_random(f, r, 6);
	put32(f, pick32(r, addrs, NELEM(addrs)));
	put_random(f, r, 6);
	put32(f, pick32(r, addrs, NELEM(addrs)));
}

static void put_mac(struct frame *f, struct td_rng *r)
{
	static const uint8_t macs[][6] = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },
		{ 0, 0, 0, 0, 0, 0 },
		{ 0x00, 0x00, 0x0c, 0x07, 0xac, 0x01 },
		{ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
		{ 0x08, 0x00, 0x27, 0x00, 0x00, 0x01 },
	};
	uint32_t i = pick(r, NELEM(macs) + 2);

	if (i < NELEM(macs))
		put(f, macs[i], 6);
	else
		put_random(f, r, 6);
}

/* Ethernet header, tags and encapsulations down to the ethertype of the L3 payload. */
static uint16_t put_link(struct frame *f, struct td_rng *r)
{
	static const uint16_t vids[] = { 1, 100, 200, 4095, 0 };
	uint32_t shape = pick(r, 10);
	uint16_t l3 = (uint16_t[]){ 0x0800, 0x0800, 0x0800, 0x86dd, 0x86dd, 0x0806 }[pick(r, 6)];

	put_mac(f, r);
	put_mac(f, r);
	if (shape < 2) { /* VLAN, sometimes QinQ */
		int tags = 1 + (int)pick(r, 2);

		for (int i = 0; i < tags; i++) {
			put16(f, i == 0 && tags == 2 ? (pick(r, 2) ? 0x88a8 : 0x9100) : 0x8100);
			put16(f, (uint16_t)(pick(r, 8) << 13 | pick16(r, vids, NELEM(vids)) % 4096));
		}
	} else if (shape == 2) { /* MPLS label stack */
		static const uint32_t labels[] = { 16, 17, 100, 3 };
		int depth = 1 + (int)pick(r, 3);

		put16(f, 0x8847);
		for (int i = 0; i < depth; i++)
			put32(f, pick32(r, labels, NELEM(labels)) << 12 | (i == depth - 1 ? 0x100 : 0) | 64);
		return pick(r, 4) ? 0x0800 : 0x86dd;
	} else if (shape == 3) { /* PPPoE session */
		put16(f, 0x8864);
		put8(f, 0x11);
		put8(f, 0);
		put16(f, pick(r, 2) ? 0x1234 : (uint16_t)td_rng_next(r));
		put16(f, 0);
		put16(f, pick(r, 4) ? 0x0021 : 0x0057);
		return pick(r, 4) ? 0x0800 : 0x86dd;
	} else if (shape == 4) { /* something else entirely */
		put16(f, (uint16_t[]){ 0x88cc, 0x8035, 0x8863, 0x0060, 0x05dc, 0x88a8 }[pick(r, 6)]);
		return 0;
	}
	put16(f, l3);
	return l3;
}

static void build_frame(struct frame *f, struct td_rng *r)
{
	uint16_t l3;

	f->len = 0;
	l3 = put_link(f, r);
	if (l3 == 0x0800)
		put_ipv4(f, r);
	else if (l3 == 0x86dd)
		put_ipv6(f, r);
	else if (l3 == 0x0806)
		put_arp(f, r);
	else
		put_random(f, r, pick(r, 100));
	if (pick(r, 4) == 0 && f->len < 60) /* Ethernet padding */
		put_random(f, r, 60 - f->len);
}

void td_corpus_add_synthetic(struct td_corpus *c, uint32_t seed)
{
	struct td_pktset *s = set_for(c, DLT_EN10MB);
	struct td_rng r = { .s = 0x9e3779b97f4a7c15ULL ^ seed };
	struct frame f;
	char origin[64];
	size_t ncorpus = s->n;

	for (unsigned i = 0; i < 1500; i++) {
		/* random bytes, half of them behind a plausible ethertype */
		f.len = 0;
		put_random(&f, &r, pick(&r, 4) ? pick(&r, 120) : pick(&r, 1514));
		if (pick(&r, 2))
			set16(&f, 12, (uint16_t[]){ 0x0800, 0x86dd, 0x8100, 0x8847, 0x0806 }[pick(&r, 5)]);
		if (pick(&r, 2) && f.len > 14)
			f.b[14] = (uint8_t)(pick(&r, 2) ? 0x45 : 0x40 | pick(&r, 16));
		snprintf(origin, sizeof(origin), "random#%u", i);
		add(s, own(c, f.b, f.len), f.len, f.len + (pick(&r, 4) ? 0 : pick(&r, 3000)), origin);
	}
	for (unsigned i = 0; i < 4000; i++) {
		const struct td_testpkt *p;

		build_frame(&f, &r);
		snprintf(origin, sizeof(origin), "shaped#%u", i);
		add(s, own(c, f.b, f.len), f.len, f.len + (pick(&r, 5) ? 0 : pick(&r, 2000)), origin);
		p = &s->v[s->n - 1];
		if (i % TRUNC_EVERY == 0) {
			struct td_testpkt whole = *p;

			add_truncations(s, &whole);
		}
	}
	for (size_t i = 0; i < ncorpus; i += TRUNC_EVERY) {
		struct td_testpkt whole = s->v[i];

		add_truncations(s, &whole);
	}
}

void td_corpus_free(struct td_corpus *c)
{
	for (size_t i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c->owned);
	for (size_t i = 0; i < c->nsets; i++)
		free(c->sets[i].v);
	free(c->sets);
	memset(c, 0, sizeof(*c));
}
