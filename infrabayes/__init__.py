"""Infra-Bayesian decision theory on finite outcome spaces.

Not yet implemented: this package is reserved for a-measures, infradistributions, Murphy's
expectation, the update with off-branch utility, Nirvana, and a library of decision problems
(see the project's issues). Importing it only exposes the version and the distribution sentinel.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("knightian")
except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
    __version__ = "0+unknown"

#: Sentinel that tells our package apart from a namesake on PyPI.
__distribution__ = "knightian"

__all__: list[str] = []
