/* LZ4 frames by hand: header, independent blocks, end mark, and the XXH32 that checks them. */
#include <string.h>
#include <lz4.h>

#include "writers/lz4_frame.h"

#define P1 2654435761u
#define P2 2246822519u
#define P3 3266489917u
#define P4 668265263u
#define P5 374761393u

#define LZ4_FRAME_MAGIC 0x184D2204u
/* FLG: version 01, independent blocks, block checksums; BD: 256 KiB blocks. */
#define LZ4_FLG 0x70
#define LZ4_BD_256K 0x50
#define LZ4_BLOCK_STORED 0x80000000u

static inline uint32_t rotl32(uint32_t x, unsigned r)
{
	return (x << r) | (x >> (32 - r));
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t xxh_round(uint32_t acc, uint32_t lane)
{
	return rotl32(acc + lane * P2, 13) * P1;
}

void xxh32_init(struct xxh32 *x)
{
	memset(x, 0, sizeof(*x));
	x->v[0] = P1 + P2;
	x->v[1] = P2;
	x->v[2] = 0;
	x->v[3] = 0u - P1;
}

/* Whole 16-byte stripes; returns the bytes consumed. */
static size_t xxh_stripes(uint32_t v[4], const uint8_t *p, size_t len)
{
	uint32_t a = v[0], b = v[1], c = v[2], d = v[3];
	size_t done = 0;

	/* Four independent lanes: the loop keeps four multiplies in flight. */
	for (; done + 16 <= len; done += 16) {
		a = xxh_round(a, rd32(p + done));
		b = xxh_round(b, rd32(p + done + 4));
		c = xxh_round(c, rd32(p + done + 8));
		d = xxh_round(d, rd32(p + done + 12));
	}
	v[0] = a;
	v[1] = b;
	v[2] = c;
	v[3] = d;
	return done;
}

void xxh32_update(struct xxh32 *x, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t done;

	x->total += len;
	if (x->buffered) {
		size_t take = 16 - x->buffered < len ? 16 - x->buffered : len;

		memcpy(x->buf + x->buffered, p, take);
		x->buffered += (uint32_t)take;
		p += take;
		len -= take;
		if (x->buffered < 16)
			return;
		xxh_stripes(x->v, x->buf, 16);
		x->buffered = 0;
	}
	done = xxh_stripes(x->v, p, len);
	memcpy(x->buf, p + done, len - done);
	x->buffered = (uint32_t)(len - done);
}

uint32_t xxh32_digest(const struct xxh32 *x)
{
	const uint8_t *p = x->buf, *end = x->buf + x->buffered;
	uint32_t h;

	if (x->total >= 16)
		h = rotl32(x->v[0], 1) + rotl32(x->v[1], 7) + rotl32(x->v[2], 12) + rotl32(x->v[3], 18);
	else
		h = P5;
	h += (uint32_t)x->total;
	for (; p + 4 <= end; p += 4)
		h = rotl32(h + rd32(p) * P3, 17) * P4;
	for (; p < end; p++)
		h = rotl32(h + *p * P5, 11) * P1;
	h ^= h >> 15;
	h *= P2;
	h ^= h >> 13;
	h *= P3;
	h ^= h >> 16;
	return h;
}

uint32_t xxh32(const void *data, size_t len)
{
	struct xxh32 x;

	xxh32_init(&x);
	xxh32_update(&x, data, len);
	return xxh32_digest(&x);
}

void lz4_frame_header(uint8_t out[LZ4_FRAME_HEADER_BYTES])
{
	wr32(out, LZ4_FRAME_MAGIC);
	out[4] = LZ4_FLG;
	out[5] = LZ4_BD_256K;
	/* HC: the second byte of XXH32 over the descriptor (FLG, BD). */
	out[6] = (uint8_t)(xxh32(out + 4, 2) >> 8);
}

void lz4_frame_end(uint8_t out[LZ4_FRAME_END_BYTES])
{
	wr32(out, 0);
}

size_t lz4_frame_block(void *state, const uint8_t *src, size_t len, uint8_t *dst, int accel)
{
	/* Room for one byte less than the input: LZ4 gives up (0) when it cannot save anything. */
	int n = len > 1 && accel != LZ4_FRAME_STORE
			? LZ4_compress_fast_extState(state, (const char *)src, (char *)dst + 4, (int)len, (int)len - 1,
						     accel)
			: 0;

	if (n <= 0) {
		wr32(dst, (uint32_t)len | LZ4_BLOCK_STORED);
		memcpy(dst + 4, src, len);
		n = (int)len;
	} else {
		wr32(dst, (uint32_t)n);
	}
	/* The block checksum covers the block's bytes as they lie in the file. */
	wr32(dst + 4 + n, xxh32(dst + 4, (size_t)n));
	return 8 + (size_t)n;
}

size_t lz4_frame_blocks(void *state, const uint8_t *src, size_t len, uint8_t *dst, int accel)
{
	size_t out = 0;

	while (len) {
		size_t piece = len < LZ4_FRAME_BLOCK ? len : LZ4_FRAME_BLOCK;

		out += lz4_frame_block(state, src, piece, dst + out, accel);
		src += piece;
		len -= piece;
	}
	return out;
}

void lz4_frame_tally(struct lz4_tally *t, const uint8_t *blocks, size_t len)
{
	size_t off = 0;

	while (off + 4 <= len) {
		uint32_t word = rd32(blocks + off), n = word & ~LZ4_BLOCK_STORED;

		t->blocks++;
		if (word & LZ4_BLOCK_STORED)
			t->stored++;
		off += 8 + (size_t)n;
	}
	t->out_bytes += len;
}
