/* Helpers shared by the application-layer decoders (DNS names inside DHCPv6 and ICMPv6 options). */
#ifndef TD_PRINT_APP_UTIL_H
#define TD_PRINT_APP_UTIL_H

#include <stdint.h>

struct pctx;

/*
 * Print the DNS name at cp (RFC 1035 4.1.4); msg is where compression
 * offsets count from. Returns the byte after the name in place, or NULL
 * when it could not be printed whole (tcpdump's fqdn_print). Defined in
 * print-dns.c.
 */
const uint8_t *dns_name_print(struct pctx *ctx, const uint8_t *cp, const uint8_t *msg);

#endif
