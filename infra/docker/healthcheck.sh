#!/usr/bin/env bash
# Container health probe for the .NET service images: GET /healthz on the local Kestrel and succeed on 200.
# The ASP.NET runtime image has no curl or wget, so this speaks HTTP over bash's /dev/tcp.
#   HEALTHCHECK_PORT (default 8080), HEALTHCHECK_PATH (default /healthz)
set -eu
port="${HEALTHCHECK_PORT:-8080}"
path="${HEALTHCHECK_PATH:-/healthz}"

exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || true
case "$status" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) echo "unhealthy: ${status:-no answer} from ${path}" >&2; exit 1 ;;
esac
