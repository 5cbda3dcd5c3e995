"""The first three steps of every optimizer and option, worked out by hand.

Each test starts from θ0 = [1, -1] and feeds the same gradients
g1 = [1, -2], g2 = [0.5, 4], g3 = [-1, 0] (a fixed sequence, as if read from
a loss), then compares θ1, θ2, θ3 with numbers written out below from the
update equations on PyTorch's documentation pages (Chapter 4). Nothing here
calls the code under test to produce an expected number.
"""

from math import sqrt

import numpy as np
import pytest

from dlnotes.nn import Parameter
from dlnotes.optim import SGD, Adadelta, Adagrad, Adam, RMSprop

THETA0 = [1.0, -1.0]
GRADS = ([1.0, -2.0], [0.5, 4.0], [-1.0, 0.0])


def three_steps(make_optimizer):
    """θ1, θ2, θ3 from ``make_optimizer([p])`` fed GRADS, in float64."""
    p = Parameter(np.array(THETA0))
    opt = make_optimizer([p])
    thetas = []
    for g in GRADS:
        p.grad = np.array(g)
        opt.step()
        thetas.append(p.data.copy())
    return thetas


def assert_steps(make_optimizer, expected):
    for t, (got, want) in enumerate(zip(three_steps(make_optimizer), expected), start=1):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15, err_msg=f"theta after step {t}")


# -- SGD (lr = 0.1) -------------------------------------------------------------


def test_sgd_plain():
    # θ ← θ - 0.1 g
    expected = [
        [1.0 - 0.1, -1.0 + 0.2],  # [0.9, -0.8]
        [0.9 - 0.05, -0.8 - 0.4],  # [0.85, -1.2]
        [0.85 + 0.1, -1.2 - 0.0],  # [0.95, -1.2]
    ]
    assert_steps(lambda ps: SGD(ps, lr=0.1), expected)


def test_sgd_momentum():
    # μ = 0.9. Step 1: the velocity is the gradient itself, b1 = g1 = [1, -2].
    # Step 2: b2 = 0.9 b1 + g2 = [0.9 + 0.5, -1.8 + 4] = [1.4, 2.2].
    # Step 3: b3 = 0.9 b2 + g3 = [1.26 - 1, 1.98 + 0] = [0.26, 1.98].
    expected = [
        [1.0 - 0.1, -1.0 + 0.2],  # [0.9, -0.8]
        [0.9 - 0.14, -0.8 - 0.22],  # [0.76, -1.02]
        [0.76 - 0.026, -1.02 - 0.198],  # [0.734, -1.218]
    ]
    assert_steps(lambda ps: SGD(ps, lr=0.1, momentum=0.9), expected)


def test_sgd_momentum_dampening():
    # μ = 0.9, τ = 0.5. Step 1 is not damped: b1 = g1 = [1, -2].
    # b2 = 0.9 b1 + 0.5 g2 = [0.9 + 0.25, -1.8 + 2] = [1.15, 0.2].
    # b3 = 0.9 b2 + 0.5 g3 = [1.035 - 0.5, 0.18 + 0] = [0.535, 0.18].
    expected = [
        [1.0 - 0.1, -1.0 + 0.2],  # [0.9, -0.8]
        [0.9 - 0.115, -0.8 - 0.02],  # [0.785, -0.82]
        [0.785 - 0.0535, -0.82 - 0.018],  # [0.7315, -0.838]
    ]
    assert_steps(lambda ps: SGD(ps, lr=0.1, momentum=0.9, dampening=0.5), expected)


def test_sgd_nesterov():
    # μ = 0.9, the step uses g + μ b with the velocities of test_sgd_momentum.
    # Step 1: b1 = [1, -2],   g + μ b = [1 + 0.9, -2 - 1.8]      = [1.9, -3.8].
    # Step 2: b2 = [1.4, 2.2], g + μ b = [0.5 + 1.26, 4 + 1.98]   = [1.76, 5.98].
    # Step 3: b3 = [0.26, 1.98], g + μ b = [-1 + 0.234, 0 + 1.782] = [-0.766, 1.782].
    expected = [
        [1.0 - 0.19, -1.0 + 0.38],  # [0.81, -0.62]
        [0.81 - 0.176, -0.62 - 0.598],  # [0.634, -1.218]
        [0.634 + 0.0766, -1.218 - 0.1782],  # [0.7106, -1.3962]
    ]
    assert_steps(lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True), expected)


def test_sgd_weight_decay():
    # λ = 0.1: the gradient used is g + 0.1 θ_prev.
    # Step 1: [1 + 0.1, -2 - 0.1] = [1.1, -2.1]               -> θ1 = [0.89, -0.79].
    # Step 2: [0.5 + 0.089, 4 - 0.079] = [0.589, 3.921]       -> θ2 = [0.8311, -1.1821].
    # Step 3: [-1 + 0.08311, 0 - 0.11821] = [-0.91689, -0.11821]
    expected = [
        [1.0 - 0.11, -1.0 + 0.21],
        [0.89 - 0.0589, -0.79 - 0.3921],
        [0.8311 + 0.091689, -1.1821 + 0.011821],  # [0.922789, -1.170279]
    ]
    assert_steps(lambda ps: SGD(ps, lr=0.1, weight_decay=0.1), expected)


def test_sgd_momentum_weight_decay():
    # Weight decay enters before the velocity. μ = 0.9, λ = 0.1.
    # Step 1: g = [1.1, -2.1], b1 = g                               -> θ1 = [0.89, -0.79].
    # Step 2: g = [0.589, 3.921], b2 = 0.9 b1 + g = [0.99 + 0.589, -1.89 + 3.921] = [1.579, 2.031].
    # Step 3: g = [-1 + 0.07321, -0.09931] = [-0.92679, -0.09931],
    #         b3 = 0.9 b2 + g = [1.4211 - 0.92679, 1.8279 - 0.09931] = [0.49431, 1.72859].
    expected = [
        [0.89, -0.79],
        [0.89 - 0.1579, -0.79 - 0.2031],  # [0.7321, -0.9931]
        [0.7321 - 0.049431, -0.9931 - 0.172859],  # [0.682669, -1.165959]
    ]
    assert_steps(lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1), expected)


def test_sgd_maximize():
    # gradient ascent: θ ← θ + 0.1 g
    expected = [
        [1.0 + 0.1, -1.0 - 0.2],  # [1.1, -1.2]
        [1.1 + 0.05, -1.2 + 0.4],  # [1.15, -0.8]
        [1.15 - 0.1, -0.8 + 0.0],  # [1.05, -0.8]
    ]
    assert_steps(lambda ps: SGD(ps, lr=0.1, maximize=True), expected)


def test_sgd_maximize_weight_decay():
    # PyTorch negates g first, then adds the decay: the step uses -g + 0.1 θ_prev.
    # Step 1: [-1 + 0.1, 2 - 0.1] = [-0.9, 1.9]                -> θ1 = [1.09, -1.19].
    # Step 2: [-0.5 + 0.109, -4 - 0.119] = [-0.391, -4.119]     -> θ2 = [1.1291, -0.7781].
    # Step 3: [1 + 0.11291, 0 - 0.07781] = [1.11291, -0.07781]  -> θ3 = [1.017809, -0.770319].
    expected = [[1.09, -1.19], [1.1291, -0.7781], [1.017809, -0.770319]]
    assert_steps(lambda ps: SGD(ps, lr=0.1, weight_decay=0.1, maximize=True), expected)


def test_sgd_default_lr_is_torchs_1e_3():
    expected = [[1.0 - 0.001, -1.0 + 0.002], [0.999 - 0.0005, -0.998 - 0.004], [0.9985 + 0.001, -1.002]]
    assert_steps(lambda ps: SGD(ps), expected)


# -- Adagrad (lr = 0.1, eps = 1e-10) -----------------------------------------------

E_ADAGRAD = 1e-10


def test_adagrad():
    e = E_ADAGRAD
    # sum: [0, 0] + g1² = [1, 4];  + g2² = [1.25, 20];  + g3² = [2.25, 20]
    t1 = [1.0 - 0.1 * 1.0 / (sqrt(1.0) + e), -1.0 - 0.1 * -2.0 / (sqrt(4.0) + e)]
    t2 = [t1[0] - 0.1 * 0.5 / (sqrt(1.25) + e), t1[1] - 0.1 * 4.0 / (sqrt(20.0) + e)]
    t3 = [t2[0] - 0.1 * -1.0 / (sqrt(2.25) + e), t2[1] - 0.1 * 0.0 / (sqrt(20.0) + e)]
    assert_steps(lambda ps: Adagrad(ps, lr=0.1), [t1, t2, t3])


def test_adagrad_initial_accumulator_value():
    e = E_ADAGRAD
    # sum starts at [1, 1]: [2, 5], then [2.25, 21], then [3.25, 21]
    t1 = [1.0 - 0.1 * 1.0 / (sqrt(2.0) + e), -1.0 - 0.1 * -2.0 / (sqrt(5.0) + e)]
    t2 = [t1[0] - 0.1 * 0.5 / (sqrt(2.25) + e), t1[1] - 0.1 * 4.0 / (sqrt(21.0) + e)]
    t3 = [t2[0] - 0.1 * -1.0 / (sqrt(3.25) + e), t2[1]]
    assert_steps(lambda ps: Adagrad(ps, lr=0.1, initial_accumulator_value=1.0), [t1, t2, t3])


def test_adagrad_lr_decay():
    e = E_ADAGRAD
    # lr at step t: 0.1 / (1 + (t - 1) 0.5) = 0.1, 0.1 / 1.5, 0.1 / 2; sums as in test_adagrad
    t1 = [1.0 - 0.1 * 1.0 / (1.0 + e), -1.0 - 0.1 * -2.0 / (2.0 + e)]
    t2 = [t1[0] - 0.1 / 1.5 * 0.5 / (sqrt(1.25) + e), t1[1] - 0.1 / 1.5 * 4.0 / (sqrt(20.0) + e)]
    t3 = [t2[0] - 0.1 / 2.0 * -1.0 / (1.5 + e), t2[1]]
    assert_steps(lambda ps: Adagrad(ps, lr=0.1, lr_decay=0.5), [t1, t2, t3])


def test_adagrad_lr_decay_is_the_second_argument_as_in_torch():
    # Adagrad(params, 0.1, 0.5): lr 0.1 and lr_decay 0.5, the numbers of test_adagrad_lr_decay
    e = E_ADAGRAD
    t1 = [1.0 - 0.1 * 1.0 / (1.0 + e), -1.0 - 0.1 * -2.0 / (2.0 + e)]
    t2 = [t1[0] - 0.1 / 1.5 * 0.5 / (sqrt(1.25) + e), t1[1] - 0.1 / 1.5 * 4.0 / (sqrt(20.0) + e)]
    t3 = [t2[0] - 0.1 / 2.0 * -1.0 / (1.5 + e), t2[1]]
    assert_steps(lambda ps: Adagrad(ps, 0.1, 0.5), [t1, t2, t3])


def test_adagrad_weight_decay():
    e = E_ADAGRAD
    # Step 1: g = g1 + 0.1 θ0 = [1.1, -2.1], sum = [1.21, 4.41]
    s = [1.21, 4.41]
    t1 = [1.0 - 0.1 * 1.1 / (sqrt(s[0]) + e), -1.0 - 0.1 * -2.1 / (sqrt(s[1]) + e)]
    # Step 2: g = g2 + 0.1 θ1
    g = [0.5 + 0.1 * t1[0], 4.0 + 0.1 * t1[1]]
    s = [s[0] + g[0] ** 2, s[1] + g[1] ** 2]
    t2 = [t1[0] - 0.1 * g[0] / (sqrt(s[0]) + e), t1[1] - 0.1 * g[1] / (sqrt(s[1]) + e)]
    # Step 3: g = g3 + 0.1 θ2
    g = [-1.0 + 0.1 * t2[0], 0.0 + 0.1 * t2[1]]
    s = [s[0] + g[0] ** 2, s[1] + g[1] ** 2]
    t3 = [t2[0] - 0.1 * g[0] / (sqrt(s[0]) + e), t2[1] - 0.1 * g[1] / (sqrt(s[1]) + e)]
    assert_steps(lambda ps: Adagrad(ps, lr=0.1, weight_decay=0.1), [t1, t2, t3])


# -- RMSprop (lr = 0.01, alpha = 0.9, eps = 1e-8) --------------------------------
# square_avg v: 0.1 g1² = [0.1, 0.4];  0.9 v + 0.1 g2² = [0.09 + 0.025, 0.36 + 1.6] = [0.115, 1.96];
#               0.9 v + 0.1 g3² = [0.1035 + 0.1, 1.764 + 0] = [0.2035, 1.764].
# centered, grad_avg: 0.1 g1 = [0.1, -0.2];  0.9 ga + 0.1 g2 = [0.14, 0.22];  0.9 ga + 0.1 g3 = [0.026, 0.198];
#               v - ga² = [0.1 - 0.01, 0.4 - 0.04] = [0.09, 0.36];  [0.115 - 0.0196, 1.96 - 0.0484] = [0.0954, 1.9116];
#               [0.2035 - 0.000676, 1.764 - 0.039204] = [0.202824, 1.724796].

E_RMS = 1e-8
V_PLAIN = ([0.1, 0.4], [0.115, 1.96], [0.2035, 1.764])
V_CENTERED = ([0.09, 0.36], [0.0954, 1.9116], [0.202824, 1.724796])


def rms_denominators(vs):
    return [[sqrt(v[0]) + E_RMS, sqrt(v[1]) + E_RMS] for v in vs]


def test_rmsprop():
    d1, d2, d3 = rms_denominators(V_PLAIN)
    t1 = [1.0 - 0.01 * 1.0 / d1[0], -1.0 - 0.01 * -2.0 / d1[1]]
    t2 = [t1[0] - 0.01 * 0.5 / d2[0], t1[1] - 0.01 * 4.0 / d2[1]]
    t3 = [t2[0] - 0.01 * -1.0 / d3[0], t2[1]]
    assert_steps(lambda ps: RMSprop(ps, lr=0.01, alpha=0.9), [t1, t2, t3])


def test_rmsprop_centered():
    d1, d2, d3 = rms_denominators(V_CENTERED)
    t1 = [1.0 - 0.01 * 1.0 / d1[0], -1.0 - 0.01 * -2.0 / d1[1]]  # denominators 0.3, 0.6
    t2 = [t1[0] - 0.01 * 0.5 / d2[0], t1[1] - 0.01 * 4.0 / d2[1]]
    t3 = [t2[0] - 0.01 * -1.0 / d3[0], t2[1]]
    assert_steps(lambda ps: RMSprop(ps, lr=0.01, alpha=0.9, centered=True), [t1, t2, t3])


@pytest.mark.parametrize("centered", [False, True])
def test_rmsprop_momentum(centered):
    # μ = 0.5, velocity starts at 0: b ← 0.5 b + g / (√v + eps), θ ← θ - 0.01 b
    d1, d2, d3 = rms_denominators(V_CENTERED if centered else V_PLAIN)
    b1 = [1.0 / d1[0], -2.0 / d1[1]]
    t1 = [1.0 - 0.01 * b1[0], -1.0 - 0.01 * b1[1]]
    b2 = [0.5 * b1[0] + 0.5 / d2[0], 0.5 * b1[1] + 4.0 / d2[1]]
    t2 = [t1[0] - 0.01 * b2[0], t1[1] - 0.01 * b2[1]]
    b3 = [0.5 * b2[0] - 1.0 / d3[0], 0.5 * b2[1] + 0.0]
    t3 = [t2[0] - 0.01 * b3[0], t2[1] - 0.01 * b3[1]]
    assert_steps(lambda ps: RMSprop(ps, lr=0.01, alpha=0.9, momentum=0.5, centered=centered), [t1, t2, t3])


def test_rmsprop_weight_decay():
    e = E_RMS
    # λ = 0.5, alpha = 0.9
    g = [1.0 + 0.5 * 1.0, -2.0 + 0.5 * -1.0]  # [1.5, -2.5]
    v = [0.1 * 2.25, 0.1 * 6.25]  # [0.225, 0.625]
    t1 = [1.0 - 0.01 * g[0] / (sqrt(v[0]) + e), -1.0 - 0.01 * g[1] / (sqrt(v[1]) + e)]
    g = [0.5 + 0.5 * t1[0], 4.0 + 0.5 * t1[1]]
    v = [0.9 * v[0] + 0.1 * g[0] ** 2, 0.9 * v[1] + 0.1 * g[1] ** 2]
    t2 = [t1[0] - 0.01 * g[0] / (sqrt(v[0]) + e), t1[1] - 0.01 * g[1] / (sqrt(v[1]) + e)]
    g = [-1.0 + 0.5 * t2[0], 0.0 + 0.5 * t2[1]]
    v = [0.9 * v[0] + 0.1 * g[0] ** 2, 0.9 * v[1] + 0.1 * g[1] ** 2]
    t3 = [t2[0] - 0.01 * g[0] / (sqrt(v[0]) + e), t2[1] - 0.01 * g[1] / (sqrt(v[1]) + e)]
    assert_steps(lambda ps: RMSprop(ps, lr=0.01, alpha=0.9, weight_decay=0.5), [t1, t2, t3])


# -- Adam (lr = 0.1, betas = (0.9, 0.999), eps = 1e-8) ---------------------------
# m: 0.1 g1 = [0.1, -0.2];  0.9 m + 0.1 g2 = [0.14, 0.22];  0.9 m + 0.1 g3 = [0.026, 0.198]
# v: 0.001 g1² = [0.001, 0.004];  0.999 v + 0.001 g2² = [0.000999 + 0.00025, 0.003996 + 0.016] = [0.001249, 0.019996];
#    0.999 v + 0.001 g3² = [0.001247751 + 0.001, 0.019976004] = [0.002247751, 0.019976004]
# 1 - β1^t = 0.1, 0.19, 0.271;   1 - β2^t = 0.001, 0.001999, 0.002997001

E_ADAM = 1e-8
M = ([0.1, -0.2], [0.14, 0.22], [0.026, 0.198])
V = ([0.001, 0.004], [0.001249, 0.019996], [0.002247751, 0.019976004])
BC1 = (0.1, 0.19, 0.271)
BC2 = (0.001, 0.001999, 0.002997001)


def adam_expected(vs, bc1, bc2):
    """θ1..θ3 for the moments above, the second-moment sequence ``vs`` and corrections."""
    theta, out = list(THETA0), []
    for m, v, c1, c2 in zip(M, vs, bc1, bc2):
        theta = [theta[i] - 0.1 * (m[i] / c1) / (sqrt(v[i] / c2) + E_ADAM) for i in range(2)]
        out.append(theta)
    return out


def test_adam():
    expected = adam_expected(V, BC1, BC2)
    # step 1 is a full lr step per coordinate: m̂ = g1, v̂ = g1²
    assert expected[0][0] == 1.0 - 0.1 * 1.0 / (1.0 + E_ADAM)
    assert_steps(lambda ps: Adam(ps, lr=0.1), expected)


def test_adam_amsgrad():
    # v_max = max(v_max, v) on the uncorrected v: at step 3 the second coordinate
    # of v falls (0.019996 -> 0.019976004), so v_max keeps 0.019996.
    v_max = (V[0], V[1], [0.002247751, 0.019996])
    assert_steps(lambda ps: Adam(ps, lr=0.1, amsgrad=True), adam_expected(v_max, BC1, BC2))


def test_adam_without_bias_correction():
    # m̂ = m and v̂ = v: step 1 moves by lr (1 - β1) / √(1 - β2) = 0.1 * 0.1 / √0.001 ≈ 0.316,
    # about 3.16 lr instead of lr
    expected = adam_expected(V, (1.0, 1.0, 1.0), (1.0, 1.0, 1.0))
    assert abs((1.0 - expected[0][0]) - 0.1 * 0.1 / sqrt(0.001)) < 1e-6
    assert_steps(lambda ps: Adam(ps, lr=0.1, bias_correction=False), expected)


def test_adam_weight_decay():
    e = E_ADAM
    theta, m, v, out = list(THETA0), [0.0, 0.0], [0.0, 0.0], []
    for t, g in enumerate(GRADS, start=1):
        g = [g[i] + 0.1 * theta[i] for i in range(2)]  # λ = 0.1 before the moments
        m = [0.9 * m[i] + 0.1 * g[i] for i in range(2)]
        v = [0.999 * v[i] + 0.001 * g[i] ** 2 for i in range(2)]
        theta = [theta[i] - 0.1 * (m[i] / (1 - 0.9**t)) / (sqrt(v[i] / (1 - 0.999**t)) + e) for i in range(2)]
        out.append(theta)
    assert_steps(lambda ps: Adam(ps, lr=0.1, weight_decay=0.1), out)


def test_adam_decoupled_weight_decay():
    # AdamW: θ ← (1 - lr λ) θ first, then the plain Adam step on the gradient alone,
    # so the moments are those of test_adam (M, V). lr = 0.1, λ = 0.5: the factor is 0.95.
    e = E_ADAM
    theta, out = list(THETA0), []
    for m, v, c1, c2 in zip(M, V, BC1, BC2):
        theta = [0.95 * theta[i] - 0.1 * (m[i] / c1) / (sqrt(v[i] / c2) + e) for i in range(2)]
        out.append(theta)
    # step 1 by hand: 0.95 * 1 - 0.1 = 0.85, and -0.95 + 0.1 = -0.85 (up to eps)
    assert abs(out[0][0] - 0.85) < 1e-8 and abs(out[0][1] + 0.85) < 1e-8
    assert_steps(lambda ps: Adam(ps, lr=0.1, weight_decay=0.5, decoupled_weight_decay=True), out)


def test_adam_maximize():
    # the moments of -g: m flips sign, v does not, so each step is the negative of test_adam's
    expected, theta = [], list(THETA0)
    for m, v, c1, c2 in zip(M, V, BC1, BC2):
        theta = [theta[i] + 0.1 * (m[i] / c1) / (sqrt(v[i] / c2) + E_ADAM) for i in range(2)]
        expected.append(theta)
    assert_steps(lambda ps: Adam(ps, lr=0.1, maximize=True), expected)


def test_adam_betas():
    # β1 = 0.5, β2 = 0.75, lr = 0.1
    # m: 0.5 g1 = [0.5, -1];  0.5 m + 0.5 g2 = [0.5, 1.5];  0.5 m + 0.5 g3 = [-0.25, 0.75]
    # v: 0.25 g1² = [0.25, 1];  0.75 v + 0.25 g2² = [0.25, 4.75];  0.75 v + 0.25 g3² = [0.4375, 3.5625]
    # 1 - β1^t = 0.5, 0.75, 0.875;   1 - β2^t = 0.25, 0.4375, 0.578125
    e = E_ADAM
    t1 = [1.0 - 0.1 * (0.5 / 0.5) / (sqrt(0.25 / 0.25) + e), -1.0 - 0.1 * (-1.0 / 0.5) / (sqrt(1.0 / 0.25) + e)]
    t2 = [
        t1[0] - 0.1 * (0.5 / 0.75) / (sqrt(0.25 / 0.4375) + e),
        t1[1] - 0.1 * (1.5 / 0.75) / (sqrt(4.75 / 0.4375) + e),
    ]
    t3 = [
        t2[0] - 0.1 * (-0.25 / 0.875) / (sqrt(0.4375 / 0.578125) + e),
        t2[1] - 0.1 * (0.75 / 0.875) / (sqrt(3.5625 / 0.578125) + e),
    ]
    assert_steps(lambda ps: Adam(ps, lr=0.1, betas=(0.5, 0.75)), [t1, t2, t3])


# -- Adadelta (eps = 1e-6) ----------------------------------------------------------

E_DELTA = 1e-6


def test_adadelta():
    e = E_DELTA
    # ρ = 0.9, lr = 1. square_avg v as for RMSprop: [0.1, 0.4], [0.115, 1.96], [0.2035, 1.764]
    # Step 1 (acc_delta u = 0):
    dx = [sqrt(0.0 + e) / sqrt(0.1 + e) * 1.0, sqrt(0.0 + e) / sqrt(0.4 + e) * -2.0]
    u = [0.1 * dx[0] ** 2, 0.1 * dx[1] ** 2]
    t1 = [1.0 - dx[0], -1.0 - dx[1]]
    # Step 2:
    dx = [sqrt(u[0] + e) / sqrt(0.115 + e) * 0.5, sqrt(u[1] + e) / sqrt(1.96 + e) * 4.0]
    u = [0.9 * u[0] + 0.1 * dx[0] ** 2, 0.9 * u[1] + 0.1 * dx[1] ** 2]
    t2 = [t1[0] - dx[0], t1[1] - dx[1]]
    # Step 3 (zero gradient in the second coordinate: no move there):
    dx = [sqrt(u[0] + e) / sqrt(0.2035 + e) * -1.0, 0.0]
    t3 = [t2[0] - dx[0], t2[1]]
    assert_steps(lambda ps: Adadelta(ps), [t1, t2, t3])


def test_adadelta_rho_and_lr():
    e = E_DELTA
    # ρ = 0.5, lr = 0.5.  v: 0.5 g1² = [0.5, 2];  0.5 v + 0.5 g2² = [0.375, 9];  0.5 v + 0.5 g3² = [0.6875, 4.5]
    dx = [sqrt(e) / sqrt(0.5 + e) * 1.0, sqrt(e) / sqrt(2.0 + e) * -2.0]
    u = [0.5 * dx[0] ** 2, 0.5 * dx[1] ** 2]
    t1 = [1.0 - 0.5 * dx[0], -1.0 - 0.5 * dx[1]]
    dx = [sqrt(u[0] + e) / sqrt(0.375 + e) * 0.5, sqrt(u[1] + e) / sqrt(9.0 + e) * 4.0]
    u = [0.5 * u[0] + 0.5 * dx[0] ** 2, 0.5 * u[1] + 0.5 * dx[1] ** 2]
    t2 = [t1[0] - 0.5 * dx[0], t1[1] - 0.5 * dx[1]]
    dx = [sqrt(u[0] + e) / sqrt(0.6875 + e) * -1.0, 0.0]
    t3 = [t2[0] - 0.5 * dx[0], t2[1]]
    assert_steps(lambda ps: Adadelta(ps, lr=0.5, rho=0.5), [t1, t2, t3])


def test_adadelta_weight_decay():
    e = E_DELTA
    theta, v, u, out = list(THETA0), [0.0, 0.0], [0.0, 0.0], []
    for g in GRADS:
        g = [g[i] + 0.2 * theta[i] for i in range(2)]  # λ = 0.2
        v = [0.9 * v[i] + 0.1 * g[i] ** 2 for i in range(2)]
        dx = [sqrt(u[i] + e) / sqrt(v[i] + e) * g[i] for i in range(2)]
        u = [0.9 * u[i] + 0.1 * dx[i] ** 2 for i in range(2)]
        theta = [theta[i] - dx[i] for i in range(2)]
        out.append(theta)
    assert_steps(lambda ps: Adadelta(ps, weight_decay=0.2), out)
