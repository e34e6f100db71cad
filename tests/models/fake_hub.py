"""A tiny Hugging Face Hub on loopback: one model repo served from a folder.

It answers what huggingface_hub 2.x calls for a download: the model info API (with
`blobs=True` file metadata) and HEAD/GET on `/{repo}/resolve/{revision}/{file}`.
LFS files (by suffix) are answered with a 302 to a "CDN" on another host name
(`localhost` instead of `127.0.0.1`, same server), as the real Hub does, so the
client's cross-host redirect handling is exercised too. No xet headers are sent, so
the plain HTTP path is used. Switches for tests: `cut_after` (drop the connection
once after N body bytes of a file), `wrong_sha256` (advertise a wrong LFS hash), and
`requests` (every request received, to assert a Range request happened).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    range: str | None
    authorized: bool = False  # an Authorization header was sent


def git_blob_sha1(data: bytes) -> str:
    """The git object id of a file: what the Hub reports as blobId / ETag for non-LFS files."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class FakeHub:
    """`with FakeHub(folder, "org/name") as hub:` ... `hub.endpoint` is the base URL."""

    def __init__(
        self,
        folder: Path,
        repo_id: str,
        *,
        lfs_suffixes: Iterable[str] = (".safetensors", ".bin"),
        max_lifetime_s: float = 60.0,
    ) -> None:
        self.folder = folder
        self.repo_id = repo_id
        self.lfs_suffixes = tuple(lfs_suffixes)
        self.max_lifetime_s = max_lifetime_s
        # file -> body bytes to send before dropping the connection (once)
        self.cut_after: dict[str, int] = {}
        # file -> hash to advertise instead of the real one (LFS sha256 / git blob id)
        self.wrong_sha256: dict[str, str] = {}
        self.wrong_blob_id: dict[str, str] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread | threading.Timer] = []

    # -- repo content ---------------------------------------------------------------------

    def files(self) -> list[str]:
        return sorted(
            p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file()
        )

    def is_lfs(self, name: str) -> bool:
        return name.endswith(self.lfs_suffixes)

    def sha256(self, name: str) -> str:
        real = hashlib.sha256((self.folder / name).read_bytes()).hexdigest()
        return self.wrong_sha256.get(name, real)

    def blob_id(self, name: str) -> str:
        real = git_blob_sha1((self.folder / name).read_bytes())
        return self.wrong_blob_id.get(name, real)

    def etag(self, name: str) -> str:
        return self.sha256(name) if self.is_lfs(name) else self.blob_id(name)

    def sibling(self, name: str) -> dict[str, object]:
        data = (self.folder / name).read_bytes()
        entry: dict[str, object] = {
            "rfilename": name,
            "size": len(data),
            "blobId": self.blob_id(name),
        }
        if self.is_lfs(name):
            entry["lfs"] = {"size": len(data), "sha256": self.sha256(name), "pointerSize": 134}
        return entry

    # -- server lifecycle -----------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None, "FakeHub is not running"
        return self._server.server_address[1]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ranges_for(self, name: str) -> list[str]:
        """The paths of the GETs for `name` that asked for a Range starting past 0."""
        with self._lock:
            return [
                s.path
                for s in self.requests
                if s.method == "GET"
                and s.path.endswith("/" + name)
                and s.range not in (None, "bytes=0-")
            ]

    def __enter__(self) -> FakeHub:
        self._server = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        serve = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        serve.start()
        # Bounded: a test that forgets to leave the context still gets the server stopped.
        watchdog = threading.Timer(self.max_lifetime_s, self._server.shutdown)
        watchdog.daemon = True
        watchdog.start()
        self._threads = [serve, watchdog]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        serve, watchdog = self._threads
        watchdog.cancel()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        serve.join(timeout=5)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up (cancel, cut) is expected here, not a server fault.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _make_handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    repo = re.escape(hub.repo_id)
    info_re = re.compile(rf"^/api/models/{repo}(?:/revision/(?P<rev>[^/]+))?$")
    resolve_re = re.compile(rf"^/{repo}/resolve/(?P<rev>[^/]+)/(?P<file>.+)$")
    cdn_re = re.compile(r"^/cdn/(?P<file>.+)$")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real Hub
        timeout = 5  # an idle keep-alive connection ends its thread

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet test output

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def do_GET(self) -> None:
            self._answer(body=True)

        def _answer(self, body: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            with hub._lock:
                auth = "Authorization" in self.headers
                hub.requests.append(Seen(self.command, path, self.headers.get("Range"), auth))
            info, resolve, cdn = info_re.match(path), resolve_re.match(path), cdn_re.match(path)
            if (info or resolve) and (info or resolve)["rev"] not in (None, "main", COMMIT):
                self._error(404, "RevisionNotFound", body)
            elif info:
                data = {
                    "id": hub.repo_id,
                    "sha": COMMIT,
                    "siblings": [hub.sibling(f) for f in hub.files()],
                }
                self._send(
                    200, json.dumps(data).encode(), {"Content-Type": "application/json"}, body
                )
            elif resolve and resolve["file"] in hub.files():
                self._resolve(resolve["file"], body)
            elif cdn and cdn["file"] in hub.files():
                self._file(cdn["file"], body, {})
            elif resolve or cdn:
                self._error(404, "EntryNotFound", body)
            else:
                self._error(404, "RepoNotFound", body)

        def _resolve(self, name: str, body: bool) -> None:
            size = (hub.folder / name).stat().st_size
            headers = {"X-Repo-Commit": COMMIT}
            if hub.is_lfs(name):  # the Hub sends LFS files to its CDN, on another host
                headers |= {
                    "X-Linked-Etag": f'"{hub.etag(name)}"',
                    "X-Linked-Size": str(size),
                    "Location": f"http://localhost:{hub.port}/cdn/{name}",
                    "ETag": '"pointer-etag"',
                }
                self._send(302, b"", headers, body)
            else:
                self._file(name, body, headers | {"ETag": f'"{hub.etag(name)}"'})

        def _file(self, name: str, body: bool, headers: dict[str, str]) -> None:
            data = (hub.folder / name).read_bytes()
            status, start = 200, 0
            if (spec := self.headers.get("Range")) and (
                m := re.fullmatch(r"bytes=(\d+)-", spec.strip())
            ):
                start = int(m[1])
                if start >= len(data):
                    self._send(416, b"", {"Content-Range": f"bytes */{len(data)}"}, body)
                    return
                status = 206
                headers = headers | {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"}
            headers = headers | {
                "Accept-Ranges": "bytes",
                "Content-Type": "application/octet-stream",
            }
            with hub._lock:
                cut = hub.cut_after.pop(name, None) if body else None
            if cut is None:
                self._send(status, data[start:], headers, body)
                return
            # Promise the whole body, send part of it, then drop the connection.
            self._send(status, data[start : start + cut], headers, body, length=len(data) - start)
            self.close_connection = True

        def _error(self, status: int, code: str, body: bool) -> None:
            self._send(status, code.encode(), {"X-Error-Code": code, "X-Error-Message": code}, body)

        def _send(
            self,
            status: int,
            data: bytes,
            headers: dict[str, str],
            body: bool,
            length: int | None = None,
        ) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data) if length is None else length))
            self.end_headers()
            if body:
                self.wfile.write(data)
                self.wfile.flush()

    return Handler
