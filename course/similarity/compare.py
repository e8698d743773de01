"""Which pairs of answers share more than independent work explains.

Fingerprints come from copydetect (MOSS-style winnowing over hashed k-grams), taken of each
answer's token string (course/similarity/tokens.py: one character per token, plain names as
``V``, comments and whitespace gone, independent statements in a canonical order), so a k-gram
is k tokens. With the winnowing window at 1 every k-gram is kept (copydetect's "guarantee
threshold" equal to its "noise threshold"), so the result does not depend on which k-grams a window
happens to pick, nor on Python's per-process string hashing. On top of that this module adds what
copydetect leaves to the instructor:

* Given code is ignored: k-grams found in the released notebook (lesson, stubs, visible tests) or in
  the instructor's solution are removed from every answer - the lesson and the hints lead every
  student there, so sharing them says nothing.
* Rarity: a k-gram shared by two answers counts by how few of the exercise's N answers (stubs left
  untouched do not count) contain it:
  ``weight = log(N / df) / log(N / 2)``,
  1 when only the pair has it, 0 when every answer does. Code that a short exercise forces on
  everyone weighs nothing, whatever its length.
* A pair's ``length`` in an exercise is the number of tokens the two share, each weighted by the
  rarest k-gram covering it (the smaller of the two answers' counts; tokens of given code count
  0), and its ``share`` is that length over the smaller answer's own weighted size: how much of
  what is particular to an answer the other answer has too.
* A pair of students is reported when, in one exercise or added over the whole assignment, the
  length reaches ``min_length`` and the share ``min_share``. A single exercise reaches it only with
  a long stretch of rare shared code; copying usually shows as a pattern over the whole notebook.
"""

from __future__ import annotations

import copy
import io
import math
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from copydetect import CodeFingerprint, compare_files

from .answers import Exercise
from .tokens import Tokens, tokenize


@dataclass(frozen=True)
class Settings:
    """``k``: length of a fingerprint in tokens (copydetect's noise threshold);
    ``min_length``: weighted shared tokens a reported pair needs, in one exercise or over the assignment;
    ``min_share``: share of the smaller answer's (or answers') weighted size they must make up (0..1);
    ``rare``: weight from which shared code is highlighted as rare in the report."""

    k: int = 6
    min_length: float = 50.0
    min_share: float = 0.8
    rare: float = 0.5

    def describe(self) -> str:
        return (f"k = {self.k} tokens; a pair is reported when, in one exercise or over the whole assignment, "
                f"it shares at least {self.min_length:g} weighted tokens that make up at least "
                f"{self.min_share:.0%} of the smaller answer")


@dataclass
class Document:
    """One answer, fingerprinted: its original text, its tokens and their copydetect fingerprint
    (given code removed); ``size`` is its own weighted size once weights are known."""

    student: str
    source: str
    tokens: Tokens
    prints: CodeFingerprint
    given: np.ndarray
    size: float = 0.0

    @property
    def hashes(self) -> set[int]:
        return self.prints.hashes


def fingerprint(student: str, source: str, k: int, given: set[int] = frozenset()) -> Document:
    """Fingerprint the tokens of ``source``; k-grams in ``given`` are dropped."""
    tokens = tokenize(source)
    fp = CodeFingerprint("answer.py", k, 1, filter=False, fp=io.StringIO(tokens.text))
    covered = np.zeros(len(tokens.text) + k, dtype=bool)  # tokens inside a given k-gram
    if given:
        for h in fp.hashes & given:
            for start in fp.hash_idx[h]:
                covered[start:start + k] = True
        fp.hashes = fp.hashes - given
        fp.hash_idx = {h: i for h, i in fp.hash_idx.items() if h in fp.hashes}
    return Document(student, source, tokens, fp, covered)


def coverage(doc: Document, weights: dict[int, float]) -> float:
    """Sum over the tokens of ``doc`` of the highest weight among the k-grams covering it; tokens
    that are part of given code (inside a given k-gram) count for nothing."""
    chars = np.zeros(len(doc.prints.filtered_code) + doc.prints.k)
    for h, starts in doc.prints.hash_idx.items():
        weight = weights.get(h, 0.0)
        if weight <= 0:
            continue
        for start in starts:
            window = chars[start:start + doc.prints.k]
            np.maximum(window, weight, out=window)
    chars[doc.given] = 0.0
    return float(chars.sum())


def rarity(df: int, n: int) -> float:
    """Weight of a k-gram found in ``df`` of ``n`` answers: 1 for two, 0 for all (see module docs)."""
    if df <= 2:
        return 1.0
    if n <= 2 or df >= n:
        return 0.0
    return max(0.0, min(1.0, math.log(n / df) / math.log(n / 2)))


@dataclass(frozen=True)
class PairScore:
    """Two students' answers to one exercise: shared weighted ``length`` and its ``share`` of the smaller."""

    exercise: str
    a: str
    b: str
    length: float
    share: float
    size: float

    def reported(self, settings: Settings) -> bool:
        """Reported on this exercise alone."""
        return self.length >= settings.min_length and self.share >= settings.min_share

    def evidence(self, settings: Settings) -> bool:
        """Worth showing for a reported pair: something rare shared, at the share threshold."""
        return self.length > 0 and self.share >= settings.min_share


@dataclass
class ExerciseResult:
    """The comparison of one exercise: who answered, every pair with anything rare in common, and the
    fingerprinted documents (for highlighting)."""

    exercise: Exercise
    documents: dict[str, Document]
    weights: dict[int, float]
    answered: int = 0
    pairs: list[PairScore] = field(default_factory=list)



def compare_exercise(exercise: Exercise, answers: dict[str, str], settings: Settings) -> ExerciseResult:
    """Compare every pair of ``answers`` (student -> cell text) to ``exercise``."""
    given: set[int] = set()
    for text in (exercise.released, *exercise.given):
        given |= fingerprint("", text, settings.k).hashes
    documents = {}
    answered = 0
    for student, source in sorted(answers.items()):
        if source.strip() == exercise.released.strip():
            continue  # the untouched stub
        answered += 1
        doc = fingerprint(student, source, settings.k, given)
        if doc.hashes:  # an answer made of given code only has nothing of the student's own
            documents[student] = doc
    df: dict[int, int] = {}
    for doc in documents.values():
        for h in doc.hashes:
            df[h] = df.get(h, 0) + 1
    weights = {h: rarity(count, answered) for h, count in df.items()}
    for doc in documents.values():
        doc.size = coverage(doc, {h: weights[h] for h in doc.hashes})
    result = ExerciseResult(exercise, documents, weights, answered)
    for a, b in combinations(sorted(documents), 2):
        shared = documents[a].hashes & documents[b].hashes
        shared_weights = {h: weights[h] for h in shared if weights[h] > 0}
        if not shared_weights:
            continue
        length = min(coverage(documents[a], shared_weights), coverage(documents[b], shared_weights))
        size = min(documents[a].size, documents[b].size)
        result.pairs.append(PairScore(exercise.key, a, b, length, length / size if size else 0.0, size))
    return result


def highlights(result: ExerciseResult, pair: PairScore, rare: float) -> dict[str, list[int]]:
    """Per student of ``pair``, a class per character of the original answer: 2 where the shared code
    is rare (weight >= ``rare``), 1 where it is shared but common, 0 elsewhere."""
    docs = [result.documents[pair.a], result.documents[pair.b]]
    shared = docs[0].hashes & docs[1].hashes
    marks = {doc.student: [0] * len(doc.source) for doc in docs}
    for level, keep in ((1, lambda w: 0 < w < rare), (2, lambda w: w >= rare)):
        chosen = {h for h in shared if keep(result.weights[h])}
        if not chosen:
            continue
        restricted = []
        for doc in docs:
            fp = copy.copy(doc.prints)
            fp.hashes = chosen
            fp.hash_idx = {h: i for h, i in doc.prints.hash_idx.items() if h in chosen}
            restricted.append(fp)
        _, _, slices = compare_files(restricted[0], restricted[1])
        for doc, doc_slices in zip(docs, slices):
            if len(doc_slices) == 0 or not len(doc_slices[0]):
                continue
            for start, end in zip(doc_slices[0], doc_slices[1]):
                spans = doc.tokens.spans[int(start):int(end)]
                for i, (span_start, span_end) in enumerate(spans):
                    if doc.given[int(start) + i]:
                        continue  # given code is never highlighted
                    if i + 1 < len(spans) and spans[i + 1][0] >= span_end \
                            and doc.source[span_end:spans[i + 1][0]].strip(" \t") == "":
                        span_end = spans[i + 1][0]  # the spaces between two marked tokens of one line
                    for index in range(span_start, min(span_end, len(doc.source))):
                        marks[doc.student][index] = max(marks[doc.student][index], level)
    return marks


@dataclass(frozen=True)
class AssignmentPair:
    """Two students over the whole assignment: shared weighted tokens and their share of the smaller
    answers, added over the exercises both answered; ``exercises``: those that show it (``evidence``)."""

    a: str
    b: str
    length: float
    share: float
    exercises: list[str]
    alone: list[str]

    def reported(self, settings: Settings) -> bool:
        return bool(self.alone) or (self.length >= settings.min_length and self.share >= settings.min_share)


def pair_totals(results: list[ExerciseResult], settings: Settings) -> list[AssignmentPair]:
    """Every pair of students that answered a common exercise, over the whole assignment."""
    totals: dict[tuple[str, str], list] = {}
    for result in results:
        scores = {(p.a, p.b): p for p in result.pairs}
        for a, b in combinations(sorted(result.documents), 2):
            pair = scores.get((a, b))
            entry = totals.setdefault((a, b), [0.0, 0.0, [], []])
            entry[1] += min(result.documents[a].size, result.documents[b].size)
            if pair is None:
                continue
            entry[0] += pair.length
            if pair.evidence(settings):
                entry[2].append(pair.exercise)
            if pair.reported(settings):
                entry[3].append(pair.exercise)
    return [AssignmentPair(a, b, length, length / size if size else 0.0, shown, alone)
            for (a, b), (length, size, shown, alone) in totals.items()]


def assignment_pairs(results: list[ExerciseResult], settings: Settings) -> list[AssignmentPair]:
    """The reported pairs, most shared first."""
    return sorted((p for p in pair_totals(results, settings) if p.reported(settings)),
                  key=lambda p: (-p.length, p.a, p.b))
