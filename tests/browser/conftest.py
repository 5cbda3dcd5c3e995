"""The chapters in a real JupyterLab, driven by headless Chromium (run with ``pytest --browser tests/browser``).

Needs Debian's ``chromium`` (``apt-get install chromium``) and
``pip install playwright``; Playwright drives ``/usr/bin/chromium`` and never
downloads a browser of its own. The fixture starts JupyterLab on loopback
with no token, on a copy of ``chapters/``, with its state in a temporary
folder, and stops it afterwards.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CHAPTERS = Path(__file__).resolve().parents[2] / "chapters"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """The base URL of a JupyterLab serving a copy of the chapters."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(CHAPTERS, root / "chapters")
    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR",
                "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[var] = str(root / var.lower())
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ServerApp.token=",
         "--ServerApp.password=", "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.root_dir={root / 'chapters'}",
         "--ServerApp.disable_check_xsrf=True", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("JupyterLab did not start within 60 s")
        yield url
    finally:
        try:
            for session in json.load(urllib.request.urlopen(f"{url}/api/sessions", timeout=5)):
                request = urllib.request.Request(f"{url}/api/sessions/{session['id']}", method="DELETE")
                urllib.request.urlopen(request, timeout=5)
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture(scope="session")
def page():
    """One headless Chromium page for all the chapters."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 1400, "height": 1000})
        browser.close()
