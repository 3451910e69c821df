/*
 * The peer reference: the same network, the same weights, in TensorFlow.js
 * (bench-only, served from node_modules), in a worker like pydigit's.
 *
 * message: {backend: "cpu" | "wasm", manifestURL, weightsURL, inputsURL, count, warmup}
 *   manifest (bench/page_data.py): {input_mean, input_std, layers: [{type,
 *   config, params: {name: {shape, offset}}}]}, offsets in float32 elements
 *   of the weights file; inputs: count*784 float32 28x28 images in 0..1.
 * answer:  {ms: [count], probabilities: [count*10], backend, flags, isolated, tfjs}
 *   ms: tensor from the Float32Array, forward, softmax and reading the result
 *   back (dataSync): array in, probabilities out, as pydigit's predict_proba.
 *
 * The wasm backend runs single-threaded (WASM_HAS_MULTITHREAD_SUPPORT off):
 * a static host sends no COOP/COEP, so a deployed page has no threads, and
 * pydigit has one thread too.
 */
"use strict";
importScripts("node_modules/@tensorflow/tfjs/dist/tf.min.js",
              "node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js");

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response;
}

// The pydigit layers as TF.js ops, NHWC. Conv2D/Dense followed by ReLU run as
// one fused op, as TF.js's own layers do.
function buildNetwork(manifest, weights) {
  const param = (spec) => tf.tensor(weights.subarray(spec.offset, spec.offset + spec.shape.reduce((a, b) => a * b, 1)),
                                    spec.shape);
  const steps = [];
  const layers = manifest.layers;
  for (let i = 0; i < layers.length; i++) {
    const {type, config, params} = layers[i];
    const fused = (type === "Conv2D" || type === "Dense") && layers[i + 1]?.type === "ReLU";
    const activation = fused ? "relu" : "linear";
    if (type === "Conv2D") {
      const k = config.kernel_size, p = config.padding;
      const pad = 2 * p === k - 1 ? "same" : p;
      const filter = param(params.W), bias = param(params.b);
      steps.push((x) => tf.fused.conv2d({x, filter, strides: 1, pad, bias, activation}));
    } else if (type === "Dense") {
      const b = param(params.W), bias = param(params.b);
      steps.push((x) => tf.fused.matMul({a: x, b, bias, activation}));
    } else if (type === "MaxPool2D") {
      steps.push((x) => tf.maxPool(x, 2, 2, "valid"));
    } else if (type === "Flatten") {
      steps.push((x) => x.reshape([x.shape[0], -1]));
    } else if (type === "ReLU") {
      steps.push((x) => tf.relu(x));  // a ReLU after a Conv2D or Dense was fused and skipped
    } else {
      throw new Error(`layer ${i}: ${type} is not in an inference model`);
    }
    if (fused) i++;
  }
  const mean = tf.scalar(manifest.input_mean), std = tf.scalar(manifest.input_std);
  return (x) => tf.tidy(() => tf.softmax(steps.reduce((h, step) => step(h), x.sub(mean).div(std))));
}

self.onmessage = async ({data}) => {
  try {
    if (data.backend === "wasm") {
      tf.wasm.setWasmPaths(new URL("node_modules/@tensorflow/tfjs-backend-wasm/dist/", location.href).href);
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    }
    if (!(await tf.setBackend(data.backend))) throw new Error(`TF.js backend ${data.backend} failed`);
    await tf.ready();
    const manifest = await (await fetchOk(data.manifestURL)).json();
    const weights = new Float32Array(await (await fetchOk(data.weightsURL)).arrayBuffer());
    const inputs = new Float32Array(await (await fetchOk(data.inputsURL)).arrayBuffer());
    const network = buildNetwork(manifest, weights);
    const predict = (i) => {
      const x = tf.tensor4d(inputs.subarray(i * 784, (i + 1) * 784), [1, 28, 28, 1]);
      const y = network(x);
      const p = y.dataSync();
      x.dispose();
      y.dispose();
      return p;
    };
    for (let i = 0; i < data.warmup; i++) predict(i % data.count);
    const tensorsBefore = tf.memory().numTensors;
    const ms = [], probabilities = [];
    for (let i = 0; i < data.count; i++) {
      const started = performance.now();
      const p = predict(i);
      ms.push(performance.now() - started);
      probabilities.push(...p);
    }
    const flags = {};
    for (const flag of ["WASM_HAS_SIMD_SUPPORT", "WASM_HAS_MULTITHREAD_SUPPORT"]) {
      if (data.backend === "wasm") flags[flag] = await tf.env().getAsync(flag);
    }
    self.postMessage({ms, probabilities, backend: tf.getBackend(), flags, tfjs: tf.version.tfjs,
                      leakedTensors: tf.memory().numTensors - tensorsBefore,
                      isolated: self.crossOriginIsolated});
  } catch (error) {
    self.postMessage({error: String(error && error.message || error)});
  }
};
