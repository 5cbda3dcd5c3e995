"""Parameters, the ``Module`` base class and ``Sequential`` (chapters 1, 6-9).

A module computes ``y = f(x; θ)`` in ``forward`` and, given ``∂L/∂y``,
returns ``∂L/∂x`` from ``backward`` while *adding* ``∂L/∂θ`` to each
parameter's ``.grad`` (as PyTorch's autograd accumulates). ``forward`` keeps
in ``self`` whatever ``backward`` needs, so forward and backward sit side by
side in every layer.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .._validation import _show, as_float_array, check_flag


class Parameter:
    """A trainable array ``data`` with its gradient ``grad`` (same shape, zeros at first; Chapter 1).

    Optimizers in ``dlnotes.optim`` read ``grad`` and update ``data`` in place,
    so one optimizer drives a network or a 2-D point on a surface alike.
    """

    def __init__(self, data):
        self.data = np.array(as_float_array(data, "data"), copy=True)
        self.grad = np.zeros_like(self.data)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def zero_grad(self) -> None:
        """Set ``grad`` to zeros shaped like ``data``."""
        self.grad = np.zeros_like(self.data)

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"


class Module:
    """Base class of every layer (Chapter 1): ``y = f(x; θ)`` forward, ``∂L/∂x`` backward.

    Subclasses implement ``forward(x)`` and ``backward(grad_out) -> grad_in``.
    Parameters and sub-modules are found from the instance's attributes, in
    the order they were set; arrays named in ``_buffers`` (such as
    BatchNorm's running statistics) are saved in ``state_dict`` too.
    """

    _buffers: tuple[str, ...] = ()

    def __init__(self):
        self.training = True

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        """The output ``y = f(x; θ)`` for a batch ``x``; keeps what ``backward`` needs."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, grad_out):
        """Given ``∂L/∂y`` for the last ``forward``, add ``∂L/∂θ`` to each ``.grad`` and return ``∂L/∂x``."""
        raise NotImplementedError(f"{type(self).__name__} does not define backward")

    # -- the tree of modules -------------------------------------------------
    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        """Direct sub-modules with their attribute names."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """Every parameter with a dotted name such as ``"0.W"`` in a Sequential.

        A parameter shared by two sub-modules is listed once, under its first
        name, so an optimizer updates it once per step.
        """
        seen = set()
        for name, p in self._all_parameters(prefix):
            if id(p) not in seen:
                seen.add(id(p))
                yield name, p

    def _all_parameters(self, prefix: str) -> Iterator[tuple[str, Parameter]]:
        for name, value in vars(self).items():
            if isinstance(value, Parameter):
                yield prefix + name, value
        for name, child in self.named_children():
            yield from child._all_parameters(prefix + name + ".")

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, np.ndarray]]:
        """Every buffer (non-trainable state array) with a dotted name."""
        for name in self._buffers:
            yield prefix + name, getattr(self, name)
        for name, child in self.named_children():
            yield from child.named_buffers(prefix + name + ".")

    def parameters(self) -> list[Parameter]:
        """A list of every ``Parameter`` of this module and its sub-modules."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Reset the gradient of every parameter to zeros."""
        for p in self.parameters():
            p.zero_grad()

    # -- modes -----------------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        """Set training mode (``mode=True``) or evaluation mode here and in every sub-module."""
        self.training = check_flag(mode, "mode")
        for _, child in self.named_children():
            child.train(mode)
        return self

    def eval(self) -> "Module":
        """Set evaluation mode: Dropout becomes the identity, BatchNorm uses running statistics."""
        return self.train(False)

    # -- saving and loading ----------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter's data and every buffer, by dotted name."""
        state = {name: p.data.copy() for name, p in self.named_parameters()}
        state.update({name: np.array(b, copy=True) for name, b in self.named_buffers()})
        return state

    def load_state_dict(self, state_dict) -> None:
        """Copy arrays from ``state_dict`` into this module, in place.

        The keys must be exactly those of ``self.state_dict()`` and each array
        must have the same shape; the module keeps its own dtype.
        """
        if not isinstance(state_dict, dict):
            raise TypeError(f"state_dict must be a dict, got {_show(state_dict)}")
        targets = dict(self.named_parameters())
        buffers = dict(self.named_buffers())
        expected = set(targets) | set(buffers)
        missing, unexpected = expected - set(state_dict), set(state_dict) - expected
        if missing or unexpected:
            raise ValueError(
                f"state_dict keys do not match: missing {sorted(missing)}, unexpected {sorted(unexpected)}"
            )
        checked = []  # check every entry before copying any, so a bad one leaves the module unchanged
        for key, value in state_dict.items():
            target = targets[key].data if key in targets else buffers[key]
            value = as_float_array(value, f"state_dict[{key!r}]")
            if value.shape != target.shape:
                raise ValueError(f"state_dict[{key!r}] must have shape {target.shape}, got shape {value.shape}")
            checked.append((target, value))
        for target, value in checked:
            target[...] = value

    def __repr__(self) -> str:
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"  ({name}): {child!r}".replace("\n", "\n  ") for name, child in children]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"

    def extra_repr(self) -> str:
        """Hyperparameters shown by ``repr``; layers override it."""
        return ""


class Sequential(Module):
    """Modules applied one after another: ``y = f_n(... f_2(f_1(x)))`` (Chapter 1).

    ``backward`` runs the chain rule in reverse order,
    ``∂L/∂x = J_1ᵀ J_2ᵀ ... J_nᵀ ∂L/∂y``. Sub-modules are named ``"0"``,
    ``"1"``, ... as in PyTorch.
    """

    def __init__(self, *modules: Module):
        super().__init__()
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"modules[{i}] must be a dlnotes.nn.Module, got {_show(module)}")
        self.layers = list(modules)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for i, module in enumerate(self.layers):
            yield str(i), module

    def forward(self, x):
        for module in self.layers:
            x = module(x)
        return x

    def backward(self, grad_out):
        for module in reversed(self.layers):
            grad_out = module.backward(grad_out)
        return grad_out

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)
