"""The ``{{ pydigit.numbers }}`` placeholder: Markdown made from the JSON that
``python -m train.numbers_eval`` writes beside a bundled model
(``MODEL.numbers.json``), how well numbers are read, and from the one
``python -m train.trajectory`` writes beside the trajectory network
(``trajectory.metrics.json``), how well its vote reads single digits."""

import json

from mkdocs.exceptions import PluginError

from pydigit.weights_file import TRAJECTORY, bundled_weights_path, figures_path

PATHS = {"strokes": "strokes, with the trajectory network (the pad)",
         "strokes_image_only": "strokes, image network alone",
         "image": "pixels alone (`recognize_number`)"}


def percent(x):
    return f"{100 * x:.1f}%"


def read_figures(path, command):
    if not path.is_file():
        raise PluginError(f"{{{{ pydigit.numbers }}}} needs {path}: run `{command}`")
    return json.loads(path.read_text())


def numbers_markdown(numbers, trajectory, names):
    """names: the image networks the site ships, whose rows the first table shows."""
    name = numbers["model"].upper()
    held_out = {key: row for key, row in trajectory["held_out"].items()
                if key == TRAJECTORY or key.split("+")[0] in names}
    lines = [
        f"Single digits first (`python -m train.trajectory`, {trajectory['date']}): the "
        f"{trajectory['digits']:,} recorded pen digits of {trajectory['writers']} writers, each writer's "
        f"read by a trajectory network trained on the other writers only ({trajectory['folds']} folds by "
        "writer).",
        "",
        "| read by | pen digits | worst writer |",
        "|---|--:|--:|",
    ]
    for key, row in held_out.items():
        lines.append(f"| {key.replace('+', ' × ').upper().replace('TRAJECTORY', 'trajectory')} | "
                     f"{percent(row['accuracy'])} | {percent(row['worst_writer_accuracy'])} "
                     f"(writer {row['worst_writer']}) |")
    lines += [
        "",
        f"Numbers (`python -m train.numbers_eval`, {numbers['date']}, the {name}): "
        f"{numbers['numbers_per_class']} numbers of {numbers['lengths'][0]} to {numbers['lengths'][1]} "
        f"digits per spacing, each made of one writer's digits and read by the trajectory network that "
        f"never saw that writer. Seed {numbers['seed']}.",
        "",
        "| spacing | read from | whole numbers | target | per digit | the same digits one by one |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for spacing, paths in numbers["classes"].items():
        for path, f in paths.items():
            met = f["whole_number"] >= f["target_whole_number"]
            lines.append(f"| {spacing} | {PATHS.get(path, path)} | "
                         f"{'**' + percent(f['whole_number']) + '**' if met else percent(f['whole_number'])} | "
                         f"{percent(f['target_whole_number'])} {'met' if met else 'not met'} | "
                         f"{percent(f['per_digit'])} | {percent(f['single_digit'])} |")
    return "\n".join(lines) + "\n"


def numbers_section(names=("cnn",)):
    """names: the image networks the site ships; the numbers are those of
    the first that has them."""
    def numbers_path(name):
        return figures_path(bundled_weights_path(name), "numbers")

    measured = next((name for name in names if numbers_path(name).is_file()), names[0])
    numbers = read_figures(numbers_path(measured), f"python -m train.numbers_eval --model {names[0]}")
    trajectory = read_figures(figures_path(bundled_weights_path(TRAJECTORY), "metrics"),
                              "python -m train.trajectory")
    return numbers_markdown(numbers, trajectory, names)
