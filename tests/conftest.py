"""Shared pytest configuration: hypothesis profiles.

``dev`` (the default) keeps the suite fast; ``ci`` is loaded automatically by hypothesis when the
``CI`` environment variable is set (derandomized, no deadline, no database); ``thorough`` is for
a long local run: ``HYPOTHESIS_PROFILE=thorough make test``.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
