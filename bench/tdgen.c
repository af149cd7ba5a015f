/* tdgen: deterministic generator of realistic Ethernet pcap traffic for benchmarks and tests. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The generator keeps a table of concurrently open conversations ("flows").
 * Each output packet advances one randomly chosen flow by one step of its
 * state machine; a flow that finishes is replaced by a fresh one. That
 * interleaves thousands of conversations the way a tap sees them, while every
 * conversation stays internally consistent (seq/ack, ids, echoed time stamps).
 * Everything random comes from one seeded PRNG, so a seed names a file.
 */

#define ETH_HLEN 14
#define VLAN_HLEN 4
#define IP4_HLEN 20
#define IP6_HLEN 40
#define UDP_HLEN 8
#define ICMP_HLEN 8
#define MIN_FRAME 60 /* Ethernet minimum without FCS: what a capture shows */
#define MAX_FRAME 1514
#define PKT_BUF 2048

/*
 * Text bodies repeat within LZ4's 64 KiB window the way pages, scripts and
 * headers do on a real link: lz4 -1 compresses a text capture ~3x.
 */
#define TEXT_POOL (1u << 14)
#define RAND_POOL (8u << 20) /* far beyond LZ4's 64 KiB window: no matches */
#define POOL_SLACK 2048	     /* pools repeat their head so a copy never wraps */

#define NTP_UNIX_OFFSET 2208988800u /* seconds from 1900 to 1970 (RFC 5905) */

enum payload_kind { PAYLOAD_TEXT, PAYLOAD_RANDOM };

enum flow_kind {
	FLOW_HTTP,
	FLOW_TLS,
	FLOW_REFUSED,
	FLOW_DNS,
	FLOW_NTP,
	FLOW_PING,
	FLOW_UNREACH,
	FLOW_ARP,
};

enum { FROM_CLIENT = 0, FROM_SERVER = 1 };

enum tcp_flag {
	TH_FIN = 0x01,
	TH_SYN = 0x02,
	TH_RST = 0x04,
	TH_PSH = 0x08,
	TH_ACK = 0x10,
};

enum tcp_phase {
	TCP_SYN,
	TCP_SYNACK,
	TCP_ACK,
	TCP_REQUEST,
	TCP_REQ_ACK,
	TCP_RESPONSE,
	TCP_CLOSE_FIN1,
	TCP_CLOSE_FIN2,
	TCP_CLOSE_ACK,
	TCP_ABORT,
	TCP_DONE,
};

struct options {
	uint64_t packets;
	const char *out_path;
	uint64_t seed;
	int nano;
	uint32_t snaplen;
	uint32_t hosts;
	uint32_t flows;
	enum payload_kind payload;
	uint64_t start_ns;
	double rate;
	unsigned ipv6_pct;
	unsigned vlan_pct;
};

struct endpoint {
	uint8_t mac[6];
	uint8_t ip4[4];
	uint8_t ip6[16];
};

struct flow {
	enum flow_kind kind;
	int phase;
	uint8_t v6;
	uint16_t vlan;	   /* 0: untagged */
	uint32_t cli, srv; /* host indexes */
	uint16_t cport, sport;
	uint16_t ipid[2];

	/* TCP */
	uint32_t isn[2], nxt[2]; /* next sequence number each side sends */
	uint32_t tsoff[2], tsecr[2];
	uint16_t win[2];
	uint16_t mss;
	uint32_t req_len, req_left;
	uint32_t resp_len, resp_left, resp_hlen;
	uint32_t body_off;
	uint32_t path_id;
	uint8_t unacked;
	uint8_t requests_left;
	uint8_t abort;

	/* UDP/ICMP */
	uint16_t id;
	uint16_t seq, count;
	uint16_t qtype;
	uint32_t name_id;
	uint64_t t_client; /* client's transmit time, echoed by the server */
};

struct gen {
	struct options opt;
	uint64_t rng;
	uint64_t now_ns;
	uint64_t gap_max_ns;
	int fd;
	uint8_t *obuf;
	size_t olen, ocap;
	uint8_t *text_pool;
	uint8_t *rand_pool;
	struct flow *flows;
	uint8_t pkt[PKT_BUF];
	uint64_t emitted;
	uint64_t bytes;
	char errbuf[256];
};

/* ---- randomness ------------------------------------------------------- */

/* splitmix64: tiny, fast, full-period, and good enough for traffic shapes. */
static uint64_t rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rnd_below(struct gen *g, uint32_t n)
{
	return n ? (uint32_t)(((rnd(g) >> 32) * (uint64_t)n) >> 32) : 0;
}

static int chance(struct gen *g, unsigned pct)
{
	return rnd_below(g, 100) < pct;
}

/* Log-uniform in [lo, hi]: web object sizes span orders of magnitude. */
static uint32_t rnd_logsize(struct gen *g, uint32_t lo, uint32_t hi)
{
	uint32_t bits = 0, v;

	while ((hi >> bits) > lo)
		bits++;
	v = lo << rnd_below(g, bits + 1);
	v += rnd_below(g, v);
	return v > hi ? hi : v;
}

/* ---- wire helpers ----------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void putle16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void putle32(uint8_t *p, uint32_t v)
{
	putle16(p, (uint16_t)v);
	putle16(p + 2, (uint16_t)(v >> 16));
}

/* RFC 1071 sum, 32 bits at a time into a 64-bit accumulator (big-endian words). */
static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	while (len >= 4) {
		sum += ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		sum += ((uint32_t)p[0] << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void host_endpoint(uint32_t idx, struct endpoint *ep)
{
	/* 10.0.0.0/8 without .0 and .255 hosts; 2001:db8::/32 mirrors it. */
	uint32_t lo = idx % 254 + 1, hi = idx / 254;

	ep->mac[0] = 0x02; /* locally administered, unicast */
	ep->mac[1] = 0x00;
	put32(ep->mac + 2, idx + 1);
	ep->ip4[0] = 10;
	ep->ip4[1] = (uint8_t)(hi >> 8);
	ep->ip4[2] = (uint8_t)hi;
	ep->ip4[3] = (uint8_t)lo;
	memset(ep->ip6, 0, sizeof(ep->ip6));
	put16(ep->ip6, 0x2001);
	put16(ep->ip6 + 2, 0x0db8);
	put16(ep->ip6 + 6, (uint16_t)hi);
	put16(ep->ip6 + 14, (uint16_t)lo);
}

/* ---- output ------------------------------------------------------------ */

static int out_flush(struct gen *g)
{
	size_t off = 0;

	while (off < g->olen) {
		ssize_t n = write(g->fd, g->obuf + off, g->olen - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(g->errbuf, sizeof(g->errbuf), "write %s: %s", g->opt.out_path, strerror(errno));
			return -errno;
		}
		off += (size_t)n;
	}
	g->olen = 0;
	return 0;
}

static int out_file_header(struct gen *g)
{
	uint8_t *h = g->obuf + g->olen;

	/* Host byte order, like every libpcap writer; readers detect the order. */
	putle32(h, g->opt.nano ? 0xa1b23c4d : 0xa1b2c3d4);
	putle16(h + 4, 2);
	putle16(h + 6, 4);
	putle32(h + 8, 0);
	putle32(h + 12, 0);
	putle32(h + 16, g->opt.snaplen);
	putle32(h + 20, 1); /* LINKTYPE_ETHERNET */
	g->olen += 24;
	return 0;
}

/* Advance the clock: gaps uniform in [0, 2/rate] give the requested mean rate. */
static void tick(struct gen *g)
{
	g->now_ns += g->gap_max_ns ? rnd(g) % (g->gap_max_ns + 1) : 0;
}

static int emit(struct gen *g, uint32_t len)
{
	uint32_t caplen;
	uint8_t *r;

	if (len < MIN_FRAME) {
		memset(g->pkt + len, 0, MIN_FRAME - len);
		len = MIN_FRAME;
	}
	caplen = len < g->opt.snaplen ? len : g->opt.snaplen;
	if (g->olen + 16 + caplen > g->ocap) {
		int rc = out_flush(g);

		if (rc < 0)
			return rc;
	}
	r = g->obuf + g->olen;
	putle32(r, (uint32_t)(g->now_ns / 1000000000u));
	putle32(r + 4, (uint32_t)(g->now_ns % 1000000000u / (g->opt.nano ? 1 : 1000)));
	putle32(r + 8, caplen);
	putle32(r + 12, len);
	memcpy(r + 16, g->pkt, caplen);
	g->olen += 16 + caplen;
	g->emitted++;
	g->bytes += len;
	return 0;
}

/* ---- frame construction ------------------------------------------------ */

static uint32_t l3_offset(const struct flow *f)
{
	return ETH_HLEN + (f->vlan ? VLAN_HLEN : 0);
}

static uint32_t l4_offset(const struct flow *f)
{
	return l3_offset(f) + (f->v6 ? IP6_HLEN : IP4_HLEN);
}

static void put_eth(struct gen *g, const struct flow *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	uint8_t *p = g->pkt;

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	if (f->vlan) {
		put16(p + 12, 0x8100);
		put16(p + 14, f->vlan); /* PCP 0, DEI 0 */
		p += VLAN_HLEN;
	}
	put16(p + 12, type);
}

/*
 * Finish an IP packet whose L4 bytes (header + payload, checksum field zero)
 * already sit at l4_offset(f): write Ethernet and IP headers and the L4
 * checksum at csum_at (relative to L4), with the pseudo-header when the
 * protocol uses one. Returns the frame length.
 */
static uint32_t finish_ip(struct gen *g, struct flow *f, int dir, uint8_t proto, uint32_t l4len, int csum_at,
			  int pseudo, uint8_t tos)
{
	struct endpoint src, dst;
	uint8_t *ip = g->pkt + l3_offset(f);
	uint8_t *l4 = g->pkt + l4_offset(f);
	uint64_t sum = 0;

	host_endpoint(dir == FROM_CLIENT ? f->cli : f->srv, &src);
	host_endpoint(dir == FROM_CLIENT ? f->srv : f->cli, &dst);
	put_eth(g, f, dst.mac, src.mac, f->v6 ? 0x86dd : 0x0800);

	if (f->v6) {
		put32(ip, 0x60000000u | ((uint32_t)tos << 20));
		put16(ip + 4, (uint16_t)l4len);
		ip[6] = proto;
		ip[7] = 64;
		memcpy(ip + 8, src.ip6, 16);
		memcpy(ip + 24, dst.ip6, 16);
		if (pseudo) {
			sum = csum_add(sum, src.ip6, 16);
			sum = csum_add(sum, dst.ip6, 16);
			sum += l4len + proto;
		}
	} else {
		ip[0] = 0x45;
		ip[1] = tos;
		put16(ip + 2, (uint16_t)(IP4_HLEN + l4len));
		put16(ip + 4, f->ipid[dir]++);
		/* Linux sets DF on TCP (PMTU discovery); datagrams here stay small. */
		put16(ip + 6, proto == 6 ? 0x4000 : 0);
		ip[8] = dir == FROM_CLIENT ? 64 : (f->srv & 1 ? 128 : 64);
		ip[9] = proto;
		put16(ip + 10, 0);
		memcpy(ip + 12, src.ip4, 4);
		memcpy(ip + 16, dst.ip4, 4);
		put16(ip + 10, csum_fold(csum_add(0, ip, IP4_HLEN)));
		if (pseudo) {
			sum = csum_add(sum, src.ip4, 4);
			sum = csum_add(sum, dst.ip4, 4);
			sum += l4len + proto;
		}
	}
	if (csum_at >= 0) {
		uint16_t c;

		put16(l4 + csum_at, 0);
		c = csum_fold(csum_add(sum, l4, l4len));
		if (proto == 17 && c == 0)
			c = 0xffff; /* RFC 768: zero means "no checksum" */
		put16(l4 + csum_at, c);
	}
	return l4_offset(f) + l4len;
}

/* Write UDP header and IP/Ethernet around a payload already in place. */
static uint32_t build_udp(struct gen *g, struct flow *f, int dir, uint32_t paylen)
{
	uint8_t *u = g->pkt + l4_offset(f);

	put16(u, dir == FROM_CLIENT ? f->cport : f->sport);
	put16(u + 2, dir == FROM_CLIENT ? f->sport : f->cport);
	put16(u + 4, (uint16_t)(UDP_HLEN + paylen));
	return finish_ip(g, f, dir, 17, UDP_HLEN + paylen, 6, 1, 0);
}

static int emit_udp(struct gen *g, struct flow *f, int dir, uint32_t paylen)
{
	return emit(g, build_udp(g, f, dir, paylen));
}

/* ---- payload pools ----------------------------------------------------- */

static const char *const words[] = {
	"the",	   "network",
	"packet",  "capture",
	"server",  "client",
	"request", "response",
	"data",	   "stream",
	"window",  "buffer",
	"of",	   "and",
	"to",	   "in",
	"is",	   "for",
	"with",	   "on",
	"a",	   "time",
	"host",	   "service",
	"content", "page",
	"user",	   "session",
	"value",   "table",
	"index",   "<p>",
	"</p>",	   "<div class=\"item\">",
	"</div>",  "<a href=\"/doc/",
	"\">",	   "</a>",
	"<li>",	   "</li>",
	"\n",	   "price",
	"product", "order",
	"search",
};

static int pools_init(struct gen *g)
{
	uint32_t i = 0, w;

	g->text_pool = malloc(TEXT_POOL + POOL_SLACK);
	g->rand_pool = malloc(RAND_POOL + POOL_SLACK);
	if (!g->text_pool || !g->rand_pool) {
		snprintf(g->errbuf, sizeof(g->errbuf), "out of memory");
		return -ENOMEM;
	}
	/* a word, maybe a number, a space: 40 bytes is more than one round */
	while (i + 40 < TEXT_POOL) {
		const char *s = words[rnd_below(g, sizeof(words) / sizeof(words[0]))];
		size_t n = strlen(s);

		memcpy(g->text_pool + i, s, n);
		i += (uint32_t)n;
		/* numbers make the text less trivially compressible, like real pages */
		if (rnd_below(g, 32) == 0)
			i += (uint32_t)snprintf((char *)g->text_pool + i, TEXT_POOL + POOL_SLACK - i, "%u",
						rnd_below(g, 100000));
		g->text_pool[i++] = ' ';
	}
	memset(g->text_pool + i, ' ', TEXT_POOL - i);
	memcpy(g->text_pool + TEXT_POOL, g->text_pool, POOL_SLACK);
	for (w = 0; w < RAND_POOL; w += 8) {
		uint64_t v = rnd(g);

		memcpy(g->rand_pool + w, &v, 8);
	}
	memcpy(g->rand_pool + RAND_POOL, g->rand_pool, POOL_SLACK);
	return 0;
}

static void fill_body(struct gen *g, uint8_t *dst, uint32_t off, uint32_t len, int random)
{
	if (random)
		memcpy(dst, g->rand_pool + off % RAND_POOL, len);
	else
		memcpy(dst, g->text_pool + off % TEXT_POOL, len);
}

/* ---- TCP conversations ------------------------------------------------- */

static uint32_t tsval(const struct gen *g, const struct flow *f, int dir)
{
	return (uint32_t)(g->now_ns / 1000000u) + f->tsoff[dir];
}

/*
 * One segment. SYNs carry Linux's option order (mss, sackOK, TS, nop,
 * wscale); later segments carry NOP NOP TS. Only those later segments have
 * payload, and it must already be at tcp_payload(g, f).
 */
static int emit_tcp(struct gen *g, struct flow *f, int dir, uint8_t flags, uint32_t paylen)
{
	uint8_t *t = g->pkt + l4_offset(f);
	int syn = flags & TH_SYN;
	uint32_t thl = syn ? 40 : 32, ts = tsval(g, f, dir);
	uint8_t *o = t + 20;

	/* a reset from a closed port has no connection, hence no options */
	if (flags & TH_RST && f->kind == FLOW_REFUSED)
		thl = 20;
	put16(t, dir == FROM_CLIENT ? f->cport : f->sport);
	put16(t + 2, dir == FROM_CLIENT ? f->sport : f->cport);
	put32(t + 4, f->nxt[dir]);
	put32(t + 8, flags & TH_ACK ? f->nxt[!dir] : 0);
	t[12] = (uint8_t)(thl / 4) << 4;
	t[13] = flags;
	put16(t + 14, syn ? 64240 : f->win[dir]);
	put16(t + 16, 0);
	put16(t + 18, 0);
	if (syn) {
		o[0] = 2, o[1] = 4;
		/* advertised MSS: f->mss plus the TS option every segment carries */
		put16(o + 2, (uint16_t)(f->mss + 12));
		o[4] = 4, o[5] = 2;
		o[6] = 8, o[7] = 10;
		put32(o + 8, ts);
		put32(o + 12, f->tsecr[dir]);
		o[16] = 1;
		o[17] = 3, o[18] = 3, o[19] = 7;
	} else if (thl == 32) {
		o[0] = 1, o[1] = 1, o[2] = 8, o[3] = 10;
		put32(o + 4, ts);
		put32(o + 8, f->tsecr[dir]);
	}
	f->tsecr[!dir] = ts;
	f->nxt[dir] += paylen + (flags & TH_SYN ? 1 : 0) + (flags & TH_FIN ? 1 : 0);
	return emit(g, finish_ip(g, f, dir, 6, thl + paylen, 16, 1, 0));
}

static uint8_t *tcp_payload(struct gen *g, const struct flow *f)
{
	return g->pkt + l4_offset(f) + 32;
}

static uint32_t http_request(struct gen *g, struct flow *f, uint8_t *p, uint32_t room)
{
	int n;

	if (f->kind == FLOW_TLS) {
		uint32_t len = 120 + rnd_below(g, 400);

		if (len > room)
			len = room;
		fill_body(g, p, (uint32_t)rnd(g), len, 1);
		return len;
	}
	n = snprintf((char *)p, room,
		     "GET /doc/%u/index.html HTTP/1.1\r\n"
		     "Host: www.site%u.com%s\r\n"
		     "User-Agent: tdgen/1.0\r\n"
		     "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"
		     "Accept-Language: en-US,en;q=0.5\r\n"
		     "Connection: keep-alive\r\n\r\n",
		     f->path_id, f->name_id, f->sport == 8080 ? ":8080" : "");
	return n < 0 ? 0 : ((uint32_t)n < room ? (uint32_t)n : room - 1);
}

static uint32_t http_header(const struct flow *f, int random, char *buf, size_t size)
{
	int n = snprintf(buf, size,
			 "HTTP/1.1 200 OK\r\n"
			 "Server: tdgen-httpd\r\n"
			 "Content-Type: %s\r\n"
			 "Content-Length: %u\r\n"
			 "Cache-Control: max-age=%u\r\n\r\n",
			 random ? "application/octet-stream" : "text/html", f->resp_len - f->resp_hlen,
			 f->path_id % 3600);

	return n < 0 ? 0 : (uint32_t)n < size ? (uint32_t)n : (uint32_t)size - 1;
}

/* Response stream = text header then body; pos is the offset in the stream. */
static void http_response(struct gen *g, struct flow *f, uint8_t *p, uint32_t pos, uint32_t len)
{
	char hdr[256];
	int random = f->kind == FLOW_TLS || g->opt.payload == PAYLOAD_RANDOM;
	uint32_t hlen = 0;

	if (f->kind == FLOW_HTTP && pos < f->resp_hlen)
		hlen = http_header(f, random, hdr, sizeof(hdr));
	while (len && pos < hlen) {
		*p++ = (uint8_t)hdr[pos++];
		len--;
	}
	if (len)
		fill_body(g, p, f->body_off + pos, len, random);
}

/* Pick the response size and settle the header length it implies. */
static void http_plan_response(struct gen *g, struct flow *f)
{
	char hdr[256];
	int random = f->kind == FLOW_TLS || g->opt.payload == PAYLOAD_RANDOM;
	uint32_t prev = 0, tries = 0;

	f->resp_len = rnd_logsize(g, 300, 400000);
	f->resp_left = f->resp_len;
	f->body_off = (uint32_t)rnd(g);
	f->resp_hlen = 0;
	if (f->kind != FLOW_HTTP)
		return;
	/*
	 * Content-Length's digits change the header length: iterate to a
	 * fixpoint. Near a power of ten it can flip between two lengths; one
	 * more byte of response settles it.
	 */
	for (;;) {
		prev = f->resp_hlen;
		f->resp_hlen = http_header(f, random, hdr, sizeof(hdr));
		if (f->resp_hlen == prev)
			break;
		if (++tries > 3) {
			f->resp_len++;
			f->resp_left++;
			tries = 0;
		}
	}
}

static int step_tcp(struct gen *g, struct flow *f)
{
	uint32_t room, len;
	uint8_t *p = tcp_payload(g, f);

	switch (f->phase) {
	case TCP_SYN:
		f->phase = f->kind == FLOW_REFUSED ? TCP_ABORT : TCP_SYNACK;
		return emit_tcp(g, f, FROM_CLIENT, TH_SYN, 0);
	case TCP_SYNACK: f->phase = TCP_ACK; return emit_tcp(g, f, FROM_SERVER, TH_SYN | TH_ACK, 0);
	case TCP_ACK: f->phase = TCP_REQUEST; return emit_tcp(g, f, FROM_CLIENT, TH_ACK, 0);
	case TCP_REQUEST:
		room = f->mss;
		len = http_request(g, f, p, room);
		http_plan_response(g, f);
		f->unacked = 0;
		f->phase = TCP_REQ_ACK;
		return emit_tcp(g, f, FROM_CLIENT, TH_PSH | TH_ACK, len);
	case TCP_REQ_ACK: f->phase = TCP_RESPONSE; return emit_tcp(g, f, FROM_SERVER, TH_ACK, 0);
	case TCP_RESPONSE:
		/* delayed ACK: the client acknowledges every second full segment */
		if (f->unacked >= 2 || (f->unacked && !f->resp_left)) {
			f->unacked = 0;
			if (!f->resp_left) {
				if (f->requests_left) {
					f->requests_left--;
					f->phase = TCP_REQUEST;
				} else {
					f->phase = f->abort ? TCP_ABORT : TCP_CLOSE_FIN1;
				}
			}
			return emit_tcp(g, f, FROM_CLIENT, TH_ACK, 0);
		}
		len = f->resp_left < f->mss ? f->resp_left : f->mss;
		http_response(g, f, p, f->resp_len - f->resp_left, len);
		f->resp_left -= len;
		f->unacked++;
		return emit_tcp(g, f, FROM_SERVER, TH_ACK | (f->resp_left ? 0 : TH_PSH), len);
	case TCP_CLOSE_FIN1: f->phase = TCP_CLOSE_FIN2; return emit_tcp(g, f, FROM_CLIENT, TH_FIN | TH_ACK, 0);
	case TCP_CLOSE_FIN2: f->phase = TCP_CLOSE_ACK; return emit_tcp(g, f, FROM_SERVER, TH_FIN | TH_ACK, 0);
	case TCP_CLOSE_ACK: f->phase = TCP_DONE; return emit_tcp(g, f, FROM_CLIENT, TH_ACK, 0);
	case TCP_ABORT:
		f->phase = TCP_DONE;
		if (f->kind == FLOW_REFUSED) {
			/* RFC 793: a SYN to a closed port is answered RST|ACK, seq 0 */
			f->nxt[FROM_SERVER] = 0;
			return emit_tcp(g, f, FROM_SERVER, TH_RST | TH_ACK, 0);
		}
		return emit_tcp(g, f, FROM_CLIENT, TH_RST | TH_ACK, 0);
	}
	return 0;
}

/* ---- DNS --------------------------------------------------------------- */

static const char *const dns_prefixes[] = { "www", "mail", "api", "cdn", "img", "static" };
static const char *const dns_tlds[] = { "com", "net", "org" };

/* Write one label; returns bytes written. */
static uint32_t put_label(uint8_t *p, const char *s)
{
	size_t n = strlen(s);

	p[0] = (uint8_t)n;
	memcpy(p + 1, s, n);
	return (uint32_t)n + 1;
}

static uint32_t dns_question(struct gen *g, struct flow *f, uint8_t *d, uint32_t *suffix_at)
{
	uint32_t o = 12;
	char buf[32];

	if (f->qtype == 12) {
		struct endpoint ep;
		int i;

		host_endpoint(f->name_id, &ep);
		for (i = 3; i >= 0; i--) {
			snprintf(buf, sizeof(buf), "%u", ep.ip4[i]);
			o += put_label(d + o, buf);
		}
		o += put_label(d + o, "in-addr");
		o += put_label(d + o, "arpa");
		*suffix_at = 0;
	} else {
		o += put_label(d + o, dns_prefixes[f->name_id % 6]);
		*suffix_at = o;
		snprintf(buf, sizeof(buf), "site%u", f->name_id);
		o += put_label(d + o, buf);
		o += put_label(d + o, dns_tlds[f->name_id % 3]);
	}
	d[o++] = 0;
	put16(d + o, f->qtype);
	put16(d + o + 2, 1);
	(void)g;
	return o + 4;
}

static uint32_t dns_rr(uint8_t *d, uint32_t o, uint16_t name_ptr, uint16_t type, uint32_t ttl)
{
	put16(d + o, (uint16_t)(0xc000 | name_ptr));
	put16(d + o + 2, type);
	put16(d + o + 4, 1);
	put32(d + o + 6, ttl);
	return o + 12; /* rdlength at o+10 is filled by the caller */
}

static int step_dns(struct gen *g, struct flow *f)
{
	uint8_t *d = g->pkt + l4_offset(f) + UDP_HLEN;
	uint32_t suffix, o, rd, n, i;
	int nx = 0;

	put16(d, f->id);
	put16(d + 4, 1);
	put16(d + 6, 0);
	put16(d + 8, 0);
	put16(d + 10, 0);
	o = dns_question(g, f, d, &suffix);
	if (f->phase == 0) {
		f->phase = 1;
		put16(d + 2, 0x0100); /* RD */
		return emit_udp(g, f, FROM_CLIENT, o);
	}
	f->phase = 2;
	nx = (f->name_id % 19) == 0;
	put16(d + 2, nx ? 0x8183 : 0x8180);
	if (nx)
		return emit_udp(g, f, FROM_SERVER, o);
	if (f->qtype == 12) {
		char buf[40];
		struct endpoint ep;
		uint32_t ex;

		host_endpoint(f->name_id, &ep);
		o = dns_rr(d, o, 12, 12, 3600);
		rd = o;
		snprintf(buf, sizeof(buf), "host-%u-%u-%u-%u", ep.ip4[0], ep.ip4[1], ep.ip4[2], ep.ip4[3]);
		o += put_label(d + o, buf);
		ex = o;
		o += put_label(d + o, "example");
		o += put_label(d + o, "net");
		d[o++] = 0;
		put16(d + rd - 2, (uint16_t)(o - rd));
		/* authority: example.net NS ns1.example.net, both compressed */
		o = dns_rr(d, o, (uint16_t)ex, 2, 86400);
		rd = o;
		o += put_label(d + o, "ns1");
		put16(d + o, (uint16_t)(0xc000 | ex));
		o += 2;
		put16(d + rd - 2, (uint16_t)(o - rd));
		put16(d + 6, 1);
		put16(d + 8, 1);
		return emit_udp(g, f, FROM_SERVER, o);
	}
	/* name CNAME edgeK.<suffix>, then its addresses, pointing at the CNAME */
	o = dns_rr(d, o, 12, 5, 300);
	rd = o;
	{
		char buf[16];

		snprintf(buf, sizeof(buf), "edge%u", f->name_id % 7);
		o += put_label(d + o, buf);
	}
	put16(d + o, (uint16_t)(0xc000 | suffix));
	o += 2;
	put16(d + rd - 2, (uint16_t)(o - rd));
	n = 1 + f->name_id % 3;
	for (i = 0; i < n; i++) {
		uint32_t a = f->name_id * 7 + i;

		o = dns_rr(d, o, (uint16_t)rd, f->qtype, 60);
		if (f->qtype == 1) {
			put16(d + o - 2, 4);
			d[o] = 198, d[o + 1] = 51, d[o + 2] = (uint8_t)(a >> 8);
			d[o + 3] = (uint8_t)a;
			o += 4;
		} else {
			put16(d + o - 2, 16);
			memset(d + o, 0, 16);
			put16(d + o, 0x2001);
			put16(d + o + 2, 0x0db8);
			put16(d + o + 4, 0xcafe);
			put32(d + o + 12, a);
			o += 16;
		}
	}
	put16(d + 6, (uint16_t)(1 + n));
	return emit_udp(g, f, FROM_SERVER, o);
}

/* ---- NTP (RFC 5905) ---------------------------------------------------- */

static void ntp_time(uint8_t *p, uint64_t ns)
{
	put32(p, (uint32_t)(ns / 1000000000u + NTP_UNIX_OFFSET));
	put32(p + 4, (uint32_t)(((ns % 1000000000u) << 32) / 1000000000u));
}

static int step_ntp(struct gen *g, struct flow *f)
{
	uint8_t *n = g->pkt + l4_offset(f) + UDP_HLEN;

	memset(n, 0, 48);
	if (f->phase == 0) {
		f->phase = 1;
		f->t_client = g->now_ns;
		n[0] = (0 << 6) | (4 << 3) | 3; /* LI 0, v4, client */
		n[2] = 6;			/* poll 64 s */
		n[3] = 0xe9;			/* precision ~2^-23 */
		ntp_time(n + 40, g->now_ns);
		return emit_udp(g, f, FROM_CLIENT, 48);
	}
	f->phase = 2;
	n[0] = (0 << 6) | (4 << 3) | 4; /* server */
	n[1] = 2;			/* stratum */
	n[2] = 6;
	n[3] = 0xe8;
	put32(n + 4, 0x00000120);		      /* root delay */
	put32(n + 8, 0x00000340);		      /* root dispersion */
	n[12] = 192, n[13] = 0, n[14] = 2, n[15] = 1; /* reference id */
	ntp_time(n + 16, g->now_ns - 30000000000ull);
	ntp_time(n + 24, f->t_client);
	ntp_time(n + 32, g->now_ns - 20000);
	ntp_time(n + 40, g->now_ns - 10000);
	return emit_udp(g, f, FROM_SERVER, 48);
}

/* ---- ICMP -------------------------------------------------------------- */

static int step_ping(struct gen *g, struct flow *f)
{
	uint8_t *c = g->pkt + l4_offset(f);
	int dir = f->phase & 1 ? FROM_SERVER : FROM_CLIENT;
	uint32_t i;

	if (f->v6)
		c[0] = dir == FROM_CLIENT ? 128 : 129;
	else
		c[0] = dir == FROM_CLIENT ? 8 : 0;
	c[1] = 0;
	put16(c + 2, 0);
	put16(c + 4, f->id);
	put16(c + 6, f->seq);
	/* ping(8)'s payload: a time stamp then the byte pattern 0x10, 0x11, ... */
	putle32(c + 8, (uint32_t)(f->t_client / 1000000000u));
	putle32(c + 12, 0);
	putle32(c + 16, (uint32_t)(f->t_client % 1000000000u / 1000));
	putle32(c + 20, 0);
	for (i = 16; i < 56; i++)
		c[8 + i] = (uint8_t)i;
	if (dir == FROM_CLIENT) {
		f->t_client = g->now_ns;
		putle32(c + 8, (uint32_t)(f->t_client / 1000000000u));
		putle32(c + 16, (uint32_t)(f->t_client % 1000000000u / 1000));
	} else {
		f->seq++;
	}
	f->phase++;
	if (f->phase >= 2 * f->count)
		f->phase = -1;
	return emit(g, finish_ip(g, f, dir, f->v6 ? 58 : 1, ICMP_HLEN + 56, 2, f->v6, 0));
}

/* A UDP probe to a closed port, then the ICMP error quoting all of it. */
static int step_unreach(struct gen *g, struct flow *f)
{
	uint32_t iplen = f->v6 ? IP6_HLEN : IP4_HLEN, plen = 32, qlen;
	uint8_t *c = g->pkt + l4_offset(f);
	uint8_t quote[IP6_HLEN + UDP_HLEN + 32];

	/* the same probe both times: the error quotes exactly what was sent */
	memset(c + UDP_HLEN, 0x40, plen);
	f->ipid[FROM_CLIENT] = f->id;
	if (f->phase == 0) {
		f->phase = 1;
		return emit_udp(g, f, FROM_CLIENT, plen);
	}
	build_udp(g, f, FROM_CLIENT, plen);
	qlen = iplen + UDP_HLEN + plen;
	memcpy(quote, g->pkt + l3_offset(f), qlen);
	f->phase = 2;
	c[0] = f->v6 ? 1 : 3; /* destination unreachable */
	c[1] = f->v6 ? 4 : 3; /* port unreachable */
	put16(c + 2, 0);
	put32(c + 4, 0);
	memcpy(c + ICMP_HLEN, quote, qlen);
	return emit(g, finish_ip(g, f, FROM_SERVER, f->v6 ? 58 : 1, ICMP_HLEN + qlen, 2, f->v6, 0xc0));
}

/* ---- ARP (RFC 826) ----------------------------------------------------- */

static int step_arp(struct gen *g, struct flow *f)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct endpoint a, b;
	uint8_t *p = g->pkt + l3_offset(f);
	int reply = f->phase == 1;

	host_endpoint(f->cli, &a);
	host_endpoint(f->srv, &b);
	put_eth(g, f, reply ? a.mac : bcast, reply ? b.mac : a.mac, 0x0806);
	put16(p, 1);
	put16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	put16(p + 6, reply ? 2 : 1);
	memcpy(p + 8, reply ? b.mac : a.mac, 6);
	memcpy(p + 14, reply ? b.ip4 : a.ip4, 4);
	if (reply)
		memcpy(p + 18, a.mac, 6);
	else
		memset(p + 18, 0, 6);
	memcpy(p + 24, reply ? a.ip4 : b.ip4, 4);
	f->phase++;
	return emit(g, l3_offset(f) + 28);
}

/* ---- flow table -------------------------------------------------------- */

static void flow_new(struct gen *g, struct flow *f)
{
	uint32_t r = rnd_below(g, 1000), hosts = g->opt.hosts;
	uint32_t resolvers = hosts < 8 ? 1 : 4;

	memset(f, 0, sizeof(*f));
	/* conversation mix per 1000; TCP conversations dominate the packet count */
	if (r < 330)
		f->kind = FLOW_HTTP;
	else if (r < 420)
		f->kind = FLOW_TLS;
	else if (r < 460)
		f->kind = FLOW_REFUSED;
	else if (r < 750)
		f->kind = FLOW_DNS;
	else if (r < 830)
		f->kind = FLOW_NTP;
	else if (r < 910)
		f->kind = FLOW_PING;
	else if (r < 940)
		f->kind = FLOW_UNREACH;
	else
		f->kind = FLOW_ARP;

	f->cli = rnd_below(g, hosts);
	f->srv = rnd_below(g, hosts);
	if (f->kind == FLOW_DNS || f->kind == FLOW_NTP)
		f->srv = rnd_below(g, resolvers);
	if (f->srv == f->cli && hosts > 1)
		f->srv = (f->cli + 1) % hosts;
	f->v6 = f->kind != FLOW_ARP && f->kind != FLOW_NTP && chance(g, g->opt.ipv6_pct);
	f->vlan = chance(g, g->opt.vlan_pct) ? (uint16_t)(10 * (1 + rnd_below(g, 4))) : 0;
	f->cport = (uint16_t)(32768 + rnd_below(g, 28232));
	f->ipid[0] = (uint16_t)rnd(g);
	f->ipid[1] = (uint16_t)rnd(g);
	f->id = (uint16_t)rnd(g);
	f->name_id = rnd_below(g, hosts * 4 + 16);

	switch (f->kind) {
	case FLOW_HTTP:
	case FLOW_TLS:
	case FLOW_REFUSED:
		f->phase = TCP_SYN;
		f->sport = f->kind == FLOW_TLS	     ? 443
			   : f->kind == FLOW_REFUSED ? (uint16_t)(1 + rnd_below(g, 1023))
			   : chance(g, 75)	     ? 80
						     : 8080;
		f->nxt[0] = f->isn[0] = (uint32_t)rnd(g);
		f->nxt[1] = f->isn[1] = (uint32_t)rnd(g);
		f->tsoff[0] = (uint32_t)rnd(g);
		f->tsoff[1] = (uint32_t)rnd(g);
		f->win[0] = (uint16_t)(200 + rnd_below(g, 1800));
		f->win[1] = (uint16_t)(200 + rnd_below(g, 1800));
		/* MSS keeps the largest frame at 1514 bytes, tag or no tag */
		f->mss = (uint16_t)(1460 - (f->v6 ? 20 : 0) - (f->vlan ? VLAN_HLEN : 0));
		f->mss -= 12; /* the TS option rides on every segment */
		f->path_id = rnd_below(g, 100000);
		f->requests_left = (uint8_t)(chance(g, 30) ? 1 + rnd_below(g, 3) : 0);
		f->abort = (uint8_t)chance(g, 8);
		break;
	case FLOW_DNS:
		f->sport = 53;
		r = rnd_below(g, 10);
		f->qtype = r < 6 ? 1 : r < 8 ? 28 : 12;
		break;
	case FLOW_NTP:
		f->sport = 123;
		f->cport = 123;
		break;
	case FLOW_PING:
		f->count = (uint16_t)(1 + rnd_below(g, 4));
		f->seq = 1;
		f->t_client = g->now_ns;
		break;
	case FLOW_UNREACH: f->sport = (uint16_t)(33434 + rnd_below(g, 30)); break;
	case FLOW_ARP: f->v6 = 0; break;
	}
}

static int flow_done(const struct flow *f)
{
	switch (f->kind) {
	case FLOW_HTTP:
	case FLOW_TLS:
	case FLOW_REFUSED: return f->phase == TCP_DONE;
	case FLOW_PING: return f->phase < 0;
	default: return f->phase >= 2;
	}
}

static int flow_step(struct gen *g, struct flow *f)
{
	switch (f->kind) {
	case FLOW_HTTP:
	case FLOW_TLS:
	case FLOW_REFUSED: return step_tcp(g, f);
	case FLOW_DNS: return step_dns(g, f);
	case FLOW_NTP: return step_ntp(g, f);
	case FLOW_PING: return step_ping(g, f);
	case FLOW_UNREACH: return step_unreach(g, f);
	case FLOW_ARP: return step_arp(g, f);
	}
	return 0;
}

static int generate(struct gen *g)
{
	uint32_t i;
	int rc;

	for (i = 0; i < g->opt.flows; i++)
		flow_new(g, &g->flows[i]);
	out_file_header(g);
	while (g->emitted < g->opt.packets) {
		struct flow *f = &g->flows[rnd_below(g, g->opt.flows)];

		tick(g);
		rc = flow_step(g, f);
		if (rc < 0)
			return rc;
		if (flow_done(f))
			flow_new(g, f);
	}
	return out_flush(g);
}

/* ---- command line ------------------------------------------------------ */

static void usage(FILE *fp)
{
	fprintf(fp, "usage: tdgen [options]\n"
		    "Write a deterministic pcap of realistic Ethernet traffic.\n"
		    "\n"
		    "  -n, --packets N      packets to write (default 10000)\n"
		    "  -o, --output FILE    output file, '-' for stdout (default '-')\n"
		    "      --seed N         PRNG seed; equal seeds give identical files (default 1)\n"
		    "      --nano           nanosecond pcap (magic a1b23c4d) instead of microsecond\n"
		    "      --snaplen N      truncate packets to N bytes; also the header's snaplen\n"
		    "                       (default 262144)\n"
		    "      --hosts N        size of the host pool, 10.0.0.0/8 and 2001:db8::/32\n"
		    "                       (default 1000)\n"
		    "      --flows N        conversations open at once; a finished one is replaced\n"
		    "                       by a new one (default 1000)\n"
		    "      --payload KIND   'text' (compressible HTML-like bodies) or 'random'\n"
		    "                       (incompressible bodies) (default text)\n"
		    "      --start SEC      time stamp of the first packet, Unix seconds, may have\n"
		    "                       a fraction (default 1700000000)\n"
		    "      --rate PPS       mean packets per second of capture time; gaps are\n"
		    "                       uniform in [0, 2/PPS] (default 100000)\n"
		    "      --ipv6 PCT       percent of IP conversations over IPv6 (default 15)\n"
		    "      --vlan PCT       percent of conversations 802.1Q-tagged (default 10)\n"
		    "  -h, --help           this text\n"
		    "\n"
		    "Traffic: TCP (handshake with mss/sackOK/TS/wscale, HTTP GET and response on\n"
		    "80 and 8080, opaque data on 443, FIN or RST teardown, refused SYNs), DNS over\n"
		    "UDP 53 (A, AAAA, PTR, NXDOMAIN; compressed names), NTP client/server, ICMP\n"
		    "and ICMPv6 echo, port unreachable quoting the probe, ARP request/reply.\n"
		    "Frames are 60 to 1514 bytes with valid lengths and checksums.\n"
		    "\n"
		    "Example: tdgen -n 1000 --rate 100 -o ten-seconds.pcap\n");
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end || *s == '-' ? -EINVAL : 0;
}

enum long_only {
	OPT_SEED = 256,
	OPT_NANO,
	OPT_SNAPLEN,
	OPT_HOSTS,
	OPT_FLOWS,
	OPT_PAYLOAD,
	OPT_START,
	OPT_RATE,
	OPT_IPV6,
	OPT_VLAN,
};

static int parse_args(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "packets", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "nano", no_argument, NULL, OPT_NANO },
		{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
		{ "hosts", required_argument, NULL, OPT_HOSTS },
		{ "flows", required_argument, NULL, OPT_FLOWS },
		{ "payload", required_argument, NULL, OPT_PAYLOAD },
		{ "start", required_argument, NULL, OPT_START },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "ipv6", required_argument, NULL, OPT_IPV6 },
		{ "vlan", required_argument, NULL, OPT_VLAN },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	char *end;
	double d;
	int c;

	while ((c = getopt_long(argc, argv, "n:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_u64(optarg, &o->packets) < 0)
				goto bad;
			break;
		case 'o': o->out_path = optarg; break;
		case 'h': return 1;
		case OPT_SEED:
			if (parse_u64(optarg, &o->seed) < 0)
				goto bad;
			break;
		case OPT_NANO: o->nano = 1; break;
		case OPT_SNAPLEN:
			if (parse_u64(optarg, &v) < 0 || v < 14 || v > 262144)
				goto bad;
			o->snaplen = (uint32_t)v;
			break;
		case OPT_HOSTS:
			if (parse_u64(optarg, &v) < 0 || v < 2 || v > 16000000)
				goto bad;
			o->hosts = (uint32_t)v;
			break;
		case OPT_FLOWS:
			if (parse_u64(optarg, &v) < 0 || v < 1 || v > 10000000)
				goto bad;
			o->flows = (uint32_t)v;
			break;
		case OPT_PAYLOAD:
			if (!strcmp(optarg, "text"))
				o->payload = PAYLOAD_TEXT;
			else if (!strcmp(optarg, "random"))
				o->payload = PAYLOAD_RANDOM;
			else
				goto bad;
			break;
		case OPT_START:
			d = strtod(optarg, &end);
			if (end == optarg || *end || d < 0 || d > 4294967295.0)
				goto bad;
			o->start_ns = (uint64_t)(d * 1e9 + 0.5);
			break;
		case OPT_RATE:
			d = strtod(optarg, &end);
			if (end == optarg || *end || !(d > 0.0) || d > 1e12)
				goto bad;
			o->rate = d;
			break;
		case OPT_IPV6:
			if (parse_u64(optarg, &v) < 0 || v > 100)
				goto bad;
			o->ipv6_pct = (unsigned)v;
			break;
		case OPT_VLAN:
			if (parse_u64(optarg, &v) < 0 || v > 100)
				goto bad;
			o->vlan_pct = (unsigned)v;
			break;
		default: snprintf(err, errlen, "try 'tdgen -h'"); return -EINVAL;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
bad:
	/* name the option by its long name, whichever spelling was typed */
	for (const struct option *l = longopts; l->name; l++) {
		if (l->val == c) {
			snprintf(err, errlen, "bad value '%s' for --%s", optarg, l->name);
			return -EINVAL;
		}
	}
	snprintf(err, errlen, "bad value '%s'", optarg);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct gen *g = calloc(1, sizeof(*g));
	int rc;

	if (!g) {
		fprintf(stderr, "tdgen: out of memory\n");
		return 1;
	}
	g->opt = (struct options){
		.packets = 10000,
		.out_path = "-",
		.seed = 1,
		.snaplen = 262144,
		.hosts = 1000,
		.flows = 1000,
		.payload = PAYLOAD_TEXT,
		.start_ns = 1700000000ull * 1000000000ull,
		.rate = 100000,
		.ipv6_pct = 15,
		.vlan_pct = 10,
	};
	g->fd = -1;
	rc = parse_args(argc, argv, &g->opt, g->errbuf, sizeof(g->errbuf));
	if (rc == 1) {
		usage(stdout);
		rc = 0;
		goto out;
	}
	if (rc < 0)
		goto fail;

	g->rng = g->opt.seed;
	g->now_ns = g->opt.start_ns;
	g->gap_max_ns = (uint64_t)(2e9 / g->opt.rate);
	g->ocap = 4u << 20;
	g->obuf = malloc(g->ocap);
	g->flows = calloc(g->opt.flows, sizeof(*g->flows));
	if (!g->obuf || !g->flows) {
		snprintf(g->errbuf, sizeof(g->errbuf), "out of memory");
		rc = -ENOMEM;
		goto fail;
	}
	rc = pools_init(g);
	if (rc < 0)
		goto fail;

	if (!strcmp(g->opt.out_path, "-")) {
		g->fd = STDOUT_FILENO;
	} else {
		g->fd = open(g->opt.out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (g->fd < 0) {
			rc = -errno;
			snprintf(g->errbuf, sizeof(g->errbuf), "%s: %s", g->opt.out_path, strerror(errno));
			goto fail;
		}
	}
	rc = generate(g);
	if (rc < 0)
		goto fail_written;
	if (g->fd != STDOUT_FILENO && close(g->fd) < 0) {
		rc = -errno;
		snprintf(g->errbuf, sizeof(g->errbuf), "close %s: %s", g->opt.out_path, strerror(errno));
		g->fd = -1;
		goto fail_written;
	}
	g->fd = -1;
	rc = 0;
	goto out;

fail_written:
	/* a half-written file would pass for a short capture: remove it */
	if (strcmp(g->opt.out_path, "-"))
		unlink(g->opt.out_path);
fail:
	fprintf(stderr, "tdgen: %s\n", g->errbuf);
	rc = 1;
out:
	if (g->fd > STDOUT_FILENO)
		close(g->fd);
	free(g->flows);
	free(g->obuf);
	free(g->text_pool);
	free(g->rand_pool);
	free(g);
	return rc;
}
