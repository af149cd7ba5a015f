/* Per-thread 64-bit counters: one writer thread each, read by anyone, no locked instructions. */
#ifndef TD_COUNTERS_H
#define TD_COUNTERS_H

#include <stdatomic.h>
#include <stdint.h>

typedef _Atomic uint64_t counter_t;

/* Only the owning thread adds, so a relaxed load and store (no lock prefix) is exact. */
static inline void counter_add(counter_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n, memory_order_relaxed);
}

/* A gauge: the owning thread replaces the value. */
static inline void counter_set(counter_t *c, uint64_t v)
{
	atomic_store_explicit(c, v, memory_order_relaxed);
}

static inline uint64_t counter_get(const counter_t *c)
{
	return atomic_load_explicit((counter_t *)c, memory_order_relaxed);
}

/*
 * The per-thread structs, each a list of counter_t generated from
 * counters.def, where every counter is described once.
 */
#define COUNTER_FIELD(field, total, ...) counter_t field;

struct worker_counters {
#define WORKER COUNTER_FIELD
#include "engine/counters.def"
};

struct backend_counters {
#define BACKEND COUNTER_FIELD
#include "engine/counters.def"
};

struct retention_counters {
#define RETENTION COUNTER_FIELD
#include "engine/counters.def"
};

struct lz4_counters {
#define LZ4 COUNTER_FIELD
#include "engine/counters.def"
};

struct writer_counters {
#define WRITER COUNTER_FIELD
#include "engine/counters.def"
	struct retention_counters retention;
	struct lz4_counters lz4;
};

struct main_counters {
#define MAIN COUNTER_FIELD
#include "engine/counters.def"
};

#undef COUNTER_FIELD

#endif
