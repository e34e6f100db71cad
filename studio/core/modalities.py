"""The modality registry: every task the studio runs, and what each layer needs to run it.

One entry per task names its request type, the engines that run it (several backends,
chosen by the model's catalog task and format), the recorder that writes and records
its outputs, its `studio generate` subcommand, its batch job-file aliases, and its GUI
form, viewer and page. Every dispatch site reads this table: the job path, preload,
warm-up, batch job files, the CLI and the GUI. None keeps its own list of tasks.

Pure data in the core layer, so every layer can read it: the engine, recorder, CLI and
GUI parts are named by dotted path ("module:attribute") and imported by the layer that
uses them, only when it uses them (start-up stays fast, layers stay clean).
`docs/adding-a-modality.md` walks through adding an entry.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from studio.core.errors import ValidationError
from studio.core.requests import (
    CodeRequest,
    ImageRequest,
    LatentWalkRequest,
    MusicRequest,
    SpeechRequest,
    TextRequest,
    TranslateRequest,
    UnconditionalRequest,
)
from studio.core.requests.base import Request


@dataclass(frozen=True)
class Backend:
    """An engine class that runs the task on models of `model_tasks`, of these `formats`
    and `families` (any when empty). The first backend that accepts a model runs it."""

    engine: str  # "module:Class" implementing studio.engines.contract.Engine
    model_tasks: tuple[str, ...]
    formats: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    load_options: tuple[str, ...] = ()  # request fields the engine's load() takes

    def accepts(self, model_task: str, model_format: str = "", family: str = "") -> bool:
        return (
            model_task in self.model_tasks
            and (not self.formats or model_format in self.formats)
            and (not self.families or family in self.families)
        )


@dataclass(frozen=True)
class Modality:
    name: str  # the one task name: job rows, gallery rows, job files, CLI, request TYPE
    label: str  # English; the GUI translates it
    request: type[Request]
    backends: tuple[Backend, ...]
    recorder: str  # "module:Class" in studio.runtime.recorders: writes and records outputs
    cli: str  # "module:function": function(subcommands) adds `studio generate NAME`
    form: str  # "module:Class" of the GUI's parameters form
    viewer: str  # how the gallery shows its outputs: "image", "audio" or "text"
    page: str  # the GUI task-bar page the task lives under
    icon: str = ""  # the task-bar icon of its page (resources/icons/<icon>.svg)
    old_names: tuple[str, ...] = ()  # earlier names, still read in old rows and job files
    batch_aliases: dict[str, str] = field(default_factory=dict)  # job-file key -> field
    # Job-file fields that are prompt templates ({a|b}, __wildcards__); code and documents
    # are taken literally: braces and dunders are everyday characters there.
    batch_templates: tuple[str, ...] = ()
    # `studio batch --input-dir`: the field each input file fills, and the files it takes.
    batch_input: tuple[str, tuple[str, ...]] | None = None
    warm: tuple[str, ...] = ()  # "module:attribute" imported ahead of the first job

    @property
    def model_tasks(self) -> tuple[str, ...]:
        """Catalog tasks of the models this task runs on."""
        return tuple(dict.fromkeys(t for b in self.backends for t in b.model_tasks))

    def backend_for(
        self, model_task: str, model_format: str = "", family: str = ""
    ) -> Backend | None:
        found = (b for b in self.backends if b.accepts(model_task, model_format, family))
        return next(found, None)


_IMAGE_ENGINE = "studio.engines.image:ImageEngine"
_UNCONDITIONAL_ENGINE = "studio.engines.unconditional:UnconditionalEngine"
# Text models: GGUF files through llama.cpp first (quantized, as the user keeps them), then
# transformers, which also reads GGUF (dequantized) when llama.cpp is missing here.
_LLAMA_CPP = Backend("studio.engines.text.llama_cpp:LlamaCppEngine", ("text",), formats=("gguf",))
_TEXT = Backend("studio.engines.text:TextEngine", ("text",))
_TRANSFORMERS = ("transformers:AutoModelForCausalLM", "transformers:AutoTokenizer")

MODALITIES: tuple[Modality, ...] = (
    Modality(
        "image", "Image", ImageRequest,
        (Backend(_IMAGE_ENGINE, ("image", "unknown")),),
        "studio.runtime.recorders.images:ImageRecorder", "studio.cli.generate_image:register",
        "studio.gui.parameters.image_form:ImageForm", "image", "image", "image",
        batch_templates=("prompt", "negative_prompt"),
        batch_input=("init_image", (".png", ".jpg", ".jpeg", ".webp")),
        warm=(_IMAGE_ENGINE, "diffusers:StableDiffusionPipeline",
              "diffusers:StableDiffusionXLPipeline", "diffusers:AutoencoderKL"),
    ),
    Modality(
        "text", "Chat", TextRequest, (_LLAMA_CPP, _TEXT),
        "studio.runtime.recorders.text:TextRecorder", "studio.cli.generate_text:register_text",
        "studio.gui.parameters.text_form:TextForm", "text", "text", "chat",
        batch_templates=("prompt", "system"),
        warm=(_TEXT.engine, *_TRANSFORMERS),
    ),
    Modality(
        "code", "Code", CodeRequest, (_LLAMA_CPP, _TEXT),
        "studio.runtime.recorders.text:TextRecorder", "studio.cli.generate_text:register_code",
        "studio.gui.parameters.text_form:TextForm", "text", "code", "code",
    ),
    Modality(
        "translate", "Translate", TranslateRequest,
        (Backend("studio.engines.translate:TranslateEngine", ("translate",)),),
        "studio.runtime.recorders.translation:TranslationRecorder",
        "studio.cli.generate_translate:register",
        "studio.gui.parameters.translate_form:TranslateForm",
        "text", "translate", "translate",
        batch_input=("file", (".txt", ".md", ".srt")),
        warm=("studio.engines.translate:TranslateEngine", "transformers:AutoModelForSeq2SeqLM"),
    ),
    Modality(
        "music", "Music", MusicRequest,
        (Backend("studio.engines.music.musicgen:MusicGenEngine", ("music",),
                 families=("musicgen", "musicgen-melody")),
         Backend("studio.engines.music.diffusion:DiffusionMusicEngine", ("music",),
                 families=("audioldm2", "audioldm", "musicldm", "stable-audio"))),
        "studio.runtime.recorders.audio:AudioRecorder", "studio.cli.generate_audio:register_music",
        "studio.gui.parameters.audio_form:MusicForm", "audio", "music", "music",
        batch_templates=("prompt", "negative_prompt"),
        warm=("studio.engines.music.musicgen:MusicGenEngine",),
    ),
    Modality(
        "speech", "Speech", SpeechRequest,
        (Backend("studio.engines.speech.engine:SpeechEngine", ("speech",),
                 load_options=("vocoder",)),),
        "studio.runtime.recorders.audio:AudioRecorder", "studio.cli.generate_audio:register_speech",
        "studio.gui.parameters.audio_form:SpeechForm", "audio", "speech", "speech",
        batch_templates=("text",),
        warm=("studio.engines.speech.engine:SpeechEngine",),
    ),
    Modality(
        "unconditional", "Unconditional image", UnconditionalRequest,
        (Backend(_UNCONDITIONAL_ENGINE, ("unconditional",)),),
        "studio.runtime.recorders.images:ImageRecorder",
        "studio.cli.generate_latent:register_unconditional",
        "studio.gui.parameters.latent_forms:UnconditionalForm", "image", "image",
        old_names=("image-unconditional", "latent"), warm=(_UNCONDITIONAL_ENGINE,),
    ),
    Modality(
        "walk", "Latent walk", LatentWalkRequest,
        (Backend(_UNCONDITIONAL_ENGINE, ("unconditional",)),
         Backend(_IMAGE_ENGINE, ("image", "unknown"))),
        "studio.runtime.recorders.walk:WalkRecorder", "studio.cli.generate_latent:register_walk",
        "studio.gui.parameters.latent_forms:WalkForm", "image", "image",
        old_names=("latent-walk",), batch_aliases={"frames": "frames_between"},
        warm=("studio.engines.walk:iter_walk",),
    ),
)  # fmt: skip

# How the catalog's model tasks read (the Models dock's groups), in registry order.
MODEL_TASK_LABELS: dict[str, str] = {
    "image": "Image", "text": "Text", "translate": "Translate", "music": "Music",
    "speech": "Speech", "unconditional": "Unconditional image",
}  # fmt: skip

_BY_NAME: dict[str, Modality] = {m.name: m for m in MODALITIES}
_OLD: dict[str, str] = {old: m.name for m in MODALITIES for old in m.old_names}


def task_names() -> tuple[str, ...]:
    return tuple(_BY_NAME)


def canonical_task(name: str) -> str:
    """The task's name now, for a name of today or an earlier one (old rows, job files)."""
    return _OLD.get(name, name)


def modality(name: str) -> Modality:
    """The entry of task `name` (or an earlier name of it); one ValidationError line if none."""
    found = _BY_NAME.get(canonical_task(name)) if isinstance(name, str) else None
    if found is None:
        raise ValidationError(f"unknown task {name!r}; tasks: {', '.join(_BY_NAME)}")
    return found


def modality_of(request: Request) -> Modality:
    return modality(request.TYPE)


def page_tasks(page: str) -> tuple[str, ...]:
    """The tasks shown under one GUI page (the image page also runs walks, ...)."""
    return tuple(m.name for m in MODALITIES if m.page == page)


def pages() -> tuple[str, ...]:
    """The GUI's task-bar pages, in registry order."""
    return tuple(dict.fromkeys(m.page for m in MODALITIES))


def model_task_names() -> tuple[str, ...]:
    """Every catalog task some modality runs ("unknown" aside)."""
    return tuple(dict.fromkeys(t for m in MODALITIES for t in m.model_tasks if t != "unknown"))


def load_ref(ref: str) -> Any:
    """Import "module:attribute" (or a bare module); the layer that calls it owns the cost."""
    module, _, attribute = ref.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, attribute) if attribute else loaded
