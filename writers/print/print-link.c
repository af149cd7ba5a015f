/* Which decoder prints which pcap link type. */
#include <pcap/dlt.h>

#include "writers/print/print-int.h"

struct link_entry {
	int dlt;
	link_print_fn fn;
};

static const struct link_entry link_table[] = {
	{ DLT_EN10MB, ether_if_print }, { DLT_LINUX_SLL, sll_if_print }, { DLT_LINUX_SLL2, sll2_if_print },
	{ DLT_NULL, null_if_print },	{ DLT_LOOP, loop_if_print },	 { DLT_RAW, raw_if_print },
	{ DLT_IPV4, ipv4_if_print },	{ DLT_IPV6, ipv6_if_print },	 { DLT_PPP, ppp_if_print },
	{ DLT_NFLOG, nflog_if_print },	{ DLT_C_HDLC, chdlc_if_print },	 { DLT_JUNIPER_ETHER, juniper_ether_if_print },
};

/* tcpdump 4.99 prints packets of a link type it cannot decode as "UNSUPPORTED" and a hex and ASCII dump. */
static unsigned unknown_if_print(struct pctx *ctx, const uint8_t *p, unsigned caplen, unsigned length)
{
	(void)length;
	pr_puts(ctx, "UNSUPPORTED");
	pr_hex_ascii(ctx, "\n\t", p, caplen);
	/* No link header was taken: -x dumps the whole packet again, as tcpdump does. */
	return 0;
}

link_print_fn link_printer_find(int dlt)
{
	size_t i;

	for (i = 0; i < sizeof(link_table) / sizeof(link_table[0]); i++)
		if (link_table[i].dlt == dlt)
			return link_table[i].fn;
	return unknown_if_print;
}
