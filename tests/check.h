/* A check macro for the unit tests: report the failed condition with its place, count it, go on. */
#ifndef TD_TEST_CHECK_H
#define TD_TEST_CHECK_H

#include <stdio.h>

/* Every test function takes `int *fails`; a failed check is reported and counted, the test goes on. */
#define CHECK(cond, ...)                                                                \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                   \
			fputc('\n', stderr);                                            \
			(*fails)++;                                                     \
		}                                                                       \
	} while (0)

/* Exit status of a test binary: 0 pass, 1 fail (meson's convention; 77 skip is the caller's). */
static inline int check_result(const char *name, int fails)
{
	if (fails) {
		printf("%s: %d checks failed\n", name, fails);
		return 1;
	}
	printf("%s: all checks passed\n", name);
	return 0;
}

#endif
