"""Inline SVG pieces for the generated pages' figures: labelled bars on a
labelled axis, sized in viewBox units so that an image shrinks with the page
column, its labels too. Colours come from mkdocs-material's scheme
(``currentColor``, ``--md-primary-fg-color``), so light and dark both work."""

import html
import math

# viewBox units: width, label size, height of one labelled bar; and the bars' fills.
W, FONT, ROW = 340, 12, 30
BAR = "fill:var(--md-primary-fg-color,#4051b5)"
FAINT_BAR = "fill:currentColor;opacity:.45"


def svg(height, label, parts):
    """Pieces of SVG -> an image that shrinks with the column, labels included."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height:.0f}" width="100%" '
            f'style="max-width:480px;height:auto" font-size="{FONT}" role="img" '
            f'aria-label="{html.escape(label)}">{"".join(parts)}</svg>')


def text(x, y, words, anchor="start", bold=False):
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="currentColor"{weight}>'
            f"{html.escape(words)}</text>")


def rect(x, y, width, height, style):
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0.5):.1f}" height="{height:.1f}" style="{style}"/>'


def vline(x, top, bottom, opacity=1.0, dashed=False):
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="currentColor" '
            f'stroke-opacity="{opacity}"{dash}/>')


def text_width(words):
    return len(words) * FONT * 0.56  # about right for a sans-serif


def label_position(start, end, words, right=W - 2):
    """Where a bar's label goes, above it: from the bar's start, or, when it would run past right,
    ending at the bar's end (or at right, if that comes first)."""
    if start + text_width(words) <= right:
        return start, "start"
    return max(min(end, right), text_width(words) + 2), "end"


def tick_step(top, ticks=4):
    """A round step (1, 2, 2.5 or 5 times a power of ten) for about ``ticks`` ticks up to top."""
    rough = max(top, 1e-9) / ticks
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)


def axis_top(largest):
    """The end of an axis holding largest: the next whole tick (at least one)."""
    return tick_step(largest) * max(1, math.ceil(largest / tick_step(largest)))


def axis(y, top, title):
    """A labelled axis from 0 to top along y, across the width, with faint grid lines above it."""
    step, left, right = tick_step(top), 2, W - 2
    count = round(top / step)
    parts = [f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="currentColor"/>']
    for i in range(count + 1):
        x = left + i / count * (right - left)
        anchor = "start" if i == 0 else "end" if i == count else "middle"
        parts += [vline(x, 0, y, 0.15), vline(x, y, y + 4), text(x, y + 17, f"{i * step:,g}", anchor)]
    return parts + [text(W / 2, y + 33, title, "middle")]
