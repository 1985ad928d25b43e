#!/usr/bin/env python3
"""Self-test of compare_truth.py on a hand-made truth and report: the consistent pair passes, and
each kind of disagreement (an answer one second off, an acknowledgement of the wrong kind, a
bounce counted as delivered, an answer the truth does not have, a rate that differs) fails.
Usage: compare_truth_selftest.py   (exit 0 when every case behaves)."""

import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TRUTH_HEADER = "channel,company_id,sector,reference,event,at,detail"
TRUTH = [
    "email,a,banks,m1@shopper.test,received,2026-03-02T09:10:00Z,diligent",
    "email,a,banks,m1@shopper.test,auto_ack,2026-03-02T09:12:31Z,",
    "email,a,banks,m1@shopper.test,answer,2026-03-02T13:01:07Z,diligent",
    "email,a,banks,m2@shopper.test,received,2026-03-03T10:00:00Z,diligent",
    "email,a,banks,m2@shopper.test,late_answer,2026-03-12T10:00:00Z,diligent",
    "email,b,banks,m3@shopper.test,received,2026-03-02T09:20:00Z,",
    "email,b,banks,m3@shopper.test,bounce,2026-03-02T09:20:00Z,missing mailbox",
    "facebook,a,banks,100_200,received,2026-03-02T09:33:00Z,",
    "facebook,a,banks,100_200,answer,2026-03-02T11:00:00Z,",
    "facebook,a,banks,100_201,received,2026-03-03T09:33:00Z,",
    "facebook,a,banks,100_201,ignored,2026-03-03T09:33:00Z,",
]
PROFILES = ["sector,channel,companies,true_answer_rate", "banks,email,2,0.6", "banks,facebook,1,0.5"]
INQUIRIES = [
    "inquiry_id,company_id,company,sector,channel,probe,persona,planned_at,sent_at,answered_at,first_ack_at,outcome,reference",
    "1,a,A,banks,email,p1,Anna,2026-03-02T09:05:00Z,2026-03-02T09:10:00Z,2026-03-02T13:01:07Z,2026-03-02T09:12:31Z,answered,m1@shopper.test",
    "2,a,A,banks,email,p2,Anna,2026-03-03T09:55:00Z,2026-03-03T10:00:00Z,,,unanswered,m2@shopper.test",
    "3,b,B,banks,email,p1,Anna,2026-03-02T09:15:00Z,2026-03-02T09:20:00Z,,,undeliverable,m3@shopper.test",
    "4,a,A,banks,facebook,p1,Anna,2026-03-02T09:30:00Z,2026-03-02T09:33:00Z,2026-03-02T11:00:00Z,,answered,100_200",
    "5,a,A,banks,facebook,p2,Anna,2026-03-03T09:30:00Z,2026-03-03T09:33:00Z,,,unanswered,100_201",
    "6,b,B,banks,facebook,p1,Anna,2026-03-03T09:30:00Z,,,,not_sent,",
]
REPLIES = [
    "reply_id,inquiry_id,company_id,company,channel,source,received_at,kind,counts_as_answer,kind_decided_by,"
    "inquiry_decided_by,match_method,from,subject",
    "1,1,a,A,email,imap,2026-03-02T09:12:31Z,auto_ack,no,rules,rules,message_id,x@a.test,s",
    "2,1,a,A,email,imap,2026-03-02T13:01:07Z,human,yes,rules,rules,message_id,x@a.test,s",
    "3,3,b,B,email,imap,2026-03-02T09:20:00Z,bounce,no,rules,rules,bounce,MAILER-DAEMON,s",
    "4,4,a,A,facebook,graph,2026-03-02T11:00:00Z,human,yes,rules,rules,thread,A,s",
]
SUMMARY = [
    "level,sector,channel,closed,answered,answer_rate,answer_rate_low,answer_rate_high",
    "sector,banks,email,2,1,0.5,0.0945,0.9055",
    "sector,banks,facebook,2,1,0.5,0.0945,0.9055",
]

# (what breaks, file, old text, new text)
BROKEN = [
    ("an answer one second later in the report", "inquiries", "2026-03-02T13:01:07Z,2026-03-02T09:12:31Z",
     "2026-03-02T13:01:08Z,2026-03-02T09:12:31Z"),
    ("a Facebook answer one second earlier in the truth", "truth", "answer,2026-03-02T11:00:00Z",
     "answer,2026-03-02T10:59:59Z"),
    ("an ignored inquiry answered in the report", "inquiries", ",,,unanswered,100_201",
     ",2026-03-04T10:00:00Z,,answered,100_201"),
    ("a late answer counted as answered", "inquiries", ",,,unanswered,m2@shopper.test",
     ",2026-03-04T10:00:00Z,,answered,m2@shopper.test"),
    ("an acknowledgement classified as a ticket", "replies", "auto_ack,no", "ticket_ack,no"),
    ("an acknowledgement one second off", "replies", "09:12:31Z,auto_ack", "09:12:32Z,auto_ack"),
    ("a bounce not recognised", "replies", "3,3,b,B,email,imap,2026-03-02T09:20:00Z,bounce", "3,3,b,B,email,imap,2026-03-02T09:20:00Z,other"),
    ("a bounced inquiry counted as delivered", "inquiries", ",,,undeliverable,m3", ",,,unanswered,m3"),
    ("a reply left for review", "replies", "4,4,a,A,facebook", "4,,a,A,facebook"),
    ("a Facebook post registered a minute late", "inquiries", "2026-03-02T09:33:00Z,2026-03-02T11",
     "2026-03-02T09:34:00Z,2026-03-02T11"),
    ("a rate that differs from the truth's", "summary", "sector,banks,email,2,1,0.5,", "sector,banks,email,2,1,0.4999,"),
    ("a profile rate outside both intervals", "profiles", "banks,email,2,0.6", "banks,email,2,0.95"),
    ("an inquiry of the truth missing from the report", "inquiries", "100_201", "100_999"),
]


def write(folder, files):
    os.makedirs(os.path.join(folder, "report"), exist_ok=True)
    paths = {"truth": "truth.csv", "profiles": "truth-profiles.csv", "inquiries": "report/inquiries.csv",
             "replies": "report/replies.csv", "summary": "report/summary.csv"}
    for name, lines in files.items():
        with open(os.path.join(folder, paths[name]), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


def compare(folder, *extra):
    run = subprocess.run([sys.executable, os.path.join(HERE, "compare_truth.py"), os.path.join(folder, "truth.csv"),
                          os.path.join(folder, "report"), *extra], capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


def main():
    good = {"truth": [TRUTH_HEADER] + TRUTH, "profiles": PROFILES, "inquiries": INQUIRIES, "replies": REPLIES,
            "summary": SUMMARY}
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        write(os.path.join(tmp, "good"), good)
        rc, out = compare(os.path.join(tmp, "good"))
        if rc != 0:
            failures += 1
            print(f"FAIL  the consistent truth and report pass (exit {rc}):\n{out}")
        else:
            print("ok    the consistent truth and report pass")
        for n, (what, name, old, new) in enumerate(BROKEN):
            files = {k: list(v) for k, v in good.items()}
            text = "\n".join(files[name])
            assert old in text, f"selftest: {old!r} not in {name}"
            files[name] = text.replace(old, new, 1).split("\n")
            folder = os.path.join(tmp, f"broken{n}")
            write(folder, files)
            extra = ("--interval-misses", "0") if name == "profiles" else ()
            rc, out = compare(folder, *extra)
            if rc == 1:
                print(f"ok    fails on {what}")
            else:
                failures += 1
                print(f"FAIL  does not fail (exit {rc}) on {what}:\n{out}")
    print(f"{len(BROKEN) + 1 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
