"""The library's public names import from their modules and are documented.

Each name a chapter teaches must have a docstring that points to that
chapter ("Chapter N"); tooling no chapter teaches (the gradient checker, the
book's helpers) needs a docstring but no chapter. Each name of the numerical
modules (activations, losses, init, optim, the layers) shows a formula: a
``.. math::`` block, an inline ``:math:`` or an equation written out with ``=``.
The module docstrings and these docstrings are the public contract.
"""

import ast
import importlib
import inspect
import pathlib
import pkgutil
import re
import subprocess
import sys

import pytest

import dlnotes

#: Module -> the public names students use, with PyTorch's names where PyTorch has the concept.
PUBLIC = {
    "dlnotes.activations": [
        *(f"{name}{suffix}" for name in ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "gelu", "silu")
          for suffix in ("", "_grad")),
        "softmax",
        "log_softmax",
    ],
    "dlnotes.losses": [
        "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
        "binary_cross_entropy_with_logits", "soft_margin_loss", "cross_entropy", "zero_one_loss",
        "absolute_loss", "hinge_loss", "exponential_loss",
        "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "SoftMarginLoss",
        "CrossEntropyLoss",
    ],
    "dlnotes.nn": [
        "Parameter", "Module", "Linear", "BatchNorm1d", "Dropout",
        "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Softplus", "GELU", "SiLU", "Sequential",
    ],
    "dlnotes.init": [
        "zeros", "constant", "normal", "uniform", "xavier_uniform", "xavier_normal", "kaiming_uniform",
        "kaiming_normal", "calculate_gain",
    ],
    "dlnotes.optim": ["SGD", "Adagrad", "RMSprop", "Adam", "Adadelta"],
    "dlnotes.preprocessing": ["StandardScaler", "MinMaxScaler"],
    "dlnotes.data": ["DataLoader", "make_spirals", "make_moons", "load_digits", "train_test_split"],
    "dlnotes.train": [
        "fit", "History", "evaluate", "predict", "Callback", "EarlyStopping", "full_gradient_norm",
    ],
    "dlnotes.metrics": ["accuracy", "predicted_classes", "confusion_matrix"],
    "dlnotes.gradcheck": ["rel_error", "numerical_gradient", "check_module_gradients", "check_loss_gradients"],
}
#: Library names no chapter teaches: documented, without a chapter to point to.
NO_CHAPTER = {("dlnotes.gradcheck", name) for name in PUBLIC["dlnotes.gradcheck"]}
#: The book's own tooling, used by every chapter: documented, without one chapter to point to.
TOOLING = {
    "dlnotes.book.plot": ["new_figure", "style", "to_png"],
    "dlnotes.book.widgets": ["InteractiveFigure"],
    "dlnotes.book.exercises": ["check_function"],
}
#: Modules whose every public name must show its formula.
NUMERICAL = {"dlnotes.activations", "dlnotes.losses", "dlnotes.init", "dlnotes.optim", "dlnotes.nn"}
#: The containers of dlnotes.nn describe a contract, not a formula.
NO_FORMULA = {("dlnotes.nn", "Parameter"), ("dlnotes.nn", "Module")}

CASES = [(module, name) for module, names in PUBLIC.items() for name in names]
CHAPTER = re.compile(r"\bchapters?\s+\d", re.IGNORECASE)
FORMULA = re.compile(r"\.\. math::|:math:`|=")


@pytest.mark.parametrize(("module", "name"), CASES, ids=[f"{m}.{n}" for m, n in CASES])
def test_name_imports_and_is_documented(module, name):
    obj = getattr(importlib.import_module(module), name)  # AttributeError names what is missing
    doc = inspect.getdoc(obj) or ""
    assert len(doc.split()) >= 5, f"{module}.{name} needs a docstring (got {doc!r})"
    if (module, name) not in NO_CHAPTER:
        assert CHAPTER.search(doc), f"{module}.{name}: the docstring must point to its chapter ('Chapter N')"
    if module in NUMERICAL and (module, name) not in NO_FORMULA:
        assert FORMULA.search(doc), f"{module}.{name}: the docstring must give its formula"


TOOLING_CASES = [(module, name) for module, names in TOOLING.items() for name in names]


@pytest.mark.parametrize(("module", "name"), TOOLING_CASES, ids=[f"{m}.{n}" for m, n in TOOLING_CASES])
def test_tooling_name_imports_and_is_documented(module, name):
    obj = getattr(importlib.import_module(module), name)
    assert len((inspect.getdoc(obj) or "").split()) >= 5, f"{module}.{name} needs a docstring"


def test_every_module_has_a_docstring():
    for module in [*PUBLIC, *TOOLING]:
        assert (importlib.import_module(module).__doc__ or "").strip(), module


#: The library students import: every module of dlnotes except the book's machinery (and private helpers).
LIBRARY = sorted(
    name for _, name, _ in pkgutil.iter_modules(dlnotes.__path__) if name != "book" and not name.startswith("_")
)


def test_library_lists_the_modules_students_import():
    expected = {"activations", "losses", "nn", "init", "optim", "preprocessing", "data", "surfaces", "train", "gradcheck", "metrics"}
    assert expected <= set(LIBRARY), f"missing from the library: {sorted(expected - set(LIBRARY))}"
    assert "book" not in LIBRARY


def test_import_dlnotes_needs_neither_matplotlib_nor_ipywidgets():
    code = (
        "import dlnotes, sys; assert 'matplotlib' not in sys.modules and 'ipywidgets' not in sys.modules; "
        "assert 'dlnotes.book' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", LIBRARY)
def test_library_module_imports_neither_the_book_nor_matplotlib(name):
    """In a fresh interpreter, the module and all its submodules load no dlnotes.book, matplotlib or ipywidgets."""
    code = (
        "import importlib, pkgutil, sys\n"
        f"module = importlib.import_module('dlnotes.{name}')\n"
        "for info in pkgutil.walk_packages(getattr(module, '__path__', []), module.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets') or m.startswith('dlnotes.book'))\n"
        "assert not loaded, loaded[:5]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"importing dlnotes.{name} loads the book or a plotting library: {result.stderr}"


def _imported_modules(path: pathlib.Path, package: str) -> set[str]:
    """Every module that the source file ``path`` (in ``package``) imports, anywhere in the file, resolved to absolute names."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_no_library_source_imports_the_book():
    """Also imports inside functions, which importing a module does not run: none names dlnotes.book."""
    root = pathlib.Path(dlnotes.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        if relative.parts[1] == "book":
            continue
        package = ".".join(relative.parts[:-1])
        if any(name == "dlnotes.book" or name.startswith("dlnotes.book.") for name in _imported_modules(path, package)):
            offenders.append(str(relative))
    assert not offenders, f"library modules importing dlnotes.book: {offenders}"


ROOT = pathlib.Path(dlnotes.__file__).parent.parent
BOOK_LAYERS = ("experiments", "plot", "widgets", "exercises")
#: Modules of a book layer that serve several chapters, besides its one module per chapter.
SHARED_MODULES = {"widgets": {"live"}}


def test_each_book_layer_has_one_module_per_chapter():
    """``chapters/NN_topic.ipynb`` has ``chNN_topic`` in every layer of dlnotes.book and in chapters/solutions."""
    chapters = sorted(f"ch{path.stem}" for path in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    assert chapters, "no chapters found"
    for layer in BOOK_LAYERS:
        package = importlib.import_module(f"dlnotes.book.{layer}")
        modules = sorted(info.name for info in pkgutil.iter_modules(package.__path__)
                         if not info.name.startswith("_") and info.name not in SHARED_MODULES.get(layer, ()))
        assert modules == chapters, f"dlnotes.book.{layer} holds {modules}, the chapters are {chapters}"
    assert sorted(path.stem for path in (ROOT / "chapters" / "solutions").glob("ch*.py")) == chapters


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md"])
def test_the_documented_layout_names_every_module(document):
    """The README's Layout section and CONTRIBUTING.md name every library module and every layer of the book."""
    text = (ROOT / document).read_text(encoding="utf-8")
    if document == "README.md":
        text = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in (*LIBRARY, *BOOK_LAYERS) if not re.search(rf"\b{name}\b", text)]
    assert not missing, f"{document} does not name {missing}"
    assert "dlnotes/book/" in text or "dlnotes.book" in text
