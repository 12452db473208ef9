#!/usr/bin/env python3
"""`make screenshots`: real pail sessions in tmux against the seeded local server, captured
with their colours (`capture-pane -e`) and drawn to PNG files in screenshots/.
"""
import os
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from tmux_harness import TmuxSession  # noqa: E402

PAIL = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/pail"))
OUT = os.path.join(ROOT, "screenshots")
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/wqy"]

# A dark terminal palette (xterm's, slightly softened).
PALETTE = ["#1e1e1e", "#e06c75", "#98c379", "#e5c07b", "#61afef", "#c678dd", "#56b6c2", "#dcdfe4",
           "#5c6370", "#ef8891", "#b5e08f", "#f0d197", "#8cc8ff", "#dba6ee", "#7fd6e0", "#ffffff"]
FG, BG = PALETTE[7], PALETTE[0]


def font(name, size):
    for d in FONT_DIRS:
        path = os.path.join(d, name)
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return None


REGULAR = font("DejaVuSansMono.ttf", 15)
BOLD = font("DejaVuSansMono-Bold.ttf", 15) or REGULAR
WIDE = font("wqy-microhei.ttc", 15) or REGULAR
CELL_W = int(REGULAR.getlength("M") + 0.5)
CELL_H = 19


def color256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


def parse(capture, width, height):
    """Turns `capture-pane -e -p` output into rows of (char, fg, bg, bold) cells."""
    grid = []
    for line in capture.split("\n")[:height]:
        row = []
        fg, bg, bold, reverse, dim = None, None, False, False, False
        for token in re.split(r"(\x1b\[[0-9;]*m)", line):
            if token.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in token[2:-1].split(";")] or [0]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, bold, reverse, dim = None, None, False, False, False
                    elif c == 1:
                        bold = True
                    elif c == 2:
                        dim = True
                    elif c == 7:
                        reverse = True
                    elif c in (22,):
                        bold = dim = False
                    elif c == 27:
                        reverse = False
                    elif 30 <= c <= 37:
                        fg = PALETTE[c - 30]
                    elif 90 <= c <= 97:
                        fg = PALETTE[c - 90 + 8]
                    elif 40 <= c <= 47:
                        bg = PALETTE[c - 40]
                    elif 100 <= c <= 107:
                        bg = PALETTE[c - 100 + 8]
                    elif c == 39:
                        fg = None
                    elif c == 49:
                        bg = None
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        if c == 38:
                            fg = color256(codes[i + 2])
                        else:
                            bg = color256(codes[i + 2])
                        i += 2
                    i += 1
                continue
            for ch in token:
                f, b = fg or FG, bg or BG
                if reverse:
                    f, b = b, f
                if dim and not reverse:
                    f = PALETTE[8]
                wide = unicodedata.east_asian_width(ch) in ("W", "F")
                row.append((ch, f, b, bold, wide))
                if wide:
                    row.append(("", f, b, bold, False))
        row += [(" ", FG, BG, False, False)] * max(0, width - len(row))
        grid.append(row[:width])
    while len(grid) < height:
        grid.append([(" ", FG, BG, False, False)] * width)
    return grid


def render(capture, width, height, path):
    pad = 12
    img = Image.new("RGB", (width * CELL_W + 2 * pad, height * CELL_H + 2 * pad), BG)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(parse(capture, width, height)):
        for x, (ch, fg, bg, bold, wide) in enumerate(row):
            left, top = pad + x * CELL_W, pad + y * CELL_H
            w = CELL_W * (2 if wide else 1)
            if bg != BG:
                draw.rectangle([left, top, left + w - 1, top + CELL_H - 1], fill=bg)
            if ch.strip():
                f = WIDE if wide else (BOLD if bold else REGULAR)
                draw.text((left, top + 1), ch, font=f, fill=fg)
    img.save(path)
    print(f"wrote {os.path.relpath(path, ROOT)}", file=sys.stderr)


def capture(t):
    return t.tmux("capture-pane", "-e", "-p", "-t", "main").stdout


def main():
    os.makedirs(OUT, exist_ok=True)
    env = {k: os.environ[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION")}
    env.update({"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent", "TZ": "UTC"})
    argv = [PAIL, "--endpoint-url", os.environ["PAIL_TEST_ENDPOINT"]]
    width, height = 120, 34
    with TmuxSession(argv, env, width, height, count_keys=False) as t:
        t.tmux("set-option", "-g", "default-terminal", "tmux-256color")
        t.wait_idle()
        render(capture(t), width, height, os.path.join(OUT, "bucket-list.png"))
        # Open the site bucket, expand media/ and documents/, measure uploads/, pick a file.
        t.send("g")
        t.type("s3://django-site/media/documents/")
        t.send("Enter")
        t.wait_for("Café menu.pdf")
        t.wait_idle()
        t.send("g")
        t.type("s3://django-site/media/uploads/")
        t.send("Enter")
        t.wait_for("2025/")
        t.wait_idle()
        t.send("s")
        t.wait_for(lambda s: "obj" in s and "[idle]" in s.split("\n")[0], what="measured uploads/")
        t.send("g")
        t.type("s3://django-site/static/css/")
        t.send("Enter")
        t.wait_for("app.4f3a2b.css")
        t.wait_idle()
        t.send("j")
        t.wait_for("Content-Encoding")
        t.wait_idle()
        t.send("Space")
        t.send("k")
        t.wait_for("Content-Encoding")
        t.wait_idle()
        render(capture(t), width, height, os.path.join(OUT, "tree-details.png"))
        t.send("?")
        t.wait_for("generated from")
        render(capture(t), width, height, os.path.join(OUT, "help.png"))
        t.send("q")


if __name__ == "__main__":
    main()
