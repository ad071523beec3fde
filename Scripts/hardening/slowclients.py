"""Holds idle, slowloris and non-reading connections against a server on 127.0.0.1, and
meanwhile times a fresh client's /health and search.

- idle: connect and say nothing;
- slowloris: send a request's first line, then one header byte a second, never finishing;
- non-readers: ask for a large response (about 1 MB) with a 4 KB receive buffer, never read.

Returns the fresh client's worst latencies, how many held connections the server closed by the
end, and the server's peak resident memory (VmHWM) against its level before.
"""
import resource
import socket
import time
import urllib.request


def vm_hwm_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def raise_fd_limit(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, n))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return want


def timed_get(url):
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as r:
        r.read()
        status = r.status
    return (time.perf_counter() - start) * 1000, status


def is_closed(s):
    """Whether the server closed `s`: what it sent before closing is read and dropped."""
    s.setblocking(False)
    try:
        while True:
            if s.recv(1 << 20) == b"":
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def run(port, pid, idle=1000, slowloris=1000, readers=200, large_path="/fhir/Practitioner?_count=1000",
        search_path="/fhir/Practitioner?name=smith", hold_seconds=40):
    base = f"http://127.0.0.1:{port}"
    timed_get(base + "/health")
    before = vm_hwm_mb(pid)
    held = {"idle": [], "slowloris": [], "readers": []}
    for _ in range(idle):
        held["idle"].append(socket.create_connection(("127.0.0.1", port)))
    for _ in range(slowloris):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: ")
        held["slowloris"].append(s)
    for n in range(readers):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", port))
        s.sendall(f"GET {large_path} HTTP/1.1\r\nHost: a\r\n\r\n".encode())
        held["readers"].append(s)
    worst = {"health": 0.0, "search": 0.0}
    failures = 0
    end = time.time() + hold_seconds
    while time.time() < end:
        for s in held["slowloris"]:
            try:
                s.send(b"a")
            except OSError:
                pass
        for name, path in (("health", "/health"), ("search", search_path)):
            try:
                ms, status = timed_get(base + path)
                worst[name] = max(worst[name], ms)
                if status != 200:
                    failures += 1
            except OSError:
                failures += 1
        time.sleep(1)
    closed = {kind: sum(is_closed(s) for s in sockets) for kind, sockets in held.items()}
    peak = vm_hwm_mb(pid)
    for sockets in held.values():
        for s in sockets:
            s.close()
    return {
        "worst_ms": worst, "fresh_failures": failures, "closed": closed,
        "held": {k: len(v) for k, v in held.items()}, "rss_before_mb": before, "rss_peak_mb": peak,
    }
