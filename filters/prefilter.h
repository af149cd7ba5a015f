/*
 * The index side of a filter: which archive segments a filter expression
 * could match, from their address, port and protocol summaries. It only
 * ever rules segments out; the exact BPF filter still runs on every packet
 * read. An expression it does not fully understand rules nothing out.
 */
#ifndef TD_PREFILTER_H
#define TD_PREFILTER_H

#include <stdbool.h>

#include "writers/archive_index.h"

struct prefilter;

/*
 * From the filter text (NULL or "": nothing to rule out). The terms it
 * reads: host, net, port, portrange with numeric addresses and ports, the
 * IP protocols (tcp, udp, sctp, icmp, icmp6, igmp, ip/ip6 proto N), src/dst,
 * and/or/not and parentheses. Never fails: NULL means "every segment may
 * match" (also for out of memory).
 */
struct prefilter *prefilter_compile(const char *expr);

/* False only when no packet of e can match the filter. */
bool prefilter_maybe(const struct prefilter *pf, const struct index_entry *e);

void prefilter_free(struct prefilter *pf);

#endif
