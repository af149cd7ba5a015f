/* GMPLS value names shared by the OSPF and IS-IS traffic engineering decoders (RFC 3471, RFC 4202, RFC 4124). */
#include "writers/print/print-gmpls.h"

const struct pr_tok gmpls_link_prot_names[] = {
	{ 0x01, "Extra Traffic" }, { 0x02, "Unprotected" },   { 0x04, "Shared" },
	{ 0x08, "Dedicated 1:1" }, { 0x10, "Dedicated 1+1" }, { 0x20, "Enhanced" },
	{ 0x40, "Reserved" },	   { 0x80, "Reserved" },      { 0, NULL },
};

const struct pr_tok gmpls_switch_cap_names[] = {
	{ 1, "Packet-Switch Capable-1" }, { 2, "Packet-Switch Capable-2" }, { 3, "Packet-Switch Capable-3" },
	{ 4, "Packet-Switch Capable-4" }, { 51, "Layer-2 Switch Capable" }, { 100, "Time-Division-Multiplex" },
	{ 150, "Lambda-Switch Capable" }, { 200, "Fiber-Switch Capable" },  { 0, NULL },
};

const struct pr_tok gmpls_encoding_names[] = {
	{ 1, "Packet" },
	{ 2, "Ethernet V2/DIX" },
	{ 3, "ANSI/ETSI PDH" },
	{ 4, "Reserved" },
	{ 5, "SDH ITU-T G.707/SONET ANSI T1.105" },
	{ 6, "Reserved" },
	{ 7, "Digital Wrapper" },
	{ 8, "Lambda (photonic)" },
	{ 9, "Fiber" },
	{ 10, "Reserved" },
	{ 11, "FiberChannel" },
	{ 0, NULL },
};

const struct pr_tok diffserv_te_bc_names[] = {
	{ 0, "Russian dolls" },
	{ 1, "Maximum Allocation" },
	{ 2, "Maximum Allocation with Reservation" },
	{ 0, NULL },
};

double gmpls_bw_mbps(uint32_t bits)
{
	float f;

	/*
	 * An IEEE 754 single in bytes per second. tcpdump computes bw.f * 8 / 1000000 in single
	 * precision; done in double, large or odd values print other digits.
	 */
	memcpy(&f, &bits, sizeof(f));
	f = f * 8 / 1000000;
	return f;
}
