"""The knowledge-base fixture: what the builder read, as Django fixture records.

Primary keys are stable (positions in the curated file), so building twice gives
the same bytes and loading is repeatable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass
class Entity:
    """A record being built: its primary key and fields, plus its evidence."""

    pk: int
    fields: Record
    evidence: list[Record] = field(default_factory=list)

    def first(self, aspect: str) -> str:
        for row in self.evidence:
            if row["aspect"] == aspect:
                return row["value"]
        return ""


def fixture_records(
    *,
    entities: dict[str, dict[str, Entity]],
    evidence: list[Record],
    synonyms: list[Record],
    links: dict[str, list[Record]],
) -> list[Record]:
    """Every record of the fixture, models in the order they must be loaded."""
    records: list[Record] = [
        {"model": f"knowledge.{model}", "pk": entity.pk, "fields": entity.fields}
        for model, by_slug in entities.items()
        for entity in by_slug.values()
    ]
    for row in evidence:
        fields = {key: value for key, value in row.items() if key != "pk"}
        records.append(
            {"model": "knowledge.evidence", "pk": row["pk"], "fields": fields}
        )
    for pk, synonym in enumerate(synonyms, start=1):
        fields = {
            "terms": "\n".join(synonym["terms"]),
            "note": synonym["note"],
            "stated_in": synonym.get("stated_in"),
        }
        records.append({"model": "search.synonym", "pk": pk, "fields": fields})
    for model in ("causesymptom", "causebodyarea", "nutrientfood"):
        for pk, fields in enumerate(links[model], start=1):
            records.append({"model": f"knowledge.{model}", "pk": pk, "fields": fields})
    return records
