"""The stable table of rule codes: code -> (name, default severity).

A code is never reused: a retired rule keeps its line here, marked retired.
Every code here must be registered by exactly one rule module (checked at
import by catchball.rules.registry).
"""

CODES: dict[str, tuple[str, str]] = {
    "CB101": ("invalid-yaml", "error"),
    "CB102": ("invalid-field", "error"),
    "CB103": ("unknown-key", "warning"),
    "CB104": ("duplicate-id", "error"),
    "CB105": ("duplicate-key", "error"),
    "CB106": ("unknown-team", "error"),
    "CB107": ("unknown-person", "error"),
    "CB108": ("bad-org-tree", "error"),
    "CB201": ("orphan", "error"),
    "CB202": ("dangling-support", "error"),
    "CB203": ("support-cycle", "error"),
    "CB204": ("misaligned", "error"),
    "CB205": ("supports-inactive", "warning"),
    "CB206": ("skip-level", "warning"),
    "CB301": ("uncascaded-aim", "warning"),
    "CB302": ("silent-team", "warning"),
    "CB303": ("too-many-aims", "warning"),
    "CB304": ("too-many-objectives", "warning"),
    "CB401": ("unmeasured", "warning"),
    "CB402": ("unowned", "warning"),
    "CB403": ("due-after-target", "warning"),
    "CB404": ("incomplete-measure", "warning"),
    "CB405": ("overdue", "warning"),
    "CB501": ("challenged", "warning"),
    "CB502": ("proposed", "info"),
    "CB601": ("bad-data", "error"),
    "CB602": ("no-data", "info"),
    "CB603": ("stale-data", "warning"),
    "CB604": ("special-cause-concern", "warning"),
    "CB605": ("target-out-of-reach", "warning"),
    "CB701": ("capability-below-target", "info"),
    "CB702": ("aim-without-expertise", "warning"),
}

NAMES: dict[str, str] = {name: code for code, (name, _) in CODES.items()}
