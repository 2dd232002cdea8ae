"""A lean HTTP/1.1 client for the load loops: keep-alive connections, one request at a time
on each, bodies read by Content-Length or chunked encoding.

The load client shares the 2 cores with the servers it measures, so its own CPU per request
is taken from them: httpx spent about 3 ms of it per profile request, as much as a third of
what our server spends answering (bench/README.md, "The load client"). This client spends a
fraction of that. It speaks only what the load needs: POST, no redirects, no TLS, no proxies.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from urllib.parse import urlsplit

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class HTTPError(Exception):
    """A connection failed, or the server's answer was not the HTTP/1.1 this client reads."""


class LoadClient:
    """POSTs over pooled keep-alive connections, one per request in flight."""

    def __init__(self, timeout: float = 180.0) -> None:
        self._timeout = timeout
        self._idle: dict[tuple[str, int], list[Connection]] = {}
        self._heads: dict[str, tuple[str, int, bytes]] = {}

    async def __aenter__(self) -> LoadClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every idle connection."""
        for connections in self._idle.values():
            for _, writer in connections:
                writer.close()
        self._idle.clear()

    def _head(self, url: str) -> tuple[str, int, bytes]:
        known = self._heads.get(url)
        if known is None:
            parts = urlsplit(url)
            if parts.scheme != "http" or parts.hostname is None:
                raise HTTPError(f"{url}: only http:// URLs with a host")
            port = parts.port or 80
            path = parts.path or "/"
            head = (
                f"POST {path} HTTP/1.1\r\nHost: {parts.hostname}:{port}\r\n"
                "Content-Type: application/json\r\nAccept: application/json\r\n"
            ).encode()
            known = self._heads[url] = (parts.hostname, port, head)
        return known

    async def post(self, url: str, body: bytes) -> tuple[int, bytes]:
        """POST ``body`` (JSON) to ``url``: the status and the response body."""
        host, port, head = self._head(url)
        idle = self._idle.setdefault((host, port), [])
        request = b"%bContent-Length: %d\r\n\r\n%b" % (head, len(body), body)
        try:
            async with asyncio.timeout(self._timeout):
                while idle:
                    reader, writer = idle.pop()
                    try:
                        return await self._exchange(reader, writer, request, idle)
                    except _Stale:
                        # The server closed the idle connection (uvicorn after 5 s) before
                        # reading this request, which it never saw: send it on another.
                        continue
                reader, writer = await asyncio.open_connection(host, port)
                return await self._exchange(reader, writer, request, idle)
        except (_Stale, OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            raise HTTPError(f"{url}: {error!r}") from error

    @staticmethod
    async def _exchange(
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        request: bytes,
        idle: list[Connection],
    ) -> tuple[int, bytes]:
        try:
            writer.write(request)
            status, content, keep = await _response(reader)
        except BaseException:
            writer.close()
            raise
        if keep:
            idle.append((reader, writer))
        else:
            writer.close()
        return status, content


class _Stale(Exception):
    """The connection was closed before any byte of the response came."""


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """The status, the body, and whether the connection stays open."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if error.partial:
            raise
        raise _Stale from error
    except ConnectionResetError as error:
        raise _Stale from error
    lines = head.split(b"\r\n")
    version, status, _ = lines[0].split(b" ", 2)
    if not version.startswith(b"HTTP/1."):
        raise ValueError(f"not an HTTP/1.x response: {lines[0]!r}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    if headers.get(b"transfer-encoding") == b"chunked":
        body = await _chunked(reader)
    else:
        body = await reader.readexactly(int(headers.get(b"content-length", b"0")))
    keep = headers.get(b"connection") != b"close" and version == b"HTTP/1.1"
    return int(status), body, keep


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
