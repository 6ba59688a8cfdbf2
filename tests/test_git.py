"""Sharing through real git: two clones of a bare repository edit, sync, and end with the same tracker."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import orjson
import pytest

from stidiplo import rules, schema
from stidiplo.gitshare import Repository, default_command
from stidiplo.paths import Location
from stidiplo.schema import SCHEMA_VERSION
from stidiplo.store import Store
from stidiplo.store.fileformat import serialize
from stidiplo.tracker import Tracker
from stidiplo.tracker_file import load, transaction
from tests.helpers import ROOT, STAMP, Result, fixed_id, fixture_items, item, write_tracker

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")

COMMAND = f"{shlex.quote(sys.executable)} -m stidiplo"
"""How git starts this checkout's stidiplo as the merge driver."""
TRACKER = Path("data") / "db.json"
ERC, NSF, LUND, RIKEN = fixed_id("erc"), fixed_id("nsf-call"), fixed_id("lund"), fixed_id("riken")
SE_DOC, WORKSHOP = fixed_id("se-doc"), fixed_id("quantum-ws")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(autouse=True)
def git_env(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A git with no user or system configuration, a fixed identity, and no repository above the test folder."""
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Sato Hanako")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "sato@example.org")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated / "home" / ".config"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(isolated))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every edit a minute after the one before, so 'later' is the order the test makes them in."""
    ticks = iter(range(10_000))
    monkeypatch.setattr(schema, "now", lambda: f"2019-05-01T{(tick := next(ticks)) // 60:02d}:{tick % 60:02d}:00Z")


@dataclass
class Team:
    origin: Path
    a: Path
    b: Path


@pytest.fixture
def in_clone(run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run stidiplo from inside a clone, where it finds data/db.json as it would for a user there."""

    def invoke(clone: Path, *args: str) -> Result:
        monkeypatch.chdir(clone)
        return run(*args)

    return invoke


@pytest.fixture
def team(isolated: Path, in_clone: Callable[..., Result]) -> Team:
    """A bare repository holding the fixture tracker, and two set-up clones of it (the first cloned empty)."""
    origin, a, b = isolated / "origin.git", isolated / "a", isolated / "b"
    git(isolated, "init", "-q", "--bare", "-b", "main", str(origin))
    git(isolated, "clone", "-q", str(origin), str(a))
    (a / "data").mkdir()
    write_tracker(a / TRACKER, fixture_items())
    (a / "README.md").write_text("Our office's tracker\n", encoding="utf-8")
    assert in_clone(a, "git-setup", "--command", COMMAND).exit_code == 0
    git(a, "add", "-A")
    git(a, "commit", "-q", "-m", "Start the tracker")
    first = in_clone(a, "sync")
    assert first.exit_code == 0, first
    git(isolated, "clone", "-q", str(origin), str(b))
    assert in_clone(b, "git-setup", "--command", COMMAND).exit_code == 0
    return Team(origin, a, b)


@contextmanager
def editing(clone: Path) -> Iterator[Tracker]:
    with transaction(Store(clone / TRACKER)) as tracker:
        yield tracker


def loaded(clone: Path) -> Tracker:
    """The clone's tracker, every item valid and every link resolving."""
    tracker = load(Store(clone / TRACKER))
    for found in tracker.all():
        rules.validate(found)
        tracker.check_links(found)
    return tracker


def set_status(clone: Path, item_id: str, status: str) -> None:
    with editing(clone) as tracker:
        tracker.update(replace(tracker.items[item_id], status=status))


def assert_refused(result: Result, says: str) -> None:
    assert result.exit_code == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stidiplo: ") and says in lines[0], result.stderr


# -- sync -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_clones_editing_different_and_the_same_items_end_identical(team: Team, in_clone) -> None:
    visit = item(
        "nsf-visit",
        kind="visit",
        title="NSF量子専門家の来日",
        title_en="NSF quantum experts visit Japan",
        date="2018-10",
        countries=["US"],
        fields=["quantum"],
    )
    call = item(
        "uk-call",
        kind="joint-call",
        title="日英共同公募",
        title_en="Japan–UK joint call",
        date="2019-02",
        countries=["GB"],
        status="scheduled",
    )
    with editing(team.a) as tracker:
        tracker.add(visit)
        tracker.update(replace(tracker.items[NSF], status="scheduled"))
        tracker.update(replace(tracker.items[RIKEN], place="Brussels"))
        tracker.remove(LUND)
    with editing(team.b) as tracker:
        tracker.add(call)
        tracker.update(replace(tracker.items[SE_DOC], title_en="Japan–Sweden joint statement"))
        tracker.update(replace(tracker.items[RIKEN], organizations=["RIKEN", "MEXT"]))
        tracker.note(ERC, "ERC asked for a second call")
        tracker.remove(WORKSHOP)

    assert in_clone(team.a, "sync", "--commit").exit_code == 0
    pulled = in_clone(team.b, "sync", "--commit")
    assert pulled.exit_code == 0, pulled
    assert in_clone(team.a, "sync").exit_code == 0

    assert (team.a / TRACKER).read_bytes() == (team.b / TRACKER).read_bytes()
    tracker = loaded(team.a)
    assert {visit.id, call.id} <= set(tracker.items) and not {LUND, WORKSHOP} & set(tracker.items)
    assert tracker.items[NSF].status == "scheduled"
    assert tracker.items[SE_DOC].title_en == "Japan–Sweden joint statement"
    assert (tracker.items[RIKEN].place, tracker.items[RIKEN].organizations) == ("Brussels", ["RIKEN", "MEXT"])
    assert [n.text for n in tracker.items[ERC].notes] == ["ERC asked for a second call"]
    assert not any(n.text.startswith("merge conflict") for i in tracker.all() for n in i.notes)
    for clone in (team.a, team.b):
        assert git(clone, "status", "--porcelain") == ""
    assert "From origin/main: 1 new, 1 status changed, 1 edited, 1 removed." in pulled.stdout
    assert "NSF quantum experts visit Japan" in pulled.stdout and "Sent 2 commit(s) to origin/main." in pulled.stdout


@pytest.mark.slow
@pytest.mark.parametrize("first_edit", ["a", "b"])
def test_the_later_of_two_status_changes_wins_whoever_syncs_first(team: Team, in_clone, first_edit: str) -> None:
    early, late = (team.a, team.b) if first_edit == "a" else (team.b, team.a)
    set_status(early, NSF, "done")
    set_status(late, NSF, "dropped")
    assert in_clone(team.a, "sync", "--commit").exit_code == 0
    merged = in_clone(team.b, "sync", "--commit")
    assert merged.exit_code == 0, merged
    assert in_clone(team.a, "sync").exit_code == 0

    assert (team.a / TRACKER).read_bytes() == (team.b / TRACKER).read_bytes()
    nsf = loaded(team.a).items[NSF]
    assert nsf.status == "dropped" and [h.status for h in nsf.history] == ["coordinating", "done", "dropped"]
    side = "theirs" if first_edit == "a" else "ours"
    assert [n.text for n in nsf.notes] == [f'merge conflict on status: other value "done" (from {side})']
    assert f'merge conflict on status: other value "done" (from {side})' in merged.stdout


@pytest.mark.slow
def test_an_item_deleted_in_one_clone_and_edited_in_the_other_is_kept_with_a_note(team: Team, in_clone) -> None:
    with editing(team.a) as tracker:
        tracker.remove(LUND)
    with editing(team.b) as tracker:
        tracker.update(replace(tracker.items[LUND], place="Lund University"))
    assert in_clone(team.a, "sync", "--commit").exit_code == 0
    assert in_clone(team.b, "sync", "--commit").exit_code == 0
    assert in_clone(team.a, "sync").exit_code == 0
    assert (team.a / TRACKER).read_bytes() == (team.b / TRACKER).read_bytes()
    lund = loaded(team.a).items[LUND]
    assert lund.place == "Lund University"
    assert [n.text for n in lund.notes] == ["merge conflict: deleted on theirs, kept with the changes from ours"]


@pytest.mark.slow
def test_sync_commit_describes_the_tracker_changes(team: Team, in_clone) -> None:
    with editing(team.a) as tracker:
        tracker.add(item("ws", kind="event", title="日スウェーデン交流セミナー", date="2019-03", countries=["SE"]))
        tracker.add(item("vis", kind="visit", title="BMBF代表団来日", date="2019-02", countries=["DE"]))
        tracker.update(replace(tracker.items[NSF], status="done"))
    result = in_clone(team.a, "sync", "--commit")
    assert result.exit_code == 0, result
    assert git(team.a, "log", "-1", "--format=%s") == "stidiplo: 2 added, 1 status changed\n"
    assert "Committed: stidiplo: 2 added, 1 status changed" in result.stdout
    assert "Nothing new from origin/main." in result.stdout
    assert git(team.origin, "rev-parse", "main") == git(team.a, "rev-parse", "HEAD")


@pytest.mark.slow
def test_sync_with_nothing_to_do_says_so(team: Team, in_clone) -> None:
    result = in_clone(team.b, "sync")
    assert result.exit_code == 0, result
    assert "Nothing new from origin/main." in result.stdout
    assert "Nothing to send; origin/main is up to date." in result.stdout


@pytest.mark.slow
def test_sync_refuses_uncommitted_changes_it_did_not_make(team: Team, in_clone) -> None:
    (team.a / "README.md").write_text("edited by hand\n", encoding="utf-8")
    set_status(team.a, NSF, "done")
    before = (team.a / TRACKER).read_bytes()
    assert_refused(in_clone(team.a, "sync", "--commit"), "uncommitted changes in README.md")
    assert (team.a / TRACKER).read_bytes() == before
    assert git(team.a, "log", "-1", "--format=%s") == "Start the tracker\n"


@pytest.mark.slow
def test_sync_without_commit_refuses_a_changed_tracker(team: Team, in_clone) -> None:
    set_status(team.a, NSF, "done")
    before = (team.a / TRACKER).read_bytes()
    assert_refused(in_clone(team.a, "sync"), "run stidiplo sync --commit")
    assert (team.a / TRACKER).read_bytes() == before


def test_the_first_sync_of_a_new_repository_pushes_and_sets_the_upstream(isolated: Path, in_clone) -> None:
    origin, repo = isolated / "origin.git", isolated / "repo"
    git(isolated, "init", "-q", "--bare", "-b", "main", str(origin))
    git(isolated, "init", "-q", "-b", "main", str(repo))
    (repo / "data").mkdir()
    write_tracker(repo / TRACKER, fixture_items())
    assert in_clone(repo, "git-setup", "--command", COMMAND).exit_code == 0
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "Merge the tracker with stidiplo")
    git(repo, "remote", "add", "origin", str(origin))
    result = in_clone(repo, "sync", "--commit")
    assert result.exit_code == 0, result
    subjects = git(repo, "log", "--format=%s").splitlines()
    assert subjects == [f"stidiplo: {len(fixture_items())} added", "Merge the tracker with stidiplo"]
    assert "Sent 2 commit(s) to origin/main." in result.stdout
    assert git(repo, "rev-parse", "--abbrev-ref", "main@{upstream}") == "origin/main\n"
    assert git(origin, "rev-parse", "main") == git(repo, "rev-parse", "HEAD")


def test_sync_refuses_a_repository_without_a_remote(isolated: Path, in_clone) -> None:
    alone = isolated / "alone"
    git(isolated, "init", "-q", "-b", "main", str(alone))
    (alone / "data").mkdir()
    write_tracker(alone / TRACKER, fixture_items())
    assert in_clone(alone, "git-setup", "--command", COMMAND).exit_code == 0
    git(alone, "add", "-A")
    git(alone, "commit", "-q", "-m", "tracker")
    assert_refused(in_clone(alone, "sync"), "no remote to sync with")


@pytest.mark.slow
def test_sync_refuses_a_clone_that_is_not_set_up(team: Team, isolated: Path, in_clone) -> None:
    c = isolated / "c"
    git(isolated, "clone", "-q", str(team.origin), str(c))
    assert_refused(in_clone(c, "sync"), "run stidiplo git-setup first")


@pytest.mark.parametrize("command", ["sync", "git-setup"])
def test_sharing_refuses_a_tracker_outside_a_repository(db: Path, run, command: str) -> None:
    before = db.read_bytes()
    assert_refused(run(command), "is not in a git repository")
    assert db.read_bytes() == before


# -- set-up -----------------------------------------------------------------------------------


def test_git_setup_is_idempotent_and_keeps_an_existing_gitattributes(isolated: Path, in_clone) -> None:
    repo = isolated / "repo"
    git(isolated, "init", "-q", "-b", "main", str(repo))
    (repo / "data").mkdir()
    write_tracker(repo / TRACKER, fixture_items())
    (repo / ".gitattributes").write_text("*.xlsx binary", encoding="utf-8")
    first = in_clone(repo, "git-setup", "--command", COMMAND)
    assert first.exit_code == 0, first
    assert first.stdout.splitlines()[:2] == [
        f"registered the merge driver in .git/config: {COMMAND} merge-driver %O %A %B",
        "added to .gitattributes: data/db.json merge=stidiplo",
    ]
    config = (repo / ".git" / "config").read_bytes()
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == "*.xlsx binary\ndata/db.json merge=stidiplo\n"
    again = in_clone(repo, "git-setup", "--command", COMMAND)
    assert again.stdout == "already set up; nothing changed\n"
    assert (repo / ".git" / "config").read_bytes() == config
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == "*.xlsx binary\ndata/db.json merge=stidiplo\n"
    assert git(repo, "config", "merge.stidiplo.driver") == f"{COMMAND} merge-driver %O %A %B\n"
    assert git(repo, "check-attr", "merge", "--", "data/db.json") == "data/db.json: merge: stidiplo\n"


def test_git_setup_matches_a_tracker_path_with_spaces_and_brackets(isolated: Path, run, monkeypatch) -> None:
    repo = isolated / "repo"
    git(isolated, "init", "-q", "-b", "main", str(repo))
    (repo / "team data").mkdir()
    path = write_tracker(repo / "team data" / "db [2019].json", fixture_items())
    monkeypatch.chdir(repo)
    result = run("--db", str(path), "git-setup", "--command", COMMAND)
    assert result.exit_code == 0, result
    assert "merge: stidiplo" in git(repo, "check-attr", "merge", "--", "team data/db [2019].json")
    repository = Repository.holding(Location(path, "--db option"))
    assert repository.tracker_changed() and repository.other_changes() == []
    assert repository.commit_tracker() == f"stidiplo: {len(fixture_items())} added"
    assert not repository.tracker_changed()
    assert git(repo, "show", "--name-only", "--format=", "HEAD") == "team data/db [2019].json\n"


def test_the_default_driver_command_is_this_python_even_with_stidiplo_on_path(isolated: Path, monkeypatch) -> None:
    tools = isolated / "bin"
    tools.mkdir()
    script = tools / "stidiplo"
    script.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    assert default_command() == f"{shlex.quote(sys.executable)} -m stidiplo"


def test_git_setup_registers_the_running_python_by_its_absolute_path(isolated: Path, in_clone, monkeypatch) -> None:
    clone = isolated / "clone"
    git(isolated, "init", "-q", str(clone))
    (clone / "data").mkdir()
    write_tracker(clone / TRACKER, fixture_items())
    git_folder = Path(shutil.which("git") or "git").parent
    monkeypatch.setenv("PATH", str(git_folder))  # git, and no virtual environment
    done = in_clone(clone, "git-setup")
    assert done.exit_code == 0, done
    driver = git(clone, "config", "merge.stidiplo.driver").strip()
    assert driver == f"{shlex.quote(sys.executable)} -m stidiplo merge-driver %O %A %B"
    assert Path(sys.executable).is_absolute()


# -- the merge driver as git calls it ---------------------------------------------------------


@pytest.fixture
def versions(isolated: Path) -> tuple[Path, Path, Path]:
    base = write_tracker(isolated / "base.json", fixture_items())
    items = {i.id: i for i in fixture_items()}
    ours = write_tracker(
        isolated / "ours.json",
        [*items.values(), item("mine", kind="visit", title="来訪", date="2019-01", countries=["SE"])],
    )
    items[ERC] = replace(items[ERC], place="Brussels", updated="2019-05-02T00:00:00Z")
    theirs = write_tracker(isolated / "theirs.json", list(items.values()))
    return base, ours, theirs


def test_the_merge_driver_writes_the_merge_into_ours(versions, run) -> None:
    base, ours, theirs = versions
    result = run("merge-driver", str(base), str(ours), str(theirs))
    assert result.exit_code == 0, result
    merged = load(Store(ours))
    assert merged.items[ERC].place == "Brussels" and fixed_id("mine") in merged.items
    assert ours.read_bytes() == serialize(
        {
            "items": {i: merged.items[i].to_record() for i in merged.items},
            "meta": {"stidiplo": {"as_of": "2019-04", "schema_version": SCHEMA_VERSION}},
        }
    )


def test_the_merge_driver_takes_an_empty_base_as_no_common_ancestor(versions, run) -> None:
    base, ours, theirs = versions
    base.write_bytes(b"")
    assert run("merge-driver", str(base), str(ours), str(theirs)).exit_code == 0
    assert load(Store(ours)).items[ERC].place == "Brussels"


def test_the_merge_driver_leaves_ours_untouched_when_a_version_does_not_parse(versions, run) -> None:
    base, ours, theirs = versions
    theirs.write_text('{"items": {', encoding="utf-8")
    before = ours.read_bytes()
    assert_refused(run("merge-driver", str(base), str(ours), str(theirs)), "not valid JSON")
    assert ours.read_bytes() == before


@pytest.mark.slow
def test_the_summary_speaks_japanese_too(team: Team, in_clone) -> None:
    result = in_clone(team.b, "--lang", "ja", "sync")
    assert result.exit_code == 0, result
    assert result.stdout.splitlines() == [
        "origin/main からの新しい変更はありません。",
        "送信するものはありません（origin/main は最新です）。",
    ]


@pytest.mark.parametrize("command", ["git-setup", "sync", "merge-driver"])
def test_every_sharing_command_has_help_with_an_example(run, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"Example: stidiplo {command}" in result.stdout


@pytest.mark.slow
def test_a_version_the_driver_cannot_read_stops_the_pull_with_ours_in_place(team: Team, in_clone) -> None:
    newer = (team.a / TRACKER).read_text(encoding="utf-8")
    newer = newer.replace(f'"schema_version": {SCHEMA_VERSION}', f'"schema_version": {SCHEMA_VERSION + 1}')
    (team.a / TRACKER).write_text(newer, encoding="utf-8")
    git(team.a, "commit", "-q", "-am", "Written by a newer stidiplo")
    git(team.a, "push", "-q")
    set_status(team.b, NSF, "done")
    ours = (team.b / TRACKER).read_bytes()
    assert_refused(in_clone(team.b, "sync", "--commit"), "the pull stopped with a conflict in data/db.json")
    assert (team.b / TRACKER).read_bytes() == ours
    assert_refused(in_clone(team.b, "sync"), "a merge is in progress")
    git(team.b, "merge", "--abort")
    assert (team.b / TRACKER).read_bytes() == ours


def test_the_merge_driver_brings_an_older_schema_up_to_date_first(versions, run) -> None:
    base, ours, theirs = versions
    for path in (base, ours):
        data = orjson.loads(path.read_bytes())
        data["meta"]["stidiplo"]["schema_version"] = 0
        for record in data["items"].values():
            del record["history"], record["related"]
        path.write_bytes(serialize(data))
    result = run("merge-driver", str(base), str(ours), str(theirs))
    assert result.exit_code == 0, result
    merged = orjson.loads(ours.read_bytes())
    assert merged["meta"]["stidiplo"]["schema_version"] == SCHEMA_VERSION
    assert merged["items"][fixed_id("mine")]["history"] == [{"at": STAMP, "status": "done"}]
    assert merged["items"][ERC]["place"] == "Brussels"


@pytest.mark.slow
def test_a_clone_without_the_driver_is_told_how_to_resolve_and_undo_keeps_its_edit(team: Team, in_clone) -> None:
    git(team.b, "config", "--remove-section", "merge.stidiplo")  # as a clone that never ran git-setup
    assert in_clone(team.a, "note", NSF[:6], "from a").exit_code == 0
    assert in_clone(team.a, "sync", "--commit").exit_code == 0
    assert in_clone(team.b, "note", NSF[:6], "from b").exit_code == 0
    git(team.b, "commit", "-q", "-am", "A note from b")
    pulled = subprocess.run(["git", "pull", "-q", "--no-rebase"], cwd=team.b, capture_output=True, text=True)
    assert pulled.returncode != 0 and b"<<<<<<< " in (team.b / TRACKER).read_bytes()
    conflicted = (team.b / TRACKER).read_bytes()
    listing = in_clone(team.b, "list")
    assert_refused(listing, "holds git conflict markers")
    assert "no stidiplo merge driver" in listing.stderr and "not valid JSON" not in listing.stderr
    resolve = listing.stderr.split("with: ", 1)[1].strip()
    assert resolve.startswith("stidiplo git-setup && git checkout --merge -- ")
    assert_refused(in_clone(team.b, "undo"), "holds git conflict markers")
    assert (team.b / TRACKER).read_bytes() == conflicted
    assert in_clone(team.b, "git-setup", "--command", COMMAND).exit_code == 0
    path = resolve.split("git checkout --merge -- ", 1)[1].split(" && ", 1)[0]
    git(team.b, "checkout", "--merge", "--", path)
    notes = [note.text for note in loaded(team.b).items[NSF].notes]
    assert "from a" in notes and "from b" in notes
