"""Update + render latency of every chapter's widgets, against rebuilding the figure (not a test).

For each widget and control, the script times ``update(**value)`` followed by
``png()`` (what a slider move costs in the notebook) and, in the same run, the
cost of what ``ipywidgets.interact`` with the inline backend does instead:
build a new widget object with those values and render it. Machines differ and
other processes interfere, so the ratio printed in the last column is the
number to watch: below 1 means the in-place update is faster than a rebuild.
The target for an update is < 100 ms.

Run from the repository root::

    python benchmarks/bench_widgets.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402

from dlnotes.book.experiments import mlp  # noqa: E402
from dlnotes.book.experiments.ch03_optimization import learning_rate_sweep  # noqa: E402
from dlnotes.book.widgets.ch01_activations import DeepStackFigure, ZigzagFigure  # noqa: E402
from dlnotes.book.widgets.ch02_losses import OutlierFitFigure, RegressionLossFigure, SoftmaxFigure  # noqa: E402
from dlnotes.book.widgets.ch03_optimization import LearningRateExplorer  # noqa: E402
from dlnotes.book.widgets.ch04_optimizers import OptimizerExplorer, OptimizerRace  # noqa: E402
from dlnotes.data import make_moons  # noqa: E402
from dlnotes.losses import CrossEntropyLoss  # noqa: E402


def median_ms(fn, repeats: int) -> float:
    """Median wall time of ``fn()`` in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def bench(label: str, make, moves: list[dict], repeats: int) -> None:
    """Time every move as an in-place update + PNG, and as a rebuilt figure + PNG."""
    widget = make()
    widget.png()
    for move in moves:
        state = {"i": 0}
        values = [move, {k: widget.defaults[k] for k in move}]  # alternate, so every update really changes something

        def in_place():
            widget.update(**values[state["i"] % 2])
            widget.png()
            state["i"] += 1

        def rebuilt():
            fresh = make()
            fresh.update(**move)
            fresh.png()

        fast, slow = median_ms(in_place, repeats), median_ms(rebuilt, repeats)
        name = ", ".join(f"{k}={v}" for k, v in move.items())
        print(f"{label:22s} {name:34s} {fast:8.1f} {slow:9.1f} {fast / slow:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats

    X, y = make_moons(200, noise=0.2, rng=0)
    sweep = learning_rate_sweep(lambda: mlp([2, 16, 2], rng=0), CrossEntropyLoss(), X, y,
                                lrs=np.logspace(-2, 1.5, 11), epochs=20, batch_size=40)

    print(f"{'widget':22s} {'move':34s} {'update ms':>8s} {'rebuild ms':>9s} {'ratio':>7s}")
    bench("DeepStackFigure", DeepStackFigure, [{"weight_scale": 5.0}, {"activation": "relu"}], repeats)
    bench("ZigzagFigure", ZigzagFigure, [{"input_mean": 0.0}], repeats)
    bench("RegressionLossFigure", RegressionLossFigure, [{"beta": 2.0}, {"delta": 0.5}], repeats)
    bench("OutlierFitFigure", OutlierFitFigure, [{"outlier_size": 5.0}], repeats)
    bench("SoftmaxFigure", SoftmaxFigure, [{"logit": 4.0}, {"moving": 2}], repeats)
    bench("LearningRateExplorer", lambda: LearningRateExplorer(sweep),
          [{"lr": 0.01}, {"lr": 10.0}], repeats)
    bench("OptimizerExplorer", OptimizerExplorer,
          [{"lr": 0.1}, {"momentum": 0.5}, {"x0": 1.0}, {"steps": 100},
           {"optimizer": "Adam"}, {"surface": "rosenbrock"}], repeats)
    bench("OptimizerRace", OptimizerRace,
          [{"step": 50}, {"lr_scale": 2.0}, {"lr_scale": 10.0}, {"optimizers": ("SGD", "Adam")}, {"surface": "beale"}],
          repeats)


if __name__ == "__main__":
    main()
