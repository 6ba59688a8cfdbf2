"""Turn the audited record of the MEXT briefing of spring 2019 into the shipped tracker, data/db.json.

    python scripts/load_dataset.py AUDITED.json [data/db.json]

The audit (data/SOURCES.md, data/AUDIT-NOTES.md) produced the record as a JSON list of items in a
neutral structure (Japanese and English text side by side as `_ja`/`_en` keys, `title_ours`,
sources with page, heading and quote, printed links, a provenance remark). This script made
data/db.json from it: each entry becomes the tracker's item with its id, its status dated as of the
briefing, and the file is written the way stidiplo writes it, so it is deterministic and
`stidiplo check` finds it clean. The tracker is now the record; the audited list stays in the
project's history as data/dataset.next.json, removed once the tracker held it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from stidiplo import model
from stidiplo.model import Amount, Item, Note, Source, StatusChange
from stidiplo.store import data_from_tracker, serialize
from stidiplo.tracker import Tracker

AS_OF = "2019-04"
"""The month the briefing describes: the statuses are as of then."""
STAMP = "2019-04-30T00:00:00Z"
"""When the record was made, as `created` and `updated` say."""
NOTED = "2019-04-30"
"""The briefing's date: when a pending status was reported; the facts about a happening are dated with it."""
OURS = "The title is worded for the record; the document names the item in other words."


def began(entry: dict) -> str:
    """When the status as of the briefing began: a happening or an opening on its date, else the briefing's."""
    return entry["date"] if entry["date"] and entry["status"] in ("done", "ongoing") else NOTED


def amount(entry: dict) -> Amount | None:
    given = entry["amount"]
    if given is None:
        return None
    return Amount(given["value"], given["currency"], given.get("detail_ja"), given.get("detail_en"))


def provenance(entry: dict) -> str | None:
    remarks = [r for r in (entry["provenance"], OURS if entry["title_ours"] else None) if r]
    return " ".join(remarks) or None


def sources(entry: dict) -> list[Source]:
    cited = [Source(s["document"], str(s["page"]), s.get("heading"), s.get("quote")) for s in entry["sources"]]
    return cited + [Source(link) for link in entry["links"]]


def item(entry: dict) -> Item:
    """The tracker's item for one audited entry."""
    return Item(
        id=entry["id"],
        kind=entry["kind"],
        title=entry["title_ja"],
        date=entry["date"],
        status=entry["status"],
        title_en=entry["title_en"],
        end=entry["end"],
        countries=entry["countries"],
        fields=entry["fields"],
        history=[StatusChange(began(entry), entry["status"])],
        follows=entry["follows"],
        related=entry["related"],
        organizations=entry["organisations"],
        people=entry["people_ja"],
        place=entry["place_ja"],
        participants=entry["participants_ja"],
        amount=amount(entry),
        sources=sources(entry),
        notes=[Note(began(entry), ja, en) for ja, en in zip(entry["notes_ja"], entry["notes_en"], strict=True)],
        created=STAMP,
        updated=STAMP,
        date_estimated=entry["date_estimated"],
        end_estimated=entry["end_estimated"],
        place_en=entry["place_en"],
        people_en=entry["people_en"],
        participants_en=entry["participants_en"],
        programmes=entry["programmes"],
        provenance=provenance(entry),
    )


def main() -> int:
    """Read the audited record, check every item as `stidiplo` would, write the tracker."""
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    entries = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = Path(sys.argv[2] if len(sys.argv) == 3 else "data/db.json")
    items = [item(entry) for entry in entries]
    tracker = Tracker({i.id: i for i in items}, {"as_of": AS_OF})
    for one in items:
        model.validate(one)
        tracker.check_links(one)
    out.write_bytes(serialize(data_from_tracker(tracker)))
    print(f"{out}: {len(items)} items", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
