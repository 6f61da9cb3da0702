"""The proposals' admin pages: malformed input is a page, never a server error."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ANNOTATE = reverse("admin:editorial_proposal_annotate")


@pytest.mark.parametrize("document", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_annotating_a_malformed_document_id_shows_the_picker(author_client, document):
    response = author_client.get(ANNOTATE, {"document": document})
    assert response.status_code == HTTPStatus.OK
    assert "Annotate a source document" in response.text
