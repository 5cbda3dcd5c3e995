"""``calculate_gain`` =torch exactly; initializer scales =torch (draws differ, so compared statistically).

Our shapes are ``(fan_in, fan_out)``; PyTorch's weights are ``(fan_out, fan_in)``.
"""

import math

import numpy as np
import pytest
import torch

from dlnotes import init

GAIN_CASES = [
    ("linear", None),
    ("conv1d", None),
    ("conv2d", None),
    ("conv3d", None),
    ("conv_transpose1d", None),
    ("conv_transpose2d", None),
    ("conv_transpose3d", None),
    ("sigmoid", None),
    ("tanh", None),
    ("relu", None),
    ("leaky_relu", None),
    ("leaky_relu", 0.2),
    ("leaky_relu", math.sqrt(5)),
    ("selu", None),
]


@pytest.mark.parametrize(("nonlinearity", "param"), GAIN_CASES)
def test_calculate_gain(nonlinearity, param, close):
    close(init.calculate_gain(nonlinearity, param), torch.nn.init.calculate_gain(nonlinearity, param), nonlinearity)


FAN_IN, FAN_OUT = 300, 500  # 150 000 draws: the max of a uniform is within 1e-4 of its bound

#: (our initializer, torch's, keyword arguments, which statistic shows the scale)
SCALE_CASES = [
    (init.xavier_uniform, torch.nn.init.xavier_uniform_, {}, "max"),
    (init.xavier_uniform, torch.nn.init.xavier_uniform_, {"gain": 5 / 3}, "max"),
    (init.xavier_normal, torch.nn.init.xavier_normal_, {}, "std"),
    (init.xavier_normal, torch.nn.init.xavier_normal_, {"gain": 2.0}, "std"),
    (init.kaiming_uniform, torch.nn.init.kaiming_uniform_, {}, "max"),
    (init.kaiming_uniform, torch.nn.init.kaiming_uniform_, {"a": math.sqrt(5)}, "max"),
    (init.kaiming_uniform, torch.nn.init.kaiming_uniform_, {"mode": "fan_out", "nonlinearity": "relu"}, "max"),
    (init.kaiming_normal, torch.nn.init.kaiming_normal_, {}, "std"),
    (init.kaiming_normal, torch.nn.init.kaiming_normal_, {"mode": "fan_out", "nonlinearity": "tanh"}, "std"),
    (init.kaiming_normal, torch.nn.init.kaiming_normal_, {"a": 0.1, "nonlinearity": "leaky_relu"}, "std"),
]


@pytest.mark.parametrize(("ours", "theirs", "kwargs", "statistic"), SCALE_CASES)
def test_initializer_scale(ours, theirs, kwargs, statistic):
    W = ours((FAN_IN, FAN_OUT), rng=0, **kwargs)
    weight = torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64)
    theirs(weight, generator=torch.Generator().manual_seed(0), **kwargs)
    weight = weight.numpy()
    if statistic == "max":  # the bound of a uniform: both maxima lie within 1e-4 below it
        assert np.max(np.abs(W)) == pytest.approx(np.max(np.abs(weight)), rel=1e-3)
    else:  # the standard deviation of a normal, estimated to about 0.2 %
        assert np.std(W) == pytest.approx(np.std(weight), rel=0.015)
