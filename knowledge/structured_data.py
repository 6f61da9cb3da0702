"""schema.org JSON-LD for the pages that describe medical content."""

import json

from django.utils.safestring import SafeString, mark_safe

from knowledge.models import Article, Cause
from twitchsite.site_url import absolute_url

PUBLISHER = {"@type": "Organization", "name": "Twitch Guide"}
# Characters that could end the <script> element or confuse an HTML parser.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """A JSON-LD script element whose content cannot break out of the element."""
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False)
    # Safe: every character that matters is escaped above.
    return mark_safe(
        f'<script type="application/ld+json">{text.translate(_ESCAPES)}</script>'
    )


def article_json_ld(article: Article) -> SafeString:
    data = {
        "@type": "MedicalWebPage",
        "name": article.live_title,
        "headline": article.live_title,
        "description": article.live_summary,
        "url": absolute_url(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "publisher": PUBLISHER,
        "about": [
            {"@type": "MedicalCondition", "name": cause.name}
            for cause in article.live_causes.all()
        ],
    }
    if article.live_reviewed_at:
        reviewer = article.live_reviewed_by
        profile = getattr(reviewer, "reviewer_profile", None)
        data["lastReviewed"] = article.live_reviewed_at.date().isoformat()
        data["reviewedBy"] = {
            "@type": "Person",
            "name": profile.name if profile else reviewer.get_username(),
            **({"jobTitle": profile.credential} if profile else {}),
        }
    return json_ld(data)


def cause_json_ld(cause: Cause) -> SafeString:
    data = {
        "@type": "MedicalCondition",
        "name": cause.name,
        "url": absolute_url(cause.get_absolute_url()),
        "alternateName": cause.alias_list,
        "signOrSymptom": [
            {"@type": "MedicalSignOrSymptom", "name": symptom.name}
            for symptom in cause.symptoms.all()
        ],
    }
    if mechanism := cause.mechanism():
        data["pathophysiology"] = mechanism
    return json_ld(data)
