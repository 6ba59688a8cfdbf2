"""The benchmark's figures as Markdown tables, and the targets each checked PASS or FAIL.

The targets are those of the second performance issue: start-up relative to the Typer+Rich
import floor; `list --country X --limit 50` against Watson, jrnl and taskwarrior; every view
within twice `list --format json` of the same tracker and linear in the items; `add` and `import`
under a second; peak memory within four times the tracker file.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

FLOOR_CODE = "import typer, rich.console, rich.table"
FLOOR = f'python -c "{FLOOR_CODE}"'
"""What any Rich table behind a Typer command imports before it does anything."""
SHIPPED = "stidiplo list --country sweden (shipped dataset)"
COMPLETIONS = {
    "completion: `stidiplo list --country sw<TAB>`": "stidiplo list --country sw",
    "completion: `stidiplo show 0747<TAB>`": "stidiplo show 0747",
}
"""Shell completion requests on the shipped dataset, named by what a user typed."""
COMPLETION_BUDGET = 0.150
LIST50 = "list --country sweden --limit 50"
JSON = "list --format json"
ADD = "add … (one item)"
IMPORT_SIZE = 10_000

STARTUP_BUDGET = 1.25
RIVAL_SHARE, RIVAL_SHARE_FROM = 0.5, 10_000
TASK_SHARES = {10_000: 1.5, 100_000: 0.35}
VIEW_SIZE, VIEW_SHARE, LARGEST = 10_000, 2.0, 100_000
ADD_LIMIT = IMPORT_LIMIT = 1.0
MEMORY_FACTOR = 4.0

SAME = {"list": LIST50, "json": JSON, "show": "show ID", "add": ADD}
"""stidiplo's command for each label of another tracker's commands (see rivals.py)."""

Target = tuple[str, str, bool | None]
"""What a target asks, the figure measured, and whether it passes (None: not measured)."""


@dataclass(frozen=True)
class Measure:
    """The median wall time (s), the largest peak resident memory (bytes) and the output's size (bytes)."""

    seconds: float
    peak: int
    output: int = 0


@dataclass
class Results:
    """Everything measured: by command label (and tracker name), then by size."""

    sizes: tuple[int, ...]
    startup: dict[str, Measure]
    file_sizes: dict[int, int] = field(default_factory=dict)
    stidiplo: dict[str, dict[int, Measure]] = field(default_factory=dict)
    terminal: dict[str, dict[int, Measure]] = field(default_factory=dict)
    """The views again, printing to a pseudo-terminal."""
    rivals: dict[str, dict[str, dict[int, Measure]]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    imports: dict[str, Measure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def megabytes(value: int) -> str:
    return f"{value / 1e6:.0f} MB" if value >= 10e6 else f"{value / 1e6:.1f} MB"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], text: int = 1) -> list[str]:
    """A Markdown table: the first `text` columns left-aligned, the figures after them right-aligned."""
    align = ["---"] * text + ["---:"] * (len(header) - text)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def growth(measured: dict[int, Measure], a: int, b: int) -> float | None:
    """The ratio of median times from `a` items to `b` items, if both were measured."""
    return measured[b].seconds / measured[a].seconds if a in measured and b in measured else None


# -- targets ------------------------------------------------------------------------------------


def _startup(results: Results) -> Target:
    floor, listing = results.startup[FLOOR].seconds, results.startup[SHIPPED].seconds
    return (
        f"shipped dataset: `list --country sweden` ≤ {STARTUP_BUDGET:g} × `{FLOOR}`",
        f"{seconds(listing)} = {listing / floor:.2f} × {seconds(floor)}",
        listing <= STARTUP_BUDGET * floor,
    )


def _against(results: Results) -> list[Target]:
    out: list[Target] = []
    ours = results.stidiplo.get(LIST50, {})
    for name in ("Watson", "jrnl", "taskwarrior"):
        theirs = results.rivals.get(name, {}).get("list", {})
        for size in results.sizes:
            if name == "taskwarrior":
                if size not in TASK_SHARES:
                    continue
                share, what = TASK_SHARES[size], f"≤ {TASK_SHARES[size]:g} × taskwarrior"
            elif size >= RIVAL_SHARE_FROM:
                share, what = RIVAL_SHARE, f"≤ {RIVAL_SHARE:g} × {name}"
            else:
                share, what = 1.0, f"faster than {name}"
            ask = f"{size:,} items: `list --country X --limit 50` {what}"
            if size in ours and size in theirs:
                ratio = ours[size].seconds / theirs[size].seconds
                figure = f"{seconds(ours[size].seconds)} vs {seconds(theirs[size].seconds)} ({ratio:.2f} ×)"
                out.append((ask, figure, ratio < 1.0 if share == 1.0 else ratio <= share))
            else:
                out.append((ask, "not measured", None))
    return out


def _views(results: Results) -> list[Target]:
    out: list[Target] = []
    json = results.stidiplo.get(JSON, {}).get(VIEW_SIZE)
    for view in results.terminal:
        pipe, tty = results.stidiplo.get(view, {}), results.terminal[view]
        if json and VIEW_SIZE in pipe and VIEW_SIZE in tty:
            a, b = pipe[VIEW_SIZE].seconds, tty[VIEW_SIZE].seconds
            out.append(
                (
                    f"{VIEW_SIZE:,} items: `{view}` ≤ {VIEW_SHARE:g} × `{JSON}` (pipe; terminal)",
                    f"{seconds(a)}; {seconds(b)} = {a / json.seconds:.1f} ×; {b / json.seconds:.1f} × "
                    f"{seconds(json.seconds)}",
                    max(a, b) <= VIEW_SHARE * json.seconds,
                )
            )
        ratios = [growth(pipe, VIEW_SIZE, LARGEST), growth(tty, VIEW_SIZE, LARGEST)]
        if None not in ratios:
            out.append(
                (
                    f"`{view}` {VIEW_SIZE:,} → {LARGEST:,} items ≤ 10 × (pipe; terminal)",
                    f"{ratios[0]:.1f} ×; {ratios[1]:.1f} ×",
                    max(r for r in ratios if r is not None) <= LARGEST / VIEW_SIZE,
                )
            )
    return out


def _completion(results: Results) -> list[Target]:
    return [
        (f"{name} in under {COMPLETION_BUDGET * 1000:.0f} ms", seconds(m.seconds), m.seconds < COMPLETION_BUDGET)
        for name, m in results.startup.items()
        if name in COMPLETIONS
    ]


def targets(results: Results) -> list[Target]:
    out = [_startup(results), *_completion(results), *_against(results), *_views(results)]
    added = results.stidiplo.get(ADD, {}).get(LARGEST)
    if added:
        out.append(
            (f"{LARGEST:,} items: `add` under {ADD_LIMIT:g} s", seconds(added.seconds), added.seconds < ADD_LIMIT)
        )
    imported = results.imports.get("stidiplo")
    if imported:
        out.append(
            (
                f"`import` of {IMPORT_SIZE:,} items into an empty tracker under {IMPORT_LIMIT:g} s",
                seconds(imported.seconds),
                imported.seconds < IMPORT_LIMIT,
            )
        )
    size = results.sizes[-1]
    peaks = [(label, m[size].peak) for label, m in [*results.stidiplo.items(), *results.terminal.items()] if size in m]
    if peaks and size >= LARGEST:
        file_size = results.file_sizes[size]
        over = sorted({label for label, peak in peaks if peak > MEMORY_FACTOR * file_size})
        label, worst = max(peaks, key=lambda pair: pair[1])
        figure = f"largest {megabytes(worst)} (`{label}`) = {worst / file_size:.1f} × {megabytes(file_size)}"
        if over:
            figure += f"; over: {len(over)} of {len({label for label, _ in peaks})} commands"
        out.append(
            (f"{size:,} items: peak memory ≤ {MEMORY_FACTOR:g} × the file's size, every command", figure, not over)
        )
    return out


def verdict(passed: bool | None) -> str:
    return "n/a" if passed is None else "PASS" if passed else "FAIL"


# -- the report ---------------------------------------------------------------------------------


def _header(results: Results, runs: int) -> list[str]:
    from stidiplo import __version__

    others = ", ".join(f"{name} {version}" for name, version in results.versions.items())
    return [
        "# stidiplo benchmark",
        "",
        f"{datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} CPU cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, stidiplo {__version__}" + (f"; {others}" if others else "") + ".",
        f"Whole processes (bytecode cached, as installed); median of {runs} run{'s' if runs > 1 else ''} after a "
        "warm-up (a warm-up longer than 2 s is timed too); peak memory is "
        "the largest resident set of those runs (never below the launcher's own, about 10 MB). Output goes to a "
        "pipe that is read to its end; the views print a second time to a pseudo-terminal of 120 columns. The "
        "start-up commands are run in turn, round after round.",
        "",
        "## Start-up",
        "",
    ]


def _startup_table(results: Results) -> list[str]:
    python = results.startup["python -c pass"].seconds
    rows = [
        [f"`{name}`", seconds(m.seconds), f"{m.seconds / python:.1f}", megabytes(m.peak)]
        for name, m in results.startup.items()
    ]
    return table(["command", "median", "× python -c pass", "peak memory"], rows)


def _times(results: Results) -> list[str]:
    sizes = results.sizes
    steps = list(zip(sizes, sizes[1:], strict=False))
    json = results.stidiplo.get(JSON, {}).get(VIEW_SIZE)
    header = ["command", *(f"{size:,} items" for size in sizes), *(f"× {a:,} → {b:,}" for a, b in steps)]
    header += [f"÷ json at {VIEW_SIZE:,}", f"output at {sizes[-1]:,}"]
    rows = []
    labels = list(results.stidiplo)
    for label in labels:
        for mode, measured in (("", results.stidiplo[label]), (" (terminal)", results.terminal.get(label))):
            if measured is None:
                continue
            ratios = [growth(measured, a, b) for a, b in steps]
            row = [f"`{label}`{mode}", *(seconds(measured[s].seconds) if s in measured else "error" for s in sizes)]
            row += [f"{ratio:.1f}" if ratio else "" for ratio in ratios]
            row.append(f"{measured[VIEW_SIZE].seconds / json.seconds:.1f}" if json and VIEW_SIZE in measured else "")
            row.append(megabytes(measured[sizes[-1]].output) if sizes[-1] in measured else "")
            rows.append(row)
    files = ", ".join(f"{size:,} items {megabytes(results.file_sizes[size])}" for size in sizes)
    return [
        "## Time by size of tracker (median)",
        "",
        *table(header, rows),
        "",
        f"File size: {files}. A ratio of 10 per 10 × items is linear growth; below it, the fixed start-up "
        "still counts.",
    ]


def _memory(results: Results) -> list[str]:
    sizes, last = results.sizes, results.sizes[-1]
    rows = []
    named = [(f"`{k}`", v) for k, v in results.stidiplo.items()]
    named += [(f"`{k}` (terminal)", v) for k, v in results.terminal.items()]
    for label, measured in named:
        row = [label, *(megabytes(measured[s].peak) if s in measured else "error" for s in sizes)]
        row.append(f"{measured[last].peak / results.file_sizes[last]:.1f}" if last in measured else "")
        rows.append(row)
    header = ["command", *(f"{size:,} items" for size in sizes), f"× file at {last:,}"]
    return ["## Peak memory by size of tracker", "", *table(header, rows)]


def _rivals(results: Results) -> list[str]:
    rows = []
    for name, by_label in results.rivals.items():
        for label, measured in by_label.items():
            ours = results.stidiplo.get(SAME[label], {})
            for size in results.sizes:
                if size in measured and size in ours:
                    mine, theirs = ours[size].seconds, measured[size].seconds
                    rows.append([name, label, f"{size:,}", seconds(mine), seconds(theirs), f"{mine / theirs:.2f}"])
    imported, task_import = results.imports.get("stidiplo"), results.imports.get("taskwarrior")
    if imported and task_import:
        mine, theirs = imported.seconds, task_import.seconds
        rows.append(
            [
                "taskwarrior",
                "import",
                f"{IMPORT_SIZE:,} into empty",
                seconds(mine),
                seconds(theirs),
                f"{mine / theirs:.2f}",
            ]
        )
    if not rows:
        return []
    return [
        "## Against other trackers (same items, same run)",
        "",
        "`list` is `list --country sweden --limit 50` and its equivalents: `task project:SE limit:50 list`, "
        "`watson log --project SE` over the days of the country's first 50 frames, `jrnl -n 50 @SE`. Those are "
        "run in turn, round after round, so that a change of load falls on all alike (stidiplo's figure in the "
        "tables above comes from these rounds).",
        "",
        *table(["tracker", "command", "items", "stidiplo", "tracker", "ratio"], rows, text=2),
        "",
    ]


def report(results: Results, runs: int) -> str:
    lines = [*_header(results, runs), *_startup_table(results), "", *_times(results), "", *_memory(results), ""]
    imports = [[f"`{name} import`", seconds(m.seconds), megabytes(m.peak)] for name, m in results.imports.items()]
    if imports:
        lines += [f"## Import of {IMPORT_SIZE:,} items into an empty tracker", ""]
        lines += [*table(["command", "median", "peak memory"], imports), ""]
    lines += _rivals(results)
    lines += ["## Targets", ""]
    lines += table(["target", "measured", "result"], [[a, b, verdict(c)] for a, b, c in targets(results)], text=3)
    if results.notes:
        lines += ["", *(f"- {note}" for note in results.notes)]
    return "\n".join(lines) + "\n"
