/* The printer's public API: decode packets into tcpdump 4.99.3's exact text lines. */
#ifndef TD_PRINT_H
#define TD_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "common/errbuf.h"
#include "io/packet.h"

/* tcpdump's output letters, each mapped to one named field here and nowhere else. */
enum print_ts_format {
	PRINT_TS_DEFAULT = 0, /* hh:mm:ss.frac (local time) */
	PRINT_TS_NONE,	      /* -t */
	PRINT_TS_EPOCH,	      /* -tt: seconds.frac since the epoch */
	PRINT_TS_DELTA,	      /* -ttt: since the previous printed packet */
	PRINT_TS_DATE,	      /* -tttt: date and time */
	PRINT_TS_SINCE_FIRST, /* -ttttt: since the first printed packet */
};

struct print_opts {
	int numeric;	   /* -n count: no address to name conversion */
	bool link_header;  /* -e */
	bool quiet;	   /* -q */
	bool absolute_seq; /* -S */
	enum print_ts_format ts_format;
	int hex;		  /* -x count (2: -xx, include link header) */
	int hex_ascii;		  /* -X count (2: -XX) */
	bool ascii;		  /* -A */
	int verbose;		  /* -v count */
	bool number;		  /* -# / --number */
	bool no_domain;		  /* -N */
	bool no_checksum;	  /* -K */
	enum ts_precision tsprec; /* units of td_pkt.ts_frac */
};

struct printer;

/* Returns NULL and fills errbuf (TD_ERRBUF_SIZE bytes) when the link type cannot be printed at all. */
struct printer *printer_new(const struct print_opts *opts, int linktype, FILE *out, char *errbuf);
/* Print one packet's line(s) to the printer's stream. Never reads past pkt->caplen. */
void printer_packet(struct printer *pr, const struct td_pkt *pkt);
void printer_free(struct printer *pr);

#endif
