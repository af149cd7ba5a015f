/* pcapng output: the blocks a series writes (SHB, IDB, EPB, ISB), encoded into caller buffers in host byte order. */
#ifndef TD_PCAPNG_OUT_H
#define TD_PCAPNG_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Interfaces one section describes at most: the run's -i interfaces, each an IDB. */
#define PCAPNG_MAX_IFACES 16

/* One capture interface: its IDB, and the interface id of its EPBs and ISB (its index). */
struct pcapng_iface {
	const char *name;  /* if_name as -i gave it; NULL or "" left out */
	uint32_t linktype; /* the pcap header's link-type field: DLT and FCS-length bits */
	uint32_t snaplen;
};

/* What the section and its interfaces say beyond the pcap header (any text NULL or "": left out). */
struct pcapng_meta {
	const char *userappl; /* shb_userappl, "tapdump VERSION" */
	const char *filter;   /* if_filter of every interface: the filter expression (libpcap syntax) */
	/* The interfaces, in interface id order; none: one, from the pcap header, named if_name. */
	const struct pcapng_iface *ifaces;
	unsigned nifaces;
	const char *if_name; /* with no ifaces: the capture interface; none for -r input */
};

/*
 * The Section Header Block (shb_hardware and shb_os from uname) and an
 * Interface Description Block per interface, built from the 24-byte pcap
 * header the series would have written (its magic: 0xa1b23c4d gives
 * if_tsresol 9, else 6; its link type and snaplen when m names no
 * interfaces). Returns a malloc'd buffer of *len bytes, or NULL with errno
 * set (also EINVAL for more than PCAPNG_MAX_IFACES interfaces).
 */
uint8_t *pcapng_head_new(const uint8_t pcap_header[24], const struct pcapng_meta *m, size_t *len);

/* True when the pcap header says nanosecond records (0xa1b23c4d in either byte order). */
bool pcapng_header_nano(const uint8_t pcap_header[24]);

/* Most bytes an EPB adds to a pcap record: 12 more header bytes, 3 of padding, epb_dropcount and end of options. */
#define PCAPNG_EPB_EXTRA_MAX 35u

/* Bytes the EPB of a record with caplen captured bytes adds to the pcap record's (16 + caplen). */
static inline size_t pcapng_epb_extra(uint32_t caplen, bool with_dropcount)
{
	return 16 + ((4 - (caplen & 3)) & 3) + (with_dropcount ? 16 : 0);
}

/*
 * The count pcap records packed in recs[0..len) as EPBs of interface iface,
 * into out, which holds at least len + count * PCAPNG_EPB_EXTRA_MAX bytes.
 * When *dropcount is not 0 the first EPB carries it as epb_dropcount and
 * *dropcount becomes 0. Returns the bytes written.
 */
size_t pcapng_epbs(uint8_t *out, const uint8_t *recs, size_t len, unsigned count, bool nano, uint32_t iface,
		   uint64_t *dropcount);

/* An Interface Statistics Block's counts and times for one interface. */
struct pcapng_isb {
	uint32_t iface;		   /* interface id */
	bool have_times;	   /* isb_starttime / isb_endtime given */
	uint64_t start_ns, end_ns; /* since the epoch */
	uint64_t ifrecv, ifdrop, osdrop, filteraccept;
};

#define PCAPNG_ISB_MAX 128u

/* Encode the ISB into out (PCAPNG_ISB_MAX bytes); returns the bytes written. */
size_t pcapng_isb(uint8_t *out, const struct pcapng_isb *st, bool nano);

#endif
