"""The reader's other pages: articles, about, feed, sitemap, robots, SEO markup."""

import pytest

from tests.factories import (
    ArticleFactory,
    CauseFactory,
    SymptomFactory,
    link_symptom,
    state,
)
from tests.knowledge.structured import json_ld

pytestmark = pytest.mark.django_db


def test_json_ld_cannot_break_out_of_its_script_element(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    response = client.get(article.get_absolute_url())
    assert "</script><script>alert(1)" not in response.text
    assert json_ld(response)["name"] == article.title


def test_cause_page_describes_a_medical_condition(client):
    cause = CauseFactory(name="Eye strain")
    state(cause, "mechanism", "Strained muscles.")
    link_symptom(cause, SymptomFactory(name="Tiredness"))
    data = json_ld(client.get(cause.get_absolute_url()))
    assert data["@type"] == "MedicalCondition"
    assert data["signOrSymptom"] == [
        {"@type": "MedicalSignOrSymptom", "name": "Tiredness"}
    ]
    assert data["pathophysiology"] == "Strained muscles."
