/* A byte window over an input (file read into a buffer or mapped, pipe, LZ4 stream) that record parsers read in place. */
#ifndef TD_INSTREAM_H
#define TD_INSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/errbuf.h"

struct instream;

/*
 * Map a regular file whole instead of reading it, so that every record is
 * read where it lies in the page cache. Not the default: on the VMs this
 * was measured on, first touches of a fresh file mapping cost ~4 us a page
 * (1.2 GB: 1.2-1.9 s) while read() into a cache-sized buffer copies the
 * same file in 0.13-0.25 s. On hardware where faults are cheap it saves
 * that copy.
 */
#define INSTREAM_MAP 0x1u

/*
 * Open path ("-" is standard input, which is read but never closed) for
 * reading with large read() calls into a buffer, or (INSTREAM_MAP, regular
 * files only) through a mapping of the whole file. Returns NULL with errno
 * set and "path: strerror" in errbuf, the text libpcap gives for a file it
 * cannot open.
 */
struct instream *instream_open(const char *path, unsigned flags, char *errbuf);

/*
 * Put an LZ4 frame decoder in front of raw, which the new stream owns from
 * now on (also on failure). Concatenated and skippable frames are read as
 * one stream; name (the input's, "-" for standard input) is given in the
 * decoder's messages. Returns NULL with errno set and a message in errbuf.
 */
struct instream *instream_lz4_open(struct instream *raw, const char *name, char *errbuf);

/*
 * Make at least want bytes readable at the cursor and point *p at them.
 * Returns how many bytes are readable there: at least want, or fewer when the
 * input ends first (0 at the very end). Returns -EAGAIN when want bytes
 * cannot be had without moving bytes handed out since the last
 * instream_release() (the caller ends its burst and asks again after the
 * next release), or another -errno with a message in instream_error().
 */
ssize_t instream_peek(struct instream *in, size_t want, const uint8_t **p);

/*
 * What is readable at the cursor right now, without reading anything: the
 * hot loops parse every whole record in this window and call
 * instream_peek() only for the one that straddles its end.
 */
size_t instream_window(const struct instream *in, const uint8_t **p);

/* Move the cursor n bytes on; n must not exceed what the last peek or window returned. */
void instream_consume(struct instream *in, size_t n);

/*
 * Everything before the cursor is no longer referenced: the next peek may
 * move or overwrite it. Called at the start of every burst, which is what
 * keeps the data pointers of the previous burst valid until then.
 */
void instream_release(struct instream *in);

/*
 * For stream decoders (instream_lz4.c): a buffered stream whose bytes come
 * from refill(ctx, dst, room, errbuf), which writes up to room bytes at dst
 * and returns how many (0 only at the end of the input) or -errno with a
 * message in errbuf. close_ctx(ctx) runs when the stream is closed. On
 * failure close_ctx(ctx) has run too, and NULL is returned with errno set.
 */
typedef ssize_t (*instream_refill_fn)(void *ctx, uint8_t *dst, size_t room, char *errbuf);
struct instream *instream_new_decoder(instream_refill_fn refill, void (*close_ctx)(void *ctx), void *ctx, char *errbuf);

/*
 * Reads from a pipe, FIFO or device wait in poll() beside *stop_fd from now
 * on: once it is readable, the wait ends and the read fails with
 * -ECANCELED ("interrupted while waiting for input"). stop_fd points at a
 * field the caller may change later (the engine's eventfd replaces the
 * opener's signal fd); a negative value there means no stop fd.
 */
void instream_set_stop(struct instream *in, const int *stop_fd);

/*
 * The -errno a short window hides: a peek that returned fewer bytes than
 * asked because the input failed rather than ended; 0 when it simply ended.
 * -EBADMSG is a corrupt input (an LZ4 checksum or block) and -ECANCELED
 * the stop fd ending a wait: readers report these with instream_error()
 * instead of calling the file truncated; a cut input stays "truncated", as
 * tcpdump says of it.
 */
int instream_failed(const struct instream *in);

/* The message of the last failure. */
const char *instream_error(const struct instream *in);

/* Close the input (not standard input) and free everything, inner streams included. */
void instream_close(struct instream *in);

#endif
