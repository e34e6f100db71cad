from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PIL import Image

from studio.core.gallery import GalleryStore
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.paths import data_paths
from studio.core.requests import ImageRequest
from studio.gui.main_window import MainWindow
from studio.runtime.jobs import HandlerRegistry, JobQueue


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    """A main window on a queue with a fake image handler (no models needed)."""
    before = set(threading.enumerate())
    queues: list[JobQueue] = []

    def make() -> MainWindow:
        registry = HandlerRegistry()
        registry.register("image", lambda job, ctx: [])
        queue = JobQueue(data_paths().ensure().database, devices=["cpu"], handlers=registry)
        queue.start()
        queues.append(queue)
        made = MainWindow(queue)
        qtbot.addWidget(made)
        return made

    yield make
    for queue in queues:
        queue.stop(wait=True, timeout=10)
    qtbot.waitUntil(lambda: set(threading.enumerate()) <= before, timeout=5000)


def test_first_window_explains_how_to_start(window) -> None:  # type: ignore[no-untyped-def]
    main = window()
    main.show()
    assert main.windowTitle() == "Generative Studio 0.1.0"
    # No models and no outputs: the welcome page says where models are looked for.
    assert main.pages.currentWidget() is main.welcome
    assert "model folders" in main.welcome.where.text()
    assert main.gallery.gallery.rowCount() == 0
    assert main.queue_dock.windowTitle() == "Queue" and main.log_dock.windowTitle() == "Log"


def test_task_switcher_shows_each_task(window) -> None:  # type: ignore[no-untyped-def]
    main = window()
    for task in ("music", "speech", "image"):
        main.task_bar.actions_by_task[task].trigger()
        assert main.task == task and main.parameters_dock.task == task
    main.show_task("code")
    assert main.task_bar.actions_by_task["code"].isChecked()
    assert main.parameters_dock.task == "text"


def test_a_job_failure_is_a_notification_not_a_dialog(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main = window()
    main.show()
    main.bridge.job_failed.emit(7, "model m is missing\ntraceback...")
    notices = main.notifications.notices()
    assert len(notices) == 1 and notices[0].message.text() == "Job 7 failed: model m is missing"
    assert "traceback" in notices[0].details.toPlainText() and not notices[0].details.isVisible()
    for number in range(5):
        main.notify(f"problem {number}")
    assert len(main.notifications.notices()) == 3  # old ones go; the Log dock keeps all


def test_closing_the_window_closes_every_background_lane(window) -> None:  # type: ignore[no-untyped-def]
    """The window's BackgroundTasks finds the lanes of its docks, pages and viewers (made on
    first use) in its object tree, and its one close() closes them all."""
    main = window()
    main.viewer.viewer("image")
    names = {lane.name for lane in main.background.lanes()}
    assert {"models-dock", "demo-models", "translate-view", "drop-reader", "thumbnail",
            "thumbnails", "gallery-export", "image-viewer"} <= names  # fmt: skip
    main.close()
    assert all(lane.closed for lane in main.background.lanes())


def test_window_lists_gallery_outputs(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = data_paths().ensure()
    writer = OutputWriter(tmp_path / "out")
    with GalleryStore(paths.database) as store:
        for seed, prompt in ((1, "a red fox"), (2, "a lighthouse")):
            record = OutputRecord(ImageRequest(model="m", prompt=prompt, width=64, height=64), seed)
            path, sha = writer.write_image(Image.new("RGB", (64, 64), "orange"), record)
            store.add(path, record, sha)
    main = window()
    assert main.gallery.gallery.rowCount() == 2
    assert not main.header.isVisibleTo(main)


def test_a_finished_job_refreshes_the_gallery_and_layout_persists(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main = window()
    main.show()
    main.queue_dock.hide()
    main.close()
    again = window()
    again.show()
    assert again.queue_dock.isHidden()  # the layout came back as the user left it
    again.reset_layout()
    assert not again.queue_dock.isHidden()
    with qtbot.waitSignal(again.bridge.job_finished, timeout=5000):
        again.queue.submit("image", ImageRequest(model="m", prompt="p"))


def test_unreadable_database_is_shown_not_raised(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from studio.gui.gallery import GalleryView

    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 200)
    view = GalleryView(broken)
    qtbot.addWidget(view)
    assert view.message.text().startswith("The gallery cannot be opened")


def test_pick_a_model_generate_and_see_it_in_the_gallery(
    qtbot, tiny_sd: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The real path: Models dock -> Parameters dock -> job queue -> engine -> gallery."""
    from studio.cli.main import main
    from studio.runtime.generation_jobs import generation_handlers

    assert main(["models", "scan", str(tiny_sd), "--no-hf-cache"]) == 0
    database = data_paths().ensure().database
    queue = JobQueue(
        database, devices=["cpu"], handlers=generation_handlers(database, tmp_path / "out")
    )
    queue.start()
    main_window = MainWindow(queue)
    qtbot.addWidget(main_window)
    from studio.models.catalog import ModelCatalog

    with ModelCatalog(database) as catalog:
        entry = catalog.find(str(tiny_sd))
    main_window.models_dock.select(entry.id)  # picking a model fills the Parameters dock
    form = main_window.parameters_dock.forms["image"]
    assert main_window.parameters_dock.task == "image" and form.model.text() == entry.name
    form.load_request(ImageRequest(model=str(entry.id), prompt="a lighthouse at dusk", width=64,
                                   height=64, steps=2, seed=3))  # fmt: skip
    with qtbot.waitSignal(main_window.bridge.job_finished, timeout=60000):
        main_window.parameters_dock.generate()
    qtbot.waitUntil(lambda: main_window.gallery.gallery.rowCount() == 1, timeout=5000)
    main_window.close()
    assert queue.stop(wait=True, timeout=10)


def test_text_models_open_the_chat_page_in_text_or_code(window) -> None:  # type: ignore[no-untyped-def]
    main = window()
    main.show()
    main.use_model(5, "text")
    assert main.pages.currentWidget() is main.chat and main.task == "text"
    assert (main.chat.model_ref, main.chat.task) == ("5", "text")
    main.show_task("code")
    assert main.pages.currentWidget() is main.chat and main.chat.task == "code"
    main.use_model(6, "text")  # picked while in Code: stays a code chat
    assert (main.chat.model_ref, main.chat.task, main.task) == ("6", "code", "code")
    main.focus_prompt()
    main.show_task("image")
    assert main.pages.currentWidget() is not main.chat


def test_reuse_parameters_from_the_gallery_fills_the_form(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    main = window()
    main.show_task("music")
    request = ImageRequest(model="m", prompt="a red fox", width=64, height=64, steps=7, seed=11)
    main.gallery.reuse_requested.emit(request)
    form = main.parameters_dock.forms["image"]
    assert main.task == "image" and main.parameters_dock.task == "image"
    assert form.request().prompt == "a red fox" and form.request().steps == 7


def test_drop_an_a1111_image_on_the_window(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.test_drop import drop, png

    main = window()
    main.show()
    main.show_task("speech")
    parameters = ("a lighthouse at dusk\nNegative prompt: fog\nSteps: 12, Sampler: Euler a, "
                  "CFG scale: 5, Seed: 42, Size: 512x768, Model: nowhere")  # fmt: skip
    drop(qtbot, main, png(tmp_path / "a1111.png", parameters=parameters), main.drops)
    qtbot.waitUntil(lambda: main.task == "image", timeout=5000)
    request = main.parameters_dock.forms["image"].request()
    assert (request.prompt, request.negative_prompt, request.steps, request.seed) == (
        "a lighthouse at dusk", "fog", 12, 42,
    )  # fmt: skip
    assert (request.width, request.height, request.sampler) == (512, 768, "Euler a")
    assert any("nowhere" in n.message.text() for n in main.notifications.notices())


def test_own_queue_starts_after_paint_and_close_leaves_nothing_running(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The studio's own queue: started (and libraries warmed) after the first paint, off the
    GUI thread; closing the window stops every thread it started."""
    from PySide6.QtWidgets import QApplication

    import studio.runtime.jobs.workers as workers
    import studio.runtime.warm_up as warm_up

    monkeypatch.setattr(workers, "visible_devices", lambda: ["cpu"])
    warmed: list[str] = []
    monkeypatch.setattr(warm_up, "warm_up_engines", lambda: warmed.append("yes") or [])
    before = set(threading.enumerate())
    main = MainWindow()
    assert main.queue.devices is None  # not started before the window is up
    with qtbot.waitSignal(main.first_painted, timeout=5000):
        main.show()
    qtbot.waitUntil(lambda: main.starter.done, timeout=10_000)
    assert main.queue.devices == ["cpu"] and warmed == ["yes"] and main.starter.warmed_up
    main.close()
    main.deleteLater()
    qtbot.waitUntil(lambda: set(threading.enumerate()) <= before, timeout=10_000)
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_cancel_shortcut_stops_the_running_job(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+. (Generate > Cancel running jobs) cancels mid-run; the job ends as cancelled."""
    started = threading.Event()

    def slow(job, ctx) -> list[str]:  # type: ignore[no-untyped-def]
        started.set()
        for step in range(500):
            if ctx.cancelled():
                from studio.core.errors import Cancelled

                raise Cancelled("stopped")
            ctx.progress(step, 500)
            threading.Event().wait(0.01)
        return []

    registry = HandlerRegistry()
    registry.register("image", slow)
    queue = JobQueue(data_paths().ensure().database, devices=["cpu"], handlers=registry)
    queue.start()
    main = MainWindow(queue)
    qtbot.addWidget(main)
    job_id = main.submit("image", ImageRequest(model="m", prompt="p"))
    qtbot.waitUntil(started.is_set, timeout=5000)
    with qtbot.waitSignal(main.bridge.job_cancelled, timeout=5000) as cancelled:
        main.menu_actions["cancel"].trigger()
    assert (
        cancelled.args == [job_id] and main.menu_actions["cancel"].shortcut().toString() == "Ctrl+."
    )
    main.close()
    assert queue.stop(wait=True, timeout=10)


def test_step_previews_show_live_beside_the_gallery(window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor, QImage

    main = window()
    main.show()
    main.models_dock.has_models = lambda: True  # the gallery page, not the welcome page
    main.refresh()
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    main.bridge.job_progress.emit(3, 5, 20)
    main.bridge.job_preview.emit(3, image)
    viewer = main.viewer.viewers["image"]
    assert main.viewer.stack.currentWidget() is viewer
    assert viewer.canvas.after.pixmap().width() == 32
    assert "step 5 of 20" in main.viewer.title.toolTip()
