/* Classic BPF to x86-64 machine code: one native function per filter, verdicts identical to bpf_filter(). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "filters/bpf_jit.h"

/*
 * The generated function is
 *
 *	uint32_t fn(const uint8_t *pkt, uint32_t caplen, uint32_t wirelen)
 *
 * System V arguments and register plan:
 *	rdi  packet pointer
 *	rsi  caplen, zero-extended so 64-bit bounds arithmetic cannot wrap
 *	edx  wirelen on entry; moved to r9d when the program reads BPF_LEN,
 *	     because div/mod clobber edx
 *	eax  A (also the return value)
 *	ecx  X (shifts by X need cl; every write is 32-bit, so rcx = X)
 *	r10, r11, edx  temporaries
 * The 16 scratch words live in the red zone below rsp: the function calls
 * nothing, so no frame is needed at all.
 *
 * The same program is also compiled a second time as a loop over a burst,
 *
 *	void burst(const struct td_pkt *pkts, unsigned n, uint32_t *verdicts)
 *
 * with the same body and register plan per packet, plus
 *	r12  pkts + n, the end of the descriptors (saved and restored)
 *	r8   verdicts + n, the end of the verdicts
 *	rbx  -4 * (packets left): the verdict in hand is [r8 + rbx], its
 *	     descriptor [r12 + 8 * rbx] (a descriptor is 8 verdicts long), and
 *	     one add steps both and ends the loop at zero (saved and restored)
 * Each packet loads rdi, esi and r9d from its descriptor; each return
 * stores its verdict and steps to the next packet itself, so a packet
 * costs no call, no return and no shared jump.
 */
typedef uint32_t (*bpf_jit_fn)(const uint8_t *pkt, uint32_t caplen, uint32_t wirelen);
typedef void (*bpf_jit_burst_fn)(const struct td_pkt *pkts, unsigned n, uint32_t *verdicts);

struct bpf_jit {
	bpf_jit_fn fn;
	bpf_jit_burst_fn burst;
	void *map;
	size_t map_len;
};

/* The burst loop reads descriptors with disp8 addressing, indexed by the verdict offset times 8. */
_Static_assert(offsetof(struct td_pkt, data) <= 127 && offsetof(struct td_pkt, caplen) <= 127 &&
		       offsetof(struct td_pkt, wirelen) <= 127,
	       "struct td_pkt outgrew the burst loop's 8-bit offsets");
_Static_assert(sizeof(struct td_pkt) == 8 * sizeof(uint32_t), "the burst loop scales a verdict offset by 8");

/*
 * Largest code one BPF instruction turns into: an indirect load with a
 * huge k is 31 bytes; a compare whose both ways return, made a cmov, then
 * the burst loop's store and step, is 37.
 */
#define INSN_MAX_BYTES 48
#define PROLOGUE_MAX_BYTES (64 + 8 * BPF_MEMWORDS)
/*
 * Jump sites in the code for n instructions: two per instruction (jcc and
 * jmp, or a return's jnz and jmp), two in the reject stub, one in the burst
 * entry. Each can go from rel32 to rel8 once and never back, so a layout
 * settles within that many passes plus the one that finds it unchanged. A
 * chain of jumps each over the next one shrinks one site per pass, so a
 * fixed small limit refuses valid programs.
 */
#define MAX_PASSES(n) (2 * (size_t)(n) + 8)
#define SCRATCH_DISP(k) ((int8_t)(-4 * BPF_MEMWORDS + 4 * (int)(k)))

/* x86 condition codes (low nibble of Jcc). */
enum cc {
	CC_B = 0x2,
	CC_AE = 0x3,
	CC_E = 0x4,
	CC_NE = 0x5,
	CC_BE = 0x6,
	CC_A = 0x7,
};

struct emitter {
	uint8_t *buf;
	size_t len;
	/*
	 * Code offset of each instruction from the previous pass; prev[n] is
	 * the reject stub, prev[n + 1] the burst loop's exit.
	 */
	const uint32_t *prev;
	uint32_t *cur;
	unsigned fail;
	bool burst;    /* emitting the loop over a burst */
	uint32_t loop; /* burst: where the next packet starts */
	/*
	 * Per instruction, from plan_swaps(): keep_raw, a halfword or word
	 * load left in wire order (its size, or 0); raw_a, the size of the
	 * wire-order value A holds on entry (or 0: host order).
	 */
	const uint8_t *keep_raw;
	const uint8_t *raw_a;
};

static void put8(struct emitter *e, uint8_t b)
{
	e->buf[e->len++] = b;
}

static void put32(struct emitter *e, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		put8(e, (uint8_t)(v >> (8 * i)));
}

static void put_bytes(struct emitter *e, const uint8_t *b, size_t n)
{
	memcpy(e->buf + e->len, b, n);
	e->len += n;
}

static bool fits8(int64_t v)
{
	return v >= -128 && v <= 127;
}

/*
 * A memory operand with an unsigned displacement: modrm (its mod bits
 * left 00), the SIB byte when sib >= 0, then disp8 under mod 01 when the
 * displacement fits, disp32 under mod 10 otherwise.
 */
static void put_modrm_disp(struct emitter *e, uint8_t modrm, int sib, uint32_t disp)
{
	put8(e, (uint8_t)(modrm | (disp <= 127 ? 0x40 : 0x80)));
	if (sib >= 0)
		put8(e, (uint8_t)sib);
	if (disp <= 127)
		put8(e, (uint8_t)disp);
	else
		put32(e, disp);
}

/*
 * Jump to BPF instruction target (n = the reject stub). Distances come
 * from the previous pass; the layout shrinks monotonically, so once
 * two passes agree the rel8/rel32 choice and the offsets are exact.
 */
static void emit_jcc(struct emitter *e, int cc, unsigned target)
{
	int64_t dest = e->prev[target];
	int64_t rel8 = dest - (int64_t)(e->len + 2);

	if (fits8(rel8)) {
		put8(e, (uint8_t)(cc < 0 ? 0xeb : 0x70 | cc));
		put8(e, (uint8_t)rel8);
		return;
	}
	if (cc < 0) {
		put8(e, 0xe9);
		put32(e, (uint32_t)(dest - (int64_t)(e->len + 4)));
	} else {
		put8(e, 0x0f);
		put8(e, (uint8_t)(0x80 | cc));
		put32(e, (uint32_t)(dest - (int64_t)(e->len + 4)));
	}
}

static void emit_jmp(struct emitter *e, unsigned target)
{
	emit_jcc(e, -1, target);
}

/* mov r32, imm32 (reg 0..7), with the zero idiom for 0. */
static void emit_mov_imm(struct emitter *e, int reg, uint32_t k)
{
	if (k == 0) {
		put8(e, 0x31);
		put8(e, (uint8_t)(0xc0 | reg << 3 | reg));
		return;
	}
	put8(e, (uint8_t)(0xb8 | reg));
	put32(e, k);
}

/* Bail out unless caplen >= need (need <= UINT32_MAX). */
static void emit_check_caplen(struct emitter *e, uint64_t need)
{
	/* cmp esi, imm; jb fail */
	if (need <= 127) {
		put8(e, 0x83);
		put8(e, 0xfe);
		put8(e, (uint8_t)need);
	} else {
		put8(e, 0x81);
		put8(e, 0xfe);
		put32(e, (uint32_t)need);
	}
	emit_jcc(e, CC_B, e->fail);
}

/*
 * movzx/mov of size bytes at pkt + k into reg (eax or ecx), then to host
 * order. k below 2^31 is a displacement; above, caplen > 2 GiB was checked,
 * which no real packet reaches, but the code stays correct via r10.
 */
static void emit_load_abs(struct emitter *e, unsigned size, uint32_t k, int reg)
{
	static const uint8_t opc[5][2] = { [1] = { 0x0f, 0xb6 }, [2] = { 0x0f, 0xb7 }, [4] = { 0x8b, 0 } };

	if (k >= 0x80000000u) {
		put8(e, 0x41); /* mov r10d, k */
		put8(e, 0xba);
		put32(e, k);
		put8(e, 0x42); /* REX.X: index r10 */
		put8(e, opc[size][0]);
		if (opc[size][1])
			put8(e, opc[size][1]);
		put8(e, (uint8_t)(reg << 3 | 0x04));
		put8(e, 0x17); /* [rdi + r10] */
	} else {
		if (opc[size][0] == 0x0f)
			put8(e, 0x0f);
		put8(e, opc[size][0] == 0x0f ? opc[size][1] : opc[size][0]);
		put_modrm_disp(e, (uint8_t)(0x07 | reg << 3), -1, k); /* [rdi + k] */
	}
}

static void emit_to_host_order(struct emitter *e, unsigned size)
{
	static const uint8_t rol_ax_8[] = { 0x66, 0xc1, 0xc0, 0x08 };
	static const uint8_t bswap_eax[] = { 0x0f, 0xc8 };

	if (size == 2)
		put_bytes(e, rol_ax_8, sizeof(rol_ax_8));
	else if (size == 4)
		put_bytes(e, bswap_eax, sizeof(bswap_eax));
}

/*
 * A = pkt[X + k .. + size). libpcap's three-part test for the IND modes
 * (k <= caplen, X <= caplen - k, size <= caplen - X - k, with the byte
 * variant's strict forms) is exactly X + k + size <= caplen computed
 * without wrapping, which 64-bit registers give for free.
 */
static void emit_load_ind(struct emitter *e, unsigned size, uint32_t k)
{
	static const uint8_t opc[5][2] = { [1] = { 0x0f, 0xb6 }, [2] = { 0x0f, 0xb7 }, [4] = { 0x8b, 0 } };
	uint64_t end = (uint64_t)k + size;

	if (end < 0x80000000u) {
		/* lea r10, [rcx + end]; cmp r10, rsi; ja fail */
		put8(e, 0x4c);
		put8(e, 0x8d);
		put_modrm_disp(e, 0x11, -1, (uint32_t)end);
		put8(e, 0x49);
		put8(e, 0x39);
		put8(e, 0xf2);
		emit_jcc(e, CC_A, e->fail);
		/* load [rdi + rcx + k] */
		put_bytes(e, opc[size], opc[size][1] ? 2 : 1);
		put_modrm_disp(e, 0x04, 0x0f, k); /* SIB: rdi + rcx */
	} else {
		static const uint8_t add_r10_rcx[] = { 0x49, 0x01, 0xca };
		static const uint8_t cmp_r11_rsi[] = { 0x49, 0x39, 0xf3 };

		put8(e, 0x41); /* mov r10d, k */
		put8(e, 0xba);
		put32(e, k);
		put_bytes(e, add_r10_rcx, sizeof(add_r10_rcx));
		put8(e, 0x4d); /* lea r11, [r10 + size] */
		put8(e, 0x8d);
		put8(e, 0x5a);
		put8(e, (uint8_t)size);
		put_bytes(e, cmp_r11_rsi, sizeof(cmp_r11_rsi));
		emit_jcc(e, CC_A, e->fail);
		put8(e, 0x42); /* load [rdi + r10] */
		put_bytes(e, opc[size], opc[size][1] ? 2 : 1);
		put8(e, 0x04);
		put8(e, 0x17);
	}
}

static unsigned load_size(uint16_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_W: return 4;
	case BPF_H: return 2;
	default: return 1;
	}
}

/* Absolute loads, incl. ldx msh: the bounds test is k + size <= caplen. */
static void emit_abs(struct emitter *e, const struct bpf_insn *in, uint64_t known, bool raw)
{
	unsigned size = load_size(in->code);
	uint64_t need = (uint64_t)in->k + size;
	int reg = BPF_CLASS(in->code) == BPF_LDX ? 1 : 0;

	if (need > UINT32_MAX) {
		/* No caplen is that large: libpcap rejects the packet here. */
		emit_jmp(e, e->fail);
		return;
	}
	if (need > known)
		emit_check_caplen(e, need);
	emit_load_abs(e, size, in->k, reg);
	if (reg == 1) {
		static const uint8_t msh[] = { 0x83, 0xe1, 0x0f, 0xc1, 0xe1, 0x02 };

		put_bytes(e, msh, sizeof(msh)); /* and ecx, 15; shl ecx, 2 */
	} else if (!raw) {
		emit_to_host_order(e, size);
	}
}

static bool is_pow2(uint32_t k)
{
	return k && !(k & (k - 1));
}

static void emit_alu_k(struct emitter *e, const struct bpf_insn *in)
{
	/* opcode /digit for the 0x81/0x83 group, or 0 */
	static const uint8_t group1[16] = {
		[BPF_ADD >> 4] = 0xc0, [BPF_SUB >> 4] = 0xe8, [BPF_AND >> 4] = 0xe0,
		[BPF_OR >> 4] = 0xc8,  [BPF_XOR >> 4] = 0xf0,
	};
	unsigned op = BPF_OP(in->code);
	uint32_t k = in->k;

	switch (op) {
	case BPF_ADD:
	case BPF_SUB:
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		if (fits8((int32_t)k)) {
			put8(e, 0x83);
			put8(e, group1[op >> 4]);
			put8(e, (uint8_t)k);
		} else {
			put8(e, 0x81);
			put8(e, group1[op >> 4]);
			put32(e, k);
		}
		break;
	case BPF_MUL:
		if (fits8((int32_t)k)) {
			put8(e, 0x6b); /* imul eax, eax, imm8: low 32 bits as unsigned */
			put8(e, 0xc0);
			put8(e, (uint8_t)k);
		} else {
			put8(e, 0x69);
			put8(e, 0xc0);
			put32(e, k);
		}
		break;
	case BPF_DIV:
	case BPF_MOD:
		/* k != 0: the validator refused it. */
		if (is_pow2(k) && op == BPF_DIV) {
			if (k > 1) {
				put8(e, 0xc1); /* shr eax, log2 k */
				put8(e, 0xe8);
				put8(e, (uint8_t)__builtin_ctz(k));
			}
		} else if (is_pow2(k)) {
			put8(e, 0x25); /* and eax, k - 1 */
			put32(e, k - 1);
		} else {
			static const uint8_t div[] = { 0x31, 0xd2, 0x41, 0xf7, 0xf2 };

			put8(e, 0x41); /* mov r10d, k; xor edx, edx; div r10d */
			put8(e, 0xba);
			put32(e, k);
			put_bytes(e, div, sizeof(div));
			if (op == BPF_MOD) {
				put8(e, 0x89); /* mov eax, edx */
				put8(e, 0xd0);
			}
		}
		break;
	case BPF_LSH:
	case BPF_RSH:
		/*
		 * libpcap 1.10 shifts by the run-time k, which x86 masks to
		 * five bits (ip[0] << 33 == ip[0] << 1); the shift-by-immediate
		 * form masks the same way.
		 */
		if (k & 31) {
			put8(e, 0xc1);
			put8(e, op == BPF_LSH ? 0xe0 : 0xe8);
			put8(e, (uint8_t)(k & 31));
		}
		break;
	case BPF_NEG:
		put8(e, 0xf7);
		put8(e, 0xd8);
		break;
	}
}

static void emit_alu_x(struct emitter *e, const struct bpf_insn *in)
{
	static const uint8_t simple[16] = {
		[BPF_ADD >> 4] = 0x01, [BPF_SUB >> 4] = 0x29, [BPF_AND >> 4] = 0x21,
		[BPF_OR >> 4] = 0x09,  [BPF_XOR >> 4] = 0x31,
	};
	unsigned op = BPF_OP(in->code);

	switch (op) {
	case BPF_ADD:
	case BPF_SUB:
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		put8(e, simple[op >> 4]); /* op eax, ecx */
		put8(e, 0xc8);
		break;
	case BPF_MUL: {
		static const uint8_t imul[] = { 0x0f, 0xaf, 0xc1 };

		put_bytes(e, imul, sizeof(imul));
		break;
	}
	case BPF_DIV:
	case BPF_MOD: {
		/* bpf_filter() returns 0 from the program on division by X == 0. */
		static const uint8_t test_ecx[] = { 0x85, 0xc9 };
		static const uint8_t div[] = { 0x31, 0xd2, 0xf7, 0xf1 };

		put_bytes(e, test_ecx, sizeof(test_ecx));
		emit_jcc(e, CC_E, e->fail);
		put_bytes(e, div, sizeof(div));
		if (op == BPF_MOD) {
			put8(e, 0x89);
			put8(e, 0xd0);
		}
		break;
	}
	case BPF_LSH:
	case BPF_RSH: {
		/*
		 * libpcap gives 0 for X >= 32 where the hardware would mask
		 * the count: shift, then cmova a zero in. Branch-free.
		 */
		static const uint8_t fixup[] = { 0x31, 0xd2, 0x83, 0xf9, 0x1f, 0x0f, 0x47, 0xc2 };

		put8(e, 0xd3);
		put8(e, op == BPF_LSH ? 0xe0 : 0xe8);
		put_bytes(e, fixup, sizeof(fixup));
		break;
	}
	}
}

/*
 * Burst: after this packet's verdict is stored, step to the next
 * descriptor and loop while one is left. Every return has its own copy,
 * so the way back to the top is one predicted branch, not a jump to a
 * shared tail and then the branch.
 */
static void emit_next_packet(struct emitter *e)
{
	static const uint8_t add_rbx_4[] = { 0x48, 0x83, 0xc3, 0x04 };
	int64_t rel8;

	put_bytes(e, add_rbx_4, sizeof(add_rbx_4));
	/* jnz loop: backwards, so the distance is known in this pass */
	rel8 = (int64_t)e->loop - (int64_t)(e->len + 2);
	if (fits8(rel8)) {
		put8(e, 0x70 | CC_NE);
		put8(e, (uint8_t)rel8);
	} else {
		put8(e, 0x0f);
		put8(e, 0x80 | CC_NE);
		put32(e, (uint32_t)((int64_t)e->loop - (int64_t)(e->len + 4)));
	}
	emit_jmp(e, e->fail + 1);
}

/* The program returns A (eax). */
static void emit_ret_a(struct emitter *e)
{
	if (!e->burst) {
		put8(e, 0xc3);
		return;
	}
	put8(e, 0x41); /* mov [r8 + rbx], eax */
	put8(e, 0x89);
	put8(e, 0x04);
	put8(e, 0x18);
	emit_next_packet(e);
}

static void emit_ret_k(struct emitter *e, uint32_t k)
{
	if (!e->burst) {
		emit_mov_imm(e, 0, k);
		put8(e, 0xc3);
		return;
	}
	put8(e, 0x41); /* mov dword [r8 + rbx], k */
	put8(e, 0xc7);
	put8(e, 0x04);
	put8(e, 0x18);
	put32(e, k);
	emit_next_packet(e);
}

/* A conditional jump whose true condition is cc, after the compare has set the flags. */
static void emit_branch(struct emitter *e, int cc, unsigned pc, const struct bpf_insn *in)
{
	unsigned t = pc + 1 + in->jt, f = pc + 1 + in->jf;

	if (in->jt == 0) {
		emit_jcc(e, cc ^ 1, f); /* x86 condition codes pair up by the low bit */
	} else if (in->jf == 0) {
		emit_jcc(e, cc, t);
	} else {
		emit_jcc(e, cc, t);
		emit_jmp(e, f);
	}
}

/*
 * k as the wire-order value a JEQ or JSET compares against when A holds a
 * halfword (size 2) or word (4) not yet byte-swapped. A halfword's upper
 * bits are 0 either way, so k's upper bits stay where they are: a JEQ
 * against k > 0xffff still never matches, a JSET never sees them.
 */
static uint32_t wire_order(uint32_t k, unsigned size)
{
	if (size == 4)
		return __builtin_bswap32(k);
	if (size == 2)
		return (k & 0xffff0000u) | __builtin_bswap16((uint16_t)k);
	return k;
}

static bool is_ret_k(const struct bpf_insn *in)
{
	return in->code == (BPF_RET | BPF_K);
}

static void emit_jmp_insn(struct emitter *e, unsigned pc, const struct bpf_insn *insns)
{
	const struct bpf_insn *in = &insns[pc];
	unsigned op = BPF_OP(in->code);
	bool src_x = BPF_SRC(in->code) == BPF_X;
	uint32_t k = wire_order(in->k, e->raw_a[pc]);
	int cc = CC_E;

	if (op == BPF_JA) {
		if (in->k)
			emit_jmp(e, pc + 1 + in->k);
		return;
	}
	if (in->jt == in->jf) {
		/* Both ways lead to the same place: no test needed. */
		if (in->jt)
			emit_jmp(e, pc + 1 + in->jt);
		return;
	}
	switch (op) {
	case BPF_JEQ: cc = CC_E; break;
	case BPF_JGT: cc = CC_A; break;
	case BPF_JGE: cc = CC_AE; break;
	case BPF_JSET: cc = CC_NE; break;
	}
	if (src_x) {
		put8(e, op == BPF_JSET ? 0x85 : 0x39); /* test/cmp eax, ecx */
		put8(e, 0xc8);
	} else if (op == BPF_JSET) {
		if (k <= 0xff) {
			put8(e, 0xa8); /* test al, imm8 */
			put8(e, (uint8_t)k);
		} else {
			put8(e, 0xa9);
			put32(e, k);
		}
	} else if (k == 0 && op == BPF_JEQ) {
		put8(e, 0x85); /* test eax, eax */
		put8(e, 0xc0);
	} else if (fits8((int32_t)k)) {
		put8(e, 0x83);
		put8(e, 0xf8);
		put8(e, (uint8_t)k);
	} else {
		put8(e, 0x3d);
		put32(e, k);
	}
	if (is_ret_k(&insns[pc + 1 + in->jt]) && is_ret_k(&insns[pc + 1 + in->jf])) {
		/*
		 * Both ways return a constant, as the last test of nearly every
		 * filter does: pick the verdict with a cmov instead of a branch
		 * that mispredicts on mixed traffic. The movs leave the flags be.
		 */
		put8(e, 0xb8); /* mov eax, false verdict */
		put32(e, insns[pc + 1 + in->jf].k);
		put8(e, 0xba); /* mov edx, true verdict */
		put32(e, insns[pc + 1 + in->jt].k);
		put8(e, 0x0f); /* cmovcc eax, edx */
		put8(e, (uint8_t)(0x40 | cc));
		put8(e, 0xc2);
		emit_ret_a(e);
		return;
	}
	emit_branch(e, cc, pc, in);
}

static void emit_ret(struct emitter *e, const struct bpf_insn *in)
{
	if (BPF_RVAL(in->code) == BPF_K)
		emit_ret_k(e, in->k);
	else
		emit_ret_a(e);
}

/* mov between eax/ecx and a scratch word: opcode 0x8b loads, 0x89 stores. */
static void emit_scratch(struct emitter *e, uint8_t opcode, int reg, uint32_t k)
{
	put8(e, opcode);
	put8(e, (uint8_t)(0x44 | reg << 3));
	put8(e, 0x24);
	put8(e, (uint8_t)SCRATCH_DISP(k));
}

static void emit_insn(struct emitter *e, unsigned pc, const struct bpf_insn *insns, uint64_t known)
{
	const struct bpf_insn *in = &insns[pc];

	switch (BPF_CLASS(in->code)) {
	case BPF_LD:
	case BPF_LDX: {
		int reg = BPF_CLASS(in->code) == BPF_LDX ? 1 : 0;

		switch (BPF_MODE(in->code)) {
		case BPF_ABS:
		case BPF_MSH: emit_abs(e, in, known, e->keep_raw[pc] != 0); break;
		case BPF_IND:
			emit_load_ind(e, load_size(in->code), in->k);
			if (!e->keep_raw[pc])
				emit_to_host_order(e, load_size(in->code));
			break;
		case BPF_LEN:
			put8(e, 0x44); /* mov eax/ecx, r9d */
			put8(e, 0x89);
			put8(e, (uint8_t)(0xc8 | reg));
			break;
		case BPF_IMM: emit_mov_imm(e, reg, in->k); break;
		case BPF_MEM: emit_scratch(e, 0x8b, reg, in->k); break;
		}
		break;
	}
	case BPF_ST: emit_scratch(e, 0x89, 0, in->k); break;
	case BPF_STX: emit_scratch(e, 0x89, 1, in->k); break;
	case BPF_ALU:
		if (BPF_SRC(in->code) == BPF_X && BPF_OP(in->code) != BPF_NEG)
			emit_alu_x(e, in);
		else
			emit_alu_k(e, in);
		break;
	case BPF_JMP: emit_jmp_insn(e, pc, insns); break;
	case BPF_RET: emit_ret(e, in); break;
	case BPF_MISC:
		put8(e, 0x89);
		put8(e, BPF_MISCOP(in->code) == BPF_TAX ? 0xc1 : 0xc8);
		break;
	}
}

struct prog_facts {
	bool uses_len;
	bool uses_ind;
	bool reads_x;	   /* some instruction reads X, so it must start at 0 */
	bool sets_a_first; /* the first instruction loads A, so it need not start at 0 */
	uint16_t mem_read; /* scratch words some instruction loads */
};

static struct prog_facts scan(const struct bpf_insn *insns, unsigned n)
{
	struct prog_facts f = { 0 };

	f.sets_a_first = n && BPF_CLASS(insns[0].code) == BPF_LD;
	for (unsigned i = 0; i < n; i++) {
		uint16_t c = insns[i].code;

		switch (BPF_CLASS(c)) {
		case BPF_LD: f.reads_x |= BPF_MODE(c) == BPF_IND; break;
		case BPF_ALU: f.reads_x |= BPF_SRC(c) == BPF_X && BPF_OP(c) != BPF_NEG; break;
		case BPF_JMP: f.reads_x |= BPF_SRC(c) == BPF_X && BPF_OP(c) != BPF_JA; break;
		case BPF_STX: f.reads_x = true; break;
		case BPF_MISC: f.reads_x |= BPF_MISCOP(c) == BPF_TXA; break;
		}
		if ((BPF_CLASS(c) == BPF_LD || BPF_CLASS(c) == BPF_LDX)) {
			if (BPF_MODE(c) == BPF_LEN)
				f.uses_len = true;
			else if (BPF_MODE(c) == BPF_IND)
				f.uses_ind = true;
			else if (BPF_MODE(c) == BPF_MEM)
				f.mem_read |= (uint16_t)(1u << insns[i].k);
		}
	}
	return f;
}

/*
 * For each instruction, a caplen every path reaching it has already proven
 * (a failed bounds test ends the program), so a later load inside it needs
 * no test: "ldh [12]; ...; ldb [14]" tests once. Jumps only go forward, so
 * one pass in program order sees every predecessor first.
 */
static void known_lengths(const struct bpf_insn *insns, unsigned n, uint64_t *known)
{
	for (unsigned i = 0; i < n; i++)
		known[i] = UINT64_MAX;
	known[0] = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct bpf_insn *in = &insns[i];
		uint16_t c = in->code;
		uint64_t out;

		if (known[i] == UINT64_MAX)
			known[i] = 0; /* unreachable: keep every test */
		out = known[i];
		if ((BPF_CLASS(c) == BPF_LD || BPF_CLASS(c) == BPF_LDX) &&
		    (BPF_MODE(c) == BPF_ABS || BPF_MODE(c) == BPF_IND || BPF_MODE(c) == BPF_MSH)) {
			uint64_t need = (uint64_t)in->k + load_size(c);

			if (need > out)
				out = need;
		}
		if (BPF_CLASS(c) == BPF_RET)
			continue;
		if (BPF_CLASS(c) == BPF_JMP) {
			unsigned t[2] = { i + 1 + in->jt, i + 1 + in->jf };

			if (BPF_OP(c) == BPF_JA)
				t[0] = t[1] = i + 1 + in->k;
			for (int j = 0; j < 2; j++)
				if (out < known[t[j]])
					known[t[j]] = out;
		} else if (i + 1 < n && out < known[i + 1]) {
			known[i + 1] = out;
		}
	}
}

/* A use of A that only tests equality or bits against a constant, which works on either byte order. */
static bool uses_a_bytewise(const struct bpf_insn *in)
{
	return BPF_CLASS(in->code) == BPF_JMP && BPF_SRC(in->code) == BPF_K &&
	       (BPF_OP(in->code) == BPF_JEQ || BPF_OP(in->code) == BPF_JSET);
}

static bool reads_a(const struct bpf_insn *in)
{
	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ST: return true;
	case BPF_JMP: return BPF_OP(in->code) != BPF_JA;
	case BPF_RET: return BPF_RVAL(in->code) == BPF_A;
	case BPF_MISC: return BPF_MISCOP(in->code) == BPF_TAX;
	default: return false;
	}
}

static bool writes_a(const struct bpf_insn *in)
{
	uint16_t c = in->code;

	return BPF_CLASS(c) == BPF_LD || BPF_CLASS(c) == BPF_ALU ||
	       (BPF_CLASS(c) == BPF_MISC && BPF_MISCOP(c) == BPF_TXA);
}

/*
 * Which halfword and word loads into A can skip the byte swap: those whose
 * value, on every path, is only compared with JEQ/JSET against constants
 * (swapped instead, once, here) before A is written again. Filters test
 * ethertypes and ports that way ("ldh [12]; jeq #0x800"), and the swap is
 * one of a handful of instructions per packet.
 *
 * src[i] is the candidate load whose wire-order value A holds on entry to
 * i (or HOST). A load is given up when a use needs host order or when
 * paths meet holding different values in an A still to be read (live[i]);
 * giving one up can create a new meeting, so repeat until nothing changes.
 * Jumps only go forward, so one pass in program order sees every
 * predecessor first, and one in reverse every successor.
 */
enum { SRC_UNSET = -3, SRC_MIXED = -2, SRC_HOST = -1 };

static bool give_up(uint8_t *keep_raw, int32_t load)
{
	if (load < 0 || !keep_raw[load])
		return false;
	keep_raw[load] = 0;
	return true;
}

static unsigned successors(const struct bpf_insn *insns, unsigned n, unsigned i, unsigned succ[2])
{
	const struct bpf_insn *in = &insns[i];

	if (BPF_CLASS(in->code) == BPF_JMP) {
		if (BPF_OP(in->code) == BPF_JA) {
			succ[0] = i + 1 + in->k;
			return 1;
		}
		succ[0] = i + 1 + in->jt;
		succ[1] = i + 1 + in->jf;
		return 2;
	}
	if (BPF_CLASS(in->code) != BPF_RET && i + 1 < n) {
		succ[0] = i + 1;
		return 1;
	}
	return 0;
}

static void plan_swaps(const struct bpf_insn *insns, unsigned n, int32_t *src, uint8_t *keep_raw, uint8_t *raw_a,
		       uint8_t *live)
{
	bool changed = true;

	for (unsigned i = n; i-- > 0;) {
		unsigned succ[2], nsucc = successors(insns, n, i, succ);

		live[i] = reads_a(&insns[i]);
		for (unsigned j = 0; j < nsucc && !writes_a(&insns[i]); j++)
			live[i] |= live[succ[j]];
	}
	for (unsigned i = 0; i < n; i++) {
		uint16_t c = insns[i].code;

		keep_raw[i] = 0;
		if (BPF_CLASS(c) == BPF_LD && (BPF_MODE(c) == BPF_ABS || BPF_MODE(c) == BPF_IND) &&
		    BPF_SIZE(c) != BPF_B)
			keep_raw[i] = (uint8_t)load_size(c);
	}
	while (changed) {
		changed = false;
		for (unsigned i = 0; i < n; i++)
			src[i] = SRC_UNSET;
		src[0] = SRC_HOST;
		for (unsigned i = 0; i < n; i++) {
			const struct bpf_insn *in = &insns[i];
			int32_t a = src[i] == SRC_UNSET ? SRC_HOST : src[i];
			unsigned succ[2], nsucc = successors(insns, n, i, succ);

			if (reads_a(in) && !uses_a_bytewise(in) && give_up(keep_raw, a)) {
				changed = true;
				a = SRC_HOST;
			}
			if (writes_a(in))
				a = keep_raw[i] ? (int32_t)i : SRC_HOST;
			for (unsigned j = 0; j < nsucc; j++) {
				int32_t *t = &src[succ[j]];

				if (!live[succ[j]]) {
					*t = SRC_HOST; /* nobody looks at A there */
				} else if (*t == SRC_UNSET) {
					*t = a;
				} else if (*t != a) {
					changed |= give_up(keep_raw, *t);
					changed |= give_up(keep_raw, a);
					*t = SRC_MIXED;
				}
			}
		}
	}
	for (unsigned i = 0; i < n; i++)
		raw_a[i] = src[i] >= 0 ? keep_raw[src[i]] : 0;
}

/*
 * Burst entry: save rbx and r12, set the cursor, the end and the verdict
 * pointer, and leave at once for n == 0. Then the top of the loop, which
 * loads one descriptor into the single-packet function's registers.
 */
static void emit_burst_entry(struct emitter *e, const struct prog_facts *f)
{
	static const uint8_t push_rbx_r12[] = { 0x53, 0x41, 0x54 };
	static const uint8_t mov_esi_esi[] = { 0x89, 0xf6 };
	static const uint8_t lea_r8_rdx_4rsi[] = { 0x4c, 0x8d, 0x04, 0xb2 };
	static const uint8_t imul_rax_rsi[] = { 0x48, 0x6b, 0xc6, (uint8_t)sizeof(struct td_pkt) };
	static const uint8_t lea_r12_rdi_rax[] = { 0x4c, 0x8d, 0x24, 0x07 };
	static const uint8_t lea_rbx_4rsi[] = { 0x48, 0x8d, 0x1c, 0xb5, 0, 0, 0, 0 };
	static const uint8_t neg_rbx[] = { 0x48, 0xf7, 0xdb };

	put_bytes(e, push_rbx_r12, sizeof(push_rbx_r12));
	put_bytes(e, mov_esi_esi, sizeof(mov_esi_esi));		/* n, zero-extended */
	put_bytes(e, lea_r8_rdx_4rsi, sizeof(lea_r8_rdx_4rsi)); /* verdicts + n */
	put_bytes(e, imul_rax_rsi, sizeof(imul_rax_rsi));
	put_bytes(e, lea_r12_rdi_rax, sizeof(lea_r12_rdi_rax)); /* pkts + n */
	put_bytes(e, lea_rbx_4rsi, sizeof(lea_rbx_4rsi));
	put_bytes(e, neg_rbx, sizeof(neg_rbx)); /* zero when n is */
	emit_jcc(e, CC_E, e->fail + 1);
	e->loop = (uint32_t)e->len;
	put8(e, 0x49); /* mov rdi, [r12 + 8 * rbx + data] */
	put8(e, 0x8b);
	put8(e, 0x7c);
	put8(e, 0xdc);
	put8(e, (uint8_t)offsetof(struct td_pkt, data));
	put8(e, 0x41); /* mov esi, [r12 + 8 * rbx + caplen], which clears rsi's upper half */
	put8(e, 0x8b);
	put8(e, 0x74);
	put8(e, 0xdc);
	put8(e, (uint8_t)offsetof(struct td_pkt, caplen));
	if (f->uses_len) {
		put8(e, 0x45); /* mov r9d, [r12 + 8 * rbx + wirelen] */
		put8(e, 0x8b);
		put8(e, 0x4c);
		put8(e, 0xdc);
		put8(e, (uint8_t)offsetof(struct td_pkt, wirelen));
	}
}

static void emit_prologue(struct emitter *e, const struct prog_facts *f)
{
	static const uint8_t zero_a[] = { 0x31, 0xc0 }, zero_x[] = { 0x31, 0xc9 };

	if (e->burst) {
		emit_burst_entry(e, f);
	} else {
		if (f->uses_ind) {
			put8(e, 0x89); /* mov esi, esi: clear caplen's upper half */
			put8(e, 0xf6);
		}
		if (f->uses_len) {
			put8(e, 0x41); /* mov r9d, edx */
			put8(e, 0x89);
			put8(e, 0xd1);
		}
	}
	/* A and X start at 0, where anything can see it: two uops of a few per packet. */
	if (!f->sets_a_first)
		put_bytes(e, zero_a, sizeof(zero_a));
	if (f->reads_x)
		put_bytes(e, zero_x, sizeof(zero_x));
	/* Scratch words read before any store are 0, as in libpcap >= 1.10.5. */
	for (unsigned k = 0; k < BPF_MEMWORDS; k++) {
		if (!(f->mem_read & (1u << k)))
			continue;
		put8(e, 0xc7); /* mov dword [rsp + disp8], 0 */
		put8(e, 0x44);
		put8(e, 0x24);
		put8(e, (uint8_t)SCRATCH_DISP(k));
		put32(e, 0);
	}
}

static void emit_program(struct emitter *e, const struct bpf_insn *insns, unsigned n, const struct prog_facts *f,
			 const uint64_t *known)
{
	static const uint8_t leave[] = { 0x41, 0x5c, 0x5b, 0xc3 }; /* pop r12; pop rbx; ret */

	e->len = 0;
	emit_prologue(e, f);
	for (unsigned pc = 0; pc < n; pc++) {
		e->cur[pc] = (uint32_t)e->len;
		emit_insn(e, pc, insns, known[pc]);
	}
	e->cur[n] = (uint32_t)e->len;
	emit_ret_k(e, 0);
	e->cur[n + 1] = (uint32_t)e->len;
	if (e->burst)
		put_bytes(e, leave, sizeof(leave));
}

/*
 * Lay the program out until two passes agree. Starts from an
 * overestimate so every jump shrinks towards its final form.
 */
static int layout(struct emitter *e, uint32_t *addr_a, uint32_t *addr_b, const struct bpf_insn *insns, unsigned n,
		  const struct prog_facts *f, const uint64_t *known, char *errbuf)
{
	for (unsigned i = 0; i <= n + 1; i++)
		addr_a[i] = PROLOGUE_MAX_BYTES + i * INSN_MAX_BYTES;
	e->prev = addr_a;
	e->cur = addr_b;
	for (size_t pass = 0; pass < MAX_PASSES(n); pass++) {
		uint32_t *swap;

		emit_program(e, insns, n, f, known);
		if (!memcmp(e->prev, e->cur, ((size_t)n + 2) * sizeof(*addr_a)))
			return 0;
		swap = (uint32_t *)e->prev;
		e->prev = e->cur;
		e->cur = swap;
	}
	snprintf(errbuf, TD_ERRBUF_SIZE, "filter code layout did not settle");
	return -EINVAL;
}

/* Both functions in one mapping: the single-packet one first, the burst loop at burst_off. */
static int map_code(struct bpf_jit *jit, const uint8_t *one, size_t one_len, const uint8_t *burst, size_t burst_len,
		    char *errbuf)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t burst_off = (one_len + 63) & ~(size_t)63;
	size_t map_len = (burst_off + burst_len + (size_t)page - 1) & ~((size_t)page - 1);
	uint8_t *map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int err;

	if (map == MAP_FAILED) {
		err = errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "mmap of %zu bytes for filter code: %s", map_len, strerror(err));
		return -err;
	}
	memset(map, 0xcc, map_len); /* int3 between and past the functions */
	memcpy(map, one, one_len);
	memcpy(map + burst_off, burst, burst_len);
	/* Never writable and executable at once. */
	if (mprotect(map, map_len, PROT_READ | PROT_EXEC) < 0) {
		err = errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "mprotect of filter code: %s", strerror(err));
		munmap(map, map_len);
		return -err;
	}
	jit->map = map;
	jit->map_len = map_len;
	jit->fn = (bpf_jit_fn)(void *)map;
	jit->burst = (bpf_jit_burst_fn)(void *)(map + burst_off);
	return 0;
}

struct bpf_jit *bpf_jit_compile(const struct bpf_insn *insns, unsigned n, char *errbuf)
{
	struct bpf_jit *jit = NULL;
	struct emitter one = { 0 }, burst = { 0 };
	uint32_t *addr_a = NULL, *addr_b = NULL;
	uint64_t *known = NULL;
	int32_t *src = NULL;
	uint8_t *swaps = NULL; /* keep_raw, raw_a, live */
	struct prog_facts facts;
	size_t buf_len = PROLOGUE_MAX_BYTES + ((size_t)n + 1) * INSN_MAX_BYTES + 8;
	int err = bpf_prog_validate(insns, n, errbuf);

	if (err < 0)
		goto out;
	err = -ENOMEM;
	jit = calloc(1, sizeof(*jit));
	addr_a = malloc(((size_t)n + 2) * sizeof(*addr_a));
	addr_b = malloc(((size_t)n + 2) * sizeof(*addr_b));
	known = malloc((size_t)n * sizeof(*known));
	src = malloc((size_t)n * sizeof(*src));
	swaps = malloc(3 * (size_t)n);
	one.buf = malloc(buf_len);
	burst.buf = malloc(buf_len);
	if (!jit || !addr_a || !addr_b || !known || !src || !swaps || !one.buf || !burst.buf) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory compiling a %u-instruction filter", n);
		goto out;
	}
	facts = scan(insns, n);
	known_lengths(insns, n, known);
	plan_swaps(insns, n, src, swaps, swaps + n, swaps + 2 * n);
	one.keep_raw = burst.keep_raw = swaps;
	one.raw_a = burst.raw_a = swaps + n;
	one.fail = burst.fail = n;
	burst.burst = true;
	err = layout(&one, addr_a, addr_b, insns, n, &facts, known, errbuf);
	if (err < 0)
		goto out;
	err = layout(&burst, addr_a, addr_b, insns, n, &facts, known, errbuf);
	if (err < 0)
		goto out;
	err = map_code(jit, one.buf, one.len, burst.buf, burst.len, errbuf);
out:
	/* The code is in the mapping now (or there is none): the buffers go either way. */
	free(burst.buf);
	free(one.buf);
	free(swaps);
	free(src);
	free(known);
	free(addr_b);
	free(addr_a);
	if (err < 0) {
		free(jit);
		errno = -err;
		return NULL;
	}
	return jit;
}

uint32_t bpf_jit_run(const struct bpf_jit *jit, const uint8_t *pkt, uint32_t wirelen, uint32_t caplen)
{
	return jit->fn(pkt, caplen, wirelen);
}

void bpf_jit_run_burst(const struct bpf_jit *jit, const struct td_pkt *pkts, unsigned n, uint32_t *verdicts)
{
	jit->burst(pkts, n, verdicts);
}

void bpf_jit_free(struct bpf_jit *jit)
{
	if (!jit)
		return;
	munmap(jit->map, jit->map_len);
	free(jit);
}
