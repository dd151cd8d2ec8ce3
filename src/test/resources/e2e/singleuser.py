"""A tiny stand-in for jupyterhub-singleuser, used by JupyterHubEndToEndIT.

It needs only tornado. It is a test fixture, not a notebook server: it does
NOT do the OAuth handshake with the hub and serves anyone who reaches it.
That is enough here because the test is about the proxy in between.

JupyterHub 3.0 passes everything in the environment (no command-line args
since 2.0): JUPYTERHUB_SERVICE_URL is the bind URL, e.g.
http://127.0.0.1:40123/user/alice/, and JUPYTERHUB_SERVICE_PREFIX the prefix.
--ip/--port are accepted as overrides, like jupyterhub-singleuser.

Routes under the prefix:
  <prefix>     HTML page that contains MARKER and the user name
  <prefix>api  JSON (what jupyterhub-singleuser answers there)
  <prefix>ws   websocket that echoes every message
"""

import argparse
import json
import os
import signal
import sys
from urllib.parse import urlparse

from tornado import ioloop, web, websocket

MARKER = "hubgate-e2e-singleuser-page"


class FixtureHandler(web.RequestHandler):
    def set_default_headers(self):
        # Like jupyterhub-singleuser; without it the hub warns about an unknown (old) version.
        version = os.environ.get("HUBGATE_E2E_HUB_VERSION")
        if version:
            self.set_header("X-JupyterHub-Version", version)


class PageHandler(FixtureHandler):
    def get(self):
        user = os.environ.get("JUPYTERHUB_USER", "?")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            "<!doctype html><html><body>"
            f"<p>{MARKER}</p><p>user={user}</p><p>pid={os.getpid()}</p>"
            "</body></html>"
        )


class ApiHandler(FixtureHandler):
    def get(self):
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"version": "hubgate-e2e", "pid": os.getpid()}))


class EchoHandler(websocket.WebSocketHandler):
    def check_origin(self, origin):
        # The JDK client sends no Origin; browsers would send the proxy's. Accept both.
        return True

    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ip")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()

    service_url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", ""))
    ip = args.ip or service_url.hostname or "127.0.0.1"
    port = args.port or service_url.port
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or service_url.path or "/"
    if not prefix.endswith("/"):
        prefix += "/"
    if not port:
        sys.exit("singleuser.py: no port (JUPYTERHUB_SERVICE_URL or --port)")

    handlers = [
        (prefix, PageHandler),
        (prefix + "api", ApiHandler),
        (prefix + "ws", EchoHandler),
    ]
    if prefix != "/":
        handlers.append((prefix.rstrip("/"), web.RedirectHandler, {"url": prefix}))
    app = web.Application(handlers)
    app.listen(port, address=ip)
    print(f"singleuser.py: pid {os.getpid()} serving {prefix} on {ip}:{port}", flush=True)

    loop = ioloop.IOLoop.current()

    def on_signal(signum, frame):
        # The spawner stops us with SIGINT, then SIGTERM: exit promptly on either.
        print(f"singleuser.py: signal {signum}, exiting", flush=True)
        loop.add_callback_from_signal(loop.stop)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    loop.start()


if __name__ == "__main__":
    main()
