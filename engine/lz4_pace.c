/* The backlog-to-acceleration rule of lz4_pace.h. */
#include "writers/lz4_frame.h"
#include "engine/lz4_pace.h"

/*
 * Eighths of the ring at which each level starts. Half full is where a
 * live worker starts compressing blocks itself (worker.c), taking time off
 * its queue: by then nothing should be left to compress.
 */
static const unsigned up_eighths[LZ4_PACE_STORED + 1] = { 0, 2, 3, 4 };

/*
 * LZ4's acceleration trades ratio for speed. On tdgen's text traffic here
 * (lz4 -b, noisy): 1 compresses at ~0.5 GB/s to a ratio of 2.83, 16 at
 * ~0.6 GB/s to 2.59, 64 at ~1 GB/s to 2.13; storing costs a copy.
 */
static const int level_accel[LZ4_PACE_STORED] = { 1, 16, 64 };

void lz4_pace_init(struct lz4_pace *p, int base)
{
	p->base = base > 1 ? base : 1;
	p->level = 0;
	p->level_since_ns = 0;
	p->degraded_since_ns = 0;
}

bool lz4_pace_update(struct lz4_pace *p, unsigned queued, unsigned capacity, bool disk_bound, uint64_t now_ns)
{
	unsigned want = 0, old = p->level;

	if (!capacity)
		return false;
	for (unsigned l = LZ4_PACE_STORED; l > 0; l--) {
		if ((uint64_t)queued * 8 >= (uint64_t)capacity * up_eighths[l]) {
			want = l;
			break;
		}
	}
	if (want > p->level && !disk_bound) {
		p->level = want;
	} else if (p->level && now_ns - p->level_since_ns >= LZ4_PACE_HOLD_NS &&
		   (disk_bound || (uint64_t)queued * 16 < (uint64_t)capacity * up_eighths[p->level])) {
		/*
		 * Drained; or the disk, not compression, is what holds the queue
		 * up (a page cache that took the first seconds at memory speed
		 * starts throttling): fewer bytes then help, so one step back
		 * towards compressing however long the queue.
		 */
		p->level--;
	}
	if (p->level == old)
		return false;
	if (!old)
		p->degraded_since_ns = now_ns;
	p->level_since_ns = now_ns;
	return true;
}

int lz4_pace_accel(const struct lz4_pace *p)
{
	int a;

	if (p->level >= LZ4_PACE_STORED)
		return LZ4_FRAME_STORE;
	a = level_accel[p->level];
	return a > p->base ? a : p->base;
}
