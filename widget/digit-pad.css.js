// The widget's shadow-DOM styles. Colours come from mkdocs-material's custom
// properties when the page has them (so light and dark schemes just work),
// with plain fallbacks for any other page.
export default `
[hidden] { display: none !important; }
:host {
  --fg: var(--md-default-fg-color, #1f2328);
  --muted: var(--md-default-fg-color--light, #59636e);
  --line: var(--md-default-fg-color--lightest, #d1d9e0);
  --bg: var(--md-default-bg-color, #fff);
  --accent: var(--md-primary-fg-color, #3f51b5);
  --digit-pad-ink: var(--fg);
  display: block;
  max-width: 40rem;
  color: var(--fg);
  font: inherit;
}
.status { display: flex; align-items: center; gap: .6em; min-height: 2.2em; color: var(--muted); font-size: .85em; }
.status progress { width: 6em; accent-color: var(--accent); }
.status[data-state=ready] progress { display: none; }
.status[data-state=error] { color: #d32f2f; }
.notice { flex-basis: 100%; color: #b3261e; }
.body { display: flex; flex-wrap: wrap; gap: 1rem 1.5rem; align-items: flex-start; }
.surface { position: relative; flex: 0 1 18rem; min-width: 12rem; }
canvas[part=pad] {
  display: block; width: 100%; aspect-ratio: 1; box-sizing: border-box;
  border: 2px solid var(--line); border-radius: .5rem; background: var(--bg);
  touch-action: none; cursor: crosshair; color: var(--digit-pad-ink);
}
canvas[part=pad]:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.hint { position: absolute; inset: 0; margin: 0; display: grid; place-items: center; color: var(--line); pointer-events: none; font-size: 1.1em; }
.result { flex: 1 1 12rem; min-width: 11rem; }
.answer { margin: 0 0 .4rem; display: flex; align-items: baseline; gap: .6rem; }
.digit { font-size: 3rem; line-height: 1; font-weight: 700; min-width: 1ch; }
.confidence { color: var(--muted); }
.bars { list-style: none; margin: 0; padding: 0; display: grid; gap: 2px; }
.bars li { display: grid; grid-template-columns: 1.2em 1fr 3em; align-items: center; gap: .4em; font-size: .8em; font-variant-numeric: tabular-nums; }
.bar { height: .7em; background: color-mix(in srgb, var(--line) 45%, transparent); border-radius: 2px; overflow: hidden; }
.fill { display: block; height: 100%; width: calc(var(--p, 0) * 100%); background: var(--muted); transition: width .08s linear; }
.top .fill { background: var(--accent); }
.top .label { font-weight: 700; }
.pct { text-align: right; color: var(--muted); }
figure { margin: .6rem 0 0; display: flex; align-items: center; gap: .6em; font-size: .75em; color: var(--muted); }
.input28 canvas, .stages canvas { width: 56px; height: 56px; image-rendering: pixelated; border: 1px solid var(--line); }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; margin-top: .8rem; }
button {
  font: inherit; font-size: .85em; padding: .35em .9em; border-radius: .3rem; cursor: pointer;
  border: 1px solid var(--line); background: var(--bg); color: var(--fg);
}
button:hover { border-color: var(--accent); }
button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.models { display: inline-flex; margin-left: auto; }
.models button { border-radius: 0; }
.models button:first-child { border-radius: .3rem 0 0 .3rem; }
.models button:last-child { border-radius: 0 .3rem .3rem 0; }
/* The last one shown, when "Yours" is hidden (a rule of its own: a browser
   without :has() drops only this one). */
.models button:has(+ [hidden]) { border-radius: 0 .3rem .3rem 0; }
.models button[aria-pressed=true] { background: var(--accent); border-color: var(--accent); color: var(--md-primary-bg-color, #fff); }
.timing { font-size: .75em; color: var(--muted); font-variant-numeric: tabular-nums; min-width: 4.5em; text-align: right; }
button:disabled { opacity: .45; cursor: default; border-color: var(--line); }
.teach { display: grid; gap: .5rem; margin-top: .8rem; font-size: .85em; }
.teach p { margin: 0; display: flex; flex-wrap: wrap; align-items: center; gap: .35rem .5rem; }
.teach button { font-size: 1em; }
/* Hidden, the row keeps its place: the pad does not jump at every answer. */
.correct[data-shown=false] { visibility: hidden; }
.labels { display: inline-flex; flex-wrap: wrap; gap: 3px; }
.labels button { min-width: 2.2em; padding: .25em .5em; font-variant-numeric: tabular-nums; }
.round-prompt { font-weight: 600; }
.train-progress { width: 8em; accent-color: var(--accent); }
.teach-text { color: var(--muted); }
.your-data summary { cursor: pointer; color: var(--muted); width: fit-content; }
.your-data[open] summary { margin-bottom: .4rem; }
.your-data p + p { margin-top: .4rem; }
.stages { display: flex; flex-wrap: wrap; gap: 1rem; margin-top: .8rem; }
.stages figure { flex-direction: column; align-items: flex-start; margin: 0; }
.stages canvas { height: 84px; width: auto; max-width: 160px; background: #fff; }
.announce { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
/* A number pad (mode="number"): the pad as wide as the element, the number
   under it, each digit with its confidence; no bars, network input or stages
   (one of each per digit would not fit), and no teaching (it is of single digits). */
.number { display: none; }
:host([mode=number]) .number { display: block; }
:host([mode=number]) :is(.answer, .bars, .input28, .stages, .teach) { display: none; }
:host([mode=number]) .surface { flex: 1 1 100%; max-width: none; }
:host([mode=number]) canvas[part=pad] { aspect-ratio: 4; }
:host([mode=number]) .result { flex: 1 1 100%; max-width: none; display: block; }
.number-text { margin: 0; font-size: 2.6rem; line-height: 1.1; font-weight: 700; letter-spacing: .08em; font-variant-numeric: tabular-nums; }
/* Every digit's box as tall, "not sure" or not, and the row as tall before
   the first answer: what is under the pad does not jump as the answer changes. */
.number-problem { margin: .2rem 0 0; color: #b3261e; }
.number-problem:empty { display: none; }
.number-digits { list-style: none; margin: .4rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: .35rem; min-height: 4.6em; }
.number-digits li {
  display: grid; justify-items: center; min-width: 3.4em; padding: .15em .4em .25em;
  border: 1px solid var(--line); border-radius: .3rem; font-size: .8em; font-variant-numeric: tabular-nums;
}
.number-digit { font-size: 1.7em; font-weight: 700; line-height: 1.2; }
.number-confidence { color: var(--muted); }
.number-digits .unsure { border-style: dashed; border-color: #b3261e; }
.not-sure { color: #b3261e; font-size: .9em; }
.number-digits li:not(.unsure) .not-sure { visibility: hidden; }
/* Narrow (a phone): where the result would wrap below the pad (the widths of
   .surface and .result and the gap between them), it is made compact instead,
   the bars drawn as ten columns, so that the answer and every bar are in view
   together with the whole pad while a finger draws on it. The percentages
   stay in the page for screen readers. */
.body { container-type: inline-size; }
@container (width < 31.5rem) {
  .surface { flex: 1 1 100%; min-width: 0; max-width: 24rem; }
  .result {
    flex: 1 1 100%; min-width: 0; max-width: 24rem;
    display: grid; grid-template-columns: 1fr auto; grid-template-areas: "answer input" "bars bars";
    align-items: center; gap: .4rem 1rem;
  }
  .answer { grid-area: answer; margin: 0; flex-wrap: wrap; gap: 0 .6rem; }
  .digit { font-size: 2.4rem; }
  .input28 { grid-area: input; margin: 0; }
  .input28 figcaption { max-width: 5.5em; line-height: 1.3; }
  .bars { grid-area: bars; grid-template-columns: repeat(10, 1fr); gap: 4px; }
  .bars li { grid-template: "bar" 2.4rem "label" auto / 1fr; justify-items: center; gap: 2px; }
  .bar { grid-area: bar; width: 100%; height: 100%; display: flex; align-items: flex-end; }
  .label { grid-area: label; }
  .fill { width: 100%; height: calc(var(--p, 0) * 100%); transition: height .08s linear; }
  .pct { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  /* A number pad less wide: tall enough for a finger to write in. */
  :host([mode=number]) canvas[part=pad] { aspect-ratio: 2.5; }
  .number-text { font-size: 2.2rem; }
}
`;
