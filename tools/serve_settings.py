"""The production settings, with static files collected into a scratch folder.

``tools/serve.py`` collects the static files into ``SERVE_STATIC_ROOT``: a
collectstatic into the project's own folder, run at the same time by `make serve`
or a test run, would race theirs.
"""

import os

from twitchsite.settings import *  # noqa: F403

STATIC_ROOT = os.environ["SERVE_STATIC_ROOT"]
ROOT_URLCONF = "tools.serve_urls"
