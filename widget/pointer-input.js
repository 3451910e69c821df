// Pointer input on the pad's canvas: mouse, pen or touch, one pointer at a
// time, each press a new stroke of the drawing.
export class PointerInput {
  #canvas;
  #drawing;
  #on;                      // {drew(), penUp(pointerId), captureLost(pointerId)}
  #activePointer = null;    // the id of the pointer drawing, if any

  constructor(canvas, drawing, on) {
    this.#canvas = canvas;
    this.#drawing = drawing;
    this.#on = on;
    canvas.addEventListener("pointerdown", (event) => this.#down(event));
    canvas.addEventListener("pointermove", (event) => this.#move(event));
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
      canvas.addEventListener(type, (event) => this.#end(event));
    }
  }

  get penDown() { return this.#activePointer !== null; }

  #down(event) {
    if (this.penDown || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    this.#activePointer = event.pointerId;
    this.#canvas.setPointerCapture(event.pointerId);
    this.#drawing.startStroke(this.#point(event));
    this.#on.drew();
  }

  #move(event) {
    if (event.pointerId !== this.#activePointer) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const each of events.length ? events : [event]) this.#drawing.extendStroke(this.#point(each));
    this.#on.drew();
  }

  #end(event) {
    if (event.pointerId === this.#activePointer) {
      this.#activePointer = null;
      this.#on.penUp(event.pointerId);
    }
    // Fired right after the pointerup (or pointercancel) has been through
    // the whole page, in the same task.
    if (event.type === "lostpointercapture") this.#on.captureLost(event.pointerId);
  }

  // In 0..1 of the canvas's content box, which its bitmap fills (not of its border box).
  #point(event) {
    const canvas = this.#canvas;
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left - canvas.clientLeft) / canvas.clientWidth,
            (event.clientY - box.top - canvas.clientTop) / canvas.clientHeight];
  }
}
