#!/usr/bin/env python3
"""Who spent a client's CPU, per operation: reads a `perf record -g` profile of a .NET client (run with
DOTNET_PerfMapEnabled=1, so JIT-compiled frames carry their assembly) and gives each sample to the innermost frame on
its stack that belongs to an owner: the harness (Benchmarks.*, and HdrHistogram, which it records with), a client
library (Npgsql, StackExchange.Redis), or a reference program's own code (NpgsqlLoop). The framework and the runtime
are charged to whichever owner called them (a dictionary lookup under the harness is the harness's). Samples with no
owner on the stack stay apart: the socket engine's own loop, GC, JIT, other threads, and most of the time inside
system calls, since perf cannot walk the stack out of the C library (built without frame pointers) to see who called.

  tools/cpu-breakdown/attribute.py <perf.data> <operations> [sampling Hz=1999] [top functions=12] [owner=harness]

Prints microseconds of CPU per operation by owner, then that owner's costliest functions (its innermost frames)."""
import collections
import re
import subprocess
import sys

OWNERS = [
    (re.compile(r"^(Benchmarks[\w.]*|HdrHistogram)$"), "harness"),
    (re.compile(r"^Npgsql$"), "Npgsql"),
    (re.compile(r"^(StackExchange\.Redis|Pipelines\.Sockets\.Unofficial)$"), "StackExchange.Redis"),
    (re.compile(r"^NpgsqlLoop$"), "the loop's own code"),
]
# A perf-map frame: "... [Assembly] Namespace.Type::Method(...)[Optimized] ..."; the first [..] that names an assembly.
FRAME = re.compile(r"\[([A-Za-z][\w.]*)\] ([^\[(]+)")


def owner_of(assembly):
    for pattern, owner in OWNERS:
        if pattern.match(assembly):
            return owner
    return None


def main():
    if len(sys.argv) < 3:
        print("usage: tools/cpu-breakdown/attribute.py <perf.data> <operations> [sampling Hz=1999] [top functions=12] [owner=harness]", file=sys.stderr)
        sys.exit(2)
    data, operations = sys.argv[1], int(sys.argv[2])
    hz = float(sys.argv[3]) if len(sys.argv) > 3 else 1999
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    detailed = sys.argv[5] if len(sys.argv) > 5 else "harness"
    script = subprocess.run(["perf", "script", "-i", data], capture_output=True, text=True, check=True).stdout
    by_owner = collections.Counter()
    functions = collections.Counter()
    for block in script.split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        if len(lines) < 2:
            continue
        owner = None
        for line in lines[1:]:
            frame = FRAME.search(line)
            if frame and (owner := owner_of(frame.group(1))):
                if owner == detailed:
                    functions[f"[{frame.group(1)}] {frame.group(2).strip()}"] += 1
                break
        by_owner[owner or "no owner on the stack (socket engine, GC, JIT, other threads)"] += 1
    us_per_sample = 1e6 / hz
    total = sum(by_owner.values())
    print(f"{total} samples at {hz:.0f} Hz over {operations} operations: {total * us_per_sample / operations:.1f} us of CPU per operation")
    for owner, samples in by_owner.most_common():
        print(f"  {samples * us_per_sample / operations:6.2f} us  {owner}")
    if functions:
        print(f"  {detailed}: its costliest functions (its innermost frame on the stack):")
        for function, samples in functions.most_common(top):
            print(f"    {samples * us_per_sample / operations:6.3f} us  {function[:150]}")


if __name__ == "__main__":
    main()
