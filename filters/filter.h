/* The capture filter: libpcap compiles the expression, the worker runs it over bursts. */
#ifndef TD_FILTER_H
#define TD_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/errbuf.h"
#include "io/packet.h"

struct filter;
struct bpf_program; /* libpcap's */

/*
 * Compile expr (NULL or "" accepts everything) for the given link type and
 * snaplen, as tcpdump does with pcap_open_dead + pcap_compile. Returns NULL
 * with libpcap's message in errbuf (TD_ERRBUF_SIZE bytes) on a bad expression.
 */
struct filter *filter_compile(const char *expr, int linktype, uint32_t snaplen, bool optimize, bool use_jit,
			      char *errbuf);

/* The compiled program, for -d/-dd/-ddd. */
const struct bpf_program *filter_program(const struct filter *f);

/*
 * Run the filter over n packets (whole packets: wirelen and caplen as
 * captured) and compact the accepted ones to the front of pkts, truncating
 * each to min(caplen, filter verdict, snaplen). Returns how many were kept.
 */
unsigned filter_burst(const struct filter *f, struct td_pkt *pkts, unsigned n, uint32_t snaplen);

void filter_free(struct filter *f);

#endif
