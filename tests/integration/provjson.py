"""provjson - read `provcc show --json` output and check compile records.

Used by the integration tests, both as a module (from their python
here-documents) and as a command:

  provjson.py check-fixture DIR [options]   every object of the fixture
  provjson.py check-cmake DIR BUILD         the fixture built by CMake
  provjson.py check-archive LIB MEMBER...   a static archive's members
  provjson.py summary FILE...               print one line per record

Only the Python standard library is used.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

PROVCC = os.environ.get("PROVCC", "provcc")


class CheckError(Exception):
    pass


def fail(msg):
    raise CheckError(msg)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def show(path, cwd=None, want_status=0):
    """Run `provcc show --json PATH` and return its parsed output (the
    entry of PATH); the exit status must be WANT_STATUS."""
    p = subprocess.run([PROVCC, "show", "--json", path], cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != want_status:
        fail("provcc show --json %s: exit %d, expected %d; stderr: %s"
             % (path, p.returncode, want_status,
                p.stderr.decode(errors="replace").strip()))
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        fail("provcc show --json %s: not JSON: %s" % (path, e))
    if not isinstance(doc, list) or len(doc) != 1:
        fail("provcc show --json %s: expected a list of one file, got %r"
             % (path, doc))
    entry = doc[0]
    if entry.get("file") != path:
        fail("provcc show --json %s: file is %r" % (path, entry.get("file")))
    return entry


def only_record(path, cwd=None):
    """The single compile record of a plain object."""
    entry = show(path, cwd)
    objs = entry["objects"]
    if len(objs) != 1 or objs[0]["member"] is not None:
        fail("%s: expected one object that is not an archive member, got %r"
             % (path, [o["member"] for o in objs]))
    recs = objs[0]["compile"]
    if len(recs) != 1:
        fail("%s: expected exactly 1 compile record, got %d"
             % (path, len(recs)))
    return recs[0]


def records(path, cwd=None):
    """All records of a file: list of (member, record)."""
    entry = show(path, cwd)
    return [(o["member"], r) for o in entry["objects"] for r in o["compile"]]


def resolve(root, path):
    """Where a recorded path is: relative ones are below ROOT."""
    return path if path.startswith("/") else os.path.join(root, path)


def check_hash(root, f, what):
    p = resolve(root, f["path"])
    if not os.path.isfile(p):
        fail("%s %s: no such file (%s)" % (what, f["path"], p))
    got = sha256_file(p)
    if got != f["sha256"]:
        fail("%s %s: recorded sha256 %s, file has %s"
             % (what, f["path"], f["sha256"], got))


def input_paths(rec):
    return [i["path"] for i in rec["inputs"]]


def check_record(rec, root, obj, exp, argv0=None, driver=None,
                 programs=(), method=None, hash_system=True, cwd="."):
    """Check one record against a manifest entry EXP for object OBJ."""
    where = "record of %s" % obj
    if rec.get("version") != 1:
        fail("%s: record version %r" % (where, rec.get("version")))
    if rec["source"]["path"] != exp["source"]:
        fail("%s: source is %r, expected %r"
             % (where, rec["source"]["path"], exp["source"]))
    check_hash(root, rec["source"], where + ": source")
    if rec["language"] != exp["language"]:
        fail("%s: language %r, expected %r"
             % (where, rec["language"], exp["language"]))
    if rec["output"] != obj:
        fail("%s: output %r, expected %r" % (where, rec["output"], obj))
    if rec["cwd"] != cwd:
        fail("%s: cwd %r, expected %r" % (where, rec["cwd"], cwd))
    argv = rec["argv"]
    if argv0 is not None and argv[0] != argv0:
        fail("%s: argv[0] %r, expected %r (argv %r)"
             % (where, argv[0], argv0, argv))
    if "-c" not in argv or not any(
            a == exp["source"] or a == "${PROVCC_ROOT}/" + exp["source"]
            for a in argv):
        fail("%s: argv %r lacks -c or the source" % (where, argv))
    if method is not None and rec["headerMethod"] != method:
        fail("%s: headerMethod %r, expected %r"
             % (where, rec["headerMethod"], method))
    paths = input_paths(rec)
    if paths != sorted(set(paths)):
        fail("%s: inputs are not sorted and unique" % where)
    if exp["source"] in paths:
        fail("%s: the source is listed among the inputs" % where)
    project = sorted(p for p in paths if not p.startswith("/"))
    if project != sorted(exp["project_headers"]):
        fail("%s: project headers %r, expected exactly %r"
             % (where, project, sorted(exp["project_headers"])))
    for rx in exp["system_headers"]:
        if not any(re.search(rx, p) for p in paths if p.startswith("/")):
            fail("%s: no system header matching %r among %d inputs"
                 % (where, rx, len(paths)))
    for i in rec["inputs"]:
        if hash_system or not i["path"].startswith("/"):
            check_hash(root, i, where + ": input")
    tc = rec["toolchain"]
    if driver is not None and tc["driver"]["path"] != driver:
        fail("%s: driver %r, expected %r"
             % (where, tc["driver"]["path"], driver))
    check_hash(root, tc["driver"], where + ": driver")
    if not tc["version"] or not tc["target"]:
        fail("%s: empty toolchain version or target: %r" % (where, tc))
    progs = [p["path"] for p in tc["programs"]]
    for rx in programs:
        if not any(re.search(rx, p) for p in progs):
            fail("%s: no toolchain program matching %r in %r"
                 % (where, rx, progs))
    for p in tc["programs"]:
        check_hash(root, p, where + ": program")


def load_manifest(fixture_dir):
    with open(os.path.join(fixture_dir, "manifest.json")) as f:
        return json.load(f)


def cmd_check_fixture(a):
    man = load_manifest(a.dir)
    objs = man["objects"]
    if a.only:
        objs = {k: v for k, v in objs.items() if v["language"] in a.only}
    for obj, exp in sorted(objs.items()):
        lang = exp["language"]
        rec = only_record(obj, cwd=a.dir)
        check_record(rec, a.dir, obj, exp,
                     argv0=a.argv0_cxx if lang == "c++" else a.argv0,
                     driver=a.driver_cxx if lang == "c++" else a.driver,
                     programs=(a.program_cxx if lang == "c++"
                               else a.program) or (),
                     method=a.method)
        print("    %-20s source %s, %d inputs, %d programs"
              % (obj, rec["source"]["path"], len(rec["inputs"]),
                 len(rec["toolchain"]["programs"])))


def cmd_check_cmake(a):
    """A CMake build of the fixture in A.build (below the root A.dir):
    objects CMakeFiles/<target>.dir/<source>.o."""
    man = load_manifest(a.dir)
    build = os.path.join(a.dir, a.build)
    for obj, exp in sorted(man["objects"].items()):
        target = "multi_prog" if exp["source"] == "src/main.c" else "multi"
        cobj = os.path.join("CMakeFiles", target + ".dir",
                            exp["source"] + ".o")
        rec = only_record(cobj, cwd=build)
        check_record(rec, a.dir, os.path.join(a.build, cobj), exp,
                     method=a.method, cwd=a.build)
        print("    %-44s source %s, %d inputs"
              % (os.path.join(a.build, cobj), rec["source"]["path"],
                 len(rec["inputs"])))
    members = [os.path.basename(m)
               for m in (man["objects"][o]["source"]
                         for o in sorted(man["objects"]))
               if m != "src/main.c"]
    entry = show("libmulti.a", cwd=build)
    got = sorted(o["member"] for o in entry["objects"])
    if got != sorted(m + ".o" for m in members):
        fail("libmulti.a: members %r" % got)
    for o in entry["objects"]:
        if len(o["compile"]) != 1 or os.path.basename(
                o["compile"][0]["source"]["path"]) + ".o" != o["member"]:
            fail("libmulti.a(%s): wrong records" % o["member"])
    print("    %s/libmulti.a: %d members, each with its record"
          % (a.build, len(got)))


def check_archive(lib, members, cwd=None):
    entry = show(lib, cwd)
    got = [o["member"] for o in entry["objects"]]
    if got != members:
        fail("%s: members %r, expected %r" % (lib, got, members))
    for o in entry["objects"]:
        if len(o["compile"]) != 1:
            fail("%s(%s): %d compile records, expected 1"
                 % (lib, o["member"], len(o["compile"])))
        src = o["compile"][0]["source"]["path"]
        stem = os.path.splitext(os.path.basename(src))[0]
        if stem + ".o" != o["member"]:
            fail("%s(%s): record of source %s" % (lib, o["member"], src))
    return entry


def cmd_check_archive(a):
    if a.manifest:
        man = load_manifest(a.manifest)
        members = man["library"]["members"]
    else:
        members = a.members
    check_archive(a.lib, members)
    print("    %s: %d members, each with its record" % (a.lib, len(members)))


def cmd_summary(a):
    for path in a.files:
        for member, r in records(path):
            print("%s%s: %s -> %s (%s, %d inputs)"
                  % (path, "(%s)" % member if member else "",
                     r["source"]["path"], r["output"], r["headerMethod"],
                     len(r["inputs"])))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("check-fixture")
    p.add_argument("dir")
    p.add_argument("--argv0")
    p.add_argument("--argv0-cxx")
    p.add_argument("--driver")
    p.add_argument("--driver-cxx")
    p.add_argument("--program", action="append")
    p.add_argument("--program-cxx", action="append")
    p.add_argument("--method")
    p.add_argument("--only", action="append")
    p.set_defaults(fn=cmd_check_fixture)
    p = sub.add_parser("check-cmake")
    p.add_argument("dir")
    p.add_argument("build")
    p.add_argument("--method")
    p.set_defaults(fn=cmd_check_cmake)
    p = sub.add_parser("check-archive")
    p.add_argument("lib")
    p.add_argument("members", nargs="*")
    p.add_argument("--manifest")
    p.set_defaults(fn=cmd_check_archive)
    p = sub.add_parser("summary")
    p.add_argument("files", nargs="+")
    p.set_defaults(fn=cmd_summary)
    a = ap.parse_args()
    try:
        a.fn(a)
    except CheckError as e:
        print("provjson: FAIL: %s" % e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
