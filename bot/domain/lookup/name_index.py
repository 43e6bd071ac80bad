"""Word index over names, for fragments ("Degue", "mutuelle") and typos ("Arokiasami").

Each query word expands to the indexed words it may mean: itself (exact), words it begins
(prefix: "Sabi" → "sabine") or, failing both, words within a small edit distance
(optimal string alignment, so two swapped letters count as one typo).
Records are ranked by how many query words they cover, then by how well.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.lookup.normalize import stem, words

EXACT, PREFIX, FUZZY = 1.0, 0.9, 0.8
MIN_PREFIX = 3
MIN_FUZZY = 4
FUZZY_CUTOFF = 0.79  # one typo (or two swapped letters) in five, with float slack


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    covered: int  # how many query words this record matches
    score: float  # sum of the best match weight per covered word


class NameIndex:
    def __init__(self, names: Iterable[tuple[int, str]], ignore: frozenset[str] = frozenset()):
        """`names` pairs a record id with one of its names; `ignore` lists words too common
        to identify anything (articles, "de", "of")."""
        postings: dict[str, set[int]] = defaultdict(set)
        for record_id, name in names:
            for word in words(name):
                if word not in ignore:
                    postings[stem(word)].add(record_id)
        self._postings = dict(postings)
        self._vocabulary = sorted(postings)

    def knows(self, word: str) -> bool:
        """Whether a word is, or begins, an indexed word (so it is not a typo)."""
        word = stem(word)
        start = bisect_left(self._vocabulary, word)
        return start < len(self._vocabulary) and self._vocabulary[start].startswith(word)

    def expand(self, word: str, cutoff: float = FUZZY_CUTOFF) -> dict[str, float]:
        """The indexed words a query word may stand for, with a confidence weight."""
        word = stem(word)
        found = {word: EXACT} if word in self._postings else {}
        if len(word) >= MIN_PREFIX:
            start = bisect_left(self._vocabulary, word)
            for candidate in self._vocabulary[start:]:
                if not candidate.startswith(word):
                    break
                found.setdefault(candidate, PREFIX)
        if not found and len(word) >= MIN_FUZZY:
            for candidate, score, _ in process.extract(
                word, self._vocabulary, scorer=OSA.normalized_similarity, score_cutoff=cutoff,
                limit=5,
            ):
                found[candidate] = FUZZY * score
        return found

    def search(self, query_words: Iterable[str], cutoff: float = FUZZY_CUTOFF) -> list[Hit]:
        """Records matching the most query words, best first; words matching nothing are
        ignored (they are noise, e.g. a surname the roster lacks). A lower `cutoff` finds
        suggestions rather than answers."""
        best: dict[int, dict[int, float]] = defaultdict(dict)
        for position, word in enumerate(query_words):
            for candidate, weight in self.expand(word, cutoff).items():
                for record_id in self._postings[candidate]:
                    per_word = best[record_id]
                    per_word[position] = max(per_word.get(position, 0.0), weight)
        hits = [Hit(rid, len(per_word), sum(per_word.values())) for rid, per_word in best.items()]
        hits.sort(key=lambda hit: (-hit.covered, -hit.score, hit.id))
        if not hits:
            return []
        top = hits[0].covered
        return [hit for hit in hits if hit.covered == top]
