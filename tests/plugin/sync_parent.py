#!/usr/bin/python3
"""sync_parent.py - the parent side of provcc-ld's sync= handshake, for
the plugin tests (what provcc's link wrapper will do).

    sync_parent.py [options] -- COMMAND ARG...

Makes two pipes, runs COMMAND with the child's ends (pass_fds), every
"@SYNC@" in its arguments replaced by "RFD,WFD" (so the command line
carries -plugin-opt=sync=@SYNC@), waits for "ready\\n" from the plugin,
answers, and exits with COMMAND's status (128 + N if killed by signal N).

    --mode MODE       add (default): run --make, reply "add OBJECT";
                      none, fail: reply that; close: close the pipe
                      without a reply; garbage: reply "hello"
    --object PATH     the object to add (made absolute)
    --make CMD        shell command run on "ready", before the reply
                      (it builds the object); non-zero: reply "fail"
    --save SRC DST    on "ready", copy SRC (the manifest) to DST
    --log FILE        append what happened: "ready", "reply ...", or
                      "no ready: ..."

Standard library only.
"""
import argparse
import os
import shutil
import subprocess
import sys


def log(path, text):
    if path:
        with open(path, "a") as f:
            f.write(text + "\n")


def answer(a):
    """The reply to "ready" (None: close the pipe without one)."""
    if a.save:
        shutil.copyfile(a.save[0], a.save[1])
    if a.mode == "close":
        return None
    if a.mode in ("none", "fail"):
        return a.mode
    if a.mode == "garbage":
        return "hello"
    if a.make and subprocess.call(a.make, shell=True) != 0:
        return "fail"
    return "add " + os.path.abspath(a.object)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="add",
                    choices=("add", "none", "fail", "close", "garbage"))
    ap.add_argument("--object")
    ap.add_argument("--make")
    ap.add_argument("--save", nargs=2)
    ap.add_argument("--log")
    ap.add_argument("command", nargs="+")
    a = ap.parse_args()
    if a.mode == "add" and not a.object:
        ap.error("--mode add needs --object")

    child_r, parent_w = os.pipe()
    parent_r, child_w = os.pipe()
    sync = "%d,%d" % (child_r, child_w)
    cmd = [arg.replace("@SYNC@", sync) for arg in a.command]
    try:
        proc = subprocess.Popen(cmd, pass_fds=(child_r, child_w))
    except OSError as e:
        sys.exit("sync_parent.py: %s: %s" % (cmd[0], e))
    os.close(child_r)
    os.close(child_w)

    with os.fdopen(parent_r, "rb") as r:
        line = r.readline(4097)
        if line == b"ready\n":
            log(a.log, "ready")
            try:
                reply = answer(a)
            except (OSError, subprocess.SubprocessError) as e:
                log(a.log, "cannot answer: %s" % e)
                reply = "fail"
            if reply is not None:
                log(a.log, "reply " + reply)
                try:
                    os.write(parent_w, (reply + "\n").encode())
                except BrokenPipeError:
                    log(a.log, "linker gone before the reply")
            else:
                log(a.log, "reply closed")
        else:
            log(a.log, "no ready: %r" % line)
        os.close(parent_w)
        rc = proc.wait()
    sys.exit(128 - rc if rc < 0 else rc)


if __name__ == "__main__":
    main()
