/* GMPLS value names shared by the OSPF and IS-IS traffic engineering decoders. */
#ifndef TD_PRINT_GMPLS_H
#define TD_PRINT_GMPLS_H

#include <string.h>

#include "writers/print/print-int.h"

extern const struct pr_tok gmpls_link_prot_names[];
extern const struct pr_tok gmpls_switch_cap_names[];
extern const struct pr_tok gmpls_encoding_names[];
extern const struct pr_tok diffserv_te_bc_names[];

/* A bandwidth field (IEEE float, bytes per second) in Mbit/s. */
double gmpls_bw_mbps(uint32_t bits);

#endif
