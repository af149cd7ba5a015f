/* Unit test of lz4_pace: the backlog raises the acceleration at once, then stores; it falls back one step at a time. */
#include <stdlib.h>

#include "check.h"
#include "writers/lz4_frame.h"
#include "engine/lz4_pace.h"

#define MS (1000 * 1000ull)

static void test_levels(int *fails)
{
	struct lz4_pace p;
	uint64_t t = 1000 * MS;

	lz4_pace_init(&p, 1);
	CHECK(lz4_pace_accel(&p) == 1, "starts at %d", lz4_pace_accel(&p));
	CHECK(!lz4_pace_update(&p, 15, 64, false, t), "15 of 64 queued changed the level");
	CHECK(lz4_pace_update(&p, 16, 64, false, t) && lz4_pace_accel(&p) == 16, "a quarter: acceleration %d",
	      lz4_pace_accel(&p));
	CHECK(lz4_pace_update(&p, 24, 64, false, t + MS) && lz4_pace_accel(&p) == 64, "three eighths: acceleration %d",
	      lz4_pace_accel(&p));
	/* A jump straight to half a ring stores at once, whatever the level was. */
	lz4_pace_init(&p, 1);
	CHECK(lz4_pace_update(&p, 40, 64, false, t) && lz4_pace_accel(&p) == LZ4_FRAME_STORE, "half: acceleration %d",
	      lz4_pace_accel(&p));
	CHECK(p.degraded_since_ns == t, "degraded since %lu", (unsigned long)p.degraded_since_ns);
	/* Drained, but within the hold time: stays. */
	CHECK(!lz4_pace_update(&p, 0, 64, false, t + 50 * MS), "fell back within the hold time");
	/* Between the thresholds: no flapping. */
	CHECK(!lz4_pace_update(&p, 20, 64, false, t + 500 * MS), "fell back while 20 of 64 were queued");
	CHECK(lz4_pace_update(&p, 0, 64, false, t + 500 * MS) && p.level == 2, "one step down, level %u", p.level);
	CHECK(!lz4_pace_update(&p, 0, 64, false, t + 550 * MS), "a second step within the hold time");
	CHECK(lz4_pace_update(&p, 0, 64, false, t + 700 * MS) && p.level == 1, "level %u", p.level);
	CHECK(lz4_pace_update(&p, 0, 64, false, t + 900 * MS) && p.level == 0 && lz4_pace_accel(&p) == 1, "level %u",
	      p.level);
	CHECK(p.degraded_since_ns == t, "the episode's start was lost");
	/* A base acceleration above a level's keeps the base. */
	lz4_pace_init(&p, 20);
	lz4_pace_update(&p, 16, 64, false, t);
	CHECK(lz4_pace_accel(&p) == 20, "--lz4-accel 20 at level 1: %d", lz4_pace_accel(&p));
	/* The disk behind, not compression: the level holds, and still falls when the backlog drains. */
	lz4_pace_init(&p, 1);
	CHECK(!lz4_pace_update(&p, 40, 64, true, t) && lz4_pace_accel(&p) == 1, "disk bound: acceleration %d",
	      lz4_pace_accel(&p));
	lz4_pace_update(&p, 20, 64, false, t);
	CHECK(p.level == 1, "level %u", p.level);
	CHECK(lz4_pace_update(&p, 0, 64, true, t + 200 * MS) && p.level == 0, "disk bound: no fall back, level %u",
	      p.level);
	/*
	 * Stored while the page cache took the writes, then the disk throttles:
	 * back towards compressing a step per hold time, the queue still full.
	 */
	lz4_pace_init(&p, 1);
	CHECK(lz4_pace_update(&p, 40, 64, false, t) && p.level == LZ4_PACE_STORED, "half: level %u", p.level);
	CHECK(!lz4_pace_update(&p, 60, 64, true, t + 50 * MS), "disk bound: fell within the hold time");
	CHECK(lz4_pace_update(&p, 60, 64, true, t + 150 * MS) && p.level == 2, "disk bound, full queue: level %u",
	      p.level);
	CHECK(lz4_pace_update(&p, 60, 64, true, t + 300 * MS) && p.level == 1, "level %u", p.level);
	CHECK(lz4_pace_update(&p, 60, 64, false, t + 310 * MS) && p.level == LZ4_PACE_STORED,
	      "CPU bound again: level %u", p.level);
	/* No ring: nothing to pace. */
	CHECK(!lz4_pace_update(&p, 5, 0, false, t), "capacity 0 changed the level");
}

int main(void)
{
	int fails = 0;

	test_levels(&fails);
	return check_result("lz4_pace", fails);
}
