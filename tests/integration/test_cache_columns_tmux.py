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
        t.wait_for("print.css")
        t.wait_idle()
        assert "max-age" not in row(t.screen(), "app.css"), "columns before H"
        t.send("H")
        screen = t.wait_for(lambda s: has(s, "app.css", "max-age=31536000") and has(s, "admin.css", "no-cache"),
                            what="the Cache-Control column")
        assert "text/css" in row(screen, "app.css") and "gzip" in row(screen, "app.css")
        assert "(none)" in row(screen, "print.css")

        # A header filter keeps the objects whose Cache-Control has the word.
        t.send("/")
        t.type("cc:no-cache")
        t.send("Enter")
        screen = t.wait_for(lambda s: "app.css" not in s and "print.css" not in s, what="the cc: filter")
        assert "no-cache" in row(screen, "admin.css")
        t.send("Escape")

        # The bucket page: SeaweedFS's answers, section by section.
        t.send("b")
        screen = t.wait_for(lambda s: "tags:" in s and "versioning:" in s, what="the bucket page")
        assert f"s3://{bucket}/  (what governs every object in it)" in screen
        assert "CORS: not set" in screen or "CORS: not supported" in screen, screen


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
