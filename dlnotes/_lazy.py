"""Names of a package imported from its submodules when first used (PEP 562), so that importing it is cheap.

``from dlnotes import nn`` then costs one small file, and ``nn.Linear`` (or
``from dlnotes.nn import Linear``) imports ``dlnotes.nn.linear`` the first
time it is asked for. ``dir()`` lists every name and every submodule as if
they were all imported, so tab completion, ``from ... import *`` (through
``__all__``) and Sphinx's autodoc see the same package as before.
"""

from __future__ import annotations

import importlib


def lazy_names(package: str, namespace: dict, names: dict[str, str], submodules=()):
    """``(__getattr__, __dir__)`` for the package ``package`` whose globals are ``namespace``.

    ``names`` maps each public name to the submodule that defines it (``{"Linear": "linear"}``);
    those submodules, and the further ``submodules`` given, are reached as attributes
    (``dlnotes.nn.linear``). A name is imported once, then kept in ``namespace``, so later uses
    are plain attribute reads.
    """
    names = dict(names)
    submodules = tuple(sorted(set(names.values()) | set(submodules)))

    def __getattr__(name: str):
        if name in names:
            value = getattr(importlib.import_module(f"{package}.{names[name]}"), name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names) | set(submodules))

    return __getattr__, __dir__
