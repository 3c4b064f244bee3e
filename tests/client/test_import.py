"""Importing the package and the client stays light: no requests, no Qt, no keyring."""

import subprocess
import sys


def test_importing_the_client_does_not_import_requests() -> None:
    probe = (
        "import sys, renderbus_dcc, renderbus_dcc.client, renderbus_dcc.config, renderbus_dcc.cli.api;"
        "heavy = [m for m in ('requests', 'urllib3', 'keyring', 'Qt', 'PySide6', 'PySide2') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
