"""Issue 3 end to end: the real pail binary in tmux against SeaweedFS, read back from the screen."""
import re

import pytest

from conftest import PAIL_BIN, Pail, put_many_keys
from tmux_harness import TmuxSession


def open_pail(pail, *args, width=120, height=40, env=None):
    e = dict(pail.env, **(env or {}))
    return TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, *args], e, width, height)


@pytest.fixture
def site(s3, bucket):
    objects = {
        "robots.txt": dict(ContentType="text/plain", CacheControl="max-age=3600"),
        "media/uploads/2024/05/photo.jpg": dict(ContentType="image/jpeg", CacheControl="public, max-age=86400",
                                                Metadata={"uploaded-by": "alice"}),
        "media/uploads/2024/06/photo2.jpg": dict(ContentType="image/jpeg"),
        "media/documents/Café menu.pdf": dict(ContentType="application/pdf"),
        "media/documents/日本語.pdf": dict(ContentType="application/pdf"),
        "media/documents/odd\x1b[31mname.txt": dict(ContentType="text/plain"),
        "static/css/app.css": dict(ContentType="text/css", ContentEncoding="gzip",
                                   CacheControl="public, max-age=31536000"),
    }
    for key, extra in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=b"0123456789", **extra)
    put_many_keys(s3, bucket, [f"many/f{i:05d}.txt" for i in range(1500)])
    return bucket


def row_of(screen, text):
    for i, line in enumerate(screen.split("\n")):
        if text in line:
            return i
    raise AssertionError(f"{text!r} not on screen:\n{screen}")


def test_browse_a_bucket_end_to_end(pail, site):
    with open_pail(pail, f"s3://{site}") as t:
        # Waited for with the rows, not asserted on the first [idle] frame: tmux may capture a
        # frame half drawn (the title drawn, the rows not yet).
        t.wait_idle(until=["▸ media/", "▸ static/", "robots.txt"])

        # Expand media/ (the second row, after many/), then documents/.
        t.send("j")
        t.send("Enter")
        screen = t.wait_for("documents/")
        t.wait_idle()
        t.send("j")
        t.send("l")
        screen = t.wait_idle(until=["Café menu.pdf", "日本語.pdf", "odd\\x1b[31mname.txt"])
        assert "\x1b" not in screen

        # Collapse documents/ again.
        t.send("h")
        t.wait_for(lambda s: "Café menu.pdf" not in s, what="documents/ collapsed")

        # Details pane for an object, fetched after the cursor rests.
        t.send("g")
        t.type("static/css/")
        t.send("Enter")
        t.wait_for("app.css")
        t.wait_idle()
        t.send("j")
        t.wait_idle(until=["Content-Encoding", "public, max-age=31536000", "gzip", "text/css"],
                    what="app.css's headers in the details pane")

        # More than 1000 entries: pages stream in, End reaches the last one.
        t.send("g")
        t.type("many/")
        t.send("Enter")
        t.wait_for("f00000.txt")
        t.wait_idle()
        t.send("End")
        screen = t.wait_for("f01499.txt")
        t.send("PageUp")  # the cursor moves up a page within the view...
        t.send("PageUp")  # ...and then the view scrolls
        t.wait_for(lambda s: "f01499.txt" not in s and "f014" in s and re.search(r"1,5\d\d rows", s),
                   what="a page up, with the row count")

        # Filter as you type.
        t.send("/")
        t.type("f0142")
        # Every key of the filter read (the screen after "f014" still shows f01430.txt).
        t.wait_idle(until=lambda s: "f01429.txt" in s and "f01430.txt" not in s and "f00000.txt" not in s,
                    what="the rows matching f0142 alone")
        t.send("Escape")
        # The whole listing is back, with the cursor still on the entry it was on (issue 17).
        t.wait_for(lambda s: "f01429.txt" in s and "f01410.txt" in s and "f01400.txt" in s,
                   what="the whole listing around the cursor's entry")

        # Sort by size, then date, reversed.
        t.send("o")
        t.wait_for("sort:size")
        t.send("o")
        t.send("O")
        t.wait_for("sort:date↑")

        # Resize: reflows at once, small terminals still work, tiny ones say so.
        t.resize(80, 24)
        t.wait_for(lambda s: len(s.split("\n")[0].rstrip()) <= 80 and "[idle]" in s, what="80 columns")
        t.resize(40, 10)
        t.wait_for("[idle]")
        t.resize(30, 8)
        t.wait_for("too small")
        t.resize(120, 40)
        t.wait_for("[idle]")

        # Help is generated from the keymap; any key closes it.
        t.send("?")
        t.wait_for("generated from pail's keymap")
        t.send("x")
        t.wait_for(lambda s: "generated from" not in s)

        t.send("q")
        t.wait_for("EXITED 0")


def test_start_at_a_prefix_selects_it_and_measures(pail, site):
    with open_pail(pail, f"s3://{site}/media/uploads/") as t:
        t.wait_idle(until=lambda s: "s3://" in s.split("\n")[0] and "media/uploads/" in s.split("\n")[0]
                    and "2024/" in s, what="media/uploads/ in the title and 2024/ listed")
        t.send("s")
        screen = t.wait_for("2 obj")
        t.wait_idle()
        t.send("C-c")
        t.wait_for("EXITED 0")


def test_marks_show_count_and_size(pail, site):
    with open_pail(pail, f"s3://{site}/media/documents/") as t:
        t.wait_idle()
        t.send("j")
        t.send("Space")
        t.send("Space")
        t.wait_for("2 marked (20 B)")
        t.send("u")
        t.wait_for(lambda s: "marked" not in s)
        t.send("q")
        t.wait_for("EXITED 0")


def test_bucket_list_and_errors_in_the_status_line(pail, s3, site, endpoint, tmp_path):
    s3.create_bucket(Bucket=site + "-empty")
    with open_pail(pail) as t:
        t.wait_idle()
        # The server may hold many buckets by now: filter to this test's two.
        t.send("/")
        t.type(site)
        # Exactly the two buckets, each on its own row (the filter line also holds the name),
        # once the filter has caught up with the typing.
        def rows(screen):
            return [line.split()[1] for line in screen.split("\n")[1:] if line.startswith(" ▸ ")]
        t.wait_for(lambda s: rows(s) == [site, f"{site}-empty"], what=f"the rows {site} and {site}-empty alone")
        t.send("Enter")
        t.send("g")
        t.type(f"s3://{site}-empty/")
        t.send("Enter")
        t.wait_for("is empty")
        t.send("q")
        t.wait_for("EXITED 0")
    with open_pail(pail, "s3://pail-no-such-bucket-e2e") as t:
        t.wait_for("NoSuchBucket")
        t.wait_idle()
        t.send("q")
        t.wait_for("EXITED 0")
    dead = Pail("http://127.0.0.1:9")
    with open_pail(dead) as t:
        t.wait_for("cannot connect")
        t.send("q")
        t.wait_for("EXITED 0")
    wrong = Pail(endpoint, secret="not-the-secret")
    with open_pail(wrong, f"s3://{site}") as t:
        t.wait_for("SignatureDoesNotMatch")
        assert "not-the-secret" not in t.screen()
        t.send("q")
        t.wait_for("EXITED 0")


SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def sgr_codes(styled):
    """Every SGR parameter on the styled screen, the 38/48 colour arguments folded in."""
    codes = []
    for m in SGR.finditer(styled):
        params = [int(p or 0) for p in re.split("[;:]", m.group(1))]
        while params:
            p = params.pop(0)
            if p in (38, 48) and params:
                params = params[2:] if params[0] == 5 else params[4:] if params[0] == 2 else params
            codes.append(p)
    return codes


def is_colour(code):
    return 30 <= code <= 38 or 40 <= code <= 48 or 90 <= code <= 97 or 100 <= code <= 107


def reverse_at(styled, text):
    """Whether `text` is drawn in reverse video on the styled screen."""
    reverse, i = False, 0
    while i < len(styled):
        if styled.startswith(text, i):
            return reverse
        m = SGR.match(styled, i)
        if m:
            for p in [int(p or 0) for p in re.split("[;:]", m.group(1))]:
                reverse = True if p == 7 else False if p in (0, 27) else reverse
            i = m.end()
        else:
            i += 1
    raise AssertionError(f"{text!r} not on screen:\n{styled}")


def styled_screen(t):
    """The screen with its attributes and colours as escape sequences (capture-pane -e)."""
    return t.tmux("capture-pane", "-p", "-e", "-t", "main").stdout


def reversed_as(styled, expected):
    """Whether each text of `expected` is on the styled screen, in reverse video or not as said
    (False while one is not drawn yet)."""
    try:
        return all(reverse_at(styled, text) == reverse for text, reverse in expected.items())
    except AssertionError:
        return False


def wait_styled(t, expected, what):
    """Waits for a styled screen where `expected` (text -> reversed?) holds, and returns it: a
    frame captured half drawn may not have the rows' attributes yet."""
    styled = ""

    def check(_):
        nonlocal styled
        styled = styled_screen(t)
        return reversed_as(styled, expected)
    t.wait_for(check, what=what)
    return styled


def test_no_color_still_readable(pail, site):
    with open_pail(pail, f"s3://{site}", env={"NO_COLOR": "1"}) as t:
        t.wait_idle(until=["media/", "robots.txt"])
        # Without colour the title and the cursor row still stand out: reverse video.
        styled = wait_styled(t, {" pail ": True, "robots.txt  ": False},
                             "the title in reverse video, robots.txt not")
        assert not [c for c in sgr_codes(styled) if is_colour(c)], repr(styled)
        t.send("j")
        t.send("j")  # many/, media/, robots.txt
        styled = wait_styled(t, {"robots.txt  ": True, "media/": False},
                             "the cursor on robots.txt alone")
        assert not [c for c in sgr_codes(styled) if is_colour(c)], repr(styled)
        t.send("q")
        t.wait_for("EXITED 0")
    # The same screen without NO_COLOR has colours, so the check above can see them.
    with open_pail(pail, f"s3://{site}") as t:
        t.wait_idle(until=["media/", "robots.txt"])
        t.wait_for(lambda s: [c for c in sgr_codes(styled_screen(t)) if is_colour(c)], what="colours")
        t.send("q")
        t.wait_for("EXITED 0")


def mouse(button, column, row):
    """An X10 mouse report, as a terminal sends it (the TERM tmux sets has kmous=\\E[M)."""
    return "\x1b[M" + chr(32 + button) + chr(33 + column) + chr(33 + row)


def test_mouse_clicks_move_the_cursor_and_double_clicks_open(pail, site):
    with open_pail(pail, f"s3://{site}") as t:
        screen = t.wait_idle(until=["static/", "robots.txt"])
        row = row_of(screen, "static/")
        assert f"s3://{site}/static/" not in screen.split("\n")[1]
        # A click: press, then release, on the static/ row.
        t.type(mouse(0, 4, row) + mouse(3, 4, row))
        t.wait_for(lambda s: f"s3://{site}/static/" in s.split("\n")[1], what="static/ selected by the click")
        assert "css/" not in t.screen()
        # A double click opens it.
        t.type(mouse(0, 4, row) + mouse(3, 4, row) + mouse(0, 4, row) + mouse(3, 4, row))
        screen = t.wait_for("css/")
        assert row_of(screen, "css/") == row + 1
        t.send("q")
        t.wait_for("EXITED 0")


def test_ctrl_z_suspends_to_the_shell_and_fg_resumes(pail, site):
    """In an interactive shell, as a person: Ctrl-Z stops pail and gives the prompt back with
    the screen restored; fg redraws the same view; q exits with status 0."""
    with TmuxSession(["bash", "--norc", "--noprofile", "-i"], dict(pail.env, PS1="prompt$ ")) as t:
        t.wait_for("prompt$")
        t.type(f"{PAIL_BIN} --endpoint-url {pail.endpoint} s3://{site}")
        t.send("Enter")
        t.wait_idle()
        t.send("j")
        t.send("Enter")
        t.wait_for("documents/")
        t.wait_idle()
        t.send("C-z")
        screen = t.wait_for("Stopped")
        assert "prompt$" in screen.split("Stopped", 1)[1], screen
        assert "[idle]" not in screen, "the alternate screen is gone while suspended"
        t.type("fg")
        t.send("Enter")
        t.wait_idle(until=["documents/", "▾ media/"], what="the same view after fg")
        t.send("q")
        t.wait_for(lambda s: s.rstrip().endswith("prompt$"), what="the prompt after q")
        t.type("echo status=$?")
        t.send("Enter")
        t.wait_for("status=0")


def test_preview_shows_gzipped_text_and_binary_as_hex(pail, s3, bucket):
    import gzip
    s3.put_object(Bucket=bucket, Key="static/app.css", Body=gzip.compress(b"body{margin:0}\n.nav{color:red}\n"),
                  ContentType="text/css", ContentEncoding="gzip")
    s3.put_object(Bucket=bucket, Key="static/logo.png", Body=b"\x89PNG\r\n\x1a\n" + bytes(range(40)),
                  ContentType="image/png")
    with open_pail(pail, f"s3://{bucket}/static/") as t:
        t.wait_idle()
        t.send("j")
        t.send("p")
        t.wait_for(["app.css  (text, gunzipped)", "body{margin:0}", ".nav{color:red}"])
        t.send("Escape")
        t.wait_for("▾ static/")
        t.send("j")
        t.send("p")
        # A PNG opens the image page (issue 13): this one does not decode; x shows its bytes.
        t.wait_for("the PNG image is cut short or malformed")
        t.send("x")
        t.wait_for(["binary (image/png)", "89 50 4e 47 0d 0a 1a 0a", ".PNG...."])
        t.send("q")
        t.wait_for("▾ static/")
        t.send("q")
        t.wait_for("EXITED 0")
