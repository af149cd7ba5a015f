/* Disk-budget retention: find a series' files by name, order them by first packet, delete the oldest to fit. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <lz4.h>

#include "writers/archive_index.h"
#include "writers/retention.h"
#include "writers/sink.h"

int retention_parse_size(const char *s, struct retention_size *out)
{
	double v, mult = 1;
	char *end;

	/* strtod also takes "inf", "nan", signs, blanks and hex: none is a size. */
	if (!s || !(isdigit((unsigned char)*s) || *s == '.') || strpbrk(s, "xX"))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !(v > 0) || !isfinite(v))
		return -EINVAL;
	if (*end == '%') {
		if (end[1] || v > 100)
			return -EINVAL;
		out->bytes = 0;
		out->percent = v;
		return 0;
	}
	switch (tolower((unsigned char)*end)) {
	case 'k': mult = 1024.0; break;
	case 'm': mult = 1024.0 * 1024; break;
	case 'g': mult = 1024.0 * 1024 * 1024; break;
	case 't': mult = 1024.0 * 1024 * 1024 * 1024; break;
	}
	if (mult > 1) {
		end++;
		if (!strcasecmp(end, "b") || !strcasecmp(end, "ib"))
			end += strlen(end);
	} else if (v != floor(v)) {
		return -EINVAL; /* a fraction of a byte */
	} else if (*end == 'b' || *end == 'B') {
		end++;
	}
	if (*end || v * mult < 1 || v * mult >= 18446744073709551616.0)
		return -EINVAL;
	out->bytes = (uint64_t)(v * mult);
	out->percent = 0;
	return 0;
}

/* ---- names ---- */

static int add_token(struct name_matcher *m, struct name_token t, char *errbuf)
{
	if (m->ntok == NAME_MATCHER_MAX) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "-w pattern has too many fields to match");
		return -EINVAL;
	}
	m->tok[m->ntok++] = t;
	return 0;
}

/* Append literal text, joining it to a literal token just before. */
static int add_lit(struct name_matcher *m, size_t *used, const char *s, size_t n, char *errbuf)
{
	struct name_token *last = m->ntok ? &m->tok[m->ntok - 1] : NULL;

	if (*used + n >= sizeof(m->text)) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "-w pattern too long");
		return -EINVAL;
	}
	memcpy(m->text + *used, s, n);
	if (last && last->kind == TOK_LIT && last->lit + last->lit_len == m->text + *used) {
		last->lit_len += n;
	} else {
		struct name_token t = { .kind = TOK_LIT, .lit = m->text + *used, .lit_len = n };
		if (add_token(m, t, errbuf))
			return -EINVAL;
	}
	*used += n;
	return 0;
}

static int add_digits(struct name_matcher *m, unsigned min, unsigned max, char *errbuf)
{
	return add_token(m, (struct name_token){ .kind = TOK_DIGITS, .min = min, .max = max }, errbuf);
}

static int add_conversion(struct name_matcher *m, size_t *used, char c, char *errbuf);

/* A composite conversion (%F, %T, %R) spelled as its parts: letters are conversions, the rest literal. */
static int add_composite(struct name_matcher *m, size_t *used, const char *parts, char *errbuf)
{
	for (const char *p = parts; *p; p++) {
		int rc = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ? add_conversion(m, used, *p, errbuf)
									      : add_lit(m, used, p, 1, errbuf);
		if (rc)
			return -EINVAL;
	}
	return 0;
}

/* One strftime conversion as tokens: what glibc's strftime can write there (C locale fields). */
static int add_conversion(struct name_matcher *m, size_t *used, char c, char *errbuf)
{
	switch (c) {
	case 'C':
	case 'd':
	case 'g':
	case 'H':
	case 'I':
	case 'm':
	case 'M':
	case 'S':
	case 'U':
	case 'V':
	case 'W':
	case 'y': return add_digits(m, 2, 2, errbuf);
	case 'e':
	case 'k':
	case 'l': return add_token(m, (struct name_token){ .kind = TOK_SPACE_DIGITS, .min = 2, .max = 2 }, errbuf);
	case 'G':
	case 'Y': return add_digits(m, 4, 4, errbuf);
	case 'j': return add_digits(m, 3, 3, errbuf);
	case 'u':
	case 'w': return add_digits(m, 1, 1, errbuf);
	case 's': return add_digits(m, 1, 20, errbuf);
	case 'a':
	case 'A':
	case 'b':
	case 'B':
	case 'h':
	case 'p':
	case 'P':
	case 'Z': return add_token(m, (struct name_token){ .kind = TOK_ALPHA, .min = 1, .max = 32 }, errbuf);
	case 'z': return add_token(m, (struct name_token){ .kind = TOK_ZONE }, errbuf);
	case 'F': return add_composite(m, used, "Y-m-d", errbuf);
	case 'T': return add_composite(m, used, "H:M:S", errbuf);
	case 'R': return add_composite(m, used, "H:M", errbuf);
	case '%': return add_lit(m, used, "%", 1, errbuf);
	case 'n': return add_lit(m, used, "\n", 1, errbuf);
	case 't': return add_lit(m, used, "\t", 1, errbuf);
	default:
		snprintf(errbuf, TD_ERRBUF_SIZE,
			 "-w pattern: %%%c cannot be matched to find the series' files; use numeric fields such as "
			 "%%Y%%m%%d-%%H%%M%%S",
			 c ? c : ' ');
		return -EINVAL;
	}
}

int name_matcher_init(struct name_matcher *m, const char *base, bool time_based, bool with_index, unsigned width,
		      char *errbuf)
{
	size_t used = 0;

	memset(m, 0, sizeof(*m));
	m->with_index = with_index;
	m->width = width;
	if (!*base || strchr(base, '/')) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "-w pattern has no file name");
		return -EINVAL;
	}
	/* Without -G the name is used as written (rotate_name), % and all. */
	if (!time_based)
		return add_lit(m, &used, base, strlen(base), errbuf);
	for (const char *p = base; *p; p++) {
		int rc = *p == '%' ? add_conversion(m, &used, *++p, errbuf) : add_lit(m, &used, p, 1, errbuf);

		if (rc)
			return rc;
		if (!*p)
			break;
	}
	return 0;
}

/* The -C index at the end of a name: what rotate_name appends. */
static bool match_index(const struct name_matcher *m, const char *s, unsigned *index)
{
	size_t n = strspn(s, "0123456789");
	unsigned long v;

	if (s[n])
		return false;
	if (!m->with_index)
		return n == 0;
	if (m->width) {
		if (n != m->width)
			return false;
	} else if (n == 0) {
		v = 0;
		goto out;
	} else if (s[0] == '0' || n > 9) {
		return false; /* tcpdump writes no leading zero, and index 0 has no digits at all */
	}
	v = strtoul(s, NULL, 10);
out:
	if (index)
		*index = (unsigned)v;
	return true;
}

static bool match_from(const struct name_matcher *m, unsigned t, const char *s, unsigned *index)
{
	const struct name_token *k;
	unsigned n;

	if (t == m->ntok)
		return match_index(m, s, index);
	k = &m->tok[t];
	switch (k->kind) {
	case TOK_LIT: return !strncmp(s, k->lit, k->lit_len) && match_from(m, t + 1, s + k->lit_len, index);
	case TOK_SPACE_DIGITS:
		if (!(s[0] == ' ' || isdigit((unsigned char)s[0])) || !isdigit((unsigned char)s[1]))
			return false;
		return match_from(m, t + 1, s + 2, index);
	case TOK_ZONE:
		if ((s[0] != '+' && s[0] != '-') || strspn(s + 1, "0123456789") < 4)
			return false;
		return match_from(m, t + 1, s + 5, index);
	case TOK_DIGITS:
	case TOK_ALPHA:
		for (n = 0; n < k->max && s[n]; n++)
			if (k->kind == TOK_DIGITS ? !isdigit((unsigned char)s[n]) : !isalpha((unsigned char)s[n]))
				break;
		/* Longest first; fixed-width fields have one length. */
		for (; n >= k->min && n > 0; n--)
			if (match_from(m, t + 1, s + n, index))
				return true;
		return false;
	}
	return false;
}

bool name_matcher_match(const struct name_matcher *m, const char *name, unsigned *index)
{
	if (index)
		*index = 0;
	return match_from(m, 0, name, index);
}

/* ---- first packet ---- */

static uint32_t get32(const uint8_t *p, bool swapped)
{
	return swapped ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		       : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* 40 bytes: the pcap file header and the first record's header. */
static int64_t first_of_pcap(const uint8_t *h)
{
	uint32_t magic = get32(h, false);
	bool swapped = false, nano = false;

	switch (magic) {
	case 0xa1b2c3d4: break;
	case 0xa1b23c4d: nano = true; break;
	case 0xd4c3b2a1: swapped = true; break;
	case 0x4d3cb2a1: swapped = nano = true; break;
	default: return -1;
	}
	return (int64_t)get32(h + 24, swapped) * 1000000000 + (int64_t)get32(h + 28, swapped) * (nano ? 1 : 1000);
}

#define LZ4_MAGIC 0x184D2204u
#define LZ4_BLOCK_MAX (4u << 20)

/* The first 40 bytes inside the LZ4 frame at off: block by block (tapdump's header is a block of its own). */
static int64_t first_of_lz4(int fd, off_t off)
{
	uint8_t hdr[3], sz[4], out[40];
	size_t have = 0;
	uint8_t *buf = NULL, *dec = NULL;
	int64_t ret = -1;
	bool block_sum;

	if (pread(fd, hdr, 2, off) != 2)
		return -1;
	block_sum = hdr[0] & 0x10;
	off += 2 + ((hdr[0] & 0x08) ? 8 : 0) + ((hdr[0] & 0x01) ? 4 : 0) + 1;
	buf = malloc(LZ4_BLOCK_MAX);
	dec = malloc(LZ4_BLOCK_MAX);
	for (int blocks = 0; buf && dec && blocks < 16 && have < sizeof(out); blocks++) {
		uint32_t len;
		int n;

		if (pread(fd, sz, 4, off) != 4)
			break;
		len = get32(sz, false) & 0x7fffffff;
		if (len == 0 || len > LZ4_BLOCK_MAX || pread(fd, buf, len, off + 4) != (ssize_t)len)
			break;
		if (sz[3] & 0x80) {
			n = (int)len;
			memcpy(dec, buf, len);
		} else {
			n = LZ4_decompress_safe_partial((const char *)buf, (char *)dec, (int)len,
							(int)(sizeof(out) - have), LZ4_BLOCK_MAX);
		}
		if (n < 0)
			break;
		if ((size_t)n > sizeof(out) - have)
			n = (int)(sizeof(out) - have);
		memcpy(out + have, dec, (size_t)n);
		have += (size_t)n;
		off += 4 + len + (block_sum ? 4 : 0);
	}
	if (have == sizeof(out))
		ret = first_of_pcap(out);
	free(buf);
	free(dec);
	return ret;
}

int64_t retention_first_packet_ns(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	uint8_t h[40];
	int64_t ret = -1;
	off_t off = 0;

	if (fd < 0)
		return -1;
	/* Skippable frames (an index, say) may come first. */
	for (int i = 0; i < 4 && pread(fd, h, 8, off) == 8; i++) {
		uint32_t magic = get32(h, false);

		if ((magic & 0xfffffff0u) == 0x184D2A50u) {
			off += 8 + get32(h + 4, false);
			continue;
		}
		if (magic == LZ4_MAGIC)
			ret = first_of_lz4(fd, off + 4);
		else if (pread(fd, h, sizeof(h), off) == sizeof(h))
			ret = first_of_pcap(h);
		break;
	}
	close(fd);
	return ret;
}

/* ---- the series ---- */

struct entry {
	char *name; /* in the directory */
	uint64_t bytes;
	int64_t first_ns;
	unsigned index;
};

struct retention {
	struct retention_params p;
	struct name_matcher match;
	int dirfd;
	char prefix[4096]; /* the pattern's directory part as written ("" or ".../"), for hook paths */
	uint64_t budget, min_free;
	struct entry *e; /* oldest first */
	unsigned n, cap;
	uint64_t total; /* bytes of the closed files */
	unsigned next_index;
	struct retention_counters own_ctr; /* when the caller keeps none */
	/* retention_short's last look at the filesystem: free bytes then, less what was asked for since. */
	uint64_t est_avail, checked_at;
	bool checked;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->first_ns != y->first_ns)
		return x->first_ns < y->first_ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int push(struct retention *r, const char *name, uint64_t bytes, int64_t first_ns, unsigned index)
{
	if (r->n == r->cap) {
		unsigned cap = r->cap ? r->cap * 2 : 64;
		struct entry *e = realloc(r->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		r->e = e;
		r->cap = cap;
	}
	r->e[r->n].name = strdup(name);
	if (!r->e[r->n].name)
		return -ENOMEM;
	r->e[r->n].bytes = bytes;
	r->e[r->n].first_ns = first_ns;
	r->e[r->n].index = index;
	r->n++;
	r->total += bytes;
	return 0;
}

static void drop(struct retention *r, unsigned i)
{
	r->total -= r->e[i].bytes;
	free(r->e[i].name);
	memmove(&r->e[i], &r->e[i + 1], (r->n - i - 1) * sizeof(r->e[0]));
	r->n--;
}

static uint64_t fs_size(int dirfd, bool avail)
{
	struct statvfs v;

	if (fstatvfs(dirfd, &v) < 0)
		return avail ? UINT64_MAX : 0;
	return (uint64_t)(avail ? v.f_bavail : v.f_blocks) * v.f_frsize;
}

static uint64_t resolve(const struct retention *r, const struct retention_size *z)
{
	if (z->percent > 0)
		return (uint64_t)((double)fs_size(r->dirfd, false) * z->percent / 100.0);
	return z->bytes;
}

/* A file's archive index (NAME.tdidx) goes with it, and counts in the budget with it. */
static uint64_t index_bytes(const struct retention *r, const char *name)
{
	char side[NAME_MAX + 16];
	struct stat st;

	snprintf(side, sizeof(side), "%s%s", name, INDEX_SIDECAR_SUFFIX);
	if (fstatat(r->dirfd, side, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
		return 0;
	return (uint64_t)st.st_size;
}

/*
 * The index of a file of this series whose data is gone (a crash between
 * the two deletions, which take the index first): deleted. True for every
 * index name, so the scan never takes one for a capture.
 */
static bool orphan_index(const struct retention *r, const char *name)
{
	size_t n = strlen(name), m = strlen(INDEX_SIDECAR_SUFFIX);
	char stem[NAME_MAX + 1];
	struct stat st;
	unsigned index;

	if (n <= m || n - m > NAME_MAX || strcmp(name + n - m, INDEX_SIDECAR_SUFFIX))
		return false;
	memcpy(stem, name, n - m);
	stem[n - m] = 0;
	if (name_matcher_match(&r->match, stem, &index) && fstatat(r->dirfd, stem, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
	    errno == ENOENT && fstatat(r->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
		unlinkat(r->dirfd, name, 0);
	return true;
}

static int scan(struct retention *r)
{
	int fd = dup(r->dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	unsigned max_index = 0;
	bool any = false;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		unsigned index;
		int64_t first;

		if (orphan_index(r, de->d_name))
			continue;
		if (!name_matcher_match(&r->match, de->d_name, &index))
			continue;
		/* Only regular files: a link or a directory with a matching name is not ours. */
		if (fstatat(r->dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		first = retention_first_packet_ns(r->dirfd, de->d_name);
		if (first < 0)
			first = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
		if (push(r, de->d_name, (uint64_t)st.st_size + index_bytes(r, de->d_name), first, index)) {
			closedir(d);
			return -ENOMEM;
		}
		if (!any || index > max_index)
			max_index = index;
		any = true;
	}
	closedir(d);
	if (r->n) /* an empty series has no array at all */
		qsort(r->e, r->n, sizeof(r->e[0]), entry_cmp);
	r->next_index = any ? max_index + 1 : 0;
	return 0;
}

struct retention *retention_open(const struct retention_params *p, char *errbuf)
{
	struct retention *r = calloc(1, sizeof(*r));
	const char *slash = strrchr(p->pattern, '/');
	char dir[4096], err[TD_ERRBUF_SIZE];
	int rc;

	if (!r) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	r->p = *p;
	if (!r->p.ctr)
		r->p.ctr = &r->own_ctr;
	r->dirfd = -1;
	if (slash && (size_t)(slash - p->pattern) + 1 >= sizeof(dir)) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: name too long", p->pattern);
		rc = ENAMETOOLONG;
		goto fail;
	}
	snprintf(r->prefix, sizeof(r->prefix), "%.*s", slash ? (int)(slash - p->pattern) + 1 : 0, p->pattern);
	snprintf(dir, sizeof(dir), "%s", slash ? (slash == p->pattern ? "/" : r->prefix) : ".");
	/* The series lives in one directory: strftime fields there would make it many. */
	if (p->time_based && strchr(r->prefix, '%')) {
		snprintf(errbuf, TD_ERRBUF_SIZE,
			 "%s: --disk-budget and --min-free need a -w directory without strftime fields", p->pattern);
		rc = EINVAL;
		goto fail;
	}
	if (name_matcher_init(&r->match, slash ? slash + 1 : p->pattern, p->time_based, p->with_index, p->width, err)) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", err);
		rc = EINVAL;
		goto fail;
	}
	r->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->dirfd < 0) {
		rc = errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", dir, strerror(rc));
		goto fail;
	}
	r->budget = resolve(r, &p->budget) / (p->budget_share ? p->budget_share : 1);
	r->min_free = resolve(r, &p->min_free);
	if (retention_size_set(&p->budget) && !r->budget) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: --disk-budget comes to 0 bytes", dir);
		rc = EINVAL;
		goto fail;
	}
	if ((rc = -scan(r))) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", dir, strerror(rc));
		goto fail;
	}
	return r;
fail:
	retention_close(r);
	errno = rc;
	return NULL;
}

void retention_close(struct retention *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->n; i++)
		free(r->e[i].name);
	free(r->e);
	if (r->dirfd >= 0)
		close(r->dirfd);
	free(r);
}

unsigned retention_next_index(const struct retention *r)
{
	return r->next_index;
}

/* The entry for a path the series made (pattern's directory part + name), or -1. */
static int find(const struct retention *r, const char *path)
{
	size_t plen = strlen(r->prefix);

	if (strncmp(path, r->prefix, plen))
		return -1;
	for (unsigned i = 0; i < r->n; i++)
		if (!strcmp(r->e[i].name, path + plen))
			return (int)i;
	return -1;
}

void retention_forget(struct retention *r, const char *path)
{
	int i = find(r, path);

	if (i >= 0)
		drop(r, (unsigned)i);
}

void retention_add(struct retention *r, const char *path, uint64_t bytes, int64_t first_ns)
{
	size_t plen = strlen(r->prefix);
	unsigned at;

	retention_forget(r, path);
	if (strncmp(path, r->prefix, plen))
		return;
	bytes += index_bytes(r, path + plen);
	if (push(r, path + plen, bytes, first_ns < 0 ? now_ns() : first_ns, 0))
		return;
	/* Files close in time order: the new one almost always stays last. */
	for (at = r->n - 1; at > 0 && entry_cmp(&r->e[at - 1], &r->e[at]) > 0; at--) {
		struct entry t = r->e[at];
		r->e[at] = r->e[at - 1];
		r->e[at - 1] = t;
	}
}

static bool hook_running(const struct retention *r, const char *name)
{
	char path[8192];

	if (!r->p.hooks)
		return false;
	snprintf(path, sizeof(path), "%s%s", r->prefix, name);
	return hooks_busy(r->p.hooks, path);
}

/*
 * Far from full, the last look stands for a while (less what was asked for
 * since): a write per block then costs no fstatvfs. Another writer would
 * have to fill SHORT_SLACK within SHORT_RECHECK_NS to get past it, and a
 * failed write is then still reported as such.
 */
#define SHORT_SLACK (64ull << 20)
#define SHORT_RECHECK_NS 50000000ull

/*
 * A write that found the disk full frees this much beyond what it needs:
 * another writer is taking space as it comes, and the next writes of this
 * one should not each meet the full disk again.
 */
#define RECLAIM_SLACK (1ull << 20)

bool retention_short(struct retention *r, uint64_t room)
{
	struct timespec ts;
	uint64_t now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
	if (r->checked && now - r->checked_at < SHORT_RECHECK_NS && r->est_avail > room + r->min_free + SHORT_SLACK) {
		r->est_avail -= room;
		return false;
	}
	r->est_avail = fs_size(r->dirfd, true);
	r->checked_at = now;
	r->checked = true;
	return r->est_avail < room + r->min_free;
}

/*
 * Delete the oldest entry from *skip on whose hook is not running, index
 * first. 1: deleted (*avail, when checked, counts its blocks as free);
 * 0: it could not go or was gone already, try the next; -ENOSPC: nothing
 * deletable is left.
 */
static int delete_oldest(struct retention *r, unsigned *skip, uint64_t *avail)
{
	char side[NAME_MAX + 16];
	struct stat st;
	struct entry *e;

	while (*skip < r->n && hook_running(r, r->e[*skip].name))
		(*skip)++;
	if (*skip == r->n)
		return -ENOSPC;
	e = &r->e[*skip];
	if (fstatat(r->dirfd, e->name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
		drop(r, *skip); /* gone already (or replaced by something not ours): nothing to count */
		return 0;
	}
	/* The index first: a crash in between leaves a capture without an index, never an index without data. */
	snprintf(side, sizeof(side), "%s%s", e->name, INDEX_SIDECAR_SUFFIX);
	unlinkat(r->dirfd, side, 0);
	if (unlinkat(r->dirfd, e->name, 0) < 0 && errno != ENOENT) {
		fprintf(stderr, "tapdump: retention: cannot delete %s%s: %s\n", r->prefix, e->name, strerror(errno));
		(*skip)++;
		return 0;
	}
	counter_add(&r->p.ctr->files_deleted, 1);
	counter_add(&r->p.ctr->bytes_deleted, e->bytes);
	if (*avail != UINT64_MAX) {
		/*
		 * Space a reader still holds open comes back only when it
		 * closes: count the blocks as freed all the same, so one open
		 * file does not cost the series every file after it.
		 */
		uint64_t now = fs_size(r->dirfd, true), est = *avail + (uint64_t)st.st_blocks * 512;

		*avail = now > est ? now : est;
	}
	drop(r, *skip);
	return 1;
}

int retention_enforce(struct retention *r, uint64_t cur_bytes, uint64_t room)
{
	bool check_fs = r->min_free || room;
	uint64_t avail = check_fs ? fs_size(r->dirfd, true) : UINT64_MAX;
	unsigned skip = 0; /* entries kept this time (a hook still runs, or they would not go) */

	r->checked = false; /* deletions change what retention_short saw */
	for (;;) {
		bool over = r->budget && r->total + cur_bytes > r->budget;
		bool short_free = check_fs && avail < r->min_free + room;

		if (!over && !short_free)
			return 0;
		if (delete_oldest(r, &skip, &avail) == -ENOSPC)
			return check_fs && avail < room ? -ENOSPC : 0;
	}
}

int retention_reclaim(struct retention *r, uint64_t need)
{
	uint64_t avail = fs_size(r->dirfd, true);
	unsigned skip = 0;
	bool freed = false;

	r->checked = false;
	/* The disk said full a moment ago, whatever avail says now: at least one file goes. */
	while (!freed || avail < need + r->min_free + RECLAIM_SLACK) {
		int rc = delete_oldest(r, &skip, &avail);

		if (rc == -ENOSPC)
			break;
		freed |= rc > 0;
	}
	if (freed)
		counter_add(&r->p.ctr->disk_full, 1);
	return freed ? 0 : -ENOSPC;
}

unsigned retention_hook_held(const struct retention *r)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->n; i++)
		n += hook_running(r, r->e[i].name);
	return n;
}

void retention_publish(struct retention *r, uint64_t cur_bytes, int64_t cur_first_ns)
{
	int64_t oldest = r->n ? r->e[0].first_ns : cur_first_ns;

	counter_set(&r->p.ctr->series_bytes, r->total + cur_bytes);
	counter_set(&r->p.ctr->oldest_ns, oldest > 0 ? (uint64_t)oldest : 0);
}
