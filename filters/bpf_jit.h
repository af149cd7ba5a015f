/* Classic BPF program validation and the cBPF to x86-64 JIT (libpcap's interpreter off x86-64). */
#ifndef TD_BPF_JIT_H
#define TD_BPF_JIT_H

#include <stdint.h>

#include <pcap/bpf.h>

/*
 * Check a program as libpcap compiled it: known opcodes, jump targets
 * inside the program, scratch indexes below BPF_MEMWORDS, ends in a return.
 * Returns 0, or -EINVAL with a one-line reason in errbuf (256 bytes).
 */
int bpf_prog_validate(const struct bpf_insn *insns, unsigned n, char *errbuf);

struct bpf_jit;

/*
 * Compile a validated program to native code (mapped writable, then
 * executable only). Returns NULL and sets errno (errbuf explains) when the
 * host has no JIT or the mapping fails.
 */
struct bpf_jit *bpf_jit_compile(const struct bpf_insn *insns, unsigned n, char *errbuf);

/* Same verdict as libpcap's bpf_filter(insns, pkt, wirelen, caplen). */
uint32_t bpf_jit_run(const struct bpf_jit *jit, const uint8_t *pkt, uint32_t wirelen, uint32_t caplen);

void bpf_jit_free(struct bpf_jit *jit);

#endif
