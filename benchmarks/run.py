"""Benchmark stidiplo as whole processes on synthetic trackers of 1,000, 10,000 and 100,000 items.

Usage (from a checkout):

    pip install '.[bench]'        # stidiplo, and Watson and jrnl to compare with
    apt-get install taskwarrior   # optional: taskwarrior (`task`) to compare with
    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 5] [--output benchmarks/results.md]
    python benchmarks/run.py --quick   # 1,000 and 10,000 items, one run each: a few minutes

Every command is run as a separate process: once to warm the caches (its exit status checked),
then `--runs` times; the tables show the median wall time and the largest peak resident memory
of those runs. The views print their whole output to a pipe and, a second time, to a
pseudo-terminal of 120 columns (colour, as a person at a terminal meets them). The same items
are loaded into taskwarrior, Watson and jrnl where they are installed (see rivals.py), and their
equivalents of `list --country sweden --limit 50` are timed beside stidiplo's in the same run,
in turn, round after round (at least three), so that a shared machine's changing load falls on
all alike.
The targets are printed with PASS or FAIL (see report.py), and everything is written to a
Markdown file (a --quick run writes it only when given --output).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import report
import rivals
import synthetic
from report import COMPLETIONS, FLOOR, FLOOR_CODE, IMPORT_SIZE, JSON, LIST50, SHIPPED, Measure, Results

HERE = Path(__file__).resolve().parent
SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
COUNTRY, SINCE = "sweden", "2019-01"
WARM_ENOUGH = 2.0
"""A warm-up run longer than this (s) is timed too: the file is cached by the commands before it."""
RACE_RUNS = 3
"""At least this many rounds of the race of `list --limit 50` against the other trackers."""

VIEWS = {
    f"followups --since {SINCE}": ["followups", "--since", SINCE],
    "timeline": ["timeline"],
    "timeline --by country": ["timeline", "--by", "country"],
    f"brief --country {rivals.PROJECT}": ["brief", "--country", rivals.PROJECT],
    "attention": ["attention"],
    "scorecard": ["scorecard"],
    "log": ["log"],
    "upcoming": ["upcoming"],
    "list": ["list"],
}
"""Every view, printing everything it has (the labels are the arguments after `stidiplo`)."""


class BenchError(Exception):
    """A benchmarked command failed; its output says why."""


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
            if not key.startswith(("STIDIPLO_", "TASK", "WATSON", "JRNL")) and key != "PYTHONDONTWRITEBYTECODE"
        }
        self.env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_DATA_HOME=str(home / "share"),
            STIDIPLO_LANG="en",
            STIDIPLO_TODAY="2019-04-30",
            COLUMNS="120",
            TERM="dumb",
        )
        terminal = {key: value for key, value in self.env.items() if key != "COLUMNS"}
        self.terminal_env = {**terminal, "TERM": "xterm-256color", "STIDIPLO_PAGER": ""}  # the view, not less
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

    def _run_once(self, argv: Sequence[str], env: dict[str, str], tty: bool) -> dict:
        assert self.launcher.stdin is not None and self.launcher.stdout is not None
        request = {"argv": list(argv), "env": env, "log": str(self.log), "tty": tty}
        self.launcher.stdin.write(json.dumps(request) + "\n")
        self.launcher.stdin.flush()
        return json.loads(self.launcher.stdout.readline())

    def run_checked(self, argv: Sequence[str], env: dict[str, str], tty: bool = False) -> dict:
        """One run's reply (time, peak memory, output size); BenchError if the command failed."""
        reply = self._run_once(argv, env, tty)
        if reply["code"] != 0:
            tail = self.log.read_text(encoding="utf-8", errors="replace").strip()[-400:]
            raise BenchError(f"`{' '.join(argv)}` exited with {reply['code']}: {tail}")
        return reply

    @staticmethod
    def summary(replies: Sequence[dict]) -> Measure:
        return Measure(
            statistics.median(reply["seconds"] for reply in replies),
            max(reply["peak"] for reply in replies),
            replies[-1]["bytes"],
        )

    def measure(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        runs: int | None = None,
        prepare: Callable[[], None] | None = None,
        warm_up: bool = True,
        tty: bool = False,
    ) -> Measure:
        """Median time and peak memory of `argv` (to a pipe, or a terminal); `prepare` runs untimed first."""
        replies: list[dict] = []
        count, first = self.runs if runs is None else runs, True
        while len(replies) < count:
            if prepare is not None:
                prepare()
            reply = self.run_checked(argv, env or (self.terminal_env if tty else self.env), tty)
            if not (first and warm_up) or reply["seconds"] > WARM_ENOUGH:
                replies.append(reply)
            first = False
        return self.summary(replies)

    def race(self, contenders: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, Measure]:
        """Each command in turn, round after round (the first a warm-up), so that the changing load of
        a shared machine falls on all of them alike; their medians."""
        replies: dict[str, list[dict]] = {name: [] for name in contenders}
        for number in range(runs + 1):
            for name, (argv, env) in contenders.items():
                reply = self.run_checked(argv, env)
                if number:
                    replies[name].append(reply)
        return {name: self.summary(got) for name, got in replies.items()}

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


def commands(records: dict[str, dict], views: Sequence[str]) -> dict[str, list[str]]:
    """stidiplo's timed commands by label (the arguments after `--db FILE`); `add` last, as it writes."""
    ids = sorted(records)
    meeting = next(item_id for item_id in ids if records[item_id]["kind"] == "meeting")
    add = ["add", "--kind", "event", "--title", "日スウェーデン量子技術ワークショップ"]
    add += ["--title-en", "Japan–Sweden quantum technology workshop", "--date", "2019-05-20", "--country", COUNTRY]
    add += ["--field", "quantum", "--follows", meeting[:10], "--note", "Agenda shared with Vinnova"]
    return {
        LIST50: ["list", "--country", COUNTRY, "--limit", str(rivals.LIMIT)],
        JSON: ["list", "--format", "json"],
        "show ID": ["show", ids[len(ids) // 2][:10]],
        **{label: args for label, args in VIEWS.items() if label in views},
        report.ADD: add,
    }


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure_startup(runner: Runner, stidiplo: list[str], runs: int) -> dict[str, Measure]:
    """The start-up floors and stidiplo's shortest commands, raced in turn so that load falls on all alike."""
    from stidiplo.paths import shipped_dataset

    say("start-up ...")
    python = sys.executable
    argvs = {
        "python -c pass": [python, "-c", "pass"],
        'python -c "import typer"': [python, "-c", "import typer"],
        FLOOR: [python, "-c", FLOOR_CODE],
        "stidiplo --help": [*stidiplo, "--help"],
        SHIPPED: [*stidiplo, "--db", str(shipped_dataset()), "list", "--country", COUNTRY],
    }
    raced = {name: (argv, runner.env) for name, argv in argvs.items()}
    for name, words in COMPLETIONS.items():  # the shell's request, as bash sends it on TAB
        env = {**runner.env, "STIDIPLO_DB": str(shipped_dataset()), "_STIDIPLO_COMPLETE": "complete_bash"}
        raced[name] = (stidiplo, {**env, "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)})
    return runner.race(raced, runs)


def measure_size(runner: Runner, results: Results, size: int, views: Sequence[str], use_rivals: bool) -> None:
    """stidiplo's commands (the views also to a terminal), then the other trackers', on `size` items."""
    stidiplo = stidiplo_command()
    records = synthetic.items(size)
    db = runner.work / f"db-{size}.json"
    results.file_sizes[size] = synthetic.write_tracker(db, records)
    say(f"{size:,} items ({results.file_sizes[size] / 1e6:.1f} MB) ...")
    ours = commands(records, views)
    add = ours.pop(report.ADD)
    for label, args in ours.items():
        for tty in (False, True) if label in VIEWS else (False,):
            try:
                measured = runner.measure([*stidiplo, "--db", str(db), *args], tty=tty)
            except BenchError as err:
                results.notes.append(f"{size:,} items: {err}")
                continue
            (results.terminal if tty else results.stidiplo).setdefault(label, {})[size] = measured
    if use_rivals:
        measure_rivals(runner, results, size, records, [*stidiplo, "--db", str(db), *ours[LIST50]])
    try:
        results.stidiplo.setdefault(report.ADD, {})[size] = runner.measure([*stidiplo, "--db", str(db), *add])
    except BenchError as err:
        results.notes.append(f"{size:,} items: {err}")


def measure_rivals(runner: Runner, results: Results, size: int, records: dict[str, dict], listing: list[str]) -> None:
    """Load the other trackers; race their `list` against stidiplo's, then time their other commands."""
    loaded = []
    for kind in rivals.RIVALS:
        rival = kind(runner.work / f"{kind.name}-{size}", runner.env)
        if rival.program is None:
            continue
        say(f"  {rival.name}, {size:,} items ...")
        results.versions.setdefault(rival.name, rival.version() or "unknown")
        try:
            rival.load(records, runner.output)
        except BenchError as err:
            results.notes.append(f"{rival.name}, {size:,} items: {err}")
            continue
        loaded.append(rival)
        if rival.note and f"{rival.name}: {rival.note}." not in results.notes:
            results.notes.append(f"{rival.name}: {rival.note}.")
    if not loaded:
        return
    say(f"  race of `{LIST50}` ...")
    contenders = {"stidiplo": (listing, runner.env)}
    contenders |= {rival.name: (rival.commands(records)["list"], rival.env) for rival in loaded}
    try:
        raced = runner.race(contenders, max(runner.runs, RACE_RUNS))
    except BenchError as err:
        results.notes.append(f"{size:,} items, race: {err}")
        raced = {}
    for name, measured in raced.items():
        into = results.stidiplo.setdefault(LIST50, {}) if name == "stidiplo" else results.rivals.setdefault(name, {})
        if name == "stidiplo":
            into[size] = measured
        else:
            into.setdefault("list", {})[size] = measured
    for rival in loaded:
        for label, argv in rival.commands(records).items():
            if label != "list":
                try:
                    results.rivals[rival.name].setdefault(label, {})[size] = runner.measure(argv, env=rival.env)
                except BenchError as err:
                    results.notes.append(f"{rival.name}, {size:,} items: {err}")
        shutil.rmtree(rival.folder, ignore_errors=True)


def measure_import(runner: Runner, results: Results, with_task: bool) -> None:
    """`import` of IMPORT_SIZE items into an empty tracker; `task import` of the same tasks, once."""
    stidiplo = stidiplo_command()
    work = runner.work
    say(f"import of {IMPORT_SIZE:,} items into an empty tracker ...")
    records = synthetic.items(IMPORT_SIZE)
    source = work / f"import-{IMPORT_SIZE}.json"
    synthetic.write_import_file(source, records)
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
        results.notes.append(str(err))
    task = rivals.Taskwarrior(work / "task-import", runner.env)
    if with_task and task.program:
        load = work / f"task-import-{IMPORT_SIZE}.json"
        task.write_import_file(load, records)
        try:
            results.imports["taskwarrior"] = runner.measure(
                task.argv("import", str(load)), env=task.env, runs=1, warm_up=False, prepare=task.reset
            )
        except BenchError as err:
            results.notes.append(str(err))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help=f"tracker sizes, comma-separated (default: {','.join(map(str, SIZES))})")
    parser.add_argument("--runs", type=int, help="timed runs per command (default: 5; 1 with --quick)")
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 items, one run each, no `task import`")
    parser.add_argument("--output", type=Path, help="where to write the tables (default: benchmarks/results.md)")
    parser.add_argument("--views", help="views to time, comma-separated labels, or none (default: all)")
    parser.add_argument("--no-rivals", action="store_true", help="do not compare with taskwarrior, Watson and jrnl")
    args = parser.parse_args(argv)
    default_sizes = QUICK_SIZES if args.quick else SIZES
    sizes = tuple(sorted(int(size) for size in args.sizes.split(","))) if args.sizes else default_sizes
    runs = max(args.runs or (1 if args.quick else 5), 1)
    output = args.output or (None if args.quick else HERE / "results.md")
    views = list(VIEWS) if args.views is None else [view for view in args.views.split(",") if view in VIEWS]
    with tempfile.TemporaryDirectory(prefix="stidiplo-bench-") as folder:
        runner = Runner(Path(folder), runs)
        try:
            results = Results(
                sizes, startup=measure_startup(runner, stidiplo_command(), max(runs, 5 if args.quick else 15))
            )
            for size in sizes:
                measure_size(runner, results, size, views, not args.no_rivals)
            measure_import(runner, results, not (args.quick or args.no_rivals))
        except BenchError as err:
            say(f"benchmark failed: {err}")
            return 1
        finally:
            runner.close()
    text = report.report(results, runs)
    print(text)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        say(f"written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
