#!/usr/bin/python3
"""measure.py CMD...: runs CMD as a subreaper so every descendant (the
container init included, even once reparented) is waited for, then prints
"cpu_ms wall_ms maxrss_kib exit" for the whole process tree. Peak RSS comes
from /usr/bin/time around CMD: a child forked from Python would report
Python's own pages as its high-water mark."""
import ctypes
import os
import resource
import subprocess
import sys
import tempfile
import time

PR_SET_CHILD_SUBREAPER = 36


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with tempfile.NamedTemporaryFile(mode="r", dir="/dev/shm") as rss_file:
        proc = subprocess.Popen(["/usr/bin/time", "-q", "-f", "%M", "-o", rss_file.name] + sys.argv[1:],
                                stdout=subprocess.DEVNULL)
        code = proc.wait()
        rss = rss_file.read().strip().splitlines()[-1] if code == 0 else "0"
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    wall = (time.monotonic() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000
    print(f"{cpu:.2f} {wall:.2f} {rss} {code}")


if __name__ == "__main__":
    main()
