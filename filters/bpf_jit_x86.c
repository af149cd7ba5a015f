/* Classic BPF to x86-64 machine code: one native function per filter, verdicts identical to bpf_filter(). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bpf_jit.h"

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
 */
typedef uint32_t (*bpf_jit_fn)(const uint8_t *pkt, uint32_t caplen, uint32_t wirelen);

struct bpf_jit {
	bpf_jit_fn fn;
	void *map;
	size_t map_len;
};

/* Largest code one BPF instruction turns into (an indirect load with a huge k: 31 bytes). */
#define INSN_MAX_BYTES 48
#define PROLOGUE_MAX_BYTES (16 + 8 * BPF_MEMWORDS)
#define MAX_PASSES 32
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
	/* Code offset of each instruction from the previous pass; prev[n] is the reject stub. */
	const uint32_t *prev;
	uint32_t *cur;
	unsigned fail;
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
		if (k <= 127) {
			put8(e, (uint8_t)(0x47 | reg << 3)); /* [rdi + disp8] */
			put8(e, (uint8_t)k);
		} else {
			put8(e, (uint8_t)(0x87 | reg << 3)); /* [rdi + disp32] */
			put32(e, k);
		}
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
		if (end <= 127) {
			put8(e, 0x51);
			put8(e, (uint8_t)end);
		} else {
			put8(e, 0x91);
			put32(e, (uint32_t)end);
		}
		put8(e, 0x49);
		put8(e, 0x39);
		put8(e, 0xf2);
		emit_jcc(e, CC_A, e->fail);
		/* load [rdi + rcx + k] */
		put_bytes(e, opc[size], opc[size][1] ? 2 : 1);
		if (k <= 127) {
			put8(e, 0x44);
			put8(e, 0x0f);
			put8(e, (uint8_t)k);
		} else {
			put8(e, 0x84);
			put8(e, 0x0f);
			put32(e, k);
		}
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
	emit_to_host_order(e, size);
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
static void emit_abs(struct emitter *e, const struct bpf_insn *in, uint64_t known)
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
	} else {
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

static void emit_jmp_insn(struct emitter *e, unsigned pc, const struct bpf_insn *in)
{
	unsigned op = BPF_OP(in->code);
	bool src_x = BPF_SRC(in->code) == BPF_X;
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
		if (in->k <= 0xff) {
			put8(e, 0xa8); /* test al, imm8 */
			put8(e, (uint8_t)in->k);
		} else {
			put8(e, 0xa9);
			put32(e, in->k);
		}
	} else if (in->k == 0 && op == BPF_JEQ) {
		put8(e, 0x85); /* test eax, eax */
		put8(e, 0xc0);
	} else if (fits8((int32_t)in->k)) {
		put8(e, 0x83);
		put8(e, 0xf8);
		put8(e, (uint8_t)in->k);
	} else {
		put8(e, 0x3d);
		put32(e, in->k);
	}
	emit_branch(e, cc, pc, in);
}

static void emit_ret(struct emitter *e, const struct bpf_insn *in)
{
	if (BPF_RVAL(in->code) == BPF_K)
		emit_mov_imm(e, 0, in->k);
	put8(e, 0xc3);
}

/* mov between eax/ecx and a scratch word: opcode 0x8b loads, 0x89 stores. */
static void emit_scratch(struct emitter *e, uint8_t opcode, int reg, uint32_t k)
{
	put8(e, opcode);
	put8(e, (uint8_t)(0x44 | reg << 3));
	put8(e, 0x24);
	put8(e, (uint8_t)SCRATCH_DISP(k));
}

static void emit_insn(struct emitter *e, unsigned pc, const struct bpf_insn *in, uint64_t known)
{
	switch (BPF_CLASS(in->code)) {
	case BPF_LD:
	case BPF_LDX: {
		int reg = BPF_CLASS(in->code) == BPF_LDX ? 1 : 0;

		switch (BPF_MODE(in->code)) {
		case BPF_ABS:
		case BPF_MSH: emit_abs(e, in, known); break;
		case BPF_IND: emit_load_ind(e, load_size(in->code), in->k); break;
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
	case BPF_JMP: emit_jmp_insn(e, pc, in); break;
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
	uint16_t mem_read; /* scratch words some instruction loads */
};

static struct prog_facts scan(const struct bpf_insn *insns, unsigned n)
{
	struct prog_facts f = { 0 };

	for (unsigned i = 0; i < n; i++) {
		uint16_t c = insns[i].code;

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

static void emit_prologue(struct emitter *e, const struct prog_facts *f)
{
	static const uint8_t zero_a_x[] = { 0x31, 0xc0, 0x31, 0xc9 };

	put_bytes(e, zero_a_x, sizeof(zero_a_x));
	if (f->uses_ind) {
		put8(e, 0x89); /* mov esi, esi: clear caplen's upper half */
		put8(e, 0xf6);
	}
	if (f->uses_len) {
		put8(e, 0x41); /* mov r9d, edx */
		put8(e, 0x89);
		put8(e, 0xd1);
	}
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
	static const uint8_t reject[] = { 0x31, 0xc0, 0xc3 }; /* xor eax, eax; ret */

	e->len = 0;
	emit_prologue(e, f);
	for (unsigned pc = 0; pc < n; pc++) {
		e->cur[pc] = (uint32_t)e->len;
		emit_insn(e, pc, &insns[pc], known[pc]);
	}
	e->cur[n] = (uint32_t)e->len;
	put_bytes(e, reject, sizeof(reject));
}

static int map_code(struct bpf_jit *jit, const uint8_t *code, size_t len, char *errbuf)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t map_len = (len + (size_t)page - 1) & ~((size_t)page - 1);
	void *map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int err;

	if (map == MAP_FAILED) {
		err = errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "mmap of %zu bytes for filter code: %s", map_len, strerror(err));
		return -err;
	}
	memset(map, 0xcc, map_len); /* int3 past the end */
	memcpy(map, code, len);
	/* Never writable and executable at once. */
	if (mprotect(map, map_len, PROT_READ | PROT_EXEC) < 0) {
		err = errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "mprotect of filter code: %s", strerror(err));
		munmap(map, map_len);
		return -err;
	}
	jit->map = map;
	jit->map_len = map_len;
	jit->fn = (bpf_jit_fn)map;
	return 0;
}

struct bpf_jit *bpf_jit_compile(const struct bpf_insn *insns, unsigned n, char *errbuf)
{
	struct bpf_jit *jit = NULL;
	struct emitter e = { 0 };
	uint32_t *addr_a = NULL, *addr_b = NULL;
	uint64_t *known = NULL;
	struct prog_facts facts;
	int err = bpf_prog_validate(insns, n, errbuf);

	if (err < 0)
		goto fail;
	err = -ENOMEM;
	jit = calloc(1, sizeof(*jit));
	addr_a = malloc(((size_t)n + 1) * sizeof(*addr_a));
	addr_b = malloc(((size_t)n + 1) * sizeof(*addr_b));
	known = malloc((size_t)n * sizeof(*known));
	e.buf = malloc(PROLOGUE_MAX_BYTES + (size_t)n * INSN_MAX_BYTES + 8);
	if (!jit || !addr_a || !addr_b || !known || !e.buf) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "out of memory compiling a %u-instruction filter", n);
		goto fail;
	}
	facts = scan(insns, n);
	known_lengths(insns, n, known);
	e.fail = n;

	/* Start from an overestimate so every jump shrinks towards its final form. */
	for (unsigned i = 0; i <= n; i++)
		addr_a[i] = PROLOGUE_MAX_BYTES + i * INSN_MAX_BYTES;
	e.prev = addr_a;
	e.cur = addr_b;
	for (int pass = 0;; pass++) {
		uint32_t *swap;

		if (pass == MAX_PASSES) {
			err = -EINVAL;
			snprintf(errbuf, TD_ERRBUF_SIZE, "filter code layout did not settle");
			goto fail;
		}
		emit_program(&e, insns, n, &facts, known);
		if (!memcmp(e.prev, e.cur, ((size_t)n + 1) * sizeof(*addr_a)))
			break;
		swap = (uint32_t *)e.prev;
		e.prev = e.cur;
		e.cur = swap;
	}
	err = map_code(jit, e.buf, e.len, errbuf);
	if (err < 0)
		goto fail;
	free(e.buf);
	free(known);
	free(addr_b);
	free(addr_a);
	return jit;
fail:
	free(e.buf);
	free(known);
	free(addr_b);
	free(addr_a);
	free(jit);
	errno = -err;
	return NULL;
}

uint32_t bpf_jit_run(const struct bpf_jit *jit, const uint8_t *pkt, uint32_t wirelen, uint32_t caplen)
{
	return jit->fn(pkt, caplen, wirelen);
}

void bpf_jit_free(struct bpf_jit *jit)
{
	if (!jit)
		return;
	munmap(jit->map, jit->map_len);
	free(jit);
}
