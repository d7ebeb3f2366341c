"""Read-only arrays for frozen results.

Every array a result holds is a copy that the caller cannot write to, and writing to the
caller's array does not change the result.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import DTypeLike

__all__ = ["readonly"]


def readonly(values: Any, dtype: DTypeLike | None = None) -> np.ndarray:
    """Return a read-only copy of ``values`` as an array (of ``dtype``, if given).

    Examples
    --------
    >>> a = [0.5, 0.25]
    >>> r = readonly(a, float)
    >>> r.flags.writeable, r.dtype
    (False, dtype('float64'))
    """
    out = np.array(values, dtype=dtype)
    out.flags.writeable = False
    return out
