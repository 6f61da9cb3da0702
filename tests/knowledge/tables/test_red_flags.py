"""The red flags the causes table's symptom filter lists apart: an editorial choice,
made in one place and grounded in the sources' words."""

import pytest

from knowledge.models import Article, Symptom
from knowledge.tables.red_flags import (
    OTHER_SYMPTOMS_LEGEND,
    RED_FLAG_SYMPTOMS,
    RED_FLAGS_LEGEND,
    symptom_groups,
)

pytestmark = pytest.mark.django_db


def test_red_flags_are_the_symptoms_the_sources_send_to_a_doctor():
    assert set(RED_FLAG_SYMPTOMS) == {
        "persistent-widespread-spasms",
        "seizures",
        "numbness",
        "tingling",
        "burning-sensations",
    }


def test_each_red_flag_is_a_symptom_of_the_real_knowledge_base(knowledge_base):
    slugs = set(Symptom.objects.values_list("slug", flat=True))
    assert set(RED_FLAG_SYMPTOMS) <= slugs
    # Most symptoms are not red flags.
    assert len(slugs - set(RED_FLAG_SYMPTOMS)) > len(RED_FLAG_SYMPTOMS)


@pytest.mark.parametrize(("slug", "words"), RED_FLAG_SYMPTOMS.items())
def test_each_red_flag_quotes_a_published_source(knowledge_base, slug, words):
    assert Article.objects.published().filter(body__contains=words).exists(), slug


def test_the_red_flags_group_comes_first_and_is_marked_editorial():
    (legend, css_class, values), (other, other_class, rest) = symptom_groups()
    assert legend.startswith(RED_FLAGS_LEGEND)
    assert 'href="/about/#editorial-policy"' in legend
    assert "(editorial)" in legend
    assert css_class == "red-flag-symptoms"
    assert values == set(RED_FLAG_SYMPTOMS)
    # The second group takes every other symptom.
    assert (other, other_class, rest) == (OTHER_SYMPTOMS_LEGEND, "other-symptoms", None)
