"""Headless Chromium for the tests: the executable, and a page driven over the DevTools protocol.

``tests/test_browser.py`` has Chromium dump the DOM of a file; ``tests/test_docs_site.py`` drives a
page as a reader does (navigate, type into the search box, follow links) through
:class:`DevToolsPage`, and collects what the page logs to the console.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["INSTALL_HINT", "DevToolsPage", "chromium", "devtools_page"]

INSTALL_HINT = "run .ci/install-html-tools.sh (as root) to install Java and Chromium"

#: Chromium without what reaches out on its own (updates, sync, QUIC), so a test sees only its pages' requests.
QUIET_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium() -> str:
    executable = shutil.which("chromium")
    assert executable is not None, f"the browser test needs Debian's chromium: {INSTALL_HINT}"
    return executable


class DevToolsPage:
    """One tab, driven over the DevTools protocol's WebSocket; every console error and uncaught exception is kept."""

    def __init__(self, socket: Any) -> None:
        self._socket = socket
        self._next_id = 0
        self.errors: list[str] = []
        self._events: list[dict[str, Any]] = []
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def call(self, method: str, timeout: float = 30, **params: Any) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        self._socket.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._receive(deadline)
            if message.get("id") == self._next_id:
                assert "error" not in message, f"{method}: {message['error']}"
                result: dict[str, Any] = message.get("result", {})
                return result
        raise AssertionError(f"{method}: no answer in {timeout} s")

    def _receive(self, deadline: float) -> dict[str, Any]:
        self._socket.settimeout(max(0.1, deadline - time.monotonic()))
        message: dict[str, Any] = json.loads(self._socket.recv())
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
            self.errors.append(" ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"]))
        elif method == "Runtime.exceptionThrown":
            self.errors.append(params["exceptionDetails"].get("exception", {}).get("description", str(params)))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(f"{params['entry']['text']} ({params['entry'].get('url', '')})")
        if method:
            self._events.append(message)
        return message

    def navigate(self, url: str, timeout: float = 30) -> None:
        """Open ``url`` and wait for its load event."""
        self._events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'", timeout=timeout)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-serializable values only)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, f"{expression}: {result['exceptionDetails']}"
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15) -> Any:
        """Poll a JavaScript expression until it is truthy, and return its value; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(AssertionError):  # a page between two documents has no context yet
                value = self.evaluate(expression)
                if value:
                    return value
            if time.monotonic() > deadline:
                raise AssertionError(f"still false after {timeout} s: {expression}")
            time.sleep(0.1)

    def type_text(self, text: str) -> None:
        """Type ``text`` into the focused element, as a keyboard does (input events included)."""
        for character in text:
            self.call("Input.dispatchKeyEvent", type="keyDown", text=character, key=character)
            self.call("Input.dispatchKeyEvent", type="keyUp", key=character)


@contextlib.contextmanager
def devtools_page(profile: Path, *, size: tuple[int, int] = (1280, 900)) -> Iterator[DevToolsPage]:
    """Headless Chromium with one blank tab under the DevTools protocol; the browser ends with the block."""
    import websocket  # websocket-client, of the docs extra

    process = subprocess.Popen(
        [
            chromium(),
            *QUIET_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={size[0]},{size[1]}",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",  # any free port, written to DevToolsActivePort
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            assert process.poll() is None, f"chromium ended with {process.returncode}"
            assert time.monotonic() < deadline, "chromium opened no DevTools port in 30 s"
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            tabs = [tab for tab in json.load(answer) if tab.get("type") == "page"]
        socket = websocket.create_connection(tabs[0]["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        try:
            yield DevToolsPage(socket)
        finally:
            socket.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
