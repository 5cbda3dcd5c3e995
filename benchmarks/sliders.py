"""Slider latency: every interactive figure of the book, every control, at both ends and the middle of its range.

The figures are found, not listed: every subclass of ``InteractiveFigure``
in the widgets package, built with its defaults (or the fixture below when
its constructor needs data), and every control of its widget, at the
control's minimum, middle and maximum (first, middle and last option
of a dropdown; one, half and all options of a multi-select). A new chapter's
figures join by themselves.

A *move* is what a slider move costs in the notebook: the control of the
figure's own widget set to the value, from another value, which runs
``update(name=value)``, the controls' sync and ``png()`` (the redraw and
the PNG encode), headless (Agg). The *anchor*, measured in the same rounds, is what
``ipywidgets.interact`` with the inline backend does instead: build the
figure anew with that value and render it as the inline backend renders
(IPython's ``print_figure``, PNG, ``bbox_inches="tight"``).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import io
import pkgutil
import statistics
import sys

import numpy as np

from .harness import Row, now

#: The package of the book's code (widgets, experiments): the one place that names where they live.
BOOK = "dlnotes.book"
#: Targets: every move, and the median move.
MOVE_LIMIT, MEDIAN_LIMIT = 0.100, 0.030
#: Rounds per move; the anchor (a rebuild, ten times slower) is timed in the first few only.
MOVE_ROUNDS, ANCHOR_ROUNDS = 5, 3


def widgets_package():
    """The package of the interactive figures, ``BOOK.widgets``, with every submodule imported."""
    package = importlib.import_module(f"{BOOK}.widgets")
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    return package


def experiments(chapter: str):
    """The experiments module of a chapter, e.g. ``experiments("ch03_optimization")``."""
    return importlib.import_module(f"{BOOK}.experiments.{chapter}")


def figure_base(package) -> type:
    """``InteractiveFigure``, from the package or, if it does not export it, the submodule that defines it."""
    modules = [package] + [module for name, module in sorted(sys.modules.items())
                           if name.startswith(package.__name__ + ".")]
    for module in modules:
        base = getattr(module, "InteractiveFigure", None)
        if isinstance(base, type):
            return base
    raise LookupError(f"no InteractiveFigure in {package.__name__} or its submodules")


def figure_classes(base) -> list[type]:
    """Every subclass of ``base``, at any depth, in the order of their modules and names."""
    found, todo = [], list(base.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return sorted(set(found), key=lambda cls: (cls.__module__, cls.__name__))


def learning_rate_sweep() -> dict:
    """Chapter 3's learning-rate sweep, the data of its ``LearningRateExplorer``, built as the chapter builds it."""
    from dlnotes.data import make_moons
    from dlnotes.losses import CrossEntropyLoss

    X, y = make_moons(200, noise=0.2, rng=0)
    mlp = importlib.import_module(f"{BOOK}.experiments").mlp
    return experiments("ch03_optimization").learning_rate_sweep(
        lambda: mlp([2, 16, 2], rng=0), CrossEntropyLoss(), X, y, lrs=np.logspace(-2, 1.5, 11), epochs=20,
        batch_size=40)


def scale_ratio_sweep():
    """Chapter 5's sweep over the features' scale ratio, the data of its ``ScaleRatioExplorer``."""
    return experiments("ch05_preprocessing").scale_ratio_sweep(10 ** (np.arange(13) / 8))


@functools.lru_cache(maxsize=1)
def batchnorm_data() -> dict:
    """Chapter 7's spirals, weight scales, activation histograms and training sweeps, as the chapter builds them.

    The chapter's ``BatchNormTrainingFigure`` shows four seeds stacked (``stack_seeds``), not one sweep.
    """
    from dlnotes.data import make_spirals

    chapter = experiments("ch07_batchnorm")
    X, y = make_spirals(300, noise=0.2, rng=0)
    scales = np.geomspace(0.1, 10, 5)
    sweeps = [chapter.training_sweep(X, y, scales, lr=0.05, momentum=0.9, epochs=20, batch_size=60, rng=seed)
              for seed in range(4)]
    return {"histograms": chapter.activation_histograms(X, scales), "runs": chapter.stack_seeds(sweeps)}


@functools.lru_cache(maxsize=1)
def regularization_data() -> dict:
    """Chapter 8's moons, its unregularized run of 300 epochs and its grid over dropout and weight decay.

    The run is the one the chapter trains with ``LiveLearningCurves(epochs=300, metric_label="accuracy")``
    (its other callbacks only watch); its figure, scrubbed after training, is the ``LearningCurvesFigure``
    that callback builds.
    """
    from dlnotes.data import make_moons, train_test_split
    from dlnotes.losses import CrossEntropyLoss
    from dlnotes.optim import SGD
    from dlnotes.train import fit

    X, y = make_moons(240, noise=0.35, rng=0)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=200, stratify=True, rng=0)
    net = importlib.import_module(f"{BOOK}.experiments").mlp([2, 32, 32, 2], activation="relu", rng=0)
    history = fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=0.1, momentum=0.9), X_train, y_train,
                  epochs=300, batch_size=40, shuffle=False, validation_data=(X_val, y_val), metric="accuracy")
    grid = experiments("ch08_regularization").regularization_grid(
        X_train, y_train, X_val, y_val, dropouts=[0, 0.15, 0.3, 0.45, 0.6, 0.75],
        weight_decays=[0, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2], epochs=300, record_every=10, rng=0)
    return {"history": history, "grid": grid}


@functools.lru_cache(maxsize=1)
def capstone_data() -> dict:
    """Chapter 9's test digits and the final test of its recipe, the data of its ``MistakeBrowser``."""
    from dlnotes.data import load_digits

    chapter = experiments("ch09_capstone")
    split = chapter.split_digits(*load_digits(), rng=0)
    run = chapter.train_recipe(chapter.RECIPE, split, seed=0)
    return {"images": split.X_test, "result": chapter.final_test(run, split)}


#: Constructor arguments of the figures that need data, by class name, as their chapter builds them.
#: A figure whose constructor needs an argument not given here is reported as not measured.
FIXTURES = {
    "LearningRateExplorer": lambda: {"sweep": learning_rate_sweep()},
    "ScaleRatioExplorer": lambda: {"sweep": scale_ratio_sweep()},
    "ActivationHistogramFigure": lambda: {"hist": batchnorm_data()["histograms"]},
    "BatchNormTrainingFigure": lambda: {"sweep": batchnorm_data()["runs"], "target": 0.5},
    "LearningCurvesFigure": lambda: {"history": regularization_data()["history"], "epochs": 300,
                                     "metric_label": "accuracy"},
    "RegularizationExplorer": lambda: {"grid": regularization_data()["grid"]},
    "MistakeBrowser": capstone_data,
}


def required_arguments(cls) -> list[str]:
    """The constructor's parameters that have no default."""
    return [p.name for p in inspect.signature(cls).parameters.values()
            if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def option_values(control) -> list:
    """The values a selection control offers (``options`` holds values or (label, value) pairs)."""
    return [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in control.options]


def snapped(low: float, high: float, step: float) -> float:
    """The middle of ``[low, high]`` on the slider's grid ``low + k step``."""
    return low + round((high - low) / 2 / step) * step


def control_values(control) -> dict[str, object] | None:
    """The control's values at its ends and middle, by label, or ``None`` for a control of unknown kind."""
    kind = type(control).__name__
    if kind == "SelectMultiple":
        values = option_values(control)
        return {"one": tuple(values[:1]), "half": tuple(values[: max(1, len(values) // 2)]), "all": tuple(values)}
    if hasattr(control, "options"):
        values = option_values(control)
        return {"first": values[0], "middle": values[len(values) // 2], "last": values[-1]}
    if kind == "FloatLogSlider":
        base, low, high = control.base, control.min, control.max
        return {"min": base ** low, "middle": base ** snapped(low, high, control.step), "max": base ** high}
    if kind in ("IntSlider", "FloatSlider"):
        middle = snapped(control.min, control.max, control.step)
        return {"min": control.min, "middle": int(middle) if kind == "IntSlider" else middle, "max": control.max}
    if kind in ("Checkbox", "ToggleButton"):
        return {"off": False, "on": True}
    return None


def inline_png(fig) -> bytes:
    """``fig`` rendered as the inline backend renders a figure at the end of an ``interact`` call.

    That is IPython's ``print_figure`` (PNG, ``bbox_inches="tight"``); without
    IPython, the ``savefig`` call it makes.
    """
    try:
        from IPython.core.pylabtools import print_figure
    except ImportError:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()
    return print_figure(fig, fmt="png", bbox_inches="tight")


def show(value) -> str:
    """A short text of a control value for the table."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, tuple):
        return "(" + ", ".join(map(str, value)) + ")"
    return str(value)


def moves_of(fig, view) -> list[tuple[str, str, object, object]]:
    """Every (control, label, value, away) move of the widget ``view`` of ``fig``: ``away`` is where it starts.

    A move starts from the control's default value, or, when that is the
    value itself, from another of the control's values, so that every move
    changes something.
    """
    found = []
    for name, control in view.controls.items():
        values = control_values(control)
        if values is None:
            found.append((name, type(control).__name__, None, None))
            continue
        for label, value in values.items():
            found.append((name, label, value, start_of(value, fig.defaults[name], values.values())))
    return found


def start_of(value, default, values):
    """Where a move to ``value`` starts: ``default``, or, when that is ``value``, another of ``values``."""
    return default if default != value else next((v for v in values if v != value), value)


def move(view, name: str, value) -> None:
    """Move the control ``name`` of ``view`` to ``value``, as the browser does: update, the controls' sync, one PNG."""
    view.controls[name].value = value


def measure(cls, kwargs: dict, quick: bool) -> tuple[list[Row], list[tuple[float, str]], list[str]]:
    """Every control of one figure: rows, (time, what) of each move, and notes on what could not be measured.

    The figure's own widget is built and its controls are moved (their
    ranges as the widget sets them). Each of ``MOVE_ROUNDS`` rounds resets
    the figure, moves to ``away`` and times the move to the value, then (in
    the first ``ANCHOR_ROUNDS``, as a rebuild costs ten times more) times
    the anchor. ``quick`` moves each control once, to its first value only.
    """
    rounds, anchor_rounds = (1, 1) if quick else (MOVE_ROUNDS, ANCHOR_ROUNDS)
    fig = cls(**kwargs)
    view = fig.widget()
    rows, moves, notes, done = [], [], [], set()
    for name, label, value, away in moves_of(fig, view):
        if value is None:
            notes.append(f"{cls.__name__}.{name}: a {label} control, which the benchmark cannot move")
            continue
        if quick and name in done:
            continue
        done.add(name)
        times, anchors = [], []
        for r in range(rounds):
            view.reset.click()
            move(view, name, away)
            start = now()
            move(view, name, value)
            times.append(now() - start)
            if r >= anchor_rounds:
                continue
            start = now()
            fresh = cls(**kwargs)
            fresh.update(**{name: value})
            inline_png(fresh.fig)
            anchors.append(now() - start)
        seconds, anchor = statistics.median(times), statistics.median(anchors)
        what = f"{cls.__name__}: {name} = {show(value)} ({label})"
        moves.append((seconds, what))
        rows.append(Row.limit("slider", what, seconds, MOVE_LIMIT, "rebuilt figure", anchor))
    return rows, moves, notes


def run(quick: bool = False) -> tuple[list[Row], list[str]]:
    package = widgets_package()
    rows, moves, notes = [], [], []
    for cls in figure_classes(figure_base(package)):
        kwargs = FIXTURES[cls.__name__]() if cls.__name__ in FIXTURES else {}
        missing = [name for name in required_arguments(cls) if name not in kwargs]
        if missing:
            notes.append(f"{cls.__name__}: not measured, its constructor needs {missing}; add it to FIXTURES in "
                         f"benchmarks/sliders.py")
            rows.append(Row("slider", f"{cls.__name__}: not measured (needs {missing})", "", met=False))
            continue
        figure_rows, figure_moves, figure_notes = measure(cls, kwargs, quick)
        rows += figure_rows
        moves += figure_moves
        notes += figure_notes
    if moves:
        worst, where = max(moves)
        median = statistics.median(seconds for seconds, _ in moves)
        rows.append(Row.limit("slider", f"median of all {len(moves)} moves", median, MEDIAN_LIMIT))
        rows.append(Row.limit("slider", f"slowest move ({where})", worst, MOVE_LIMIT))
    notes.append(f"Slider moves: the figures of {package.__name__}; each move sets a control of the figure's widget "
                 "(update, the controls' sync, png) from another value, the rebuilt figure is the figure built anew with that value and rendered as the inline "
                 "backend does; medians of " + ("1 round, first value only (quick)" if quick
                                          else f"{MOVE_ROUNDS} moves and {ANCHOR_ROUNDS} rebuilds") + ".")
    return rows, notes
