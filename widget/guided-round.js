// The guided round of "Teach it": each digit asked for in turn, a few times
// (0, 0, 0, 1, 1, 1, ...), then the pad trains. Each digit the same number of
// times: the training weighs every digit the same, but a digit with more
// drawings is learnt from more variety.
export const REPEATS = 3;
const TOTAL = 10 * REPEATS;

export class GuidedRound {
  #index = 0;               // how many drawings have been given

  get finished() { return this.#index >= TOTAL; }

  // The digit asked for now.
  get digit() { return Math.floor(this.#index / REPEATS); }

  // What the pad says: "Draw a 4 — 2 of 3, 14/30".
  get prompt() {
    return `Draw a ${this.digit} — ${this.#index % REPEATS + 1} of ${REPEATS}, ${this.#index + 1}/${TOTAL}`;
  }

  next() { this.#index++; }
}
