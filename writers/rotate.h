/* Output file names for -w with -C/-G/-W, exactly as tcpdump 4.99 forms them. */
#ifndef TD_ROTATE_H
#define TD_ROTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Digits tcpdump pads the -C index to for -W files (those of files - 1; 0 without -W). */
unsigned rotate_index_width(unsigned max_files);

/*
 * Build the name of a file: pattern through strftime(slice_start, local time)
 * when time_based, then the index appended (zero-padded to width) unless it
 * is 0 with width 0 — tcpdump's rule. Returns 0, or -ENAMETOOLONG.
 */
int rotate_name(char *out, size_t out_len, const char *pattern, bool time_based, time_t slice_start, bool with_index,
		unsigned index, unsigned width);

#endif
