/* Entry points of the application-layer and ICMPv6 decoders, called by the transport printers. */
#ifndef TD_PRINT_APP_H
#define TD_PRINT_APP_H

#include <stdint.h>

struct pctx; /* per-thread printer context, defined in print-int.h */

/* ICMPv6 (RFC 4443, 4861, 3810...). ip6 points at the IPv6 header (for the checksum and -v). */
void icmp6_print(struct pctx *ctx, const uint8_t *bp, unsigned length, const uint8_t *ip6, int fragmented);
/* DNS and mDNS message; over_tcp: bp starts after the 2-byte length prefix. */
void dns_print(struct pctx *ctx, const uint8_t *bp, unsigned length, int is_mdns, int over_tcp);
/* NTP, every mode (RFC 5905 time messages, mode 6 control, mode 7 private). */
void ntp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* BOOTP/DHCPv4 (RFC 951, 2131, 2132 and the option RFCs in the corpus). */
void bootp_print(struct pctx *ctx, const uint8_t *bp, unsigned length);
/* DHCPv6 (RFC 8415). */
void dhcp6_print(struct pctx *ctx, const uint8_t *bp, unsigned length);

#endif
