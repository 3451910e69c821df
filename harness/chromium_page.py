"""Chromium through Playwright, as a harness.page.Page."""

from contextlib import contextmanager

from harness.page import VIEWPORT, Page


class ChromiumPage(Page):
    """A Playwright page of harness.chromium's Chromium. ``.page`` is the Playwright Page."""

    engine = "chromium"
    pointer_types = ("mouse", "touch", "pen")

    def __init__(self, page):
        super().__init__()
        self.page = page
        self.requests = []
        page.on("console", lambda m: m.type == "error" and self._add_problem("console.error: " + m.text))
        page.on("pageerror", lambda e: self._add_problem("pageerror: " + str(e)))
        page.context.on("request", lambda r: self.requests.append(r.url))
        self._cdp = None

    def _probe_keeps(self, problem):
        return False      # Chromium's console reports failed loads too

    def _run(self, body, args):
        return self.page.evaluate(f"(args) => (function () {{\n{body}\n}}).apply(null, args)", args)

    def _navigate(self, url, timeout):
        self.page.goto(url, timeout=timeout * 1000)

    def set_viewport(self, width, height):
        self.page.set_viewport_size({"width": width, "height": height})

    def screenshot(self, path):
        self.page.screenshot(path=str(path))

    def draw(self, strokes, pointer="mouse", move_ms=0):
        """As harness.pad: the mouse through Playwright, one call (about a frame)
        per point; touch and pen through the DevTools protocol. move_ms is unused."""
        if pointer == "mouse":
            mouse = self.page.mouse
            for stroke in strokes:
                mouse.move(*stroke[0])
                mouse.down()
                for point in stroke[1:]:
                    mouse.move(*point)
                mouse.up()
            return
        if self._cdp is None:
            self._cdp = self.page.context.new_cdp_session(self.page)
        send = self._cdp.send
        for stroke in strokes:
            if pointer == "touch":
                send("Input.dispatchTouchEvent", {"type": "touchStart",
                                                  "touchPoints": [{"x": stroke[0][0], "y": stroke[0][1]}]})
                for x, y in stroke[1:]:
                    send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
                send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
            else:
                common = {"button": "left", "pointerType": pointer, "clickCount": 1}
                (x, y), rest = stroke[0], stroke[1:]
                send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, **common})
                for x, y in rest:
                    send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y, "buttons": 1, **common})
                send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, **common})


@contextmanager
def launch_chromium(viewport=VIEWPORT, **context_options):
    """-> a ChromiumPage in a fresh context of harness.chromium's browser."""
    from harness import chromium

    with chromium.launch() as browser:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, **context_options)
        try:
            yield ChromiumPage(context.new_page())
        finally:
            context.close()
