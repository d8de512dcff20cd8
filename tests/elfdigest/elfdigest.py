#!/usr/bin/python3
"""elfdigest.py - the provcc ELF digest, written from docs/elf-digest.md
alone with the Python standard library, to check lib/elfdigest.c.

    elfdigest.py digest FILE [OFF:LEN ...]   the digest in hex (section 3)
    elfdigest.py note FILE TYPE              "OFF LEN" of the descriptor
                                             (section 4); exit 1: none
    elfdigest.py hazard FILE                 "COUNT FIRST" (section 6.2)
    elfdigest.py gaps FILE                   the offsets of the digested
                                             bytes outside every section,
                                             header and program header

Numbers may be decimal or 0x-prefixed.  A refused file: exit 2 and the
reason on stderr.
"""

import hashlib
import struct
import sys

PREFIX = b"provcc-elf-digest-v1\0"
PT_NULL, PT_LOAD, PT_NOTE = 0, 1, 4
SHT_NOTE, SHT_NOBITS, SHF_ALLOC = 7, 8, 2


class Refused(Exception):
    pass


def u64(x):
    return struct.pack(">Q", x)


class Elf:
    """The parts of an ELF file the spec names, read with struct."""

    def __init__(self, data):
        self.data = data
        if len(data) < 16 or data[:4] != b"\x7fELF":
            raise Refused("not an ELF file")
        self.cls, self.enc, self.ver = data[4], data[5], data[6]
        if self.cls not in (1, 2) or self.enc not in (1, 2) or self.ver != 1:
            raise Refused("not an ELF file (class, data or version)")
        self.e = "<" if self.enc == 1 else ">"
        self.H, self.P = (52, 32) if self.cls == 1 else (64, 56)
        if len(data) < self.H:
            raise Refused("shorter than an ELF header")
        if self.cls == 1:
            f = struct.unpack_from(self.e + "HHIIIIIHHHHHH", data, 16)
        else:
            f = struct.unpack_from(self.e + "HHIQQQIHHHHHH", data, 16)
        (self.type, self.machine, self.version, self.entry, self.phoff,
         self.shoff, self.flags, self.ehsize, self.phentsize, self.phnum,
         self.shentsize, self.shnum, self.shstrndx) = f

    def check(self):
        S = len(self.data)
        if self.ehsize != self.H or self.phentsize != self.P:
            raise Refused("e_ehsize or e_phentsize")
        if not 1 <= self.phnum <= 65534:
            raise Refused("e_phnum")
        if self.phoff + self.phnum * self.P > S:
            raise Refused("program headers past the end")
        self.ph = [self.phdr(i) for i in range(self.phnum)]
        for p in self.ph:
            if digested(p) and p["offset"] + p["filesz"] > S:
                raise Refused("segment past the end")

    def phdr(self, i):
        o = self.phoff + i * self.P
        if self.cls == 1:
            t, off, va, pa, fs, ms, fl, al = struct.unpack_from(
                self.e + "8I", self.data, o)
        else:
            t, fl, off, va, pa, fs, ms, al = struct.unpack_from(
                self.e + "IIQQQQQQ", self.data, o)
        return dict(type=t, flags=fl, offset=off, vaddr=va, paddr=pa,
                    filesz=fs, memsz=ms, align=al)

    def sections(self):
        """Section headers as (type, flags, offset, size, addralign);
        none when the table is absent or does not lie within the file
        (section 4)."""
        ent = 40 if self.cls == 1 else 64
        shnum = self.shnum
        if self.shoff != 0 and shnum == 0 and \
                self.shoff + ent <= len(self.data):
            # More than 65279 sections: the count is section 0's sh_size.
            shnum = struct.unpack_from(self.e + ("I" if self.cls == 1
                                                 else "Q"), self.data,
                                       self.shoff + (20 if self.cls == 1
                                                     else 32))[0]
        if self.shoff == 0 or shnum == 0:
            return []
        if self.shoff + shnum * ent > len(self.data):
            return []
        out = []
        for i in range(shnum):
            o = self.shoff + i * ent
            if self.cls == 1:
                _, t, fl, _, off, sz, _, _, al, _ = struct.unpack_from(
                    self.e + "10I", self.data, o)
            else:
                _, t, fl, _, off, sz, _, _, al, _ = struct.unpack_from(
                    self.e + "IIQQQQIIQQ", self.data, o)
            if i > 0:
                out.append((t, fl, off, sz, al))
        return out


def digested(p):
    return p["type"] != PT_NULL and p["filesz"] != 0


def canonical(ranges):
    """Section 3.4: maximal runs, ascending."""
    runs = []
    for off, ln in sorted(r for r in ranges if r[1] != 0):
        if off + ln > 2**64 - 1:
            raise Refused("range wraps")
        if runs and off <= runs[-1][0] + runs[-1][1]:
            end = max(runs[-1][0] + runs[-1][1], off + ln)
            runs[-1] = (runs[-1][0], end - runs[-1][0])
        else:
            runs.append((off, ln))
    return runs


def in_one_load(elf, off, ln):
    return any(p["type"] == PT_LOAD and p["offset"] <= off and
               off + ln <= p["offset"] + p["filesz"] for p in elf.ph)


def digest(data, ranges):
    elf = Elf(data)
    elf.check()
    runs = canonical(ranges)
    for off, ln in runs:
        if not in_one_load(elf, off, ln):
            raise Refused("zeroed run outside every PT_LOAD")
    m = [PREFIX]
    for v in (elf.cls, elf.enc, elf.ver, data[7], data[8], elf.type,
              elf.machine, elf.version, elf.entry, elf.phoff, elf.flags,
              elf.ehsize, elf.phentsize, elf.phnum):
        m.append(u64(v))
    for p in elf.ph:
        for k in ("type", "flags", "offset", "vaddr", "paddr", "filesz",
                  "memsz", "align"):
            m.append(u64(p[k]))
    m.append(u64(len(runs)))
    for off, ln in runs:
        m.append(u64(off) + u64(ln))
    zeroed = [(0, elf.H)] + runs
    for p in elf.ph:
        if not digested(p):
            continue
        lo, hi = p["offset"], p["offset"] + p["filesz"]
        seg = bytearray(data[lo:hi])
        for off, ln in zeroed:
            a, b = max(off, lo), min(off + ln, hi)
            if a < b:
                seg[a - lo:b - lo] = bytes(b - a)
        m.append(bytes(seg))
    return hashlib.sha256(b"".join(m)).hexdigest()


def notes(elf, start, size, align):
    """(note offset, desc offset, descsz, type, name) of each note in
    the file bytes [start, start + size), stopping at the first one whose
    header, name or padded descriptor does not fit (section 4)."""
    pad = 8 if align == 8 else 4
    end = start + size

    def up(o):
        return start + -(-(o - start) // pad) * pad

    o = start
    while o + 12 <= end:
        namesz, descsz, ntype = struct.unpack_from(elf.e + "III", elf.data,
                                                   o)
        name = o + 12
        if name + namesz > end:
            return
        desc = up(name + namesz)
        nxt = up(desc + descsz)
        if nxt > end:
            return
        yield o, desc, descsz, ntype, elf.data[name:name + namesz]
        o = nxt


def find_note(data, ntype):
    elf = Elf(data)
    elf.check()
    places = [(p["offset"], p["filesz"], p["align"]) for p in elf.ph
              if p["type"] == PT_NOTE and p["filesz"] > 0]
    places += [(off, sz, al) for t, fl, off, sz, al in elf.sections()
               if t == SHT_NOTE and fl & SHF_ALLOC and sz > 0]
    found = {}
    for start, size, align in places:
        if start + size > len(data):
            raise Refused("note area past the end")
        for o, desc, descsz, t, name in notes(elf, start, size, align):
            if t == ntype and name == b"provcc\0":
                found.setdefault(desc, (o, descsz))
    if not found:
        return None
    if len(found) > 1:
        raise Refused("several provcc notes")
    desc, (o, descsz) = found.popitem()
    if not in_one_load(elf, o, desc + descsz - o):
        raise Refused("note outside every PT_LOAD")
    return desc, descsz


def uncovered(data):
    """Offsets of digested bytes that no section, the ELF header or the
    program header table covers, in segment order; none without section
    headers."""
    elf = Elf(data)
    elf.check()
    secs = elf.sections()
    if not secs:
        return []
    covered = bytearray(len(data))
    spans = [(0, elf.H), (elf.phoff, elf.phnum * elf.P)]
    spans += [(off, sz) for t, fl, off, sz, al in secs if t != SHT_NOBITS]
    for off, sz in spans:
        covered[off:off + sz] = b"\1" * len(covered[off:off + sz])
    out = []
    for p in elf.ph:
        if digested(p):
            out += [i for i in range(p["offset"], p["offset"] + p["filesz"])
                    if not covered[i]]
    return out


def hazard(data):
    nonzero = [i for i in uncovered(data) if data[i]]
    return len(nonzero), nonzero[0] if nonzero else 0


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, path = argv[1], argv[2]
    with open(path, "rb") as f:
        data = f.read()
    try:
        if cmd == "digest":
            ranges = []
            for a in argv[3:]:
                off, ln = a.split(":")
                ranges.append((int(off, 0), int(ln, 0)))
            print(digest(data, ranges))
        elif cmd == "note":
            r = find_note(data, int(argv[3], 0))
            if r is None:
                print("none")
                return 1
            print(f"{r[0]} {r[1]}")
        elif cmd == "hazard":
            print("%d %d" % hazard(data))
        elif cmd == "gaps":
            print(" ".join(str(i) for i in uncovered(data)))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except Refused as e:
        print(f"elfdigest.py: {path}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
