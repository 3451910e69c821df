/*
 * <digit-pad model="cnn|mlp" [show-stages]>: draw a digit, see what pydigit
 * thinks it is while you draw. This is the script a page loads, as a module:
 *
 *   <script type="module" src="assets/digit-pad/digit-pad.js"></script>
 *
 * It defines the element unless the page has already: a second copy of the
 * script (from another URL, say) must not throw, and the page keeps one
 * element class, so one worker for all its pads. The element's contract is
 * at the top of digit-pad-element.js; the files, in README.md.
 */
import {DigitPadElement} from "./digit-pad-element.js";
import {keepOffline} from "./offline.js";

export {DigitPadElement};

if (!customElements.get("digit-pad")) customElements.define("digit-pad", DigitPadElement);
// The site's service worker, once a pad has started Python (offline.js says why not sooner).
document.addEventListener("ready", (event) => event.target.localName === "digit-pad" && keepOffline());
