"""Tables printed as lines print what Rich's own tables print, character for character."""

from __future__ import annotations

import random
from io import StringIO
from typing import TYPE_CHECKING

import pytest
from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from stidiplo.views.cells import NARROW_OR_WIDE, Styled, cell_width
from stidiplo.views.layout import border_width, column_widths_of
from stidiplo.views.lines import TableLines, print_in_pieces

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rich.console import RenderableType

    from stidiplo.views.lines import Cell

ROWS: list[tuple[Cell, ...]] = [
    (Text("de1a34", style="bold"), "1980", "agreement", Text("✓ done", style="green"), "日中科学技術協力協定"),
    (
        Text("ab4d59", style="bold"),
        "2012年3月",
        "program",
        Text("▶ ongoing", style="blue"),
        Text("RENKEI（日英大学間交流ネットワーク）における量子技術の共同研究"),
    ),
    (
        "7456f5",
        "17–19 Oct\n2017",
        "visit",
        "",
        Text("MIRAI project (Japan–Sweden university collaboration) with a long word Supercalifragilistic"),
    ),
    ("", "", "", Text("██", style="green").append("░░", style="dim"), Text("")),
]


def listing() -> Table:
    table = Table(box=box.SIMPLE_HEAD, title="Items", title_justify="left", pad_edge=False, show_edge=False)
    table.collapse_padding, table.expand = True, True
    for header in ("ID", "Date", "Kind", "Status"):
        table.add_column(header, overflow="fold", no_wrap=header == "ID", max_width=12)
    table.add_column("件名", overflow="fold", ratio=1, min_width=16)
    return table


def borderless() -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1), expand=True)
    for width in (6, 10, 9, 9):
        table.add_column(overflow="fold", no_wrap=True, min_width=width)
    table.add_column(overflow="fold", ratio=1)
    return table


def scored() -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_footer=True)
    table.add_column("Meeting", "Total", overflow="fold", ratio=1, min_width=12)
    for header in ("A", "B", "C"):
        table.add_column(Text(header, style="cyan"), Text("7", style="cyan"), justify="right", no_wrap=True)
    table.add_column("Name", "all", overflow="fold")
    return table


def grid() -> Table:
    table = Table.grid(padding=(0, 2))
    for _ in range(4):
        table.add_column(no_wrap=True, style="dim")
    table.add_column(overflow="fold", ratio=1)
    return table


def printed(renderable: RenderableType, width: int, colour: bool) -> str:
    out = StringIO()
    console = Console(file=out, width=width, force_terminal=colour, color_system="truecolor" if colour else None)
    console.print(renderable)
    return out.getvalue()


@pytest.mark.parametrize("make", [listing, borderless, scored, grid])
@pytest.mark.parametrize("width", [30, 52, 80, 120])
@pytest.mark.parametrize("colour", [False, True])
def test_lines_match_richs_table(make: Callable[[], Table], width: int, colour: bool) -> None:
    rows: Sequence[Sequence[Cell]] = ROWS
    table = make()
    for row in rows:
        table.add_row(*row)
    assert printed(TableLines(make(), rows), width, colour) == printed(table, width, colour)


def test_a_table_without_rows_prints_its_title_header_and_rule() -> None:
    assert printed(TableLines(listing(), []), 60, colour=False) == printed(listing(), 60, colour=False)


def test_the_quick_cell_width_counts_as_rich_does_for_every_character_it_covers() -> None:
    covered = [chr(c) for c in range(0x20, 0x10000) if NARROW_OR_WIDE.fullmatch(chr(c))]
    assert len(covered) > 40_000
    assert [c for c in covered if cell_width(c) != cell_len(c)] == []
    title = "日英大学間交流ネットワーク（RENKEI）— Japan–UK ✓ 100%"
    assert cell_width(title) == cell_len(title)


TRICKY = [
    "  leading spaces and  double  spaces ",
    "日英大学間交流ネットワーク（RENKEI）における量子技術の共同研究と人材交流の推進",
    "a" * 45 + " tail",
    "word " * 12,
    "MIRAI 2.0 — Japan–Sweden ✓ 研究 collaboration, 2019年4月",
    "x",
    "",
]


@pytest.mark.parametrize("width", [9, 10, 17, 33])
def test_folded_titles_break_where_richs_wrap_breaks_them(width: int) -> None:
    def one_column() -> Table:
        table = Table(box=None, show_header=False, expand=True, pad_edge=False)
        table.add_column(overflow="fold", ratio=1)
        return table

    table = one_column()
    for title in TRICKY:
        table.add_row(title)
    assert printed(TableLines(one_column(), [[t] for t in TRICKY]), width, colour=False) == printed(table, width, False)


@pytest.mark.parametrize("colour", [False, True])
def test_a_long_view_printed_in_pieces_prints_what_it_prints_whole(colour: bool) -> None:
    rows = [row for _ in range(700) for row in ROWS]
    view = Group(Text("heading", style="bold"), TableLines(scored(), rows), Text("tally"))

    def pieces() -> str:
        out = StringIO()
        print_in_pieces(
            Console(file=out, width=70, force_terminal=colour, color_system="truecolor" if colour else None), view
        )
        return out.getvalue()

    assert pieces() == printed(view, 70, colour)
    assert pieces().count("Meeting") == 1 and pieces().count("Total") == 1  # one header, one footer


@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize("colour", [False, True])
def test_a_table_nested_in_a_cell_is_measured_and_printed_as_richs(width: int, colour: bool) -> None:
    def history() -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="dim")
        table.add_column(overflow="fold", ratio=1)
        return table

    def outer() -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, min_width=12)
        table.add_column(overflow="fold", ratio=1)
        return table

    entries: list[tuple[Cell, Cell]] = [(Text("2019-04-30 10:00"), Text(title)) for title in TRICKY[:4]]
    entries.append(("2019年4月30日", Styled("✓ 済", "green")))
    nested = history()
    for entry in entries:
        nested.add_row(*(cell.as_text() if isinstance(cell, Styled) else cell for cell in entry))
    heading = Text("✓ done", style="green").append("  日英大学間交流ネットワーク（RENKEI）における共同研究")
    rich_table, ours = outer(), outer()
    rich_table.add_row("  Apr 2019", Group(heading, Text("meta", style="dim"), nested))
    rich_table.add_row("  May 2019", "ab")
    rows: list[tuple[Cell, Cell]] = [
        ("  Apr 2019", Group(heading, Text("meta", style="dim"), TableLines(history(), entries))),
        ("  May 2019", "ab"),
    ]
    assert printed(TableLines(ours, rows), width, colour) == printed(rich_table, width, colour)


def test_rows_wider_than_the_console_are_cropped_as_rich_crops_them() -> None:
    out = StringIO()
    print_in_pieces(Console(file=out, width=30, color_system=None), TableLines(borderless(), ROWS))
    assert out.getvalue() == printed(TableLines(borderless(), ROWS), 30, colour=False)
    assert max(len(line) for line in out.getvalue().splitlines()) == 30


def test_styled_strings_print_as_rich_prints_texts_of_that_style() -> None:
    def styled(cell: Cell) -> Cell:
        return Styled(cell.plain, str(cell.style)) if isinstance(cell, Text) and not cell.spans else cell

    rows = [tuple(styled(cell) for cell in row) for row in ROWS]
    assert any(isinstance(cell, Styled) for row in rows for cell in row)
    for make in (listing, borderless, scored):
        table = make()
        for row in ROWS:
            table.add_row(*row)
        for width in (30, 80):
            assert printed(TableLines(make(), rows), width, colour=True) == printed(table, width, colour=True)
            assert printed(TableLines(make(), rows), width, colour=False) == printed(table, width, colour=False)


@pytest.mark.parametrize("seed", range(40))
def test_column_widths_are_richs_for_any_cells_and_width(seed: int) -> None:
    """Widths worked out from each column's widest line are those Rich's table measures cell by cell."""
    chance = random.Random(seed)
    words = ["a", "量子", "collaboration", "日英大学間交流ネットワーク", "MIRAI", "", "2019年4月", "x" * 30]

    def make() -> Table:
        return Table(
            box=chance.choice([None, box.SIMPLE_HEAD, box.ROUNDED]),
            show_header=chance.random() < 0.5,
            show_footer=chance.random() < 0.3,
            pad_edge=chance.random() < 0.5,
            collapse_padding=chance.random() < 0.5,
            expand=chance.random() < 0.7,
            padding=(0, chance.choice([0, 1, 2])),
        )

    state = chance.getstate()
    columns = [
        dict(
            header=chance.choice(["ID", "件名", "Date"]),
            footer="Σ",
            no_wrap=chance.random() < 0.4,
            ratio=chance.choice([None, None, 1, 2]),
            min_width=chance.choice([None, 4, 12]),
            max_width=chance.choice([None, 6, 16]),
            overflow="fold",
        )
        for _ in range(chance.randint(1, 5))
    ]
    rows = [
        [" ".join(chance.sample(words, chance.randint(0, 3))) for _ in columns] for _ in range(chance.randint(0, 6))
    ]
    width = chance.randint(8, 130)
    chance.setstate(state)
    rich_table = make()
    chance.setstate(state)
    ours = make()
    for table in (rich_table, ours):
        for column in columns:
            table.add_column(**column)  # type: ignore[arg-type]
    for row in rows:
        rich_table.add_row(*row)
    console = Console(file=StringIO(), width=width, color_system=None)
    inner = console.options.update_width(width - border_width(rich_table))
    assert column_widths_of(ours, rows, console, console.options) == rich_table._calculate_column_widths(console, inner)


@pytest.mark.parametrize("seed", range(30))
def test_a_table_is_as_wide_as_rich_measures_it(seed: int) -> None:
    """The widest a table of lines says it is, the maximum Rich measures the same table at."""
    chance = random.Random(seed)
    words = ["a", "量子", "collaboration", "日英大学間交流ネットワーク", "", "2019年4月", "x" * 30]

    def make() -> Table:
        table = Table.grid(padding=(0, chance.choice([1, 2])), expand=chance.random() < 0.3)
        table.add_column(no_wrap=True, style="dim", min_width=chance.choice([None, 8]))
        table.add_column(overflow="fold", ratio=chance.choice([None, 1]), max_width=chance.choice([None, 20]))
        return table

    state = chance.getstate()
    rows = [
        [" ".join(chance.sample(words, chance.randint(0, 3))) for _ in range(2)] for _ in range(chance.randint(0, 4))
    ]
    width = chance.randint(1, 90)
    chance.setstate(state)
    rich_table = make()
    chance.setstate(state)
    ours = make()
    for row in rows:
        rich_table.add_row(*row)
    console = Console(file=StringIO(), width=width, color_system=None)
    lines = TableLines(ours, rows)
    assert lines.widest(console, console.options) == Measurement.get(console, console.options, rich_table).maximum


@pytest.mark.parametrize("width", [12, 22, 24, 30, 47, 80, 121])
def test_widths_learnt_for_one_set_of_titles_hold_for_others_only_where_rich_agrees(width: int) -> None:
    """An expanding table's ratio column takes what is left whatever its cells, unless the columns
    must shrink: widths kept from one set of rows must be Rich's for rows with other titles too."""
    titles = ["", "a", "ab c", "日英大学間交流ネットワーク（RENKEI）における共同研究", "x" * 90, "word " * 30]
    for title in titles:
        rows = [("de1a34", "17–19 Oct 2017", title), ("ab4d59", "2012年3月", title[:2])]
        rich_table, ours = borderless_three(), borderless_three()
        for row in rows:
            rich_table.add_row(*row)
        console = Console(file=StringIO(), width=width, color_system=None)
        assert column_widths_of(ours, rows, console, console.options) == rich_table._calculate_column_widths(
            console, console.options
        )


def borderless_three() -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1), expand=True)
    table.add_column(overflow="fold", no_wrap=True, min_width=6)
    table.add_column(overflow="fold", min_width=10)
    table.add_column(overflow="fold", ratio=1)
    return table


def test_a_body_cell_that_reads_as_its_header_keeps_the_body_style() -> None:
    def make() -> Table:
        table = Table(box=box.SIMPLE_HEAD, header_style="bold magenta")
        table.add_column("Date", style="cyan")
        table.add_column("Title", footer="Title", footer_style="red")
        table.show_footer = True
        return table

    rows = [("Date", "Title"), ("Date", Styled("Title", "green"))]
    table = make()
    for row in rows:
        table.add_row(*(cell.as_text() if isinstance(cell, Styled) else cell for cell in row))
    assert printed(TableLines(make(), rows), 40, colour=True) == printed(table, 40, colour=True)


class _ClosedPipe(StringIO):
    """A stream whose reader has gone after the first write, as `| head` leaves stdout."""

    def write(self, text: str) -> int:
        if self.getvalue():
            raise BrokenPipeError("the reader went away")
        return super().write(text)


class _ReaderGone(Exception):
    pass


def test_a_reader_gone_mid_view_is_handled_as_the_console_handles_it(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [row for _ in range(2000) for row in ROWS]
    stream = _ClosedPipe()
    console = Console(file=stream, width=70, color_system=None)

    def on_broken_pipe() -> None:
        raise _ReaderGone

    monkeypatch.setattr(console, "on_broken_pipe", on_broken_pipe)
    with pytest.raises(_ReaderGone):
        print_in_pieces(console, TableLines(scored(), rows))
    assert printed(TableLines(scored(), rows), 70, colour=False).startswith(stream.getvalue())
    assert stream.getvalue()
