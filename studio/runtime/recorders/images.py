"""Images (text-to-image, img2img, inpainting, unconditional): one PNG with its metadata
and a gallery row per image, written as its batch completes."""

from __future__ import annotations

from studio.engines.contract import GeneratedImage
from studio.runtime.recorders import Recorder, WrittenOutput


class ImageRecorder(Recorder):
    def add(self, output: GeneratedImage) -> list[WrittenOutput]:
        record = self.record(output.seed, output.index, output.sampler, output.run)
        return [self._saved(self.ctx.writer.write_image(output.image, record), record)]
