"""The trackers stidiplo is compared with, loaded with the same synthetic items in their own formats.

- taskwarrior (`task`, a C++ program; Debian package `taskwarrior`): one task per item, the first
  country as project, kind and fields as tags, notes as annotations.
- Watson (`pip install td-watson`, in the `bench` extra): one frame per item, an hour from the
  item's date, the first country as project, kind and fields as tags.
- jrnl (`pip install jrnl`, in the `bench` extra): a plain journal, one entry per item at its
  date, tagged with the first country (`@SE`) and its fields, its notes as the body.

Each data file is written directly in the tracker's own format, which takes seconds where their
import commands take minutes (`task import` of 100,000 tasks: 13 minutes). Watson and jrnl read
plain files (a JSON list of frames, a text journal); taskwarrior's files are checked line for line
against what `task import` writes for a sample of the same tasks before they are trusted. Every
tracker keeps its data and configuration in the benchmark's temporary folder, never the user's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

PROJECT = "SE"
LIMIT = 50
TASK_SAMPLE = 300
"""How many tasks go through `task import` to prove the directly written files equal its own."""

Records = dict[str, dict]
Run = Callable[[Sequence[str], dict[str, str]], str]
"""Runs a command (untimed) in an environment and returns what it printed."""


def executable(name: str) -> str | None:
    """The program beside the benchmark's interpreter (`pip install '.[bench]'`), else on PATH."""
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


def version_of(argv: Sequence[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True)
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "unknown"


def _epoch(stamp: str) -> int:
    """A stored stamp or partial date (2019, FY2019, 2019-04, 2019-04-30, …T09:15:00Z) as Unix time."""
    if "T" in stamp:
        return int(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())
    parts = [int(part) for part in stamp.removeprefix("FY").split("-")]
    year, month, day = (parts + [1, 1])[:3]
    if stamp.startswith("FY"):
        month = 4
    return int(datetime(year, month, day, tzinfo=UTC).timestamp())


def _tags(record: dict) -> list[str]:
    return [record["kind"].replace("-", ""), *(field.replace("-", "") for field in record["fields"])]


# -- taskwarrior --------------------------------------------------------------------------------


def task_uuid(item_id: str) -> str:
    return f"{item_id[:8]}-{item_id[8:12]}-{item_id[12:16]}-{item_id[16:20]}-{item_id[20:]}"


def task_records(records: Records) -> list[dict]:
    """The items as taskwarrior tasks, in the form of `task import` (times as Unix seconds)."""
    tasks = []
    for item_id, record in records.items():
        closed = record["status"] in ("done", "dropped")
        task: dict = {
            "uuid": task_uuid(item_id),
            "description": record["title_en"] or record["title"],
            "status": ("completed" if record["status"] == "done" else "deleted") if closed else "pending",
            "entry": _epoch(record["created"]),
            "modified": _epoch(record["updated"]),
            "project": record["countries"][0],
            "tags": sorted(_tags(record)),
            "annotations": [{"entry": _epoch(note["at"]), "description": note["text"]} for note in record["notes"]],
        }
        task["end" if closed else "due"] = _epoch(record["updated"] if closed else record["date"])
        tasks.append(task)
    return tasks


def _import_form(task: dict) -> dict:
    """A task as `task import` reads it: times in ISO basic form."""

    def iso(seconds: int) -> str:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y%m%dT%H%M%SZ")

    out = {key: iso(value) if isinstance(value, int) else value for key, value in task.items()}
    out["annotations"] = [
        {"entry": iso(note["entry"]), "description": note["description"]} for note in task["annotations"]
    ]
    return out


def _f4_value(text: str) -> str:
    """A value as taskwarrior 2 stores it: JSON-escaped, then its brackets spelled out."""
    escaped = json.dumps(text, ensure_ascii=False)[1:-1].replace("/", "\\/")
    return escaped.replace("[", "&open;").replace("]", "&close;")


def task_line(task: dict) -> str:
    """One task as a line of taskwarrior 2's pending.data or completed.data (format FF4)."""
    fields = {key: str(value) for key, value in task.items() if key not in ("tags", "annotations")}
    for note in task["annotations"]:
        fields[f"annotation_{note['entry']}"] = note["description"]
    if task["tags"]:
        fields["tags"] = ",".join(task["tags"])
        fields.update({f"tags_{tag}": "x" for tag in task["tags"]})
    return "[" + " ".join(f'{key}:"{_f4_value(value)}"' for key, value in sorted(fields.items())) + "]\n"


class Taskwarrior:
    """A throwaway taskwarrior database: its own data folder and rc file, nothing asked or printed."""

    name = "taskwarrior"

    def __init__(self, folder: Path, base_env: dict[str, str]) -> None:
        self.program = executable("task")
        self.folder = folder
        self.data = folder / "data"
        self.rc = folder / "taskrc"
        folder.mkdir(parents=True, exist_ok=True)
        self.rc.write_text(
            f"data.location={self.data}\nconfirmation=off\nverbose=nothing\nhooks=off\nrecurrence=off\n"
            "news.version=9.9.9\ngc=on\n",
            encoding="utf-8",
        )
        self.env = {**base_env, "TASKRC": str(self.rc), "TASKDATA": str(self.data)}
        self.note = ""

    def version(self) -> str | None:
        return version_of([self.program, "--version"]) if self.program else None

    def reset(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)
        self.data.mkdir(parents=True)

    def argv(self, *args: str) -> list[str]:
        return [self.program or "task", "rc.confirmation=off", "rc.verbose=nothing", *args]

    def write_import_file(self, path: Path, records: Records) -> None:
        rows = [_import_form(task) for task in task_records(records)]
        path.write_text(json.dumps(rows, ensure_ascii=False) + "\n", encoding="utf-8")

    def _written_by_import(self, tasks: list[dict], run: Run) -> dict[str, set[str]]:
        self.reset()
        sample = self.folder / "sample.json"
        sample.write_text(json.dumps([_import_form(task) for task in tasks], ensure_ascii=False), encoding="utf-8")
        run(self.argv("import", str(sample)), self.env)
        run(self.argv("list"), self.env)  # lets the garbage collector move closed tasks, as every report does
        return {name: set(self._lines(name)) for name in ("pending.data", "completed.data")}

    def _lines(self, name: str) -> list[str]:
        path = self.data / name
        return path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []

    def load(self, records: Records, run: Run) -> None:
        """Write the tasks directly if that gives what `task import` writes for a sample, else import them."""
        tasks = task_records(records)
        imported = self._written_by_import(tasks[:TASK_SAMPLE], run)
        direct = {"pending.data": set(), "completed.data": set()}
        for task in tasks[:TASK_SAMPLE]:
            direct["pending.data" if task["status"] == "pending" else "completed.data"].add(task_line(task))
        self.reset()
        if imported == direct:
            for name, wanted in (("pending.data", True), ("completed.data", False)):
                lines = [task_line(task) for task in tasks if (task["status"] == "pending") == wanted]
                (self.data / name).write_text("".join(lines), encoding="utf-8")
            self.note = f"data files written directly (equal to `task import`'s on {TASK_SAMPLE} tasks)"
        else:
            load = self.folder / "import.json"
            self.write_import_file(load, records)
            run(self.argv("import", str(load)), self.env)
            self.note = "loaded with `task import` (its files differ from the direct writer's)"

    def commands(self, records: Records) -> dict[str, list[str]]:
        """Taskwarrior's equivalents of stidiplo's commands, by label."""
        ids = sorted(records)
        return {
            "list": self.argv(f"project:{PROJECT}", f"limit:{LIMIT}", "list"),
            "json": self.argv("export"),
            "show": self.argv(task_uuid(ids[len(ids) // 2]), "info"),
            "add": self.argv(
                "add",
                "Japan–Sweden quantum technology workshop",
                f"project:{PROJECT}",
                "+event",
                "+quantum",
                "due:2019-05-20",
            ),
        }


# -- Watson -------------------------------------------------------------------------------------


class Watson:
    """A Watson folder (WATSON_DIR) holding one frame per item."""

    name = "Watson"

    def __init__(self, folder: Path, base_env: dict[str, str]) -> None:
        self.program = executable("watson")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.env = {**base_env, "WATSON_DIR": str(folder)}
        self.window: tuple[str, str] = ("", "")
        self.note = "frames file written directly (a JSON list, as Watson writes it)"

    def version(self) -> str | None:
        return version_of([self.program, "--version"]).rsplit(" ", 1)[-1] if self.program else None

    def load(self, records: Records, run: Run) -> None:
        """Write the frames: [start, stop, project, id, tags, updated], an hour each, in time order."""
        frames = sorted(
            [
                _epoch(r["date"]) + 9 * 3600,
                _epoch(r["date"]) + 10 * 3600,
                r["countries"][0],
                item_id,
                _tags(r),
                _epoch(r["updated"]),
            ]
            for item_id, r in records.items()
        )
        (self.folder / "frames").write_text(json.dumps(frames, indent=1, ensure_ascii=False), encoding="utf-8")
        # Watson cannot limit a log to a count of frames, only to days: the window from the first of
        # the country's frames to the day of its 50th holds the same 50 (a few more when several share
        # that day) that `list --limit 50` prints, and Watson still loads, parses and filters every frame.
        starts = [frame[0] for frame in frames if frame[2] == PROJECT]
        last = starts[min(LIMIT, len(starts)) - 1]
        day = "%Y-%m-%d"
        self.window = (
            datetime.fromtimestamp(starts[0], UTC).strftime(day),
            datetime.fromtimestamp(last, UTC).strftime(day),
        )

    def commands(self, records: Records) -> dict[str, list[str]]:
        start, end = self.window
        return {
            "list": [self.program or "watson", "log", "--no-pager", "--project", PROJECT, "--from", start, "--to", end],
        }


# -- jrnl ---------------------------------------------------------------------------------------


class Jrnl:
    """A plain jrnl journal, with its own configuration file (`--config-file`), one entry per item."""

    name = "jrnl"

    def __init__(self, folder: Path, base_env: dict[str, str]) -> None:
        self.program = executable("jrnl")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.config = folder / "jrnl.yaml"
        self.journal = folder / "journal.txt"
        self.env = dict(base_env)
        self.note = "journal written directly (jrnl's plain-text format)"

    def version(self) -> str | None:
        return version_of([self.program, "--version"]).removeprefix("jrnl ").lstrip("v") if self.program else None

    def load(self, records: Records, run: Run) -> None:
        """The default configuration but for the journal's path, then the entries in date order."""
        self.config.write_text(
            "colors: {body: none, date: none, tags: none, title: none}\ndefault_hour: 9\ndefault_minute: 0\n"
            "editor: ''\nencrypt: false\nhighlight: true\nindent_character: '|'\n"
            f"journals:\n  default:\n    journal: {json.dumps(str(self.journal))}\n"
            f"linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%F %r'\nversion: '{self.version()}'\n",
            encoding="utf-8",
        )
        entries = []
        for record in records.values():
            when = datetime.fromtimestamp(_epoch(record["date"]) + 9 * 3600, UTC).strftime("%Y-%m-%d %I:%M:%S %p")
            tags = " ".join(f"@{tag}" for tag in [record["countries"][0], *_tags(record)])
            body = "".join(f"{note['text']}\n" for note in record["notes"])
            entries.append(f"[{when}] {record['title_en'] or record['title']} {tags}\n{body}\n")
        entries.sort()
        self.journal.write_text("".join(entries), encoding="utf-8")

    def commands(self, records: Records) -> dict[str, list[str]]:
        # `-n 50 @SE`: the last 50 entries tagged with the country, after jrnl has read and parsed
        # the whole journal: the same work and the same count as `list --country sweden --limit 50`.
        return {"list": [self.program or "jrnl", "--config-file", str(self.config), "-n", str(LIMIT), f"@{PROJECT}"]}


RIVALS = (Taskwarrior, Watson, Jrnl)
