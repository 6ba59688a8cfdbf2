"""Where each view spends its time and what holds its memory, on a synthetic tracker.

Usage (from a checkout, after `pip install .`):

    python benchmarks/profile_views.py [--size 10000] [--memory-size 100000] [--only timeline,log]

Time: each view runs once under cProfile (`python -m cProfile`), printing to a pipe, and the
profile is summed by package (Rich, stidiplo's modules, TinyDB, Typer/Click, the rest) with the
functions that cost most. cProfile adds a fixed cost to every call, so Rich's many small calls
weigh more here than in a plain run: read the shares, not the seconds.

Memory: some commands run again under tracemalloc on the larger tracker, twice: once to learn
their traced peak and the most they held, then with a thread that takes one snapshot when the
memory held reaches 97 % of that; the snapshot is summed by the line that allocated what was
still alive. (The peak inside one C call, the parse, is never seen between polls: see PROFILE.md.)
"""

from __future__ import annotations

import argparse
import os
import pstats
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

import synthetic

HERE = Path(__file__).resolve().parent
ENV = {"STIDIPLO_LANG": "en", "STIDIPLO_TODAY": "2019-04-30", "COLUMNS": "120", "TERM": "dumb"}
VIEWS = {
    "followups": ["followups", "--since", "2019-01"],
    "timeline": ["timeline"],
    "timeline-lanes": ["timeline", "--by", "country"],
    "brief": ["brief", "--country", "SE"],
    "attention": ["attention"],
    "scorecard": ["scorecard"],
    "log": ["log"],
    "upcoming": ["upcoming"],
    "list": ["list"],
    "list-json": ["list", "--format", "json"],
    "list-50": ["list", "--country", "sweden", "--limit", "50"],
}
PACKAGES = ("tinydb", "typer", "click", "dateutil", "orjson")


def _package(filename: str) -> str:
    """The package a profiled function belongs to: a stidiplo module by name, else the library."""
    parts = Path(filename).parts
    for package in ("stidiplo", "rich"):
        if package in parts:
            return package + "." + ".".join(parts[parts.index(package) + 1 :]).removesuffix(".py")
    for package in PACKAGES:
        if package in parts:
            return package
    return "built-in" if filename == "~" else "python:" + Path(filename).stem


def profile(db: Path, args: list[str], folder: Path, top: int) -> str:
    """One view under cProfile: the share of time by package and the costliest functions."""
    out = folder / "view.prof"
    argv = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "stidiplo", "--db", str(db), *args]
    subprocess.run([sys.executable, __file__, "--split", "--db", str(db), *args], check=True)
    started = time.perf_counter()
    subprocess.run(argv, env={**os.environ, **ENV}, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    stats = pstats.Stats(str(out))
    rows = stats.stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in rows.values())
    by_package: dict[str, float] = defaultdict(float)
    for (filename, _, _), row in rows.items():
        by_package[_package(filename)] += row[2]
    rich = sum(share for name, share in by_package.items() if name.startswith("rich."))
    lines = [f"wall {wall:.2f} s under cProfile; own time summed {total:.2f} s, of which Rich {rich / total:.0%}"]
    lines += [
        f"  {share / total:6.1%}  {name}"
        for name, share in sorted(by_package.items(), key=lambda pair: -pair[1])[:14]
        if share / total >= 0.01
    ]
    lines.append("  costliest functions (own time; cumulative; calls):")
    ranked = sorted(rows.items(), key=lambda pair: -pair[1][2])[:top]
    for (filename, line, name), (_, calls, own, cumulative, _) in ranked:
        lines.append(f"    {own:6.3f} s {cumulative:6.3f} s {calls:>9,}  {_package(filename)}:{line} {name}")
    lines.append("  costliest calls by cumulative time, stidiplo and Rich only:")
    ranked = sorted(
        (item for item in rows.items() if _package(item[0][0]).startswith(("stidiplo", "rich"))),
        key=lambda pair: -pair[1][3],
    )[:top]
    for (filename, line, name), (_, calls, _, cumulative, _) in ranked:
        lines.append(f"    {cumulative:6.3f} s {calls:>9,}  {_package(filename)}:{line} {name}")
    return "\n".join(lines)


def split_time(args: list[str]) -> None:
    """Run stidiplo in this process, unprofiled; print its time and the part spent in Rich's Console.print."""
    os.environ.update(ENV)
    started = time.perf_counter()
    sys.argv = ["stidiplo", *args]
    sys.stdout = open(os.devnull, "w", encoding="utf-8")
    from rich.console import Console

    printing = [0.0]
    plain_print = Console.print

    def timed_print(self: Console, *objects: object, **options: object) -> None:
        at = time.perf_counter()
        plain_print(self, *objects, **options)  # type: ignore[arg-type]
        printing[0] += time.perf_counter() - at

    Console.print = timed_print  # type: ignore[method-assign]
    from stidiplo.cli import main

    try:
        main()
    except SystemExit:
        pass
    total = time.perf_counter() - started
    sys.stdout = sys.__stdout__
    share = f"{printing[0]:.2f} s ({printing[0] / total:.0%})"
    print(f"unprofiled, in one process: {total:.2f} s, of which in Rich's Console.print {share}")


def _run_traced(args: list[str], level: float) -> tracemalloc.Snapshot | None:
    """Run stidiplo in this process under tracemalloc, polled every 20 ms; print the traced peak and
    the most seen held between polls (a peak inside one C call, such as parsing, is never seen).
    With a `level`, take one snapshot when the memory held first reaches it.
    """
    os.environ.update(ENV)
    tracemalloc.start(1)
    snapshot: list[tracemalloc.Snapshot] = []
    highest = [0]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.02):
            current = tracemalloc.get_traced_memory()[0]
            highest[0] = max(highest[0], current)
            if level and not snapshot and current >= level:
                snapshot.append(tracemalloc.take_snapshot())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    sys.argv = ["stidiplo", *args]
    sys.stdout = open(os.devnull, "w", encoding="utf-8")
    from stidiplo.cli import main

    try:
        main()
    except SystemExit:
        pass
    done.set()
    sys.stdout = sys.__stdout__
    watcher.join()
    peak = tracemalloc.get_traced_memory()[1]
    print(f"traced peak {peak / 1e6:.0f} MB; held at most {highest[0] / 1e6:.0f} MB between polls", flush=True)
    tracemalloc.stop()
    return snapshot[0] if snapshot else None


def trace_memory(args: list[str]) -> None:
    """What the command holds at its most: a first run finds the level, a second takes a snapshot there."""
    snapshot = _run_traced(args[1:], float(args[0]))
    if snapshot is None:
        return
    total = sum(stat.size for stat in snapshot.statistics("filename"))
    print(f"  snapshot at {total / 1e6:.0f} MB, held, by the line that allocated it:")
    for stat in snapshot.statistics("lineno")[:14]:
        frame = stat.traceback[0]
        print(f"    {stat.size / 1e6:7.1f} MB {stat.count:>10,} blocks  {_package(frame.filename)}:{frame.lineno}")


def _level(args: list[str]) -> float:
    """Most of what a command held between polls, from a first run without snapshots."""
    done = subprocess.run([sys.executable, __file__, "--trace", "0", *args], capture_output=True, text=True, check=True)
    print(done.stdout.strip(), flush=True)
    return 0.97 * float(done.stdout.split()[7]) * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="items for the time profile (default: %(default)s)")
    parser.add_argument("--memory-size", type=int, default=100_000, help="items for memory (0: skip)")
    parser.add_argument(
        "--memory-views", default="list-50,list-json,timeline,log", help="views whose memory is traced (%(default)s)"
    )
    parser.add_argument("--only", help="views to profile, comma-separated: " + ", ".join(VIEWS))
    parser.add_argument("--top", type=int, default=12, help="functions listed per view (default: %(default)s)")
    parser.add_argument("--trace", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    parser.add_argument("--split", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.trace or args.split:
        (trace_memory if args.trace else split_time)(args.trace or args.split)
        return 0
    names = args.only.split(",") if args.only else list(VIEWS)
    with tempfile.TemporaryDirectory(prefix="stidiplo-profile-") as name:
        folder = Path(name)
        db = folder / f"db-{args.size}.json"
        synthetic.write_tracker(db, synthetic.items(args.size))
        for view in names:
            print(f"## {view} ({' '.join(VIEWS[view])}), {args.size:,} items", flush=True)
            print(profile(db, VIEWS[view], folder, args.top), flush=True)
        if args.memory_size:
            big = folder / f"db-{args.memory_size}.json"
            size = synthetic.write_tracker(big, synthetic.items(args.memory_size))
            for view in args.memory_views.split(","):
                print(f"## memory: {view}, {args.memory_size:,} items, file {size / 1e6:.0f} MB", flush=True)
                command = ["--db", str(big), *VIEWS[view]]
                subprocess.run([sys.executable, __file__, "--trace", str(_level(command)), *command], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
