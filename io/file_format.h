/* The interface between file_source.c and one capture-file format reader (pcap, pcapng). */
#ifndef TD_FILE_FORMAT_H
#define TD_FILE_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include <string.h>

#include "io/instream.h"
#include "io/packet.h"

/* Header fields in the file's byte order (swapped: written on a machine of the other order). */
static inline uint32_t ld32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap32(v) : v;
}

static inline uint16_t ld16(const uint8_t *p, bool swapped)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap16(v) : v;
}

/* What a reader learned from the file header, as pcap_datalink() and pcap_snapshot() would report it. */
struct file_format_info {
	int linktype;
	uint32_t linktype_ext; /* upper bits of pcap's link-type field (FCS length), kept for -w */
	uint32_t snaplen;
	bool swapped; /* written in the other byte order */
};

struct file_format {
	const char *name;
	/*
	 * Hot op first. Hand out up to max packets that lie whole in the input,
	 * pointing into it where the bytes are already in memory. Returns how
	 * many (> 0), -ENODATA at a clean end, or -EIO (or another -errno) with
	 * errbuf set. An error met after some packets of a burst is kept and
	 * returned by the next call, so every good packet comes out first.
	 */
	int (*read_burst)(void *rd, struct td_pkt *pkts, unsigned max, char *errbuf);
	/*
	 * Check the magic at the cursor of in and, when it is this format's,
	 * read the file header. Returns the reader; NULL with errno ENOMSG when
	 * the input is not this format (nothing consumed, errbuf untouched), or
	 * NULL with another errno and libpcap's message in errbuf.
	 */
	void *(*open)(struct instream *in, enum ts_precision want, struct file_format_info *info, char *errbuf);
	/* Free the reader (not the instream). */
	void (*close)(void *rd);
};

extern const struct file_format file_format_pcap;
extern const struct file_format file_format_pcapng;

/*
 * libpcap's view of link types and snapshot lengths, shared by both readers
 * (file_linktype.c). Named apart from libpcap's own internal helpers so the
 * two can never bind to each other.
 */
int file_linktype_to_dlt(uint32_t linktype);
uint32_t file_max_snaplen(int dlt);
uint32_t file_adjust_snaplen(int dlt, uint32_t snaplen);

/*
 * Whether libpcap rewrites packets of this link type when it reads them
 * (file_pseudo.c): headers in the writer's byte order, and a USB length.
 * Checked once at open; only then are packets copied.
 */
bool file_pseudo_rewrites(int dlt, bool swapped);
/* Rewrite one packet as libpcap does; p is a private copy of caplen bytes. */
void file_pseudo_fix(int dlt, bool swapped, uint8_t *p, uint32_t caplen, uint32_t *len);

#endif
