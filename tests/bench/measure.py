#!/usr/bin/python3
"""measure.py CMD...: runs CMD as a subreaper so every descendant (the
container init included, even once reparented) is waited for, then prints
"cpu_ms wall_ms maxrss_kib exit" for the whole process tree."""
import ctypes
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    code = proc.wait()
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    wall = (time.monotonic() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000
    print(f"{cpu:.2f} {wall:.2f} {after.ru_maxrss} {code}")


if __name__ == "__main__":
    main()
