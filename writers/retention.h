/* Disk-budget retention: a writer's own file series, found by name, oldest files deleted to fit a budget. */
#ifndef TD_RETENTION_H
#define TD_RETENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/counters.h"
#include "writers/hook.h"

/* --disk-budget / --min-free: bytes, or a percentage of the filesystem's size (percent > 0). */
struct retention_size {
	uint64_t bytes;
	double percent;
};

static inline bool retention_size_set(const struct retention_size *z)
{
	return z->bytes || z->percent > 0;
}

/*
 * "500G", "800M", "1.5g", "10k", "4096" (binary units: k = 1024 ... t =
 * 2^40, an optional "B" or "iB" after the unit), or "N%" with 0 < N <= 100.
 * Returns 0, or -EINVAL for anything else (zero, junk, overflow).
 */
int retention_parse_size(const char *s, struct retention_size *out);

/*
 * The names one series can take, from its -w pattern's last component:
 * with -G its strftime conversions match what strftime can put there
 * (digits for %Y %m %d %H %M %S %s %j ..., letters for %a %b %p ...), without
 * -G the pattern is literal; with -C tcpdump's index follows (width digits
 * with -W, else none for file 0 and a number without leading zeros after).
 */
#define NAME_MATCHER_MAX 64

struct name_token {
	enum { TOK_LIT, TOK_DIGITS, TOK_SPACE_DIGITS, TOK_ALPHA, TOK_ZONE } kind;
	unsigned min, max; /* TOK_DIGITS: how many digits; TOK_SPACE_DIGITS: total width */
	const char *lit;   /* TOK_LIT: points into the matcher's copy */
	size_t lit_len;
};

struct name_matcher {
	char text[1024];
	struct name_token tok[NAME_MATCHER_MAX];
	unsigned ntok;
	bool with_index;
	unsigned width; /* -W's index digits; 0: tcpdump's unpadded index */
};

/*
 * Compile `base` (a file name, no '/'). Returns 0, or -EINVAL with a message
 * in errbuf (TD_ERRBUF_SIZE bytes) for a strftime conversion it cannot match exactly.
 */
int name_matcher_init(struct name_matcher *m, const char *base, bool time_based, bool with_index, unsigned width,
		      char *errbuf);

/* Does name belong to the series? *index (may be NULL) gets its -C index (0 without one). */
bool name_matcher_match(const struct name_matcher *m, const char *name, unsigned *index);

/*
 * The first packet's time of a capture file in nanoseconds since the epoch:
 * plain pcap (micro or nano, either byte order) or pcap inside an LZ4 frame.
 * -1 when the file holds no readable record.
 */
int64_t retention_first_packet_ns(int dirfd, const char *name);

struct retention_params {
	const char *pattern; /* the series' -w pattern (with a writer's -wN infix) */
	bool time_based;     /* -G */
	bool with_index;     /* -C */
	unsigned width;	     /* -W index digits */
	struct retention_size budget, min_free;
	unsigned budget_share; /* writers sharing the budget (each series keeps budget / share); 0 = 1 */
	struct hooks *hooks;   /* -z: files whose hook runs are kept; NULL without -z */
	struct retention_counters *ctr;
};

struct retention;

/*
 * Open the series' directory and find the files already there (earlier
 * runs). NULL with errno set and a message in errbuf (TD_ERRBUF_SIZE bytes).
 */
struct retention *retention_open(const struct retention_params *p, char *errbuf);
void retention_close(struct retention *r);

/* The -C index after the highest one found (a restart with -C continues the numbering). */
unsigned retention_next_index(const struct retention *r);

/* path is about to be created over (O_TRUNC): it leaves the series without counting as a deletion. */
void retention_forget(struct retention *r, const char *path);

/* A file of the series was closed: it joins the series, ordered by its first packet (-1: unknown, now). */
void retention_add(struct retention *r, const char *path, uint64_t bytes, int64_t first_ns);

/*
 * Delete the oldest closed files until the series (closed files plus
 * cur_bytes, the open file) fits the budget, the filesystem keeps min-free,
 * and `room` more bytes fit on it besides. Never deletes a file whose hook
 * still runs, nor anything outside the series. Returns 0, or -ENOSPC when
 * nothing deletable is left and the room is still not there.
 */
int retention_enforce(struct retention *r, uint64_t cur_bytes, uint64_t room);

/*
 * A write found the disk full although the series made room before it
 * (another writer took the space): delete its oldest closed files, hooks
 * respected as above, at least one and until `need` bytes (and min-free)
 * are free. 0 when a file went (the write is worth another try), -ENOSPC
 * when nothing of the series is left to delete. Counted in disk_full.
 */
int retention_reclaim(struct retention *r, uint64_t need);

/* Closed files of the series kept only because their -z hook still runs. */
unsigned retention_hook_held(const struct retention *r);

/*
 * Before writing `room` bytes: true when the filesystem may lack them (or
 * min-free) and retention_enforce should run. One fstatvfs.
 */
bool retention_short(struct retention *r, uint64_t room);

/* Update the gauges (series bytes with the open file's cur_bytes, oldest packet kept; first_ns of the open file). */
void retention_publish(struct retention *r, uint64_t cur_bytes, int64_t cur_first_ns);

#endif
