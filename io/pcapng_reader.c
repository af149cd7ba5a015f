/* pcapng files (SHB, IDB, EPB, SPB, obsolete PB; other blocks skipped), read in place with libpcap 1.10's checks. */
#include "io/file_format.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_PB 0x00000002u
#define BT_SPB 0x00000003u
#define BT_EPB 0x00000006u

#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define BLOCK_HDR_LEN 8
#define BLOCK_TRAILER_LEN 4
#define SHB_FIXED_LEN 16
#define IDB_FIXED_LEN 8
#define EPB_FIXED_LEN 20
#define PB_FIXED_LEN 20
#define SPB_FIXED_LEN 4

/* libpcap refuses a first SHB longer than this: it is not a capture file. */
#define SHB_INSANE_MAX (1024u * 1024u)
/* libpcap's block size ceiling before the first IDB, and its floor after. */
#define INITIAL_MAX_BLOCKSIZE (16u * 1024u * 1024u)
/* An EPB with a maximal packet and 128 KiB of options. */
#define MAX_BLOCKSIZE_FOR_SNAPLEN(s) (BLOCK_HDR_LEN + EPB_FIXED_LEN + (s) + 131072u + BLOCK_TRAILER_LEN)

#define OPT_ENDOFOPT 0
#define IF_TSRESOL 9
#define IF_TSOFFSET 14

enum ts_scale {
	PASS_THROUGH,
	SCALE_UP_DEC,
	SCALE_DOWN_DEC,
	SCALE_UP_BIN,
	SCALE_DOWN_BIN,
};

struct ng_iface {
	uint64_t tsresol;      /* ticks per second */
	int64_t tsoffset;      /* seconds added to every time stamp */
	uint64_t scale_factor; /* for the decimal scalings */
	enum ts_scale scale;
};

struct pcapng_reader {
	struct instream *in;
	bool swapped;
	int linktype;	  /* DLT of the first IDB */
	uint32_t snaplen; /* adjusted snaplen of the first IDB */
	uint64_t user_tsresol;
	uint32_t max_blocksize;
	struct ng_iface *ifaces;
	uint32_t ifcount; /* interfaces of the current section */
	uint32_t ifaces_size;
	int status; /* sticky end: -ENODATA or -errno */
};

/* A block whole in the window; body is what lies between the header and the trailer. */
struct ng_block {
	uint32_t type;
	const uint8_t *body;
	size_t len;
};

static inline uint64_t ld64(const uint8_t *p, bool swapped)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap64(v) : v;
}

/* Take chunk bytes off the front of a block body, or fail as libpcap's get_from_block_data() does. */
static const uint8_t *take(struct ng_block *b, size_t chunk, char *errbuf)
{
	const uint8_t *p = b->body;

	if (b->len < chunk) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "block of type %u in pcapng dump file is too short", b->type);
		return NULL;
	}
	b->body += chunk;
	b->len -= chunk;
	return p;
}

static int copy_stream_error(struct pcapng_reader *rd, ssize_t got, char *errbuf)
{
	if (got != -EAGAIN)
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", instream_error(rd->in));
	return (int)got;
}

/*
 * The next block, whole, checked and consumed (its bytes stay put until the
 * next release). Returns 1, 0 at a clean end of file, -EAGAIN when the
 * burst must end first, or -errno with libpcap's message in errbuf.
 */
static int next_block(struct pcapng_reader *rd, struct ng_block *b, char *errbuf)
{
	const uint8_t *p;
	uint32_t total, trailer;
	ssize_t got;

	got = instream_peek(rd->in, BLOCK_HDR_LEN, &p);
	if (got < 0)
		return copy_stream_error(rd, got, errbuf);
	if (got == 0)
		return 0;
	if (got < BLOCK_HDR_LEN && (instream_failed(rd->in) == -EBADMSG || instream_failed(rd->in) == -ECANCELED))
		return copy_stream_error(rd, instream_failed(rd->in), errbuf);
	if (got < BLOCK_HDR_LEN) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "truncated pcapng dump file; tried to read %d bytes, only got %zd",
			 BLOCK_HDR_LEN, got);
		return -EIO;
	}
	b->type = ld32(p, rd->swapped);
	total = ld32(p + 4, rd->swapped);
	if (total < BLOCK_HDR_LEN + BLOCK_TRAILER_LEN) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "block in pcapng dump file has a length of %u < %d", total,
			 BLOCK_HDR_LEN + BLOCK_TRAILER_LEN);
		return -EIO;
	}
	if (total % 4 != 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE,
			 "block in pcapng dump file has a length of %u that is not a multiple of 4", total);
		return -EIO;
	}
	if (total > rd->max_blocksize) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "pcapng block size %u > maximum %u", total, rd->max_blocksize);
		return -EIO;
	}
	got = instream_peek(rd->in, total, &p);
	if (got < 0)
		return copy_stream_error(rd, got, errbuf);
	if ((size_t)got < total && (instream_failed(rd->in) == -EBADMSG || instream_failed(rd->in) == -ECANCELED))
		return copy_stream_error(rd, instream_failed(rd->in), errbuf);
	if ((size_t)got < total) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "truncated pcapng dump file; tried to read %u bytes, only got %zd",
			 total - BLOCK_HDR_LEN, got - BLOCK_HDR_LEN);
		return -EIO;
	}
	trailer = ld32(p + total - BLOCK_TRAILER_LEN, rd->swapped);
	if (trailer != total) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "block total length in header and trailer don't match");
		return -EIO;
	}
	b->body = p + BLOCK_HDR_LEN;
	b->len = total - BLOCK_HDR_LEN - BLOCK_TRAILER_LEN;
	instream_consume(rd->in, total);
	return 1;
}

/* if_tsresol and if_tsoffset; the other IDB options do not change what libpcap hands out. */
static int idb_options(struct pcapng_reader *rd, struct ng_block *b, struct ng_iface *ifc, bool *is_binary,
		       char *errbuf)
{
	bool saw_tsresol = false, saw_tsoffset = false;

	while (b->len != 0) {
		const uint8_t *oh, *val;
		uint16_t code, len;

		oh = take(b, 4, errbuf);
		if (!oh)
			return -EIO;
		code = ld16(oh, rd->swapped);
		len = ld16(oh + 2, rd->swapped);
		val = take(b, ((size_t)len + 3) / 4 * 4, errbuf);
		if (!val)
			return -EIO;
		switch (code) {
		case OPT_ENDOFOPT:
			if (len != 0) {
				snprintf(errbuf, TD_ERRBUF_SIZE,
					 "Interface Description Block has opt_endofopt option with length %u != 0",
					 len);
				return -EIO;
			}
			return 0;
		case IF_TSRESOL:
			if (len != 1) {
				snprintf(errbuf, TD_ERRBUF_SIZE,
					 "Interface Description Block has if_tsresol option with length %u != 1", len);
				return -EIO;
			}
			if (saw_tsresol) {
				snprintf(errbuf, TD_ERRBUF_SIZE,
					 "Interface Description Block has more than one if_tsresol option");
				return -EIO;
			}
			saw_tsresol = true;
			if (val[0] & 0x80) {
				unsigned shift = val[0] & 0x7f;

				if (shift > 63) {
					snprintf(
						errbuf, TD_ERRBUF_SIZE,
						"Interface Description Block if_tsresol option resolution 2^-%u is too high",
						shift);
					return -EIO;
				}
				*is_binary = true;
				ifc->tsresol = (uint64_t)1 << shift;
			} else {
				if (val[0] > 19) {
					snprintf(
						errbuf, TD_ERRBUF_SIZE,
						"Interface Description Block if_tsresol option resolution 10^-%u is too high",
						val[0]);
					return -EIO;
				}
				*is_binary = false;
				ifc->tsresol = 1;
				for (unsigned i = 0; i < val[0]; i++)
					ifc->tsresol *= 10;
			}
			break;
		case IF_TSOFFSET:
			if (len != 8) {
				snprintf(errbuf, TD_ERRBUF_SIZE,
					 "Interface Description Block has if_tsoffset option with length %u != 8", len);
				return -EIO;
			}
			if (saw_tsoffset) {
				snprintf(errbuf, TD_ERRBUF_SIZE,
					 "Interface Description Block has more than one if_tsoffset option");
				return -EIO;
			}
			saw_tsoffset = true;
			ifc->tsoffset = (int64_t)ld64(val, rd->swapped);
			break;
		default: break;
		}
	}
	return 0;
}

/* Append the interface an IDB describes (its fixed part already taken). */
static int add_interface(struct pcapng_reader *rd, struct ng_block *b, char *errbuf)
{
	struct ng_iface *ifc;
	bool is_binary = false;

	if (rd->ifcount == rd->ifaces_size) {
		uint32_t nsize = rd->ifaces_size ? rd->ifaces_size * 2 : 4;
		struct ng_iface *n;

		if (nsize < rd->ifaces_size)
			goto nomem;
		n = realloc(rd->ifaces, (size_t)nsize * sizeof(*n));
		if (!n)
			goto nomem;
		rd->ifaces = n;
		rd->ifaces_size = nsize;
	}
	ifc = &rd->ifaces[rd->ifcount++];
	ifc->tsresol = 1000000;
	ifc->tsoffset = 0;
	if (idb_options(rd, b, ifc, &is_binary, errbuf) < 0)
		return -EIO;
	if (ifc->tsresol == rd->user_tsresol) {
		ifc->scale = PASS_THROUGH;
	} else if (ifc->tsresol > rd->user_tsresol) {
		ifc->scale = is_binary ? SCALE_DOWN_BIN : SCALE_DOWN_DEC;
		ifc->scale_factor = ifc->tsresol / rd->user_tsresol;
	} else {
		ifc->scale = is_binary ? SCALE_UP_BIN : SCALE_UP_DEC;
		ifc->scale_factor = rd->user_tsresol / ifc->tsresol;
	}
	return 0;

nomem:
	snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory for per-interface information (%u interfaces)",
		 rd->ifcount + 1);
	return -ENOMEM;
}

/* An IDB after the first: libpcap reads one link type and one snaplen per file. */
static int later_idb(struct pcapng_reader *rd, struct ng_block *b, char *errbuf)
{
	const uint8_t *idb = take(b, IDB_FIXED_LEN, errbuf);
	uint16_t linktype;
	uint32_t snaplen;

	if (!idb)
		return -EIO;
	linktype = ld16(idb, rd->swapped);
	snaplen = ld32(idb + 4, rd->swapped);
	/*
	 * libpcap compares the raw link type with the first IDB's DLT, so a
	 * second LINKTYPE_RAW (101, DLT 12) interface is refused too.
	 */
	if (rd->linktype != linktype) {
		snprintf(errbuf, TD_ERRBUF_SIZE,
			 "an interface has a type %u different from the type of the first interface", linktype);
		return -EIO;
	}
	if (rd->snaplen != file_adjust_snaplen(rd->linktype, snaplen)) {
		snprintf(
			errbuf, TD_ERRBUF_SIZE,
			"an interface has a snapshot length %u different from the snapshot length of the first interface",
			snaplen);
		return -EIO;
	}
	return add_interface(rd, b, errbuf);
}

/* A new section: same byte order, major version 1, and its own interfaces. */
static int later_shb(struct pcapng_reader *rd, struct ng_block *b, char *errbuf)
{
	const uint8_t *shb = take(b, SHB_FIXED_LEN, errbuf);
	uint32_t bom;
	uint16_t major;

	if (!shb)
		return -EIO;
	bom = ld32(shb, rd->swapped);
	major = ld16(shb + 4, rd->swapped);
	if (bom == __builtin_bswap32(BYTE_ORDER_MAGIC)) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "the file has sections with different byte orders");
		return -EIO;
	}
	if (bom != BYTE_ORDER_MAGIC) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "the file has a section with a bad byte order magic field");
		return -EIO;
	}
	if (major != 1) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "unknown pcapng savefile major version number %u", major);
		return -EIO;
	}
	rd->ifcount = 0;
	return 0;
}

/* libpcap's conversion, wrap-arounds included: tcpdump prints and writes what comes out of it. */
static void convert_ts(const struct pcapng_reader *rd, const struct ng_iface *ifc, uint64_t t, struct td_pkt *pkt)
{
	uint64_t sec = t / ifc->tsresol + (uint64_t)ifc->tsoffset;
	uint64_t frac = t % ifc->tsresol;

	switch (ifc->scale) {
	case PASS_THROUGH: break;
	case SCALE_UP_DEC: frac *= ifc->scale_factor; break;
	case SCALE_DOWN_DEC: frac /= ifc->scale_factor; break;
	case SCALE_UP_BIN:
	case SCALE_DOWN_BIN:
		frac *= rd->user_tsresol;
		frac /= ifc->tsresol;
		break;
	}
	pkt->ts_sec = (int64_t)sec;
	pkt->ts_frac = (uint32_t)frac;
}

/*
 * One packet from a packet block. Returns 1 with *pkt filled, or -EIO with
 * errbuf set.
 */
static int packet_from_block(struct pcapng_reader *rd, struct ng_block *b, struct td_pkt *pkt, char *errbuf)
{
	const uint8_t *f, *data;
	uint32_t ifid, caplen, len;
	uint64_t t;

	switch (b->type) {
	case BT_EPB:
		f = take(b, EPB_FIXED_LEN, errbuf);
		if (!f)
			return -EIO;
		ifid = ld32(f, rd->swapped);
		t = (uint64_t)ld32(f + 4, rd->swapped) << 32 | ld32(f + 8, rd->swapped);
		caplen = ld32(f + 12, rd->swapped);
		len = ld32(f + 16, rd->swapped);
		break;
	case BT_PB:
		f = take(b, PB_FIXED_LEN, errbuf);
		if (!f)
			return -EIO;
		ifid = ld16(f, rd->swapped);
		t = (uint64_t)ld32(f + 4, rd->swapped) << 32 | ld32(f + 8, rd->swapped);
		caplen = ld32(f + 12, rd->swapped);
		len = ld32(f + 16, rd->swapped);
		break;
	default: /* BT_SPB: no time stamp, first interface, captured length implied */
		f = take(b, SPB_FIXED_LEN, errbuf);
		if (!f)
			return -EIO;
		ifid = 0;
		t = 0;
		len = ld32(f, rd->swapped);
		caplen = len < rd->snaplen ? len : rd->snaplen;
		break;
	}
	if (ifid >= rd->ifcount) {
		snprintf(
			errbuf, TD_ERRBUF_SIZE,
			"a packet arrived on interface %u, but there's no Interface Description Block for that interface",
			ifid);
		return -EIO;
	}
	if (caplen > rd->snaplen) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "invalid packet capture length %u, bigger than snaplen of %u", caplen,
			 rd->snaplen);
		return -EIO;
	}
	convert_ts(rd, &rd->ifaces[ifid], t, pkt);
	data = take(b, caplen, errbuf);
	if (!data)
		return -EIO;
	pkt->data = data;
	pkt->caplen = caplen;
	pkt->wirelen = len;
	return 1;
}

static int pcapng_read_burst(void *vrd, struct td_pkt *pkts, unsigned max, char *errbuf)
{
	struct pcapng_reader *rd = vrd;
	unsigned n = 0;
	int r = 0;

	if (rd->status)
		return rd->status;
	instream_release(rd->in);
	while (n < max) {
		struct ng_block b;

		r = next_block(rd, &b, errbuf);
		if (r <= 0)
			break;
		switch (b.type) {
		case BT_EPB:
		case BT_SPB:
		case BT_PB:
			r = packet_from_block(rd, &b, &pkts[n], errbuf);
			if (r > 0)
				n++;
			break;
		case BT_IDB: r = later_idb(rd, &b, errbuf); break;
		case BT_SHB: r = later_shb(rd, &b, errbuf); break;
		default: break;
		}
		if (r < 0)
			break;
	}
	if (r == 0 && n == 0)
		r = -ENODATA;
	if (r < 0 && r != -EAGAIN)
		rd->status = r;
	if (n > 0)
		return (int)n;
	if (r == -EAGAIN) {
		/*
		 * Only skipped blocks were pinned: release them and carry on
		 * next time (0 tells the caller to ask again).
		 */
		return 0;
	}
	return r;
}

/*
 * The first SHB. Returns 1 when read, 0 when the input is not pcapng, or
 * -errno with errbuf set.
 */
static int first_shb(struct pcapng_reader *rd, char *errbuf)
{
	const uint8_t *p;
	uint32_t total, bom;
	uint16_t major, minor;
	ssize_t got;

	got = instream_peek(rd->in, 12, &p);
	if (got < 0)
		return copy_stream_error(rd, got, errbuf);
	/* Too short, or a text file that happens to start with \n\r\r\n: not pcapng. */
	if (got < 12 || ld32(p, false) != BT_SHB)
		return 0;
	total = ld32(p + 4, false);
	bom = ld32(p + 8, false);
	if (bom != BYTE_ORDER_MAGIC) {
		if (bom != __builtin_bswap32(BYTE_ORDER_MAGIC))
			return 0;
		rd->swapped = true;
		total = __builtin_bswap32(total);
	}
	if (total < BLOCK_HDR_LEN + SHB_FIXED_LEN + BLOCK_TRAILER_LEN || total > SHB_INSANE_MAX) {
		snprintf(
			errbuf, TD_ERRBUF_SIZE,
			"Section Header Block in pcapng dump file has invalid length %d < _%u_ < %u (BT_SHB_INSANE_MAX)",
			BLOCK_HDR_LEN + SHB_FIXED_LEN + BLOCK_TRAILER_LEN, total, SHB_INSANE_MAX);
		return -EINVAL;
	}
	got = instream_peek(rd->in, total, &p);
	if (got < 0)
		return copy_stream_error(rd, got, errbuf);
	if ((size_t)got < total) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "truncated pcapng dump file; tried to read %u bytes, only got %zd",
			 total - 12, got - 12);
		return -EIO;
	}
	major = ld16(p + 12, rd->swapped);
	minor = ld16(p + 14, rd->swapped);
	/* 1.2 is written by tools that add block types; it reads as 1.0. */
	if (!(major == 1 && (minor == 0 || minor == 2))) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "unsupported pcapng savefile version %u.%u", major, minor);
		return -EINVAL;
	}
	/* libpcap does not check the first SHB's trailer. */
	instream_consume(rd->in, total);
	return 1;
}

static void *pcapng_open(struct instream *in, enum ts_precision want, struct file_format_info *info, char *errbuf)
{
	struct pcapng_reader *rd;
	uint32_t max;
	int r, e;

	rd = calloc(1, sizeof(*rd));
	if (!rd) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	rd->in = in;
	rd->user_tsresol = want == TS_NANO ? 1000000000u : 1000000u;
	rd->max_blocksize = INITIAL_MAX_BLOCKSIZE;
	r = first_shb(rd, errbuf);
	if (r == 0) {
		e = ENOMSG;
		goto fail;
	}
	if (r < 0)
		goto fail_r;

	/* Blocks before the first IDB are skipped; packets there have no link type. */
	for (;;) {
		struct ng_block b;
		const uint8_t *idb;

		/* Nothing is handed out yet: the skipped blocks may go. */
		instream_release(in);
		r = next_block(rd, &b, errbuf);
		if (r == 0) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "the capture file has no Interface Description Blocks");
			e = EINVAL;
			goto fail;
		}
		if (r < 0)
			goto fail_r;
		if (b.type == BT_EPB || b.type == BT_SPB || b.type == BT_PB) {
			snprintf(errbuf, TD_ERRBUF_SIZE,
				 "the capture file has a packet block before any Interface Description Blocks");
			e = EINVAL;
			goto fail;
		}
		if (b.type != BT_IDB)
			continue;
		idb = take(&b, IDB_FIXED_LEN, errbuf);
		if (!idb) {
			e = EINVAL;
			goto fail;
		}
		r = add_interface(rd, &b, errbuf);
		if (r < 0)
			goto fail_r;
		rd->linktype = file_linktype_to_dlt(ld16(idb, rd->swapped));
		rd->snaplen = file_adjust_snaplen(rd->linktype, ld32(idb + 4, rd->swapped));
		break;
	}
	max = MAX_BLOCKSIZE_FOR_SNAPLEN(file_max_snaplen(rd->linktype));
	if (max > rd->max_blocksize)
		rd->max_blocksize = max;
	info->linktype = rd->linktype;
	info->snaplen = rd->snaplen;
	info->swapped = rd->swapped;
	return rd;

fail_r:
	e = -r;
fail:
	free(rd->ifaces);
	free(rd);
	errno = e;
	return NULL;
}

static void pcapng_close(void *vrd)
{
	struct pcapng_reader *rd = vrd;

	free(rd->ifaces);
	free(rd);
}

const struct file_format file_format_pcapng = {
	.name = "pcapng",
	.read_burst = pcapng_read_burst,
	.open = pcapng_open,
	.close = pcapng_close,
};
