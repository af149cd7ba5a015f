/* --print beside -w: a lossy copy of the written records for a low-priority printer thread. */
#ifndef TD_PRINT_TAP_H
#define TD_PRINT_TAP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "engine/block.h"
#include "engine/counters.h"
#include "engine/park.h"
#include "writers/print/print.h"
#include "engine/ring.h"

#define PRINT_TAP_BLOCKS 4

/*
 * The writer offers each run of records it has written; the tap copies it
 * into a free sample block only when one is free, so a slow printer skips
 * packets (counted) and never holds back the writer or the workers. Fed
 * from the writer, the printed lines keep the files' time order.
 */
struct print_tap {
	struct ring *full;  /* writer -> printer */
	struct ring *empty; /* printer -> writer */
	struct block *blocks;
	struct block *filling; /* writer side: the block being filled */
	struct printer *printer;
	unsigned rate; /* --print-rate lines per second, 0 = no cap */
	pthread_t thread;
	bool started;
	_Atomic bool done; /* writer: no more offers (release) */
	struct park park;
	counter_t printed;	/* printer thread */
	counter_t skipped;	/* writer (no free block) */
	counter_t rate_skipped; /* printer (over --print-rate) */
};

/* 0, or -errno with the reason in errbuf (TD_ERRBUF_SIZE). */
int print_tap_start(struct print_tap *tap, const struct print_opts *opts, unsigned rate, int linktype, FILE *out,
		    char *errbuf);

/* Writer side, after a successful write of `count` records. Never blocks. */
void print_tap_offer(struct print_tap *tap, const uint8_t *recs, size_t len, unsigned count, uint32_t sec_hi);

/* Writer side, at the end: hand over the last partial block. */
void print_tap_finish(struct print_tap *tap);

/* Main thread, after the writers are done: let the printer finish, join, free. */
void print_tap_stop(struct print_tap *tap);

#endif
