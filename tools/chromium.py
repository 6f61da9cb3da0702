"""Debian's Chromium, as the browser tests, the screenshots and Lighthouse run it.

Never ``playwright install``: it downloads a browser of its own. The flags keep
Chromium headless, unsandboxed (it runs as root in a container here) and off the
internet, which it otherwise keeps trying to reach."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing_reason() -> str:
    return (
        f"Chromium not found at {CHROMIUM}: install it with "
        "`apt-get install -y --no-install-recommends chromium` "
        "(never `playwright install`)"
    )
