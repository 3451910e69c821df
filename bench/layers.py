"""The speed of a pad that shows its layers (<digit-pad show-layers>): every
answer is an explanation too (pydigit.explain: the forward pass, the
backward pass to the input, every layer's output sent to the page and drawn
there).

    python -m bench.layers [--site DIR] [--drawings N] [--no-stages]

measure() replays recorded pen digits with the mouse, as bench/latency.py
does for plain predictions (one point per frame, answers while the "pen"
moves), on the How it works page's pad (show-stages show-layers), and
summarises, per drawing's final answer: end_to_end, the round trip the page
sees (post -> answer, the "prediction" detail's ms); python, the worker's
Python (render + preprocess + forward + backward, time.perf_counter); each
of those; worker, the worker's whole handling; messaging, end to end less
worker. The first drawings are replayed untimed: V8 optimises the
WebAssembly of the backward pass, which the worker's warm-up does not run,
as it turns hot.
"""

import argparse
import json
import tempfile

from harness import chromium
from harness.chromium import VIEWPORT, new_page, watch_requests
from harness.pad import clear, draw_mouse, drawn_answer, pad_box, wait_ready, watch_answers
from harness.server import SiteServer
from harness.site import build_site, check_site

from . import stats
from .drawings import sample_drawings

PAGE = "how-it-works/"
WARMUP_DRAWINGS = 10
PYTHON_STEPS = ("render", "preprocess", "forward", "backward")


def measure(page, drawings, warmup=WARMUP_DRAWINGS, selector="digit-pad"):
    """page: a ready page whose pad (selector) shows its layers; drawings:
    bench.drawings' (label, strokes01), the first ``warmup`` untimed ->
    {drawings, end_to_end, python, render, preprocess, forward, backward,
    worker, messaging (each stats.summarize'd, ms), correct}."""
    if not page.eval_on_selector(selector, "e => e.hasAttribute('show-layers')"):
        raise ValueError(f"the pad {selector} does not show its layers")
    watch_answers(page, selector)
    box = pad_box(page, selector)
    answers = []
    for drawing in drawings:
        clear(page, selector)
        draw_mouse(page, drawing.strokes01, box)
        answer = drawn_answer(page)
        if "explanation" not in answer:
            raise RuntimeError(f"the pad's answer has no explanation: {answer}")
        answers.append({"label": drawing.label, "digit": answer["digit"], "ms": answer["ms"],
                        "timings": answer["timings"]})
    timed = answers[warmup:]
    if not timed:
        raise ValueError(f"{len(drawings)} drawings leave none to time after {warmup} untimed")
    t = [a["timings"] for a in timed]
    return {
        "drawings": len(timed),
        "end_to_end": stats.summarize([a["ms"] for a in timed]),
        "python": stats.summarize([sum(x[step] for step in PYTHON_STEPS) for x in t]),
        **{step: stats.summarize([x[step] for x in t]) for step in PYTHON_STEPS},
        "worker": stats.summarize([x["worker"] for x in t]),
        "messaging": stats.summarize([x["total"] - x["worker"] for x in t]),
        "correct": sum(a["digit"] == a["label"] for a in timed),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", help="an already built site (default: build one now)")
    parser.add_argument("--drawings", type=int, default=100, help="timed drawings (default 100)")
    parser.add_argument("--no-stages", action="store_true", help="the pad without show-stages")
    args = parser.parse_args()
    count = -(-(args.drawings + WARMUP_DRAWINGS) // 10) * 10  # sample_drawings balances the digits
    drawings = sample_drawings(count)[:args.drawings + WARMUP_DRAWINGS]
    with tempfile.TemporaryDirectory(prefix="pydigit-layers-") as out:
        site = check_site(args.site) if args.site else build_site(out)
        with SiteServer(site) as server, chromium.launch() as browser:
            context = watch_requests(browser.new_context(viewport=VIEWPORT), server.origin)
            page = new_page(context)
            page.goto(server.site_url + PAGE)
            if wait_ready(page) != "ready":
                raise SystemExit(f"the pad failed to load: {page.locator('digit-pad .status-text').text_content()}")
            if args.no_stages:
                page.eval_on_selector("digit-pad", "e => e.removeAttribute('show-stages')")
            figures = measure(page, drawings)
            context.close()
    if page.problems or context.foreign:
        raise SystemExit(f"problems: {page.problems}; requests elsewhere: {context.foreign}")
    print(json.dumps(figures, indent=1))
    print(f"{figures['drawings']} drawings, {figures['correct']} read right")
    for name in ("end_to_end", "python", *PYTHON_STEPS, "worker", "messaging"):
        print(f"{name:>12}  p50 {figures[name]['p50']:6.2f} ms   p95 {figures[name]['p95']:6.2f} ms")


if __name__ == "__main__":
    main()
