/* pcapcheck: the engine shell tests' pcap inspector (count, order, stamps, union, prefix), slow pipe feeder and disk hog. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PCAP_HDR 24
#define REC_HDR 16

/* A whole pcap file in memory: the tests' files are tens of MB at most. */
struct pfile {
	uint8_t *data;
	size_t len;
	size_t whole; /* bytes up to the end of the last whole record */
	size_t nrecs;
	size_t *off; /* offset of each whole record */
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int load(const char *path, struct pfile *f)
{
	FILE *in = fopen(path, "rb");
	size_t cap = 1 << 20, got, n = 0;
	uint32_t magic;

	memset(f, 0, sizeof(*f));
	if (!in) {
		fprintf(stderr, "pcapcheck: %s: %s\n", path, strerror(errno));
		return -1;
	}
	f->data = malloc(cap);
	while (f->data && (got = fread(f->data + f->len, 1, cap - f->len, in)) > 0) {
		f->len += got;
		if (f->len == cap) {
			uint8_t *more = realloc(f->data, cap *= 2);

			if (!more)
				free(f->data);
			f->data = more;
		}
	}
	fclose(in);
	if (!f->data) {
		fprintf(stderr, "pcapcheck: out of memory\n");
		return -1;
	}
	if (f->len < PCAP_HDR) {
		fprintf(stderr, "pcapcheck: %s: no pcap header (%zu bytes)\n", path, f->len);
		goto fail;
	}
	/* Only host-order files: tapdump and tdgen both write host order. */
	magic = rd32(f->data);
	if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
		fprintf(stderr, "pcapcheck: %s: not a host-order pcap (magic %08x)\n", path, magic);
		goto fail;
	}
	f->off = malloc(sizeof(*f->off) * (f->len / REC_HDR + 1));
	if (!f->off) {
		fprintf(stderr, "pcapcheck: out of memory\n");
		goto fail;
	}
	f->whole = PCAP_HDR;
	while (f->whole + REC_HDR <= f->len) {
		uint32_t caplen = rd32(f->data + f->whole + 8);
		if (caplen > 262144 || f->whole + REC_HDR + caplen > f->len)
			break;
		f->off[n++] = f->whole;
		f->whole += REC_HDR + caplen;
	}
	f->nrecs = n;
	return 0;
fail:
	free(f->data);
	f->data = NULL;
	return -1;
}

/* What load() allocated; a failed or never loaded (zeroed) file is fine too. */
static void unload(struct pfile *f)
{
	free(f->data);
	free(f->off);
	memset(f, 0, sizeof(*f));
}

static size_t rec_len(const struct pfile *f, size_t i)
{
	return REC_HDR + rd32(f->data + f->off[i] + 8);
}

static int cmp_ts(const uint8_t *a, const uint8_t *b)
{
	uint32_t sa = rd32(a), sb = rd32(b), fa = rd32(a + 4), fb = rd32(b + 4);

	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (fa != fb)
		return fa < fb ? -1 : 1;
	return 0;
}

/* count FILE: whole records; "partial N" on stderr when bytes trail them. */
static int cmd_count(const char *path)
{
	struct pfile f;

	int rc;

	if (load(path, &f))
		return 2;
	printf("%zu\n", f.nrecs);
	if (f.whole != f.len)
		fprintf(stderr, "partial %zu\n", f.len - f.whole);
	rc = f.whole == f.len ? 0 : 1;
	unload(&f);
	return rc;
}

/* ordered FILE...: time stamps never go backwards, within each file and from one file to the next. */
static int cmd_ordered(int argc, char **argv)
{
	uint8_t last[8];
	bool have_last = false;

	for (int a = 0; a < argc; a++) {
		struct pfile f;

		if (load(argv[a], &f))
			return 2;
		for (size_t i = 0; i < f.nrecs; i++) {
			if (have_last && cmp_ts(last, f.data + f.off[i]) > 0) {
				fprintf(stderr, "pcapcheck: %s: record %zu goes back in time\n", argv[a], i);
				unload(&f);
				return 1;
			}
			memcpy(last, f.data + f.off[i], sizeof(last));
			have_last = true;
		}
		unload(&f);
	}
	return 0;
}

/* stamps FILE: one "sec.frac" line per whole record. */
static int cmd_stamps(const char *path)
{
	struct pfile f;

	if (load(path, &f))
		return 2;
	for (size_t i = 0; i < f.nrecs; i++)
		printf("%u.%u\n", rd32(f.data + f.off[i]), rd32(f.data + f.off[i] + 4));
	unload(&f);
	return 0;
}

struct recref {
	const uint8_t *p;
	size_t len;
};

static int cmp_rec(const void *x, const void *y)
{
	const struct recref *a = x, *b = y;
	int c = cmp_ts(a->p, b->p);

	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->p, b->p, a->len);
}

static struct recref *collect(struct pfile *fs, int n, size_t *count)
{
	size_t total = 0, k = 0;
	struct recref *r;

	for (int i = 0; i < n; i++)
		total += fs[i].nrecs;
	r = malloc(sizeof(*r) * (total + 1));
	if (!r)
		return NULL;
	for (int i = 0; i < n; i++)
		for (size_t j = 0; j < fs[i].nrecs; j++) {
			r[k].p = fs[i].data + fs[i].off[j];
			r[k++].len = rec_len(&fs[i], j);
		}
	qsort(r, total, sizeof(*r), cmp_rec);
	*count = total;
	return r;
}

/* union OUT... -- IN...: the outputs' records are exactly the inputs' (as multisets). */
static int cmd_union(int argc, char **argv)
{
	int sep = -1, rc = 2;
	struct pfile *fs = calloc((size_t)argc + 1, sizeof(*fs));
	struct recref *a = NULL, *b = NULL;
	size_t na, nb;

	if (!fs)
		return 2;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			sep = i;
			continue;
		}
		if (load(argv[i], &fs[i]))
			goto out;
	}
	if (sep < 1 || sep == argc - 1) {
		fprintf(stderr, "pcapcheck: union OUT... -- IN...\n");
		goto out;
	}
	a = collect(fs, sep, &na);
	b = collect(fs + sep + 1, argc - sep - 1, &nb);
	if (!a || !b)
		goto out;
	rc = 1;
	if (na != nb) {
		fprintf(stderr, "pcapcheck: outputs hold %zu records, inputs %zu\n", na, nb);
		goto out;
	}
	for (size_t i = 0; i < na; i++)
		if (cmp_rec(&a[i], &b[i])) {
			fprintf(stderr, "pcapcheck: record sets differ (sorted position %zu)\n", i);
			goto out;
		}
	printf("%zu\n", na);
	rc = 0;
out:
	free(a);
	free(b);
	for (int i = 0; i < argc; i++)
		unload(&fs[i]);
	free(fs);
	return rc;
}

/*
 * prefix CUT ORIG: CUT's header and every whole record equal ORIG's first
 * ones, byte for byte, and trailing bytes (a cut record) match ORIG too.
 * Prints the number of whole records.
 */
static int cmd_prefix(const char *cut, const char *orig)
{
	struct pfile c, o;
	int rc = 1;

	if (load(cut, &c))
		return 2;
	if (load(orig, &o)) {
		unload(&c);
		return 2;
	}
	if (c.len > o.len) {
		fprintf(stderr, "pcapcheck: %s is longer than %s\n", cut, orig);
		goto out;
	}
	/* The header's snaplen may legitimately differ only if the run truncated; these runs do not. */
	if (memcmp(c.data, o.data, c.len)) {
		for (size_t i = 0; i < c.len; i++)
			if (c.data[i] != o.data[i]) {
				fprintf(stderr, "pcapcheck: %s differs from %s at byte %zu\n", cut, orig, i);
				break;
			}
		goto out;
	}
	printf("%zu\n", c.nrecs);
	rc = 0;
out:
	unload(&c);
	unload(&o);
	return rc;
}

/* slowcat BYTES_PER_SEC FILE: copy FILE to stdout in 64 KiB pieces at about that rate. */
static int cmd_slowcat(const char *rate_s, const char *path)
{
	double rate = strtod(rate_s, NULL);
	FILE *in = fopen(path, "rb");
	uint8_t buf[65536];
	size_t n;

	if (!in || !(rate > 0)) {
		fprintf(stderr, "pcapcheck: slowcat RATE FILE\n");
		if (in)
			fclose(in);
		return 2;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		double secs = (double)n / rate;
		struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };

		if (fwrite(buf, 1, n, stdout) != n || fflush(stdout)) {
			fclose(in);
			return 1; /* the reader went away: that is how these feeds end */
		}
		nanosleep(&ts, NULL);
	}
	fclose(in);
	return 0;
}

/*
 * hog FILE BYTES SECONDS: another writer on the same disk. Appends a fixed
 * pattern (byte i of the file is "other writer\n"[i % 13]) to FILE until it
 * holds BYTES, taking any space that comes free at once (a full disk is
 * retried every 100 us), for at most SECONDS. Prints the size reached; 0
 * when it got all of BYTES.
 */
static int cmd_hog(const char *path, const char *bytes_s, const char *secs_s)
{
	static const char pat[] = "other writer\n";
	unsigned long long want = strtoull(bytes_s, NULL, 10), have = 0;
	double secs = strtod(secs_s, NULL);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct timespec t0, now, pause = { 0, 100000 };
	uint8_t buf[13 * 5041]; /* a whole number of patterns: every write starts at pattern offset 0 */

	if (fd < 0 || !want || !(secs > 0)) {
		fprintf(stderr, "pcapcheck: hog FILE BYTES SECONDS\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)pat[i % 13];
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (have < want) {
		size_t off = (size_t)(have % sizeof(buf)), n = sizeof(buf) - off;
		ssize_t w;

		if (n > want - have)
			n = (size_t)(want - have);
		w = write(fd, buf + off, n);
		if (w > 0) {
			have += (unsigned long long)w;
			continue;
		}
		if (w < 0 && errno != ENOSPC && errno != EINTR) {
			perror(path);
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9 > secs)
			break;
		nanosleep(&pause, NULL);
	}
	close(fd);
	printf("%llu\n", have);
	return have == want ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "count"))
		return cmd_count(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "ordered"))
		return cmd_ordered(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "stamps"))
		return cmd_stamps(argv[2]);
	if (argc >= 5 && !strcmp(argv[1], "union"))
		return cmd_union(argc - 2, argv + 2);
	if (argc == 4 && !strcmp(argv[1], "prefix"))
		return cmd_prefix(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "slowcat"))
		return cmd_slowcat(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "hog"))
		return cmd_hog(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: pcapcheck count FILE | ordered FILE... | stamps FILE | union OUT... -- IN... |\n"
			"                 prefix CUT ORIG | slowcat BYTES_PER_SEC FILE | hog FILE BYTES SECONDS\n");
	return 2;
}
