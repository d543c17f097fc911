"""A raw HTTP server on 127.0.0.1, for what a well-behaved one cannot do: bodies cut short, resets, trickles."""

import socket
import struct
import threading


class ScriptedServer:
    """Answers each connection on 127.0.0.1 with the next script (the last one repeats)."""

    def __init__(self, *scripts):
        self.scripts = list(scripts)
        self.requests = []
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self.port = self._socket.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self):
        while True:
            try:
                conn, _address = self._socket.accept()
            except OSError:
                return
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                head += chunk
            self.requests.append(head.split(b"\r\n", 1)[0].decode("latin-1"))
            script = self.scripts[min(len(self.requests), len(self.scripts)) - 1]
            try:
                script(conn)
            finally:
                conn.close()

    def close(self):
        self._socket.close()


def answer(body, headers=()):
    def script(conn):
        lines = ["HTTP/1.1 200 OK", f"Content-Length: {len(body)}", "Connection: close", *headers]
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
    return script


def cut(body, reset=False):
    """Announce all of `body`, send half of it, then close the socket — with a TCP reset if asked
    (SO_LINGER 0), like a proxy killing the link."""
    def script(conn):
        lines = ["HTTP/1.1 200 OK", f"Content-Length: {len(body)}", "Connection: close"]
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body[: len(body) // 2])
        if reset:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return script
