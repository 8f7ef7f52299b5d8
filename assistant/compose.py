"""The extractive answer: the passages' own sentences that best answer the question, each with
the [n] of its passage. Pure logic: sentence scores are computed elsewhere and passed in."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import numpy as np

from ingest.headings import is_heading
from ingest.lexical import tokenize
from ingest.records import Hit
from ingest.text import sentences

from .answers import Answer, Citation
from .councils import official
from .query import FINANCIAL_YEAR, asks_for_decisions, financial_year_end, gives_initials, initialisms
from .tuning import TUNING
from .verdicts import states_verdict


@dataclass(frozen=True)
class Candidate:
    hit_index: int
    position: int  # order within the passage
    text: str
    decision: bool = False  # from a passage that is a substantive decision
    verdict: bool = False  # states an inspection's overall judgement
    # Of an inspection report the question asks about: gives what it asks (assistant/inspection_passages.py),
    # or is of an older report than "the last inspection" asked for.
    part: bool = False
    superseded: bool = False


def candidate_sentences(hits: list[Hit]) -> list[Candidate]:
    """Every sentence of every passage, minus headings, the record's own title ("Issue - meetings -
    … - Northmoor Borough Council" says nothing) and fragments too short to say anything."""
    out = []
    for i, hit in enumerate(hits):
        position = 0
        decision = bool(hit.chunk.decision and not hit.chunk.decision.procedural)
        paragraphs = hit.chunk.text.split("\n\n")
        for n, paragraph in enumerate(paragraphs):
            # A grade table's row is its label and its grade, printed as two lines: one sentence.
            if n and _GRADE_CELL.match(paragraph) and is_heading(paragraphs[n - 1]) \
                    and not _GRADE_CELL.match(paragraphs[n - 1]):
                row = f"{paragraphs[n - 1].strip()} {paragraph.strip()}"
                out.append(Candidate(i, position, row, decision, states_verdict(row)))
                position += 1
                continue
            # A heading states nothing, except a report's headline verdict ("Children's services in Kent
            # are good", "Overall effectiveness Good"), which answers a question about the verdict.
            verdict_line = is_heading(paragraph) and states_verdict(paragraph)
            if is_heading(paragraph) and not verdict_line:
                continue
            for start, end in (c for span in sentences(paragraph) for c in _clauses(paragraph, *span)):
                text = paragraph[start:end].strip().lstrip("• ").strip()
                # A question in a record (a councillor's written question, an agenda's "What needs to
                # improve?") restates what is asked; its answer is elsewhere.
                if (len(text.split()) >= 4 or verdict_line) and text != hit.chunk.meta.title \
                        and not _QUESTION_END.search(text) and not (text.startswith("(") and text.endswith(")")):
                    out.append(Candidate(i, position, text, decision, states_verdict(text)))
                    position += 1
    return out


# A cell of an inspection's grade table, on a line of its own after the judgement it grades.
_GRADE_CELL = re.compile(r"^\s*(Outstanding|Good|Requires\s+improvement(\s+to\s+be\s+good)?|Inadequate)\s*$", re.I)

# "What needs to improve?1": a question, and its footnote's mark. An aside in brackets ("(Outcome 4, national
# framework)") is no sentence either.
_QUESTION_END = re.compile(r"\?\d{0,2}$")


# "Inspection dates: 20 February to 3 March 2023", "Lead inspector: Lisa Summers, …": a report's cover lines.
_LABEL_LINE = re.compile(r"^(?=[^:]*[a-z])[A-Z][\w’' ]{1,30}:\s+(\S.*)$")


def label_value(text: str) -> str | None:
    """The value of a short "Label: value" line, else None ("RESOLVED: That …", "Note: the … ." and
    "Resolved That: The Commission:" are sentences or lead-ins, not labels)."""
    match = _LABEL_LINE.match(text)
    return match.group(1) if match and len(text.split()) <= 20 and not text.rstrip().endswith((".", ":")) else None


def unasked_labels(candidates: list[Candidate], question_terms: set[str]) -> np.ndarray:
    """Cover lines whose value shares no word (numbers aside) with the question: "Inspection dates: …
    2023" is no answer to "which area … in 2023", though it scores as similar as the sentences that are.
    `question_terms` are stemmed as the lexical index stems, as the values are here."""
    words = {t for t in question_terms if not t.isdigit()}
    values = [None if c.decision else label_value(c.text) for c in candidates]
    return np.asarray([v is not None and not words & set(tokenize([v])[0]) for v in values], dtype=bool)


# "Members asked how many children were placed …": a question reported, the councillor's not the answer.
# "Canon Alder asked about care leavers' mental health" reports a question too.
_REPORTED_QUESTION = re.compile(r"\b(asked|queried|enquired|questioned|wondered)\s+(about\b|(how|what|whether|if|why|when"
                                r"|who|which|where)\b)", re.I)


def restatements(candidates: list[Candidate], question_terms: set[str]) -> np.ndarray:
    """Sentences that restate rather than answer: unasked cover lines (`unasked_labels`) and questions a
    record reports being asked ("Members asked how many …"), which echo a question's words best of all."""
    reported = np.asarray([bool(_REPORTED_QUESTION.search(c.text)) for c in candidates], dtype=bool)
    return unasked_labels(candidates, question_terms) | reported


LONG_SENTENCE = TUNING.long_sentence  # words: past this, a "sentence" is a resolution's clauses run together
_CLAUSE_END = re.compile(r";\s*|(?<=\d\.\d\d)\s+(?=[A-Z][a-z])")  # "…; (ii)", "£400.42 Finance"


def _clauses(paragraph: str, start: int, end: int, least: int = TUNING.clause_words) -> list[tuple[int, int]]:
    """A long sentence cut into spans of at least `least` words, so that an answer can quote the clause
    that answers and not 150 words around it: after its semicolons ("…; (ii) agree to a short extension
    of 6 months …;"), and where an amount in pounds and pence meets a capitalised word, as cells do in
    minutes flattened to one line ("… £400.42 Finance – @ 31st March 2020: Current Account £5289.89 …")."""
    if len(paragraph[start:end].split()) <= LONG_SENTENCE:
        return [(start, end)]
    spans, piece_start = [], start
    for match in _CLAUSE_END.finditer(paragraph, start, end):
        cut = match.start() + (paragraph[match.start()] == ";")
        if len(paragraph[piece_start:cut].split()) >= least:
            spans.append((piece_start, cut))
            piece_start = match.end()
    if spans and len(paragraph[piece_start:end].split()) < least:
        return spans[:-1] + [(spans[-1][0], end)]
    return spans + [(piece_start, end)]


# What a question asks for, and the form of a sentence that supplies it: "how many" is answered by a number,
# "when" by a date, "who" by a person or body. A sentence of that form gains TUNING.answer_form_bonus.
_ASKS_NUMBER = re.compile(r"\b(how (many|much|long|often|big|far)|what (percentage|proportion|share|number|total|sum|amount"
                          r"|rate|figure|cost|size|age)|up to what age|at what age)\b", re.I)
_ASKS_DATE = re.compile(r"^\W*(when|by when|since when)\b|\b(what|which) (date|day|month|year)\b", re.I)
_ASKS_WHO = re.compile(r"^\W*(who|whom)\b|\bwhich (councillors?|members?|officers?|inspectors?|companies|company|"
                       r"contractors?|organisations?)\b", re.I)
_NUMBER = re.compile(r"[£$€]\s?\d|\d[\d,.]*\s?(%|per ?cent|pounds|million|bn|m\b|k\b)|\b\d[\d,.]*\b")
_DATE = re.compile(r"\b\d{1,2}(st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|September|October"
                   r"|November|December)|\b(January|February|March|April|May|June|July|August|September|October"
                   r"|November|December)\s+\d{4}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")
_WHO = re.compile(r"\b(Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr|Sir|Dame)\.?\s+[A-Z]|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b")


def _forms_asked(question: str) -> list[re.Pattern]:
    return [form for asks, form in ((_ASKS_NUMBER, _NUMBER), (_ASKS_DATE, _DATE), (_ASKS_WHO, _WHO))
            if asks.search(question)]


def answer_forms(question: str, candidates: list[Candidate]) -> np.ndarray:
    """1 for each sentence that has the form of what the question asks for (a number for "how many",
    a date for "when", a name for "who"), else 0; all 0 when the question asks for none of these."""
    forms = _forms_asked(question)
    return np.asarray([1.0 if any(f.search(c.text) for f in forms) else 0.0 for c in candidates], dtype=np.float32)


def sentence_relevance(candidates: list[Candidate], similarity: np.ndarray, overlap: np.ndarray, *,
                       decisions_wanted: bool, verdict_wanted: bool = False,
                       unasked: np.ndarray | None = None, forms: np.ndarray | None = None) -> np.ndarray:
    """How well each sentence answers: its similarity to the question, the share of the question's
    terms it contains, a little for its passage's rank (retrieval already weighed the passage),
    and, when the question asks what was resolved, a little for sentences that record a decision;
    when it asks for an inspection's verdict, more for sentences that state one, because they share
    few words with "Trace Sefton's Ofsted outcome from 2022 to 2025"."""
    t = TUNING
    rank_prior = np.asarray([t.rank_prior / (1 + c.hit_index) for c in candidates], dtype=np.float32)
    decided = np.asarray([t.decision_bonus if decisions_wanted and c.decision else 0.0 for c in candidates],
                         dtype=np.float32)
    judged = np.asarray([t.verdict_bonus if verdict_wanted and c.verdict else 0.0 for c in candidates], dtype=np.float32)
    relevance = similarity + t.overlap_weight * overlap + rank_prior + decided + judged
    if forms is not None:
        relevance = relevance + t.answer_form_bonus * forms
    part = np.asarray([c.part for c in candidates], dtype=bool)
    superseded = np.asarray([c.superseded for c in candidates], dtype=bool)
    # Of "the last inspection", an older report's sentences answer about another inspection: never quoted.
    relevance = np.where(superseded, -1.0, relevance + t.inspection_part_bonus * part)
    if unasked is not None:  # a report's own line giving what was asked of it is no restatement
        relevance = relevance - t.unasked_label_penalty * (unasked & ~part)
    return relevance


def human_date(iso: str) -> str:
    """"2021-06-08" -> "8 June 2021"."""
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _lead_in(citation: Citation) -> str:
    """"At BCP Council's Children's Services Overview and Scrutiny Committee on 8 June 2021 (item 11): "."""
    # A meeting of the whole council ("Parish Council", "County Council") is the council itself: "At Little
    # Ashby Parish Council", not "At Little Ashby Parish Council’s Parish Council".
    committee = citation.committee
    if committee and citation.council and committee.lower() in citation.council.lower():
        committee = None
    who = " ".join(p for p in (f"{citation.council}’s" if citation.council and committee else citation.council,
                               committee) if p)
    if not who:
        return ""
    when = f" on {human_date(citation.meeting_date)}" if citation.meeting_date else ""
    numbers = ", ".join(p for p in (f"minute {citation.minute}" if citation.minute else None,
                                    f"item {citation.item}" if citation.item else None) if p)
    item = f" ({numbers})" if numbers else ""
    return f"At {who}{when}{item}: " if citation.kind in ("minutes", "decision") else f"{who}{when}: "


_QUESTION_WORDS = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how", "did", "does", "do", "is",
                   "are", "was", "were", "has", "have", "had", "can", "could", "and", "but", "before", "after",
                   "even", "in", "on", "at", "by", "for", "of", "the", "a", "an", "i", "ofsted", "council",
                   "councils", "committee", "january", "february", "march", "april", "may", "june", "july",
                   "august", "september", "october", "november", "december"}  # months name events as often as meetings
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][A-Za-z-]+)")


# A body named in lower case ("the planning committee", "the scrutiny panel"): capitalised ones are names.
_BODY = re.compile(r"\b([a-z][a-z-]+)\s+(committee|sub-committee|panel|board|commission|cabinet|forum)\b")
_NOT_A_BODY_NAME = {"the", "a", "an", "any", "each", "every", "which", "what", "that", "this", "these", "those",
                    "same", "whole", "its", "their", "his", "her", "our", "your", "whose", "another", "other"}


def key_terms(question: str) -> set[str]:
    """Names, bodies and years the question is about ("kent", "planning committee", "2019"): if the
    passages found never mention one of them, they cannot answer the question, however similar they sound."""
    terms = {m.group(0) for m in _YEAR.finditer(question)}
    for match in FINANCIAL_YEAR.finditer(question):
        if end := financial_year_end(match):
            terms -= {match[1], match[2]}
            terms.add(f"{match[1]}/{end}")  # either year will do: 2019/20's accounts are "at 31 March 2020"
    for match in _NAME.finditer(question.strip()):
        word = re.sub(r"[’']s$", "", match.group(1))
        if word.lower() not in _QUESTION_WORDS:
            terms.add(word.lower())
    terms |= {f"{m[1]} {m[2]}" for m in _BODY.finditer(question) if m[1] not in _NOT_A_BODY_NAME}
    return terms


def _said_of(hit: Hit) -> str:
    """What a passage says, with what its record says of it (council, body, title, meeting date)."""
    date = hit.chunk.meta.meeting_date
    when = human_date(date) if date else ""
    return f"{hit.chunk.indexed_text()} {when}"


_FINANCIAL_TERM = re.compile(r"(\d{4})/(\d{4})")


def _pattern(term: str) -> str:
    """A key term as found in text: "planning committee" across a line break, "2019/2020" as either year."""
    financial = _FINANCIAL_TERM.fullmatch(term)
    if financial:
        return rf"\b({financial[1]}|{financial[2]})\b"
    return r"\b" + r"\s+".join(map(re.escape, term.split()))


def missing_terms(question: str, hits: list[Hit], *, any_year: bool = False) -> set[str]:
    """The question's names and years that the passages never mention. With `any_year`, one of its
    years is enough: a record answers its part of "across its 2018, 2022 and 2025 reports"."""
    said = " ".join(_said_of(h) for h in hits)
    found = said.lower()
    terms = key_terms(question)
    # A council asked about by a short form ("BCP", "Hull") is mentioned by its official name.
    missing = {t for t in terms if not re.search(_pattern(t), found)
               and not ((name := official(t)) and name.lower() in found)}
    # A name the records abbreviate: "Community Infrastructure Levy" is "CIL" in the minutes.
    for initials, words in initialisms(question).items():
        if gives_initials(said, initials):
            missing -= {w.lower() for w in words}
    years = {t for t in terms if _YEAR.fullmatch(t) or _FINANCIAL_TERM.fullmatch(t)}
    return missing - years if any_year and years - missing else missing


def abstention(question: str, hits: list[Hit]) -> Answer:
    """The records do not answer: say so, and list the closest passages as not an answer. Why, and what
    to do next, depends on the store and the filters: the service says (assistant/abstention_reason.py)."""
    closest = tuple(Citation.from_hit(n, hit) for n, hit in enumerate(hits, start=1))
    return Answer(question, "The records I have do not answer this question.", abstained=True, citations=closest)


def compose(question: str, hits: list[Hit], candidates: list[Candidate], relevance: np.ndarray, *,
            answers: bool, max_sentences: int, per_council: bool = False, follow_up: bool = False) -> Answer:
    """`relevance[i]` scores `candidates[i]` against the question; `answers` says whether the records
    answer at all (assistant/abstain.py decides). `per_council`, for a question across councils: one line
    per council (per record when its council is unknown), each its council's best sentence that clears
    the floor."""
    if not hits or not answers or not len(candidates) or float(relevance.max()) < 0:
        return abstention(question, hits)
    # The window below the best is measured from the best of the other sentences: a report's own lines, with
    # their bonus, would otherwise leave no room for the sentence that says what they do not.
    others = [float(r) for c, r in zip(candidates, relevance) if not c.part]
    best = max(others) if others else float(relevance.max())
    threshold = TUNING.quote_floor

    # A report's own lines giving what was asked of it come first, then the rest by relevance.
    order = sorted(np.argsort(-relevance, kind="stable"), key=lambda i: not (candidates[i].part and relevance[i] >= 0))
    chosen: list[Candidate] = []
    per_passage: dict[int, int] = {}
    answered_for: set[str] = set()
    # Across councils, a council whose best sentence trails another council's is still an answer for it.
    # Within 0.3 of the best, not 0.2: a verdict's bonus would otherwise leave it quoted alone.
    # A follow-up's sentences score against its own few words, lower than the conversation's: only the
    # distance from the best counts.
    floor = threshold if per_council else max(threshold if not follow_up else 0.0, best - TUNING.quote_window)
    for i in order:
        candidate = candidates[i]
        if len(chosen) >= max_sentences or relevance[i] < 0:
            break
        # Below the floor only a report's own line giving what was asked of it (found by the report's
        # structure, not by how much it sounds like the question) is quoted.
        if relevance[i] < floor and not candidate.part:
            continue
        # One sentence a passage (two of a decision's parts), so an answer draws on more of the passages
        # found: on the dev questions the quoted passages held the evidence for 72 % instead of 62 %.
        # A report's lines giving what was asked (its dates and inspector, its improvement points) all count.
        if not candidate.part and per_passage.get(candidate.hit_index, 0) >= (2 if candidate.decision else 1) \
                or candidate.text in {c.text for c in chosen}:
            continue
        if per_council:
            chunk = hits[candidate.hit_index].chunk
            council = chunk.meta.council or chunk.source
            if council in answered_for:
                continue
            answered_for.add(council)
        chosen.append(candidate)
        if not candidate.part:  # a report's own lines leave its passage's quota to the other sentences
            per_passage[candidate.hit_index] = per_passage.get(candidate.hit_index, 0) + 1

    if not chosen:
        return abstention(question, hits)
    # Sources are numbered the passages quoted first, then the rest, each in rank order: the sentence
    # scores read every line of the passages found, and the passages they quote held the evidence more
    # often than the first few retrieved (dev2 evidence at rank 1: 30 of 65 retrieved, 51 quoted).
    # Each keeps the first sentence quoted from it for highlighting.
    supporting: dict[int, str] = {}
    for candidate in sorted(chosen, key=lambda c: (c.hit_index, c.position)):
        supporting.setdefault(candidate.hit_index, candidate.text)
    order = sorted(range(len(hits)), key=lambda i: (i not in supporting, i))
    citations_of = {i: Citation.from_hit(n, hits[i], supporting.get(i), cited=i in supporting)
                    for n, i in enumerate(order, start=1)}
    citations = tuple(citations_of[i] for i in order)

    # Grouped by meeting: each meeting is introduced once, before the first sentence quoted from it. Asked what
    # was resolved, the meetings whose decisions are quoted come first.
    decided_first = asks_for_decisions(question)
    by_meeting: dict[str, list[Candidate]] = {}
    for candidate in sorted(chosen, key=lambda c: (decided_first and not c.decision, c.hit_index, c.position)):
        by_meeting.setdefault(_lead_in(citations_of[candidate.hit_index]), []).append(candidate)
    parts: list[str] = []
    for lead, group in by_meeting.items():
        for i, candidate in enumerate(group):
            parts.append(f"{lead if i == 0 else ''}{candidate.text} [{citations_of[candidate.hit_index].n}]")
    return Answer(question, "\n".join(parts), abstained=False, citations=citations)
