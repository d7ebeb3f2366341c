"""Check that the installed top-level packages are knightian's, not a namesake's.

Run by ``.ci/run`` with the interpreter of a fresh venv that has only the wheel installed, from a
directory outside the repository, so nothing from the checkout can shadow the install.
"""

import importlib
import importlib.metadata
import sys
import sysconfig
from pathlib import Path

NAMES = ("contracts", "infrabayes", "portfolios")


def main() -> int:
    """Import each package and fail loudly if it is not the one the knightian wheel installed."""
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    providers = importlib.metadata.packages_distributions()
    failures = []
    for name in NAMES:
        module = importlib.import_module(name)
        origin = Path(module.__file__ or "").resolve()
        dists = sorted(set(providers.get(name, [])))
        if getattr(module, "__distribution__", None) != "knightian":
            failures.append(f"{name}: imported from {origin} has no knightian sentinel")
        elif site not in origin.parents:
            failures.append(f"{name}: imported from {origin}, not from the wheel in {site}")
        elif dists != ["knightian"]:
            failures.append(f"{name}: provided by distributions {dists}, expected only knightian")
        else:
            print(f"ok: {name} {module.__version__} from {origin.parent}")
    for line in failures:
        print("FAIL:", line, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
