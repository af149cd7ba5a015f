/* Unit test of --config files: every long option by file and by command line sets the same fields; bad lines are named by file:line. */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"

#define MAX_ARGS 128

struct parsed {
	struct td_config cfg;
	int rc;
	char err[2048]; /* what the parse printed on stderr */
};

/* Parse a NULL-terminated argv (copied: getopt permutes it) with stderr captured. */
static void parse(struct parsed *p, const char *const *args)
{
	char *argv[MAX_ARGS];
	char errpath[] = "/tmp/td-config-err-XXXXXX";
	int argc = 0, fd = mkstemp(errpath), saved;
	ssize_t n = 0;

	for (; args[argc] && argc < MAX_ARGS - 1; argc++)
		argv[argc] = strdup(args[argc]);
	argv[argc] = NULL;
	config_defaults(&p->cfg);
	p->err[0] = '\0';
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if (fd >= 0)
		dup2(fd, STDERR_FILENO);
	p->rc = config_parse_args(&p->cfg, argc, argv);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	if (fd >= 0) {
		n = pread(fd, p->err, sizeof(p->err) - 1, 0);
		close(fd);
		unlink(errpath);
	}
	p->err[n > 0 ? n : 0] = '\0';
	/* argv stays allocated: the config points into it, as it does into main's argv. */
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Every field of the config, by name, so a difference says which setting it is. */
static void check_same(int *fails, const struct td_config *a, const struct td_config *b)
{
#define SAME_NUM(f) \
	CHECK(a->f == b->f, "field " #f " differs: config file %g, command line %g", (double)a->f, (double)b->f)
#define SAME_STR(f)                                                                               \
	CHECK(same_str(a->f, b->f), "field " #f " differs: '%s' vs '%s'", a->f ? a->f : "(null)", \
	      b->f ? b->f : "(null)")
	SAME_NUM(n_read_files);
	for (unsigned i = 0; i < a->n_read_files && i < b->n_read_files; i++)
		SAME_STR(read_files[i]);
	SAME_STR(interface);
	SAME_STR(expression);
	SAME_NUM(optimize);
	SAME_NUM(dump_code);
	SAME_NUM(no_jit);
	SAME_STR(write_file);
	SAME_NUM(count);
	SAME_NUM(snaplen);
	SAME_NUM(snaplen_set);
	SAME_NUM(rotate_bytes);
	SAME_NUM(rotate_seconds);
	SAME_NUM(rotate_files);
	SAME_NUM(rotate_align);
	SAME_STR(rotate_hook);
	SAME_STR(user);
	SAME_NUM(packet_buffered);
	SAME_NUM(tsprec);
	SAME_NUM(compress);
	SAME_NUM(lz4_accel);
	CHECK(!memcmp(&a->print, &b->print, sizeof(a->print)), "print options differ");
	SAME_NUM(print_beside_write);
	SAME_NUM(print_rate);
	SAME_NUM(line_buffered);
	SAME_NUM(promisc);
	SAME_NUM(direction);
	SAME_NUM(buffer_kib);
	SAME_NUM(immediate);
	SAME_STR(tstamp_type);
	SAME_STR(linktype_name);
	SAME_NUM(list_devices);
	SAME_NUM(list_linktypes);
	SAME_STR(dpdk_args);
	SAME_STR(xdp_mode);
	SAME_NUM(duration);
	SAME_NUM(workers);
	SAME_NUM(writers);
	SAME_STR(cpus);
	SAME_STR(stats_file);
	SAME_NUM(stats_interval);
	SAME_STR(prometheus_file);
#undef SAME_NUM
#undef SAME_STR
}

/*
 * Every long option a run can be configured with (not --help/--version, which
 * end the parse, nor the ones that stop with "not supported yet"), in the
 * three spellings a file accepts, with comments, blank space and CRLF.
 */
static const char every_option[] = "# tapdump settings\n"
				   "buffer-size 4096\n"
				   "count=1000\n"
				   "   direction   in   # trailing comment\n"
				   "interface lo\n"
				   "time-stamp-type host\r\n"
				   "no-optimize\n"
				   "no-promiscuous-mode\n"
				   "snapshot-length = 128\n"
				   "--packet-buffered\n"
				   "linktype EN10MB\n"
				   "relinquish-privileges nobody\n"
				   "number\n"
				   "print\n"
				   "nano\n"
				   "micro\n"
				   "time-stamp-precision nano\n"
				   "immediate-mode\n"
				   "list-interfaces\n"
				   "list-data-link-types\n"
				   "\twriters 3\n"
				   "workers=4\n"
				   "cpus 0-1,3\n"
				   "compress lz4\n"
				   "lz4-accel 8\n"
				   "stats-file /tmp/td-stats.json\n"
				   "stats-interval 2.5\n"
				   "prometheus-file /tmp/td.prom\n"
				   "rotate-align\n"
				   "print-rate 1000\n"
				   "no-jit\n"
				   "dpdk-args --no-huge -m 512 --vdev=net_null0\n"
				   "xdp-mode skb\n"
				   "duration 30\n";

static const char *const every_option_argv[] = {
	"tapdump",
	"-w",
	"out.pcap",
	"--buffer-size",
	"4096",
	"--count",
	"1000",
	"--direction",
	"in",
	"--interface",
	"lo",
	"--time-stamp-type",
	"host",
	"--no-optimize",
	"--no-promiscuous-mode",
	"--snapshot-length",
	"128",
	"--packet-buffered",
	"--linktype",
	"EN10MB",
	"--relinquish-privileges",
	"nobody",
	"--number",
	"--print",
	"--nano",
	"--micro",
	"--time-stamp-precision",
	"nano",
	"--immediate-mode",
	"--list-interfaces",
	"--list-data-link-types",
	"--writers",
	"3",
	"--workers",
	"4",
	"--cpus",
	"0-1,3",
	"--compress",
	"lz4",
	"--lz4-accel",
	"8",
	"--stats-file",
	"/tmp/td-stats.json",
	"--stats-interval",
	"2.5",
	"--prometheus-file",
	"/tmp/td.prom",
	"--rotate-align",
	"--print-rate",
	"1000",
	"--no-jit",
	"--dpdk-args",
	"--no-huge -m 512 --vdev=net_null0",
	"--xdp-mode",
	"skb",
	"--duration",
	"30",
	"tcp",
	"port",
	"80",
	NULL,
};

static void test_every_option(int *fails, const char *dir)
{
	char path[256];
	struct parsed file, line;
	struct td_config def;

	snprintf(path, sizeof(path), "%s/all.conf", dir);
	if (write_text(path, every_option)) {
		CHECK(0, "cannot write %s", path);
		return;
	}
	{
		const char *args[] = { "tapdump", "-w", "out.pcap", "--config", path, "tcp", "port", "80", NULL };
		parse(&file, args);
	}
	parse(&line, every_option_argv);
	CHECK(file.rc == 0, "config file parse rc %d: %s", file.rc, file.err);
	CHECK(line.rc == 0, "command line parse rc %d: %s", line.rc, line.err);
	check_same(fails, &file.cfg, &line.cfg);

	/* And the values are the ones written, not the defaults (a setting that parses but goes nowhere). */
	config_defaults(&def);
	{
		const struct td_config *c = &file.cfg;
		CHECK(c->buffer_kib == 4096, "buffer-size %d", c->buffer_kib);
		CHECK(c->count == 1000, "count %lu", (unsigned long)c->count);
		CHECK(c->direction == 1, "direction %d", c->direction);
		CHECK(same_str(c->interface, "lo"), "interface");
		CHECK(same_str(c->tstamp_type, "host"), "time-stamp-type '%s' (CRLF kept?)", c->tstamp_type);
		CHECK(!c->optimize && def.optimize, "no-optimize");
		CHECK(!c->promisc && def.promisc, "no-promiscuous-mode");
		CHECK(c->snaplen == 128 && c->snaplen_set, "snapshot-length %u", c->snaplen);
		CHECK(c->packet_buffered, "packet-buffered");
		CHECK(same_str(c->linktype_name, "EN10MB"), "linktype");
		CHECK(same_str(c->user, "nobody"), "relinquish-privileges");
		CHECK(c->print.number, "number");
		CHECK(c->print_beside_write, "print");
		CHECK(c->tsprec == TS_NANO && c->print.tsprec == TS_NANO, "time-stamp-precision");
		CHECK(c->immediate, "immediate-mode");
		CHECK(c->list_devices && c->list_linktypes, "list-interfaces, list-data-link-types");
		CHECK(c->writers == 3 && def.writers != 3, "writers %u", c->writers);
		CHECK(c->workers == 4, "workers %u", c->workers);
		CHECK(same_str(c->cpus, "0-1,3"), "cpus");
		CHECK(c->compress == COMPRESS_LZ4, "compress %d", (int)c->compress);
		CHECK(c->lz4_accel == 8, "lz4-accel %d", c->lz4_accel);
		CHECK(same_str(c->stats_file, "/tmp/td-stats.json"), "stats-file");
		CHECK(fabs(c->stats_interval - 2.5) < 1e-9, "stats-interval %g", c->stats_interval);
		CHECK(same_str(c->prometheus_file, "/tmp/td.prom"), "prometheus-file");
		CHECK(c->rotate_align, "rotate-align");
		CHECK(c->print_rate == 1000, "print-rate %u", c->print_rate);
		CHECK(c->no_jit, "no-jit");
		CHECK(same_str(c->dpdk_args, "--no-huge -m 512 --vdev=net_null0"), "dpdk-args '%s'",
		      c->dpdk_args ? c->dpdk_args : "(null)");
		CHECK(same_str(c->xdp_mode, "skb"), "xdp-mode");
		CHECK(fabs(c->duration - 30) < 1e-9, "duration %g", c->duration);
		CHECK(same_str(c->expression, "tcp port 80"), "expression '%s'", c->expression ? c->expression : "");
	}
}

/* The command line and the file apply in order: what comes later wins, as with repeated options. */
static void test_order(int *fails, const char *dir)
{
	char path[256];
	struct parsed p;

	snprintf(path, sizeof(path), "%s/order.conf", dir);
	write_text(path, "writers 5\nlz4-accel 3\n");
	{
		const char *args[] = { "tapdump", "--writers", "2", "--config", path, "--lz4-accel", "9", NULL };
		parse(&p, args);
	}
	CHECK(p.rc == 0, "rc %d: %s", p.rc, p.err);
	CHECK(p.cfg.writers == 5, "the file after --writers 2 gave %u", p.cfg.writers);
	CHECK(p.cfg.lz4_accel == 9, "--lz4-accel 9 after the file gave %d", p.cfg.lz4_accel);
}

/* Nested config files work; a file including itself stops with a message, not a loop. */
static void test_nesting(int *fails, const char *dir)
{
	char a[256], b[256], text[600];
	struct parsed p;

	snprintf(a, sizeof(a), "%s/a.conf", dir);
	snprintf(b, sizeof(b), "%s/b.conf", dir);
	snprintf(text, sizeof(text), "workers 2\nconfig %s\nwriters 4\n", b);
	write_text(a, text);
	write_text(b, "workers 7\nno-jit\n");
	{
		const char *args[] = { "tapdump", "--config", a, NULL };
		parse(&p, args);
	}
	CHECK(p.rc == 0, "nested: rc %d: %s", p.rc, p.err);
	CHECK(p.cfg.workers == 7 && p.cfg.no_jit && p.cfg.writers == 4, "nested: workers %u no_jit %d writers %u",
	      p.cfg.workers, p.cfg.no_jit, p.cfg.writers);

	snprintf(text, sizeof(text), "config %s\n", a);
	write_text(a, text);
	{
		const char *args[] = { "tapdump", "--config", a, NULL };
		parse(&p, args);
	}
	CHECK(p.rc == -1, "self-including config: rc %d", p.rc);
	CHECK(strstr(p.err, "nested too deep") != NULL, "self-including config said: %s", p.err);
}

struct bad_case {
	const char *text;
	const char *expect; /* in the message, after "FILE" (":LINE: ..." or the option's own message) */
};

/* Each bad file fails the parse with one message naming the file and the line. */
static const struct bad_case bad[] = {
	{ "# ok\nwriters 2\nbogus 1\n", ":3: unknown setting 'bogus'" },
	{ "writers 2\nw out.pcap\n", ":2: unknown setting 'w'" },
	{ "writers\n", ":1: setting 'writers' needs a value" },
	{ "no-jit\nwriters=\n", ":2: setting 'writers' needs a value" },
	{ "stats-file   # a comment is not a value\n", ":1: setting 'stats-file' needs a value" },
	{ "no-jit yes\n", ":1: setting 'no-jit' takes no value" },
	{ "help\n", NULL }, /* ends the parse (usage), rc 1: checked below */
	{ "writers 0\n", "invalid number of writers 0" },
	{ "writers 3x\n", "invalid number of writers 3x" },
	{ "stats-interval -1\n", "invalid stats interval -1" },
	{ "compress gzip\n", "unknown compression 'gzip'" },
	{ "xdp-mode fast\n", "unknown xdp mode 'fast'" },
	{ "count 0\n", "invalid packet count 0" },
};

static void test_bad(int *fails, const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/bad.conf", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct parsed p;
		const char *args[] = { "tapdump", "--config", path, NULL };
		char want[512];
		int saved_out = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);

		write_text(path, bad[i].text);
		/* --help prints the usage on stdout: keep the test's output readable. */
		fflush(stdout);
		dup2(null, STDOUT_FILENO);
		parse(&p, args);
		fflush(stdout);
		dup2(saved_out, STDOUT_FILENO);
		close(saved_out);
		close(null);
		if (!bad[i].expect) {
			CHECK(p.rc == 1, "case %zu: rc %d, expected 1 (request served)", i, p.rc);
			continue;
		}
		CHECK(p.rc == -1, "case %zu (%s): rc %d, expected -1", i, bad[i].text, p.rc);
		if (bad[i].expect[0] == ':')
			snprintf(want, sizeof(want), "tapdump: %s%s\n", path, bad[i].expect);
		else
			snprintf(want, sizeof(want), "%s", bad[i].expect);
		CHECK(strstr(p.err, want) != NULL, "case %zu: message '%s', expected '%s'", i, p.err, want);
		/* One line: the operator reads it in a log. */
		CHECK(strchr(p.err, '\n') == strrchr(p.err, '\n'), "case %zu: more than one line: %s", i, p.err);
	}
	{
		struct parsed p;
		const char *args[] = { "tapdump", "--config", "/nonexistent/td.conf", NULL };
		parse(&p, args);
		CHECK(p.rc == -1 && strstr(p.err, "/nonexistent/td.conf"), "missing file: rc %d '%s'", p.rc, p.err);
	}
}

/* Line numbers count every line of the file, the blank and comment-only ones too (as an editor shows them). */
static void test_line_numbers(int *fails, const char *dir)
{
	char path[256], want[512];
	struct parsed p;
	const char *args[] = { "tapdump", "--config", path, NULL };

	snprintf(path, sizeof(path), "%s/lines.conf", dir);
	write_text(path, "writers 2\n\n# comment\n\nbogus 1\n");
	parse(&p, args);
	snprintf(want, sizeof(want), "tapdump: %s:5: unknown setting 'bogus'\n", path);
	CHECK(p.rc == -1, "rc %d", p.rc);
	CHECK(strstr(p.err, want) != NULL, "message '%s', expected '%s'", p.err, want);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/td-config-XXXXXX";
	const char *group = argc > 1 ? argv[1] : "all";
	int fails = 0;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	if (!strcmp(group, "all") || !strcmp(group, "main")) {
		test_every_option(&fails, dir);
		test_order(&fails, dir);
		test_nesting(&fails, dir);
		test_bad(&fails, dir);
	}
	if (!strcmp(group, "all") || !strcmp(group, "line-numbers"))
		test_line_numbers(&fails, dir);
	{
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return check_result(group, fails);
}
