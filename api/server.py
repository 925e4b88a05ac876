"""The HTTP server's connection handling: a deadline for receiving each request.

uvicorn closes idle kept-alive connections, but a client that trickles a request's head or body a
byte at a time resets nothing it watches and can hold a connection (and a worker's file
descriptor) for ever; a few hundred such clients starve the service. Each request must therefore
arrive whole within `request_deadline` seconds of its first byte (or of the connection opening);
a late one is answered 408 and the connection closed. Written as a small subclass of uvicorn's
h11 protocol because neither uvicorn nor h11 has this setting.
"""

from __future__ import annotations

import asyncio
import json
from functools import cache
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_REQUEST_DEADLINE_S = 10.0
_RECEIVING = (h11.IDLE, h11.SEND_BODY)


def _timeout_response() -> bytes:
    body = json.dumps(
        {
            "type": "tag:kinerja-ledger,2026:problem/request-timeout",
            "title": "Request Timeout",
            "status": 408,
            "detail": "the request did not arrive in time",
            "errors": [],
        }
    ).encode()
    head = (
        "HTTP/1.1 408 Request Timeout\r\n"
        "content-type: application/problem+json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body


LINGER_S = 0.5  # after a 408, how long to keep reading (and dropping) before closing


class DeadlineProtocol(H11Protocol):
    request_deadline: float = DEFAULT_REQUEST_DEADLINE_S
    _deadline: asyncio.TimerHandle | None = None
    _expired = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._expired:
            return  # answered 408: what the client still sends is dropped until the close
        if self._deadline is None and self.conn.their_state is h11.IDLE:
            self._arm()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state not in _RECEIVING:
            self._disarm()  # the request is in (or the connection is closing)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.request_deadline, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.conn.their_state not in _RECEIVING:
            return
        # h11 moves our side to SEND_RESPONSE as soon as a request head is in; what matters is
        # whether the application has started its answer.
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(_timeout_response())
        # Close gently: a close with the client's bytes unread makes the kernel send a reset,
        # which can destroy the 408 before the client reads it. Stop sending, drop what still
        # arrives for a moment, then close.
        self._expired = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_S, self.transport.close)


def protocol_with_deadline(seconds: float) -> type[DeadlineProtocol]:
    attributes: dict[str, Any] = {"request_deadline": seconds}
    return type("DeadlineProtocol", (DeadlineProtocol,), attributes)


class ConfiguredDeadlineProtocol(DeadlineProtocol):
    """The protocol `ledger serve` names by import path, so that each API process loads it: its
    deadline is the process's LEDGER_REQUEST_TIMEOUT (read once, on the first connection)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.request_deadline = _configured_deadline()
        super().connection_made(transport)


@cache
def _configured_deadline() -> float:
    from ledger.config import Settings

    return Settings.from_env().request_timeout
