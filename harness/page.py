"""What a page of every engine offers (see harness/engines.py), and the
in-page probe that collects a page's errors where the engine does not."""

import re
import threading
import time

# CSS px: the window every test and figure uses unless it says otherwise.
VIEWPORT = (1280, 800)
# Installed at most once per document: window.__pydigitProblems collects strings.
PROBE_JS = r"""(() => {
  if (window.__pydigitProblems) return;
  const problems = window.__pydigitProblems = [];
  const text = (value) => value instanceof Error ? `${value.name}: ${value.message}` :
    typeof value === 'object' ? (() => { try { return JSON.stringify(value); } catch { return String(value); } })() :
    String(value);
  addEventListener('error', (event) => {
    if (event instanceof ErrorEvent) problems.push('pageerror: ' + (event.error ? text(event.error) : event.message));
    else if (event.constructor === Event && event.target && event.target !== window && event.target.tagName)
      problems.push('failed to load: ' + (event.target.src || event.target.href || event.target.tagName));
  }, true);
  addEventListener('unhandledrejection', (event) => problems.push('unhandledrejection: ' + text(event.reason)));
  const error = console.error;
  console.error = function (...args) { problems.push('console.error: ' + args.map(text).join(' ')); return error.apply(this, args); };
})();"""
PROBE_FAILED_LOAD = "failed to load:"
DRAIN_JS = "return window.__pydigitProblems ? window.__pydigitProblems.splice(0) : [];"
_STATEMENT = re.compile(r"\s*(return|const|let|var|if|for|while|do|try|throw|switch|await)\b")


def script_body(js):
    """js (see Page.evaluate) -> a function body taking the arguments as ``arguments``."""
    if _STATEMENT.match(js):
        return js
    return (f"const __value = ({js});\n"
            "return typeof __value === 'function' ? __value(...arguments) : __value;")


class Page:
    """What every engine's page offers; see the module's docstring."""

    engine = None          # "chromium", "firefox" or "webkit"
    pointer_types = ()     # what draw() can be given: "mouse", "touch", "pen"
    requests = None        # list of URLs, or None when the engine cannot tell

    def __init__(self):
        self._problems = []
        self._lock = threading.Lock()

    # -- to be provided by each engine --------------------------------------
    def _run(self, body, args):
        raise NotImplementedError

    def _navigate(self, url, timeout):
        raise NotImplementedError

    def set_viewport(self, width, height):
        raise NotImplementedError

    def screenshot(self, path):
        raise NotImplementedError

    def draw(self, strokes, pointer="mouse", move_ms=0):
        """strokes: sequences of (x, y) viewport CSS px; each one press, moves, release."""
        raise NotImplementedError

    def _probe_keeps(self, problem):
        """Whether a problem the in-page probe found is kept: the engine may report it itself."""
        return True

    # -- shared -------------------------------------------------------------
    def evaluate(self, js, *args):
        """Run js in the page -> its value (JSON-able; a promise is awaited)."""
        return self._run(script_body(js), list(args))

    def goto(self, url, timeout=60.0):
        """Navigate and wait for the load event; then install the error probe."""
        self._drain()
        self._navigate(url, timeout)
        self._run(PROBE_JS, [])

    def wait_for(self, js, *args, timeout=30.0, interval=0.02):
        """Poll js (see evaluate) until its value is truthy -> that value."""
        body = script_body(js)
        deadline = time.monotonic() + timeout
        while True:
            value = self._run(body, list(args))
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s for {js!r}; last value {value!r}")
            time.sleep(interval)

    @property
    def problems(self):
        """Problems so far, as strings (this reads the page's probe: one round trip)."""
        self._sync()
        self._drain()
        with self._lock:
            return list(self._problems)

    def clear_problems(self):
        self._sync()
        self._drain()
        with self._lock:
            self._problems.clear()

    def _sync(self):
        """Let the events the engine has sent so far land in self._problems."""

    def _add_problem(self, text):
        with self._lock:
            self._problems.append(text)

    def _drain(self):
        try:
            found = self._run(DRAIN_JS, [])
        except Exception:      # no document yet, or one being replaced
            return
        found = [p for p in found if self._probe_keeps(p)]
        with self._lock:
            self._problems.extend(found)

    def resources(self):
        """URLs of the page's Resource Timing entries (its own fetches, not its workers')."""
        return self._run("return performance.getEntriesByType('resource').map(e => e.name);", [])

    def viewport(self):
        """-> {width, height, dpr, scroll_x, scroll_y} of the layout viewport, CSS px."""
        return self._run("return {width: innerWidth, height: innerHeight, dpr: devicePixelRatio,"
                         " scroll_x: scrollX, scroll_y: scrollY};", [])
