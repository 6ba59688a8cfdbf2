"""Benchmark stidiplo as whole processes on synthetic trackers of 1,000, 10,000 and 100,000 items.

Usage (from a checkout, after `pip install .`):

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 5] [--output benchmarks/results.md]

Every command is run as a separate process: once to warm the caches (its exit status checked),
then `--runs` times; the table shows the median wall time and the largest peak resident memory
of those runs. Where taskwarrior (`task`) is installed, the same items are loaded into it with
`task import` and its equivalent reports are timed beside stidiplo's in the same run. The
targets are printed with PASS or FAIL, and everything is written to a Markdown file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import synthetic

HERE = Path(__file__).resolve().parent
SIZES = (1_000, 10_000, 100_000)
IMPORT_SIZE = 10_000
COUNTRY, PROJECT = "sweden", "SE"
SINCE = "2019-01"
TASK_MAX_DEFAULT = 10_000
"""`task import` slows down with every task already loaded (100,000 took 13 minutes on a 2-core machine)."""

STARTUP_BUDGET = 7.0
FLOOR_CODE = "import typer, rich.console, rich.table"
FLOOR = f'python -c "{FLOOR_CODE}"'
"""What any Rich table behind a Typer command imports before it does anything."""
LIMITS = {"list": 1.0, "add": 1.0, "show": 1.0}
IMPORT_LIMIT = 3.0
MEMORY_FACTOR = 10.0


class BenchError(Exception):
    """A benchmarked command failed; its output says why."""


@dataclass(frozen=True)
class Measure:
    """The median wall time (s) and the largest peak resident memory (bytes) over the timed runs."""

    seconds: float
    peak: int


class Runner:
    """Runs commands in one temporary folder, with one environment, `runs` times each after a warm-up.

    The commands are started by the launcher (see launcher.py), a process started before any
    item is generated, so that each one's peak memory is its own.
    """

    def __init__(self, work: Path, runs: int) -> None:
        self.work = work
        self.runs = runs
        self.log = work / "stderr.log"
        home = work / "home"
        home.mkdir(exist_ok=True)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("STIDIPLO_", "TASK")) and key != "PYTHONDONTWRITEBYTECODE"
        }
        self.env.update(
            HOME=str(home),
            XDG_DATA_HOME=str(home / "share"),
            STIDIPLO_LANG="en",
            STIDIPLO_TODAY="2019-04-30",
            COLUMNS="120",
            TERM="dumb",
        )
        self.launcher = subprocess.Popen(
            [sys.executable, str(HERE / "launcher.py")],
            cwd=work,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def close(self) -> None:
        assert self.launcher.stdin is not None
        self.launcher.stdin.close()
        self.launcher.wait()

    def _run_once(self, argv: Sequence[str], env: dict[str, str]) -> tuple[float, int, int]:
        """Wall time, peak resident memory and exit status of one run."""
        assert self.launcher.stdin is not None and self.launcher.stdout is not None
        request = {"argv": list(argv), "env": env, "log": str(self.log)}
        self.launcher.stdin.write(json.dumps(request) + "\n")
        self.launcher.stdin.flush()
        reply = json.loads(self.launcher.stdout.readline())
        return reply["seconds"], reply["peak"], reply["code"]

    def measure(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        runs: int | None = None,
        prepare: Callable[[], None] | None = None,
        warm_up: bool = True,
    ) -> Measure:
        """Median time and peak memory of `argv`; `prepare` runs untimed before every run."""
        times, peaks = [], []
        count = self.runs if runs is None else runs
        for number in range(count + (1 if warm_up else 0)):
            if prepare is not None:
                prepare()
            elapsed, peak, code = self._run_once(argv, env or self.env)
            if code != 0:
                tail = self.log.read_text(encoding="utf-8", errors="replace").strip()[-400:]
                raise BenchError(f"`{' '.join(argv)}` exited with {code}: {tail}")
            if number or not warm_up:
                times.append(elapsed)
                peaks.append(peak)
        return Measure(statistics.median(times), max(peaks))

    def output(self, argv: Sequence[str], env: dict[str, str] | None = None) -> str:
        """What a command prints (for setting up, not timed)."""
        done = subprocess.run(argv, env=env or self.env, cwd=self.work, capture_output=True, text=True)
        if done.returncode != 0:
            raise BenchError(f"`{' '.join(argv)}` exited with {done.returncode}: {done.stderr.strip()[-400:]}")
        return done.stdout


def stidiplo_command() -> list[str]:
    """The installed stidiplo, run by the interpreter running this script (so `python -c pass` compares)."""
    script = Path(sys.executable).with_name("stidiplo")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "stidiplo"]


# -- taskwarrior --------------------------------------------------------------------------------


class Taskwarrior:
    """A throwaway taskwarrior database: its own data folder and rc file, nothing asked or printed."""

    def __init__(self, folder: Path, base_env: dict[str, str]) -> None:
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

    def reset(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)
        self.data.mkdir(parents=True)

    def argv(self, *args: str) -> list[str]:
        return ["task", "rc.confirmation=off", "rc.verbose=nothing", *args]


def taskwarrior_version() -> str | None:
    if shutil.which("task") is None:
        return None
    done = subprocess.run(["task", "--version"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


# -- the benchmark ------------------------------------------------------------------------------


@dataclass
class Results:
    """Everything measured, by command label and size."""

    sizes: tuple[int, ...]
    file_sizes: dict[int, int]
    startup: dict[str, Measure]
    stidiplo: dict[str, dict[int, Measure]]
    task: dict[str, dict[int, Measure]]
    imports: dict[str, Measure | None]
    task_sizes: tuple[int, ...]
    notes: list[str]


COMMANDS = (
    ("list", f"list --country {COUNTRY} --limit 50", f"task project:{PROJECT} limit:50 list"),
    ("json", "list --format json", "task export"),
    ("followups", f"followups --since {SINCE}", None),
    ("show", "show ID", "task UUID info"),
    ("add", "add … (one item)", "task add … (one task)"),
)


def stidiplo_args(label: str, records: dict[str, dict]) -> list[str]:
    """The stidiplo arguments (after --db) for a command label, against these records."""
    ids = sorted(records)
    if label == "list":
        return ["list", "--country", COUNTRY, "--limit", "50"]
    if label == "json":
        return ["list", "--format", "json"]
    if label == "followups":
        return ["followups", "--since", SINCE]
    if label == "show":
        return ["show", ids[len(ids) // 2][:10]]
    meeting = next(item_id for item_id in ids if records[item_id]["kind"] == "meeting")
    return [
        "add",
        "--kind",
        "event",
        "--title",
        "日スウェーデン量子技術ワークショップ",
        "--title-en",
        "Japan–Sweden quantum technology workshop",
        "--date",
        "2019-05-20",
        "--country",
        COUNTRY,
        "--field",
        "quantum",
        "--follows",
        meeting[:10],
        "--note",
        "Agenda shared with Vinnova",
    ]


def task_args(label: str, records: dict[str, dict]) -> list[str] | None:
    """The equivalent taskwarrior arguments, or None where taskwarrior has no such report."""
    if label == "list":
        return [f"project:{PROJECT}", "limit:50", "list"]
    if label == "json":
        return ["export"]
    if label == "show":
        ids = sorted(records)
        return [synthetic.task_uuid(ids[len(ids) // 2]), "info"]
    if label == "add":
        return [
            "add",
            "Japan–Sweden quantum technology workshop",
            f"project:{PROJECT}",
            "+event",
            "+quantum",
            "due:2019-05-20",
        ]
    return None


def has_import(runner: Runner, stidiplo: list[str]) -> bool:
    done = subprocess.run([*stidiplo, "import", "--help"], env=runner.env, cwd=runner.work, capture_output=True)
    return done.returncode == 0


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure_all(runner: Runner, sizes: tuple[int, ...], task_max: int, use_task: bool) -> Results:
    stidiplo = stidiplo_command()
    work = runner.work
    startup_runs = max(runner.runs, 15)
    from stidiplo.paths import shipped_dataset

    shipped = shipped_dataset()
    say("start-up ...")
    startup = {
        "python -c pass": runner.measure([sys.executable, "-c", "pass"], runs=startup_runs),
        'python -c "import typer"': runner.measure([sys.executable, "-c", "import typer"], runs=startup_runs),
        FLOOR: runner.measure([sys.executable, "-c", FLOOR_CODE], runs=startup_runs),
        "stidiplo --help": runner.measure([*stidiplo, "--help"], runs=startup_runs),
        f"stidiplo list --country {COUNTRY} (shipped dataset)": runner.measure(
            [*stidiplo, "--db", str(shipped), "list", "--country", COUNTRY], runs=startup_runs
        ),
    }
    notes: list[str] = []
    task_ok = use_task and shutil.which("task") is not None
    if use_task and not task_ok:
        notes.append("taskwarrior (`task`) is not installed: no comparison.")
    results = Results(
        sizes,
        {},
        startup,
        {label: {} for label, _, _ in COMMANDS},
        {label: {} for label, _, _ in COMMANDS},
        {},
        (),
        notes,
    )
    task_sizes = []
    for size in sizes:
        records = synthetic.items(size)
        db = work / f"db-{size}.json"
        results.file_sizes[size] = synthetic.write_tracker(db, records)
        say(f"{size:,} items ({results.file_sizes[size] / 1e6:.1f} MB) ...")
        for label, _, _ in COMMANDS:
            try:
                results.stidiplo[label][size] = runner.measure(
                    [*stidiplo, "--db", str(db), *stidiplo_args(label, records)]
                )
            except BenchError as err:
                notes.append(f"{size:,} items: {err}")
        if task_ok and size <= task_max:
            say(f"  taskwarrior, {size:,} tasks ...")
            task = Taskwarrior(work / f"task-{size}", runner.env)
            task.reset()
            load = work / f"task-{size}.json"
            synthetic.write_task_import(load, records)
            runner.measure(task.argv("import", str(load)), env=task.env, runs=1, warm_up=False)
            for label, _, _ in COMMANDS:
                args = task_args(label, records)
                if args is not None:
                    try:
                        results.task[label][size] = runner.measure(task.argv(*args), env=task.env)
                    except BenchError as err:
                        notes.append(f"{size:,} tasks: {err}")
            task_sizes.append(size)
    results.task_sizes = tuple(task_sizes)
    if task_ok and any(size > task_max for size in sizes):
        notes.append(
            f"taskwarrior was compared up to {task_max:,} tasks: its `task import` slows down with every "
            "task already loaded (give --taskwarrior-max to go further)."
        )

    say(f"import of {IMPORT_SIZE:,} items into an empty tracker ...")
    source = work / f"import-{IMPORT_SIZE}.json"
    records = synthetic.items(IMPORT_SIZE)
    synthetic.write_import_file(source, records)
    if has_import(runner, stidiplo):
        empty = work / "empty.json"
        runner.output([*stidiplo, "init", str(empty)])
        blank = empty.read_bytes()
        target = work / "import-target.json"

        def fresh_tracker() -> None:
            shutil.rmtree(work / f".{target.name}.stidiplo", ignore_errors=True)
            target.write_bytes(blank)

        try:
            results.imports["stidiplo"] = runner.measure(
                [*stidiplo, "--db", str(target), "import", str(source)], prepare=fresh_tracker
            )
        except BenchError as err:
            notes.append(str(err))
    else:
        results.imports["stidiplo"] = None
    if task_ok:
        task = Taskwarrior(work / "task-import", runner.env)
        load = work / f"task-import-{IMPORT_SIZE}.json"
        synthetic.write_task_import(load, records)
        try:
            results.imports["taskwarrior"] = runner.measure(
                task.argv("import", str(load)), env=task.env, runs=1, warm_up=False, prepare=task.reset
            )
        except BenchError as err:
            notes.append(str(err))
    return results


# -- the report ---------------------------------------------------------------------------------


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def megabytes(value: int) -> str:
    return f"{value / 1e6:.0f} MB" if value >= 10e6 else f"{value / 1e6:.1f} MB"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], text: int = 1) -> list[str]:
    """A Markdown table: the first `text` columns left-aligned, the figures after them right-aligned."""
    align = ["---"] * text + ["---:"] * (len(header) - text)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def growth(measured: dict[int, Measure], sizes: Sequence[int]) -> list[tuple[int, int, float]]:
    """The ratio of median times for each step of sizes that were both measured."""
    return [
        (a, b, measured[b].seconds / measured[a].seconds)
        for a, b in zip(sizes, sizes[1:], strict=False)
        if a in measured and b in measured
    ]


def targets(results: Results) -> list[tuple[str, str, bool | None]]:
    """Each target: what it asks, the figure measured, and whether it passes (None: not measured)."""
    out: list[tuple[str, str, bool | None]] = []
    python = results.startup["python -c pass"].seconds
    typer = results.startup['python -c "import typer"'].seconds
    floor = results.startup[FLOOR].seconds
    listing = results.startup[f"stidiplo list --country {COUNTRY} (shipped dataset)"].seconds
    out.append(
        (
            f"shipped dataset: `list --country {COUNTRY}` ≤ {STARTUP_BUDGET:g} × `python -c pass`",
            f"{seconds(listing)} = {listing / python:.1f} × {seconds(python)} "
            f"(`import typer` alone: {typer / python:.1f} ×; with Rich's table: {floor / python:.1f} ×)",
            listing <= STARTUP_BUDGET * python,
        )
    )
    size = 10_000
    ours, theirs = results.stidiplo["list"].get(size), results.task["list"].get(size)
    if ours and theirs:
        out.append(
            (
                f"{size:,} items: `list --country X --limit 50` no slower than `task project:X limit:50 list`",
                f"{seconds(ours.seconds)} vs {seconds(theirs.seconds)} ({ours.seconds / theirs.seconds:.2f} ×)",
                ours.seconds <= theirs.seconds,
            )
        )
    else:
        out.append((f"{size:,} items: `list --country X --limit 50` no slower than taskwarrior", "not measured", None))
    size = 100_000
    for label, limit in LIMITS.items():
        measured = results.stidiplo[label].get(size)
        what = f"{size:,} items: `{label}` under {limit:g} s"
        if measured is not None:
            out.append((what, seconds(measured.seconds), measured.seconds < limit))
        else:
            out.append((what, *_unmeasured(size in results.file_sizes)))
    what = f"import of {IMPORT_SIZE:,} items into an empty tracker under {IMPORT_LIMIT:g} s"
    if "stidiplo" not in results.imports:
        out.append((what, *_unmeasured(True)))
    elif results.imports["stidiplo"] is None:
        out.append((what, "n/a (no import command)", None))
    else:
        imported = results.imports["stidiplo"].seconds
        out.append((what, seconds(imported), imported < IMPORT_LIMIT))
    what = f"{size:,} items: peak memory under {MEMORY_FACTOR:g} × the file's size"
    peaks = [(label, by_size[size].peak) for label, by_size in results.stidiplo.items() if size in by_size]
    if peaks:
        file_size = results.file_sizes[size]
        label, worst = max(peaks, key=lambda pair: pair[1])
        out.append(
            (
                what,
                f"{megabytes(worst)} (`{label}`) = {worst / file_size:.1f} × {megabytes(file_size)}",
                worst < MEMORY_FACTOR * file_size,
            )
        )
    else:
        out.append((what, *_unmeasured(size in results.file_sizes)))
    steps = [
        (label, a, b, ratio)
        for label, by_size in results.stidiplo.items()
        for a, b, ratio in growth(by_size, results.sizes)
    ]
    if steps:
        label, a, b, ratio = max(steps, key=lambda step: step[3] * step[1] / step[2])
        out.append(
            (
                "no command grows faster than linearly (time ratio ≤ ratio of items, 10 per 10 × items)",
                f"largest: `{label}` {a:,} → {b:,}: {ratio:.1f} × for {b / a:g} × the items",
                ratio <= b / a,
            )
        )
    return out


def _unmeasured(attempted: bool) -> tuple[str, bool | None]:
    """The figure and verdict of a target not measured: a failure when its command failed."""
    return ("error (see the notes)", False) if attempted else ("not measured", None)


def verdict(passed: bool | None) -> str:
    return "n/a" if passed is None else "PASS" if passed else "FAIL"


def report(results: Results, runs: int, task_version: str | None) -> str:
    sizes = results.sizes
    commands = {label: ours for label, ours, _ in COMMANDS}
    lines = [
        "# stidiplo benchmark",
        "",
        f"{datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} CPU cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, stidiplo {_stidiplo_version()}"
        + (f", taskwarrior {task_version}" if task_version else "")
        + ".",
        f"Whole processes (bytecode cached, as installed); median of {runs} runs after a warm-up (start-up: of "
        f"{max(runs, 15)} runs); peak memory is the largest resident set of those runs (never below the "
        "launcher's own, about 10 MB).",
        "",
        "## Start-up",
        "",
    ]
    python = results.startup["python -c pass"].seconds
    lines += table(
        ["command", "median", "× python -c pass", "peak memory"],
        [
            [f"`{name}`", seconds(m.seconds), f"{m.seconds / python:.1f}", megabytes(m.peak)]
            for name, m in results.startup.items()
        ],
    )
    lines += ["", "## Time by size of tracker (median)", ""]
    header = ["command", *(f"{size:,} items" for size in sizes)]
    steps = list(zip(sizes, sizes[1:], strict=False))
    header += [f"× {a:,} → {b:,}" for a, b in steps]
    if steps:
        header.append("per 1,000 more items")
    rows = []
    for label, by_size in results.stidiplo.items():
        row = [
            f"`{commands[label]}`",
            *(seconds(by_size[size].seconds) if size in by_size else "error" for size in sizes),
        ]
        ratios = {(a, b): ratio for a, b, ratio in growth(by_size, sizes)}
        row += [f"{ratios[step]:.1f}" if step in ratios else "" for step in steps]
        if steps:
            small, large = steps[-1]
            row.append(
                seconds((by_size[large].seconds - by_size[small].seconds) * 1000 / (large - small))
                if (small, large) in ratios
                else ""
            )
        rows.append(row)
    lines += table(header, rows)
    lines += [
        "",
        "File size: "
        + ", ".join(f"{size:,} items {megabytes(results.file_sizes[size])}" for size in sizes)
        + ". A ratio of 10 per 10 × items is linear "
        "growth; below it, the fixed start-up still counts. The last column is the cost of each further "
        "1,000 items, from the two largest sizes.",
        "",
        "## Peak memory by size of tracker",
        "",
    ]
    rows = [
        [
            f"`{commands[label]}`",
            *(megabytes(by_size[size].peak) if size in by_size else "error" for size in sizes),
            f"{by_size[sizes[-1]].peak / results.file_sizes[sizes[-1]]:.1f}" if sizes[-1] in by_size else "",
        ]
        for label, by_size in results.stidiplo.items()
    ]
    lines += table(["command", *(f"{size:,} items" for size in sizes), f"× file at {sizes[-1]:,}"], rows)
    lines += ["", f"## Import of {IMPORT_SIZE:,} items into an empty tracker", ""]
    task_import = results.imports.get("taskwarrior")
    imported = results.imports.get("stidiplo")
    if "stidiplo" not in results.imports:
        rows = [["`stidiplo import`", "error (see the notes)", ""]]
    else:
        rows = [
            [
                "`stidiplo import`",
                seconds(imported.seconds) if imported else "n/a (no import command)",
                megabytes(imported.peak) if imported else "",
            ]
        ]
    if task_import:
        rows.append(["`task import` (one run)", seconds(task_import.seconds), megabytes(task_import.peak)])
    lines += table(["command", "median", "peak memory"], rows)
    if results.task_sizes:
        lines += ["", "## Against taskwarrior (same items, same run)", ""]
        rows = []
        for label, ours, theirs in COMMANDS:
            for size in results.task_sizes:
                if theirs is None or size not in results.task[label]:
                    continue
                mine, other = results.stidiplo[label][size], results.task[label][size]
                rows.append(
                    [
                        f"`{ours}`",
                        f"`{theirs}`",
                        f"{size:,}",
                        seconds(mine.seconds),
                        seconds(other.seconds),
                        f"{mine.seconds / other.seconds:.2f}",
                    ]
                )
        if imported and task_import:
            rows.append(
                [
                    "`import`",
                    "`task import`",
                    f"{IMPORT_SIZE:,} into empty",
                    seconds(imported.seconds),
                    seconds(task_import.seconds),
                    f"{imported.seconds / task_import.seconds:.2f}",
                ]
            )
        lines += table(["stidiplo", "taskwarrior", "items", "stidiplo", "taskwarrior", "ratio"], rows, text=2)
    lines += ["", "## Targets", ""]
    lines += table(
        ["target", "measured", "result"],
        [[what, figure, verdict(passed)] for what, figure, passed in targets(results)],
        text=3,
    )
    if results.notes:
        lines += ["", *(f"- {note}" for note in results.notes)]
    return "\n".join(lines) + "\n"


def _stidiplo_version() -> str:
    from stidiplo import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="tracker sizes, comma-separated (default: %(default)s)"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=HERE / "results.md", help="where to write the table")
    parser.add_argument(
        "--taskwarrior-max",
        type=int,
        default=TASK_MAX_DEFAULT,
        help="the largest size also loaded into taskwarrior (default: %(default)s)",
    )
    parser.add_argument("--no-taskwarrior", action="store_true", help="do not compare with taskwarrior")
    args = parser.parse_args(argv)
    sizes = tuple(sorted(int(size) for size in args.sizes.split(",")))
    with tempfile.TemporaryDirectory(prefix="stidiplo-bench-") as folder:
        runner = Runner(Path(folder), max(args.runs, 1))
        try:
            results = measure_all(runner, sizes, args.taskwarrior_max, not args.no_taskwarrior)
        except BenchError as err:
            say(f"benchmark failed: {err}")
            return 1
        finally:
            runner.close()
    text = report(results, runner.runs, taskwarrior_version() if results.task_sizes else None)
    print(text)
    args.output.write_text(text, encoding="utf-8")
    say(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
