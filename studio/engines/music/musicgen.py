"""MusicGen and MusicGen-Melody: text (and melody) to music, continuation, long clips.

Progress and cancel go through a StoppingCriteria that counts decoder tokens and
RAISES Cancelled: returning True would stop early but breaks MusicGen's final
reshape of the codebooks, and a streamer only ever sees the prompt.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.errors import Cancelled, ModelError, ValidationError, one_line
from studio.core.requests.audio import MusicRequest
from studio.engines.contract import CancelledFn, ProgressFn
from studio.engines.devices import dtype_name, resolve_device, resolve_dtype
from studio.engines.music.audio_input import read_audio
from studio.engines.music.clip import AudioClip, ClipEngine, finished_clip
from studio.engines.music.melody import ChromaSettings, chroma_span, chromagram
from studio.engines.music.windows import (
    frames_for,
    join_continuation,
    plan_windows,
    tokens_for,
)
from studio.engines.resident import ResidentModel, SpecNamed
from studio.models.loading.quiet import quiet_transformers
from studio.models.spec import ModelSpec

_LOAD_ERRORS = (OSError, ValueError, KeyError, RuntimeError, TypeError)
FADE_SECONDS = 0.05  # crossfade between windows, inside the prompt region


class MusicGenEngine(ClipEngine, ResidentModel, SpecNamed):
    """One loaded MusicGen (or MusicGen-Melody) on one device. One worker drives it."""

    WEIGHTS = "model"

    def __init__(self, spec: ModelSpec, model: Any, tokenizer: Any, device: torch.device) -> None:
        self.spec, self.model, self.tokenizer, self.device = spec, model, tokenizer, device
        self.melody = spec.family == "musicgen-melody"
        audio, decoder = model.config.audio_encoder, model.config.decoder
        self.sample_rate = int(audio.sampling_rate)
        self.channels = int(decoder.audio_channels)
        self.frame_rate = float(audio.frame_rate)
        self.hop = int(np.prod(audio.upsampling_ratios))
        self.delay = decoder.num_codebooks // self.channels - 1
        self.window_frames = _window_tokens(spec.path, decoder) - 1 - self.delay
        if self.window_frames < 3:
            raise ModelError(f"{spec.name}: its decoder window is too short to generate music")
        self.context_frames = self.window_frames // 3
        self.chroma = ChromaSettings.for_model(spec.path) if self.melody else None

    @classmethod
    def load(cls, spec: ModelSpec, device: str = "auto", precision: str = "auto") -> MusicGenEngine:
        quiet_transformers()  # before transformers is imported: it warns while importing
        from transformers import (
            AutoTokenizer,
            MusicgenForConditionalGeneration,
            MusicgenMelodyForConditionalGeneration,
        )

        melody = spec.family == "musicgen-melody"
        model_class = (
            MusicgenMelodyForConditionalGeneration if melody else MusicgenForConditionalGeneration
        )
        torch_device = resolve_device(device)
        dtype = resolve_dtype(torch_device, precision, spec.family)
        try:
            model = model_class.from_pretrained(
                spec.path, local_files_only=True, trust_remote_code=False, dtype=dtype,
                use_safetensors=None if spec.allow_pickle else True,
            )  # fmt: skip
            tokenizer = AutoTokenizer.from_pretrained(
                spec.path, local_files_only=True, trust_remote_code=False
            )
        except _LOAD_ERRORS as exc:
            raise ModelError(f"cannot load {spec.name} ({spec.family}): {one_line(exc)}") from None
        return cls(spec, model.to(torch_device).eval(), tokenizer, torch_device)

    def check(self, request: MusicRequest) -> None:
        """Refuse what this model cannot do, before any work."""
        if request.negative_prompt:
            raise ValidationError(f"{self.name} (MusicGen) takes no negative prompt")
        if request.melody and not self.melody:
            raise ValidationError(
                f"{self.name} takes no melody: melody conditioning needs a MusicGen-Melody model"
            )

    def _clip(
        self, request: MusicRequest, seed: int, progress: ProgressFn, cancelled: CancelledFn
    ) -> AudioClip:
        """The clip to continue (if any) followed by `request.seconds` of new music."""
        audio = None
        if request.continue_from:
            audio = read_audio(request.continue_from, "clip", self.sample_rate, self.channels)
        chroma = self._melody_chroma(request.melody) if request.melody else None
        text = self.tokenizer([request.prompt], return_tensors="pt", padding=True).to(self.device)
        start = 0 if audio is None else audio.shape[1] // self.hop
        windows = plan_windows(
            frames_for(request.seconds, self.frame_rate), self.window_frames,
            self.context_frames, start,
        )  # fmt: skip
        total = sum(tokens_for(w.new_frames, self.delay) for w in windows)
        counter = _token_counter(progress, cancelled, total)
        fade = int(FADE_SECONDS * self.sample_rate)
        started = time.perf_counter()
        torch.manual_seed(seed)
        made = 0  # frames of new music so far
        for window in windows:
            prompt_samples = window.prompt_frames * self.hop
            prompt = audio[:, -prompt_samples:] if audio is not None and prompt_samples else None
            extra = {}
            if chroma is not None:
                start_s = max(0, made - window.prompt_frames) / self.frame_rate
                end_s = (made + window.new_frames) / self.frame_rate
                extra["input_features"] = self._chroma_for(chroma, start_s, end_s)
            out = self._generate_window(
                text, prompt, tokens_for(window.new_frames, self.delay), counter,
                request.guidance, extra,
            )  # fmt: skip
            out = out[:, : prompt_samples + window.new_frames * self.hop]
            audio = join_continuation(audio, out, prompt_samples, fade)
            made += window.new_frames
        run = {
            "device": str(self.device), "dtype": dtype_name(self.model.dtype),
            "model_class": type(self.model).__name__, "windows": len(windows),
            "tokens": total, "seconds": round(time.perf_counter() - started, 3),
        }  # fmt: skip
        assert audio is not None  # at least one window always runs
        return finished_clip(audio, self.sample_rate, seed, self.name, run)

    def _melody_chroma(self, melody: str) -> torch.Tensor:
        assert self.chroma is not None
        mono = read_audio(melody, "melody", self.chroma.sampling_rate, 1)[0]
        return chromagram(mono, self.chroma)

    def _chroma_for(self, chroma: torch.Tensor, start_s: float, end_s: float) -> torch.Tensor:
        assert self.chroma is not None
        span = chroma_span(chroma, self.chroma.frame_rate, start_s, end_s)
        return span[None].to(self.device, self.model.dtype)

    def _generate_window(
        self, text: Any, prompt: np.ndarray | None, tokens: int, counter: Any,
        guidance: float, extra: dict[str, Any],
    ) -> np.ndarray:  # fmt: skip
        from transformers import StoppingCriteriaList

        kwargs: dict[str, Any] = {
            **text, **extra, "max_new_tokens": tokens, "do_sample": True,
            "guidance_scale": guidance, "stopping_criteria": StoppingCriteriaList([counter]),
        }  # fmt: skip
        with torch.inference_mode():
            if prompt is not None:
                kwargs["decoder_input_ids"] = self._prompt_codes(prompt)
            values = self.model.generate(**kwargs)
        return values[0].float().cpu().numpy()

    def _prompt_codes(self, prompt: np.ndarray) -> torch.Tensor:
        """EnCodec codes of the audio prompt as decoder input, (codebooks, frames); stereo
        models interleave left/right codebooks, as transformers does for input_values."""
        wave = torch.from_numpy(np.ascontiguousarray(prompt))[None].to(
            self.device, self.model.dtype
        )
        encoder = self.model.audio_encoder
        if self.channels == 1:
            codes = encoder.encode(wave).audio_codes
        else:
            left = encoder.encode(wave[:, :1]).audio_codes
            right = encoder.encode(wave[:, 1:]).audio_codes
            codes = left.new_ones((*left.shape[:2], 2 * left.shape[2], left.shape[3]))
            codes[:, :, ::2], codes[:, :, 1::2] = left, right
        return codes[0].reshape(-1, codes.shape[-1])


def _window_tokens(folder: Path, decoder_config: Any) -> int:
    """Decoder steps one window may hold: the checkpoint's max_length (1500 = 30 s for the
    released models), capped by its position table."""
    positions = int(decoder_config.max_position_embeddings)
    try:
        declared = json.loads((folder / "generation_config.json").read_text()).get("max_length")
    except (OSError, ValueError, AttributeError):
        declared = None
    return min(positions, declared) if isinstance(declared, int) and declared > 0 else positions


def _token_counter(progress: ProgressFn, cancelled: CancelledFn, total: int) -> Any:
    from transformers import StoppingCriteria

    class TokenCounter(StoppingCriteria):
        """Counts decoder steps over all windows; never stops generation, raises on cancel."""

        def __init__(self) -> None:
            self.done = 0

        def __call__(self, input_ids: torch.Tensor, scores: Any, **kwargs: Any) -> torch.Tensor:
            if cancelled():
                raise Cancelled()
            self.done += 1
            progress(min(self.done, total), total)
            return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)

    return TokenCounter()
