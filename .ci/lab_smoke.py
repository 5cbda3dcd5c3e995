"""JupyterLab, as installed, serves the book: ``python .ci/lab_smoke.py``.

Starts ``jupyter lab`` on a free loopback port with the chapters as its root,
and checks that it serves the JupyterLab page, the ``python3`` kernel spec and
the chapter list, and logs no traceback. The test suite runs the notebooks
through nbval without a server, and the browser tests (``--browser``) need
Chromium, so this is what CI's lowest-versions stage checks of JupyterLab.
Exits non-zero, with the server's log, on any failure.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib.metadata import version
from pathlib import Path

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _wait_for(url: str, server) -> bytes:
    deadline = time.monotonic() + TIMEOUT
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with code {server.returncode}")
        try:
            return _get(url)
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer from {url} within {TIMEOUT:g} s") from None
            time.sleep(0.5)


def main() -> None:
    state = tempfile.mkdtemp(prefix="dlnotes-lab-")
    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[var] = os.path.join(state, var.lower())
    port = _free_port()
    log = open(os.path.join(state, "server.log"), "w+", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ServerApp.token=",
         "--ServerApp.password=", "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.root_dir={CHAPTERS}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        page = _wait_for(f"{url}/lab", server).decode("utf-8")
        assert "<title>JupyterLab" in page, "the /lab page is not JupyterLab's"
        kernels = json.loads(_get(f"{url}/api/kernelspecs"))
        assert "python3" in kernels["kernelspecs"], f"no python3 kernel spec: {sorted(kernels['kernelspecs'])}"
        listed = {item["name"] for item in json.loads(_get(f"{url}/api/contents"))["content"]}
        notebooks = {p.name for p in CHAPTERS.glob("*.ipynb")}
        assert notebooks and notebooks <= listed, f"chapters missing from the listing: {sorted(notebooks - listed)}"
    except Exception as error:
        log.seek(0)
        sys.exit(f"JupyterLab smoke test failed: {error}\n--- server log\n{log.read()}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    text = log.read()
    if "Traceback" in text:
        sys.exit(f"JupyterLab logged a traceback:\n{text}")
    print(f"JupyterLab {version('jupyterlab')} served /lab, the python3 kernel spec and {len(notebooks)} chapters")


if __name__ == "__main__":
    main()
