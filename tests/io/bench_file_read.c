/* Packets per second of a tight file_source read loop, beside libpcap's pcap_next_ex on the same file. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

#include "io/file_source.h"

#define BURST_MAX 1024

static double clock_s(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Wall time, and the CPU time this process got: on a shared box the second is the fairer measure. */
static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}
static double cpu(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

/* Touch one byte per packet and sum the headers, so nothing is optimised away and every record's page is faulted in. */
static int run_ours(const char *path, unsigned flags, unsigned burst, uint64_t *pkts_out, uint64_t *sum_out)
{
	static struct td_pkt pkts[BURST_MAX];
	char err[TD_ERRBUF_SIZE];
	struct source *src = file_source_open_flags(path, TS_MICRO, flags, err);
	uint64_t n = 0, sum = 0;
	int r;

	if (!src) {
		fprintf(stderr, "tapdump: %s\n", err);
		return 1;
	}
	while ((r = source_rx_burst(src, pkts, burst)) >= 0) {
		for (int i = 0; i < r; i++)
			sum += pkts[i].caplen + pkts[i].ts_frac + (pkts[i].caplen ? pkts[i].data[0] : 0);
		n += (uint64_t)r;
	}
	if (r != -ENODATA)
		fprintf(stderr, "tapdump: %s\n", src->errbuf);
	source_close(src);
	*pkts_out = n;
	*sum_out = sum;
	return r != -ENODATA;
}

static int run_libpcap(const char *path, uint64_t *pkts_out, uint64_t *sum_out)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	uint64_t n = 0, sum = 0;
	int r;

	if (!p) {
		fprintf(stderr, "libpcap: %s\n", err);
		return 1;
	}
	while ((r = pcap_next_ex(p, &h, &d)) == 1) {
		sum += h->caplen + (uint32_t)h->ts.tv_usec + (h->caplen ? d[0] : 0);
		n++;
	}
	pcap_close(p);
	*pkts_out = n;
	*sum_out = sum;
	return r != -2;
}

/*
 * A pcap of n records of the given size or, without one, Ethernet-sized with the size mix of a busy link
 * (35% small, 20% medium, 45% full-size: about 800 bytes a record, the
 * shape of the 1.5M-packet, 1.2 GB baseline file).
 */
static int make_file(const char *path, uint64_t n, uint32_t fixed)
{
	static uint8_t rec[16 + 1514];
	const uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 262144, 1 };
	uint32_t x = 1;
	FILE *f = fopen(path, "wb");

	if (!f) {
		perror(path);
		return 1;
	}
	for (size_t i = 0; i < sizeof(rec); i++)
		rec[i] = (uint8_t)(i * 13);
	fwrite(hdr, 1, sizeof(hdr), f);
	for (uint64_t i = 0; i < n; i++) {
		uint32_t len, r;

		x = x * 1103515245u + 12345u;
		r = (x >> 8) % 100;
		len = r < 35 ? 60 + (x >> 16) % 40 : r < 55 ? 100 + (x >> 16) % 500 : 1514;
		if (fixed)
			len = fixed;
		rec[0] = (uint8_t)(i / 1000000);
		memcpy(rec, &(uint32_t){ (uint32_t)(1700000000 + i / 100000) }, 4);
		memcpy(rec + 4, &(uint32_t){ (uint32_t)(i % 100000 * 10) }, 4);
		memcpy(rec + 8, &len, 4);
		memcpy(rec + 12, &len, 4);
		if (fwrite(rec, 1, 16 + len, f) != 16 + len) {
			perror(path);
			fclose(f);
			return 1;
		}
	}
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	unsigned burst = argc > 2 ? (unsigned)atoi(argv[2]) : 256;
	unsigned flags = argc > 3 && strcmp(argv[3], "map") == 0 ? FILE_SOURCE_MMAP : 0;
	uint64_t n1, s1, n2 = 0, s2 = 0;
	double t0, t1, t2, c0, c1, c2;

	if (argc >= 4 && strcmp(argv[1], "--make") == 0)
		return make_file(argv[2], strtoull(argv[3], NULL, 0), argc > 4 ? (uint32_t)atoi(argv[4]) : 0);
	if (argc < 2) {
		fprintf(stderr, "usage: bench_file_read FILE [BURST [read|map [skip-libpcap]]]\n"
				"       bench_file_read --make FILE PACKETS [FIXED_SIZE]\n");
		return 2;
	}
	if (burst == 0 || burst > BURST_MAX)
		burst = BURST_MAX;
	t0 = now();
	c0 = cpu();
	if (run_ours(argv[1], flags, burst, &n1, &s1))
		return 1;
	t1 = now();
	c1 = cpu();
	printf("file_source (%s): %" PRIu64
	       " packets in %.3f s (%.3f s CPU): %.2f Mpps, %.2f Mpps per CPU second (burst %u)\n",
	       flags ? "mmap" : "read", n1, t1 - t0, c1 - c0, (double)n1 / (t1 - t0) / 1e6,
	       (double)n1 / (c1 - c0) / 1e6, burst);
	if (argc > 4)
		return 0;
	if (run_libpcap(argv[1], &n2, &s2))
		return 1;
	t2 = now();
	c2 = cpu();
	printf("libpcap pcap_next_ex: %" PRIu64
	       " packets in %.3f s (%.3f s CPU): %.2f Mpps, %.2f Mpps per CPU second\n",
	       n2, t2 - t1, c2 - c1, (double)n2 / (t2 - t1) / 1e6, (double)n2 / (c2 - c1) / 1e6);
	if (n1 != n2 || s1 != s2) {
		printf("MISMATCH: packets %" PRIu64 "/%" PRIu64 ", checksums differ: %d\n", n1, n2, s1 != s2);
		return 1;
	}
	return 0;
}
