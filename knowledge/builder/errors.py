"""The one error the builder raises."""


class BuildError(Exception):
    """The documents and the curated file do not fit together."""
