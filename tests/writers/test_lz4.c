/*
 * Unit test of the hand-made LZ4 frames: XXH32 against the checksum liblz4's
 * own frame writer puts at the end of a frame, frames and compressed blocks
 * decoded by liblz4's frame reader, block pieces on record boundaries, and
 * worker and writer racing to compress the same blocks.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <lz4frame.h>
#include <lz4.h>

#include "engine/block_lz4.h"
#include "check.h"

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* Half random, half repeated text: both LZ4's stored and compressed block paths. */
static void fill(uint8_t *p, size_t len, int kind)
{
	static const char text[] = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n";

	for (size_t i = 0; i < len; i++)
		p[i] = kind ? (uint8_t)rnd() : (uint8_t)text[i % (sizeof(text) - 1)];
}

/* liblz4's reference: the content checksum is the last 4 bytes of its frame. */
static uint32_t reference_xxh32(const uint8_t *p, size_t len)
{
	LZ4F_preferences_t prefs = { 0 };
	size_t cap, n;
	uint8_t *out;
	uint32_t sum;

	prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
	cap = LZ4F_compressFrameBound(len, &prefs);
	out = malloc(cap);
	n = LZ4F_compressFrame(out, cap, p, len, &prefs);
	memcpy(&sum, out + n - 4, 4);
	free(out);
	return sum;
}

static void test_xxh32(int *fails)
{
	static uint8_t buf[70000];

	fill(buf, sizeof(buf), 1);
	for (size_t len = 0; len < sizeof(buf); len = len < 100 ? len + 1 : len * 3 + 17) {
		struct xxh32 x;
		size_t off = 0;

		CHECK(xxh32(buf, len) == reference_xxh32(buf, len), "one-shot XXH32 of %zu bytes", len);
		/* The same bytes in uneven pieces: streaming must not depend on the split. */
		xxh32_init(&x);
		while (off < len) {
			size_t piece = rnd() % 37;
			if (piece > len - off)
				piece = len - off;
			xxh32_update(&x, buf + off, piece);
			off += piece;
		}
		CHECK(xxh32_digest(&x) == xxh32(buf, len), "XXH32 of %zu bytes in pieces", len);
	}
}

/* Decode a whole frame with liblz4; returns the decoded length, or (size_t)-1 on an error. */
static size_t decode(const uint8_t *frame, size_t len, uint8_t *out, size_t cap)
{
	LZ4F_dctx *d;
	size_t in_done = 0, out_done = 0, rc = 1;

	if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION)))
		return (size_t)-1;
	while (rc != 0 && in_done < len) {
		size_t src = len - in_done, dst = cap - out_done;

		rc = LZ4F_decompress(d, out + out_done, &dst, frame + in_done, &src, NULL);
		if (LZ4F_isError(rc)) {
			LZ4F_freeDecompressionContext(d);
			return (size_t)-1;
		}
		in_done += src;
		out_done += dst;
		if (src == 0 && dst == 0)
			break;
	}
	LZ4F_freeDecompressionContext(d);
	/* rc 0: the frame ended and its checksum matched. */
	return rc == 0 && in_done == len ? out_done : (size_t)-1;
}

/* Header + blocks + end mark around already compressed blocks. */
static size_t frame_around(const uint8_t *blocks, size_t blen, uint8_t *out)
{
	lz4_frame_header(out);
	memcpy(out + LZ4_FRAME_HEADER_BYTES, blocks, blen);
	lz4_frame_end(out + LZ4_FRAME_HEADER_BYTES + blen);
	return LZ4_FRAME_HEADER_BYTES + blen + LZ4_FRAME_END_BYTES;
}

static void test_frames(int *fails)
{
	static LZ4_stream_t state;
	size_t sizes[] = { 0, 1, 15, 16, 1000, LZ4_FRAME_BLOCK - 1, LZ4_FRAME_BLOCK, LZ4_FRAME_BLOCK + 1, 700000 };
	size_t max = 700001;
	uint8_t *raw = malloc(max), *blocks = malloc(lz4_frame_bound(max)), *frame = malloc(lz4_frame_bound(max) + 64);
	uint8_t *back = malloc(max);

	for (int kind = 0; kind < 2; kind++) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			size_t n = sizes[i], blen, flen, got;

			fill(raw, n, kind);
			blen = lz4_frame_blocks(&state, raw, n, blocks, 1 + (int)i % 3);
			CHECK(blen <= lz4_frame_bound(n), "%zu bytes: %zu compressed over the bound", n, blen);
			flen = frame_around(blocks, blen, frame);
			got = decode(frame, flen, back, max);
			CHECK(got == n && memcmp(back, raw, n) == 0, "%s %zu bytes: decoded %zu",
			      kind ? "random" : "text", n, got);
		}
	}
	/* Stored blocks (a writer behind its backlog) mixed with compressed ones in one frame: liblz4 takes them. */
	fill(raw, 700000, 0);
	{
		size_t blen = 0, off = 0, flen, got;
		struct lz4_tally t = { 0 };
		int accels[] = { 1, LZ4_FRAME_STORE, 64 };

		for (int k = 0; off < 700000; k++) {
			size_t piece = 700000 - off < LZ4_FRAME_BLOCK ? 700000 - off : LZ4_FRAME_BLOCK;

			blen += lz4_frame_blocks(&state, raw + off, piece, blocks + blen, accels[k % 3]);
			off += piece;
		}
		lz4_frame_tally(&t, blocks, blen);
		CHECK(t.blocks == 3 && t.stored == 1 && t.out_bytes == blen, "tally: %lu blocks, %lu stored",
		      (unsigned long)t.blocks, (unsigned long)t.stored);
		CHECK(blen > 4 + LZ4_FRAME_BLOCK, "the stored block is not stored whole (%zu bytes in all)", blen);
		flen = frame_around(blocks, blen, frame);
		got = decode(frame, flen, back, max);
		CHECK(got == 700000 && memcmp(back, raw, 700000) == 0, "stored and compressed blocks: decoded %zu",
		      got);
	}
	/* A damaged block (compressed or stored) and a damaged checksum must be caught by the reader. */
	fill(raw, 5000, 0);
	for (int accel = 0; accel < 2; accel++) {
		size_t blen = lz4_frame_blocks(&state, raw, 5000, blocks, accel ? 1 : LZ4_FRAME_STORE);
		size_t flen = frame_around(blocks, blen, frame);
		size_t places[] = { LZ4_FRAME_HEADER_BYTES + 4 + (blen - 8) / 2, flen - LZ4_FRAME_END_BYTES - 1 };

		for (int k = 0; k < 2; k++) {
			frame[places[k]] ^= 1;
			CHECK(decode(frame, flen, back, max) == (size_t)-1, "%s block: a flipped %s was accepted",
			      accel ? "compressed" : "stored", k ? "checksum" : "data byte");
			frame[places[k]] ^= 1;
		}
		CHECK(decode(frame, flen, back, max) == 5000, "%s block: the frame decodes",
		      accel ? "compressed" : "stored");
	}
	free(raw);
	free(blocks);
	free(frame);
	free(back);
}

/* Fill a block with records of random sizes, some longer than a frame block (snaplen 262144). */
static void pack_block(struct block *b, int kind)
{
	static uint8_t payload[262144];
	struct td_pkt p = { 0 };

	fill(payload, sizeof(payload), kind);
	block_reset(b);
	for (unsigned i = 0;; i++) {
		uint32_t caplen = (i % 7 == 3) ? 262144 - rnd() % 3 : rnd() % 1600;

		if (!block_fits(b, caplen))
			break;
		/* Somewhere in the payload, never past its end (a record of 262143 bytes starts at most 1 in). */
		p.data = payload + (caplen + 1000 <= sizeof(payload) ? rnd() % 1000 : sizeof(payload) - caplen);
		p.caplen = p.wirelen = caplen;
		p.ts_sec = i;
		block_append(b, &p);
	}
}

static void check_block(int *fails, struct block *b, const char *what)
{
	static uint8_t frame[BLOCK_ZONE_BYTES + 64], back[BLOCK_BYTES];
	uint32_t start = 0;
	size_t flen, got;

	/* Every piece starts on a record, and holds at most one frame block unless it is one long record. */
	for (uint32_t i = 0; i <= b->npieces; i++) {
		uint32_t end = i < b->npieces ? b->piece_end[i] : b->used, off = start, recs = 0;

		while (off < end) {
			struct rec_hdr h;
			memcpy(&h, b->data + off, sizeof(h));
			off += (uint32_t)sizeof(h) + h.caplen;
			recs++;
		}
		CHECK(off == end, "%s: piece %u ends inside a record", what, i);
		CHECK(end - start <= LZ4_FRAME_BLOCK || recs == 1, "%s: piece %u is %u bytes of %u records", what, i,
		      end - start, recs);
		start = end;
	}
	CHECK(b->npieces < BLOCK_PIECES, "%s: %u pieces", what, b->npieces);
	CHECK(b->zone_len <= BLOCK_ZONE_BYTES, "%s: zone of %u bytes", what, b->zone_len);
	flen = frame_around(b->zone, b->zone_len, frame);
	got = decode(frame, flen, back, sizeof(back));
	CHECK(got == b->used && memcmp(back, b->data, b->used) == 0, "%s: decoded %zu of %u bytes", what, got, b->used);
}

/* The acceleration a worker's writer asks for (lz4_pace.h): READY blocks carry a pointer to it. */
static _Atomic int accel_now = 1;

static void test_block(int *fails, struct block *b)
{
	static LZ4_stream_t state;

	for (int kind = 0; kind < 2; kind++) {
		pack_block(b, kind);
		CHECK(!block_lz4_claim(b), "a block still filling was claimed");
		block_lz4_ready(b, &accel_now);
		CHECK(block_lz4_claim(b), "a published block could not be claimed");
		CHECK(!block_lz4_claim(b), "a block was claimed twice");
		block_lz4_compress(b, &state, 1);
		check_block(fails, b, kind ? "random block" : "text block");
		/* The writer gets the worker's zone as it is. */
		CHECK(block_lz4_zone(b, &state, 1) == b->zone, "zone of a done block");
	}
	/* Settled before it is handed back, a published block no one claimed can no longer be. */
	pack_block(b, 0);
	block_lz4_ready(b, &accel_now);
	block_lz4_settle(b);
	CHECK(!block_lz4_claim(b), "a settled block was claimed");
	/* A block published for its writer alone is the writer's to compress. */
	CHECK(block_lz4_zone(b, &state, 1) == b->zone, "zone of a block only the writer compresses");
	check_block(fails, b, "writer's own block");
}

/* Worker and writer race for every block; each must come out compressed exactly right. */
#define RACE_BLOCKS 6
#define RACE_ROUNDS 40

struct race {
	struct block *blocks;
	pthread_barrier_t go;
	unsigned claimed;
};

static void *race_worker(void *arg)
{
	struct race *r = arg;
	static LZ4_stream_t state;

	for (unsigned round = 0; round < RACE_ROUNDS; round++) {
		pthread_barrier_wait(&r->go);
		/* From the far end, as a worker compresses its newest block while the writer takes the oldest. */
		for (int i = RACE_BLOCKS - 1; i >= 0; i--)
			if (block_lz4_claim(&r->blocks[i])) {
				block_lz4_compress(&r->blocks[i], &state, 1);
				r->claimed++;
			}
		pthread_barrier_wait(&r->go);
	}
	return NULL;
}

static void test_race(int *fails, struct block *blocks)
{
	static LZ4_stream_t state;
	struct race r = { .blocks = blocks };
	pthread_t t;

	pthread_barrier_init(&r.go, NULL, 2);
	pthread_create(&t, NULL, race_worker, &r);
	for (unsigned round = 0; round < RACE_ROUNDS; round++) {
		for (unsigned i = 0; i < RACE_BLOCKS; i++)
			pack_block(&blocks[i], (int)(round + i) % 2), block_lz4_ready(&blocks[i], &accel_now);
		pthread_barrier_wait(&r.go);
		for (unsigned i = 0; i < RACE_BLOCKS; i++)
			CHECK(block_lz4_zone(&blocks[i], &state, 1) == blocks[i].zone, "zone");
		pthread_barrier_wait(&r.go);
		for (unsigned i = 0; i < RACE_BLOCKS; i++)
			check_block(fails, &blocks[i], "raced block");
	}
	pthread_join(t, NULL);
	pthread_barrier_destroy(&r.go);
	printf("race: the worker compressed %u of %u blocks\n", r.claimed, RACE_BLOCKS * RACE_ROUNDS);
}

int main(void)
{
	int fails = 0;
	struct block *blocks = calloc(RACE_BLOCKS, sizeof(*blocks));

	if (!blocks)
		return 1;
	test_xxh32(&fails);
	test_frames(&fails);
	test_block(&fails, &blocks[0]);
	test_race(&fails, blocks);
	free(blocks);
	return check_result("lz4", fails);
}
