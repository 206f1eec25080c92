"""The test suite never writes to the user's data directory (conftest.py points it elsewhere)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

from tests.conftest import user_data_untouched


def test_user_data_directory_is_a_throwaway_one(request):
    real, _ = request.config.apertura_user_data
    assert Path(user_data_dir("apertura", appauthor=False)) != real
    assert user_data_untouched(request.config) is None
