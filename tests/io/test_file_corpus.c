/* Every corpus capture read by file_source and by libpcap side by side: plain, LZ4-framed, and through a FIFO. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare.h"
#include "io/file_source.h"

#define DEFAULT_CORPUS "/work/shared/corpus"

static int is_capture(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".pcap") == 0) || (n > 7 && strcmp(name + n - 7, ".pcapng") == 0);
}

/* Ours through a FIFO fed by a child, so the buffered read() path sees the same file. */
static int compare_via_fifo(const char *dir, const char *path, const char *label)
{
	char fifo[600];
	pid_t pid;
	int status, bad;

	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	unlink(fifo);
	if (mkfifo(fifo, 0600) < 0) {
		printf("mkfifo: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		size_t len;
		uint8_t *buf = slurp(path, &len);
		int fd = open(fifo, O_WRONLY);
		size_t off = 0;

		/* Small writes, so records arrive split across reads. */
		while (buf && fd >= 0 && off < len) {
			size_t chunk = len - off < 1000 ? len - off : 1000;
			ssize_t w = write(fd, buf + off, chunk);

			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	bad = compare_with_libpcap(label, fifo, path, TS_MICRO, 0, 64, CMP_EXACT);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		bad = 1;
	unlink(fifo);
	return bad;
}

int main(void)
{
	const char *corpus = getenv("TD_CORPUS") ? getenv("TD_CORPUS") : DEFAULT_CORPUS;
	char dir[64], path[600], lz4[600], label[700];
	struct dirent **names;
	int n, files = 0, bad = 0;

	/* A reader that dies on SIGPIPE would hide the failure we want to see. */
	signal(SIGPIPE, SIG_IGN);
	n = scandir(corpus, &names, NULL, alphasort);
	if (n < 0) {
		printf("SKIP: corpus %s not found\n", corpus);
		return 77;
	}
	if (scratch_make(dir, sizeof(dir)) < 0)
		return 1;
	snprintf(lz4, sizeof(lz4), "%s/copy.lz4", dir);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len;
		uint8_t *buf;

		if (!is_capture(name))
			continue;
		files++;
		snprintf(path, sizeof(path), "%s/%s", corpus, name);
		for (int w = TS_MICRO; w <= TS_NANO; w++) {
			snprintf(label, sizeof(label), "%s (%s)", name, w == TS_NANO ? "nano" : "micro");
			bad |= compare_with_libpcap(label, path, path, (enum ts_precision)w, 0, 64, CMP_EXACT);
			bad |= compare_with_libpcap(label, path, path, (enum ts_precision)w, FILE_SOURCE_MMAP, 1,
						    CMP_EXACT);
		}
		buf = slurp(path, &len);
		if (!buf) {
			bad = 1;
			continue;
		}
		/* Three frames and a skippable one: frame ends fall inside records. */
		size_t splits[2] = { len / 3, 2 * len / 3 };
		if (lz4_write_file(lz4, buf, len, splits, 2) < 0) {
			bad = 1;
		} else {
			for (int w = TS_MICRO; w <= TS_NANO; w++) {
				snprintf(label, sizeof(label), "%s.lz4 (%s)", name, w == TS_NANO ? "nano" : "micro");
				bad |= compare_with_libpcap(label, lz4, path, (enum ts_precision)w, 0, 64, CMP_EXACT);
			}
		}
		free(buf);
		snprintf(label, sizeof(label), "%s (fifo)", name);
		bad |= compare_via_fifo(dir, path, label);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	scratch_remove(dir);
	if (files == 0) {
		printf("SKIP: no captures in %s\n", corpus);
		return 77;
	}
	printf("%d corpus files: %s\n", files, bad ? "FAIL" : "ok");
	return bad;
}
