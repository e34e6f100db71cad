"""Test-wide setup: offline, offscreen, a private data folder, tiny models built once."""

from __future__ import annotations

import os

# Before any test module can import a Hugging Face library or Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from studio.core.offline import enable_offline_mode

enable_offline_mode()

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def studio_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder, so none touches a real user's data."""
    home = tmp_path / "studio-home"
    monkeypatch.setenv("STUDIO_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def tiny_sd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from studio.demo_models.image import build_tiny_sd

    return build_tiny_sd(tmp_path_factory.mktemp("models") / "tiny-sd")


@pytest.fixture(scope="session")
def tiny_sdxl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from studio.demo_models.image import build_tiny_sdxl

    return build_tiny_sdxl(tmp_path_factory.mktemp("models") / "tiny-sdxl")


@pytest.fixture(scope="session")
def sd_engine(tiny_sd: Path):  # type: ignore[no-untyped-def]
    from studio.engines.image import ImageEngine

    return ImageEngine.load(tiny_sd, device="cpu", precision="fp32")


@pytest.fixture
def make_image(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a small RGB (or L) image to disk and return its path."""
    from PIL import Image

    def make(name: str = "init.png", size: tuple[int, int] = (64, 64), mode: str = "RGB") -> Path:
        color = (200, 120, 40) if mode == "RGB" else 255
        path = tmp_path / name
        Image.new(mode, size, color).save(path)
        return path

    return make


@pytest.fixture(scope="module")
def one_torch_thread():  # type: ignore[no-untyped-def]
    """Tiny models spend their time in thread hand-offs: on a shared 2-core machine two
    torch threads run many times slower than one. Use with pytest.mark.usefixtures."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def tiny_translate_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One tiny random translation model of every family (built once per session)."""
    from studio.demo_models import translate as demo

    root = tmp_path_factory.mktemp("translate-models")
    return {
        "marian": demo.build_tiny_marian(root / "opus-mt-pt-en"),
        "marian-multi": demo.build_tiny_marian(
            root / "opus-mt-en-mul", source="en", targets=("pt", "fr", "de", "pt_br")
        ),
        "m2m100": demo.build_tiny_m2m100(root / "m2m100"),
        "nllb": demo.build_tiny_nllb(root / "nllb"),
        "madlad": demo.build_tiny_t5(root / "madlad"),
        "t5": demo.build_tiny_t5(root / "t5", languages=()),
    }
