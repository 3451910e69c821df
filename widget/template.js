// The <digit-pad> shadow DOM, built once from the site's config.
import config from "./config.js";
import styles from "./digit-pad.css.js";
import {LOAD_STEPS, PERSONAL_MODEL} from "./protocol.js";

// The bundled models, in the order of their buttons.
export const MODEL_NAMES = Object.keys(config.models);

export const template = document.createElement("template");
template.innerHTML = `
<style>${styles}</style>
<div class="status" part="status">
  <progress max="${LOAD_STEPS.length}" value="0"></progress>
  <span class="status-text">Starting…</span>
  <button type="button" class="retry" hidden>Retry</button>
  <span class="notice" hidden></span>
</div>
<div class="body">
  <div class="surface">
    <canvas part="pad" tabindex="0" aria-label="Drawing pad: draw a digit from 0 to 9"></canvas>
    <p class="hint">Draw a digit</p>
  </div>
  <div class="result" part="result">
    <div class="number">
      <p class="number-text">–</p>
      <p class="number-problem"></p>
      <ol class="number-digits" aria-label="Each digit and how sure the network is"></ol>
    </div>
    <p class="answer"><span class="digit">–</span><span class="confidence"></span></p>
    <ol class="bars">${Array.from({length: 10}, (_, d) => `
      <li data-digit="${d}"><span class="label">${d}</span><span class="bar"><span class="fill"></span></span><span class="pct"></span></li>`).join("")}
    </ol>
    <figure class="input28"><canvas width="28" height="28"></canvas><figcaption>network input, 28×28</figcaption></figure>
  </div>
</div>
<div class="controls">
  <button type="button" class="undo">Undo</button>
  <button type="button" class="clear">Clear</button>
  <span class="models" role="group" aria-label="Network">${MODEL_NAMES.map((name) => `
    <button type="button" data-model="${name}" aria-pressed="false">${config.models[name].label}</button>`).join("")}
    <button type="button" data-model="${PERSONAL_MODEL}" aria-pressed="false" hidden>Yours</button>
  </span>
  <span class="timing"></span>
</div>
<div class="teach" part="teach">
  <p class="correct" data-shown="false">
    <span id="correct-label">Wrong? It's a …</span>
    <span class="labels" role="group" aria-labelledby="correct-label">${Array.from({length: 10}, (_, d) => `
      <button type="button" data-label="${d}" disabled>${d}</button>`).join("")}
    </span>
  </p>
  <p class="round" hidden>
    <span class="round-prompt"></span>
    <button type="button" class="round-next" disabled>Next</button>
    <button type="button" class="round-stop">Stop</button>
  </p>
  <p class="teach-bar">
    <button type="button" class="teach-start">Teach it</button>
    <button type="button" class="train" disabled>Train</button>
    <progress class="train-progress" hidden></progress>
    <span class="teach-text"></span>
  </p>
  <details class="your-data">
    <summary>Your drawings and model</summary>
    <p>Kept in this browser, for this site only: nothing is sent anywhere.</p>
    <p>
      <button type="button" class="export-model" hidden>Export your model (.npz)</button>
      <button type="button" class="export-drawings" hidden>Export your drawings (.json)</button>
      <button type="button" class="import">Import…</button>
      <input type="file" class="import-files" accept=".npz,.json,application/json" multiple hidden>
      <button type="button" class="reset">Reset</button>
    </p>
  </details>
</div>
<div class="stages" part="stages" hidden>${["ink", "cropped", "scaled", "centred"].map((stage) => `
  <figure data-stage="${stage}" hidden><canvas></canvas><figcaption></figcaption></figure>`).join("")}
</div>
<p class="announce" aria-live="polite"></p>
`;
