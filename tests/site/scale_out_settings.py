"""The production settings of one app server among several, each on its own machine.

As ``tests/serve_settings.py``, with the static files collected into
``TEST_STATIC_ROOT``, and with uploaded media in ``TEST_MEDIA_ROOT``: each server of
``tests/site/test_scale_out.py`` has folders of its own, as it would have its own
disk, and nothing it writes lands in the project's folder.
"""

import os

from tests.serve_settings import *  # noqa: F403

MEDIA_ROOT = os.environ["TEST_MEDIA_ROOT"]
