"""From the documents an office already has to draft items: `stidiplo extract`.

reading (text, Markdown, Word, PDF to lines) → finding (blocks, sentences, dates) → guessing
(kind, status, countries, fields, each with a confidence and a reason) and titles (the clause
that names the happening) → proposals (one per happening, merged, linked to the meeting a status
page follows or the meeting an outcome came out of, checked against the tracker) → review (the
proposals as rows `stidiplo import` reads). Nothing here writes a file or prints; the command
does both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stidiplo.extract.proposals import Proposal
    from stidiplo.model import Item


def extract(paths: Sequence[Path], items: Sequence[Item], today: date) -> list[Proposal]:
    """The proposals every document in `paths` gives, in order, marked where `items` already hold them."""
    from stidiplo.extract.proposals import propose
    from stidiplo.extract.reading import read_document

    found: dict[str, Proposal] = {}
    for path in dict.fromkeys(paths):  # a file given twice is read once
        for proposal in propose(read_document(path), items, today):
            found.setdefault(proposal.id, proposal)
    return list(found.values())
