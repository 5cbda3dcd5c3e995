"""The book's machinery, apart from the library that students import.

One subpackage per layer, one module per chapter in each (``ch01_activations``,
``ch02_losses``, ...), importing in one direction:

- ``book.experiments``: the numbers behind the chapters' figures (NumPy and
  the library only);
- ``book.plot``: the book's figure style and each chapter's static figures
  (matplotlib);
- ``book.widgets``: each chapter's interactive figures (ipywidgets);
- ``book.exercises``: the checkers the chapters' exercises call.

What several chapters share lives in the layer's ``__init__``. No library
module imports ``dlnotes.book``.
"""
