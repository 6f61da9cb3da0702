"""Synthetic content at scale, for the benchmarks only.

Everything is built from the source documents' own sentences, and linked the way
real content is: published articles with a live copy, causes with symptoms, body
areas and evidence, foods providing nutrients. Like real articles, each synthetic
one has a topic: a few sentences about it among general ones, so a word such as
"magnesium" matches the articles about magnesium rather than every article.

Rows are written with ``bulk_create``, which sends no signals: rebuild the search
index afterwards (``search.index.rebuild_index``).
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from knowledge.markdown import render_markdown_with_toc
from knowledge.models import (
    Article,
    BodyArea,
    Cause,
    CauseBodyArea,
    CauseSymptom,
    Evidence,
    FoodSource,
    Nutrient,
    NutrientFood,
    SourceDocument,
    Symptom,
)
from knowledge.models.sources import checksum

TOPICS = [
    "magnesium",
    "calcium",
    "vitamin d",
    "b12",
    "b6",
    "caffeine",
    "stress",
    "sleep",
    "eye",
    "neurological",
    "compression",
    "dehydration",
    "omega-3",
]
PLACES = ["Eyelid", "Facial", "Nose", "Calf", "Thumb", "Muscle", "Nerve"]
HEADINGS = ["What the sources say", "What you can do", "When to see a doctor"]


# How many different texts the synthetic articles share, and what of an article's
# text and its live copy they share (Article.take_live_copy).
TEXTS = 2000
SHARED_FIELDS = (
    "summary",
    "body",
    "body_html",
    "toc",
    "live_summary",
    "live_body",
    "live_body_html",
    "live_toc",
    "live_reading_minutes",
)


@dataclass(frozen=True)
class Scale:
    articles: int
    nutrients: int
    causes: int
    foods: int


def sentences() -> list[str]:
    text = " ".join(
        path.read_text()
        for path in sorted((settings.KNOWLEDGE_FIXTURES_DIR / "sources").glob("*.txt"))
    )
    found = re.split(r"(?<=[.!?])\s+", text)
    return [s.strip() for s in found if 40 < len(s.strip()) < 400 and "|" not in s]


def by_topic(pool: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Sentences about each topic, and the sentences about none of them."""
    about = {topic: [s for s in pool if topic in s.lower()] for topic in TOPICS}
    general = [s for s in pool if not any(topic in s.lower() for topic in TOPICS)]
    return {topic: found for topic, found in about.items() if found}, general


def quiet(message: str) -> None:
    pass


@transaction.atomic
def fill(scale: Scale, seed: int = 20261121, progress=quiet) -> None:
    """Add synthetic published articles, nutrients, causes and foods.

    ``progress`` is called with a line of text as each stage is done.
    """
    rng = random.Random(seed)
    clock = time.perf_counter()

    def done(stage: str) -> None:
        progress(f"{stage} in {time.perf_counter() - clock:.1f} s")

    pool = sentences()
    about, general = by_topic(pool)
    now = timezone.now()

    def written() -> Article:
        """An article's text, rendered: one of a pool that articles share."""
        topic = rng.choice(sorted(about))
        text = rng.choices(about[topic], k=8) + rng.choices(general, k=30)
        rng.shuffle(text)
        sections = [text[1:13], text[13:26], text[26:]]
        body = "\n\n".join(
            f"## {heading}\n\n" + "\n\n".join(part)
            for heading, part in zip(HEADINGS, sections, strict=True)
        )
        body_html, toc = render_markdown_with_toc(body)
        text = Article(
            title=topic, summary=text[0], body=body, body_html=body_html, toc=toc
        )
        text.take_live_copy()
        return text

    # Rendering Markdown is most of the cost of filling: 100,000 articles share
    # 2,000 texts, each rendered once, and differ in their titles.
    texts = [written() for _ in range(min(scale.articles, TEXTS))]

    def article(n: int) -> Article:
        text = texts[n % len(texts)]
        title = f"{rng.choice(PLACES)} twitches and {text.title}: note {n}"
        article = Article(
            **{field: getattr(text, field) for field in SHARED_FIELDS},
            title=title,
            live_title=title,
            slug=f"synthetic-{n}",
            live_slug=f"synthetic-{n}",
            status=Article.Status.PUBLISHED,
            published_at=now,
        )
        return article

    articles = Article.objects.bulk_create(
        (article(n) for n in range(scale.articles)), batch_size=500
    )
    done(f"{len(articles):,} articles")
    nutrients = Nutrient.objects.bulk_create(
        Nutrient(
            name=f"Nutrient {n}",
            slug=f"nutrient-{n}",
            kind=rng.choice(Nutrient.Kind.values),
        )
        for n in range(scale.nutrients)
    )
    categories = [
        c for c in Cause.Category.values if c not in {"nutrient_excess"}
    ]  # an excess reads oddly without a real nutrient; deficiencies get one

    def cause(n: int) -> Cause:
        category = rng.choice(categories)
        return Cause(
            name=f"Cause {n}",
            slug=f"cause-{n}",
            category=category,
            nutrient=rng.choice(nutrients)
            if category == "nutrient_deficiency"
            else None,
        )

    causes = Cause.objects.bulk_create(cause(n) for n in range(scale.causes))
    edible = [
        c
        for c in FoodSource.Category.values
        if c not in {"sunlight", "supplement", "fortified"}
    ]
    foods = FoodSource.objects.bulk_create(
        FoodSource(
            name=f"Food {n}",
            slug=f"food-{n}",
            category=rng.choice(edible),
            diet=rng.choice(["", *FoodSource.Diet.values]),
        )
        for n in range(scale.foods)
    )
    done(f"{len(nutrients):,} nutrients, {len(causes):,} causes, {len(foods):,} foods")
    link_evidence(rng, pool, articles, nutrients, causes, foods)
    done("evidence and links")


def analyze() -> None:
    """Give PostgreSQL's planner statistics of the filled tables, as autovacuum
    soon would on a live site. Measured before it runs, the planner expects a
    few rows where there are thousands: it sorted every matching cause for a
    page of the causes table (4.7 ms in the database at 100x, 0.2 with them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def documents_for(articles: list[Article], prefix: str) -> list[SourceDocument]:
    """A source document for each article, its text the article's own Markdown."""
    documents = [
        SourceDocument(
            key=f"{prefix}-{n}",
            filename=f"{prefix}-{n}.txt",
            text=article.body,
            sha256=checksum(article.body),
            title=article.title,
        )
        for n, article in enumerate(articles)
    ]
    documents = SourceDocument.objects.bulk_create(documents, batch_size=500)
    for article, document in zip(articles, documents, strict=True):
        article.source = document
    Article.objects.bulk_update(articles, ["source"], batch_size=500)
    return documents


def quote_of(article: Article, passage: str, **fields) -> Evidence:
    start = article.body.index(passage)
    return Evidence(
        article=article,
        passage=passage,
        start=start,
        end=start + len(passage),
        locator="synthetic",
        **fields,
    )


URGENCY_WORDS = [
    "Low (reduce intake)",
    "Low (unless other severe symptoms)",
    "High (requires medical evaluation)",
]
COMMONALITY_WORDS = ["Rare", "Common", "Very Common"]


def rate(rng, pool, causes, nutrients, sources) -> list[Evidence]:
    """What a synthetic ratings table says of each cause, as the real tables do:
    urgency and commonality in words (some left unstated), a mechanism and an
    action quoted from the sources' sentences, and each nutrient's role."""
    lines, rated = [], []
    for cause in causes:
        urgency = rng.choice([None, *URGENCY_WORDS])
        commonality = rng.choice([None, *COMMONALITY_WORDS])
        cells = [cause.name, urgency or "", commonality or ""]
        lines.append("| " + " | ".join(cells) + " |")
        rated.append((cause, urgency, commonality))
    table = Article(
        title="Synthetic ratings of causes",
        slug="synthetic-ratings",
        body="| Cause | Urgency | Commonality |\n|---|---|---|\n"
        + "\n".join(lines)
        + "\n",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    table.body_html, table.toc = render_markdown_with_toc(table.body)
    table.take_live_copy()
    table.save()
    documents_for([table], "synthetic-ratings")
    quotes = []
    offset = table.body.index("\n", table.body.index("\n") + 1) + 1
    for (cause, urgency, commonality), line in zip(rated, lines, strict=True):
        for aspect, words in (("urgency", urgency), ("commonality", commonality)):
            if words:
                start = offset + line.index(f"| {words} |") + 2
                quote = Evidence(
                    article=table,
                    cause=cause,
                    aspect=aspect,
                    passage=words,
                    start=start,
                    end=start + len(words),
                    locator="synthetic",
                )
                quote.grade = quote.graded()
                quotes.append(quote)
        offset += len(line) + 1
    for cause in causes:
        article = rng.choice(sources)
        for aspect in ("mechanism", "action"):
            passage = rng.choice(article.body.split("\n\n")[1:])
            if not passage.startswith("#"):
                quotes.append(quote_of(article, passage, cause=cause, aspect=aspect))
    for nutrient in nutrients:
        article = rng.choice(sources)
        passage = rng.choice(article.body.split("\n\n")[1:])
        if not passage.startswith("#"):
            quotes.append(quote_of(article, passage, nutrient=nutrient, aspect="role"))
    return quotes


def link_evidence(rng, pool, articles, nutrients, causes, foods) -> None:
    """Give each cause symptoms and body areas, and each food nutrients, by evidence.

    A tenth of the articles reproduce source documents (their own text), which the
    evidence quotes; one more article is a table of which food provides which
    nutrient, as the real sources have.
    """
    symptoms = list(Symptom.objects.all())
    areas = list(BodyArea.objects.all())
    sources = articles[: max(1, len(articles) // 10)]
    documents_for(sources, "synthetic")
    paragraphs = {
        article.pk: [
            part for part in article.body.split("\n\n") if not part.startswith("#")
        ]
        for article in sources
    }

    evidence = []
    for cause in causes:
        for aspect in (Evidence.Aspect.SYMPTOMS, Evidence.Aspect.BODY_AREA):
            article = rng.choice(sources)
            passage = rng.choice(paragraphs[article.pk])
            evidence.append(quote_of(article, passage, cause=cause, aspect=aspect))
    pairs = [
        (food, nutrient)
        for food in foods
        for nutrient in rng.sample(nutrients, k=min(len(nutrients), rng.randint(1, 3)))
    ]
    lines = [f"{food.name} provides {nutrient.name}." for food, nutrient in pairs]
    table = Article(
        title="Synthetic foods and their nutrients",
        slug="synthetic-food-table",
        body="\n".join(lines) + "\n",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    table.body_html, table.toc = render_markdown_with_toc(table.body)
    table.take_live_copy()
    table.save()
    documents_for([table], "synthetic-food-table")
    offset = 0
    for (_food, nutrient), line in zip(pairs, lines, strict=True):
        evidence.append(
            Evidence(
                article=table,
                nutrient=nutrient,
                aspect=Evidence.Aspect.FOOD_SOURCES,
                passage=line,
                start=offset,
                end=offset + len(line),
                locator="synthetic",
            )
        )
        offset += len(line) + 1
    evidence = Evidence.objects.bulk_create(evidence, batch_size=500)
    Evidence.objects.bulk_create(
        rate(rng, pool, causes, nutrients, sources), batch_size=500
    )
    cause_evidence = iter(evidence[: 2 * len(causes)])
    cause_symptoms, cause_areas = [], []
    for cause in causes:
        stated = next(cause_evidence)
        for symptom in rng.sample(symptoms, k=min(len(symptoms), rng.randint(1, 3))):
            cause_symptoms.append(
                CauseSymptom(cause=cause, symptom=symptom, evidence=stated)
            )
        stated = next(cause_evidence)
        for area in rng.sample(areas, k=min(len(areas), rng.randint(1, 2))):
            cause_areas.append(
                CauseBodyArea(cause=cause, body_area=area, evidence=stated)
            )
    CauseSymptom.objects.bulk_create(cause_symptoms, batch_size=500)
    CauseBodyArea.objects.bulk_create(cause_areas, batch_size=500)

    NutrientFood.objects.bulk_create(
        (
            NutrientFood(
                nutrient=nutrient, food=food, evidence=stated, stated_as=food.name
            )
            for (food, nutrient), stated in zip(
                pairs, evidence[2 * len(causes) :], strict=True
            )
        ),
        batch_size=500,
    )

    for article in rng.sample(articles, k=min(len(articles), 200)):
        article.nutrients.add(*rng.sample(nutrients, k=min(len(nutrients), 2)))
        article.causes.add(*rng.sample(causes, k=min(len(causes), 2)))
