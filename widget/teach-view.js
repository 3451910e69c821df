// What a pad shows of teaching (personal.js): the "Wrong? It's a …" row
// under a final answer, the guided round's prompt, training's progress and
// its before/after, and the visitor's data: export, import, reset. Its
// buttons tell the pad (on), which does the work.
import {drawings} from "./personal.js";

export class TeachView {
  #correct;
  #labels;
  #round;
  #prompt;
  #next;
  #start;
  #train;
  #progress;
  #text;
  #exportModel;
  #exportDrawings;

  // on: {teach(label), startRound(), next(), stopRound(), train(),
  // exportFile("model" | "drawings"), importFiles(files), reset()}.
  constructor(root, on) {
    const $ = (selector) => root.querySelector(selector);
    this.#correct = $(".correct");
    this.#labels = [...root.querySelectorAll(".labels button")];
    this.#round = $(".round");
    this.#prompt = $(".round-prompt");
    this.#next = $(".round-next");
    this.#start = $(".teach-start");
    this.#train = $(".train");
    this.#progress = $(".train-progress");
    this.#text = $(".teach-text");
    this.#exportModel = $(".export-model");
    this.#exportDrawings = $(".export-drawings");
    const files = $(".import-files");
    for (const button of this.#labels) {
      button.addEventListener("click", () => on.teach(Number(button.dataset.label)));
    }
    this.#start.addEventListener("click", () => on.startRound());
    this.#next.addEventListener("click", () => on.next());
    $(".round-stop").addEventListener("click", () => on.stopRound());
    this.#train.addEventListener("click", () => on.train());
    this.#exportModel.addEventListener("click", () => on.exportFile("model"));
    this.#exportDrawings.addEventListener("click", () => on.exportFile("drawings"));
    $(".import").addEventListener("click", () => files.click());
    files.addEventListener("change", () => {
      const chosen = [...files.files];
      files.value = "";  // the same files may be chosen again
      if (chosen.length) on.importFiles(chosen);
    });
    $(".reset").addEventListener("click", () => on.reset());
  }

  // The row keeps its place when hidden: the pad does not jump at each answer.
  showCorrection(shown) {
    if (this.#correct.dataset.shown === String(shown)) return;
    this.#correct.dataset.shown = String(shown);
    for (const button of this.#labels) button.disabled = !shown;
  }

  // prompt: the round's words, or null when no round is under way; canGo:
  // there is a drawing to give.
  showRound(prompt, canGo) {
    this.#round.hidden = prompt === null;
    this.#correct.hidden = prompt !== null;
    this.#start.hidden = prompt !== null;
    this.#prompt.textContent = prompt ?? "";
    this.#next.disabled = !canGo;
  }

  // snapshot: personal.js's; bundledLabel: the name the bundled model goes by ("CNN").
  show(snapshot, bundledLabel) {
    const {state, examples, progress, canTrain, hasModel} = snapshot;
    const training = state === "training";
    this.#train.disabled = !canTrain;
    this.#progress.hidden = !training;
    if (training && progress?.total) {
      this.#progress.max = progress.total;
      this.#progress.value = progress.done;
    } else if (training) {
      this.#progress.removeAttribute("value");  // under way, how far not known yet
    }
    this.#exportModel.hidden = !hasModel;
    this.#exportDrawings.hidden = examples === 0;
    setText(this.#text, describe(snapshot, bundledLabel));
  }
}

// A training's outcome in words, for the "taught" detail.
export function taughtWords({drawings: learnt, heldOut}, bundledLabel) {
  return `Trained on ${drawings(learnt)}.${heldOut.total ? " " + keptBack(heldOut, bundledLabel) : ""}`;
}

function keptBack({total, bundled, yours}, bundledLabel) {
  return `On ${drawings(total)} you kept back: bundled ${bundledLabel} ${bundled}/${total}, yours ${yours}/${total}.`;
}

// The teaching's state in words.
function describe({state, examples, said, usable, heldOut, trainedOn, progress}, bundledLabel) {
  if (state === "training") return `Training your model on ${drawings(progress.drawings)}…`;
  const parts = [said || (examples ? `${drawings(examples)} of yours.` :
    "Teach it your handwriting: correct a wrong answer, or take the guided round.")];
  if (usable && heldOut?.total) {
    parts.push(keptBack(heldOut, bundledLabel));
  } else if (usable) {
    parts.push(`Your model is in use${trainedOn ? `, taught with ${drawings(trainedOn)}` : ""}.`);
  }
  return parts.join(" ");
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}
