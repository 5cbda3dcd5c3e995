"""PyTorch's signatures: names, order, kinds and defaults of every optimizer, loss and layer (torch 2.13).

For each dlnotes callable with a PyTorch twin, ``inspect.signature`` of both
is compared parameter by parameter: a parameter only one side has, a
renamed one, one that is keyword-only on one side only, one at another
position, or one with another default is a difference. Every difference
must be listed, with its reason, in ``DIFFERENCES``; every entry there must
still be a difference; and the README's "From dlnotes to PyTorch" section
shows exactly the table ``readme_table()`` renders from ``DIFFERENCES``.

Two conventions: a catch-all ``**kwargs`` names no parameter (on either
side), and PyTorch's ``Sigmoid`` and ``Tanh``, which inherit
``Module.__init__(*args, **kwargs)``, take none.
"""

import inspect
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from dlnotes import losses, nn, optim

README = Path(__file__).resolve().parents[2] / "README.md"

#: Our name -> (our callable, PyTorch's), for everything PyTorch also has.
TWINS = {
    **{name: (getattr(optim, name), getattr(torch.optim, name)) for name in ("SGD", "Adagrad", "RMSprop", "Adam", "Adadelta")},
    "Optimizer": (optim.Optimizer, torch.optim.Optimizer),
    **{
        name: (getattr(losses, name), getattr(torch.nn, name))
        for name in (
            "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "SoftMarginLoss",
            "CrossEntropyLoss",
        )
    },
    **{
        name: (getattr(losses, name), getattr(F, name))
        for name in (
            "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
            "binary_cross_entropy_with_logits", "soft_margin_loss", "cross_entropy",
        )
    },
    **{
        name: (getattr(nn, name), getattr(torch.nn, name))
        for name in (
            "Linear", "BatchNorm1d", "Dropout", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Softplus", "GELU",
            "SiLU", "Sequential",
        )
    },
}

OPTIMIZERS = ("SGD", "Adagrad", "RMSprop", "Adam", "Adadelta")
LOSS_CLASSES = ("MSELoss", "L1Loss", "SmoothL1Loss", "BCELoss", "BCEWithLogitsLoss", "SoftMarginLoss", "CrossEntropyLoss")
LOSS_FUNCTIONS = (
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "soft_margin_loss", "cross_entropy",
)
#: The losses to which PyTorch gives a `weight` (and `pos_weight`).
WEIGHTED = (
    "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "mse_loss", "l1_loss", "huber_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "cross_entropy",
)

#: (where, parameters) -> why. A row covers each parameter of ``parameters`` that the
#: callables of ``where`` have (on either side); all of them must differ in the same way.
DIFFERENCES = {
    (OPTIMIZERS, ("foreach", "fused", "capturable", "differentiable")): (
        "how PyTorch runs the same update (several tensors at once, one fused kernel, CUDA graphs, autograd "
        "through the step); dlnotes has one NumPy implementation"
    ),
    (("RMSprop",), ("maximize",)): (
        "PyTorch's `capturable` and `foreach` come before it, and are absent here; keyword-only, so that no "
        "positional argument means another one"
    ),
    (("Adam",), ("bias_correction",)): "`False` skips the correction, to show what it does (Chapter 4)",
    (("Optimizer",), ("defaults",)): (
        "a variant passes its hyperparameters as keywords, `super().__init__(params, lr=lr, ...)`, and reads "
        "them as attributes; there are no parameter groups"
    ),
    (tuple(n for n in LOSS_CLASSES + LOSS_FUNCTIONS if n != "huber_loss"), ("size_average", "reduce")): (
        "deprecated in PyTorch in favour of `reduction`"
    ),
    (WEIGHTED, ("weight", "pos_weight")): (
        "weighting classes or terms is not taught in Chapters 1-4; multiply the terms of `reduction=\"none\"` "
        "by the weights"
    ),
    (("CrossEntropyLoss", "cross_entropy"), ("ignore_index",)): (
        "every target is a class index in `[0, C)`: there is no padding class to skip"
    ),
    (LOSS_CLASSES + LOSS_FUNCTIONS, ("reduction",)): (
        "the PyTorch arguments before it are absent here; keyword-only, so that a positional argument PyTorch "
        "would read as another one is refused, not misread"
    ),
    (("SmoothL1Loss", "CrossEntropyLoss"), ("beta", "label_smoothing")): (
        "as `reduction`: PyTorch's `size_average`, `reduce` (and `weight`, `ignore_index`) come before it"
    ),
    (LOSS_FUNCTIONS, ("pred", "prob", "logit", "score", "logits")): (
        "named as the formulas of Chapter 2 name them: prediction, probability, logit, score"
    ),
    (("smooth_l1_loss",), ("beta",)): (
        "the loss's own parameter follows the two arrays, as in L(y, f(x); β); pass it by keyword in code meant "
        "for PyTorch, whose third argument is `size_average`"
    ),
    (("huber_loss",), ("delta",)): (
        "the loss's own parameter follows the two arrays, as in L(y, f(x); δ); pass it by keyword in code meant "
        "for PyTorch, whose third argument is `reduction`"
    ),
    (("cross_entropy",), ("label_smoothing",)): (
        "the loss's own parameter follows the two arrays; pass it by keyword in code meant for PyTorch, whose "
        "third argument is `weight`"
    ),
    (("Linear",), ("init",)): (
        "the initializer, by name (`\"xavier_uniform\"`, ...) or as a callable; PyTorch initializes "
        "afterwards, with `torch.nn.init`"
    ),
    (("Linear", "Dropout"), ("rng",)): "randomness comes only from an explicit generator or seed (PyTorch: `torch.manual_seed`)",
    (("Linear", "BatchNorm1d"), ("device",)): "NumPy arrays live in main memory",
    (("Linear",), ("dtype",)): (
        "float64 unless asked (gradient checks need it; PyTorch's `None` means float32); after `rng`, which "
        "PyTorch does not have"
    ),
    (("BatchNorm1d",), ("dtype",)): (
        "float64 unless asked (gradient checks need it; PyTorch's `None` means float32); `affine`, "
        "`track_running_stats` and `device` before it are absent"
    ),
    (("BatchNorm1d",), ("affine", "track_running_stats", "bias")): (
        "the layer always learns `gamma` and `beta` and keeps running statistics"
    ),
    (("Dropout", "ReLU", "LeakyReLU", "ELU", "SiLU"), ("inplace",)): (
        "layers return new arrays: `backward` needs the input as it was"
    ),
    (("GELU",), ("approximate",)): "only the exact form with erf, PyTorch's default `approximate=\"none\"`",
    (("Sequential",), ("modules",)): "the modules, in order; PyTorch also takes an `OrderedDict` of named modules",
}


# -- comparing two signatures ---------------------------------------------------------


def parameters(fn, torch_side: bool) -> list[inspect.Parameter]:
    """``fn``'s parameters without ``self`` and without a catch-all ``**kwargs``."""
    if torch_side and isinstance(fn, type) and fn.__init__ is torch.nn.Module.__init__:
        return []  # Sigmoid, Tanh: Module.__init__(*args, **kwargs) takes no argument of its own
    return [p for p in inspect.signature(fn).parameters.values() if p.kind is not p.VAR_KEYWORD]


def positional(params) -> list[str]:
    return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def shown(value) -> str:
    if value is inspect.Parameter.empty:
        return "required"
    if isinstance(value, type):
        return f"`{value.__module__}.{value.__name__}`"
    return f"`{value!r}`"


def ordinal(k: int) -> str:
    return f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


def differences(ours_fn, theirs_fn) -> dict[str, str]:
    """Our parameter name (PyTorch's where only PyTorch has it) -> how the two differ."""
    ours, theirs = parameters(ours_fn, False), parameters(theirs_fn, True)
    ours_by, theirs_by = {p.name: p for p in ours}, {p.name: p for p in theirs}
    renamed = {}  # our name -> PyTorch's, for a parameter only each side has, in the same place
    for o, t in zip(ours, theirs):  # a required argument or *args under another name
        same_place = o.kind == t.kind and o.kind is not o.KEYWORD_ONLY and o.name not in theirs_by and t.name not in ours_by
        if same_place and o.default is o.empty and t.default is t.empty:
            renamed[o.name] = t.name
    found = {}
    for p in theirs:
        if p.name not in ours_by and p.name not in renamed.values():
            found[p.name] = "PyTorch only"
    ours_positional, theirs_positional = positional(ours), positional(theirs)
    for p in ours:
        name = renamed.get(p.name, p.name)
        if name not in theirs_by:
            found[p.name] = "dlnotes only"
            continue
        t, how = theirs_by[name], []
        if name != p.name:
            how.append(f"`{name}` in PyTorch")
        if p.kind != t.kind:
            how.append("keyword-only here" if p.kind is p.KEYWORD_ONLY else f"{p.kind.description} here, {t.kind.description} in PyTorch")
        elif p.name in ours_positional and ours_positional.index(p.name) != theirs_positional.index(name):
            i, j = ours_positional.index(p.name) + 1, theirs_positional.index(name) + 1
            how.append(f"{ordinal(i)} here, {ordinal(j)} in PyTorch")
        if not (p.default is t.default or (p.default is not inspect.Parameter.empty and p.default == t.default)):
            how.append(f"default {shown(p.default)} here, {shown(t.default)} in PyTorch")
        if how:
            found[p.name] = "; ".join(how)
    return found


def found_differences() -> dict[tuple[str, str], str]:
    """``(where, parameter) -> how`` for every twin."""
    return {(where, name): how for where, fns in TWINS.items() for name, how in differences(*fns).items()}


def names_of(where: str) -> set[str]:
    ours, theirs = TWINS[where]
    return {p.name for p in parameters(ours, False)} | {p.name for p in parameters(theirs, True)}


def expanded() -> dict[tuple[str, str], tuple[str, ...]]:
    """``(where, parameter) -> the DIFFERENCES key that lists it``."""
    listed = {}
    for key in DIFFERENCES:
        wheres, params = key
        for where in wheres:
            for name in params:
                if name in names_of(where):
                    assert (where, name) not in listed, f"{where}({name}) is listed twice"
                    listed[(where, name)] = key
    return listed


def readme_table() -> list[str]:
    """The README's table of deliberate differences, one line per ``DIFFERENCES`` entry."""
    found, listed = found_differences(), expanded()
    lines = ["| dlnotes | parameters | how it differs from PyTorch | why |", "|---|---|---|---|"]
    for key, why in DIFFERENCES.items():
        pairs = [pair for pair, k in listed.items() if k == key]
        hows = sorted({found.get(pair, "no difference") for pair in pairs})
        wheres = ", ".join(f"`{w}`" for w in key[0] if any(pair[0] == w for pair in pairs))
        params = ", ".join(f"`{p}`" for p in key[1] if any(pair[1] == p for pair in pairs))
        lines.append(f"| {wheres} | {params} | {'; '.join(hows)} | {why} |")
    return lines


# -- the tests --------------------------------------------------------------------------


def test_torch_is_the_reference_release(torch_reference_version):
    assert torch.__version__.split("+")[0] == torch_reference_version


@pytest.mark.parametrize("where", sorted(TWINS))
def test_every_difference_is_listed_with_its_reason(where):
    listed = expanded()
    unlisted = {name: how for (w, name), how in found_differences().items() if w == where and (w, name) not in listed}
    assert not unlisted, f"{where}: list these differences from PyTorch in DIFFERENCES, with a reason: {unlisted}"


def test_every_listed_difference_is_still_one():
    found, listed = found_differences(), expanded()
    stale = sorted(pair for pair in listed if pair not in found)
    assert not stale, f"no longer different from PyTorch, remove from DIFFERENCES: {stale}"
    for key in DIFFERENCES:
        wheres, params = key
        pairs = [pair for pair, k in listed.items() if k == key]
        assert {w for w, _ in pairs} == set(wheres), f"{key}: some callables have none of these parameters"
        assert {p for _, p in pairs} == set(params), f"{key}: some parameters belong to none of these callables"
        hows = {found[pair] for pair in pairs}
        assert len(hows) == 1, f"{key} differ in different ways, split the entry: {hows}"


def test_readme_shows_the_table_of_differences():
    text = README.read_text(encoding="utf-8")
    section = text.split("## From dlnotes to PyTorch", 1)[1].split("\n## ", 1)[0]
    expected = readme_table()
    lines = section.splitlines()
    assert expected[0] in lines, "README: the table of differences must follow this header:\n" + "\n".join(expected)
    start = lines.index(expected[0])
    shown_rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        shown_rows.append(line)
    assert shown_rows == expected, "README, 'From dlnotes to PyTorch': the table must read\n" + "\n".join(expected)


def test_the_known_differences_of_the_issue_are_gone():
    """``Adagrad(params, 0.01, 0.1)`` means lr_decay 0.1 in both, and SGD's lr has PyTorch's default."""
    ours, theirs = inspect.signature(optim.Adagrad), inspect.signature(torch.optim.Adagrad)
    assert list(ours.parameters)[:6] == list(theirs.parameters)[:6]
    assert inspect.signature(optim.SGD).parameters["lr"].default == inspect.signature(torch.optim.SGD).parameters["lr"].default
