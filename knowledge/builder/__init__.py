"""Build the knowledge-base fixture from the source documents and the curated file.

The tables are parsed from the documents; the curated file (fixtures/curation.toml)
says which entity each table row is about and quotes what the prose says. The
output is a Django fixture with stable primary keys, so building twice gives the
same bytes and loading is repeatable.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections import defaultdict
from pathlib import Path

from knowledge.builder.errors import BuildError
from knowledge.builder.links import LinkRecords
from knowledge.documents import ParsedDocument, parse_document, split_items, to_markdown
from knowledge.fixture import Entity, Record, fixture_records
from knowledge.ledger import Reckoning, Unaccounted, account
from knowledge.markdown import render_markdown_with_toc
from knowledge.models import Evidence, grade_of
from knowledge.models.articles import reading_minutes
from knowledge.passages import PassageNotFound, locate

__all__ = ["BuildError", "KnowledgeBuilder", "build_fixture"]

Aspect = Evidence.Aspect


class KnowledgeBuilder(LinkRecords):
    def __init__(self, fixtures_dir: Path) -> None:
        self.fixtures_dir = fixtures_dir
        with (fixtures_dir / "curation.toml").open("rb") as file:
            self.curation = tomllib.load(file)
        self.texts: dict[str, str] = {}
        self.parsed: dict[str, ParsedDocument] = {}
        self.evidence: list[Record] = []
        self.links: dict[str, list[Record]] = defaultdict(list)

    # -- entities ------------------------------------------------------------------

    def _entities(self, key: str, make_fields) -> dict[str, Entity]:
        return {
            item["slug"]: Entity(pk=pk, fields=make_fields(item))
            for pk, item in enumerate(self.curation[key], start=1)
        }

    def build(self) -> list[Record]:
        published_at = self.curation["published_at"]
        self.sources = self._entities("documents", self._source_fields)
        self.articles = self._entities(
            "documents", lambda doc: self._article_fields(doc, published_at)
        )
        self.body_areas = self._entities(
            "body_areas",
            lambda item: {"name": item["name"], "slug": item["slug"]},
        )
        for position, area in enumerate(self.body_areas.values(), start=1):
            area.fields["position"] = position
        self.symptoms = self._entities(
            "symptoms", lambda item: {"name": item["name"], "slug": item["slug"]}
        )
        self.nutrients = self._entities("nutrients", self._nutrient_fields)
        self.foods = self._entities("foods", self._food_fields)
        self.causes = self._entities("causes", self._cause_fields)
        self.conditions = self._entities("conditions", self._condition_fields)

        for table in self.curation["tables"]:
            self._add_table(table)
        for item in self.curation["evidence"]:
            self._add_prose(item)
        self._derive_fields()
        self.reckonings = [self._reckon(doc) for doc in self.curation["documents"]]
        return fixture_records(
            entities={
                "sourcedocument": self.sources,
                "bodyarea": self.body_areas,
                "symptom": self.symptoms,
                "nutrient": self.nutrients,
                "foodsource": self.foods,
                "cause": self.causes,
                "condition": self.conditions,
                "article": self.articles,
            },
            evidence=self.evidence,
            synonyms=[
                self._synonym(item) for item in self.curation.get("synonyms", [])
            ],
            links=self.links,
        )

    def _source_fields(self, doc: Record) -> Record:
        path = self.fixtures_dir / "sources" / doc["file"]
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        self.texts[doc["slug"]] = text
        self.parsed[doc["slug"]] = parse_document(
            text,
            title=doc["title"],
            title_is_first_line=doc.get("title_is_first_line", False),
            drop_lines=doc.get("drop_lines", []),
            subheadings=doc.get("subheadings", []),
        )
        editorial = doc.get("editorial_title", False)
        return {
            "key": path.stem,
            "filename": doc["file"],
            "sha256": hashlib.sha256(raw).hexdigest(),
            "text": text,
            "format": "text",
            "title": "" if editorial else doc["title"],
            "editorial_title": doc["title"] if editorial else "",
            # None of the four documents names an author, a date or its address.
            "author": "",
            "published_on": None,
            "url": "",
            "title_is_first_line": doc.get("title_is_first_line", False),
            "left_out": "\n".join(doc.get("drop_lines", [])),
            "subheadings": "\n".join(doc.get("subheadings", [])),
            "added_at": self.curation["published_at"],
            "added_by": None,
        }

    def _article_fields(self, doc: Record, published_at: str) -> Record:
        body = to_markdown(self.parsed[doc["slug"]])
        body_html, toc = render_markdown_with_toc(body)
        if doc["summary"] not in self.texts[doc["slug"]]:
            raise BuildError(f"{doc['slug']}: the summary is not in the document")
        return {
            "title": doc["title"],
            "slug": doc["slug"],
            "summary": doc["summary"],
            "body": body,
            "body_html": body_html,
            "toc": toc,
            "source": self.sources[doc["slug"]].pk,
            "status": "published",
            "live_title": doc["title"],
            "live_slug": doc["slug"],
            "live_summary": doc["summary"],
            "live_body": body,
            "live_body_html": body_html,
            "live_toc": toc,
            "live_reading_minutes": reading_minutes(body_html),
            "created_at": published_at,
            "updated_at": published_at,
            "published_at": published_at,
        }

    @staticmethod
    def _nutrient_fields(item: Record) -> Record:
        return {
            "name": item["name"],
            "slug": item["slug"],
            "kind": item["kind"],
        }

    @staticmethod
    def _food_fields(item: Record) -> Record:
        return {
            "name": item["name"],
            "slug": item["slug"],
            "kind": item.get("kind", "food"),
            "category": item["category"],
            "diet": item.get("diet", ""),
        }

    def _cause_fields(self, item: Record) -> Record:
        nutrient = item.get("nutrient")
        return {
            "name": item["name"],
            "slug": item["slug"],
            "category": item["category"],
            "nutrient": self.nutrients[nutrient].pk if nutrient else None,
        }

    def _condition_fields(self, item: Record) -> Record:
        area = item.get("area")
        return {
            "name": item["name"],
            "slug": item["slug"],
            "area": self.body_areas[area].pk if area else None,
            "general": item.get("general", False),
            "position": item["position"],
        }

    # -- evidence ------------------------------------------------------------------

    def _subject(self, kind: str, slug: str) -> Entity:
        registry = {
            "cause": self.causes,
            "nutrient": self.nutrients,
            "condition": self.conditions,
        }[kind]
        try:
            return registry[slug]
        except KeyError:
            raise BuildError(f"Unknown {kind} {slug!r}") from None

    def _add_evidence(
        self,
        *,
        document: str,
        kind: str,
        slug: str,
        aspect: str,
        passage: str,
        value: str,
        locator: str,
        stance: str = Evidence.Stance.SUPPORTS,
        near: int = 0,
        inference: str = "",
    ) -> Record:
        text = self.texts[document]
        try:
            start, end = locate(text, passage, near=near)
        except PassageNotFound as error:
            raise BuildError(f"{document}: {passage[:60]!r}: {error}") from None
        if text[start:end] != passage:
            raise BuildError(f"{document}: not word for word: {passage[:60]!r}")
        if value not in passage:
            raise BuildError(f"{document}: value {value!r} is not in its passage")
        subject = self._subject(kind, slug)
        scale = Evidence.GRADED.get(str(aspect))
        grade = grade_of(value or passage, scale) if scale else None
        if scale and grade is None:
            raise BuildError(f"{slug}: {value!r} opens with no {aspect} grade")
        row = {
            "pk": len(self.evidence) + 1,
            "article": self.articles[document].pk,
            "cause": subject.pk if kind == "cause" else None,
            "nutrient": subject.pk if kind == "nutrient" else None,
            "condition": subject.pk if kind == "condition" else None,
            "aspect": str(aspect),
            "stance": str(stance),
            "value": value,
            "grade": grade,
            "inference": inference,
            "passage": passage,
            "start": start,
            "end": end,
            "locator": locator,
            "position": len(self.evidence) + 1,
        }
        self.evidence.append(row)
        subject.evidence.append(row)
        return row

    def _add_table(self, spec: Record) -> None:
        document = spec["document"]
        table = self.parsed[document].table_under(spec["heading"])
        if set(table.header) != set(spec["columns"]):
            raise BuildError(f"{document}: columns {table.header} do not match")
        seen_rows = set()
        for record in table.records():
            row_name = record[table.header[0]]
            seen_rows.add(row_name)
            locator = f"Table “{table.heading}”, row “{row_name}”"
            row_line = re.search(
                rf"^\|?\s*{re.escape(row_name)}\s*\|", self.texts[document], re.M
            )
            subjects = spec["rows"][row_name]
            # One row about several subjects: each gets the row, marked as ours.
            inference = (
                f"The source’s row “{row_name}” is about "
                + " and ".join(
                    self._subject(spec["subject"], slug).fields["name"].lower()
                    for slug in subjects
                )
                + " together; we show it for each."
                if len(subjects) > 1
                else ""
            )
            for slug in subjects:
                for column, aspect in spec["columns"].items():
                    cell = record[column]
                    evidence = self._add_evidence(
                        document=document,
                        kind=spec["subject"],
                        slug=slug,
                        aspect=aspect,
                        passage=cell,
                        value=cell,
                        locator=locator,
                        near=row_line.start(),
                        inference=inference,
                    )
                    self._apply_cell(slug, aspect, cell, evidence)
        if missing := set(spec["rows"]) - seen_rows:
            raise BuildError(f"{document}: rows not in the table: {sorted(missing)}")

    def _apply_cell(self, slug: str, aspect: str, cell: str, evidence: Record) -> None:
        if aspect == Aspect.SYMPTOMS:
            self._link_symptoms(slug, self._symptom_slugs(cell), evidence)
        elif aspect == Aspect.FOOD_SOURCES:
            self._link_foods(slug, split_items(cell), evidence)

    def _add_prose(self, item: Record) -> None:
        document = item["document"]
        passage = item["passage"]
        parsed = self.parsed[document]
        section = parsed.section_of(passage, self.texts[document])
        locator = item.get("locator") or (
            f"Section “{section}”" if section else "Introduction"
        )
        subjects = [
            (kind, slug)
            for kind in ("cause", "nutrient", "condition")
            for slug in item.get(f"{kind}s", [])
        ]
        if not subjects:
            raise BuildError(f"{document}: evidence without a subject: {passage!r}")
        for kind, slug in subjects:
            evidence = self._add_evidence(
                document=document,
                kind=kind,
                slug=slug,
                aspect=item["aspect"],
                passage=passage,
                value=item.get("value", passage),
                locator=locator,
                stance=item.get("stance", Evidence.Stance.SUPPORTS),
                inference=item.get("inference", ""),
            )
            if "symptoms" in item:
                self._link_symptoms(
                    slug, item["symptoms"], evidence, item.get("symptom_words", {})
                )
            if "areas" in item:
                self._link_areas(slug, item["areas"], evidence)
            if "foods" in item:
                for term in item["foods"]:
                    if term not in passage:
                        raise BuildError(f"Food term {term!r} is not in {passage!r}")
                self._link_foods(slug, item["foods"], evidence)

    def _synonym(self, item: Record) -> Record:
        """A synonym group; ``passage`` names the quote in which a source states
        the equivalence. Without one, the synonym is editorial."""
        if "passage" not in item:
            return {**item, "stated_in": None}
        article = self.articles[item["document"]].pk
        for row in self.evidence:
            if row["article"] == article and row["passage"] == item["passage"]:
                return {**item, "stated_in": row["pk"]}
        raise BuildError(f"Synonym {item['terms']}: no evidence quotes its passage")

    # -- the ledger: every sentence held or left out on purpose -----------------

    def _reckon(self, doc: Record) -> Reckoning:
        slug = doc["slug"]
        skip = [*doc.get("drop_lines", []), *self.parsed[slug].headings]
        if doc.get("title_is_first_line"):
            skip.append(doc["title"])
        article = self.articles[slug].pk
        try:
            return account(
                slug,
                self.texts[slug],
                skip=skip,
                quotes=[row for row in self.evidence if row["article"] == article],
                left_out=[
                    item
                    for item in self.curation.get("left_out", [])
                    if item["document"] == slug
                ],
            )
        except Unaccounted as error:
            raise BuildError(str(error)) from None

    # -- derived fields and output -------------------------------------------------

    def _derive_fields(self) -> None:
        for slug, article in self.articles.items():
            pk = article.pk
            rows = [row for row in self.evidence if row["article"] == pk]
            article.fields["nutrients"] = sorted(
                {row["nutrient"] for row in rows if row["nutrient"]}
            )
            article.fields["causes"] = sorted(
                {row["cause"] for row in rows if row["cause"]}
            )
            # Published as loaded: readers see the same links.
            article.fields["live_nutrients"] = article.fields["nutrients"]
            article.fields["live_causes"] = article.fields["causes"]
            if not rows:
                raise BuildError(f"{slug}: no evidence comes from this article")


def build_fixture(fixtures_dir: Path) -> str:
    """The fixture's JSON text, exactly as it should be committed."""
    records = KnowledgeBuilder(fixtures_dir).build()
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
