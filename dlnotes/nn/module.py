"""Parameters, the ``Module`` base class, ``Sequential`` and ``no_grad`` (chapters 1, 6-9).

A module computes ``y = f(x; θ)`` in ``forward`` and, given ``∂L/∂y``,
returns ``∂L/∂x`` from ``backward`` while *adding* ``∂L/∂θ`` to each
parameter's ``.grad`` (as PyTorch's autograd accumulates). ``forward`` keeps
in ``self`` whatever ``backward`` needs, so forward and backward sit side by
side in every layer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

from .._validation import _show, as_float_array, check_flag, check_float_dtype


class _Passes:
    """Book-keeping shared by every module: gradient mode and the forward passes.

    A *pass* is one outermost call ``model(x)`` (calls of sub-modules inside it
    belong to the same pass). ``count`` numbers the passes, ``depth`` is how
    deep the current call is nested, ``user_input`` is the array the outermost
    call received, and every pass numbered ``discarded`` or lower was thrown
    away (by a backward that could not know which pass it answered, or by a
    forward that raised). ``in_backward`` is set while ``Sequential``
    back-propagates, whose ``grad_out`` was checked once on the way in.
    """

    grad_enabled = True
    depth = 0
    count = 0
    discarded = 0
    user_input = None
    in_backward = False


_passes = _Passes()


class no_grad(contextlib.ContextDecorator):
    """Inference mode, as ``torch.no_grad``: inside ``with nn.no_grad():`` modules keep nothing for backward.

    Use it for every forward pass you will not back-propagate (evaluation,
    prediction, a look at the loss): it saves memory and time, and it leaves
    the saved forward of a training step untouched, so

    >>> out = model(x)                  # doctest: +SKIP
    >>> with nn.no_grad():              # doctest: +SKIP
    ...     val_out = model(x_val)      # does not disturb the pass above
    >>> model.backward(grad)            # doctest: +SKIP  (answers model(x))

    A ``backward`` after a forward run under ``no_grad`` raises
    ``RuntimeError``. Works as a decorator too; blocks may nest.
    """

    def __init__(self):
        self._previous = []

    def __enter__(self):
        self._previous.append(_passes.grad_enabled)
        _passes.grad_enabled = False
        return self

    def __exit__(self, *exc_info):
        _passes.grad_enabled = self._previous.pop()
        return False


class Parameter:
    """A trainable array ``data`` with its gradient ``grad`` (same shape, zeros at first; Chapter 1).

    Optimizers in ``dlnotes.optim`` read ``grad`` and update ``data`` in place,
    so one optimizer drives a network or a 2-D point on a surface alike.
    ``zero_grad()`` makes ``grad`` zeros again in the same array (no new one).
    """

    def __init__(self, data):
        self.data = np.array(as_float_array(data, "data"), copy=True)
        self.grad = np.zeros_like(self.data)
        self._grad_is_zero = True
        self._grad_is_own = True

    # ``_grad_is_own``: ``grad`` holds only what ``zero_grad`` and the
    # package's backward passes wrote (from checked inputs), and nobody has
    # read or set it since, so an optimizer need not check it again. Reading
    # ``grad`` (one may write into the array) or setting it clears the flag.

    # ``_grad_is_zero``: ``grad`` is zero and nobody has read it since
    # ``zero_grad``. Then the zeros need not even be written: the next read
    # fills them in, and a backward *writes* its gradient over the array
    # (``out=``) instead of adding to it, one pass instead of three.
    @property
    def grad(self) -> np.ndarray:
        if self._grad_is_zero:
            self._grad.fill(0)
            self._grad_is_zero = False  # whoever reads it may write into it
        self._grad_is_own = False
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        self._grad_is_zero = self._grad_is_own = False
        self._grad = value

    def _own_grad(self):
        """``grad`` if only the package wrote it since ``zero_grad`` (see ``_grad_is_own``), else ``None``."""
        if not self._grad_is_own:
            return None
        if self._grad_is_zero:
            self._grad.fill(0)
            self._grad_is_zero = False
        return self._grad

    def _add(self, value) -> None:
        """Add ``value`` to ``grad`` (written over it when ``grad`` is zero)."""
        if self._grad_is_zero:
            self._grad[...] = value
            self._grad_is_zero = False
        else:
            self._grad += value

    def _add_matmul(self, a, b) -> None:
        """Add ``a @ b`` to ``grad``: written straight into it when ``grad`` is zero.

        That saves a temporary and a pass over the array, as the hand-written
        ``dW = x.T @ G`` does.
        """
        if self._grad_is_zero:
            np.matmul(a, b, out=self._grad)
            self._grad_is_zero = False
        else:
            self._grad += a @ b

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def zero_grad(self) -> None:
        """Set ``grad`` to zeros shaped like ``data``, in place (a new array only if ``grad`` was replaced by one of another shape or dtype)."""
        grad = self._grad
        if not isinstance(grad, np.ndarray) or grad.shape != self.data.shape or grad.dtype != self.data.dtype:
            self._grad = np.zeros_like(self.data)
        self._grad_is_zero = self._grad_is_own = True

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"


class Module:
    """Base class of every layer (Chapter 1): ``y = f(x; θ)`` forward, ``∂L/∂x`` backward.

    Subclasses implement ``forward(x)`` and ``backward(grad_out) -> grad_in``.
    Parameters and sub-modules are found from the instance's attributes, in
    the order they were set; arrays named in ``_buffers`` (such as
    BatchNorm's running statistics) are saved in ``state_dict`` too.

    **What forward keeps for backward.** Each forward (outside
    :class:`no_grad`) pushes what its backward needs on a stack of the module,
    and each backward pops the newest entry: last in, first out, the order in
    which ``Sequential`` runs backward. So one module may be used several
    times in a network, ``lin = Linear(3, 3); Sequential(lin, Tanh(), lin)``,
    or one ``ReLU()`` after two layers: this is *weight sharing*, as in
    PyTorch, and the gradients of every use add up in ``.grad``. We chose to
    allow it rather than refuse it because networks that share weights
    (recurrent networks unrolled in time, tied embeddings) are built exactly
    this way.

    **One pass, one backward.** A pass is one outermost call ``model(x)``
    (everything it calls inside belongs to it; call modules, not their
    ``forward``, so that a container's sub-modules share its pass). A backward
    answers the pass before it. If a module has run a second pass while the
    first still waits for its backward, as in ``out = model(x); model(x_other);
    model.backward(g)``, backward cannot know which pass ``g`` belongs to, so
    it raises ``RuntimeError`` (and forgets every waiting pass, so the next
    forward and backward work) rather than answer the wrong one. Run the
    passes you will not back-propagate under ``with nn.no_grad():``, or call
    backward before the next forward. Only the newest pass is kept, so
    forward after forward never grows the memory; a forward that raises
    leaves no pass waiting.

    **Checks.** The outermost call checks its input ``x`` (a finite array of
    numbers, converted to float) and each layer checks the shape it needs, in
    one line (``self._check``); arrays the modules pass to each other inside a
    pass are the package's own and are not scanned again. ``backward`` checks
    ``grad_out`` in the same way: a finite array with the shape of the output
    of the forward it answers, else ``ValueError`` naming ``grad_out``.
    """

    _buffers: tuple[str, ...] = ()

    def __init__(self):
        self.training = True
        self._saved = []  # (pass, output shape, arrays) of the forwards waiting for backward, newest last
        self._dropped = 0  # the newest pass dropped while still waiting (0: none)

    def __call__(self, x):
        passes = _passes
        if passes.depth:  # inside another module's forward: x is the package's own array
            passes.depth += 1
            try:
                return self.forward(x)
            finally:
                passes.depth -= 1
        passes.count += 1  # the outermost call: a new pass, x comes from the user
        x = as_float_array(x, "x")
        passes.depth, passes.user_input = 1, x
        try:
            return self.forward(x)
        except BaseException:
            passes.discarded = passes.count  # a pass that failed half-way leaves nothing waiting
            raise
        finally:
            passes.depth, passes.user_input = 0, None

    def forward(self, x):
        """The output ``y = f(x; θ)`` for a batch ``x``; keeps what ``backward`` needs."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, grad_out):
        """Given ``∂L/∂y`` for the waiting forward, add ``∂L/∂θ`` to each ``.grad`` and return ``∂L/∂x``.

        ``grad_out`` must be finite and shaped like that forward's output. The
        forward must not have run under :class:`no_grad`, and no other pass of
        this module may have come in between (see the class docstring). An
        input array changed in place after forward does not change the
        gradient: a layer that keeps its input keeps a copy of the array you
        passed in (arrays made inside the network are not copied).

        ``Linear`` and ``Sequential`` also take ``input_grad=False``: the
        same parameter gradients, without computing ``∂L/∂x`` (``None`` is
        returned). ``train.fit`` trains this way.
        """
        raise NotImplementedError(f"{type(self).__name__} does not define backward")

    # -- helpers for layers: checks, and the forwards saved for backward ----------------
    def _check(self, x, *, ndim=None, features=None):
        """Check the shape of ``x`` for this layer (the outermost call already checked its values).

        A direct call of ``forward`` (not through ``module(x)``) checks the values here.
        """
        if not _passes.depth:
            x = as_float_array(x, "x")
        if ndim is not None and x.ndim != ndim:
            raise ValueError(f"x must be {ndim}-D, got shape {x.shape}")
        if features is not None and x.shape[1] != features:
            raise ValueError(f"x must have shape (N, {features}), got shape {x.shape}")
        return x

    def _own(self, x):
        """``x`` itself, or a copy if it is (a view of) the array passed to the outermost call.

        A layer keeps ``self._own(x)`` for backward, so a user who changes
        their input in place after forward does not change the gradient.
        """
        passes = _passes
        if passes.grad_enabled and (not passes.depth or np.may_share_memory(x, passes.user_input)):
            return x.copy()
        return x

    def _save(self, output_shape, *arrays) -> None:
        """Push ``arrays`` for the backward of this forward, whose output has ``output_shape``."""
        passes = _passes
        if not passes.grad_enabled:
            return
        if not passes.depth:  # forward called directly: a pass of its own
            passes.count += 1
        saved = self._saved
        if saved and saved[-1][0] != passes.count:  # a pass that is still waiting: keep only the new one
            if saved[-1][0] > passes.discarded:
                self._dropped = saved[-1][0]
            saved.clear()
        saved.append((passes.count, output_shape, arrays))

    def _forget_passes(self) -> None:
        """Forget the forwards still waiting for backward, here and in every sub-module.

        For a training loop (``train.fit``) that starts afresh: no pass run
        before it can be one it back-propagates.
        """
        for module in self.modules():
            module._saved.clear()
            module._dropped = 0

    def _saved_for(self, grad_out):
        """Check ``grad_out`` against the waiting forward; return it and that forward's arrays (popped)."""
        passes = _passes
        saved = self._saved
        name = type(self).__name__
        if self._dropped > passes.discarded:
            passes.discarded = passes.count  # every waiting pass of every module is forgotten
            saved.clear()
            raise RuntimeError(
                f"{name}.backward cannot know which forward pass it answers: the module ran forward again "
                "before the backward of its previous pass. Run the passes you will not back-propagate under "
                "`with nn.no_grad():` (as evaluation does), or call backward before the next forward. "
                "The waiting passes are forgotten: run forward again, then backward."
            )
        if not saved or saved[-1][0] <= passes.discarded:
            saved.clear()
            raise RuntimeError(
                f"{name}.backward was called before forward: no forward pass is waiting for it "
                "(a forward under nn.no_grad() keeps nothing for backward, and each forward is answered once)"
            )
        shape = saved[-1][1]
        if not passes.in_backward:
            grad_out = as_float_array(grad_out, "grad_out")
        if grad_out.shape != shape:
            raise ValueError(f"grad_out must have the shape of {name}'s output {shape}, got shape {grad_out.shape}")
        return grad_out, saved.pop()[2]

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

    def modules(self) -> Iterator["Module"]:
        """This module and every sub-module, each once, as ``torch.nn.Module.modules``."""
        seen = set()
        stack = [self]
        while stack:
            module = stack.pop()
            if id(module) not in seen:
                seen.add(id(module))
                yield module
                stack.extend(reversed([child for _, child in module.named_children()]))

    def parameters(self) -> list[Parameter]:
        """A list of every ``Parameter`` of this module and its sub-modules."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Reset the gradient of every parameter to zeros (in place)."""
        for p in self.parameters():
            p.zero_grad()

    # -- modes and dtype ----------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        """Set training mode (``mode=True``) or evaluation mode here and in every sub-module."""
        self.training = check_flag(mode, "mode")
        for _, child in self.named_children():
            child.train(mode)
        return self

    def eval(self) -> "Module":
        """Set evaluation mode: Dropout becomes the identity, BatchNorm uses running statistics."""
        return self.train(False)

    def to(self, dtype) -> "Module":
        """Convert every parameter, its gradient and every buffer to ``dtype``, here and in every sub-module.

        ``dtype`` is ``numpy.float32`` or ``numpy.float64`` (PyTorch's
        ``module.to(torch.float32)``). Returns ``self``; the arrays are
        replaced by converted copies, so an optimizer built on
        ``parameters()`` before still drives the same ``Parameter`` objects
        (its own state, such as momentum, keeps its dtype: build it after
        converting). Passes waiting for backward are forgotten.
        """
        dtype = check_float_dtype(dtype)
        for p in self.parameters():
            zero, own = p._grad_is_zero, p._grad_is_own
            p.data = p.data.astype(dtype, copy=False)
            p.grad = np.asarray(p._grad).astype(dtype, copy=False)
            p._grad_is_zero, p._grad_is_own = zero, own
        for module in self.modules():
            for name in module._buffers:
                setattr(module, name, getattr(module, name).astype(dtype, copy=False))
        self._forget_passes()
        return self

    def float(self) -> "Module":
        """``self.to(numpy.float32)``, as ``torch.nn.Module.float``."""
        return self.to(np.float32)

    def double(self) -> "Module":
        """``self.to(numpy.float64)``, as ``torch.nn.Module.double``."""
        return self.to(np.float64)

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


def _backward(module: Module, grad_out, *, input_grad: bool = True):
    """``module.backward(grad_out)``, or with ``input_grad=False`` the same gradients without ``∂L/∂x`` (Chapter 1).

    Modules whose ``backward`` can skip the gradient with respect to their
    input (``Linear`` and ``Sequential``: the method carries
    ``_input_grad_optional``, which a subclass that overrides ``backward``
    does not inherit) are asked to; any other module computes it as usual
    and it is dropped. Returns
    ``∂L/∂x``, or ``None`` when ``input_grad`` is false.
    """
    if input_grad:
        return module.backward(grad_out)
    if getattr(type(module).backward, "_input_grad_optional", False):
        return module.backward(grad_out, input_grad=False)
    module.backward(grad_out)
    return None


class Sequential(Module):
    """Modules applied one after another: ``y = f_n(... f_2(f_1(x)))`` (Chapter 1).

    ``backward`` runs the chain rule in reverse order,
    ``∂L/∂x = J_1ᵀ J_2ᵀ ... J_nᵀ ∂L/∂y``. Sub-modules are named ``"0"``,
    ``"1"``, ... as in PyTorch. One module may appear more than once (its
    gradients add up, see :class:`Module`).
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

    def backward(self, grad_out, input_grad=True):
        """Back-propagate ``grad_out`` through the modules in reverse order; return ``∂L/∂x``.

        With ``input_grad=False`` the first module is asked not to compute the
        gradient with respect to the input (a ``Linear`` then skips its
        product ``G Wᵀ``) and ``None`` is returned; every parameter gets the
        same gradient. ``train.fit`` trains this way, since it never uses
        ``∂L/∂x``.
        """
        input_grad = check_flag(input_grad, "input_grad")
        passes = _passes
        if passes.in_backward:  # inside another backward: grad_out is the package's own array
            return self._backward_layers(grad_out, input_grad)
        grad_out = as_float_array(grad_out, "grad_out")
        passes.in_backward = True
        try:
            return self._backward_layers(grad_out, input_grad)
        finally:
            passes.in_backward = False

    backward._input_grad_optional = True  # see _backward

    def _backward_layers(self, grad_out, input_grad):
        if not self.layers:
            return grad_out if input_grad else None
        for module in reversed(self.layers[1:]):
            grad_out = module.backward(grad_out)
        return _backward(self.layers[0], grad_out, input_grad=input_grad)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)
