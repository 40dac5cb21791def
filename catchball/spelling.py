"""'Did you mean' hints for mistyped keys, ids, codes and options."""

from __future__ import annotations

import difflib
from bisect import bisect_left
from typing import Iterable

SMALL = 500  # up to this many known words, compare with all of them
NEIGHBOURS = 100  # otherwise, compare with this many on each side in prefix and suffix order


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

    def closest(self, word: str) -> str | None:
        if len(self.known) <= SMALL:
            candidates = self.known
        else:
            candidates = _near(self.known, word) + [w[::-1] for w in _near(self.reversed, word[::-1])]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
        return close[0] if close else None

    def hint(self, word: str) -> str:
        """' (did you mean `x`?)' for the closest known word, or ''."""
        close = self.closest(word)
        return f" (did you mean `{close}`?)" if close else ""


def _near(ordered: list[str], word: str) -> list[str]:
    at = bisect_left(ordered, word)
    return ordered[max(0, at - NEIGHBOURS) : at + NEIGHBOURS]


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """' (did you mean `x`?)' for the closest known word, or ''. Builds an index: reuse
    a Suggestions object when looking up many words against the same set."""
    return Suggestions(known).hint(word)
