"""Starts `plandir serve` over an index on a free 127.0.0.1 port and waits for /ready; shared by
the client-library tests (Tests/Clients) and the browser tests (Tests/Web)."""
import socket
import subprocess
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(plandir, index, timeout=30):
    """(the server process, its base URL such as http://127.0.0.1:PORT)."""
    port = free_port()
    server = subprocess.Popen(
        [plandir, "serve", "--index", str(index), "--port", str(port), "--log-level", "warning",
         "--reload-interval", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{base}/ready", timeout=1)
            return server, base
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("plandir serve did not become ready")
            time.sleep(0.1)
