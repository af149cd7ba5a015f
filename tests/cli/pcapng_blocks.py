#!/usr/bin/env python3
# tests/cli/pcapng_blocks.py: walk a pcapng file's blocks and print what the tests check, one JSON object per file.
#
# Usage: pcapng_blocks.py FILE... ('-' reads standard input). Per file: the
# block types in order, the SHB, IDB and ISB options by name, the EPB count,
# the EPBs that carry epb_dropcount with their values, the EPBs per
# interface id ("epbs_by_if", ids as strings), and "error" when the
# file is not well formed (lengths, trailing copies, byte order).
import json
import struct
import sys

SHB, IDB, ISB, EPB = 0x0A0D0D0A, 1, 5, 6
SHB_OPTS = {2: "shb_hardware", 3: "shb_os", 4: "shb_userappl"}
IDB_OPTS = {2: "if_name", 9: "if_tsresol", 11: "if_filter", 13: "if_fcslen"}
ISB_OPTS = {2: "isb_starttime", 3: "isb_endtime", 4: "isb_ifrecv", 5: "isb_ifdrop", 6: "isb_filteraccept",
            7: "isb_osdrop"}


def options(e, data, names):
    out = {}
    i = 0
    while i + 4 <= len(data):
        code, n = struct.unpack(e + "HH", data[i:i + 4])
        if code == 0:
            break
        v = data[i + 4:i + 4 + n]
        i += 4 + ((n + 3) & ~3)
        name = names.get(code, "opt%d" % code)
        if name in ("shb_hardware", "shb_os", "shb_userappl", "if_name"):
            out[name] = v.decode("utf-8", "replace")
        elif name == "if_filter":
            out[name] = {"type": v[0], "text": v[1:].decode("utf-8", "replace")}
        elif name in ("if_tsresol", "if_fcslen"):
            out[name] = v[0]
        elif name in ("isb_starttime", "isb_endtime"):
            hi, lo = struct.unpack(e + "II", v)
            out[name] = (hi << 32) | lo
        elif len(v) == 8:
            out[name] = struct.unpack(e + "Q", v)[0]
        else:
            out[name] = v.hex()
    return out


def walk(name, buf):
    r = {"file": name, "blocks": [], "epbs": 0, "dropcounts": [], "isbs": [], "epbs_by_if": {}}
    e = "<"
    i = 0
    while i < len(buf):
        if i + 12 > len(buf):
            r["error"] = "truncated block header at %d" % i
            return r
        bt = struct.unpack("<I", buf[i:i + 4])[0]
        if bt == SHB:
            bom = buf[i + 8:i + 12]
            e = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">" if bom == b"\x1a\x2b\x3c\x4d" else None
            if e is None:
                r["error"] = "bad byte-order magic"
                return r
        bt, blen = struct.unpack(e + "II", buf[i:i + 8])
        if blen < 12 or blen % 4 or i + blen > len(buf):
            r["error"] = "bad block length %d at %d" % (blen, i)
            return r
        if struct.unpack(e + "I", buf[i + blen - 4:i + blen])[0] != blen:
            r["error"] = "trailing length differs at %d" % i
            return r
        body = buf[i + 8:i + blen - 4]
        r["blocks"].append(bt)
        if bt == SHB:
            major, minor = struct.unpack(e + "HH", body[4:8])
            r["shb"] = options(e, body[16:], SHB_OPTS)
            r["shb"]["version"] = "%d.%d" % (major, minor)
        elif bt == IDB:
            lt, _, snap = struct.unpack(e + "HHI", body[:8])
            d = options(e, body[8:], IDB_OPTS)
            d["linktype"] = lt
            d["snaplen"] = snap
            r.setdefault("idbs", []).append(d)
        elif bt == EPB:
            ifid, hi, lo, cap, orig = struct.unpack(e + "IIIII", body[:20])
            pad = (cap + 3) & ~3
            o = options(e, body[20 + pad:], {4: "epb_dropcount"})
            if "epb_dropcount" in o:
                r["dropcounts"].append([r["epbs"], o["epb_dropcount"]])
            r["epbs"] += 1
            r["epbs_by_if"][str(ifid)] = r["epbs_by_if"].get(str(ifid), 0) + 1
        elif bt == ISB:
            ifid, hi, lo = struct.unpack(e + "III", body[:12])
            d = options(e, body[12:], ISB_OPTS)
            d["interface"] = ifid
            d["ts"] = (hi << 32) | lo
            r["isbs"].append(d)
        i += blen
    return r


def main():
    for name in sys.argv[1:]:
        if name == "-":
            buf = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as f:
                buf = f.read()
        print(json.dumps(walk(name, buf), sort_keys=True))


main()
