// The layers panel's styles (layers-view.js), in the pad's shadow root
// beside digit-pad.css.js's, whose colour properties they use. The pixels
// of its canvases are colour over transparency, readable on a light or a
// dark page alike.
export default `
.layers { margin-top: 1rem; padding-top: .6rem; border-top: 1px solid var(--line); font-size: .85em; }
:host([mode=number]) .layers { display: none; }
.layers-title { margin: 0; font-weight: 600; }
.layers-hint, .layers-empty { margin: .2rem 0 0; color: var(--muted); }
.layers-error { margin: .4rem 0 0; color: #d32f2f; }
.layers[data-state=empty] :is(.layer-list, .heat, .layers-hint),
.layers[data-state=error] :is(.layer-list, .heat, .layers-hint, .layers-empty),
.layers[data-state=shown] .layers-empty { display: none; }
.layers b { color: var(--fg); font-weight: 600; }
.layer-list { display: grid; gap: .9rem; margin-top: .7rem; }
.layer-row, .heat { display: flex; flex-wrap: wrap; gap: .6rem .8rem; align-items: flex-end; }
.heat { margin-top: .9rem; align-items: flex-start; }
.layers figure { margin: 0; display: flex; flex-direction: column; align-items: flex-start; gap: .25rem; min-width: 0; }
.layers figcaption { line-height: 1.3; }
.layer { flex: 1 1 6em; }
.layer[data-kind=vector] { flex-basis: 9em; }
.layer canvas { display: block; width: 100%; height: auto; image-rendering: pixelated; }
.layer[data-kind=vector] canvas { height: 3rem; border-bottom: 1px solid var(--line); }
.heat figure { flex: 1 1 9em; }
.heat canvas { display: block; width: 140px; max-width: 100%; height: auto; aspect-ratio: 1; image-rendering: pixelated; border: 1px solid var(--line); }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; vertical-align: -.05em; }
.swatch.for { background: rgb(230 115 0); }
.swatch.against { background: rgb(30 110 220); }
/* The probability bars choose the digit explained. */
.bars li[role=button] { cursor: pointer; border-radius: 2px; }
.bars li[role=button]:hover .label { color: var(--accent); }
.bars li[role=button]:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.bars li[aria-pressed=true] { background: color-mix(in srgb, var(--accent) 14%, transparent); }
`;
