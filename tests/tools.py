"""What the tests that need an outside tool (a browser, Java, Node.js, PostgreSQL's
programs) share: where the tool is missing they are skipped, except under CI, where
a missing tool is a failure."""

from typing import NoReturn

import pytest

from twitchsite.settings import env_bool


def in_ci() -> bool:
    return env_bool("CI")


def tool_missing(reason: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)
