/* Output file series: tcpdump's -C/-G/-W naming and rotation rules, plus the fixes DESIGN.md lists. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "writers/pcapng_out.h"
#include "writers/record.h"
#include "writers/rotate.h"
#include "writers/series.h"

/* What one interface put in the file open now (or, before the first, lost): its ISB's counts. */
struct iface_counts {
	uint64_t packets, ring_drops, backend_drops;
};

/* Where a run of records ends in the sink's input, and how many records it holds. */
struct run_mark {
	uint64_t end;
	unsigned count;
};

#define RUN_QUEUE 256

struct series {
	struct series_params p;
	char *pattern; /* p.pattern points here: the caller's string may go */
	struct sink *cur;
	char name[4096];
	unsigned width;	 /* -W index digits */
	unsigned index;	 /* -C index within the slice (or overall without -G) */
	unsigned slices; /* -G files opened so far */
	bool have_slice;
	bool finished; /* -W with -G: the last file is closed, nothing more is written (-ECANCELED) */
	int64_t slice_start;
	struct file_report rep;
	/*
	 * Records handed to the sink but not yet known to be in the kernel
	 * (buffered, or inside a partial LZ4 block): they count as written only
	 * once they are, and as lost if a write fails first.
	 */
	struct run_mark queue[RUN_QUEUE];
	unsigned qhead, qlen;
	uint64_t pending;
	uint64_t durable_acc; /* became durable since the last series_take_durable */
	uint64_t lost_acc;    /* were pending when a write failed */
	int error;
	char errbuf[TD_ERRBUF_SIZE];
	struct retention *ret; /* NULL without --disk-budget / --min-free */
	bool no_room;	       /* retention found nothing more to delete for the last write */
	/* Per interface: drops noted before the first file opened, and what the open file holds. */
	struct iface_counts early[PCAPNG_MAX_IFACES], file[PCAPNG_MAX_IFACES];
	unsigned nifaces; /* pcapng: IDBs in every file; pcap: 1 */
	unsigned iface;	  /* the interface of the run being written */
	/*
	 * pcapng (p.pcapng set): the SHB and IDB that start every file, the
	 * scratch buffer runs become EPBs in, the drops the next EPB of each
	 * interface reports, and what the EPBs of the run not handed over yet
	 * add to its pcap bytes (for -C).
	 */
	uint8_t *ng_head, *ng_buf;
	size_t ng_head_len, ng_cap;
	uint64_t ng_dropcount[PCAPNG_MAX_IFACES], ng_extra;
	int64_t opened_ns; /* wall clock at the file's open: a live file's isb_starttime */
};

/* Beyond what a write hands the kernel: filesystem block rounding and the LZ4 frame's few bytes. */
#define ROOM_MARGIN (64u * 1024)

static uint64_t cur_disk_bytes(const struct series *s)
{
	return s->cur ? s->cur->bytes_on_disk : 0;
}

static int64_t cur_first_ns(const struct series *s)
{
	bool nano = s->p.header[0] == 0x4d || s->p.header[3] == 0x4d; /* 0xa1b23c4d, either byte order */

	if (!s->cur || !s->rep.packets)
		return -1;
	return (int64_t)s->rep.first_sec * 1000000000 + (int64_t)s->rep.first_frac * (nano ? 1 : 1000);
}

/*
 * Before up to `bytes` go to the kernel: if the disk may not hold them
 * (or would drop under --min-free), free the series' oldest closed files
 * first, so a full disk costs old files rather than new packets.
 */
static void make_room(struct series *s, uint64_t bytes)
{
	uint64_t room = bytes + bytes / 64 + ROOM_MARGIN;

	if (!s->ret)
		return;
	s->no_room = false;
	if (retention_short(s->ret, room))
		s->no_room = retention_enforce(s->ret, cur_disk_bytes(s), room) == -ENOSPC;
	retention_publish(s->ret, cur_disk_bytes(s), cur_first_ns(s));
}

/* Bytes the sink holds that a flush or close hands the kernel. */
static uint64_t buffered(const struct series *s)
{
	return s->cur ? s->cur->bytes_in - s->cur->bytes_durable : 0;
}

/*
 * sink_params.room: a write found the disk full (another writer took the
 * space make_room saw): the series' oldest closed files go, and the write
 * tries again. Only once none is left does the full disk end the run.
 */
static int reclaim(void *arg, uint64_t need)
{
	struct series *s = arg;
	int rc = retention_reclaim(s->ret, need + ROOM_MARGIN);

	s->no_room = rc == -ENOSPC;
	retention_publish(s->ret, cur_disk_bytes(s), cur_first_ns(s));
	return rc;
}

/* A write error with retention on says whether the series had anything left to give. */
static void explain_enospc(struct series *s, int rc)
{
	size_t n = strlen(s->errbuf);
	unsigned held;

	if (!sink_disk_full(-rc) || !s->ret)
		return;
	held = retention_hook_held(s->ret);
	if (!s->no_room)
		snprintf(s->errbuf + n, sizeof(s->errbuf) - n, "%s",
			 " (retention: the disk filled faster than old files could be deleted)");
	else if (held)
		snprintf(s->errbuf + n, sizeof(s->errbuf) - n,
			 " (retention: no closed file of this series left to delete; %u kept while their -z hook "
			 "runs)",
			 held);
	else
		snprintf(s->errbuf + n, sizeof(s->errbuf) - n, "%s",
			 " (retention: no closed file of this series left to delete)");
}

/* At start-up and after every close: the series back within its budget and min-free. */
static void enforce(struct series *s)
{
	if (!s->ret)
		return;
	retention_enforce(s->ret, cur_disk_bytes(s), 0);
	retention_publish(s->ret, cur_disk_bytes(s), cur_first_ns(s));
}

static int64_t slice_of(const struct series *s, int64_t t)
{
	if (s->p.align)
		return t - (t % (int64_t)s->p.rotate_seconds);
	return t;
}

/* Credit the runs that now lie wholly below the sink's durable mark. */
static void settle(struct series *s)
{
	while (s->qlen && s->queue[s->qhead].end <= s->cur->bytes_durable) {
		s->durable_acc += s->queue[s->qhead].count;
		s->pending -= s->queue[s->qhead].count;
		s->qhead = (s->qhead + 1) % RUN_QUEUE;
		s->qlen--;
	}
}

static void pending_done(struct series *s, bool durable)
{
	if (durable)
		s->durable_acc += s->pending;
	else
		s->lost_acc += s->pending;
	s->pending = 0;
	s->qlen = 0;
	s->qhead = 0;
}

static int64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * pcapng: the file's Interface Statistics Blocks, its last blocks, one per
 * interface. The counts are this file's and that interface's, not the
 * run's: isb_ifdrop the backend's (NIC, kernel) drops and isb_osdrop
 * tapdump's ring drops noted while it was open; isb_filteraccept the
 * packets the filter passed in that time (its EPBs plus the ring drops);
 * isb_ifrecv those plus the backend drops, so ifrecv = EPBs + ifdrop +
 * osdrop for every interface in every file. Packets the filter rejected
 * are not in isb_ifrecv (as in libpcap's ps_recv on Linux). A live file's
 * times are the wall clock at its open and close; a file made from -r
 * input has the first and last packets' times, or none.
 */
static int put_isb(struct series *s, unsigned iface)
{
	const struct iface_counts *c = &s->file[iface];
	bool nano = pcapng_header_nano(s->p.header);
	struct pcapng_isb st = {
		.iface = iface,
		.ifdrop = c->backend_drops,
		.osdrop = c->ring_drops,
		.filteraccept = c->packets + c->ring_drops,
		.ifrecv = c->packets + c->ring_drops + c->backend_drops,
	};
	uint8_t isb[PCAPNG_ISB_MAX];
	int rc;

	if (s->p.wall_clock) {
		st.have_times = true;
		st.start_ns = (uint64_t)s->opened_ns;
		st.end_ns = (uint64_t)wall_ns();
	} else if (s->rep.packets) {
		uint64_t mul = nano ? 1 : 1000;

		st.have_times = true;
		st.start_ns = (uint64_t)s->rep.first_sec * 1000000000 + (uint64_t)s->rep.first_frac * mul;
		st.end_ns = (uint64_t)s->rep.last_sec * 1000000000 + (uint64_t)s->rep.last_frac * mul;
	}
	rc = sink_write(s->cur, isb, pcapng_isb(isb, &st, nano));
	if (rc)
		snprintf(s->errbuf, sizeof(s->errbuf), "%s", s->cur->errbuf);
	return rc;
}

/*
 * The file header did not reach the disk (it was full): the file holds no
 * capture, and left there it would read as a damaged one. It goes, when it
 * is a regular file this series created; no record was counted in it.
 */
static void drop_headless(struct series *s)
{
	bool regular = s->cur->regular;
	uint64_t bytes;

	sink_close(s->cur, &bytes);
	s->cur = NULL;
	if (regular)
		unlink(s->name);
}

static int open_file(struct series *s)
{
	/* A nonzero index without -C comes from SIGHUP (series_rotate_now): tcpdump's -C numbering. */
	int rc = rotate_name(s->name, sizeof(s->name), s->p.pattern, s->p.rotate_seconds != 0, (time_t)s->slice_start,
			     s->p.rotate_bytes != 0 || s->index, s->index, s->width);

	if (rc) {
		snprintf(s->errbuf, sizeof(s->errbuf), "too many output files or filename is too long (> 4096)");
		return rc;
	}
	if (s->ret) {
		retention_forget(s->ret, s->name); /* O_TRUNC replaces it */
		make_room(s, s->ng_head ? s->ng_head_len : sizeof(s->p.header));
	}
	/* Creating the file and its first bytes can meet a full disk too: the series' oldest files make room. */
	while (!(s->cur = sink_open(s->name, &s->p.sink, s->errbuf)) && s->ret && sink_disk_full(errno) &&
	       reclaim(s, ROOM_MARGIN) == 0)
		;
	if (!s->cur) {
		rc = -errno;
		explain_enospc(s, rc);
		return rc;
	}
	memset(&s->rep, 0, sizeof(s->rep));
	s->rep.name = s->name;
	for (unsigned i = 0; i < s->nifaces; i++) {
		s->file[i] = s->early[i];
		s->rep.ring_drops += s->early[i].ring_drops;
		s->rep.backend_drops += s->early[i].backend_drops;
	}
	memset(s->early, 0, sizeof(s->early));
	s->opened_ns = wall_ns();
	/* The header goes to the kernel at once: a file cut short by a crash or a full disk is still a capture. */
	if (s->ng_head)
		rc = sink_write(s->cur, s->ng_head, s->ng_head_len);
	else
		rc = sink_write(s->cur, s->p.header, sizeof(s->p.header));
	if (rc == 0)
		rc = sink_flush(s->cur);
	if (rc) {
		snprintf(s->errbuf, sizeof(s->errbuf), "%s", s->cur->errbuf);
		explain_enospc(s, rc);
		drop_headless(s);
		return rc;
	}
	sink_note_drops(s->cur, s->rep.ring_drops, s->rep.backend_drops);
	return 0;
}

static int close_file(struct series *s, bool run_hook)
{
	int64_t first_ns;
	int rc, isb_rc = 0, flush_rc = 0;

	if (!s->cur)
		return 0;
	make_room(s, buffered(s) + (s->ng_head ? s->nifaces * PCAPNG_ISB_MAX : 0));
	first_ns = cur_first_ns(s);
	/* Every pcapng file closed in good order (rotation, exit, signal) ends with its counts. */
	for (unsigned i = 0; s->ng_head && !s->error && !isb_rc && i < s->nifaces; i++)
		isb_rc = put_isb(s, i);
	/* LZ4: the last gathered records go out as a block first (as the close would), so the report counts it. */
	if (s->p.sink.kind == SINK_LZ4) {
		flush_rc = sink_flush(s->cur);
		s->rep.lz4 = true;
		sink_lz4_tally(s->cur, &s->rep.lz4_blocks, &s->rep.lz4_accel_max);
	}
	rc = sink_close(s->cur, &s->rep.disk_bytes);
	if (flush_rc)
		rc = flush_rc;
	if (isb_rc)
		rc = isb_rc;
	pending_done(s, rc == 0);
	if (rc) {
		snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", s->name, strerror(-rc));
		explain_enospc(s, rc);
	}
	s->cur = NULL;
	s->rep.error = rc;
	if (s->p.on_close)
		s->p.on_close(s->p.arg, &s->rep);
	if (run_hook && s->p.hook_cmd && rc == 0) {
		char err[TD_ERRBUF_SIZE];
		if (hook_spawn(s->p.hooks, s->p.hook_cmd, s->name, err) < 0)
			fprintf(stderr, "tapdump: %s\n", err);
	}
	/* After the hook is queued: a file whose hook has yet to run is kept. */
	if (s->ret) {
		retention_add(s->ret, s->name, s->rep.disk_bytes, first_ns);
		enforce(s);
	}
	return rc;
}

struct series *series_open(const struct series_params *p, char *errbuf)
{
	struct series *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	s->p = *p;
	s->pattern = strdup(p->pattern);
	if (!s->pattern) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		free(s);
		return NULL;
	}
	s->p.pattern = s->pattern;
	if (p->pcapng && !(s->ng_head = pcapng_head_new(p->header, p->pcapng, &s->ng_head_len))) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		free(s->pattern);
		free(s);
		return NULL;
	}
	s->nifaces = p->pcapng && p->pcapng->nifaces ? p->pcapng->nifaces : 1;
	s->p.pcapng = NULL; /* the caller's names may go: they are in ng_head */
	s->width = p->rotate_bytes ? rotate_index_width(p->max_files) : 0;
	if (retention_size_set(&p->disk_budget) || retention_size_set(&p->min_free)) {
		struct retention_params rp = {
			.pattern = s->pattern,
			.time_based = p->rotate_seconds != 0,
			.with_index = p->rotate_bytes != 0,
			.width = s->width,
			.budget = p->disk_budget,
			.min_free = p->min_free,
			.budget_share = p->budget_share,
			.hooks = p->hook_cmd ? p->hooks : NULL,
			.ctr = p->retention_ctr,
		};

		s->ret = retention_open(&rp, errbuf);
		s->p.sink.room = reclaim;
		s->p.sink.room_arg = s;
		/* Retention tells the series' files by name and leaves links alone: writing through one would not. */
		s->p.sink.no_follow = true;
		if (!s->ret) {
			free(s->ng_head);
			free(s->pattern);
			free(s);
			return NULL;
		}
		/* -C alone names files by a count from 0: a restart goes on after the files already there. */
		if (p->rotate_bytes && !p->rotate_seconds && !p->max_files)
			s->index = retention_next_index(s->ret);
		/* Before the first file is opened, the earlier runs' files are brought within the budget. */
		enforce(s);
	}
	/* With -G on file input the first name comes from the first packet's time. */
	if (p->rotate_seconds && !p->wall_clock)
		return s;
	if (p->rotate_seconds) {
		s->slice_start = slice_of(s, time(NULL));
		s->have_slice = true;
		s->slices = 1;
	}
	if (open_file(s)) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", s->errbuf);
		if (s->ret)
			retention_close(s->ret);
		free(s->ng_head);
		free(s->pattern);
		free(s);
		return NULL;
	}
	return s;
}

/* Move to a new time slice; -W counts slices when -G is on (tcpdump stops after W files). */
static int next_slice(struct series *s, int64_t t)
{
	int rc;

	if (s->p.max_files && s->slices >= s->p.max_files) {
		rc = close_file(s, true);
		s->finished = true;
		return rc ? rc : -ECANCELED;
	}
	if ((rc = close_file(s, true)))
		return rc;
	s->slice_start = slice_of(s, t);
	s->have_slice = true;
	s->slices++;
	s->index = 0;
	return open_file(s);
}

/* -C: tcpdump checks before each packet whether the file has already passed the limit. */
static int next_size(struct series *s)
{
	int rc = close_file(s, true);

	if (rc)
		return rc;
	s->index++;
	if (s->p.max_files && !s->p.rotate_seconds && s->index >= s->p.max_files)
		s->index = 0;
	return open_file(s);
}

static uint64_t file_size(const struct series *s, uint64_t pending)
{
	/*
	 * The plain sink's bytes_in plus the run not yet handed over is
	 * pcap_dump_ftell's view (buffered bytes count). LZ4 counts the
	 * compressed bytes on disk, and what is not compressed yet at its full
	 * size: an upper bound, made exact by a flush before any rotation
	 * (series_write), so -C holds for the bytes on disk. pcapng counts
	 * the run at its EPBs' size.
	 */
	pending += s->ng_extra;
	if (s->p.sink.kind == SINK_LZ4)
		return s->cur->bytes_on_disk + (s->cur->bytes_in - s->cur->bytes_durable) + pending;
	return s->cur->bytes_in + pending;
}

/* pcapng: the run's records as EPBs in the scratch buffer, which *run and *len then describe. 0 or -ENOMEM. */
static int to_epbs(struct series *s, const uint8_t **run, size_t *len, unsigned count)
{
	size_t need = *len + (size_t)count * PCAPNG_EPB_EXTRA_MAX;

	if (need > s->ng_cap) {
		uint8_t *b = realloc(s->ng_buf, need);

		if (!b) {
			snprintf(s->errbuf, sizeof(s->errbuf), "%s: out of memory", s->name);
			return -ENOMEM;
		}
		s->ng_buf = b;
		s->ng_cap = need;
	}
	*len = pcapng_epbs(s->ng_buf, *run, *len, count, pcapng_header_nano(s->p.header), s->iface,
			   &s->ng_dropcount[s->iface]);
	*run = s->ng_buf;
	s->ng_extra = 0;
	return 0;
}

static int flush_run(struct series *s, const uint8_t *run, size_t len, unsigned count, const struct sink_packed *z)
{
	int rc = 0;

	if (!len)
		return 0;
	if (s->ng_head && (rc = to_epbs(s, &run, &len, count)))
		return rc;
	if (s->ng_head)
		z = NULL; /* the packed form is of the pcap records */
	make_room(s, buffered(s) + len);
	/* A full queue of marks: push everything to the kernel, which settles them all. */
	if (s->qlen == RUN_QUEUE && (rc = sink_flush(s->cur)) == 0)
		settle(s);
	if (rc == 0)
		rc = sink_write_packed(s->cur, run, len, z);
	if (rc == 0 && s->p.packet_buffered)
		rc = sink_flush(s->cur);
	if (rc) {
		snprintf(s->errbuf, sizeof(s->errbuf), "%s", s->cur->errbuf);
		explain_enospc(s, rc);
		pending_done(s, false);
		return rc;
	}
	s->queue[(s->qhead + s->qlen) % RUN_QUEUE] = (struct run_mark){ s->cur->bytes_in, count };
	s->qlen++;
	s->pending += count;
	settle(s);
	return 0;
}

/*
 * No rotation can fall inside the run: no -G by packet time, and the whole
 * run stays within -C (the size only grows along the run, so its end decides).
 */
bool series_run_fits(const struct series *s, size_t len)
{
	/* pcapng builds its EPBs record by record anyway: the walk costs nothing more, and -C needs their sizes. */
	if (!s->cur || s->error || (s->p.rotate_seconds && !s->p.wall_clock) || s->ng_head)
		return false;
	return !s->p.rotate_bytes || file_size(s, len) <= s->p.rotate_bytes;
}

/* Per-file report: first/last time stamps and counts, for count records in recs[0..len) ending with `last`. */
static void report_run(struct series *s, const uint8_t *recs, size_t len, unsigned count, const uint8_t *last)
{
	struct rec_hdr h;

	if (!s->rep.packets) {
		rec_hdr_read(recs, &h);
		s->rep.first_sec = h.ts_sec;
		s->rep.first_frac = h.ts_frac;
	}
	rec_hdr_read(last, &h);
	s->rep.last_sec = h.ts_sec;
	s->rep.last_frac = h.ts_frac;
	s->rep.packets += count;
	s->file[s->iface].packets += count;
	s->rep.pcap_bytes += len;
}

/*
 * -C before the record at p: has the file passed the limit? For LZ4 the
 * bound counts bytes not compressed yet at full size; once it passes the
 * limit, the run so far and the sink's gathered bytes are compressed and
 * written, and the exact size on disk decides (a file ends at most one
 * record over the limit, as tcpdump's do).
 */
static int size_passed(struct series *s, const uint8_t **run, const uint8_t *p, unsigned *run_count, unsigned *consumed,
		       bool *passed)
{
	int rc;

	*passed = file_size(s, (uint64_t)(p - *run)) > s->p.rotate_bytes;
	if (!*passed)
		return 0;
	if ((rc = flush_run(s, *run, (size_t)(p - *run), *run_count, NULL)))
		return rc;
	*consumed += *run_count;
	*run = p;
	*run_count = 0;
	if (s->p.sink.kind != SINK_LZ4)
		return 0;
	if (s->cur->bytes_in != s->cur->bytes_durable) {
		make_room(s, buffered(s));
		if ((rc = sink_flush(s->cur))) {
			snprintf(s->errbuf, sizeof(s->errbuf), "%s", s->cur->errbuf);
			explain_enospc(s, rc);
			pending_done(s, false);
			return rc;
		}
		settle(s);
	}
	*passed = file_size(s, 0) > s->p.rotate_bytes;
	return 0;
}

int series_write(struct series *s, const uint8_t *recs, size_t len, unsigned count, unsigned iface, const uint8_t *last,
		 const struct sink_packed *z, unsigned *consumed)
{
	struct rec_iter it = rec_iter_of(recs, len);
	const uint8_t *run = recs, *p;
	unsigned run_count = 0;
	struct rec_hdr h;
	int rc = 0;

	*consumed = 0;
	s->iface = iface < s->nifaces ? iface : 0;
	if (s->finished)
		return -ECANCELED;
	if (s->error)
		return s->error;
	/*
	 * The common case, one block into one file: the headers were written
	 * by another core, and walking them costs a cache miss each.
	 */
	if (last && count && series_run_fits(s, len)) {
		if ((rc = flush_run(s, recs, len, count, z)))
			goto fail;
		report_run(s, recs, len, count, last);
		*consumed = count;
		return 0;
	}
	for (unsigned i = 0; i < count && (p = rec_next(&it, &h)); i++) {
		if (s->p.rotate_seconds && !s->p.wall_clock) {
			int64_t t = (int64_t)h.ts_sec;
			if (!s->have_slice || t - s->slice_start >= (int64_t)s->p.rotate_seconds) {
				if ((rc = flush_run(s, run, (size_t)(p - run), run_count, NULL)))
					goto fail;
				*consumed += run_count;
				run = p;
				run_count = 0;
				rc = s->have_slice ? next_slice(s, t) : 0;
				if (!s->have_slice) {
					s->slice_start = slice_of(s, t);
					s->have_slice = true;
					s->slices = 1;
					rc = open_file(s);
				}
				if (rc)
					goto fail;
			}
		}
		if (s->p.rotate_bytes) {
			bool passed;

			if ((rc = size_passed(s, &run, p, &run_count, consumed, &passed)))
				goto fail;
			if (passed && (rc = next_size(s)))
				goto fail;
		}
		report_run(s, p, rec_bytes(&h), 1, p);
		if (s->ng_head)
			s->ng_extra += pcapng_epb_extra(h.caplen, !run_count && s->ng_dropcount[s->iface]);
		run_count++;
	}
	if ((rc = flush_run(s, run, (size_t)(it.p - run), run_count, NULL)))
		goto fail;
	*consumed += run_count;
	return 0;
fail:
	if (rc != -ECANCELED)
		s->error = rc;
	return rc;
}

void series_note_drops(struct series *s, unsigned iface, uint64_t ring, uint64_t backend)
{
	struct iface_counts *c;

	if (iface >= s->nifaces)
		iface = 0;
	s->ng_dropcount[iface] += ring + backend; /* pcapng: the interface's next EPB's epb_dropcount */
	c = s->cur ? &s->file[iface] : &s->early[iface];
	c->ring_drops += ring;
	c->backend_drops += backend;
	if (!s->cur)
		return;
	s->rep.ring_drops += ring;
	s->rep.backend_drops += backend;
	sink_note_drops(s->cur, ring, backend);
}

int series_tick(struct series *s, int64_t now_sec)
{
	int rc;

	if (s->finished)
		return -ECANCELED;
	if (!s->p.rotate_seconds || !s->p.wall_clock || s->error)
		return s->error;
	if (now_sec - s->slice_start < (int64_t)s->p.rotate_seconds)
		return 0;
	rc = next_slice(s, now_sec);
	if (rc && rc != -ECANCELED)
		s->error = rc;
	return rc;
}

void series_set_lz4_accel(struct series *s, int accel)
{
	s->p.sink.lz4_accel = accel;
	if (s->cur && s->p.sink.kind == SINK_LZ4)
		sink_lz4_set_accel(s->cur, accel);
}

int series_flush(struct series *s)
{
	int rc;

	if (!s->cur || s->error)
		return s->error;
	if (buffered(s))
		make_room(s, buffered(s));
	rc = sink_flush(s->cur);
	if (rc) {
		snprintf(s->errbuf, sizeof(s->errbuf), "%s", s->cur->errbuf);
		explain_enospc(s, rc);
		s->error = rc;
		pending_done(s, false);
	} else {
		settle(s);
	}
	return rc;
}

uint64_t series_take_durable(struct series *s)
{
	uint64_t n = s->durable_acc;

	s->durable_acc = 0;
	return n;
}

uint64_t series_take_lost(struct series *s)
{
	uint64_t n = s->lost_acc;

	s->lost_acc = 0;
	return n;
}

int series_close(struct series *s, char *errbuf, uint64_t *durable, uint64_t *lost)
{
	int rc;

	/* -G on file input with no packet at all: still leave one (empty) file, named by the clock. */
	if (!s->cur && !s->have_slice && !s->error) {
		s->slice_start = slice_of(s, time(NULL));
		s->have_slice = true;
		if ((rc = open_file(s)))
			s->error = rc;
	}
	rc = close_file(s, !s->error);
	if (!rc)
		rc = s->error;
	if (rc && errbuf)
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s", s->errbuf);
	pending_done(s, false); /* nothing is left pending after a close; anything still here was lost */
	if (durable)
		*durable = s->durable_acc;
	if (lost)
		*lost = s->lost_acc;
	if (s->ret)
		retention_close(s->ret);
	free(s->ng_head);
	free(s->ng_buf);
	free(s->pattern);
	free(s);
	return rc;
}

const char *series_error(const struct series *s)
{
	return s->errbuf;
}

/* SIGHUP's rotation refused: said on stderr, the current file goes on. */
static int not_rotated(const struct series *s, const char *why)
{
	fprintf(stderr, "tapdump: SIGHUP: %s: %s; not rotated\n", s->name, why);
	return 0;
}

int series_rotate_now(struct series *s, int64_t now_sec)
{
	struct stat st;
	int rc;

	if (s->finished)
		return -ECANCELED;
	if (s->error || !s->cur)
		return s->error;
	if (!strcmp(s->p.pattern, "-") || stat(s->name, &st) < 0 || !S_ISREG(st.st_mode))
		return not_rotated(s, "not a regular file");
	if (s->p.rotate_bytes) {
		rc = next_size(s);
	} else if (s->p.rotate_seconds) {
		char next[sizeof(s->name)];

		/* The same name would truncate the file just closed: a new slice needs a new name. */
		if (rotate_name(next, sizeof(next), s->p.pattern, true, (time_t)slice_of(s, now_sec), false, 0, 0) ==
			    0 &&
		    !strcmp(next, s->name))
			return not_rotated(s, "the next slice's name is this file's (same second, or --rotate-align)");
		rc = next_slice(s, now_sec);
	} else {
		rc = close_file(s, true);
		if (rc == 0) {
			s->index++;
			if (s->p.max_files && s->index >= s->p.max_files)
				s->index = 0;
			rc = open_file(s);
		}
	}
	if (rc && rc != -ECANCELED)
		s->error = rc;
	return rc;
}
