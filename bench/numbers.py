"""python -m bench.numbers [--site DIR] [--numbers N]: how fast a number pad
(<digit-pad mode="number">, the Embed page's) answers a 5-digit number, in
Debian's Chromium, through the widget.

Numbers of DIGITS digits, each written by one of the recorded pen writers
(train.pendigits; a seeded choice of writer and digits), are laid out left
to right on the pad (harness.pad.pendigit_number) and replayed as mouse
input, as bench/latency.py replays single digits: one point per frame, the
pad answering while the "pen" moves. Per number, from the widget's
"prediction" events:
  end_to_end      the final answer's round trip as the page sees it (post ->
                  answer), the figure the target is on;
  during_stroke   the same for every answer given while the pen drew;
  python          the worker's Python: the sum of pydigit.number's steps
                  (each also summarised, under steps);
  worker          the worker's whole handling of the message.
WARMUP numbers are replayed first, untimed: the first requests of a kind run
code V8 has not optimised yet (bench/latency.py reports its first ten).

``measure(page, url)`` takes a Chromium page (any context: the bench's, with
its probe, or a plain one) and returns the figures; ``python -m
bench.numbers`` builds the site (unless --site), serves it and prints them.
"""

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from harness.chromium import VIEWPORT, launch, new_page, watch_requests
from harness.pad import draw_mouse, drawn_answer, height_units, pad_box, pendigit_number, wait_ready
from harness.pad import watch_answers
from harness.server import SiteServer
from harness.site import build_site, check_site
from train.pendigits import load_pendigits

from . import stats

NUMBER_PAD = "digit-pad[mode=number]"
EMBED_PAGE = "embed/"
DIGITS = 5
NUMBERS = 30
WARMUP = 3
SEED = 0
TARGET_P50_MS = 16.0  # one frame at 60 Hz
# The timings that are not Python's steps (predictor.js adds them to the worker's).
NOT_PYTHON = ("worker", "total", "toWorker", "toPage")

ASPECT = """(pad) => {
  const canvas = pad.shadowRoot.querySelector('canvas[part=pad]');
  return canvas.clientWidth / canvas.clientHeight;
}"""


def sample_numbers(count, digits=DIGITS, seed=SEED):
    """-> count lists of ``digits`` train.pendigits digits, each list one
    writer's (writers and labels drawn with ``seed``)."""
    by_writer = {}
    for digit in load_pendigits():
        by_writer.setdefault(digit.writer, {}).setdefault(digit.label, []).append(digit)
    writers = sorted(w for w, labels in by_writer.items() if len(labels) == 10)
    rng = np.random.default_rng(seed)
    numbers = []
    for _ in range(count):
        mine = by_writer[writers[rng.integers(len(writers))]]
        labels = rng.integers(10, size=digits)
        numbers.append([mine[label][rng.integers(len(mine[label]))] for label in labels])
    return numbers


def replay(page, numbers, progress=None):
    """Each number drawn with the mouse on the emptied number pad -> per
    number {expected, text, ms, timings, during: [ms of the answers while drawing]}."""
    aspect = page.eval_on_selector(NUMBER_PAD, ASPECT)
    box = height_units(pad_box(page, NUMBER_PAD))
    answers = []
    for i, digits in enumerate(numbers):
        page.eval_on_selector(NUMBER_PAD, "e => e.clear()")
        page.evaluate("window.__answers.all = []")
        draw_mouse(page, pendigit_number(digits, aspect), box, NUMBER_PAD)
        answer = drawn_answer(page)
        during = page.evaluate("window.__answers.all.filter((p) => !p.final && p.text !== '').map((p) => p.ms)")
        answers.append({"expected": "".join(str(d.label) for d in digits), "text": answer["text"],
                        "ms": answer["ms"], "timings": answer["timings"], "during": during})
        if progress and (i + 1) % 10 == 0:
            progress(f"{i + 1}/{len(numbers)} numbers")
    return answers


def measure(page, url, count=NUMBERS, warmup=WARMUP, progress=None):
    """page: a Chromium page; url: the built site's Embed page (which has a
    number pad) -> {digits, numbers, end_to_end, during_stroke, python,
    worker, steps, read_right, target}, times in ms (stats.summarize)."""
    page.goto(url)
    if wait_ready(page, NUMBER_PAD) != "ready":
        raise RuntimeError("the number pad did not get ready")
    page.locator(NUMBER_PAD).scroll_into_view_if_needed()
    watch_answers(page, NUMBER_PAD)
    numbers = sample_numbers(warmup + count)
    replay(page, numbers[:warmup])
    answers = replay(page, numbers[warmup:], progress)
    timings = [a["timings"] for a in answers]
    steps = sorted({k for t in timings for k in t if k not in NOT_PYTHON})
    end_to_end = stats.summarize([a["ms"] for a in answers])
    return {
        "digits": DIGITS, "numbers": len(answers),
        "end_to_end": end_to_end,
        "during_stroke": stats.summarize([ms for a in answers for ms in a["during"]]),
        "python": stats.summarize([sum(t[k] for k in steps if k in t) for t in timings]),
        "worker": stats.summarize([t["worker"] for t in timings]),
        "steps": {k: stats.summarize([t[k] for t in timings if k in t]) for k in steps},
        "read_right": sum(a["text"] == a["expected"] for a in answers),
        "target": {"p50_ms": TARGET_P50_MS, "met": end_to_end["p50"] <= TARGET_P50_MS},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.numbers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", help="an already built site (default: build one)")
    parser.add_argument("--numbers", type=int, default=NUMBERS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = check_site(args.site) if args.site else build_site(Path(tmp) / "site")
        with SiteServer(site) as server, launch() as browser:
            context = watch_requests(browser.new_context(viewport=VIEWPORT), server.origin)
            page = new_page(context)
            result = measure(page, server.site_url + EMBED_PAGE, args.numbers, progress=print)
            result.update(chromium=browser.version, foreign_requests=sorted(set(context.foreign)),
                          page_problems=page.problems)
            context.close()
    e2e, python = result["end_to_end"], result["python"]
    verdict = "met" if result["target"]["met"] else "NOT MET"
    print(f"{DIGITS}-digit numbers on the number pad in Chromium: end to end p50 {e2e['p50']:.1f} ms, "
          f"p95 {e2e['p95']:.1f} ms (target p50 <= {TARGET_P50_MS:g} ms: {verdict}); Python p50 "
          f"{python['p50']:.1f} ms; while drawing p50 {result['during_stroke']['p50']:.1f} ms; "
          f"read right {result['read_right']}/{result['numbers']}")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
