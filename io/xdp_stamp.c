/* AF_XDP time stamps and wake-ups: a tiny XDP program of ours stamps each frame, counts it, then redirects it to its queue's socket. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "io/source.h"
#include "io/xdp_stamp.h"

/* Older uapi headers lack it; kernels with the metadata kfuncs (6.3+) take it. */
#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY (1U << 6)
#endif

/* int bpf_xdp_metadata_rx_timestamp(const struct xdp_md *ctx, u64 *timestamp): the driver's rx stamp. */
#define KFUNC_RX_TIMESTAMP "bpf_xdp_metadata_rx_timestamp"

struct xdp_stamp {
	int prog_fd;
	int ifindex;
	int hw_btf_id; /* the kfunc's id in vmlinux BTF; 0: kernel clock only */
	int map_fd;    /* XSKMAP: rx queue index -> AF_XDP socket */
	int count_fd;  /* ARRAY: frames seen per rx queue; -1 without wake-ups */
	int link_fd;
	bool head; /* the stamp leads the frame (bpf_xdp_adjust_head) instead of preceding it as metadata */
	unsigned users;
	unsigned nqueues;
	int wake_fd[XDP_STAMP_MAX_WAKE_QUEUES]; /* RINGBUF per queue: one record every wake_frames frames */
};

/*
 * eBPF instruction builders. The program is a few dozen instructions, so
 * it is put together here rather than compiled from C with clang -target
 * bpf: nothing to build or ship beside the binary, and the per-queue
 * wake-up maps become plain immediates.
 */
#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define MOV64_REG(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD64_IMM(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define AND64_IMM(d, i) INSN(BPF_ALU64 | BPF_AND | BPF_K, d, 0, 0, i)
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define LDX_DW(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_DW, d, s, o, 0)
#define ST_DW(d, o, i) INSN(BPF_ST | BPF_MEM | BPF_DW, d, 0, o, i)
#define OR64_REG(d, s) INSN(BPF_ALU64 | BPF_OR | BPF_X, d, s, 0, 0)
#define STX_W(d, s, o) INSN(BPF_STX | BPF_MEM | BPF_W, d, s, o, 0)
#define STX_DW(d, s, o) INSN(BPF_STX | BPF_MEM | BPF_DW, d, s, o, 0)
/* s = atomic fetch-and-add of s to the u64 at d + o: s gets the old value. */
#define FETCH_ADD_DW(d, s, o) INSN(BPF_STX | BPF_ATOMIC | BPF_DW, d, s, o, BPF_ADD | BPF_FETCH)
#define JEQ_IMM(d, i) INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, 0, i)
#define JNE_IMM(d, i) INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, 0, i)
#define JGT_REG(d, s) INSN(BPF_JMP | BPF_JGT | BPF_X, d, s, 0, 0)
#define JA() INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0)
#define CALL(f) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/*
 * 30 instructions around the wake-ups, 9 for each queue's (its test and the
 * 8 it skips), 15 for the kfunc, 8 for the headroom variant's exits.
 */
#define PROG_MAX_INSNS (53 + 9 * XDP_STAMP_MAX_WAKE_QUEUES)

/* A program being written; jumps to a label are patched when the label is placed. */
struct prog {
	struct bpf_insn insn[PROG_MAX_INSNS];
	unsigned n;
	unsigned fix[1 + XDP_STAMP_MAX_WAKE_QUEUES + 4]; /* jumps waiting for the current label */
	unsigned nfix;
	bool overflow; /* more than PROG_MAX_INSNS: the program is not loaded */
};

static void emit(struct prog *p, struct bpf_insn i)
{
	if (p->n == PROG_MAX_INSNS) {
		p->overflow = true;
		return;
	}
	p->insn[p->n++] = i;
}

/* A forward jump to the next label placed. */
static void emit_jump(struct prog *p, struct bpf_insn i)
{
	if (p->nfix < sizeof(p->fix) / sizeof(p->fix[0]))
		p->fix[p->nfix++] = p->n;
	else
		p->overflow = true;
	emit(p, i);
}

static void place_label(struct prog *p)
{
	for (unsigned i = 0; i < p->nfix; i++)
		if (p->fix[i] < p->n)
			p->insn[p->fix[i]].off = (short)(p->n - p->fix[i] - 1);
	p->nfix = 0;
}

/* A 64-bit immediate holding a map fd takes two slots; the kernel swaps the fd for the map. */
static void emit_map_fd(struct prog *p, int reg, int fd)
{
	emit(p, INSN(BPF_LD | BPF_DW | BPF_IMM, reg, BPF_PSEUDO_MAP_FD, 0, fd));
	emit(p, INSN(0, 0, 0, 0, 0));
}

/*
 * r6 = ctx
 * if (bpf_xdp_adjust_meta(ctx, -8) == 0) {        room for 8 bytes before the frame
 *         r0 = bpf_ktime_get_ns()                  CLOCK_MONOTONIC
 *         meta = ctx->data_meta, data = ctx->data  (reloaded: adjust_meta moved them)
 *         if (meta + 8 <= data) *(u64 *)meta = r0   the check the verifier wants
 * }
 * with wake-ups:
 *         q = ctx->rx_queue_index
 *         if ((atomic_fetch_add(&count[q], 1) + 1) % wake_frames == 0)
 *                 bpf_ringbuf_output(wake[q], &q, 4, BPF_RB_FORCE_WAKEUP)
 * return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS)
 *
 * In copy mode the kernel copies the metadata into the UMEM frame with the
 * packet (net/xdp/xsk.c, xsk_copy_xdp); in zero-copy mode it is there
 * already. Without metadata support the stamp slot is left alone.
 *
 * Some kernels refuse bpf_xdp_adjust_meta to XDP programs altogether (it
 * is the load that fails, "cannot use helper"). The headroom variant then
 * grows the frame at its front instead (bpf_xdp_adjust_head, -8) and
 * writes the stamp into the 8 bytes it gained: the socket receives stamp
 * and frame together, and xdp_stamp_prefix() tells the reader to skip the
 * stamp. A frame no socket takes loses the 8 bytes again before it goes
 * to the stack:
 *         if (bpf_xdp_adjust_head(ctx, -8) != 0) return XDP_PASS
 *         ... data = ctx->data: the stamp goes to *(u64 *)data
 *         r0 = bpf_redirect_map(...)
 *         if (r0 != XDP_REDIRECT) { bpf_xdp_adjust_head(ctx, 8); return XDP_PASS }
 * The kernel keeps at least 256 bytes of headroom in every XDP mode
 * (XDP_PACKET_HEADROOM), so the first call does not fail in practice.
 */
/*
 * With a hardware stamp wanted, first (fixed offsets, no labels):
 *         u64 t = 0; r8 = 0
 *         if (bpf_xdp_metadata_rx_timestamp(ctx, &t) == 0 && t != 0)
 *                 r8 = t | XDP_STAMP_HW_BIT
 *         r1 = ctx
 * and after bpf_ktime_get_ns(): if (r8) r0 = r8.
 */
static void xdp_stamp_hw_first(struct prog *p, const struct xdp_stamp *st)
{
	emit(p, ST_DW(BPF_REG_10, -16, 0));
	emit(p, MOV64_REG(BPF_REG_1, BPF_REG_6));
	emit(p, MOV64_REG(BPF_REG_2, BPF_REG_10));
	emit(p, ADD64_IMM(BPF_REG_2, -16));
	emit(p, INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, st->hw_btf_id));
	emit(p, MOV64_IMM(BPF_REG_8, 0));
	emit(p, INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, 5, 0)); /* error: to the end */
	emit(p, LDX_DW(BPF_REG_8, BPF_REG_10, -16));
	emit(p, INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_8, 0, 3, 0)); /* no stamp: to the end */
	emit(p, INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, 0, 0, 0));
	emit(p, INSN(0, 0, 0, 0, (int)(XDP_STAMP_HW_BIT >> 32)));
	emit(p, OR64_REG(BPF_REG_8, BPF_REG_1));
	emit(p, MOV64_REG(BPF_REG_1, BPF_REG_6)); /* the calls clobbered r1: ctx again for adjust_meta */
}

static void xdp_stamp_program(struct prog *p, const struct xdp_stamp *st, unsigned wake_frames)
{
	emit(p, MOV64_REG(BPF_REG_6, BPF_REG_1));
	if (st->hw_btf_id)
		xdp_stamp_hw_first(p, st);
	emit(p, MOV64_IMM(BPF_REG_2, -XDP_STAMP_META_BYTES));
	if (st->head) {
		emit(p, CALL(BPF_FUNC_xdp_adjust_head));
		emit(p, INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 2, 0)); /* grown: on to the stamp */
		emit(p, MOV64_IMM(BPF_REG_0, XDP_PASS));
		emit(p, EXIT());
	} else {
		emit(p, CALL(BPF_FUNC_xdp_adjust_meta));
		emit_jump(p, JNE_IMM(BPF_REG_0, 0));
	}
	emit(p, CALL(BPF_FUNC_ktime_get_ns));
	if (st->hw_btf_id) {
		emit(p, INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_8, 0, 1, 0));
		emit(p, MOV64_REG(BPF_REG_0, BPF_REG_8));
	}
	/* The stamp's 8 bytes: [data_meta, data) as metadata, [data, data + 8) in the headroom variant. */
	emit(p, LDX_W(BPF_REG_2, BPF_REG_6,
		      st->head ? offsetof(struct xdp_md, data) : offsetof(struct xdp_md, data_meta)));
	emit(p,
	     LDX_W(BPF_REG_3, BPF_REG_6, st->head ? offsetof(struct xdp_md, data_end) : offsetof(struct xdp_md, data)));
	emit(p, MOV64_REG(BPF_REG_4, BPF_REG_2));
	emit(p, ADD64_IMM(BPF_REG_4, XDP_STAMP_META_BYTES));
	emit_jump(p, JGT_REG(BPF_REG_4, BPF_REG_3));
	emit(p, STX_DW(BPF_REG_2, BPF_REG_0, 0));
	place_label(p);

	if (st->count_fd >= 0) {
		emit(p, LDX_W(BPF_REG_7, BPF_REG_6, offsetof(struct xdp_md, rx_queue_index)));
		emit(p, STX_W(BPF_REG_10, BPF_REG_7, -4));
		emit_map_fd(p, BPF_REG_1, st->count_fd);
		emit(p, MOV64_REG(BPF_REG_2, BPF_REG_10));
		emit(p, ADD64_IMM(BPF_REG_2, -4));
		emit(p, CALL(BPF_FUNC_map_lookup_elem));
		emit_jump(p, JEQ_IMM(BPF_REG_0, 0));
		emit(p, MOV64_IMM(BPF_REG_1, 1));
		emit(p, FETCH_ADD_DW(BPF_REG_0, BPF_REG_1, 0));
		emit(p, ADD64_IMM(BPF_REG_1, 1));
		emit(p, AND64_IMM(BPF_REG_1, (int)(wake_frames - 1)));
		emit_jump(p, JNE_IMM(BPF_REG_1, 0));
		for (unsigned q = 0; q < st->nqueues; q++) {
			/* if (q != this one) skip the 8 instructions that wake it */
			emit(p, INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_7, 0, 8, (int)q));
			emit_map_fd(p, BPF_REG_1, st->wake_fd[q]);
			emit(p, MOV64_REG(BPF_REG_2, BPF_REG_10));
			emit(p, ADD64_IMM(BPF_REG_2, -4));
			emit(p, MOV64_IMM(BPF_REG_3, 4));
			emit(p, MOV64_IMM(BPF_REG_4, BPF_RB_FORCE_WAKEUP));
			emit(p, CALL(BPF_FUNC_ringbuf_output));
			emit_jump(p, JA());
		}
		place_label(p);
	}

	emit(p, LDX_W(BPF_REG_2, BPF_REG_6, offsetof(struct xdp_md, rx_queue_index)));
	emit_map_fd(p, BPF_REG_1, st->map_fd);
	emit(p, MOV64_IMM(BPF_REG_3, XDP_PASS)); /* a queue without a socket goes to the stack */
	emit(p, CALL(BPF_FUNC_redirect_map));
	if (st->head) {
		/* Not redirected: the stack gets the frame as it came, without the stamp in front. */
		emit(p, INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 4, XDP_REDIRECT));
		emit(p, MOV64_REG(BPF_REG_1, BPF_REG_6));
		emit(p, MOV64_IMM(BPF_REG_2, XDP_STAMP_META_BYTES));
		emit(p, CALL(BPF_FUNC_xdp_adjust_head));
		emit(p, MOV64_IMM(BPF_REG_0, XDP_PASS));
	}
	emit(p, EXIT());
}

/* The maps that wake each queue's worker; -errno when the kernel has no ring buffers (before 5.8). */
static int xdp_stamp_wake_maps(struct xdp_stamp *st)
{
	st->count_fd =
		bpf_map_create(BPF_MAP_TYPE_ARRAY, "td_count", sizeof(uint32_t), sizeof(uint64_t), st->nqueues, NULL);
	if (st->count_fd < 0)
		return -errno;
	for (unsigned q = 0; q < st->nqueues; q++) {
		/* One page: a 16-byte record per wake-up, drained at each. */
		st->wake_fd[q] = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "td_wake", 0, 0, 4096, NULL);
		if (st->wake_fd[q] < 0)
			return -errno;
	}
	return 0;
}

static void xdp_stamp_close_wake(struct xdp_stamp *st)
{
	if (st->count_fd >= 0)
		close(st->count_fd);
	st->count_fd = -1;
	for (unsigned q = 0; q < XDP_STAMP_MAX_WAKE_QUEUES; q++) {
		if (st->wake_fd[q] >= 0)
			close(st->wake_fd[q]);
		st->wake_fd[q] = -1;
	}
}

static int xdp_stamp_load_variant(struct xdp_stamp *st, unsigned wake_frames)
{
	struct prog *p = calloc(1, sizeof(*p));
	int fd;

	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	xdp_stamp_program(p, st, wake_frames);
	if (p->overflow) {
		free(p);
		errno = E2BIG;
		return -1;
	}
	if (st->hw_btf_id) {
		/* The kfunc is the driver's: the program is bound to the device (and cannot run in SKB mode). */
		LIBBPF_OPTS(bpf_prog_load_opts, popts, .prog_ifindex = (__u32)st->ifindex,
			    .prog_flags = BPF_F_XDP_DEV_BOUND_ONLY);
		fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "td_stamp_hw", "GPL", p->insn, p->n, &popts);
	} else {
		fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "td_stamp", "GPL", p->insn, p->n, NULL);
	}
	free(p);
	return fd;
}

/* The metadata variant, else the headroom one (st->head says which loaded); an fd, or -1 with errno. */
static int xdp_stamp_load(struct xdp_stamp *st, unsigned wake_frames)
{
	int fd;

	st->head = false;
	fd = xdp_stamp_load_variant(st, wake_frames);
	if (fd >= 0 || errno != EINVAL)
		return fd;
	st->head = true;
	fd = xdp_stamp_load_variant(st, wake_frames);
	if (fd < 0)
		st->head = false;
	return fd;
}

/* The kfunc's BTF id in the running kernel, or 0 when it has none. */
static int hw_kfunc_id(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int id;

	if (!btf)
		return 0;
	id = btf__find_by_name_kind(btf, KFUNC_RX_TIMESTAMP, BTF_KIND_FUNC);
	btf__free(btf);
	return id > 0 ? id : 0;
}

bool xdp_stamp_hw_possible(void)
{
	return hw_kfunc_id() > 0;
}

struct xdp_stamp *xdp_stamp_attach(int ifindex, unsigned nqueues, unsigned wake_frames, uint32_t xdp_flags, bool hw,
				   char *errbuf)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts, .flags = xdp_flags);
	struct xdp_stamp *st = calloc(1, sizeof(*st));
	int err;

	if (!st) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	st->prog_fd = st->link_fd = st->count_fd = -1;
	for (unsigned q = 0; q < XDP_STAMP_MAX_WAKE_QUEUES; q++)
		st->wake_fd[q] = -1;
	st->users = 1;
	st->nqueues = nqueues;
	st->ifindex = ifindex;
	if (hw && !(st->hw_btf_id = hw_kfunc_id())) {
		err = ENOTSUP;
		snprintf(errbuf, TD_ERRBUF_SIZE, "this kernel has no %s kfunc (Linux 6.3 or later)",
			 KFUNC_RX_TIMESTAMP);
		goto fail;
	}
	st->map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "td_xsks", sizeof(uint32_t), sizeof(int), nqueues, NULL);
	if (st->map_fd < 0) {
		err = errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "cannot create the XSKMAP: %s", strerror(err));
		goto fail;
	}
	/* Wake-ups are a saving, not a need: without them the worker sleeps in short slices. */
	if (wake_frames < 2 || (wake_frames & (wake_frames - 1)) || nqueues > XDP_STAMP_MAX_WAKE_QUEUES ||
	    xdp_stamp_wake_maps(st) < 0)
		xdp_stamp_close_wake(st);
	st->prog_fd = xdp_stamp_load(st, wake_frames);
	if (st->prog_fd < 0 && st->count_fd >= 0) {
		xdp_stamp_close_wake(st);
		st->prog_fd = xdp_stamp_load(st, wake_frames);
	}
	if (st->prog_fd < 0) {
		err = errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "cannot load the XDP stamping program%s: %s",
			 st->hw_btf_id ? " bound to the device (hardware stamps)" : "", strerror(err));
		goto fail;
	}
	st->link_fd = bpf_link_create(st->prog_fd, ifindex, BPF_XDP, &lopts);
	if (st->link_fd < 0) {
		err = errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "cannot attach the XDP stamping program: %s%s", strerror(err),
			 err == EBUSY	 ? " (another XDP program is attached)"
			 : st->hw_btf_id ? " (hardware stamps need the driver's XDP: --xdp-mode drv)"
					 : "");
		goto fail;
	}
	return st;

fail:
	xdp_stamp_put(st);
	errno = err;
	return NULL;
}

int xdp_stamp_add_socket(struct xdp_stamp *st, unsigned q, int xsk_fd)
{
	uint32_t key = q;

	return bpf_map_update_elem(st->map_fd, &key, &xsk_fd, BPF_ANY) < 0 ? -errno : 0;
}

unsigned xdp_stamp_prefix(const struct xdp_stamp *st)
{
	return st->head ? XDP_STAMP_META_BYTES : 0;
}

int xdp_stamp_wake_fd(const struct xdp_stamp *st, unsigned q)
{
	return st->count_fd >= 0 && q < st->nqueues ? st->wake_fd[q] : -1;
}

void xdp_stamp_get(struct xdp_stamp *st)
{
	st->users++;
}

void xdp_stamp_put(struct xdp_stamp *st)
{
	if (--st->users > 0)
		return;
	/* Closing the link detaches the program; the socket entries went with their sockets. */
	if (st->link_fd >= 0)
		close(st->link_fd);
	if (st->prog_fd >= 0)
		close(st->prog_fd);
	if (st->map_fd >= 0)
		close(st->map_fd);
	xdp_stamp_close_wake(st);
	free(st);
}
