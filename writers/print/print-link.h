/* Link-layer decoders, one per pcap link type, and the table that picks one. */
#ifndef TD_PRINT_LINK_H
#define TD_PRINT_LINK_H

#include <stdint.h>

struct pctx;

/*
 * Prints one packet starting at its link header; returns the link header
 * length (what -x/-X/-A leave out). caplen bytes are in hand of length.
 */
typedef unsigned (*link_print_fn)(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);

/* The decoder for a DLT_ value; unknown types get a hex dump of every packet. */
link_print_fn link_printer_find(int dlt);

unsigned ether_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned sll_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned sll2_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned null_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned loop_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned raw_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned ipv4_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned nflog_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned ppp_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned chdlc_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned juniper_ether_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);
unsigned ipv6_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length);

#endif
