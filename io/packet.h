/* The packet descriptor every stage passes around: bytes in hand plus pcap's header fields. */
#ifndef TD_PACKET_H
#define TD_PACKET_H

#include <stdint.h>

/*
 * Time stamps are kept the way libpcap hands them to tcpdump: whole seconds
 * plus a fraction in the units of the run's precision (microseconds, or
 * nanoseconds with --nano). Out-of-range fractions found in files are kept
 * as they are, because tcpdump prints and writes them unchanged.
 */
/* tcpdump's default snapshot length and the most -s takes (libpcap's MAXIMUM_SNAPLEN), for files and live sources alike. */
#define DEFAULT_SNAPLEN 262144u

enum ts_precision {
	TS_MICRO = 0,
	TS_NANO = 1,
};

struct td_pkt {
	const uint8_t *data; /* caplen bytes, valid until the producer's next burst */
	uint32_t caplen;     /* bytes in hand */
	uint32_t wirelen;    /* length on the wire */
	int64_t ts_sec;
	uint32_t ts_frac; /* usec or nsec, see enum ts_precision */
};

#endif
