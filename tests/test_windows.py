"""The Windows branches, taken on Linux by setting `sys.platform` to "win32" where the code asks it
(`stidiplo.system.windows`), and the POSIX branches beside them.

Only functions are called on a simulated Windows, never the whole program: libraries such as
filelock and Rich choose their Windows classes when imported, and need the real Windows.

What is simulated: the platform's answer, and what Windows does that Linux does not (a replace
refused while another program holds the file open, an `os` without `chown`, a file system without
hard links, a system encoding of cp932). What runs for real: everything else, on real files.
"""

from __future__ import annotations

import json
import os
import shlex
import stat
import sys
from pathlib import Path

import pytest

from stidiplo import files
from stidiplo.cli.context import default_lang
from stidiplo.cli.editor import editor_command
from stidiplo.files import WriteError, fsync_folder, write_atomic
from tests.helpers import fixed_id, invoke

ERC = fixed_id("erc")


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A simulated Windows; the settings file is named, so that platformdirs is not asked on a false Windows."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("STIDIPLO_CONFIG", str(tmp_path / "no-settings.toml"))


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between tries, recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr(files.time, "sleep", waited.append)
    return waited


def held_open_for(tries: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the first `tries` replaces fail as Windows fails them while another program has the file open."""
    real_replace = os.replace
    calls: list[str] = []

    def replace(src: str, dst: str) -> None:
        calls.append(str(dst))
        if len(calls) <= tries:
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)
    return calls


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- replacing a file another program holds open ----------------------------------------------


def test_on_windows_a_replace_refused_while_the_file_is_open_is_tried_again(
    tmp_path: Path, on_windows: None, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "db.json"
    target.write_bytes(b"old")
    calls = held_open_for(2, monkeypatch)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and len(calls) == 3
    assert sleeps == list(files.REPLACE_RETRIES[:2])
    assert leftovers(tmp_path) == []


def test_on_windows_a_file_held_open_too_long_gets_one_line_and_stays_as_it_was(
    tmp_path: Path, on_windows: None, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "db.json"
    target.write_bytes(b"old")
    held_open_for(100, monkeypatch)
    with pytest.raises(WriteError) as caught:
        write_atomic(target, b"new")
    message = str(caught.value)
    assert "\n" not in message and str(target) in message
    assert "another program has it open; close it and try again" in message
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []
    assert len(sleeps) == len(files.REPLACE_RETRIES) and sum(sleeps) < 2


def test_on_posix_a_refused_replace_is_not_tried_again(
    tmp_path: Path, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "db.json"
    target.write_bytes(b"old")
    calls = held_open_for(1, monkeypatch)
    with pytest.raises(WriteError, match="Permission denied"):
        write_atomic(target, b"new")
    assert len(calls) == 1 and sleeps == [] and target.read_bytes() == b"old"


# -- folders, modes, links ---------------------------------------------------------------------


def opened_folders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    real_open = os.open
    opened: list[str] = []

    def spy(path: str | Path, flags: int, *args: int) -> int:
        if Path(path).is_dir():
            opened.append(str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(files.os, "open", spy)
    return opened


def test_on_windows_the_folder_is_not_opened_to_fsync(
    tmp_path: Path, on_windows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = opened_folders(monkeypatch)
    fsync_folder(tmp_path)
    write_atomic(tmp_path / "out.md", b"text")
    assert opened == [] and (tmp_path / "out.md").read_bytes() == b"text"


def test_on_posix_the_folder_is_fsynced_after_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = opened_folders(monkeypatch)
    write_atomic(tmp_path / "out.md", b"text")
    assert opened == [str(tmp_path)]


def test_without_chown_as_on_windows_a_replaced_file_keeps_its_mode(
    tmp_path: Path, on_windows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "chown")
    target = tmp_path / "db.json"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_on_windows_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path: Path, on_windows: None) -> None:
    real = tmp_path / "shared" / "db.json"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "db.json"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_where_hard_links_fail_a_backup_is_a_whole_copy(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FAT and exFAT drives, and some network shares, have no hard links: os.link raises."""

    def no_links(src: object, dst: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    before = db.read_bytes()
    assert invoke("note", ERC[:6], "backed up by copying").exit_code == 0
    backups = list((db.parent / f".{db.name}.stidiplo" / "backups").glob("*.json"))
    assert [b.read_bytes() for b in backups] == [before]
    assert backups[0].stat().st_ino != db.stat().st_ino and db.read_bytes() != before


# -- the editor ----------------------------------------------------------------------------------


@pytest.fixture
def editor(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return monkeypatch


def test_on_windows_the_default_editor_is_notepad_given_one_command_line(editor: pytest.MonkeyPatch) -> None:
    editor.setattr(sys, "platform", "win32")
    path = r"C:\Users\sato\AppData\Local\Temp\tmpab12.json"
    assert editor_command(path) == f'notepad "{path}"'
    editor.setenv("EDITOR", r'"C:\Program Files\Notepad++\notepad++.exe" -multiInst')
    assert editor_command(path) == rf'"C:\Program Files\Notepad++\notepad++.exe" -multiInst "{path}"'


def test_on_posix_the_editor_setting_is_split_as_a_shell_splits_it(editor: pytest.MonkeyPatch) -> None:
    assert editor_command("/tmp/r.json") == ["vi", "/tmp/r.json"]
    editor.setenv("EDITOR", "sh -c 'exit 0'")
    assert editor_command("/tmp/r.json") == ["sh", "-c", "exit 0", "/tmp/r.json"]
    editor.setenv("VISUAL", "code --wait")
    assert editor_command("/tmp/r.json") == ["code", "--wait", "/tmp/r.json"]


def test_an_editor_with_quoted_words_runs(db: Path, editor: pytest.MonkeyPatch) -> None:
    editor.setenv("EDITOR", "sh -c 'exit 0'")
    before = db.read_bytes()
    done = invoke("edit", ERC[:6], "--editor")
    assert done.exit_code == 0 and done.stdout == f"{ERC[:6]} unchanged\n"
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "/nonexistent",
            "stidiplo: cannot start the editor /nonexistent (No such file or directory); nothing changed\n",
        ),
        (
            "vi 'unclosed",
            'stidiplo: cannot read the editor setting "vi \'unclosed" (No closing quotation); nothing changed\n',
        ),
        ("sh -c 'exit 3'", "stidiplo: the editor exited with an error; nothing changed\n"),
    ],
)
def test_an_editor_that_cannot_run_gets_one_line(
    db: Path, editor: pytest.MonkeyPatch, setting: str, message: str
) -> None:
    editor.setenv("EDITOR", setting)
    before = db.read_bytes()
    done = invoke("edit", ERC[:6], "--editor")
    assert (done.exit_code, done.stderr, done.stdout) == (2, message, "")
    assert db.read_bytes() == before


def editing_script(tmp_path: Path, encoding: str, editor: pytest.MonkeyPatch) -> None:
    """An editor that sets a Japanese place and saves the record in `encoding`, as some Windows editors do."""
    script = tmp_path / "save_as.py"
    script.write_text(
        "import json, sys\n"
        "path = sys.argv[1]\n"
        "record = json.loads(open(path, encoding='utf-8').read())\n"
        "record['place'] = '京都国際会館'\n"
        f"open(path, 'w', encoding={encoding!r}).write(json.dumps(record, ensure_ascii=False))\n",
        encoding="utf-8",
    )
    editor.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_the_edited_record_is_read_back_in_utf8_else_the_systems_encoding(
    db: Path, tmp_path: Path, editor: pytest.MonkeyPatch, encoding: str
) -> None:
    import locale

    editor.setattr(locale, "getencoding", lambda: "cp932")  # a Japanese Windows system
    editing_script(tmp_path, encoding, editor)
    done = invoke("edit", ERC[:6], "--editor")
    assert done.exit_code == 0, done.stderr
    assert json.loads(invoke("show", ERC, "--format", "json").stdout)["place"] == "京都国際会館"


def test_an_edited_record_in_neither_encoding_gets_one_line(
    db: Path, tmp_path: Path, editor: pytest.MonkeyPatch
) -> None:
    import locale

    editor.setattr(locale, "getencoding", lambda: "ascii")
    editing_script(tmp_path, "cp932", editor)
    before = db.read_bytes()
    done = invoke("edit", ERC[:6], "--editor")
    assert done.exit_code == 2
    assert done.stderr == "stidiplo: the edited record is neither UTF-8 nor ascii text; nothing changed\n"
    assert db.read_bytes() == before


# -- the display language ------------------------------------------------------------------------


@pytest.fixture
def no_locale(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.setenv("STIDIPLO_CONFIG", str(tmp_path / "no-settings.toml"))
    for var in ("STIDIPLO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_a_language_stidiplo_lacks_in_stidiplo_lang_gives_english_and_one_warning(
    db: Path, no_locale: pytest.MonkeyPatch
) -> None:
    no_locale.setenv("STIDIPLO_LANG", "fr")
    done = invoke("list", "--country", "SE")
    assert done.exit_code == 0 and "Sweden" in done.stdout
    assert done.stderr == "stidiplo: STIDIPLO_LANG='fr' is not a language stidiplo has (en, ja); showing English\n"


def test_a_french_locale_gives_english_quietly(db: Path, no_locale: pytest.MonkeyPatch) -> None:
    no_locale.setenv("LANG", "fr_FR.UTF-8")
    done = invoke("list", "--country", "SE")
    assert (done.exit_code, done.stderr) == (0, "") and "Sweden" in done.stdout


@pytest.mark.parametrize(("system_locale", "lang"), [("Japanese_Japan", "ja"), ("French_France", "en"), (None, "en")])
def test_on_windows_the_systems_locale_chooses_the_language(
    no_locale: pytest.MonkeyPatch, system_locale: str | None, lang: str
) -> None:
    """Windows sets no LANG: the system's locale says Japanese."""
    import locale

    no_locale.setattr(sys, "platform", "win32")
    no_locale.setattr(locale, "getlocale", lambda *category: (system_locale, "932"))
    assert default_lang() == (lang, "the system's locale")


def test_on_posix_without_a_locale_the_language_is_english(no_locale: pytest.MonkeyPatch) -> None:
    import locale

    no_locale.setattr(locale, "getlocale", lambda *category: ("ja_JP", "UTF-8"))
    assert default_lang() == ("en", "default")


# -- the pager -----------------------------------------------------------------------------------


def test_on_windows_the_default_pager_is_more(on_windows: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from stidiplo.config import setting

    for variable in ("STIDIPLO_PAGER", "PAGER"):
        monkeypatch.delenv(variable, raising=False)
    assert setting("pager") == ("more", "default on Windows")
    monkeypatch.setenv("PAGER", "less")
    assert setting("pager") == ("less", "$PAGER")


def test_on_posix_the_default_pager_is_less(monkeypatch: pytest.MonkeyPatch) -> None:
    from stidiplo.config import setting

    for variable in ("STIDIPLO_PAGER", "PAGER"):
        monkeypatch.delenv(variable, raising=False)
    assert setting("pager") == ("less -FRX", "default")


def test_on_windows_a_tracker_is_read_whole_through_its_index_and_left_closed(
    on_windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    import time

    from stidiplo.store import Store, index
    from stidiplo.tracker_file import load
    from tests.helpers import SHIPPED

    monkeypatch.setenv("STIDIPLO_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "db.json"
    shutil.copyfile(SHIPPED, path)
    os.utime(path, (time.time() - 3600,) * 2)
    opened: list[object] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(real_open(*a, **k)) or opened[-1])
    made = [item.title for item in load(Store(path)).items.values()]  # reads every record, makes the index
    assert index.load(path, os.stat(path)) is not None
    used = [item.title for item in load(Store(path)).items.values()]  # through the index
    assert made == used and len(used) == 70
    assert all(handle.closed for handle in opened)  # type: ignore[attr-defined]
