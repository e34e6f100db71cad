"""User-requested downloads against a fake Hub on loopback: verify, resume, cancel, offline."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.errors import Cancelled, ModelError
from studio.core.offline import enable_offline_mode
from studio.models.download import download_model
from tests.models.fake_hub import COMMIT, FakeHub

REPO = "org/tiny-model"
BIG = "unet/diffusion_pytorch_model.safetensors"
FILES = {
    "model_index.json": b'{"_class_name": "TinyPipeline"}\n',
    "unet/config.json": b'{"sample_size": 8}\n',
    BIG: os.urandom(900_000),
    "text_encoder/model.safetensors": os.urandom(40_000),
    "empty.txt": b"",
}


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[FakeHub]:
    folder = tmp_path / "remote"
    for name, data in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    with FakeHub(folder, REPO) as server:
        yield server


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "hf-cache"


@pytest.fixture(autouse=True)
def offline_hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """As the studio runs: offline switches on, and no real user cache or token in play."""
    from huggingface_hub import constants

    enable_offline_mode()
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "default-cache"))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "no-token"))
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE"):
        monkeypatch.delenv(name, raising=False)


def one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    text = str(exc.value)
    assert text and "\n" not in text
    return text


def assert_complete(snapshot: Path) -> None:
    for name, data in FILES.items():
        assert (snapshot / name).read_bytes() == data, name
    blobs = snapshot.parent.parent / "blobs"
    assert not list(blobs.glob("*.incomplete"))


def test_full_download_lands_in_the_cache_and_verifies(hub: FakeHub, cache: Path) -> None:
    from huggingface_hub import try_to_load_from_cache

    snapshot = download_model(REPO, cache_dir=cache, endpoint=hub.endpoint)

    assert snapshot == cache / "models--org--tiny-model" / "snapshots" / COMMIT
    assert_complete(snapshot)
    assert (snapshot.parent.parent / "refs" / "main").read_text() == COMMIT
    # Loaders that resolve "main" offline find the files.
    found = try_to_load_from_cache(REPO, BIG, cache_dir=cache)
    assert isinstance(found, str) and Path(found).read_bytes() == FILES[BIG]
    # LFS files went through the CDN redirect, as on the real Hub.
    assert any(seen.path == f"/cdn/{BIG}" for seen in hub.requests)


def test_a_second_run_uses_the_cache_without_fetching_files(hub: FakeHub, cache: Path) -> None:
    download_model(REPO, cache_dir=cache, endpoint=hub.endpoint)
    hub.requests.clear()

    download_model(REPO, cache_dir=cache, endpoint=hub.endpoint)

    assert [seen.path for seen in hub.requests] == [f"/api/models/{REPO}"]


def test_a_cut_download_fails_in_one_line_and_the_next_run_resumes(
    hub: FakeHub, cache: Path
) -> None:
    hub.cut_after[BIG] = 300_000
    with pytest.raises(ModelError) as exc:
        download_model(REPO, cache_dir=cache, endpoint=hub.endpoint)
    message = one_line(exc)
    assert message.startswith(f"download of {REPO} interrupted: ")
    assert message.endswith("run the same command again to resume")
    partials = list((cache / "models--org--tiny-model" / "blobs").glob("*.incomplete"))
    assert [p.stat().st_size for p in partials] == [300_000]

    snapshot = download_model(REPO, cache_dir=cache, endpoint=hub.endpoint)

    # The Range asked at the Hub URL survived the redirect to the CDN.
    assert hub.ranges_for(BIG) == [f"/{REPO}/resolve/{COMMIT}/{BIG}", f"/cdn/{BIG}"]
    assert {seen.range for seen in hub.requests if seen.path.endswith(BIG)} == {
        None,
        "bytes=300000-",
    }
    assert_complete(snapshot)


def test_a_wrong_hash_is_reported_and_the_bad_file_is_not_kept(hub: FakeHub, cache: Path) -> None:
    wrong = "0" * 64
    hub.wrong_sha256[BIG] = wrong
    with pytest.raises(ModelError) as exc:
        download_model(REPO, cache_dir=cache, endpoint=hub.endpoint)

    message = one_line(exc)
    assert BIG in message and wrong in message
    assert hashlib.sha256(FILES[BIG]).hexdigest() in message
    storage = cache / "models--org--tiny-model"
    assert not (storage / "snapshots" / COMMIT / BIG).exists()
    assert not (storage / "blobs" / wrong).exists()
    assert not list((storage / "blobs").glob("*.incomplete"))


def test_a_small_file_is_checked_against_its_git_blob_id(hub: FakeHub, cache: Path) -> None:
    hub.wrong_blob_id["unet/config.json"] = "1" * 40
    with pytest.raises(ModelError) as exc:
        download_model(REPO, cache_dir=cache, endpoint=hub.endpoint)

    message = one_line(exc)
    assert "unet/config.json failed verification (git sha1 expected 1111" in message
    storage = cache / "models--org--tiny-model"
    assert not (storage / "snapshots" / COMMIT / "unet/config.json").exists()
    assert not list((storage / "blobs").glob("*.incomplete"))


def test_a_pinned_revision_downloads_and_an_unknown_one_is_one_line(
    hub: FakeHub, cache: Path
) -> None:
    snapshot = download_model(REPO, COMMIT, cache_dir=cache, endpoint=hub.endpoint)
    assert_complete(snapshot)
    assert not (snapshot.parent.parent / "refs" / COMMIT).exists()

    with pytest.raises(ModelError) as exc:
        download_model(REPO, "no-such-tag", cache_dir=cache, endpoint=hub.endpoint)
    assert one_line(exc) == f"revision 'no-such-tag' not found in {REPO}"


def test_cancel_during_a_transfer_raises_cancelled_and_keeps_the_part(
    hub: FakeHub, cache: Path
) -> None:
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        download_model(
            REPO,
            cache_dir=cache,
            endpoint=hub.endpoint,
            progress=lambda done, total: seen.append((done, total)),
            cancelled=lambda: bool(seen) and seen[-1][0] > 200_000,
        )
    total = sum(len(d) for d in FILES.values())
    assert seen[-1][0] < total
    partials = list((cache / "models--org--tiny-model" / "blobs").glob("*.incomplete"))
    kept = [p.stat().st_size for p in partials]
    assert len(kept) == 1 and 0 < kept[0] < len(FILES[BIG]), "the part fetched is kept"

    snapshot = download_model(REPO, cache_dir=cache, endpoint=hub.endpoint)
    assert hub.ranges_for(BIG) == [f"/{REPO}/resolve/{COMMIT}/{BIG}", f"/cdn/{BIG}"]
    assert f"bytes={kept[0]}-" in {seen.range for seen in hub.requests}
    assert_complete(snapshot)


def test_cancel_before_anything_fetches_nothing(hub: FakeHub, cache: Path) -> None:
    with pytest.raises(Cancelled):
        download_model(REPO, cache_dir=cache, endpoint=hub.endpoint, cancelled=lambda: True)
    assert not any(seen.path.startswith(f"/{REPO}/resolve/") for seen in hub.requests)


def test_progress_covers_the_whole_repo_and_reaches_total(hub: FakeHub, cache: Path) -> None:
    seen: list[tuple[int, int]] = []
    download_model(REPO, cache_dir=cache, endpoint=hub.endpoint, progress=lambda *a: seen.append(a))

    total = sum(len(d) for d in FILES.values())
    assert seen[0] == (0, total)
    assert seen[-1] == (total, total)
    assert all(t == total for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_offline_mode_stays_on_around_a_user_requested_download(hub: FakeHub, cache: Path) -> None:
    import huggingface_hub
    from huggingface_hub import constants

    assert os.environ["HF_HUB_OFFLINE"] == "1" and constants.HF_HUB_OFFLINE is True
    # Without the download path, the library refuses to reach even the fake Hub.
    with pytest.raises(Exception, match=r"(?i)offline|cannot find the requested files"):
        huggingface_hub.hf_hub_download(
            REPO, "model_index.json", cache_dir=cache, endpoint=hub.endpoint
        )

    assert_complete(download_model(REPO, cache_dir=cache, endpoint=hub.endpoint))

    assert os.environ["HF_HUB_OFFLINE"] == "1" and constants.HF_HUB_OFFLINE is True


def test_default_cache_is_huggingface_hubs_own(hub: FakeHub, tmp_path: Path) -> None:
    snapshot = download_model(REPO, endpoint=hub.endpoint)
    assert snapshot.is_relative_to(tmp_path / "default-cache")
    assert_complete(snapshot)


def test_a_missing_repo_is_one_clear_line(hub: FakeHub, cache: Path) -> None:
    with pytest.raises(ModelError) as exc:
        download_model("org/nothing-here", cache_dir=cache, endpoint=hub.endpoint)
    assert one_line(exc).startswith("model org/nothing-here not found on the Hub")


def test_an_unreachable_hub_is_one_clear_line(cache: Path) -> None:
    with pytest.raises(ModelError) as exc:
        download_model(REPO, "v1", cache_dir=cache, endpoint="http://127.0.0.1:9")
    assert one_line(exc).startswith(f"download of {REPO}@v1 interrupted: ")


def test_a_saved_token_goes_to_the_hub_but_not_to_the_cdn(
    hub: FakeHub, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_user_token")
    download_model(REPO, cache_dir=cache, endpoint=hub.endpoint)

    assert all(seen.authorized for seen in hub.requests if not seen.path.startswith("/cdn/"))
    cdn = [seen for seen in hub.requests if seen.path.startswith("/cdn/")]
    assert cdn and not any(seen.authorized for seen in cdn)
