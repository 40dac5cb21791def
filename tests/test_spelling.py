import difflib

from catchball.spelling import Suggestions, did_you_mean


def test_small_sets_compare_with_everything():
    assert did_you_mean("suports", ["supports", "status"]) == " (did you mean `supports`?)"
    assert did_you_mean("zzz", ["supports"]) == ""


def test_large_sets_find_as_close_a_word_as_comparing_with_all():
    known = [f"{team}-{i}" for team in ("SURG", "MED", "WARD", "ED", "PHARM") for i in range(10_000)]
    known += ["TN-SAFE", "TN-PEOPLE"]
    suggestions = Suggestions(known)
    for typo in ("SURG-12345", "SRUG-1234", "XURG-777", "MED-99999", "TN-SAEF"):
        best = difflib.get_close_matches(typo, known, n=1, cutoff=0.6)[0]
        found = suggestions.closest(typo)
        ratio = lambda word: difflib.SequenceMatcher(None, word, typo).ratio()  # noqa: E731
        assert ratio(found) == ratio(best), (typo, found, best)
    assert suggestions.closest("completely-different-thing") is None


def test_closest_match_is_what_difflib_returns():
    import random

    from catchball.spelling import closest_match

    rng = random.Random(5)
    letters = "ABCDEMN-0123"
    words = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(400)})
    for _ in range(300):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(1, 9)))
        pool = rng.sample(words, rng.randint(0, 60)) * rng.randint(1, 2)
        expected = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
        assert closest_match(word, pool) == (expected[0] if expected else None), (word, pool)


def test_a_word_in_the_wrong_case_suggests_the_known_one():
    assert Suggestions(["TN-SAFE", "TN-CARE", "surgery"]).closest("tn-safe") == "TN-SAFE"
    assert Suggestions(["TN-SAFE", "surgery"]).closest("SURGERY") == "surgery"
    many = [f"OBJ-{i}" for i in range(5_000)] + ["TN-SAFE"]
    assert Suggestions(many).closest("tn-safe") == "TN-SAFE"


from hypothesis import given, strategies as st  # noqa: E402

from catchball.spelling import closest_match  # noqa: E402

_ID_TEXT = st.text(alphabet="AB-12ab", min_size=1, max_size=8)


@given(word=_ID_TEXT, pool=st.lists(_ID_TEXT, max_size=40))
def test_closest_match_agrees_with_difflib_on_any_pool(word, pool):
    # Short ids over a small alphabet: many ties in length and in ratio, where
    # the pruning by quick_ratio and the tie-break are easiest to get wrong.
    expected = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    assert closest_match(word, pool) == (expected[0] if expected else None)


@given(word=st.text(alphabet="AB-1", max_size=4), pool=st.lists(st.text(alphabet="AB-1", max_size=4), max_size=12))
def test_closest_match_agrees_with_difflib_with_empty_words_too(word, pool):
    # The bounds are computed here, not by difflib: empty words are their edge (0 / 0 is a full match).
    expected = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    assert closest_match(word, pool) == (expected[0] if expected else None)


@st.composite
def _siblings(draw):
    """An id and a pool of its siblings: a letter or two changed, added, dropped or repeated, as typos and
    numbered ids are, where many bounds and ratios tie and the letters repeat."""
    base = draw(st.text(alphabet="AABBC-12", min_size=1, max_size=12))
    pool = []
    for _ in range(draw(st.integers(0, 40))):
        word = list(base)
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(word)))
            edit = draw(st.sampled_from(["change", "add", "drop", "repeat"]))
            letter = draw(st.sampled_from("AABBC-12"))
            if edit == "add" or not word:
                word.insert(at, letter)
            elif edit == "change":
                word[min(at, len(word) - 1)] = letter
            elif edit == "drop":
                del word[min(at, len(word) - 1)]
            else:
                word.insert(at, word[min(at, len(word) - 1)])
        pool.append("".join(word))
    return draw(st.sampled_from([base, base[::-1], base + "1"])), pool


@given(_siblings())
def test_closest_match_agrees_with_difflib_among_siblings(case):
    # A candidate's first bound counts each of its letters that the word has at all,
    # so a letter the candidate repeats more often than the word is where it differs
    # from quick_ratio.
    word, pool = case
    expected = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    assert closest_match(word, pool) == (expected[0] if expected else None)
