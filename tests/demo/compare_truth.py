#!/usr/bin/env python3
"""Compares respbench's report with company-sim's ground truth (issue 7, "ground truth recovered").

    compare_truth.py TRUTH REPORTDIR [--ledger DB] [--interval-misses N]

TRUTH is company-sim's truth CSV (channel,company_id,sector,reference,event,at,detail); its
profiles sit next to it as <stem>-profiles.csv. REPORTDIR holds what `respbench report` wrote
(inquiries.csv, replies.csv, summary.csv). The truth names inquiries by their reference (email:
the Message-ID without <>, Facebook: the registered Graph object id); inquiries.csv carries that
as its `reference` column, or, in reports written before that column existed, the ledger does
(--ledger: inquiries.message_id and inquiries.external_ref).

Prints one line per check (ok / FAIL) and exits 1 when any check fails, 2 on unusable input.
"""

import argparse
import csv
import math
import os
import sqlite3
import sys
from collections import defaultdict
from datetime import datetime, timezone

NON_HUMAN = ("auto_ack", "ticket_ack", "out_of_office", "bounce")
TRUTH_EVENTS = {"received", "answer", "late_answer", "ignored"} | set(NON_HUMAN)
SHOWN = 5  # offending rows printed per failed check


class Bad(Exception):
    """Input that cannot be compared at all (exit 2)."""


def read_csv(path, needed):
    """The rows of a CSV file with a header, as dicts, and its column names."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            columns = set(reader.fieldnames or [])
    except OSError as e:
        raise Bad(f"{path}: cannot read: {e.strerror}")
    missing = [c for c in needed if c not in columns]
    if missing:
        raise Bad(f"{path}:1: expected the columns {', '.join(missing)}")
    return rows, columns


def instant(text, where):
    """An ISO 8601 UTC time as written by respbench and company-sim, to the second."""
    try:
        t = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise Bad(f"{where}: expected a time like 2026-03-02T09:14:07Z, got {text!r}")
    return t.replace(tzinfo=timezone.utc)


class Checks:
    def __init__(self):
        self.failed = 0
        self.passed = 0

    def check(self, ok, what, offenders=()):
        offenders = list(offenders)
        if ok and not offenders:
            self.passed += 1
            print(f"ok    {what}")
            return True
        self.failed += 1
        print(f"FAIL  {what}")
        for o in offenders[:SHOWN]:
            print(f"        {o}")
        if len(offenders) > SHOWN:
            print(f"        … and {len(offenders) - SHOWN} more")
        return False


def load_truth(path):
    rows, _ = read_csv(path, ["channel", "company_id", "sector", "reference", "event", "at", "detail"])
    events = defaultdict(lambda: defaultdict(list))  # reference -> event -> [instant]
    info = {}  # reference -> (channel, company_id, sector)
    for n, r in enumerate(rows, start=2):
        where = f"{path}:{n}"
        if r["event"] not in TRUTH_EVENTS:
            raise Bad(f"{where}: expected an event among {', '.join(sorted(TRUTH_EVENTS))}, got {r['event']!r}")
        if not r["reference"]:
            raise Bad(f"{where}: expected a reference")
        events[r["reference"]][r["event"]].append(instant(r["at"], where))
        info[r["reference"]] = (r["channel"], r["company_id"], r["sector"])
    return events, info


def load_profiles(truth_path):
    stem, ext = os.path.splitext(truth_path)
    path = f"{stem}-profiles{ext}"
    rows, _ = read_csv(path, ["sector", "channel", "companies", "true_answer_rate"])
    out = {}
    for n, r in enumerate(rows, start=2):
        try:
            out[(r["sector"], r["channel"])] = float(r["true_answer_rate"])
        except ValueError:
            raise Bad(f"{path}:{n}: expected a number in true_answer_rate, got {r['true_answer_rate']!r}")
    return out


def load_inquiries(report, ledger):
    path = os.path.join(report, "inquiries.csv")
    rows, columns = read_csv(path, ["inquiry_id", "company_id", "sector", "channel", "sent_at", "answered_at", "outcome"])
    if "reference" not in columns:
        if not ledger:
            raise Bad(f"{path}:1: no reference column; give --ledger DB to join the truth by the ledger")
        refs = {}
        db = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
        for id_, channel, message_id, external_ref in db.execute(
                "SELECT id, channel, message_id, external_ref FROM inquiries"):
            refs[str(id_)] = (message_id if channel == "email" else external_ref) or ""
        db.close()
        for r in rows:
            r["reference"] = refs.get(r["inquiry_id"], "")
    for n, r in enumerate(rows, start=2):
        for col in ("sent_at", "answered_at"):
            r[col] = instant(r[col], f"{path}:{n}") if r[col] else None
    return rows


def wilson_misses_allowed(groups, coverage=0.95, risk=0.01):
    """The most intervals that may miss the true rate among `groups` before it is a defect rather
    than chance: the smallest k with P(Binomial(groups, 1 - coverage) > k) <= risk."""
    p = 1 - coverage
    tail = 1.0
    for k in range(groups + 1):
        tail -= math.comb(groups, k) * p**k * (1 - p) ** (groups - k)
        if tail <= risk:
            return k
    return groups


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("truth")
    ap.add_argument("report")
    ap.add_argument("--every-kind", action="store_true",
                    help="fail when the truth lacks an acknowledgement, ticket, out-of-office or bounce event")
    ap.add_argument("--ledger", help="the study's respbench.db, when inquiries.csv has no reference column")
    ap.add_argument("--interval-misses", type=int, default=None,
                    help="intervals allowed to miss the profile's rate (default: what chance explains at 1 %%)")
    args = ap.parse_args()

    events, info = load_truth(args.truth)
    profiles = load_profiles(args.truth)
    inquiries = load_inquiries(args.report, args.ledger)
    replies, _ = read_csv(os.path.join(args.report, "replies.csv"),
                          ["reply_id", "inquiry_id", "channel", "received_at", "kind"])
    summary, _ = read_csv(os.path.join(args.report, "summary.csv"),
                          ["level", "sector", "channel", "closed", "answered", "answer_rate",
                           "answer_rate_low", "answer_rate_high"])
    c = Checks()

    by_ref = {r["reference"]: r for r in inquiries if r["reference"]}
    by_id = {r["inquiry_id"]: r for r in inquiries}

    # Every inquiry the truth knows is in the report, and the other way round for sent ones.
    unknown = [f"{ref} ({info[ref][0]}, {info[ref][1]})" for ref in events if ref not in by_ref]
    c.check(not unknown, f"all {len(events)} inquiries of the truth are in inquiries.csv by reference", unknown)
    untold = [f"inquiry {r['inquiry_id']} ({r['channel']}, {r['company_id']}) ref {r['reference'] or '-'}"
              for r in inquiries if r["sent_at"] and r["reference"] not in events]
    c.check(not untold, "every sent inquiry of the report is in the truth", untold)

    # Send times: a Facebook post's time is what the operator registered; an email reaches the
    # company's mailbox in the same simulated step it was sent in (the step is at most 10 minutes).
    wrong = []
    for ref, ev in events.items():
        r = by_ref.get(ref)
        if not r or "received" not in ev:
            continue
        got, want = r["sent_at"], min(ev["received"])
        if got is None:
            wrong.append(f"inquiry {r['inquiry_id']}: not sent in the report, received {want:%FT%TZ} in the truth")
        elif r["channel"] == "facebook" and got != want:
            wrong.append(f"inquiry {r['inquiry_id']} (facebook): sent_at {got:%FT%TZ}, truth received {want:%FT%TZ}")
        elif r["channel"] != "facebook" and not (0 <= (want - got).total_seconds() <= 600):
            wrong.append(f"inquiry {r['inquiry_id']} ({r['channel']}): sent_at {got:%FT%TZ}, truth received {want:%FT%TZ}")
    c.check(not wrong, "send times agree with the truth's received times", wrong)

    # Answers: exact to the second; late answers and ignored inquiries are unanswered.
    answered_truth = {ref: min(ev["answer"]) for ref, ev in events.items() if ev.get("answer")}
    wrong = []
    for ref, at in answered_truth.items():
        r = by_ref.get(ref)
        if not r:
            continue
        if r["outcome"] != "answered" or r["answered_at"] != at:
            got = f"{r['answered_at']:%FT%TZ}" if r["answered_at"] else "-"
            wrong.append(f"inquiry {r['inquiry_id']} ({r['channel']}, {r['company_id']}): truth answer {at:%FT%TZ}, "
                         f"report {r['outcome']} at {got}")
    c.check(not wrong, f"{len(answered_truth)} truth answers: answered in the report at the same second", wrong)

    wrong = []
    quiet = [ref for ref, ev in events.items() if ("late_answer" in ev or "ignored" in ev) and "answer" not in ev]
    for ref in quiet:
        r = by_ref.get(ref)
        if r and r["outcome"] != "unanswered":
            wrong.append(f"inquiry {r['inquiry_id']} ({r['channel']}, {r['company_id']}): truth "
                         f"{'late_answer' if 'late_answer' in events[ref] else 'ignored'}, report {r['outcome']}")
    c.check(not wrong, f"{len(quiet)} truth late answers and ignored inquiries: unanswered in the report", wrong)

    wrong = [f"inquiry {r['inquiry_id']} ({r['channel']}, {r['company_id']}) answered at {r['answered_at']:%FT%TZ}"
             for r in inquiries if r["outcome"] == "answered" and r["reference"] not in answered_truth]
    c.check(not wrong, "no inquiry answered in the report that the truth did not answer", wrong)

    # Acknowledgements, ticket confirmations, out-of-office notes and bounces: each one a reply of
    # that kind, at the truth's second, on the right inquiry; nothing of those kinds beyond them.
    got = defaultdict(list)  # (inquiry_id, kind) -> [instant]
    for n, r in enumerate(replies, start=2):
        if r["kind"] in NON_HUMAN and r["inquiry_id"]:
            got[(r["inquiry_id"], r["kind"])].append(instant(r["received_at"], f"replies.csv:{n}"))
    for kind in NON_HUMAN:
        want_all, wrong = 0, []
        for ref, ev in events.items():
            r = by_ref.get(ref)
            for at in ev.get(kind, []):
                want_all += 1
                if not r:
                    continue
                seen = got.get((r["inquiry_id"], kind), [])
                if at not in seen:
                    wrong.append(f"inquiry {r['inquiry_id']} ({r['company_id']}): truth {kind} at {at:%FT%TZ}, "
                                 f"replies.csv has {', '.join(f'{s:%FT%TZ}' for s in seen) or 'none'}")
        have_all = sum(len(v) for (i, k), v in got.items() if k == kind)
        if args.every_kind and want_all == 0:
            wrong.append(f"the truth has no {kind} event: this run tests nothing of that kind")
        c.check(not wrong and have_all == want_all,
                f"{want_all} truth {kind} events: each in replies.csv with that kind and time "
                f"(replies.csv has {have_all})", wrong)
    wrong = []
    for ref, ev in events.items():
        r = by_ref.get(ref)
        if r and ev.get("bounce") and r["outcome"] != "undeliverable":
            wrong.append(f"inquiry {r['inquiry_id']} ({r['company_id']}): bounced in the truth, {r['outcome']} in the report")
    und = [f"inquiry {r['inquiry_id']} ({r['company_id']})" for r in inquiries
           if r["outcome"] == "undeliverable" and not events.get(r["reference"], {}).get("bounce")]
    c.check(not wrong and not und, "bounced inquiries, and only those, are undeliverable", wrong + und)
    unmatched = [f"reply {r['reply_id']} ({r['channel']}, {r['kind']}) at {r['received_at']}"
                 for r in replies if not r["inquiry_id"]]
    c.check(not unmatched, "every reply is matched to an inquiry (nothing left for review)", unmatched)

    # Per sector and channel: the realized rate of the truth is the report's point estimate (same
    # answered and closed counts), and the profile's expected rate lies in the 95 % interval.
    truth_groups = defaultdict(lambda: [0, 0])  # (sector, channel) -> [answered, delivered]
    for ref, ev in events.items():
        channel, _, sector = info[ref]
        if "received" in ev and "bounce" not in ev:
            truth_groups[(sector, channel)][1] += 1
            truth_groups[(sector, channel)][0] += "answer" in ev
    rows = {(r["sector"], r["channel"]): r for r in summary if r["level"] == "sector"}
    misses, groups = [], 0
    for key in sorted(set(truth_groups) | set(profiles)):
        answered, delivered = truth_groups.get(key, [0, 0])
        r = rows.get(key)
        label = f"{key[0]:9} {key[1]:8}"
        if r is None:
            c.check(delivered == 0, f"{label} no summary row (truth: {delivered} delivered)")
            continue
        realized = answered / delivered if delivered else None
        shown = "-" if realized is None else f"{realized:.4f}"
        same_counts = r["answered"] == str(answered) and r["closed"] == str(delivered)
        same_rate = (r["answer_rate"] == "" if realized is None
                     else r["answer_rate"] != "" and abs(float(r["answer_rate"]) - realized) <= 0.00005 + 1e-12)
        c.check(same_counts and same_rate,
                f"{label} realized {answered}/{delivered} = {shown}; report {r['answered']}/{r['closed']} = "
                f"{r['answer_rate'] or '-'}")
        true_rate = profiles.get(key)
        if true_rate is None or not delivered or r["answer_rate_low"] == "":
            continue
        groups += 1
        low, high = float(r["answer_rate_low"]), float(r["answer_rate_high"])
        inside = low - 0.00005 <= true_rate <= high + 0.00005
        print(f"{'in' if inside else 'OUT':5} {label} profile rate {true_rate:.4f} in the 95 % interval "
              f"[{low:.4f}, {high:.4f}]")
        if not inside:
            misses.append(f"{label}: {true_rate:.4f} outside [{low:.4f}, {high:.4f}]")
    allowed = args.interval_misses if args.interval_misses is not None else wilson_misses_allowed(groups)
    c.check(len(misses) <= allowed,
            f"profile rates inside the 95 % intervals in {groups - len(misses)} of {groups} sector × channel "
            f"groups ({allowed} misses allowed)")

    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Bad as e:
        print(f"compare_truth: {e}", file=sys.stderr)
        sys.exit(2)
