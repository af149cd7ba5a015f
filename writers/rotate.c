/* Output file names for rotation (-C, -G, -W). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "writers/rotate.h"

unsigned rotate_index_width(unsigned max_files)
{
	unsigned width = 0;

	for (unsigned n = max_files ? max_files - 1 : 0; n > 0; n /= 10)
		width++;
	return width;
}

int rotate_name(char *out, size_t out_len, const char *pattern, bool time_based, time_t slice_start, bool with_index,
		unsigned index, unsigned width)
{
	char base[4096];
	int n;

	if (time_based) {
		struct tm tm;
		if (!localtime_r(&slice_start, &tm))
			return -EINVAL;
		/* strftime returns 0 both for "too long" and for an empty result; an empty name is refused below. */
		if (strftime(base, sizeof(base), pattern, &tm) == 0)
			return -ENAMETOOLONG;
	} else {
		if (strlen(pattern) >= sizeof(base))
			return -ENAMETOOLONG;
		strcpy(base, pattern);
	}
	if (!with_index || (index == 0 && width == 0))
		n = snprintf(out, out_len, "%s", base);
	else
		n = snprintf(out, out_len, "%s%0*u", base, (int)width, index);
	return (n < 0 || (size_t)n >= out_len) ? -ENAMETOOLONG : 0;
}
