r"""Two-dimensional test functions for optimizer trajectories (chapter 4).

Each surface is a cost :math:`J(\theta)` of a point :math:`\theta = (\theta_1, \theta_2)`.
It is called on points of shape ``(..., 2)`` and returns values of
shape ``(...)``; ``grad`` returns the analytic gradient, shape ``(..., 2)``,
dtype kept. A NaN point (a row of a diverged :func:`descend` path) gives NaN,
so ``surface(path)`` is the loss along a path. Each carries what a figure needs: a plotting window ``bounds``,
its ``minima`` (and ``minimum`` when there is exactly one), the value
``minimum_value`` there (:math:`J^*`, to shift log-scaled contours) and a ``start`` point
where optimizers behave instructively. :func:`descend` runs any
``dlnotes.optim`` optimizer from a start point, so every optimizer races on the
same surfaces in every figure, and returns a :class:`Descent`: the path, the
optimizer (to read its state) and, for a run that diverged, where it went.

==============  =============================================================  =================
name            :math:`J(\theta_1, \theta_2)`                                  minima
==============  =============================================================  =================
``quadratic``   :math:`\tfrac12 \theta^\top H \theta`, cond(H) = kappa         (0, 0)
``rosenbrock``  :math:`(a - \theta_1)^2 + b (\theta_2 - \theta_1^2)^2`         (a, a^2)
``beale``       :math:`\sum_{i=1}^3 (c_i - \theta_1 + \theta_1 \theta_2^i)^2`  (3, 0.5)
``saddle``      :math:`\theta_1^2 + \theta_2^4/4 - \theta_2^2/2`               (0, ±1)
==============  =============================================================  =================
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import _show, as_float_array, check_choice, check_number
from .nn.module import Parameter


class Surface:
    """Base of the 2-D test functions: shared input checks, ``grad``, ``grid`` (chapter 4).

    Subclasses define ``_value(x, y)`` (:math:`J`) and ``_partials(x, y)`` returning
    :math:`(\\partial J/\\partial \\theta_1, \\partial J/\\partial \\theta_2)` on the coordinate
    arrays ``x`` (:math:`\\theta_1`) and ``y`` (:math:`\\theta_2`), and set the class attributes below.

    Attributes
    ----------
    name : str
        Key in :data:`SURFACES`.
    bounds : ((xmin, xmax), (ymin, ymax))
        Plotting window.
    minima : tuple of (θ₁, θ₂)
        Every global minimizer.
    minimum_value : float
        :math:`J^*`, the value of :math:`J` at the minima.
    start : (θ₁, θ₂)
        Default start point for :func:`descend`.
    """

    name: str
    bounds: tuple[tuple[float, float], tuple[float, float]]
    minima: tuple[tuple[float, float], ...]
    minimum_value: float = 0.0
    start: tuple[float, float]

    @property
    def minimum(self) -> tuple[float, float] | None:
        """The minimizer when there is exactly one, else None (the saddle has two)."""
        return self.minima[0] if len(self.minima) == 1 else None

    @staticmethod
    def _coordinates(points) -> tuple[np.ndarray, np.ndarray]:
        points = as_float_array(points, "points", finite=False)
        if points.ndim == 0 or points.shape[-1] != 2:
            raise ValueError(f"points must have shape (..., 2), got shape {points.shape}")
        if np.any(np.isinf(points)):
            raise ValueError(f"points must not be infinite, got {_show(points)}")
        return points[..., 0], points[..., 1]

    def __call__(self, points) -> np.ndarray:
        """:math:`J` at each point: shape (..., 2) in, shape (...) out."""
        return self._value(*self._coordinates(points))

    def grad(self, points) -> np.ndarray:
        """:math:`\\nabla J` at each point: shape (..., 2) in, shape (..., 2) out."""
        return np.stack(self._partials(*self._coordinates(points)), axis=-1)

    def grid(self, n: int = 100) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(X, Y, Z)`` on an ``n`` by ``n`` grid over ``bounds`` for ``contour`` plots.

        ``Z[i, j]`` is :math:`J` at ``(X[i, j], Y[i, j])``, finite everywhere in the window; for
        log-scaled contours use ``Z - minimum_value`` (zero only at the minima).
        """
        check_number(n, "n", low=2, integer=True)
        (xmin, xmax), (ymin, ymax) = self.bounds
        X, Y = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n))
        return X, Y, self._value(X, Y)

    def _value(self, x, y):
        raise NotImplementedError

    def _partials(self, x, y):
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Quadratic(Surface):
    """An ill-conditioned quadratic bowl, optionally rotated (chapter 4).

    .. math:: J(\\theta) = \\tfrac12\\, \\theta^\\top H \\theta, \\qquad
              H = Q_\\varphi \\operatorname{diag}(1, \\kappa) Q_\\varphi^\\top, \\qquad
              \\nabla J(\\theta) = H \\theta,

    with :math:`\\kappa` = ``condition_number`` (the ratio of the largest to
    the smallest curvature) and :math:`Q_\\varphi` the rotation by ``angle``
    degrees. Gradient descent is stable for a learning rate below
    :math:`2/\\kappa`, so with a rate near that bound it zig-zags across the
    steep direction and crawls along the flat one; momentum and adaptive
    rates help.

    Parameters
    ----------
    condition_number : float in [1, 1e6]
        :math:`\\kappa`, the largest over the smallest curvature.
    angle : float in [-360, 360]
        Rotation of the bowl's axes, in degrees (0: axes along θ₁ and θ₂).
    """

    name = "quadratic"
    bounds = ((-5.0, 5.0), (-3.0, 3.0))
    minima = ((0.0, 0.0),)
    start = (-4.0, 2.0)

    def __init__(self, condition_number: float = 10.0, angle: float = 0.0):
        self.condition_number = check_number(condition_number, "condition_number", low=1, high=1e6)
        self.angle = check_number(angle, "angle", low=-360, high=360)
        phi = np.deg2rad(angle)
        cos, sin = math.cos(phi), math.sin(phi)  # the C library's: NumPy 1.x's SIMD loops vary in the last bit
        rotation = np.array([[cos, -sin], [sin, cos]])
        self.hessian = rotation @ np.diag([1.0, float(condition_number)]) @ rotation.T

    def _value(self, x, y):
        (a, b), (_, c) = self.hessian.astype(x.dtype)
        return 0.5 * (a * x * x + 2 * b * x * y + c * y * y)

    def _partials(self, x, y):
        (a, b), (_, c) = self.hessian.astype(x.dtype)
        return a * x + b * y, b * x + c * y

    def __repr__(self) -> str:
        return f"Quadratic(condition_number={self.condition_number}, angle={self.angle})"


class Rosenbrock(Surface):
    """Rosenbrock's banana-shaped valley (chapter 4).

    .. math:: J(\\theta) = (a - \\theta_1)^2 + b\\,(\\theta_2 - \\theta_1^2)^2, \\qquad
              \\nabla J = \\big(-2(a - \\theta_1) - 4 b \\theta_1 (\\theta_2 - \\theta_1^2),\\; 2 b (\\theta_2 - \\theta_1^2)\\big),

    minimum 0 at :math:`(a, a^2)`. The valley floor :math:`\\theta_2 = \\theta_1^2` is easy
    to reach and slow to follow. The default start (-1.2, 1) is Rosenbrock's
    own (1960).

    Parameters
    ----------
    a : float in [-1.5, 1.5]
        Position of the minimum (kept inside the plotting window).
    b : float in (0, 1e4]
        Steepness of the valley walls.
    """

    name = "rosenbrock"
    bounds = ((-2.0, 2.0), (-1.0, 3.0))
    start = (-1.2, 1.0)

    def __init__(self, a: float = 1.0, b: float = 100.0):
        self.a = check_number(a, "a", low=-1.5, high=1.5)
        self.b = check_number(b, "b", low=0, high=1e4, low_open=True)
        self.minima = ((float(a), float(a) ** 2),)

    def _value(self, x, y):
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def _partials(self, x, y):
        valley = y - x * x
        return -2 * (self.a - x) - 4 * self.b * x * valley, 2 * self.b * valley

    def __repr__(self) -> str:
        return f"Rosenbrock(a={self.a}, b={self.b})"


class Beale(Surface):
    """Beale's function: flat plateaus and steep ridges (chapter 4).

    .. math:: J(\\theta) = \\sum_{i=1}^{3} e_i^2, \\quad e_i = c_i - \\theta_1 + \\theta_1 \\theta_2^i, \\quad
              c = (1.5, 2.25, 2.625),

    .. math:: \\frac{\\partial J}{\\partial \\theta_1} = \\sum_i 2 e_i (\\theta_2^i - 1), \\qquad
              \\frac{\\partial J}{\\partial \\theta_2} = \\sum_i 2 e_i\\, i\\, \\theta_1\\, \\theta_2^{i-1},

    minimum 0 at (3, 0.5). Gradients vary over orders of magnitude across the
    window, which favours adaptive learning rates.
    """

    name = "beale"
    bounds = ((-4.5, 4.5), (-4.5, 4.5))
    minima = ((3.0, 0.5),)
    start = (1.0, 1.5)
    _c = (1.5, 2.25, 2.625)

    def _value(self, x, y):
        return sum((c - x + x * y**i) ** 2 for i, c in enumerate(self._c, start=1))

    def _partials(self, x, y):
        terms = [(i, c - x + x * y**i) for i, c in enumerate(self._c, start=1)]
        return (
            sum(2 * t * (y**i - 1) for i, t in terms),
            sum(2 * t * i * x * y ** (i - 1) for i, t in terms),
        )


class Saddle(Surface):
    """A saddle point at the origin with two minima beyond it (chapter 4).

    .. math:: J(\\theta) = \\theta_1^2 + \\tfrac14 \\theta_2^4 - \\tfrac12 \\theta_2^2, \\qquad
              \\nabla J = (2\\theta_1,\\; \\theta_2^3 - \\theta_2).

    The Hessian at (0, 0) is diag(2, -1): a minimum along :math:`\\theta_1`, a
    maximum along :math:`\\theta_2`. The quartic term makes the surface bounded
    below, with minima :math:`J^* = -1/4` at :math:`(0, \\pm 1)`, so an
    optimizer that escapes the saddle settles instead of diverging. From the
    default start (-1.8, 0.01), just off the ridge, plain gradient descent
    lingers near the saddle (the :math:`\\theta_2` offset grows only by a factor
    :math:`1 + \\epsilon` per step, for the learning rate :math:`\\epsilon`) while momentum
    escapes sooner; from :math:`\\theta_2 = 0` exactly, it never escapes.
    """

    name = "saddle"
    bounds = ((-2.0, 2.0), (-1.5, 1.5))
    minima = ((0.0, -1.0), (0.0, 1.0))
    minimum_value = -0.25
    start = (-1.8, 0.01)
    saddle = (0.0, 0.0)

    def _value(self, x, y):
        y2 = y * y
        return x * x + 0.25 * y2 * y2 - 0.5 * y2

    def _partials(self, x, y):
        return 2 * x, y * y * y - y


SURFACES: dict[str, type[Surface]] = {cls.name: cls for cls in (Quadratic, Rosenbrock, Beale, Saddle)}
"""The surfaces by name: ``SURFACES["rosenbrock"]()`` builds one with default parameters."""

ESCAPE_FACTOR = 10.0
"""A run of :func:`descend` stops once it leaves the window grown ``ESCAPE_FACTOR`` times about its centre."""


class Descent(NamedTuple):
    """One optimizer's run on a surface, as :func:`descend` returns it (chapter 4).

    ``path`` has shape (steps + 1, 2): row 0 is the start, row :math:`t` is
    :math:`\\theta_t`, and the rows from the step that left the escape box on are NaN.
    ``optimizer`` is the optimizer after its last step. ``diverged_at`` is that
    step :math:`k` (None if the run stayed), and ``escape`` the point
    :math:`\\theta_k` it jumped to (None if it stayed, or if that point is not
    finite), so a figure can draw the path's last segment off the edge.
    """

    path: np.ndarray
    optimizer: object
    diverged_at: int | None
    escape: np.ndarray | None


def descend(surface: Surface, optimizer, start=None, steps: int = 100, **hyperparameters) -> Descent:
    """Run an optimizer on a surface: the visited points, the optimizer, and where a diverging run went (chapter 4).

    A :class:`~dlnotes.nn.Parameter` :math:`\\theta_0` is created at ``start``
    (default ``surface.start``; its dtype is kept) and
    ``optimizer([p], **hyperparameters)`` built. Each step sets
    :math:`g_t = \\nabla J(\\theta_t)` as the parameter's ``grad`` and calls
    ``step()``, e.g. :math:`\\theta_{t+1} = \\theta_t - \\epsilon g_t` for plain SGD with learning rate :math:`\\epsilon`.

    Divergence: once a point :math:`\\theta_k` leaves the box centred on the plotting
    window and ``ESCAPE_FACTOR`` (10) times its size, or becomes non-finite,
    stepping stops; row :math:`k` and all later rows of the path are NaN (a plot
    shows the path ending at the edge; the values stay finite and no overflow
    warnings are raised), and :math:`\\theta_k` itself is kept as ``escape``.

    Parameters
    ----------
    surface : Surface
    optimizer : a ``dlnotes.optim`` class, or any callable ``(params, **hyperparameters)``
        returning an object with ``step()``.
    start : (θ₁, θ₂), optional
    steps : int
        Number of optimizer steps, at least 0.
    **hyperparameters
        Passed to ``optimizer``, e.g. ``lr=0.1, momentum=0.9``.

    Returns
    -------
    Descent
        ``path`` of shape (steps + 1, 2), the stepped ``optimizer`` (so its state
        can be read, e.g. AdaGrad's accumulated squared gradients
        ``opt.state[0]["sum"]``), ``diverged_at`` and ``escape``.

    Examples
    --------
    >>> from dlnotes.optim import Adagrad, SGD
    >>> path = descend(Rosenbrock(), SGD, steps=500, lr=1e-3, momentum=0.9).path
    >>> opt = descend(Rosenbrock(), Adagrad, steps=2000, lr=1.5).optimizer
    >>> rate = opt.lr / (opt.eps + np.sqrt(opt.state[0]["sum"]))  # AdaGrad's per-coordinate step size
    """
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a dlnotes.surfaces.Surface, got {_show(surface)}")
    if not callable(optimizer):
        raise TypeError(f"optimizer must be an optimizer class or callable, got {_show(optimizer)}")
    check_number(steps, "steps", low=0, integer=True)
    start = as_float_array(surface.start if start is None else start, "start")
    if start.shape != (2,):
        raise ValueError(f"start must be one point (x, y), got shape {start.shape}")
    param = Parameter(start)
    opt = optimizer([param], **hyperparameters)
    if not callable(getattr(opt, "step", None)):
        raise TypeError(f"optimizer must build an object with a step() method, got {_show(opt)}")
    (xmin, xmax), (ymin, ymax) = surface.bounds
    centre = np.array([xmin + xmax, ymin + ymax]) / 2
    reach = ESCAPE_FACTOR * np.array([xmax - xmin, ymax - ymin]) / 2
    path = np.full((steps + 1, 2), np.nan, dtype=param.data.dtype)
    path[0] = param.data
    for t in range(1, steps + 1):
        param.grad = surface.grad(param.data)
        with np.errstate(over="ignore", invalid="ignore"):
            opt.step()
        point = param.data
        if not np.all(np.isfinite(point)):
            return Descent(path, opt, t, None)
        if not np.all(np.abs(point - centre) <= reach):
            return Descent(path, opt, t, np.array(point, copy=True))
        path[t] = point
    return Descent(path, opt, None, None)


def make_surface(name: str, **parameters) -> Surface:
    """Build the surface called ``name`` in :data:`SURFACES` (chapter 4), e.g. ``make_surface("quadratic", condition_number=50)``."""
    return SURFACES[check_choice(name, "name", SURFACES)](**parameters)
