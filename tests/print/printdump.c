/* Test driver: reads a capture with libpcap and prints it through the printer, taking tcpdump's output flags. */
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"

static int usage(void)
{
	fprintf(stderr, "usage: printdump [-neqSvxXA#t] [--nano|--micro] [--number] -r FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "nano", no_argument, NULL, 'N' + 256 },
		{ "micro", no_argument, NULL, 'M' + 256 },
		{ "number", no_argument, NULL, '#' },
		{ NULL, 0, NULL, 0 },
	};
	struct print_opts opts = { 0 };
	char errbuf[PCAP_ERRBUF_SIZE > 256 ? PCAP_ERRBUF_SIZE : 256];
	const char *file = NULL;
	struct pcap_pkthdr *h;
	const u_char *data;
	struct printer *pr;
	unsigned tflag = 0;
	pcap_t *pc;
	int c, rc;

	while ((c = getopt_long(argc, argv, "neqSvxXAt#r:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': opts.numeric++; break;
		case 'e': opts.link_header = true; break;
		case 'q': opts.quiet = true; break;
		case 'S': opts.absolute_seq = true; break;
		case 'v': opts.verbose++; break;
		case 'x': opts.hex++; break;
		case 'X': opts.hex_ascii++; break;
		case 'A': opts.ascii = true; break;
		case 't': tflag++; break;
		case '#': opts.number = true; break;
		case 'r': file = optarg; break;
		case 'N' + 256: opts.tsprec = TS_NANO; break;
		case 'M' + 256: opts.tsprec = TS_MICRO; break;
		default: return usage();
		}
	}
	if (!file)
		return usage();
	switch (tflag) {
	case 0: opts.ts_format = PRINT_TS_DEFAULT; break;
	case 1: opts.ts_format = PRINT_TS_NONE; break;
	case 2: opts.ts_format = PRINT_TS_EPOCH; break;
	case 3: opts.ts_format = PRINT_TS_DELTA; break;
	case 4: opts.ts_format = PRINT_TS_DATE; break;
	default: opts.ts_format = PRINT_TS_SINCE_FIRST; break;
	}
	pc = pcap_open_offline_with_tstamp_precision(file,
		opts.tsprec == TS_NANO ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (!pc) {
		fprintf(stderr, "printdump: %s\n", errbuf);
		return 1;
	}
	pr = printer_new(&opts, pcap_datalink(pc), stdout, errbuf);
	if (!pr) {
		fprintf(stderr, "printdump: %s\n", errbuf);
		pcap_close(pc);
		return 1;
	}
	while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
		struct td_pkt pkt = {
			.data = data,
			.caplen = h->caplen,
			.wirelen = h->len,
			.ts_sec = h->ts.tv_sec,
			.ts_frac = (uint32_t)h->ts.tv_usec,
		};

		printer_packet(pr, &pkt);
	}
	printer_free(pr);
	pcap_close(pc);
	return 0;
}
