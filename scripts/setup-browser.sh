#!/usr/bin/env bash
# Makes sure headless Chromium and its WebDriver are on this machine for the dashboard's browser tests
# (tests/Analytics.Dashboard.Tests). Debian's packages, installed with apt-get when missing; idempotent and quiet.
# Prints the chromedriver path on the last line.
set -euo pipefail

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo /usr/bin/chromedriver
  exit 0
fi

command -v apt-get >/dev/null || { echo "setup-browser: apt-get not found; install chromium and chromium-driver yourself" >&2; exit 1; }
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup-browser: need root (or sudo) to install chromium" >&2; exit 1; }
  sudo="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
echo "setup-browser: installing chromium and chromium-driver (apt-get) ..." >&2
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
echo /usr/bin/chromedriver
