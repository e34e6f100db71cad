"""Screenshots of every main view, made the way a new user gets there: demo models created
from the welcome page, one output of each task generated through the real job queue.

    python3 dev.py screenshots            # under Xvfb when xvfb-run is installed
    .venv/bin/python tools/screenshots.py docs/screenshots [--dark]

Runs in a throwaway data folder (STUDIO_HOME): the user's own studio is never touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOME = Path(tempfile.mkdtemp(prefix="studio-screenshots-"))
os.environ["STUDIO_HOME"] = str(HOME)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")


def wait(condition: Callable[[], bool], timeout: float = 300.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the studio")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    wait(lambda: time.monotonic() > end)


class Shooter:
    def __init__(self, window: object, out: Path) -> None:
        self.window, self.out = window, out
        out.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, widget: object = None) -> None:
        settle()
        target = widget or self.window
        path = self.out / f"{name}.png"
        target.grab().save(str(path))  # type: ignore[attr-defined]
        print(path)


def run_job(window: object, start: Callable[[], None]) -> None:
    """Start a generation and wait until the job queue says it finished."""
    done: list[int] = []
    failed: list[str] = []
    bridge = window.bridge  # type: ignore[attr-defined]
    bridge.job_finished.connect(lambda job_id, paths: done.append(job_id))
    bridge.job_failed.connect(lambda job_id, error: failed.append(error))
    start()
    wait(lambda: bool(done or failed))
    if failed:
        raise SystemExit(f"a job failed: {failed[0]}")
    settle(0.3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="also shoot the dark palette")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from studio.core.requests import ImageRequest, LatentWalkRequest
    from studio.core.requests.audio import MusicRequest, SpeechRequest
    from studio.core.settings import Settings, save_settings
    from studio.gui.main_window import MainWindow
    from studio.gui.theme import apply_theme

    save_settings(Settings(output_folder=str(HOME / "outputs")))
    app = QApplication(["studio"])
    app.setApplicationName("Generative Studio")
    apply_theme(app, "light")
    window = MainWindow()
    window.resize(1440, 900)
    window.show()
    shoot = Shooter(window, args.out)
    wait(lambda: window.starter.done)
    shoot("01-welcome")

    # As a new user does: the welcome page's button builds the demo models off the GUI thread.
    ready: list[list[tuple[int, str, str]]] = []
    window.welcome.demo_models_ready.connect(ready.append)
    window.welcome.demo_button.click()
    wait(lambda: bool(ready))
    rows = ready[0]
    settle()
    ids = {task: model_id for model_id, task, _name in rows}
    refs = {task: window._model_ref(model_id)[0] for task, model_id in ids.items()}

    window.use_model(ids["image"], "image")
    window.parameters_dock.forms["image"].load_request(ImageRequest(
        model=refs["image"], prompt="a lighthouse on a cliff at dusk, oil painting",
        negative_prompt="blurry", width=256, height=256, steps=12, seed=7, batch_count=4,
    ))  # fmt: skip
    run_job(window, window.generate)
    window.gallery.list.setCurrentIndex(window.gallery.gallery.index(0))
    shoot("02-image")

    window.use_model(ids["text"], "text")
    window.chat.composer.editor.setPlainText("Write a haiku about a lighthouse.")
    run_job(window, window.chat.send)
    shoot("03-chat")

    window.show_task("code")
    window.chat.new_chat()
    window.chat.composer.editor.setPlainText("Write a Python function that reverses a string.")
    run_job(window, window.chat.send)
    shoot("04-code")

    window.use_model(ids["translate"], "translate")
    wait(lambda: not window.translate_view.worker.busy)
    window.translate_view.text.setPlainText("Olá, mundo. O farol brilha na noite.")
    run_job(window, window.translate_view.translate)
    wait(lambda: not window.translate_view.worker.busy)
    shoot("05-translate")

    window.use_model(ids["music"], "music")
    window.parameters_dock.forms["music"].load_request(
        MusicRequest(model=refs["music"], prompt="calm piano by the sea", seconds=2, seed=3)
    )
    run_job(window, window.generate)
    window.gallery.list.setCurrentIndex(window.gallery.gallery.index(0))
    shoot("06-music")

    window.use_model(ids["speech"], "speech")
    window.parameters_dock.forms["speech"].load_request(
        SpeechRequest(model=refs["speech"], text="Welcome to Generative Studio.", seed=3)
    )
    run_job(window, window.generate)
    window.gallery.list.setCurrentIndex(window.gallery.gallery.index(0))
    shoot("07-speech")

    # A latent walk from the Image page's task box (Latent walk), as a user starts one.
    window.show_task("image")
    window.parameters_dock.set_task("walk")
    window.parameters_dock.forms["walk"].load_request(LatentWalkRequest(
        model=refs["image"], seeds=(3, 11), prompts=("a lighthouse on a cliff at dusk",),
        frames_between=3, width=128, height=128, steps=8,
    ))  # fmt: skip
    run_job(window, window.generate)
    window.gallery.list.setCurrentIndex(window.gallery.gallery.index(0))
    shoot("10-walk")

    window.open_settings()
    shoot("08-settings", window.settings_dialog)
    window.settings_dialog.reject()

    if args.dark:
        apply_theme(app, "dark")
        window.show_task("image")
        window.gallery.list.setCurrentIndex(window.gallery.gallery.index(0))
        shoot("09-image-dark")
    window.close()


if __name__ == "__main__":
    main()
