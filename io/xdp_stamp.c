/* AF_XDP receive time stamps: a tiny XDP program of ours stamps each frame, then redirects it to its queue's socket. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "source.h"
#include "xdp_stamp.h"

struct xdp_stamp {
	int prog_fd;
	int map_fd; /* XSKMAP: rx queue index -> AF_XDP socket */
	int link_fd;
	unsigned users;
};

/*
 * eBPF instruction builders. The program is sixteen instructions,
 * so it is written out here rather than compiled from C with clang -target
 * bpf: nothing to build, nothing to ship beside the binary.
 */
#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define MOV64_REG(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD64_IMM(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define STX_DW(d, s, o) INSN(BPF_STX | BPF_MEM | BPF_DW, d, s, o, 0)
#define JNE_IMM(d, i, o) INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define JGT_REG(d, s, o) INSN(BPF_JMP | BPF_JGT | BPF_X, d, s, o, 0)
#define CALL(f) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
/* A 64-bit immediate holding a map fd takes two slots; the kernel swaps the fd for the map. */
#define LD_MAP_FD(d, fd) INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd), INSN(0, 0, 0, 0, 0)

/*
 * r6 = ctx
 * if (bpf_xdp_adjust_meta(ctx, -8) == 0) {       room for 8 bytes before the frame
 *         r0 = bpf_ktime_get_ns()                 CLOCK_MONOTONIC
 *         meta = ctx->data_meta, data = ctx->data (reloaded: adjust_meta moved them)
 *         if (meta + 8 <= data) *(u64 *)meta = r0  the check the verifier wants
 * }
 * return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS)
 *
 * In copy mode the kernel copies the metadata into the UMEM frame with the
 * packet (net/xdp/xsk.c, xsk_copy_xdp); in zero-copy mode it is there
 * already. Without metadata support the stamp slot is left alone.
 */
static int xdp_stamp_load(int map_fd, char *errbuf)
{
	const struct bpf_insn prog[] = {
		MOV64_REG(BPF_REG_6, BPF_REG_1),
		MOV64_IMM(BPF_REG_2, -XDP_STAMP_META_BYTES),
		CALL(BPF_FUNC_xdp_adjust_meta),
		JNE_IMM(BPF_REG_0, 0, 7), /* to the redirect */
		CALL(BPF_FUNC_ktime_get_ns),
		LDX_W(BPF_REG_2, BPF_REG_6, offsetof(struct xdp_md, data_meta)),
		LDX_W(BPF_REG_3, BPF_REG_6, offsetof(struct xdp_md, data)),
		MOV64_REG(BPF_REG_4, BPF_REG_2),
		ADD64_IMM(BPF_REG_4, XDP_STAMP_META_BYTES),
		JGT_REG(BPF_REG_4, BPF_REG_3, 1), /* to the redirect */
		STX_DW(BPF_REG_2, BPF_REG_0, 0),
		/* the redirect */
		LDX_W(BPF_REG_2, BPF_REG_6, offsetof(struct xdp_md, rx_queue_index)),
		LD_MAP_FD(BPF_REG_1, map_fd),
		MOV64_IMM(BPF_REG_3, XDP_PASS), /* a queue without a socket goes to the stack */
		CALL(BPF_FUNC_redirect_map),
		EXIT(),
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "td_stamp", "GPL", prog, sizeof(prog) / sizeof(prog[0]), NULL);

	if (fd < 0)
		snprintf(errbuf, SOURCE_ERRBUF_SIZE, "cannot load the XDP stamping program: %s", strerror(errno));
	return fd;
}

struct xdp_stamp *xdp_stamp_attach(int ifindex, unsigned nqueues, uint32_t xdp_flags, char *errbuf)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts, .flags = xdp_flags);
	struct xdp_stamp *st = calloc(1, sizeof(*st));
	int err;

	if (!st) {
		snprintf(errbuf, SOURCE_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	st->prog_fd = st->link_fd = -1;
	st->users = 1;
	st->map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "td_xsks", sizeof(uint32_t), sizeof(int), nqueues, NULL);
	if (st->map_fd < 0) {
		err = errno;
		snprintf(errbuf, SOURCE_ERRBUF_SIZE, "cannot create the XSKMAP: %s", strerror(err));
		goto fail;
	}
	st->prog_fd = xdp_stamp_load(st->map_fd, errbuf);
	if (st->prog_fd < 0) {
		err = errno;
		goto fail;
	}
	st->link_fd = bpf_link_create(st->prog_fd, ifindex, BPF_XDP, &lopts);
	if (st->link_fd < 0) {
		err = errno;
		snprintf(errbuf, SOURCE_ERRBUF_SIZE, "cannot attach the XDP stamping program: %s%s", strerror(err),
			 err == EBUSY ? " (another XDP program is attached)" : "");
		goto fail;
	}
	return st;

fail:
	st->users = 1;
	xdp_stamp_put(st);
	errno = err;
	return NULL;
}

int xdp_stamp_add_socket(struct xdp_stamp *st, unsigned q, int xsk_fd)
{
	uint32_t key = q;

	return bpf_map_update_elem(st->map_fd, &key, &xsk_fd, BPF_ANY) < 0 ? -errno : 0;
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
	free(st);
}
