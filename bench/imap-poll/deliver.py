#!/usr/bin/env python3
"""Delivers COUNT new messages to RCPT through the rig's Postfix (SMTP on loopback), the way
new answers arrive: Postfix hands them to Dovecot by LMTP.

    deliver.py SMTP_PORT RCPT COUNT SEED

One SMTP connection for all; the caller waits for the queue to empty (tests/mail-rig/wait-queue).
"""

import random
import smtplib
import sys
from datetime import datetime, timezone

from fill_maildir import message


def main():
    port, rcpt, count, seed = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for n in range(count):
            text = message(rng, n, datetime.now(timezone.utc))
            # Return-Path and Delivered-To are the receiving server's to add.
            header, body = text.split("\n\n", 1)
            lines = [line for line in header.split("\n")
                     if not line.startswith(("Return-Path:", "Delivered-To:"))]
            sender = next(line for line in lines if line.startswith("From:")).split("<")[1].rstrip(">")
            smtp.sendmail(sender, [rcpt], "\n".join(lines) + "\n\n" + body)


if __name__ == "__main__":
    main()
