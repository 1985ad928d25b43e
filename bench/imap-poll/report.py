#!/usr/bin/env python3
"""Prints the medians of results.tsv (written by ./run) as Markdown tables: one row per INBOX
size, case and tool; then what the server's settling EXAMINE (settle.py) cost right after new
mail was delivered and before the other polls.

    report.py results.tsv
"""

import csv
import statistics
import sys

TOOLS = ["respbench", "mbsync-Pull", "mbsync-PullNew"]


def main():
    with open(sys.argv[1], newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    groups = {}
    for row in rows:
        groups.setdefault((int(row["size"]), row["case"], row["tool"]), []).append(row)
    print("| INBOX | case | tool | wall s | session s | of it server s | commands "
          "| wire sent | wire received | IMAP in | IMAP out |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (size, case, tool) in sorted(groups, key=lambda k: (k[0], k[1] != "idle", TOOLS.index(k[2]))):
        group = groups[(size, case, tool)]

        def med(key):
            return statistics.median(float(r[key]) for r in group)

        print(f"| {size:,} | {case} | {tool} | {med('wall_s'):.3f} | {med('session_s'):.3f} "
              f"| {med('server_s'):.3f} | {med('commands'):.0f} | {med('wire_sent'):,.0f} "
              f"| {med('wire_received'):,.0f} | {med('imap_in'):,.0f} | {med('imap_out'):,.0f} |")

    # The first measurement of each round's "new" case comes right after the delivery.
    after_delivery, other = {}, {}
    seen = set()
    for row in rows:
        size, key = int(row["size"]), (row["size"], row["round"])
        if row["case"] == "new" and key not in seen:
            seen.add(key)
            after_delivery.setdefault(size, []).append(float(row["settle_s"]))
        else:
            other.setdefault(size, []).append(float(row["settle_s"]))
    print()
    print("| INBOX | server's EXAMINE 2 s after new mail arrived | EXAMINE before the other polls |")
    print("|---:|---:|---:|")
    for size in sorted(after_delivery):
        print(f"| {size:,} | {statistics.median(after_delivery[size]):.3f} s "
              f"| {statistics.median(other[size]):.3f} s |")


if __name__ == "__main__":
    main()
