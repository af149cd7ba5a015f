/*
 * --index: the archive index of capture files already on disk (tcpdump's,
 * or tapdump's older ones), so that an archive of plain pcaps can be
 * searched as one written with indexes. pcap and pcap inside an LZ4 frame
 * of independent blocks; the records are read once, in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lz4.h>

#include "io/archive_source.h"
#include "writers/record.h"

#define PCAP_HEADER_BYTES 24
#define READ_CHUNK (1u << 20)
#define LZ4_MAGIC 0x184D2204u
#define LZ4_BLOCK_STORED 0x80000000u
/* libpcap refuses larger records; a larger caplen means the file is not what its header says. */
#define MAX_CAPLEN (256u << 20)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * The record stream, fed in pieces that each start somewhere a reader can
 * seek to (`at`); a record cut by a piece's end waits in `carry` and joins
 * the next piece, which then cannot start a segment of its own.
 */
struct feeder {
	struct index_builder *ib;
	bool swapped;
	bool header_done;
	uint8_t header[PCAP_HEADER_BYTES];
	uint64_t raw; /* stream bytes taken so far */
	uint8_t *carry;
	size_t carry_len, carry_cap;
	struct index_place carry_at; /* where the carried record starts */
	const char *path;
	char err[TD_ERRBUF_SIZE];
};

static uint32_t rec_caplen(const struct feeder *f, const uint8_t *rec)
{
	uint32_t c;

	memcpy(&c, rec + 8, 4);
	return f->swapped ? __builtin_bswap32(c) : c;
}

static int header(struct feeder *f, const uint8_t *h)
{
	uint32_t magic = le32(h), linktype;
	bool nano;

	if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du) {
		f->swapped = false;
	} else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u) {
		f->swapped = true;
	} else {
		snprintf(f->err, sizeof(f->err), "not a pcap file (pcapng and other formats are not indexed)");
		return -EINVAL;
	}
	nano = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
	linktype = le32(h + 20);
	if (f->swapped)
		linktype = __builtin_bswap32(linktype);
	f->ib = index_builder_new(linktype & 0x03ffffffu, nano, PCAP_HEADER_BYTES);
	if (!f->ib) {
		snprintf(f->err, sizeof(f->err), "out of memory");
		return -ENOMEM;
	}
	return 0;
}

/* Whole records at the front of p[0..len): how many bytes they take. */
static size_t whole_records(const struct feeder *f, const uint8_t *p, size_t len, int *rc)
{
	size_t off = 0;

	while (len - off >= REC_HDR_BYTES) {
		uint32_t c = rec_caplen(f, p + off);

		if (c > MAX_CAPLEN) {
			*rc = -EINVAL;
			return off;
		}
		if (len - off - REC_HDR_BYTES < c)
			break;
		off += REC_HDR_BYTES + c;
	}
	return off;
}

static int keep(struct feeder *f, const uint8_t *p, size_t len, struct index_place at)
{
	if (f->carry_len + len > f->carry_cap) {
		size_t cap = (f->carry_len + len) * 2;
		uint8_t *grown = realloc(f->carry, cap);

		if (!grown) {
			snprintf(f->err, sizeof(f->err), "out of memory");
			return -ENOMEM;
		}
		f->carry = grown;
		f->carry_cap = cap;
	}
	if (!f->carry_len)
		f->carry_at = at;
	memcpy(f->carry + f->carry_len, p, len);
	f->carry_len += len;
	return 0;
}

/* A piece of the stream whose first byte a reader finds at `at`. */
static int feed(struct feeder *f, const uint8_t *p, size_t len, struct index_place at)
{
	int rc = 0;
	size_t n;

	if (!f->header_done) {
		size_t need = PCAP_HEADER_BYTES - (size_t)f->raw;
		size_t take = len < need ? len : need;

		memcpy(f->header + f->raw, p, take);
		f->raw += take;
		p += take;
		len -= take;
		at.skip += (uint32_t)take;
		if (f->raw < PCAP_HEADER_BYTES)
			return 0;
		f->header_done = true;
		if ((rc = header(f, f->header)))
			return rc;
	}
	/* A record cut by the last piece: complete it first; it belongs where it started. */
	while (f->carry_len && len) {
		size_t want = REC_HDR_BYTES, take;

		if (f->carry_len >= REC_HDR_BYTES) {
			uint32_t c = rec_caplen(f, f->carry);

			if (c > MAX_CAPLEN)
				goto bad;
			want += c;
		}
		take = want - f->carry_len < len ? want - f->carry_len : len;
		if ((rc = keep(f, p, take, f->carry_at)))
			return rc;
		p += take;
		len -= take;
		at.skip += (uint32_t)take;
		if (f->carry_len >= REC_HDR_BYTES && f->carry_len == REC_HDR_BYTES + rec_caplen(f, f->carry)) {
			index_builder_add(f->ib, f->carry_at, f->raw, f->carry, f->carry_len, f->swapped);
			f->raw += f->carry_len;
			f->carry_len = 0;
		}
	}
	n = whole_records(f, p, len, &rc);
	if (rc)
		goto bad;
	if (n) {
		index_builder_add(f->ib, at, f->raw, p, n, f->swapped);
		f->raw += n;
	}
	at.skip += (uint32_t)n;
	if (len > n)
		return keep(f, p + n, len - n, at);
	return 0;
bad:
	snprintf(f->err, sizeof(f->err), "a record larger than libpcap accepts: not a pcap stream past byte %llu",
		 (unsigned long long)f->raw);
	return -EINVAL;
}

static int index_plain(struct feeder *f, int fd)
{
	uint8_t *buf = malloc(READ_CHUNK);
	uint64_t off = 0;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n = read(fd, buf, READ_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			snprintf(f->err, sizeof(f->err), "%s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		/* Plain: every byte can be sought to, so a piece starts wherever the read did. */
		if ((rc = feed(f, buf, (size_t)n, (struct index_place){ off, 0 })))
			break;
		off += (uint64_t)n;
	}
	free(buf);
	return rc;
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (uint8_t *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* One LZ4 frame of independent blocks; each decoded block is a piece that starts at its block. */
static int index_lz4(struct feeder *f, int fd)
{
	uint8_t h[15], sz[4];
	uint8_t *cbuf = NULL, *dbuf = NULL;
	size_t block_max, hlen = 7;
	uint64_t off;
	bool block_sum;
	int rc = 0;

	if (read_full(fd, h, 7) < 0 || le32(h) != LZ4_MAGIC || (h[4] >> 6) != 1 || !(h[4] & 0x20) ||
	    ((h[5] >> 4) & 7) < 4) {
		snprintf(f->err, sizeof(f->err), "not an LZ4 frame of independent blocks (recompress with lz4 -BI)");
		return -EINVAL;
	}
	block_max = (size_t)1 << (8 + 2 * ((h[5] >> 4) & 7));
	block_sum = h[4] & 0x10;
	hlen += (h[4] & 0x08) ? 8 : 0;
	hlen += (h[4] & 0x01) ? 4 : 0;
	if (hlen > 7 && read_full(fd, h + 7, hlen - 7) < 0) {
		snprintf(f->err, sizeof(f->err), "LZ4 frame header cut short");
		return -EINVAL;
	}
	off = hlen;
	cbuf = malloc(block_max);
	dbuf = malloc(block_max);
	if (!cbuf || !dbuf) {
		rc = -ENOMEM;
		snprintf(f->err, sizeof(f->err), "out of memory");
		goto out;
	}
	for (;;) {
		uint32_t size, len;
		int n;

		if (read_full(fd, sz, 4) < 0) {
			snprintf(f->err, sizeof(f->err), "LZ4 frame cut short at byte %llu", (unsigned long long)off);
			rc = -EINVAL;
			break;
		}
		size = le32(sz);
		if (!size)
			break; /* the end mark: the content checksum and anything after are not records */
		len = size & ~LZ4_BLOCK_STORED;
		if (len > block_max || read_full(fd, cbuf, len) < 0 || (block_sum && read_full(fd, sz, 4) < 0)) {
			snprintf(f->err, sizeof(f->err), "LZ4 block damaged at byte %llu", (unsigned long long)off);
			rc = -EINVAL;
			break;
		}
		if (size & LZ4_BLOCK_STORED) {
			memcpy(dbuf, cbuf, len);
			n = (int)len;
		} else {
			n = LZ4_decompress_safe((const char *)cbuf, (char *)dbuf, (int)len, (int)block_max);
		}
		if (n < 0) {
			snprintf(f->err, sizeof(f->err), "LZ4 block damaged at byte %llu", (unsigned long long)off);
			rc = -EINVAL;
			break;
		}
		if ((rc = feed(f, dbuf, (size_t)n, (struct index_place){ off, 0 })))
			break;
		off += 4 + len + (block_sum ? 4 : 0);
	}
out:
	free(cbuf);
	free(dbuf);
	return rc;
}

/* The sidecar for one file, written under a temporary name and renamed. */
static int index_one(const char *path)
{
	struct feeder f = { .path = path };
	struct stat st;
	uint8_t m[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "tapdump: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "tapdump: %s: not a regular file (only files can be indexed)\n", path);
		close(fd);
		return -1;
	}
	if (pread(fd, m, 4, 0) == 4 && le32(m) == LZ4_MAGIC)
		rc = index_lz4(&f, fd);
	else
		rc = index_plain(&f, fd);
	close(fd);
	if (rc == 0 && !f.header_done) {
		snprintf(f.err, sizeof(f.err), "too short for a pcap header");
		rc = -EINVAL;
	}
	if (rc == 0 && f.carry_len)
		fprintf(stderr, "tapdump: warning: %s: the last record is cut short; the index leaves it out\n", path);
	if (rc == 0)
		rc = archive_index_write(path, f.ib, (uint64_t)st.st_size, f.err);
	if (rc)
		fprintf(stderr, "tapdump: %s: %s\n", path, f.err);
	index_builder_free(f.ib);
	free(f.carry);
	return rc ? -1 : 0;
}

int archive_index_files(const char *const *paths, unsigned n)
{
	int status = 0;

	for (unsigned i = 0; i < n; i++)
		if (index_one(paths[i]) < 0)
			status = 1;
	return status;
}
