"""A GGUF model's own settings (`studio models set ID --gpu-layers N --context T`) decide how
llama.cpp runs it; bad values are one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.cli.main import main
from studio.core.paths import data_paths
from studio.engines.text.llama_load import plan_load
from studio.models.catalog import ModelCatalog
from studio.models.spec import resolve


def test_gpu_layers_and_context_are_kept_per_model(tiny_ggufs: dict[str, Path], capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["models", "scan", str(tiny_ggufs["chat"])]) == 0
    with ModelCatalog(data_paths().ensure().database) as catalog:
        entry = next(e for e in catalog.entries() if e.format == "gguf")
    capsys.readouterr()
    assert main(["models", "set", str(entry.id), "--gpu-layers", "0", "--context", "128"]) == 0
    assert "gpu_layers=0" in capsys.readouterr().out
    with ModelCatalog(data_paths().ensure().database) as catalog:
        spec = resolve(str(entry.id), catalog)
    import torch

    plan = plan_load(spec, torch.device("cpu"), gpu_offload=False)
    assert plan.context == 128 and plan.gpu_layers == 0


@pytest.mark.parametrize(("flag", "value", "message"), [
    ("--gpu-layers", "-2", "--gpu-layers must be -1 (all), 0 (none) or a layer count"),
    ("--context", "8", "--context must be between 16 and 1048576 tokens"),
])  # fmt: skip
def test_bad_settings_are_one_line(tiny_ggufs, capsys, flag: str, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    assert main(["models", "scan", str(tiny_ggufs["plain"])]) == 0
    capsys.readouterr()
    assert main(["models", "set", str(tiny_ggufs["plain"]), flag, value]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
