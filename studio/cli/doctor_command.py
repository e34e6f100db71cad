"""`studio doctor [--json]`: versions, devices, offline state and data locations."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(commands: Any) -> None:
    doctor = commands.add_parser("doctor", help="check the installation")
    doctor.add_argument("--json", action="store_true", help="machine-readable output")
    doctor.set_defaults(handler=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    from studio.runtime.system_report import system_report

    report = system_report()
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"Generative Studio {report['studio']}  (Python {report['python']}, {report['platform']})"
    )
    print("Libraries:")
    for name, version in report["libraries"].items():
        print(f"  {name:16} {version or 'MISSING'}")
    print("Devices:")
    for device in report["devices"]:
        extra = ", ".join(f"{k} {v}" for k, v in device.items() if k not in ("name", "type"))
        print(f"  {device['name']:16} {extra}")
    offline = report["offline"]
    print(f"Offline mode:      {'on' if offline['offline'] else 'OFF'}")
    print("Data:")
    for name, path in report["data"].items():
        print(f"  {name:16} {path}")
    for problem in report["problems"]:
        print(f"PROBLEM: {problem}")
    return 1 if report["problems"] else 0
