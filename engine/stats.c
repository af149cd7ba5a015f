/* Summing and reporting the per-thread counters. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"

static void add_worker(struct totals *t, const struct worker *w)
{
	const struct worker_counters *c = &w->ctr;

	t->received += counter_get(&c->received);
	t->received_bytes += counter_get(&c->received_bytes);
	t->rejected += counter_get(&c->rejected);
	t->accepted += counter_get(&c->accepted);
	t->ring_dropped += counter_get(&c->ring_dropped);
	t->queued += counter_get(&c->queued);
	t->worker_beyond += counter_get(&c->beyond_count);
	t->backend_dropped += counter_get(&w->backend_dropped);
	t->backend_if_dropped += counter_get(&w->backend_if_dropped);
	t->backend_errors += counter_get(&w->backend_errors);
}

void stats_sum_iface(const struct engine *eng, unsigned iface, struct totals *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < eng->nworkers; i++)
		if (eng->workers[i].iface == iface)
			add_worker(t, &eng->workers[i]);
}

/* An interface's name in reports: as -i gave it; -r input has none. */
static const char *iface_name(const struct engine *eng, unsigned iface)
{
	return eng->ifaces[iface].name ? eng->ifaces[iface].name : "";
}

void stats_sum(const struct engine *eng, struct totals *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < eng->nworkers; i++)
		add_worker(t, &eng->workers[i]);
	for (unsigned i = 0; i < eng->nwriters; i++) {
		const struct writer_counters *c = &eng->writers[i].ctr;

		t->written += counter_get(&c->written);
		t->written_bytes += counter_get(&c->written_bytes);
		t->lost += counter_get(&c->lost);
		t->writer_beyond += counter_get(&c->beyond_count);
		t->files += counter_get(&c->files);
		t->hook_failures += counter_get(&c->hook_failures);
		t->lz4_in += counter_get(&c->lz4.in_bytes);
		t->lz4_out += counter_get(&c->lz4.out_bytes);
		t->lz4_blocks += counter_get(&c->lz4.blocks);
		t->lz4_stored += counter_get(&c->lz4.blocks_stored);
		t->lz4_degraded_ns += counter_get(&c->lz4.degraded_ns);
		t->lz4_degraded_times += counter_get(&c->lz4.degraded_times);
		t->files_deleted += counter_get(&c->retention.files_deleted);
		t->bytes_deleted += counter_get(&c->retention.bytes_deleted);
		t->series_bytes += counter_get(&c->retention.series_bytes);
		t->disk_full += counter_get(&c->retention.disk_full);
		if (counter_get(&c->retention.oldest_ns) &&
		    (!t->oldest_ns || counter_get(&c->retention.oldest_ns) < t->oldest_ns))
			t->oldest_ns = counter_get(&c->retention.oldest_ns);
	}
}

bool stats_retention_on(const struct engine *eng)
{
	return eng->cfg && eng->cfg->write_file &&
	       (retention_size_set(&eng->cfg->disk_budget) || retention_size_set(&eng->cfg->min_free));
}

bool stats_lz4_on(const struct engine *eng)
{
	return eng->cfg && eng->cfg->write_file && eng->cfg->compress == COMPRESS_LZ4;
}

/* Uncompressed over compressed bytes; 0 before the first block. */
static double lz4_ratio(uint64_t in, uint64_t out)
{
	return out ? (double)in / (double)out : 0;
}

/* The retention horizon as seconds.nanoseconds ("0" when nothing is kept yet). */
static void print_horizon(FILE *out, uint64_t ns)
{
	if (ns)
		fprintf(out, "%" PRIu64 ".%09" PRIu64, ns / 1000000000, ns % 1000000000);
	else
		fputc('0', out);
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
	if (stats_retention_on(eng)) {
		fprintf(out,
			"retention: %" PRIu64 " files deleted (%" PRIu64 " bytes), series %" PRIu64
			" bytes, oldest packet kept ",
			t.files_deleted, t.bytes_deleted, t.series_bytes);
		print_horizon(out, t.oldest_ns);
		fputc('\n', out);
	}
}

void stats_print_table(const struct engine *eng, FILE *out)
{
	struct totals t;
	uint64_t accounted;
	bool running = false;

	fprintf(out, "%-6s %-24s %12s %12s %12s %12s %12s %12s\n", "queue", "source", "received", "rejected",
		"accepted", "ring_drop", "backend_drop", "if_drop");
	for (unsigned i = 0; i < eng->nworkers; i++) {
		const struct worker *w = &eng->workers[i];
		fprintf(out,
			"%-6u %-24.24s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64
			"\n",
			i, w->src ? w->src->name : "?", counter_get(&w->ctr.received), counter_get(&w->ctr.rejected),
			counter_get(&w->ctr.accepted), counter_get(&w->ctr.ring_dropped),
			counter_get(&w->backend_dropped), counter_get(&w->backend_if_dropped));
	}
	stats_sum(eng, &t);
	fprintf(out, "%-6s %-24s %12s %12s %12s %12s\n", "writer", "", "written", "lost", "after -c", "files");
	for (unsigned i = 0; i < eng->nwriters; i++) {
		const struct writer *wr = &eng->writers[i];
		fprintf(out, "%-6u %-24s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n", i, "",
			counter_get(&wr->ctr.written), counter_get(&wr->ctr.lost), counter_get(&wr->ctr.beyond_count),
			counter_get(&wr->ctr.files));
	}
	/* Several interfaces: each one's queues summed (the queue rows name their source). */
	if (eng->nifaces > 1)
		fprintf(out, "%-9s %-21s %12s %12s %12s %12s %12s %12s\n", "interface", "", "received", "rejected",
			"accepted", "ring_drop", "backend_drop", "if_drop");
	for (unsigned k = 0; eng->nifaces > 1 && k < eng->nifaces; k++) {
		struct totals it;

		stats_sum_iface(eng, k, &it);
		fprintf(out,
			"%-9u %-21.21s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64
			"\n",
			k, iface_name(eng, k), it.received, it.rejected, it.accepted, it.ring_dropped,
			it.backend_dropped, it.backend_if_dropped);
	}
	for (unsigned i = 0; i < eng->nwriters && stats_retention_on(eng); i++) {
		const struct retention_counters *c = &eng->writers[i].ctr.retention;
		fprintf(out,
			"retention writer %u: files_deleted %" PRIu64 " bytes_deleted %" PRIu64 " series_bytes %" PRIu64
			" disk_full %" PRIu64 " oldest_kept ",
			i, counter_get(&c->files_deleted), counter_get(&c->bytes_deleted),
			counter_get(&c->series_bytes), counter_get(&c->disk_full));
		print_horizon(out, counter_get(&c->oldest_ns));
		fputc('\n', out);
	}
	for (unsigned i = 0; i < eng->nwriters && stats_lz4_on(eng); i++) {
		const struct lz4_counters *c = &eng->writers[i].ctr.lz4;
		fprintf(out,
			"lz4 writer %u: ratio %.2f (%" PRIu64 " -> %" PRIu64 " bytes), blocks %" PRIu64
			" stored %" PRIu64 ", acceleration %" PRIu64 "%s, degraded %" PRIu64 " times for %.3f s\n",
			i, lz4_ratio(counter_get(&c->in_bytes), counter_get(&c->out_bytes)), counter_get(&c->in_bytes),
			counter_get(&c->out_bytes), counter_get(&c->blocks), counter_get(&c->blocks_stored),
			counter_get(&c->accel), counter_get(&c->accel) ? "" : " (storing)",
			counter_get(&c->degraded_times), (double)counter_get(&c->degraded_ns) / 1e9);
	}
	accounted = t.rejected + t.ring_dropped + t.written + t.lost + t.worker_beyond + t.writer_beyond;
	for (unsigned i = 0; i < eng->nworkers; i++)
		running |= eng->workers[i].started;
	fprintf(out,
		"identity: received %" PRIu64 " = rejected %" PRIu64 " + ring_dropped %" PRIu64 " + written %" PRIu64
		" + lost %" PRIu64 " + after -c %" PRIu64,
		t.received, t.rejected, t.ring_dropped, t.written, t.lost, t.worker_beyond + t.writer_beyond);
	/*
	 * While threads run (SIGUSR1), records sit in blocks between worker and
	 * writer, and the counters are read one after another: the difference is
	 * in flight, not lost. At exit nothing is in flight and it must be zero.
	 */
	if (running)
		fprintf(out, " + in flight %" PRId64 "\n", (int64_t)(t.received - accounted));
	else
		fprintf(out, "%s\n", t.received == accounted ? "" : " (MISMATCH)");
	/* At exit only: the backends' own counters, under their own names (SIGUSR1 would race the workers). */
	for (unsigned i = 0; i < eng->nworkers && !running; i++) {
		struct source *src = eng->workers[i].src;

		if (!src || !src->ops->print_counters)
			continue;
		fprintf(out, "backend %u %s: ", i, src->name);
		src->ops->print_counters(src, out);
		fputc('\n', out);
	}
}

void stats_print_interval(const struct engine *eng, FILE *out, struct totals *prev, double seconds)
{
	struct totals t;

	stats_sum(eng, &t);
	if (seconds <= 0)
		seconds = 1;
	fprintf(out,
		"stats: %.0f pkt/s %.1f Mbit/s received, %" PRIu64 " written, drops: ring %" PRIu64 " backend %" PRIu64
		" lost %" PRIu64 "\n",
		(double)(t.received - prev->received) / seconds,
		(double)(t.received_bytes - prev->received_bytes) * 8 / seconds / 1e6, t.written - prev->written,
		t.ring_dropped - prev->ring_dropped, t.backend_dropped - prev->backend_dropped, t.lost - prev->lost);
	*prev = t;
}

/* JSON string body: file and interface names are the only free text we emit. */
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

void stats_json_interval(const struct engine *eng, FILE *out, double uptime)
{
	struct totals t;

	stats_sum(eng, &t);
	fprintf(out,
		"{\"type\":\"interval\",\"time\":%ld,\"uptime\":%.3f,\"received\":%" PRIu64
		",\"received_bytes\":%" PRIu64 ",\"rejected\":%" PRIu64 ",\"accepted\":%" PRIu64
		",\"ring_dropped\":%" PRIu64 ",\"written\":%" PRIu64 ",\"written_bytes\":%" PRIu64 ",\"lost\":%" PRIu64
		",\"backend_dropped\":%" PRIu64 ",\"backend_if_dropped\":%" PRIu64 ",\"files\":%" PRIu64 ",",
		(long)time(NULL), uptime, t.received, t.received_bytes, t.rejected, t.accepted, t.ring_dropped,
		t.written, t.written_bytes, t.lost, t.backend_dropped, t.backend_if_dropped, t.files);
	if (stats_retention_on(eng)) {
		fprintf(out,
			"\"files_deleted\":%" PRIu64 ",\"bytes_deleted\":%" PRIu64 ",\"series_bytes\":%" PRIu64
			",\"disk_full\":%" PRIu64 ",\"oldest_kept\":",
			t.files_deleted, t.bytes_deleted, t.series_bytes, t.disk_full);
		print_horizon(out, t.oldest_ns);
		fputc(',', out);
	}
	if (stats_lz4_on(eng)) {
		fprintf(out,
			"\"lz4_ratio\":%.3f,\"lz4_blocks\":%" PRIu64 ",\"lz4_blocks_stored\":%" PRIu64
			",\"lz4_accel\":[",
			lz4_ratio(t.lz4_in, t.lz4_out), t.lz4_blocks, t.lz4_stored);
		for (unsigned i = 0; i < eng->nwriters; i++)
			fprintf(out, "%s%" PRIu64, i ? "," : "", counter_get(&eng->writers[i].ctr.lz4.accel));
		fprintf(out, "],\"lz4_degraded_times\":%" PRIu64 ",\"lz4_degraded_seconds\":%.3f,",
			t.lz4_degraded_times, (double)t.lz4_degraded_ns / 1e9);
	}
	fprintf(out, "\"queues\":[");
	for (unsigned i = 0; i < eng->nworkers; i++) {
		const struct worker_counters *c = &eng->workers[i].ctr;
		fprintf(out,
			"%s{\"queue\":%u,\"interface\":%u,\"received\":%" PRIu64 ",\"rejected\":%" PRIu64
			",\"ring_dropped\":%" PRIu64 "}",
			i ? "," : "", i, eng->workers[i].iface, counter_get(&c->received), counter_get(&c->rejected),
			counter_get(&c->ring_dropped));
	}
	fprintf(out, "],\"interfaces\":[");
	for (unsigned k = 0; k < eng->nifaces; k++) {
		struct totals it;

		stats_sum_iface(eng, k, &it);
		fprintf(out, "%s{\"interface\":%u,\"name\":\"", k ? "," : "", k);
		json_escape(out, iface_name(eng, k));
		fprintf(out,
			"\",\"received\":%" PRIu64 ",\"received_bytes\":%" PRIu64 ",\"rejected\":%" PRIu64
			",\"accepted\":%" PRIu64 ",\"ring_dropped\":%" PRIu64 ",\"backend_dropped\":%" PRIu64
			",\"backend_if_dropped\":%" PRIu64 "}",
			it.received, it.received_bytes, it.rejected, it.accepted, it.ring_dropped, it.backend_dropped,
			it.backend_if_dropped);
	}
	fprintf(out, "]}\n");
	fflush(out);
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
		",\"first\":\"%u.%09u\",\"last\":\"%u.%09u\",\"drops\":%" PRIu64 ",\"error\":%d",
		r->packets, r->pcap_bytes, r->disk_bytes, r->first_sec,
		eng->cfg->tsprec == TS_NANO ? r->first_frac : r->first_frac * 1000, r->last_sec,
		eng->cfg->tsprec == TS_NANO ? r->last_frac : r->last_frac * 1000, drops, r->error);
	if (r->lz4)
		fprintf(eng->stats_out,
			",\"lz4_ratio\":%.3f,\"lz4_blocks\":%" PRIu64 ",\"lz4_blocks_stored\":%" PRIu64
			",\"lz4_accel_max\":%d",
			lz4_ratio(r->lz4_blocks.in_bytes, r->lz4_blocks.out_bytes), r->lz4_blocks.blocks,
			r->lz4_blocks.stored, r->lz4_accel_max);
	fprintf(eng->stats_out, "}\n");
	fflush(eng->stats_out);
	pthread_mutex_unlock(&eng->report_lock);
}

/* A time stamp in ns as the file lines write theirs ("sec.nsec"), or null. */
static void json_time(FILE *out, int64_t ns, bool have)
{
	if (have && ns >= 0)
		fprintf(out, "\"%" PRId64 ".%09" PRId64 "\"", ns / 1000000000, ns % 1000000000);
	else
		fputs("null", out);
}

void stats_json_archive(struct engine *eng)
{
	const struct archive_report *a = &eng->archive;
	bool lost = a->ring_drops || a->backend_drops;

	if (!eng->stats_out)
		return;
	pthread_mutex_lock(&eng->report_lock);
	fprintf(eng->stats_out,
		"{\"type\":\"archive\",\"time\":%ld,\"files\":%u,\"files_skipped\":%u,\"files_unindexed\":%u"
		",\"segments\":%" PRIu64 ",\"segments_read\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"ring_dropped\":%" PRIu64
		",\"backend_dropped\":%" PRIu64 ",\"lost_from\":",
		(long)time(NULL), a->files, a->files_skipped, a->files_unindexed, a->segments, a->segments_read,
		a->ring_drops + a->backend_drops, a->ring_drops, a->backend_drops);
	json_time(eng->stats_out, a->drops_from_ns, lost);
	fputs(",\"lost_to\":", eng->stats_out);
	json_time(eng->stats_out, a->drops_to_ns, lost);
	fputs("}\n", eng->stats_out);
	fflush(eng->stats_out);
	pthread_mutex_unlock(&eng->report_lock);
}

/*
 * Prometheus label values escape backslash, double quote and newline (the
 * text exposition format, version 0.0.4); a source name is free text.
 */
static void prom_label(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void prom_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP tapdump_%s %s\n# TYPE tapdump_%s %s\n", name, help, name, type);
}

/* The per-queue stages, in the order a packet meets them. */
static void prom_queues(const struct engine *eng, FILE *out)
{
	static const struct {
		const char *name, *help;
		size_t offset;
	} stage[] = {
		{ "received_packets_total", "Packets the rx queue took from its source.",
		  offsetof(struct worker_counters, received) },
		{ "received_bytes_total", "Wire bytes of the packets taken from the source.",
		  offsetof(struct worker_counters, received_bytes) },
		{ "rejected_packets_total", "Packets the filter did not match.",
		  offsetof(struct worker_counters, rejected) },
		{ "accepted_packets_total", "Packets the filter matched (within -c).",
		  offsetof(struct worker_counters, accepted) },
		{ "after_count_packets_total", "Packets matched after -c was already satisfied.",
		  offsetof(struct worker_counters, beyond_count) },
	};

	fprintf(out, "# HELP tapdump_queue_info The source behind each rx queue, and its interface.\n"
		     "# TYPE tapdump_queue_info gauge\n");
	for (unsigned i = 0; i < eng->nworkers; i++) {
		fprintf(out, "tapdump_queue_info{queue=\"%u\",source=\"", i);
		prom_label(out, eng->workers[i].src ? eng->workers[i].src->name : "?");
		fprintf(out, "\",interface=\"");
		prom_label(out, iface_name(eng, eng->workers[i].iface));
		fprintf(out, "\"} 1\n");
	}
	for (size_t s = 0; s < sizeof(stage) / sizeof(stage[0]); s++) {
		prom_family(out, stage[s].name, "counter", stage[s].help);
		for (unsigned i = 0; i < eng->nworkers; i++) {
			const counter_t *c = (const counter_t *)((const char *)&eng->workers[i].ctr + stage[s].offset);
			fprintf(out, "tapdump_%s{queue=\"%u\"} %" PRIu64 "\n", stage[s].name, i, counter_get(c));
		}
	}
	/* One family for every drop, the stage as a label, so one query sums them all. */
	prom_family(out, "dropped_packets_total", "counter",
		    "Packets lost, by queue and stage: ring (tapdump had no free block), backend (kernel or port: "
		    "ps_drop, imissed, rx_dropped), interface (ps_ifdrop, rx_nombuf, fill ring empty). "
		    "Backend stages are read when the queue closes.");
	for (unsigned i = 0; i < eng->nworkers; i++) {
		const struct worker *w = &eng->workers[i];
		fprintf(out, "tapdump_dropped_packets_total{queue=\"%u\",stage=\"ring\"} %" PRIu64 "\n", i,
			counter_get(&w->ctr.ring_dropped));
		fprintf(out, "tapdump_dropped_packets_total{queue=\"%u\",stage=\"backend\"} %" PRIu64 "\n", i,
			counter_get(&w->backend_dropped));
		fprintf(out, "tapdump_dropped_packets_total{queue=\"%u\",stage=\"interface\"} %" PRIu64 "\n", i,
			counter_get(&w->backend_if_dropped));
	}
	prom_family(out, "backend_errors_total", "counter", "Receive errors the backend reported (ierrors).");
	for (unsigned i = 0; i < eng->nworkers; i++) {
		const struct worker *w = &eng->workers[i];
		fprintf(out, "tapdump_backend_errors_total{queue=\"%u\"} %" PRIu64 "\n", i,
			counter_get(&w->backend_errors));
	}
}

/* The queues of each interface summed: a tap's directions side by side without a join on queue_info. */
static void prom_interfaces(const struct engine *eng, FILE *out)
{
	static const struct {
		const char *name, *help;
		size_t offset;
	} stage[] = {
		{ "interface_received_packets_total", "Packets the interface's rx queues took from their source.",
		  offsetof(struct totals, received) },
		{ "interface_received_bytes_total", "Wire bytes of those packets.",
		  offsetof(struct totals, received_bytes) },
		{ "interface_rejected_packets_total", "Packets of the interface the filter did not match.",
		  offsetof(struct totals, rejected) },
		{ "interface_accepted_packets_total", "Packets of the interface the filter matched (within -c).",
		  offsetof(struct totals, accepted) },
	};
	static const struct {
		const char *stage;
		size_t offset;
	} drop[] = {
		{ "ring", offsetof(struct totals, ring_dropped) },
		{ "backend", offsetof(struct totals, backend_dropped) },
		{ "interface", offsetof(struct totals, backend_if_dropped) },
	};
	struct totals t[MAX_INTERFACES];

	for (unsigned k = 0; k < eng->nifaces; k++)
		stats_sum_iface(eng, k, &t[k]);
	for (size_t s = 0; s < sizeof(stage) / sizeof(stage[0]); s++) {
		prom_family(out, stage[s].name, "counter", stage[s].help);
		for (unsigned k = 0; k < eng->nifaces; k++) {
			fprintf(out, "tapdump_%s{interface=\"", stage[s].name);
			prom_label(out, iface_name(eng, k));
			fprintf(out, "\"} %" PRIu64 "\n", *(const uint64_t *)((const char *)&t[k] + stage[s].offset));
		}
	}
	prom_family(out, "interface_dropped_packets_total", "counter",
		    "Packets of the interface lost, by stage (as tapdump_dropped_packets_total).");
	for (unsigned k = 0; k < eng->nifaces; k++) {
		for (size_t d = 0; d < sizeof(drop) / sizeof(drop[0]); d++) {
			fprintf(out, "tapdump_interface_dropped_packets_total{interface=\"");
			prom_label(out, iface_name(eng, k));
			fprintf(out, "\",stage=\"%s\"} %" PRIu64 "\n", drop[d].stage,
				*(const uint64_t *)((const char *)&t[k] + drop[d].offset));
		}
	}
}

/* --disk-budget / --min-free, per writer's series. */
static void prom_retention(const struct engine *eng, FILE *out)
{
	static const struct {
		const char *name, *type, *help;
		size_t offset;
	} stage[] = {
		{ "retention_deleted_files_total", "counter",
		  "Files of the series deleted to keep the budget or min-free.",
		  offsetof(struct writer_counters, retention.files_deleted) },
		{ "retention_deleted_bytes_total", "counter", "Bytes of those files.",
		  offsetof(struct writer_counters, retention.bytes_deleted) },
		{ "retention_series_bytes", "gauge", "Bytes of the series' files on disk, the open one included.",
		  offsetof(struct writer_counters, retention.series_bytes) },
		{ "retention_disk_full_total", "counter",
		  "Writes that found the disk full (another writer) and went on once the series' oldest files "
		  "were deleted.",
		  offsetof(struct writer_counters, retention.disk_full) },
	};

	for (size_t s = 0; s < sizeof(stage) / sizeof(stage[0]); s++) {
		prom_family(out, stage[s].name, stage[s].type, stage[s].help);
		for (unsigned i = 0; i < eng->nwriters; i++) {
			const counter_t *c = (const counter_t *)((const char *)&eng->writers[i].ctr + stage[s].offset);
			fprintf(out, "tapdump_%s{writer=\"%u\"} %" PRIu64 "\n", stage[s].name, i, counter_get(c));
		}
	}
	prom_family(out, "retention_oldest_packet_seconds", "gauge",
		    "Time stamp of the first packet of the oldest file kept (the retention horizon); 0 none.");
	for (unsigned i = 0; i < eng->nwriters; i++) {
		fprintf(out, "tapdump_retention_oldest_packet_seconds{writer=\"%u\"} ", i);
		print_horizon(out, counter_get(&eng->writers[i].ctr.retention.oldest_ns));
		fputc('\n', out);
	}
}

/* LZ4 output, per writer: what compression kept, and what the backlog cost it. */
static void prom_lz4(const struct engine *eng, FILE *out)
{
	static const struct {
		const char *name, *type, *help;
		size_t offset;
	} stage[] = {
		{ "lz4_in_bytes_total", "counter", "Uncompressed bytes given to LZ4 frame blocks.",
		  offsetof(struct writer_counters, lz4.in_bytes) },
		{ "lz4_out_bytes_total", "counter", "Bytes of those frame blocks as written.",
		  offsetof(struct writer_counters, lz4.out_bytes) },
		{ "lz4_blocks_total", "counter", "LZ4 frame blocks written.",
		  offsetof(struct writer_counters, lz4.blocks) },
		{ "lz4_stored_blocks_total", "counter",
		  "Frame blocks stored uncompressed (the writer behind, or LZ4 could not shrink them).",
		  offsetof(struct writer_counters, lz4.blocks_stored) },
		{ "lz4_acceleration", "gauge", "LZ4 acceleration now; 0 while blocks are stored uncompressed.",
		  offsetof(struct writer_counters, lz4.accel) },
		{ "lz4_degraded_total", "counter", "Times the backlog made the writer compress less.",
		  offsetof(struct writer_counters, lz4.degraded_times) },
	};

	for (size_t s = 0; s < sizeof(stage) / sizeof(stage[0]); s++) {
		prom_family(out, stage[s].name, stage[s].type, stage[s].help);
		for (unsigned i = 0; i < eng->nwriters; i++) {
			const counter_t *c = (const counter_t *)((const char *)&eng->writers[i].ctr + stage[s].offset);
			fprintf(out, "tapdump_%s{writer=\"%u\"} %" PRIu64 "\n", stage[s].name, i, counter_get(c));
		}
	}
	prom_family(out, "lz4_degraded_seconds_total", "counter",
		    "Seconds the writer spent compressing less for its backlog (episodes ended).");
	for (unsigned i = 0; i < eng->nwriters; i++)
		fprintf(out, "tapdump_lz4_degraded_seconds_total{writer=\"%u\"} %.3f\n", i,
			(double)counter_get(&eng->writers[i].ctr.lz4.degraded_ns) / 1e9);
}

static void prom_writers(const struct engine *eng, FILE *out)
{
	static const struct {
		const char *name, *help;
		size_t offset;
	} stage[] = {
		{ "written_packets_total", "Records handed to the kernel in output files.",
		  offsetof(struct writer_counters, written) },
		{ "written_bytes_total", "Uncompressed pcap bytes of those records.",
		  offsetof(struct writer_counters, written_bytes) },
		{ "lost_packets_total", "Records that failed to write (ENOSPC, EIO).",
		  offsetof(struct writer_counters, lost) },
		{ "writer_after_count_packets_total", "Records not written because -c was reached.",
		  offsetof(struct writer_counters, beyond_count) },
		{ "files_total", "Output files closed.", offsetof(struct writer_counters, files) },
		{ "hook_failures_total", "-z commands that failed.", offsetof(struct writer_counters, hook_failures) },
	};

	for (size_t s = 0; s < sizeof(stage) / sizeof(stage[0]); s++) {
		prom_family(out, stage[s].name, "counter", stage[s].help);
		for (unsigned i = 0; i < eng->nwriters; i++) {
			const counter_t *c = (const counter_t *)((const char *)&eng->writers[i].ctr + stage[s].offset);
			fprintf(out, "tapdump_%s{writer=\"%u\"} %" PRIu64 "\n", stage[s].name, i, counter_get(c));
		}
	}
	if (stats_retention_on(eng))
		prom_retention(eng, out);
	if (stats_lz4_on(eng))
		prom_lz4(eng, out);
}

/* -r of an archive: what its index recorded as lost in the part read. */
static void prom_archive(const struct engine *eng, FILE *out)
{
	const struct archive_report *a = &eng->archive;
	bool lost = a->ring_drops || a->backend_drops;

	prom_family(out, "archive_lost_packets", "gauge",
		    "Packets the archive's index recorded as lost in the segments selected (--since/--until), "
		    "by stage: ring (tapdump's own), backend (kernel, NIC).");
	fprintf(out, "tapdump_archive_lost_packets{stage=\"ring\"} %" PRIu64 "\n", a->ring_drops);
	fprintf(out, "tapdump_archive_lost_packets{stage=\"backend\"} %" PRIu64 "\n", a->backend_drops);
	prom_family(out, "archive_lost_first_seconds", "gauge",
		    "Earliest packet of the segments read that recorded a loss; 0 none.");
	fprintf(out, "tapdump_archive_lost_first_seconds ");
	print_horizon(out, lost && a->drops_from_ns > 0 ? (uint64_t)a->drops_from_ns : 0);
	fputc('\n', out);
	prom_family(out, "archive_lost_last_seconds", "gauge",
		    "Latest packet of the segments read that recorded a loss; 0 none.");
	fprintf(out, "tapdump_archive_lost_last_seconds ");
	print_horizon(out, lost && a->drops_to_ns > 0 ? (uint64_t)a->drops_to_ns : 0);
	fputc('\n', out);
	prom_family(out, "archive_segments", "gauge",
		    "Index segments of the selected files, and of those the ones read.");
	fprintf(out, "tapdump_archive_segments{state=\"selected\"} %" PRIu64 "\n", a->segments);
	fprintf(out, "tapdump_archive_segments{state=\"read\"} %" PRIu64 "\n", a->segments_read);
}

int stats_prometheus_write(const struct engine *eng, const char *path, double uptime)
{
	char tmp[4096];
	FILE *out;
	int fd, ret = 0;

	/*
	 * Scrapers (node_exporter's textfile collector) must never see half a
	 * file: write aside, then rename. The aside name is new each time and
	 * created exclusively (mkostemp: O_CREAT|O_EXCL, so it follows no link),
	 * so whoever owns the folder cannot point it at another file.
	 */
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* mkostemp makes it 0600; the collector may run as another user. */
	if (fchmod(fd, 0644) < 0 || !(out = fdopen(fd, "w"))) {
		ret = -errno;
		close(fd);
		unlink(tmp);
		return ret;
	}
	prom_family(out, "uptime_seconds", "gauge", "Seconds since the capture started.");
	fprintf(out, "tapdump_uptime_seconds %.3f\n", uptime);
	prom_queues(eng, out);
	prom_interfaces(eng, out);
	prom_writers(eng, out);
	if (eng->archive_on)
		prom_archive(eng, out);
	if (ferror(out))
		ret = -EIO;
	if (fclose(out) != 0 && ret == 0)
		ret = -errno;
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret < 0)
		unlink(tmp);
	return ret;
}

FILE *stats_file_open(const char *path, char *errbuf, size_t errlen)
{
	struct stat st;
	FILE *out;
	int fd;

	/* O_NOFOLLOW: a link planted at the name must not turn our appends into writes to its target. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		int err = errno;

		if (err == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			snprintf(errbuf, errlen, "%s: is a symbolic link, not following it", path);
		else
			snprintf(errbuf, errlen, "%s: %s", path, strerror(err));
		errno = err;
		return NULL;
	}
	/* A log file, a FIFO to a collector, or /dev/null; never a disk (block device) or anything else. */
	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
		snprintf(errbuf, errlen, "%s: not a regular file, FIFO or character device", path);
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	out = fdopen(fd, "a");
	if (!out) {
		int err = errno;

		snprintf(errbuf, errlen, "%s: %s", path, strerror(err));
		close(fd);
		errno = err;
		return NULL;
	}
	return out;
}
