"""Settings for twitchsite, read from the environment with safe local defaults.

Every environment variable read here is listed, with its default and meaning, in
the README's "Configuration" section (a test keeps the two in step).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on")."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable into a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # for DEBUG only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

# The site's own address, scheme and host (and port, if any), with no path: every
# absolute URL the site writes (canonical links, structured data, the sitemaps, the
# feed, robots.txt) starts with it, never with the request's Host header.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, admitting editors by their role (editorial.admin_site).
    "editorial.apps.EditorialAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    "markdownx",
    "simple_history",
    "axes",
    "csp",
    "knowledge",
    "search",
    "editorial",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the rest: a page is stored as they finished it, headers and ETag
    # included, and a hit goes through none of them.
    "twitchsite.middleware.pagecache.AnonymousPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "twitchsite.middleware.headers.PermissionsPolicyMiddleware",
    # ETag on every response and 304 for a matching conditional GET.
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a rate-limited request into a 429 (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into a refusal.
    "axes.middleware.AxesMiddleware",
    # Innermost, so that it sees a view's database errors first.
    "twitchsite.middleware.database.DatabaseUnavailableMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt for a locked-out username and address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute-force protection: after 5 failed logins for one username from one address,
# further attempts are refused for a while, even with the right password.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "30"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The same client address as the rate limits.
AXES_CLIENT_IP_CALLABLE = "twitchsite.clients.client_address"

ROOT_URLCONF = "twitchsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "twitchsite.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "twitchsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each connection keeps 64 MB of pages and maps up to 256 MB of the file:
    # with SQLite's default 2 MB, the indexes of the causes table at 100x were
    # read from the file again on every request.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456"
    )


def caches_for(redis_url: str | None) -> dict:
    """The caches: Redis when a URL is given (shared by every app server), else a
    cache local to each process, which is fine for one process and for tests.

    Rate-limit counts have a cache of their own on the same Redis (django-redis),
    which ignores a Redis outage: limits then fail open instead of refusing
    everyone. The page cache handles an outage itself.
    """
    if not redis_url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "ratelimit": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "ratelimit",
            },
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "twitchsite",
        },
        "ratelimit": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "twitchsite",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        },
    }


CACHES = caches_for(os.environ.get("REDIS_URL"))
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# How long an anonymous page may stay in the cache; any content change replaces it
# at once anyway (twitchsite.middleware.pagecache).
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
# How long a fragment computed from the content may stay in the cache: rendered
# choice lists, table rows, guidance, search results (knowledge.fragments). Like
# pages, they are keyed by the content version, so a change replaces them at once;
# like pages, they also show a publication date passing by the time they expire.
FRAGMENT_CACHE_SECONDS = int(
    os.environ.get("DJANGO_FRAGMENT_CACHE_SECONDS", str(PAGE_CACHE_SECONDS))
)
# What readers see: a write to any of these raises the content version that every
# cached page and fragment is keyed by (knowledge.content_version). Apps, or single
# models; the search index and the logs are not content, but the synonyms that
# search puts in are.
CONTENT_MODELS = ["knowledge", "editorial.ReviewerProfile", "search.Synonym"]

# Requests per client per minute to search and to the CSV/JSON exports, counted by
# django-ratelimit per client address (twitchsite.clients).
RATE_LIMITS = {
    "search": int(os.environ.get("DJANGO_SEARCH_RATE_LIMIT", "60")),
    "export": int(os.environ.get("DJANGO_EXPORT_RATE_LIMIT", "30")),
}
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = "twitchsite.clients.client_address"
RATELIMIT_VIEW = "twitchsite.views.too_many_requests"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
# One language: no per-request translation lookups in templates and URL reversing.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# whitenoise also serves the icons at the site's root, where browsers and feed
# readers ask for /favicon.ico and /apple-touch-icon.png unprompted, and gives the
# web app manifest its registered media type.
WHITENOISE_ROOT = BASE_DIR / "static" / "icons"
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"

# Request sizes. The largest body the site takes is an editor's image upload (at most
# 5 MB, editorial.uploads) with its multipart framing: twitchsite.wsgi refuses a
# longer Content-Length with 413 before any of the body is read.
REQUEST_BODY_MAX_BYTES = 6 * 1024 * 1024
# Form fields other than files: a pasted source document (at most 1 MB) fits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# A larger uploaded file is written to a temporary file as it is read.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# django-markdownx's own upload view is not routed; its form gets our limit anyway.
MARKDOWNX_MEDIA_MAX_SIZE = 5 * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# -- Email --------------------------------------------------------------------------
# The workflow emails the people a step leaves waiting (editorial.notifications):
# printed on the console in development, sent through an SMTP server in production.
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Emails are sent while the editor waits for the page: never wait long for a server.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Twitch Guide <editors@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# -- Security -----------------------------------------------------------------------
# Warnings and errors, with a 500's traceback, go to standard error, where the
# process manager collects them. (Django's default sends them nowhere when DEBUG
# is off and no ADMINS are set.)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler", "level": "WARNING"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}

# Production defaults; each can be relaxed from the environment (the test suite
# serves plain HTTP, so it turns off the HTTPS redirect and secure-only cookies).
HTTPS_ONLY = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS_ONLY)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool(
    "DJANGO_SECURE_COOKIES", HTTPS_ONLY
)
SESSION_COOKIE_HTTPONLY = True
# The Markdown editor (django-markdownx) reads the CSRF token from its cookie, so
# that cookie cannot be HttpOnly; SameSite and Secure still apply to it.
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
if BEHIND_PROXY:
    # Trust the load balancer's word that the original request was HTTPS; its last
    # X-Forwarded-For hop is the client's address (twitchsite.clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict Content-Security-Policy: no inline script or style anywhere, and nothing
# from other hosts. The admin and the Markdown editor work under it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "manifest-src": ["'self'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# The editor's live preview goes through the same sanitising renderer as the pages.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "knowledge.markdown.render_markdown"

# What the search page shows a reader whose term the sources do not cover: the
# sources' general guidance on when to see a doctor (search cannot import the
# knowledge app, which depends on it).
SEARCH_GUIDANCE = "knowledge.guidance.doctor_guidance"
# Where search keeps the results of a query until the content changes: every
# write to the content, the search index's synonyms included, raises the content
# version that fragments are kept under.
SEARCH_CACHE = "knowledge.fragments.cached"

# A table's filter by food, cause or nutrient is a menu (or checkboxes) while it has
# at most this many options; past that, it is a text field that suggests names as
# the reader types (knowledge.tables.choices).
TABLE_CHOICE_LIMIT = 60

# Where the knowledge base is built from and loaded from.
KNOWLEDGE_FIXTURES_DIR = BASE_DIR / "fixtures"
