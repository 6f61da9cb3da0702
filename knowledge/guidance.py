"""When to see a doctor: what the sources say of every twitch, and the red flags.

Every page a worried reader lands on shows it, in the sources' own words: the
general guidance (the published warnings about the general condition, "Muscle
twitches") and the red flags set apart. Which of the sources' words count as red
flags is our choice, an editorial one; the words themselves are quoted, each
linked to its passage.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from knowledge import fragments
from knowledge.models import Article, Condition, Evidence, SourceDocument


@dataclass(frozen=True)
class RedFlag:
    """Words of a source that we set apart as a red flag (an editorial choice)."""

    # The source document's key: permanent, unlike the address of the article
    # that reproduces it, which editors may change.
    document: str
    words: str  # the source's words, as they stand in a quoted passage


# Understanding the Causes of Muscle Twitches
CAUSES_OF_TWITCHES = "003_aa20c54c79f17f9d"
RED_FLAGS = (
    RedFlag(CAUSES_OF_TWITCHES, "Persistent, widespread spasms"),
    RedFlag(
        "001_ef604ece278c1cec",  # Facial Twitching: ... Underlying Causes
        "involuntary muscle contractions on one side of the face",
    ),
    RedFlag(
        "002_d7f094e68566654f",  # Fasciculations and Nutrient Deficiencies
        "in severe cases, seizures",
    ),
    RedFlag(CAUSES_OF_TWITCHES, "accompanied by other neurological symptoms"),
)


@dataclass(frozen=True)
class QuotedWords:
    """A red flag as a reader sees it: the words, and the passage they stand in."""

    words: str
    evidence: Evidence


@dataclass(frozen=True)
class Guidance:
    general: list[Evidence]
    red_flags: list[QuotedWords]


FIELDS = (
    "passage",
    "value",
    "inference",
    "stance",
    "aspect",
    "start",
    "end",
    "position",
    "condition__general",
    "article__live_slug",
    "article__source__key",
    "article__live_title",
)


def doctor_guidance() -> Guidance:
    """The general guidance and the red flags, from published evidence.

    Every reader page shows them: they are read once per content version
    (``knowledge.fragments``). Reading them is a query that scans every published
    passage for the red flags' words, 2.8 ms of CPU at 1x on SQLite.
    """
    return fragments.cached("doctor-guidance", RED_FLAGS, read_guidance)


def read_guidance() -> Guidance:
    """The general guidance and the red flags, from published evidence: one query.

    It reads only the quotes of the articles that can hold them (the documents
    the red flags quote, and the articles that warn about the general condition),
    and checks only those articles are live. Checking every quote against every
    live article took 290 ms at 100x on SQLite.
    """
    warns_generally = Q(
        condition__in=Condition.objects.filter(general=True),
        aspect=Evidence.Aspect.WARNING,
    )
    quoting = Article.objects.published().filter(
        Q(
            source__in=SourceDocument.objects.filter(
                key__in={flag.document for flag in RED_FLAGS}
            )
        )
        | Q(pk__in=Evidence.objects.filter(warns_generally).values("article_id"))
    )
    red_flag_q = Q()
    for flag in RED_FLAGS:
        red_flag_q |= Q(
            article__source__key=flag.document, passage__contains=flag.words
        )
    rows = list(
        Evidence.objects.filter(article__in=quoting)
        .filter(warns_generally | red_flag_q)
        .select_related("article__source", "condition")
        .only(*FIELDS)
        .order_by("position")
    )
    general = [
        row
        for row in rows
        if row.aspect == Evidence.Aspect.WARNING
        and row.condition_id
        and row.condition.general
    ]
    flags = []
    for flag in RED_FLAGS:
        found = next(
            (
                row
                for row in rows
                if row.article.source.key == flag.document and flag.words in row.passage
            ),
            None,
        )
        if found is not None:  # a red flag whose passage is not published is left out
            flags.append(QuotedWords(flag.words, found))
    return Guidance(general=general, red_flags=flags)
