"""Issue 14 in the browser, end to end: the real pail binary in tmux against SeaweedFS, read back from the screen."""
from conftest import PAIL_BIN
from tmux_harness import TmuxSession


def open_pail(pail, *args, width=100, height=30):
    return TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, *args], dict(pail.env), width, height)


def has(screen, name, text):
    return any(name in line and text in line for line in screen.split("\n"))


def row(screen, text):
    lines = [line for line in screen.split("\n") if text in line]
    assert lines, f"{text!r} not on screen:\n{screen}"
    return lines[0]


def test_h_shows_the_cache_control_column_of_static_css(pail, s3, bucket):
    objects = {
        "static/css/app.css": dict(ContentType="text/css", ContentEncoding="gzip",
                                   CacheControl="public, max-age=31536000, immutable"),
        "static/css/admin.css": dict(ContentType="text/css", CacheControl="no-cache"),
        "static/css/print.css": dict(ContentType="text/css"),
    }
    for key, extra in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=b"body{}", **extra)
    with open_pail(pail, f"s3://{bucket}/static/css/") as t:
        screen = t.wait_idle(until=["app.css", "admin.css", "print.css"])
        assert "max-age" not in row(screen, "app.css"), "columns before H"
        t.send("H")
        # Every row's columns waited for: each row's HEAD answers on its own, and tmux may
        # capture a frame half drawn.
        t.wait_for(lambda s: has(s, "app.css", "max-age=31536000") and has(s, "admin.css", "no-cache")
                   and has(s, "app.css", "text/css") and has(s, "app.css", "gzip") and has(s, "print.css", "(none)"),
                   what="the Cache-Control, Content-Type and Content-Encoding columns of the three rows")

        # A header filter keeps the objects whose Cache-Control has the word.
        t.send("/")
        t.type("cc:no-cache")
        t.send("Enter")
        t.wait_idle(until=lambda s: "app.css" not in s and "print.css" not in s and has(s, "admin.css", "no-cache"),
                    what="the cc: filter, admin.css alone")
        t.send("Escape")

        # The bucket page: SeaweedFS's answers, section by section.
        t.send("b")
        # The sections come one by one: wait for every one checked.
        t.wait_for(lambda s: "tags:" in s and "versioning:" in s
                   and f"s3://{bucket}/  (what governs every object in it)" in s
                   and ("CORS: not set" in s or "CORS: not supported" in s), what="the bucket page with its CORS")


def test_columns_fill_in_a_level_jumped_to_with_h_on(pail, s3, bucket):
    # The jump lists a level whose rows come on screen when its listing ends: their HEADs
    # were once opened and never sent, leaving `…` and [busy] for ever.
    for name in ("a.css", "b.css"):
        s3.put_object(Bucket=bucket, Key=f"static/css/{name}", Body=b"x", ContentType="text/css",
                      CacheControl="max-age=600")
    s3.put_object(Bucket=bucket, Key="robots.txt", Body=b"x")
    with open_pail(pail, f"s3://{bucket}/") as t:
        t.wait_for("robots.txt")
        t.wait_idle()
        t.send("H")
        t.send("g")
        t.type("static/css/")
        t.send("Enter")
        screen = t.wait_for(lambda s: has(s, "a.css", "max-age=600") and has(s, "b.css", "max-age=600"),
                            what="the columns of the level jumped to")
        t.wait_idle()
        assert "[idle]" in t.screen().split("\n")[0]
