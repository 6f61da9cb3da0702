from http import HTTPStatus

import pytest
from django.urls import reverse

from knowledge.models import Evidence

pytestmark = pytest.mark.django_db


def test_admin_lists_each_model(admin_client, knowledge_base):
    for model in ("article", "nutrient", "cause", "foodsource", "evidence"):
        response = admin_client.get(reverse(f"admin:knowledge_{model}_changelist"))
        assert response.status_code == HTTPStatus.OK, model
    evidence = Evidence.objects.filter(cause__isnull=False).first()
    response = admin_client.get(
        reverse("admin:knowledge_cause_change", args=[evidence.cause_id])
    )
    assert response.status_code == HTTPStatus.OK
