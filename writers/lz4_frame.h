/*
 * The LZ4 frame format, written by hand rather than through LZ4F: blocks
 * can then be compressed anywhere (an rx worker with time to spare, or the
 * writer) and joined into one frame by the writer. Each block carries its
 * own XXH32, computed by the thread that made it while its bytes are in
 * cache: a content checksum would be one serial pass of the writer over
 * every input byte (11% of a replay's CPU), and a block checksum also says
 * which block is damaged, and lets a reader that seeks to a block through
 * the index check what it reads. Format: lz4_Frame_format.md, version 1.6.x.
 */
#ifndef TD_LZ4_FRAME_H
#define TD_LZ4_FRAME_H

#include <stddef.h>
#include <stdint.h>

/* lz4.h's own typedef, repeated: the frame's users need not see all of lz4.h. */
typedef union LZ4_stream_u LZ4_stream_t;

/* Independent blocks of at most 256 KiB of input (block maximum size 4 in the BD byte). */
#define LZ4_FRAME_BLOCK (256u * 1024)
#define LZ4_FRAME_HEADER_BYTES 7 /* magic, FLG, BD, HC */
#define LZ4_FRAME_END_BYTES 4	 /* the end mark */
/* One block on disk: a 4-byte size, at worst the input stored as it is, and the block's XXH32. */
#define LZ4_FRAME_BLOCK_BOUND(n) (8 + (size_t)(n))

/* The acceleration that stores blocks as they are: no compression at all (a writer far behind). */
#define LZ4_FRAME_STORE 0

/* XXH32 (seed 0), also in pieces: the blocks' and the header's checksums. */
struct xxh32 {
	uint32_t v[4];
	uint64_t total;
	uint32_t buffered;
	uint8_t buf[16];
};

void xxh32_init(struct xxh32 *x);
void xxh32_update(struct xxh32 *x, const void *data, size_t len);
uint32_t xxh32_digest(const struct xxh32 *x);
uint32_t xxh32(const void *data, size_t len);

/* The 7-byte frame header: independent 256 KiB blocks with block checksums. */
void lz4_frame_header(uint8_t out[LZ4_FRAME_HEADER_BYTES]);

/* The end mark. */
void lz4_frame_end(uint8_t out[LZ4_FRAME_END_BYTES]);

/*
 * Compress src (at most LZ4_FRAME_BLOCK bytes) into one frame block at dst,
 * which has room for LZ4_FRAME_BLOCK_BOUND(len); stored as it is when LZ4
 * would not make it smaller, or when accel is LZ4_FRAME_STORE (an
 * uncompressed block: the size's high bit set, which every frame reader
 * takes), then its checksum. `state` is LZ4_sizeofState() bytes, 8-aligned.
 * Returns the bytes written.
 */
size_t lz4_frame_block(void *state, const uint8_t *src, size_t len, uint8_t *dst, int accel);

/* Compress len bytes into consecutive blocks of LZ4_FRAME_BLOCK; dst holds lz4_frame_bound(len). */
size_t lz4_frame_blocks(void *state, const uint8_t *src, size_t len, uint8_t *dst, int accel);

/*
 * What a run of frame blocks holds, read from their size words, so blocks
 * made on any thread count alike. in_bytes is not in the frame (a
 * compressed block does not say its input size): the caller adds it.
 */
struct lz4_tally {
	uint64_t in_bytes, out_bytes, blocks, stored;
};

/* Add the blocks in blocks[0..len) (whole blocks, as lz4_frame_blocks made them) to t: blocks, stored, out_bytes. */
void lz4_frame_tally(struct lz4_tally *t, const uint8_t *blocks, size_t len);

static inline size_t lz4_frame_bound(size_t len)
{
	size_t blocks = (len + LZ4_FRAME_BLOCK - 1) / LZ4_FRAME_BLOCK;

	return len + 8 * (blocks ? blocks : 1);
}

#endif
