"""Reading a line of candidate digits (pydigit.reading): the memo, and the
best reading chosen from readings made up by hand."""

import numpy as np

from pydigit.grouping import Line
from pydigit.reading import DigitMemo, best_reading


def probabilities(digit, confidence):
    row = np.full(10, (1 - confidence) / 9, np.float32)
    row[digit] = confidence
    return row


def two_groups(alone, together):
    """Two neighbours that may be one digit, each read alone with
    ``alone`` confidence, read as one with ``together`` -> best_reading's digits."""
    line = Line(groups=[np.array([0]), np.array([1])], maybe_one=np.array([True]),
                hanging=np.zeros(2, bool), spans=np.array([[0.0, 0.35], [0.4, 0.75]]), height=1.0)
    readings = {("whole", "a"): ("stages a", probabilities(1, alone)),
                ("whole", "b"): ("stages b", probabilities(7, alone)),
                ("whole", "ab"): ("stages ab", probabilities(4, together))}
    keys = [(("whole", "a"), None, ("whole", "ab")), (("whole", "b"), None, None)]
    return best_reading(line, readings, keys)


def test_two_sure_digits_stay_two():
    digits = two_groups(alone=0.99, together=0.6)
    assert [int(row.argmax()) for *_, row in digits] == [1, 7]
    assert [pieces.tolist() for pieces, *_ in digits] == [[0], [1]]


def test_two_unsure_halves_of_one_sure_digit_are_one():
    digits = two_groups(alone=0.4, together=0.99)
    assert [int(row.argmax()) for *_, row in digits] == [4]
    assert digits[0][0].tolist() == [0, 1] and digits[0][2] == "stages ab"


def test_the_memo_keeps_the_most_recently_used_and_starts_over_for_another_model():
    memo, model, other = DigitMemo(size=2), object(), object()
    memo.put(model, "a", 1)
    memo.put(model, "b", 2)
    assert memo.get(model, "a") == 1  # now the most recently used
    memo.put(model, "c", 3)
    assert memo.get(model, "b") is None and memo.get(model, "a") == 1 and memo.get(model, "c") == 3
    assert memo.get(other, "a") is None
    assert memo.get(model, "a") is None  # asked for another model, it started over


def test_the_memo_starts_over_when_the_trajectory_network_changes():
    memo, model, voter, other_voter = DigitMemo(), object(), object(), object()
    memo.put((model, voter), "a", 1)
    assert memo.get((model, voter), "a") == 1
    assert memo.get((model, other_voter), "a") is None
    memo.put((model, other_voter), "a", 2)
    assert memo.get((model,), "a") is None  # the image network alone is another reading too
