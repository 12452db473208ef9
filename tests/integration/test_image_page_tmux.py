"""Issue 13: `p` on a seeded image shows it in the browser, in symbols (tmux: never a pixel
protocol), with its pixel size, format and bytes on the line under it."""
import io
import re

from PIL import Image

from conftest import PAIL_BIN
from tmux_harness import TmuxSession


def gradient_png(width=64, height=48):
    """A colour gradient, so the symbols need many palette colours."""
    image = Image.new("RGB", (width, height))
    image.putdata([(x * 255 // width, y * 255 // height, 128) for y in range(height) for x in range(width)])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def size_text(n):
    """As pail's captions print sizes: bytes, else KiB with one decimal below 100."""
    return f"{n} B" if n < 1024 else (f"{n / 1024:.1f} KiB" if n / 1024 < 100 else f"{round(n / 1024)} KiB")


def test_p_on_a_png_shows_it_with_its_caption(pail, s3, bucket):
    body = gradient_png()
    s3.put_object(Bucket=bucket, Key="media/photo.png", Body=body, ContentType="image/png")
    s3.put_object(Bucket=bucket, Key="media/readme.txt", Body=b"hello", ContentType="text/plain")
    argv = [PAIL_BIN, "--endpoint-url", pail.endpoint, f"s3://{bucket}/media/"]
    with TmuxSession(argv, dict(pail.env), 100, 30) as t:
        t.wait_for("photo.png")
        t.wait_idle()
        t.send("j")  # from media/ to photo.png
        t.send("p")
        # The page waited for whole (tmux may capture a frame half drawn).
        screen = t.wait_for(lambda s: f"64×48 PNG, {size_text(len(body))}" in s
                            and f"s3://{bucket}/media/photo.png" in s.split("\n")[1], what="the picture's caption")
        caption = next(i for i, line in enumerate(screen.split("\n")) if "64×48 PNG" in line)
        assert caption > 5
        # The picture is above its caption, drawn in palette colours through curses.
        coloured = ""

        def palette(_):
            nonlocal coloured
            coloured = t.tmux("capture-pane", "-e", "-p", "-t", "main").stdout
            return len(set(re.findall(r"\x1b\[[0-9;]*(?:38|48);5;(\d+)", coloured))) >= 8
        t.wait_for(palette, what="the picture in 8 palette colours or more")
        # Down goes to the next object, a text file: the preview, and the picture is gone.
        t.send("j")
        # The caption is below the preview's first line: waited for gone, not asserted at once.
        t.wait_for(lambda s: "hello" in s and "64×48 PNG" not in s, what="the preview, the picture gone")
        t.send("q")
        t.send("q")
        t.wait_for("EXITED 0")
