# JupyterHub configuration for JupyterHubEndToEndIT (written for JupyterHub 3.0, Debian bookworm).
#
# The test writes its choices (ports, tokens, paths, mode) to a JSON file and passes its path in
# HUBGATE_E2E_SETTINGS, so this file stays static and readable.
#
# mode "hub-managed": the hub starts the proxy command itself (ConfigurableHTTPProxy.command).
# mode "external":    the test runs the proxy; the hub only talks to its API (should_start = False)
#                     and leaves the single-user server running when it stops (cleanup_servers = False),
#                     so the test can restart the hub underneath open connections.
import json
import os

import jupyterhub

c = get_config()  # noqa: F821 (provided by traitlets when the hub loads this file)

with open(os.environ["HUBGATE_E2E_SETTINGS"]) as f:
    s = json.load(f)

state = s["state_dir"]

# --- hub and public (proxy) addresses: loopback only -------------------------------------------
c.JupyterHub.bind_url = "http://127.0.0.1:%d" % s["proxy_port"]
c.JupyterHub.hub_bind_url = "http://127.0.0.1:%d" % s["hub_port"]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(state, "jupyterhub.pid")
c.JupyterHub.log_level = "DEBUG"  # the proxy API calls appear as "Proxy: Fetching <METHOD> <url>"
# Poll GET /api/routes (and run check_routes) every second instead of every 300 s, so that route
# churn caused by a proxy that does not return the route data unchanged shows up within the test.
c.JupyterHub.last_activity_interval = 1

# --- proxy --------------------------------------------------------------------------------------
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % s["proxy_api_port"]
c.ConfigurableHTTPProxy.auth_token = s["proxy_token"]
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, "jupyterhub-proxy.pid")
if s["mode"] == "hub-managed":
    c.ConfigurableHTTPProxy.should_start = True
    c.ConfigurableHTTPProxy.command = [s["proxy_command"]]
    c.JupyterHub.cleanup_servers = True
else:
    c.ConfigurableHTTPProxy.should_start = False
    c.JupyterHub.cleanup_servers = False

# --- users --------------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "jupyterhub.auth.DummyAuthenticator"
c.DummyAuthenticator.password = s["user_password"]
# Explicit, because JupyterHub 5 lets nobody in without an allow rule (3.x/4.x: everybody).
c.Authenticator.allowed_users = {"alice"}

# An API token for the test itself, as a service holding a role that may start/stop servers.
c.JupyterHub.services = [{"name": "hubgate-e2e", "api_token": s["admin_token"]}]
c.JupyterHub.load_roles = [
    {
        "name": "hubgate-e2e",
        "scopes": ["admin:users", "admin:servers", "list:users", "read:users"],
        "services": ["hubgate-e2e"],
    }
]

# --- single-user servers: our tornado fixture, run as the current user ---------------------------
# SimpleLocalProcessSpawner does not switch user (LocalProcessSpawner would setuid to a system
# user named "alice"), so root can run it; it only creates/chdirs into home_dir.
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(state, "home", "{username}")
c.Spawner.cmd = [s["python"], s["singleuser_script"]]
c.Spawner.ip = "127.0.0.1"  # the default "" gives JUPYTERHUB_SERVICE_URL=http://:port/...
c.Spawner.port = s["singleuser_port"]
c.Spawner.environment = {
    # echoed in X-JupyterHub-Version, which the hub checks when the server comes up
    "HUBGATE_E2E_HUB_VERSION": jupyterhub.__version__,
}
c.Spawner.start_timeout = 20
c.Spawner.http_timeout = 20
