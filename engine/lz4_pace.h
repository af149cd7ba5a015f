/*
 * LZ4 effort against the writer's backlog: a live capture must never drop
 * a packet to save disk, so as blocks queue up ahead of the writer the
 * compressor gets faster (higher acceleration), and past that stores blocks
 * uncompressed in the same frame, until the backlog has drained.
 */
#ifndef TD_LZ4_PACE_H
#define TD_LZ4_PACE_H

#include <stdbool.h>
#include <stdint.h>

/* Levels: 0 the configured acceleration, 1 and 2 faster, 3 stored. */
#define LZ4_PACE_STORED 3

struct lz4_pace {
	int base;		    /* --lz4-accel */
	unsigned level;		    /* 0 .. LZ4_PACE_STORED */
	uint64_t level_since_ns;    /* when the level last changed */
	uint64_t degraded_since_ns; /* when the level last left 0 (valid while level > 0) */
};

void lz4_pace_init(struct lz4_pace *p, int base);

/*
 * The writer's backlog now: `queued` of `capacity` blocks wait in the
 * fullest of its rings. The level rises at once to what the backlog calls
 * for (a quarter full, three eighths, half: stored), and falls one step at
 * a time, once the backlog is under half of its level's threshold and the
 * level has held LZ4_PACE_HOLD_NS. `disk_bound`: the writer spends most of
 * its time in writes, so the disk, not compression, is behind: the level
 * does not rise (storing would only give the disk more bytes), and falls a
 * step each hold time whatever the backlog. Returns true when the level
 * changed.
 */
bool lz4_pace_update(struct lz4_pace *p, unsigned queued, unsigned capacity, bool disk_bound, uint64_t now_ns);

/* The acceleration of the level (LZ4_FRAME_STORE at LZ4_PACE_STORED). */
int lz4_pace_accel(const struct lz4_pace *p);

#define LZ4_PACE_HOLD_NS (100 * 1000 * 1000ull)

#endif
