from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The page's canonical URL: its path on this host, without the query string."""
    return {"canonical_url": request.build_absolute_uri(request.path)}
