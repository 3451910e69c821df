"""The ``{{ pydigit.personalization }}`` placeholder: Markdown made from the
JSON that ``python -m train.personalize_eval`` writes beside a bundled
model (``MODEL.personalization.json``): how much teaching helped each writer
and what the taught models forgot; and, when the plugin's ``teach_results``
names it, from ``python -m bench.teach``'s JSON: how long it takes in Chromium."""

import json

from pydigit.weights_file import bundled_weights_path, figures_path


def results_path(name):
    return figures_path(bundled_weights_path(name), "personalization")


def percent(x):
    return f"{100 * x:.2f}%"


def points(x):
    return f"{100 * x:.2f}"


def summary_row(label, s):
    return (f"| {label} | {percent(s['mean_before'])} → **{percent(s['mean_after'])}** | "
            f"{percent(s['worst_before'])} → **{percent(s['worst_after'])}** | "
            f"{s['helped']} / {s['hurt']} | {points(s['mnist_drop'])} ({points(s['mnist_worst_drop'])}) |")


def personalization_markdown(result):
    settings = result["settings"]
    lines = [
        f"Measured by `python -m train.personalize_eval` on {result['date']}: the "
        f"{result['writers']} writers of the recorded pen digits, each taught with their first drawings "
        f"of every digit and tested on their drawings after the first {result['held_back_per_digit']} "
        f"of each. A residual on the {result['model'].upper()}'s head learns "
        f"({settings['parameters_learning']:,} parameters): {settings['steps']} optimiser steps on the "
        f"drawings and {settings['copies']} distorted copies of each, held near the bundled model by "
        f"{settings['anchors']} anchors. Seed {result['seed']} unless a row says otherwise.",
        "",
        "| taught per digit | writers' mean accuracy | worst writer | writers helped / hurt "
        "| MNIST test: points lost, on average (at most) |",
        "|---|--:|--:|--:|--:|",
    ]
    for per_digit, part in result["taught"].items():
        lines.append(summary_row(f"{per_digit} (×10 digits)", part["summary"]))
    for seed, s in result.get("seeds", {}).items():
        lines.append(summary_row(f"5, distortions drawn with seed {seed}", s))
    for label, s in result["ablations"].items():
        lines.append(summary_row(f"5, {label}", s))
    any_summary = next(iter(result["taught"].values()))["summary"]
    lines += ["", f"The bundled model reads {percent(any_summary['mnist_bundled'])} of the MNIST test set.", ""]
    lines += ["| target | measured | |", "|---|--:|---|"]
    names = {"mean_after": "writers' mean after 5 per digit ≥", "worst_after": "worst writer after 5 per digit ≥",
             "mnist_drop": "MNIST points lost on average ≤"}
    for key, verdict in result["targets"].items():
        lines.append(f"| {names.get(key, key)} {percent(verdict['target']) if key != 'mnist_drop' else points(verdict['target'])} "
                     f"| {percent(verdict['value']) if key != 'mnist_drop' else points(verdict['value'])} "
                     f"| {'met' if verdict['met'] else '**not met**'} |")
    lines += ["", '??? note "Every writer, taught 5 drawings of each digit"', "",
              "    | writer | tested on | before | after | MNIST test |", "    |--:|--:|--:|--:|--:|"]
    for row in result["taught"]["5"]["writers"]:
        lines.append(f"    | {row['writer']} | {row['tested']} | {percent(row['before'])} | "
                     f"{percent(row['after'])} | {percent(row['mnist'])} |")
    return "\n".join(lines) + "\n"


def timing_markdown(teach):
    verdict = "met" if teach["target"]["met"] else "**not met**"
    return (f"\nIn the browser (`python -m bench.teach`, {teach['date'][:10]}, Chromium {teach['chromium']}): "
            f"teaching on {teach['drawings_learned']} of a writer's drawings takes "
            f"**{teach['p50_s']:.2f} s** (median of {len(teach['runs'])}; target ≤ {teach['target']['p50_s']:.0f} s: "
            f"{verdict}), in {teach['steps']} steps, while the page's longest pause is "
            f"{teach['longest_main_thread_gap_ms']:.0f} ms and a digit drawn meanwhile is answered.\n")


def personalization_section(name="cnn", teach_results=None):
    from mkdocs.exceptions import PluginError
    path = results_path(name)
    if not path.is_file():
        raise PluginError(f"{path} does not exist: run `python -m train.personalize_eval --model {name}`")
    markdown = personalization_markdown(json.loads(path.read_text()))
    if teach_results is not None:
        if not teach_results.is_file():
            raise PluginError(f"{teach_results} does not exist: run `python -m bench.teach`")
        markdown += timing_markdown(json.loads(teach_results.read_text()))
    return markdown
