/* Names instead of numbers when -n is not given: host names, service names, Ethernet OUI labels - cached per printer. */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "writers/print/print-int.h"

/*
 * Reverse lookups block (DNS), so their answers are kept: a direct-mapped
 * table where a new address replaces the one in its slot. 4096 slots hold
 * the hosts of a busy link in about 1 MiB; a miss costs one lookup, as it
 * would for tcpdump the first time.
 */
#define HOST_SLOTS 4096
#define HOST_NAME_MAX_LEN 256

struct host_slot {
	uint8_t used;
	uint8_t is_v6;
	uint8_t numeric; /* the lookup failed: print the number */
	uint8_t addr[16];
	char name[HOST_NAME_MAX_LEN];
};

struct service {
	uint16_t port;
	uint8_t udp;
	char name[32];
};

struct pr_names {
	struct host_slot host[HOST_SLOTS];
	struct service *svc; /* sorted by (udp, port), first /etc/services line wins */
	size_t nsvc;
	int svc_loaded;
};

/* tcpdump's labels for the OUIs it knows (checked against tcpdump 4.99.3 -e); others are "Unknown". */
static const struct pr_tok oui_names[] = {
	{ 0x000000, "Ethernet" },
	{ 0x00000c, "Cisco" },
	{ 0x00005e, "IANA" },
	{ 0x000081, "Nortel Networks SONMP" },
	{ 0x0000f8, "Cisco bridged" },
	{ 0x0004ea, "HP-Labs" },
	{ 0x00049f, "Freescale" },
	{ 0x0012bb, "ANSI/TIA" },
	{ 0x00120f, "IEEE 802.3 Private" },
	{ 0x0015ad, "Netronome" },
	{ 0x001b21, "DCBX" },
	{ 0x002320, "Nicira Networks" },
	{ 0x002481, "HP" },
	{ 0x0080c2, "Ethernet bridged" },
	{ 0x009069, "Juniper" },
	{ 0x00a03e, "ATM Forum" },
	{ 0x00e02f, "DOCSIS Spanning Tree" },
	{ 0x080007, "Appletalk" },
	{ 0x080009, "Hewlett-Packard" },
	{ 0x5c16c7, "Big Switch Networks" },
	{ 0x748771, "Infoblox Inc" },
	{ 0xa42305, "Open Networking Lab" },
	{ 0xb0d2f5, "Vello Systems" },
	{ 0, NULL },
};

static struct pr_names *names(struct pctx *ctx)
{
	if (!ctx->names)
		ctx->names = calloc(1, sizeof(*ctx->names));
	return ctx->names;
}

void pr_names_free(struct pctx *ctx)
{
	if (!ctx->names)
		return;
	free(ctx->names->svc);
	free(ctx->names);
	ctx->names = NULL;
}

static int svc_cmp(const void *a, const void *b)
{
	const struct service *x = a, *y = b;

	if (x->udp != y->udp)
		return x->udp - y->udp;
	return (int)x->port - (int)y->port;
}

/*
 * Read /etc/services ourselves rather than with getservent(), whose cursor
 * is shared by the whole process: several printers may load at once.
 * tcpdump keeps the first line for a port, so a later duplicate is dropped
 * as it is read (a linear scan of about a thousand entries, once).
 */
static void svc_load(struct pr_names *nm)
{
	FILE *f = fopen("/etc/services", "re");
	char line[512];
	size_t cap = 0;

	nm->svc_loaded = 1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char name[32], proto[8];
		unsigned port;
		struct service *s;
		size_t i;

		if (sscanf(line, "%31s %u/%7s", name, &port, proto) != 3 || name[0] == '#' || port > 65535)
			continue;
		if (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0)
			continue;
		for (i = 0; i < nm->nsvc; i++)
			if (nm->svc[i].port == port && nm->svc[i].udp == (proto[0] == 'u'))
				break;
		if (i < nm->nsvc)
			continue;
		if (nm->nsvc == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct service *n = realloc(nm->svc, ncap * sizeof(*n));

			if (!n)
				break;
			nm->svc = n;
			cap = ncap;
		}
		s = &nm->svc[nm->nsvc++];
		s->port = (uint16_t)port;
		s->udp = proto[0] == 'u';
		memcpy(s->name, name, sizeof(s->name));
	}
	fclose(f);
	qsort(nm->svc, nm->nsvc, sizeof(*nm->svc), svc_cmp);
}

const char *pr_port_str(struct pctx *ctx, unsigned port, int udp)
{
	struct pr_names *nm;
	char *s;

	if (!ctx->opts.numeric && (nm = names(ctx))) {
		struct service key = { .port = (uint16_t)port, .udp = (uint8_t)(udp != 0) }, *hit;

		if (!nm->svc_loaded)
			svc_load(nm);
		hit = nm->nsvc ? bsearch(&key, nm->svc, nm->nsvc, sizeof(*nm->svc), svc_cmp) : NULL;
		if (hit)
			return hit->name;
	}
	s = pr_scratch(ctx);
	snprintf(s, PR_STR_LEN, "%u", port);
	return s;
}

static uint32_t addr_hash(const uint8_t *a, unsigned len)
{
	uint32_t h = 2166136261u;
	unsigned i;

	for (i = 0; i < len; i++)
		h = (h ^ a[i]) * 16777619u;
	return h;
}

/* The host name of an address (tcpdump: gethostbyaddr, -N cuts at the first dot), or NULL for the number. */
static const char *host_name(struct pctx *ctx, const uint8_t *a, int v6)
{
	unsigned alen = v6 ? 16 : 4;
	struct pr_names *nm = names(ctx);
	struct host_slot *h;

	if (!nm)
		return NULL;
	h = &nm->host[addr_hash(a, alen) % HOST_SLOTS];
	if (!h->used || h->is_v6 != v6 || memcmp(h->addr, a, alen) != 0) {
		struct sockaddr_storage ss;
		socklen_t sl;

		memset(&ss, 0, sizeof(ss));
		if (v6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

			s6->sin6_family = AF_INET6;
			memcpy(&s6->sin6_addr, a, 16);
			sl = sizeof(*s6);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

			s4->sin_family = AF_INET;
			memcpy(&s4->sin_addr, a, 4);
			sl = sizeof(*s4);
		}
		memset(h, 0, sizeof(*h));
		h->used = 1;
		h->is_v6 = (uint8_t)v6;
		memcpy(h->addr, a, alen);
		/* NI_NAMEREQD: a failed lookup is an error, not the number as text */
		if (getnameinfo((struct sockaddr *)&ss, sl, h->name, sizeof(h->name), NULL, 0, NI_NAMEREQD) != 0)
			h->numeric = 1;
		else if (ctx->opts.no_domain) {
			char *dot = strchr(h->name, '.');

			if (dot)
				*dot = '\0';
		}
	}
	return h->numeric ? NULL : h->name;
}

const char *pr_ipv4_str(struct pctx *ctx, const void *p)
{
	const char *name;
	char *s;

	pr_need(ctx, p, 4);
	if (ctx->opts.numeric || !(name = host_name(ctx, p, 0)))
		return pr_ipv4_num(ctx, p);
	s = pr_scratch(ctx);
	snprintf(s, PR_STR_LEN, "%s", name);
	return s;
}

const char *pr_ipv6_str(struct pctx *ctx, const void *p)
{
	const char *name;
	char *s;

	pr_need(ctx, p, 16);
	if (ctx->opts.numeric || !(name = host_name(ctx, p, 1)))
		return pr_ipv6_num(ctx, p);
	s = pr_scratch(ctx);
	snprintf(s, PR_STR_LEN, "%s", name);
	return s;
}

const char *pr_mac_str(struct pctx *ctx, const void *p)
{
	const uint8_t *b = p;
	char *s;
	int n;

	pr_need(ctx, p, 6);
	s = pr_scratch(ctx);
	if (!ctx->opts.numeric && b[0] == 0xff && b[1] == 0xff && b[2] == 0xff && b[3] == 0xff && b[4] == 0xff &&
	    b[5] == 0xff) {
		snprintf(s, PR_STR_LEN, "Broadcast");
		return s;
	}
	n = snprintf(s, PR_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
	if (!ctx->opts.numeric) {
		const char *oui = pr_tok_find(oui_names, (unsigned)b[0] << 16 | (unsigned)b[1] << 8 | b[2]);

		snprintf(s + n, PR_STR_LEN - (size_t)n, " (oui %s)", oui ? oui : "Unknown");
	}
	return s;
}
