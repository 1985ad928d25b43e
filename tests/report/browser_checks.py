#!/usr/bin/env python3
"""What tests/report/check-html asks of a page opened in headless Chromium.

  browser_checks.py screenshot PNG        the PNG is not blank: many colours, enough ink
  browser_checks.py console STDERR        no console message (errors, CSP refusals, …)
  browser_checks.py network NETLOG        the page requested nothing: no URL request but the
                                          browser's own (initiator "not an origin")
  browser_checks.py dom DOM ID TEXT       element ID is a table with rows; no <script>; TEXT
                                          (a hostile reply) is there as escaped text

Each prints what it found and exits 1 when the page fails the check. No third-party modules.
"""
import json
import re
import struct
import sys
import zlib


def png_pixels(path):
    """Yields (width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit(f"{path}: unexpected PNG format (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up
            line = bytearray(map(lambda a, b: (a + b) & 255, line, prev))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def screenshot(path):
    width, height, bpp, rows = png_pixels(path)
    colours, ink, samples, coloured = set(), 0, 0, 0
    for line in rows[::2]:
        for x in range(0, width * bpp, bpp * 2):
            r, g, b = line[x], line[x + 1], line[x + 2]
            colours.add((r, g, b))
            samples += 1
            if r + g + b < 600:
                ink += 1
            if max(r, g, b) - min(r, g, b) > 60:
                coloured += 1  # the charts' and channels' colours, not grey text
    print(f"screenshot {width}x{height}: {len(colours)} distinct colours, {100 * ink / samples:.1f} % ink, "
          f"{100 * coloured / samples:.2f} % coloured")
    if len(colours) < 64 or ink / samples < 0.02 or coloured / samples < 0.002:
        sys.exit("the screenshot looks blank")


def console(path):
    lines = [l for l in open(path, errors="replace") if "CONSOLE" in l or "Refused to" in l]
    for l in lines:
        print("console:", l.rstrip())
    if lines:
        sys.exit(f"{len(lines)} console messages")
    print("console: no messages")


def network(path):
    log = json.load(open(path))
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    page, browser = [], []
    for event in log["events"]:
        params = event.get("params") or {}
        if names.get(event["type"]) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        # The browser's own requests (updates, accounts) have no initiating origin; every request a
        # page makes has one ("null" for a file://).
        (browser if params.get("initiator") == "not an origin" else page).append(params["url"])
    print(f"network: {len(page)} requests by the page, {len(browser)} by the browser itself (sent nowhere)")
    for url in page:
        print("  page requested", url)
    if page:
        sys.exit("the page made requests")


def dom(path, element_id, hostile):
    text = open(path, encoding="utf-8").read()
    table = re.search(r'<table[^>]*\bid="%s"[^>]*>(.*?)</table>' % re.escape(element_id), text, re.S)
    rows = len(re.findall(r"<tr\b", table.group(1))) if table else 0
    scripts = len(re.findall(r"<script\b", text, re.I))
    escaped = hostile.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    shown = escaped in text
    print(f"dom: table #{element_id} with {rows} rows, {scripts} <script> elements, hostile reply as text: {shown}")
    if rows < 2 or scripts or not shown:
        sys.exit("the DOM is not what the report promises")


if __name__ == "__main__":
    check, args = sys.argv[1], sys.argv[2:]
    {"screenshot": screenshot, "console": console, "network": network, "dom": dom}[check](*args)
