"""Watches: saved searches that say what is new. STORE/watches.json holds them, with what each has shown.

A check finds the documents added or changed since the last one, by comparing the manifest's content
hashes with those the file remembers, and queues them for every watch. A watch then searches only the
passages of its queued documents, with ask's own retrieval and sentence scores (Assistant.draft), and
reports those holding a sentence at or above TUNING.watch_floor that also hold most of the query's words'
weight (TUNING.watch_coverage), as the precedent finder asks of a decision. Each passage it has read is remembered
by a hash of its document and its text, never by chunk id: a changed record whose passage reads as before
is not news, and no passage is reported twice. `add` reads the store once the same way, so what is
already there when a watch is made is not reported as new.
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import numpy as np

from ingest.filters import Filters
from ingest.manifest import CHANGING

from .answers import Citation
from .service import Assistant, check_question
from .tuning import TUNING
from .uploads import write_atomically

WATCHES_FILE = "watches.json"
FEEDS = "feeds"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# What a watch keeps: the passages it has read (hashes, for never reporting one twice) and the matches it
# has reported (for its feed and the app). Oldest dropped first; a check reads at most watch_depth passages.
MAX_SEEN = 20_000
MAX_MATCHES = 500


@dataclass(frozen=True)
class Watch:
    name: str
    query: str
    filters: dict  # Filters.to_json()
    created: str
    feed_id: str  # a random UUID: the feed's id, kept if the store moves
    checked: str | None = None  # when it last looked
    pending: tuple[str, ...] = ()  # doc ids of records added or changed since it last looked
    seen: tuple[str, ...] = ()  # passage_key of every passage it has read
    matches: tuple[dict, ...] = ()  # what it reported (match JSON), the newest check first, best first within one

    def filter_args(self) -> dict:
        """The arguments of the Filters it was made with."""
        f = self.filters
        return dict(councils=tuple(f.get("councils", ())), committees=tuple(f.get("committees", ())),
                    since=f.get("since"), until=f.get("until"), kinds=tuple(f.get("kinds", ())),
                    decisions_only=bool(f.get("decisions_only")))

    def to_json(self) -> dict:
        return {**asdict(self), "pending": list(self.pending), "seen": list(self.seen), "matches": list(self.matches)}

    @classmethod
    def from_json(cls, data: dict) -> "Watch":
        return cls(**{**data, "pending": tuple(data.get("pending", ())), "seen": tuple(data.get("seen", ())),
                      "matches": tuple(data.get("matches", ()))})


@dataclass
class WatchFile:
    """STORE/watches.json: the watches, and the content hash of each record as the last check found it."""

    path: Path
    watches: dict[str, Watch] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)  # manifest source -> sha256, at the last check

    @classmethod
    def load(cls, store: Path) -> "WatchFile":
        path = Path(store) / WATCHES_FILE
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, {n: Watch.from_json(w) for n, w in data["watches"].items()}, dict(data["documents"]))
        except (ValueError, KeyError, TypeError) as exc:
            # Never written over: the watches and what they have shown would be lost.
            raise ValueError(f"{path}: not a watches file Clerk can read ({exc}); fix it or move it away") from None

    def save(self) -> None:
        data = {"watches": {n: w.to_json() for n, w in sorted(self.watches.items())}, "documents": self.documents}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"))

    def note_changes(self, manifest) -> bool:
        """Queue the records added or changed since the last check for every watch; True if any were."""
        changed = {}
        for source, entry in manifest.documents.items():
            if entry.sha256 != CHANGING and self.documents.get(source) != entry.sha256:
                changed[source] = entry
        gone = self.documents.keys() - manifest.documents.keys()
        for source in gone:
            del self.documents[source]
        if not changed:
            return bool(gone)
        self.documents.update({source: entry.sha256 for source, entry in changed.items()})
        doc_ids = [e.doc_id for e in changed.values()]
        self.watches = {n: replace(w, pending=tuple(dict.fromkeys((*w.pending, *doc_ids))))
                        for n, w in self.watches.items()}
        return True


@contextmanager
def one_at_a_time(store: Path) -> Iterator[None]:
    """Hold STORE/.watches.lock while the watches are read, changed and written, so the app and the CLI
    checking at once do not each write over the other's changes. POSIX only; elsewhere, nothing is held."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    Path(store).mkdir(parents=True, exist_ok=True)
    with open(Path(store) / ".watches.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name or ""):
        raise ValueError(f"watch name {name!r}: use up to 64 letters, digits, - and _, starting with a letter "
                         "or digit (it names the feed file)")
    return name


def name_for(text: str, taken) -> str:
    """A free watch name made from a topic: "Care leavers' council tax" -> care-leavers-council-tax (-2, -3 …)."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:56].strip("-") or "watch"
    return next(n for n in (base, *(f"{base}-{i}" for i in range(2, len(taken) + 3))) if n not in taken)


def feed_path(store: Path, name: str) -> Path:
    return Path(store) / FEEDS / f"{name}.xml"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def passage_key(source: str, text: str) -> str:
    """A passage as a watch remembers it: its document and its text, so an unchanged passage of a changed
    record is known again whatever its chunk id."""
    return hashlib.sha256(f"{source}\n{text}".encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Among(Filters):
    """A watch's filters, narrowed to the passages of some records (by doc id): those that arrived since it
    last looked. The retriever asks filters for a mask over the lexical index, so this one computes its own."""

    library: object = field(default=None, compare=False, repr=False)
    doc_ids: frozenset = field(default=frozenset(), compare=False, repr=False)

    @property
    def active(self) -> bool:
        return True

    def mask(self, columns) -> np.ndarray:
        ids = self.library.lexical().ids  # the index whose columns these are: the retriever has just read it
        among = np.fromiter((i.split(":", 1)[0] in self.doc_ids for i in ids), dtype=bool, count=len(ids))
        return super().mask(columns) & among


@dataclass(frozen=True)
class Reading:
    """What a watch made of the passages it read: every passage's key, and the matches, best first."""

    keys: tuple[str, ...]
    matches: tuple[dict, ...]


def read(assistant: Assistant, watch: Watch, filters: Filters, found: str) -> Reading:
    """The passages that `filters` let through, as `ask` would find and score them for the watch's query."""
    if not assistant.library.manifest.documents:
        return Reading((), ())
    draft = assistant.draft(watch.query, k=TUNING.watch_depth, filters=filters)
    best: dict[int, tuple[float, str]] = {}
    for candidate, relevance in zip(draft.candidates, draft.relevance):
        if relevance > best.get(candidate.hit_index, (-np.inf, ""))[0]:
            best[candidate.hit_index] = (float(relevance), candidate.text)
    covered = coverage(assistant, watch.query, draft.hits)
    keys, matches = [], []
    for i, hit in enumerate(draft.hits):
        if isinstance(filters, Among) and hit.chunk.doc_id not in filters.doc_ids:
            continue  # a named council's verdicts join a question's passages whatever the filters: not arrived
        keys.append(passage_key(hit.chunk.source, hit.chunk.text))
        relevance, sentence = best.get(i, (-1.0, None))
        if relevance >= TUNING.watch_floor and covered[i] >= TUNING.watch_coverage:
            decision = hit.chunk.decision
            citation = Citation.from_hit(0, hit, supporting=sentence, cited=True)
            matches.append({**asdict(citation), "relevance": round(relevance, 4), "found": found, "key": keys[-1],
                            "effect": decision.effect if decision else None,
                            "votes": decision.votes if decision else None})
    matches.sort(key=lambda m: -m["relevance"])
    return Reading(tuple(keys), tuple({**m, "n": n} for n, m in enumerate(matches, start=1)))


def coverage(assistant: Assistant, query: str, hits: list) -> list[float]:
    """The share of the query's words' weight (their idf, as BM25 weighs them) each passage holds, with its
    context (council, committee, title, heading, lead-in): the precedent finder's test of being about a topic."""
    from ingest.lexical import tokenize

    idf = assistant.library.lexical().idf(sorted(set(tokenize([query])[0])))
    weight = sum(idf.values())
    if not weight or not hits:
        return [0.0] * len(hits)
    return [sum(w for t, w in idf.items() if t in set(words)) / weight
            for words in tokenize([h.chunk.indexed_text() for h in hits])]


def add(assistant: Assistant, name: str | None, query: str, filters: Filters) -> tuple[Watch, int]:
    """A new watch, and how many passages already in the store match it (remembered, not reported). Without a
    name (the app's "watch this"), it is named after its query, a name no other watch has."""
    if name is not None:
        check_name(name)
    query = check_question(query, assistant.settings.max_question_chars)
    with one_at_a_time(assistant.settings.store):
        return _add(assistant, name, query, filters)


def _add(assistant: Assistant, name: str | None, query: str, filters: Filters) -> tuple[Watch, int]:
    state = WatchFile.load(assistant.settings.store)
    name = name or name_for(query, state.watches)  # chosen under the lock: no other writer takes it meanwhile
    if name in state.watches:
        raise ValueError(f"there is already a watch called {name}; remove it first with: clerk watch rm {name}")
    assistant.library.reload_manifest()
    state.note_changes(assistant.library.manifest)  # queued for the others; this one starts from here
    watch = Watch(name, query, filters.to_json(), created=now(), feed_id=str(uuid.uuid4()))
    there = read(assistant, watch, filters, watch.created)
    watch = replace(watch, checked=watch.created, seen=there.keys)
    state.watches[name] = watch
    state.save()
    write_feed(assistant.settings.store, watch)
    return watch, len(there.matches)


def remove(store: Path, name: str) -> None:
    with one_at_a_time(store):
        state = WatchFile.load(store)
        if name not in state.watches:
            raise ValueError(f"no watch called {name!r} in {Path(store).resolve()}" + _known(state))
        del state.watches[name]
        state.save()
        feed_path(store, name).unlink(missing_ok=True)


def _known(state: WatchFile) -> str:
    return f" (watches: {', '.join(sorted(state.watches))})" if state.watches else " (it has none)"


class Remembering:
    """An embedder that embeds each text once, for one check: every watch reads the same new passages, so
    their sentences are embedded once, not once a watch (8 watches over 4 new demo records: 125 s without, 21 s with)."""

    def __init__(self, embedder):
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def __getattr__(self, name: str):
        return getattr(self._embedder, name)

    def encode(self, texts, batch_size: int = 32) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            self._vectors.update(zip(missing, self._embedder.encode(missing, batch_size)))
        if not texts:
            return np.zeros((0, self._embedder.dimension), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])


@dataclass(frozen=True)
class Found:
    """One watch after a check, with the matches that check reported."""

    watch: Watch
    new: tuple[dict, ...]


def check(assistant: Assistant, names: list[str] | None = None) -> list[Found]:
    """Bring the watches (or those `names`) up to the store, and their feeds up to them. Without records
    added or changed since the last check this reads no passage, so the embedding model is not loaded."""
    with one_at_a_time(assistant.settings.store):
        return _check(assistant, names)


def _check(assistant: Assistant, names: list[str] | None) -> list[Found]:
    store = assistant.settings.store
    state = WatchFile.load(store)
    unknown = [n for n in names or () if n not in state.watches]
    if unknown:
        raise ValueError(f"no watch called {unknown[0]!r} in {Path(store).resolve()}" + _known(state))
    assistant.library.reload_manifest()
    changed = state.note_changes(assistant.library.manifest)
    assistant = replace(assistant, embedder=Remembering(assistant.embedder))
    found = []
    for name in names or sorted(state.watches):
        watch = state.watches[name]
        if not watch.pending:
            found.append(Found(watch, ()))
            continue
        when = now()
        among = Among(**watch.filter_args(), library=assistant.library, doc_ids=frozenset(watch.pending))
        reading = read(assistant, watch, among, when)
        seen = set(watch.seen)
        new = tuple(m for m in reading.matches if m["key"] not in seen)
        new = tuple({**m, "n": n} for n, m in enumerate(new, start=1))
        watch = replace(watch, checked=when, pending=(), seen=tuple(dict.fromkeys((*watch.seen, *reading.keys)))[-MAX_SEEN:],
                        matches=(*new, *watch.matches)[:MAX_MATCHES])
        state.watches[name] = watch
        changed = True
        found.append(Found(watch, new))
        if new:
            write_feed(store, watch)
    if changed:
        state.save()
    for f in found:  # a feed lost or never written (a watch made by hand) is written again
        if not feed_path(store, f.watch.name).exists():
            write_feed(store, f.watch)
    return found


def write_feed(store: Path, watch: Watch) -> Path:
    from .feeds import atom

    path = feed_path(store, watch.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, atom(watch, path))
    return path
