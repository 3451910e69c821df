"""recognize_number / recognize_number_strokes: numbers composed from real
recorded pen digits (one writer's), segmented and read; bad input refused or
answered in bounded time."""

import time

import numpy as np
import pytest

from pydigit import EmptyDrawing, NumberPrediction, Prediction, pen, recognize, recognize_number
from pydigit.components import ink_runs, label_runs
from pydigit.number import DigitMemo, recognize_number_strokes
from pydigit.recognize import bundled_model
from pydigit.recognize import recognize_strokes
from pydigit.strokes import MAX_STROKES, render_ink
from pydigit.trajectory import FEATURES, combine, trajectory_features
from train.numbers_eval import compose, pad_pixels
from train.pendigits import load_pendigits, to_pad

WRITER = 5  # every one of their recorded digits is read right on its own
PX = 1 / pen.CANVAS_SIZE
SPACED, CLOSE, TOUCHING = 0.25, 4 * PX, -4 * PX  # ink gaps, pad heights


@pytest.fixture(scope="module")
def mine():
    return [d for d in load_pendigits() if d.writer == WRITER]


def first(digits, label, strokes=None):
    """The writer's first ``label`` (drawn with ``strokes`` strokes, if given)."""
    return next(d for d in digits if d.label == label and (strokes is None or len(d.strokes) == strokes))


def number(digits, labels, gap, seed=0, **by_label):
    """-> (strokes in pad heights, aspect) of the writer's digits ``labels``, ``gap`` apart."""
    chosen = [first(digits, int(c), by_label.get(f"strokes{c}")) for c in labels]
    return compose(chosen, np.full(len(chosen) - 1, gap), np.random.default_rng(seed))


def read_both(strokes, aspect):
    return (recognize_number_strokes(strokes, aspect=aspect),
            recognize_number(pad_pixels(strokes, aspect)))


@pytest.mark.parametrize("labels", ["47", "305", "918273"])
def test_spaced_numbers_of_two_three_six_digits(mine, labels):
    strokes, aspect = number(mine, labels, SPACED)
    for answer in read_both(strokes, aspect):
        assert isinstance(answer, NumberPrediction)
        assert answer.text == labels
        assert len(answer.digits) == len(answer.boxes) == len(labels)
        assert all(isinstance(p, Prediction) and p.input28.shape == (28, 28) for p in answer.digits)
        lefts = [box[2] for box in answer.boxes]
        assert lefts == sorted(lefts)
        for (top, bottom, left, right) in answer.boxes:
            assert top < bottom and left < right


def test_boxes_are_where_the_digits_are(mine):
    strokes, aspect = number(mine, "305", SPACED)
    image = pad_pixels(strokes, aspect)
    answer = recognize_number(image)
    covered = np.zeros(image.shape, bool)
    for t, b, l, r in answer.boxes:
        covered[t:b, l:r] = True
    assert (covered | (image < 0.1)).all()  # every pixel of ink (not the faint edge) is in a box
    on_pad = recognize_number_strokes(strokes, aspect=aspect)
    for (t, b, l, r), (pt, pb, pl, pr) in zip(answer.boxes, on_pad.boxes):
        assert abs(t - pt * pen.CANVAS_SIZE) <= 2 and abs(l - pl * pen.CANVAS_SIZE) <= 2
        assert abs(b - pb * pen.CANVAS_SIZE) <= 2 and abs(r - pr * pen.CANVAS_SIZE) <= 2


def test_a_five_and_a_seven_of_two_strokes_stay_one_digit(mine):
    strokes, aspect = number(mine, "57", CLOSE, strokes5=2, strokes7=2)
    assert len(strokes) == 4
    for answer in read_both(strokes, aspect):
        assert answer.text == "57"


def test_a_detached_stroke_end_stays_with_its_digit(mine):
    strokes, aspect = number(mine, "35", SPACED)
    dot = strokes[0][-1:] + np.array([0.02, 0.0])  # a dot just past the '3''s last point
    for answer in read_both([*strokes, dot], aspect):
        assert answer.text == "35"


@pytest.mark.parametrize("labels", ["00", "11"])
def test_touching_digits_from_separate_strokes_split(mine, labels):
    strokes, aspect = number(mine, labels, TOUCHING)
    image = pad_pixels(strokes, aspect)
    if labels == "00":  # the ink really touches: one component for the image path
        assert (image[:, image.shape[1] // 2 - 30:image.shape[1] // 2 + 30] > 0.5).any(axis=0).all()
    assert recognize_number_strokes(strokes, aspect=aspect).text == labels


def test_touching_zeros_split_from_pixels_alone(mine):
    strokes, aspect = number(mine, "00", TOUCHING)
    assert recognize_number(pad_pixels(strokes, aspect)).text == "00"


def test_a_four_whose_strokes_do_not_overlap_stays_one_digit(mine):
    four = first(mine, 4, strokes=2)
    arm, upright = sorted(four.strokes, key=lambda s: s[:, 1].max())  # y down: the arm ends higher
    # The upright moved right until it clears the arm by a hair, as many write a '4'.
    clear = arm[:, 0].max() - upright[:, 0].min() + 0.02 * np.ptp(np.concatenate(four.strokes)[:, 1])
    apart = four._replace(strokes=[arm, upright + np.array([clear, 0], np.float32)])
    chosen = [first(mine, 1), apart, first(mine, 7)]
    strokes, aspect = compose(chosen, np.full(2, SPACED), np.random.default_rng(0))
    for answer in read_both(strokes, aspect):
        assert answer.text == "147"


@pytest.mark.parametrize("labels", ["10", "01", "21"])
def test_a_one_next_to_a_wide_digit(mine, labels):
    strokes, aspect = number(mine, labels, CLOSE)
    for answer in read_both(strokes, aspect):
        assert answer.text == labels


def test_a_very_small_digit_is_still_a_digit(mine):
    chosen = [first(mine, 3), first(mine, 8), first(mine, 5)]
    strokes, aspect = compose(chosen, np.full(2, SPACED), np.random.default_rng(0))
    small = [s for s in strokes if s is not None]
    # The '8' shrunk to 40% of its height about its bottom, as one writes a small digit.
    counts = np.cumsum([len(d.strokes) for d in chosen])
    eight = small[counts[0]:counts[1]]
    bottom_left = np.concatenate(eight).min(axis=0) * [1, 0] + np.concatenate(eight).max(axis=0) * [0, 1]
    small[counts[0]:counts[1]] = [(s - bottom_left) * 0.4 + bottom_left for s in eight]
    for answer in read_both(small, aspect):
        assert answer.text == "385"
        heights = [b - t for t, b, _, _ in answer.boxes]
        assert heights[1] < 0.6 * min(heights[0], heights[2])


# --- the memo: live drawing ---------------------------------------------------

def drawn_point_by_point(strokes, step=5):
    """The drawings a pad sends while ``strokes`` are drawn: after every
    ``step`` points, each a list of strokes so far."""
    for k, stroke in enumerate(strokes):
        for n in [*range(step, len(stroke), step), len(stroke)]:
            yield [*strokes[:k], stroke[:n]]


def assert_same(answer, expected):
    assert answer.text == expected.text and answer.boxes == expected.boxes
    for got, want in zip(answer.digits, expected.digits):
        np.testing.assert_array_equal(got.probabilities, want.probabilities)
        np.testing.assert_array_equal(got.input28, want.input28)


def test_a_memo_changes_nothing_and_reads_only_what_changed(mine, monkeypatch):
    model = bundled_model("cnn")
    strokes, aspect = number(mine, "3057", CLOSE, strokes5=2, strokes7=2)
    memo, rows = DigitMemo(), []
    forward = model.predict_proba
    monkeypatch.setattr(model, "predict_proba", lambda x: rows.append(len(x)) or forward(x))
    for drawing in drawn_point_by_point(strokes):
        rows.clear()
        answer = recognize_number_strokes(drawing, model, aspect=aspect, memo=memo)
        read = sum(rows)
        assert_same(answer, recognize_number_strokes(drawing, model, aspect=aspect))
        if len(drawing) > 1:  # strokes done: only the group being drawn is read, alone and with a neighbour
            assert read <= 3
    assert answer.text == "3057"
    assert len(memo.entries) <= memo.size


def test_a_small_memo_and_another_model_change_nothing(mine):
    strokes, aspect = number(mine, "918", SPACED)
    memo = DigitMemo(size=2)
    for model in ("mlp", "cnn", "mlp"):
        for drawing in list(drawn_point_by_point(strokes, step=20))[-6:]:
            answer = recognize_number_strokes(drawing, model, aspect=aspect, memo=memo)
            assert_same(answer, recognize_number_strokes(drawing, model, aspect=aspect))
            assert len(memo.entries) <= 2
    assert memo.models[0] is bundled_model("mlp") and memo.models[1] is bundled_model("trajectory")
    with pytest.raises(ValueError):  # what it keeps is not for changing
        answer.digits[0].probabilities[0] = 1


# --- one digit: what recognize says -----------------------------------------

def test_one_digit_reads_as_recognize_and_recognize_strokes(mine):
    for digit in [first(mine, k) for k in range(10)]:
        strokes = to_pad(digit.strokes)
        single = recognize_strokes(strokes)
        vote = bundled_model("trajectory").predict_proba(trajectory_features(digit.strokes)[None])[0]
        for aspect in (1.0, 4.0):  # the square pad, or the left of a number pad
            answer = recognize_number_strokes(strokes, aspect=aspect, trajectory=None)
            assert answer.text == str(single.digit) == str(digit.label)
            np.testing.assert_array_equal(answer.digits[0].input28, single.input28)
            np.testing.assert_array_equal(answer.digits[0].probabilities, single.probabilities)
            # With the trajectory network (the default), its vote times the image network's.
            voted = recognize_number_strokes(strokes, aspect=aspect)
            assert voted.text == str(digit.label)
            np.testing.assert_allclose(voted.digits[0].probabilities, combine(single.probabilities, vote),
                                       rtol=1e-4, atol=1e-7)
        image = render_ink(strokes)
        answer, alone = recognize_number(image), recognize(image)
        assert answer.text == str(alone.digit)
        np.testing.assert_array_equal(answer.digits[0].input28, alone.input28)
        np.testing.assert_array_equal(answer.digits[0].probabilities, alone.probabilities)
        assert answer.boxes == [(0, image.shape[0], 0, image.shape[1])] or answer.boxes[0][0] >= 0


def test_each_network_must_read_what_it_is_given(mine):
    strokes, aspect = number(mine, "12", SPACED)
    with pytest.raises(ValueError, match=rf"reads inputs of shape \({FEATURES},\), not a 28x28 image"):
        recognize_number_strokes(strokes, "trajectory", aspect=aspect)
    with pytest.raises(ValueError, match="not trajectory features"):
        recognize_number_strokes(strokes, aspect=aspect, trajectory="cnn")
    with pytest.raises(ValueError, match="not a 28x28 image"):
        recognize(render_ink(to_pad(first(mine, 1).strokes)), "trajectory")


def test_uint8_image_reads_the_same(mine):
    strokes, aspect = number(mine, "305", SPACED)
    image = pad_pixels(strokes, aspect)
    assert recognize_number((image * 255 + 0.5).astype(np.uint8)).text == "305"


# --- nothing, or too much -----------------------------------------------------

def test_empty_drawings_raise_empty_drawing():
    with pytest.raises(EmptyDrawing):
        recognize_number(np.zeros((140, 560), np.float32))
    with pytest.raises(EmptyDrawing):
        recognize_number(np.zeros((140, 560), np.uint8))
    with pytest.raises(EmptyDrawing):
        recognize_number_strokes([])
    with pytest.raises(EmptyDrawing):  # every stroke off the pad
        recognize_number_strokes([np.array([[5.0, 0.5], [5.5, 0.5]])], aspect=4)


@pytest.mark.parametrize("strokes, message", [
    ([[(0.1, float("nan"))]], "NaN"),
    ([[(0.1, 1e6)]], "off the pad"),
    ([[(0.1, 0.1)]] * (MAX_STROKES + 1), "strokes"),
    ("1234", "stroke 0"),
])
def test_strokes_that_are_not_a_drawing_raise_value_error(strokes, message):
    with pytest.raises(ValueError, match=message):
        recognize_number_strokes(strokes)


@pytest.mark.parametrize("aspect", [0, -1, 1000, float("nan")])
def test_an_impossible_pad_raises_value_error(aspect):
    with pytest.raises(ValueError, match="aspect"):
        recognize_number_strokes([[(0.1, 0.1), (0.2, 0.5)]], aspect=aspect)


def answer_or_value_error(read, bound_s):
    started = time.perf_counter()
    try:
        answer = read()
    except ValueError as error:
        answer = error
    assert time.perf_counter() - started < bound_s
    return answer


def test_hundreds_of_marks_are_answered_or_refused_in_bounded_time():
    image = np.zeros((140, 1400), np.float32)
    image[20:120:6, 10:1390:6] = 1.0  # 17 x 230 dots
    outcome = answer_or_value_error(lambda: recognize_number(image), 2.0)
    assert isinstance(outcome, ValueError) and "marks" in str(outcome)
    dots = [[(x, y)] for x in np.linspace(0.1, 3.9, 40) for y in np.linspace(0.2, 0.8, 10)]
    outcome = answer_or_value_error(lambda: recognize_number_strokes(dots, aspect=4), 2.0)
    assert isinstance(outcome, ValueError)


def test_dust_around_a_number_is_answered(mine):
    strokes, aspect = number(mine, "47", SPACED)
    image = pad_pixels(strokes, aspect)
    rng = np.random.default_rng(0)
    image[rng.integers(0, 140, 300), rng.integers(0, image.shape[1], 300)] = 1.0  # 300 one-pixel specks
    outcome = answer_or_value_error(lambda: recognize_number(image), 2.0)
    assert isinstance(outcome, (NumberPrediction, ValueError))


def test_very_wide_drawings_are_answered_or_refused_in_bounded_time():
    line = np.zeros((60, 60_000), np.float32)
    line[28:32, 5:-5] = 1.0  # one stroke 1000 times as wide as tall
    outcome = answer_or_value_error(lambda: recognize_number(line), 2.0)
    assert isinstance(outcome, (NumberPrediction, ValueError))
    if isinstance(outcome, NumberPrediction):
        assert len(outcome.digits) <= 12
    zigzag = [np.stack([np.linspace(0.05, 15.9, 400), np.tile([0.2, 0.8], 200)], axis=1)]
    outcome = answer_or_value_error(lambda: recognize_number_strokes(zigzag, aspect=16), 2.0)
    assert isinstance(outcome, (NumberPrediction, ValueError))
    with pytest.raises(ValueError, match="pixels"):
        recognize_number(np.zeros((3000, 3000), np.uint8))


# --- the components, against a flood fill -------------------------------------

def flood_fill_count(binary):
    """Components of ``binary``, 8-connected, by breadth-first search: the definition."""
    seen, count = np.zeros_like(binary), 0
    for start in zip(*np.nonzero(binary)):
        if seen[start]:
            continue
        count += 1
        frontier = [start]
        seen[start] = True
        while frontier:
            r, c = frontier.pop()
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < binary.shape[0] and 0 <= cc < binary.shape[1] and binary[rr, cc] and not seen[rr, cc]:
                        seen[rr, cc] = True
                        frontier.append((rr, cc))
    return count


@pytest.mark.parametrize("seed", range(5))
def test_run_labels_are_the_eight_connected_components(seed):
    rng = np.random.default_rng(seed)
    binary = rng.random((40, 50)) < 0.3 + 0.05 * seed
    rows, starts, ends = ink_runs(binary)
    labels, count = label_runs(rows, starts, ends, binary.shape[1])
    assert count == flood_fill_count(binary)
    painted = np.full(binary.shape, -1)
    for r, s, e, label in zip(rows, starts, ends, labels):
        painted[r, s:e] = label
    assert ((painted >= 0) == binary).all()
    # Touching pixels (8 neighbours) share a label.
    for dr, dc in ((0, 1), (1, -1), (1, 0), (1, 1)):
        a = painted[max(0, -dr):painted.shape[0] - max(0, dr), max(0, -dc):painted.shape[1] - max(0, dc)]
        b = painted[max(0, dr):, max(0, dc):][:a.shape[0], :a.shape[1]]
        both = (a >= 0) & (b >= 0)
        assert (a[both] == b[both]).all()


def test_the_trajectory_network_gets_a_pairs_strokes_in_the_order_they_were_drawn(monkeypatch):
    # A '4' in two strokes side by side: its upright first, then the arm to
    # its left, hanging above the upright's foot. The pair reads left to
    # right, arm then upright; the trajectory network must see them drawn.
    upright = np.array([(0.60, 0.15), (0.60, 0.85)])
    arm = np.array([(0.30, 0.15), (0.30, 0.55), (0.55, 0.55)])
    seen = []

    def spy(strokes):
        seen.append([np.asarray(s).tolist() for s in strokes])
        return trajectory_features(strokes)

    monkeypatch.setattr("pydigit.reading.trajectory_features", spy)
    recognize_number_strokes([upright, arm], aspect=4.0)
    assert [upright.tolist(), arm.tolist()] in seen  # the pair, as drawn
    assert [arm.tolist(), upright.tolist()] not in seen
