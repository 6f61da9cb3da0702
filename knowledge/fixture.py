"""The knowledge-base fixture: what the builder read, as Django fixture records.

Primary keys are stable (positions in the curated file), so building twice gives
the same bytes and loading is repeatable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.builder import Entity, KnowledgeBuilder, Record


def fixture_records(builder: KnowledgeBuilder) -> list[Record]:
    """Every record of the fixture, models in the order they must be loaded."""
    records: list[Record] = []

    def add(model: str, entities: dict[str, Entity]) -> None:
        for entity in entities.values():
            records.append(
                {
                    "model": f"knowledge.{model}",
                    "pk": entity.pk,
                    "fields": entity.fields,
                }
            )

    add("sourcedocument", builder.sources)
    add("bodyarea", builder.body_areas)
    add("symptom", builder.symptoms)
    add("nutrient", builder.nutrients)
    add("foodsource", builder.foods)
    add("cause", builder.causes)
    add("article", builder.articles)
    for row in builder.evidence:
        fields = {key: value for key, value in row.items() if key != "pk"}
        records.append(
            {"model": "knowledge.evidence", "pk": row["pk"], "fields": fields}
        )
    for pk, synonym in enumerate(builder.curation.get("synonyms", []), start=1):
        fields = {"terms": "\n".join(synonym["terms"]), "note": synonym["note"]}
        records.append({"model": "search.synonym", "pk": pk, "fields": fields})
    for model in ("causesymptom", "causebodyarea", "nutrientfood"):
        for pk, fields in enumerate(builder.links[model], start=1):
            records.append({"model": f"knowledge.{model}", "pk": pk, "fields": fields})
    return records
