"""AdamW and a one-cycle learning-rate schedule."""

import math

import numpy as np


class AdamW:
    """Adam with decoupled weight decay, applied to weight matrices (``W``)
    only: decaying biases and BatchNorm's gamma/beta only hurts."""

    def __init__(self, model, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-4):
        self.model, self.betas, self.eps, self.weight_decay = model, betas, eps, weight_decay
        self.step_count = 0
        self.m = [np.zeros_like(layer.params[name]) for layer, name in model.parameters()]
        self.v = [np.zeros_like(layer.params[name]) for layer, name in model.parameters()]

    def step(self, lr):
        self.step_count += 1
        b1, b2 = self.betas
        correction1 = 1 - b1 ** self.step_count
        correction2 = 1 - b2 ** self.step_count
        for (layer, name), m, v in zip(self.model.parameters(), self.m, self.v):
            param, grad = layer.params[name], layer.grads[name]
            m *= b1
            m += (1 - b1) * grad
            v *= b2
            v += (1 - b2) * grad * grad
            if name == "W" and self.weight_decay:
                param *= np.float32(1 - lr * self.weight_decay)
            param -= np.float32(lr / correction1) * m / (np.sqrt(v / correction2) + self.eps)

    def state(self):
        arrays = {f"m{i}": m for i, m in enumerate(self.m)}
        arrays.update({f"v{i}": v for i, v in enumerate(self.v)})
        arrays["step_count"] = np.array(self.step_count)
        return arrays

    def load_state(self, arrays):
        self.m = [arrays[f"m{i}"] for i in range(len(self.m))]
        self.v = [arrays[f"v{i}"] for i in range(len(self.v))]
        self.step_count = int(arrays["step_count"])


def one_cycle_lr(step, total_steps, max_lr, warmup_fraction=0.1):
    """Linear warm-up from max_lr / 20 to max_lr, then cosine decay to ~0."""
    warmup = max(1, int(total_steps * warmup_fraction))
    if step < warmup:
        return max_lr * (0.05 + 0.95 * step / warmup)
    progress = (step - warmup) / max(1, total_steps - warmup)
    return max_lr * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))
