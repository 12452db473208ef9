#!/usr/bin/env python3
"""Writes the tiny images ImagingTests decode (committed, so the unit tests need no Python):
    .venv/bin/python Tests/ImagingTests/Fixtures/make_fixtures.py
Pillow makes the real images; the hostile ones are written byte by byte."""
import os
import struct
import zlib

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main():
    # Four distinct pixels, one half transparent: decoded exactly.
    im = Image.new("RGBA", (2, 2))
    im.putdata([(255, 0, 0, 255), (0, 255, 0, 255), (0, 0, 255, 255), (255, 255, 255, 128)])
    im.save(path("rgba-2x2.png"), optimize=False)
    # Opaque, for the protocol tests: no alpha to premultiply and round.
    op = Image.new("RGB", (2, 2))
    op.putdata([(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)])
    op.save(path("rgb-2x2.png"))
    Image.new("RGB", (8, 8), (200, 100, 50)).save(path("colour-8x8.jpg"), quality=95)
    first = Image.new("RGB", (4, 4), (255, 0, 0))
    second = Image.new("RGB", (4, 4), (0, 255, 0))
    first.save(path("two-frames.gif"), save_all=True, append_images=[second], duration=100)
    Image.new("RGB", (4, 4), (10, 20, 30)).save(path("lossless-4x4.webp"), lossless=True)
    Image.new("RGB", (4, 4), (10, 20, 30)).save(path("tiny.avif"))
    # A gradient photo-like picture for the symbols snapshot.
    grad = Image.new("RGB", (64, 32))
    grad.putdata([(x * 4, y * 8, 128) for y in range(32) for x in range(64)])
    grad.save(path("gradient-64x32.png"))
    # 60 frames of 1000×1000: 60 million pixels a decoder would hold at once.
    frames = [Image.new("RGB", (1000, 1000), (i * 4, 0, 0)) for i in range(60)]
    frames[0].save(path("sixty-frames.webp"), save_all=True, append_images=frames[1:], lossless=True)
    # Headers that claim 100000×100000 pixels over a few bytes of data.
    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 6, 0, 0, 0)
    with open(path("bomb.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\0" * 1000))
                + png_chunk(b"IEND", b""))
    # A lossless WebP header claiming 16384×16384, then nothing a decoder could use.
    bits = (16384 - 1) | ((16384 - 1) << 14)
    body = b"\x2f" + struct.pack("<I", bits) + b"\0" * 27
    with open(path("bomb.webp"), "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(body)) + b"WEBP"
                + b"VP8L" + struct.pack("<I", len(body)) + body)


if __name__ == "__main__":
    main()
