/* libFuzzer target: a random valid BPF program and packets from the input, JIT verdicts (one and burst) against bpf_filter(). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "filters/bpf_jit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INSNS 64
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
/* Longer than an rx burst (64), to cover any chunking; 0 and 1 are lengths too. */
#define MAX_BURST 130
#define SLOT_PAGES 16
#define VERDICT_CANARY 0x5a5aa5a5u

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
 * 1 + MAX_BURST slots (the input's packet, then the burst's), each
 * ending at an inaccessible page, so an over-read faults even though the
 * generated code is not instrumented; a packet lies at the end of its slot. Allocated once: the fuzzer runs inputs one
 * at a time. Returns slot i's end.
 */
static uint8_t *slot_end(unsigned i, size_t *usable)
{
	static uint8_t *area;
	static size_t len, stride;

	if (!area) {
		long page = sysconf(_SC_PAGESIZE);
		uint8_t *m;

		len = SLOT_PAGES * (size_t)page;
		stride = len + (size_t)page;
		m = mmap(NULL, stride * (1 + MAX_BURST), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			abort();
		for (unsigned s = 0; s < 1 + MAX_BURST; s++)
			if (mprotect(m + s * stride + len, (size_t)page, PROT_NONE) < 0)
				abort();
		area = m;
	}
	*usable = len;
	return area + i * stride + len;
}

static void dump(const struct bpf_insn *prog, unsigned n, uint32_t caplen, uint32_t wirelen, uint32_t want,
		 uint32_t got, const char *how)
{
	fprintf(stderr, "JIT %s disagrees with bpf_filter: %u vs %u (caplen %u wirelen %u)\n", how, got, want, caplen,
		wirelen);
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
	uint8_t *end = slot_end(0, &usable);
	uint32_t caplen, wirelen, want, got;
	struct td_pkt burst[MAX_BURST];
	uint32_t verdicts[MAX_BURST + 1];
	unsigned nburst, cut_seed;
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
	/* The burst: its length, and how its packets are cut short (the rest of the input is the packet). */
	nburst = take8(&in) % (MAX_BURST + 1);
	cut_seed = take8(&in);
	caplen = (uint32_t)(in.left < usable ? in.left : usable);
	wirelen += caplen;
	memcpy(end - caplen, in.p, caplen);

	jit = bpf_jit_compile(prog, n, errbuf);
	if (!jit) {
		fprintf(stderr, "JIT refused a valid program: %s\n", errbuf);
		dump(prog, n, caplen, wirelen, 0, 0, "compile");
		abort();
	}
	want = bpf_filter(prog, end - caplen, wirelen, caplen);
	got = bpf_jit_run(jit, end - caplen, wirelen, caplen);
	if (want != got) {
		dump(prog, n, caplen, wirelen, want, got, "run");
		abort();
	}

	/*
	 * The same program over a burst of prefixes of the packet: the whole
	 * of it, caplen 0, 1, a few bytes and arbitrary cuts, each in its own
	 * guarded slot, each with its own wirelen.
	 */
	for (unsigned i = 0; i < nburst; i++) {
		uint32_t h = (i + 1) * 0x9e3779b1u ^ cut_seed * 0x85ebca6bu, cap;
		uint8_t *e = slot_end(1 + i, &usable);

		switch (h >> 29) {
		case 0: cap = 0; break;
		case 1: cap = 1; break;
		case 2: cap = (h >> 8) % 16; break;
		case 3:
		case 4: cap = caplen; break;
		default: cap = (h >> 8) % (caplen + 1); break;
		}
		if (cap > caplen)
			cap = caplen;
		memcpy(e - cap, end - caplen, cap);
		burst[i] = (struct td_pkt){ .data = e - cap, .caplen = cap, .wirelen = cap + (h & 0xff) * (h & 1) };
	}
	for (unsigned i = 0; i <= nburst; i++)
		verdicts[i] = VERDICT_CANARY;
	bpf_jit_run_burst(jit, burst, nburst, verdicts);
	if (verdicts[nburst] != VERDICT_CANARY) {
		fprintf(stderr, "JIT burst of %u wrote past its end\n", nburst);
		dump(prog, n, caplen, wirelen, VERDICT_CANARY, verdicts[nburst], "burst");
		abort();
	}
	for (unsigned i = 0; i < nburst; i++) {
		want = bpf_filter(prog, burst[i].data, burst[i].wirelen, burst[i].caplen);
		if (want != verdicts[i]) {
			fprintf(stderr, "packet %u of a burst of %u\n", i, nburst);
			dump(prog, n, burst[i].caplen, burst[i].wirelen, want, verdicts[i], "burst");
			abort();
		}
	}
	bpf_jit_free(jit);
	return 0;
}
