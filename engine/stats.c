/* Summing and reporting the per-thread counters, each described once in counters.def. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/stats.h"

/* Whose struct a counters.def row lives in. */
enum counter_owner { OWNER_WORKER, OWNER_BACKEND, OWNER_WRITER, OWNER_RETENTION, OWNER_LZ4, OWNER_MAIN };

/* Prometheus TYPE: a counter only grows, a gauge is replaced (counter_set). */
enum counter_kind { COUNTER, GAUGE };

/* How struct totals combines a counter over its threads. */
enum counter_sum {
	SUM,
	EARLIEST, /* the smallest non-zero: a time stamp, 0 meaning none */
	LARGEST,
};

enum counter_unit {
	COUNT,
	TIME_NS,     /* ns since the epoch, shown "sec.nsec" ("0" none) */
	DURATION_NS, /* ns, shown as seconds with three decimals */
};

/*
 * The accounting identity (-v): received = the sum of the terms, in this
 * order, each the sum of the rows that name it. Every packet a source
 * hands over ends in exactly one term (DESIGN.md, "Counting").
 */
enum identity_term { ID_NONE, ID_RECEIVED, ID_REJECTED, ID_RING_DROPPED, ID_WRITTEN, ID_LOST, ID_AFTER_COUNT, ID_END };

static const char *const term_name[ID_END] = {
	[ID_REJECTED] = "rejected", [ID_RING_DROPPED] = "ring_dropped", [ID_WRITTEN] = "written",
	[ID_LOST] = "lost",	    [ID_AFTER_COUNT] = "after -c",
};

/* One row of counters.def; what each field means is said there. */
struct counter_desc {
	enum counter_owner owner;
	size_t at;    /* the counter_t in its thread's struct: struct worker, struct writer or struct engine */
	size_t total; /* its sum in struct totals */
	enum counter_kind kind;
	enum counter_sum sum;
	enum counter_unit unit;
	enum identity_term term;
	const char *json;
	bool json_queue, json_each;
	size_t json_over; /* 0: none (no ratio is over received, the first total) */
	const char *column;
	const char *prom, *stage, *help;
	bool iface;
	const char *iface_help;
};

#define TOTAL(name) offsetof(struct totals, name)

/* A row as counters.def gives it: where its counter is (`where`, an offsetof), its total, and the rest. */
#define ROW(who, where, sum_field, ...) { .owner = who, .at = where, .total = TOTAL(sum_field), __VA_ARGS__ },

static const struct counter_desc counters[] = {
#define WORKER(f, t, ...) ROW(OWNER_WORKER, offsetof(struct worker, ctr.f), t, __VA_ARGS__)
#define BACKEND(f, t, ...) ROW(OWNER_BACKEND, offsetof(struct worker, backend.f), t, __VA_ARGS__)
#define WRITER(f, t, ...) ROW(OWNER_WRITER, offsetof(struct writer, ctr.f), t, __VA_ARGS__)
#define RETENTION(f, t, ...) ROW(OWNER_RETENTION, offsetof(struct writer, ctr.retention.f), t, __VA_ARGS__)
#define LZ4(f, t, ...) ROW(OWNER_LZ4, offsetof(struct writer, ctr.lz4.f), t, __VA_ARGS__)
#define MAIN(f, t, ...) ROW(OWNER_MAIN, offsetof(struct engine, ctr.f), t, __VA_ARGS__)
#include "engine/counters.def"
};
#undef ROW

#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

/* The threads that count: one struct per rx queue, per writer, or the run's one (the main thread). */
enum counter_thread { BY_WORKER, BY_WRITER, BY_MAIN };

static enum counter_thread thread_of(const struct counter_desc *d)
{
	switch (d->owner) {
	case OWNER_WORKER:
	case OWNER_BACKEND: return BY_WORKER;
	case OWNER_WRITER:
	case OWNER_RETENTION:
	case OWNER_LZ4: return BY_WRITER;
	default: return BY_MAIN;
	}
}

static unsigned nthreads(const struct engine *eng, enum counter_thread th)
{
	return th == BY_WORKER ? eng->nworkers : th == BY_WRITER ? eng->nwriters : 1;
}

/* Row d's counter in thread i (the i-th worker or writer; the engine's own for BY_MAIN). */
static uint64_t counter_of(const struct engine *eng, const struct counter_desc *d, unsigned i)
{
	const char *base = (const char *)eng;

	if (thread_of(d) == BY_WORKER)
		base = (const char *)&eng->workers[i];
	else if (thread_of(d) == BY_WRITER)
		base = (const char *)&eng->writers[i];
	return counter_get((const counter_t *)(base + d->at));
}

static uint64_t total_of(const struct totals *t, size_t offset)
{
	return *(const uint64_t *)((const char *)t + offset);
}

/* A report line's value: thread i's counter, or, given sums (all threads, or an interface's), the sum. */
static uint64_t value_of(const struct engine *eng, const struct counter_desc *d, unsigned i, const struct totals *sums)
{
	return sums ? total_of(sums, d->total) : counter_of(eng, d, i);
}

/* Fold thread value v into row d's total, as its .sum says. */
static void add(struct totals *t, const struct counter_desc *d, uint64_t v)
{
	uint64_t *sum = (uint64_t *)((char *)t + d->total);

	switch (d->sum) {
	case SUM: *sum += v; break;
	case EARLIEST:
		if (v && (!*sum || v < *sum))
			*sum = v;
		break;
	case LARGEST:
		if (v > *sum)
			*sum = v;
		break;
	}
}

void stats_sum_iface(const struct engine *eng, unsigned iface, struct totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t r = 0; r < NCOUNTERS; r++) {
		if (thread_of(&counters[r]) != BY_WORKER)
			continue;
		for (unsigned i = 0; i < eng->nworkers; i++)
			if (eng->workers[i].iface == iface)
				add(t, &counters[r], counter_of(eng, &counters[r], i));
	}
}

/* An interface's name in reports: as -i gave it; -r input has none. */
static const char *iface_name(const struct engine *eng, unsigned iface)
{
	return eng->ifaces[iface].name ? eng->ifaces[iface].name : "";
}

void stats_sum(const struct engine *eng, struct totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t r = 0; r < NCOUNTERS; r++) {
		const struct counter_desc *d = &counters[r];

		for (unsigned i = 0; i < nthreads(eng, thread_of(d)); i++)
			add(t, d, counter_of(eng, d, i));
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

/* Is row d reported in this run? Retention and LZ4 counters only when those are on. */
static bool reported(const struct engine *eng, const struct counter_desc *d)
{
	if (d->owner == OWNER_RETENTION)
		return stats_retention_on(eng);
	if (d->owner == OWNER_LZ4)
		return stats_lz4_on(eng);
	return true;
}

/* A value as its unit shows it (the stats file, the table and Prometheus alike). */
static void print_value(FILE *out, enum counter_unit unit, uint64_t v)
{
	switch (unit) {
	case TIME_NS: print_horizon(out, v); break;
	case DURATION_NS: fprintf(out, "%.3f", (double)v / 1e9); break;
	default: fprintf(out, "%" PRIu64, v);
	}
}

/*
 * -v table lines start with a label and a name, 31 characters in all
 * (`label_width` of them the label), then one column per counter of
 * thread kind `th` with a .column.
 */
#define TABLE_LEAD 30

static void table_header(FILE *out, const char *label, int label_width, const char *name, enum counter_thread th)
{
	fprintf(out, "%-*s %-*s", label_width, label, TABLE_LEAD - label_width, name);
	for (size_t r = 0; r < NCOUNTERS; r++)
		if (counters[r].column && thread_of(&counters[r]) == th)
			fprintf(out, " %12s", counters[r].column);
	fputc('\n', out);
}

/* One row: thread `id`'s counters, or, given sums, those (an interface's queues summed). */
static void table_row(FILE *out, const struct engine *eng, int label_width, unsigned id, const char *name,
		      enum counter_thread th, const struct totals *sums)
{
	fprintf(out, "%-*u %-*.*s", label_width, id, TABLE_LEAD - label_width, TABLE_LEAD - label_width, name);
	for (size_t r = 0; r < NCOUNTERS; r++)
		if (counters[r].column && thread_of(&counters[r]) == th)
			fprintf(out, " %12" PRIu64, value_of(eng, &counters[r], id, sums));
	fputc('\n', out);
}

/* received, then each term of the identity it must equal; returns the terms' sum. */
static uint64_t print_identity(FILE *out, const struct totals *t)
{
	uint64_t term[ID_END] = { 0 }, accounted = 0;

	for (size_t r = 0; r < NCOUNTERS; r++)
		term[counters[r].term] += total_of(t, counters[r].total);
	fprintf(out, "identity: received %" PRIu64, term[ID_RECEIVED]);
	for (int k = ID_RECEIVED + 1; k < ID_END; k++) {
		fprintf(out, " %s %s %" PRIu64, k == ID_RECEIVED + 1 ? "=" : "+", term_name[k], term[k]);
		accounted += term[k];
	}
	return accounted;
}

void stats_print_table(const struct engine *eng, FILE *out)
{
	struct totals t;
	uint64_t accounted;
	bool running = false;

	table_header(out, "queue", 6, "source", BY_WORKER);
	for (unsigned i = 0; i < eng->nworkers; i++)
		table_row(out, eng, 6, i, eng->workers[i].src ? eng->workers[i].src->name : "?", BY_WORKER, NULL);
	table_header(out, "writer", 6, "", BY_WRITER);
	for (unsigned i = 0; i < eng->nwriters; i++)
		table_row(out, eng, 6, i, "", BY_WRITER, NULL);
	/* Several interfaces: each one's queues summed (the queue rows name their source). */
	if (eng->nifaces > 1)
		table_header(out, "interface", 9, "", BY_WORKER);
	for (unsigned k = 0; eng->nifaces > 1 && k < eng->nifaces; k++) {
		struct totals it;

		stats_sum_iface(eng, k, &it);
		table_row(out, eng, 9, k, iface_name(eng, k), BY_WORKER, &it);
	}
	for (unsigned i = 0; i < eng->nwriters && stats_retention_on(eng); i++) {
		fprintf(out, "retention writer %u:", i);
		for (size_t r = 0; r < NCOUNTERS; r++) {
			const struct counter_desc *d = &counters[r];

			if (d->owner != OWNER_RETENTION || !d->json)
				continue;
			fprintf(out, " %s ", d->json);
			print_value(out, d->unit, counter_of(eng, d, i));
		}
		fputc('\n', out);
	}
	/* Derived values in a sentence of their own: the ratio, and the acceleration's meaning. */
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
	stats_sum(eng, &t);
	for (unsigned i = 0; i < eng->nworkers; i++)
		running |= eng->workers[i].started;
	accounted = print_identity(out, &t);
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

/* Row d's value in a stats-file object: the sums given, a ratio of two of them, or each writer's own. */
static void json_value(FILE *out, const struct engine *eng, const struct counter_desc *d, const struct totals *t)
{
	if (d->json_over) {
		fprintf(out, "%.3f", lz4_ratio(total_of(t, d->total), total_of(t, d->json_over)));
	} else if (d->json_each) {
		fputc('[', out);
		for (unsigned i = 0; i < nthreads(eng, thread_of(d)); i++) {
			if (i)
				fputc(',', out);
			print_value(out, d->unit, counter_of(eng, d, i));
		}
		fputc(']', out);
	} else {
		print_value(out, d->unit, total_of(t, d->total));
	}
}

void stats_json_interval(const struct engine *eng, FILE *out, double uptime)
{
	struct totals t;

	stats_sum(eng, &t);
	fprintf(out, "{\"type\":\"interval\",\"time\":%ld,\"uptime\":%.3f,", (long)time(NULL), uptime);
	for (size_t r = 0; r < NCOUNTERS; r++) {
		if (!counters[r].json || !reported(eng, &counters[r]))
			continue;
		fprintf(out, "\"%s\":", counters[r].json);
		json_value(out, eng, &counters[r], &t);
		fputc(',', out);
	}
	fprintf(out, "\"queues\":[");
	for (unsigned i = 0; i < eng->nworkers; i++) {
		fprintf(out, "%s{\"queue\":%u,\"interface\":%u", i ? "," : "", i, eng->workers[i].iface);
		for (size_t r = 0; r < NCOUNTERS; r++)
			if (counters[r].json_queue) {
				fprintf(out, ",\"%s\":", counters[r].json);
				print_value(out, counters[r].unit, counter_of(eng, &counters[r], i));
			}
		fputc('}', out);
	}
	fprintf(out, "],\"interfaces\":[");
	for (unsigned k = 0; k < eng->nifaces; k++) {
		struct totals it;

		stats_sum_iface(eng, k, &it);
		fprintf(out, "%s{\"interface\":%u,\"name\":\"", k ? "," : "", k);
		json_escape(out, iface_name(eng, k));
		fputc('"', out);
		for (size_t r = 0; r < NCOUNTERS; r++)
			if (counters[r].iface && counters[r].json) {
				fprintf(out, ",\"%s\":", counters[r].json);
				print_value(out, counters[r].unit, total_of(&it, counters[r].total));
			}
		fputc('}', out);
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

/* The source behind each rx queue, and its interface: what the queue label of the counters means. */
static void prom_queue_info(const struct engine *eng, FILE *out)
{
	fprintf(out, "# HELP tapdump_queue_info The source behind each rx queue, and its interface.\n"
		     "# TYPE tapdump_queue_info gauge\n");
	for (unsigned i = 0; i < eng->nworkers; i++) {
		fprintf(out, "tapdump_queue_info{queue=\"%u\",source=\"", i);
		prom_label(out, eng->workers[i].src ? eng->workers[i].src->name : "?");
		fprintf(out, "\",interface=\"");
		prom_label(out, iface_name(eng, eng->workers[i].iface));
		fprintf(out, "\"} 1\n");
	}
}

static void prom_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP tapdump_%s %s\n# TYPE tapdump_%s %s\n", name, help, name, type);
}

/* The Prometheus sections: per rx queue, per interface (its queues summed), per writer, the run's own. */
enum prom_section { PROM_QUEUES, PROM_INTERFACES, PROM_WRITERS, PROM_MAIN };

static bool in_section(const struct engine *eng, const struct counter_desc *d, enum prom_section sec)
{
	if (!d->prom || !reported(eng, d))
		return false;
	switch (sec) {
	case PROM_QUEUES: return thread_of(d) == BY_WORKER;
	case PROM_INTERFACES: return thread_of(d) == BY_WORKER && d->iface;
	case PROM_WRITERS: return thread_of(d) == BY_WRITER;
	default: return thread_of(d) == BY_MAIN;
	}
}

/* Queues, interfaces or writers: the lines of each family of the section. */
static unsigned section_size(const struct engine *eng, enum prom_section sec)
{
	switch (sec) {
	case PROM_QUEUES: return eng->nworkers;
	case PROM_INTERFACES: return eng->nifaces;
	case PROM_WRITERS: return eng->nwriters;
	default: return 1;
	}
}

/* The start of line i of family `name`: its labels (queue, interface or writer i; row d's stage). */
static void prom_line(FILE *out, const struct engine *eng, const char *name, const struct counter_desc *d,
		      enum prom_section sec, unsigned i)
{
	bool labelled = sec != PROM_MAIN;

	fprintf(out, "tapdump_%s", name);
	if (sec == PROM_INTERFACES) {
		fputs("{interface=\"", out);
		prom_label(out, iface_name(eng, i));
		fputc('"', out);
	} else if (labelled) {
		fprintf(out, "{%s=\"%u\"", sec == PROM_QUEUES ? "queue" : "writer", i);
	}
	if (d->stage)
		fprintf(out, "%sstage=\"%s\"", labelled ? "," : "{", d->stage);
	fputs(labelled || d->stage ? "} " : " ", out);
}

/*
 * Every family of a section, in counters.def's order. Rows sharing a
 * family follow one another there; its lines go queue (writer, interface)
 * by queue, each with its stages, and its HELP is the first row's.
 */
static void prom_section(const struct engine *eng, FILE *out, enum prom_section sec)
{
	struct totals t[MAX_INTERFACES];

	for (unsigned k = 0; sec == PROM_INTERFACES && k < eng->nifaces; k++)
		stats_sum_iface(eng, k, &t[k]);
	for (size_t r = 0; r < NCOUNTERS; r++) {
		const struct counter_desc *d = &counters[r];
		char name[128];
		size_t end;

		if (!in_section(eng, d, sec))
			continue;
		/* The family's rows: r up to the next row of the section in another family. */
		for (end = r + 1; end < NCOUNTERS; end++)
			if (in_section(eng, &counters[end], sec) && strcmp(counters[end].prom, d->prom) != 0)
				break;
		snprintf(name, sizeof(name), "%s%s", sec == PROM_INTERFACES ? "interface_" : "", d->prom);
		prom_family(out, name, d->kind == GAUGE ? "gauge" : "counter",
			    sec == PROM_INTERFACES ? d->iface_help : d->help);
		for (unsigned i = 0; i < section_size(eng, sec); i++) {
			for (size_t f = r; f < end; f++) {
				if (!in_section(eng, &counters[f], sec))
					continue;
				prom_line(out, eng, name, &counters[f], sec, i);
				print_value(out, counters[f].unit,
					    value_of(eng, &counters[f], i, sec == PROM_INTERFACES ? &t[i] : NULL));
				fputc('\n', out);
			}
		}
		r = end - 1;
	}
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
	prom_queue_info(eng, out);
	prom_section(eng, out, PROM_QUEUES);
	prom_section(eng, out, PROM_INTERFACES);
	prom_section(eng, out, PROM_WRITERS);
	prom_section(eng, out, PROM_MAIN);
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

int stats_file_open(const char *path, FILE **out, char *errbuf)
{
	struct stat st;
	int fd;

	/* O_NOFOLLOW: a link planted at the name must not turn our appends into writes to its target. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		int err = errno;

		if (err == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return td_errf(errbuf, ELOOP, "%s: is a symbolic link, not following it", path);
		return td_errf(errbuf, err, "%s: %s", path, strerror(err));
	}
	/* A log file, a FIFO to a collector, or /dev/null; never a disk (block device) or anything else. */
	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
		close(fd);
		return td_errf(errbuf, EINVAL, "%s: not a regular file, FIFO or character device", path);
	}
	*out = fdopen(fd, "a");
	if (!*out) {
		int err = errno ? errno : ENOMEM;

		close(fd);
		return td_errf(errbuf, err, "%s: %s", path, strerror(err));
	}
	return 0;
}
