"""Errors that name what went wrong with one record, so ingest can report it and go on."""


class ParseError(Exception):
    """A record that cannot be read; the message is the reason, in a few words."""


class StoreMismatchError(Exception):
    """A store built with another embedding model than the one configured."""
