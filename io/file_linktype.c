/* File link types to DLT values and snapshot-length limits, as libpcap 1.10 applies them when reading. */
#include "io/file_format.h"

#include <limits.h>

/*
 * The low 26 bits are the link type; the rest carry the FCS length and
 * other flags that pcap_datalink() never reports.
 */
#define LINKTYPE_MASK 0x03FFFFFFu

/*
 * Link types whose file value differs from this platform's DLT value
 * (Linux numbering). Everything else, including old files that stored the
 * DLT value itself, passes through unchanged, as in libpcap.
 */
static const struct {
	uint32_t linktype;
	int dlt;
} linktype_map[] = {
	{ 100, 11 }, /* ATM_RFC1483 */
	{ 101, 12 }, /* RAW */
	{ 102, 15 }, /* SLIP_BSDOS */
	{ 103, 16 }, /* PPP_BSDOS */
	{ 106, 19 }, /* ATM_CLIP */
};

int file_linktype_to_dlt(uint32_t linktype)
{
	linktype &= LINKTYPE_MASK;
	for (unsigned i = 0; i < sizeof(linktype_map) / sizeof(linktype_map[0]); i++)
		if (linktype_map[i].linktype == linktype)
			return linktype_map[i].dlt;
	return (int)linktype;
}

/*
 * libpcap's sanity ceiling on one packet's captured length: 256 KiB, except
 * for the few link types whose frames are legitimately bigger.
 */
uint32_t file_max_snaplen(int dlt)
{
	switch (dlt) {
	case 231: /* DBUS */ return 128u * 1024 * 1024;
	case 279: /* EBHSCR */ return 8u * 1024 * 1024;
	case 249: /* USBPCAP */ return 1024u * 1024;
	default: return 262144;
	}
}

/*
 * pcap_snapshot() of a file: a zero or negative (as an int) snaplen becomes
 * the link type's maximum; anything else is kept, even above the maximum
 * (libpcap 1.10 does not clamp those; checked with pcap_snapshot()).
 */
uint32_t file_adjust_snaplen(int dlt, uint32_t snaplen)
{
	if (snaplen == 0 || snaplen > INT_MAX)
		return file_max_snaplen(dlt);
	return snaplen;
}
