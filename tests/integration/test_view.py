"""`pail view`: an image object on the real server drawn on stdout (issue 13)."""
import os

from conftest import ROOT

FIXTURES = os.path.join(ROOT, "Tests", "ImagingTests", "Fixtures")
SNAPSHOTS = os.path.join(ROOT, "Tests", "ImagingTests", "Snapshots")
ESC = b"\x1b"


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def view(pail, *args, check=True, env=None):
    return pail.run("view", "--endpoint-url", pail.endpoint, *args, check=check, env=env)


def test_view_draws_a_seeded_png_with_symbols(pail, s3, bucket):
    png = fixture("gradient-64x32.png")
    s3.put_object(Bucket=bucket, Key="media/gradient.png", Body=png, ContentType="image/png")
    out = view(pail, "--protocol", "symbols", "--colors", "256", "--width", "32", "--height", "8",
               f"s3://{bucket}/media/gradient.png").stdout
    # The same picture the unit test's snapshot holds, then the caption.
    with open(os.path.join(SNAPSHOTS, "symbols-gradient-256.txt"), "rb") as f:
        picture = f.read()
    assert out == picture + f"64×32 PNG, {len(png)} B\n".encode()
    lines = out.split(b"\n")
    assert len(lines) == 10 and lines[-1] == b""  # 8 rows, the caption, the final newline


def test_view_fits_the_size_given_and_sniffs_past_a_wrong_content_type(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="photo", Body=fixture("colour-8x8.jpg"), ContentType="application/octet-stream")
    out = view(pail, "--protocol", "symbols", "--colors", "16", "--width", "6", "--height", "20",
               f"s3://{bucket}/photo").stdout
    rows = out.split(b"\n")[:-2]
    # A square picture in 10×20-pixel cells: 6 columns by 3 rows.
    assert len(rows) == 3
    assert out.split(b"\n")[-2] == b"8\xc3\x978 JPEG, 634 B"
    assert b"38;5;" not in out  # 16 colours


def test_view_kitty_and_sixel_bytes(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="tiny.png", Body=fixture("rgb-2x2.png"))
    kitty = view(pail, "--protocol", "kitty", f"s3://{bucket}/tiny.png").stdout
    # Not a terminal: cells of 10×20 pixels; a pixel protocol does not enlarge past one cell.
    assert kitty.startswith(ESC + b"_Ga=T,f=32,s=10,v=20,c=1,r=1,m=1" + ESC + b"\\")
    sixel = view(pail, "--protocol", "sixel", f"s3://{bucket}/tiny.png").stdout
    # chafa draws whole six-pixel sixel bands: 18 of the cell's 20 pixel rows.
    assert sixel.startswith(ESC + b'P0;1;0q"1;1;10;18')
    # Inside tmux the sequences travel in its passthrough.
    wrapped = view(pail, "--protocol", "kitty", f"s3://{bucket}/tiny.png",
                   env={"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color"}).stdout
    assert wrapped.startswith(ESC + b"Ptmux;" + ESC + ESC + b"_Ga=T,f=32")


def test_view_refuses_an_oversized_object_without_fetching_it(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="big.jpg", Body=b"\xff\xd8\xff" + bytes(33 * 1024 * 1024 - 3))
    log = tmp_path / "requests.log"
    proc = view(pail, "--debug", str(log), f"s3://{bucket}/big.jpg", check=False)
    assert proc.returncode == 1
    assert proc.stderr.decode() == (f"pail: s3://{bucket}/big.jpg is 33.0 MiB, over the 32.0 MiB pail shows "
                                    "as an image: download it with pail cp\n")
    requests = log.read_text()
    assert " HEAD " in requests and " GET " not in requests, requests


def test_view_reports_corrupt_and_non_images_in_one_line(pail, s3, bucket):
    png = fixture("rgb-2x2.png")
    s3.put_object(Bucket=bucket, Key="cut.png", Body=png[:40])
    s3.put_object(Bucket=bucket, Key="page.jpg", Body=b"<html></html>", ContentType="image/jpeg")
    s3.put_object(Bucket=bucket, Key="bomb.png", Body=fixture("bomb.png"))
    s3.put_object(Bucket=bucket, Key="evil\x1b[2J.png", Body=b"plain text")
    cases = {
        "cut.png": "the PNG image does not decode: ",
        "page.jpg": "the bytes are not a JPEG image, whatever its Content-Type says",
        "bomb.png": "the PNG image claims 100000×100000 pixels, over the 50 million pail decodes",
        "evil\x1b[2J.png": "not an image pail shows (JPEG, PNG, GIF, WebP or AVIF)",
    }
    for key, message in cases.items():
        proc = view(pail, "--protocol", "symbols", f"s3://{bucket}/{key}", check=False)
        assert proc.returncode == 1, (key, proc.returncode, proc.stderr)
        err = proc.stderr.decode()
        assert err.count("\n") == 1 and message in err, (key, err)
        assert ESC not in proc.stderr and proc.stdout == b"", key
    proc = view(pail, f"s3://{bucket}/media/", check=False)
    assert proc.returncode == 1 and f"view needs an object: s3://{bucket}/KEY" in proc.stderr.decode()
