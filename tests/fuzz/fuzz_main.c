/*
 * Runs a libFuzzer target without libFuzzer: N pseudo-random inputs from a fixed seed, then any files (or every
 * file of a directory) named. With files, the N inputs are those files with a few bytes changed or cut short.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	uint8_t *p;
	size_t len;
};

static struct input *inputs;
static size_t ninputs;

static int load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct input *in;
	long len;

	if (!f) {
		perror(path);
		return 1;
	}
	in = realloc(inputs, (ninputs + 1) * sizeof(*inputs));
	if (!in || fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		fclose(f);
		return 1;
	}
	inputs = in;
	in = &inputs[ninputs];
	in->len = (size_t)len;
	in->p = malloc(in->len ? in->len : 1);
	if (!in->p || fread(in->p, 1, in->len, f) != in->len) {
		perror(path);
		fclose(f);
		free(in->p);
		return 1;
	}
	fclose(f);
	ninputs++;
	return 0;
}

/* A file, or every regular file in a directory (a libFuzzer corpus). */
static int load(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int bad = 0;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return load_file(path);
	d = opendir(path);
	if (!d) {
		perror(path);
		return 1;
	}
	while ((e = readdir(d))) {
		char p[4096];

		snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
		if (e->d_name[0] != '.' && stat(p, &st) == 0 && S_ISREG(st.st_mode))
			bad |= load_file(p);
	}
	closedir(d);
	return bad;
}

/* xorshift64: the same inputs on every run, so a failure reproduces */
static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

int main(int argc, char **argv)
{
	unsigned long iterations = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000;
	uint64_t s = 0x2545f4914f6cdd1dULL;
	static uint8_t buf[2048];

	for (int i = 2; i < argc; i++)
		if (load(argv[i]))
			return 1;
	for (unsigned long i = 0; i < iterations; i++) {
		size_t len = 0;

		if (ninputs) {
			const struct input *in = &inputs[next(&s) % ninputs];
			uint8_t *m = malloc(in->len ? in->len : 1);
			unsigned flips = 1 + (unsigned)(next(&s) % 4);

			if (!m)
				return 1;
			memcpy(m, in->p, in->len);
			len = in->len;
			/* a few bytes changed, most often in the headers near the start */
			for (unsigned f = 0; f < flips && len; f++) {
				size_t at = (next(&s) & 1) ? next(&s) % (len < 64 ? len : 64) : next(&s) % len;

				m[at] ^= (uint8_t)(1u << (next(&s) % 8));
			}
			/* one in four cut short */
			if (len && next(&s) % 4 == 0)
				len = next(&s) % len;
			LLVMFuzzerTestOneInput(m, len);
			free(m);
			continue;
		}
		len = (size_t)(next(&s) % sizeof(buf));
		for (size_t j = 0; j < len; j++)
			buf[j] = (uint8_t)(next(&s) >> 24);
		LLVMFuzzerTestOneInput(buf, len);
	}
	for (size_t i = 0; i < ninputs; i++) {
		LLVMFuzzerTestOneInput(inputs[i].p, inputs[i].len);
		free(inputs[i].p);
	}
	free(inputs);
	printf("%lu generated inputs, %zu files: no disagreement\n", iterations, ninputs);
	return 0;
}
