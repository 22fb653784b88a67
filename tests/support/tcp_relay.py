"""A TCP relay between PR Desk and PostgreSQL that a test can cut and restore, like a network."""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading

_CHUNK = 65536


class TcpRelay:
    """Forwards 127.0.0.1:<port> to the target until `cut()`; `restore()` lets connections in again.

    Cutting closes every open connection (both ends see it at once, as after a server
    restart) and refuses new ones until restored.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._open = threading.Event()
        self._open.set()
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        accepting = threading.Thread(target=self._accept, name="relay-accept", daemon=True)
        accepting.start()
        self._threads.append(accepting)

    def cut(self) -> None:
        self._open.clear()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        self._open.set()

    def close(self) -> None:
        self._stopped.set()
        self.cut()
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self._open.is_set():
                client.close()  # the network is down: the connection fails at once
                continue
            try:
                server = socket.create_connection(self._target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, server))
            pumping = threading.Thread(
                target=self._pump, args=(client, server), name="relay-pump", daemon=True
            )
            pumping.start()
            self._threads.append(pumping)

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        peers = {client: server, server: client}
        with selectors.DefaultSelector() as selector:
            for sock in peers:
                sock.setblocking(False)
                selector.register(sock, selectors.EVENT_READ)
            while not self._stopped.is_set():
                try:
                    ready = selector.select(timeout=0.2)
                    for key, _events in ready:
                        source: socket.socket = key.fileobj  # type: ignore[assignment]
                        data = source.recv(_CHUNK)
                        if not data:
                            raise ConnectionError
                        peers[source].setblocking(True)
                        peers[source].sendall(data)
                        peers[source].setblocking(False)
                except (OSError, ValueError):
                    break
        for sock in peers:
            with contextlib.suppress(OSError):
                sock.close()
        with self._lock:
            self._sockets.difference_update(peers)
