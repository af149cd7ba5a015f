/* Unit test of --config files: every long option by file and by command line sets the same fields; bad lines are named by file:line. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "engine/config.h"
#include "engine/stats.h"

#define MAX_ARGS 128

struct parsed {
	struct td_config cfg;
	int rc;
	char err[2048]; /* stderr as tapdump shows it: the parse's own lines, then main's "tapdump: ERRBUF" */
	size_t printed; /* bytes the parse itself wrote: a failure must leave the printing to main */
};

/*
 * The argv copies parse() makes: the config points into them, as it does
 * into main's argv, so they live until exit (and are freed then, so the
 * sanitizer build sees no leak).
 */
static char *kept[16384];
static unsigned nkept;

static void free_kept(void)
{
	while (nkept)
		free(kept[--nkept]);
}

static char *keep_text(char *c)
{
	if (!nkept)
		atexit(free_kept);
	if (c && nkept < sizeof(kept) / sizeof(kept[0]))
		kept[nkept++] = c;
	return c;
}

static char *keep(const char *s)
{
	return keep_text(strdup(s));
}

/* Parse a NULL-terminated argv (copied: getopt permutes it) with stderr captured. */
static void parse(struct parsed *p, const char *const *args)
{
	char *argv[MAX_ARGS];
	char errbuf[TD_ERRBUF_SIZE] = "";
	char errpath[] = "/tmp/td-config-err-XXXXXX";
	int argc = 0, fd = mkstemp(errpath), saved;
	ssize_t n = 0;

	for (; args[argc] && argc < MAX_ARGS - 1; argc++)
		argv[argc] = keep(args[argc]);
	argv[argc] = NULL;
	config_defaults(&p->cfg);
	p->err[0] = '\0';
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if (fd >= 0)
		dup2(fd, STDERR_FILENO);
	p->rc = config_parse_args(&p->cfg, argc, argv, errbuf);
	/* The texts the config read (--config, -F, -V) are kept with the argv copies, to exit. */
	for (unsigned i = 0; i < p->cfg.n_owned; i++)
		keep_text(p->cfg.owned[i]);
	p->cfg.n_owned = 0;
	config_free(&p->cfg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	if (fd >= 0) {
		n = pread(fd, p->err, sizeof(p->err) - 1, 0);
		close(fd);
		unlink(errpath);
	}
	p->printed = n > 0 ? (size_t)n : 0;
	p->err[p->printed] = '\0';
	if (p->rc < 0)
		snprintf(p->err + p->printed, sizeof(p->err) - p->printed, "tapdump: %s\n", errbuf);
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
	SAME_NUM(n_interfaces);
	for (unsigned i = 0; i < a->n_interfaces && i < b->n_interfaces; i++)
		SAME_STR(interfaces[i]);
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
	SAME_NUM(xdp_stamp_burst);
	SAME_NUM(xdp_debug);
	SAME_NUM(dpdk_stamp_burst);
	SAME_NUM(dpdk_debug);
	SAME_NUM(duration);
	SAME_NUM(workers);
	SAME_NUM(writers);
	SAME_STR(cpus);
	SAME_STR(stats_file);
	SAME_NUM(stats_interval);
	SAME_STR(prometheus_file);
	SAME_NUM(disk_budget.bytes);
	SAME_NUM(disk_budget.percent);
	SAME_NUM(min_free.bytes);
	SAME_NUM(min_free.percent);
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
				   "xdp-stamp burst\n"
				   "xdp-debug\n"
				   "dpdk-stamp=burst\n"
				   "dpdk-debug\n"
				   "duration 30\n"
				   "disk-budget 500G\n"
				   "min-free=5%\n";

static const char *const every_option_argv[] = {
	"tapdump",
	"-w",
	"out.pcap.lz4",
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
	"--xdp-stamp",
	"burst",
	"--xdp-debug",
	"--dpdk-stamp",
	"burst",
	"--dpdk-debug",
	"--duration",
	"30",
	"--disk-budget",
	"500G",
	"--min-free",
	"5%",
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
		const char *args[] = { "tapdump", "-w", "out.pcap.lz4", "--config", path, "tcp", "port", "80", NULL };
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
		CHECK(c->n_interfaces == 1 && same_str(c->interfaces[0], "lo"), "interface");
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
		CHECK(c->xdp_stamp_burst && !def.xdp_stamp_burst, "xdp-stamp");
		CHECK(c->xdp_debug && !def.xdp_debug, "xdp-debug");
		CHECK(c->dpdk_stamp_burst && !def.dpdk_stamp_burst, "dpdk-stamp");
		CHECK(c->dpdk_debug && !def.dpdk_debug, "dpdk-debug");
		CHECK(fabs(c->duration - 30) < 1e-9, "duration %g", c->duration);
		CHECK(c->disk_budget.bytes == 500ull << 30 && c->disk_budget.percent == 0, "disk-budget %lu",
		      (unsigned long)c->disk_budget.bytes);
		CHECK(c->min_free.bytes == 0 && c->min_free.percent == 5, "min-free %g%%", c->min_free.percent);
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

	/* -i is repeatable: each one adds an interface, in order, from the command line and the file. */
	write_text(path, "interface xdp:eth2\n");
	{
		const char *args[] = {
			"tapdump", "-i", "eth0", "--config", path, "--interface", "dpdk:net_null0", NULL
		};
		parse(&p, args);
	}
	CHECK(p.rc == 0, "three interfaces: rc %d: %s", p.rc, p.err);
	CHECK(p.cfg.n_interfaces == 3 && same_str(p.cfg.interfaces[0], "eth0") &&
		      same_str(p.cfg.interfaces[1], "xdp:eth2") && same_str(p.cfg.interfaces[2], "dpdk:net_null0"),
	      "three interfaces: got %u", p.cfg.n_interfaces);
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
	CHECK(p.rc == -ELOOP, "self-including config: rc %d", p.rc);
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
	{ "xdp-stamp 0\n", "invalid --xdp-stamp 0 (packet or burst)" },
	{ "dpdk-stamp host\n", "invalid --dpdk-stamp host (packet or burst)" },
	{ "dpdk-debug yes\n", ":1: setting 'dpdk-debug' takes no value" },
	{ "count 0\n", "invalid packet count 0" },
	{ "stats-file \"a.json\n", ":1: setting 'stats-file': no closing \"" },
	{ "no-jit\ncpus '0-1' 2\n", ":2: setting 'cpus': text after the closing quote" },
	{ "stats-file ''\n", ":1: setting 'stats-file' needs a value" },
	{ "linktype BOGUS\n", "invalid data link type BOGUS" },
	{ "disk-budget 0\n", "invalid --disk-budget 0" },
	{ "disk-budget 10X\n", "invalid --disk-budget 10X" },
	{ "min-free 101%\n", "invalid --min-free 101%" },
	{ "disk-budget 500G\n", "--disk-budget requires -w FILE" }, /* no -w in these runs */
	{ "interface va\ninterface vb\ninterface va\n", "-i va given twice" },
	{ "interface a\ninterface b\ninterface c\ninterface d\ninterface e\ninterface f\ninterface g\ninterface h\n"
	  "interface i\ninterface j\ninterface k\ninterface l\ninterface m\ninterface n\ninterface o\ninterface p\n"
	  "interface q\n",
	  "too many -i interfaces (at most 16)" },
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
		CHECK(p.rc < 0, "case %zu (%s): rc %d, expected -errno", i, bad[i].text, p.rc);
		CHECK(!p.printed, "case %zu: the parse printed its error itself: %s", i, p.err);
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
		CHECK(p.rc == -ENOENT && strstr(p.err, "/nonexistent/td.conf"), "missing file: rc %d '%s'", p.rc,
		      p.err);
	}
}

/*
 * The environment's older names of the backend settings: read by the parse
 * (and nowhere else), with the command line winning.
 */
static void test_environment(int *fails)
{
	static const char *const vars[] = { "TAPDUMP_DPDK_DEBUG", "TAPDUMP_XDP_DEBUG", "TAPDUMP_DPDK_STAMP",
					    "TAPDUMP_XDP_STAMP" };
	struct parsed p;

	{
		const char *args[] = { "tapdump", "-r", "x.pcap", NULL };
		parse(&p, args);
		CHECK(p.rc == 0 && !p.cfg.dpdk_debug && !p.cfg.xdp_debug && !p.cfg.dpdk_stamp_burst &&
			      !p.cfg.xdp_stamp_burst,
		      "no environment: rc %d, settings on", p.rc);
	}
	setenv("TAPDUMP_DPDK_DEBUG", "1", 1);
	setenv("TAPDUMP_XDP_DEBUG", "", 1);
	setenv("TAPDUMP_DPDK_STAMP", "burst", 1);
	setenv("TAPDUMP_XDP_STAMP", "0", 1);
	{
		const char *args[] = { "tapdump", "-r", "x.pcap", NULL };
		parse(&p, args);
		CHECK(p.rc == 0 && p.cfg.dpdk_debug && p.cfg.xdp_debug && p.cfg.dpdk_stamp_burst &&
			      p.cfg.xdp_stamp_burst,
		      "environment: rc %d, debug %d %d, burst %d %d", p.rc, p.cfg.dpdk_debug, p.cfg.xdp_debug,
		      p.cfg.dpdk_stamp_burst, p.cfg.xdp_stamp_burst);
	}
	{
		const char *args[] = { "tapdump", "-r",		 "x.pcap", "--dpdk-stamp",
				       "packet",  "--xdp-stamp", "packet", NULL };
		parse(&p, args);
		CHECK(p.rc == 0 && !p.cfg.dpdk_stamp_burst && !p.cfg.xdp_stamp_burst,
		      "the command line does not win over the environment: burst %d %d", p.cfg.dpdk_stamp_burst,
		      p.cfg.xdp_stamp_burst);
	}
	/* Values that never meant anything still mean nothing. */
	setenv("TAPDUMP_DPDK_STAMP", "host", 1);
	setenv("TAPDUMP_XDP_STAMP", "1", 1);
	{
		const char *args[] = { "tapdump", "-r", "x.pcap", NULL };
		parse(&p, args);
		CHECK(p.rc == 0 && !p.cfg.dpdk_stamp_burst && !p.cfg.xdp_stamp_burst, "other values: burst %d %d",
		      p.cfg.dpdk_stamp_burst, p.cfg.xdp_stamp_burst);
	}
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

/* --disk-budget and --min-free sizes: binary units, a percentage of the filesystem, nothing else. */
static void test_sizes(int *fails)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t bytes;
		double percent;
	} cases[] = {
		{ "4096", 0, 4096, 0 },
		{ "4096B", 0, 4096, 0 },
		{ "10k", 0, 10240, 0 },
		{ "10K", 0, 10240, 0 },
		{ "800M", 0, 800ull << 20, 0 },
		{ "800MiB", 0, 800ull << 20, 0 },
		{ "800mb", 0, 800ull << 20, 0 },
		{ "500G", 0, 500ull << 30, 0 },
		{ "1.5G", 0, 3ull << 29, 0 },
		{ "2T", 0, 2ull << 40, 0 },
		{ "10%", 0, 0, 10 },
		{ "2.5%", 0, 0, 2.5 },
		{ "100%", 0, 0, 100 },
		{ "0", -EINVAL, 0, 0 },
		{ "0%", -EINVAL, 0, 0 },
		{ "101%", -EINVAL, 0, 0 },
		{ "-5G", -EINVAL, 0, 0 },
		{ "", -EINVAL, 0, 0 },
		{ " 5G", -EINVAL, 0, 0 },
		{ "5 G", -EINVAL, 0, 0 },
		{ "5G ", -EINVAL, 0, 0 },
		{ "5GX", -EINVAL, 0, 0 },
		{ "5X", -EINVAL, 0, 0 },
		{ "1.5", -EINVAL, 0, 0 }, /* a fraction of a byte */
		{ "0x10", -EINVAL, 0, 0 },
		{ "inf", -EINVAL, 0, 0 },
		{ "nan", -EINVAL, 0, 0 },
		{ "1e30", -EINVAL, 0, 0 },
		{ "20000000000T", -EINVAL, 0, 0 },
		{ "10%%", -EINVAL, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct retention_size z = { 7, 7 };
		int rc = retention_parse_size(cases[i].text, &z);

		CHECK(rc == cases[i].rc, "'%s': rc %d, expected %d", cases[i].text, rc, cases[i].rc);
		if (rc == 0 && cases[i].rc == 0)
			CHECK(z.bytes == cases[i].bytes && z.percent == cases[i].percent, "'%s': %lu bytes %g%%",
			      cases[i].text, (unsigned long)z.bytes, z.percent);
	}
	/* Retention needs a series to trim: not standard output. */
	{
		struct parsed p;
		const char *args[] = { "tapdump", "-r", "x.pcap", "-w", "-", "--min-free", "1G", NULL };

		parse(&p, args);
		CHECK(p.rc < 0 && strstr(p.err, "--min-free requires -w FILE"), "-w - with --min-free: rc %d '%s'",
		      p.rc, p.err);
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
	CHECK(p.rc < 0, "rc %d", p.rc);
	CHECK(strstr(p.err, want) != NULL, "message '%s', expected '%s'", p.err, want);
}

/* Quoted values keep their blanks and #; unquoted, # starts a comment only at a word's start. */
static void test_quoting(int *fails, const char *dir)
{
	char path[256];
	struct parsed p;
	const char *args[] = { "tapdump", "--config", path, NULL };

	snprintf(path, sizeof(path), "%s/quotes.conf", dir);
	write_text(path, "stats-file \"/var/log/td #1.jsonl\"   # trailing comment\n"
			 "prometheus-file=/var/lib/node/td#2.prom # comment\n"
			 "dpdk-args '--vdev=net_null0 \"#x\"'\n"
			 "cpus\t'0-1'\r\n"
			 "xdp-mode skb#not a comment? no: a word\n");
	parse(&p, args);
	/* the last line's value is "skb#not": a # inside a word stays, so xdp-mode refuses it */
	CHECK(p.rc < 0 && strstr(p.err, "unknown xdp mode 'skb#not a comment? no: a word'"), "rc %d: %s", p.rc, p.err);
	write_text(path, "stats-file \"/var/log/td #1.jsonl\"   # trailing comment\n"
			 "prometheus-file=/var/lib/node/td#2.prom # comment\n"
			 "dpdk-args '--vdev=net_null0 \"#x\"'\n"
			 "cpus\t'0-1'\r\n"
			 "no-jit# a comment right after a name\n");
	parse(&p, args);
	CHECK(p.rc == 0, "rc %d: %s", p.rc, p.err);
	CHECK(same_str(p.cfg.stats_file, "/var/log/td #1.jsonl"), "stats-file '%s'",
	      p.cfg.stats_file ? p.cfg.stats_file : "(null)");
	CHECK(same_str(p.cfg.prometheus_file, "/var/lib/node/td#2.prom"), "prometheus-file '%s'",
	      p.cfg.prometheus_file ? p.cfg.prometheus_file : "(null)");
	CHECK(same_str(p.cfg.dpdk_args, "--vdev=net_null0 \"#x\""), "dpdk-args '%s'",
	      p.cfg.dpdk_args ? p.cfg.dpdk_args : "(null)");
	CHECK(same_str(p.cfg.cpus, "0-1"), "cpus '%s'", p.cfg.cpus ? p.cfg.cpus : "(null)");
	CHECK(p.cfg.no_jit, "no-jit# comment");
}

/* -F, -V and --config read at most 1 MiB, refuse directories, and an empty -V list stops the run. */
static void test_special_files(int *fails, const char *dir)
{
	char empty[256], huge[256], want[512];
	struct parsed p;
	FILE *f;

	snprintf(empty, sizeof(empty), "%s/empty.list", dir);
	write_text(empty, "\n\n");
	snprintf(huge, sizeof(huge), "%s/huge.conf", dir);
	/* comment lines only: valid as a config, just one line more than 1 MiB */
	f = fopen(huge, "w");
	for (int i = 0; f && i <= 1024; i++)
		fprintf(f, "#%1022s\n", "");
	if (f)
		fclose(f);
	{
		const char *args[] = { "tapdump", "--config", "/dev/zero", NULL };
		parse(&p, args);
		CHECK(p.rc == -EFBIG && strstr(p.err, "tapdump: /dev/zero: too long (more than 1048576 bytes)\n"),
		      "--config /dev/zero: rc %d '%s'", p.rc, p.err);
	}
	{
		const char *args[] = { "tapdump", "-r", "x.pcap", "-F", "/dev/zero", NULL };
		parse(&p, args);
		CHECK(p.rc < 0 && strstr(p.err, "/dev/zero: too long"), "-F /dev/zero: rc %d '%s'", p.rc, p.err);
	}
	{
		const char *args[] = { "tapdump", "--config", huge, NULL };
		parse(&p, args);
		snprintf(want, sizeof(want), "tapdump: %s: too long (more than 1048576 bytes)\n", huge);
		CHECK(p.rc < 0 && strstr(p.err, want), "--config huge: rc %d '%s'", p.rc, p.err);
	}
	{
		const char *args[] = { "tapdump", "--config", dir, NULL };
		parse(&p, args);
		snprintf(want, sizeof(want), "tapdump: read %s: Is a directory\n", dir);
		CHECK(p.rc == -EISDIR && strstr(p.err, want), "--config DIR: rc %d '%s'", p.rc, p.err);
	}
	{
		const char *args[] = { "tapdump", "-r", "x.pcap", "-F", dir, NULL };
		parse(&p, args);
		CHECK(p.rc < 0 && strstr(p.err, want), "-F DIR: rc %d '%s'", p.rc, p.err);
	}
	{
		const char *args[] = { "tapdump", "-V", empty, NULL };
		parse(&p, args);
		snprintf(want, sizeof(want), "tapdump: Nothing in %s\n", empty);
		CHECK(p.rc < 0 && strstr(p.err, want), "-V empty: rc %d '%s'", p.rc, p.err);
	}
}

/* -y is checked as it is parsed; -w names the writers cannot honour are refused. */
static void test_output_names(int *fails)
{
	static const struct {
		const char *args[8];
		const char *expect; /* NULL: parses */
	} cases[] = {
		{ { "tapdump", "-r", "x.pcap", "-y", "BOGUS", NULL }, "tapdump: invalid data link type BOGUS\n" },
		{ { "tapdump", "-r", "x.pcap", "-y", "EN10MB", NULL }, NULL },
		{ { "tapdump", "-r", "x.pcap", "-G", "1", "-w", "", NULL }, "tapdump: : No such file or directory\n" },
		{ { "tapdump", "-w", "a.pcapng", NULL }, NULL },
		{ { "tapdump", "-w", "a.pcapng.lz4", NULL }, NULL },
		{ { "tapdump", "-w", "a.bin", "--format", "pcapng", NULL }, NULL },
		{ { "tapdump", "-w", "a.pcap", "--format", "pcapng", NULL }, "a.pcap: --format pcapng writes pcapng" },
		{ { "tapdump", "-w", "a.pcapng", "--format", "pcap", NULL }, "a.pcapng: --format pcap writes pcap" },
		{ { "tapdump", "-w", "a.pcapng", "--format", "ng", NULL }, "unknown output format 'ng'" },
		{ { "tapdump", "-w", "a.pcap", "--compress", "lz4", NULL },
		  "a.pcap: --compress lz4 writes an LZ4 frame" },
		{ { "tapdump", "-w", "a.pcap.lz4", "--compress", "lz4", NULL }, NULL },
		{ { "tapdump", "-w", "-", "--compress", "lz4", NULL }, NULL },
		{ { "tapdump", "-w", "/dev/null", "--compress", "lz4", NULL }, NULL },
		{ { "tapdump", "--compress", "lz4", NULL }, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed p;

		parse(&p, cases[i].args);
		if (!cases[i].expect) {
			CHECK(p.rc == 0, "case %zu: rc %d '%s'", i, p.rc, p.err);
			continue;
		}
		CHECK(p.rc < 0 && strstr(p.err, cases[i].expect), "case %zu: rc %d '%s', expected '%s'", i, p.rc, p.err,
		      cases[i].expect);
		CHECK(strchr(p.err, '\n') == strrchr(p.err, '\n'), "case %zu: more than one line: %s", i, p.err);
		CHECK(!p.printed, "case %zu: the parse printed its error itself: %s", i, p.err);
	}
	{
		struct parsed p;
		const char *args[] = { "tapdump", "-w", "a.pcap.lz4", NULL };
		parse(&p, args);
		CHECK(p.rc == 0 && p.cfg.compress == COMPRESS_LZ4, "a .lz4 name: rc %d compress %d", p.rc,
		      (int)p.cfg.compress);
	}
}

/* --stats-file's open: appends, creates 0644, refuses a symbolic link and a directory with one line. */
static void test_stats_file_open(int *fails, const char *dir)
{
	char file[256], link_path[256], err[TD_ERRBUF_SIZE], want[TD_ERRBUF_SIZE], back[64] = "";
	struct stat st;
	mode_t old_mask = umask(022);
	FILE *f;
	ssize_t n = 0;
	int fd, rc;

	snprintf(file, sizeof(file), "%s/stats.json", dir);
	snprintf(link_path, sizeof(link_path), "%s/link.json", dir);
	write_text(file, "first\n");
	CHECK(symlink(file, link_path) == 0, "symlink: %s", strerror(errno));

	f = NULL;
	rc = stats_file_open(link_path, &f, err);
	snprintf(want, sizeof(want), "%s: is a symbolic link, not following it", link_path);
	CHECK(rc == -ELOOP, "a symbolic link opened (%d)", rc);
	CHECK(!f && !strcmp(err, want), "symbolic link: '%s', expected '%s'", err, want);
	if (f)
		fclose(f);

	f = NULL;
	rc = stats_file_open(dir, &f, err);
	snprintf(want, sizeof(want), "%s: %s", dir, strerror(EISDIR));
	CHECK(rc == -EISDIR && !f && !strcmp(err, want), "directory: '%s', expected '%s'", err, want);
	if (f)
		fclose(f);

	f = NULL;
	rc = stats_file_open(file, &f, err);
	CHECK(rc == 0 && f != NULL, "regular file: %s", err);
	if (f) {
		fputs("second\n", f);
		fclose(f);
	}
	fd = open(file, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, back, sizeof(back) - 1);
		close(fd);
	}
	back[n > 0 ? n : 0] = '\0';
	CHECK(!strcmp(back, "first\nsecond\n"), "not appended: '%s'", back);

	snprintf(file, sizeof(file), "%s/new.json", dir);
	f = NULL;
	rc = stats_file_open(file, &f, err);
	CHECK(rc == 0 && f != NULL && stat(file, &st) == 0 && (st.st_mode & 0777) == 0644, "new file: %s mode %o",
	      f ? "opened" : err, (unsigned)(st.st_mode & 0777));
	if (f)
		fclose(f);

	f = NULL;
	rc = stats_file_open("/dev/null", &f, err);
	CHECK(rc == 0 && f != NULL, "/dev/null: %s", err);
	if (f)
		fclose(f);
	umask(old_mask);
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
		test_quoting(&fails, dir);
		test_special_files(&fails, dir);
		test_output_names(&fails);
		test_stats_file_open(&fails, dir);
		test_sizes(&fails);
		test_environment(&fails);
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
