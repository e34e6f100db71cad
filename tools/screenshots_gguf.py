"""Screenshots of GGUF models as a user of other local-LLM apps meets them: the welcome page
finds their Ollama and LM Studio stores and offers to add them; then a chat with the Ollama
model, token probabilities on, one token's alternatives shown.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/screenshots_gguf.py [folder]

Runs with a throwaway HOME and STUDIO_HOME holding tiny untrained GGUFs (their replies
are noise, by design); the user's own home is never read.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="studio-gguf-shots-"))
os.environ["HOME"] = str(SCRATCH / "home")
os.environ["STUDIO_HOME"] = str(SCRATCH / "studio")
for name in ("OLLAMA_MODELS", "LMSTUDIO_HOME", "XDG_DATA_HOME"):
    os.environ.pop(name, None)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")

from tools.screenshots import Shooter, run_job, settle, wait  # noqa: E402


def build_stores(home: Path) -> None:
    from studio.demo_models.gguf import build_tiny_llama_gguf
    from tests.models import store_layouts as layouts

    ollama = home / ".ollama" / "models"
    model = build_tiny_llama_gguf(SCRATCH / "llama.gguf", folder=SCRATCH / "hf-1", seed=1)
    digest = layouts.ollama_blob(ollama, model.read_bytes())
    manifest = layouts.ollama_manifest(ollama, [(layouts.MODEL, digest)])
    layouts.ollama_v2(ollama, "registry.ollama.ai", "library", "llama3.2", "1b", manifest)
    lmstudio = home / ".lmstudio" / "models" / "lmstudio-community" / "Tiny-GGUF"
    lmstudio.mkdir(parents=True)
    build_tiny_llama_gguf(
        lmstudio / "tiny-Q8_0.gguf", folder=SCRATCH / "hf-2", seed=2, quant="Q8_0"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    build_stores(Path(os.environ["HOME"]))
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QCursor, QGuiApplication
    from PySide6.QtWidgets import QApplication

    from studio.gui.main_window import MainWindow
    from studio.gui.theme import apply_theme

    app = QApplication(["studio"])
    apply_theme(app, "light")
    window = MainWindow()
    window.resize(1440, 900)
    window.show()
    shoot = Shooter(window, args.out)
    wait(lambda: window.starter.done and window.welcome.add_stores_button.isVisible())
    shoot("11-stores-found")

    added: list[object] = []
    window.welcome.stores_added.connect(added.append)
    window.welcome.add_stores_button.click()
    wait(lambda: bool(added))
    settle()
    entry = next(e for e in window.models_dock.catalog.entries() if e.name == "llama3.2:1b")
    window.use_model(entry.id, "text")
    window.chat.probabilities.setChecked(True)
    window.chat.composer.max_tokens.setValue(40)  # the tiny model has a 256-token context
    window.chat.options = lambda: {"seed": 7}  # the same reply on every run
    window.chat.composer.editor.setPlainText("Tell me about lighthouses.")
    run_job(window, window.chat.send)
    settle(1.0)
    bubble = window.chat.transcript.bubbles[-1]
    QCursor.setPos(bubble.body.mapToGlobal(QPoint(30, 8)))  # the pointer on the third token
    settle(0.3)
    bubble._token_hovered("token:2")
    settle(0.5)
    screen = QGuiApplication.primaryScreen().grabWindow(0)  # the tooltip is its own window
    path = args.out / "12-gguf-chat-probabilities.png"
    screen.copy(window.frameGeometry()).save(str(path))
    print(path)
    window.close()


if __name__ == "__main__":
    main()
