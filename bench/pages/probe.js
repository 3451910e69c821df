/*
 * Injected into every site page before its own scripts (Playwright
 * add_init_script): records, with performance.now() (ms since navigation
 * start), what the <digit-pad> does, through its public events, and the
 * strokes the page posts to the pad's worker.
 *
 * window.__bench = {
 *   drawable: ms when the element is defined and its canvas laid out,
 *   ready: {t, timings} from the "ready" event, error: message or null,
 *   predictions: [{t, ms, timings, final, model, digit}] every non-empty answer
 *                (set it to null to stop keeping them: the endurance run),
 *   answer: the final answer for the drawing since the last pointerdown, with
 *           sinceUp = ms from the last pointerup to that answer, and sent =
 *           {points, lengths}: the strokes of the last "predict" message
 *           posted to a worker, the request that answer answers (null until then)
 *   settled: a Promise, resolved at "ready" or "error";
 *   nextAnswer(): a Promise of `answer`, its sent as plain arrays
 * }
 * The bench waits on these promises: polling from outside (Playwright's
 * wait_for_function) runs on the main thread every frame and would delay
 * the very things being timed.
 * The listeners capture on document: they hear each pad's events first,
 * before any listener of the page's own.
 *
 * The strokes are copied as they are posted (the widget transfers their
 * buffers, which leaves its arrays empty): a pad has one request in flight
 * and asks again only once it is answered, so the last request posted is the
 * one its final answer answers (the bench draws on a page with one pad).
 * Only the last is kept, as typed arrays (a copy of memory); the plain
 * arrays Playwright reads are made only for an answer the bench asks for.
 */
(() => {
  const bench = window.__bench = {drawable: null, ready: null, error: null, predictions: [],
                                  answer: null, lastPointerUp: null, waiting: []};
  let settle;
  bench.settled = new Promise((resolve) => { settle = resolve; });
  const readable = (answer) => ({...answer, sent: answer.sent && {
    points: Array.from(answer.sent.points), lengths: Array.from(answer.sent.lengths)}});
  bench.nextAnswer = () => (bench.answer ? Promise.resolve(bench.answer)
    : new Promise((resolve) => bench.waiting.push(resolve))).then(readable);
  const isPad = (event) => event.target?.localName === "digit-pad";
  let lastSent = null;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message?.type === "predict") {
      lastSent = {points: message.points.slice(), lengths: message.lengths.slice()};
    }
    return post.call(this, message, ...rest);
  };
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
      bench.answer = {t, ms, timings, model, digit, probabilities, sent: lastSent,
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
