"""Where the time of a benchmark goes, function by function (cProfile), for the places that miss a target.

    .venv/bin/python -m benchmarks.profile mlp [--optimizer SGD] [--batch 128] [--steps 2000]
    .venv/bin/python -m benchmarks.profile batchnorm [--steps 20000]
    .venv/bin/python -m benchmarks.profile slider OptimizerRace surface beale [--steps 20]
    .venv/bin/python -m benchmarks.profile slow-sliders [--limit 0.1] [--figures ScaleRatioExplorer,MistakeBrowser]

``mlp`` and ``batchnorm`` profile the same step as the benchmark; ``slider``
profiles one move of the figure's widget, from the control's default (a value
is parsed as a Python literal when it looks like one);
``slow-sliders`` finds every move over the limit (one timing each; of the
figures named by ``--figures``, or of all) and profiles each of them. The tables list the functions by their own time
(``tottime``) and by the time spent in them and their callees (``cumtime``).
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import io
import pstats

from . import sliders
from .harness import CLOCKS, clock_name, now


def report(profiler: cProfile.Profile, calls: int, top: int) -> str:
    """The ``top`` functions by own time and by cumulative time, per call of the profiled code."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs()
    print(f"(times are totals over {calls} calls)", file=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def profile(fn, calls: int, top: int, setup=None) -> str:
    """Profile ``calls`` calls of ``fn`` on the benchmarks' clock; ``setup``, if given, runs unprofiled before each."""
    profiler = cProfile.Profile(CLOCKS[clock_name()])
    for _ in range(calls):
        if setup is not None:
            setup()
        profiler.enable()
        fn()
        profiler.disable()
    return report(profiler, calls, top)


def mlp_step(optimizer: str, n: int):
    from .mlp import batch, dlnotes_step

    x, y = batch(n)
    _, step = dlnotes_step(optimizer)
    return lambda: step(x, y)


def batchnorm_step():
    import numpy as np

    from dlnotes import nn

    from .batchnorm import SHAPE

    rng = np.random.default_rng(0)
    x, g = rng.standard_normal(SHAPE, dtype=np.float32), rng.standard_normal(SHAPE, dtype=np.float32)
    layer = nn.BatchNorm1d(SHAPE[1], dtype=np.float32)

    def step():
        layer(x)
        layer.backward(g)

    return step


def widget_of(name: str):
    """(figure, its widget) for the interactive figure class ``name``, built as the benchmark builds it."""
    classes = {cls.__name__: cls for cls in sliders.figure_classes(sliders.figure_base(sliders.widgets_package()))}
    if name not in classes:
        raise SystemExit(f"no interactive figure {name!r}; there are {sorted(classes)}")
    fig = classes[name](**sliders.FIXTURES[name]()) if name in sliders.FIXTURES else classes[name]()
    return fig, fig.widget()


def slider_move(view, name: str, value, away):
    """(setup, move): ``setup`` resets the widget and moves ``name`` to ``away``; ``move`` moves it to ``value``."""
    def setup():
        view.reset.click()
        sliders.move(view, name, away)

    return setup, lambda: sliders.move(view, name, value)


def parse(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def slow_moves(limit: float, figures=None) -> list[tuple[str, str, object, object, float]]:
    """Every (figure, control, value, away, seconds) move over ``limit`` seconds, timed once each.

    ``figures``, if given, names the figure classes to look at (all by default).
    """
    found = []
    classes = sliders.figure_classes(sliders.figure_base(sliders.widgets_package()))
    unknown = sorted(set(figures or ()) - {cls.__name__ for cls in classes})
    if unknown:
        raise SystemExit(f"no interactive figures {unknown}; there are {sorted(cls.__name__ for cls in classes)}")
    for cls in classes:
        if figures and cls.__name__ not in figures:
            continue
        fig, view = widget_of(cls.__name__)
        for name, _, value, away in sliders.moves_of(fig, view):
            if value is None:
                continue
            setup, move = slider_move(view, name, value, away)
            setup()
            start = now()
            move()
            seconds = now() - start
            if seconds > limit:
                found.append((cls.__name__, name, value, away, seconds))
    return found


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["mlp", "batchnorm", "slider", "slow-sliders"])
    parser.add_argument("args", nargs="*", help="slider: FIGURE CONTROL VALUE")
    parser.add_argument("--optimizer", default="SGD", choices=["SGD", "Adam"])
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=None, help="calls to profile")
    parser.add_argument("--limit", type=float, default=0.1, help="slow-sliders: seconds over which a move is slow")
    parser.add_argument("--figures", default="", help="slow-sliders: comma-separated figure classes (default: all)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    if args.what == "mlp":
        print(profile(mlp_step(args.optimizer, args.batch), args.steps or 2000, args.top))
    elif args.what == "batchnorm":
        print(profile(batchnorm_step(), args.steps or 20000, args.top))
    elif args.what == "slider":
        if len(args.args) != 3:
            parser.error("slider needs FIGURE CONTROL VALUE")
        fig, view = widget_of(args.args[0])
        name, value = args.args[1], parse(args.args[2])
        if name not in view.controls:
            parser.error(f"{args.args[0]} has no control {name!r}; it has {sorted(view.controls)}")
        away = sliders.start_of(value, fig.defaults[name], (sliders.control_values(view.controls[name]) or {}).values())
        setup, move = slider_move(view, name, value, away)
        print(profile(move, args.steps or 10, args.top, setup))
    else:
        figures = [name.strip() for name in args.figures.split(",") if name.strip()]
        slow = slow_moves(args.limit, figures)
        print(f"{len(slow)} moves over {1000 * args.limit:.0f} ms")
        for cls_name, name, value, away, seconds in slow:
            print(f"===== {cls_name}: {name} = {value!r} (from {away!r}), {1000 * seconds:.0f} ms once")
            _, view = widget_of(cls_name)
            setup, move = slider_move(view, name, value, away)
            print(profile(move, args.steps or 5, args.top, setup))


if __name__ == "__main__":
    main()
