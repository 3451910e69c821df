"""Reading the <digit-pad>'s answers without polling (pages/probe.js), and
asking it to predict the same drawing again.

Drawing is harness.pad's. Every latency figure replays the drawings as mouse
input (draw_mouse: one point per frame, predictions while the "pen" moves, as
for a person); the endurance run, and the accuracy drawings past the plan's
mouse-replayed ones, use dispatched PointerEvents (draw_dispatched: a whole
drawing in one task, without the ~1 ms round trip per point).
"""

from .browser import settle


def wait_answer(page, timeout=30_000):
    """The final answer for the drawing since the last pointerdown (see
    probe.js): {t, ms, timings, model, digit, probabilities, sinceUp, sent},
    sent: {points, lengths}, lists of the strokes the worker was sent."""
    return settle(page, "window.__bench.nextAnswer()", timeout)


PREDICT_AGAIN = """async ([count, pauseMs]) => {
  const pad = document.querySelector('digit-pad');
  const answers = [];
  for (let i = 0; i < count; i++) {
    if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const answered = new Promise((resolve) =>
      pad.addEventListener('prediction', (e) => resolve(e.detail), {once: true}));
    pad.setAttribute('model', pad.model);
    const {ms, timings} = await answered;
    answers.push({ms, timings});
  }
  return answers;
}"""


def predict_again(page, count, pause_ms=0):
    """Predict the drawing on the pad ``count`` times, one after the other:
    setting the model attribute, even to the same value, makes the widget
    predict again (attributeChangedCallback), through the same path as a
    drawing (strokes flattened, message, worker, answer). pause_ms between them
    lets the page finish rendering each answer first.
    -> [{ms, timings}] per prediction."""
    return page.evaluate(PREDICT_AGAIN, [count, pause_ms])
