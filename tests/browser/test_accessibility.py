"""Every kind of page passes axe-core and reads on a 375 px wide phone screen."""

import pytest
from axe_playwright_python.sync_playwright import Axe

# The module shares one loaded site, set up before any test opens its transaction.
pytestmark = [pytest.mark.reader, pytest.mark.usefixtures("reader_site")]

# (name, path, status): every kind of page the site serves as HTML.
PAGES = [
    ("home", "/", 200),
    ("articles", "/articles/", 200),
    ("article-causes", "/articles/causes-of-muscle-twitches/", 200),
    (
        "article-fasciculations",
        "/articles/fasciculations-and-nutrient-deficiencies/",
        200,
    ),
    ("article-hemifacial", "/articles/hemifacial-spasm-and-nutrition/", 200),
    ("article-nutrients", "/articles/nutrients-and-nerves/", 200),
    ("causes", "/causes/", 200),
    ("causes-filtered", "/causes/?area=eyelid&sort=-urgency", 200),
    ("causes-urgent", "/causes/?area=face&symptom=persistent-widespread-spasms", 200),
    ("causes-empty", "/causes/?q=no-such-words-anywhere", 200),
    ("causes-invalid", "/causes/?area=elbow&urgency=soon", 400),
    ("nutrients", "/nutrients/", 200),
    ("nutrients-filtered", "/nutrients/?diet=vegan", 200),
    ("nutrients-empty", "/nutrients/?kind=fatty_acid&diet=vegan", 200),
    ("nutrients-invalid", "/nutrients/?kind=plastic", 400),
    ("foods", "/foods/", 200),
    ("foods-filtered", "/foods/?nutrient=magnesium&nutrient=calcium", 200),
    ("foods-empty", "/foods/?nutrient=omega-3-fatty-acids&nutrient=calcium", 200),
    ("foods-invalid", "/foods/?nutrient=unobtainium", 400),
    ("cause", "/causes/magnesium-deficiency/", 200),
    ("cause-urgent", "/causes/neurological-conditions/", 200),
    ("cause-not-stated", "/causes/vitamin-d-deficiency/", 200),
    ("cause-lifestyle", "/causes/eye-strain/", 200),
    ("nutrient", "/nutrients/magnesium/", 200),
    ("nutrient-no-foods", "/nutrients/vitamin-b6/", 200),
    ("food", "/foods/leafy-greens/", 200),
    ("food-not-a-food", "/foods/sunlight/", 200),
    ("about", "/about/", 200),
    ("conditions", "/conditions/", 200),
    ("condition-eyelid", "/conditions/eyelid-twitching/", 200),
    ("condition-hemifacial", "/conditions/hemifacial-spasm/", 200),
    ("condition-general", "/conditions/muscle-twitches/", 200),
]
PHONE = {"width": 375, "height": 812}


def pages():
    return [pytest.param(name, path, status, id=name) for name, path, status in PAGES]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['failureSummary']!r}")
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "path", "status"), pages())
def test_no_axe_violations(page, visit, name, path, status):
    visit(path, status)
    results = Axe().run(page).response
    assert results["url"].endswith(path)
    violations = results["violations"]
    assert not violations, f"axe-core on {path}:\n{describe(violations)}"


@pytest.mark.parametrize(("name", "path", "status"), pages())
def test_no_horizontal_overflow_on_a_phone(page, visit, name, path, status, tmp_path):
    page.set_viewport_size(PHONE)
    visit(path, status)
    page.screenshot(path=tmp_path / f"{name}-375px.png", full_page=True)
    widths = page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            inner: window.innerWidth,
            wider: [...document.querySelectorAll('body *')]
              .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
              // A scrolling table may be wider, unless something escapes it.
              .filter(el => !el.closest('.table-wrap')
                || ['absolute', 'fixed'].includes(getComputedStyle(el).position))
              .slice(0, 5)
              .map(el => el.tagName.toLowerCase()
                + (el.id ? '#' + el.id : '')
                + (el.className && typeof el.className === 'string'
                   ? '.' + el.className.trim().split(/\\s+/).join('.') : '')),
        })"""
    )
    assert widths["scroll"] <= widths["inner"], (
        f"{path} is {widths['scroll']} px wide at {widths['inner']} px; "
        f"wider than the screen: {widths['wider']}"
    )
