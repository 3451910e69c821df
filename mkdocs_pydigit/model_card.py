"""The ``{{ pydigit.architecture }}`` and ``{{ pydigit.model_card }}``
placeholders: Markdown made from the bundled models and the metrics JSON that
``train.evaluate`` writes beside them."""

import json

from pydigit import load_model
from pydigit.weights_file import MODEL_NAMES, TRAJECTORY, bundled_weights_path, figures_path


def percent(x, digits=2):
    return f"{100 * x:.{digits}f}%"


def architecture_table(model):
    rows = ["| layer | output shape | multiply-adds | parameters |", "|---|---|--:|--:|"]
    shapes = model.shapes()
    for layer, in_shape, out_shape in zip(model.layers, shapes, shapes[1:]):
        params = sum(p.size for p in layer.params.values())
        rows.append(f"| `{layer!r}` | {' × '.join(map(str, out_shape))} | "
                    f"{layer.multiply_adds(in_shape):,} | {params:,} |")
    rows.append(f"| **total** | | **{model.multiply_adds():,}** | **{model.num_parameters():,}** |")
    return "\n".join(rows)


def architecture_section(names=MODEL_NAMES):
    """names: the bundled models to describe, in order."""
    parts = []
    for name in names:
        model = load_model(name)
        parts.append(f"### {name.upper()}: {model.multiply_adds():,} multiply-adds per image\n\n"
                     f"{architecture_table(model)}\n")
    return "\n".join(parts)


def load_metrics(name):
    return json.loads(figures_path(bundled_weights_path(name), "metrics").read_text())


def training_summary(metrics):
    training = metrics["training"]
    text = f"{training['epochs']} epochs, seed {training['seed']}"
    # Styled copies (train.styles): absent from models trained before each style existed.
    styles = [f"{share:.0%} of the {what}" for share, what in (
        (training.get("flagged_ones", 0), "'1's with a flag"),
        (training.get("crossed_sevens", 0), "'7's with a crossed stem")) if share]
    text += ", also " + " and ".join(styles) if styles else ", no styled '1's or '7's"
    return text


def trajectory_section(names):
    """What the trajectory network adds on a number pad, from the figures
    ``python -m train.trajectory`` writes beside it."""
    figures = json.loads(figures_path(bundled_weights_path(TRAJECTORY), "metrics").read_text())
    model = load_model(TRAJECTORY)
    held_out = figures["held_out"]
    rows = [f"| {name.upper()} | {percent(held_out[name]['accuracy'])} | "
            f"**{percent(held_out[name + '+' + TRAJECTORY]['accuracy'])}** |" for name in names if name in held_out]
    return ["## On a number pad: the trajectory network", "",
            f"A number pad's digits are also read by a network of {model.num_parameters():,} parameters that reads "
            "how each digit was written, its strokes in order ([How it works](how-it-works.md#numbers)); its vote "
            f"is multiplied into the chosen network's. It learnt from the {figures['digits']:,} recorded pen digits, "
            f"so each writer's were read by one trained without them ({figures['folds']} folds by writer):", "",
            "| network | pen digits, alone | with the trajectory network's vote |", "|---|--:|--:|", *rows, ""]


def model_card(names=MODEL_NAMES, figures=None):
    """names: the bundled models to compare; figures: the docs path of the
    figures ``train.figures`` draws (e.g. "assets/figures"), or None for none."""
    metrics = {name: load_metrics(name) for name in names}
    header = "| | " + " | ".join(name.upper() for name in names) + " |"
    rule = "|---|" + "--:|" * len(names)

    def row(label, get):
        return f"| {label} | " + " | ".join(get(metrics[name]) for name in names) + " |"

    summary = [header, rule,
               row("MNIST test set (10 000 images)", lambda m: percent(m["mnist"]["accuracy"])),
               row("pen strokes, rendered on the pad (7 494 digits, 30 writers)",
                   lambda m: percent(m["pen"]["accuracy"])),
               row("\"not sure\" below confidence", lambda m: f"{m['not_sure_threshold']['value']:.4f}"),
               row("pen digits answered (not \"not sure\")",
                   lambda m: percent(m["not_sure_threshold"]["pen"]["answered"], 1)),
               row("accuracy of those answers", lambda m: percent(
                   m["not_sure_threshold"]["pen"]["accuracy_of_answered"])),
               row("multiply-adds per image", lambda m: f"{m['multiply_adds']:,}"),
               row("parameters", lambda m: f"{m['parameters']:,}"),
               row("weights file (float16)", lambda m: f"{m['weights_bytes'] / 1024:.0f} KB"),
               row("training", training_summary)]
    baseline = metrics[names[0]]["baseline"]
    baseline_text = (f"Baseline: {baseline['name']}, fitted on {baseline['train_images']:,} "
                     f"training images: {percent(baseline['mnist_accuracy'])} on MNIST, "
                     f"{percent(baseline['pen_accuracy'])} on the pen strokes.")

    per_class = ["| digit | " + " | ".join(f"{name.upper()} MNIST | {name.upper()} pen"
                                            for name in names) + " |",
                 "|---|" + "--:|" * 2 * len(names)]
    for digit in range(10):
        cells = []
        for name in names:
            cells += [percent(metrics[name][s]["per_class_accuracy"][digit], 1) for s in ("mnist", "pen")]
        per_class.append(f"| {digit} | " + " | ".join(cells) + " |")

    out = ["## Summary", "", *summary, "", baseline_text, "",
           "The widget answers \"not sure\" below the threshold, chosen on data: the "
           + metrics[names[0]]["not_sure_threshold"]["rule"] + ".", "",
           "## Per-class accuracy", "", *per_class, "", *trajectory_section(names)]
    for name in names:
        m = metrics[name]
        out += [f"## {name.upper()}", "",
                f"Measured with `{m['command']}` on {m['date']} (NumPy {m['numpy']}); "
                f"pen strokes drawn {m['pen']['pen_width']:g} px wide on a "
                f"{m['pen']['canvas_size']} px pad and rendered as the browser renders them"
                + (f" (ink box {m['pen']['ink_box']} px)" if "ink_box" in m["pen"] else "") + ".", ""]
        for figure, caption in () if figures is None else ((f"{name}-training.png", "training curves"),
                                (f"{name}-confusion-mnist.png", "confusion matrix, MNIST"),
                                (f"{name}-confusion-pen.png", "confusion matrix, pen strokes"),
                                (f"{name}-mistakes-mnist.png", "most confident mistakes, MNIST"),
                                (f"{name}-mistakes-pen.png", "most confident mistakes, pen strokes")):
            out += [f"![{name.upper()} {caption}]({figures}/{figure})", ""]
    return "\n".join(out)

