"""Errors that name what went wrong with one record, so ingest can report it and go on."""


class ParseError(Exception):
    """A record that cannot be read; the message is the reason, in a few words."""


def failure_reason(exc: Exception) -> str:
    """One line naming why a file failed: a ParseError's own words; for anything else (a library's
    error on hostile input), its type and message, which may span lines in a traceback but not here."""
    detail = " ".join(str(exc).split())
    if isinstance(exc, ParseError):
        return detail
    return f"cannot be ingested ({type(exc).__name__}{': ' + detail[:120] if detail else ''})"


class StoreMismatchError(Exception):
    """A store built with another embedding model than the one configured."""
