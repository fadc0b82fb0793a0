#!/usr/bin/env python3
"""Makes a run folder of N agents x S seconds from one real agent folder, to measure `bench merge` at scale.

Each synthetic agent's .hlog repeats the real agent's measured seconds (their histograms as recorded) until it
holds S seconds, with timestamps moved to follow each other; its manifest and result are the real agent's with
its index and the agent count changed. Usage: synthesize-agents.py AGENT_FOLDER OUT_RUN_FOLDER N S
"""
import json
import os
import shutil
import sys

source, out, agents, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
hlog_name = next(f for f in os.listdir(source) if f.endswith(".hlog") and f != "generator-free.hlog")
header, seconds_seen = [], {}
with open(os.path.join(source, hlog_name)) as log:
    for line in log:
        if line.startswith("#") or line.startswith('"'):
            header.append(line)
            continue
        fields = line.rstrip("\n").split(",")
        tagged = fields[0].startswith("Tag=")
        start = float(fields[1] if tagged else fields[0])
        seconds_seen.setdefault(start, []).append(fields)
full = [s for s in sorted(seconds_seen) if float(seconds_seen[s][0][2 if seconds_seen[s][0][0].startswith("Tag=") else 1]) >= 0.99]
first = full[0]
os.makedirs(out, exist_ok=True)
for index in range(agents):
    folder = os.path.join(out, f"agent-{index}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hlog_name), "w") as log:
        log.writelines(header)
        for second in range(seconds):
            for fields in seconds_seen[full[second % len(full)]]:
                tagged = fields[0].startswith("Tag=")
                moved = list(fields)
                moved[1 if tagged else 0] = f"{first + second:.3f}"
                log.write(",".join(moved) + "\n")
    for name in ("result.json", "agent.json", "generator-free.hlog"):
        shutil.copy(os.path.join(source, name), folder)
    manifest = json.load(open(os.path.join(folder, "agent.json")))
    manifest.update(index=index, count=agents)
    json.dump(manifest, open(os.path.join(folder, "agent.json"), "w"))
