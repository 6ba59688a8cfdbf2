"""The one atomic writer: whole files or none, attributes kept, links followed, read-only files refused."""

from __future__ import annotations

import errno
import grp
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from stidiplo.files import WriteError, remove_stale_temporaries, write_atomic
from tests.helpers import ROOT

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="setting another owner or group, and creating an ordinary user, needs root",
)


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_file_gets_the_umask_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "brief.html"
    write_atomic(target, b"<p>x</p>")
    assert target.read_bytes() == b"<p>x</p>"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    os.umask(0o027)
    other = tmp_path / "other.csv"
    write_atomic(other, b"a,b\n")
    assert stat.S_IMODE(other.stat().st_mode) == 0o640


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o604])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask_022: None, mode: int) -> None:
    target = tmp_path / "db.json"
    target.write_bytes(b"old")
    target.chmod(mode)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "db.json"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "db.json"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert temporaries(tmp_path) == [] and temporaries(real.parent) == []


def test_a_link_to_a_missing_file_creates_that_file(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_loop_of_links_is_refused_in_one_line(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(WriteError) as caught:
        write_atomic(a, b"x")
    assert "\n" not in str(caught.value) and str(a) in str(caught.value)


def test_a_read_only_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "db.json"
    target.write_bytes(b"old")
    target.chmod(0o444)
    with pytest.raises(WriteError) as caught:
        write_atomic(target, b"new")
    assert str(caught.value) == f"cannot write {target}: the file is read-only; it is unchanged"
    assert target.read_bytes() == b"old" and stat.S_IMODE(target.stat().st_mode) == 0o444
    assert temporaries(tmp_path) == []


def test_a_missing_folder_is_one_line_and_not_created(tmp_path: Path) -> None:
    target = tmp_path / "nodir" / "x.csv"
    with pytest.raises(WriteError) as caught:
        write_atomic(target, b"x", what="the export")
    assert str(caught.value) == f"cannot write {target} (the export): the folder {target.parent} does not exist"
    assert not target.parent.exists()


def test_a_folder_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(WriteError, match="it is a folder"):
        write_atomic(target, b"x")
    assert target.is_dir()


@pytest.mark.parametrize("failing", ["os.fsync", "os.replace", "os.chmod"])
def test_a_failure_leaves_the_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "db.json"
    target.write_bytes(b"old")

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(failing, full)
    with pytest.raises(WriteError) as caught:
        write_atomic(target, b"new" * 1000)
    assert str(caught.value) == f"cannot write {target}: No space left on device; it is unchanged"
    assert caught.value.reason == "No space left on device"
    assert target.read_bytes() == b"old"
    assert temporaries(tmp_path) == []


def test_a_failure_creating_a_file_says_nothing_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("os.fsync", full)
    target = tmp_path / "new.json"
    with pytest.raises(WriteError, match="nothing was written"):
        write_atomic(target, b"x")
    assert not target.exists() and temporaries(tmp_path) == []


def test_an_interrupt_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "db.json"
    target.write_bytes(b"old")

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and temporaries(tmp_path) == []


def test_stale_temporaries_are_removed_beside_the_real_file(tmp_path: Path) -> None:
    real = tmp_path / "real" / "db.json"
    real.parent.mkdir()
    real.write_bytes(b"x")
    stale = real.parent / ".db.json.abc123.tmp"
    stale.write_bytes(b"half")
    other = real.parent / ".other.json.abc123.tmp"
    other.write_bytes(b"not ours")
    link = tmp_path / "db.json"
    link.symlink_to(real)
    remove_stale_temporaries(link)
    assert not stale.exists() and other.exists()


@needs_root
def test_root_keeps_the_owner_and_group_of_a_file(tmp_path: Path) -> None:
    target = tmp_path / "db.json"
    target.write_bytes(b"old")
    os.chown(target, 4321, 4322)
    target.chmod(0o664)
    write_atomic(target, b"new")
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 4322, 0o664)


# -- as an ordinary user ------------------------------------------------------------------------

AS_USER = """
import sys
from pathlib import Path
from stidiplo.files import WriteError, write_atomic
try:
    write_atomic(Path(sys.argv[1]), sys.argv[2].encode())
except WriteError as err:
    print(err)
    sys.exit(1)
"""


@pytest.fixture
def ordinary_user() -> Iterator[tuple[str, str, Path]]:
    """A user and a group made for this test (dropped afterwards) and a folder they may write in."""
    name = f"stdp{uuid.uuid4().hex[:8]}"
    group = f"{name}g"
    subprocess.run(["groupadd", group], check=True, capture_output=True)
    subprocess.run(["useradd", "--no-create-home", "-G", group, name], check=True, capture_output=True)
    folder = Path(tempfile.mkdtemp(prefix="stidiplo-files-"))
    try:
        folder.chmod(0o775)
        shutil.chown(folder, group=group)
        yield name, group, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["userdel", name], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)


def python_for(user: str) -> str:
    """An interpreter the user may run (this one may sit in root's home), or skip the test."""
    for candidate in (sys.executable, shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin")):
        try:
            if candidate and subprocess.run([candidate, "-c", "pass"], user=user, capture_output=True).returncode == 0:
                return candidate
        except PermissionError:
            continue
    pytest.skip(f"no Python interpreter that the ordinary user {user} may run")


def run_as(user: str, group: str, path: Path, text: str) -> subprocess.CompletedProcess[str]:
    gid = grp.getgrnam(group).gr_gid
    return subprocess.run(
        [python_for(user), "-c", AS_USER, str(path), text],
        user=user,
        extra_groups=[gid],
        env={"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", "")},
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )


@needs_root
def test_a_group_member_keeps_a_shared_files_group_and_mode(ordinary_user: tuple[str, str, Path]) -> None:
    user, group, folder = ordinary_user
    target = folder / "db.json"
    target.write_bytes(b"old")
    shutil.chown(target, group=group)
    target.chmod(0o664)
    done = run_as(user, group, target, "new")
    assert done.returncode == 0, done.stdout + done.stderr
    info = target.stat()
    assert target.read_bytes() == b"new"
    assert (info.st_gid, stat.S_IMODE(info.st_mode)) == (grp.getgrnam(group).gr_gid, 0o664)


@needs_root
def test_an_ordinary_user_is_refused_a_read_only_file(ordinary_user: tuple[str, str, Path]) -> None:
    user, group, folder = ordinary_user
    target = folder / "db.json"
    target.write_bytes(b"old")
    shutil.chown(target, user=user, group=group)
    target.chmod(0o444)
    done = run_as(user, group, target, "new")
    assert done.returncode == 1
    assert done.stdout == f"cannot write {target}: the file is read-only; it is unchanged\n"
    assert target.read_bytes() == b"old" and temporaries(folder) == []
