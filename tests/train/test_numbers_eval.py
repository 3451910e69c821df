"""The numbers evaluation on a few numbers: every figure there, sane and seeded."""

import numpy as np
import pytest

from train import numbers_eval as ne


@pytest.fixture(scope="module")
def result():
    return ne.evaluate(count=4, progress=lambda line: None, trajectory_epochs=1)


def test_every_class_and_path_has_its_figures(result):
    assert set(result["classes"]) == set(ne.SPACINGS)
    for paths in result["classes"].values():
        assert set(paths) == {"strokes", "strokes_image_only", "image"}
        for figures in paths.values():
            assert figures["numbers"] == 4 and 8 <= figures["digits"] <= 24
            for key in ("whole_number", "per_digit", "digit_count", "single_digit",
                        "whole_number_if_read_singly", "same_as_singly"):
                assert 0 <= figures[key] <= 1
            assert figures["whole_number"] <= figures["per_digit"] + 1e-9 or figures["whole_number"] == 1
    assert set(result["timing_ms"]) == {"strokes", "strokes_image_only", "image"}
    assert result["trajectory_folds"] == 5


def test_numbers_are_seeded_and_one_writer_each():
    digits = ne.load_pendigits()
    first, again = (ne.make_numbers(digits, 5, "close", seed=3) for _ in range(2))
    for (a, strokes_a, aspect_a), (b, strokes_b, aspect_b) in zip(first, again):
        assert (a == b).all() and aspect_a == aspect_b
        assert all(np.array_equal(x, y) for x, y in zip(strokes_a, strokes_b))
        assert len({digits[i].writer for i in a}) == 1 and 2 <= len(a) <= 6


def test_each_number_is_read_by_a_trajectory_network_that_never_saw_its_writer():
    digits = ne.load_pendigits()
    trajectories = ne.fold_models(digits, epochs=1)
    for number in ne.make_numbers(digits, 20, "spaced", seed=4):
        network = ne.unseen_writers_network(number, digits, trajectories)
        assert digits[number[0][0]].writer not in network.meta["training"]["writers"]


def test_edit_distance():
    assert ne.edit_distance("1234", "1234") == 0
    assert ne.edit_distance("1234", "124") == 1
    assert ne.edit_distance("", "12") == 2
    assert ne.edit_distance("1111", "2222") == 4
