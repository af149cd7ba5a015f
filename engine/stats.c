/* Summing and reporting the per-thread counters. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "stats.h"

void stats_sum(const struct engine *eng, struct totals *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < eng->nworkers; i++) {
		const struct worker_counters *c = &eng->workers[i].ctr;
		const struct worker *w = &eng->workers[i];

		t->received += counter_get(&c->received);
		t->received_bytes += counter_get(&c->received_bytes);
		t->rejected += counter_get(&c->rejected);
		t->accepted += counter_get(&c->accepted);
		t->ring_dropped += counter_get(&c->ring_dropped);
		t->queued += counter_get(&c->queued);
		t->worker_beyond += counter_get(&c->beyond_count);
		if (w->have_src_stats) {
			t->backend_dropped += w->final_src.dropped;
			t->backend_if_dropped += w->final_src.if_dropped;
			t->backend_errors += w->final_src.errors;
		}
	}
	for (unsigned i = 0; i < eng->nwriters; i++) {
		const struct writer_counters *c = &eng->writers[i].ctr;

		t->written += counter_get(&c->written);
		t->written_bytes += counter_get(&c->written_bytes);
		t->lost += counter_get(&c->lost);
		t->writer_beyond += counter_get(&c->beyond_count);
		t->files += counter_get(&c->files);
		t->hook_failures += counter_get(&c->hook_failures);
	}
}

void stats_print_summary(const struct engine *eng, FILE *out)
{
	struct totals t;

	stats_sum(eng, &t);
	fprintf(out, "%" PRIu64 " packets captured\n", t.written);
	fprintf(out, "%" PRIu64 " packets received by filter\n", t.received);
	fprintf(out, "%" PRIu64 " packets dropped by kernel\n", t.backend_dropped);
	if (t.backend_if_dropped)
		fprintf(out, "%" PRIu64 " packets dropped by interface\n", t.backend_if_dropped);
	/* tcpdump has no such stage; ours is reported whenever it is not zero. */
	if (t.ring_dropped)
		fprintf(out, "%" PRIu64 " packets dropped by tapdump (ring full)\n", t.ring_dropped);
	if (t.lost)
		fprintf(out, "%" PRIu64 " packets lost to write errors\n", t.lost);
}

void stats_print_table(const struct engine *eng, FILE *out)
{
	struct totals t;

	fprintf(out, "%-6s %-24s %12s %12s %12s %12s %12s %12s\n", "queue", "source", "received", "rejected",
		"accepted", "ring_drop", "backend_drop", "if_drop");
	for (unsigned i = 0; i < eng->nworkers; i++) {
		const struct worker *w = &eng->workers[i];
		fprintf(out, "%-6u %-24.24s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64
			" %12" PRIu64 "\n",
			i, w->src ? w->src->name : "?", counter_get(&w->ctr.received), counter_get(&w->ctr.rejected),
			counter_get(&w->ctr.accepted), counter_get(&w->ctr.ring_dropped),
			w->have_src_stats ? w->final_src.dropped : 0, w->have_src_stats ? w->final_src.if_dropped : 0);
	}
	stats_sum(eng, &t);
	fprintf(out, "%-6s %-24s %12s %12s %12s %12s\n", "writer", "", "written", "lost", "after -c", "files");
	for (unsigned i = 0; i < eng->nwriters; i++) {
		const struct writer *wr = &eng->writers[i];
		fprintf(out, "%-6u %-24s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n", i, "",
			counter_get(&wr->ctr.written), counter_get(&wr->ctr.lost), counter_get(&wr->ctr.beyond_count),
			counter_get(&wr->ctr.files));
	}
	fprintf(out, "identity: received %" PRIu64 " = rejected %" PRIu64 " + ring_dropped %" PRIu64
		" + written %" PRIu64 " + lost %" PRIu64 " + after -c %" PRIu64 "%s\n",
		t.received, t.rejected, t.ring_dropped, t.written, t.lost, t.worker_beyond + t.writer_beyond,
		t.received == t.rejected + t.ring_dropped + t.written + t.lost + t.worker_beyond + t.writer_beyond
			? "" : " (MISMATCH)");
}

void stats_print_interval(const struct engine *eng, FILE *out, struct totals *prev, double seconds)
{
	struct totals t;

	stats_sum(eng, &t);
	if (seconds <= 0)
		seconds = 1;
	fprintf(out,
		"stats: %.0f pkt/s %.1f Mbit/s received, %" PRIu64 " written, drops: ring %" PRIu64
		" backend %" PRIu64 " lost %" PRIu64 "\n",
		(double)(t.received - prev->received) / seconds,
		(double)(t.received_bytes - prev->received_bytes) * 8 / seconds / 1e6, t.written - prev->written,
		t.ring_dropped - prev->ring_dropped, t.backend_dropped - prev->backend_dropped, t.lost - prev->lost);
	*prev = t;
}

void stats_json_interval(const struct engine *eng, FILE *out, double uptime)
{
	struct totals t;

	stats_sum(eng, &t);
	fprintf(out,
		"{\"type\":\"interval\",\"time\":%ld,\"uptime\":%.3f,\"received\":%" PRIu64 ",\"received_bytes\":%" PRIu64
		",\"rejected\":%" PRIu64 ",\"accepted\":%" PRIu64 ",\"ring_dropped\":%" PRIu64 ",\"written\":%" PRIu64
		",\"written_bytes\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"backend_dropped\":%" PRIu64
		",\"backend_if_dropped\":%" PRIu64 ",\"files\":%" PRIu64 ",\"queues\":[",
		(long)time(NULL), uptime, t.received, t.received_bytes, t.rejected, t.accepted, t.ring_dropped, t.written,
		t.written_bytes, t.lost, t.backend_dropped, t.backend_if_dropped, t.files);
	for (unsigned i = 0; i < eng->nworkers; i++) {
		const struct worker_counters *c = &eng->workers[i].ctr;
		fprintf(out, "%s{\"queue\":%u,\"received\":%" PRIu64 ",\"rejected\":%" PRIu64 ",\"ring_dropped\":%" PRIu64 "}",
			i ? "," : "", i, counter_get(&c->received), counter_get(&c->rejected),
			counter_get(&c->ring_dropped));
	}
	fprintf(out, "]}\n");
	fflush(out);
}

/* JSON string body: the file name is the only free text we emit. */
static void json_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, out);
	}
}

void stats_json_file(struct engine *eng, const struct file_report *r, uint64_t drops)
{
	if (!eng->stats_out)
		return;
	pthread_mutex_lock(&eng->report_lock);
	fprintf(eng->stats_out, "{\"type\":\"file\",\"name\":\"");
	json_escape(eng->stats_out, r->name);
	fprintf(eng->stats_out,
		"\",\"packets\":%" PRIu64 ",\"pcap_bytes\":%" PRIu64 ",\"disk_bytes\":%" PRIu64
		",\"first\":\"%u.%09u\",\"last\":\"%u.%09u\",\"drops\":%" PRIu64 ",\"error\":%d}\n",
		r->packets, r->pcap_bytes, r->disk_bytes, r->first_sec,
		eng->cfg->tsprec == TS_NANO ? r->first_frac : r->first_frac * 1000, r->last_sec,
		eng->cfg->tsprec == TS_NANO ? r->last_frac : r->last_frac * 1000,
		drops, r->error);
	fflush(eng->stats_out);
	pthread_mutex_unlock(&eng->report_lock);
}
