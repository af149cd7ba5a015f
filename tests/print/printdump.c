/* Test driver: prints a capture through the printer with tcpdump's output flags, one file or a whole table of them. */
#include <errno.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writers/print/print.h"

#define MAX_ARGS 32

static int usage(void)
{
	fprintf(stderr, "usage: printdump [-neqSvxXANt#] [--nano|--micro] [--number] [--snap N] -r FILE\n"
			"       printdump --batch TABLE   (rows: name<TAB>pcap<TAB>expected<TAB>args)\n");
	return 2;
}

/*
 * tcpdump's flag letters into print_opts; *file gets -r, *snap --snap N
 * (cut every packet to N bytes, as a capture with that snap length would
 * hold it; 0 leaves them whole). Returns 0, or -EINVAL on an unknown flag.
 */
static int parse_flags(int argc, char **argv, struct print_opts *opts, const char **file, unsigned *snap)
{
	static const struct option longopts[] = {
		{ "nano", no_argument, NULL, 'N' + 256 },
		{ "micro", no_argument, NULL, 'M' + 256 },
		{ "number", no_argument, NULL, '#' },
		{ "snap", required_argument, NULL, 's' + 256 },
		{ NULL, 0, NULL, 0 },
	};
	unsigned tflag = 0;
	int c;

	memset(opts, 0, sizeof(*opts));
	*file = NULL;
	*snap = 0;
	/* 0, not 1: glibc then forgets the state of a previous argument vector */
	optind = 0;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "neqSvxXANKt#r:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': opts->numeric++; break;
		case 'e': opts->link_header = true; break;
		case 'q': opts->quiet = true; break;
		case 'S': opts->absolute_seq = true; break;
		case 'v': opts->verbose++; break;
		case 'x': opts->hex++; break;
		case 'X': opts->hex_ascii++; break;
		case 'A': opts->ascii = true; break;
		case 'N': opts->no_domain = true; break;
		case 'K': opts->no_checksum = true; break;
		case 't': tflag++; break;
		case '#': opts->number = true; break;
		case 'r': *file = optarg; break;
		case 'N' + 256: opts->tsprec = TS_NANO; break;
		case 'M' + 256: opts->tsprec = TS_MICRO; break;
		case 's' + 256: *snap = (unsigned)strtoul(optarg, NULL, 0); break;
		default: return -EINVAL;
		}
	}
	switch (tflag) {
	case 0: opts->ts_format = PRINT_TS_DEFAULT; break;
	case 1: opts->ts_format = PRINT_TS_NONE; break;
	case 2: opts->ts_format = PRINT_TS_EPOCH; break;
	case 3: opts->ts_format = PRINT_TS_DELTA; break;
	case 4: opts->ts_format = PRINT_TS_DATE; break;
	default: opts->ts_format = PRINT_TS_SINCE_FIRST; break;
	}
	return 0;
}

/* Prints every packet of file to out with a fresh printer. Returns 0 or -1 with the reason on stderr. */
static int print_file(const struct print_opts *opts, const char *file, unsigned snap, FILE *out)
{
	char errbuf[TD_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct printer *pr;
	pcap_t *pc;

	pc = pcap_open_offline_with_tstamp_precision(
		file, opts->tsprec == TS_NANO ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (!pc) {
		fprintf(stderr, "printdump: %s\n", errbuf);
		return -1;
	}
	pr = printer_new(opts, pcap_datalink(pc), out, errbuf);
	if (!pr) {
		fprintf(stderr, "printdump: %s\n", errbuf);
		pcap_close(pc);
		return -1;
	}
	while (pcap_next_ex(pc, &h, &data) == 1) {
		struct td_pkt pkt = {
			.data = data,
			.caplen = snap && h->caplen > snap ? snap : h->caplen,
			.wirelen = h->len,
			.ts_sec = h->ts.tv_sec,
			.ts_frac = (uint32_t)h->ts.tv_usec,
		};

		printer_packet(pr, &pkt);
	}
	printer_free(pr);
	pcap_close(pc);
	return 0;
}

/* 1 when the file at path holds exactly len bytes equal to buf. */
static int same_as_file(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t off = 0, n;
	int same = 1;

	if (!f)
		return 0;
	while (same && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (n > len - off || memcmp(chunk, buf + off, n) != 0)
			same = 0;
		off += n;
	}
	fclose(f);
	return same && off == len;
}

/*
 * One table row: "name<TAB>pcap<TAB>expected<TAB>args". The output goes to
 * memory and is compared with the expected file; an empty expected column
 * only prints (the sanitizer run). Prints "ok NAME", "diff NAME" or
 * "error NAME"; returns 0 unless the row could not run.
 */
static int run_row(char *line)
{
	char *name, *pcap, *expected, *args, *save = NULL, *tok;
	char *argv[MAX_ARGS + 3];
	struct print_opts opts;
	const char *file;
	unsigned snap;
	char *buf = NULL;
	size_t len = 0;
	int argc = 0, rc;
	FILE *out;

	name = line;
	pcap = strchr(name, '\t');
	if (!pcap)
		return -1;
	*pcap++ = '\0';
	expected = strchr(pcap, '\t');
	if (!expected)
		return -1;
	*expected++ = '\0';
	args = strchr(expected, '\t');
	if (args)
		*args++ = '\0';
	argv[argc++] = (char *)"printdump";
	for (tok = args ? strtok_r(args, " ", &save) : NULL; tok && argc < MAX_ARGS; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc++] = (char *)"-r";
	argv[argc++] = pcap;
	argv[argc] = NULL;
	if (parse_flags(argc, argv, &opts, &file, &snap) < 0 || !file) {
		printf("error %s\n", name);
		return -1;
	}
	out = *expected ? open_memstream(&buf, &len) : fopen("/dev/null", "w");
	if (!out) {
		printf("error %s\n", name);
		return -1;
	}
	rc = print_file(&opts, file, snap, out);
	fclose(out);
	if (rc < 0)
		printf("error %s\n", name);
	else if (!*expected || same_as_file(expected, buf, len))
		printf("ok %s\n", name);
	else
		printf("diff %s\n", name);
	free(buf);
	return rc;
}

static int run_batch(const char *table)
{
	FILE *f = fopen(table, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int errors = 0;

	if (!f) {
		fprintf(stderr, "printdump: %s: %s\n", table, strerror(errno));
		return 1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (run_row(line) < 0)
			errors++;
		fflush(stdout);
	}
	free(line);
	fclose(f);
	return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct print_opts opts;
	const char *file;
	unsigned snap;

	if (argc == 3 && strcmp(argv[1], "--batch") == 0)
		return run_batch(argv[2]);
	if (parse_flags(argc, argv, &opts, &file, &snap) < 0 || !file)
		return usage();
	return print_file(&opts, file, snap, stdout) < 0 ? 1 : 0;
}
