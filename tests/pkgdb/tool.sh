#!/usr/bin/env bash
# tool.sh - pkgdb_tool on this machine's dpkg database: the JSON is
# well formed and names the packages dpkg-query -S names.
set -euo pipefail
: "${TOOL:?}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; cd "$work"
[ -r /var/lib/dpkg/status ] || { echo "no dpkg database: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }

# The real compiler behind cc, the C library, a header.
paths=(/usr/lib/x86_64-linux-gnu/libc.so.6 /usr/include/stdio.h
       /usr/bin/cc /usr/bin/gcc /nonexistent/file)
"$TOOL" "${paths[@]}" > out.json
python3 - out.json <<'PY'
import json, subprocess, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    p = o["path"]
    pkg = o["package"]
    if p == "/nonexistent/file":
        assert pkg is None, o
        continue
    if pkg is None:
        sys.exit("not owned: %s" % p)
    assert pkg["purl"].startswith("pkg:deb/"), pkg
    # dpkg-query knows the recorded path (it does not follow links).
    rec = o["recorded_path"]
    r = subprocess.run(["dpkg-query", "-S", rec], capture_output=True,
                       text=True)
    if r.returncode == 0:
        owners = [x.split(":")[0] for x in
                  r.stdout.split(": ")[0].split(", ")]
        assert pkg["name"] in owners, (o, r.stdout)
    print(p, "->", pkg["name"], o["via"], pkg["purl"], pkg["cpe"])
PY
# No database: a clear reason, exit 1.
if "$TOOL" --admindir /nonexistent/dpkg /bin/sh 2>err.txt; then
	echo "FAIL: no error without a database"; exit 1
fi
grep -q "no dpkg database at /nonexistent/dpkg: No such file" err.txt
echo PASS
