"""Run every notebook in JupyterLab, in headless Chromium: no error output, and the widgets answer.

A JupyterLab server is started from the project's ``.venv`` on a free loopback port with a random
token, with its own temporary config, data, runtime and IPython folders, and serves a temporary
copy of ``notebooks/`` (so Run All never writes outputs into the committed notebooks). Figures and
the cache go to temporary folders too. The server and its kernels are always stopped.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

import pytest

from newslens.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
]
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))
WIDGET_CALL = re.compile(r"\bexplore_(?:parties|sources|concordance)\(")
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# An error cell shows its traceback as stderr; warnings are stderr too, but name no error.
ERROR_TEXT = re.compile(r"Traceback|\b\w*(?:Error|Exception)\b|Error displaying widget")
SERVER_START_SECONDS = 60
RUN_ALL_SECONDS = 90
WIDGET_SECONDS = 15


def _python() -> Path:
    venv = PROJECT_ROOT / ".venv" / "bin" / "python"
    return venv if venv.exists() else Path(sys.executable)


def _uses_widgets(path: Path) -> bool:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return any(c["cell_type"] == "code" and WIDGET_CALL.search("".join(c["source"])) for c in cells)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Every descendant process of ``pid`` (Linux ``/proc``), so kernels are found too."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Lab(NamedTuple):
    url: str
    token: str
    notebooks: Path

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body else None


def _write_settings(config: Path) -> None:
    """Lab settings for a test: every cell in the DOM, no autosave, no news or update checks."""
    settings = config / "lab" / "user-settings" / "@jupyterlab"
    for plugin, values in {
        "notebook-extension/tracker": {"windowingMode": "none"},
        "docmanager-extension/plugin": {"autosave": False},
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _stop(process: subprocess.Popen) -> None:
    """Stop the server (it shuts its kernels down), then kill whatever of it is left, by pid."""
    family = _children(process.pid)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    for pid in family:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the notebooks; always stopped afterwards."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` to run this test")
    pytest.importorskip("playwright.sync_api", reason="playwright is in requirements.txt")
    root = tmp_path_factory.mktemp("lab")
    notebooks = root / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _write_settings(root / "config")
    python = _python()
    env = dict(
        os.environ,
        PATH=f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(root / "config"),
        JUPYTER_DATA_DIR=str(root / "data"),
        JUPYTER_RUNTIME_DIR=str(root / "runtime"),
        IPYTHONDIR=str(root / "ipython"),
        NEWSLENS_FIGURES=str(root / "figures"),
        NEWSLENS_CACHE=str(root / "cache"),
    )
    env.pop("NEWSLENS_HEADLESS", None)  # a live frontend: the notebooks must show widgets
    env.pop("JUPYTER_PATH", None)
    port, token = _free_port(), secrets.token_hex(24)
    command = [
        str(python),
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={notebooks}",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.extension_manager=readonly",
        # A safety net should this process die without its teardown (kill -9): the server culls
        # idle kernels and then stops itself after five minutes without activity.
        "--MappingKernelManager.cull_idle_timeout=300",
        "--MappingKernelManager.cull_connected=True",
        "--ServerApp.shutdown_no_activity_timeout=300",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI containers run as root
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Lab(f"http://127.0.0.1:{port}", token, notebooks)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited:\n{(root / 'server.log').read_text()[-3000:]}")
            try:
                server.api("/api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer in {SERVER_START_SECONDS} s")
                time.sleep(0.2)
        yield server
    finally:
        _stop(process)
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    """Headless Chromium from the system, driven by Playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _kernel_state(lab: Lab, name: str) -> str | None:
    for session in lab.api("/api/sessions"):
        if Path(session.get("path", "")).name == name and session.get("kernel"):
            return session["kernel"]["execution_state"]
    return None


def _prompts(page) -> list[str]:
    return page.eval_on_selector_all(
        f"{PANEL} .jp-CodeCell .jp-InputArea-prompt", "els => els.map(e => e.textContent.trim())"
    )


def _wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.25)


def _run_all(page, lab: Lab, name: str) -> None:
    """Run > Run All Cells, then wait until no cell is queued and the kernel is idle."""
    _wait_until(lambda: _kernel_state(lab, name) == "idle", 60, f"the kernel of {name}")
    page.click(".lm-MenuBar-item:has-text('Run')")
    page.click(".lm-Menu-item[data-command='runmenu:run-all']")
    quiet = 0

    def finished() -> bool:
        nonlocal quiet
        prompts = _prompts(page)
        started = any(re.fullmatch(r"\[\d+\]:", p) for p in prompts)
        running = any("*" in p for p in prompts)
        idle = _kernel_state(lab, name) == "idle"
        quiet = quiet + 1 if started and not running and idle else 0
        return quiet >= 3

    _wait_until(finished, RUN_ALL_SECONDS, f"Run All of {name}")


def _errors(page) -> list[str]:
    texts = page.eval_on_selector_all(
        f"{PANEL} .jp-OutputArea-output",
        "els => els.map(e => [e.dataset.mimeType || '', e.innerText])",
    )
    return [
        text[-2000:]
        for mime, text in texts
        if (mime == "application/vnd.jupyter.stderr" and ERROR_TEXT.search(text))
        or "Error displaying widget" in text
    ]


def _check_widgets(page) -> int:
    """Each widget output: change its dropdown or text box, and see its HTML view change."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    outputs = page.locator(f"{PANEL} .jp-OutputArea-output:has(.widget-html-content)")
    count = outputs.count()
    for i in range(count):
        output = outputs.nth(i)
        view = output.locator(".widget-html-content").first
        before = view.inner_html()
        assert "<table" in before or "<p>" in before, before[:500]
        select = output.locator(".widget-dropdown select")
        if select.count():
            select = select.first
            values = select.locator("option").evaluate_all("els => els.map(e => e.value)")
            current = select.input_value()
            assert len(values) >= 2, f"a picker with one choice: {values}"
            select.select_option(next(v for v in values if v != current))
        else:
            box = output.locator(".widget-text input").first
            word = "the" if box.input_value().strip().lower() != "the" else "and"
            box.fill(word)
            box.press("Enter")
        try:
            view.page.wait_for_function(
                "([el, old]) => el.innerHTML !== old",
                arg=[view.element_handle(), before],
                timeout=WIDGET_SECONDS * 1000,
            )
        except PlaywrightTimeout:
            pytest.fail(f"widget {i + 1}: its view did not change within {WIDGET_SECONDS} s")
    return count


def test_two_notebooks_use_widgets():
    widgets = [path.name for path in NOTEBOOKS if _uses_widgets(path)]
    assert len(widgets) >= 2, f"notebooks with an explore_* widget: {widgets}"


@pytest.mark.timeout(150)
@pytest.mark.parametrize("name", [path.name for path in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(lab, browser, name):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        # A workspace of its own, so that no other notebook is reopened alongside.
        workspace = re.sub(r"\W", "", Path(name).stem)
        page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{name}?token={lab.token}")
        page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=60_000)
        _run_all(page, lab, name)
        assert not _errors(page), "\n\n".join(_errors(page))
        prompts = _prompts(page)
        assert prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts), prompts
        if _uses_widgets(lab.notebooks / name):
            assert _check_widgets(page) >= 1, "no widget rendered"
    finally:
        page.close()
        for session in lab.api("/api/sessions"):
            if Path(session.get("path", "")).name == name:
                lab.api(f"/api/sessions/{session['id']}", method="DELETE")
