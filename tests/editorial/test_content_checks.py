"""The content checks an editor sees before sending an article for review."""

import pytest

from editorial.content_checks import (
    MIN_WORDS,
    TARGET_EASE,
    TARGET_GRADE,
    check_content,
    reading_level,
)
from knowledge.markdown import render_markdown

PLAIN = (
    "Most muscle twitches are harmless. They often come after exercise, stress or "
    "too much coffee. A twitch in your eyelid can last a few days. It usually stops "
    "on its own. Try to sleep well and cut down on caffeine. See your doctor if the "
    "twitching spreads, lasts more than two weeks, or if a muscle feels weak. "
)
HARD = (
    "Benign fasciculation syndrome is characterised by persistent spontaneous "
    "contractions of individual motor units, frequently accompanied by cramping, "
    "paraesthesiae and generalised fatigue, without electrophysiological evidence "
    "of denervation or progressive neurological deterioration, distinguishing it "
    "from amyotrophic lateral sclerosis and other degenerative neuromuscular "
    "pathologies that necessitate specialist investigation. "
)


def findings(markdown: str) -> list[tuple[str, str]]:
    return [
        (finding.check, finding.message)
        for finding in check_content(render_markdown(markdown)).findings
    ]


def checks(markdown: str) -> list[str]:
    return [check for check, _message in findings(markdown)]


def test_a_well_made_body_has_no_findings():
    body = (
        f"## What it is\n\n{PLAIN}\n\n### In the eyelid\n\n- Rest your eyes.\n"
        "- Sleep well.\n\n![A woman rubbing her eyelid](/media/markdownx/a.png)\n\n"
        "## More\n\nRead the [NHS page on twitches](https://www.nhs.uk/)."
    )
    report = check_content(render_markdown(body))
    assert report.findings == []
    assert report.reading_level is not None and report.reading_level.on_target


# Images without alt text.


def test_an_image_without_alt_text_is_flagged_with_its_file_name_and_place():
    ((check, message),) = findings("Before it.\n\n![](/media/markdownx/abc.png)")
    assert check == "image-alt"
    assert "“abc.png”" in message
    assert "after “Before it.”" in message
    assert "![what the image shows](/media/markdownx/abc.png)" in message


@pytest.mark.parametrize("alt", ["", "   "])
def test_blank_alt_text_is_no_alt_text(alt):
    assert checks(f"![{alt}](a.png)") == ["image-alt"]


def test_an_image_with_alt_text_passes():
    assert checks("![A tired eye](a.png)") == []


def test_an_image_tag_without_any_alt_attribute_is_flagged():
    report = check_content('<p>Text <img src="/x/b.png"></p>')
    assert [finding.check for finding in report.findings] == ["image-alt"]


# Skipped heading levels. "#" and "##" both make level 2: the title is level 1.


def test_a_heading_that_skips_a_level_is_flagged():
    ((check, message),) = findings("## Causes\n\n#### Stress\n\nText.")
    assert check == "heading-skip"
    assert "“Stress”" in message
    assert "level 4 (####) right after a level-2 heading (##)" in message
    assert "Make it ### (level 3)" in message


def test_a_first_heading_below_level_2_is_flagged():
    ((check, message),) = findings("### Causes\n\nText.")
    assert check == "heading-skip"
    assert "right after the article's title" in message
    assert "Make it ## (level 2)" in message


def test_headings_one_level_down_at_a_time_and_back_up_pass():
    body = "# A\n\n## B\n\n### C\n\n#### D\n\n##### E\n\n###### F\n\n## G\n\n### H"
    assert checks(body) == []


def test_each_skip_is_flagged_in_reading_order():
    body = "## A\n\n#### B\n\n### C\n\n##### D"
    messages = [message for _check, message in findings(body)]
    assert len(messages) == 2
    assert "“B”" in messages[0] and "“D”" in messages[1]


# Links without text.


def test_a_link_without_text_is_flagged_with_its_address():
    ((check, message),) = findings("See [](https://example.org/cramps).")
    assert check == "link-text"
    assert "to “https://example.org/cramps”" in message
    assert "[text](https://example.org/cramps)" in message


def test_a_link_of_only_spaces_is_flagged():
    assert checks("See [ ](https://example.org).") == ["link-text"]


def test_a_linked_image_takes_its_text_from_the_alt_text():
    assert checks("[![NHS logo](logo.png)](https://www.nhs.uk/)") == []
    assert checks("[![](logo.png)](https://www.nhs.uk/)") == [
        "link-text",
        "image-alt",
    ]


def test_a_link_with_text_passes():
    assert checks("See [the NHS page](https://www.nhs.uk/).") == []


# Markdown that renders to nothing.


@pytest.mark.parametrize("body", ["", "   \n\n  ", "#", ">", "* * *", "``  ``"])
def test_a_body_that_shows_nothing_is_flagged_once(body):
    assert findings(body) == [
        (
            "empty",
            "The body shows nothing: once rendered, it has no text or image. "
            "Write the article's text.",
        )
    ]


def test_an_empty_list_item_is_flagged_with_where_it_is():
    ((check, message),) = findings("Do this:\n\n1. Rest\n2. \n3. Sleep")
    assert check == "empty"
    assert message.startswith("An empty list item after “Do this: Rest” shows nothing")
    assert "A line with only “-”, “*” or “1.” makes one." in message


@pytest.mark.parametrize("blank", ["``  ``", "&nbsp;", "\u200b"])
def test_a_paragraph_that_renders_empty_is_flagged(blank):
    ((check, message),) = findings(f"First.\n\n{blank}\n\nLast.")
    assert check == "empty"
    assert message.startswith("An empty paragraph after “First.”")


@pytest.mark.parametrize(("line", "name"), [("#", "heading"), (">", "quotation")])
def test_an_empty_heading_or_quotation_is_flagged(line, name):
    ((check, message),) = findings(f"A.\n\n{line}\n\nB.")
    assert check == "empty"
    assert message.startswith(f"An empty {name} after “A.”")
    assert f"A line with only “{line}” makes one." in message


def test_an_empty_table_cell_is_not_a_problem():
    assert checks("| Cause | Note |\n| --- | --- |\n| Stress |  |") == []


def test_where_quotes_the_end_of_a_long_text_before_the_problem():
    before = "word " * 30 + "the last words here."
    ((_check, message),) = findings(f"{before}\n\n![](x.png)")
    assert "after “…" in message
    assert "the last words here.”" in message


# The reading level.


def test_plain_text_meets_the_reading_target():
    level = reading_level(PLAIN * 2)
    assert level is not None
    assert level.reading_ease >= TARGET_EASE
    assert level.school_grade <= TARGET_GRADE
    assert level.on_target


def test_hard_text_is_flagged_with_its_scores_and_the_targets():
    report = check_content(render_markdown(HARD * 2))
    assert not report.reading_level.on_target
    ((check, message),) = [(f.check, f.message) for f in report.findings]
    assert check == "reading-level"
    assert f"reading ease {report.reading_level.reading_ease} (aim for 60" in message
    assert f"grade {report.reading_level.school_grade} (aim for 8 or lower)" in message


def test_text_too_short_to_judge_has_no_reading_level():
    report = check_content(render_markdown("Twitches are common."))
    assert report.reading_level is None
    assert report.words == 3
    assert report.findings == []
    assert reading_level("word " * (MIN_WORDS - 1)) is None


def test_the_reading_level_is_of_the_text_not_its_markdown():
    marked_up = PLAIN.replace("harmless", "**harmless**").replace(
        "your doctor", "[your doctor](https://www.nhs.uk/)"
    )
    plain = check_content(render_markdown(PLAIN)).reading_level
    assert check_content(render_markdown(marked_up)).reading_level == plain


def test_headings_tables_and_code_blocks_are_not_prose():
    extras = (
        "## Pathophysiological considerations of neuromuscular hyperexcitability\n\n"
        f"{PLAIN}\n\n| Electrophysiological | Characteristically |\n| --- | --- |\n"
        "| Denervation | Fibrillation potentials |\n\n"
        "    configuration = incomprehensible_abbreviations()\n"
    )
    assert (
        check_content(render_markdown(extras)).reading_level
        == check_content(render_markdown(PLAIN)).reading_level
    )


def test_list_items_without_full_stops_end_sentences():
    items = "\n".join(f"- Rest your eyes and sleep well {n}" for n in range(12))
    sentences = " ".join(f"Rest your eyes and sleep well {n}." for n in range(12))
    assert (
        check_content(render_markdown(items)).reading_level
        == check_content(render_markdown(sentences)).reading_level
    )


def test_scores_stay_on_their_scales():
    level = reading_level("I see a cat. " * 30)
    assert 0 <= level.ease <= 100
    assert level.grade >= 0
    assert level.band == "very easy"
