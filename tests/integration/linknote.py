#!/usr/bin/python3
"""linknote.py FILE - decode the provcc link note of a linked ELF file,
independently of provcc (standard library only), from docs/format.md.

Prints one JSON object: the statement (digest digits as stored), the
descriptor header fields, and where the note lies (which segments hold
it).  Exit 1 when the file has no .note.provcc.link section.
"""
import json
import struct
import sys
import zlib


def elf_tables(b):
    cls, data = b[4], b[5]
    e = "<" if data == 1 else ">"
    if cls == 2:
        (shoff,) = struct.unpack_from(e + "Q", b, 0x28)
        (phoff,) = struct.unpack_from(e + "Q", b, 0x20)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from(
            e + "HHHHH", b, 0x36)
    else:
        (phoff, shoff) = struct.unpack_from(e + "II", b, 0x1C)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from(
            e + "HHHHH", b, 0x2A)
    phdrs = []
    for i in range(phnum):
        o = phoff + i * phentsize
        if cls == 2:
            t, fl, off, va, pa, fsz, msz, al = struct.unpack_from(
                e + "IIQQQQQQ", b, o)
        else:
            t, off, va, pa, fsz, msz, fl, al = struct.unpack_from(
                e + "IIIIIIII", b, o)
        phdrs.append({"type": t, "offset": off, "filesz": fsz})
    shdrs = []
    for i in range(shnum):
        o = shoff + i * shentsize
        if cls == 2:
            name, t, fl, addr, off, size = struct.unpack_from(
                e + "IIQQQQ", b, o)
        else:
            name, t, fl, addr, off, size = struct.unpack_from(
                e + "IIIIII", b, o)
        shdrs.append({"name": name, "type": t, "flags": fl, "offset": off,
                      "size": size})
    strtab = shdrs[shstrndx]
    for s in shdrs:
        start = strtab["offset"] + s["name"]
        s["name"] = b[start:b.index(b"\0", start)].decode()
    return e, phdrs, shdrs


def main():
    b = open(sys.argv[1], "rb").read()
    e, phdrs, shdrs = elf_tables(b)
    sec = [s for s in shdrs if s["name"] == ".note.provcc.link"]
    if not sec:
        print("no .note.provcc.link section", file=sys.stderr)
        return 1
    s = sec[0]
    note = b[s["offset"]:s["offset"] + s["size"]]
    namesz, descsz, ntype = struct.unpack_from(e + "III", note, 0)
    assert namesz == 7 and note[12:19] == b"provcc\0" and ntype == 2
    d = note[20:20 + descsz]
    rawlen, digestoff = struct.unpack_from("<II", d, 4)
    statement = zlib.decompress(d[144:])
    assert len(statement) == rawlen
    assert statement[digestoff:digestoff + 64] == b"0" * 64
    end = s["offset"] + s["size"]
    out = {
        "statement": json.loads(statement),
        "sigalg": d[2],
        "keyid": d[16:48].hex(),
        "digest": d[48:80].hex(),
        "descsz": descsz,
        "sectionFlags": s["flags"],
        "inLoad": any(p["type"] == 1 and p["offset"] <= s["offset"] and
                      end <= p["offset"] + p["filesz"] for p in phdrs),
        "inNoteSegment": any(p["type"] == 4 and p["offset"] <= s["offset"]
                             and end <= p["offset"] + p["filesz"]
                             for p in phdrs),
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
