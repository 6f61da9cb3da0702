from django.http import HttpRequest

from twitchsite.site_url import absolute_url


def site(request: HttpRequest) -> dict[str, str]:
    """The page's canonical URL: its path on the site's own address, no query."""
    return {"canonical_url": absolute_url(request.path)}
