"""Every sentence of every source document is quoted, or left out with a reason."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from knowledge.builder import BuildError, KnowledgeBuilder, build_fixture
from knowledge.ledger import reckon, report, units

FIXTURES = Path(settings.KNOWLEDGE_FIXTURES_DIR)

TEXT = """A Title
Intro sentence one. Intro sentence two!
Heading
- Label: A list item sentence. Another one.
| Name | Value |
|---|---|
| Row | Cell words |
"""


def spans_of(text: str, *passages: str) -> list[tuple[int, int]]:
    return [(text.index(p), text.index(p) + len(p)) for p in passages]


def test_units_are_sentences_and_cells_without_structure():
    found = [unit.text for unit in units(TEXT, skip=["A Title", "Heading"])]
    assert found == [
        "Intro sentence one.",
        "Intro sentence two!",
        "Label: A list item sentence.",
        "Another one.",
        "Row",
        "Cell words",
    ]
    for unit in units(TEXT, skip=["A Title", "Heading"]):
        assert TEXT[unit.start : unit.end] == unit.text


def test_a_sentence_neither_quoted_nor_left_out_is_missing():
    quoted = spans_of(
        TEXT, "Intro sentence one. Intro sentence two!", "Row", "Cell words"
    )
    left_out = [(*spans_of(TEXT, "Another one.")[0], "Says nothing", False)]
    result = reckon(
        "doc", TEXT, skip=["A Title", "Heading"], quoted=quoted, left_out=left_out
    )
    assert [unit.text for unit in result.missing] == ["Label: A list item sentence."]
    assert len(result.held) == 4
    assert result.claims == 4  # the sentence left out states nothing


def test_a_sentence_quoted_in_part_needs_the_rest_left_out_on_purpose():
    text = "First part, and the rest of it."
    quoted = spans_of(text, "First part")
    assert reckon("doc", text, skip=[], quoted=quoted, left_out=[]).missing
    left = [(*spans_of(text, "and the rest of it.")[0], "Not about twitching", True)]
    result = reckon("doc", text, skip=[], quoted=quoted, left_out=left)
    assert not result.missing
    assert [unit.text for unit in result.partly] == [text]
    assert result.claims == 1


def test_the_committed_documents_are_accounted_for_sentence_by_sentence():
    builder = KnowledgeBuilder(FIXTURES)
    builder.build()
    assert len(builder.reckonings) == 4
    for reckoning in builder.reckonings:
        assert not reckoning.missing
        assert reckoning.claims >= 20
    text = report(builder.reckonings)
    assert "Points to another website" in text
    assert text.count("claims (a sentence or table cell each)") == 4


@pytest.fixture
def fixtures_copy(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "sources", tmp_path / "sources")
    shutil.copy(FIXTURES / "curation.toml", tmp_path / "curation.toml")
    return tmp_path


def edit_curation(directory: Path, old: str, new: str) -> None:
    path = directory / "curation.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_build_fails_on_a_sentence_nobody_accounted_for(fixtures_copy):
    edit_curation(
        fixtures_copy,
        'passage = "Here is a comparison of key nutrient sources."',
        'passage = "Here is a comparison"',
    )
    with pytest.raises(BuildError, match="neither quoted nor left out"):
        build_fixture(fixtures_copy)


def test_the_build_refuses_a_fragment_of_a_sentence(fixtures_copy):
    edit_curation(
        fixtures_copy,
        'passage = "Treatment depends on the underlying cause."',
        'passage = "Treatment depends on the underlying cause"',
    )
    with pytest.raises(BuildError, match="quote whole sentences"):
        build_fixture(fixtures_copy)


def test_the_build_refuses_a_quote_that_points_back_to_what_it_leaves_out(
    fixtures_copy,
):
    whole = (
        'passage = "The myelin sheath, which protects nerve fibers, requires B12 for '
        "its formation. When this sheath is damaged, nerve signaling can become "
        'erratic, triggering involuntary movements."\n'
    )
    edit_curation(
        fixtures_copy,
        'causes = ["vitamin-b12-deficiency"]\naspect = "mechanism"\n' + whole,
        'causes = ["vitamin-b12-deficiency"]\naspect = "mechanism"\n'
        'passage = "These twitches are often noticeable in the hands, feet, or '
        'face."\n',
    )
    with pytest.raises(BuildError, match="points back"):
        build_fixture(fixtures_copy)
