/*
 * Shared by the bench's pydigit workers (module workers, as the widget's):
 * Pyodide from the site's own files, pydigit installed from the site's lock,
 * one model written to /bench/model.npz.
 */

export async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function bootPydigit(indexURL, modelURL) {
  const {loadPyodide} = await import(indexURL + "pyodide.mjs");
  const pyodide = await loadPyodide({indexURL, lockFileURL: indexURL + "pyodide-lock.json"});
  await pyodide.loadPackage("pydigit", {messageCallback: () => {}});
  pyodide.FS.mkdirTree("/bench");
  pyodide.FS.writeFile("/bench/model.npz", await fetchBytes(modelURL));
  return pyodide;
}
