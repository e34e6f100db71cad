"""Music and speech: one tagged audio file per request, checked against the model's
sample rate before anything is generated."""

from __future__ import annotations

from typing import Any

from studio.core.outputs.atomic import write_atomic
from studio.runtime.audio_files import audio_tags, check_writable, encode_audio
from studio.runtime.recorders import Recorder, WrittenOutput


class AudioRecorder(Recorder):
    def begin(self) -> None:
        # A format this installation (or this rate) cannot write fails now, losing nothing.
        engine = self.ctx.engine
        check_writable(self.ctx.request.format, engine.sample_rate, engine.channels)  # type: ignore[attr-defined]
        if hasattr(engine, "check"):
            engine.check(self.ctx.request)

    def add(self, clip: Any) -> list[WrittenOutput]:
        writer = self.ctx.writer
        run = {**clip.run, "sample_rate": clip.sample_rate, "channels": clip.channels,
               "duration": round(clip.seconds, 3)}  # fmt: skip
        record = self.record(clip.seed, run=run)
        fmt = check_writable(self.ctx.request.format, clip.sample_rate, clip.channels)  # type: ignore[attr-defined]
        tags = audio_tags(record, fmt, strip_metadata=writer.strip_metadata)
        data = encode_audio(clip.audio, clip.sample_rate, fmt, tags)
        written = self.save_bytes(data, record, fmt.suffix)
        if not tags.complete:  # the tags could not hold the whole record: it goes beside the file
            sidecar = written.path.with_name(written.path.name + ".json")
            write_atomic(sidecar, writer.sidecar(record))
        return [written]
