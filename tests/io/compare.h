/* Shared helpers for the file-source tests: libpcap as the oracle, LZ4 wrapping, temp files. */
#ifndef TD_TEST_IO_COMPARE_H
#define TD_TEST_IO_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "io/packet.h"

/* How the end of our read may differ from libpcap's. */
enum cmp_mode {
	CMP_EXACT,	/* same packets, same end, same message */
	CMP_PREFIX_LZ4, /* ours reads a cut LZ4 copy: a prefix of libpcap's packets, then an LZ4 or truncation error */
};

/*
 * Read ours_path with file_source (file_source_open_flags() with flags,
 * bursts of up to burst) and ref_path with
 * libpcap, both at precision want, and compare open errors, link type,
 * snaplen, every packet's fields and bytes, and how each ends. Returns 0
 * when they agree; otherwise prints what differs (prefixed by label) and
 * returns 1.
 */
int compare_with_libpcap(const char *label, const char *ours_path, const char *ref_path, enum ts_precision want,
			 unsigned flags, unsigned burst, enum cmp_mode mode);

/*
 * Write src as LZ4 frames to dst: split at the given offsets into separate
 * frames (n_splits of them, ascending), with a skippable frame before the
 * second one. Returns 0, or -1 with a message printed.
 */
int lz4_write_file(const char *dst, const uint8_t *src, size_t len, const size_t *splits, unsigned n_splits);

/* Whole file into a malloc'd buffer; NULL on failure (message printed). */
uint8_t *slurp(const char *path, size_t *len);

/* Write len bytes to path; 0 or -1 (message printed). */
int spit(const char *path, const void *data, size_t len);

/* Make a fresh directory under /tmp into dir (at least 64 bytes); 0 or -1. */
int scratch_make(char *dir, size_t len);
/* Remove the directory and the plain files in it. */
void scratch_remove(const char *dir);

#endif
