"""Every kind of page is valid HTML, says the Nu Html Checker (npm package vnu-jar).

The pages are rendered from the real knowledge base with the test client and checked
in one run of the checker: each run spends seconds starting the JVM."""

import re
import shutil
import subprocess

from django.conf import settings

from knowledge.models import Article, Cause, Condition, FoodSource, Nutrient
from tests.tools import tool_missing

VNU_JAR = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


# (path, status): the pages that are not simply one object's detail page.
PAGES = [
    ("/", 200),
    ("/articles/", 200),
    ("/causes/", 200),
    ("/causes/?area=eyelid&sort=-urgency", 200),
    ("/causes/?area=face&symptom=persistent-widespread-spasms", 200),
    ("/causes/?symptom=cramps&symptom=tingling&q=nerve", 200),
    ("/causes/?q=no-such-words-anywhere", 200),
    ("/causes/?area=elbow&urgency=soon", 400),
    ("/nutrients/", 200),
    ("/nutrients/?diet=vegan", 200),
    ("/nutrients/?kind=fatty_acid&diet=vegan", 200),
    ("/nutrients/?kind=plastic", 400),
    ("/foods/", 200),
    ("/foods/?nutrient=magnesium&nutrient=calcium", 200),
    ("/foods/?nutrient=omega-3-fatty-acids&nutrient=calcium", 200),
    ("/foods/?nutrient=unobtainium", 400),
    ("/about/", 200),
    ("/conditions/", 200),
    ("/no-such-page/", 404),
]


def vnu_command() -> list[str]:
    """How to run the checker; skip where it is missing, but never under CI."""
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java (Java 17 or later)")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR} (run `npm ci --ignore-scripts` in the project root)")
    if missing:
        reason = "The Nu Html Checker needs " + " and ".join(missing)
        tool_missing(reason)
    return [java, "-jar", str(VNU_JAR), "--errors-only"]


def every_page() -> list[tuple[str, int]]:
    details = [
        obj.get_absolute_url()
        for queryset in (
            Article.objects.published(),
            Cause.objects.all(),
            Condition.objects.all(),
            Nutrient.objects.all(),
            FoodSource.objects.all(),
        )
        for obj in queryset.order_by("slug")
    ]
    return PAGES + [(path, 200) for path in details]


def file_name(index: int, path: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    return f"{index:03d}-{slug[:80]}.html"


def test_every_page_is_valid_html(client, knowledge_base, tmp_path):
    command = vnu_command()
    pages = every_page()
    assert len(pages) > len(PAGES) + 40, "the knowledge base did not load"

    files = []
    for index, (path, status) in enumerate(pages):
        response = client.get(path)
        assert response.status_code == status, f"{path} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), path
        file = tmp_path / file_name(index, path)
        file.write_bytes(response.content)
        files.append(str(file))

    result = subprocess.run(
        [*command, *files], capture_output=True, text=True, timeout=600, check=False
    )
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, (
        f"The Nu Html Checker found errors in {len(files)} pages:\n{output}"
    )
