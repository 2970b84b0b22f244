"""Similarity of challenge texts: pure functions, no ORM (the selectors feed them rows).

A text becomes the *set* of its normalised words: lower-cased, split on anything that is not a
letter or digit, English stop words dropped, a light suffix strip ("tasks"/"task",
"queued"/"queue", "consumer"/"consumed") so both backends see the same terms. Two texts are compared by the cosine of
their idf-weighted word sets, idf = ln((N + 1) / (df + 1)) + 1 over the N live problems, so a
rare shared word ("rabbitmq") counts far more than a common one ("error"). Topic overlap
(Jaccard) adds a little when both sides have topics:
`score = TEXT_WEIGHT * cosine + TOPIC_WEIGHT * jaccard`, in [0, 1].
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from nexus.search.query import STOP_WORDS

TEXT_WEIGHT = 0.85
TOPIC_WEIGHT = 0.15
MAX_TERM = 40
# Words that say nothing about which problem it is, on top of the English stop words.
_NOISE = frozenset(
    {"problem", "issue", "challenge", "solution", "solved", "fix", "fixed", "get", "got", "use", "used", "using",
     "work", "worked", "working", "make", "made", "also", "would", "could", "one", "way", "time", "need", "needed"}
)  # fmt: skip
_WORD = re.compile(r"[^\W_]+")
_SUFFIXES = ("ing", "ed", "ers", "er", "es", "s", "e")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def terms(text: str) -> set[str]:
    """The normalised words of a text, as a set."""
    found = set()
    for raw in _WORD.findall((text or "").casefold()):
        if raw in STOP_WORDS or raw in _NOISE or len(raw) < 2 or len(raw) > MAX_TERM:
            continue
        found.add(_stem(raw))
    return found


def idf(df: int, n: int) -> float:
    """Inverse document frequency of a word found in `df` of `n` problems (always >= 1)."""
    return math.log((n + 1) / (df + 1)) + 1.0


def cosine(query: set[str], candidate: Iterable[str], weights: Mapping[str, float]) -> float:
    """Cosine of two idf-weighted word sets; words missing from `weights` weigh as unseen ones."""
    other = set(candidate)
    if not query or not other:
        return 0.0
    default = max(weights.values(), default=1.0)

    def w(term: str) -> float:
        return weights.get(term, default)

    shared = sum(w(t) ** 2 for t in query & other)
    if not shared:
        return 0.0
    return shared / (math.sqrt(sum(w(t) ** 2 for t in query)) * math.sqrt(sum(w(t) ** 2 for t in other)))


def jaccard(a: Iterable[int], b: Iterable[int]) -> float:
    """Overlap of two topic sets (0 when either is empty)."""
    left, right = set(a), set(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def score(text_cosine: float, topic_overlap: float | None) -> float:
    """The similarity of a challenge to a problem, in [0, 1]; without topics on both sides, the cosine."""
    if topic_overlap is None:
        return round(text_cosine, 6)
    return round(TEXT_WEIGHT * text_cosine + TOPIC_WEIGHT * topic_overlap, 6)


def decay(age_seconds: float, half_life_days: float) -> float:
    """The weight of a signal of this age: 1 now, 1/2 after one half-life, 1/4 after two."""
    return 0.5 ** (max(age_seconds, 0.0) / (half_life_days * 86400))
