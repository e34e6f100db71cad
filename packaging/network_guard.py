"""Cut the network for the smoke test's commands, and prove no command tried to use it.

A frozen program cannot be given a Python audit hook from outside, so the guard works
at the operating-system level: `unshare -rn` runs each command in a new network
namespace with no interfaces (nothing can leave the machine), and `strace` records
every connect/sendto/sendmsg with an internet (IPv4/IPv6) address, so that even a
failed attempt is caught, DNS queries included. Each is used where the machine allows it.
(Connections to nscd's local socket are not counted: glibc also asks nscd for user and
group names, which torch does at start-up.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

_ATTEMPT = re.compile(r"\b(connect|sendto|sendmsg)\(.*\bAF_INET6?\b")
_PROBE = "import socket\ntry: socket.create_connection(('192.0.2.1', 80), timeout=3)\nexcept OSError: pass"
# With no interfaces there is no route at all: the kernel refuses at once (ENETUNREACH).
_UNREACHABLE = """import errno, socket
try:
    socket.create_connection(("192.0.2.1", 80), timeout=3)
    print("connected")
except OSError as exc:
    print("unreachable" if exc.errno == errno.ENETUNREACH else f"other: {exc}")
"""


class GuardError(Exception):
    """The network was reachable, or a command tried to reach it."""


class NetworkGuard:
    def __init__(self, trace_dir: Path) -> None:
        self.trace_dir = trace_dir
        self.unshare = _works(["unshare", "-rn", "true"])
        self.strace = _strace_prefix()
        self.env = {} if self.unshare else _DEAD_PROXIES
        self._count = 0

    def describe(self) -> str:
        cut = ("unshare -rn (a network namespace with no interfaces)" if self.unshare
               else "NOT cut (no unshare here): proxies point at a closed port")  # fmt: skip
        audit = "strace audit of every connect/sendto/sendmsg" if self.strace else "no strace audit"
        return f"{cut}; {audit}"

    def wrap(self, command: list[str], label: str | None) -> list[str]:
        """`command` behind the guard; traced when a `label` names the trace to check."""
        prefix = ["unshare", "-rn"] if self.unshare else []
        if self.strace and label is not None:
            prefix += [*self.strace, "-o", str(self._trace_file(label, new=True))]
        return [*prefix, *command]

    def check(self, label: str) -> None:
        """Raise if the traced command tried to reach the network."""
        if self.strace:
            trace = self._trace_file(label)
            attempts = [line for line in trace.read_text().splitlines() if _ATTEMPT.search(line)]
            if attempts:
                raise GuardError(
                    f"network attempts by `studio {label}`:\n" + "\n".join(attempts[:5])
                )

    def prove_blocked(self) -> None:
        """The guard itself bites: a deliberate connection fails and the audit sees it."""
        if self.unshare:
            result = subprocess.run(["unshare", "-rn", sys.executable, "-c", _UNREACHABLE],
                                    capture_output=True, text=True)  # fmt: skip
            if result.stdout.strip() != "unreachable":
                raise GuardError(
                    f"unshare -rn did not cut the network: {result.stdout}{result.stderr}"
                )
        if self.strace:
            subprocess.run(self.wrap([sys.executable, "-c", _PROBE], "probe"), check=True)
            try:
                self.check("probe")
            except GuardError:
                return  # seen, as it must be
            raise GuardError("the strace audit missed a deliberate connection attempt")

    def _trace_file(self, label: str, new: bool = False) -> Path:
        self.trace_dir.mkdir(parents=True, exist_ok=True)
        self._count += new
        slug = re.sub(r"\W+", "-", label).strip("-")
        return self.trace_dir / f"{self._count:02d}-{slug}.strace"


# Where unshare is missing: any HTTP client that honours proxies gets "connection refused".
_DEAD_PROXIES = {name: "http://127.0.0.1:9" for name in
                 ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")}  # fmt: skip


def _works(command: list[str]) -> bool:
    if not shutil.which(command[0]):
        return False
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _strace_prefix() -> list[str] | None:
    """strace following children, only the network calls; seccomp-bpf keeps it fast."""
    base = ["strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-e", "signal=none"]
    for prefix in ([*base, "--seccomp-bpf"], base):
        if _works([*prefix, "-o", "/dev/null", "true"]):
            return prefix
    return None
