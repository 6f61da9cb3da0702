"""The links a quote carries: a cause's symptoms and body areas, a nutrient's foods.

Each link rests on the evidence that states it; the words a source uses for a
food, or to qualify a symptom, are kept with the link.
"""

from __future__ import annotations

from django.utils.text import slugify

from knowledge.builder.errors import BuildError
from knowledge.documents import split_items
from knowledge.fixture import Record


class LinkRecords:
    """Builder steps that write link records. The builder provides ``curation``,
    the entity registries and ``links``."""

    def _symptom_slugs(self, cell: str) -> list[str]:
        terms = self.curation["symptom_terms"]
        whole = cell.rstrip(".").strip().lower()
        if whole in terms:
            return terms[whole]
        slugs = []
        for item in split_items(cell):
            slugs.extend(terms.get(item.lower(), [slugify(item)]))
        return slugs

    def _link_symptoms(
        self,
        slug: str,
        symptoms: list[str],
        evidence: Record,
        words: dict[str, str] | None = None,
    ) -> None:
        """Link each symptom; ``words`` are the source's qualifying words for some
        (``symptom_words``: "in severe cases, seizures"), kept whole."""
        words = words or {}
        for symptom in dict.fromkeys(symptoms):
            if symptom not in self.symptoms:
                raise BuildError(f"Unknown symptom {symptom!r} ({evidence['value']!r})")
            stated_as = words.get(symptom, "")
            if stated_as not in evidence["passage"]:
                raise BuildError(f"{stated_as!r} is not in {evidence['passage']!r}")
            self.links["causesymptom"].append(
                {
                    "cause": self.causes[slug].pk,
                    "symptom": self.symptoms[symptom].pk,
                    "evidence": evidence["pk"],
                    "stated_as": stated_as,
                }
            )

    def _link_areas(self, slug: str, areas: list[str], evidence: Record) -> None:
        for area in areas:
            self.links["causebodyarea"].append(
                {
                    "cause": self.causes[slug].pk,
                    "body_area": self.body_areas[area].pk,
                    "evidence": evidence["pk"],
                }
            )

    def _link_foods(self, slug: str, terms: list[str], evidence: Record) -> None:
        food_terms = self.curation["food_terms"]
        seen = set()
        for term in terms:
            for food in food_terms.get(term.lower(), [slugify(term)]):
                if food not in self.foods:
                    raise BuildError(f"Unknown food {food!r} (from {term!r})")
                if food in seen:
                    continue
                seen.add(food)
                self.links["nutrientfood"].append(
                    {
                        "nutrient": self.nutrients[slug].pk,
                        "food": self.foods[food].pk,
                        "evidence": evidence["pk"],
                        "stated_as": term,
                    }
                )
