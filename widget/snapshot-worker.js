// The worker that makes the memory snapshot later visits start from
// (snapshot.js), started by the page's worker once it is ready. It answers
// once, done or failed; the page's worker then ends it.
import {makeSnapshot} from "./snapshot.js";

self.onmessage = async ({data}) => {
  try {
    await makeSnapshot(data.config);
    self.postMessage({kept: true});
  } catch (error) {
    self.postMessage({kept: false, message: String(error?.message ?? error)});
  }
};
