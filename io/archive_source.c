/* The archive reader: expand, select by index, chain files in time order, bound packets by time. */
#include "io/archive_source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "io/file_source.h"
#include "io/instream.h"
#include "filters/prefilter.h"

#define LZ4_MAGIC 0x184D2204u

/* One capture file of the archive and what will be read of it. */
struct item {
	char *path;
	bool lz4;
	bool whole; /* read it all (no index, or every segment selected) */
	bool indexed;
	int64_t lo, hi; /* its packets' time range (indexed files) */
	struct archive_segment *seg;
	unsigned nseg;
};

/* Files whose time ranges follow each other, read in turn as one source. */
struct chain {
	struct source src;
	struct item *items; /* owned */
	unsigned nitems, next;
	struct source *cur;
	bool fresh;	    /* cur was just opened: its first packet must not go back in time */
	int64_t last_ns;    /* the latest packet of the files before cur */
	int64_t cur_max_ns; /* the latest packet of cur so far */
	bool has_since, has_until;
	int64_t since_ns, until_ns;
};

bool archive_is_dir(const char *path)
{
	struct stat st;

	return strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int archive_index_load(const char *path, struct archive_index *idx, char *errbuf)
{
	char side[4096 + 16];
	struct stat st, ist;
	uint8_t *buf;
	int fd, rc;

	snprintf(side, sizeof(side), "%s%s", path, INDEX_SIDECAR_SUFFIX);
	fd = open(side, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", strerror(errno));
		return -EBADMSG;
	}
	if (fstat(fd, &ist) < 0 || !S_ISREG(ist.st_mode) || ist.st_size > (off_t)1 << 31 || stat(path, &st) < 0) {
		close(fd);
		snprintf(errbuf, TD_ERRBUF_SIZE, "not a readable index");
		return -EBADMSG;
	}
	buf = malloc((size_t)ist.st_size + 1);
	if (!buf || read(fd, buf, (size_t)ist.st_size) != ist.st_size) {
		free(buf);
		close(fd);
		snprintf(errbuf, TD_ERRBUF_SIZE, "cannot read the index");
		return -EBADMSG;
	}
	close(fd);
	rc = archive_index_decode(buf, (size_t)ist.st_size, idx, errbuf);
	free(buf);
	if (rc == 0 && idx->data_bytes != (uint64_t)st.st_size) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "the index covers %llu bytes, the file has %llu",
			 (unsigned long long)idx->data_bytes, (unsigned long long)st.st_size);
		archive_index_free(idx);
		rc = -EBADMSG;
	}
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Capture files of a directory, by name: hidden files, indexes and temporaries are not captures. */
static int list_dir(const char *dir, char ***out, unsigned *n, unsigned *cap, char *errbuf)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned first = *n;

	if (!d) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		char path[4096];
		struct stat st;

		if (de->d_name[0] == '.' || ends_with(de->d_name, INDEX_SIDECAR_SUFFIX) ||
		    ends_with(de->d_name, ".tmp"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (*n == *cap) {
			char **grown = realloc(*out, (*cap ? *cap * 2 : 64) * sizeof(char *));
			if (!grown)
				break;
			*out = grown;
			*cap = *cap ? *cap * 2 : 64;
		}
		(*out)[(*n)++] = strdup(path);
	}
	closedir(d);
	qsort(*out + first, *n - first, sizeof(char *), cmp_str);
	for (unsigned i = first; i < *n; i++)
		if (!(*out)[i]) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
			return -ENOMEM;
		}
	if (*n == first) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: no capture files in it", dir);
		return -ENOENT;
	}
	return 0;
}

static bool file_is_lz4(const char *path)
{
	uint8_t m[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool lz4 = false;

	if (fd >= 0) {
		lz4 = read(fd, m, 4) == 4 &&
		      ((uint32_t)m[0] | (uint32_t)m[1] << 8 | (uint32_t)m[2] << 16 | (uint32_t)m[3] << 24) == LZ4_MAGIC;
		close(fd);
	}
	return lz4;
}

static bool overlaps(const struct archive_params *ap, int64_t lo, int64_t hi)
{
	return (!ap->has_since || hi >= ap->since_ns) && (!ap->has_until || lo < ap->until_ns);
}

static void note_drops(struct archive_report *rep, const struct index_entry *e)
{
	if (!e->ring_drops && !e->backend_drops)
		return;
	if (!rep->ring_drops && !rep->backend_drops) {
		rep->drops_from_ns = e->min_ns;
		rep->drops_to_ns = e->max_ns;
	}
	if (e->min_ns < rep->drops_from_ns)
		rep->drops_from_ns = e->min_ns;
	if (e->max_ns > rep->drops_to_ns)
		rep->drops_to_ns = e->max_ns;
	rep->ring_drops += e->ring_drops;
	rep->backend_drops += e->backend_drops;
}

static int64_t pkt_ns(enum ts_precision prec, const struct td_pkt *p)
{
	return p->ts_sec * 1000000000 + (int64_t)p->ts_frac * (prec == TS_NANO ? 1 : 1000);
}

/* A file without an index: where it starts in time (its first packet; INT64_MIN when it has none). */
static int64_t first_packet_ns(const struct archive_params *ap, const char *path)
{
	char errbuf[TD_ERRBUF_SIZE];
	struct source *src = file_source_open_stoppable(path, ap->want, 0, ap->stop_fd, errbuf);
	struct td_pkt pkt;
	int64_t ns = INT64_MIN;
	int n = 0;

	if (!src)
		return ns;
	for (int tries = 0; tries < 64 && (n = source_rx_burst(src, &pkt, 1)) == 0; tries++)
		;
	if (n > 0)
		ns = pkt_ns(ap->want, &pkt);
	source_close(src);
	return ns;
}

/*
 * With --since/--until, the 56-byte head of a file's index (version 2)
 * tells whether the file lies wholly outside the window: then neither the
 * rest of the index nor the file is read, so an extraction from a long
 * archive reads a few bytes a file beside the files it needs. The head
 * carries its own checksum and the size of the file it covers; anything
 * else (no index, version 1, damage, another size) goes the long way.
 */
static bool head_rules_out(const struct archive_params *ap, struct item *it, struct archive_report *rep)
{
	char side[4096 + 16];
	uint8_t buf[INDEX_HEAD_V2_BYTES];
	struct archive_index_head h;
	struct stat st;
	ssize_t got;
	int fd;

	if (!ap->use_index || !(ap->has_since || ap->has_until))
		return false;
	snprintf(side, sizeof(side), "%s%s", it->path, INDEX_SIDECAR_SUFFIX);
	fd = open(side, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return false;
	got = read(fd, buf, sizeof(buf));
	close(fd);
	if (got != (ssize_t)sizeof(buf) || archive_index_head(buf, sizeof(buf), &h) != 0)
		return false;
	if (h.min_ns > h.max_ns || overlaps(ap, h.min_ns, h.max_ns))
		return false;
	if (stat(it->path, &st) < 0 || h.data_bytes != (uint64_t)st.st_size)
		return false;
	it->indexed = true;
	it->whole = false;
	it->lz4 = file_is_lz4(it->path);
	it->lo = h.min_ns;
	it->hi = h.max_ns;
	it->seg = calloc(1, sizeof(*it->seg));
	if (!it->seg) {
		it->indexed = false;
		return false;
	}
	rep->segments += h.nentries;
	return true;
}

/*
 * What to read of one file: with an index, the segments that overlap the
 * window and that the filter may match; without one, all of it (with a
 * warning when the index would have helped). Returns 0, or 1 when nothing
 * of the file is needed.
 */
static int select_item(const struct archive_params *ap, const struct prefilter *pf, struct item *it,
		       struct archive_report *rep)
{
	struct archive_index idx;
	unsigned total = 0;
	char why[TD_ERRBUF_SIZE];
	int rc;
	bool pruning = ap->has_since || ap->has_until || pf;

	if (head_rules_out(ap, it, rep))
		return 1;
	rc = ap->use_index ? archive_index_load(it->path, &idx, why) : -ENOENT;
	it->whole = true;
	if (rc < 0) {
		it->lo = first_packet_ns(ap, it->path);
		it->hi = it->lo; /* unknown: the chain checks the order as it reads */
		rep->files_unindexed++;
		if (rc == -EBADMSG)
			fprintf(stderr, "tapdump: warning: %s%s: %s; reading all of %s\n", it->path,
				INDEX_SIDECAR_SUFFIX, why, it->path);
		else if (ap->use_index && pruning && ap->verbose)
			fprintf(stderr, "tapdump: %s: no index; reading all of it (tapdump --index makes one)\n",
				it->path);
		return 0;
	}
	it->indexed = true;
	it->lz4 = file_is_lz4(it->path);
	it->lo = INT64_MAX;
	it->hi = INT64_MIN;
	it->seg = calloc(idx.nentries ? idx.nentries : 1, sizeof(*it->seg));
	if (!it->seg) {
		archive_index_free(&idx);
		it->indexed = false;
		return 0;
	}
	for (uint32_t i = 0; i < idx.nentries; i++) {
		const struct index_entry *e = &idx.e[i];

		if (!e->count)
			continue;
		total++;
		if (e->min_ns < it->lo)
			it->lo = e->min_ns;
		if (e->max_ns > it->hi)
			it->hi = e->max_ns;
		rep->segments++;
		if (!overlaps(ap, e->min_ns, e->max_ns))
			continue;
		note_drops(rep, e);
		if (!prefilter_maybe(pf, e))
			continue;
		it->seg[it->nseg++] = (struct archive_segment){ e->file_off, e->skip, e->raw_len };
	}
	rep->segments_read += it->nseg;
	/* Everything selected: the plain reader, which also checks the frame's checksum. */
	it->whole = it->nseg == total;
	archive_index_free(&idx);
	return it->nseg ? 0 : 1;
}

static void item_free(struct item *it)
{
	free(it->path);
	free(it->seg);
}

static struct source *open_item(const struct chain *c, const struct item *it, char *errbuf)
{
	struct instream *in;

	if (it->whole || !it->indexed)
		return file_source_open_stoppable(it->path, c->src.tsprec, 0, c->src.stop_fd, errbuf);
	in = archive_segments_open(it->path, it->lz4, it->seg, it->nseg, errbuf);
	if (!in)
		return NULL;
	return file_source_open_stream(in, it->path, c->src.tsprec, c->src.stop_fd, errbuf);
}

/* Only [since, until) leaves the source: exact to the packet, whatever the index said. */
static unsigned keep_window(const struct chain *c, struct td_pkt *pkts, unsigned n)
{
	unsigned k = 0;
	int64_t scale = c->src.tsprec == TS_NANO ? 1 : 1000;

	for (unsigned i = 0; i < n; i++) {
		int64_t ns = pkts[i].ts_sec * 1000000000 + (int64_t)pkts[i].ts_frac * scale;

		if ((c->has_since && ns < c->since_ns) || (c->has_until && ns >= c->until_ns))
			continue;
		pkts[k++] = pkts[i];
	}
	return k;
}

static int chain_rx_burst(struct source *src, struct td_pkt *pkts, unsigned max)
{
	struct chain *c = (struct chain *)src;

	for (;;) {
		int n;

		if (!c->cur) {
			char errbuf[TD_ERRBUF_SIZE];

			if (c->next == c->nitems)
				return -ENODATA;
			c->cur = open_item(c, &c->items[c->next], errbuf);
			if (!c->cur) {
				snprintf(src->errbuf, TD_ERRBUF_SIZE, "%s", errbuf);
				return errno == ECANCELED ? -ECANCELED : -EIO;
			}
			c->next++;
			c->fresh = true;
			c->last_ns = c->cur_max_ns > c->last_ns ? c->cur_max_ns : c->last_ns;
			if (c->cur->linktype != src->linktype) {
				snprintf(src->errbuf, TD_ERRBUF_SIZE,
					 "%s: link-type %d differs from the first input's %d; merge them separately",
					 c->cur->name, c->cur->linktype, src->linktype);
				return -EINVAL;
			}
		}
		/* The engine replaces the stop fd after opening: every wait must see the current one. */
		c->cur->stop_fd = src->stop_fd;
		n = source_rx_burst(c->cur, pkts, max);
		if (n == -ENODATA) {
			source_close(c->cur);
			c->cur = NULL;
			continue;
		}
		if (n < 0) {
			snprintf(src->errbuf, TD_ERRBUF_SIZE, "%s", c->cur->errbuf);
			return n;
		}
		/*
		 * Files without an index are chained by their first packet: one
		 * that starts before the previous one ended would come out of
		 * order, so it ends the read instead.
		 */
		if (n > 0 && c->fresh && c->next > 1 && pkt_ns(src->tsprec, &pkts[0]) < c->last_ns) {
			snprintf(src->errbuf, TD_ERRBUF_SIZE,
				 "%s starts before the file read before it ends: files that overlap in time are merged "
				 "only with an index (tapdump --index)",
				 c->cur->name);
			return -EINVAL;
		}
		if (n > 0)
			c->fresh = false;
		for (int i = 0; i < n; i++)
			if (pkt_ns(src->tsprec, &pkts[i]) > c->cur_max_ns)
				c->cur_max_ns = pkt_ns(src->tsprec, &pkts[i]);
		if (!c->has_since && !c->has_until)
			return n;
		return (int)keep_window(c, pkts, (unsigned)n);
	}
}

static void chain_close(struct source *src)
{
	struct chain *c = (struct chain *)src;

	if (c->cur)
		source_close(c->cur);
	for (unsigned i = 0; i < c->nitems; i++)
		item_free(&c->items[i]);
	free(c->items);
	free(c);
}

static const struct source_ops chain_ops = {
	.rx_burst = chain_rx_burst,
	.close = chain_close,
};

static int cmp_lo(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* A chain source over items[0..n) (taken over), its first file opened for the link type and snaplen. */
static struct source *chain_new(const struct archive_params *ap, struct item *items, unsigned n, char *errbuf)
{
	struct chain *c = calloc(1, sizeof(*c));

	if (!c) {
		for (unsigned i = 0; i < n; i++)
			item_free(&items[i]);
		free(items);
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	source_init(&c->src, &chain_ops);
	c->items = items;
	c->nitems = n;
	c->has_since = ap->has_since;
	c->has_until = ap->has_until;
	c->since_ns = ap->since_ns;
	c->until_ns = ap->until_ns;
	c->src.tsprec = ap->want;
	c->src.stop_fd = ap->stop_fd;
	c->cur = open_item(c, &items[0], errbuf);
	if (!c->cur) {
		int e = errno;
		chain_close(&c->src);
		errno = e;
		return NULL;
	}
	c->next = 1;
	c->last_ns = c->cur_max_ns = INT64_MIN;
	snprintf(c->src.name, sizeof(c->src.name), "%s", c->cur->name);
	c->src.linktype = c->cur->linktype;
	c->src.linktype_ext = c->cur->linktype_ext;
	c->src.snaplen = c->cur->snaplen;
	c->src.live = false;
	return &c->src;
}

/* Expand the -r arguments into items. */
static int gather(const struct archive_params *ap, char ***paths, unsigned *n, char *errbuf)
{
	unsigned cap = 0;
	int rc;

	*paths = NULL;
	*n = 0;
	for (unsigned i = 0; i < ap->npaths; i++) {
		if (archive_is_dir(ap->paths[i])) {
			if ((rc = list_dir(ap->paths[i], paths, n, &cap, errbuf)))
				return rc;
			continue;
		}
		if (*n == cap) {
			char **grown = realloc(*paths, (cap ? cap * 2 : 64) * sizeof(char *));
			if (!grown)
				return -ENOMEM;
			*paths = grown;
			cap = cap ? cap * 2 : 64;
		}
		if (!((*paths)[(*n)++] = strdup(ap->paths[i])))
			return -ENOMEM;
	}
	return 0;
}

int archive_open(const struct archive_params *ap, struct source **srcs, unsigned max, unsigned *n,
		 struct archive_report *rep, char *errbuf)
{
	struct prefilter *pf = ap->use_index ? prefilter_compile(ap->expression) : NULL;
	char **paths = NULL;
	unsigned npaths = 0, nitems = 0;
	struct item *items = NULL;
	int rc;

	memset(rep, 0, sizeof(*rep));
	*n = 0;
	rc = gather(ap, &paths, &npaths, errbuf);
	if (rc == -ENOMEM)
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
	if (rc == 0 && !(items = calloc(npaths ? npaths : 1, sizeof(*items)))) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		rc = -ENOMEM;
	}
	for (unsigned i = 0; rc == 0 && i < npaths; i++) {
		struct item it = { .path = paths[i] };

		paths[i] = NULL;
		rep->files++;
		if (select_item(ap, pf, &it, rep) == 1) {
			rep->files_skipped++;
			/* Nothing selected anywhere: the first file still gives the header (an empty extract is a capture). */
			if (!nitems && !items[0].path)
				items[0] = it;
			else
				item_free(&it);
			continue;
		}
		if (nitems == 0 && items[0].path)
			item_free(&items[0]);
		items[nitems++] = it;
	}
	if (rc == 0 && !nitems && items && items[0].path)
		nitems = 1;
	for (unsigned i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	prefilter_free(pf);
	if (rc)
		goto fail;
	/*
	 * Indexed files go into chains, each a run of files that do not overlap
	 * in time (one writer's series is a single chain). A file without an
	 * index is known only by its first packet: a few are sources of their
	 * own, merged exactly; more than the engine takes are chained on their
	 * first packets, and the chain checks as it reads that none overlap.
	 */
	qsort(items, nitems, sizeof(*items), cmp_lo);
	{
		struct item *taken = items;
		/* Few files without an index: each its own source, merged exactly; many: chained (and checked). */
		bool chain_all = rep->files_unindexed + 8 > max;
		bool *used = calloc(nitems ? nitems : 1, sizeof(bool));

		if (!used) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
			rc = -ENOMEM;
			goto fail;
		}
		for (unsigned i = 0; i < nitems && rc == 0; i++) {
			struct item *chain_items;
			unsigned k = 0;
			int64_t end;

			if (used[i])
				continue;
			if (*n == max) {
				snprintf(errbuf, TD_ERRBUF_SIZE,
					 "more than %u files overlap in time or have no index; "
					 "index them with tapdump --index or read fewer at once",
					 max);
				rc = -E2BIG;
				break;
			}
			chain_items = calloc(nitems - i, sizeof(*chain_items));
			if (!chain_items) {
				snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
				rc = -ENOMEM;
				break;
			}
			chain_items[k++] = taken[i];
			used[i] = true;
			end = taken[i].hi;
			for (unsigned j = i + 1;
			     taken[i].lo != INT64_MIN && (taken[i].indexed || chain_all) && j < nitems; j++) {
				if (used[j] || taken[j].lo < end || !(taken[j].indexed || chain_all))
					continue;
				chain_items[k++] = taken[j];
				used[j] = true;
				end = taken[j].hi;
			}
			srcs[*n] = chain_new(ap, chain_items, k, errbuf);
			if (!srcs[*n]) {
				rc = errno == ECANCELED ? -ECANCELED : -EIO;
				break;
			}
			(*n)++;
		}
		/* Items not handed to a chain yet (a failure above) are freed here. */
		for (unsigned i = 0; i < nitems; i++)
			if (!used[i])
				item_free(&items[i]);
		free(used);
		free(items);
		items = NULL;
		nitems = 0;
	}
	if (rc) {
		for (unsigned i = 0; i < *n; i++)
			source_close(srcs[i]);
		*n = 0;
	}
	return rc;
fail:
	for (unsigned i = 0; i < nitems; i++)
		item_free(&items[i]);
	free(items);
	return rc;
}
