"""LoRAs and embeddings on image models; PEFT adapters on text models. Real tiny weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.core.errors import ModelError
from studio.engines.image import ImageEngine
from studio.models.identify import identify_path
from tests.helpers import tiny_request
from tests.models import zoo


def make_lora(pipeline: Path, folder: Path, seed: int) -> Path:
    """A diffusers-format LoRA for `pipeline`'s UNet with random (non-zero) weights."""
    import torch
    from diffusers import StableDiffusionPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    pipe = StableDiffusionPipeline.from_pretrained(pipeline, local_files_only=True)
    torch.manual_seed(seed)
    pipe.unet.add_adapter(LoraConfig(r=4, lora_alpha=4, init_lora_weights=False,
                                     target_modules=["to_q", "to_k", "to_v", "to_out.0"]))  # fmt: skip
    with torch.no_grad():  # make the effect large enough to see in a 2-step tiny model
        for name, param in pipe.unet.named_parameters():
            if "lora_B" in name:
                param.mul_(50)
    StableDiffusionPipeline.save_lora_weights(folder, unet_lora_layers=get_peft_model_state_dict(pipe.unet),
                                              safe_serialization=True)  # fmt: skip
    return folder / "pytorch_lora_weights.safetensors"


@pytest.fixture(scope="module")
def loras(
    tiny_sd: Path, tiny_sdxl: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("loras")
    out = {}
    for name, seed in (("fox", 1), ("owl", 2)):
        out[name] = make_lora(tiny_sd, root / name, seed).rename(root / f"{name}.safetensors")
    import torch
    from safetensors.torch import save_file

    save_file({"emb_params": torch.randn(2, 16) * 5}, str(root / "shiny.safetensors"))
    out["shiny"] = root / "shiny.safetensors"
    out["xl-real"] = zoo.lora_sdxl(root / "xl-real.safetensors")
    return out


def image(engine: ImageEngine, model: Path, **changes: object) -> np.ndarray:
    return np.asarray(
        engine.images(tiny_request(model, steps=2, **changes))[0].image, dtype=np.int16
    )


def test_loras_are_identified_and_change_the_output(tiny_sd: Path, loras: dict[str, Path]) -> None:
    found = identify_path(loras["fox"])
    assert (found.task, found.kind) == ("image", "lora")
    engine = ImageEngine.load(tiny_sd, device="cpu")
    base = image(engine, tiny_sd)
    fox = image(engine, tiny_sd, loras=((str(loras["fox"]), 1.0),))
    assert np.abs(fox - base).max() > 2
    # Weight 0 is the base model; turning all LoRAs off restores it.
    assert np.abs(image(engine, tiny_sd, loras=((str(loras["fox"]), 0.0),)) - base).max() <= 1
    assert np.abs(image(engine, tiny_sd) - base).max() <= 1
    both = image(engine, tiny_sd, loras=((str(loras["fox"]), 1.0), (str(loras["owl"]), 0.7)))
    assert np.abs(both - fox).max() > 2
    record = engine.images(tiny_request(tiny_sd, loras=((str(loras["fox"]), 0.5),)))[0]
    assert record.run["loras"] == [{"name": "fox", "weight": 0.5}]


def test_a_lora_for_another_family_is_refused(tiny_sd: Path, loras: dict[str, Path]) -> None:
    engine = ImageEngine.load(tiny_sd, device="cpu")
    with pytest.raises(ModelError, match=r"LoRA xl-real is for SDXL but tiny-sd is SD 1.x"):
        engine.images(tiny_request(tiny_sd, loras=((str(loras["xl-real"]), 1.0),)))


def test_a_lora_whose_layers_do_not_fit_is_refused(tiny_sdxl: Path, loras: dict[str, Path]) -> None:
    engine = ImageEngine.load(tiny_sdxl, device="cpu")
    with pytest.raises(ModelError, match="LoRA fox does not fit tiny-sdxl") as info:
        engine.images(tiny_request(tiny_sdxl, loras=((str(loras["fox"]), 1.0),)))
    assert "\n" not in str(info.value)
    engine.images(tiny_request(tiny_sdxl))  # the model still works afterwards


def test_textual_inversion_token_changes_the_prompt(tiny_sd: Path, loras: dict[str, Path]) -> None:
    assert identify_path(loras["shiny"]).kind == "embedding"
    engine = ImageEngine.load(tiny_sd, device="cpu")
    plain = image(engine, tiny_sd, prompt="a shiny fox")
    embedded = image(engine, tiny_sd, prompt="a shiny fox", embeddings=(str(loras["shiny"]),))
    assert np.abs(embedded - plain).max() > 2
    again = image(engine, tiny_sd, prompt="a shiny fox", embeddings=(str(loras["shiny"]),))
    assert np.array_equal(again, embedded)  # loaded once, reused


def test_not_a_lora(tiny_sd: Path, loras: dict[str, Path]) -> None:
    engine = ImageEngine.load(tiny_sd, device="cpu")
    with pytest.raises(ModelError, match=r"shiny is a embedding, not a LoRA|is a embedding"):
        engine.images(tiny_request(tiny_sd, loras=((str(loras["shiny"]), 1.0),)))


def test_peft_text_adapter_is_listed_and_loads(tmp_path: Path) -> None:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from studio.models.loading.text_models import load_causal_lm

    base = zoo.tiny_gpt2(tmp_path / "gpt2")
    torch.manual_seed(0)
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(base),
                           LoraConfig(r=2, target_modules=["c_attn"], task_type="CAUSAL_LM",
                                      init_lora_weights=False))  # fmt: skip
    model.save_pretrained(tmp_path / "adapter")
    found = identify_path(tmp_path / "adapter")
    assert (found.task, found.kind) == ("text", "peft")
    ids = torch.tensor([[1, 2, 3, 4]])
    plain = load_causal_lm(base).model(ids).logits
    adapted = load_causal_lm(base, adapter=tmp_path / "adapter")
    assert adapted.adapter == tmp_path / "adapter"
    assert not torch.allclose(plain, adapted.model(ids).logits)
    (tmp_path / "adapter" / "adapter_model.safetensors").rename(
        tmp_path / "adapter" / "adapter_model.bin"
    )
    with pytest.raises(ModelError, match="only pickle weights"):
        load_causal_lm(base, adapter=tmp_path / "adapter")


def test_cli_lora_lands_in_a1111_metadata_and_reads_back(
    tiny_sd: Path, loras: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from studio.cli.main import main
    from studio.core.outputs.a1111 import parse_parameters
    from studio.core.outputs.reader import from_a1111_text

    argv = ["generate", "image", "--model", str(tiny_sd), "--prompt", "a fox", "--steps", "2",
            "--size", "64x64", "--seed", "5", "--out", str(tmp_path), "--lora", f"{loras['fox']}:0.6"]  # fmt: skip
    assert main(argv) == 0
    from PIL import Image

    with Image.open(capsys.readouterr().out.strip()) as png:
        text = png.info["parameters"]
    assert parse_parameters(text)[0] == "a fox <lora:fox:0.6>"
    restored = from_a1111_text(text)
    assert restored.fields["prompt"] == "a fox" and restored.fields["loras"] == (("fox", 0.6),)
