/*
 * Filter expressions against segment summaries. A small parser of the part
 * of libpcap's language whose terms a summary can answer; each term is
 * "maybe" or "no", and/or combine them, and anything else is "maybe". Words
 * it does not know (mpls, pppoes, geneve, ether, gateway, arithmetic...) may
 * move the offsets the other terms read, so they turn pruning off altogether.
 */
#include "filters/prefilter.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 256
#define MAX_NODES 512
#define PORTRANGE_KEYS 64 /* a wider range is "maybe" rather than that many lookups */

enum node_kind { N_MAYBE, N_AND, N_OR, N_PROTO, N_KEY };

struct node {
	enum node_kind kind;
	int left, right; /* N_AND, N_OR: node numbers */
	uint8_t proto;	 /* N_PROTO */
	enum summary_key key;
	uint8_t val[16];
	size_t len;
};

struct prefilter {
	struct node n[MAX_NODES];
	int nnodes;
	int root;
};

enum term_type { T_NONE, T_HOST, T_NET, T_PORT, T_PORTRANGE, T_PROTO };

struct parser {
	struct prefilter *pf;
	char *tok[MAX_TOKENS];
	int ntok, pos;
	bool unknown; /* a word outside the language read here: no pruning at all */
	/* libpcap's abbreviation: "host a or b" repeats the last qualifiers for b. */
	enum term_type last_type;
	int last_proto;
};

static const char *peek(const struct parser *p)
{
	return p->pos < p->ntok ? p->tok[p->pos] : NULL;
}

static bool is(const char *t, const char *w)
{
	return t && !strcmp(t, w);
}

static int add(struct parser *p, struct node nd)
{
	if (p->pf->nnodes >= MAX_NODES) {
		p->unknown = true;
		return 0;
	}
	p->pf->n[p->pf->nnodes] = nd;
	return p->pf->nnodes++;
}

static int maybe(struct parser *p)
{
	return add(p, (struct node){ .kind = N_MAYBE });
}

static int join(struct parser *p, enum node_kind k, int l, int r)
{
	return add(p, (struct node){ .kind = k, .left = l, .right = r });
}

static int key(struct parser *p, enum summary_key k, const uint8_t *v, size_t len)
{
	struct node nd = { .kind = N_KEY, .key = k, .len = len };

	memcpy(nd.val, v, len);
	return add(p, nd);
}

/* An address, number or range rather than a keyword. */
static bool value_like(const char *t)
{
	return t && (isdigit((unsigned char)t[0]) || strchr(t, ':'));
}

static bool number(const char *t, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!t || !isdigit((unsigned char)t[0]))
		return false;
	v = strtoul(t, &end, 0);
	if (*end || v > max)
		return false;
	*out = v;
	return true;
}

static int proto_number(const char *w)
{
	static const struct {
		const char *name;
		int num;
	} names[] = { { "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 }, { "icmp6", 58 }, { "sctp", 132 } };
	unsigned long v;

	if (!w)
		return -1;
	if (*w == '\\')
		w++;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(w, names[i].name))
			return names[i].num;
	if (number(w, 255, &v))
		return (int)v;
	return -1;
}

static int port_key(struct parser *p, unsigned long port)
{
	uint8_t be[2] = { (uint8_t)(port >> 8), (uint8_t)port };

	return key(p, KEY_PORT, be, 2);
}

static int host_term(struct parser *p, const char *v)
{
	uint8_t a[16];

	if (inet_pton(AF_INET, v, a) == 1)
		return key(p, KEY_IP4, a, 4);
	if (inet_pton(AF_INET6, v, a) == 1)
		return key(p, KEY_IP6, a, 16);
	return maybe(p); /* a name: resolved by libpcap, unknown here */
}

/* "10.1.2.0/24", "10.1" (libpcap: a /16), "2001:db8::/48", or an address followed by "mask M". */
static int net_term(struct parser *p, const char *v)
{
	char buf[128];
	uint8_t a[16] = { 0 };
	unsigned long len = 0;
	char *slash;

	snprintf(buf, sizeof(buf), "%s", v);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = 0;
		if (!number(slash + 1, 128, &len))
			return maybe(p);
	}
	if (strchr(buf, ':')) {
		if (inet_pton(AF_INET6, buf, a) != 1 || !slash)
			return maybe(p);
		if (len >= 128)
			return key(p, KEY_IP6, a, 16);
		if (len >= 64)
			return key(p, KEY_IP6_64, a, 8);
		if (len >= 48)
			return key(p, KEY_IP6_48, a, 6);
		return maybe(p);
	}
	if (!slash) {
		/* libpcap's partial network: as many bytes as are written. */
		unsigned parts = 0;
		char *save = NULL;

		for (char *q = strtok_r(buf, ".", &save); q; q = strtok_r(NULL, ".", &save)) {
			unsigned long b;

			if (parts >= 4 || !number(q, 255, &b))
				return maybe(p);
			a[parts++] = (uint8_t)b;
		}
		len = parts * 8;
		if (is(peek(p), "mask")) {
			struct in_addr m;

			p->pos++;
			if (!peek(p) || inet_pton(AF_INET, peek(p), &m) != 1) {
				p->unknown = true;
				return maybe(p);
			}
			p->pos++;
			len = (unsigned long)__builtin_popcount(m.s_addr);
		}
	} else if (inet_pton(AF_INET, buf, a) != 1 || len > 32) {
		return maybe(p);
	}
	if (len >= 32)
		return key(p, KEY_IP4, a, 4);
	if (len >= 24)
		return key(p, KEY_IP4_24, a, 3);
	if (len >= 16)
		return key(p, KEY_IP4_16, a, 2);
	return maybe(p);
}

static int portrange_term(struct parser *p, const char *v)
{
	unsigned long lo, hi;
	char buf[64], *dash;
	int node = -1;

	snprintf(buf, sizeof(buf), "%s", v);
	dash = strchr(buf, '-');
	if (!dash)
		return maybe(p);
	*dash = 0;
	if (!number(buf, 65535, &lo) || !number(dash + 1, 65535, &hi))
		return maybe(p);
	if (lo > hi) {
		unsigned long t = lo;
		lo = hi;
		hi = t;
	}
	if (hi - lo >= PORTRANGE_KEYS)
		return maybe(p);
	for (unsigned long port = lo; port <= hi; port++) {
		int k = port_key(p, port);
		node = node < 0 ? k : join(p, N_OR, node, k);
	}
	return node;
}

static int value_term(struct parser *p, enum term_type type, int proto, const char *v)
{
	unsigned long port;
	int node;

	switch (type) {
	case T_HOST: node = host_term(p, v); break;
	case T_NET: node = net_term(p, v); break;
	case T_PORT: node = number(v, 65535, &port) ? port_key(p, port) : maybe(p); break;
	case T_PORTRANGE: node = portrange_term(p, v); break;
	case T_PROTO: {
		int n = proto_number(v);
		node = n < 0 ? maybe(p) : add(p, (struct node){ .kind = N_PROTO, .proto = (uint8_t)n });
		proto = -1;
		break;
	}
	default: node = maybe(p); break;
	}
	/* "tcp port 80": the protocol and the port both have to be there. */
	if (proto >= 0)
		node = join(p, N_AND, add(p, (struct node){ .kind = N_PROTO, .proto = (uint8_t)proto }), node);
	p->last_type = type;
	p->last_proto = proto;
	return node;
}

static int parse_expr(struct parser *p);

static int primitive(struct parser *p)
{
	enum term_type type = T_NONE;
	int proto = -1;
	const char *t;

	/* "host a or b": b alone takes the last term's qualifiers. */
	if (value_like(peek(p)) && p->last_type != T_NONE)
		return value_term(p, p->last_type, p->last_proto, p->tok[p->pos++]);
	while ((t = peek(p))) {
		if (is(t, "src") || is(t, "dst")) {
			p->pos++;
			/* "src or dst" / "src and dst" qualify one term. */
			if ((is(peek(p), "or") || is(peek(p), "and")) && p->pos + 1 < p->ntok &&
			    (is(p->tok[p->pos + 1], "dst") || is(p->tok[p->pos + 1], "src")))
				p->pos += 2;
		} else if (is(t, "ip") || is(t, "ip6") || is(t, "arp") || is(t, "rarp")) {
			p->pos++;
		} else if (proto_number(t) >= 0 && !value_like(t)) {
			proto = proto_number(t);
			p->pos++;
		} else if (is(t, "host") || is(t, "net") || is(t, "port") || is(t, "portrange") || is(t, "proto")) {
			type = is(t, "host")	    ? T_HOST
			       : is(t, "net")	    ? T_NET
			       : is(t, "port")	    ? T_PORT
			       : is(t, "portrange") ? T_PORTRANGE
						    : T_PROTO;
			p->pos++;
			break;
		} else if (is(t, "vlan") || is(t, "less") || is(t, "greater")) {
			p->pos++;
			if (value_like(peek(p)))
				p->pos++;
			p->last_type = T_NONE;
			return maybe(p);
		} else {
			break;
		}
	}
	t = peek(p);
	if (type == T_NONE && value_like(t))
		type = T_HOST; /* "src 10.0.0.1" */
	if (type == T_NONE) {
		/* A bare protocol ("tcp", "icmp"), or "ip"/"ip6"/"arp" alone. */
		p->last_type = T_NONE;
		if (proto >= 0)
			return add(p, (struct node){ .kind = N_PROTO, .proto = (uint8_t)proto });
		if (t && !is(t, "and") && !is(t, "or") && !is(t, ")") && !is(t, "&&") && !is(t, "||"))
			p->unknown = true;
		return maybe(p);
	}
	if (!t) {
		p->unknown = true;
		return maybe(p);
	}
	p->pos++;
	return value_term(p, type, proto, t);
}

static int unary(struct parser *p)
{
	const char *t = peek(p);

	if (is(t, "not") || is(t, "!")) {
		p->pos++;
		unary(p); /* parsed for its qualifiers and syntax; a negation rules nothing out */
		return maybe(p);
	}
	if (is(t, "(")) {
		int node;

		p->pos++;
		node = parse_expr(p);
		if (!is(peek(p), ")"))
			p->unknown = true;
		else
			p->pos++;
		return node;
	}
	if (!t) {
		p->unknown = true;
		return maybe(p);
	}
	return primitive(p);
}

/* libpcap: and/or of equal precedence, from left to right. */
static int parse_expr(struct parser *p)
{
	int node = unary(p);
	const char *t;

	while (!p->unknown && (t = peek(p))) {
		enum node_kind k;

		if (is(t, "and") || is(t, "&&"))
			k = N_AND;
		else if (is(t, "or") || is(t, "||"))
			k = N_OR;
		else
			break;
		p->pos++;
		node = join(p, k, node, unary(p));
	}
	return node;
}

/* Words, with ( ) and a lone ! as tokens of their own; text has room for 3 * strlen(expr) + 1 bytes. */
static int tokenize(struct parser *p, char *text, const char *expr)
{
	char *o = text, *save = NULL;

	for (const char *s = expr; *s; s++) {
		if (*s == '(' || *s == ')' || (*s == '!' && s[1] != '=')) {
			*o++ = ' ';
			*o++ = *s;
			*o++ = ' ';
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
	for (char *t = strtok_r(text, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (p->ntok == MAX_TOKENS)
			return -1;
		p->tok[p->ntok++] = t;
	}
	return 0;
}

struct prefilter *prefilter_compile(const char *expr)
{
	struct parser p = { .last_type = T_NONE, .last_proto = -1 };
	char *text;

	if (!expr || !*expr)
		return NULL;
	text = malloc(3 * strlen(expr) + 1);
	p.pf = calloc(1, sizeof(*p.pf));
	if (!text || !p.pf)
		goto none;
	if (tokenize(&p, text, expr) < 0 || !p.ntok)
		goto none;
	p.pf->root = parse_expr(&p);
	if (p.unknown || p.pos != p.ntok)
		goto none;
	free(text);
	return p.pf;
none:
	free(text);
	free(p.pf);
	return NULL;
}

static bool eval(const struct prefilter *pf, int i, const struct index_entry *e)
{
	const struct node *nd = &pf->n[i];

	switch (nd->kind) {
	case N_AND: return eval(pf, nd->left, e) && eval(pf, nd->right, e);
	case N_OR: return eval(pf, nd->left, e) || eval(pf, nd->right, e);
	case N_PROTO: return (e->protos[nd->proto >> 3] >> (nd->proto & 7)) & 1;
	case N_KEY: return bloom_maybe(e->bloom, nd->key, nd->val, nd->len);
	default: return true;
	}
}

bool prefilter_maybe(const struct prefilter *pf, const struct index_entry *e)
{
	if (!pf || (e->flags & ENTRY_UNSUMMARIZED))
		return true;
	return eval(pf, pf->root, e);
}

void prefilter_free(struct prefilter *pf)
{
	free(pf);
}
