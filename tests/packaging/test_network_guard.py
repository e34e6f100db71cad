"""The smoke test's network guard: it cuts the network and its audit sees attempts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.packaging import load_packaging_module

guard_module = load_packaging_module("network_guard")
_ATTEMPT, GuardError, NetworkGuard = (
    guard_module._ATTEMPT, guard_module.GuardError, guard_module.NetworkGuard
)  # fmt: skip

STRACE_LINES = {
    '42 connect(3, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("1.1.1.1")}, 16) = -1 ENETUNREACH': True,
    '42 connect(5, {sa_family=AF_INET6, sin6_port=htons(53), inet_pton(AF_INET6, "::1")}, 28) = -1': True,
    '42 connect(4, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT': False,
    '42 connect(4, {sa_family=AF_UNIX, sun_path=@"/tmp/dbus-x"}, 20) = 0': False,
    '42 sendto(7, [{nlmsg_len=20, nlmsg_type=RTM_GETADDR}], 20, 0, {sa_family=AF_NETLINK}, 12) = 20': False,
}  # fmt: skip


@pytest.mark.parametrize(("line", "attempt"), STRACE_LINES.items())
def test_attempts_are_recognised(line: str, attempt: bool) -> None:
    assert bool(_ATTEMPT.search(line)) is attempt


def test_the_guard_bites_on_this_machine(tmp_path: Path) -> None:
    guard = NetworkGuard(tmp_path)
    if not (guard.unshare or guard.strace):
        pytest.skip("neither unshare -rn nor strace works here")
    guard.prove_blocked()  # raises when the cut or the audit fails


def test_a_traced_attempt_fails_the_check(tmp_path: Path) -> None:
    guard = NetworkGuard(tmp_path)
    if not guard.strace:
        pytest.skip("strace does not work here")
    subprocess.run(guard.wrap(["true"], "studio doctor"), check=True)
    guard.check("studio doctor")  # a clean trace passes
    trace = next(tmp_path.glob("*.strace"))
    trace.write_text(next(iter(STRACE_LINES)) + "\n")
    with pytest.raises(GuardError, match="studio doctor"):
        guard.check("studio doctor")
