/* Capture files as packet sources: pcap, pcapng, and either inside LZ4 frames, detected by magic. */
#ifndef TD_FILE_SOURCE_H
#define TD_FILE_SOURCE_H

#include "io/source.h"

/*
 * Open path ("-" is standard input) for reading. Time stamp fractions are
 * scaled to `want` exactly as libpcap's pcap_open_offline_with_tstamp_precision
 * scales them. Returns NULL with errno set and errbuf (TD_ERRBUF_SIZE bytes)
 * holding the message libpcap would give (tcpdump prints it after "tapdump: ").
 * rx_burst returns -ENODATA at a clean end of file, -EIO with errbuf set on a
 * truncated or corrupt file after handing out every whole packet before it.
 *
 * errno on failure: what open(2) or read(2) said for a file that cannot be
 * read (ENOENT, EACCES, EISDIR...), EIO for a file too short for its header,
 * EINVAL for an unknown format or a header libpcap refuses, ENOMEM.
 *
 * src->linktype and src->snaplen are what pcap_datalink() and
 * pcap_snapshot() report for the file (link type mapped to this platform's
 * DLT value; a zero or negative snaplen replaced by the link type's
 * maximum). For pcapng they come from the first Interface Description Block;
 * like libpcap, a later interface with another link type or snaplen ends
 * the read with an error.
 *
 * Input is read with large read() calls into a buffer of about half a
 * megabyte (decompressed first for LZ4), and every td_pkt points into that
 * buffer: no copy and no system call per packet. A burst may end early, at
 * the buffer's end, and rx_burst may return 0 (call again). Packet data
 * stays valid until the next rx_burst on the same source.
 */
struct source *file_source_open(const char *path, enum ts_precision want, char *errbuf);

/*
 * Map a regular file instead of reading it: td_pkt points into the page
 * cache. Slower where page faults are expensive (VMs: see instream.h), so
 * not the default; pipes, standard input and LZ4 input are read as usual.
 */
#define FILE_SOURCE_MMAP 0x1u

/* file_source_open() with FILE_SOURCE_* flags. */
struct source *file_source_open_flags(const char *path, enum ts_precision want, unsigned flags, char *errbuf);

/*
 * The same for an input that may block (a FIFO without a writer, a stalled
 * pipe, a device): every wait for bytes, the open included, also polls
 * stop_fd (src->stop_fd from then on, see source.h), and ends with
 * -ECANCELED ("interrupted while waiting for input") once it is readable.
 */
struct source *file_source_open_stoppable(const char *path, enum ts_precision want, unsigned flags, int stop_fd,
					  char *errbuf);

/*
 * The same over an input already open (the archive's index-selected
 * segments, see archive_source.h), which the source owns from now on, also
 * on failure. path only names it.
 */
struct instream;
struct source *file_source_open_stream(struct instream *in, const char *path, enum ts_precision want, int stop_fd,
				       char *errbuf);

#endif
