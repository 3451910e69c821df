// The <digit-pad> shadow DOM, built once from the site's config.
import config from "./config.js";
import styles from "./digit-pad.css.js";
import {LOAD_STEPS} from "./protocol.js";

export const MODEL_NAMES = Object.keys(config.models);

export const template = document.createElement("template");
template.innerHTML = `
<style>${styles}</style>
<div class="status" part="status">
  <progress max="${LOAD_STEPS.length}" value="0"></progress>
  <span class="status-text">Starting…</span>
  <button type="button" class="retry" hidden>Retry</button>
</div>
<div class="body">
  <div class="surface">
    <canvas part="pad" tabindex="0" aria-label="Drawing pad: draw a digit from 0 to 9"></canvas>
    <p class="hint">Draw a digit</p>
  </div>
  <div class="result" part="result">
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
  </span>
  <span class="timing"></span>
</div>
<div class="stages" part="stages" hidden>${["cropped", "scaled", "centred"].map((stage) => `
  <figure data-stage="${stage}"><canvas></canvas><figcaption></figcaption></figure>`).join("")}
</div>
<p class="announce" aria-live="polite"></p>
`;
