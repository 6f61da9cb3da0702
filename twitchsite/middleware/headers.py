from django.conf import settings


class PermissionsPolicyMiddleware:
    """Turn off the browser features the site never uses, on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
