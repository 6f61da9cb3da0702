"""Full-page screenshots of every kind of page: `make screenshots`.

Each page is shot at 1280 and 375 px wide, in three looks: light, dark (the
reader's system asks for a dark colour scheme) and print (the print stylesheet,
as the browser applies it to the screen: a PNG, not a PDF). The PNGs go to
screenshots/ as <page>-<width>-<look>.png.

By default the site is served as `make serve` serves it, on a free port, over a
scratch database filled from the knowledge base (tools/serve.py); ``--base-url``
points the script at a running site instead, which must hold the same knowledge
base. Debian's Chromium is driven by Playwright.

The script lists the files it wrote. It exits with status 1, after writing every
screenshot, when a page answered another status than its kind should, or the
browser reported an error on it (a Content-Security-Policy violation, say).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright  # noqa: E402

from tools.chromium import CHROMIUM, CHROMIUM_ARGS, missing_reason  # noqa: E402
from tools.serve import production_server  # noqa: E402

# name: (path, the status the page answers with)
PAGES = {
    "home": ("/", 200),
    "articles": ("/articles/", 200),
    "article": ("/articles/nutrients-and-nerves/", 200),
    "conditions": ("/conditions/", 200),
    "condition": ("/conditions/eyelid-twitching/", 200),
    "causes": ("/causes/", 200),
    "cause": ("/causes/magnesium-deficiency/", 200),
    "nutrients": ("/nutrients/", 200),
    "nutrient": ("/nutrients/magnesium/", 200),
    "foods": ("/foods/", 200),
    "food": ("/foods/leafy-greens/", 200),
    "about": ("/about/", 200),
    "search": ("/search/?q=magnesium", 200),
    "search-no-results": ("/search/?q=zzyzx+quolloxa", 200),
    "search-not-covered": ("/search/?q=ALS", 200),
    "not-found": ("/no-such-page/", 404),
    "server-error": ("/_errors/500/", 500),
    "unavailable": ("/_errors/503/", 503),
    "admin-login": ("/admin/login/", 200),
}
WIDTHS = (1280, 375)
VIEWPORT_HEIGHT = {1280: 800, 375: 812}
LOOKS = ("light", "dark", "print")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base-url", help="A running site to shoot; by default one is started."
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "screenshots",
        help="Where the PNGs go (default: screenshots/).",
    )
    parser.add_argument(
        "--pages",
        default=",".join(PAGES),
        help="Comma-separated page names (default: all): " + ", ".join(PAGES),
    )
    return parser.parse_args()


def shoot(page: Page, base_url: str, name: str, target: Path) -> list[str]:
    """Open one page and save its screenshot; what went wrong on it, if anything."""
    path, status = PAGES[name]
    url = base_url + path
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # The browser logs a page's own error status, such as the 404 page's.
        if status >= 400 and message.location.get("url") == url:
            return
        errors.append(f"console: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
    response = page.goto(url, wait_until="load")
    if response is None:
        errors.append("no response")
    elif response.status != status:
        errors.append(f"answered {response.status}, not {status}")
    page.screenshot(path=target, full_page=True, animations="disabled")
    return errors


def shoot_all(browser: Browser, base_url: str, names: list[str], output: Path):
    """Every page at every width in every look; yields (file, problems)."""
    for width in WIDTHS:
        for look in LOOKS:
            context = browser.new_context(
                viewport={"width": width, "height": VIEWPORT_HEIGHT[width]},
                color_scheme="dark" if look == "dark" else "light",
                is_mobile=width < 600,
                has_touch=width < 600,
            )
            for name in names:
                page = context.new_page()
                if look == "print":
                    page.emulate_media(media="print")
                target = output / f"{name}-{width}-{look}.png"
                yield target, shoot(page, base_url, name, target)
                page.close()
            context.close()


def main() -> int:
    args = parse_args()
    names = [name.strip() for name in args.pages.split(",") if name.strip()]
    unknown = sorted(set(names) - set(PAGES))
    if unknown:
        sys.stderr.write(f"Unknown pages: {', '.join(unknown)}\n")
        return 2
    if not CHROMIUM.exists():
        sys.stderr.write(missing_reason() + "\n")
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            if args.base_url:
                shots = list(
                    shoot_all(browser, args.base_url.rstrip("/"), names, args.output)
                )
            else:
                with production_server() as base_url:
                    shots = list(shoot_all(browser, base_url, names, args.output))
        finally:
            browser.close()
    for target, errors in shots:
        shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
        print(shown)  # noqa: T201 - the list of files written
        problems += [f"{target.name}: {error}" for error in errors]
    seconds = time.perf_counter() - started
    print(f"{len(shots)} screenshots in {seconds:.0f} s")  # noqa: T201
    if problems:
        sys.stderr.write("Problems:\n" + "\n".join(problems) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
