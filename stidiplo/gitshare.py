"""Sharing a tracker through git: the repository that holds it, the merge driver, and sync.

git runs as a subprocess with a list of arguments (never a shell); its failures become StidiploErrors
that quote git's own explanation in one line.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from stidiplo.errors import StidiploError, StoreError
from stidiplo.files import write_atomic
from stidiplo.merge import Changes, Conflict, changes, merge
from stidiplo.model import in_lang
from stidiplo.paths import Location
from stidiplo.schema import ITEMS
from stidiplo.store.fileformat import migrate, parse, serialize

DRIVER = "stidiplo"
DRIVER_NAME = "stidiplo tracker: merge item by item"
ATTRIBUTES = ".gitattributes"
MAX_LISTED = 30
"""Items named one per line in a commit message body, at most."""


def default_command() -> str:
    """How git should start stidiplo: this very Python, by its absolute path, with -m stidiplo.

    So the driver works whatever PATH git runs with (a virtual environment not activated, a GUI
    client), and merges with the stidiplo that set it up, not another one found first on PATH.
    """
    return f"{shlex.quote(sys.executable)} -m stidiplo"


def driver_command(command: str) -> str:
    """The merge driver line git runs: %O, %A and %B are the base, ours (the result) and theirs."""
    return f"{command} merge-driver %O %A %B"


def attributes_pattern(path: str) -> str:
    """A .gitattributes pattern that matches exactly this path from the repository root."""
    pattern = re.sub(r"([\\*?\[])", r"\\\1", path)
    if "/" not in pattern:
        pattern = "/" + pattern
    if re.search(r'[\s"]', pattern):
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return pattern


def _explanation(done: subprocess.CompletedProcess[str]) -> str:
    """git's own reason for a failure: its fatal/error line, else its last line."""
    lines = [line.strip() for line in (done.stderr + "\n" + done.stdout).splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:", "CONFLICT")):
            return line
    return lines[-1] if lines else f"exit status {done.returncode}"


def merge_files(base: Path, ours: Path, theirs: Path) -> list[Conflict]:
    """The merge driver: merge three versions of the tracker file into `ours`, or leave it untouched and raise.

    A version written by an older stidiplo is brought to the current schema first, so all three compare alike.
    """
    raw = {path: _read_bytes(path) for path in (base, ours, theirs)}

    def read(path: Path) -> dict:
        return migrate(parse(raw[path], path), path)

    merged = merge(read(base) if raw[base].strip() else None, read(ours), read(theirs))
    write_atomic(ours, serialize(merged.data), what="the merged tracker")
    return merged.conflicts


def _read_bytes(path: Path) -> bytes:
    """A version of the tracker file as it is on disk; StoreError naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as err:
        raise StoreError(f"{path}: cannot read: {err.strerror}") from None


def _title(record: dict) -> str:
    return in_lang("en", record.get("title"), record.get("title_en")) or ""


def commit_message(before: dict, after: dict) -> str:
    """'stidiplo: 2 added, 1 status changed', then one line per item changed."""
    diff = changes(before, after)
    old, new = before.get(ITEMS, {}), after.get(ITEMS, {})
    counts = [
        (len(diff.added), "added", "added"),
        (len(diff.removed), "removed", "removed"),
        (len(diff.statuses), "status changed", "statuses changed"),
        (len(diff.edited), "edited", "edited"),
    ]
    subject = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n) or "tracker updated"
    lines = [f"added    {i[:8]}  {_title(new[i])}" for i in diff.added]
    lines += [f"removed  {i[:8]}  {_title(old[i])}" for i in diff.removed]
    lines += [f"status   {i[:8]}  {was} -> {now}  {_title(new[i])}" for i, was, now in diff.statuses]
    lines += [f"edited   {i[:8]}  {_title(new[i])}" for i in diff.edited]
    if len(lines) > MAX_LISTED:
        lines = [*lines[:MAX_LISTED], f"... and {len(lines) - MAX_LISTED} more"]
    return "\n".join([f"stidiplo: {subject}", "", *lines]) if lines else f"stidiplo: {subject}"


@dataclass(frozen=True, slots=True)
class Setup:
    """What `git-setup` did: each part is False when it was already in place."""

    driver: str
    config_changed: bool
    attributes_line: str
    attributes_changed: bool


@dataclass(frozen=True, slots=True)
class Upstream:
    """Where sync pulls from and pushes to; `tracked` is False until the branch has an upstream set."""

    remote: str
    branch: str
    tracked: bool

    def __str__(self) -> str:
        return f"{self.remote}/{self.branch}"


@dataclass(frozen=True, slots=True)
class SyncReport:
    upstream: Upstream
    committed: str | None
    """The subject of the commit made for the tracker's own changes, if any."""
    pulled: bool
    """Whether anything came in."""
    changes: Changes
    """What came in, item by item."""
    pushed: int
    """Commits sent to the remote."""


class Repository:
    """The git repository that holds the tracker file; `tracker_path` is the file's path from the root,
    as git names it, and `pathspec` names that file alone even if its name looks like a glob."""

    def __init__(self, root: Path, tracker: Path) -> None:
        self.root = root
        self.tracker = tracker
        try:
            self.tracker_path = tracker.resolve().relative_to(root).as_posix()
            self.pathspec = f":(literal){self.tracker_path}"
        except ValueError:
            raise StidiploError(f"the tracker {tracker} links to a file outside the repository {root}") from None

    @classmethod
    def holding(cls, location: Location) -> Repository:
        """The repository the tracker file is in; refuse with one line when there is none."""
        tracker = location.path
        if not tracker.is_file():
            raise StidiploError(
                f"no tracker file at {tracker} (chosen by: {location.rule}); "
                "create one with `stidiplo init data/db.json` in your repository"
            )
        done = _git(["rev-parse", "--show-toplevel"], tracker.resolve().parent, check=False)
        if done.returncode != 0 or not done.stdout.strip():
            raise StidiploError(
                f"the tracker {tracker} (chosen by: {location.rule}) is not in a git repository; "
                "run git init there, or clone your team's repository"
            )
        return cls(Path(done.stdout.strip()).resolve(), tracker)

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _git(list(args), self.root, check=check)

    def _config(self, key: str) -> str | None:
        done = self.git("config", "--local", "--get", key, check=False)
        if done.returncode not in (0, 1):
            raise StidiploError(f"git config {key} failed: {_explanation(done)}")
        return done.stdout.rstrip("\n") if done.returncode == 0 else None

    # -- set-up -------------------------------------------------------------------------------

    def setup(self, command: str) -> Setup:
        """Register the merge driver in .git/config and the tracker's line in .gitattributes, once."""
        driver = driver_command(command)
        config_changed = False
        for key, value in ((f"merge.{DRIVER}.name", DRIVER_NAME), (f"merge.{DRIVER}.driver", driver)):
            if self._config(key) != value:
                self.git("config", "--local", key, value)
                config_changed = True
        line = f"{attributes_pattern(self.tracker_path)} merge={DRIVER}"
        attributes = self.root / ATTRIBUTES
        try:
            existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
            attributes_changed = line not in (kept.strip() for kept in existing.splitlines())
            if attributes_changed:
                lead = "\n" if existing and not existing.endswith("\n") else ""
                write_atomic(attributes, f"{existing}{lead}{line}\n".encode())
        except OSError as err:
            raise StidiploError(f"cannot update {attributes}: {err.strerror}") from None
        except UnicodeDecodeError:
            raise StidiploError(f"{attributes} is not UTF-8 text; add this line yourself: {line}") from None
        merged_by = self._merge_attribute()
        if merged_by != DRIVER:
            raise StidiploError(
                f"another .gitattributes rule sets merge={merged_by} for {self.tracker_path}; "
                f"remove it so that '{line}' applies"
            )
        return Setup(driver, config_changed, line, attributes_changed)

    def _merge_attribute(self) -> str:
        """The merge driver git will use for the tracker file ('unspecified' when none is set)."""
        fields = self.git("check-attr", "-z", "merge", "--", self.tracker_path).stdout.split("\0")
        return fields[2] if len(fields) > 2 else "unspecified"

    def is_set_up(self) -> bool:
        """Whether a pull in this clone merges the tracker with the driver."""
        return self._config(f"merge.{DRIVER}.driver") is not None and self._merge_attribute() == DRIVER

    # -- state --------------------------------------------------------------------------------

    def _changed_paths(self, *pathspec: str, untracked: str = "no") -> list[str]:
        out = self.git("status", "--porcelain=v1", "-z", f"--untracked-files={untracked}", "--", *pathspec).stdout
        entries = out.split("\0")
        paths, at = [], 0
        while at < len(entries):
            entry = entries[at]
            if len(entry) > 3:
                paths.append(entry[3:])
            at += 2 if entry[:1] in ("R", "C") else 1
        return paths

    def other_changes(self) -> list[str]:
        """Tracked files other than the tracker with uncommitted changes (staged or not)."""
        return [path for path in self._changed_paths() if path != self.tracker_path]

    def tracker_changed(self) -> bool:
        """Whether the tracker differs from the last commit (or was never committed)."""
        return bool(self._changed_paths(self.pathspec, untracked="all"))

    def _commit(self, ref: str) -> str | None:
        """The commit `ref` names (HEAD, MERGE_HEAD, a remote branch), or None when it names none."""
        done = self.git("rev-parse", "-q", "--verify", ref, check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    def committed_data(self) -> dict:
        """The tracker as the last commit holds it ({} before its first commit)."""
        done = self.git("show", f"HEAD:{self.tracker_path}", check=False)
        if done.returncode != 0:
            return {}
        return parse(done.stdout.encode("utf-8"), Path(f"HEAD:{self.tracker_path}"))

    def data(self) -> dict:
        """The tracker as the working tree holds it."""
        return parse(_read_bytes(self.tracker), self.tracker)

    def upstream(self) -> Upstream:
        """The branch's upstream, else its namesake on the only remote (or on origin)."""
        done = self.git("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        if done.returncode != 0:
            raise StidiploError("HEAD is not on a branch; switch to your branch (git switch main) to sync")
        branch = done.stdout.strip()
        remote, merge_ref = self._config(f"branch.{branch}.remote"), self._config(f"branch.{branch}.merge")
        if remote and merge_ref:
            return Upstream(remote, merge_ref.removeprefix("refs/heads/"), True)
        remotes = self.git("remote").stdout.split()
        if not remotes:
            raise StidiploError("no remote to sync with; add your team's repository: git remote add origin URL")
        if len(remotes) > 1 and "origin" not in remotes:
            raise StidiploError(
                f"several remotes ({', '.join(remotes)}) and no upstream for {branch}; choose one: "
                f"git branch --set-upstream-to={remotes[0]}/{branch}"
            )
        return Upstream("origin" if "origin" in remotes else remotes[0], branch, False)

    # -- sync ---------------------------------------------------------------------------------

    def commit_tracker(self) -> str:
        """Commit the tracker file alone, with a message saying what changed; return the subject."""
        message = commit_message(self.committed_data(), self.data())
        self.git("add", "--", self.pathspec)
        self.git("commit", "--quiet", "-m", message, "--", self.pathspec)
        return message.splitlines()[0]

    def _remote_has(self, upstream: Upstream) -> bool:
        done = self.git(
            "ls-remote", "--exit-code", "--heads", upstream.remote, f"refs/heads/{upstream.branch}", check=False
        )
        if done.returncode not in (0, 2):
            raise StidiploError(f"cannot reach {upstream.remote}: {_explanation(done)}")
        return done.returncode == 0

    def pull(self, upstream: Upstream) -> bool:
        """Merge the remote branch in (the tracker through the merge driver); return whether anything came in."""
        if not self._remote_has(upstream):
            return False
        head = self._commit("HEAD")
        done = self.git("pull", "--no-rebase", "--ff", "--no-edit", upstream.remote, upstream.branch, check=False)
        if done.returncode != 0:
            if self._commit("MERGE_HEAD") is not None:
                stuck = (
                    ", ".join(filter(None, self.git("diff", "--name-only", "-z", "--diff-filter=U").stdout.split("\0")))
                    or "?"
                )
                raise StidiploError(
                    f"the pull stopped with a conflict in {stuck}; resolve it and commit, "
                    "or undo it with git merge --abort"
                )
            raise StidiploError(f"git pull failed: {_explanation(done)}")
        return self._commit("HEAD") != head

    def push(self, upstream: Upstream) -> int:
        """Send the commits the remote lacks; return how many."""
        known = f"refs/remotes/{upstream.remote}/{upstream.branch}"
        has_known = self._commit(known) is not None
        ahead = int(self.git("rev-list", "--count", f"{known}..HEAD" if has_known else "HEAD").stdout.strip())
        if ahead == 0:
            return 0
        local = self.git("symbolic-ref", "--short", "HEAD").stdout.strip()
        track = () if upstream.tracked else ("--set-upstream",)
        done = self.git(
            "push", "--quiet", *track, upstream.remote, f"{local}:refs/heads/{upstream.branch}", check=False
        )
        if done.returncode != 0:
            raise StidiploError(f"git push failed: {_explanation(done)}; run stidiplo sync again")
        return ahead

    def sync(self, *, commit: bool) -> SyncReport:
        """Commit the tracker (when asked), pull with the merge driver, push, and say what came in."""
        if self._commit("MERGE_HEAD") is not None:
            raise StidiploError("a merge is in progress; finish it (git commit) or abort it (git merge --abort) first")
        if not self.is_set_up():
            raise StidiploError("this clone does not merge the tracker with stidiplo yet; run stidiplo git-setup first")
        upstream = self.upstream()
        others = self.other_changes()
        if others:
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            raise StidiploError(
                f"uncommitted changes in {', '.join(others[:3])}{more}; commit or stash them "
                "first (sync commits only the tracker file)"
            )
        committed = None
        if self.tracker_changed():
            if not commit:
                raise StidiploError(
                    f"the tracker {self.tracker_path} has uncommitted changes; "
                    "run stidiplo sync --commit to commit them first"
                )
            committed = self.commit_tracker()
        before = self.data()
        pulled = self.pull(upstream)
        after = self.data()
        pushed = self.push(upstream)
        return SyncReport(upstream, committed, pulled, changes(before, after), pushed)


def _git(args: list[str], cwd: Path, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in `cwd`; with `check`, turn a failure into a StidiploError quoting git's reason."""
    env = {**os.environ, "GIT_MERGE_AUTOEDIT": "no"}
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except FileNotFoundError:
        raise StidiploError("git is not installed (or not on PATH); sharing a tracker needs it") from None
    if check and done.returncode != 0:
        raise StidiploError(f"git {args[0]} failed: {_explanation(done)}")
    return done
