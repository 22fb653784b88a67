"""A TCP relay that delays every byte by a fixed time each way, like a slow hospital network.

    python benchmarks/latency_proxy.py --listen 6543 --target 127.0.0.1:5432 --delay-ms 20

It runs in its own process (see `start`), so its work never competes with the
measured application for Python's interpreter lock.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import time
from contextlib import suppress

_CHUNK = 65536


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Copies one direction, each chunk sent `delay` seconds after it arrived, in order."""
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def receive() -> None:
        while data := await reader.read(_CHUNK):
            queue.put_nowait((time.monotonic() + delay, data))
        queue.put_nowait((0.0, b""))

    async def send() -> None:
        while True:
            due, data = await queue.get()
            if not data:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        with suppress(OSError):
            writer.close()

    await asyncio.gather(receive(), send(), return_exceptions=True)


async def _serve(port: int, host: str, target_port: int, delay: float) -> None:
    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(host, target_port)
        for stream in (client_w, server_w):
            sock = stream.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await asyncio.gather(_pipe(client_r, server_w, delay), _pipe(server_r, client_w, delay))

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def _run(port: int, host: str, target_port: int, delay_ms: float) -> None:
    asyncio.run(_serve(port, host, target_port, delay_ms / 1000))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(
    target_host: str, target_port: int, delay_ms: float
) -> tuple[int, subprocess.Popen[bytes]]:
    """Starts a relay in a child process; returns its port and the process (terminate it)."""
    port = free_port()
    command = [sys.executable, __file__, "--listen", str(port)]
    command += ["--target", f"{target_host}:{target_port}", "--delay-ms", str(delay_ms)]
    process = subprocess.Popen(command)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return port, process
        time.sleep(0.05)
    process.terminate()
    raise RuntimeError("the latency relay did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--target", default="127.0.0.1:5432")
    parser.add_argument("--delay-ms", type=float, default=20)
    args = parser.parse_args()
    host, _, port = args.target.rpartition(":")
    _run(args.listen, host, int(port), args.delay_ms)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
