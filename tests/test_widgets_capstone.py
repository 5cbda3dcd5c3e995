"""Tests of dlnotes.book.widgets.ch09_capstone (Chapter 9): the browser of the misclassified test digits."""

import numpy as np
import pytest

from dlnotes.book.experiments.ch09_capstone import FinalTest
from dlnotes.book.plot import style
from dlnotes.book.widgets._frames import render_frames
from dlnotes.book.widgets.ch09_capstone import MistakeBrowser

PNG = b"\x89PNG\r\n\x1a\n"


def result():
    """Six test digits, three of them wrong (rows 1, 3 and 4), with made-up probabilities."""
    true = np.array([0, 1, 2, 3, 4, 5])
    predicted = np.array([0, 7, 2, 8, 9, 5])
    probabilities = np.full((6, 10), 0.01)
    probabilities[np.arange(6), predicted] = 0.6
    probabilities[np.arange(6), true] += 0.3
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (true, predicted), 1)
    return FinalTest(0.5, 1.0, probabilities, predicted, true, confusion)


def images():
    return np.arange(6 * 64, dtype=float).reshape(6, 64) % 17


def test_default_shows_the_first_mistake():
    fig = MistakeBrowser(images(), result())
    assert fig.values == {"mistake": 1}
    np.testing.assert_array_equal(fig.image.get_array(), images()[1].reshape(8, 8))
    assert fig.title.get_text() == "true 1, predicted 7"
    assert "mistake 1 of 3" in fig.note.get_text()
    assert fig.png().startswith(PNG)


@pytest.mark.parametrize(("mistake", "row", "true", "predicted"), [(1, 1, 1, 7), (2, 3, 3, 8), (3, 4, 4, 9)])
def test_every_mistake_changes_image_bars_and_colours(mistake, row, true, predicted):
    fig = MistakeBrowser(images(), result())
    fig.update(mistake=mistake)
    np.testing.assert_array_equal(fig.image.get_array(), images()[row].reshape(8, 8))
    np.testing.assert_allclose([bar.get_height() for bar in fig.bars], result().probabilities[row])
    colours = [bar.get_facecolor() for bar in fig.bars]
    assert colours[predicted] != colours[true] != colours[(true + 1) % 10 if (true + 1) % 10 != predicted else 0]
    from matplotlib.colors import to_rgba
    assert colours[predicted] == to_rgba(style("validation")["color"]) and colours[true] == to_rgba(style("train")["color"])
    assert fig.title.get_text() == f"true {true}, predicted {predicted}"
    assert f"mistake {mistake} of 3" in fig.note.get_text()
    assert fig.labels["true"].get_position()[0] == true and fig.labels["predicted"].get_position()[0] == predicted
    assert fig.labels["predicted"].get_position()[1] > result().probabilities[row, predicted]
    assert fig.png().startswith(PNG)


def test_the_slider_covers_every_mistake():
    # the speed of a move is measured by the benchmarks (python -m benchmarks), never asserted in a test
    fig = MistakeBrowser(images(), result())
    slider = fig.controls()["mistake"]
    assert (slider.min, slider.max) == (1, 3)
    first = fig.png()
    for k in (2, 3, 1):
        fig.update(mistake=k)
        fig.png()
    assert fig.png() == first  # back at the first mistake, the same picture
    view = fig.widget()
    assert view is not None


def test_bad_input():
    with pytest.raises(ValueError, match="images"):
        MistakeBrowser(images()[:3], result())
    perfect = result()._replace(predicted=result().true)
    with pytest.raises(ValueError, match="no mistakes"):
        MistakeBrowser(images(), perfect)


def test_the_site_frames_show_every_mistake():
    fig = MistakeBrowser(images(), result())
    frames = render_frames(fig, fig.widget().controls, budget=10**9)
    assert [a.name for a in frames.axes] == ["mistake"] and frames.fixed == []
    assert list(frames.axes[0].values) == [1, 2, 3] and len(set(frames.frames.values())) == 3
