"""Making Data Count's icons as words, symbols and colours, and a Unicode sparkline, for terminals and reports.

A symbol is plain text that common monospace fonts draw (ASCII letters and the
arrows U+2191 and U+2193), never an emoji, so it reads the same in a CI log,
under NO_COLOR and in Markdown. Colour only repeats what the word and the
symbol already say: improvement, concern or neither is the letter I, C or N,
and the arrow is the side (high or low), as H and L are on MDC's icons.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# MDC's colours.
GREY = "#A6A6A6"  # common cause, hit or miss
BLUE = "#00B0F0"  # improvement, pass
ORANGE = "#E46C0A"  # concern, fail
PURPLE = "#490092"  # neither (no direction)

# icon -> (words, symbol, colour)
VARIATION: dict[str, tuple[str, str, str]] = {
    "common-cause": ("common cause", "~", GREY),
    "improvement-high": ("improvement (high)", "I↑", BLUE),
    "improvement-low": ("improvement (low)", "I↓", BLUE),
    "concern-high": ("concern (high)", "C↑", ORANGE),
    "concern-low": ("concern (low)", "C↓", ORANGE),
    "neither-high": ("neither (high)", "N↑", PURPLE),
    "neither-low": ("neither (low)", "N↓", PURPLE),
}

ASSURANCE: dict[str, tuple[str, str, str]] = {
    "pass": ("pass", "P", BLUE),  # the process consistently meets the target
    "fail": ("fail", "F", ORANGE),  # it consistently misses it
    "hit-or-miss": ("hit or miss", "?", GREY),  # it will meet it some months and miss it others
}

# What each assurance means, for a chart's description and a report's key.
ASSURANCE_MEANING = {
    "pass": "the process, as it runs, will consistently meet the target",
    "fail": "the process, as it runs, will consistently miss the target",
    "hit-or-miss": "the process will sometimes meet the target and sometimes miss it",
}

# A point's colour by the kind of its variation (the first word of its icon).
KIND_COLOUR = {"common": GREY, "improvement": BLUE, "concern": ORANGE, "neither": PURPLE}

_BLOCKS = "▁▂▃▄▅▆▇█"


def variation_colour(icon: str | None) -> str:
    """The colour of a point or icon of this variation; grey for common cause and for no judgement (None)."""
    return GREY if icon is None else KIND_COLOUR[icon.split("-")[0]]


def sparkline(values: Sequence[float]) -> str:
    """One block character per value, the lowest ▁ and the highest █; a flat series is all ▄.

    Non-finite values (which the loader never passes on) are drawn as a space.
    """
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return " " * len(values)
    low, high = min(finite), max(finite)
    # Halved, so that values near the float limit cannot overflow the range.
    span = high / 2 - low / 2
    if span == 0:
        return "".join(_BLOCKS[3] if math.isfinite(v) else " " for v in values)
    top = len(_BLOCKS) - 1
    half_low = low / 2
    if len(finite) == len(values):  # always, from the loader: no test per value (a report draws tens of thousands)
        return "".join([_BLOCKS[min(top, int((v / 2 - half_low) / span * top + 0.5))] for v in values])
    return "".join(
        _BLOCKS[min(top, int((v / 2 - half_low) / span * top + 0.5))] if math.isfinite(v) else " " for v in values
    )
