#!/usr/bin/env python3
"""Writes COUNT realistic small messages (2-4 KB, varied) straight into a Maildir's cur/.

    fill_maildir.py MAILDIR COUNT [--seed N]

Much faster than delivering them: no SMTP, no LMTP, no fsync per message. Dovecot assigns the
UIDs when it next looks at the folder (run `doveadm index` afterwards). File names carry S= (the
size on disk) and W= (the size with CRLF line ends, what IMAP reports as RFC822.SIZE), so Dovecot
does not have to read every file to learn them; the mtime is the message's received time
(INTERNALDATE), spread over the last three years in the order of the messages.
"""

import argparse
import os
import random
import time
from email.utils import format_datetime
from datetime import datetime, timezone

COMPANIES = [
    ("Nordlicht Bank AG", "service@nordlicht-bank.test"),
    ("Kreissparkasse Hollerbeck", "kundenservice@ksk-hollerbeck.test"),
    ("Feldmark Versicherung AG", "schaden@feldmark-versicherung.test"),
    ("Telkora Deutschland SE", "kundenservice@telkora.test"),
    ("Stadtwerke Auenbruch GmbH", "kundenservice@stadtwerke-auenbruch.test"),
    ("TechnikZone Elektronikmaerkte GmbH", "support@technikzone-support.test"),
    ("Wolkenflug Airlines AG", "care@wolkenflug-care.test"),
    ("Moebelhaus Kranich GmbH", "info@moebel-kranich.test"),
    ("Sonnwind Energie AG", "noreply@sonnwind-kundenportal.test"),
    ("Glasfaser Nordheide GmbH & Co. KG", "info@glasfaser-nordheide.test"),
]
PERSONAS = ["Anna Berger", "Jonas Weber", "Leonie Hartmann"]
SUBJECTS = [
    "Re: Frage zu Ihren Servicezeiten",
    "Re: Lieferzeit einer Bestellung",
    "AW: Kuendigungsfrist meines Vertrags",
    "Ihre Anfrage ist bei uns eingegangen [Ticket #{ticket}]",
    "Re: Wechsel des Tarifs",
    "AW: Rueckfrage zur Rechnung vom {day}.{month}.",
    "Automatische Antwort: Ihre Nachricht",
    "Unser Newsletter im {monthname}",
    "Re: Oeffnungszeiten am Feiertag",
    "Ihre Meinung ist uns wichtig",
]
PARAGRAPHS = [
    "vielen Dank fuer Ihre Nachricht und Ihr Interesse an unseren Produkten. Gerne beantworten "
    "wir Ihre Frage ausfuehrlich und so schnell wie moeglich.",
    "Unser Kundenservice ist montags bis freitags von 8 bis 20 Uhr und samstags von 9 bis 14 Uhr "
    "telefonisch fuer Sie erreichbar. An gesetzlichen Feiertagen bleibt die Hotline geschlossen.",
    "Die Lieferzeit betraegt in der Regel drei bis fuenf Werktage. Bei Artikeln, die nicht auf "
    "Lager sind, kann es zu Verzoegerungen kommen; wir informieren Sie in diesem Fall per E-Mail.",
    "Bitte beachten Sie, dass eine Kuendigung in Textform erfolgen muss. Die Frist betraegt einen "
    "Monat zum Ende der Mindestvertragslaufzeit, danach monatlich.",
    "Fuer einen Tarifwechsel benoetigen wir Ihre Kundennummer sowie die Zaehlernummer. Sie finden "
    "beide Angaben auf Ihrer letzten Jahresabrechnung oben rechts.",
    "Sollten Sie weitere Fragen haben, stehen wir Ihnen selbstverstaendlich gerne zur Verfuegung. "
    "Antworten Sie einfach auf diese E-Mail; Ihre Ticketnummer bleibt dabei erhalten.",
    "Ihre Anfrage wurde unter der oben genannten Ticketnummer erfasst. Wir melden uns innerhalb "
    "von zwei Werktagen bei Ihnen. Bitte sehen Sie von weiteren Nachfragen ab.",
    "Aus Datenschutzgruenden koennen wir Ihnen Auskuenfte zu Ihrem Vertrag nur nach eindeutiger "
    "Identifikation geben. Bitte nennen Sie uns dazu Ihr Geburtsdatum und Ihre Anschrift.",
    "Wir bedauern die entstandenen Unannehmlichkeiten sehr. Als kleine Entschaedigung schreiben "
    "wir Ihrem Kundenkonto eine Gutschrift in Hoehe von 10 Euro gut.",
    "In unserem Online-Kundenportal koennen Sie Ihre Daten jederzeit selbst aendern, Rechnungen "
    "herunterladen und den Status Ihrer Bestellungen verfolgen.",
    "Diese Nachricht wurde automatisch erstellt. Bitte antworten Sie nicht direkt auf diese "
    "E-Mail, sondern nutzen Sie unser Kontaktformular.",
    "Im kommenden Monat erwarten Sie zahlreiche Angebote: Sichern Sie sich bis zu 30 Prozent "
    "Rabatt auf ausgewaehlte Produkte und profitieren Sie von kostenlosem Versand.",
]
MONTHS = ["Januar", "Februar", "Maerz", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]
FOOTER = ("--\n{company}\nKundenservice\nMusterstrasse 1, 12345 Musterstadt\n"
          "Sitz der Gesellschaft: Musterstadt, Registergericht Musterstadt HRB 12345\n"
          "Vorstand: Dr. Erika Mustermann (Vorsitz), Max Beispiel\n")


def text_body(rng, company, persona, target):
    parts = [f"Sehr geehrte/r {persona},\n"]
    while sum(len(p) for p in parts) < target:
        parts.append(wrap(rng.choice(PARAGRAPHS)) + "\n")
    parts.append("Mit freundlichen Gruessen\n\nIhr Team von " + company + "\n")
    parts.append(FOOTER.format(company=company))
    return "\n".join(parts)


def wrap(text, width=72):
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def message(rng, n, when):
    company, sender = rng.choice(COMPANIES)
    persona = rng.choice(PERSONAS)
    local = persona.lower().replace(" ", ".")
    subject = rng.choice(SUBJECTS).format(ticket=rng.randint(100000, 999999), day=rng.randint(1, 28),
                                          month=rng.randint(1, 12), monthname=MONTHS[when.month - 1])
    domain = sender.split("@")[1]
    msgid = f"<{when.strftime('%Y%m%d%H%M%S')}.{n}.{rng.getrandbits(40):x}@{domain}>"
    date = format_datetime(when)
    headers = [
        f"Return-Path: <{sender}>",
        "Delivered-To: bench@shopper.test",
        f"Received: from mail.{domain} (mail.{domain} [192.0.2.{rng.randint(1, 254)}])\n"
        f"\tby mail.rig.test (Postfix) with ESMTPS id {rng.getrandbits(40):X}\n"
        f"\tfor <{local}@shopper.test>; {date}",
        f"Received: from app{rng.randint(1, 9)}.internal.{domain} (localhost [127.0.0.1])\n"
        f"\tby mail.{domain} with ESMTP; {date}",
        f"From: {company} <{sender}>",
        f"To: {persona} <{local}@shopper.test>",
        f"Subject: {subject}",
        f"Date: {date}",
        f"Message-ID: {msgid}",
    ]
    if subject.startswith(("Re:", "AW:")):
        ref = f"<{rng.getrandbits(64):x}.{rng.getrandbits(32):x}@shopper.test>"
        headers += [f"In-Reply-To: {ref}", f"References: {ref}"]
    if rng.random() < 0.3:
        headers.append("Auto-Submitted: auto-replied")
    headers.append("MIME-Version: 1.0")
    multipart = rng.random() < 0.4
    # The HTML part repeats the text: half the text makes a message of about the same size.
    target = rng.randint(800, 2600) // (2 if multipart else 1)
    body = text_body(rng, company, persona, target)
    if multipart:
        boundary = f"=_b{rng.getrandbits(48):x}"
        html = "<html><body>" + "".join(f"<p>{p}</p>" for p in body.split("\n\n")) + "</body></html>"
        headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
        text = (f"This is a multi-part message in MIME format.\n\n--{boundary}\n"
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                f"{body}\n--{boundary}\nContent-Type: text/html; charset=utf-8\n"
                f"Content-Transfer-Encoding: 8bit\n\n{wrap(html, 76)}\n--{boundary}--\n")
    else:
        headers += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
        text = body
    return "\n".join(headers) + "\n\n" + text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("maildir")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)
    cur = os.path.join(args.maildir, "cur")
    now = time.time()
    start = now - 3 * 365 * 86400
    step = (now - 3600 - start) / max(1, args.count)
    pid = os.getpid()
    total = 0
    for n in range(args.count):
        t = int(start + n * step + rng.uniform(0, step))
        when = datetime.fromtimestamp(t, timezone.utc)
        data = message(rng, n, when).encode()
        size = len(data)
        vsize = size + data.count(b"\n")
        flags = "S" if rng.random() < 0.9 else ("RS" if rng.random() < 0.5 else "")
        name = f"{t}.M{n % 1000000}P{pid}Q{n}.bench,S={size},W={vsize}:2,{flags}"
        path = os.path.join(cur, name)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (t, t))
        total += size
    print(f"{args.count} messages, {total / args.count:.0f} bytes on average")


if __name__ == "__main__":
    main()
