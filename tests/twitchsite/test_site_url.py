"""Every absolute URL the site writes starts with its configured address."""

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from tests.factories import ArticleFactory, CauseFactory

pytestmark = pytest.mark.django_db

SITE = "https://twitch.example"
# A port the client put in its Host header: ALLOWED_HOSTS ignores ports.
CLIENT_HOST = "twitch.example:6666"


@pytest.fixture
def site(settings):
    settings.ALLOWED_HOSTS = ["twitch.example"]
    settings.SITE_URL = SITE


@pytest.mark.parametrize(
    "name",
    ["knowledge:home", "knowledge:sitemap", "knowledge:feed", "knowledge:robots"],
)
def test_no_page_writes_the_clients_host(client, site, name):
    article = ArticleFactory(slug="live")
    CauseFactory()
    path = reverse(name)
    response = client.get(path, HTTP_HOST=CLIENT_HOST)
    assert response.status_code == 200
    text = response.content.decode()
    assert "6666" not in text
    if name != "knowledge:home":
        assert SITE + ("/sitemap.xml" if name == "knowledge:robots" else "/") in text
    if name == "knowledge:feed":
        assert f"{SITE}{article.get_absolute_url()}" in text


def test_structured_data_names_the_sites_own_address(client, site):
    cause = CauseFactory()
    response = client.get(cause.get_absolute_url(), HTTP_HOST=CLIENT_HOST)
    assert f'"url": "{SITE}{cause.get_absolute_url()}"' in response.text


@pytest.mark.parametrize(
    ("url", "errors"),
    [
        ("https://twitch.example", []),
        ("http://twitch.example", ["twitchsite.E001"]),
        ("https://twitch.example/app", ["twitchsite.E001"]),
        ("https://", ["twitchsite.E001"]),
    ],
)
def test_the_deploy_check_wants_an_https_origin(settings, url, errors):
    settings.SITE_URL = url
    found = [m.id for m in run_checks(include_deployment_checks=True)]
    assert [e for e in found if e.startswith("twitchsite.")] == errors
