// A pad's side of the conversation with the recognizer: one request in
// flight at a time, the drawing as it is by then asked about next (the latest
// wins, the ones between are never asked), which answer is final, and the
// answers as the "prediction" event's detail.
import {Message} from "./protocol.js";
import {recognizer} from "./recognizer.js";

const EMPTY = Object.freeze({digit: null, probabilities: Object.freeze(new Array(10).fill(0)), confidence: 0});

export class Predictor {
  #drawing;
  #pad;                     // see the constructor
  #version = 0;             // bumped on every change to the drawing (or model)
  #dirty = false;           // the drawing changed since the last request
  #inFlight = null;         // {id, started, version}: the request the worker is working on
  #shownVersion = -1;       // the version the answer on show is for
  #lastPrediction = null;   // the answer on show, as the "prediction" event's detail
  #announceNext = false;    // the next final answer is to be announced
  #pendingFinal = null;     // {version, pointerId}: the answer on show, final at the end of a pen up
  // What the recognizer tells of this pad's requests.
  #asker = {
    answered: (message) => this.#answered(message),
    refused: (message) => {
      this.#inFlight = null;
      this.#dirty = true;  // asked again on Retry
      this.#pad.refused(message);
    },
    dropped: () => this.askAgain(),
  };

  // pad: {canAsk(), penDown(), model(), withStages(), explain() ({explain:
  // true, target} to ask a digit pad's explanation too, else {}), mode()
  // ("digit" or "number"), aspect() (a number pad's width / height),
  // notSure(model) (the confidence a digit is sure from), show(detail,
  // {message, render, announce}), refused(message)}.
  constructor(drawing, pad) {
    this.#drawing = drawing;
    this.#pad = pad;
  }

  get lastPrediction() { return this.#lastPrediction; }

  // The drawing or the model changed. final: its answer is to be announced
  // (undo, clear, a model switch; not a pen still moving).
  changed(final = false) {
    this.#version++;
    this.#dirty = true;
    this.#announceNext ||= final;
    this.ask();
  }

  // The drawing is to be asked about again, whatever is on show (the worker
  // that was asked has failed).
  askAgain() {
    this.#inFlight = null;
    this.#dirty ||= !this.#drawing.isEmpty;
  }

  // Asks about the drawing if it changed, nothing is in flight and the pad may ask.
  ask() {
    if (!this.#dirty || this.#inFlight || !this.#pad.canAsk()) return;
    this.#dirty = false;
    const number = this.#pad.mode() === "number";
    if (this.#drawing.isEmpty) {
      this.#shownVersion = this.#version;
      const empty = number ? {confidence: 0} : {...EMPTY, probabilities: [...EMPTY.probabilities]};
      this.#show({...empty, text: "", digits: [], ms: 0, model: this.#pad.model(), final: !this.#pad.penDown()});
      return;
    }
    const request = number ?
      {type: Message.PREDICT_NUMBER, model: this.#pad.model(), ...this.#drawing.flattened(),
       aspect: this.#pad.aspect()} :
      {model: this.#pad.model(), ...this.#drawing.flattened(), stages: this.#pad.withStages(),
       ...this.#pad.explain()};
    const started = performance.now();
    this.#inFlight = {id: recognizer.predict(request, this.#asker), started, version: this.#version};
  }

  // Lifting the pen adds no ink: the drawing is the one last asked about, so
  // its answer, on show or on its way, is the final one; nothing to ask again.
  // (Asking again would also be slow: Chromium holds a worker's reply to a
  // request made while handling discrete input, such as a pointerup, until it
  // has rendered the next frame.)
  penUp(pointerId) {
    this.#announceNext = true;
    if (this.#dirty || this.#inFlight || !this.#pad.canAsk() || !this.#lastPrediction ||
        this.#shownVersion !== this.#version) {
      this.#dirty ||= !this.#inFlight;  // no answer on its way: ask
      this.ask();
      return;
    }
    // The answer on show becomes final once the pointerup has been through
    // the page (whoever listens to both hears the pointerup first, as when
    // the final answer comes from the worker): at the lostpointercapture that
    // follows it, or, for pointer events dispatched from script, which have
    // none, at the next frame.
    this.#pendingFinal = {version: this.#version, pointerId};
    requestAnimationFrame(() => this.finalise(pointerId));
  }

  finalise(pointerId) {
    const pending = this.#pendingFinal;
    if (!pending || pending.pointerId !== pointerId) return;
    this.#pendingFinal = null;
    // Unless the drawing (or model) changed meanwhile: its own answer will be final.
    if (pending.version === this.#version && this.#shownVersion === this.#version &&
        !this.#pad.penDown() && !this.#inFlight) {
      this.#show({...this.#lastPrediction, final: true}, null, false);
    }
  }

  #answered(message) {
    if (message.id !== this.#inFlight?.id) return;
    const now = performance.now();
    const {started, version} = this.#inFlight;
    const ms = now - started;
    const final = version === this.#version && !this.#pad.penDown();
    this.#inFlight = null;
    // An answer for a drawing that has since been cleared, or for the pad's
    // other mode, is not shown.
    const kind = this.#pad.mode() === "number" ? Message.NUMBER_PREDICTION : Message.PREDICTION;
    if (!this.#drawing.isEmpty && message.type === kind) {
      // The worker's clock readings, on the same time line as the page's:
      // the message's trip to the worker and the answer's trip back.
      const {received, answered, ...steps} = message.ms;
      const origin = performance.timeOrigin;
      this.#shownVersion = version;
      this.#show({...this.#answer(message), ms, model: message.model, final,
                  timings: {...steps, total: ms, toWorker: received - (origin + started),
                            toPage: origin + now - answered}}, message);
    }
    this.ask();
  }

  // A digit pad's answer: its digit, probabilities and confidence (and
  // what its explanation is of); a number pad's: the confidence of its
  // least sure digit. Both: text, the number read, and digits, per digit
  // {digit, confidence, probabilities, notSure}.
  #answer(message) {
    const number = message.type === Message.NUMBER_PREDICTION;
    const digits = number ? message.digits : message.digit === null ? [] : [message];
    const threshold = this.#pad.notSure(message.model);
    const read = {text: digits.map(({digit}) => digit).join(""),
                  digits: digits.map(({digit, confidence, probabilities}) =>
                    ({digit, confidence, probabilities, notSure: confidence < threshold}))};
    if (number) {
      const confidences = digits.map(({confidence}) => confidence);
      return {...read, confidence: confidences.length ? Math.min(...confidences) : 0,
              problem: message.problem ?? null};
    }
    const {digit, probabilities, confidence, explanation} = message;
    return {digit, probabilities, confidence, ...read, ...(explanation && {explanation: outline(explanation)})};
  }

  // render: false when the answer on show only becomes final (pen up).
  #show(detail, message = null, render = true) {
    this.#lastPrediction = detail;
    const announce = this.#announceNext && detail.final;
    if (announce) this.#announceNext = false;
    this.#pad.show(detail, {message, render, announce});
  }
}

// What an explanation (protocol.js) is of, for the "prediction" event: the
// digit explained and the layers' names and shapes; the page has the
// pixels on show, not in the event.
function outline({target, layers}) {
  return {target, layers: layers.map(({name, kind, shape}) => ({name, kind, shape}))};
}
