"""Slow or incomplete requests against a real `ledger serve`: each request must arrive whole within
the request timeout (1 s here), else 408 and the connection is closed; many trickling clients are
all let go, and the service keeps answering."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.test_api_e2e import CLI, _start, _stop, free_port

BOUND_S = 10.0  # no client below waits longer than this for the server to let go


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    tmp = tmp_path_factory.mktemp("slow")
    env = {
        "PATH": "/usr/bin:/bin",
        "LEDGER_DATA_DIR": str(tmp / "data"),
        "LEDGER_DATABASE_URL": f"sqlite:///{tmp / 'data' / 'ledger.db'}",
        "PYTHONUNBUFFERED": "1",
    }
    port = free_port()
    with (tmp / "service.log").open("wb") as log:
        proc = _start([*CLI, "serve", "--port", str(port), "--request-timeout", "1"], env, log)
        try:
            deadline = time.monotonic() + 30
            while True:
                assert proc.poll() is None, Path(tmp / "service.log").read_text()
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the service did not start"
                time.sleep(0.1)
            yield "127.0.0.1", port
        finally:
            _stop(proc)


def trickle(address: tuple[str, int], first: bytes, then: bytes) -> tuple[bytes, float]:
    """Send `first`, then `then` a byte every 0.2 s, until the server answers or closes; what it
    sent back and how long it took."""
    started = time.monotonic()
    with socket.create_connection(address, timeout=BOUND_S) as s:
        s.settimeout(0.2)
        if first:
            s.sendall(first)
        received = b""
        for byte in then:
            try:
                chunk = s.recv(4096)
            except TimeoutError:
                chunk = None
            except ConnectionResetError:
                break
            if chunk == b"":
                break
            if chunk:
                received += chunk
                break  # an answer came: a client stops sending
            try:
                s.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                break
        s.settimeout(BOUND_S)
        try:
            while chunk := s.recv(4096):
                received += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return received, time.monotonic() - started


HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
FILLER = b"X-Pad: " + b"a" * 200


def test_a_trickled_head_is_408_and_closed(base: tuple[str, int]) -> None:
    received, took = trickle(base, HEAD, FILLER)
    assert received.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert b"connection: close" in received
    assert received.endswith(b'"detail": "the request did not arrive in time", "errors": []}')
    assert took < BOUND_S  # let go long before the 40 s the filler would take


def test_a_trickled_body_is_408_and_closed(base: tuple[str, int]) -> None:
    head = b"POST /v1/public/surveys HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n"
    received, took = trickle(base, head, b"{" + b" " * 199)
    assert received.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert took < BOUND_S


def test_a_silent_connection_is_let_go(base: tuple[str, int]) -> None:
    received, took = trickle(base, b"", b"")
    assert received.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert took < BOUND_S


def test_a_kept_alive_connection_trickling_its_next_request_is_let_go(base: tuple[str, int]) -> None:
    with socket.create_connection(base, timeout=BOUND_S) as s:
        s.sendall(HEAD + b"\r\n")
        first = b""
        while b"\r\n\r\n" not in first or not first.rstrip().endswith(b"}"):
            first += s.recv(4096)
        assert first.startswith(b"HTTP/1.1 200 OK\r\n")
        started = time.monotonic()
        s.settimeout(0.2)
        rest = b""
        for byte in HEAD + FILLER:
            try:
                chunk = s.recv(4096)
            except TimeoutError:
                chunk = None
            if chunk is not None:
                rest += chunk
                break
            s.sendall(bytes([byte]))
        assert time.monotonic() - started < BOUND_S
    assert rest == b"" or rest.startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_two_hundred_trickling_clients_are_all_let_go_and_service_goes_on(base: tuple[str, int]) -> None:
    sockets = [socket.create_connection(base, timeout=BOUND_S) for _ in range(200)]
    try:
        for s in sockets:
            s.sendall(HEAD)
        closed = 0
        for s in sockets:
            s.settimeout(BOUND_S)
            received = b""
            try:
                while chunk := s.recv(4096):
                    received += chunk
            except (TimeoutError, ConnectionResetError):
                pass
            closed += received.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
        assert closed == 200
    finally:
        for s in sockets:
            s.close()
    assert httpx.get(f"http://{base[0]}:{base[1]}/healthz", timeout=5).status_code == 200


def test_an_ordinary_request_is_not_hurried(base: tuple[str, int]) -> None:
    r = httpx.get(f"http://{base[0]}:{base[1]}/healthz", timeout=5)
    assert r.status_code == 200
