"""How a test reads a page's structured data."""

import json
import re


def json_ld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))
