"""Run the calls that mypy checks in ``typed_usage.py``: they must also work as written."""

import pytest
import typed_usage


@pytest.mark.parametrize(
    "usage",
    [
        typed_usage.contracts_usage,
        typed_usage.infrabayes_usage,
        typed_usage.sequential_usage,
        typed_usage.learning_usage,
        typed_usage.portfolios_usage,
        typed_usage.problems_catalog_usage,
    ],
)
def test_documented_calls_run(usage):
    usage()
