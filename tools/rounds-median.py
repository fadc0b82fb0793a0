#!/usr/bin/env python3
"""The comparison scripts' last line: one round is one draw of a shared machine's noise, so a bar is read on the median
of the rounds' ratios. Prints LABEL over N rounds: median M[, within BAR in K of N] (every round's ratio).
  tools/rounds-median.py LABEL [--within BAR] RATIO..."""
import statistics
import sys

label, args = sys.argv[1], sys.argv[2:]
bar = None
if args[:1] == ["--within"]:
    bar, args = float(args[1]), args[2:]
ratios = [float(r) for r in args]
within = f", within {bar:g}x in {sum(r <= bar for r in ratios)} of {len(ratios)}" if bar is not None else ""
print(f"{label} over {len(ratios)} rounds: median {statistics.median(ratios):.2f}{within} ({' '.join(args)})")
