/* Structural checks on a classic BPF program before it is compiled to native code. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "filters/bpf_jit.h"

/*
 * Larger than anything pcap_compile produces for a sane expression, small
 * enough that code offsets and per-instruction tables stay in 32 bits.
 */
#define BPF_VALIDATE_MAXINSNS (1U << 20)

static bool opcode_known(uint16_t code)
{
	switch (code) {
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_MSH | BPF_B:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_X:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_MOD | BPF_K:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA: return true;
	}
	return false;
}

static int reject(char *errbuf, unsigned pc, const char *why)
{
	snprintf(errbuf, TD_ERRBUF_SIZE, "insn %u: %s", pc, why);
	return -EINVAL;
}

int bpf_prog_validate(const struct bpf_insn *insns, unsigned n, char *errbuf)
{
	if (!insns || n == 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "empty program");
		return -EINVAL;
	}
	if (n > BPF_VALIDATE_MAXINSNS) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "program has %u instructions, limit %u", n, BPF_VALIDATE_MAXINSNS);
		return -EINVAL;
	}
	for (unsigned pc = 0; pc < n; pc++) {
		const struct bpf_insn *in = &insns[pc];
		/* Targets are relative to the next instruction; 64-bit so k cannot wrap. */
		uint64_t next = (uint64_t)pc + 1;

		if (!opcode_known(in->code))
			return reject(errbuf, pc, "unknown opcode");
		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
		case BPF_LDX:
			if (BPF_MODE(in->code) == BPF_MEM && in->k >= BPF_MEMWORDS)
				return reject(errbuf, pc, "scratch memory index out of range");
			break;
		case BPF_ST:
		case BPF_STX:
			if (in->k >= BPF_MEMWORDS)
				return reject(errbuf, pc, "scratch memory index out of range");
			break;
		case BPF_ALU:
			/*
			 * libpcap 1.10's bpf_filter() divides by the constant
			 * unchecked (SIGFPE) and its bpf_validate() refuses it;
			 * pcap_compile never emits it.
			 */
			if ((BPF_OP(in->code) == BPF_DIV || BPF_OP(in->code) == BPF_MOD) &&
			    BPF_SRC(in->code) == BPF_K && in->k == 0)
				return reject(errbuf, pc, "constant division by zero");
			break;
		case BPF_JMP:
			/*
			 * Only forward jumps: the program is then a DAG and
			 * always terminates. libpcap's interpreter also
			 * follows the backward "ja" that "protochain" emits;
			 * such programs stay on the interpreter.
			 */
			if (BPF_OP(in->code) == BPF_JA) {
				if ((int32_t)in->k < 0)
					return reject(errbuf, pc, "backward jump");
				if (next + in->k >= n)
					return reject(errbuf, pc, "jump past the end of the program");
			} else if (next + in->jt >= n || next + in->jf >= n) {
				return reject(errbuf, pc, "jump past the end of the program");
			}
			break;
		}
	}
	if (BPF_CLASS(insns[n - 1].code) != BPF_RET)
		return reject(errbuf, n - 1, "program does not end in a return");
	return 0;
}
