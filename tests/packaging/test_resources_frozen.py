"""Resources are found in a checkout and in a PyInstaller bundle (sys._MEIPASS)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from studio.core.resources import resource, resources_dir

CHECKOUT = Path(__file__).resolve().parents[2]


def test_checkout_resources_are_found() -> None:
    assert resources_dir() == CHECKOUT / "resources"
    assert resource("icons/studio.svg") == CHECKOUT / "resources" / "icons" / "studio.svg"


def test_frozen_resources_come_from_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    icon = tmp_path / "resources" / "icons" / "studio.svg"
    icon.parent.mkdir(parents=True)
    icon.write_text("<svg/>")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"
    assert resource("icons/studio.svg") == icon
    assert resource("model-configs/sd1/model_index.json") is None  # not shipped in this bundle
