/* Table test of output file naming: tcpdump 4.99's -C index, -W padding and -G strftime rules. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "writers/rotate.h"

struct width_case {
	unsigned max_files;
	unsigned width;
};

/* tcpdump pads to the digits of W-1 (the largest index it will use); no -W, no padding. */
static const struct width_case widths[] = {
	{ 0, 0 },   { 1, 0 },	{ 2, 1 },    { 9, 1 },	  { 10, 1 },	       { 11, 2 },
	{ 100, 2 }, { 101, 3 }, { 1000, 3 }, { 1001, 4 }, { 4294967295u, 10 },
};

struct name_case {
	const char *pattern;
	bool time_based;
	time_t t;
	bool with_index;
	unsigned index, width;
	const char *expect;
};

/* 1700000000 is 2023-11-14 22:13:20 UTC; the test runs with TZ=UTC. */
static const struct name_case names[] = {
	/* -w alone or -G alone: the pattern as it is (strftime'd with -G), never an index. */
	{ "cap.pcap", false, 0, false, 0, 0, "cap.pcap" },
	{ "cap.pcap", false, 0, false, 7, 3, "cap.pcap" },
	{ "g_%Y%m%d_%H%M%S.pcap", true, 1700000000, false, 0, 0, "g_20231114_221320.pcap" },
	{ "g_%s", true, 1700000003, false, 4, 2, "g_1700000003" },
	{ "100%%.pcap", true, 1700000000, false, 0, 0, "100%.pcap" },
	/* -C without -W: first file bare, then 1, 2, ... appended after the whole name. */
	{ "cap.pcap", false, 0, true, 0, 0, "cap.pcap" },
	{ "cap.pcap", false, 0, true, 1, 0, "cap.pcap1" },
	{ "cap.pcap", false, 0, true, 12, 0, "cap.pcap12" },
	/* -C with -W: every file numbered, zero padded to the digits of W-1. */
	{ "cap.pcap", false, 0, true, 0, 1, "cap.pcap0" },
	{ "cap.pcap", false, 0, true, 9, 1, "cap.pcap9" },
	{ "cap.pcap", false, 0, true, 0, 2, "cap.pcap00" },
	{ "cap.pcap", false, 0, true, 7, 2, "cap.pcap07" },
	{ "cap", false, 0, true, 42, 3, "cap042" },
	/* An index wider than the padding is not cut. */
	{ "cap", false, 0, true, 1234, 2, "cap1234" },
	/* -C with -G: strftime first, then the index within the slice. */
	{ "g_%H%M%S", true, 1700000000, true, 0, 0, "g_221320" },
	{ "g_%H%M%S", true, 1700000000, true, 3, 0, "g_2213203" },
	{ "g_%H%M%S.", true, 1700000000, true, 3, 2, "g_221320.03" },
	/* Names with directories and a percent sign that strftime does not see without -G. */
	{ "dir/sub/x%d", false, 0, true, 2, 1, "dir/sub/x%d2" },
	{ "dir/%Y/x", true, 1700000000, true, 0, 0, "dir/2023/x" },
};

static void test_widths(int *fails)
{
	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		unsigned w = rotate_index_width(widths[i].max_files);
		CHECK(w == widths[i].width, "-W %u: width %u, expected %u", widths[i].max_files, w, widths[i].width);
	}
}

static void test_names(int *fails)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct name_case *c = &names[i];
		char out[256];
		int rc;

		memset(out, 'X', sizeof(out));
		rc = rotate_name(out, sizeof(out), c->pattern, c->time_based, c->t, c->with_index, c->index, c->width);
		CHECK(rc == 0, "case %zu (%s): rc %d", i, c->pattern, rc);
		CHECK(rc != 0 || !strcmp(out, c->expect), "case %zu (%s idx %u w %u): '%s', expected '%s'", i,
		      c->pattern, c->index, c->width, out, c->expect);
	}
}

static void test_too_long(int *fails)
{
	char out[8], big[5000];
	int rc;

	/* Exactly fitting (7 chars + NUL) is fine; one more is refused, never cut silently. */
	rc = rotate_name(out, sizeof(out), "abcdefg", false, 0, false, 0, 0);
	CHECK(rc == 0 && !strcmp(out, "abcdefg"), "7 chars in 8 bytes: rc %d '%s'", rc, out);
	rc = rotate_name(out, sizeof(out), "abcdef", false, 0, true, 12, 0);
	CHECK(rc == -ENAMETOOLONG, "index overflowing the buffer: rc %d", rc);
	rc = rotate_name(out, sizeof(out), "abcdefgh", false, 0, false, 0, 0);
	CHECK(rc == -ENAMETOOLONG, "8 chars in 8 bytes: rc %d", rc);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	{
		char large[8192];
		rc = rotate_name(large, sizeof(large), big, false, 0, true, 1, 0);
		CHECK(rc == -ENAMETOOLONG, "a 5000-char pattern: rc %d", rc);
		rc = rotate_name(large, sizeof(large), big, true, 1700000000, false, 0, 0);
		CHECK(rc == -ENAMETOOLONG, "a 5000-char -G pattern: rc %d", rc);
	}
}

int main(void)
{
	int fails = 0;

	setenv("TZ", "UTC", 1);
	tzset();
	test_widths(&fails);
	test_names(&fails);
	test_too_long(&fails);
	return check_result("rotate", fails);
}
