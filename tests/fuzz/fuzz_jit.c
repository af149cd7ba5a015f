/* libFuzzer target: a random valid BPF program and packet from the input, JIT verdict against bpf_filter(). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "bpf_jit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INSNS 64
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const uint16_t opcodes[] = {
	BPF_RET | BPF_K,
	BPF_RET | BPF_A,
	BPF_LD | BPF_W | BPF_ABS,
	BPF_LD | BPF_H | BPF_ABS,
	BPF_LD | BPF_B | BPF_ABS,
	BPF_LD | BPF_W | BPF_IND,
	BPF_LD | BPF_H | BPF_IND,
	BPF_LD | BPF_B | BPF_IND,
	BPF_LD | BPF_W | BPF_LEN,
	BPF_LDX | BPF_W | BPF_LEN,
	BPF_LDX | BPF_MSH | BPF_B,
	BPF_LD | BPF_IMM,
	BPF_LDX | BPF_IMM,
	BPF_LD | BPF_MEM,
	BPF_LDX | BPF_MEM,
	BPF_ST,
	BPF_STX,
	BPF_JMP | BPF_JA,
	BPF_JMP | BPF_JEQ | BPF_K,
	BPF_JMP | BPF_JGT | BPF_K,
	BPF_JMP | BPF_JGE | BPF_K,
	BPF_JMP | BPF_JSET | BPF_K,
	BPF_JMP | BPF_JEQ | BPF_X,
	BPF_JMP | BPF_JGT | BPF_X,
	BPF_JMP | BPF_JGE | BPF_X,
	BPF_JMP | BPF_JSET | BPF_X,
	BPF_ALU | BPF_ADD | BPF_K,
	BPF_ALU | BPF_SUB | BPF_K,
	BPF_ALU | BPF_MUL | BPF_K,
	BPF_ALU | BPF_DIV | BPF_K,
	BPF_ALU | BPF_MOD | BPF_K,
	BPF_ALU | BPF_AND | BPF_K,
	BPF_ALU | BPF_OR | BPF_K,
	BPF_ALU | BPF_XOR | BPF_K,
	BPF_ALU | BPF_LSH | BPF_K,
	BPF_ALU | BPF_RSH | BPF_K,
	BPF_ALU | BPF_ADD | BPF_X,
	BPF_ALU | BPF_SUB | BPF_X,
	BPF_ALU | BPF_MUL | BPF_X,
	BPF_ALU | BPF_DIV | BPF_X,
	BPF_ALU | BPF_MOD | BPF_X,
	BPF_ALU | BPF_AND | BPF_X,
	BPF_ALU | BPF_OR | BPF_X,
	BPF_ALU | BPF_XOR | BPF_X,
	BPF_ALU | BPF_LSH | BPF_X,
	BPF_ALU | BPF_RSH | BPF_X,
	BPF_ALU | BPF_NEG,
	BPF_MISC | BPF_TAX,
	BPF_MISC | BPF_TXA,
};

struct input {
	const uint8_t *p;
	size_t left;
};

static uint8_t take8(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

/* Mostly small constants, which reach the packet and the boundaries; sometimes any 32 bits. */
static uint32_t take_k(struct input *in)
{
	uint8_t sel = take8(in);
	uint32_t v = 0;

	switch (sel & 3) {
	case 0: return take8(in) & 0x7f;
	case 1: return (uint32_t)take8(in) << 8 | take8(in);
	case 2: return 0xffffffffu - (take8(in) & 0xf);
	default:
		for (int i = 0; i < 4; i++)
			v = v << 8 | take8(in);
		return v;
	}
}

/*
 * The packet ends at an inaccessible page so an over-read faults even
 * though the generated code is not instrumented. Allocated once: the
 * fuzzer runs inputs one at a time.
 */
static uint8_t *packet_area(size_t *usable)
{
	static uint8_t *area;
	static size_t len;

	if (!area) {
		long page = sysconf(_SC_PAGESIZE);
		uint8_t *m;

		len = 16 * (size_t)page;
		m = mmap(NULL, len + (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED || mprotect(m + len, (size_t)page, PROT_NONE) < 0)
			abort();
		area = m;
	}
	*usable = len;
	return area;
}

static void dump(const struct bpf_insn *prog, unsigned n, uint32_t caplen, uint32_t wirelen, uint32_t want,
		 uint32_t got)
{
	fprintf(stderr, "JIT disagrees with bpf_filter: %u vs %u (caplen %u wirelen %u)\n", got, want, caplen, wirelen);
	for (unsigned i = 0; i < n; i++)
		fprintf(stderr, "  { 0x%02x, %u, %u, 0x%08x },\n", prog[i].code, prog[i].jt, prog[i].jf, prog[i].k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct bpf_insn prog[BPF_MEMWORDS + MAX_INSNS];
	unsigned body = 1 + take8(&in) % MAX_INSNS, n = 0;
	uint16_t mem_read = 0;
	char errbuf[TD_ERRBUF_SIZE];
	struct bpf_jit *jit;
	size_t usable;
	uint8_t *area = packet_area(&usable);
	uint32_t caplen, wirelen, want, got;
	struct bpf_insn *b;

	/*
	 * Body first, at an offset leaving room for the zeroing stores:
	 * libpcap 1.10 leaves scratch memory uninitialised, so every word
	 * the body reads is stored (as 0, A's initial value) up front.
	 */
	b = prog + BPF_MEMWORDS;
	for (unsigned i = 0; i < body; i++) {
		uint16_t code = opcodes[take8(&in) % NELEM(opcodes)];
		unsigned room = body - 1 - i; /* instructions after this one */
		struct bpf_insn *ins = &b[i];

		if (i == body - 1)
			code = take8(&in) & 1 ? BPF_RET | BPF_A : BPF_RET | BPF_K;
		ins->code = code;
		ins->k = take_k(&in);
		ins->jt = ins->jf = 0;
		switch (BPF_CLASS(code)) {
		case BPF_LD:
		case BPF_LDX:
			if (BPF_MODE(code) == BPF_MEM) {
				ins->k %= BPF_MEMWORDS;
				mem_read |= (uint16_t)(1u << ins->k);
			}
			break;
		case BPF_ST:
		case BPF_STX: ins->k %= BPF_MEMWORDS; break;
		case BPF_ALU:
			if ((BPF_OP(code) == BPF_DIV || BPF_OP(code) == BPF_MOD) && BPF_SRC(code) == BPF_K &&
			    ins->k == 0)
				ins->k = 1;
			break;
		case BPF_JMP:
			if (room == 0) {
				ins->code = BPF_RET | BPF_A;
			} else if (BPF_OP(code) == BPF_JA) {
				ins->k %= room;
			} else {
				ins->jt = (uint8_t)(take8(&in) % (room < 256 ? room : 256));
				ins->jf = (uint8_t)(take8(&in) % (room < 256 ? room : 256));
			}
			break;
		}
	}
	for (unsigned k = 0; k < BPF_MEMWORDS; k++)
		if (mem_read & (1u << k))
			prog[n++] = (struct bpf_insn)BPF_STMT(BPF_ST, k);
	memmove(prog + n, b, body * sizeof(*b));
	n += body;

	/* wirelen above caplen half the time, as with a snaplen */
	wirelen = take8(&in);
	wirelen = wirelen & 1 ? wirelen : 0;
	caplen = (uint32_t)(in.left < usable ? in.left : usable);
	wirelen += caplen;
	memcpy(area + usable - caplen, in.p, caplen);

	jit = bpf_jit_compile(prog, n, errbuf);
	if (!jit) {
		fprintf(stderr, "JIT refused a valid program: %s\n", errbuf);
		dump(prog, n, caplen, wirelen, 0, 0);
		abort();
	}
	want = bpf_filter(prog, area + usable - caplen, wirelen, caplen);
	got = bpf_jit_run(jit, area + usable - caplen, wirelen, caplen);
	bpf_jit_free(jit);
	if (want != got) {
		dump(prog, n, caplen, wirelen, want, got);
		abort();
	}
	return 0;
}
