"""The ``Optimizer`` base class shared by every gradient-descent variant (Chapter 4).

An optimizer holds a list of :class:`dlnotes.nn.Parameter` and, at each
``step()``, reads every parameter's gradient ``g = ∂L/∂θ`` and moves ``θ``
in place. The variants differ only in how they turn the gradient into a step;
the base class does the rest once: it checks the parameters, the gradients
and the hyperparameters, flips the gradient for ``maximize``, applies L2
weight decay, counts the steps, and saves and restores the per-parameter
state.

Every update works in place, on arrays made once: the state (``m``, ``v``,
...) lives in ``state``, and the intermediate results of a step go to scratch
arrays (:meth:`Optimizer.scratch`) allocated at the first step. So after
the first, a step allocates nothing of the parameters' size, and its cost is
that of the arithmetic plus one dot product per parameter, which checks the
parameter finite. A gradient that the package's ``backward`` wrote (from
checked inputs) is not checked again; one set or read through ``.grad`` is.
"""

from __future__ import annotations

import copy

import numpy as np

from .._validation import _show, all_finite, as_float_array, check_flag, check_number, check_same_shape
from ..nn.module import Parameter

#: What the base class supplies when a variant does not pass it: no weight decay, descend.
DEFAULTS = {"weight_decay": 0, "maximize": False}


def _state_array(state: dict, name: str, like: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """The state array ``state[name]``, created on first use filled with ``fill``.

    It has the shape and dtype of ``like`` (the parameter), so float32
    parameters keep float32 state.
    """
    if name not in state:
        state[name] = np.full_like(like, fill)
    return state[name]


def _typed(value):
    """``value`` with its type, and the types of its entries for a tuple or list (NaN never equals itself)."""
    if isinstance(value, (tuple, list)):
        return type(value), tuple(_typed(v) for v in value)
    return type(value), value


def _as_parameter_list(params) -> list[Parameter]:
    """``params`` (any iterable of ``Parameter``) as a non-empty list without repeats."""
    if isinstance(params, (Parameter, np.ndarray, str, bytes)):
        raise TypeError(f"params must be an iterable of dlnotes.nn.Parameter, got {_show(params)}")
    try:
        params = list(params)
    except TypeError as exc:
        raise TypeError(f"params must be an iterable of dlnotes.nn.Parameter, got {_show(params)}") from exc
    if not params:
        raise ValueError("params must hold at least one Parameter, got an empty iterable")
    seen = set()
    for i, p in enumerate(params):
        if not isinstance(p, Parameter):
            raise TypeError(f"params[{i}] must be a dlnotes.nn.Parameter, got {_show(p)}")
        if id(p) in seen:
            raise ValueError(f"params[{i}] appears more than once in params: {p!r}")
        seen.add(id(p))
    return params


class Optimizer:
    r"""Base class of the optimizers in ``dlnotes.optim`` (Chapter 4).

    Every variant follows the same loop; for ``t = 1, 2, ...`` and each
    parameter ``θ`` with gradient ``g_t``:

    .. math::

        g_t \leftarrow -g_t \quad (\text{maximize}), \qquad
        g_t \leftarrow g_t + \lambda\,\theta_{t-1} \quad (\text{weight decay } \lambda \ne 0),
        \qquad \theta_t \leftarrow \theta_{t-1} - \text{(the variant's step)}.

    A new variant passes its hyperparameters to ``__init__`` and defines
    ``update`` (and, for its own hyperparameters, ``check_hyperparameters``)::

        class SignSGD(Optimizer):
            def __init__(self, params, lr=0.01):
                super().__init__(params, lr=lr)

            def update(self, theta, g, state):
                theta -= self.lr * np.sign(g)

    Parameters
    ----------
    params : iterable of Parameter
        A list, a generator or ``model.parameters()``; one optimizer drives a
        network or a 2-D point on a surface alike.
    **hyperparameters
        Kept as plain attributes (``opt.lr``, ``opt.momentum``, ...), saved by
        ``state_dict()``. ``lr`` is required; ``weight_decay`` (default 0) and
        ``maximize`` (default False, PyTorch's: ascend instead of descend)
        are supplied when a variant does not pass them. They may be changed
        between steps (the book lowers ``lr``); each ``step()`` checks them
        again.

    Attributes
    ----------
    params : list of Parameter
    state : list of dict
        One dict per parameter, in the order of ``params``, with the
        variant's arrays under PyTorch's names and ``"step"``, the number of
        steps taken (an int).

    Notes
    -----
    ``step()`` refuses a gradient of the wrong shape, or a parameter or
    gradient with a NaN or infinite entry (``ValueError`` naming
    ``params[i]`` or ``params[i].grad``), before it moves anything. The
    update itself is plain floating-point arithmetic with overflow warnings
    turned off: a step that diverges gives huge or infinite parameters, never
    a warning, so callers (the book's trajectory helper) test ``np.isfinite``
    on the parameters to stop a divergent run before the next step.
    """

    #: Names of the per-parameter state arrays this variant may create.
    state_names: tuple[str, ...] = ()

    def __init__(self, params, **hyperparameters):
        if "lr" not in hyperparameters:
            raise TypeError(
                f"{type(self).__name__} must pass lr to Optimizer.__init__, as in "
                f"super().__init__(params, lr=lr), got only {sorted(hyperparameters)}"
            )
        self.params = _as_parameter_list(params)
        hyperparameters = {**hyperparameters, **{k: v for k, v in DEFAULTS.items() if k not in hyperparameters}}
        self._hyperparameter_names = tuple(hyperparameters)
        for name, value in hyperparameters.items():
            setattr(self, name, value)
        self.check_hyperparameters()
        self._checked = self._hyperparameter_key()
        self.state = [{"step": 0} for _ in self.params]
        self._scratch: dict[int, tuple[np.ndarray, dict[str, np.ndarray]]] = {}

    # -- what each variant defines ---------------------------------------------
    def check_hyperparameters(self) -> None:
        """Check the hyperparameter attributes; variants add their own checks after these."""
        self.lr = check_number(self.lr, "lr", low=0.0)
        self.weight_decay = check_number(self.weight_decay, "weight_decay", low=0.0)
        self.maximize = check_flag(self.maximize, "maximize")

    def update(self, theta: np.ndarray, g: np.ndarray, state: dict) -> None:
        """Move ``theta`` in place given gradient ``g`` (``maximize`` and weight decay already applied).

        ``g`` must not be changed: it may be the caller's ``.grad``.
        """
        raise NotImplementedError(f"{type(self).__name__} does not define update")

    def decay(self, theta: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The gradient the update uses: ``-g`` with ``maximize``, plus ``λ θ`` with weight decay.

        ``g`` itself is left alone; the result goes to a scratch array (or is
        ``g`` when there is nothing to do). ``Adam`` overrides this for
        decoupled weight decay.
        """
        if self.weight_decay == 0:
            return np.negative(g, out=self.scratch(theta, "grad")) if self.maximize else g
        d = np.multiply(theta, self.weight_decay, out=self.scratch(theta, "grad"))
        return np.subtract(d, g, out=d) if self.maximize else np.add(d, g, out=d)

    def scratch(self, like: np.ndarray, name: str) -> np.ndarray:
        """A scratch array ``name`` shaped and typed like ``like``, made at the first step and reused.

        Not part of the state: its contents mean nothing between steps. A
        parameter whose ``.data`` is replaced by a new array gets new scratch
        arrays.
        """
        entry = self._scratch.get(id(like))
        if entry is None or entry[0] is not like:
            entry = self._scratch[id(like)] = (like, {})
        arrays = entry[1]
        if name not in arrays:
            arrays[name] = np.empty_like(like)
        return arrays[name]

    # -- the training loop -------------------------------------------------------
    def gradient(self, i: int) -> np.ndarray:
        """The checked gradient of ``params[i]``, in the parameter's dtype.

        Both the parameter and its gradient must be finite.
        """
        p = self.params[i]
        theta, g = p.data, p._own_grad()
        if g is not None and isinstance(theta, np.ndarray) and g.dtype == theta.dtype and g.shape == theta.shape and all_finite(theta):
            return g  # the common case: a gradient of backward (checked inputs), the parameter at one dot product
        g = p.grad
        as_float_array(theta, f"params[{i}]")
        g = as_float_array(g, f"params[{i}].grad")
        check_same_shape(theta, g, f"params[{i}]", f"params[{i}].grad")
        return g.astype(theta.dtype, copy=False)

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``.

        All gradients are checked before any parameter moves, so a bad
        gradient leaves the parameters and the state untouched.
        """
        self._check_changed_hyperparameters()
        grads = [self.gradient(i) for i in range(len(self.params))]
        if len(self._scratch) > len(self.params):  # some .data was replaced: forget its scratch arrays
            live = {id(p.data) for p in self.params}
            self._scratch = {key: entry for key, entry in self._scratch.items() if key in live}
        with np.errstate(over="ignore"):
            for p, g, state in zip(self.params, grads, self.state):
                state["step"] += 1
                self.update(p.data, self.decay(p.data, g), state)

    def _hyperparameter_key(self) -> tuple:
        """The hyperparameters with their types (``1`` is not ``True``, ``np.float64(0.5)`` not ``0.5``)."""
        return tuple(_typed(getattr(self, name)) for name in self._hyperparameter_names)

    def _check_changed_hyperparameters(self) -> None:
        """``check_hyperparameters()``, unless no hyperparameter changed since it last passed."""
        if self._hyperparameter_key() != self._checked:
            self.check_hyperparameters()
            self._checked = self._hyperparameter_key()

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to zeros."""
        for p in self.params:
            p.zero_grad()

    # -- saving and resuming -----------------------------------------------------
    def state_dict(self) -> dict:
        """Deep copies of the state and the hyperparameters.

        Returns
        -------
        dict
            ``{"state": [dict per parameter], "hyperparameters": {name: value}}``.
        """
        return {
            "state": copy.deepcopy(self.state),
            "hyperparameters": {name: copy.deepcopy(getattr(self, name)) for name in self._hyperparameter_names},
        }

    def load_state_dict(self, state_dict) -> None:
        """Restore what ``state_dict()`` saved, so that training resumes bit for bit.

        The saved state must have one entry per parameter, arrays shaped like
        the parameters (they take the parameter's dtype) and the same
        hyperparameter names; anything else raises ``ValueError`` or
        ``TypeError`` and leaves the optimizer unchanged.
        """
        if not isinstance(state_dict, dict):
            raise TypeError(f"state_dict must be a dict, got {_show(state_dict)}")
        if set(state_dict) != {"state", "hyperparameters"}:
            raise ValueError(f"state_dict must have the keys 'state' and 'hyperparameters', got {sorted(state_dict)}")
        saved_state, saved_hyper = state_dict["state"], state_dict["hyperparameters"]
        if not isinstance(saved_state, (list, tuple)):
            raise TypeError(f"state_dict['state'] must be a list, got {_show(saved_state)}")
        if len(saved_state) != len(self.params):
            raise ValueError(
                f"state_dict['state'] has {len(saved_state)} entries but the optimizer has "
                f"{len(self.params)} params"
            )
        if not isinstance(saved_hyper, dict) or set(saved_hyper) != set(self._hyperparameter_names):
            raise ValueError(
                f"state_dict['hyperparameters'] must have the keys {sorted(self._hyperparameter_names)}, "
                f"got {_show(saved_hyper)}"
            )
        new_state = [self._restored_entry(i, entry) for i, entry in enumerate(saved_state)]
        old_hyper = {name: getattr(self, name) for name in self._hyperparameter_names}
        try:
            for name, value in saved_hyper.items():
                setattr(self, name, copy.deepcopy(value))
            self.check_hyperparameters()
        except (TypeError, ValueError):
            for name, value in old_hyper.items():
                setattr(self, name, value)
            raise
        self.state = new_state

    def _restored_entry(self, i: int, entry) -> dict:
        """A checked copy of the saved state of ``params[i]``."""
        where = f"state_dict['state'][{i}]"
        if not isinstance(entry, dict) or "step" not in entry:
            raise ValueError(f"{where} must be a dict with a 'step' count, got {_show(entry)}")
        unknown = set(entry) - {"step", *self.state_names}
        if unknown:
            raise ValueError(f"{where} has unknown keys {sorted(unknown)}; {type(self).__name__} keeps {list(self.state_names)}")
        step = check_number(entry["step"], f"{where}['step']", low=0, integer=True)
        restored = {"step": int(step)}
        data = self.params[i].data
        for name in self.state_names:
            if name in entry:
                value = as_float_array(entry[name], f"{where}[{name!r}]")
                if value.shape != data.shape:
                    raise ValueError(f"{where}[{name!r}] must have the shape of params[{i}] {data.shape}, got shape {value.shape}")
                restored[name] = value.astype(data.dtype, copy=True)
        return restored

    def __repr__(self) -> str:
        hyper = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._hyperparameter_names)
        return f"{type(self).__name__}({len(self.params)} params, {hyper})"
