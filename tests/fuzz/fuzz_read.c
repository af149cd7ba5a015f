/* libFuzzer target for the -r to -w path: one input is one capture file, read to its end and written through an output series. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/file_source.h"
#include "writers/record.h"
#include "writers/series.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BURST 64
/* Records are handed to the series in runs of about one engine block (engine/block.h), or one larger record. */
#define RUN_BYTES (1u << 20)

/*
 * The last byte of the input (part of the file too) chooses how it is read
 * and written, so the fuzzer explores the options with the formats:
 *   0x01  LZ4 sink (else plain)         0x02  mapped input (else read())
 *   0x04  nanosecond precision          0x08  -C 4 KiB -W 3
 *   0x10  -G 1 -W 3 (packet time; -W ends the series)
 * The input's format (pcap, pcapng, either in LZ4 frames) is found by
 * file_source_open from its magic, as for -r.
 */
#define OPT_LZ4 0x01
#define OPT_MMAP 0x02
#define OPT_NANO 0x04
#define OPT_SIZE 0x08
#define OPT_TIME 0x10
#define OPT_PCAPNG 0x20

/* Scratch space, made once per process: the input file and the output series. */
static char dir[256];
static char in_path[300];

static void remove_outputs(void)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		char p[600];

		if (strncmp(e->d_name, "out", 3) != 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
}

static void remove_dir(void)
{
	remove_outputs();
	unlink(in_path);
	rmdir(dir);
}

static int scratch_init(void)
{
	const char *tmp = getenv("TMPDIR");

	if (dir[0])
		return 0;
	/* Every input is written, read and written again: in memory (/dev/shm) unless TMPDIR says otherwise. */
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof(dir), "%s/fuzz_read.XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		perror("fuzz_read: mkdtemp");
		dir[0] = '\0';
		return -1;
	}
	snprintf(in_path, sizeof(in_path), "%s/in", dir);
	atexit(remove_dir);
	return 0;
}

static int spit(const char *path, const uint8_t *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w <= 0) {
			close(fd);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return close(fd);
}

/* A pcap file header as libpcap's dumper writes it for this source (host byte order). */
static void make_header(const struct source *src, uint8_t out[PCAP_FILE_HEADER_BYTES])
{
	uint32_t magic = src->tsprec == TS_NANO ? 0xa1b23c4du : 0xa1b2c3d4u;
	uint16_t major = 2, minor = 4;
	int32_t zone = 0;
	uint32_t sigfigs = 0, snaplen = src->snaplen, linktype = (uint32_t)src->linktype | src->linktype_ext;

	memcpy(out, &magic, 4);
	memcpy(out + 4, &major, 2);
	memcpy(out + 6, &minor, 2);
	memcpy(out + 8, &zone, 4);
	memcpy(out + 12, &sigfigs, 4);
	memcpy(out + 16, &snaplen, 4);
	memcpy(out + 20, &linktype, 4);
}

struct run {
	uint8_t *buf;
	size_t len, cap;
	unsigned count;
	uint64_t handed; /* records series_write took */
};

/* Hand the packed records to the series. 0, or what series_write returned. */
static int run_flush(struct run *r, struct series *s)
{
	unsigned consumed = 0;
	int rc;

	if (r->count == 0)
		return 0;
	rc = series_write(s, r->buf, r->len, r->count, 0, NULL, NULL, &consumed);
	if (consumed > r->count)
		abort(); /* took records it was never given */
	if (rc == 0 && consumed != r->count)
		abort(); /* success must take the whole run */
	r->handed += consumed;
	r->len = 0;
	r->count = 0;
	return rc;
}

static int run_add(struct run *r, struct series *s, const struct td_pkt *k)
{
	struct rec_hdr h = { (uint32_t)k->ts_sec, k->ts_frac, k->caplen, k->wirelen };
	size_t need = REC_HDR_BYTES + (size_t)k->caplen;
	int rc;

	if (r->len > 0 && r->len + need > RUN_BYTES && (rc = run_flush(r, s)) != 0)
		return rc;
	if (r->len + need > r->cap) {
		size_t ncap = r->cap ? r->cap : RUN_BYTES;
		uint8_t *n;

		while (ncap < r->len + need)
			ncap *= 2;
		n = realloc(r->buf, ncap);
		if (!n)
			return -ENOMEM;
		r->buf = n;
		r->cap = ncap;
	}
	memcpy(r->buf + r->len, &h, sizeof(h));
	/* Every byte the reader hands out is read here: ASan sees any that lie outside its buffer. */
	if (k->caplen)
		memcpy(r->buf + r->len + REC_HDR_BYTES, k->data, k->caplen);
	r->len += need;
	r->count++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[TD_ERRBUF_SIZE];
	char out_path[320];
	struct series_params sp;
	const struct pcapng_meta ng = { .userappl = "fuzz_read", .filter = "tcp" };
	struct td_pkt pkts[BURST];
	struct run run = { 0 };
	struct source *src;
	struct series *s;
	uint64_t durable = 0, lost = 0;
	uint8_t opt = size ? data[size - 1] : 0;
	unsigned idle = 0;
	int rc = 0;

	if (scratch_init() < 0 || spit(in_path, data, size) < 0)
		return 0;
	src = file_source_open_flags(in_path, (opt & OPT_NANO) ? TS_NANO : TS_MICRO,
				     (opt & OPT_MMAP) ? FILE_SOURCE_MMAP : 0, errbuf);
	if (!src)
		return 0;

	memset(&sp, 0, sizeof(sp));
	snprintf(out_path, sizeof(out_path), "%s/out.pcap%s%s", dir, (opt & OPT_PCAPNG) ? "ng" : "",
		 (opt & OPT_LZ4) ? ".lz4" : "");
	sp.pattern = out_path;
	/* pcapng: EPBs from the same records, an ISB at each close; read back below like the pcap. */
	sp.pcapng = (opt & OPT_PCAPNG) ? &ng : NULL;
	sp.sink.kind = (opt & OPT_LZ4) ? SINK_LZ4 : SINK_PLAIN;
	sp.sink.lz4_accel = 1;
	if (opt & OPT_SIZE) {
		sp.rotate_bytes = 4096;
		sp.max_files = 3;
	}
	if (opt & OPT_TIME) {
		sp.rotate_seconds = 1;
		sp.max_files = 3;
	}
	make_header(src, sp.header);
	s = series_open(&sp, errbuf);
	if (!s) {
		source_close(src);
		return 0;
	}

	for (;;) {
		int n = source_rx_burst(src, pkts, BURST);

		if (n < 0)
			break; /* -ENODATA at the end, or the file's error: both end a -r run */
		if (n == 0) {
			/* a file source may end a burst early; it never stalls */
			if (++idle > 1000)
				abort();
			continue;
		}
		idle = 0;
		if (n > BURST)
			abort();
		for (int i = 0; i < n && rc == 0; i++)
			rc = run_add(&run, s, &pkts[i]);
		if (rc)
			break; /* -ECANCELED: -W with -G filled its last file; or a write error */
	}
	if (rc == 0)
		rc = run_flush(&run, s);
	durable += series_take_durable(s);
	lost += series_take_lost(s);
	{
		uint64_t d = 0, l = 0;

		series_close(s, errbuf, &d, &l);
		durable += d;
		lost += l;
	}
	/* The writers' identity: every record handed over ends up written or lost, none twice. */
	if (durable + lost != run.handed)
		abort();
	source_close(src);
	free(run.buf);

	/* What we wrote reads back through the same readers (an LZ4 sink's frame must be whole and valid). */
	if (!(opt & (OPT_SIZE | OPT_TIME)) && lost == 0) {
		struct source *back = file_source_open(out_path, TS_NANO, errbuf);
		uint64_t got = 0;
		int n = 0;

		if (!back)
			abort();
		while ((n = source_rx_burst(back, pkts, BURST)) >= 0)
			got += (uint64_t)n;
		if (strncmp(back->errbuf, "lz4:", 4) == 0)
			abort();
		(void)got;
		source_close(back);
	}
	remove_outputs();
	return 0;
}
