"""Summaries of timing samples: the percentiles the report quotes.

Percentiles interpolate linearly between the two nearest ranks (NumPy's
default, "type 7"): with few samples p95 is then not just the largest one.
"""

import math


def percentile(values, q):
    """values: a non-empty sequence of numbers; q: 0..100 -> the q-th percentile."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be in 0..100, got {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(values):
    """values: timings in ms -> {n, p50, p95, mean, min, max} (ms)."""
    values = [float(v) for v in values]
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "mean": sum(values) / len(values), "min": min(values), "max": max(values)}


def median(values):
    return percentile(list(values), 50)


def ratio(numerator, denominator):
    """numerator / denominator, or None when the denominator is 0 (too fast to time)."""
    return numerator / denominator if denominator else None
