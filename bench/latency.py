"""Replaying drawings on the widget: prediction latency and accuracy.

One page; for each model, drawings are replayed one after another (pad
cleared in between) and the final answer of each is read (pages/probe.js).
Per answer, from the widget's prediction event:
  ms / timings.total   round trip as the page sees it (post -> answer), "end to end";
  timings.render, timings.preprocess, timings.forward   time.perf_counter in
                       the worker's Python: the strokes rendered into ink
                       (pydigit.strokes.render_ink), preprocessing, the network;
  timings.worker       the worker's whole handling of the message;
  messaging = total - worker   structured clone, transfer, event loops both ways;
  timings.toWorker, timings.toPage   messaging split into its two trips, from
                       the worker's clock readings (performance.timeOrigin +
                       now(), the page's and the worker's on one time line);
  sinceUp              pointerup -> final answer: when the answer for the
                       drawing as it is at pen up is already on show (lifting
                       the pen adds no ink: the widget does not ask again), it
                       becomes final with the next animation frame; else this
                       includes waiting for a prediction still in flight and
                       flattening the strokes for the worker.
  sent                 the strokes the worker was sent for the final answer
                       (probe.js), for CPython to recognise the same input
                       (native.py).
Latency figures use the mouse-replayed drawings only; answers that arrived
while a stroke was still being drawn are summarised separately. Mouse input
reaches the page once per frame (Chromium aligns it with animation frames),
so a drawing replays at about the speed a person draws it, and the page
renders a frame for nearly every point: the page's main thread is busy as it
is for a person drawing. For contrast, "idle" predicts the last drawing
again IDLE_PREDICTIONS times, IDLE_PAUSE_MS apart, with the page otherwise idle.
"""

from harness.chromium import new_page
from harness.pad import clear, draw_dispatched, draw_mouse, pad_box

from . import stats
from .browser import wait_ready
from .replay import predict_again, wait_answer

IDLE_PREDICTIONS = 100
IDLE_PAUSE_MS = 20


def replay(page, drawings, mouse_count, progress=None):
    """-> [{label, digit, ms, timings, sinceUp, mouse, sent}] one per drawing."""
    box = pad_box(page)
    answers = []
    for i, drawing in enumerate(drawings):
        clear(page)
        mouse = i < mouse_count
        if mouse:
            draw_mouse(page, drawing.strokes01, box)
        else:
            draw_dispatched(page, drawing.strokes01)
        answer = wait_answer(page)
        if not answer["sent"]:
            raise RuntimeError("the probe saw no strokes posted to the worker (bench/pages/probe.js)")
        answers.append({"label": drawing.label, "digit": answer["digit"], "ms": answer["ms"],
                        "timings": answer["timings"], "sinceUp": answer["sinceUp"], "mouse": mouse,
                        "sent": answer["sent"]})
        if progress and (i + 1) % 100 == 0:
            progress(f"{i + 1}/{len(drawings)}")
    return answers


def one_way(timings, prefix="messaging"):
    """The two trips of messaging, when the widget reports them."""
    if not timings or any("toWorker" not in x for x in timings):
        return {}
    return {f"{prefix}_to_worker": stats.summarize([x["toWorker"] for x in timings]),
            f"{prefix}_to_page": stats.summarize([x["toPage"] for x in timings])}


def summarize_answers(answers, during_stroke, idle=()):
    """answers from replay(); during_stroke: the probe's non-final
    predictions; idle: predict_again's answers. digits and sent: per drawing,
    for the comparison with CPython (not figures: __main__ takes them out)."""
    timed = [a for a in answers if a["mouse"]]
    t = [a["timings"] for a in timed]
    correct = sum(a["digit"] == a["label"] for a in answers)
    return {
        "drawings": len(answers), "mouse_drawings": len(timed),
        "end_to_end": stats.summarize([a["ms"] for a in timed]),
        "samples": [round(a["ms"], 2) for a in timed],  # the Performance page's histogram
        # V8 runs new WebAssembly with its baseline compiler until hot code is optimised.
        "first_10_drawings": stats.summarize([a["ms"] for a in timed[:10]]),
        "render": stats.summarize([x["render"] for x in t]),
        "preprocess": stats.summarize([x["preprocess"] for x in t]),
        "forward": stats.summarize([x["forward"] for x in t]),
        "worker": stats.summarize([x["worker"] for x in t]),
        "messaging": stats.summarize([x["total"] - x["worker"] for x in t]),
        **one_way(t),
        "pen_up_to_answer": stats.summarize([a["sinceUp"] for a in timed]),
        "during_stroke": stats.summarize([p["ms"] for p in during_stroke]) if during_stroke else None,
        "idle_end_to_end": stats.summarize([a["ms"] for a in idle]) if idle else None,
        "idle_messaging": stats.summarize([a["timings"]["total"] - a["timings"]["worker"] for a in idle])
        if idle else None,
        **one_way([a["timings"] for a in idle], "idle_messaging"),
        "accuracy": correct / len(answers), "correct": correct,
        "accuracy_mouse": sum(a["digit"] == a["label"] for a in timed) / len(timed) if timed else None,
        "digits": [a["digit"] for a in answers],
        "sent": [a["sent"] for a in answers],
    }


def replay_models(chromium, server, plan, progress=print):
    """plan: {model: (drawings, mouse_count)}, the site's default model
    first -> {model: summary (+ first_answer for the others: it loads the
    model's weights)}."""
    context = chromium.context(server.origin)
    page = new_page(context)
    results = {}
    try:
        page.goto(server.site_url)
        wait_ready(page)
        for model, (drawings, mouse_count) in plan.items():
            first = None
            if page.eval_on_selector("digit-pad", "e => e.model") != model:
                page.evaluate("window.__bench.answer = null")
                page.eval_on_selector("digit-pad", f"e => {{ e.model = '{model}'; }}")
                if results:  # a drawing is on the pad: the switch predicts it
                    first = {k: v for k, v in wait_answer(page).items() if k in ("ms", "timings")}
            page.evaluate("window.__bench.predictions = []")
            answers = replay(page, drawings, mouse_count,
                             lambda done, model=model: progress(f"  {model}: {done} drawings"))
            during = [p for p in page.evaluate("window.__bench.predictions")
                      if not p["final"] and p["model"] == model]
            idle = predict_again(page, IDLE_PREDICTIONS, IDLE_PAUSE_MS)
            results[model] = {**summarize_answers(answers, during, idle), "first_answer": first}
        results["problems"] = list(page.problems)
        results["foreign"] = list(context.foreign)
        return results
    finally:
        context.close()
