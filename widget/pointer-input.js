// Pointer input on the pad's canvas: mouse, pen or touch, one pointer at a
// time, each press a new stroke of the drawing.
//
// A stroke ends with its pointer's pointerup, wherever the pointer is then
// (the pad captures it; without capture, a pointerup anywhere in the page
// is heard). Input must never stop for good: browsers lose pointerups (a
// stylus leaving the screen at its edge, a gesture the browser takes), and a
// pad waiting for one would ignore every press until reload. So a stroke
// also ends, its ink kept, on:
//   lostpointercapture   the pad no longer gets the pointer's events;
//   a move with no button pressed: the pointer is up, its pointerup was lost
//                        (a pen hovering back into range would draw);
//   a press while its pointer is stale (see #isStale), which starts the next stroke;
//   clear() and undo(), which end it first (endStroke()).
// And on pointercancel, the browser taking the pointer (a system gesture, a
// palm): what was drawn is kept, as drawing apps do. With touch-action: none
// the browser seldom takes a pointer that is drawing, the ink the visitor
// watched appear was meant, and Undo is one tap away, whereas ink taken back
// would be lost. Only a stroke that is still a lone point is dropped: it has
// drawn nothing on purpose yet, the touch was the start of the browser's gesture.

// A pointer that draws moves: one silent for this long when another presses
// has most likely gone without a pointerup. (A finger resting still on the
// pad is taken for gone too: the press that comes then draws, the likelier wish.)
const STALE_MS = 1000;

export class PointerInput {
  #canvas;
  #drawing;
  #on;                      // {drew(), penUp(pointerId), captureLost(pointerId)}
  #activePointer = null;    // the id of the pointer drawing, if any
  #activeType = "";         // its pointerType
  #lastEventAt = 0;         // performance.now() of its last event
  #points = 0;              // in the stroke it draws
  // x in units of the canvas's height too, not of its width: a number pad,
  // whose drawing keeps its shape when the pad's width changes.
  byHeight = false;
  #pageEnd = (event) => this.#end(event);

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

  // Ends the stroke under way, if any, its ink kept.
  endStroke() {
    if (this.penDown) this.#abandon();
  }

  #down(event) {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    if (this.penDown) {
      if (!this.#isStale(event)) return;  // a second finger while the first draws
      this.#abandon();
    }
    event.preventDefault();
    this.#activePointer = event.pointerId;
    this.#activeType = event.pointerType;
    this.#lastEventAt = performance.now();
    this.#points = 1;
    try {
      this.#canvas.setPointerCapture(event.pointerId);
    } catch {
      // Not a pointer the browser knows to be down (one made by script): the
      // stroke still ends at its pointerup, heard in the page.
    }
    for (const type of ["pointerup", "pointercancel"]) addEventListener(type, this.#pageEnd);
    this.#drawing.startStroke(this.#point(event));
    this.#on.drew();
  }

  // The stroke's pointer has gone without a pointerup if this press is its
  // own, or of its kind where there is one of a kind (a mouse; a pen is in
  // one place at a time), or the pad no longer holds its capture, or it has
  // been silent for STALE_MS. Otherwise the press is a second finger.
  #isStale(event) {
    const active = this.#activePointer;
    return event.pointerId === active ||
      (event.pointerType === this.#activeType && event.pointerType !== "touch") ||
      !this.#canvas.hasPointerCapture(active) ||
      performance.now() - this.#lastEventAt > STALE_MS;
  }

  #move(event) {
    if (event.pointerId !== this.#activePointer) return;
    if (event.buttons === 0) {
      this.#abandon();
      return;
    }
    this.#lastEventAt = performance.now();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const each of events.length ? events : [event]) {
      this.#drawing.extendStroke(this.#point(each));
      this.#points++;
    }
    this.#on.drew();
  }

  // pointerup, pointercancel (on the pad or, bubbled, on the window) or lostpointercapture.
  #end(event) {
    if (event.pointerId === this.#activePointer) {
      this.#finish(event.type === "pointercancel" && this.#points === 1);
    }
    // Fired right after the pointerup (or pointercancel) has been through
    // the whole page, in the same task.
    if (event.type === "lostpointercapture") this.#on.captureLost(event.pointerId);
  }

  // Ends the stroke of a pointer that is gone, and lets go of its capture
  // (a pointer that is up releases it by itself).
  #abandon() {
    const pointerId = this.#activePointer;
    this.#finish(false);
    if (this.#canvas.hasPointerCapture(pointerId)) this.#canvas.releasePointerCapture(pointerId);
  }

  // drop: the stroke is taken off the drawing.
  #finish(drop) {
    const pointerId = this.#activePointer;
    this.#activePointer = null;
    for (const type of ["pointerup", "pointercancel"]) removeEventListener(type, this.#pageEnd);
    if (drop) {
      this.#drawing.undo();
      this.#on.drew();
    }
    this.#on.penUp(pointerId);
  }

  // In 0..1 of the canvas's content box, which its bitmap fills (not of its
  // border box); byHeight, x in 0..width / height.
  #point(event) {
    const canvas = this.#canvas;
    const box = canvas.getBoundingClientRect();
    const xUnit = this.byHeight ? canvas.clientHeight : canvas.clientWidth;
    return [(event.clientX - box.left - canvas.clientLeft) / xUnit,
            (event.clientY - box.top - canvas.clientTop) / canvas.clientHeight];
  }
}
