"""Figures as text for the generated pages: numbers with their units, and
Markdown tables. A figure the results do not hold prints as DASH."""

DASH = "–"
MB = 1_000_000


# -- numbers as text --------------------------------------------------------------------------

def ms(value, decimals=1):
    return DASH if value is None else f"{value:,.{decimals}f}"


def pair(summary):
    """A latency summary -> "p50 / p95" in ms."""
    if not isinstance(summary, dict):
        return DASH
    return f"{ms(summary.get('p50'), 2)} / {ms(summary.get('p95'), 2)}"


def times(value):
    return DASH if value is None else f"{value:.2f}×" if value < 10 else f"{value:.1f}×"


def percent(value):
    return DASH if value is None else f"{value:.1%}"


def kib(n):
    return DASH if n is None else f"{n / 1024:,.0f}"


def size(n):
    """Bytes -> "2.27 MB", "186 kB" or "300 B" (1 MB = 1,000,000 bytes, as the 7 MB target counts)."""
    if n is None:
        return DASH
    return f"{n / MB:.2f} MB" if n >= MB else f"{n / 1000:,.0f} kB" if n >= 1000 else f"{n} B"


def with_unit(value, unit):
    """A target's figure -> "4.65 ms", "651.6 ms", "3.75×"."""
    if value is None:
        return DASH
    number = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"
    return number + "×" if unit == "x" else f"{number} {unit}"


def table(header, rows, align=""):
    """Header and rows of cells -> a Markdown table. align: "l"/"r" per column; by default the
    first column (names) left and the others (numbers) right."""
    align = align or "l" + "r" * (len(header) - 1)
    line = lambda cells: "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"
    rule = "|" + "|".join(":--" if side == "l" else "--:" for side in align) + "|"
    return "\n".join([line(header), rule] + [line(row) for row in rows])
