// What a number pad (mode="number") shows of its answer: the number, and
// each digit with its confidence, marked "not sure" below its model's
// threshold. Only what changed is written (pad-view.js says why). The boxes
// around the digits are drawn with the strokes (pad-view.js, ink.js).

export class NumberView {
  #text;
  #digits;
  #problem;

  constructor(root) {
    this.#text = root.querySelector(".number-text");
    this.#problem = root.querySelector(".number-problem");
    this.#digits = root.querySelector(".number-digits");
  }

  // detail: a number pad's "prediction" detail (predictor.js).
  // problem: why a drawing is not read as a number (a scribble), or null.
  show({text, digits, problem}) {
    setText(this.#text, text || "–");
    this.#text.title = problem ?? "";
    setText(this.#problem, problem ?? "");
    const items = this.#digits.children;
    while (items.length > digits.length) items[items.length - 1].remove();
    while (items.length < digits.length) this.#digits.append(newItem());
    digits.forEach(({digit, confidence, notSure}, i) => {
      const item = items[i];
      item.classList.toggle("unsure", notSure);
      setText(item.querySelector(".number-digit"), String(digit));
      setText(item.querySelector(".number-confidence"), `${Math.round(confidence * 100)}%`);
    });
  }
}

// The answer in words, for the pad's live region.
export function numberWords({text, digits, problem}) {
  if (problem) return problem;
  if (!text) return "The pad is empty.";
  const unsure = digits.flatMap(({digit, confidence, notSure}, i) => notSure ?
    [`digit ${i + 1}, maybe a ${digit}, ${Math.round(confidence * 100)} percent`] : []);
  return `Looks like ${text}.${unsure.length ? ` Not sure of ${unsure.join("; ")}.` : ""}`;
}

function newItem() {
  const item = document.createElement("li");
  item.innerHTML = '<span class="number-digit"></span><span class="number-confidence"></span>' +
    '<span class="not-sure">not sure</span>';
  return item;
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}
