#!/usr/bin/env python3
"""Reads one IMAP session from Dovecot's rawlog (the .in and .out files of rawlog_dir) and
prints "COMMANDS SESSION_S SERVER_S OPEN_S":

  COMMANDS   commands the client sent after login (a line "TAG COMMAND ..."; literals of
             APPEND would count too, but neither tool appends while polling)
  SESSION_S  seconds from the first to the last line logged after login
  SERVER_S   seconds Dovecot spent running the commands: the sum of the first figure of its
             tagged replies ("OK Fetch completed (0.227 + 0.000 secs)")
  OPEN_S     seconds from EXAMINE/SELECT to its tagged answer: the server opening (and, for
             Maildir, resynchronising) the mailbox

Every rawlog line starts with the time it was read or written ("1795367456.141789 rb2 ...").

    rawlog_stats.py SESSION.in SESSION.out
"""

import re
import sys

LINE = re.compile(rb"^(\d+\.\d+) (\S+) ?(.*)$")


def lines(path):
    with open(path, "rb") as f:
        for raw in f:
            m = LINE.match(raw.rstrip(b"\r\n"))
            if m:
                yield float(m.group(1)), m.group(2).decode(errors="replace"), m.group(3)


def main():
    sent = list(lines(sys.argv[1]))
    received = list(lines(sys.argv[2]))
    commands = [s for s in sent if re.match(rb"[A-Za-z]", s[2])]
    stamps = [t for t, _, _ in sent + received]
    session = max(stamps) - min(stamps) if stamps else 0.0
    server = 0.0
    for _, tag, rest in received:
        m = re.search(rb"\((\d+\.\d+) \+ [0-9. +]*secs\)", rest)
        if m and re.match(rb"(OK|NO|BAD) ", rest) and tag != "*":
            server += float(m.group(1))
    open_s = 0.0
    for t, tag, rest in commands:
        if re.match(rb"(?i)(EXAMINE|SELECT) ", rest):
            done = next((u for u, utag, _ in received if utag == tag and u >= t), None)
            if done is not None:
                open_s += done - t
    print(f"{len(commands)} {session:.3f} {server:.3f} {open_s:.3f}")


if __name__ == "__main__":
    main()
