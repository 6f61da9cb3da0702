"""The production settings, with static files collected into a folder of the test's.

The tests that serve the site as `make serve` does collect its static files into
``TEST_STATIC_ROOT``: a collectstatic into the project's own folder, run at the same
time by `make serve` or another test run, would race theirs.
"""

import os

from twitchsite.settings import *  # noqa: F403

STATIC_ROOT = os.environ["TEST_STATIC_ROOT"]
