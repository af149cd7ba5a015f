/* The pcap record as it goes to disk and travels between threads: a 16-byte header in host order, then the bytes. */
#ifndef TD_RECORD_H
#define TD_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* pcap's record header, host byte order, exactly as it goes to disk (tcpdump writes host order). */
struct rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_frac;
	uint32_t caplen;
	uint32_t len;
};

#define REC_HDR_BYTES ((uint32_t)sizeof(struct rec_hdr))

/* The header of the record at rec (records are packed back to back, so no alignment is assumed). */
static inline void rec_hdr_read(const uint8_t *rec, struct rec_hdr *h)
{
	memcpy(h, rec, sizeof(*h));
}

/* Bytes one record takes, header included (caplen is at most a few hundred MiB: no overflow in size_t). */
static inline size_t rec_bytes(const struct rec_hdr *h)
{
	return REC_HDR_BYTES + (size_t)h->caplen;
}

/*
 * A walk over records packed back to back in [p, end): every walker (the
 * writer's merge, the series' rotation, the printers) goes through this one,
 * so a record never runs past its run, however large it is.
 */
struct rec_iter {
	const uint8_t *p;
	const uint8_t *end;
};

static inline struct rec_iter rec_iter_of(const uint8_t *recs, size_t len)
{
	return (struct rec_iter){ recs, recs + len };
}

/*
 * The next record: its header in *h, its start returned (the captured
 * bytes follow the header). NULL at the end of the run, or where what is
 * left is not a whole record (never the case for runs the engine packed).
 */
static inline const uint8_t *rec_next(struct rec_iter *it, struct rec_hdr *h)
{
	const uint8_t *rec = it->p;
	size_t left = (size_t)(it->end - rec);

	if (left < REC_HDR_BYTES)
		return NULL;
	rec_hdr_read(rec, h);
	if (h->caplen > left - REC_HDR_BYTES)
		return NULL;
	it->p = rec + rec_bytes(h);
	return rec;
}

/* Bytes taken by the first count records of a run (fewer when the run ends first). */
static inline size_t rec_run_bytes(const uint8_t *recs, size_t len, unsigned count)
{
	struct rec_iter it = rec_iter_of(recs, len);
	struct rec_hdr h;

	while (count-- && rec_next(&it, &h))
		;
	return (size_t)(it.p - recs);
}

#endif
