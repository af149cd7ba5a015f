/* Shared helpers for the file-source tests: libpcap as the oracle, LZ4 wrapping, temp files. */
#include "compare.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lz4frame.h>
#include <pcap/pcap.h>

#include "io/file_source.h"

#define MAX_BURST 1024

static int ends_with_prefix(const char *msg, const char *prefix)
{
	return strncmp(msg, prefix, strlen(prefix)) == 0;
}

int compare_with_libpcap(const char *label, const char *ours_path, const char *ref_path, enum ts_precision want,
			 unsigned flags, unsigned burst, enum cmp_mode mode)
{
	char perr[PCAP_ERRBUF_SIZE] = "", oerr[TD_ERRBUF_SIZE] = "";
	struct td_pkt pkts[MAX_BURST];
	struct source *src;
	pcap_t *p;
	uint64_t npkt = 0;
	int bad = 0, r = 0, pr = 1;
	unsigned i = 0;

	if (burst > MAX_BURST)
		burst = MAX_BURST;
	p = pcap_open_offline_with_tstamp_precision(
		ref_path, want == TS_NANO ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, perr);
	src = file_source_open_flags(ours_path, want, flags, oerr);
	if (!p || !src) {
		if (p && mode == CMP_PREFIX_LZ4 &&
		    (ends_with_prefix(oerr, "lz4: ") || ends_with_prefix(oerr, "truncated dump file") ||
		     ends_with_prefix(oerr, "truncated pcapng dump file"))) {
			pcap_close(p);
			return 0;
		}
		if (p || src) {
			printf("%s: open: libpcap %s, ours %s\n", label, p ? "ok" : perr, src ? "ok" : oerr);
			bad = 1;
		} else if (strcmp(perr, oerr) != 0) {
			printf("%s: open error: libpcap \"%s\", ours \"%s\"\n", label, perr, oerr);
			bad = 1;
		} else if (errno == 0) {
			printf("%s: open failed without errno\n", label);
			bad = 1;
		}
		goto out;
	}
	if (pcap_datalink(p) != src->linktype || (uint32_t)pcap_snapshot(p) != src->snaplen || src->tsprec != want) {
		printf("%s: header: libpcap dlt %d snaplen %d, ours dlt %d snaplen %u\n", label, pcap_datalink(p),
		       pcap_snapshot(p), src->linktype, src->snaplen);
		bad = 1;
		goto out;
	}
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *d;

		if (i == (unsigned)r) {
			/* Vary the burst so bursts end everywhere in the file. */
			unsigned want_n = burst > 1 ? 1 + (unsigned)(npkt % burst) : 1;

			r = source_rx_burst(src, pkts, want_n);
			i = 0;
			if (r == 0)
				continue;
			if (r > (int)want_n) {
				printf("%s: burst returned %d > %u\n", label, r, want_n);
				bad = 1;
				break;
			}
		}
		pr = pcap_next_ex(p, &h, &d);
		if (r < 0 || pr != 1)
			break;
		const struct td_pkt *k = &pkts[i++];
		if (k->caplen != h->caplen || k->wirelen != h->len || k->ts_sec != (int64_t)h->ts.tv_sec ||
		    k->ts_frac != (uint32_t)h->ts.tv_usec || memcmp(k->data, d, h->caplen) != 0) {
			printf("%s: packet %" PRIu64 ": libpcap %" PRId64 ".%u cap %u len %u, ours %" PRId64
			       ".%u cap %u len %u%s\n",
			       label, npkt + 1, (int64_t)h->ts.tv_sec, (uint32_t)h->ts.tv_usec, h->caplen, h->len,
			       k->ts_sec, k->ts_frac, k->caplen, k->wirelen,
			       memcmp(k->data, d, k->caplen < h->caplen ? k->caplen : h->caplen) ? " (bytes differ)"
												 : "");
			bad = 1;
			goto out;
		}
		npkt++;
	}
	if (mode == CMP_PREFIX_LZ4) {
		/* Ours stopped early or with libpcap: either way no extra packet and a reason. */
		if (r >= 0) {
			printf("%s: ours has more packets than libpcap\n", label);
			bad = 1;
		} else if (r == -ENODATA && pr != -2) {
			printf("%s: ours ended cleanly after %" PRIu64 " packets, libpcap has more\n", label, npkt);
			bad = 1;
		} else if (r != -ENODATA && !ends_with_prefix(src->errbuf, "lz4: ") &&
			   !ends_with_prefix(src->errbuf, "truncated dump file") &&
			   !ends_with_prefix(src->errbuf, "truncated pcapng dump file")) {
			printf("%s: unexpected error \"%s\"\n", label, src->errbuf);
			bad = 1;
		}
		goto out;
	}
	if (pr == 1) {
		printf("%s: ours ended (%d: %s) before libpcap, at packet %" PRIu64 "\n", label, r,
		       r == -ENODATA ? "end" : src->errbuf, npkt + 1);
		bad = 1;
	} else if (r >= 0) {
		printf("%s: libpcap ended (%s) before ours, at packet %" PRIu64 "\n", label,
		       pr == -2 ? "end" : pcap_geterr(p), npkt + 1);
		bad = 1;
	} else if (pr == -2 && r != -ENODATA) {
		printf("%s: libpcap ended cleanly, ours with %d \"%s\"\n", label, r, src->errbuf);
		bad = 1;
	} else if (pr == -1 && (r != -EIO || strcmp(pcap_geterr(p), src->errbuf) != 0)) {
		printf("%s: libpcap error \"%s\", ours %d \"%s\"\n", label, pcap_geterr(p), r,
		       r == -ENODATA ? "(clean end)" : src->errbuf);
		bad = 1;
	} else if (source_rx_burst(src, pkts, burst) != r) {
		printf("%s: end status is not sticky\n", label);
		bad = 1;
	}
out:
	if (p)
		pcap_close(p);
	source_close(src);
	return bad;
}

int lz4_write_file(const char *dst, const uint8_t *src, size_t len, const size_t *splits, unsigned n_splits)
{
	/* A skippable frame: magic, length, payload that must be ignored. */
	static const uint8_t skippable[] = { 0x53, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 'j', 'u', 'n', 'k' };
	LZ4F_preferences_t prefs;
	FILE *f;
	size_t start = 0;
	int rc = -1;

	memset(&prefs, 0, sizeof(prefs));
	prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
	unlink(dst); /* see spit() */
	f = fopen(dst, "wb");
	if (!f) {
		printf("%s: %s\n", dst, strerror(errno));
		return -1;
	}
	for (unsigned s = 0; s <= n_splits; s++) {
		size_t end = s < n_splits ? splits[s] : len;
		size_t cap = LZ4F_compressFrameBound(end - start, &prefs);
		void *buf = malloc(cap);
		size_t n;

		if (!buf)
			goto out;
		n = LZ4F_compressFrame(buf, cap, src + start, end - start, &prefs);
		if (LZ4F_isError(n)) {
			printf("lz4: %s\n", LZ4F_getErrorName(n));
			free(buf);
			goto out;
		}
		if (s == 1 && fwrite(skippable, 1, sizeof(skippable), f) != sizeof(skippable)) {
			free(buf);
			goto out;
		}
		if (fwrite(buf, 1, n, f) != n) {
			free(buf);
			goto out;
		}
		free(buf);
		start = end;
	}
	rc = 0;
out:
	if (fclose(f) != 0)
		rc = -1;
	if (rc)
		printf("%s: write failed\n", dst);
	return rc;
}

uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f) {
		printf("%s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	if (!buf)
		printf("%s: cannot read\n", path);
	return buf;
}

int spit(const char *path, const void *data, size_t len)
{
	FILE *f;
	int rc = 0;

	/*
	 * A fresh inode each time: ext4 flushes a file rewritten through
	 * O_TRUNC when it is closed, which made the byte-offset sweeps wait
	 * on the disk thousands of times.
	 */
	unlink(path);
	f = fopen(path, "wb");
	if (!f) {
		printf("%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (len && fwrite(data, 1, len, f) != len)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc)
		printf("%s: write failed\n", path);
	return rc;
}

int scratch_make(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/td-io-test.XXXXXX");
	if (!mkdtemp(dir)) {
		printf("mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

void scratch_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}
