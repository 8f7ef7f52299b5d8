"""A watch's matches as an Atom feed (RFC 4287), for any feed reader. Pure: a watch in, bytes out.

Built with xml.etree, which escapes what it writes: record text goes in as text content (type="text"),
never as HTML. Characters XML 1.0 cannot carry at all (a record's stray control codes) become U+FFFD, so
one odd record cannot make the whole feed unreadable.
"""
from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from .answers import Citation
from .present import describe_filters

if TYPE_CHECKING:
    from .watches import Watch

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 100  # a reader keeps what it has seen; the feed need only hold what it may not have yet
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str | None) -> str:
    return _NOT_XML.sub("\ufffd", text or "")


def entry_id(watch: "Watch", key: str) -> str:
    """The same for a match however often the feed is written: derived from the watch's feed id."""
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(watch.feed_id), key)}"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _link(source: str) -> str:
    """Where the record is: its page on the council's site, or the file it was ingested from."""
    if source.startswith(("http://", "https://")):
        return source
    return Path(source).as_uri() if Path(source).is_absolute() else source


def _citation(match: dict) -> Citation:
    return Citation(**{k: match.get(k) for k in Citation.__dataclass_fields__})


def atom(watch: "Watch", path: Path) -> bytes:
    """The feed of `watch`, to be written at `path` (its rel="self" link)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", f"urn:uuid:{watch.feed_id}")
    _add(feed, "title", f"Clerk watch {watch.name}: {watch.query}")
    filters = describe_filters(watch.filters)
    _add(feed, "subtitle", f"New passages of the records matching “{watch.query}”" + (f" ({filters})" if filters else ""))
    entries = watch.matches[:FEED_ENTRIES]
    _add(feed, "updated", max([m["found"] for m in entries], default=watch.created))
    _add(feed, "link", rel="self", href=Path(path).resolve().as_uri())
    _add(_add(feed, "author"), "name", "Clerk")
    _add(feed, "generator", "Clerk")
    for match in entries:
        citation = _citation(match)
        entry = _add(feed, "entry")
        _add(entry, "id", entry_id(watch, match["key"]))
        _add(entry, "title", citation.label())
        _add(entry, "updated", match["found"])
        _add(entry, "link", rel="alternate", href=_link(citation.source))
        if citation.supporting:
            _add(entry, "summary", citation.supporting, type="text")
        decided = f"Effect: {match['effect']}" + (f" ({match['votes']})" if match.get("votes") else "") + "\n\n" \
            if match.get("effect") else ""
        _add(entry, "content", decided + citation.text, type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
