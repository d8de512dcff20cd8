#!/usr/bin/python3
"""manifest.py - assertions on a provcc-ld manifest, for the plugin tests.

    manifest.py members M ARCHIVE NAME...  exactly these members of ARCHIVE
                                           are listed, at the offsets and
                                           with the sizes and SHA-256 that
                                           an independent reading of
                                           ARCHIVE gives; archiveSha256 too
    manifest.py files M FILE...            each FILE is listed as a whole
                                           file with its SHA-256
    manifest.py lacks M FILE...            no entry names FILE (or has it
                                           as member name)
    manifest.py kind M FILE KIND           FILE is listed with kind KIND
    manifest.py field M FILE KEY VALUE     FILE's entry has KEY == VALUE
                                           (VALUE as JSON)
    manifest.py output M OUT TYPE          output entry: type, exists and
                                           SHA-256 of OUT
    manifest.py lto M FILE...              each FILE listed with lto: true
    manifest.py soname M SONAME NEEDED     a shared library with SONAME is
                                           listed, and inOutputNeeded is
                                           NEEDED (true/false)
    manifest.py valid M                    the manifest parses and has the
                                           members every reader relies on
    manifest.py phase M PHASE              "phase" is PHASE (allSymbolsRead,
                                           cleanup)
    manifest.py added M FILE               FILE is listed with added: true,
                                           and no other entry has it

Paths are compared after os.path.normpath of the name the linker gave
(relative names are relative to the linker's working directory, which
is recorded as "cwd").
"""
import hashlib
import json
import os
import sys


def die(msg):
    sys.exit("manifest.py: " + msg)


def load(path):
    try:
        with open(path) as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        die("%s: %s" % (path, e))
    for key in ("version", "plugin", "linker", "output", "inputs",
                "allSymbolsRead", "complete", "cwd"):
        if key not in m:
            die("%s: no %r" % (path, key))
    if m["version"] != 1 or not m["complete"]:
        die("%s: version %r, complete %r" % (path, m["version"],
                                              m["complete"]))
    return m


def norm(m, name):
    return os.path.normpath(os.path.join(m["cwd"], name))


def sha(data):
    return hashlib.sha256(data).hexdigest()


def ar_members(path):
    """(name, data offset, size) of each ordinary member of a GNU ar."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"!<arch>\n":
        die("%s: not an ar archive" % path)
    pos, longnames, out = 8, b"", []
    while pos + 60 <= len(data):
        hdr = data[pos:pos + 60]
        if hdr[58:60] != b"`\n":
            die("%s: bad member header at %d" % (path, pos))
        name = hdr[:16].rstrip(b" ")
        size = int(hdr[48:58])
        body = pos + 60
        if name == b"//":
            longnames = data[body:body + size]
        elif name in (b"/", b"/SYM64/"):
            pass
        elif name.startswith(b"/"):
            off = int(name[1:])
            end = longnames.index(b"\n", off)
            out.append((longnames[off:end].rstrip(b"/").decode(), body,
                        size))
        else:
            out.append((name.rstrip(b"/").decode(), body, size))
        pos = body + size + (size & 1)
    return out, data


def entries_for(m, path):
    want = os.path.normpath(os.path.abspath(path))
    return [i for i in m["inputs"] if norm(m, i["name"]) == want]


def main(argv):
    if len(argv) < 3:
        die(__doc__)
    cmd, m = argv[1], load(argv[2])
    args = argv[3:]
    if cmd == "valid":
        return
    if cmd == "members":
        archive, names = args[0], args[1:]
        members, data = ar_members(archive)
        listed = [i for i in entries_for(m, archive) if i["offset"] > 0]
        got = sorted(i.get("member", "?") for i in listed)
        if got != sorted(names):
            die("members of %s listed: %r, expected %r" %
                (archive, got, sorted(names)))
        by_name = {n: (off, size) for n, off, size in members}
        for i in listed:
            off, size = by_name[i["member"]]
            if (i["offset"], i["size"]) != (off, size):
                die("%s(%s): offset/size %d/%d, archive says %d/%d" %
                    (archive, i["member"], i["offset"], i["size"], off,
                     size))
            if i["sha256"] != sha(data[off:off + size]):
                die("%s(%s): wrong sha256" % (archive, i["member"]))
            if i.get("archiveSha256") != sha(data):
                die("%s(%s): wrong archiveSha256" % (archive, i["member"]))
            if i["kind"] != "rel":
                die("%s(%s): kind %r" % (archive, i["member"], i["kind"]))
        return
    if cmd == "files":
        for path in args:
            es = [i for i in entries_for(m, path) if i["offset"] == 0]
            if not es:
                die("%s is not listed" % path)
            with open(path, "rb") as f:
                if es[0]["sha256"] != sha(f.read()):
                    die("%s: wrong sha256" % path)
        return
    if cmd == "lacks":
        for path in args:
            base = os.path.basename(path)
            bad = entries_for(m, path) + [i for i in m["inputs"]
                                          if i.get("member") == base]
            if bad:
                die("%s is listed: %r" % (path, bad))
        return
    if cmd == "kind":
        path, kind = args
        es = entries_for(m, path)
        if not es or es[0]["kind"] != kind:
            die("%s: entries %r, expected kind %r" % (path, es, kind))
        return
    if cmd == "field":
        path, key, value = args
        es = entries_for(m, path)
        if not es or es[0].get(key) != json.loads(value):
            die("%s: entries %r, expected %s=%s" % (path, es, key, value))
        return
    if cmd == "lto":
        for path in args:
            es = entries_for(m, path)
            if not es or not es[0].get("lto"):
                die("%s: not listed as LTO IR: %r" % (path, es))
        return
    if cmd == "soname":
        soname, needed = args
        es = [i for i in m["inputs"] if i.get("soname") == soname]
        if not es or es[0]["kind"] != "dyn":
            die("no shared library %s listed" % soname)
        if es[0].get("inOutputNeeded") != json.loads(needed):
            die("%s: inOutputNeeded %r, expected %s" %
                (soname, es[0].get("inOutputNeeded"), needed))
        with open(norm(m, es[0]["name"]), "rb") as f:
            if es[0]["sha256"] != sha(f.read()):
                die("%s: wrong sha256" % soname)
        return
    if cmd == "output":
        path, typ = args
        o = m["output"]
        if o.get("type") != typ or not o.get("exists"):
            die("output %r, expected type %r" % (o, typ))
        if norm(m, o["name"]) != os.path.normpath(os.path.abspath(path)):
            die("output name %r, expected %s" % (o["name"], path))
        with open(path, "rb") as f:
            if o.get("sha256") != sha(f.read()):
                die("output sha256 differs from %s" % path)
        return
    if cmd == "phase":
        if m.get("phase") != args[0]:
            die("phase %r, expected %r" % (m.get("phase"), args[0]))
        return
    if cmd == "added":
        es = entries_for(m, args[0])
        others = [i for i in m["inputs"] if i.get("added")
                  and i not in es]
        if len(es) != 1 or es[0].get("added") is not True or others:
            die("%s: entries %r, expected one with added: true "
                "(others added: %r)" % (args[0], es, others))
        return
    die("unknown command %r" % cmd)


if __name__ == "__main__":
    main(sys.argv)
