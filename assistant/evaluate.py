"""Scoring answers against a question set (the format of ../shared/corpus/questions.jsonl). Pure logic."""
from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path, PurePath

from ingest.text import collapse

from .answers import Answer, Citation
from .citations import problems
from .query import earlier_questions


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    kind: str
    doc: str | None
    evidence: str | None
    history: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    evidences: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return bool(self.doc and self.evidence)


def load_questions(path: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            docs, evidences = raw.get("docs") or [None], raw.get("evidences") or [None]
            questions.append(Question(
                id=str(raw["id"]), question=raw["question"], kind=raw.get("kind", "fact"),
                doc=raw.get("doc") or docs[0], evidence=raw.get("evidence") or evidences[0], history=earlier_questions(raw.get("history")),
                docs=tuple(raw.get("docs") or ()), evidences=tuple(raw.get("evidences") or ())))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a question record ({exc})") from None
    return questions


def holds_evidence(citation: Citation, doc: str, evidence: str) -> bool:
    """Same file name, and the evidence is in the passage once white space (and bullets, and
    line-end hyphens) are normalised the same way on both sides."""
    return PurePath(citation.source).name == PurePath(doc).name and collapse(evidence) in collapse(citation.text)


def first_hit_rank(answer: Answer, question: Question) -> int | None:
    for rank, citation in enumerate(answer.citations, start=1):
        if holds_evidence(citation, question.doc, question.evidence):
            return rank
    return None


def evidence_coverage(answer: Answer, question: Question, k: int = 5) -> float:
    """For cross-council questions: the share of their evidence passages found in the top k."""
    pairs = list(zip(question.docs, question.evidences)) or [(question.doc, question.evidence)]
    found = sum(any(holds_evidence(c, d, e) for c in answer.citations[:k]) for d, e in pairs)
    return found / len(pairs)


def evidence_cited(answer: Answer, question: Question) -> bool:
    """Whether a passage the answer quotes (not just lists) holds evidence for the question."""
    pairs = list(zip(question.docs, question.evidences)) or [(question.doc, question.evidence)]
    return any(holds_evidence(c, d, e) for c in answer.citations if c.cited for d, e in pairs)


def summarise(rows: list[tuple[Question, Answer, float]]) -> dict:
    """recall@1/5/10 and MRR@10 over answerable questions, abstention on unanswerable ones, latency."""
    answerable = [(q, a) for q, a, _ in rows if q.answerable]
    unanswerable = [(q, a) for q, a, _ in rows if not q.answerable]
    ranks = [first_hit_rank(a, q) for q, a in answerable]
    answered = [(q, a) for q, a in answerable if not a.abstained]
    latencies = sorted(t for _, _, t in rows)

    def recall(k: int) -> float:
        return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0

    by_kind: dict[str, dict] = {}
    for (q, a), r in zip(answerable, ranks):
        entry = by_kind.setdefault(q.kind, {"n": 0, "recall@5": 0.0, "evidence@5": 0.0})
        entry["n"] += 1
        entry["recall@5"] += 1 if r is not None and r <= 5 else 0
        entry["evidence@5"] += evidence_coverage(a, q)  # every evidence passage, for cross-council ones
    for entry in by_kind.values():
        entry["recall@5"] = round(entry["recall@5"] / entry["n"], 3)
        entry["evidence@5"] = round(entry["evidence@5"] / entry["n"], 3)
    return {
        "questions": len(rows),
        "recall@1": round(recall(1), 3),
        "recall@5": round(recall(5), 3),
        "recall@10": round(recall(10), 3),
        "mrr@10": round(sum(1 / r for r in ranks if r is not None and r <= 10) / len(ranks), 3) if ranks else 0.0,
        "answered_when_answerable": round(sum(not a.abstained for _, a in answerable) / len(answerable), 3) if answerable else None,
        # Of the answerable questions answered, the share whose quoted passages hold the evidence.
        "evidence_cited": round(sum(evidence_cited(a, q) for q, a in answered) / len(answered), 3) if answered else None,
        "abstained_when_unanswerable": round(sum(a.abstained for _, a in unanswerable) / len(unanswerable), 3) if unanswerable else None,
        "citation_validity": round(sum(not problems(a) for _, a, _ in rows) / len(rows), 3) if rows else None,
        "by_kind": by_kind,
        "latency_p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1) if latencies else None,
    }
