# Sourced by the bench scripts: a one-worker nginx on loopback, answering with a fixed response, in
# the foreground (the caller starts it as a background job and stops it with its other jobs).
#
#   nginx_backend_conf DIR PORT LOCATION_BODY     writes DIR/nginx.conf
#   e.g. nginx_backend_conf "$work" 27480 'return 200 "hello";'
nginx_backend_conf() {
  cat > "$1/nginx.conf" <<NG
daemon off;
worker_processes 1;
pid $1/nginx.pid;
error_log $1/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $1;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  server { listen 127.0.0.1:$2 backlog=4096; location / { $3 } }
}
NG
}
