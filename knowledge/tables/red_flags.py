"""Which symptoms the causes table's filter lists apart, as red flags.

This is an editorial classification: ours, not a source's. The page says so, with a
link to the editorial policy. It follows what the sources say needs a doctor:
twitching that is "persistent, severe, or accompanied by other neurological
symptoms". Each entry gives the symptom's slug and the source's words that make it a
red flag. A symptom not listed here is filtered in the same way; only its place in
the form changes.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

RED_FLAG_SYMPTOMS: dict[str, str] = {
    # Rated "High (requires medical evaluation)" in the sources' table of causes.
    "persistent-widespread-spasms": "Persistent, widespread spasms",
    # A sign of a severe magnesium deficiency.
    "seizures": "in severe cases, seizures",
    # Named as neurological symptoms, beyond the twitch itself.
    "numbness": "neurological symptoms that include muscle twitching, numbness",
    "tingling": "neurological symptoms that include muscle twitching, numbness, and"
    " tingling",
    # From nerve damage (too much vitamin B6), for which the sources say to see a
    # doctor.
    "burning-sensations": "Burning/tingling sensations",
}

RED_FLAGS_LEGEND = "Red flags: see a doctor about these"
OTHER_SYMPTOMS_LEGEND = "Other symptoms"


def symptom_groups() -> list[tuple[SafeString, str, frozenset[str] | None]]:
    """The symptom filter's groups: legend, class, and the slugs each holds.

    The last group, ``None``, holds every symptom not in another. The red flags'
    legend marks the grouping as ours, with a link to the editorial policy.
    """
    policy = reverse("knowledge:about") + "#editorial-policy"
    red_flags = format_html(
        '{} <a class="editorial-mark" href="{}"'
        ' title="Our classification, not a source\'s">(editorial)</a>',
        RED_FLAGS_LEGEND,
        policy,
    )
    return [
        (red_flags, "red-flag-symptoms", frozenset(RED_FLAG_SYMPTOMS)),
        (format_html("{}", OTHER_SYMPTOMS_LEGEND), "other-symptoms", None),
    ]
