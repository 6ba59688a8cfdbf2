"""Markdown for documents: the items as one table per year, under a `## 2018` heading each."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import IO

from stidiplo import vocab
from stidiplo.formats.table import write_md_rows
from stidiplo.model import Item

COLUMNS = ("date", "title", "kind", "status", "countries", "fields", "organizations")


def _row(item: Item, lang: str) -> list[str]:
    join = "、" if lang == "ja" else ", "
    return [
        item.when(lang),
        item.title_in(lang),
        vocab.kind_label(item.kind, lang),
        vocab.status_label(item.status, lang),
        join.join(vocab.country_name(c, lang) for c in item.countries),
        join.join(vocab.field_name(f, lang) for f in item.fields),
        join.join(item.organizations),
    ]


def write_by_year(items: Iterable[Item], lang: str, out: IO[str]) -> None:
    """Items as a table under each year they start in; within a year they keep the order given."""
    header = [vocab.header(column, lang) for column in COLUMNS]
    by_year = sorted(items, key=lambda i: i.start.first.year)
    for number, (year, group) in enumerate(groupby(by_year, key=lambda i: i.start.first.year)):
        if number:
            out.write("\n")
        out.write(f"## {year}\n\n")
        write_md_rows(header, (_row(item, lang) for item in group), out)
