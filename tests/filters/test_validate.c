/* The BPF validator refuses each class of malformed program, with a reason, and accepts what pcap_compile makes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "filters/bpf_jit.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct bad_case {
	const char *name;
	const char *reason; /* substring the message must contain */
	struct bpf_insn prog[4];
	unsigned n;
};

static const struct bad_case bad[] = {
	{ "unknown opcode", "unknown opcode", { BPF_STMT(0xff, 0), BPF_STMT(BPF_RET | BPF_K, 1) }, 2 },
	{ "unknown ALU op",
	  "unknown opcode",
	  { BPF_STMT(BPF_ALU | 0xb0 | BPF_K, 1), BPF_STMT(BPF_RET | BPF_K, 1) },
	  2 },
	{ "unknown load size",
	  "unknown opcode",
	  { BPF_STMT(BPF_LD | 0x18 | BPF_ABS, 1), BPF_STMT(BPF_RET | BPF_K, 1) },
	  2 },
	{ "jt past the end",
	  "past the end",
	  { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0), BPF_STMT(BPF_RET | BPF_K, 1) },
	  2 },
	{ "jf past the end",
	  "past the end",
	  { BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1), BPF_STMT(BPF_RET | BPF_K, 1) },
	  2 },
	{ "ja past the end", "past the end", { BPF_STMT(BPF_JMP | BPF_JA, 1), BPF_STMT(BPF_RET | BPF_K, 1) }, 2 },
	{ "ja with a huge offset",
	  "backward",
	  { BPF_STMT(BPF_JMP | BPF_JA, 0xffffffff), BPF_STMT(BPF_RET | BPF_K, 1) },
	  2 },
	{ "backward ja",
	  "backward",
	  { BPF_STMT(BPF_LD | BPF_IMM, 0), BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)-2), BPF_STMT(BPF_RET | BPF_K, 1) },
	  3 },
	{ "ld M[16]", "scratch", { BPF_STMT(BPF_LD | BPF_MEM, BPF_MEMWORDS), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
	{ "ldx M[-1]", "scratch", { BPF_STMT(BPF_LDX | BPF_MEM, 0xffffffff), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
	{ "st M[16]", "scratch", { BPF_STMT(BPF_ST, BPF_MEMWORDS), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
	{ "stx M[100]", "scratch", { BPF_STMT(BPF_STX, 100), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
	{ "div #0", "division by zero", { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
	{ "mod #0", "division by zero", { BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 0), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
	{ "no return at the end", "return", { BPF_STMT(BPF_LD | BPF_IMM, 1) }, 1 },
	{ "ends in a jump", "past the end", { BPF_STMT(BPF_RET | BPF_K, 1), BPF_STMT(BPF_JMP | BPF_JA, 0) }, 2 },
	{ "code after the last return",
	  "return",
	  { BPF_STMT(BPF_RET | BPF_K, 1), BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1) },
	  2 },
	{ "empty program", "empty", { BPF_STMT(BPF_RET | BPF_K, 1) }, 0 },
};

static int expect_bad(const struct bad_case *b)
{
	char errbuf[TD_ERRBUF_SIZE] = "";
	int r = bpf_prog_validate(b->prog, b->n, errbuf);

	if (r != -EINVAL) {
		fprintf(stderr, "FAIL: %s: validator returned %d\n", b->name, r);
		return 1;
	}
	if (!strstr(errbuf, b->reason) || strchr(errbuf, '\n')) {
		fprintf(stderr, "FAIL: %s: reason \"%s\" lacks \"%s\" or is not one line\n", b->name, errbuf,
			b->reason);
		return 1;
	}
	errno = 0;
	if (bpf_jit_compile(b->prog, b->n, errbuf) || errno != EINVAL) {
		fprintf(stderr, "FAIL: %s: the JIT compiled it\n", b->name);
		return 1;
	}
	printf("ok: %-24s refused: %s\n", b->name, errbuf);
	return 0;
}

static int expect_good(const char *expr)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program prog;
	char errbuf[TD_ERRBUF_SIZE];
	int failed = 0;

	if (pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		fprintf(stderr, "FAIL: %s: %s\n", expr, pcap_geterr(dead));
		pcap_close(dead);
		return 1;
	}
	if (bpf_prog_validate(prog.bf_insns, prog.bf_len, errbuf) < 0) {
		fprintf(stderr, "FAIL: \"%s\" refused: %s\n", expr, errbuf);
		failed = 1;
	}
	pcap_freecode(&prog);
	pcap_close(dead);
	return failed;
}

int main(void)
{
	static const char *const good[] = {
		"",
		"tcp",
		"tcp[tcpflags] & tcp-syn != 0",
		"ip[2:2] - ((ip[0]&0xf)<<2) > 40",
		"vlan and tcp",
		"len > 100",
		"ip[2:2] / ip[1] > 10",
	};
	/* The largest legal forms: last scratch word, jump to the last instruction. */
	static const struct bpf_insn edge_ok[] = {
		BPF_STMT(BPF_ST, BPF_MEMWORDS - 1),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 1, 0),
		BPF_STMT(BPF_JMP | BPF_JA, 0),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	char errbuf[TD_ERRBUF_SIZE];
	int failed = 0;

	for (size_t i = 0; i < NELEM(bad); i++)
		failed |= expect_bad(&bad[i]);
	for (size_t i = 0; i < NELEM(good); i++)
		failed |= expect_good(good[i]);
	if (bpf_prog_validate(edge_ok, NELEM(edge_ok), errbuf) < 0) {
		fprintf(stderr, "FAIL: edge program refused: %s\n", errbuf);
		failed = 1;
	}
	printf("%zu malformed programs refused, %zu compiled ones accepted: %s\n", NELEM(bad), NELEM(good) + 1,
	       failed ? "FAIL" : "ok");
	return failed;
}
