/*
 * Injected into every site page before its own scripts (Playwright
 * add_init_script): records, with performance.now() (ms since navigation
 * start), what the <digit-pad> does, through its public events only.
 *
 * window.__bench = {
 *   drawable: ms when the element is defined and its canvas laid out,
 *   ready: {t, timings} from the "ready" event, error: message or null,
 *   predictions: [{t, ms, timings, final, model, digit}] every non-empty answer
 *                (set it to null to stop keeping them: the endurance run),
 *   answer: the final answer for the drawing since the last pointerdown, with
 *           sinceUp = ms from the last pointerup to that answer (null until then)
 *   settled: a Promise, resolved at "ready" or "error";
 *   nextAnswer(): a Promise of `answer`
 * }
 * The bench waits on these promises: polling from outside (Playwright's
 * wait_for_function) runs on the main thread every frame and would delay
 * the very things being timed.
 * The listeners capture on document: they hear each pad's events first,
 * before any listener of the page's own.
 */
(() => {
  const bench = window.__bench = {drawable: null, ready: null, error: null, predictions: [],
                                  answer: null, lastPointerUp: null, waiting: []};
  let settle;
  bench.settled = new Promise((resolve) => { settle = resolve; });
  bench.nextAnswer = () => bench.answer ? Promise.resolve(bench.answer)
    : new Promise((resolve) => bench.waiting.push(resolve));
  const isPad = (event) => event.target?.localName === "digit-pad";
  document.addEventListener("ready", (event) => {
    if (!isPad(event)) return;
    bench.ready = {t: performance.now(), timings: event.detail.timings};
    settle();
  }, true);
  document.addEventListener("error", (event) => {
    if (!isPad(event)) return;
    bench.error = event.detail?.message ?? "error";
    settle();
  }, true);
  document.addEventListener("pointerdown", () => { bench.answer = null; }, true);
  document.addEventListener("pointerup", () => { bench.lastPointerUp = performance.now(); }, true);
  document.addEventListener("prediction", (event) => {
    if (!isPad(event) || event.detail.digit === null) return;
    const t = performance.now();
    const {ms, timings, final, model, digit, probabilities} = event.detail;
    bench.predictions?.push({t, ms, timings, final, model, digit});  // null: not kept
    if (final) {
      bench.answer = {t, ms, timings, model, digit, probabilities,
                      sinceUp: bench.lastPointerUp === null ? null : t - bench.lastPointerUp};
      for (const resolve of bench.waiting.splice(0)) resolve(bench.answer);
    }
  }, true);

  customElements.whenDefined("digit-pad").then(() => {
    const laidOut = () => {
      const pad = document.querySelector("digit-pad")?.shadowRoot?.querySelector("canvas[part=pad]");
      const box = pad?.getBoundingClientRect();
      if (box && box.width > 0 && box.height > 0 && pad.width > 1) bench.drawable = performance.now();
      else requestAnimationFrame(laidOut);
    };
    laidOut();
  });
})();
