/* Runs a libFuzzer target without libFuzzer: N pseudo-random inputs from a fixed seed, then any files named. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[1 << 20];
	size_t n;

	if (!f) {
		perror(path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long iterations = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000;
	uint64_t s = 0x2545f4914f6cdd1dULL;
	static uint8_t buf[2048];

	for (unsigned long i = 0; i < iterations; i++) {
		size_t len = 0;

		/* xorshift64: the same inputs on every run, so a failure reproduces */
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		len = (size_t)(s % sizeof(buf));
		for (size_t j = 0; j < len; j++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			buf[j] = (uint8_t)(s >> 24);
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	for (int i = 2; i < argc; i++)
		if (run_file(argv[i]))
			return 1;
	printf("%lu generated inputs, %d files: no disagreement\n", iterations, argc > 2 ? argc - 2 : 0);
	return 0;
}
