"""Loss functions (常用的损失函数), as functions and as classes with ``backward`` (Chapter 2).

A loss :math:`L(y, f(x))` measures how far a prediction :math:`f(x)` is
from the target :math:`y`. In regression it is a function of the residual
:math:`y - f(x)`, in classification of the margin :math:`y\\,f(x)`.

- ``regression``: ``mse_loss``, ``l1_loss``, ``smooth_l1_loss``, ``huber_loss`` and
  their classes :class:`MSELoss`, :class:`L1Loss`, :class:`SmoothL1Loss`, :class:`HuberLoss`;
- ``cross_entropy``: ``binary_cross_entropy``, ``binary_cross_entropy_with_logits``,
  ``cross_entropy`` and :class:`BCELoss`, :class:`BCEWithLogitsLoss`, :class:`CrossEntropyLoss`;
- ``margin``: ``soft_margin_loss``, ``hinge_loss``, ``exponential_loss`` and
  :class:`SoftMarginLoss`, :class:`HingeLoss`, :class:`ExponentialLoss`;
- ``functional``: every loss as a function, with ``zero_one_loss`` and
  ``absolute_loss`` (the absolute-value loss, 绝对值损失函数: ``l1_loss`` by another name);
- :class:`Loss`, the base class (reduction, checks, ``forward``/``backward``).

Each function computes its loss; its class computes the same terms and adds
``backward``.

Names and numbers follow PyTorch where it has the loss.
"""

from .._lazy import lazy_names

# Imported at once, not when first used: importing the submodule ``cross_entropy`` (as any use of
# ``CrossEntropyLoss`` does) would otherwise bind its name here to the submodule instead of the function.
from .cross_entropy import cross_entropy

#: The submodule that defines each name, imported when the name is first used.
_NAMES = {
    "Loss": "_base",
    **dict.fromkeys(["BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "binary_cross_entropy",
                     "binary_cross_entropy_with_logits"], "cross_entropy"),
    **dict.fromkeys(["absolute_loss", "zero_one_loss"], "functional"),
    **dict.fromkeys(["ExponentialLoss", "HingeLoss", "SoftMarginLoss", "exponential_loss", "hinge_loss",
                     "soft_margin_loss"], "margin"),
    **dict.fromkeys(["HuberLoss", "L1Loss", "MSELoss", "SmoothL1Loss", "huber_loss", "l1_loss", "mse_loss",
                     "smooth_l1_loss"], "regression"),
}

__all__ = ["cross_entropy", *_NAMES]

__getattr__, __dir__ = lazy_names(__name__, globals(), _NAMES)
del lazy_names
