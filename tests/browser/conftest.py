"""The book in a real browser, driven by headless Chromium (run with ``pytest --browser tests/browser``).

Needs Debian's ``chromium`` (``apt-get install chromium``) and
``pip install -e ".[browser]"`` (Playwright); Playwright drives
``/usr/bin/chromium`` and never downloads a browser of its own.

- ``lab``: JupyterLab on loopback with no token, on a copy of ``chapters/``,
  with its state in a temporary folder; every kernel it starts is shut down
  after each test, and the server when the session ends.
- ``site``: the built site (``_build/html``, see the README) served by an HTTP
  server on 127.0.0.1, stopped when the session ends; the site test also
  opens the same files as ``file://``.
- ``browser``: one headless Chromium for the session, closed at its end.
"""

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from book_paths import BUILD, CHAPTER_DIR, SITE
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: No news or update check: its notification would cover the notebook.
QUIET = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sessions(url: str) -> list:
    with urllib.request.urlopen(f"{url}/api/sessions", timeout=10) as response:
        return json.load(response)


def shut_down_kernels(url: str) -> None:
    """Delete every session of the server at ``url`` (which shuts its kernel down); kernels outlive their page."""
    for session in _sessions(url):
        request = urllib.request.Request(f"{url}/api/sessions/{session['id']}", method="DELETE")
        urllib.request.urlopen(request, timeout=10).close()
    for kernel in json.load(urllib.request.urlopen(f"{url}/api/kernels", timeout=10)):
        request = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}", method="DELETE")
        urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """The base URL of a JupyterLab serving a copy of the chapters; stopped (kernels first) at the end."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(CHAPTER_DIR, root / "chapters")
    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR",
                "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[var] = str(root / var.lower())
    settings = root / "jupyterlab_settings_dir" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps(QUIET["@jupyterlab/apputils-extension:notification"]))
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
        for _ in range(240):
            if server.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {server.returncode} before it served")
            try:
                urllib.request.urlopen(f"{url}/api", timeout=1).close()
                break
            except OSError:
                time.sleep(0.25)
        else:
            raise RuntimeError("JupyterLab did not start within 60 s")
        yield url
    finally:
        try:
            if server.poll() is None:
                shut_down_kernels(url)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)


@pytest.fixture
def lab(lab_server):
    """The JupyterLab URL for one test; the kernels the test started are shut down after it."""
    yield lab_server
    shut_down_kernels(lab_server)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def page(browser):
    """One page for all the chapters in JupyterLab."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def site():
    """The built site's folder; the site must be built first (README: "The book as a web site")."""
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site in {SITE}: build it first with `{BUILD}`")
    return SITE


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site_server(site):
    """The base URL of an HTTP server on 127.0.0.1 serving the built site; shut down at the end."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
