"""Issue 11: the browser lists a flat level of a few thousand entries in key ranges at once
(LevelLister) on SeaweedFS, which walks directories and answers start-after and the delimiter
in its own way. The level, read back from one tall tmux screen, must hold every entry of
`pail ls` of the same prefix, once each."""
import json
import string

from conftest import PAIL_BIN, put_many_keys
from test_flat_ranges import start_afters
from tmux_harness import TmuxSession

LEADS = list(string.digits + string.ascii_uppercase + string.ascii_lowercase) + ["\u00e9"]


def level_keys(prefix, per):
    """Objects right under the prefix, and every fifth name also a child prefix of two keys; a
    file and a directory of one name, and a name below "/" beside it."""
    keys = []
    for lead in LEADS:
        for i in range(per):
            keys.append(f"{prefix}{lead}{i:02d}.txt")
            if i % 5 == 0:
                keys += [f"{prefix}{lead}{i:02d}/one", f"{prefix}{lead}{i:02d}/two"]
    return keys + [f"{prefix}m", f"{prefix}m/below", f"{prefix}m-x", "other/x"]


def test_a_flat_level_in_ranges_shows_every_entry_of_pail_ls_once(s3, bucket, pail, tmp_path):
    keys = level_keys("u/", 30)
    put_many_keys(s3, bucket, keys)
    lines = pail.run("ls", "--json", f"s3://{bucket}/u/").stdout.decode().splitlines()
    want = sorted(json.loads(x).get("prefix", json.loads(x).get("key"))[2:] for x in lines)
    assert len(want) > 1500, "more than one page of SeaweedFS's 1,000 entries"
    height = len(want) + 20
    names = set(want)

    def shown(screen):
        entries = []
        for line in screen.splitlines()[1:]:
            # The tree's column, left of the details pane.
            words = line[:60].replace("▸", " ").replace("▾", " ").split()
            if words and words[0] in names:
                entries.append(words[0])
        return sorted(entries)

    debug = tmp_path / "debug.log"
    argv = [PAIL_BIN, "--endpoint-url", pail.endpoint, "--debug", str(debug), f"s3://{bucket}/u/"]
    with TmuxSession(argv, pail.env, 120, height) as t:
        t.wait_idle(120)
        # A frame of a couple of thousand rows reaches tmux in pieces: wait for the whole one.
        try:
            t.wait_for(lambda screen: shown(screen) == want, 60, "every entry of pail ls on the screen")
        finally:
            screen = t.screen()
            t.send("q")
            t.wait_for("EXITED 0")
    got = shown(screen)
    missing = sorted(names - set(got))
    assert got == want, (f"{len(got)} entries shown of {len(want)}, missing {missing[:5]}...; screen ends:\n"
                         + "\n".join(screen.splitlines()[-8:]))
    # Listed by ranges (start-after listings), not one chain of continuation tokens.
    points = start_afters(debug)
    assert len(points) >= 4, f"the level was listed in ranges: {points}"
    assert "u/m" not in points, "a point naming a directory would skip it on SeaweedFS"
