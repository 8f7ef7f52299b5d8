"""Fit the abstention model (assistant/abstain.py) on labelled questions, judge it out of fold, and write
assistant/data/abstention.json.

    .venv/bin/python benchmarks/fit_abstention.py [--work DIR] [--write] [--target-answered 0.95]

Labelled questions: seeds, dev and dev2 (each asked of its own store, as benchmarks/eval_sets.py builds them
under --work), plus counterfactual unanswerables made from the answerable ones: the council named swapped
for a UK council the store holds nothing of, or the year named moved to one the records of that council
neither are dated in nor mention (each checked against the store). A counterfactual stays in the fold of
the question it came from, and folds are whole documents, so no document is on both sides of a fold.

Printed, out of fold only: the share of answerable questions answered and of unanswerable ones abstained,
per set, for folds by document (5 folds) and for folds by set (fitted on two sets, judged on the third).
The threshold is chosen inside each training fold: the highest probability at which the training fold's
answerable questions are answered at least --target-answered of the time.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from eval_sets import SETS, CachedEmbedder  # noqa: E402

from assistant.abstain import FEATURES, AbstentionModel, Signals  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402
from assistant.query import council_alias, named_years  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402


@dataclass(frozen=True)
class Labelled:
    set: str
    id: str
    question: str
    history: tuple[str, ...]
    answerable: bool
    group: str  # the fold unit: the document the question (or the one it was made from) is about
    made: str = ""  # how a counterfactual was made


def counterfactuals(set_name: str, assistant: Assistant, questions, spare_councils: list[str]) -> list[Labelled]:
    """Answerable questions made unanswerable by a council or a year the records do not hold."""
    held = assistant.library.councils()
    held_aliases = {council_alias(c) for c in held}
    spare = [c for c in spare_councils if council_alias(c) not in held_aliases]
    index = assistant.library.lexical()
    made = []
    for n, q in enumerate(questions):
        if not q.answerable or q.history:
            continue
        hints = assistant.draft(q.question, k=1).hints
        if len(hints.councils) == 1 and spare:
            name = hints.councils[0]
            forms = [f for f in dict.fromkeys((name, council_alias(name).title(), council_alias(name))) if f]
            form = next((f for f in forms if re.search(rf"\b{re.escape(f)}\b", q.question, re.I)), None)
            other = spare[n % len(spare)]
            if form and not (index.scores(council_alias(other)) > 0).any():  # not even mentioned anywhere
                changed = re.sub(rf"\b{re.escape(form)}\b", council_alias(other).title(), q.question, flags=re.I)
                made.append(Labelled(set_name, q.id + "-council", changed, (), False, f"{set_name}:{q.doc}", "council"))
        years = sorted(named_years(q.question))
        if years:
            moved = years[0] - 9
            draft = assistant.draft(q.question.replace(str(years[0]), str(moved)), k=20)
            councils = draft.hints.councils
            mentioned = any(str(moved) in h.chunk.text or (h.chunk.meta.meeting_date or "")[:4] in
                            {str(moved - 1), str(moved), str(moved + 1)}
                            for h in draft.hits if not councils or h.chunk.meta.council in councils)
            if not mentioned and str(years[0]) in q.question:
                changed = re.sub(rf"\b{years[0]}\b", str(moved), q.question)
                changed = re.sub(rf"\b{moved}\s*[-/]\s*\d\d\b", f"{moved}-{str(moved + 1)[2:]}", changed)
                made.append(Labelled(set_name, q.id + "-year", changed, (), False, f"{set_name}:{q.doc}", "year"))
    return made


def labelled_set(set_name: str, questions) -> list[Labelled]:
    return [Labelled(set_name, q.id, q.question, q.history, q.answerable,
                     f"{set_name}:{q.doc}" if q.answerable else f"{set_name}:{q.id}") for q in questions]


def fit(x: np.ndarray, y: np.ndarray, target: float) -> AbstentionModel:
    from sklearn.linear_model import LogisticRegression

    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit((x - means) / scales, y)
    probabilities = model.predict_proba((x - means) / scales)[:, 1]
    answerable = np.sort(probabilities[y == 1])
    threshold = float(answerable[int(np.floor((1 - target) * len(answerable)))]) if len(answerable) else 0.5
    return AbstentionModel(tuple(means.tolist()), tuple(scales.tolist()), tuple(model.coef_[0].tolist()),
                           float(model.intercept_[0]), threshold)


def out_of_fold(x, y, folds: np.ndarray, target: float) -> np.ndarray:
    """For each question, whether a model fitted without its fold answers it."""
    answered = np.zeros(len(y), dtype=bool)
    for fold in np.unique(folds):
        test = folds == fold
        model = fit(x[~test], y[~test], target)
        answered[test] = [model.answers(Signals(*row)) for row in x[test]]
    return answered


def report(rows: list[Labelled], answered: np.ndarray, title: str) -> list[str]:
    lines = [f"### {title}", "| set | answerable answered | unanswerable abstained (real) | counterfactual abstained |",
             "|---|---|---|---|"]
    for name in [*dict.fromkeys(r.set for r in rows), "all"]:
        pick = [i for i, r in enumerate(rows) if name in ("all", r.set)]

        def share(cond):
            chosen = [i for i in pick if cond(rows[i])]
            return chosen

        ans = share(lambda r: r.answerable)
        real = share(lambda r: not r.answerable and not r.made)
        made = share(lambda r: bool(r.made))
        cell = lambda ids, want: f"{sum(answered[i] == want for i in ids)}/{len(ids)}" if ids else "–"  # noqa: E731
        lines.append(f"| {name} | {cell(ans, True)} | {cell(real, False)} | {cell(made, False)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/clerk-eval-sets"))
    parser.add_argument("--sets", default="seeds,dev,dev2")
    parser.add_argument("--target-answered", type=float, default=0.95)
    parser.add_argument("--write", action="store_true", help="write assistant/data/abstention.json")
    args = parser.parse_args(argv)
    from assistant.councils import councils
    from ingest.embed import load_embedder

    # Councils of today (no successors), to swap in for the one a question names.
    spare_councils = [c.name for c in councils() if not c.successors]
    embedder = CachedEmbedder(load_embedder(), args.work / "vectors.sqlite")
    rows: list[Labelled] = []
    signals = []
    for name in args.sets.split(","):
        assistant = Assistant.open(Settings(store=args.work / name), embedder=embedder)
        assistant.ingest(SETS[name][0])
        questions = load_questions(SETS[name][1])
        made = labelled_set(name, questions) + counterfactuals(name, assistant, questions, spare_councils)
        for row in made:
            signals.append(assistant.draft(row.question, history=row.history, k=10).signals.vector())
        rows += made
        print(f"# {name}: {len(made)} questions", file=sys.stderr)
    x, y = np.asarray(signals, dtype=float), np.asarray([r.answerable for r in rows], dtype=int)
    groups = sorted({r.group for r in rows})
    rng = np.random.default_rng(0)
    fold_of = dict(zip(groups, rng.permutation(len(groups)) % 5))
    lines = report(rows, out_of_fold(x, y, np.asarray([fold_of[r.group] for r in rows]), args.target_answered),
                   "Out of fold, 5 folds by document")
    lines += [""] + report(rows, out_of_fold(x, y, np.asarray([r.set for r in rows]), args.target_answered),
                           "Out of fold, by set (fitted on the other sets)")
    model = fit(x, y, args.target_answered)
    lines += ["", "Fitted on all: " + ", ".join(f"{f} {w:+.2f}" for f, w in zip(FEATURES, model.weights))
              + f"; bias {model.bias:+.2f}; threshold {model.threshold:.3f}"]
    print("\n".join(lines))
    (args.work / "abstention-rows.json").write_text(json.dumps(
        [{**r.__dict__, "signals": s} for r, s in zip(rows, signals)], indent=0))
    if args.write:
        data = {"fitted_on": f"{', '.join(args.sets.split(','))} questions and {sum(bool(r.made) for r in rows)} "
                             f"counterfactuals (benchmarks/fit_abstention.py)",
                "out_of_fold": lines, **model.to_json()}
        (ROOT / "assistant" / "data" / "abstention.json").write_text(json.dumps(data, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
