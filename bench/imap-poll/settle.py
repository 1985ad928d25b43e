#!/usr/bin/env python3
"""Lets the Maildir settle before a measured poll, and says what that cost the server.

    settle.py IMAPS_PORT CA_FILE USER PASSWORD

Dovecot cannot trust a Maildir folder's mtime for about a second after it changed (new mail
delivered into new/, or moved from new/ to cur/ by a read-write session), so the first
sessions after a change re-read the whole folder: 0.1-0.3 s for 100 000 messages. Left alone,
whichever tool polls first after a delivery, or after mbsync's read-write SELECT, would pay for
it. This waits 2 s, then opens the INBOX read-only once (the server's re-read happens here) and
prints how long that EXAMINE took. It connects to Dovecot directly, not through the proxy.
"""

import imaplib
import ssl
import sys
import time


def main():
    port, ca_file, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    time.sleep(2)
    context = ssl.create_default_context(cafile=ca_file)
    imap = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=context)
    imap.login(user, password)
    start = time.perf_counter()
    status, _ = imap.select("INBOX", readonly=True)
    seconds = time.perf_counter() - start
    imap.logout()
    if status != "OK":
        sys.exit(f"settle.py: EXAMINE INBOX failed: {status}")
    print(f"{seconds:.3f}")


if __name__ == "__main__":
    main()
