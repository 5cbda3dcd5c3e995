"""Optimizers: dtype, in-place updates, saving and resuming, convergence, bad input, invariants.

The step-by-step numbers are checked in ``test_optim_steps.py``.
"""

import math
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes.nn import Parameter
from dlnotes.optim import SGD, Adadelta, Adagrad, Adam, Optimizer, RMSprop

# Every optimizer with every option switched on somewhere.
CONFIGS = [
    (SGD, dict(lr=0.1)),
    (SGD, dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    (SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
    (Adagrad, dict(lr=0.1, weight_decay=0.01, initial_accumulator_value=0.5, lr_decay=0.1)),
    (RMSprop, dict(lr=0.01)),
    (RMSprop, dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.01)),
    (Adam, dict(lr=0.01)),
    (Adam, dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.01, amsgrad=True)),
    (Adam, dict(lr=0.01, bias_correction=False)),
    (Adam, dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    (Adadelta, dict()),
    (Adadelta, dict(lr=0.5, rho=0.5, weight_decay=0.01)),
]
IDS = [f"{cls.__name__}-{'-'.join(kw) or 'defaults'}" for cls, kw in CONFIGS]


def make_params(dtype=np.float64):
    """A weight matrix and a bias vector, as in a small layer."""
    return [
        Parameter(np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]], dtype=dtype)),
        Parameter(np.array([0.1, -0.2], dtype=dtype)),
    ]


def set_grads(params, rng):
    """Gradients that depend on the parameters (as a loss's would) plus noise."""
    for p in params:
        p.grad = (0.5 * p.data + rng.normal(size=p.data.shape)).astype(p.data.dtype)


# -- dtype and in-place updates --------------------------------------------------


@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=IDS)
def test_float32_stays_float32(cls, kwargs):
    params = make_params(np.float32)
    opt = cls(params, **kwargs)
    rng = np.random.default_rng(0)
    for _ in range(3):
        set_grads(params, rng)
        params[1].grad = params[1].grad.astype(np.float64)  # a float64 gradient does not upcast
        opt.step()
    for p, state in zip(params, opt.state):
        assert p.data.dtype == np.float32
        arrays = [v for k, v in state.items() if k != "step"]
        assert arrays or kwargs == dict(lr=0.1), "only plain SGD keeps no arrays"
        assert all(a.dtype == np.float32 for a in arrays)
        assert state["step"] == 3 and isinstance(state["step"], int)


@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=IDS)
def test_updates_in_place(cls, kwargs):
    params = make_params()
    held = [p.data for p in params]  # references held elsewhere, e.g. by a layer
    before = [h.copy() for h in held]
    opt = cls(params, **kwargs)
    set_grads(params, np.random.default_rng(1))
    opt.step()
    for p, h, b in zip(params, held, before):
        assert p.data is h
        assert not np.array_equal(h, b)


def test_state_names_follow_torch():
    p = Parameter([1.0, 2.0])
    p.grad = np.array([0.5, -0.5])
    expected = [
        (SGD([p], lr=0.1, momentum=0.9), {"step", "momentum_buffer"}),
        (Adagrad([p]), {"step", "sum"}),
        (RMSprop([p], momentum=0.9, centered=True), {"step", "square_avg", "grad_avg", "momentum_buffer"}),
        (RMSprop([p]), {"step", "square_avg"}),
        (Adam([p], amsgrad=True), {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}),
        (Adam([p]), {"step", "exp_avg", "exp_avg_sq"}),
        (Adadelta([p]), {"step", "square_avg", "acc_delta"}),
    ]
    for opt, names in expected:
        opt.step()
        assert set(opt.state[0]) == names, type(opt).__name__


def test_defaults_follow_torch():
    p = [Parameter([1.0])]
    assert (Adagrad(p).lr, Adagrad(p).eps, Adagrad(p).initial_accumulator_value) == (0.01, 1e-10, 0.0)
    assert (RMSprop(p).lr, RMSprop(p).alpha, RMSprop(p).eps, RMSprop(p).centered) == (0.01, 0.99, 1e-8, False)
    assert (Adam(p).lr, Adam(p).betas, Adam(p).eps, Adam(p).amsgrad) == (0.001, (0.9, 0.999), 1e-8, False)
    assert (Adadelta(p).lr, Adadelta(p).rho, Adadelta(p).eps) == (1.0, 0.9, 1e-6)
    sgd = SGD(p, 0.5)
    assert (sgd.lr, sgd.momentum, sgd.dampening, sgd.weight_decay, sgd.nesterov) == (0.5, 0.0, 0.0, 0.0, False)
    assert SGD(p).lr == 1e-3  # PyTorch's default since 2.6; it used to be required
    assert (Adagrad(p).lr_decay, SGD(p).maximize, Adam(p).maximize, Adam(p).decoupled_weight_decay) == (
        0.0,
        False,
        False,
        False,
    )


def test_params_from_a_generator_and_zero_grad():
    params = make_params()
    opt = SGD((p for p in params), lr=0.1)
    assert opt.params == params
    for p in params:
        p.grad = np.ones_like(p.data)
    opt.zero_grad()
    for p in params:
        assert p.grad.shape == p.data.shape and not p.grad.any()


def test_lr_can_change_between_steps():
    p = Parameter([1.0])
    opt = SGD([p], lr=0.1)
    p.grad = np.array([1.0])
    opt.step()  # 1 - 0.1 = 0.9
    opt.lr = 0.5
    opt.step()  # 0.9 - 0.5 = 0.4
    np.testing.assert_allclose(p.data, [0.4], rtol=1e-15)
    opt.lr = -1.0
    with pytest.raises(ValueError, match="lr"):
        opt.step()
    np.testing.assert_allclose(p.data, [0.4], rtol=1e-15)


# -- saving and resuming -----------------------------------------------------------


def run(opt, params, rng, steps):
    for _ in range(steps):
        set_grads(params, rng)
        opt.step()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=IDS)
def test_state_dict_resumes_bit_for_bit(cls, kwargs, dtype):
    params = make_params(dtype)
    opt = cls(params, **kwargs)
    run(opt, params, np.random.default_rng(2), 3)
    saved_opt = opt.state_dict()
    saved_params = [p.data.copy() for p in params]

    run(opt, params, np.random.default_rng(3), 4)  # the original run goes on

    resumed = [Parameter(d) for d in saved_params]
    fresh_kwargs = dict(kwargs, lr=0.123)  # lr differs: loading restores it
    opt2 = cls(resumed, **fresh_kwargs)
    opt2.load_state_dict(saved_opt)
    assert opt2.lr == opt.lr
    run(opt2, resumed, np.random.default_rng(3), 4)
    for a, b in zip(params, resumed):
        assert a.data.dtype == b.data.dtype == dtype
        assert np.array_equal(a.data, b.data)
    # the saved dict was a deep copy: the later steps did not touch it
    assert saved_opt["state"][0]["step"] == 3
    assert opt.state[0]["step"] == 7


def test_state_dict_is_a_deep_copy():
    p = Parameter([1.0, 2.0])
    opt = Adam([p], lr=0.1)
    p.grad = np.array([1.0, 1.0])
    opt.step()
    saved = opt.state_dict()
    saved["state"][0]["exp_avg"][:] = 99.0
    saved["hyperparameters"]["lr"] = 5.0
    assert opt.state[0]["exp_avg"][0] != 99.0
    assert opt.lr == 0.1
    assert set(saved) == {"state", "hyperparameters"}


def test_load_state_dict_bad_input_leaves_optimizer_unchanged():
    params = make_params()
    opt = Adam(params, lr=0.1)
    set_grads(params, np.random.default_rng(0))
    opt.step()
    good = opt.state_dict()

    with pytest.raises(TypeError, match="state_dict"):
        opt.load_state_dict([good])
    with pytest.raises(ValueError, match="state_dict"):
        opt.load_state_dict({"state": good["state"]})
    with pytest.raises(ValueError, match="params"):  # wrong number of params
        opt.load_state_dict({"state": good["state"][:1], "hyperparameters": good["hyperparameters"]})
    bad = Adam(params).state_dict() | {"state": [dict(s) for s in good["state"]]}
    bad["state"][1]["exp_avg"] = np.zeros(3)
    with pytest.raises(ValueError, match="exp_avg.*shape"):
        opt.load_state_dict(bad)
    bad["state"][1] = dict(good["state"][1], momentum_buffer=np.zeros(2))
    with pytest.raises(ValueError, match="momentum_buffer"):
        opt.load_state_dict(bad)
    bad["state"][1] = dict(good["state"][1], step=-1)
    with pytest.raises(ValueError, match="step"):
        opt.load_state_dict(bad)
    bad["state"][1] = good["state"][1]
    bad["hyperparameters"] = dict(good["hyperparameters"], betas=(0.9, 1.5))
    with pytest.raises(ValueError, match="betas"):
        opt.load_state_dict(bad)
    bad["hyperparameters"] = {"lr": 0.1}
    with pytest.raises(ValueError, match="hyperparameters"):
        opt.load_state_dict(bad)

    assert opt.lr == 0.1 and opt.betas == (0.9, 0.999)
    assert opt.state[0]["step"] == 1


# -- convergence on f(x) = 0.5 xᵀ A x --------------------------------------------

A = np.array([[3.0, 1.0], [1.0, 2.0]])  # eigenvalues (5 ± √5) / 2 ≈ 3.62 and 1.38; minimum at 0

# (class, hyperparameters, steps, tolerance on max |x_i| at the end), from x0 = (1.5, -2).
CONVERGENCE = [
    (SGD, dict(lr=0.2), 200, 1e-12),
    (SGD, dict(lr=0.05, momentum=0.9), 500, 1e-8),
    (SGD, dict(lr=0.05, momentum=0.9, nesterov=True), 500, 1e-8),
    (SGD, dict(lr=0.05, momentum=0.9, dampening=0.5), 500, 1e-8),
    (Adagrad, dict(lr=0.5), 500, 1e-12),
    # With a constant lr RMSProp's normalized step g / √v does not vanish near
    # the minimum, so it is only expected to stay within about lr of it.
    (RMSprop, dict(lr=0.01), 3000, 0.01),
    (RMSprop, dict(lr=0.01, momentum=0.9, centered=True), 3000, 0.01),
    (Adam, dict(lr=0.05), 1000, 1e-12),
    (Adam, dict(lr=0.05, amsgrad=True), 1000, 1e-12),
    (Adam, dict(lr=0.05, bias_correction=False), 1000, 1e-12),
    # AdaDelta with lr = 1 hovers near the minimum on a deterministic quadratic;
    # a smaller lr damps that and it converges.
    (Adadelta, dict(lr=0.5), 2000, 1e-8),
]


@pytest.mark.parametrize(
    ("cls", "kwargs", "steps", "tol"), CONVERGENCE, ids=[f"{c.__name__}-{'-'.join(k)}" for c, k, _, _ in CONVERGENCE]
)
def test_drives_a_point_to_the_minimum_of_a_quadratic(cls, kwargs, steps, tol):
    x = Parameter([1.5, -2.0])
    opt = cls([x], **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        x.grad = A @ x.data  # ∇ 0.5 xᵀ A x = A x (A symmetric)
        opt.step()
    assert np.max(np.abs(x.data)) < tol


# -- divergence: no warnings, non-finite input refused ---------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [(SGD, dict(lr=2.0)), (SGD, dict(lr=1.0, momentum=0.9, nesterov=True, weight_decay=1.0))],
)
def test_divergence_is_warning_free_until_a_non_finite_input(cls, kwargs, dtype):
    # lr > 2 / 3.62 makes gradient descent on A diverge; the suite turns warnings into errors
    x = Parameter(np.array([1.5, -2.0], dtype=dtype))
    opt = cls([x], **kwargs)
    for _ in range(2000):
        with np.errstate(over="ignore"):  # the test's own gradient may overflow
            x.grad = A.astype(dtype) @ x.data
        if not (np.all(np.isfinite(x.grad)) and np.all(np.isfinite(x.data))):
            break
        opt.step()
        assert x.data.dtype == dtype
    else:
        pytest.fail("the run was expected to diverge")
    with pytest.raises(ValueError, match=r"params\[0\]"):
        opt.step()


@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=IDS)
@pytest.mark.parametrize(("dtype", "huge"), [(np.float32, 3e38), (np.float64, 1e308)])
def test_huge_gradients_are_warning_free(cls, kwargs, dtype, huge):
    # g² overflows to inf in the moving averages (SGD's velocity may overflow the
    # parameter itself); no warning and no NaN, and a caller stops at a non-finite parameter
    p = Parameter(np.array([1.5, -2.0], dtype=dtype))
    opt = cls([p], **kwargs)
    for k in range(5):
        p.grad = np.array([huge, -huge if k % 2 else huge], dtype=dtype)
        opt.step()
        assert not np.any(np.isnan(p.data))
        if not np.all(np.isfinite(p.data)):
            break


# -- bad input ------------------------------------------------------------------------


def one_param():
    return [Parameter([1.0, 2.0])]


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: SGD([], lr=0.1), ValueError, "params"),
        (lambda: SGD(iter(()), lr=0.1), ValueError, "params"),
        (lambda: SGD([np.zeros(2)], lr=0.1), TypeError, r"params\[0\]"),
        (lambda: SGD(one_param() + [3.0], lr=0.1), TypeError, r"params\[1\]"),
        (lambda: SGD(Parameter([1.0]), lr=0.1), TypeError, "params"),
        (lambda: SGD(5, lr=0.1), TypeError, "params"),
        (lambda: SGD(2 * one_param(), lr=0.1), ValueError, r"params\[1\]"),
        (lambda: SGD(one_param(), lr=-0.1), ValueError, "lr"),
        (lambda: SGD(one_param(), lr="0.1"), TypeError, "lr"),
        (lambda: SGD(one_param(), lr=None), TypeError, "lr"),
        (lambda: SGD(one_param(), lr=math.nan), ValueError, "lr"),
        (lambda: SGD(one_param(), lr=True), TypeError, "lr"),
        (lambda: SGD(one_param(), lr=0.1, momentum=-0.5), ValueError, "momentum"),
        (lambda: SGD(one_param(), lr=0.1, dampening=-0.1), ValueError, "dampening"),
        (lambda: SGD(one_param(), lr=0.1, dampening=1.5), ValueError, "dampening"),
        (lambda: SGD(one_param(), lr=0.1, weight_decay=-1e-4), ValueError, "weight_decay"),
        (lambda: SGD(one_param(), lr=0.1, nesterov=True), ValueError, "nesterov"),
        (lambda: SGD(one_param(), lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), ValueError, "nesterov"),
        (lambda: SGD(one_param(), lr=0.1, momentum=0.9, nesterov="yes"), TypeError, "nesterov"),
        (lambda: Adagrad(one_param(), lr=-1.0), ValueError, "lr"),
        (lambda: Adagrad(one_param(), weight_decay=-1.0), ValueError, "weight_decay"),
        (lambda: Adagrad(one_param(), initial_accumulator_value=-1.0), ValueError, "initial_accumulator_value"),
        (lambda: Adagrad(one_param(), eps=0.0), ValueError, "eps"),
        (lambda: Adagrad(one_param(), lr_decay=-0.1), ValueError, "lr_decay"),
        (lambda: RMSprop(one_param(), alpha=1.5), ValueError, "alpha"),
        (lambda: RMSprop(one_param(), alpha=-0.1), ValueError, "alpha"),
        (lambda: RMSprop(one_param(), eps=-1e-8), ValueError, "eps"),
        (lambda: RMSprop(one_param(), momentum=-0.9), ValueError, "momentum"),
        (lambda: RMSprop(one_param(), weight_decay=-0.9), ValueError, "weight_decay"),
        (lambda: RMSprop(one_param(), centered=1), TypeError, "centered"),
        (lambda: Adam(one_param(), lr=-1e-3), ValueError, "lr"),
        (lambda: Adam(one_param(), betas=0.9), TypeError, "betas"),
        (lambda: Adam(one_param(), betas=(0.9, 0.99, 0.999)), TypeError, "betas"),
        (lambda: Adam(one_param(), betas=(1.0, 0.999)), ValueError, r"betas\[0\]"),
        (lambda: Adam(one_param(), betas=(0.9, -0.1)), ValueError, r"betas\[1\]"),
        (lambda: Adam(one_param(), betas=(0.9, "x")), TypeError, r"betas\[1\]"),
        (lambda: Adam(one_param(), eps=0), ValueError, "eps"),
        (lambda: Adam(one_param(), weight_decay=-1.0), ValueError, "weight_decay"),
        (lambda: Adam(one_param(), amsgrad="no"), TypeError, "amsgrad"),
        (lambda: Adam(one_param(), bias_correction=None), TypeError, "bias_correction"),
        (lambda: Adadelta(one_param(), rho=1.1), ValueError, "rho"),
        (lambda: Adadelta(one_param(), rho=-0.1), ValueError, "rho"),
        (lambda: Adadelta(one_param(), eps=0.0), ValueError, "eps"),
        (lambda: Adadelta(one_param(), lr=-1.0), ValueError, "lr"),
        (lambda: Adadelta(one_param(), weight_decay=-1.0), ValueError, "weight_decay"),
        (lambda: SGD(one_param(), maximize=1), TypeError, "maximize"),
        (lambda: Adagrad(one_param(), maximize="yes"), TypeError, "maximize"),
        (lambda: RMSprop(one_param(), maximize=None), TypeError, "maximize"),
        (lambda: Adam(one_param(), maximize=0), TypeError, "maximize"),
        (lambda: Adadelta(one_param(), maximize=[True]), TypeError, "maximize"),
        (lambda: Adam(one_param(), decoupled_weight_decay="no"), TypeError, "decoupled_weight_decay"),
        (lambda: Adagrad(one_param(), 0.01, -0.1), ValueError, "lr_decay"),  # second, as in PyTorch
    ],
)
def test_bad_hyperparameters(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_bad_hyperparameter_message_shows_the_value():
    with pytest.raises(ValueError, match=r"lr.*-0\.5"):
        SGD(one_param(), lr=-0.5)
    with pytest.raises(ValueError, match=r"betas\[0\].*1\.0"):
        Adam(one_param(), betas=(1.0, 0.999))


@pytest.mark.parametrize(
    ("grad", "match"),
    [
        (np.zeros(3), r"params\[1\]\.grad.*shape"),
        (np.array([1.0, np.nan]), r"params\[1\]\.grad.*finite"),
        (np.array([np.inf, 1.0]), r"params\[1\]\.grad.*finite"),
        (np.array(["a", "b"]), r"params\[1\]\.grad"),
    ],
)
@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=IDS)
def test_bad_gradient_at_step(cls, kwargs, grad, match):
    params = [Parameter([1.0, -1.0]), Parameter([0.5, 0.5])]
    opt = cls(params, **kwargs)
    params[0].grad = np.array([1.0, 1.0])
    params[1].grad = grad
    error = TypeError if grad.dtype.kind == "U" else ValueError
    with pytest.raises(error, match=match):
        opt.step()
    # nothing moved: the gradients are all checked before any update
    np.testing.assert_array_equal(params[0].data, [1.0, -1.0])
    assert opt.state[0]["step"] == 0


def test_non_finite_parameter_refused_at_step():
    p = Parameter([1.0, 2.0])
    opt = SGD([p], lr=0.1)
    p.data[0] = np.inf
    with pytest.raises(ValueError, match=r"params\[0\].*finite"):
        opt.step()


def test_hyperparameter_checked_again_at_step():
    p = Parameter([1.0])
    opt = SGD([p], lr=0.1, momentum=0.9, nesterov=True)
    opt.momentum = 0.0
    with pytest.raises(ValueError, match="nesterov"):
        opt.step()
    opt = Adam([p])
    opt.betas = (0.9, 1.0)
    with pytest.raises(ValueError, match="betas"):
        opt.step()


def test_base_class_needs_an_update_rule():
    opt = Optimizer([Parameter([1.0])], lr=0.1, weight_decay=0.0)
    with pytest.raises(NotImplementedError, match="update"):
        opt.step()


class SignSGD(Optimizer):
    """A variant written as a student would: it passes only ``lr`` to the base class."""

    def __init__(self, params, lr=0.1):
        super().__init__(params, lr=lr)

    def update(self, theta, g, state):
        theta -= self.lr * np.sign(g)


def test_a_subclass_that_passes_only_lr_gets_the_common_defaults():
    p = Parameter([1.0, -2.0, 0.5])
    opt = SignSGD([p], lr=0.25)
    assert (opt.weight_decay, opt.maximize) == (0.0, False)
    p.grad = np.array([3.0, -0.5, 0.0])
    opt.step()
    np.testing.assert_array_equal(p.data, [0.75, -1.75, 0.5])
    opt.weight_decay = 1.0  # the defaults behave like any hyperparameter: g + λθ = [3.75, -2.25, 0.5]
    opt.maximize = True  # -g + λθ = [-2.25, -1.25, 0.5]
    opt.step()
    np.testing.assert_array_equal(p.data, [1.0, -1.5, 0.25])
    saved = opt.state_dict()
    assert saved["hyperparameters"] == {"lr": 0.25, "weight_decay": 1.0, "maximize": True}
    fresh = SignSGD([Parameter([0.0, 0.0, 0.0])])
    fresh.load_state_dict(saved)
    assert (fresh.lr, fresh.weight_decay, fresh.maximize, fresh.state[0]["step"]) == (0.25, 1.0, True, 2)
    assert repr(opt) == "SignSGD(1 params, lr=0.25, weight_decay=1.0, maximize=True)"


def test_a_subclass_that_passes_no_lr_gets_a_clear_error():
    class NoRate(Optimizer):
        def __init__(self, params):
            super().__init__(params, momentum=0.9)

    with pytest.raises(TypeError, match=r"NoRate must pass lr to Optimizer.__init__.*super\(\).__init__\(params, lr=lr\)"):
        NoRate([Parameter([1.0])])


@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=IDS)
def test_maximize_climbs_what_minimizing_descends(cls, kwargs):
    # maximize negates g before the weight decay, as PyTorch: feeding g with maximize=True
    # moves the parameters exactly as feeding -g without it
    up, down = make_params(), make_params()
    opt_up, opt_down = cls(up, maximize=True, **kwargs), cls(down, **kwargs)
    rng = np.random.default_rng(4)
    for _ in range(5):
        grads = [rng.normal(size=p.data.shape) for p in up]
        for p, q, g in zip(up, down, grads):
            p.grad, q.grad = g, -g
        opt_up.step()
        opt_down.step()
    for p, q in zip(up, down):
        np.testing.assert_array_equal(p.data, q.data)
    assert grads[0] is up[0].grad  # the caller's gradient is not changed in place
    np.testing.assert_array_equal(up[0].grad, -down[0].grad)


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: SGD(ps, lr=np.float32(0.25), momentum=np.float64(0.5), nesterov=np.bool_(True)),
        lambda ps: SGD(ps, np.float64(0.25), np.int64(0), np.int64(0), np.float32(0.0)),
        lambda ps: Adagrad(ps, lr=np.float32(0.5), lr_decay=np.int64(1), initial_accumulator_value=np.int64(1)),
        lambda ps: RMSprop(ps, lr=np.float64(0.01), alpha=np.float32(0.5), momentum=np.int64(1), centered=np.True_),
        lambda ps: Adam(ps, lr=np.float32(0.125), betas=(np.float32(0.5), np.float64(0.75)), amsgrad=np.False_),
        lambda ps: Adadelta(ps, lr=np.int64(1), rho=np.float32(0.5), eps=np.float64(1e-6)),
    ],
    ids=["SGD", "SGD-positional", "Adagrad", "RMSprop", "Adam", "Adadelta"],
)
def test_numpy_scalars_are_accepted_as_hyperparameters(make):
    params = [Parameter(np.array([1.0, -1.0], dtype=np.float32))]
    opt = make(params)
    for name in opt.state_dict()["hyperparameters"]:
        value = getattr(opt, name)
        assert type(value) in (float, int, bool, tuple), (name, type(value))  # plain Python numbers kept
    params[0].grad = np.array([1.0, -2.0], dtype=np.float32)
    opt.step()
    assert params[0].data.dtype == np.float32 and np.all(np.isfinite(params[0].data))


def test_numpy_scalar_values_are_the_numbers_they_hold():
    # lr 0.25 and momentum 0.5 as NumPy scalars: the first step is θ - 0.25 (g + 0.5 g) with Nesterov
    p = Parameter([1.0, -1.0])
    opt = SGD([p], lr=np.float32(0.25), momentum=np.float64(0.5), nesterov=np.bool_(True))
    p.grad = np.array([1.0, -2.0])
    opt.step()
    np.testing.assert_array_equal(p.data, [1.0 - 0.375, -1.0 + 0.75])
    state = opt.state_dict()
    state["state"][0]["step"] = np.int64(1)  # a saved step count may be a NumPy integer
    opt.load_state_dict(state)
    assert opt.state[0]["step"] == 1 and type(opt.state[0]["step"]) is int


@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=IDS)
def test_a_step_allocates_no_temporaries(cls, kwargs):
    # after the first step has made the state and the scratch arrays, a step allocates
    # nothing of the parameter's size (tracemalloc sees NumPy's allocations); the parameter
    # is large enough that NumPy 1.x's fixed reduction buffer (64 KiB) stays below the bound
    params = [Parameter(np.random.default_rng(0).normal(size=(400, 400)))]
    params[0].grad = np.random.default_rng(1).normal(size=(400, 400))
    opt = cls(params, **kwargs)
    opt.step()
    tracemalloc.start()
    try:
        opt.step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < params[0].data.nbytes / 4, f"a step allocated {peak} bytes"


def test_a_replaced_parameter_array_gets_new_scratch_arrays():
    p = Parameter(np.array([1.0, 2.0]))
    opt = SGD([p], lr=0.5)
    p.grad = np.array([1.0, 1.0])
    opt.step()
    p.data = np.array([4.0, 4.0, 4.0], dtype=np.float32)  # a new array, even of another shape and dtype
    p.grad = np.array([2.0, 0.0, -2.0], dtype=np.float32)
    opt.step()
    np.testing.assert_array_equal(p.data, [3.0, 4.0, 5.0])
    assert p.data.dtype == np.float32


# -- invariants (hypothesis) ------------------------------------------------------

coordinate = st.floats(min_value=1e-3, max_value=1e3) | st.floats(min_value=-1e3, max_value=-1e-3)


@settings(max_examples=100, deadline=None)
@given(
    g=st.lists(coordinate, min_size=1, max_size=5),
    lr=st.floats(min_value=1e-4, max_value=1.0),
    beta1=st.floats(min_value=0.0, max_value=0.99),
    beta2=st.floats(min_value=0.0, max_value=0.9999),
)
def test_adam_first_step_is_lr_per_coordinate(g, lr, beta1, beta2):
    # m̂1 = g1 and v̂1 = g1², so |Δθ| = lr |g| / (|g| + eps) ≈ lr, in the direction of -g
    p = Parameter(np.zeros(len(g)))
    p.grad = np.array(g)
    Adam([p], lr=lr, betas=(beta1, beta2)).step()
    np.testing.assert_allclose(np.abs(p.data), lr, rtol=1e-4)
    assert np.all(np.sign(p.data) == -np.sign(g))


@settings(max_examples=100, deadline=None)
@given(
    theta=st.lists(st.floats(min_value=-1e4, max_value=1e4), min_size=1, max_size=5),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    lr=st.floats(min_value=0.0, max_value=10.0),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_sgd_without_momentum_is_theta_minus_lr_g(theta, seed, lr, dtype):
    theta0 = np.array(theta, dtype=dtype)
    g = np.random.default_rng(seed).normal(scale=100.0, size=theta0.shape).astype(dtype)
    p = Parameter(theta0)
    p.grad = g
    SGD([p], lr=lr).step()
    assert np.array_equal(p.data, theta0 - dtype(lr) * g)


@settings(max_examples=50, deadline=None)
@given(
    grads=st.lists(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=3, max_size=3), min_size=2, max_size=20),
    lr=st.floats(min_value=1e-3, max_value=1.0),
)
def test_adagrad_effective_step_never_increases(grads, lr):
    p = Parameter(np.zeros(3))
    opt = Adagrad([p], lr=lr)
    previous = np.full(3, np.inf)
    for g in grads:
        p.grad = np.array(g)
        opt.step()
        effective = opt.lr / (np.sqrt(opt.state[0]["sum"]) + opt.eps)  # the lecture's lr / (δ + √r)
        assert np.all(effective <= previous)
        previous = effective


@settings(max_examples=50, deadline=None)
@given(
    grads=st.lists(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=2, max_size=2), min_size=1, max_size=20),
    alpha=st.floats(min_value=0.0, max_value=1.0),
)
def test_rmsprop_centered_denominator_is_never_nan(grads, alpha):
    p = Parameter(np.zeros(2))
    opt = RMSprop([p], lr=0.01, alpha=alpha, centered=True)
    for g in grads:
        p.grad = np.array(g)
        opt.step()
    assert np.all(np.isfinite(p.data))


def test_a_changed_hyperparameter_is_checked_again_whatever_its_type():
    p = Parameter([1.0])
    p.grad = np.array([1.0])
    opt = SGD([p], lr=0.5, momentum=0.9, nesterov=True)
    opt.step()
    opt.nesterov = 1  # equal to True, but not a bool
    with pytest.raises(TypeError, match="nesterov"):
        opt.step()
    opt.nesterov = True
    opt.lr = np.float64(0.5)  # equal to the checked 0.5: still turned into a Python float
    opt.step()
    assert type(opt.lr) is float
    opt.lr = math.nan
    with pytest.raises(ValueError, match="lr"):
        opt.step()


def test_a_gradient_written_into_after_backward_is_checked_at_step():
    """backward's gradients are not scanned again, but one read (and so perhaps changed) through .grad is."""
    from dlnotes.nn import Linear

    layer = Linear(3, 2, rng=0)
    opt = SGD(layer.parameters(), lr=0.1)
    layer(np.ones((4, 3)))
    layer.backward(np.ones((4, 2)))
    before = layer.W.data.copy()
    layer.b.grad[1] = np.nan
    with pytest.raises(ValueError, match=r"params\[1\]\.grad.*finite"):
        opt.step()
    np.testing.assert_array_equal(layer.W.data, before)
    opt.zero_grad()
    layer(np.ones((4, 3)))
    layer.backward(np.ones((4, 2)))
    opt.step()  # a gradient of backward alone: taken as it is
    np.testing.assert_allclose(layer.W.data, before - 0.1 * 4.0)
