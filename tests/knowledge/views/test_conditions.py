"""Condition pages: from what the reader feels to causes, a doctor and food."""

import html
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from knowledge.models import Condition

pytestmark = pytest.mark.django_db


def page_of(client, slug: str) -> str:
    response = client.get(reverse("knowledge:condition-detail", args=[slug]))
    assert response.status_code == HTTPStatus.OK
    return html.unescape(response.text)


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def listed_causes(text: str) -> list[str]:
    return re.findall(r'<li>\s*<a href="/causes/([^/]+)/">', text)


def test_the_eyelid_lists_its_own_causes_then_the_face_wide_ones(
    client, knowledge_base
):
    causes = section(page_of(client, "eyelid-twitching"), "causes-heading")
    own, _, face_wide = causes.partition(
        "Causes of facial twitches that may also apply"
    )
    assert listed_causes(own) == ["magnesium-deficiency", "eye-strain"]
    also = listed_causes(face_wide)
    assert {"stress-and-anxiety", "fatigue-and-lack-of-sleep"} <= set(also)
    assert not set(also) & set(listed_causes(own))
    # The most common first, as the sources rate them.
    assert also.index("fatigue-and-lack-of-sleep") < also.index("calcium-deficiency")
    assert also.index("calcium-deficiency") < also.index("neurological-conditions")


def test_hemifacial_spasm_lists_the_causes_its_sources_name_in_their_order(
    client, knowledge_base
):
    causes = section(page_of(client, "hemifacial-spasm"), "causes-heading")
    assert "The main cause of hemifacial spasm is typically neurovascular" in causes
    assert listed_causes(causes) == [
        "neurovascular-compression",
        "benign-tumours-and-structural-abnormalities",
        "vascular-damage-from-chronic-disease",
    ]
    assert "may also apply" not in causes


def test_every_twitch_lists_every_cause_the_most_common_first(client, knowledge_base):
    causes = listed_causes(
        section(page_of(client, "muscle-twitches"), "causes-heading")
    )
    assert len(causes) == 17
    assert causes.index("stress-and-anxiety") < causes.index("magnesium-deficiency")
    assert causes.index("magnesium-deficiency") < causes.index(
        "neurological-conditions"
    )


@pytest.mark.parametrize(
    "slug",
    [
        "eyelid-twitching",
        "facial-twitching",
        "hemifacial-spasm",
        "fasciculations",
        "nose-twitching",
        "muscle-twitches",
    ],
)
def test_every_condition_page_says_when_to_see_a_doctor_and_what_to_eat(
    client, knowledge_base, slug
):
    page = page_of(client, slug)
    card = page[page.index('id="doctor-guidance"') :]
    card = card[: card.index("</section>")]
    assert "Not stated" not in card
    assert "persistent, severe, or accompanied by other neurological symptoms" in card
    assert "Red flags" in card and "Persistent, widespread spasms" in card
    assert 'id="eat-heading"' in page and 'id="in-brief-heading"' in page


def test_what_to_eat_names_each_nutrient_then_its_foods(client, knowledge_base):
    eat = section(page_of(client, "eyelid-twitching"), "eat-heading")
    magnesium = eat[eat.index(">Magnesium</a>") :]
    magnesium = magnesium[: magnesium.index("</dd>")]
    assert ">Leafy greens</a>" in magnesium and ">Nuts</a>" in magnesium


def test_facial_twitching_shows_the_names_the_sources_disagree_on(
    client, knowledge_base
):
    page = page_of(client, "facial-twitching")
    assert "The sources do not use these names alike" in page


@pytest.mark.parametrize(
    ("slug", "queries"),
    [("eyelid-twitching", 8), ("muscle-twitches", 8), ("hemifacial-spasm", 7)],
)
def test_a_condition_page_takes_a_fixed_number_of_queries(
    client, knowledge_base, django_assert_num_queries, settings, slug, queries
):
    settings.PAGE_CACHE_SECONDS = 0  # each request renders its page
    # The condition looked up by its address; then, for its content, the
    # condition and its evidence; the guidance; its causes and their evidence;
    # the nutrients and their foods (none to fetch where no cause is a
    # deficiency, as for hemifacial spasm).
    url = reverse("knowledge:condition-detail", args=[slug])
    with django_assert_num_queries(queries):
        first = client.get(url)
    assert first.status_code == HTTPStatus.OK
    # Until the content changes, its content is kept: only the lookup is left.
    with django_assert_num_queries(1):
        assert client.get(url).content == first.content


def test_the_list_of_twitches_starts_from_where_they_are_felt(
    client, knowledge_base, django_assert_num_queries
):
    with django_assert_num_queries(2):
        response = client.get(reverse("knowledge:condition-list"))
    slugs = re.findall(r'href="/conditions/([^/]+)/"', response.text)
    assert slugs[-1] == "muscle-twitches"
    assert set(slugs) == set(Condition.objects.values_list("slug", flat=True))


def test_the_home_page_asks_where_you_feel_it(client, knowledge_base):
    response = client.get(reverse("knowledge:home"))
    where = response.text[response.text.index("Where do you feel it?") :]
    for condition in Condition.objects.all():
        assert condition.get_absolute_url() in where
