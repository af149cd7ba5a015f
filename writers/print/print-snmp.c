/* SNMP v1/v2c/v3 (RFC 1157, RFC 3416, RFC 3412/3414) over UDP ports 161 and 162, through a small BER reader; object identifiers as numbers. */
#include <string.h>

#include "writers/print/print-int.h"

/* BER tag classes and the element kinds the decoder distinguishes. */
enum { C_UNIVERSAL = 0, C_APPLICATION = 1, C_CONTEXT = 2, C_PRIVATE = 3 };
enum be_type {
	BE_ANY,
	BE_NULL,
	BE_OCTET,
	BE_OID,
	BE_INT,
	BE_UNS,
	BE_STR,
	BE_SEQ,
	BE_INETADDR,
	BE_PDU,
	BE_UNS64,
	BE_NOSUCHOBJECT,
	BE_NOSUCHINST,
	BE_ENDOFMIBVIEW,
};

/* Type names by class and tag number (X.690 universal tags, RFC 2578 application tags, RFC 3416 PDUs). */
static const char *const universal_names[] = { "U-0",	"Boolean",   "Integer", "Bitstring", "String",	 "Null",
					       "ObjID", "ObjectDes", "U-8",	"U-9",	     "U-10",	 "U-11",
					       "U-12",	"U-13",	     "U-14",	"U-15",	     "Sequence", "Set" };
static const char *const application_names[] = { "IpAddress", "Counter", "Gauge",    "TimeTicks",
						 "Opaque",    "C-5",	 "Counter64" };
static const char *const context_names[] = { "GetRequest", "GetNextRequest", "GetResponse", "SetRequest", "Trap",
					     "GetBulk",	   "Inform",	     "V2Trap",	    "Report" };
static const char *const private_names[] = { "P-0" };
static const char *const exception_names[] = { "noSuchObject", "noSuchInstance", "endOfMibView" };

static const struct {
	const char *name;
	const char *const *ids;
	unsigned n;
} classes[] = {
	/* tcpdump builds these names with a pre-ANSI macro: every class is called "x" */
	{ "x", universal_names, sizeof(universal_names) / sizeof(universal_names[0]) },
	{ "x", application_names, sizeof(application_names) / sizeof(application_names[0]) },
	{ "x", context_names, sizeof(context_names) / sizeof(context_names[0]) },
	{ "x", private_names, sizeof(private_names) / sizeof(private_names[0]) },
};

enum {
	GETREQ = 0,
	GETNEXTREQ = 1,
	GETRESP = 2,
	SETREQ = 3,
	TRAP = 4,
	GETBULKREQ = 5,
	INFORMREQ = 6,
	V2TRAP = 7,
	REPORT = 8
};

static const char *const error_status_names[] = {
	"noError",
	"tooBig",
	"noSuchName",
	"badValue",
	"readOnly",
	"genErr",
	"noAccess",
	"wrongType",
	"wrongLength",
	"wrongEncoding",
	"wrongValue",
	"noCreation",
	"inconsistentValue",
	"resourceUnavailable",
	"commitFailed",
	"undoFailed",
	"authorizationError",
	"notWritable",
	"inconsistentName",
};

static const char *const generic_trap_names[] = {
	"coldStart", "warmStart", "linkDown", "linkUp", "authenticationFailure", "egpNeighborLoss", "enterpriseSpecific"
};

static const char *const version_names[] = { "SNMPv1", "SNMPv2c", "SNMPv2u", "SNMPv3" };

/* One decoded BER element. */
struct be {
	uint32_t asnlen;
	const uint8_t *data; /* contents */
	int32_t integer;
	uint32_t uns;
	uint64_t uns64;
	unsigned id, form, cls;
	enum be_type type;
};

/*
 * Parses the element at p (len bytes left); returns its total size, or -1 after saying why.
 * Bytes past the capture end the element with " [|snmp]" and -1, not the packet: tcpdump's
 * asn1_parse tests before it reads, so -x still dumps from the network header.
 */
#define ASN_NEED(q, n)               \
	do {                         \
		if (!HAVE((q), (n))) \
			goto trunc;  \
	} while (0)

static int asn1_parse(struct pctx *ctx, const uint8_t *p, unsigned len, struct be *e)
{
	unsigned id, form, cls, hdr = 1, i;
	uint8_t b;

	memset(e, 0, sizeof(*e));
	e->type = BE_ANY;
	if (len < 1) {
		pr_puts(ctx, "[nothing to parse]");
		return -1;
	}
	ASN_NEED(p, 1);
	b = RD_U8(p);
	id = b & 0x1f;
	form = (b & 0x20) >> 5;
	cls = (b & 0xc0) >> 6;
	p++;
	len--;
	if (id == 0x1f) {
		/* high tag number form: 7 bits per byte while the top bit is set */
		for (id = 0; HAVE(p, 1) && (RD_U8(p) & 0x80); len--, hdr++, p++) {
			if (len < 1) {
				pr_puts(ctx, "[Xtagfield?]");
				return -1;
			}
			id = (id << 7) | (RD_U8(p) & 0x7f);
		}
		if (len < 1) {
			pr_puts(ctx, "[Xtagfield?]");
			return -1;
		}
		ASN_NEED(p, 1);
		id = (id << 7) | RD_U8(p);
		len--;
		hdr++;
		p++;
	}
	e->id = id;
	e->form = form;
	e->cls = cls;
	if (len < 1) {
		pr_puts(ctx, "[no asnlen]");
		return -1;
	}
	ASN_NEED(p, 1);
	e->asnlen = RD_U8(p);
	p++;
	len--;
	hdr++;
	if (e->asnlen & 0x80) {
		unsigned noct = e->asnlen & 0x7f;

		e->asnlen = 0;
		if (len < noct) {
			pr_printf(ctx, "[asnlen? %u<%u]", len, noct);
			return -1;
		}
		ASN_NEED(p, noct);
		for (; noct > 0; noct--, len--, hdr++, p++)
			e->asnlen = (e->asnlen << 8) | RD_U8(p);
	}
	if (len < e->asnlen) {
		pr_printf(ctx, "[len%u<asnlen%u]", len, e->asnlen);
		return -1;
	}
	if (id >= classes[cls].n) {
		pr_printf(ctx, "[id?%c/%s/%u]", form ? 'C' : 'P', classes[cls].name, id);
		return -1;
	}
	e->data = p;
	if (form == 0) {
		switch (cls) {
		case C_UNIVERSAL:
			switch (id) {
			case 4: e->type = BE_STR; break;
			case 2: {
				int32_t v;

				e->type = BE_INT;
				ASN_NEED(p, e->asnlen);
				v = (e->asnlen && (p[0] & 0x80)) ? -1 : 0;
				for (i = 0; i < e->asnlen; i++)
					v = (int32_t)((uint32_t)v << 8 | p[i]);
				e->integer = v;
				break;
			}
			case 6: e->type = BE_OID; break;
			case 5: e->type = BE_NULL; break;
			default:
				e->type = BE_OCTET;
				pr_printf(ctx, "[P/U/%s]", universal_names[id]);
				break;
			}
			break;
		case C_APPLICATION:
			switch (id) {
			case 0: e->type = BE_INETADDR; break;
			case 1:
			case 2:
			case 3: {
				uint32_t v = 0;

				ASN_NEED(p, e->asnlen);
				e->type = BE_UNS;
				for (i = 0; i < e->asnlen; i++)
					v = (v << 8) + p[i];
				e->uns = v;
				break;
			}
			case 6: {
				uint64_t v = 0;

				ASN_NEED(p, e->asnlen);
				e->type = BE_UNS64;
				for (i = 0; i < e->asnlen; i++)
					v = (v << 8) | p[i];
				e->uns64 = v;
				break;
			}
			default:
				e->type = BE_OCTET;
				pr_printf(ctx, "[P/A/%s]", application_names[id]);
				break;
			}
			break;
		case C_CONTEXT:
			/* RFC 3416 3: exception values in a response's variable bindings */
			if (id == 0)
				e->type = BE_NOSUCHOBJECT;
			else if (id == 1)
				e->type = BE_NOSUCHINST;
			else if (id == 2)
				e->type = BE_ENDOFMIBVIEW;
			break;
		default:
			/* the application case is spelled out in tcpdump, the others go through the table */
			pr_printf(ctx, "[P/%s/%s]", cls == 1 ? "A" : classes[cls].name, classes[cls].ids[id]);
			ASN_NEED(p, e->asnlen);
			e->type = BE_OCTET;
			break;
		}
	} else {
		switch (cls) {
		case C_UNIVERSAL:
			if (id == 16) {
				e->type = BE_SEQ;
			} else {
				e->type = BE_OCTET;
				pr_printf(ctx, "C/U/%s", universal_names[id]);
			}
			break;
		case C_CONTEXT: e->type = BE_PDU; break;
		default:
			e->type = BE_OCTET;
			pr_printf(ctx, "C/%s/%s", classes[cls].name, classes[cls].ids[id]);
			break;
		}
	}
	return (int)(e->asnlen + hdr);
trunc:
	pr_trunc_mark(ctx);
	return -1;
}

static void asn1_print(struct pctx *ctx, const struct be *e)
{
	const uint8_t *p = e->data;
	unsigned i;

	switch (e->type) {
	case BE_OCTET:
		NEED(p, e->asnlen);
		for (i = 0; i < e->asnlen; i++)
			pr_printf(ctx, "_%.2x", p[i]);
		break;
	case BE_NULL: break;
	case BE_OID: {
		/* X.690 8.19: base-128 subidentifiers, the first holding two arcs */
		uint32_t o = 0;
		int first = 1;

		for (i = 0; i < e->asnlen; i++) {
			uint8_t b = RD_U8(p + i);

			o = (o << 7) + (b & 0x7f);
			if (b & 0x80)
				continue;
			if (first) {
				uint32_t s = o / 40;

				if (s > 2)
					s = 2;
				pr_printf(ctx, ".%u", s);
				o -= s * 40;
				first = 0;
			}
			pr_printf(ctx, ".%u", o);
			o = 0;
		}
		break;
	}
	case BE_INT: pr_printf(ctx, "%d", e->integer); break;
	case BE_UNS: pr_printf(ctx, "%u", e->uns); break;
	case BE_UNS64: pr_printf(ctx, "%llu", (unsigned long long)e->uns64); break;
	case BE_STR: {
		int printable = 1;

		NEED(p, e->asnlen);
		for (i = 0; printable && i < e->asnlen; i++)
			printable = p[i] >= 0x20 && p[i] < 0x7f;
		if (printable) {
			pr_putc(ctx, '"');
			pr_str_n(ctx, p, e->asnlen);
			pr_putc(ctx, '"');
		} else {
			for (i = 0; i < e->asnlen; i++)
				pr_printf(ctx, i ? "_%.2x" : "%.2x", p[i]);
		}
		break;
	}
	case BE_SEQ: pr_printf(ctx, "Seq(%u)", e->asnlen); break;
	case BE_INETADDR:
		if (e->asnlen != 4)
			pr_printf(ctx, "[inetaddr len!=%d]", 4);
		NEED(p, e->asnlen);
		for (i = 0; i < e->asnlen; i++)
			pr_printf(ctx, i ? ".%u" : "%u", p[i]);
		break;
	case BE_NOSUCHOBJECT:
	case BE_NOSUCHINST:
	case BE_ENDOFMIBVIEW: pr_printf(ctx, "[%s]", exception_names[e->type - BE_NOSUCHOBJECT]); break;
	case BE_PDU: pr_printf(ctx, "%s(%u)", context_names[e->id], e->asnlen); break;
	case BE_ANY: pr_puts(ctx, "[BE_ANY!?]"); break;
	}
}

/* Parse the next element and require a type; on mismatch say so (tag text) and return -1. */
static int expect(struct pctx *ctx, const uint8_t *p, unsigned len, struct be *e, enum be_type t, const char *what)
{
	int n = asn1_parse(ctx, p, len, e);

	if (n < 0)
		return -1;
	if (e->type != t) {
		pr_printf(ctx, "[%s]", what);
		asn1_print(ctx, e);
		return -1;
	}
	return n;
}

static void varbind_print(struct pctx *ctx, unsigned pduid, const uint8_t *np, unsigned length)
{
	struct be e;
	int n;
	int req = pduid == GETREQ || pduid == GETNEXTREQ || pduid == GETBULKREQ;

	if ((n = expect(ctx, np, length, &e, BE_SEQ, "!SEQ of varbind")) < 0)
		return;
	if ((unsigned)n < length)
		pr_printf(ctx, "[%u extra after SEQ of varbind]", length - (unsigned)n);
	length = e.asnlen;
	np = e.data;
	while (length > 0) {
		const uint8_t *vbend;
		unsigned vblen;

		pr_putc(ctx, ' ');
		if ((n = expect(ctx, np, length, &e, BE_SEQ, "!varbind")) < 0)
			return;
		vbend = np + n;
		vblen = length - (unsigned)n;
		length = e.asnlen;
		np = e.data;
		if ((n = expect(ctx, np, length, &e, BE_OID, "objName!=OID")) < 0)
			return;
		asn1_print(ctx, &e);
		length -= (unsigned)n;
		np += n;
		if (!req)
			pr_putc(ctx, '=');
		if ((n = asn1_parse(ctx, np, length, &e)) < 0)
			return;
		if (req) {
			if (e.type != BE_NULL) {
				pr_puts(ctx, "[objVal!=NULL]");
				asn1_print(ctx, &e);
			}
		} else if (e.type != BE_NULL) {
			asn1_print(ctx, &e);
		}
		length = vblen;
		np = vbend;
	}
}

static const char *error_status(struct pctx *ctx, int32_t v)
{
	char *s;

	if (v >= 0 && (size_t)v < sizeof(error_status_names) / sizeof(error_status_names[0]))
		return error_status_names[v];
	s = pr_scratch(ctx);
	snprintf(s, PR_STR_LEN, "err=%u", (unsigned)v);
	return s;
}

static void snmppdu_print(struct pctx *ctx, unsigned pduid, const uint8_t *np, unsigned length)
{
	struct be e;
	int n, error = 0;
	int strict = pduid == GETREQ || pduid == GETNEXTREQ || pduid == SETREQ || pduid == INFORMREQ ||
		     pduid == V2TRAP || pduid == REPORT;

	if ((n = expect(ctx, np, length, &e, BE_INT, "reqId!=INT")) < 0)
		return;
	if (ctx->opts.verbose)
		pr_printf(ctx, "R=%d ", e.integer);
	length -= (unsigned)n;
	np += n;
	if ((n = expect(ctx, np, length, &e, BE_INT, "errorStatus!=INT")) < 0)
		return;
	if (strict && e.integer != 0) {
		pr_printf(ctx, "[errorStatus(%s)!=0]", error_status(ctx, e.integer));
	} else if (pduid == GETBULKREQ) {
		pr_printf(ctx, " N=%d", e.integer);
	} else if (e.integer != 0) {
		pr_printf(ctx, " %s", error_status(ctx, e.integer));
		error = e.integer;
	}
	length -= (unsigned)n;
	np += n;
	if ((n = expect(ctx, np, length, &e, BE_INT, "errorIndex!=INT")) < 0)
		return;
	if (strict && e.integer != 0) {
		pr_printf(ctx, "[errorIndex(%d)!=0]", e.integer);
	} else if (pduid == GETBULKREQ) {
		pr_printf(ctx, " M=%d", e.integer);
	} else if (e.integer != 0) {
		if (!error)
			pr_printf(ctx, "[errorIndex(%d) w/o errorStatus]", e.integer);
		else
			pr_printf(ctx, "@%d", e.integer);
	} else if (error) {
		pr_puts(ctx, "[errorIndex==0]");
	}
	length -= (unsigned)n;
	np += n;
	varbind_print(ctx, pduid, np, length);
}

static void trappdu_print(struct pctx *ctx, const uint8_t *np, unsigned length)
{
	struct be e;
	int n, generic;

	pr_putc(ctx, ' ');
	if ((n = expect(ctx, np, length, &e, BE_OID, "enterprise!=OID")) < 0)
		return;
	asn1_print(ctx, &e);
	length -= (unsigned)n;
	np += n;
	pr_putc(ctx, ' ');
	if ((n = expect(ctx, np, length, &e, BE_INETADDR, "agent-addr!=INETADDR")) < 0)
		return;
	asn1_print(ctx, &e);
	length -= (unsigned)n;
	np += n;
	if ((n = expect(ctx, np, length, &e, BE_INT, "generic-trap!=INT")) < 0)
		return;
	generic = e.integer;
	if (generic >= 0 && (size_t)generic < sizeof(generic_trap_names) / sizeof(generic_trap_names[0]))
		pr_printf(ctx, " %s", generic_trap_names[generic]);
	else
		pr_printf(ctx, " gt=%d", generic);
	length -= (unsigned)n;
	np += n;
	if ((n = expect(ctx, np, length, &e, BE_INT, "specific-trap!=INT")) < 0)
		return;
	if (generic != 6) {
		if (e.integer != 0)
			pr_printf(ctx, "[specific-trap(%d)!=0]", e.integer);
	} else {
		pr_printf(ctx, " s=%d", e.integer);
	}
	length -= (unsigned)n;
	np += n;
	pr_putc(ctx, ' ');
	if ((n = expect(ctx, np, length, &e, BE_UNS, "time-stamp!=TIMETICKS")) < 0)
		return;
	asn1_print(ctx, &e);
	length -= (unsigned)n;
	np += n;
	varbind_print(ctx, TRAP, np, length);
}

static void pdu_print(struct pctx *ctx, const uint8_t *np, unsigned length, int version)
{
	struct be pdu;
	int n;

	if ((n = asn1_parse(ctx, np, length, &pdu)) < 0)
		return;
	if (pdu.type != BE_PDU) {
		pr_puts(ctx, "[no PDU]");
		return;
	}
	if ((unsigned)n < length)
		pr_printf(ctx, "[%u extra after PDU]", length - (unsigned)n);
	if (ctx->opts.verbose)
		pr_puts(ctx, "{ ");
	asn1_print(ctx, &pdu);
	pr_putc(ctx, ' ');
	length = pdu.asnlen;
	np = pdu.data;
	if (version == 0 && (pdu.id == GETBULKREQ || pdu.id == INFORMREQ || pdu.id == V2TRAP || pdu.id == REPORT)) {
		pr_puts(ctx, "[v2 PDU in v1 message]");
		return;
	}
	if (version == 1 && pdu.id == TRAP) {
		pr_puts(ctx, "[v1 PDU in v2 message]");
		return;
	}
	if (pdu.id == TRAP)
		trappdu_print(ctx, np, length);
	else
		snmppdu_print(ctx, pdu.id, np, length);
	if (ctx->opts.verbose)
		pr_puts(ctx, " } ");
}

static void community_print(struct pctx *ctx, const uint8_t *np, unsigned length, int version)
{
	struct be e;
	int n;

	if ((n = expect(ctx, np, length, &e, BE_STR, "comm!=STR")) < 0)
		return;
	/* the default community is not shown */
	if (!(e.asnlen == 6 && HAVE(e.data, 6) && memcmp(e.data, "public", 6) == 0)) {
		pr_puts(ctx, "C=\"");
		pr_str_n(ctx, e.data, e.asnlen);
		pr_puts(ctx, "\" ");
	}
	pdu_print(ctx, np + n, length - (unsigned)n, version);
}

/* A string element's bytes as quoted text. */
static void str_field(struct pctx *ctx, const struct be *e)
{
	pr_putc(ctx, '"');
	pr_str_n(ctx, e->data, e->asnlen);
	pr_putc(ctx, '"');
}

static void usm_print(struct pctx *ctx, const uint8_t *np, unsigned length)
{
	struct be e;
	int n;

	if ((n = expect(ctx, np, length, &e, BE_SEQ, "!usm")) < 0)
		return;
	length = e.asnlen;
	np = e.data;
	if ((n = expect(ctx, np, length, &e, BE_STR, "msgAuthoritativeEngineID!=STR")) < 0)
		return;
	length -= (unsigned)n;
	np += n;
	if ((n = expect(ctx, np, length, &e, BE_INT, "msgAuthoritativeEngineBoots!=INT")) < 0)
		return;
	if (ctx->opts.verbose)
		pr_printf(ctx, "B=%d ", e.integer);
	length -= (unsigned)n;
	np += n;
	if ((n = expect(ctx, np, length, &e, BE_INT, "msgAuthoritativeEngineTime!=INT")) < 0)
		return;
	if (ctx->opts.verbose)
		pr_printf(ctx, "T=%d ", e.integer);
	length -= (unsigned)n;
	np += n;
	if ((n = expect(ctx, np, length, &e, BE_STR, "msgUserName!=STR")) < 0)
		return;
	length -= (unsigned)n;
	np += n;
	pr_puts(ctx, "U=");
	str_field(ctx, &e);
	pr_putc(ctx, ' ');
	if ((n = expect(ctx, np, length, &e, BE_STR, "msgAuthenticationParameters!=STR")) < 0)
		return;
	length -= (unsigned)n;
	np += n;
	if ((n = expect(ctx, np, length, &e, BE_STR, "msgPrivacyParameters!=STR")) < 0)
		return;
	length -= (unsigned)n;
	if ((unsigned)n < length)
		pr_printf(ctx, "[%u extra after usm SEQ]", length - (unsigned)n);
}

static void scopedpdu_print(struct pctx *ctx, const uint8_t *np, unsigned length, int version)
{
	struct be e;
	unsigned i;
	int n;

	if ((n = expect(ctx, np, length, &e, BE_SEQ, "!scoped PDU")) < 0)
		return;
	length = e.asnlen;
	np = e.data;
	if ((n = expect(ctx, np, length, &e, BE_STR, "contextEngineID!=STR")) < 0)
		return;
	length -= (unsigned)n;
	np += n;
	pr_puts(ctx, "E=");
	NEED(e.data, e.asnlen);
	for (i = 0; i < e.asnlen; i++)
		pr_printf(ctx, "_%.2x", e.data[i]);
	pr_putc(ctx, ' ');
	if ((n = expect(ctx, np, length, &e, BE_STR, "contextName!=STR")) < 0)
		return;
	length -= (unsigned)n;
	np += n;
	pr_puts(ctx, "C=");
	str_field(ctx, &e);
	pr_putc(ctx, ' ');
	pdu_print(ctx, np, length, version);
}

static void v3msg_print(struct pctx *ctx, const uint8_t *np, unsigned length)
{
	const uint8_t *start = np;
	unsigned total = length, flags;
	struct be e;
	int n, model;

	if ((n = expect(ctx, np, length, &e, BE_SEQ, "!message")) < 0)
		return;
	length = e.asnlen;
	np = e.data;
	if (ctx->opts.verbose)
		pr_puts(ctx, "{ ");
	if ((n = expect(ctx, np, length, &e, BE_INT, "msgID!=INT")) < 0)
		return;
	length -= (unsigned)n;
	np += n;
	if ((n = expect(ctx, np, length, &e, BE_INT, "msgMaxSize!=INT")) < 0)
		return;
	length -= (unsigned)n;
	np += n;
	if ((n = expect(ctx, np, length, &e, BE_STR, "msgFlags!=STR")) < 0)
		return;
	if (e.asnlen != 1) {
		pr_printf(ctx, "[msgFlags size %u]", e.asnlen);
		return;
	}
	flags = RD_U8(e.data);
	if (flags != 0x00 && flags != 0x01 && flags != 0x03 && flags != 0x04 && flags != 0x05 && flags != 0x07) {
		pr_printf(ctx, "[msgFlags=0x%02X]", flags);
		return;
	}
	length -= (unsigned)n;
	np += n;
	pr_printf(ctx, "F=%s%s%s ", (flags & 1) ? "a" : "", (flags & 2) ? "p" : "", (flags & 4) ? "r" : "");
	if ((n = expect(ctx, np, length, &e, BE_INT, "msgSecurityModel!=INT")) < 0)
		return;
	model = e.integer;
	length -= (unsigned)n;
	np += n;
	if ((unsigned)n < length)
		pr_printf(ctx, "[%u extra after message SEQ]", length - (unsigned)n);
	if (ctx->opts.verbose)
		pr_puts(ctx, "} ");
	if (model != 3) {
		pr_printf(ctx, "[security model %d]", model);
		return;
	}
	if (ctx->opts.verbose)
		pr_puts(ctx, "{ USM ");
	length = total - (unsigned)(np - start);
	if ((n = expect(ctx, np, length, &e, BE_STR, "msgSecurityParameters!=STR")) < 0)
		return;
	length -= (unsigned)n;
	np += n;
	usm_print(ctx, e.data, e.asnlen);
	if (ctx->opts.verbose)
		pr_puts(ctx, "} ");
	if (ctx->opts.verbose)
		pr_puts(ctx, "{ ScopedPDU ");
	scopedpdu_print(ctx, np, length, 3);
	if (ctx->opts.verbose)
		pr_puts(ctx, "} ");
}

void snmp_print(struct pctx *ctx, const uint8_t *np, unsigned length)
{
	struct be e;
	int n, version;

	PR_PROTO(ctx, "snmp");
	pr_putc(ctx, ' ');
	if ((n = expect(ctx, np, length, &e, BE_SEQ, "!init SEQ")) < 0)
		return;
	if ((unsigned)n < length)
		pr_printf(ctx, "[%u extra after iSEQ]", length - (unsigned)n);
	length = e.asnlen;
	np = e.data;
	if ((n = expect(ctx, np, length, &e, BE_INT, "version!=INT")) < 0)
		return;
	version = e.integer;
	if (version != 0 && version != 1 && version != 3) {
		pr_printf(ctx, "[version = %d]", version);
		return;
	}
	if (ctx->opts.verbose)
		pr_printf(ctx, "{ %s ", version_names[version]);
	length -= (unsigned)n;
	np += n;
	if (version == 3)
		v3msg_print(ctx, np, length);
	else
		community_print(ctx, np, length, version);
	if (ctx->opts.verbose)
		pr_puts(ctx, "} ");
}
