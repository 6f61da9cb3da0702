"""Where each quote stands in its document, and its mark on the article."""

import re

import pytest

from knowledge.passages import (
    PassageNotFound,
    anchor,
    locate,
    mark_passages,
    nth_occurrence,
)

TEXT = (
    "Twitches and Nutrition\n"
    "Magnesium is a mineral. Low magnesium can cause twitches.\n"
    "| Cause | Urgency |\n"
    "|---|---|\n"
    "| Magnesium | Low (unless other severe symptoms) |\n"
)


def test_a_passage_is_found_where_it_stands():
    start, end = locate(TEXT, "Low magnesium can cause twitches.")
    assert TEXT[start:end] == "Low magnesium can cause twitches."


def test_only_whitespace_may_differ():
    start, end = locate(TEXT, "Low  magnesium\ncan cause   twitches.")
    assert TEXT[start:end] == "Low magnesium can cause twitches."
    with pytest.raises(PassageNotFound):
        locate(TEXT, "low magnesium can cause twitches.")  # a capital differs
    with pytest.raises(PassageNotFound):
        locate(TEXT, "Low magnesium can cause twitching.")  # a word differs


def test_a_made_up_passage_is_refused_with_the_closest_sentence():
    with pytest.raises(PassageNotFound) as refusal:
        locate(TEXT, "Low potassium can cause twitches.")
    assert refusal.value.closest == "Low magnesium can cause twitches."
    assert "Low magnesium can cause twitches." in str(refusal.value)
    with pytest.raises(PassageNotFound) as unlike:
        locate(TEXT, "Low potassium is the leading cause of ALS in adults.")
    assert unlike.value.closest == ""
    assert "does not occur in the document" in str(unlike.value)


def test_an_empty_passage_is_refused():
    with pytest.raises(PassageNotFound):
        locate(TEXT, "  \n ")


def test_a_passage_that_occurs_twice_is_found_from_where_it_is_looked_for():
    first = locate(TEXT, "Magnesium")
    row = TEXT.index("| Magnesium |")
    second = locate(TEXT, "Magnesium", near=row)
    assert first[0] < row < second[0]


def test_occurrences_on_lines_the_article_leaves_out_are_not_counted():
    text = "Magnesium matters\nMagnesium is a mineral.\nMagnesium helps."
    third = text.rindex("Magnesium")
    assert nth_occurrence(text, "Magnesium", third) == 2
    assert nth_occurrence(text, "Magnesium", third, left_out=["Magnesium matters"]) == 1


def marks(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<mark class="passage" id="([^"]+)">(.*?)</mark>', html)


def test_a_passage_is_marked_with_its_anchor():
    body = "<p>Magnesium is a mineral. Low magnesium can cause twitches.</p>"
    marked = mark_passages(
        body, [("passage-1-2", "Low magnesium can cause twitches.", 0)]
    )
    assert marked.missing == []
    assert marks(marked.html) == [("passage-1-2", "Low magnesium can cause twitches.")]
    assert re.sub(r"</?mark[^>]*>", "", marked.html) == body


def test_the_nth_occurrence_is_the_one_marked():
    body = "<p>Magnesium helps.</p><table><tr><td>Magnesium</td></tr></table>"
    marked = mark_passages(body, [("cell", "Magnesium", 1)])
    assert '<td><mark class="passage" id="cell">Magnesium</mark></td>' in marked.html
    assert "<p>Magnesium helps.</p>" in marked.html


def test_passages_that_contain_one_another_nest():
    body = "<p>One sentence. Two sentences here.</p>"
    marked = mark_passages(
        body,
        [("outer", "One sentence. Two sentences here.", 0), ("inner", "Two", 0)],
    )
    assert marked.missing == []
    assert marked.html == (
        '<p><mark class="passage" id="outer">One sentence. '
        '<mark class="passage" id="inner">Two</mark> sentences here.</mark></p>'
    )


def test_a_passage_takes_in_a_bold_label_it_starts_with():
    body = "<ul><li><strong>Eye Strain:</strong> Screens strain the eyes.</li></ul>"
    marked = mark_passages(body, [("item", "Eye Strain: Screens strain the eyes.", 0)])
    assert marked.missing == []
    assert marked.html == (
        '<ul><li><mark class="passage" id="item"><strong>Eye Strain:</strong> '
        "Screens strain the eyes.</mark></li></ul>"
    )


def test_crossing_or_missing_passages_are_reported_not_forced():
    body = "<p>Alpha beta gamma delta.</p>"
    marked = mark_passages(
        body,
        [("a", "Alpha beta gamma", 0), ("b", "gamma delta.", 0), ("c", "Omega", 0)],
    )
    assert marked.missing == ["c", "b"]
    assert marks(marked.html) == [("a", "Alpha beta gamma")]


def test_text_stays_escaped():
    body = "<p>Salt &amp; calcium &lt;matter&gt;.</p>"
    marked = mark_passages(body, [("x", "Salt & calcium <matter>.", 0)])
    assert marked.html == (
        '<p><mark class="passage" id="x">Salt &amp; calcium &lt;matter&gt;.</mark></p>'
    )


def test_the_anchor_names_the_slice():
    assert anchor(10, 42) == "passage-10-42"
