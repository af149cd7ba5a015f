/* The writer thread: merges its workers' blocks in time stamp order into a file series or the printer. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/block_lz4.h"
#include "engine/engine.h"

/* Live input: how long the merge waits for a silent worker before going on without it. */
#define LIVE_MERGE_WAIT_NS (50 * 1000 * 1000ull)
/* Live input: buffered bytes reach the kernel at least this often. */
#define LIVE_FLUSH_INTERVAL_NS (1000 * 1000 * 1000ull)

struct cursor {
	struct block *b;
	uint32_t off;
	uint32_t left;
	bool finished;
	uint64_t ring_seen, backend_seen; /* the input's drop totals at its previous block */
};

/* What the input lost while the block just taken filled: the file (and its index) record where. */
static void note_drops(struct writer *wr, const struct worker *in, struct cursor *c)
{
	uint64_t ring = c->b->ring_drops - c->ring_seen, backend = c->b->backend_drops - c->backend_seen;

	c->ring_seen = c->b->ring_drops;
	c->backend_seen = c->b->backend_drops;
	if (wr->series && (ring || backend))
		series_note_drops(wr->series, in->iface, ring, backend);
}

/*
 * Every input has finished: what each lost after its last block (a live
 * worker with no free block drops and publishes nothing more) still goes
 * to the file open now, so its drops add up to the run's. The totals are
 * publish()'s; done, read with acquire, makes them final and visible.
 */
static void note_final_drops(struct writer *wr, const struct cursor *cur)
{
	for (unsigned i = 0; i < wr->ninputs; i++) {
		const struct worker *in = wr->inputs[i];
		uint64_t ring = counter_get(&in->ctr.ring_dropped) - cur[i].ring_seen;
		uint64_t backend =
			counter_get(&in->backend.dropped) + counter_get(&in->backend.if_dropped) - cur[i].backend_seen;

		if (wr->series && (ring || backend))
			series_note_drops(wr->series, in->iface, ring, backend);
	}
}

static bool refill(struct writer *wr, struct worker *in, struct cursor *c)
{
	void *b;

	if (c->b || c->finished)
		return c->b != NULL;
	if (ring_dequeue_burst(in->ch.full, &b, 1) == 0) {
		/* Pairs with the worker's release store of done: its last enqueue is visible now. */
		if (!atomic_load_explicit(&in->ch.done, memory_order_acquire))
			return false;
		if (ring_dequeue_burst(in->ch.full, &b, 1) == 0) {
			c->finished = true;
			return false;
		}
	}
	c->b = b;
	c->off = 0;
	c->left = c->b->count;
	note_drops(wr, in, c);
	return true;
}

static void give_back(struct worker *in, struct cursor *c)
{
	void *b = c->b;

	/* No thread may still read it once its worker fills it again. */
	block_lz4_settle(c->b);
	/* An oversized record's buffer goes now, not when the worker next takes this block. */
	block_release_oversized(c->b);
	ring_enqueue_burst(in->ch.empty, &b, 1);
	c->b = NULL;
	park_wake(&in->park);
}

static void head_ts(const struct cursor *c, uint32_t *sec, uint32_t *frac)
{
	struct rec_hdr h;

	rec_hdr_read(c->b->data + c->off, &h);
	*sec = h.ts_sec;
	*frac = h.ts_frac;
}

static bool ts_before(uint32_t s1, uint32_t f1, uint32_t s2, uint32_t f2)
{
	return s1 < s2 || (s1 == s2 && f1 <= f2);
}

/* Print the records of a run; stops early once standard output has failed (its reader went away). */
static void print_records(struct writer *wr, const uint8_t *recs, size_t len, uint32_t sec_hi)
{
	struct rec_iter it = rec_iter_of(recs, len);
	const uint8_t *rec;
	struct rec_hdr h;

	while ((rec = rec_next(&it, &h)) && !ferror_unlocked(stdout)) {
		struct td_pkt pkt = {
			.data = rec + REC_HDR_BYTES,
			.caplen = h.caplen,
			.wirelen = h.len,
			.ts_sec = ts_sec_join(sec_hi, h.ts_sec),
			.ts_frac = h.ts_frac,
		};

		printer_packet(wr->printer, &pkt);
	}
}

/* Hand `count` records of one interface to the output; returns false when the writer must stop (-c, -W -G, error). */
static bool emit(struct writer *wr, const uint8_t *recs, size_t len, unsigned count, unsigned iface,
		 const uint8_t *last, struct block *whole, uint32_t sec_hi)
{
	bool more = true;

	if (wr->count_limit) {
		if (wr->emitted + count >= wr->count_limit) {
			unsigned keep = (unsigned)(wr->count_limit - wr->emitted);
			counter_add(&wr->ctr.beyond_count, count - keep);
			count = keep;
			len = rec_run_bytes(recs, len, count);
			last = NULL;
			whole = NULL;
			more = false;
		}
	}
	if (!count)
		return more;
	wr->emitted += count;
	if (wr->series) {
		unsigned consumed;
		struct sink_packed z = { 0 };
		int accel = atomic_load_explicit(&wr->lz4_accel_now, memory_order_relaxed);
		int rc;

		/* A whole block that goes out in one piece: as LZ4 frame blocks, compressed here or by its worker. */
		if (whole && wr->lz4_accel && !block_oversized(whole) && series_run_fits(wr->series, len)) {
			z.data = block_lz4_zone(whole, wr->lz4, accel);
			z.len = whole->zone_len;
			z.accel = whole->zone_accel;
		}
		rc = series_write(wr->series, recs, len, count, iface, last, z.data ? &z : NULL, &consumed);
		/* The test hook's slow compressor: only runs compressed here cost it (stored ones are a copy). */
		if (wr->eng->test_lz4_delay_us && wr->lz4_accel && (z.data ? z.accel : accel) != LZ4_FRAME_STORE)
			usleep(wr->eng->test_lz4_delay_us);

		if (rc == 0 && wr->tap)
			print_tap_offer(wr->tap, recs, len, count, sec_hi);
		if (rc == -ECANCELED) {
			counter_add(&wr->ctr.beyond_count, count - consumed);
			more = false;
		} else if (rc) {
			counter_add(&wr->ctr.lost, series_take_lost(wr->series) + (count - consumed));
			wr->error = rc;
			snprintf(wr->errbuf, sizeof(wr->errbuf), "%s", series_error(wr->series));
			more = false;
		}
		/* Written means in the kernel: buffered records are credited once a write takes them. */
		counter_add(&wr->ctr.written, series_take_durable(wr->series));
		counter_add(&wr->ctr.written_bytes, len);
		return more;
	}
	print_records(wr, recs, len, sec_hi);
	counter_add(&wr->ctr.written, count);
	counter_add(&wr->ctr.written_bytes, len);
	/*
	 * Standard output failed: its reader went away (EPIPE, SIGPIPE being
	 * ignored), which ends the run quietly as tcpdump's SIGPIPE cleanup
	 * does, or the write failed (reported).
	 */
	if (ferror(stdout)) {
		int e = errno == EPIPE ? EPIPE : EIO;

		wr->error = -e;
		snprintf(wr->errbuf, sizeof(wr->errbuf), "standard output: %s", strerror(e));
		more = false;
	}
	return more;
}

/* Wall clock time of day for -v's lines, HH:MM:SS.mmm. */
static void time_of_day(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%03ld", tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

/* -v: the compressor gave ground to the backlog, or took it back. */
static void pace_say(const struct writer *wr, unsigned old, unsigned queued, unsigned cap, uint64_t now)
{
	char when[32];
	int accel = lz4_pace_accel(&wr->pace);

	if (!wr->eng->cfg->print.verbose)
		return;
	time_of_day(when, sizeof(when));
	if (!wr->pace.level)
		fprintf(stderr, "tapdump: writer %u: backlog drained at %s: LZ4 acceleration back to %d after %.3f s\n",
			wr->id, when, accel, (double)(now - wr->pace.degraded_since_ns) / 1e9);
	else if (accel == LZ4_FRAME_STORE)
		fprintf(stderr, "tapdump: writer %u: %u of %u blocks queued at %s: LZ4 blocks stored uncompressed\n",
			wr->id, queued, cap, when);
	else if (old == LZ4_PACE_STORED)
		fprintf(stderr,
			"tapdump: writer %u: %u of %u blocks queued at %s: LZ4 compressing again, acceleration %d\n",
			wr->id, queued, cap, when, accel);
	else
		fprintf(stderr, "tapdump: writer %u: %u of %u blocks queued at %s: LZ4 acceleration %s to %d\n", wr->id,
			queued, cap, when, wr->pace.level > old ? "raised" : "lowered", accel);
}

#define PACE_IO_WINDOW_NS (50 * 1000 * 1000ull)

/*
 * Live LZ4 output: the compressor follows the backlog of the fullest ring
 * feeding this writer (lz4_pace.h), so a writer that falls behind spends
 * less on each block instead of letting the rings drop packets.
 */
static void pace(struct writer *wr)
{
	unsigned queued = 0, cap = 0, old = wr->pace.level;
	uint64_t now = mono_ns();
	int accel;

	for (unsigned i = 0; i < wr->ninputs; i++) {
		unsigned q = ring_queued(wr->inputs[i]->ch.full);

		if (q > queued)
			queued = q;
		cap = wr->inputs[i]->ch.nblocks;
	}
	/*
	 * Over windows of 50 ms: a writer that spent over half of it in write
	 * and sync calls waits for the disk; storing blocks would only give it
	 * more bytes.
	 */
	if (now - wr->io_window_start_ns >= PACE_IO_WINDOW_NS) {
		wr->disk_bound = (wr->io_ns - wr->io_at_window_start) * 2 > now - wr->io_window_start_ns;
		wr->io_window_start_ns = now;
		wr->io_at_window_start = wr->io_ns;
	}
	if (!lz4_pace_update(&wr->pace, queued, cap, wr->disk_bound, now))
		return;
	accel = lz4_pace_accel(&wr->pace);
	atomic_store_explicit(&wr->lz4_accel_now, accel, memory_order_relaxed);
	series_set_lz4_accel(wr->series, accel);
	counter_set(&wr->ctr.lz4.accel, (uint64_t)accel);
	if (!old)
		counter_add(&wr->ctr.lz4.degraded_times, 1);
	else if (!wr->pace.level)
		counter_add(&wr->ctr.lz4.degraded_ns, now - wr->pace.degraded_since_ns);
	pace_say(wr, old, queued, cap, now);
}

/* At the end: time still degraded counts too. */
static void pace_finish(struct writer *wr)
{
	uint64_t now = mono_ns();

	if (!wr->paced || !wr->pace.level)
		return;
	counter_add(&wr->ctr.lz4.degraded_ns, now - wr->pace.degraded_since_ns);
	if (wr->eng->cfg->print.verbose)
		fprintf(stderr, "tapdump: writer %u: still behind at the end: LZ4 degraded for the last %.3f s\n",
			wr->id, (double)(now - wr->pace.degraded_since_ns) / 1e9);
}

/* Emit from cursor c up to (not past) the time stamp limit; all of it when unlimited. */
static bool emit_from(struct writer *wr, struct worker *in, struct cursor *c, bool limited, uint32_t lsec,
		      uint32_t lfrac)
{
	const uint8_t *start = c->b->data + c->off;
	struct rec_iter it = rec_iter_of(start, c->b->used - c->off);
	const uint8_t *last = NULL;
	unsigned n = 0;
	bool more;

	/* One input, or the rest of this block comes first anyway: the whole remainder, no header walk. */
	if (!limited) {
		n = c->left;
		it.p = it.end;
		last = c->b->data + c->b->last;
	}
	while (n < c->left) {
		const uint8_t *at = it.p;
		struct rec_hdr h;

		if (!rec_next(&it, &h))
			break;
		if (n && !ts_before(h.ts_sec, h.ts_frac, lsec, lfrac)) {
			it.p = at;
			break;
		}
		last = at;
		n++;
	}
	more = emit(wr, start, (size_t)(it.p - start), n, in->iface, last,
		    c->off == 0 && n == c->b->count ? c->b : NULL, c->b->sec_hi);
	c->off += (uint32_t)(it.p - start);
	c->left -= n;
	if (!c->left)
		give_back(in, c);
	return more;
}

/* Everything still queued after a stop is counted, then returned, so workers blocked on blocks can finish. */
static void drain(struct writer *wr, struct cursor *cur)
{
	for (unsigned i = 0; i < wr->ninputs; i++) {
		struct worker *in = wr->inputs[i];

		for (;;) {
			uint32_t seen = park_seq(&wr->park);
			if (cur[i].b) {
				counter_add(wr->error ? &wr->ctr.lost : &wr->ctr.beyond_count, cur[i].left);
				give_back(in, &cur[i]);
			}
			if (refill(wr, in, &cur[i]))
				continue;
			if (cur[i].finished)
				break;
			park_wait(&wr->park, seen, 10 * 1000 * 1000L);
		}
	}
}

/*
 * SIGHUP asks for the next file (run.c): packets stamped before the request
 * go to the current file, later ones to the next. Runs are cut at the
 * request's time; the file turns at the first later record, or on a quiet
 * link once every earlier record has had time to arrive (workers publish
 * a part-filled block within about 40 ms).
 */
#define ROTATE_SETTLE_NS (250 * 1000 * 1000ull)

static void rotate_take_request(struct writer *wr)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	wr->rotate_pending = true;
	wr->rotate_sec = (uint32_t)ts.tv_sec;
	wr->rotate_frac = (uint32_t)(wr->eng->cfg->tsprec == TS_NANO ? ts.tv_nsec : ts.tv_nsec / 1000);
	wr->rotate_deadline_ns = mono_ns() + ROTATE_SETTLE_NS;
}

/*
 * What a series tick or rotation returned: -ECANCELED (-W with -G has had
 * its last file) stops the run; any other error is the writer's first,
 * kept with the series' message, and stops it too.
 */
static void series_status(struct writer *wr, int rc)
{
	if (rc == -ECANCELED) {
		engine_request_stop(wr->eng);
	} else if (rc && !wr->error) {
		wr->error = rc;
		snprintf(wr->errbuf, sizeof(wr->errbuf), "%s", series_error(wr->series));
		engine_request_stop(wr->eng);
	}
}

/* Rotate once the head record (when there is one) is at or past the request, or the deadline passed. */
static void rotate_if_due(struct writer *wr, bool have_head, uint32_t sec, uint32_t frac)
{
	bool past = have_head && (sec > wr->rotate_sec || (sec == wr->rotate_sec && frac >= wr->rotate_frac));
	int rc;

	if (!wr->rotate_pending || (!past && mono_ns() < wr->rotate_deadline_ns))
		return;
	wr->rotate_pending = false;
	rc = series_rotate_now(wr->series, (int64_t)time(NULL));
	series_status(wr, rc);
	counter_add(&wr->ctr.written, series_take_durable(wr->series));
	counter_add(&wr->ctr.lost, series_take_lost(wr->series));
}

static void live_housekeeping(struct writer *wr, uint64_t *last_flush)
{
	uint64_t now = mono_ns();
	int rc;

	if (!wr->series)
		return;
	rc = series_tick(wr->series, (int64_t)time(NULL));
	if (engine_rotate_requested(wr->eng, &wr->rotate_seen))
		rotate_take_request(wr);
	series_status(wr, rc);
	if (now - *last_flush > LIVE_FLUSH_INTERVAL_NS) {
		series_flush(wr->series);
		*last_flush = now;
	}
	/* A rotation or a flush settles buffered records. */
	counter_add(&wr->ctr.written, series_take_durable(wr->series));
	counter_add(&wr->ctr.lost, series_take_lost(wr->series));
}

void *writer_main(void *arg)
{
	struct writer *wr = arg;
	struct cursor cur[MAX_INPUTS];
	uint64_t waiting_since = 0, last_flush = mono_ns();
	bool live = wr->eng->live;
	/*
	 * Idle, the writer sleeps until a worker publishes or the engine stops
	 * (both wake it). The timeout only serves timers on a quiet link: -G,
	 * for which a tenth of a second is early enough, and the once-a-second
	 * flush, which alone needs one wake-up a second.
	 */
	long park_ns = wr->eng->cfg->rotate_seconds ? 100 * 1000 * 1000L : (long)LIVE_FLUSH_INTERVAL_NS;

	memset(cur, 0, sizeof(cur));
	for (;;) {
		unsigned ready = 0, open = 0, best = 0, missing = 0;
		uint32_t bsec = 0, bfrac = 0, nsec = UINT32_MAX, nfrac = UINT32_MAX;
		bool have_next = false;
		uint32_t seen = park_seq(&wr->park);

		for (unsigned i = 0; i < wr->ninputs; i++) {
			if (refill(wr, wr->inputs[i], &cur[i])) {
				uint32_t s, f;
				head_ts(&cur[i], &s, &f);
				if (!ready || !ts_before(bsec, bfrac, s, f)) {
					if (ready) {
						nsec = bsec;
						nfrac = bfrac;
						have_next = true;
					}
					best = i;
					bsec = s;
					bfrac = f;
				} else if (!have_next || ts_before(s, f, nsec, nfrac)) {
					nsec = s;
					nfrac = f;
					have_next = true;
				}
				ready++;
			} else if (!cur[i].finished) {
				missing++;
			}
			if (!cur[i].finished)
				open++;
		}
		if (!open)
			break;
		if (wr->paced)
			pace(wr);
		if (live) {
			live_housekeeping(wr, &last_flush);
			rotate_if_due(wr, ready, bsec, bfrac);
		}
		/*
		 * Time order needs every open input's head. A file input that has
		 * none yet is about to produce one (wait); a live one may stay
		 * silent, so after a short wait the merge goes on without it.
		 */
		if (!ready) {
			/* Nothing of its own to write: another writer's block to compress, if one waits. */
			if (wr->eng->offers && lz4_offers_help(wr->eng->offers, wr->lz4))
				continue;
			park_wait(&wr->park, seen, wr->rotate_pending ? (long)ROTATE_SETTLE_NS / 5 : park_ns);
			continue;
		}
		if (missing) {
			uint64_t now = mono_ns();
			if (!waiting_since)
				waiting_since = now;
			if (!live || now - waiting_since < LIVE_MERGE_WAIT_NS) {
				park_wait(&wr->park, seen, live ? (long)LIVE_MERGE_WAIT_NS / 5 : park_ns);
				continue;
			}
		}
		waiting_since = 0;
		/* A pending SIGHUP rotation: this run ends at its time (rotate_if_due turns the file next). */
		if (wr->rotate_pending && (!have_next || ts_before(wr->rotate_sec, wr->rotate_frac, nsec, nfrac))) {
			nsec = wr->rotate_sec;
			nfrac = wr->rotate_frac;
			have_next = true;
		}
		if (!emit_from(wr, wr->inputs[best], &cur[best], have_next, nsec, nfrac)) {
			engine_request_stop(wr->eng);
			drain(wr, cur);
			break;
		}
	}
	note_final_drops(wr, cur);
	pace_finish(wr);
	if (wr->tap)
		print_tap_finish(wr->tap);
	/* Pairs with the acquire load in supervise(): seen done, the thread only has to return. */
	atomic_store_explicit(&wr->done, true, memory_order_release);
	pthread_kill(wr->eng->main_thread, SIGUSR2);
	return NULL;
}
