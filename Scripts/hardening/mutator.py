"""A seeded raw-socket mutator for what an OpenAPI description cannot express.

Sends, on 127.0.0.1 only and for a bounded count and time: bad percent-encoding, invalid
UTF-8 and NUL bytes in paths and queries; 10 kB values; request lines and header blocks over
the limits; pipelined and half-closed requests; TRACE and other methods; chunked `_search`
bodies. Every answer must be a complete HTTP response below 500 (or a 503, the one deliberate
5xx), or a closed connection for a request the HTTP parser refuses.
"""
import random
import socket
import time

TYPES = ["Practitioner", "PractitionerRole", "Location", "Organization", "HealthcareService", "Basic"]
PARAMS = ["name", "family", "specialty", "address-city", "_id", "identifier", "location.address-city",
          "_has:PractitionerRole:practitioner:specialty", "_include", "_revinclude", "_content", "_count",
          "name:exact", "name:contains", "_lastUpdated", "_sort", "_elements", "_summary", "_total"]
NASTY = ["%", "%2", "%zz", "%00", "%C3%28", "%FF%FE", "%E2%82", "\x00", "\xff", "a" * 10_000, "*", "\"",
         "NEAR(", ":exact", "_has:", "|", "\\", "\\,", ",,,,", "%0D%0AX-Injected:%201", "../../etc/passwd",
         "gt9999-99-99", "2024-13-45T99:99:99Z", "1e999", "-1", "99999999999999999999"]


def request_bytes(rng):
    """One request, well or badly formed, as raw bytes."""
    kind = rng.randrange(12)
    type_ = rng.choice(TYPES)
    pairs = []
    for _ in range(rng.randrange(1, 6)):
        name = rng.choice(PARAMS + NASTY[:6])
        value = rng.choice(NASTY + ["smith", "hartford", "207RC0000X", "1", "true"])
        pairs.append(f"{name}={value}")
    query = "&".join(pairs)
    if kind == 0:    # invalid UTF-8 straight in the request line
        return b"GET /fhir/" + type_.encode() + b"?name=\xc3\x28\xff HTTP/1.1\r\nHost: a\r\n\r\n"
    if kind == 1:    # a NUL in the path
        return b"GET /fhir/" + type_.encode() + b"/a\x00b HTTP/1.1\r\nHost: a\r\n\r\n"
    if kind == 2:    # request line over the limit
        return f"GET /fhir/{type_}?name={'a' * 20_000} HTTP/1.1\r\nHost: a\r\n\r\n".encode()
    if kind == 3:    # header block over the limit
        return f"GET /fhir/{type_} HTTP/1.1\r\nHost: a\r\nX-Pad: {'b' * 20_000}\r\n\r\n".encode()
    if kind == 4:    # pipelined: three requests in one write
        one = f"GET /fhir/{type_}?{query} HTTP/1.1\r\nHost: a\r\n\r\n".encode("utf-8", "surrogateescape")
        return one + b"GET /health HTTP/1.1\r\nHost: a\r\n\r\n" + one
    if kind == 5:    # TRACE and other methods
        method = rng.choice(["TRACE", "OPTIONS", "CONNECT", "PATCH", "DELETE", "PUT", "BREW", "G\x00T"])
        return f"{method} /fhir/{type_} HTTP/1.1\r\nHost: a\r\n\r\n".encode("latin-1")
    if kind == 6:    # chunked _search body
        body = query.encode("utf-8", "surrogateescape")
        chunks = b""
        for i in range(0, len(body), 7):
            piece = body[i:i + 7]
            chunks += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        return (f"POST /fhir/{type_}/_search HTTP/1.1\r\nHost: a\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n").encode() \
            + chunks + b"0\r\n\r\n"
    if kind == 7:    # a body that lies about its length
        return (f"POST /fhir/{type_}/_search HTTP/1.1\r\nHost: a\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\n\r\n"
                "name=smith&x=y").encode()
    if kind == 8:    # bad HTTP version and garbage
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if kind == 9:    # a huge form body
        return (f"POST /fhir/{type_}/_search HTTP/1.1\r\nHost: a\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000\r\n\r\n").encode() \
            + b"name=" + b"a" * 199_995
    # Percent-encoding and value mutations on an ordinary GET.
    path = f"/fhir/{type_}?{query}".encode("utf-8", "surrogateescape")
    if kind == 10 and path:
        at = rng.randrange(len(path))
        path = path[:at] + bytes([rng.randrange(256)]) + path[at + 1:]
    return b"GET " + path.replace(b" ", b"%20") + b" HTTP/1.1\r\nHost: a\r\nAccept: application/fhir+json\r\n\r\n"


def responses(data):
    """The status codes of the complete responses at the start of `data`."""
    found = []
    at = 0
    while True:
        end = data.find(b"\r\n\r\n", at)
        if end < 0 or not data.startswith(b"HTTP/1.1 ", at):
            return found
        head = data[at:end].decode("latin-1").lower()
        length = 0
        for line in head.split("\r\n")[1:]:
            if line.startswith("content-length:"):
                length = int(line.split(":", 1)[1].strip() or 0)
        if "transfer-encoding: chunked" in head:
            close = data.find(b"\r\n0\r\n\r\n", end)
            if close < 0:
                return found
            body_end = close + 7
        else:
            body_end = end + 4 + length
            if len(data) < body_end:
                return found
        found.append(int(data[at + 9:at + 12]))
        at = body_end


def statuses(data):
    return responses(data)


def run(port, count, seconds, seed):
    """Sends up to `count` requests for at most `seconds`; returns counts by outcome."""
    rng = random.Random(seed)
    outcome = {"sent": 0, "2xx": 0, "3xx": 0, "4xx": 0, "503": 0, "5xx": 0, "closed": 0, "half-closed": 0}
    bad = []
    end = time.time() + seconds
    while outcome["sent"] < count and time.time() < end:
        payload = request_bytes(rng)
        half_close = rng.random() < 0.2
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(payload)
                if half_close:
                    s.shutdown(socket.SHUT_WR)
                    outcome["half-closed"] += 1
                data = b""
                s.settimeout(3)
                expected = max(1, payload.count(b" HTTP/1.1\r\n"))
                while len(responses(data)) < expected:
                    try:
                        chunk = s.recv(65536)
                    except socket.timeout:
                        break
                    except ConnectionResetError:
                        break
                    if not chunk:
                        break
                    data += chunk
                    if len(data) > 4_000_000:
                        break
        except (ConnectionResetError, BrokenPipeError):
            data = b""
        outcome["sent"] += 1
        codes = statuses(data)
        if not codes:
            outcome["closed"] += 1
        for code in codes:
            if code == 503:
                outcome["503"] += 1
            elif code >= 500:
                outcome["5xx"] += 1
                bad.append(payload[:200])
            else:
                outcome[f"{code // 100}xx"] += 1
    return outcome, bad
