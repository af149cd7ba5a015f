/* Pseudo-header fix-ups libpcap 1.10 applies when it reads a file: host-order fields of the writer, USB lengths. */
#include "io/file_format.h"

#include <string.h>

/*
 * Some link types carry headers written in the capturing host's byte
 * order. libpcap rewrites them to the reader's order when the file's byte
 * order is not the reader's, and recomputes one USB length that old
 * versions got wrong; tcpdump prints and writes what comes out. Offsets
 * are those of the headers in <pcap/usb.h>, <pcap/sll.h>, <pcap/nflog.h>
 * and OpenBSD's pfvar.h; each was checked against libpcap 1.10.3 with
 * crafted files (tests/io).
 */

#define DLT_PFLOG 117
#define DLT_LINUX_SLL 113
#define DLT_LINUX_SLL2 276
#define DLT_USB_LINUX 189
#define DLT_USB_LINUX_MMAPPED 220
#define DLT_NFLOG 239

#define SLL_HDR_LEN 16
#define SLL2_HDR_LEN 20
#define SLL_P_CAN 0x000C
#define SLL_P_CANFD 0x000D

#define USB_HDR_LEN_MMAPPED 64
#define USB_ISODESC_LEN 16
#define URB_ISOCHRONOUS 0
#define URB_COMPLETE 'C'
#define URB_TRANSFER_IN 0x80

static void swap16_at(uint8_t *p)
{
	uint8_t t = p[0];

	p[0] = p[1];
	p[1] = t;
}

static void swap32_at(uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}

static void swap64_at(uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
}

static uint32_t host32_at(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* pf log header: uid, pid, rule_uid, rule_pid, each only if both lengths and the header's own length cover it. */
static void swap_pflog(uint8_t *p, uint32_t caplen, uint32_t len)
{
	static const uint32_t fields[] = { 44, 48, 52, 56 };

	for (unsigned i = 0; i < 4; i++) {
		uint32_t end = fields[i] + 4;

		if (caplen < end || len < end || p[0] < end)
			return;
		swap32_at(p + fields[i]);
	}
}

/* SocketCAN behind a cooked header: the CAN ID is in the writer's order. */
static void swap_can(uint8_t *p, uint32_t hdr_len, uint32_t proto_off, uint32_t caplen, uint32_t len)
{
	uint16_t proto;

	if (caplen < hdr_len || len < hdr_len)
		return;
	proto = (uint16_t)(p[proto_off] << 8 | p[proto_off + 1]);
	if (proto != SLL_P_CAN && proto != SLL_P_CANFD)
		return;
	if (caplen - hdr_len >= 4 && len - hdr_len >= 4)
		swap32_at(p + hdr_len);
}

/*
 * Linux usbmon header, 48 bytes (or 64 memory-mapped, with isochronous
 * descriptors after it). A field is swapped only when captured whole.
 */
static void swap_usb(uint8_t *p, uint32_t caplen, int mmapped)
{
	static const struct {
		uint8_t off, size;
	} fixed[] = {
		{ 0, 8 }, { 12, 2 }, { 16, 8 }, { 24, 4 }, { 28, 4 }, { 32, 4 }, { 36, 4 },
	};
	uint32_t end = 0;
	int iso;

	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		end = fixed[i].off + fixed[i].size;
		if (caplen < end)
			return;
		if (fixed[i].size == 8)
			swap64_at(p + fixed[i].off);
		else if (fixed[i].size == 4)
			swap32_at(p + fixed[i].off);
		else
			swap16_at(p + fixed[i].off);
	}
	iso = p[9] == URB_ISOCHRONOUS;
	if (iso) {
		/* s.iso.error_count and s.iso.numdesc; otherwise the 8-byte setup packet, left alone. */
		for (end = 44; end <= 48; end += 4) {
			if (caplen < end)
				return;
			swap32_at(p + end - 4);
		}
	}
	end = 48;
	if (!mmapped)
		return;
	/* interval, start_frame, xfer_flags, ndesc */
	for (end = 52; end <= 64; end += 4) {
		if (caplen < end)
			return;
		swap32_at(p + end - 4);
	}
	end = 64;
	if (!iso)
		return;
	for (uint32_t d = 0, ndesc = host32_at(p + 60); d < ndesc; d++) {
		/* status, offset, len; then 4 bytes of padding */
		for (unsigned f = 0; f < 3; f++) {
			end += 4;
			if (caplen < end)
				return;
			swap32_at(p + end - 4);
		}
		end += 4;
	}
}

/* NFLOG: a big-endian header, then TLVs whose length and type are in the writer's order. */
static void swap_nflog(uint8_t *p, uint32_t caplen, uint32_t len)
{
	if (caplen < 4 || len < 4 || p[1] != 0)
		return;
	p += 4;
	caplen -= 4;
	len -= 4;
	while (caplen >= 4) {
		uint16_t tlv_len;
		uint32_t size;

		swap16_at(p);
		swap16_at(p + 2);
		memcpy(&tlv_len, p, 2);
		size = ((uint32_t)tlv_len + 3) & ~3u;
		if (size < 4 || caplen < size || len < size)
			return;
		p += size;
		caplen -= size;
		len -= size;
	}
}

/*
 * Old libpcap computed the original length of completed incoming
 * isochronous transfers from the URB length; libpcap recomputes it from
 * the descriptors it can see.
 */
static void fix_usb_mmapped_len(const uint8_t *p, uint32_t caplen, uint32_t *len)
{
	uint32_t ndesc, urb_len, data_end = 0, bytes_left, fixed;

	if (caplen < USB_HDR_LEN_MMAPPED)
		return;
	ndesc = host32_at(p + 60);
	urb_len = host32_at(p + 32);
	if (p[15] != 0 || p[9] != URB_ISOCHRONOUS || p[8] != URB_COMPLETE || !(p[10] & URB_TRANSFER_IN) ||
	    (uint64_t)*len != USB_HDR_LEN_MMAPPED + (uint64_t)ndesc * USB_ISODESC_LEN + urb_len)
		return;
	bytes_left = caplen - USB_HDR_LEN_MMAPPED;
	for (uint32_t d = 0; d < ndesc && bytes_left >= USB_ISODESC_LEN; d++, bytes_left -= USB_ISODESC_LEN) {
		const uint8_t *desc = p + USB_HDR_LEN_MMAPPED + d * USB_ISODESC_LEN;
		uint32_t d_off = host32_at(desc + 4), d_len = host32_at(desc + 8);

		if (d_len != 0 && d_off + d_len > data_end)
			data_end = d_off + d_len;
	}
	/* libpcap sums in size_t and keeps the low 32 bits. */
	fixed = (uint32_t)(USB_HDR_LEN_MMAPPED + (uint64_t)ndesc * USB_ISODESC_LEN + data_end);
	if (fixed >= caplen)
		*len = fixed;
	if (caplen > *len)
		*len = caplen;
}

bool file_pseudo_rewrites(int dlt, bool swapped)
{
	switch (dlt) {
	case DLT_USB_LINUX_MMAPPED: return true;
	case DLT_PFLOG:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_USB_LINUX:
	case DLT_NFLOG: return swapped;
	default: return false;
	}
}

void file_pseudo_fix(int dlt, bool swapped, uint8_t *p, uint32_t caplen, uint32_t *len)
{
	if (swapped) {
		switch (dlt) {
		case DLT_PFLOG: swap_pflog(p, caplen, *len); break;
		case DLT_LINUX_SLL: swap_can(p, SLL_HDR_LEN, 14, caplen, *len); break;
		case DLT_LINUX_SLL2: swap_can(p, SLL2_HDR_LEN, 0, caplen, *len); break;
		case DLT_USB_LINUX: swap_usb(p, caplen, 0); break;
		case DLT_USB_LINUX_MMAPPED: swap_usb(p, caplen, 1); break;
		case DLT_NFLOG: swap_nflog(p, caplen, *len); break;
		default: break;
		}
	}
	if (dlt == DLT_USB_LINUX_MMAPPED)
		fix_usb_mmapped_len(p, caplen, len);
}
