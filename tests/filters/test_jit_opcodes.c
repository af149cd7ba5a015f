/* Every classic BPF opcode, hand-built, over edge-case operands and packet lengths: JIT (one packet and a burst) against bpf_filter(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "filters/bpf_jit.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_REPORTS 10
#define VERDICT_CANARY 0x5a5aa5a5u

/* Operand values around every boundary the executors test: sizes, shifts, 2^31, wrap-around. */
static const uint32_t edge[] = {
	0,	    1,		2,	    3,		4,	    5,		7,	    8,		12,
	13,	    14,		15,	    16,		31,	    32,		33,	    63,		64,
	100,	    127,	128,	    255,	256,	    1000,	0x7ffffffe, 0x7fffffff, 0x80000000,
	0x80000001, 0xfffffff0, 0xfffffffb, 0xfffffffc, 0xfffffffd, 0xfffffffe, 0xffffffff,
};

static const uint32_t accs[] = { 0, 1, 0x12345678, 0x80000000, 0xffffffff, 100 };

/* Packet lengths for the loads: every length up to 72, then some larger ones. */
static uint32_t caplens[90];
static size_t ncaplens;

struct checker {
	uint8_t *pkt_end; /* packets end here, at an inaccessible page */
	unsigned long long pairs, programs, mismatches;
	struct td_pkt burst[NELEM(caplens)]; /* every caplen, as one burst */
};

static void check(struct checker *c, const struct bpf_insn *prog, unsigned n, const char *what, uint32_t k, uint32_t x)
{
	uint32_t verdicts[NELEM(caplens) + 1];
	char errbuf[TD_ERRBUF_SIZE];
	struct bpf_jit *jit;

	if (bpf_prog_validate(prog, n, errbuf) < 0) {
		fprintf(stderr, "FAIL: %s k=%#x: validator refused: %s\n", what, k, errbuf);
		c->mismatches++;
		return;
	}
	jit = bpf_jit_compile(prog, n, errbuf);
	if (!jit) {
		fprintf(stderr, "FAIL: %s k=%#x: %s\n", what, k, errbuf);
		c->mismatches++;
		return;
	}
	c->programs++;
	for (size_t i = 0; i <= ncaplens; i++)
		verdicts[i] = VERDICT_CANARY;
	bpf_jit_run_burst(jit, c->burst, (unsigned)ncaplens, verdicts);
	if (verdicts[ncaplens] != VERDICT_CANARY && c->mismatches++ < MAX_REPORTS)
		fprintf(stderr, "MISMATCH: %s k=%#x X=%#x: the burst wrote past its end\n", what, k, x);
	for (size_t i = 0; i < ncaplens; i++) {
		uint32_t caplen = caplens[i];
		const uint8_t *pkt = c->pkt_end - caplen;
		/* wirelen differs from caplen so a BPF_LEN mix-up shows */
		uint32_t wirelen = caplen * 3 + 17;
		uint32_t want = bpf_filter(prog, pkt, wirelen, caplen);
		uint32_t got = bpf_jit_run(jit, pkt, wirelen, caplen);

		c->pairs++;
		if (want != got && c->mismatches++ < MAX_REPORTS)
			fprintf(stderr, "MISMATCH: %s k=%#x X=%#x caplen=%u: bpf_filter=%#x jit=%#x\n", what, k, x,
				caplen, want, got);
		if (want != verdicts[i] && c->mismatches++ < MAX_REPORTS)
			fprintf(stderr, "MISMATCH: %s k=%#x X=%#x caplen=%u: bpf_filter=%#x jit burst=%#x\n", what, k,
				x, caplen, want, verdicts[i]);
	}
	bpf_jit_free(jit);
}

/* Loads from the packet, in every mode and size, with X as the index for IND. */
static void check_loads(struct checker *c)
{
	static const struct {
		uint16_t code;
		const char *name;
	} loads[] = {
		{ BPF_LD | BPF_W | BPF_ABS, "ld [k]" },
		{ BPF_LD | BPF_H | BPF_ABS, "ldh [k]" },
		{ BPF_LD | BPF_B | BPF_ABS, "ldb [k]" },
		{ BPF_LD | BPF_W | BPF_IND, "ld [x+k]" },
		{ BPF_LD | BPF_H | BPF_IND, "ldh [x+k]" },
		{ BPF_LD | BPF_B | BPF_IND, "ldb [x+k]" },
		{ BPF_LDX | BPF_MSH | BPF_B, "ldxb 4*([k]&0xf)" },
	};

	for (size_t l = 0; l < NELEM(loads); l++) {
		for (size_t ki = 0; ki < NELEM(edge); ki++) {
			for (size_t xi = 0; xi < NELEM(edge); xi++) {
				uint32_t k = edge[ki], x = edge[xi];
				struct bpf_insn prog[] = {
					BPF_STMT(BPF_LD | BPF_IMM, 0xdeadbeef),
					BPF_STMT(BPF_LDX | BPF_IMM, x),
					BPF_STMT(loads[l].code, k),
					BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0), /* A + X shows both */
					BPF_STMT(BPF_RET | BPF_A, 0),
				};

				if (BPF_MODE(loads[l].code) != BPF_IND && xi > 2)
					continue;
				check(c, prog, NELEM(prog), loads[l].name, k, x);
			}
		}
	}
	/* Two loads in a row: the second one's bounds test may be elided, never wrongly. */
	for (size_t ki = 0; ki < NELEM(edge); ki++) {
		for (size_t kj = 0; kj < NELEM(edge); kj += 3) {
			struct bpf_insn prog[] = {
				BPF_STMT(BPF_LD | BPF_H | BPF_ABS, edge[ki]),
				BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x100, 0, 1),
				BPF_STMT(BPF_LD | BPF_B | BPF_ABS, edge[kj]),
				BPF_STMT(BPF_LD | BPF_W | BPF_ABS, edge[kj]),
				BPF_STMT(BPF_RET | BPF_A, 0),
			};

			check(c, prog, NELEM(prog), "ldh; jgt; ldb; ld", edge[ki], edge[kj]);
		}
	}
}

/* Every ALU operation with K and X sources over edge operands. */
static void check_alu(struct checker *c)
{
	static const struct {
		uint16_t op;
		const char *name;
	} ops[] = {
		{ BPF_ADD, "add" }, { BPF_SUB, "sub" }, { BPF_MUL, "mul" }, { BPF_DIV, "div" }, { BPF_MOD, "mod" },
		{ BPF_AND, "and" }, { BPF_OR, "or" },	{ BPF_XOR, "xor" }, { BPF_LSH, "lsh" }, { BPF_RSH, "rsh" },
	};
	char what[64];

	for (size_t o = 0; o < NELEM(ops); o++) {
		for (size_t ai = 0; ai < NELEM(accs); ai++) {
			for (size_t ki = 0; ki < NELEM(edge); ki++) {
				uint32_t k = edge[ki];
				struct bpf_insn pk[] = {
					BPF_STMT(BPF_LD | BPF_IMM, accs[ai]),
					BPF_STMT(BPF_ALU | ops[o].op | BPF_K, k),
					BPF_STMT(BPF_RET | BPF_A, 0),
				};
				struct bpf_insn px[] = {
					BPF_STMT(BPF_LD | BPF_IMM, accs[ai]),
					BPF_STMT(BPF_LDX | BPF_IMM, k),
					BPF_STMT(BPF_ALU | ops[o].op | BPF_X, 0),
					BPF_STMT(BPF_RET | BPF_A, 0),
				};

				snprintf(what, sizeof(what), "%s x (A=%#x)", ops[o].name, accs[ai]);
				check(c, px, NELEM(px), what, k, k); /* X == 0: div/mod end with 0 */
				if ((ops[o].op == BPF_DIV || ops[o].op == BPF_MOD) && k == 0)
					continue; /* refused by the validator, SIGFPE in bpf_filter */
				snprintf(what, sizeof(what), "%s #k (A=%#x)", ops[o].name, accs[ai]);
				check(c, pk, NELEM(pk), what, k, 0);
			}
		}
	}
	for (size_t ai = 0; ai < NELEM(accs); ai++) {
		struct bpf_insn neg[] = {
			BPF_STMT(BPF_LD | BPF_IMM, accs[ai]),
			BPF_STMT(BPF_ALU | BPF_NEG, 0),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};

		check(c, neg, NELEM(neg), "neg", accs[ai], 0);
	}
}

/* Conditional jumps with K and X, every jt/jf shape (fall through either way, both, neither). */
static void check_jumps(struct checker *c)
{
	static const struct {
		uint16_t op;
		const char *name;
	} ops[] = { { BPF_JEQ, "jeq" }, { BPF_JGT, "jgt" }, { BPF_JGE, "jge" }, { BPF_JSET, "jset" } };
	static const uint8_t shapes[][2] = { { 0, 1 }, { 1, 0 }, { 1, 2 }, { 2, 2 }, { 0, 0 }, { 2, 1 } };
	char what[64];

	for (size_t o = 0; o < NELEM(ops); o++) {
		for (size_t s = 0; s < NELEM(shapes); s++) {
			for (size_t ai = 0; ai < NELEM(accs); ai++) {
				for (size_t ki = 0; ki < NELEM(edge); ki++) {
					uint32_t k = edge[ki];
					struct bpf_insn pk[] = {
						BPF_STMT(BPF_LD | BPF_IMM, accs[ai]),
						BPF_JUMP(BPF_JMP | ops[o].op | BPF_K, k, shapes[s][0], shapes[s][1]),
						BPF_STMT(BPF_RET | BPF_K, 10),
						BPF_STMT(BPF_RET | BPF_K, 11),
						BPF_STMT(BPF_RET | BPF_K, 12),
					};
					struct bpf_insn px[] = {
						BPF_STMT(BPF_LD | BPF_IMM, accs[ai]),
						BPF_STMT(BPF_LDX | BPF_IMM, k),
						BPF_JUMP(BPF_JMP | ops[o].op | BPF_X, 0, shapes[s][0], shapes[s][1]),
						BPF_STMT(BPF_RET | BPF_K, 10),
						BPF_STMT(BPF_RET | BPF_K, 11),
						BPF_STMT(BPF_RET | BPF_K, 12),
					};

					snprintf(what, sizeof(what), "%s #k jt %u jf %u (A=%#x)", ops[o].name,
						 shapes[s][0], shapes[s][1], accs[ai]);
					check(c, pk, NELEM(pk), what, k, 0);
					snprintf(what, sizeof(what), "%s x jt %u jf %u (A=%#x)", ops[o].name,
						 shapes[s][0], shapes[s][1], accs[ai]);
					check(c, px, NELEM(px), what, k, k);
				}
			}
		}
	}
}

/* The host-order value of the size bytes at pkt_end - caplen + off, as bpf_filter() loads them. */
static uint32_t value_at(const struct checker *c, uint32_t caplen, uint32_t off, unsigned size)
{
	const uint8_t *p = c->pkt_end - caplen + off;
	uint32_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * Halfword and word loads compared only by JEQ/JSET against constants skip
 * the byte swap (the constant is swapped instead). Constants equal to the
 * loaded value, off by one byte and with upper bits set; uses that need
 * host order and paths that meet holding different loads must keep it.
 */
static void check_wire_order(struct checker *c)
{
	static const uint16_t sizes[] = { BPF_H, BPF_W };
	static const uint16_t modes[] = { BPF_ABS, BPF_IND };
	static const uint32_t offs[] = { 0, 1, 12, 14, 30 };
	char what[64];

	for (size_t si = 0; si < NELEM(sizes); si++) {
		unsigned size = sizes[si] == BPF_H ? 2 : 4;

		for (size_t mi = 0; mi < NELEM(modes); mi++) {
			uint16_t ld = BPF_LD | sizes[si] | modes[mi];
			uint32_t x = modes[mi] == BPF_IND ? 2 : 0;

			for (size_t oi = 0; oi < NELEM(offs); oi++) {
				uint32_t off = offs[oi];
				/* the value the load sees in the 64-byte packet */
				uint32_t v = value_at(c, 64, off + x, size);
				uint32_t v2 = value_at(c, 64, off + 1 + x, size);
				uint32_t ks[] = {
					v, v ^ 0x100, v ^ 1, v | 0x10000, v | 0x80000000u, v & 0xff, 0, 0xffff
				};

				for (size_t ki = 0; ki < NELEM(ks); ki++) {
					uint32_t k = ks[ki];
					struct bpf_insn cmov[] = {
						BPF_STMT(BPF_LDX | BPF_IMM, x),
						BPF_STMT(ld, off),
						BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 0, 1),
						BPF_STMT(BPF_RET | BPF_K, 1),
						BPF_STMT(BPF_RET | BPF_K, 2),
					};
					struct bpf_insn chain[] = {
						BPF_STMT(BPF_LDX | BPF_IMM, x),
						BPF_STMT(ld, off),
						BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k ^ 0x1, 3, 0),
						BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, k & 0xff00ff00u, 0, 1),
						BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 1, 2),
						BPF_STMT(BPF_RET | BPF_K, 3),
						BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, k & 0xff, 0, 1),
						BPF_STMT(BPF_RET | BPF_K, 4),
						BPF_STMT(BPF_RET | BPF_K, 5),
					};
					/* ret A and jgt need host order */
					struct bpf_insn ret_a[] = {
						BPF_STMT(BPF_LDX | BPF_IMM, x),
						BPF_STMT(ld, off),
						BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 1, 0),
						BPF_STMT(BPF_RET | BPF_K, 6),
						BPF_STMT(BPF_RET | BPF_A, 0),
					};
					struct bpf_insn jgt[] = {
						BPF_STMT(BPF_LDX | BPF_IMM, x),
						BPF_STMT(ld, off),
						BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 2, 0),
						BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, k, 0, 1),
						BPF_STMT(BPF_RET | BPF_K, 7),
						BPF_STMT(BPF_RET | BPF_K, 8),
					};
					/* two loads meet at one jeq: neither may skip the swap alone */
					struct bpf_insn meet[] = {
						BPF_STMT(BPF_LDX | BPF_IMM, x),
						BPF_STMT(ld, off),
						BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 1, 0),
						BPF_STMT(ld, off + 1),
						BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, v2, 0, 1),
						BPF_STMT(BPF_RET | BPF_K, 9),
						BPF_STMT(BPF_RET | BPF_K, 10),
					};
					/* a load and a constant meet where A is dead: the load still may */
					struct bpf_insn dead[] = {
						BPF_STMT(BPF_LDX | BPF_IMM, x),
						BPF_STMT(ld, off),
						BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 1, 0),
						BPF_STMT(BPF_LD | BPF_IMM, 7),
						BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 3),
						BPF_STMT(BPF_RET | BPF_A, 0),
					};

					snprintf(what, sizeof(what), "ld%s [%s%u]; jeq/jset", size == 2 ? "h" : "",
						 x ? "x+" : "", off);
					check(c, cmov, NELEM(cmov), what, k, x);
					check(c, chain, NELEM(chain), what, k, x);
					check(c, ret_a, NELEM(ret_a), what, k, x);
					check(c, jgt, NELEM(jgt), what, k, x);
					check(c, meet, NELEM(meet), what, k, x);
					check(c, dead, NELEM(dead), what, k, x);
				}
			}
		}
	}
}

/* Scratch memory, register moves, lengths, immediates, returns, unconditional jumps. */
static void check_misc(struct checker *c)
{
	for (uint32_t m = 0; m < BPF_MEMWORDS; m++) {
		struct bpf_insn st[] = {
			BPF_STMT(BPF_LD | BPF_IMM, 0x1000 + m),	 BPF_STMT(BPF_ST, m),
			BPF_STMT(BPF_LDX | BPF_IMM, 0x2000 + m), BPF_STMT(BPF_STX, (m + 1) % BPF_MEMWORDS),
			BPF_STMT(BPF_LD | BPF_IMM, 0),		 BPF_STMT(BPF_LDX | BPF_IMM, 0),
			BPF_STMT(BPF_LDX | BPF_MEM, m),		 BPF_STMT(BPF_LD | BPF_MEM, (m + 1) % BPF_MEMWORDS),
			BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0),	 BPF_STMT(BPF_RET | BPF_A, 0),
		};

		check(c, st, NELEM(st), "st/stx/ld M/ldx M", m, 0);
	}
	for (size_t ki = 0; ki < NELEM(edge); ki++) {
		uint32_t k = edge[ki];
		struct bpf_insn tax[] = {
			BPF_STMT(BPF_LD | BPF_IMM, k), BPF_STMT(BPF_MISC | BPF_TAX, 0),
			BPF_STMT(BPF_LD | BPF_IMM, 5), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};
		struct bpf_insn txa[] = {
			BPF_STMT(BPF_LDX | BPF_IMM, k),
			BPF_STMT(BPF_MISC | BPF_TXA, 0),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};
		struct bpf_insn len[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),	BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0),
			BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0), /* clobbers edx, where wirelen arrives */
			BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),	BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, k),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};
		struct bpf_insn retk[] = { BPF_STMT(BPF_RET | BPF_K, k) };
		struct bpf_insn ja[] = {
			BPF_STMT(BPF_LD | BPF_IMM, k), BPF_STMT(BPF_JMP | BPF_JA, 1), BPF_STMT(BPF_RET | BPF_K, 1),
			BPF_STMT(BPF_JMP | BPF_JA, 0), BPF_STMT(BPF_RET | BPF_A, 0),
		};

		check(c, tax, NELEM(tax), "tax", k, 0);
		check(c, txa, NELEM(txa), "txa", k, 0);
		check(c, len, NELEM(len), "len", k, 0);
		check(c, retk, NELEM(retk), "ret #k", k, 0);
		check(c, ja, NELEM(ja), "ja", k, 0);
	}
}

/*
 * Jumps each over 122 bytes and the next jump: one fits in rel8 only once
 * the next has, so the layout shrinks one jump per pass, 40 passes in all
 * (fuzz_jit found such a chain the JIT refused after 32 passes).
 */
static void check_jump_chain(struct checker *c)
{
	enum { LINKS = 40, FILL = 61 }; /* neg eax is 2 bytes */
	static struct bpf_insn prog[LINKS * (FILL + 1) + 2];
	unsigned n = 0;

	prog[n++] = (struct bpf_insn)BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0);
	for (unsigned l = 0; l < LINKS; l++) {
		/* the last link jumps over its filler only, to the return */
		prog[n++] = (struct bpf_insn)BPF_STMT(BPF_JMP | BPF_JA, l + 1 < LINKS ? FILL + 1 : FILL);
		for (unsigned i = 0; i < FILL; i++)
			prog[n++] = (struct bpf_insn)BPF_STMT(BPF_ALU | BPF_NEG, 0);
	}
	prog[n++] = (struct bpf_insn)BPF_STMT(BPF_RET | BPF_A, 0);
	check(c, prog, n, "chain of jumps over jumps", LINKS, 0);
}

/* A jump over more than 127 bytes of code needs the rel32 form; one just short of it, rel8. */
static void check_long_jumps(struct checker *c)
{
	for (unsigned gap = 1; gap < 200; gap += 7) {
		struct bpf_insn prog[256];
		unsigned n = 0;

		prog[n++] = (struct bpf_insn)BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0);
		prog[n++] = (struct bpf_insn)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x7f, (uint8_t)gap, 0);
		for (unsigned i = 0; i < gap; i++)
			prog[n++] = (struct bpf_insn)BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 0x100000 + i);
		prog[n++] = (struct bpf_insn)BPF_STMT(BPF_RET | BPF_A, 0);
		prog[n++] = (struct bpf_insn)BPF_STMT(BPF_RET | BPF_K, 77);
		check(c, prog, n, "long forward jump", gap, 0);
	}
	check_jump_chain(c);
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct checker c = { 0 };
	uint8_t *map;

	/* The packet area ends at a PROT_NONE page, so a load past caplen faults. */
	map = mmap(NULL, 4 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED || mprotect(map + 3 * page, (size_t)page, PROT_NONE) < 0) {
		fprintf(stderr, "guard page: %s\n", strerror(errno));
		return 1;
	}
	c.pkt_end = map + 3 * page;
	for (long i = 0; i < 3 * page; i++)
		map[i] = (uint8_t)(i * 37 + 11);
	for (uint32_t len = 0; len <= 72; len++)
		caplens[ncaplens++] = len;
	for (uint32_t len = 100; len <= 3 * (uint32_t)page && ncaplens < NELEM(caplens); len = len * 3 / 2)
		caplens[ncaplens++] = len;
	for (size_t i = 0; i < ncaplens; i++)
		c.burst[i] = (struct td_pkt){ .data = c.pkt_end - caplens[i],
					      .caplen = caplens[i],
					      .wirelen = caplens[i] * 3 + 17 };

	check_loads(&c);
	check_alu(&c);
	check_jumps(&c);
	check_wire_order(&c);
	check_misc(&c);
	check_long_jumps(&c);
	printf("%llu programs, %llu (program, packet) pairs checked, %llu disagreements\n", c.programs, c.pairs,
	       c.mismatches);
	return c.mismatches ? 1 : 0;
}
