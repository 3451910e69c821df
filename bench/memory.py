"""Memory of the page and of the widget's worker, read through the DevTools
protocol: the JS heaps after a forced garbage collection, the worker's
WebAssembly memory (Pyodide's heap: it only ever grows) and the number of
live Python objects.

The worker has no ``performance.memory``; its heap is read by attaching to
it from the page's CDP session (Target.setAutoAttach, unflattened) and
sending Runtime/HeapProfiler commands through Target.sendMessageToTarget.
worker.js keeps its Pyodide as ``self.pyodide`` (a module worker's own
top-level names are not globals), which Playwright's worker.evaluate reads.
"""

import json
import time

from harness.pad import WORKER_SCRIPT, pad_worker

PYTHON_OBJECTS = "import gc; gc.collect(); len(gc.get_objects())"


class MemoryProbe:
    """probe = MemoryProbe(page); probe.read() -> {page_heap, worker_heap,
    wasm_memory, python_objects} in bytes (objects: a count)."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.attached, self.replies, self.next_id = [], {}, 0
        self.cdp.on("Target.attachedToTarget", lambda event: self.attached.append(event))
        self.cdp.on("Target.receivedMessageFromTarget", self._on_reply)
        self.cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False,
                                               "flatten": False})
        self.worker_session = self._find_worker_session()

    def _find_worker_session(self, timeout_s=5):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for event in self.attached:
                if event["targetInfo"]["url"].endswith(WORKER_SCRIPT):
                    return event["sessionId"]
            self.page.wait_for_timeout(50)
        raise RuntimeError("could not attach to the <digit-pad> worker over CDP")

    def _on_reply(self, event):
        message = json.loads(event["message"])
        if "id" in message:
            self.replies[message["id"]] = message

    def _worker_send(self, method, params=None, timeout_s=10):
        self.next_id += 1
        call_id = self.next_id
        self.cdp.send("Target.sendMessageToTarget", {
            "sessionId": self.worker_session,
            "message": json.dumps({"id": call_id, "method": method, "params": params or {}})})
        deadline = time.monotonic() + timeout_s
        while call_id not in self.replies:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the worker did not answer {method}")
            self.page.wait_for_timeout(10)
        reply = self.replies.pop(call_id)
        if "error" in reply:
            raise RuntimeError(f"{method} in the worker: {reply['error']}")
        return reply["result"]

    def read(self):
        self.cdp.send("HeapProfiler.collectGarbage")
        page_heap = self.cdp.send("Runtime.getHeapUsage")["usedSize"]
        self._worker_send("HeapProfiler.collectGarbage")
        worker_heap = self._worker_send("Runtime.getHeapUsage")["usedSize"]
        worker = pad_worker(self.page)
        wasm = worker.evaluate("pyodide._module.HEAP8.length")
        objects = worker.evaluate(f"pyodide.runPython({json.dumps(PYTHON_OBJECTS)})")
        return {"page_heap": page_heap, "worker_heap": worker_heap, "wasm_memory": wasm,
                "python_objects": objects}

    def close(self):
        self.cdp.detach()
