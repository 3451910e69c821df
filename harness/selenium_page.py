"""Firefox and WebKit through Selenium, as a harness.page.Page."""

import time

from harness.page import PROBE_FAILED_LOAD, Page


class SeleniumPage(Page):
    """The one window of a Selenium WebDriver session. ``.driver`` is the WebDriver.

    Drawing: each stroke is pointerMove (to its first point), pointerDown, a
    pointerMove per further point, pointerUp, of one W3C pointer input source;
    all the strokes of one draw() go in one Perform Actions command. move_ms is
    each move's duration: 0 is what draws fast and still gives the page one
    pointermove per point (Firefox makes any move of duration > 0 last at least
    a frame, ~17-20 ms; WebKit lasts the duration asked)."""

    def __init__(self, driver, engine, pointer_types):
        super().__init__()
        self.driver = driver
        self.engine = engine
        self.pointer_types = pointer_types
        self._bidi = False

    def _probe_keeps(self, problem):
        return not self._bidi or problem.startswith(PROBE_FAILED_LOAD)

    def _sync(self):
        # BiDi events come over the websocket before the answer to a command
        # sent after them; Selenium hands each to a new thread, which appends at once.
        if self._bidi:
            try:
                self.driver.browsing_context.get_tree(max_depth=0)
            except Exception:
                pass
            time.sleep(0.03)

    def _run(self, body, args):
        return self.driver.execute_script(body, *args)

    def _navigate(self, url, timeout):
        self.driver.set_page_load_timeout(timeout)
        self.driver.get(url)

    def set_viewport(self, width, height):
        """Resize the window so that the viewport (innerWidth x innerHeight) is
        width x height: the window's frame, if any, is measured and added."""
        driver = self.driver
        driver.set_window_size(width, height)
        inner = None
        for _ in range(4):
            inner = self._settled_viewport([width, height])
            if inner == [width, height]:
                return
            size = driver.get_window_size()
            driver.set_window_size(max(1, size["width"] + width - inner[0]),
                                   max(1, size["height"] + height - inner[1]))
        raise RuntimeError(f"{self.engine}: asked for a {width}x{height} viewport, got {inner}")

    def _settled_viewport(self, wanted, timeout=2.0):
        """[innerWidth, innerHeight] once it is ``wanted``, or has not changed
        for 100 ms (WebKitGTK resizes after its answer to Set Window Rect)."""
        deadline, last, same = time.monotonic() + timeout, None, 0
        while True:
            inner = self._run("return [innerWidth, innerHeight];", [])
            same = same + 1 if inner == last else 0
            if inner == wanted or same >= 5 or time.monotonic() > deadline:
                return inner
            last = inner
            time.sleep(0.02)

    def screenshot(self, path):
        if not self.driver.save_screenshot(str(path)):
            raise RuntimeError(f"{self.engine}: the screenshot {path} could not be saved")

    def draw(self, strokes, pointer="mouse", move_ms=0):
        from selenium.webdriver.common.actions.action_builder import ActionBuilder
        from selenium.webdriver.common.actions.pointer_input import PointerInput

        if pointer not in self.pointer_types:
            raise ValueError(f"{self.engine} has no {pointer!r} pointer here: one of {self.pointer_types}")
        builder = ActionBuilder(self.driver, mouse=PointerInput(pointer, pointer), duration=move_ms)
        actions = builder.pointer_action
        for stroke in strokes:
            actions.move_to_location(*stroke[0])
            if pointer == "pen":
                actions.pointer_down(pressure=0.5)
            else:
                actions.pointer_down()
            for point in stroke[1:]:
                actions.move_to_location(*point)
            actions.pointer_up()
        builder.perform()


def quit_driver(driver):
    """Quit a Selenium session and its driver process; the driver is killed if it hangs.

    With BiDi, Selenium's quit() closes its websocket first, and its reader
    thread may then sit out a 10 s select() (websocket-client's default) before
    it notices: ending the session first closes the socket from the browser's
    side, and quit() is then quick (its own, second, delete is ignored)."""
    from selenium.webdriver.remote.command import Command

    try:
        if getattr(driver, "_websocket_connection", None) is not None:
            try:
                driver.execute(Command.QUIT)
            except Exception:
                pass
        driver.quit()
    finally:
        process = getattr(driver.service, "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(5)
