/* NTP decoder (RFC 5905 time messages, mode 6 control messages) printing tcpdump 4.99.3's exact text. */
#include <stdint.h>
#include <time.h>

#include "writers/print/print-int.h"

#define NTP_TIME_MINLEN 48	    /* RFC 5905 7.3 header without extensions or MAC */
#define NTP_CTRL_MINLEN 12	    /* RFC 9327 2: control message header */
#define NTP_UNIX_OFFSET 2208988800U /* 1900-01-01 to 1970-01-01 in seconds */
#define TWO_TO_32 4294967296.0

enum { MODE_CONTROL = 6, MODE_PRIVATE = 7 };
enum { STRATUM_UNSPEC = 0, STRATUM_PRIMARY = 1, STRATUM_INFO_QUERY = 62, STRATUM_INFO_REPLY = 63 };

/* RFC 5905 7.3 time message layout. */
struct ntp_time_msg {
	wire_u8 status; /* LI (2), VN (3), mode (3) */
	wire_u8 stratum;
	wire_u8 poll;
	wire_u8 precision;
	wire_u32 root_delay;	  /* 16.16 fixed point */
	wire_u32 root_dispersion; /* 16.16 fixed point */
	wire_u32 refid;
	wire_u64 ref_ts; /* 32.32 fixed point */
	wire_u64 org_ts;
	wire_u64 rec_ts;
	wire_u64 xmt_ts;
	wire_u32 key_id;
	wire_u32 digest[5];
};

/* RFC 9327 control message layout. */
struct ntp_ctrl_msg {
	wire_u8 status;
	wire_u8 control; /* R, E, M, opcode (5) */
	wire_u16 sequence;
	wire_u16 st;
	wire_u16 assoc;
	wire_u16 offset;
	wire_u16 count;
	wire_u8 data[];
};

static const struct pr_tok ntp_modes[] = {
	{ 0, "unspecified" }, { 1, "symmetric active" }, { 2, "symmetric passive" }, { 3, "Client" }, { 4, "Server" },
	{ 5, "Broadcast" },   { 6, "Control Message" },	 { 7, "Reserved" },	     { 0, NULL },
};

/* Leap indicator values as they sit in the first byte (LI << 6); tcpdump prints 0 as "". */
static const char *leap_name(unsigned li)
{
	switch (li) {
	case 0x00: return "";
	case 0x40: return "+1s";
	case 0x80: return "-1s";
	default: return "clock unsynchronized";
	}
}

/* 16.16 root delay/dispersion, microsecond digits. */
static void sfix_print(struct pctx *ctx, const uint8_t *p)
{
	unsigned i = RD_BE16(p);
	double ff = RD_BE16(p + 2) / 65536.0;

	pr_printf(ctx, "%d.%06d", (int)i, (int)(ff * 1000000.0));
}

/* 32.32 time stamp, nanosecond digits, then the UTC date when the seconds are nonzero. */
static void ntp_time_print(struct pctx *ctx, const uint8_t *p)
{
	uint32_t secs = RD_BE32(p);
	uint32_t frac = RD_BE32(p + 4);
	double ff = frac / TWO_TO_32;

	pr_printf(ctx, "%u.%09u", secs, (uint32_t)(ff * 1000000000.0));
	if (secs) {
		/* era 0 only, like tcpdump: 1968..2036 map below 1970 when the top bit is clear */
		time_t t = (time_t)((int64_t)secs - NTP_UNIX_OFFSET);
		struct tm tm;
		char buf[64];

		if (gmtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
			pr_printf(ctx, " (%s)", buf);
		else
			pr_puts(ctx, " ([Error converting time])");
	}
}

/* A time stamp after its label; like tcpdump, the label appears only when the 8 bytes were captured. */
static void labeled_time(struct pctx *ctx, const char *label, const uint8_t *p)
{
	NEED(p, 8);
	pr_puts(ctx, label);
	ntp_time_print(ctx, p);
}

/* Signed difference lfp - olfp; an unset olfp prints lfp itself (tcpdump's p_ntp_delta). */
static void ntp_delta_print(struct pctx *ctx, const uint8_t *olfp, const uint8_t *lfp)
{
	uint32_t u = RD_BE32(lfp), uf = RD_BE32(lfp + 4);
	uint32_t ou = RD_BE32(olfp), ouf = RD_BE32(olfp + 4);
	uint32_t f, secs = 0;
	int neg;

	if (ou == 0 && ouf == 0) {
		ntp_time_print(ctx, lfp);
		return;
	}
	/* compared unsigned: a gap of 2^31 s or more keeps its sign and prints in full (tcpdump 4.99.3) */
	if (u > ou) {
		neg = 0;
		secs = u - ou;
		f = uf - ouf;
		if (ouf > uf) /* borrow from the seconds */
			secs -= 1;
	} else if (u < ou) {
		neg = 1;
		secs = ou - u;
		f = ouf - uf;
		if (uf > ouf)
			secs -= 1;
	} else if (uf > ouf) {
		neg = 0;
		f = uf - ouf;
	} else {
		neg = 1;
		f = ouf - uf;
	}
	pr_printf(ctx, "%s%u.%09d", neg ? "-" : "+", secs, (int)(uint32_t)(f / TWO_TO_32 * 1000000000.0));
}

/* tcpdump's p_poll: 2^poll seconds, only for sane exponents. */
static void poll_print(struct pctx *ctx, int poll)
{
	if (poll <= -32 || poll >= 32)
		return;
	if (poll >= 0)
		pr_printf(ctx, " (%us)", 1U << poll);
	else
		pr_printf(ctx, " (1/%us)", 1U << -poll);
}

static void time_msg_print(struct pctx *ctx, const struct ntp_time_msg *m, unsigned length)
{
	unsigned stratum;
	const char *sname;

	if (length < NTP_TIME_MINLEN) {
		pr_invalid(ctx);
		NEED(m, length);
		return;
	}
	stratum = RD_U8(&m->stratum);
	if (stratum == STRATUM_UNSPEC)
		sname = "unspecified";
	else if (stratum == STRATUM_PRIMARY)
		sname = "primary reference";
	else if (stratum <= 15)
		sname = "secondary reference";
	else
		sname = "reserved";
	pr_printf(ctx, ", Stratum %u (%s)", stratum, sname);
	pr_printf(ctx, ", poll %d", RD_S8(&m->poll));
	poll_print(ctx, RD_S8(&m->poll));
	pr_printf(ctx, ", precision %d", RD_S8(&m->precision));

	/* like tcpdump, a field's label appears only when its value was captured */
	NEED(m->root_delay, 4);
	pr_puts(ctx, "\n\tRoot Delay: ");
	sfix_print(ctx, m->root_delay);
	NEED(m->root_dispersion, 4);
	pr_puts(ctx, ", Root dispersion: ");
	sfix_print(ctx, m->root_dispersion);
	NEED(m->refid, 4);
	pr_puts(ctx, ", Reference-ID: ");
	/* RFC 5905 7.3: the refid's meaning depends on the stratum */
	switch (stratum) {
	case STRATUM_UNSPEC: pr_puts(ctx, "(unspec)"); break;
	case STRATUM_PRIMARY: pr_str_n(ctx, m->refid, 4); break;
	case STRATUM_INFO_QUERY: pr_printf(ctx, "%s INFO_QUERY", RD_IPV4(m->refid)); break;
	case STRATUM_INFO_REPLY: pr_printf(ctx, "%s INFO_REPLY", RD_IPV4(m->refid)); break;
	default: pr_printf(ctx, "0x%08x", RD_BE32(m->refid)); break;
	}
	labeled_time(ctx, "\n\t  Reference Timestamp:  ", m->ref_ts);
	labeled_time(ctx, "\n\t  Originator Timestamp: ", m->org_ts);
	labeled_time(ctx, "\n\t  Receive Timestamp:    ", m->rec_ts);
	labeled_time(ctx, "\n\t  Transmit Timestamp:   ", m->xmt_ts);
	pr_puts(ctx, "\n\t    Originator - Receive Timestamp:  ");
	ntp_delta_print(ctx, m->org_ts, m->rec_ts);
	pr_puts(ctx, "\n\t    Originator - Transmit Timestamp: ");
	ntp_delta_print(ctx, m->org_ts, m->xmt_ts);

	/* a key id alone (crypto-NAK), or with a 128-bit (MD5) or 160-bit (SHA-1) MAC; extensions are not parsed */
	if (length == NTP_TIME_MINLEN + 4) {
		pr_printf(ctx, "\n\tKey id: %u", RD_BE32(m->key_id));
	} else if (length == NTP_TIME_MINLEN + 4 + 16) {
		pr_printf(ctx, "\n\tKey id: %u", RD_BE32(m->key_id));
		pr_printf(ctx, "\n\tAuthentication: %08x%08x%08x%08x", RD_BE32(m->digest[0]), RD_BE32(m->digest[1]),
			  RD_BE32(m->digest[2]), RD_BE32(m->digest[3]));
	} else if (length == NTP_TIME_MINLEN + 4 + 20) {
		pr_printf(ctx, "\n\tKey id: %u", RD_BE32(m->key_id));
		pr_printf(ctx, "\n\tAuthentication: %08x%08x%08x%08x%08x", RD_BE32(m->digest[0]), RD_BE32(m->digest[1]),
			  RD_BE32(m->digest[2]), RD_BE32(m->digest[3]), RD_BE32(m->digest[4]));
	} else if (length > NTP_TIME_MINLEN) {
		pr_printf(ctx, "\n\t(%u more bytes after the header)", length - NTP_TIME_MINLEN);
	}
}

/* Mode 6: header fields only; the data is not interpreted (as in tcpdump 4.99.3). */
static void control_msg_print(struct pctx *ctx, const struct ntp_ctrl_msg *m, unsigned length)
{
	unsigned control, count;

	if (length < NTP_CTRL_MINLEN)
		goto invalid;
	control = RD_U8(&m->control);
	pr_printf(ctx, ", %s, %s, %s, OpCode=%u\n", control & 0x80 ? "Response" : "Request",
		  control & 0x40 ? "Error" : "OK", control & 0x20 ? "More" : "Last", control & 0x1f);
	pr_printf(ctx, "\tSequence=%u", RD_BE16(m->sequence));
	pr_printf(ctx, ", Status=%#x", RD_BE16(m->st));
	pr_printf(ctx, ", Assoc.=%u", RD_BE16(m->assoc));
	pr_printf(ctx, ", Offset=%u", RD_BE16(m->offset));
	count = RD_BE16(m->count);
	pr_printf(ctx, ", Count=%u", count);
	if (NTP_CTRL_MINLEN + count > length)
		goto invalid;
	if (count) {
		NEED(m->data, count);
		pr_puts(ctx, "\n\tTO-BE-DONE: data not interpreted");
	}
	return;
invalid:
	pr_invalid(ctx);
	NEED(m, length);
}

void ntp_print(struct pctx *ctx, const uint8_t *bp, unsigned length)
{
	unsigned status, mode, li;

	PR_PROTO(ctx, "ntp");
	status = RD_U8(bp);
	mode = status & 0x07;
	pr_printf(ctx, "NTPv%u, %s, length %u", (status >> 3) & 0x07, pr_tok_str(ctx, ntp_modes, "Unknown mode", mode),
		  length);
	if (!ctx->opts.verbose)
		return;
	li = status & 0xc0;
	pr_printf(ctx, "\n\tLeap indicator: %s (%u)", leap_name(li), li);
	if (mode < MODE_CONTROL)
		time_msg_print(ctx, (const struct ntp_time_msg *)bp, length);
	else if (mode == MODE_CONTROL)
		control_msg_print(ctx, (const struct ntp_ctrl_msg *)bp, length);
	/* mode 7 (private) carries only the leap indicator line */
}
