/* Unit test of output series: -C/-W/-G rotation on synthetic records, file names, sizes, contents and per-file reports. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fcntl.h>

#include "engine/block.h"
#include "check.h"
#include "writers/retention.h"
#include "writers/rotate.h"
#include "writers/series.h"

#define NRECS 100
#define CAPLEN 984 /* 1000-byte records: the arithmetic of the expected sizes stays readable */
#define REC_BYTES (16 + CAPLEN)
#define MAX_REPORTS 64

struct closed {
	char name[256];
	uint64_t packets, pcap_bytes, disk_bytes;
	uint32_t first_sec, first_frac, last_sec, last_frac;
	int error;
};

struct reports {
	struct closed r[MAX_REPORTS];
	unsigned n;
};

struct input {
	uint8_t *recs;
	size_t len;
	unsigned n;
	size_t *off; /* off[i]: where record i starts; off[n] == len */
};

static void on_close(void *arg, const struct file_report *r)
{
	struct reports *rs = arg;
	struct closed *c;

	if (rs->n >= MAX_REPORTS)
		return;
	c = &rs->r[rs->n++];
	snprintf(c->name, sizeof(c->name), "%s", r->name);
	c->packets = r->packets;
	c->pcap_bytes = r->pcap_bytes;
	c->disk_bytes = r->disk_bytes;
	c->first_sec = r->first_sec;
	c->first_frac = r->first_frac;
	c->last_sec = r->last_sec;
	c->last_frac = r->last_frac;
	c->error = r->error;
}

/*
 * n records of REC_BYTES, time stamps start + i * step_us, payload bytes
 * naming the record, or pseudo-random ones (incompressible, for LZ4 sizes).
 */
static int make_input_payload(struct input *in, unsigned n, uint32_t start, uint32_t step_us, bool random)
{
	uint32_t x = 2463534242u;

	in->n = n;
	in->len = (size_t)n * REC_BYTES;
	in->recs = malloc(in->len);
	in->off = malloc(sizeof(*in->off) * (n + 1));
	if (!in->recs || !in->off) {
		free(in->recs);
		free(in->off);
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t us = (uint64_t)i * step_us;
		struct rec_hdr h = {
			.ts_sec = start + (uint32_t)(us / 1000000),
			.ts_frac = (uint32_t)(us % 1000000),
			.caplen = CAPLEN,
			.len = CAPLEN + 10,
		};
		in->off[i] = (size_t)i * REC_BYTES;
		memcpy(in->recs + in->off[i], &h, sizeof(h));
		memset(in->recs + in->off[i] + sizeof(h), (int)(i + 1), CAPLEN);
		for (unsigned k = 0; random && k < CAPLEN; k++) {
			/* xorshift32: enough to defeat LZ4, reproducible run to run */
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			in->recs[in->off[i] + sizeof(h) + k] = (uint8_t)x;
		}
	}
	in->off[n] = in->len;
	return 0;
}

static int make_input(struct input *in, uint32_t start, uint32_t step_us)
{
	return make_input_payload(in, NRECS, start, step_us, false);
}

static void free_input(struct input *in)
{
	free(in->recs);
	free(in->off);
}

static void make_header(uint8_t *h)
{
	const uint32_t words[] = { 0xa1b2c3d4, 2 | (4u << 16), 0, 0, 262144, 1 };

	memcpy(h, words, PCAP_FILE_HEADER_BYTES);
}

static void clean_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	closedir(d);
}

static unsigned count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/*
 * Write the input in pieces: uneven small ones (runs then cross calls and
 * rotations), or `whole` records a call as the writer hands over a 1 MiB
 * block. Returns the last rc, sums *done.
 */
static int write_pieces(struct series *s, const struct input *in, unsigned whole, unsigned *done_total)
{
	unsigned i = 0, piece = whole ? whole : 1;
	int rc = 0;

	*done_total = 0;
	while (i < in->n) {
		unsigned n = piece < in->n - i ? piece : in->n - i, done = 0;
		/* Whole blocks name their last record (the writer's fast path); uneven pieces make it walk. */
		const uint8_t *last = whole ? in->recs + in->off[i + n - 1] : NULL;
		rc = series_write(s, in->recs + in->off[i], in->off[i + n] - in->off[i], n, 0, last, NULL, &done);
		*done_total += done;
		if (rc)
			return rc;
		i += n;
		if (!whole)
			piece = piece % 11 + 2;
	}
	return 0;
}

static int write_all(struct series *s, const struct input *in, unsigned *done_total)
{
	return write_pieces(s, in, 0, done_total);
}

/*
 * The file holds exactly records [first, first + count) of the input behind
 * the header, and its report says so.
 */
static void check_file(int *fails, const char *path, const struct input *in, unsigned first, unsigned count,
		       const struct closed *rep)
{
	FILE *f = fopen(path, "rb");
	size_t want = PCAP_FILE_HEADER_BYTES + in->off[first + count] - in->off[first];
	uint8_t *buf = malloc(want + 1);
	uint8_t hdr[PCAP_FILE_HEADER_BYTES];
	size_t got;

	CHECK(f != NULL, "%s: %s", path, strerror(errno));
	if (!f || !buf) {
		free(buf);
		if (f)
			fclose(f);
		return;
	}
	got = fread(buf, 1, want + 1, f);
	fclose(f);
	make_header(hdr);
	CHECK(got == want, "%s: %zu bytes, expected %zu (records %u..%u)", path, got, want, first, first + count - 1);
	CHECK(got < PCAP_FILE_HEADER_BYTES || !memcmp(buf, hdr, sizeof(hdr)), "%s: header differs", path);
	CHECK(got != want || !memcmp(buf + PCAP_FILE_HEADER_BYTES, in->recs + in->off[first], want - sizeof(hdr)),
	      "%s: records differ from input %u..%u", path, first, first + count - 1);
	if (rep) {
		struct rec_hdr h0, h1;
		memcpy(&h0, in->recs + in->off[first], sizeof(h0));
		memcpy(&h1, in->recs + in->off[first + count - 1], sizeof(h1));
		CHECK(rep->packets == count, "%s: report says %lu packets, file has %u", path,
		      (unsigned long)rep->packets, count);
		CHECK(rep->pcap_bytes + PCAP_FILE_HEADER_BYTES == want, "%s: report pcap_bytes %lu", path,
		      (unsigned long)rep->pcap_bytes);
		CHECK(rep->disk_bytes == want, "%s: report disk_bytes %lu, file %zu", path,
		      (unsigned long)rep->disk_bytes, want);
		CHECK(rep->first_sec == h0.ts_sec && rep->first_frac == h0.ts_frac, "%s: first %u.%06u", path,
		      rep->first_sec, rep->first_frac);
		CHECK(rep->last_sec == h1.ts_sec && rep->last_frac == h1.ts_frac, "%s: last %u.%06u", path,
		      rep->last_sec, rep->last_frac);
		CHECK(rep->error == 0, "%s: report error %d", path, rep->error);
	}
	free(buf);
}

static struct series *open_series(int *fails, struct series_params *sp, struct reports *rs, const char *pattern)
{
	char errbuf[TD_ERRBUF_SIZE] = "";
	struct series *s;

	memset(rs, 0, sizeof(*rs));
	sp->pattern = pattern;
	sp->on_close = on_close;
	sp->arg = rs;
	sp->sink.kind = SINK_PLAIN;
	sp->sink.lz4_accel = 1;
	make_header(sp->header);
	s = series_open(sp, errbuf);
	CHECK(s != NULL, "series_open(%s): %s", pattern, errbuf);
	return s;
}

static uint64_t report_packets(const struct reports *rs)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < rs->n; i++)
		sum += rs->r[i].packets;
	return sum;
}

/* -C alone: cap.pcap, cap.pcap1, ...; a file is closed before the first record that finds it past the limit. */
static void test_size(int *fails, const char *dir, const struct input *in)
{
	struct series_params sp = { .rotate_bytes = 20000 };
	struct reports rs;
	char pattern[300], path[300];
	unsigned done;
	struct series *s;
	int rc;

	snprintf(pattern, sizeof(pattern), "%s/cap.pcap", dir);
	if (!(s = open_series(fails, &sp, &rs, pattern)))
		return;
	rc = write_all(s, in, &done);
	CHECK(rc == 0 && done == NRECS, "-C: rc %d, %u of %u written", rc, done, NRECS);
	rc = series_close(s, NULL, NULL, NULL);
	CHECK(rc == 0, "-C: close rc %d", rc);
	/* 24 + 20 x 1000 = 20024 > 20000: each file takes 20 records, the first that crosses the limit. */
	CHECK(rs.n == 5, "-C: %u files closed, expected 5", rs.n);
	CHECK(count_files(dir) == 5, "-C: %u files on disk", count_files(dir));
	for (unsigned k = 0; k < 5 && k < rs.n; k++) {
		struct stat st;
		if (k)
			snprintf(path, sizeof(path), "%s/cap.pcap%u", dir, k);
		else
			snprintf(path, sizeof(path), "%s/cap.pcap", dir);
		CHECK(!strcmp(rs.r[k].name, path), "-C: file %u is '%s', expected '%s'", k, rs.r[k].name, path);
		check_file(fails, path, in, k * 20, 20, &rs.r[k]);
		if (stat(path, &st) == 0 && k < 4)
			CHECK(st.st_size > 20000 && st.st_size - REC_BYTES <= 20000,
			      "-C: %s is %ld bytes: not the first size past the limit", path, (long)st.st_size);
	}
	CHECK(report_packets(&rs) == NRECS, "-C: reports sum to %lu", (unsigned long)report_packets(&rs));
	clean_dir(dir);
}

/* -C with -W 3: names padded to one digit, the ring of three overwritten in order 0 1 2 0 1. */
static void test_size_ring(int *fails, const char *dir, const struct input *in)
{
	struct series_params sp = { .rotate_bytes = 20000, .max_files = 3 };
	static const unsigned order[] = { 0, 1, 2, 0, 1 };
	struct reports rs;
	char pattern[300], path[300];
	unsigned done;
	struct series *s;
	int rc;

	snprintf(pattern, sizeof(pattern), "%s/ring.pcap", dir);
	if (!(s = open_series(fails, &sp, &rs, pattern)))
		return;
	rc = write_all(s, in, &done);
	CHECK(rc == 0 && done == NRECS, "-C -W: rc %d, %u written", rc, done);
	CHECK(series_close(s, NULL, NULL, NULL) == 0, "-C -W: close failed");
	CHECK(rs.n == 5, "-C -W: %u files closed, expected 5", rs.n);
	for (unsigned k = 0; k < rs.n && k < 5; k++) {
		snprintf(path, sizeof(path), "%s/ring.pcap%u", dir, order[k]);
		CHECK(!strcmp(rs.r[k].name, path), "-C -W: close %u was '%s', expected '%s'", k, rs.r[k].name, path);
		CHECK(rs.r[k].packets == 20, "-C -W: close %u held %lu packets", k, (unsigned long)rs.r[k].packets);
	}
	CHECK(count_files(dir) == 3, "-C -W 3: %u files on disk", count_files(dir));
	/* What survives: the last three files written. */
	snprintf(path, sizeof(path), "%s/ring.pcap0", dir);
	check_file(fails, path, in, 60, 20, NULL);
	snprintf(path, sizeof(path), "%s/ring.pcap1", dir);
	check_file(fails, path, in, 80, 20, NULL);
	snprintf(path, sizeof(path), "%s/ring.pcap2", dir);
	check_file(fails, path, in, 40, 20, NULL);
	CHECK(report_packets(&rs) == NRECS, "-C -W: reports sum to %lu", (unsigned long)report_packets(&rs));
	clean_dir(dir);
}

/* -G on file input: slices follow packet time from the first packet (or multiples of -G with --rotate-align). */
static void test_time(int *fails, const char *dir, bool align)
{
	struct series_params sp = { .rotate_seconds = 10, .align = align };
	struct input in;
	struct reports rs;
	char pattern[300], path[300];
	unsigned done, first = 0, nfiles = align ? 6 : 5;
	/* 0.5 s apart from ...03: unaligned slices start at 03, 13, ..., aligned ones at 00, 10, ..., 50. */
	static const unsigned unaligned_counts[] = { 20, 20, 20, 20, 20 };
	static const unsigned aligned_counts[] = { 14, 20, 20, 20, 20, 6 };
	const unsigned *counts = align ? aligned_counts : unaligned_counts;
	struct series *s;
	int rc;

	if (make_input(&in, 1700000003, 500000))
		return;
	snprintf(pattern, sizeof(pattern), "%s/g-%%s.pcap", dir);
	if (!(s = open_series(fails, &sp, &rs, pattern)))
		goto out;
	CHECK(count_files(dir) == 0, "-G on file input opened a file before the first packet");
	rc = write_all(s, &in, &done);
	CHECK(rc == 0 && done == NRECS, "-G%s: rc %d, %u written", align ? " aligned" : "", rc, done);
	CHECK(series_close(s, NULL, NULL, NULL) == 0, "-G: close failed");
	CHECK(rs.n == nfiles, "-G%s: %u files, expected %u", align ? " aligned" : "", rs.n, nfiles);
	for (unsigned k = 0; k < rs.n && k < nfiles; k++) {
		unsigned t = align ? 1700000000 + 10 * k : 1700000003 + 10 * k;
		snprintf(path, sizeof(path), "%s/g-%u.pcap", dir, t);
		CHECK(!strcmp(rs.r[k].name, path), "-G: file %u is '%s', expected '%s'", k, rs.r[k].name, path);
		check_file(fails, path, &in, first, counts[k], &rs.r[k]);
		first += counts[k];
	}
	CHECK(report_packets(&rs) == NRECS, "-G: reports sum to %lu", (unsigned long)report_packets(&rs));
out:
	free_input(&in);
	clean_dir(dir);
}

/* -G with -W 2: tcpdump stops after the second slice; series_write says so with -ECANCELED. */
static void test_time_limit(int *fails, const char *dir, const struct input *in)
{
	struct series_params sp = { .rotate_seconds = 10, .max_files = 2 };
	struct reports rs;
	char pattern[300];
	unsigned done;
	struct series *s;
	int rc;

	snprintf(pattern, sizeof(pattern), "%s/w-%%s.pcap", dir);
	if (!(s = open_series(fails, &sp, &rs, pattern)))
		return;
	rc = write_all(s, in, &done);
	CHECK(rc == -ECANCELED, "-G -W 2: rc %d, expected -ECANCELED", rc);
	/* 0.5 s apart: two 10 s slices hold 40 records. */
	CHECK(done == 40, "-G -W 2: %u records written, expected 40", done);
	rc = series_close(s, NULL, NULL, NULL);
	CHECK(rc == 0, "-G -W 2: close rc %d", rc);
	CHECK(rs.n == 2, "-G -W 2: %u files closed", rs.n);
	CHECK(count_files(dir) == 2, "-G -W 2: %u files on disk", count_files(dir));
	CHECK(report_packets(&rs) == done, "-G -W 2: reports sum to %lu, written %u",
	      (unsigned long)report_packets(&rs), done);
	clean_dir(dir);
}

/* -C with -G: within each slice the -C index restarts, the first file of a slice bare. */
static void test_size_and_time(int *fails, const char *dir, const struct input *in)
{
	struct series_params sp = { .rotate_seconds = 10, .rotate_bytes = 5000 };
	struct reports rs;
	char pattern[300], path[300];
	unsigned done, k = 0;
	struct series *s;
	int rc;

	snprintf(pattern, sizeof(pattern), "%s/cg-%%s.pcap", dir);
	if (!(s = open_series(fails, &sp, &rs, pattern)))
		return;
	rc = write_all(s, in, &done);
	CHECK(rc == 0 && done == NRECS, "-C -G: rc %d, %u written", rc, done);
	CHECK(series_close(s, NULL, NULL, NULL) == 0, "-C -G: close failed");
	/* 20 records per slice, 5 per file (24 + 5000 > 5000): 5 slices of 4 files. */
	CHECK(rs.n == 20, "-C -G: %u files, expected 20", rs.n);
	for (unsigned slice = 0; slice < 5; slice++)
		for (unsigned idx = 0; idx < 4 && k < rs.n; idx++, k++) {
			unsigned t = 1700000000 + 10 * slice;
			if (idx)
				snprintf(path, sizeof(path), "%s/cg-%u.pcap%u", dir, t, idx);
			else
				snprintf(path, sizeof(path), "%s/cg-%u.pcap", dir, t);
			CHECK(!strcmp(rs.r[k].name, path), "-C -G: file %u is '%s', expected '%s'", k, rs.r[k].name,
			      path);
			check_file(fails, path, in, k * 5, 5, &rs.r[k]);
		}
	CHECK(report_packets(&rs) == NRECS, "-C -G: reports sum to %lu", (unsigned long)report_packets(&rs));
	clean_dir(dir);
}

/*
 * LZ4 files rotate by their size on disk (the DESIGN's -C for compressed
 * output) and still report every packet. With incompressible records, 2 MB
 * and -C 400000 make a handful of files; each closed before the last must have
 * passed the limit, as tcpdump's -C files do.
 */
static void test_lz4(int *fails, const char *dir, bool sizes)
{
	struct series_params sp = { .rotate_bytes = 400000 };
	struct input in;
	struct reports rs;
	char pattern[300];
	unsigned done;
	struct series *s;
	uint64_t pcap_bytes = 0;
	int rc;

	if (make_input_payload(&in, 2000, 1700000000, 500000, true))
		return;
	snprintf(pattern, sizeof(pattern), "%s/z.pcap.lz4", dir);
	memset(&rs, 0, sizeof(rs));
	sp.pattern = pattern;
	sp.on_close = on_close;
	sp.arg = &rs;
	sp.sink.kind = SINK_LZ4;
	sp.sink.lz4_accel = 1;
	make_header(sp.header);
	{
		char errbuf[TD_ERRBUF_SIZE] = "";
		s = series_open(&sp, errbuf);
		CHECK(s != NULL, "lz4 series_open: %s", errbuf);
		if (!s)
			goto out;
	}
	/* Block-sized calls, as the writer makes them: the pending run is then far larger than the limit. */
	rc = write_pieces(s, &in, sizes ? 1000 : 0, &done);
	CHECK(rc == 0 && done == in.n, "lz4 -C: rc %d, %u written", rc, done);
	CHECK(series_close(s, NULL, NULL, NULL) == 0, "lz4 -C: close failed");
	CHECK(rs.n >= 2, "lz4 -C 400000 on 2 MB of random records made %u files", rs.n);
	for (unsigned k = 0; k < rs.n; k++) {
		struct stat st;
		pcap_bytes += rs.r[k].pcap_bytes;
		CHECK(stat(rs.r[k].name, &st) == 0 && (uint64_t)st.st_size == rs.r[k].disk_bytes,
		      "lz4: %s report disk_bytes %lu differs from its size", rs.r[k].name,
		      (unsigned long)rs.r[k].disk_bytes);
		if (sizes && k + 1 < rs.n)
			CHECK(rs.r[k].disk_bytes > sp.rotate_bytes,
			      "lz4 -C: %s closed at %lu bytes on disk, before the %lu limit", rs.r[k].name,
			      (unsigned long)rs.r[k].disk_bytes, (unsigned long)sp.rotate_bytes);
		/* Like tcpdump's files, at most one record over: the limit counts compressed bytes on disk. */
		if (sizes)
			CHECK(rs.r[k].disk_bytes <=
				      sp.rotate_bytes + LZ4_FRAME_BLOCK_BOUND(REC_BYTES) + LZ4_FRAME_END_BYTES,
			      "lz4 -C: %s is %lu bytes on disk, more than a record over the %lu limit", rs.r[k].name,
			      (unsigned long)rs.r[k].disk_bytes, (unsigned long)sp.rotate_bytes);
	}
	CHECK(report_packets(&rs) == in.n, "lz4: reports sum to %lu", (unsigned long)report_packets(&rs));
	CHECK(pcap_bytes == in.len, "lz4: reports' pcap_bytes %lu, input %zu", (unsigned long)pcap_bytes, in.len);
out:
	free_input(&in);
	clean_dir(dir);
}

/* The name matcher: every name rotate_name makes for a pattern matches, and nothing else. */
static void test_matcher(int *fails)
{
	static const struct {
		const char *pattern;
		bool time_based, with_index;
		unsigned width;
		const char *name;
		bool match;
		unsigned index;
	} cases[] = {
		{ "cap.pcap", false, false, 0, "cap.pcap", true, 0 },
		{ "cap.pcap", false, false, 0, "cap.pcap1", false, 0 },
		{ "cap.pcap", false, true, 0, "cap.pcap", true, 0 },
		{ "cap.pcap", false, true, 0, "cap.pcap1", true, 1 },
		{ "cap.pcap", false, true, 0, "cap.pcap123", true, 123 },
		{ "cap.pcap", false, true, 0, "cap.pcap0", false, 0 },	/* tcpdump never writes index 0 */
		{ "cap.pcap", false, true, 0, "cap.pcap01", false, 0 }, /* nor a leading zero without -W */
		{ "cap.pcap", false, true, 0, "cap.pcap.lz4", false, 0 },
		{ "cap.pcap", false, true, 0, "cap.pcapx", false, 0 },
		{ "cap.pcap", false, true, 0, "xcap.pcap", false, 0 },
		{ "cap.pcap", false, true, 2, "cap.pcap07", true, 7 },
		{ "cap.pcap", false, true, 2, "cap.pcap7", false, 0 },
		{ "cap.pcap", false, true, 2, "cap.pcap", false, 0 },
		{ "c%Y.pcap", false, false, 0, "c%Y.pcap", true, 0 }, /* without -G the name is literal */
		{ "c%Y.pcap", false, false, 0, "c2024.pcap", false, 0 },
		{ "cap-%Y%m%d-%H%M%S.pcap.lz4", true, false, 0, "cap-20240102-030405.pcap.lz4", true, 0 },
		{ "cap-%Y%m%d-%H%M%S.pcap.lz4", true, false, 0, "cap-2024012-030405.pcap.lz4", false, 0 },
		{ "cap-%Y%m%d-%H%M%S.pcap.lz4", true, false, 0, "cap-20240102-030405.pcap", false, 0 },
		{ "cap-%Y%m%d-%H%M%S.pcap.lz4", true, false, 0, "cap-2024x102-030405.pcap.lz4", false, 0 },
		{ "cap-%Y%m%d-%H%M%S.pcap", true, true, 0, "cap-20240102-030405.pcap", true, 0 },
		{ "cap-%Y%m%d-%H%M%S.pcap", true, true, 0, "cap-20240102-030405.pcap12", true, 12 },
		{ "cap-%s.pcap", true, false, 0, "cap-1700000000.pcap", true, 0 },
		{ "cap-%s.pcap", true, false, 0, "cap-.pcap", false, 0 },
		{ "cap-%F_%T.pcap", true, false, 0, "cap-2024-01-02_03:04:05.pcap", true, 0 },
		{ "cap-%j-%e.pcap", true, false, 0, "cap-002- 2.pcap", true, 0 },
		{ "cap-%j-%e.pcap", true, false, 0, "cap-002-12.pcap", true, 0 },
		{ "cap-%a-%H.pcap", true, false, 0, "cap-Tue-03.pcap", true, 0 },
		{ "cap-%a-%H.pcap", true, false, 0, "cap-2-03.pcap", false, 0 },
		{ "cap-%z.pcap", true, false, 0, "cap-+0100.pcap", true, 0 },
		{ "100%%-%H.pcap", true, false, 0, "100%-03.pcap", true, 0 },
		{ "cap-w1.pcap", false, true, 0, "cap-w1.pcap3", true, 3 }, /* a writer's -wN series */
		{ "cap-w1.pcap", false, true, 0, "cap-w0.pcap3", false, 0 },
		{ "cap-w1.pcap", false, true, 0, "cap.pcap3", false, 0 },
	};
	char err[TD_ERRBUF_SIZE];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct name_matcher m;
		unsigned index = 99;
		bool got;

		if (name_matcher_init(&m, cases[i].pattern, cases[i].time_based, cases[i].with_index, cases[i].width,
				      err)) {
			CHECK(0, "matcher %s: %s", cases[i].pattern, err);
			continue;
		}
		got = name_matcher_match(&m, cases[i].name, &index);
		CHECK(got == cases[i].match, "'%s' against '%s' (-G %d -C %d width %u): %s", cases[i].name,
		      cases[i].pattern, cases[i].time_based, cases[i].with_index, cases[i].width,
		      got ? "matched" : "did not match");
		CHECK(!got || index == cases[i].index, "'%s': index %u, expected %u", cases[i].name, index,
		      cases[i].index);
	}
	/* What strftime makes for every second of a day matches its pattern (and rotate_name's index too). */
	{
		struct name_matcher m;
		const char *pat = "d-%Y%m%d-%H%M%S-%s-%j.pcap";
		time_t t0 = 1700000000;

		CHECK(name_matcher_init(&m, pat, true, true, 0, err) == 0, "%s: %s", pat, err);
		for (time_t t = t0; t < t0 + 86400; t += 7) {
			char name[256];
			unsigned idx;

			rotate_name(name, sizeof(name), pat, true, t, true, (unsigned)(t % 5), 0);
			if (!name_matcher_match(&m, name, &idx) || idx != (unsigned)(t % 5)) {
				CHECK(0, "rotate_name's '%s' not matched (index %u)", name, (unsigned)(t % 5));
				break;
			}
		}
	}
	/* Conversions whose output cannot be told apart from other text are refused, not guessed. */
	{
		static const char *const refused[] = { "cap-%c.pcap", "cap-%x.pcap", "cap-%-d.pcap", "cap-%Ey.pcap",
						       "cap-%" };
		for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
			struct name_matcher m;
			CHECK(name_matcher_init(&m, refused[i], true, false, 0, err) == -EINVAL, "%s accepted",
			      refused[i]);
		}
	}
}

static uint64_t dir_bytes(const char *dir, const char *prefix, unsigned *files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	uint64_t sum = 0;
	char path[512];
	struct stat st;

	*files = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix))) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (stat(path, &st) == 0) {
				sum += (uint64_t)st.st_size;
				(*files)++;
			}
		}
	closedir(d);
	return sum;
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The first packet's time, read back from plain and LZ4 files the series wrote, and from a nano file. */
static void test_first_packet(int *fails, const char *dir, const struct input *in)
{
	static const char *const patterns[] = { "fp.pcap", "fp.pcap.lz4" };
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);

	for (unsigned k = 0; k < 2; k++) {
		struct series_params sp = { 0 };
		struct reports rs;
		char path[512];
		char errbuf[TD_ERRBUF_SIZE];
		struct series *s;
		unsigned done;

		snprintf(path, sizeof(path), "%s/%s", dir, patterns[k]);
		s = open_series(fails, &sp, &rs, path);
		if (!s)
			continue;
		/* open_series makes a plain sink: for LZ4, again with the sink switched before anything is written */
		series_close(s, NULL, NULL, NULL);
		sp.sink.kind = k ? SINK_LZ4 : SINK_PLAIN;
		s = series_open(&sp, errbuf);
		CHECK(s != NULL, "%s: %s", path, errbuf);
		if (!s)
			continue;
		write_all(s, in, &done);
		series_close(s, NULL, NULL, NULL);
		CHECK(retention_first_packet_ns(dfd, patterns[k]) == 1700000000ll * 1000000000, "%s: first packet %lld",
		      patterns[k], (long long)retention_first_packet_ns(dfd, patterns[k]));
	}
	{
		/* nanosecond pcap, big-endian: the time as written */
		static const uint8_t nano[40] = { 0xa1, 0xb2,	  0x3c,	    0x4d, 0, 2,	   0,	 4,    [16] = 0, 4, 0,
						  0,	[20] = 0, 0,	    0,	  1, 0x65, 0x53, 0xf1, 0x00,	 0, 0,
						  0,	7,	  [32] = 0, 0,	  0, 1,	   0,	 0,    0,	 1 };
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/nano.pcap", dir);
		f = fopen(path, "wb");
		if (f) {
			fwrite(nano, 1, sizeof(nano), f);
			fclose(f);
		}
		CHECK(retention_first_packet_ns(dfd, "nano.pcap") == 0x6553f100ll * 1000000000 + 7,
		      "nano big-endian: %lld", (long long)retention_first_packet_ns(dfd, "nano.pcap"));
		snprintf(path, sizeof(path), "%s/text", dir);
		put_file(path, "not a capture file, but long enough to have forty bytes in it\n");
		CHECK(retention_first_packet_ns(dfd, "text") == -1, "a text file has a first packet");
		CHECK(retention_first_packet_ns(dfd, "missing") == -1, "a missing file has a first packet");
	}
	close(dfd);
	clean_dir(dir);
}

/*
 * -C files under --disk-budget, over three runs (restarts): the series
 * stays within budget + one file and never under budget - two files, a
 * restart numbers on after the last run's files and trims them at once,
 * and the directory's other files are never touched.
 */
static void test_retention_size(int *fails, const char *dir, const struct input *in)
{
	const uint64_t file_bytes = PCAP_FILE_HEADER_BYTES + 10 * REC_BYTES; /* -C 10000: 10 records a file */
	char path[512], foreign[3][512];
	static const char *const foreign_names[] = { "cap.pcap.txt", "cap.pcap01", "other.pcap" };
	struct retention_counters ctr = { 0 };

	for (unsigned k = 0; k < 3; k++) {
		snprintf(foreign[k], sizeof(foreign[k]), "%s/%s", dir, foreign_names[k]);
		put_file(foreign[k], "foreign\n");
	}
	snprintf(path, sizeof(path), "%s/cap.pcap", dir);
	for (unsigned run = 0; run < 3; run++) {
		struct series_params sp = {
			.rotate_bytes = 10000,
			.disk_budget = { .bytes = run == 2 ? 2 * file_bytes : 35000 },
			.retention_ctr = &ctr,
		};
		struct reports rs;
		struct series *s;
		unsigned done, files, i = 0;
		uint64_t bytes, before = counter_get(&ctr.files_deleted);

		s = open_series(fails, &sp, &rs, path);
		if (!s)
			return;
		/* Start-up trims the earlier runs' files before the first new one (the third run's budget shrank). */
		bytes = dir_bytes(dir, "cap.pcap", &files) - 2 * 8 /* two foreign files start so */;
		CHECK(bytes <= sp.disk_budget.bytes + PCAP_FILE_HEADER_BYTES, "run %u start: series %lu bytes", run,
		      (unsigned long)bytes);
		while (i < in->n) {
			unsigned n = in->n - i < 7 ? in->n - i : 7;

			series_write(s, in->recs + in->off[i], in->off[i + n] - in->off[i], n, 0, NULL, NULL, &done);
			i += n;
			bytes = dir_bytes(dir, "cap.pcap", &files) - 2 * 8;
			CHECK(bytes <= sp.disk_budget.bytes + file_bytes, "run %u: series %lu bytes, budget %lu", run,
			      (unsigned long)bytes, (unsigned long)sp.disk_budget.bytes);
		}
		series_close(s, NULL, NULL, NULL);
		bytes = dir_bytes(dir, "cap.pcap", &files) - 2 * 8;
		CHECK(bytes <= sp.disk_budget.bytes && bytes + 2 * file_bytes >= sp.disk_budget.bytes,
		      "run %u end: series %lu bytes in %u files, budget %lu", run, (unsigned long)bytes, files - 2,
		      (unsigned long)sp.disk_budget.bytes);
		CHECK(counter_get(&ctr.files_deleted) > before, "run %u deleted nothing", run);
		CHECK(counter_get(&ctr.series_bytes) == bytes, "run %u: series_bytes %lu, on disk %lu", run,
		      (unsigned long)counter_get(&ctr.series_bytes), (unsigned long)bytes);
		/* Each run numbers on: 10 files a run, so run 2's last file is cap.pcap29. */
		{
			char last[512];
			struct stat st;

			snprintf(last, sizeof(last), "%s/cap.pcap%u", dir, run * 10 + 9);
			CHECK(stat(last, &st) == 0, "run %u: %s missing", run, last);
		}
	}
	for (unsigned k = 0; k < 3; k++) {
		struct stat st;
		CHECK(stat(foreign[k], &st) == 0 && st.st_size == 8, "foreign file %s touched", foreign[k]);
	}
	CHECK(counter_get(&ctr.bytes_deleted) == counter_get(&ctr.files_deleted) * file_bytes,
	      "bytes_deleted %lu for %lu files", (unsigned long)counter_get(&ctr.bytes_deleted),
	      (unsigned long)counter_get(&ctr.files_deleted));
	CHECK(counter_get(&ctr.oldest_ns) > 1700000000ull * 1000000000, "oldest kept %lu",
	      (unsigned long)counter_get(&ctr.oldest_ns));
	clean_dir(dir);
}

/* -G names (strftime fields, packet time) under a budget: the oldest slices go, the newest stay. */
static void test_retention_time(int *fails, const char *dir, const struct input *in)
{
	struct retention_counters ctr = { 0 };
	char path[512], first[512], last[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/g-%%Y%%m%%d-%%H%%M%%S.pcap", dir);
	for (unsigned run = 0; run < 2; run++) {
		struct series_params sp = {
			.rotate_seconds = 5, /* 10 records a file */
			.disk_budget = { .bytes = 4 * (PCAP_FILE_HEADER_BYTES + 10 * REC_BYTES) },
			.retention_ctr = &ctr,
		};
		struct reports rs;
		struct series *s = open_series(fails, &sp, &rs, path);
		unsigned done, files;
		uint64_t bytes;

		if (!s)
			return;
		write_all(s, in, &done);
		series_close(s, NULL, NULL, NULL);
		bytes = dir_bytes(dir, "g-", &files);
		CHECK(files == 4 && bytes == sp.disk_budget.bytes, "-G run %u: %u files, %lu bytes", run, files,
		      (unsigned long)bytes);
	}
	/* 100 records from 22:13:20 UTC, 0.5 s apart: slices 22:13:20 ... 22:14:05; the last four stay. */
	snprintf(first, sizeof(first), "%s/g-20231114-221345.pcap", dir);
	snprintf(last, sizeof(last), "%s/g-20231114-221405.pcap", dir);
	CHECK(stat(first, &st) < 0, "%s kept", first);
	snprintf(first, sizeof(first), "%s/g-20231114-221350.pcap", dir);
	CHECK(stat(first, &st) == 0 && stat(last, &st) == 0, "the newest four slices are not all there");
	CHECK(counter_get(&ctr.oldest_ns) == 1700000030ull * 1000000000, "oldest kept %lu",
	      (unsigned long)counter_get(&ctr.oldest_ns));
	clean_dir(dir);
}

/* A pcapng file's blocks as the multi-interface test checks them. */
struct ng_walk {
	unsigned idbs, isbs;
	uint16_t idb_linktype[4];
	unsigned epbs_by_if[4];
	unsigned dropcount_at[4]; /* EPB index (within its interface, + 1) that carried epb_dropcount; 0 none */
	uint64_t dropcount[4];
	unsigned dropcounts;
	uint64_t isb_ifrecv[4], isb_ifdrop[4], isb_osdrop[4];
	bool bad;
};

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* The value of option `code` among the options in [p, end), 8 bytes; false when absent. */
static bool ng_opt64(const uint8_t *p, const uint8_t *end, uint16_t code, uint64_t *v)
{
	while (p + 4 <= end) {
		uint16_t c, n;

		memcpy(&c, p, 2);
		memcpy(&n, p + 2, 2);
		if (c == 0)
			break;
		if (c == code && n == 8 && p + 12 <= end) {
			memcpy(v, p + 4, 8);
			return true;
		}
		p += 4 + ((n + 3u) & ~3u);
	}
	return false;
}

static void ng_walk_file(const char *path, struct ng_walk *w)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[1 << 20];
	size_t len = f ? fread(buf, 1, sizeof(buf), f) : 0, off = 0;

	memset(w, 0, sizeof(*w));
	if (f)
		fclose(f);
	while (off + 12 <= len) {
		uint32_t type = get32(buf + off), blen = get32(buf + off + 4);
		const uint8_t *b = buf + off + 8, *end = buf + off + blen - 4;
		uint32_t ifid = get32(b);
		uint64_t v;

		if (blen < 12 || off + blen > len || get32(end) != blen) {
			w->bad = true;
			return;
		}
		if (type == 1 && w->idbs < 4) {
			memcpy(&w->idb_linktype[w->idbs], b, 2);
			w->idbs++;
		} else if (type == 6 && ifid < 4) {
			w->epbs_by_if[ifid]++;
			if (ng_opt64(b + 20 + ((get32(b + 12) + 3u) & ~3u), end, 4, &v)) {
				w->dropcount_at[ifid] = w->epbs_by_if[ifid];
				w->dropcount[ifid] = v;
				w->dropcounts++;
			}
		} else if (type == 5 && ifid < 4) {
			w->isbs++;
			ng_opt64(b + 12, end, 4, &w->isb_ifrecv[ifid]);
			ng_opt64(b + 12, end, 5, &w->isb_ifdrop[ifid]);
			ng_opt64(b + 12, end, 7, &w->isb_osdrop[ifid]);
		}
		off += blen;
	}
	w->bad |= off != len;
}

/*
 * pcapng of two interfaces: an IDB each (its own link type), each run's
 * EPBs under its interface id, a loss on interface 1 reported by the next
 * EPB of interface 1 only (not by interface 0's EPB written first), and an
 * ISB per interface with that interface's counts.
 */
static void test_pcapng_ifaces(int *fails, const char *dir, const struct input *in)
{
	const struct pcapng_iface ifaces[2] = {
		{ .name = "tap-a", .linktype = 1, .snaplen = 262144 },
		{ .name = "tap-b", .linktype = 113, .snaplen = 65535 },
	};
	const struct pcapng_meta ng = { .userappl = "test", .ifaces = ifaces, .nifaces = 2 };
	struct series_params sp = { .pcapng = &ng };
	char path[512];
	struct series *s;
	struct ng_walk w;
	unsigned done;
	char err[TD_ERRBUF_SIZE];

	snprintf(path, sizeof(path), "%s/ifaces.pcapng", dir);
	sp.pattern = path;
	make_header(sp.header);
	s = series_open(&sp, err);
	CHECK(s != NULL, "pcapng ifaces: %s", err);
	if (!s)
		return;
	CHECK(series_write(s, in->recs, in->off[40], 40, 0, NULL, NULL, &done) == 0 && done == 40, "iface 0 run");
	series_note_drops(s, 1, 3, 2);
	CHECK(series_write(s, in->recs + in->off[40], in->off[50] - in->off[40], 10, 0, NULL, NULL, &done) == 0,
	      "iface 0 after the loss on 1");
	CHECK(series_write(s, in->recs + in->off[50], in->off[80] - in->off[50], 30, 1, NULL, NULL, &done) == 0,
	      "iface 1 run");
	CHECK(series_write(s, in->recs + in->off[80], in->off[100] - in->off[80], 20, 0, NULL, NULL, &done) == 0,
	      "iface 0 again");
	CHECK(series_close(s, err, NULL, NULL) == 0, "pcapng ifaces close: %s", err);
	ng_walk_file(path, &w);
	CHECK(!w.bad, "pcapng ifaces: blocks not well formed");
	CHECK(w.idbs == 2 && w.idb_linktype[0] == 1 && w.idb_linktype[1] == 113, "IDBs %u, link types %u %u", w.idbs,
	      w.idb_linktype[0], w.idb_linktype[1]);
	CHECK(w.epbs_by_if[0] == 70 && w.epbs_by_if[1] == 30, "EPBs by interface %u %u", w.epbs_by_if[0],
	      w.epbs_by_if[1]);
	CHECK(w.dropcounts == 1 && w.dropcount_at[1] == 1 && w.dropcount[1] == 5,
	      "epb_dropcount: %u of them, interface 1's at EPB %u with %llu", w.dropcounts, w.dropcount_at[1],
	      (unsigned long long)w.dropcount[1]);
	CHECK(w.isbs == 2, "ISBs %u", w.isbs);
	CHECK(w.isb_ifrecv[0] == 70 && w.isb_osdrop[0] == 0 && w.isb_ifdrop[0] == 0, "ISB 0: ifrecv %llu",
	      (unsigned long long)w.isb_ifrecv[0]);
	CHECK(w.isb_ifrecv[1] == 35 && w.isb_osdrop[1] == 3 && w.isb_ifdrop[1] == 2,
	      "ISB 1: ifrecv %llu osdrop %llu ifdrop %llu", (unsigned long long)w.isb_ifrecv[1],
	      (unsigned long long)w.isb_osdrop[1], (unsigned long long)w.isb_ifdrop[1]);
	unlink(path);
}

int main(int argc, char **argv)
{
	const char *group = argc > 1 ? argv[1] : "all";
	char dir[] = "/tmp/td-series-XXXXXX";
	struct input in;
	int fails = 0;

	setenv("TZ", "UTC", 1);
	tzset();
	if (!mkdtemp(dir)) {
		printf("series: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	if (make_input(&in, 1700000000, 500000)) {
		rmdir(dir);
		return 1;
	}
	if (!strcmp(group, "all") || !strcmp(group, "main")) {
		test_size(&fails, dir, &in);
		test_size_ring(&fails, dir, &in);
		test_time(&fails, dir, false);
		test_time(&fails, dir, true);
		test_time_limit(&fails, dir, &in);
		test_size_and_time(&fails, dir, &in);
		test_lz4(&fails, dir, false);
	}
	if (!strcmp(group, "all") || !strcmp(group, "pcapng-ifaces"))
		test_pcapng_ifaces(&fails, dir, &in);
	if (!strcmp(group, "all") || !strcmp(group, "lz4-size"))
		test_lz4(&fails, dir, true);
	if (!strcmp(group, "all") || !strcmp(group, "retention")) {
		test_matcher(&fails);
		test_first_packet(&fails, dir, &in);
		test_retention_size(&fails, dir, &in);
		test_retention_time(&fails, dir, &in);
	}
	free_input(&in);
	clean_dir(dir);
	rmdir(dir);
	return check_result(group, fails);
}
