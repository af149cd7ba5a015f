/* The command line and config files: tcpdump's letters and the long options, each mapped to one config field. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "common/errbuf.h"
#include "engine/config.h"
#include "engine/time_arg.h"
#include "td_build.h"

enum long_only {
	OPT_NUMBER = 256,
	OPT_PRINT,
	OPT_VERSION,
	OPT_MICRO,
	OPT_NANO,
	OPT_TSPREC,
	OPT_IMMEDIATE,
	OPT_LIST_TSTAMP,
	OPT_WRITERS,
	OPT_WORKERS,
	OPT_CPUS,
	OPT_COMPRESS,
	OPT_LZ4_ACCEL,
	OPT_LZ4_THREADS,
	OPT_STATS_FILE,
	OPT_STATS_INTERVAL,
	OPT_PROMETHEUS,
	OPT_CONFIG,
	OPT_ROTATE_ALIGN,
	OPT_PRINT_RATE,
	OPT_NO_JIT,
	OPT_DPDK_ARGS,
	OPT_DPDK_GEN,
	OPT_XDP_MODE,
	OPT_XDP_STAMP,
	OPT_XDP_DEBUG,
	OPT_DPDK_STAMP,
	OPT_DPDK_DEBUG,
	OPT_DURATION,
	OPT_DISK_BUDGET,
	OPT_MIN_FREE,
	OPT_FORMAT,
	OPT_NO_INDEX,
	OPT_WRITE_BEHIND,
	OPT_DIRECT_IO,
	OPT_INDEX,
	OPT_SINCE,
	OPT_UNTIL,
};

/* tcpdump 4.99's short options; a letter listed here parses even when its feature is not here yet. */
static const char short_opts[] = ":aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpq"
				 "Q:r:s:StT:uUvV:w:W:xXy:Yz:Z:#";

static const struct option long_opts[] = {
	{ "buffer-size", required_argument, NULL, 'B' },
	{ "count", required_argument, NULL, 'c' },
	{ "list-interfaces", no_argument, NULL, 'D' },
	{ "direction", required_argument, NULL, 'Q' },
	{ "help", no_argument, NULL, 'h' },
	{ "interface", required_argument, NULL, 'i' },
	{ "monitor-mode", no_argument, NULL, 'I' },
	{ "time-stamp-type", required_argument, NULL, 'j' },
	{ "list-time-stamp-types", no_argument, NULL, OPT_LIST_TSTAMP },
	{ "list-data-link-types", no_argument, NULL, 'L' },
	{ "no-optimize", no_argument, NULL, 'O' },
	{ "no-promiscuous-mode", no_argument, NULL, 'p' },
	{ "snapshot-length", required_argument, NULL, 's' },
	{ "packet-buffered", no_argument, NULL, 'U' },
	{ "linktype", required_argument, NULL, 'y' },
	{ "relinquish-privileges", required_argument, NULL, 'Z' },
	/* tcpdump has no long names for these: ours, so a --config file (a service's) can say where and how to write. */
	{ "write", required_argument, NULL, 'w' },
	{ "file-size", required_argument, NULL, 'C' },
	{ "rotate-seconds", required_argument, NULL, 'G' },
	{ "file-count", required_argument, NULL, 'W' },
	{ "postrotate-command", required_argument, NULL, 'z' },
	{ "filter-file", required_argument, NULL, 'F' },
	{ "number", no_argument, NULL, OPT_NUMBER },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "micro", no_argument, NULL, OPT_MICRO },
	{ "nano", no_argument, NULL, OPT_NANO },
	{ "time-stamp-precision", required_argument, NULL, OPT_TSPREC },
	{ "immediate-mode", no_argument, NULL, OPT_IMMEDIATE },
	/* The appliance's own settings; a config file uses exactly these names. */
	{ "writers", required_argument, NULL, OPT_WRITERS },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "compress", required_argument, NULL, OPT_COMPRESS },
	{ "lz4-accel", required_argument, NULL, OPT_LZ4_ACCEL },
	{ "lz4-threads", required_argument, NULL, OPT_LZ4_THREADS },
	{ "stats-file", required_argument, NULL, OPT_STATS_FILE },
	{ "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
	{ "prometheus-file", required_argument, NULL, OPT_PROMETHEUS },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "rotate-align", no_argument, NULL, OPT_ROTATE_ALIGN },
	{ "print-rate", required_argument, NULL, OPT_PRINT_RATE },
	{ "no-jit", no_argument, NULL, OPT_NO_JIT },
	{ "dpdk-args", required_argument, NULL, OPT_DPDK_ARGS },
	{ "dpdk-gen", required_argument, NULL, OPT_DPDK_GEN },
	{ "xdp-mode", required_argument, NULL, OPT_XDP_MODE },
	{ "xdp-stamp", required_argument, NULL, OPT_XDP_STAMP },
	{ "xdp-debug", no_argument, NULL, OPT_XDP_DEBUG },
	{ "dpdk-stamp", required_argument, NULL, OPT_DPDK_STAMP },
	{ "dpdk-debug", no_argument, NULL, OPT_DPDK_DEBUG },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "disk-budget", required_argument, NULL, OPT_DISK_BUDGET },
	{ "min-free", required_argument, NULL, OPT_MIN_FREE },
	{ "no-index", no_argument, NULL, OPT_NO_INDEX },
	{ "write-behind", required_argument, NULL, OPT_WRITE_BEHIND },
	{ "direct-io", no_argument, NULL, OPT_DIRECT_IO },
	{ "index", no_argument, NULL, OPT_INDEX },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ NULL, 0, NULL, 0 },
};

void config_defaults(struct td_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->optimize = true;
	cfg->promisc = true;
	cfg->snaplen = DEFAULT_SNAPLEN;
	cfg->writers = 1;
	cfg->lz4_accel = 1;
	cfg->lz4_threads = -1;
	cfg->write_behind = true;
	cfg->tsprec = TS_MICRO;
	cfg->xdp_mode = "auto";
}

void config_usage(FILE *out)
{
	fprintf(out,
		"tapdump version %s\n"
		"Usage: tapdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]\n"
		"\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n"
		"\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]\n"
		"\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]\n"
		"\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]\n"
		"\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]\n"
		"\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]\n"
		"\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]\n"
		"Appliance options (also accepted one per line in a --config file):\n"
		"\t\t[ --workers N ] [ --writers M ] [ --cpus LIST ]\n"
		"\t\t[ --format pcap|pcapng ] [ --compress lz4|none ] [ --lz4-accel N ]\n"
		"\t\t[ --lz4-threads N|auto ] [ --rotate-align ] [ --write-behind on|off ] [ --direct-io ]\n"
		"\t\t[ --stats-file PATH ] [ --stats-interval SEC ] [ --prometheus-file PATH ]\n"
		"\t\t[ --print-rate N ] [ --no-jit ] [ --duration SEC ] [ --config FILE ]\n"
		"\t\t[ --disk-budget SIZE|N%% ] [ --min-free SIZE|N%% ] [ --no-index ]\n"
		"\t\t[ --since TIME ] [ --until TIME ] (with -r FILE|DIR: packets in [since, until))\n"
		"\t\ttapdump --index FILE...  (write the archive index of existing capture files)\n"
		"\t\t[ --dpdk-args 'EAL ARGS' ] [ --dpdk-gen RATE[,COUNT[,SIZE]] ] [ --xdp-mode skb|drv|auto ]\n"
		"\t\t[ --dpdk-stamp packet|burst ] [ --xdp-stamp packet|burst ] [ --dpdk-debug ] [ --xdp-debug ]\n"
		"\t\t[ --write FILE ] [ --file-size N ] [ --rotate-seconds SEC ] [ --file-count N ]\n"
		"\t\t[ --postrotate-command CMD ] [ --filter-file FILE ] (-w -C -G -W -z -F, named for --config)\n"
		"Not supported yet (they parse, then stop the run with a message):\n"
		"\t\t-a -b -E -f -H -I -J -m -M -T -u -Y --list-time-stamp-types\n",
		TAPDUMP_VERSION);
}

/* Whole positive number in [min, max]; tcpdump rejects trailing junk the same way. */
static bool parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/*
 * --dpdk-gen RATE[,COUNT[,SIZE]]: RATE and COUNT whole numbers, RATE may be
 * 0 (unpaced), COUNT 0 (until stopped); SIZE a frame length in bytes or
 * "imix" (0). Mirrors live.h's LIVE_GEN_* (options.c does not include it).
 */
#define GEN_MIN_SIZE 60
#define GEN_MAX_SIZE 2048
#define GEN_DEFAULT_SIZE 60
static bool parse_gen(const char *s, uint64_t *rate, uint64_t *count, unsigned *size)
{
	char buf[64];
	char *comma, *comma2 = NULL;
	uint64_t v;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	comma = strchr(buf, ',');
	*count = 0;
	*size = GEN_DEFAULT_SIZE;
	if (comma) {
		*comma = '\0';
		comma2 = strchr(comma + 1, ',');
		if (comma2)
			*comma2 = '\0';
		if (!parse_u64(comma + 1, 0, UINT64_MAX, count))
			return false;
	}
	if (comma2) {
		if (!strcmp(comma2 + 1, "imix"))
			*size = 0;
		else if (parse_u64(comma2 + 1, GEN_MIN_SIZE, GEN_MAX_SIZE, &v))
			*size = (unsigned)v;
		else
			return false;
	}
	return parse_u64(buf, 0, 1000000000, rate);
}

/* --dpdk-stamp, --xdp-stamp: "packet" (a time stamp each, the default) or "burst" (one a burst). */
static int parse_stamp(const char *s, bool *burst)
{
	if (!strcmp(s, "packet"))
		*burst = false;
	else if (!strcmp(s, "burst"))
		*burst = true;
	else
		return -1;
	return 0;
}

/*
 * The environment's older spellings of four backend settings, read here and
 * nowhere else, before the command line and --config files (which win):
 * TAPDUMP_DPDK_DEBUG and TAPDUMP_XDP_DEBUG set (to anything) are
 * --dpdk-debug and --xdp-debug, TAPDUMP_DPDK_STAMP=burst is --dpdk-stamp
 * burst, TAPDUMP_XDP_STAMP=0 is --xdp-stamp burst.
 */
static void apply_environment(struct td_config *cfg)
{
	const char *v;

	if (getenv("TAPDUMP_DPDK_DEBUG"))
		cfg->dpdk_debug = true;
	if (getenv("TAPDUMP_XDP_DEBUG"))
		cfg->xdp_debug = true;
	v = getenv("TAPDUMP_DPDK_STAMP");
	if (v && !strcmp(v, "burst"))
		cfg->dpdk_stamp_burst = true;
	v = getenv("TAPDUMP_XDP_STAMP");
	if (v && !strcmp(v, "0"))
		cfg->xdp_stamp_burst = true;
}

static bool parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !(v > 0) || v > 1e9)
		return false;
	*out = v;
	return true;
}

/*
 * -F, -V and --config files are a filter, a list of names or a few settings:
 * more than this is a mistake (-F /dev/zero), refused before it eats memory.
 */
#define TEXT_FILE_MAX (1u << 20)

/*
 * The config points into the texts it read (-F, -V lists, --config files):
 * they live as long as the config, and config_free() releases them all,
 * on every exit path. NULL in, NULL out (errno kept).
 */
static char *keep(struct td_config *cfg, char *text)
{
	char **owned;

	if (!text)
		return NULL;
	owned = realloc(cfg->owned, (cfg->n_owned + 1) * sizeof(*owned));
	if (!owned) {
		free(text);
		errno = ENOMEM;
		return NULL;
	}
	cfg->owned = owned;
	cfg->owned[cfg->n_owned++] = text;
	return text;
}

void config_free(struct td_config *cfg)
{
	for (unsigned i = 0; i < cfg->n_owned; i++)
		free(cfg->owned[i]);
	free(cfg->owned);
	cfg->owned = NULL;
	cfg->n_owned = 0;
}

/*
 * Read a whole -F, -V or --config file, at most TEXT_FILE_MAX bytes. NULL with
 * errno set and nothing printed when it cannot be read: the callers' messages
 * differ (tcpdump's own for -F and -V). EFBIG means too long; *open_failed
 * tells a file that would not open from one that would not read.
 */
static char *read_text_file(const char *path, bool *open_failed)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int err;

	*open_failed = fd < 0;
	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t got;

		if (len == cap) {
			/* One byte beyond the limit tells "exactly the limit" from "too long". */
			size_t ncap = cap ? cap * 2 : 4096;
			char *nbuf;

			if (ncap > TEXT_FILE_MAX + 1)
				ncap = TEXT_FILE_MAX + 1;
			if (ncap <= len) {
				err = EFBIG;
				goto fail;
			}
			nbuf = realloc(buf, ncap + 1);
			if (!nbuf) {
				err = ENOMEM;
				goto fail;
			}
			buf = nbuf;
			cap = ncap;
		}
		got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = errno;
			goto fail;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (!buf && !(buf = malloc(1)))
		return NULL;
	buf[len] = '\0';
	return buf;
fail:
	free(buf);
	close(fd);
	errno = err;
	return NULL;
}

/* The one-line message for a failed read_text_file, in tcpdump's words (-F's read_infile); returns -err. */
static int text_file_error(const char *path, int err, bool open_failed, char *errbuf)
{
	if (open_failed)
		return td_errf(errbuf, err, "can't open %s: %s", path, strerror(err));
	if (err == EFBIG)
		return td_errf(errbuf, err, "%s: too long (more than %u bytes)", path, TEXT_FILE_MAX);
	return td_errf(errbuf, err, "read %s: %s", path, strerror(err));
}

static int add_input(struct td_config *cfg, const char *path, char *errbuf)
{
	if (cfg->n_read_files >= MAX_INPUTS)
		return td_errf(errbuf, E2BIG, "too many input files (at most %d)", MAX_INPUTS);
	cfg->read_files[cfg->n_read_files++] = path;
	return 0;
}

static int add_input_list(struct td_config *cfg, const char *list, char *errbuf)
{
	unsigned before = cfg->n_read_files;
	bool open_failed;
	char *text = keep(cfg, read_text_file(list, &open_failed)), *save = NULL;
	int rc;

	if (!text) {
		/* tcpdump reads a directory as an empty list (fgets fails at once). */
		if (errno == EISDIR)
			return td_errf(errbuf, EISDIR, "Nothing in %s", list);
		return text_file_error(list, errno, open_failed, errbuf);
	}
	for (char *line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line && (rc = add_input(cfg, line, errbuf)) < 0)
			return rc;
	}
	/* tcpdump's message; going on would start a live capture on the default interface instead. */
	if (cfg->n_read_files == before)
		return td_errf(errbuf, EINVAL, "Nothing in %s", list);
	/* text stays allocated (config_free): read_files point into it for the whole run. */
	return 0;
}

/*
 * -i again adds an interface (tcpdump keeps the last one): their queues
 * merge into one series. The same name twice would record every packet
 * twice, so it is refused.
 */
static int add_interface(struct td_config *cfg, const char *name, char *errbuf)
{
	for (unsigned i = 0; i < cfg->n_interfaces; i++) {
		if (!strcmp(cfg->interfaces[i], name))
			return td_errf(errbuf, EINVAL, "-i %s given twice", name);
	}
	if (cfg->n_interfaces == MAX_INTERFACES)
		return td_errf(errbuf, E2BIG, "too many -i interfaces (at most %u)", MAX_INTERFACES);
	cfg->interfaces[cfg->n_interfaces++] = name;
	return 0;
}

static int not_yet(const char *what, char *errbuf)
{
	return td_errf(errbuf, ENOTSUP, "%s is not supported yet", what);
}

static int load_config_file(struct td_config *cfg, const char *path, int depth, char *errbuf);

/* Apply one option; arg is NULL for flags. Shared by argv and config files. */
static int apply(struct td_config *cfg, int id, char *arg, int depth, char *errbuf)
{
	bool open_failed;
	uint64_t v;

	switch (id) {
	case 'A': cfg->print.ascii = true; break;
	case 'B':
		if (!parse_u64(arg, 1, INT_MAX, &v))
			return td_errf(errbuf, EINVAL, "invalid packet buffer size %s", arg);
		cfg->buffer_kib = (int)v;
		break;
	case 'c':
		if (!parse_u64(arg, 1, INT64_MAX, &v))
			return td_errf(errbuf, EINVAL, "invalid packet count %s", arg);
		cfg->count = v;
		break;
	case 'C':
		/* tcpdump 4.99: -C counts in units of 1,000,000 bytes. */
		if (!parse_u64(arg, 1, INT64_MAX / 1000000, &v))
			return td_errf(errbuf, EINVAL, "invalid file size %s", arg);
		cfg->rotate_bytes = v * 1000000;
		break;
	case 'd': cfg->dump_code++; break;
	case 'D': cfg->list_devices = true; break;
	case 'e': cfg->print.link_header = true; break;
	case 'F':
		cfg->expression = keep(cfg, read_text_file(arg, &open_failed));
		if (!cfg->expression)
			return text_file_error(arg, errno, open_failed, errbuf);
		/* tcpdump 4.99's read_infile: a # starts a comment running to the end of its line. */
		for (char *c = cfg->expression; (c = strchr(c, '#')) != NULL;)
			while (*c && *c != '\n')
				*c++ = ' ';
		break;
	case 'G':
		if (!parse_u64(arg, 1, INT_MAX, &v))
			return td_errf(errbuf, EINVAL, "invalid number of seconds %s", arg);
		cfg->rotate_seconds = (unsigned)v;
		break;
	case 'h': config_usage(stdout); return 1;
	case 'i': return add_interface(cfg, arg, errbuf);
	case 'j': cfg->tstamp_type = arg; break;
	case 'K': cfg->print.no_checksum = true; break;
	case 'l': cfg->line_buffered = true; break;
	case 'L': cfg->list_linktypes = true; break;
	case 'J':
	case OPT_LIST_TSTAMP: cfg->list_tstamp_types = true; break;
	case 'n': cfg->print.numeric++; break;
	case 'N': cfg->print.no_domain = true; break;
	case 'O': cfg->optimize = false; break;
	case 'p': cfg->promisc = false; break;
	case 'q': cfg->print.quiet = true; break;
	case 'Q':
		if (!strcmp(arg, "inout"))
			cfg->direction = 0;
		else if (!strcmp(arg, "in"))
			cfg->direction = 1;
		else if (!strcmp(arg, "out"))
			cfg->direction = 2;
		else
			return td_errf(errbuf, EINVAL, "unknown capture direction '%s'", arg);
		break;
	case 'r': return add_input(cfg, arg, errbuf);
	case 's':
		if (!parse_u64(arg, 0, DEFAULT_SNAPLEN, &v))
			return td_errf(errbuf, EINVAL, "invalid snaplen %s (must be >= 0 and <= %u)", arg,
				       DEFAULT_SNAPLEN);
		/* As in tcpdump, 0 means the largest snapshot. */
		cfg->snaplen = v ? (uint32_t)v : DEFAULT_SNAPLEN;
		cfg->snaplen_set = true;
		break;
	case 'S': cfg->print.absolute_seq = true; break;
	case 't':
		/* -t, -tt, -ttt, -tttt, -ttttt step through the formats as in tcpdump. */
		if (cfg->print.ts_format == PRINT_TS_DEFAULT)
			cfg->print.ts_format = PRINT_TS_NONE;
		else if (cfg->print.ts_format < PRINT_TS_SINCE_FIRST)
			cfg->print.ts_format++;
		break;
	case 'U': cfg->packet_buffered = true; break;
	case 'v': cfg->print.verbose++; break;
	case 'V': return add_input_list(cfg, arg, errbuf);
	case 'w': cfg->write_file = arg; break;
	case 'W':
		if (!parse_u64(arg, 1, INT_MAX, &v))
			return td_errf(errbuf, EINVAL, "invalid number of output files %s", arg);
		cfg->rotate_files = (unsigned)v;
		break;
	case 'x': cfg->print.hex++; break;
	case 'X': cfg->print.hex_ascii++; break;
	case 'y':
		/* tcpdump checks the name here, so a bad one also stops -r runs, which never use it. */
		if (pcap_datalink_name_to_val(arg) < 0)
			return td_errf(errbuf, EINVAL, "invalid data link type %s", arg);
		cfg->linktype_name = arg;
		break;
	case 'z': cfg->rotate_hook = arg; break;
	case 'Z': cfg->user = arg; break;
	case '#':
	case OPT_NUMBER: cfg->print.number = true; break;
	case OPT_PRINT: cfg->print_beside_write = true; break;
	case OPT_VERSION: printf("tapdump version %s\n%s\n", TAPDUMP_VERSION, pcap_lib_version()); return 1;
	case OPT_MICRO: cfg->tsprec = TS_MICRO; break;
	case OPT_NANO: cfg->tsprec = TS_NANO; break;
	case OPT_TSPREC:
		if (!strcmp(arg, "micro"))
			cfg->tsprec = TS_MICRO;
		else if (!strcmp(arg, "nano"))
			cfg->tsprec = TS_NANO;
		else
			return td_errf(errbuf, EINVAL, "unsupported time stamp precision");
		break;
	case OPT_IMMEDIATE: cfg->immediate = true; break;
	case OPT_WRITERS:
		if (!parse_u64(arg, 1, 64, &v))
			return td_errf(errbuf, EINVAL, "invalid number of writers %s (1 to 64)", arg);
		cfg->writers = (unsigned)v;
		break;
	case OPT_WORKERS:
		if (!parse_u64(arg, 1, MAX_INPUTS, &v))
			return td_errf(errbuf, EINVAL, "invalid number of workers %s (1 to %d)", arg, MAX_INPUTS);
		cfg->workers = (unsigned)v;
		break;
	case OPT_CPUS: cfg->cpus = arg; break;
	case OPT_COMPRESS:
		if (!strcmp(arg, "lz4"))
			cfg->compress = COMPRESS_LZ4;
		else if (!strcmp(arg, "none"))
			cfg->compress = COMPRESS_NONE;
		else
			return td_errf(errbuf, EINVAL, "unknown compression '%s' (lz4 or none)", arg);
		break;
	case OPT_FORMAT:
		if (!strcmp(arg, "pcap"))
			cfg->format = FORMAT_PCAP;
		else if (!strcmp(arg, "pcapng"))
			cfg->format = FORMAT_PCAPNG;
		else
			return td_errf(errbuf, EINVAL, "unknown output format '%s' (pcap or pcapng)", arg);
		break;
	case OPT_LZ4_ACCEL:
		if (!parse_u64(arg, 1, 65537, &v))
			return td_errf(errbuf, EINVAL, "invalid lz4 acceleration %s (1 to 65537)", arg);
		cfg->lz4_accel = (int)v;
		break;
	case OPT_LZ4_THREADS:
		if (!strcmp(arg, "auto")) {
			cfg->lz4_threads = -1;
		} else if (!parse_u64(arg, 0, 64, &v)) {
			return td_errf(errbuf, EINVAL, "invalid --lz4-threads %s (0 to 64, or auto)", arg);
		} else {
			cfg->lz4_threads = (int)v;
		}
		break;
	case OPT_STATS_FILE: cfg->stats_file = arg; break;
	case OPT_STATS_INTERVAL:
		if (!parse_seconds(arg, &cfg->stats_interval))
			return td_errf(errbuf, EINVAL, "invalid stats interval %s", arg);
		break;
	case OPT_PROMETHEUS: cfg->prometheus_file = arg; break;
	case OPT_CONFIG: return load_config_file(cfg, arg, depth + 1, errbuf);
	case OPT_ROTATE_ALIGN: cfg->rotate_align = true; break;
	case OPT_PRINT_RATE:
		if (!parse_u64(arg, 1, UINT32_MAX, &v))
			return td_errf(errbuf, EINVAL, "invalid print rate %s", arg);
		cfg->print_rate = (unsigned)v;
		break;
	case OPT_NO_JIT: cfg->no_jit = true; break;
	case OPT_DPDK_ARGS: cfg->dpdk_args = arg; break;
	case OPT_DPDK_GEN:
		if (!parse_gen(arg, &cfg->dpdk_gen_rate, &cfg->dpdk_gen_count, &cfg->dpdk_gen_size))
			return td_errf(errbuf, EINVAL,
				       "invalid --dpdk-gen %s (RATE[,COUNT[,SIZE]]: frames/s, 0 unpaced; frames, 0 "
				       "until stopped; %d to %d bytes or imix)",
				       arg, GEN_MIN_SIZE, GEN_MAX_SIZE);
		cfg->dpdk_gen = true;
		break;
	case OPT_XDP_MODE:
		if (strcmp(arg, "skb") && strcmp(arg, "drv") && strcmp(arg, "auto"))
			return td_errf(errbuf, EINVAL, "unknown xdp mode '%s' (skb, drv or auto)", arg);
		cfg->xdp_mode = arg;
		break;
	case OPT_XDP_STAMP:
	case OPT_DPDK_STAMP:
		if (parse_stamp(arg, id == OPT_XDP_STAMP ? &cfg->xdp_stamp_burst : &cfg->dpdk_stamp_burst) < 0)
			return td_errf(errbuf, EINVAL, "invalid --%s %s (packet or burst)",
				       id == OPT_XDP_STAMP ? "xdp-stamp" : "dpdk-stamp", arg);
		break;
	case OPT_XDP_DEBUG: cfg->xdp_debug = true; break;
	case OPT_DPDK_DEBUG: cfg->dpdk_debug = true; break;
	case OPT_DURATION:
		if (!parse_seconds(arg, &cfg->duration))
			return td_errf(errbuf, EINVAL, "invalid duration %s", arg);
		break;
	case OPT_DISK_BUDGET:
	case OPT_MIN_FREE:
		if (retention_parse_size(arg, id == OPT_DISK_BUDGET ? &cfg->disk_budget : &cfg->min_free) < 0)
			return td_errf(errbuf, EINVAL,
				       "invalid %s %s (bytes with an optional k, M, G or T, or N%% of the "
				       "filesystem)",
				       id == OPT_DISK_BUDGET ? "--disk-budget" : "--min-free", arg);
		break;
	case OPT_NO_INDEX: cfg->no_index = true; break;
	case OPT_DIRECT_IO: cfg->direct_io = true; break;
	case OPT_WRITE_BEHIND:
		if (!strcmp(arg, "on"))
			cfg->write_behind = true;
		else if (!strcmp(arg, "off"))
			cfg->write_behind = false;
		else
			return td_errf(errbuf, EINVAL, "invalid --write-behind %s (on or off)", arg);
		break;
	case OPT_INDEX: cfg->index_mode = true; break;
	case OPT_SINCE:
	case OPT_UNTIL:
		if (time_arg_parse(arg, id == OPT_SINCE ? &cfg->since_ns : &cfg->until_ns) < 0)
			return td_errf(errbuf, EINVAL,
				       "invalid %s %s (ISO 8601 such as 2026-12-04T10:03:00.5Z, @EPOCH[.frac], "
				       "or -15m, -2h, -1d before now)",
				       id == OPT_SINCE ? "--since" : "--until", arg);
		if (id == OPT_SINCE)
			cfg->has_since = true;
		else
			cfg->has_until = true;
		break;
	case 'a': return not_yet("-a (ring buffer to file conversion)", errbuf);
	case 'b': return not_yet("-b (ASDOT AS numbers)", errbuf);
	case 'E': return not_yet("-E (ESP decryption)", errbuf);
	case 'f': return not_yet("-f (foreign addresses)", errbuf);
	case 'H': return not_yet("-H (802.11s mesh headers)", errbuf);
	case 'I': return not_yet("-I (monitor mode)", errbuf);
	case 'm': return not_yet("-m (SMI MIB modules)", errbuf);
	case 'M': return not_yet("-M (TCP-MD5 secret)", errbuf);
	case 'T': return not_yet("-T (packet type interpretation)", errbuf);
	case 'u': return not_yet("-u (undecoded NFS handles)", errbuf);
	case 'Y': return not_yet("-Y (BPF optimizer debugging)", errbuf);
	/* Unreachable: every letter and long option above has its case; a new one without is a bug. */
	default: return td_errf(errbuf, EINVAL, "option %d has no handler", id);
	}
	return 0;
}

static int find_long(const char *name)
{
	for (const struct option *o = long_opts; o->name; o++)
		if (!strcmp(o->name, name))
			return (int)(o - long_opts);
	return -1;
}

/*
 * One config line's value, from its first character: a value in "..." or
 * '...' is taken as written (spaces and # included, no escapes), with only
 * blanks or a comment after the closing quote; otherwise # starts a comment
 * at a word's start (as in sh: /data/cap#1 keeps its #) and trailing blanks
 * go. Returns the value (possibly empty) or NULL with errbuf filled (EINVAL).
 */
static char *config_value(char *p, const char *path, unsigned lineno, const char *name, char *errbuf)
{
	char *end;

	if (*p == '"' || *p == '\'') {
		char *close = strchr(p + 1, *p);

		if (!close) {
			td_errf(errbuf, EINVAL, "%s:%u: setting '%s': no closing %c", path, lineno, name, *p);
			return NULL;
		}
		*close++ = '\0';
		close += strspn(close, " \t\r");
		if (*close && *close != '#') {
			td_errf(errbuf, EINVAL, "%s:%u: setting '%s': text after the closing quote", path, lineno,
				name);
			return NULL;
		}
		return p + 1;
	}
	for (end = p; *end; end++) {
		if (*end == '#' && (end == p || end[-1] == ' ' || end[-1] == '\t')) {
			*end = '\0';
			break;
		}
	}
	while (end > p && strchr(" \t\r", end[-1]))
		*--end = '\0';
	return p;
}

/* A config file: the long options, one per line ("name value" or "name=value"), # comments, quoted values. */
static int load_config_file(struct td_config *cfg, const char *path, int depth, char *errbuf)
{
	unsigned lineno = 0;
	bool open_failed;
	char *text;

	if (depth > 4)
		return td_errf(errbuf, ELOOP, "%s: config files nested too deep", path);
	text = keep(cfg, read_text_file(path, &open_failed));
	if (!text)
		return text_file_error(path, errno, open_failed, errbuf);
	/* strsep, not strtok: empty lines must still count for the line numbers in messages. */
	for (char *rest = text, *line; (line = strsep(&rest, "\n")) != NULL;) {
		char *name, *name_end, *value;
		int idx, rc;

		lineno++;
		name = line + strspn(line, " \t\r");
		if (!*name || *name == '#')
			continue;
		name_end = name + strcspn(name, " \t\r=#");
		if (*name_end == '#') {
			value = name_end;
			*value = '\0';
		} else if (*name_end) {
			*name_end = '\0';
			value = name_end + 1;
			value += strspn(value, " \t\r=");
		} else {
			value = name_end;
		}
		if (!strncmp(name, "--", 2))
			name += 2;
		idx = find_long(name);
		if (idx < 0)
			return td_errf(errbuf, EINVAL, "%s:%u: unknown setting '%s'", path, lineno, name);
		value = config_value(value, path, lineno, name, errbuf);
		if (!value)
			return -EINVAL;
		if (long_opts[idx].has_arg == required_argument && !*value)
			return td_errf(errbuf, EINVAL, "%s:%u: setting '%s' needs a value", path, lineno, name);
		if (long_opts[idx].has_arg == no_argument && *value)
			return td_errf(errbuf, EINVAL, "%s:%u: setting '%s' takes no value", path, lineno, name);
		rc = apply(cfg, long_opts[idx].val, *value ? value : NULL, depth, errbuf);
		if (rc)
			return rc;
	}
	/* text stays allocated: string settings point into it. */
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t len = strlen(s), n = strlen(suffix);

	return len >= n && !strcasecmp(s + len - n, suffix);
}

/* -w's name against what the writers can put in it: the name is what readers go by. */
static int check_write_name(struct td_config *cfg, char *errbuf)
{
	const char *w = cfg->write_file;
	bool lz4_name = ends_with(w, ".lz4");
	bool ng_name = ends_with(w, ".pcapng") || ends_with(w, ".pcapng.lz4");
	bool pcap_name = ends_with(w, ".pcap") || ends_with(w, ".pcap.lz4");

	/* tcpdump's message: its open of "" fails so; ours would only fail at the first rotation. */
	if (!*w)
		return td_errf(errbuf, ENOENT, ": %s", strerror(ENOENT));
	/* Readers go by the magic, people by the name: a name that says the other format is refused. */
	if (cfg->format == FORMAT_PCAP && ng_name)
		return td_errf(errbuf, EINVAL, "%s: --format pcap writes pcap; name the file .pcap or .pcap.lz4", w);
	if (cfg->format == FORMAT_PCAPNG && pcap_name)
		return td_errf(errbuf, EINVAL,
			       "%s: --format pcapng writes pcapng; name the file .pcapng or .pcapng.lz4", w);
	if (cfg->format == FORMAT_AUTO)
		cfg->format = ng_name ? FORMAT_PCAPNG : FORMAT_PCAP;
	if (cfg->compress == COMPRESS_AUTO)
		cfg->compress = lz4_name ? COMPRESS_LZ4 : COMPRESS_NONE;
	/* An LZ4 frame under a capture's name reads as a damaged capture; stdout and /dev/null have no reader to fool. */
	if (cfg->compress == COMPRESS_LZ4 && !lz4_name && strcmp(w, "-") && strcmp(w, "/dev/null"))
		return td_errf(errbuf, EINVAL, "%s: --compress lz4 writes an LZ4 frame; add .lz4 to the -w name", w);
	return 0;
}

/* Combinations that cannot work, refused before anything is opened. */
static int check(struct td_config *cfg, char *errbuf)
{
	if (cfg->n_read_files && cfg->n_interfaces)
		return td_errf(errbuf, EINVAL, "-r/-V and -i cannot be used together");
	if ((cfg->rotate_bytes || cfg->rotate_seconds) && !cfg->write_file)
		return td_errf(errbuf, EINVAL, "-%c requires -w", cfg->rotate_bytes ? 'C' : 'G');
	if ((cfg->rotate_bytes || cfg->rotate_seconds) && !strcmp(cfg->write_file, "-"))
		return td_errf(errbuf, EINVAL, "-C/-G cannot rotate the standard output");
	if (cfg->rotate_hook && !cfg->rotate_bytes && !cfg->rotate_seconds)
		return td_errf(errbuf, EINVAL, "-z requires -C or -G");
	if ((retention_size_set(&cfg->disk_budget) || retention_size_set(&cfg->min_free)) &&
	    (!cfg->write_file || !strcmp(cfg->write_file, "-")))
		return td_errf(errbuf, EINVAL, "--%s requires -w FILE: it deletes the oldest files of that series",
			       retention_size_set(&cfg->disk_budget) ? "disk-budget" : "min-free");
	if ((cfg->has_since || cfg->has_until) && !cfg->n_read_files)
		return td_errf(errbuf, EINVAL, "--since/--until select packets of -r files or directories");
	if (cfg->has_since && cfg->has_until && cfg->until_ns <= cfg->since_ns)
		return td_errf(errbuf, EINVAL, "--until must be later than --since");
	if (cfg->write_file) {
		int rc = check_write_name(cfg, errbuf);

		if (rc < 0)
			return rc;
	}
	cfg->print.tsprec = cfg->tsprec;
	return 0;
}

static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int config_parse_args(struct td_config *cfg, int argc, char **argv, char *errbuf)
{
	int c, rc;

	apply_environment(cfg);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			const char *word = argv[optind - 1];
			if (c == ':' && !strncmp(word, "--", 2))
				return td_errf(errbuf, EINVAL, "option '%s' requires an argument", word);
			if (c == ':')
				return td_errf(errbuf, EINVAL, "option requires an argument -- '%c'", optopt);
			if (optopt)
				return td_errf(errbuf, EINVAL, "invalid option -- '%c'", optopt);
			return td_errf(errbuf, EINVAL, "unrecognized option '%s'", argv[optind - 1]);
		}
		rc = apply(cfg, c, optarg, 0, errbuf);
		if (rc)
			return rc;
	}
	/* --index FILE...: the arguments are files, not an expression. */
	if (cfg->index_mode) {
		cfg->index_files = (const char *const *)argv + optind;
		cfg->n_index_files = (unsigned)(argc - optind);
		if (!cfg->n_index_files)
			return td_errf(errbuf, EINVAL, "--index needs the capture files to index");
		return 0;
	}
	if (optind < argc) {
		if (cfg->expression) {
			/* tcpdump: -F wins and the command-line expression is ignored with a warning. */
			fprintf(stderr, "Warning: ignoring the expression on the command line since -F was given\n");
		} else if (!(cfg->expression = keep(cfg, join_args(argc - optind, argv + optind)))) {
			return td_errf(errbuf, ENOMEM, "out of memory");
		}
	}
	return check(cfg, errbuf);
}
