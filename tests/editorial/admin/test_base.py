"""Malformed ids in the editorial admin's addresses answer 404 or are ignored."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, CauseFactory

pytestmark = pytest.mark.django_db

MODELS = ["article", "cause", "nutrient", "evidence", "condition"]


@pytest.mark.parametrize("model", MODELS)
def test_the_history_of_a_non_numeric_id_is_not_found(admin_client, model):
    url = reverse(f"admin:knowledge_{model}_history", args=["abc"])
    assert admin_client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("factory", [ArticleFactory, CauseFactory])
def test_a_non_numeric_version_is_not_found(admin_client, factory):
    obj = factory()
    name = f"admin:knowledge_{obj._meta.model_name}_simple_history"
    for args in [(obj.pk, "abc"), ("abc", "1")]:
        response = admin_client.get(reverse(name, args=args))
        assert response.status_code == HTTPStatus.NOT_FOUND, args


@pytest.mark.parametrize("model", MODELS)
def test_a_non_numeric_id_is_not_an_error(admin_client, model):
    url = reverse(f"admin:knowledge_{model}_change", args=["abc"])
    response = admin_client.get(url, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "doesn’t exist" in response.text


@pytest.mark.parametrize(
    ("model", "field"),
    [("article", "nutrients"), ("cause", "nutrient"), ("evidence", "cause")],
)
def test_a_malformed_id_among_the_add_forms_initial_values_is_ignored(
    admin_client, model, field
):
    url = reverse(f"admin:knowledge_{model}_add")
    response = admin_client.get(url, {field: "abc"})
    assert response.status_code == HTTPStatus.OK


def test_a_well_formed_initial_value_is_kept(admin_client):
    cause = CauseFactory(name="Too much coffee")
    url = reverse("admin:knowledge_evidence_add")
    response = admin_client.get(url, {"cause": cause.pk})
    assert "Too much coffee" in response.text
