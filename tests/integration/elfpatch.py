"""elfpatch - find and damage sections of ELF files, for negative tests.

  elfpatch.py FILE where SECTION            print "OFFSET SIZE" of it
  elfpatch.py FILE xor SECTION OFF [MASK]   xor one byte of its contents
  elfpatch.py FILE put SECTION OFF HEX      overwrite bytes at OFF
  elfpatch.py FILE note-desc SECTION        print "OFFSET SIZE" of the
                                            first note's descriptor

Offsets are relative to the start of the section's contents.  ELF32 and
ELF64 of either byte order; only the standard library is used.
"""

import struct
import sys


class Elf:
    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.data = bytearray(f.read())
        d = self.data
        if d[:4] != b"\x7fELF":
            sys.exit("elfpatch: %s: not ELF" % path)
        self.is64 = d[4] == 2
        self.end = "<" if d[5] == 1 else ">"
        if self.is64:
            (self.shoff,) = struct.unpack_from(self.end + "Q", d, 0x28)
            self.shentsize, self.shnum, self.shstrndx = struct.unpack_from(
                self.end + "HHH", d, 0x3A)
        else:
            (self.shoff,) = struct.unpack_from(self.end + "I", d, 0x20)
            self.shentsize, self.shnum, self.shstrndx = struct.unpack_from(
                self.end + "HHH", d, 0x2E)
        if self.shnum == 0:
            self.shnum = self.shdr(0)["size"]
        if self.shstrndx == 0xFFFF:
            self.shstrndx = self.shdr(0)["link"]

    def shdr(self, i):
        off = self.shoff + i * self.shentsize
        if self.is64:
            name, typ, flags, addr, offset, size, link, info, align, ent = \
                struct.unpack_from(self.end + "IIQQQQIIQQ", self.data, off)
        else:
            name, typ, flags, addr, offset, size, link, info, align, ent = \
                struct.unpack_from(self.end + "IIIIIIIIII", self.data, off)
        return {"name": name, "type": typ, "flags": flags, "offset": offset,
                "size": size, "link": link, "info": info}

    def name(self, i):
        strtab = self.shdr(self.shstrndx)
        start = strtab["offset"] + self.shdr(i)["name"]
        end = self.data.index(b"\0", start)
        return self.data[start:end].decode()

    def find(self, secname):
        for i in range(1, self.shnum):
            if self.name(i) == secname:
                return self.shdr(i)
        sys.exit("elfpatch: %s: no section %s" % (self.path, secname))

    def save(self):
        with open(self.path, "wb") as f:
            f.write(self.data)


def main():
    path, cmd, sec = sys.argv[1:4]
    e = Elf(path)
    sh = e.find(sec)
    if cmd == "where":
        print(sh["offset"], sh["size"])
    elif cmd == "note-desc":
        namesz, descsz, _ = struct.unpack_from(e.end + "III", e.data,
                                               sh["offset"])
        desc = sh["offset"] + 12 + ((namesz + 3) & ~3)
        print(desc - sh["offset"], descsz)
    elif cmd == "xor":
        off = int(sys.argv[4], 0)
        mask = int(sys.argv[5], 0) if len(sys.argv) > 5 else 0xFF
        if off >= sh["size"]:
            sys.exit("elfpatch: offset %d beyond %s" % (off, sec))
        e.data[sh["offset"] + off] ^= mask
        e.save()
    elif cmd == "put":
        off = int(sys.argv[4], 0)
        new = bytes.fromhex(sys.argv[5])
        if off + len(new) > sh["size"]:
            sys.exit("elfpatch: bytes beyond %s" % sec)
        e.data[sh["offset"] + off:sh["offset"] + off + len(new)] = new
        e.save()
    else:
        sys.exit("elfpatch: unknown command %s" % cmd)


if __name__ == "__main__":
    main()
