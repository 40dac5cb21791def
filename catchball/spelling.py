"""'Did you mean' hints for mistyped keys, ids, codes and options."""

from __future__ import annotations

import difflib
from bisect import bisect_left
from typing import Iterable

SMALL = 500  # up to this many known words, compare with all of them
NEIGHBOURS = 50  # otherwise, compare with this many on each side in prefix and suffix order (200 in all: a typo keeps the start or the end of an id, so the closest id is next to it in one of the two orders)
# A lookup among many ids costs about a millisecond, and a hostile file can
# name millions of unknown ids: each index answers this many lookups, then
# gives no more hints (docs/limits.md). No hint for words longer than any id.
LOOKUPS = 2_000
LONGEST_WORD = 200


class Suggestions:
    """The closest known word to a mistyped one, fast even among a million ids.

    difflib compares with every candidate, which is too slow for the ids of
    a large trust (seconds per lookup). A typo rarely changes both the start
    and the end of an id, so the close words are near it in sorted order or
    in sorted order of the reversed words: we compare with those only.
    """

    def __init__(self, known: Iterable[str]) -> None:
        self.known = sorted(set(known))
        self.reversed = sorted(word[::-1] for word in self.known) if len(self.known) > SMALL else []
        self.lookups_left = LOOKUPS

    def closest(self, word: str) -> str | None:
        if self.lookups_left <= 0 or len(word) > LONGEST_WORD:
            return None
        self.lookups_left -= 1
        if not word.isascii():  # ids and keys are ASCII: a lookalike or an invisible character in it?
            plain = skeleton(word)
            if plain != word and self._has(plain):
                return plain
        for variant in (word.upper(), word.lower()):  # `tn-safe` for TN-SAFE: difflib weighs case fully
            if variant != word and self._has(variant):
                return variant
        if len(self.known) <= SMALL:
            candidates = self.known
        else:
            candidates = _near(self.known, word) + [w[::-1] for w in _near(self.reversed, word[::-1])]
        return closest_match(word, candidates)

    def _has(self, word: str) -> bool:
        at = bisect_left(self.known, word)
        return at < len(self.known) and self.known[at] == word

    def hint(self, word: str) -> str:
        """' (did you mean `x`?)' for the closest known word, or ''."""
        close = self.closest(word)
        if close and skeleton(word) == close != word:
            return f" (did you mean `{close}`? it differs from it only by invisible or lookalike characters)"
        return f" (did you mean `{close}`?)" if close else ""


# Letters that look like ASCII ones in most fonts (Unicode's confusables, the
# Cyrillic and Greek ones that reach ids and keys by copy and paste).
_LOOKALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеіјорсхуѕԁһԛԝɡΑΒΕΖΗΙΚΜΝΟΡΤΥΧονϲ‐‑‒–—−",
    "ABESIJKMHOPCTXYaeijopcxysdhqwgABEZHIKMNOPTYXovc------",
)


def skeleton(word: str) -> str:
    """`word` with invisible characters dropped and lookalike letters made ASCII (NFKC first)."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", word).translate(_LOOKALIKES)
    return "".join(c for c in folded if unicodedata.category(c) != "Cf")


def closest_match(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """What `difflib.get_close_matches(word, candidates, n=1, cutoff)` returns, found faster.

    difflib computes the full ratio of every candidate that passes its quick
    bounds. Those are upper bounds of the ratio, so taking candidates from
    the highest bound down, we can stop as soon as it falls below the best
    ratio found: the answer (highest ratio, then the greatest word, as
    difflib breaks ties) is the same. Among the ids of a large trust most
    candidates have the same length, so real_quick_ratio rarely prunes and
    ordering by a bound saves most of the full ratios.
    """
    # Two upper bounds of the ratio (2 * matches / total length): difflib's
    # real_quick_ratio (the shorter length), then the letters of the candidate
    # that `word` has at all, which one str.translate counts in C. The second
    # is at least quick_ratio (which counts a letter no more often than `word`
    # has it), and quick_ratio is worked out, with str.count for each letter,
    # only for the few candidates that might still win.
    size = len(word)
    letters = {c: word.count(c) for c in set(word)}.items()
    others = str.maketrans("", "", "".join(c for c, _ in letters))  # deletes the letters of `word`
    bounded = []
    for candidate in candidates:
        length = len(candidate)
        total = length + size
        if not total:
            bounded.append((1.0, candidate))  # difflib: two empty words match fully
            continue
        if 2.0 * min(length, size) / total >= cutoff:  # real_quick_ratio
            bound = 2.0 * min(length - len(candidate.translate(others)), size) / total
            if bound >= cutoff:
                bounded.append((bound, candidate))
    bounded.sort(reverse=True)
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    for bound, candidate in bounded:
        # Sorted from the highest (bound, word) down, and a word's score is at most its
        # bound: once below the best (score, word), nothing after it can beat or tie it.
        if best is not None:
            if (bound, candidate) < best:
                break
            total = len(candidate) + size
            quick = 2.0 * sum([min(candidate.count(c), n) for c, n in letters]) / total if total else 1.0
            if (quick, candidate) < best:
                continue  # quick_ratio, a tighter bound: this one cannot win either
        matcher.set_seq1(candidate)
        score = matcher.ratio()
        if score >= cutoff and (best is None or (score, candidate) > best):
            best = (score, candidate)
    return best[1] if best is not None else None


def _near(ordered: list[str], word: str) -> list[str]:
    at = bisect_left(ordered, word)
    return ordered[max(0, at - NEIGHBOURS) : at + NEIGHBOURS]


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """' (did you mean `x`?)' for the closest known word, or ''. Builds an index: reuse
    a Suggestions object when looking up many words against the same set."""
    return Suggestions(known).hint(word)
