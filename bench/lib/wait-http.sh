# Sourced by the bench scripts: waits until a URL answers (any status), polling every 50 ms for at most 10 s.
#
#   wait_http URL     returns 0 once it answered, 1 if it never did
wait_http() { for _ in $(seq 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done; return 1; }
