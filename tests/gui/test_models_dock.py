"""ModelsDock over a real catalog: add a folder, scan off the UI thread, browse, verify."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from studio.core.settings import load_settings
from studio.gui import models_dock
from studio.gui.models_dock import ModelsDock, human_size
from studio.models.hashing import HashCache
from tests.gui.leaks import threads_named
from tests.models import zoo

MS = 15_000


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "models"
    zoo.sd1_checkpoint(root / "dreamy.safetensors")
    zoo.lora_sd1(root / "Lora" / "fox.safetensors")
    zoo.truncated(root / "broken.safetensors")
    zoo.config_folder(root / "marian", {"model_type": "marian", "architectures": ["MarianMTModel"]})
    zoo.config_folder(root / "bert", {"model_type": "bert", "architectures": ["BertModel"]})
    return root


@pytest.fixture
def scan_threads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """Records the thread every scan ran on."""
    seen: list[threading.Thread] = []
    real = models_dock.scan_folders

    def recording_scan(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(models_dock, "scan_folders", recording_scan)
    return seen


@pytest.fixture
def dock(qtbot: Any) -> Iterator[ModelsDock]:
    dock = ModelsDock(hf_cache=False)
    dock.show()
    yield dock
    dock.close()
    dock.shutdown()
    dock.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: not threads_named("models-dock"), timeout=2000)


def add(dock: ModelsDock, folder: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    dock.buttons["add"].click()
    assert dock.message.text() == "Scanning…"
    qtbot.waitUntil(lambda: not dock.busy, timeout=MS)


def groups(dock: ModelsDock) -> dict[str, list[str]]:
    found = {}
    for g in range(dock.model.rowCount()):
        group = dock.model.item(g)
        title = group.text().rsplit(" (", 1)[0]
        found[title] = [group.child(r).text() for r in range(group.rowCount())]
    return found


def test_add_folder_scans_off_the_ui_thread_and_groups_by_task(
    dock, folder, scan_threads, qtbot, monkeypatch
) -> None:
    assert dock.windowTitle() == "Models"
    assert groups(dock) == {}
    add(dock, folder, qtbot, monkeypatch)
    assert scan_threads and all(t is not threading.main_thread() for t in scan_threads)
    assert load_settings().model_folders == [str(folder.resolve())]
    tree = groups(dock)
    assert tree["Image"] == ["dreamy"]
    assert tree["Adapters"] == ["fox"]
    assert tree["Translate"] == ["marian"]
    assert sorted(tree["Unknown"]) == ["bert", "broken"]
    assert list(tree) == ["Image", "Translate", "Adapters", "Unknown"]
    assert "5 new" in dock.message.text()
    assert "problem: broken.safetensors" in dock.message.text()


def test_rows_show_family_size_source_and_the_problem_of_a_truncated_file(
    dock, folder, scan_threads, qtbot, monkeypatch
) -> None:
    add(dock, folder, qtbot, monkeypatch)
    broken = next(e for e in dock.catalog.entries() if e.name == "broken")
    index = dock.row_index(broken.id)
    assert index is not None
    assert broken.problem and index.data(models_dock.Qt.ItemDataRole.ToolTipRole) == broken.problem
    assert not dock.model.itemFromIndex(index).icon().isNull()  # the warning icon
    dreamy = next(e for e in dock.catalog.entries() if e.name == "dreamy")
    row = dock.row_index(dreamy.id)
    assert row is not None
    assert [row.siblingAtColumn(c).data() for c in range(4)] == [
        "dreamy", "sd1", human_size(dreamy.size), "on disk"
    ]  # fmt: skip
    assert dock.model.itemFromIndex(row).icon().isNull()


def test_search_filters_by_name_and_family(dock, folder, scan_threads, qtbot, monkeypatch) -> None:
    add(dock, folder, qtbot, monkeypatch)
    dock.search.setText("FOX")
    assert groups(dock) == {"Adapters": ["fox"]}
    dock.search.setText("marian")  # the family matches too
    assert groups(dock) == {"Translate": ["marian"]}
    dock.search.setText("nothing like this")
    assert groups(dock) == {}
    dock.search.clear()
    assert len(groups(dock)) == 4


def test_selecting_emits_model_selected_and_verify_fills_the_hash(
    dock, folder, scan_threads, qtbot, monkeypatch
) -> None:
    add(dock, folder, qtbot, monkeypatch)
    dreamy = next(e for e in dock.catalog.entries() if e.name == "dreamy")
    with qtbot.waitSignal(dock.model_selected, timeout=MS) as blocker:
        dock.select(dreamy.id)
    assert blocker.args == [dreamy.id, "image"]
    assert f"location: {dreamy.path}" in dock.detail.toPlainText()
    hashed_on: list[threading.Thread] = []
    real = HashCache.model_sha256
    monkeypatch.setattr(HashCache, "model_sha256",
                        lambda self, p: hashed_on.append(threading.current_thread()) or real(self, p))  # fmt: skip
    dock.buttons["verify"].click()
    qtbot.waitUntil(lambda: not dock.busy, timeout=MS)
    entry = dock.catalog.get(dreamy.id)
    assert entry is not None and entry.sha256 and len(entry.sha256) == 64
    assert hashed_on and hashed_on[0] is not threading.main_thread()
    assert dock.message.text() == f"hash {entry.sha256[:10]}"
    assert f"hash: {entry.sha256[:10]}" in dock.detail.toPlainText()
    assert dock.selected_id() == dreamy.id  # the selection survives the refresh


def test_reveal_and_info_act_on_the_selection(
    dock, folder, scan_threads, qtbot, monkeypatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(models_dock.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)  # fmt: skip
    dock.buttons["reveal"].click()
    assert dock.message.text() == "Select a model first."
    assert not opened
    add(dock, folder, qtbot, monkeypatch)
    marian = next(e for e in dock.catalog.entries() if e.name == "marian")
    fox = next(e for e in dock.catalog.entries() if e.name == "fox")
    dock.select(marian.id)
    dock.buttons["reveal"].click()
    dock.select(fox.id)
    dock.buttons["reveal"].click()
    assert opened == [str(marian.path), str(fox.path.parent)]
    dock.buttons["info"].click()
    assert '"family": "sd1"' in dock.detail.toPlainText()
    assert '"kind": "lora"' in dock.detail.toPlainText()


def test_failures_are_one_line_and_lose_nothing(
    dock, folder, scan_threads, qtbot, monkeypatch, studio_home
) -> None:
    add(dock, folder, qtbot, monkeypatch)
    dreamy = next(e for e in dock.catalog.entries() if e.name == "dreamy")
    dock.select(dreamy.id)
    dreamy.path.unlink()  # gone since the scan: verify says so
    dock.buttons["verify"].click()
    qtbot.waitUntil(lambda: not dock.busy, timeout=MS)
    assert "missing from" in dock.message.text() and "\n" not in dock.message.text()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    dock.buttons["add"].click()  # the dialog was cancelled: nothing happens
    assert "missing from" in dock.message.text()
    (studio_home / "settings.json").write_text("{not json")
    dock.buttons["rescan"].click()
    assert "settings file" in dock.message.text() and not dock.busy
    assert "dreamy" in groups(dock)["Image"]  # the tree is kept


def test_closing_the_dock_stops_its_thread_and_a_later_scan_starts_one(
    dock, folder, scan_threads, qtbot, monkeypatch
) -> None:
    add(dock, folder, qtbot, monkeypatch)
    assert threads_named("models-dock")
    dock.close()
    qtbot.waitUntil(lambda: not threads_named("models-dock"), timeout=2000)
    dock.show()
    dock.buttons["rescan"].click()
    qtbot.waitUntil(lambda: not dock.busy, timeout=MS)
    assert len(scan_threads) == 2 and "5 unchanged" in dock.message.text()


@pytest.mark.parametrize(
    ("size", "text"), [(0, "0 B"), (1023, "1023 B"), (2048, "2.0 KB"), (5 << 30, "5.0 GB")]
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


def test_load_unload_and_state_column(dock, qtbot, tiny_sd: Path, monkeypatch) -> None:
    """Load runs on the dock's worker through the jobs' own model cache; State follows."""
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tiny_sd))
    dock.buttons["add"].click()
    qtbot.waitUntil(lambda: not dock.busy and dock.has_models(), timeout=MS)
    entry = dock.catalog.find(str(tiny_sd))
    dock.select(entry.id)
    dock.buttons["load"].click()
    qtbot.waitUntil(lambda: not dock.busy, timeout=60_000)
    assert dock.message.text() == f"{entry.name} is loaded."
    assert dock.row_index(entry.id).siblingAtColumn(3).data() == "loaded"
    dock.select(entry.id)
    dock.buttons["unload"].click()
    qtbot.waitUntil(lambda: not dock.busy, timeout=MS)
    assert dock.message.text() == "Unloaded."
    assert dock.row_index(entry.id).siblingAtColumn(3).data() == "on disk"


def test_import_a_model_file_and_refuse_other_files(dock, qtbot, tmp_path, monkeypatch) -> None:
    source = tmp_path / "elsewhere" / "dreamy.safetensors"
    zoo.sd1_checkpoint(source)
    other = tmp_path / "notes.txt"
    other.write_text("not a model")
    for path in (source, other, tmp_path / "missing.safetensors"):
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, p=path, **k: (str(p), ""))
        dock.buttons["import"].click()
        qtbot.waitUntil(lambda: not dock.busy, timeout=MS)
        if path == source:
            assert dock.message.text().startswith("imported dreamy.safetensors into")
            assert any(e.name == "dreamy" for e in dock.catalog.entries())
            assert source.exists()  # copied, never moved
    assert "missing.safetensors: no such file" in dock.message.text()
    assert "\n" not in dock.message.text()
