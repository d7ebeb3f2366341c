"""Safety-case portfolios as a network: how correlated are the cases' failures.

Not yet implemented: this package is reserved for safety cases resting on world-model
assumptions, exact failure probabilities under shared latent structure, cut sets, importance and
diversity (see the project's issues). Importing it only exposes the version and the distribution
sentinel.
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
