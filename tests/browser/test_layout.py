"""What the pages look like, read from Chromium's computed layout.

Passing tests once hid a stylesheet that gave every public page the preview banner's
dashed frame and no reading column. These tests check the rendered layout itself at
a desktop and a phone width: the page frame is plain, running text keeps a readable
line length, nothing overflows sideways, and only a preview wears the preview frame.
"""

import pytest

from .test_accessibility import PAGES

# The module shares one loaded site, set up before any test opens its transaction.
pytestmark = [pytest.mark.reader, pytest.mark.usefixtures("reader_site")]

WIDTHS = [1280, 375]
# "About 75 characters" a line: the usual upper bound for comfortable reading.
MAX_LINE_CHARACTERS = 76
NOT_FOUND = ("not-found", "/no-such-page/", 404)
PREVIEW_BACKGROUND = "rgb(255, 244, 229)"  # .preview-banner's, in site.css

# For one page: the page frame's borders and backgrounds, whether a preview banner
# is shown, the running text with the longest line (in characters of its own text
# and font), and how wide the document is against the window.
LAYOUT_JS = """
() => {
  const describe = el => el.tagName.toLowerCase()
    + (typeof el.className === 'string' && el.className.trim()
       ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const canvas = document.createElement('canvas').getContext('2d');
  let widest = {characters: 0};
  const prose = ':is(main, .site-footer) :is(p, li, dd, dt, blockquote, h1, h2, h3)';
  for (const el of document.querySelectorAll(prose)) {
    if (el.closest('table, form, nav')) continue;
    const text = el.textContent.replace(/\\s+/g, ' ').trim();
    if (text.length < 20) continue;
    const style = getComputedStyle(el);
    canvas.font = style.font;
    const perCharacter = canvas.measureText(text).width / text.length;
    const width = el.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    // A line holds no more than the whole text.
    const characters = Math.round(Math.min(text.length, width / perCharacter));
    if (characters > widest.characters) {
      widest = {characters, element: describe(el), text: text.slice(0, 50)};
    }
  }
  const frame = {};
  for (const el of document.querySelectorAll('html, body, .site-header, main')) {
    const style = getComputedStyle(el);
    frame[describe(el)] = {
      // A solid rule may separate the header; a dashed or dotted frame marks a
      // preview.
      border: ['Top', 'Right', 'Bottom', 'Left']
        .map(side => style[`border${side}Style`])
        .filter(s => s === 'dashed' || s === 'dotted'),
      background: style.backgroundColor,
    };
  }
  // Boxes drawn with the preview's dashed or dotted frame, anywhere on the page
  // but the preview banner itself (reported on its own below).
  const framed = [...document.querySelectorAll('body *')]
    .filter(el => !el.closest('.preview-banner'))
    .filter(el => ['Top', 'Right', 'Bottom', 'Left'].some(side => {
      const style = getComputedStyle(el);
      return ['dashed', 'dotted'].includes(style[`border${side}Style`])
        && parseFloat(style[`border${side}Width`]) > 0;
    }))
    .map(describe);
  const banner = document.querySelector('.preview-banner');
  const bannerStyle = banner && getComputedStyle(banner);
  return {
    widest,
    frame,
    framed,
    banner: banner && {
      border: bannerStyle.borderTopStyle,
      background: bannerStyle.backgroundColor,
    },
    page: getComputedStyle(document.documentElement).backgroundColor,
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  };
}
"""


def layout_problems(path: str, layout: dict) -> list[str]:
    """What is wrong with one live page's layout; empty when it is right."""
    problems = []
    for element, style in layout["frame"].items():
        if style["border"]:
            problems.append(f"{path}: {element} has a {style['border']} border")
        background = style["background"]
        if background == PREVIEW_BACKGROUND:
            problems.append(f"{path}: {element} wears the preview's background")
        # The header carries the site's colour; the body and main are plain page.
        if element.startswith(("body", "main")) and background not in (
            "rgba(0, 0, 0, 0)",
            layout["page"],
        ):
            problems.append(f"{path}: {element} has background {background}")
    for element in layout["framed"]:
        problems.append(f"{path}: {element} wears the preview's dashed frame")
    if layout["banner"]:
        problems.append(f"{path}: a live page shows the preview banner")
    widest = layout["widest"]
    if widest["characters"] > MAX_LINE_CHARACTERS:
        problems.append(
            f"{path}: {widest['element']} runs to {widest['characters']} characters "
            f"a line: {widest['text']!r}"
        )
    if layout["scroll"] > layout["inner"]:
        problems.append(
            f"{path}: {layout['scroll']} px wide in a {layout['inner']} px window"
        )
    return problems


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
def test_live_pages_have_a_plain_frame_and_a_reading_column(page, visit, width):
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for _name, path, status in [*PAGES, NOT_FOUND]:
        visit(path, status)
        problems += layout_problems(path, page.evaluate(LAYOUT_JS))
    assert not problems, "\n".join(problems)
