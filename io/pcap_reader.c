/* Classic pcap files (both byte orders, micro- and nanosecond magics), read in place with libpcap 1.10's checks. */
#include "io/file_format.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC_MICRO 0xa1b2c3d4u
#define MAGIC_NANO 0xa1b23c4du
/* Alexey Kuznetzov's patched libpcap: 8 more bytes per record header (ifindex, protocol, pkt_type). */
#define MAGIC_KUZNETZOV 0xa1b2cd34u

#define FILE_HDR_LEN 24
#define REC_HDR_LEN 16
#define REC_HDR_LEN_KUZNETZOV 24

#define DLT_EN10MB 1

enum ts_scale {
	SCALE_NONE,
	SCALE_UP,   /* micro file, nano wanted */
	SCALE_DOWN, /* nano file, micro wanted */
};

/*
 * Versions before 2.3 stored len before caplen; some 2.3 writers did, some
 * did not, so 2.3 swaps only when caplen > len (libpcap's guess).
 */
enum len_order {
	LEN_NORMAL,
	LEN_MAYBE_SWAPPED,
	LEN_SWAPPED,
};

struct pcap_reader {
	struct instream *in;
	bool swapped;
	enum ts_scale scale;
	enum len_order len_order;
	uint32_t hdr_len;
	uint32_t snaplen;    /* pcap_snapshot() */
	uint32_t max_caplen; /* beyond this a record is corrupt */
	int status;	     /* sticky end: -ENODATA or -errno */
};

/*
 * A short window that is not the end of the file: the input failed under
 * the record (-EBADMSG: an LZ4 checksum) or the engine's stop interrupted
 * the wait for more (-ECANCELED, a FIFO or pipe). Neither is a truncated file.
 */
static bool stream_stopped_or_bad(const struct instream *in)
{
	int e = instream_failed(in);

	return e == -EBADMSG || e == -ECANCELED;
}

static void *pcapfile_open(struct instream *in, enum ts_precision want, struct file_format_info *info, char *errbuf)
{
	struct pcap_reader *rd;
	const uint8_t *h;
	uint32_t magic, snaplen, linktype;
	uint16_t major, minor;
	bool swapped = false;
	ssize_t got;

	got = instream_peek(in, FILE_HDR_LEN, &h);
	if (got < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", instream_error(in));
		errno = -(int)got;
		return NULL;
	}
	if (got < 4)
		goto not_mine;
	memcpy(&magic, h, sizeof(magic));
	if (magic != MAGIC_MICRO && magic != MAGIC_NANO && magic != MAGIC_KUZNETZOV) {
		magic = __builtin_bswap32(magic);
		if (magic != MAGIC_MICRO && magic != MAGIC_NANO && magic != MAGIC_KUZNETZOV)
			goto not_mine;
		swapped = true;
	}
	if (got < FILE_HDR_LEN && stream_stopped_or_bad(in)) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", instream_error(in));
		errno = -instream_failed(in);
		return NULL;
	}
	if (got < FILE_HDR_LEN) {
		/* libpcap counts what it read after the magic. */
		snprintf(errbuf, TD_ERRBUF_SIZE,
			 "truncated dump file; tried to read %d file header bytes, only got %zd", FILE_HDR_LEN,
			 got - 4);
		errno = EIO;
		return NULL;
	}
	major = ld16(h + 4, swapped);
	minor = ld16(h + 6, swapped);
	snaplen = ld32(h + 16, swapped);
	linktype = ld32(h + 20, swapped);
	if (major < 2) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "archaic pcap savefile format");
		errno = EINVAL;
		return NULL;
	}
	/* 2.0 to 2.4, and DG/UX tcpdump's 543.0. */
	if (!((major == 2 && minor <= 4) || (major == 543 && minor == 0))) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "unsupported pcap savefile version %u.%u", major, minor);
		errno = EINVAL;
		return NULL;
	}

	rd = calloc(1, sizeof(*rd));
	if (!rd) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	rd->in = in;
	rd->swapped = swapped;
	info->linktype = file_linktype_to_dlt(linktype);
	info->linktype_ext = linktype & ~(uint32_t)0x03ffffff;
	rd->snaplen = file_adjust_snaplen(info->linktype, snaplen);
	rd->max_caplen = file_max_snaplen(info->linktype);
	if (magic == MAGIC_NANO)
		rd->scale = want == TS_MICRO ? SCALE_DOWN : SCALE_NONE;
	else
		rd->scale = want == TS_NANO ? SCALE_UP : SCALE_NONE;
	if (major == 543 || (major == 2 && minor < 3))
		rd->len_order = LEN_SWAPPED;
	else if (major == 2 && minor == 3)
		rd->len_order = LEN_MAYBE_SWAPPED;
	else
		rd->len_order = LEN_NORMAL;
	rd->hdr_len = REC_HDR_LEN;
	if (magic == MAGIC_KUZNETZOV) {
		rd->hdr_len = REC_HDR_LEN_KUZNETZOV;
		/* Cooked captures there got a fake 14-byte Ethernet header on top of snaplen bytes. */
		if (info->linktype == DLT_EN10MB)
			rd->snaplen = rd->snaplen <= 0x7fffffffu - 14 ? rd->snaplen + 14 : 0x7fffffffu;
	}
	info->snaplen = rd->snaplen;
	info->swapped = swapped;
	instream_consume(in, FILE_HDR_LEN);
	return rd;

not_mine:
	errno = ENOMSG;
	return NULL;
}

/*
 * A record that is not whole in the window: fetch it, or report why not in
 * libpcap's words. Returns 1 when the record is now whole in the window, 0
 * at a clean end of file, -EAGAIN when the burst must end first, or
 * -errno with errbuf set.
 */
static int fetch_slow(struct pcap_reader *rd, char *errbuf)
{
	const uint8_t *p;
	ssize_t got;
	uint32_t caplen, len, need;

	got = instream_peek(rd->in, rd->hdr_len, &p);
	if (got < 0)
		goto read_error;
	if (got == 0)
		return 0;
	if ((size_t)got < rd->hdr_len) {
		if (stream_stopped_or_bad(rd->in))
			goto stream_failed;
		snprintf(errbuf, TD_ERRBUF_SIZE, "truncated dump file; tried to read %u header bytes, only got %zd",
			 rd->hdr_len, got);
		return -EIO;
	}
	caplen = ld32(p + 8, rd->swapped);
	len = ld32(p + 12, rd->swapped);
	if (rd->len_order == LEN_SWAPPED || (rd->len_order == LEN_MAYBE_SWAPPED && caplen > len))
		caplen = len;
	if (caplen > rd->max_caplen)
		return 1; /* the caller reports it with the record's other fields */
	need = rd->hdr_len + caplen;
	got = instream_peek(rd->in, need, &p);
	if (got < 0)
		goto read_error;
	/* A mapped window can exceed 4 GiB: compare in size_t. */
	if ((size_t)got >= need)
		return 1;
	if (stream_stopped_or_bad(rd->in))
		goto stream_failed;
	got -= rd->hdr_len;
	/*
	 * libpcap reads snaplen bytes first and the excess after, so a short
	 * read in the first part names the snaplen and in the second the caplen.
	 */
	if (caplen > rd->snaplen && (size_t)got < rd->snaplen)
		snprintf(errbuf, TD_ERRBUF_SIZE, "truncated dump file; tried to read %u captured bytes, only got %zd",
			 rd->snaplen, got);
	else
		snprintf(errbuf, TD_ERRBUF_SIZE, "truncated dump file; tried to read %u captured bytes, only got %zd",
			 caplen, got);
	return -EIO;

read_error:
	if (got != -EAGAIN)
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", instream_error(rd->in));
	return (int)got;

stream_failed:
	/* Not a cut file: the input failed under the record (LZ4 checksum, read error). Say what failed. */
	snprintf(errbuf, TD_ERRBUF_SIZE, "%s", instream_error(rd->in));
	return instream_failed(rd->in);
}

static int pcapfile_read_burst(void *vrd, struct td_pkt *pkts, unsigned max, char *errbuf)
{
	struct pcap_reader *rd = vrd;
	const bool swapped = rd->swapped;
	const uint32_t hdr_len = rd->hdr_len;
	const uint8_t *win;
	size_t avail, off = 0;
	unsigned n = 0;
	int r = 0;

	if (rd->status)
		return rd->status;
	instream_release(rd->in);
	avail = instream_window(rd->in, &win);
	while (n < max) {
		const uint8_t *h = win + off;
		uint32_t caplen, len, frac;
		int64_t sec;

		if (avail - off < hdr_len)
			goto refetch;
		caplen = ld32(h + 8, swapped);
		len = ld32(h + 12, swapped);
		if (__builtin_expect(rd->len_order != LEN_NORMAL, 0)) {
			if (rd->len_order == LEN_SWAPPED || caplen > len) {
				uint32_t t = caplen;

				caplen = len;
				len = t;
			}
		}
		/* libpcap judges the header before it reads the body. */
		if (__builtin_expect(caplen > rd->max_caplen, 0)) {
			if (caplen > rd->snaplen)
				snprintf(errbuf, TD_ERRBUF_SIZE,
					 "invalid packet capture length %u, bigger than snaplen of %u", caplen,
					 rd->snaplen);
			else
				snprintf(errbuf, TD_ERRBUF_SIZE,
					 "invalid packet capture length %u, bigger than maximum of %u", caplen,
					 rd->max_caplen);
			r = -EIO;
			break;
		}
		if (avail - off - hdr_len < caplen)
			goto refetch;

		/*
		 * libpcap widens the 32-bit fields as signed in a file of this
		 * host's byte order and as unsigned after swapping them, then
		 * scales in long arithmetic; keeping the low 32 bits of the
		 * fraction gives what tcpdump prints and writes, out-of-range
		 * values included.
		 */
		sec = swapped ? (int64_t)ld32(h, true) : (int64_t)(int32_t)ld32(h, false);
		frac = ld32(h + 4, swapped);
		if (rd->scale == SCALE_UP)
			frac *= 1000u;
		else if (rd->scale == SCALE_DOWN)
			frac = swapped ? frac / 1000 : (uint32_t)((int32_t)frac / 1000);
		pkts[n].data = h + hdr_len;
		/* Above the snaplen but sane: libpcap hands out the first snaplen bytes. */
		pkts[n].caplen = caplen <= rd->snaplen ? caplen : rd->snaplen;
		pkts[n].wirelen = len;
		pkts[n].ts_sec = sec;
		pkts[n].ts_frac = frac;
		n++;
		off += hdr_len + caplen;
		continue;

refetch:
		/* The record straddles the window's end: only buffered inputs get here mid-file. */
		instream_consume(rd->in, off);
		off = 0;
		r = fetch_slow(rd, errbuf);
		if (r <= 0)
			break;
		avail = instream_window(rd->in, &win);
	}
	instream_consume(rd->in, off);
	if (r == 0 && n == 0)
		r = -ENODATA;
	if (r < 0 && r != -EAGAIN)
		rd->status = r;
	if (n > 0)
		return (int)n;
	if (r == -EAGAIN) {
		/* Cannot happen: nothing was pinned at the start of the burst. */
		snprintf(errbuf, TD_ERRBUF_SIZE, "internal error: input window stuck");
		r = rd->status = -EIO;
	}
	return r;
}

static void pcapfile_close(void *rd)
{
	free(rd);
}

const struct file_format file_format_pcap = {
	.name = "pcap",
	.read_burst = pcapfile_read_burst,
	.open = pcapfile_open,
	.close = pcapfile_close,
};
