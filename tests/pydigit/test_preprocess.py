"""Preprocessing: from a 280x280 canvas to the 28x28 MNIST-like input.

Drawings are made from real MNIST test digits (``draw`` in conftest scales a
digit's ink smoothly onto the canvas at any size and fractional position), so
the expected result is known: the same digit, whatever its size and place.
"""

import itertools

import numpy as np
import pytest

from pydigit import EmptyDrawing, preprocess, preprocess_stages
from pydigit.preprocess import BOX, FIELD, MNIST_CENTRE_OF_MASS, centre_of_mass

# No step may warn (a RuntimeWarning would mean a division by zero or a NaN
# somewhere): every warning in this module is an error.
pytestmark = pytest.mark.filterwarnings("error")

CANVAS = 280
SIZES = (60, 130, 230)  # longer side of the drawn digit, canvas px: small, medium, nearly full


def placements(extent):
    """Top-left corners for a drawing of (height, width): near the top-left
    corner, centred, near the bottom-right corner (fractional on purpose)."""
    h, w = extent
    return {"top-left": (6.3, 9.7), "centre": ((CANVAS - h) / 2, (CANVAS - w) / 2),
            "bottom-right": (CANVAS - h - 5.4, CANVAS - w - 7.1)}


def aligned_difference(a, b):
    """Mean absolute difference after the best whole-pixel shift of at most 1 px."""
    return min(np.abs(np.roll(a, (dr, dc), axis=(0, 1)) - b).mean()
               for dr in (-1, 0, 1) for dc in (-1, 0, 1))


def assert_valid_input(image):
    assert image.shape == (FIELD, FIELD)
    assert image.dtype == np.float32
    assert np.isfinite(image).all()
    assert image.min() >= 0.0 and image.max() <= 1.0
    assert image.max() == pytest.approx(1.0)  # the brightest pixel is full ink


@pytest.fixture(scope="module")
def renderings(one_of_each_digit, draw, extent):
    """{digit label: {(size, place): 28x28 output}} for 3 sizes x 3 places."""
    images, labels = one_of_each_digit
    result = {}
    for image, label in zip(images, labels):
        outputs = {}
        for size in SIZES:
            for place, top_left in placements(extent(image, size)).items():
                canvas = draw(image, size, top_left)
                assert canvas.max() > 200, "the drawing is on the canvas"
                outputs[size, place] = preprocess(canvas)
        result[int(label)] = outputs
    return result


def test_same_digit_at_any_size_and_position_gives_nearly_the_same_input(renderings):
    # Tolerances, measured on 300 MNIST test digits drawn this way (3 sizes x 3
    # places, all 36 pairs each):
    # * Mean absolute difference (pixels 0..1) after the best shift of at most
    #   one pixel: at most 0.039. The centring moves ink by whole pixels, so a
    #   centre of mass near a half pixel can round either way, and the 20 px box
    #   can come out a pixel smaller in its short side; what remains is the blur
    #   of resampling. Bound 0.05: different people's drawings of the same
    #   digit differ by 0.126 (median) on the same measure.
    # * Without the shift allowance: at most 0.089 (a one-pixel shift of a whole
    #   digit); bound 0.1, against ~0.16 between two different MNIST digits.
    for label, outputs in renderings.items():
        for (key_a, a), (key_b, b) in itertools.combinations(outputs.items(), 2):
            assert aligned_difference(a, b) < 0.05, (label, key_a, key_b)
            assert np.abs(a - b).mean() < 0.1, (label, key_a, key_b)


def test_a_drawn_mnist_digit_comes_back_as_itself(renderings, one_of_each_digit):
    # MNIST was made by the same steps, so drawing a digit large and
    # preprocessing it gives back (nearly) the original: measured at most 0.055
    # on average over the 9 drawings of each of 300 digits, same measure as above.
    images, labels = one_of_each_digit
    for image, label in zip(images, labels):
        differences = [aligned_difference(out, image / 255.0)
                       for out in renderings[int(label)].values()]
        assert np.mean(differences) < 0.07, (label, differences)


def test_outputs_are_valid_and_centred(renderings):
    for outputs in renderings.values():
        for key, out in outputs.items():
            assert_valid_input(out)
            row, col = centre_of_mass(out)
            # A whole-pixel shift: at most half a pixel off (+ float32 rounding).
            assert abs(row - 14) <= 0.5 + 1e-4 and abs(col - 14) <= 0.5 + 1e-4, (key, row, col)


def test_the_target_centre_is_mnists_own(mnist_test):
    """MNIST_CENTRE_OF_MASS is where the real test digits have theirs, on average."""
    centres = np.array([centre_of_mass(image.astype(np.float32)) for image in mnist_test[0]])
    assert np.abs(centres.mean(axis=0) - MNIST_CENTRE_OF_MASS).max() < 0.05


def test_centre_of_mass_of_ordinary_digits(mnist_test, draw, extent):
    images = mnist_test[0][:150]
    for i, image in enumerate(images):
        size = (70, 150, 220)[i % 3]
        h, w = extent(image, size)
        out = preprocess(draw(image, size, ((CANVAS - h) / 3, (CANVAS - w) / 2)))
        row, col = centre_of_mass(out)
        assert abs(row - 14) <= 0.5 + 1e-4 and abs(col - 14) <= 0.5 + 1e-4, (i, row, col)


def test_stages(one_of_each_digit, draw):
    image = one_of_each_digit[0][3]
    canvas = draw(image, 130, (40, 50))
    stages = preprocess_stages(canvas)
    rows = np.flatnonzero((canvas >= 0.1 * canvas.max()).any(axis=1))
    cols = np.flatnonzero((canvas >= 0.1 * canvas.max()).any(axis=0))
    crop = canvas[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    np.testing.assert_array_equal(stages.cropped, crop / np.float32(255))
    assert max(stages.scaled.shape) == BOX
    np.testing.assert_array_equal(stages.centred, preprocess(canvas))
    # The centred image is the scaled box, pasted whole.
    assert stages.centred.sum() == pytest.approx(stages.scaled.sum(), rel=1e-6)


@pytest.mark.parametrize("height, width", [(120, 60), (60, 120), (200, 100), (90, 45),
                                           (201, 100), (37, 74), (250, 125)])
def test_aspect_ratio_is_kept(height, width):
    for filled in (True, False):
        canvas = np.zeros((CANVAS, CANVAS), np.uint8)
        canvas[15:15 + height, 20:20 + width] = 255
        if not filled:  # an outline, 3 px wide
            canvas[18:12 + height, 23:17 + width] = 0
        stages = preprocess_stages(canvas)
        assert stages.cropped.shape == (height, width)
        long_side, short_side = max(stages.scaled.shape), min(stages.scaled.shape)
        assert long_side == BOX
        assert abs(short_side - BOX / 2) <= 1  # 2:1 within a pixel
        assert (stages.scaled.shape[0] > stages.scaled.shape[1]) == (height > width)
        assert_valid_input(stages.centred)


def test_exact_two_to_one_rectangle_gives_20_by_10():
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    canvas[100:200, 30:80] = 1.0
    stages = preprocess_stages(canvas)
    assert stages.scaled.shape == (20, 10)
    np.testing.assert_allclose(stages.scaled, 1.0, rtol=1e-6)
    assert stages.centred.sum() == pytest.approx(200, rel=1e-5)


@pytest.mark.parametrize("canvas", [
    np.zeros((CANVAS, CANVAS), np.uint8),
    np.zeros((CANVAS, CANVAS), np.float32),
    np.zeros((CANVAS, CANVAS), np.float64),
    np.zeros((CANVAS, CANVAS, 1), np.uint8),
    np.full((CANVAS, CANVAS), 5e-4),  # below any visible ink
], ids=["uint8", "float32", "float64", "uint8-HxWx1", "faint-noise"])
def test_empty_canvas_raises_empty_drawing(canvas):
    with pytest.raises(EmptyDrawing, match="empty"):
        preprocess(canvas)
    with pytest.raises(EmptyDrawing):
        preprocess_stages(canvas)


def disk(radius, centre=(140, 140), value=255):
    rr, cc = np.mgrid[:CANVAS, :CANVAS]
    canvas = np.zeros((CANVAS, CANVAS), np.uint8)
    canvas[(rr - centre[0]) ** 2 + (cc - centre[1]) ** 2 <= radius ** 2] = value
    return canvas


def single_pixel():
    canvas = np.zeros((CANVAS, CANVAS), np.uint8)
    canvas[140, 141] = 255
    return canvas


def faint_thin_line():
    """A 1 px diagonal line, faint, with fainter anti-aliasing either side."""
    canvas = np.zeros((CANVAS, CANVAS), np.uint8)
    i = np.arange(40, 240)
    canvas[i, i // 3 + 90] = 40
    canvas[i, i // 3 + 89] = 12
    canvas[i, i // 3 + 91] = 12
    return canvas


def very_thick_stroke():
    """A '7' drawn with a 70 px pen."""
    canvas = np.zeros((CANVAS, CANVAS), np.uint8)
    canvas[20:90, 30:250] = 255
    for row in range(20, 270):
        col = int(250 - (row - 20) * 0.6)
        canvas[row, max(col - 70, 0):col] = 255
    return canvas


def touching_the_border(one_digit, draw):
    """A digit drawn partly off the canvas, plus a stroke along the left edge."""
    canvas = draw(one_digit, 300, (-40.0, -25.0))
    canvas[:, 0:3] = 255
    return canvas


def wide_one():
    canvas = np.zeros((CANVAS, CANVAS), np.uint8)
    canvas[138:142, 5:275] = 255  # 4 x 270
    return canvas


def tall_thin_one():
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    canvas[10:270, 150] = 1.0    # 260 x 1, one pixel of full ink
    canvas[10:270, 151] = 0.3    # and an anti-aliased neighbour
    return canvas


ODD_DRAWINGS = {
    "single pixel": lambda *_: single_pixel(),
    "pen dot": lambda *_: disk(9),
    "faint thin line": lambda *_: faint_thin_line(),
    "very thick stroke": lambda *_: very_thick_stroke(),
    "huge blob": lambda *_: disk(200),
    "full canvas": lambda *_: np.full((CANVAS, CANVAS), 255, np.uint8),
    "touching the border": touching_the_border,
    "wide 1": lambda *_: wide_one(),
    "tall thin 1": lambda *_: tall_thin_one(),
}


@pytest.mark.parametrize("name", ODD_DRAWINGS)
def test_odd_drawings_give_a_valid_input_without_warnings(name, one_of_each_digit, draw):
    canvas = ODD_DRAWINGS[name](one_of_each_digit[0][2], draw)
    with np.errstate(all="raise", under="ignore"):
        stages = preprocess_stages(canvas)
    assert_valid_input(stages.centred)
    assert max(stages.scaled.shape) == BOX
    np.testing.assert_array_equal(stages.centred, preprocess(canvas))


def test_thin_bars_keep_their_shape():
    assert preprocess_stages(wide_one()).scaled.shape == (1, 20)  # 4 * 20 / 270 rounds to 0 -> 1
    assert preprocess_stages(tall_thin_one()).scaled.shape == (20, 1)
    # The bar lies across the middle of the field.
    out = preprocess(wide_one())
    assert np.flatnonzero(out.any(axis=1)).tolist() == [14]
    # Its centre of mass, 9.5 in the 20 px box, needs a 4.5 px shift: halves go up.
    assert np.flatnonzero(out.any(axis=0)).tolist() == list(range(5, 25))


def test_faint_and_bold_drawings_of_the_same_shape_give_the_same_input(one_of_each_digit, draw):
    canvas = draw(one_of_each_digit[0][8], 150, (60, 70))
    faint = (canvas.astype(np.float32) * 0.2).astype(np.float32) / 255
    np.testing.assert_allclose(preprocess(faint), preprocess(canvas), atol=1e-5)


def test_uint8_and_float_inputs_give_the_same_result(one_of_each_digit, draw):
    canvas = draw(one_of_each_digit[0][5], 170, (50.5, 60.25))
    expected = preprocess(canvas)
    # x / 255 in float32 or float64 rounds to the same float32: equal up to rounding.
    for variant in (canvas / 255.0, (canvas / 255.0).astype(np.float32),
                    canvas.astype(np.float32) / 255, canvas[:, :, None]):
        np.testing.assert_allclose(preprocess(variant), expected, atol=1e-6)
    stages_u8, stages_f = preprocess_stages(canvas), preprocess_stages(canvas / 255.0)
    assert stages_u8.scaled.shape == stages_f.scaled.shape


@pytest.mark.parametrize("peak", [70, 130, 200, 255])
def test_faint_fringe_counts_from_a_tenth_of_the_peak(peak):
    """A pixel with exactly a tenth of the brightest one's ink stretches the
    bounding box; one level less does not (a canvas's anti-aliased fringe)."""
    def box_width(image):
        return preprocess_stages(image).cropped.shape[1]
    canvas = np.zeros((60, 60), np.uint8)
    canvas[20:40, 20:30] = peak
    at_tenth, below = canvas.copy(), canvas.copy()
    at_tenth[30, 40] = -(-peak // 10)   # ceil(peak / 10)
    below[30, 40] = -(-peak // 10) - 1
    assert box_width(canvas) == 10
    assert box_width(at_tenth) == 21
    assert box_width(below) == 10


@pytest.mark.parametrize("bad", [
    np.zeros((CANVAS, CANVAS, 3), np.uint8),
    np.zeros((CANVAS, CANVAS, 4), np.uint8),
    np.zeros(CANVAS, np.uint8),
    np.zeros((2, CANVAS, CANVAS), np.float32),
    np.zeros((0, 0), np.float32),
    np.float32(0.5),
], ids=["rgb", "rgba", "1-D", "batch", "empty-shape", "scalar"])
def test_not_a_2d_image_raises_value_error(bad):
    with pytest.raises(ValueError, match="2-D image") as error:
        preprocess(bad)
    assert not isinstance(error.value, EmptyDrawing)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_nan_or_infinity_raises_value_error(value):
    canvas = disk(30).astype(np.float32) / 255
    canvas[5, 7] = value
    with pytest.raises(ValueError, match="NaN or infinity") as error:
        preprocess(canvas)
    assert not isinstance(error.value, EmptyDrawing)
