"""The packages import each name from its submodule only when it is first used, and show the same API.

``from dlnotes import nn, optim, losses, train`` must stay cheap (issue 8: at most 1.3 times
``import numpy``, measured by ``python -m benchmarks --only import``, never here). What is
checked here is the cause, in fresh interpreters: which modules the import loads, and that the
names reached lazily are the very objects their submodules define.
"""

import json
import subprocess
import sys

import pytest

#: Modules that importing the four packages of the coursework and ``dlnotes.train`` must not load:
#: each is imported when a name it defines is first used.
LAZY = sorted(
    [f"dlnotes.nn.{m}" for m in ("activation", "batchnorm", "dropout", "linear", "module")]
    + [f"dlnotes.optim.{m}" for m in ("adadelta", "adagrad", "adam", "optimizer", "rmsprop", "sgd")]
    + [f"dlnotes.losses.{m}" for m in ("functional", "regression")]
    + [f"dlnotes.data.{m}" for m in ("loader", "digits", "synthetic")]
    + ["dlnotes.init", "dlnotes.metrics", "dlnotes.preprocessing", "dlnotes.gradcheck", "dlnotes.surfaces"]
)

#: Package -> (name, the submodule whose object it must be) for every name of the package's ``__all__``.
DEFINED_IN = {
    "dlnotes.nn": {
        **dict.fromkeys(["ELU", "GELU", "LeakyReLU", "ReLU", "SiLU", "Sigmoid", "Softplus", "Tanh"], "activation"),
        "BatchNorm1d": "batchnorm", "Dropout": "dropout", "Linear": "linear",
        **dict.fromkeys(["Module", "Parameter", "Sequential", "no_grad"], "module"),
    },
    "dlnotes.optim": {"Optimizer": "optimizer", "SGD": "sgd", "Adagrad": "adagrad", "RMSprop": "rmsprop",
                      "Adam": "adam", "Adadelta": "adadelta"},
    "dlnotes.losses": {
        "Loss": "_base",
        **dict.fromkeys(["BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "binary_cross_entropy",
                         "binary_cross_entropy_with_logits", "cross_entropy"], "cross_entropy"),
        **dict.fromkeys(["absolute_loss", "zero_one_loss"], "functional"),
        **dict.fromkeys(["ExponentialLoss", "HingeLoss", "SoftMarginLoss", "exponential_loss", "hinge_loss",
                         "soft_margin_loss"], "margin"),
        **dict.fromkeys(["HuberLoss", "L1Loss", "MSELoss", "SmoothL1Loss", "huber_loss", "l1_loss", "mse_loss",
                         "smooth_l1_loss"], "regression"),
    },
    "dlnotes.data": {"DataLoader": "loader", "train_test_split": "loader", "load_digits": "digits",
                     **dict.fromkeys(["make_moons", "make_regression_outliers", "make_scaled_cloud",
                                      "make_spirals"], "synthetic")},
}


def run(code: str):
    """Run ``code`` in a fresh interpreter and return what it printed as JSON."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("statement", ["from dlnotes import nn, optim, losses, train", "import dlnotes.train",
                                       "from dlnotes.train import fit, evaluate, predict, EarlyStopping"])
def test_importing_the_training_loop_loads_none_of_the_lazy_modules(statement):
    loaded = run(f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))")
    assert "dlnotes.train" in loaded
    assert not set(LAZY) & set(loaded), f"{statement!r} imported {sorted(set(LAZY) & set(loaded))}"


def test_first_use_of_a_name_imports_its_submodule():
    loaded = run("import json, sys\nfrom dlnotes import nn\nbefore = 'dlnotes.nn.linear' in sys.modules\n"
                 "nn.Linear\nprint(json.dumps([before, 'dlnotes.nn.linear' in sys.modules]))")
    assert loaded == [False, True]


@pytest.mark.parametrize("package", sorted(DEFINED_IN))
def test_every_name_is_the_object_of_its_submodule(package):
    """In a fresh interpreter, each name of ``__all__`` is its submodule's object, and ``dir()`` lists it before use."""
    code = (
        "import importlib, json\n"
        f"package = importlib.import_module({package!r})\n"
        "listed = dir(package)\n"
        f"defined_in = {DEFINED_IN[package]!r}\n"
        "same = {name: getattr(package, name) is getattr(importlib.import_module(package.__name__ + '.' + module), name)"
        " for name, module in defined_in.items()}\n"
        "print(json.dumps({'all': sorted(package.__all__), 'listed': listed, 'same': same}))\n"
    )
    found = run(code)
    assert found["all"] == sorted(DEFINED_IN[package])
    assert set(found["all"]) <= set(found["listed"])
    assert set(DEFINED_IN[package].values()) <= set(found["listed"])  # the submodules, as when they were imported
    assert all(found["same"].values()), [name for name, same in found["same"].items() if not same]


@pytest.mark.parametrize("package", sorted(DEFINED_IN))
def test_star_import_gives_every_name(package):
    names = run(f"import json\nfrom {package} import *\nprint(json.dumps(sorted(n for n in dir() if n[0] != '_')))")
    assert sorted(set(names) - {"json"}) == sorted(DEFINED_IN[package])


@pytest.mark.parametrize("first", ["import dlnotes.losses.cross_entropy", "from dlnotes.losses import BCELoss",
                                   "import dlnotes.train", "from dlnotes.losses.functional import mse_loss"])
def test_losses_cross_entropy_stays_the_function_whichever_import_comes_first(first):
    """``dlnotes.losses.cross_entropy`` names both a submodule and a function; the package's name is the function."""
    kind = run(f"import json\n{first}\nimport dlnotes.losses\n"
               "print(json.dumps(type(dlnotes.losses.cross_entropy).__name__))")
    assert kind == "function"


@pytest.mark.parametrize("package", ["dlnotes", *sorted(DEFINED_IN)])
def test_an_unknown_name_raises_attribute_error_naming_it(package):
    import importlib

    module = importlib.import_module(package)
    with pytest.raises(AttributeError, match=rf"module '{package}' has no attribute 'no_such_name'"):
        module.no_such_name  # noqa: B018
