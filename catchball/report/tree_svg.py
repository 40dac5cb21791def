"""One aim's diagram (aim_tree.AimTree) as an SVG, drawn by us: no JavaScript, no fonts to fetch.

The HTML board pack must read without JavaScript and print, so its
diagrams are laid out here rather than by Mermaid: the aim on the left, one
column per level of support, each box placed beside the boxes it supports
(a tidy tree: a parent at the top of its children's block). A link that is
not the tree's own (an objective supporting two boxes) is drawn dashed.

At most 5 columns of BOX_WIDTH with COLUMN_GAP between are 896 px: at a
900 px page nothing is scaled and text stays at FONT_PX; a team diagram
with 6 columns (1,080 px) scales to 0.83 (10 px). tests/test_board_browser.py checks
every diagram of the example and of a 1,000-staff trust.
"""

from __future__ import annotations


from catchball.chart import xml_text
from catchball.report.aim_tree import LABEL_CHARS, wrap_title

BOX_WIDTH = 160
COLUMN_GAP = 24
ROW_GAP = 10
FONT_PX = 12
LINE_PX = 15
PAD = 6
PAGE_PX = 900  # the width a diagram must read at (a GitHub column, a board pack page)

STYLE = {  # (fill, stroke): dark text on light fills, readable printed in grey too
    "aim": ("#e8eaf6", "#3949ab"),
    "objective": ("#ffffff", "#78909c"),
    "team": ("#f5f5f5", "#616161"),
    "more": ("#f5f5f5", "#9e9e9e"),
    "error": ("#fdecea", "#c62828"),
    "warning": ("#fff8e1", "#f9a825"),
}


def _text(value: str) -> str:
    return xml_text(value, quote=True)


def box_lines(box) -> list[tuple[str, str]]:
    """(text, kind) for each line of a box: heading, title lines, team and note."""
    rows = [(line, "heading") for line in box.heading] + [(line, "title") for line in box.lines]
    rows += [(line, "team") for line in box.team]
    if box.note:
        rows += [(line, "note") for line in wrap_title(box.note, LABEL_CHARS, 2)]
    return rows


def layout(tree) -> tuple[dict[str, tuple[float, float, float]], float, float]:
    """{box key: (x, y, height)}, the width and the height of the drawing."""
    children: dict[str, list] = {}
    for box in tree.boxes[1:]:
        children.setdefault(box.parent, []).append(box)
    heights = {box.key: PAD * 2 + LINE_PX * len(box_lines(box)) for box in tree.boxes}
    place: dict[str, tuple[float, float, float]] = {}
    cursor = 0.0
    # Depth first without recursion: a box's top is its first child's top, or the
    # next free row for a leaf; the row below it starts after whichever ends lower.
    stack = [(tree.boxes[0], False)]
    tops: dict[str, float] = {}
    while stack:
        box, done = stack.pop()
        kids = children.get(box.key, [])
        if not done:
            tops[box.key] = cursor
            stack.append((box, True))
            stack.extend((kid, False) for kid in reversed(kids))
            continue
        top = tops[box.key]
        x = box.level * (BOX_WIDTH + COLUMN_GAP)
        place[box.key] = (x, top, heights[box.key])
        cursor = max(cursor, top + heights[box.key] + ROW_GAP)
    width = (tree.levels + 1) * BOX_WIDTH + tree.levels * COLUMN_GAP
    return place, float(width), max(cursor - ROW_GAP, 0.0)


def tree_svg(tree, title: str) -> str:
    """The SVG text; `title` names it for screen readers."""
    place, width, height = layout(tree)
    parent_of = {box.key: box.parent for box in tree.boxes}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cascade" role="img" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" font-family="Arial, Helvetica, sans-serif" font-size="{FONT_PX}">',
        f"<title>{_text(title)}</title>",
        f"<desc>{len(tree.boxes) - 1} boxes below the aim, drawn left to right</desc>",
    ]
    for supported, supporting, count in tree.links:
        if supported not in place or supporting not in place:
            continue
        x1, y1, h1 = place[supported]
        x2, y2, h2 = place[supporting]
        start_x, start_y = x1 + BOX_WIDTH, y1 + min(h1 / 2, 18)
        end_x, end_y = x2, y2 + min(h2 / 2, 18)
        bend = (end_x - start_x) / 2 if end_x > start_x else 40
        dash = "" if parent_of.get(supporting) == supported else ' stroke-dasharray="4 3"'
        out.append(
            f'<path d="M{start_x:g},{start_y:g} C{start_x + bend:g},{start_y:g} {end_x - bend:g},{end_y:g} '
            f'{end_x:g},{end_y:g}" fill="none" stroke="#90a4ae" stroke-width="1.2"{dash}/>'
        )
        if count > 1:
            out.append(
                f'<text x="{end_x - 4:g}" y="{end_y - 3:g}" text-anchor="end" fill="#37474f">{count}</text>'
            )
    for box in tree.boxes:
        x, y, h = place[box.key]
        fill, stroke = STYLE[box.severity or box.kind]
        radius = 14 if box.kind == "aim" else 3
        out.append(
            f'<g class="box"><rect x="{x:g}" y="{y:g}" width="{BOX_WIDTH}" height="{h:g}" rx="{radius}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{2 if box.kind == "aim" or box.severity else 1}"/>'
        )
        for row, (text, kind) in enumerate(box_lines(box)):
            weight = ' font-weight="bold"' if kind == "heading" else ""
            italic = ' font-style="italic" fill="#424242"' if kind in ("team", "note") else ' fill="#212121"'
            out.append(
                f'<text x="{x + PAD:g}" y="{y + PAD + LINE_PX * row + FONT_PX:g}"{weight}{italic}>{_text(text)}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def smallest_text_px(tree, page_px: int = PAGE_PX) -> float:
    """The text size of the diagram once scaled to fit `page_px` (never enlarged)."""
    _, width, _ = layout(tree)
    return FONT_PX * min(1.0, page_px / width) if width else FONT_PX
