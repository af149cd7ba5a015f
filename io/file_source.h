/* Capture files as packet sources: pcap, pcapng, and either inside LZ4 frames, detected by magic. */
#ifndef TD_FILE_SOURCE_H
#define TD_FILE_SOURCE_H

#include "source.h"

/*
 * Open path ("-" is standard input) for reading. Time stamp fractions are
 * scaled to `want` exactly as libpcap's pcap_open_offline_with_tstamp_precision
 * scales them. Returns NULL with errno set and errbuf (PCAP_ERRBUF_SIZE)
 * holding the message libpcap would give (tcpdump prints it after "tapdump: ").
 * rx_burst returns -ENODATA at a clean end of file, -EIO with errbuf set on a
 * truncated or corrupt file after handing out every whole packet before it.
 */
struct source *file_source_open(const char *path, enum ts_precision want, char *errbuf);

#endif
