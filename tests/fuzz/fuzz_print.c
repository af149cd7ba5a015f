/* libFuzzer target for the printer: one input is one packet, its first bytes choosing the link type and the output flags. */
#include <pcap/dlt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every link type the printer decodes, and one it does not (the hex dump path). */
static const int link_types[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL, DLT_LOOP, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_PPP,
};

#define HDR_BYTES 4 /* link type, two flag bytes, wire length excess */

/*
 * Input layout: [0] link type (modulo the table), [1] and [2] flag bits,
 * [3] how many bytes the wire length exceeds the captured length (as a
 * snap length would), then the packet. Names are never looked up (-n is
 * always on): a fuzzer must not wait on DNS.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	char errbuf[256];
	struct print_opts opts;
	struct printer *pr;
	struct td_pkt pkt;
	uint8_t f1, f2;

	if (size < HDR_BYTES)
		return 0;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		return 0;
	f1 = data[1];
	f2 = data[2];
	memset(&opts, 0, sizeof(opts));
	opts.numeric = 1;
	opts.link_header = f1 & 0x01;
	opts.quiet = (f1 & 0x02) != 0;
	opts.absolute_seq = (f1 & 0x04) != 0;
	opts.verbose = (f1 >> 3) & 0x03;
	opts.number = (f1 & 0x20) != 0;
	opts.no_checksum = (f1 & 0x40) != 0;
	opts.no_domain = (f1 & 0x80) != 0;
	switch (f2 & 0x07) {
	case 1: opts.hex = 1; break;
	case 2: opts.hex = 2; break;
	case 3: opts.hex_ascii = 1; break;
	case 4: opts.hex_ascii = 2; break;
	case 5: opts.ascii = true; break;
	default: break;
	}
	opts.ts_format = (enum print_ts_format)((f2 >> 3) % 6);
	opts.tsprec = (f2 & 0x80) ? TS_NANO : TS_MICRO;

	pr = printer_new(&opts, link_types[data[0] % (sizeof(link_types) / sizeof(link_types[0]))], devnull, errbuf);
	if (!pr)
		return 0;
	memset(&pkt, 0, sizeof(pkt));
	pkt.data = data + HDR_BYTES;
	pkt.caplen = (uint32_t)(size - HDR_BYTES);
	pkt.wirelen = pkt.caplen + data[3];
	pkt.ts_sec = 1700000000 + f1;
	pkt.ts_frac = f2;
	/* twice: the second packet sees the first one's TCP flow and time reference */
	printer_packet(pr, &pkt);
	printer_packet(pr, &pkt);
	printer_free(pr);
	return 0;
}
