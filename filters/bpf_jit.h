/* Classic BPF program validation and the cBPF to x86-64 JIT (libpcap's interpreter off x86-64). */
#ifndef TD_BPF_JIT_H
#define TD_BPF_JIT_H

#include <stdint.h>
#include <sys/types.h> /* u_int and friends, which pcap/bpf.h uses */

#include <pcap/bpf.h>

#include "common/errbuf.h"
#include "io/packet.h"

/*
 * Check a program as libpcap compiled it: known opcodes, jump targets
 * forward and inside the program, scratch indexes below BPF_MEMWORDS, no
 * constant division by zero, ends in a return. Returns 0, or -EINVAL with
 * a one-line reason in errbuf (TD_ERRBUF_SIZE bytes).
 *
 * "protochain" compiles to a backward jump, which libpcap's interpreter
 * follows but this refuses: run such programs with bpf_filter().
 */
int bpf_prog_validate(const struct bpf_insn *insns, unsigned n, char *errbuf);

struct bpf_jit;

/*
 * Validate, then compile to native code (mapped writable, then executable
 * only). Returns NULL and sets errno (errbuf explains): EINVAL when the
 * validator refuses the program, ENOMEM or the mapping's error otherwise.
 * Off x86-64 the "compiled" program is run by libpcap's bpf_filter().
 */
struct bpf_jit *bpf_jit_compile(const struct bpf_insn *insns, unsigned n, char *errbuf);

/*
 * Same verdict as libpcap's bpf_filter(insns, pkt, wirelen, caplen),
 * including 0 for a load past caplen and for division by X == 0. Reads
 * nothing at or past pkt + caplen; safe from any number of threads.
 */
uint32_t bpf_jit_run(const struct bpf_jit *jit, const uint8_t *pkt, uint32_t wirelen, uint32_t caplen);

/*
 * verdicts[i] = bpf_jit_run(jit, pkts[i].data, pkts[i].wirelen,
 * pkts[i].caplen) for every i < n (n may be 0), in one call: the loop over
 * the burst is part of the generated code, so a packet costs no call.
 * verdicts must not overlap pkts.
 */
void bpf_jit_run_burst(const struct bpf_jit *jit, const struct td_pkt *pkts, unsigned n, uint32_t *verdicts);

void bpf_jit_free(struct bpf_jit *jit);

#endif
