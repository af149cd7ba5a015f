/* The one size of every error buffer: a caller's errbuf, a source's, a sink's, a worker's and a writer's. */
#ifndef TD_ERRBUF_H
#define TD_ERRBUF_H

/*
 * Room for libpcap's message (PCAP_ERRBUF_SIZE, 256: our buffers are handed
 * to libpcap as they are) after a name as long as a source's (a path, up to
 * 1024 bytes): "PATH: why" is the usual shape of a message. No
 * <pcap/pcap.h> here: the AF_XDP files include linux/bpf.h, whose struct
 * bpf_insn clashes with libpcap's. io/pcap_live.c checks the relation.
 */
#define TD_ERRBUF_SIZE 1280

#endif
