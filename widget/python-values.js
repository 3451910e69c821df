// Python's answers and errors as the worker passes them on: plain
// JavaScript values and one line of words.

// A PyProxy (a dict, bytes, a list...) -> a plain value: dicts as objects,
// bytes as Uint8Arrays, None as undefined. The proxy is destroyed: Python's
// object is freed at once, not when the garbage collector gets to it.
export function plain(proxy) {
  try {
    return proxy.toJs({dict_converter: Object.fromEntries});
  } finally {
    proxy.destroy();
  }
}

// A Python exception arrives with its traceback: its last line says what went wrong.
export function describe(error) {
  const text = String((error && error.message) || error).trim();
  return error && error.type ? text.split("\n").pop() : text;
}
