#!/usr/bin/env bash
# Installs Debian packages the project needs (gettext, chromium) when they are missing.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "error: Debian packages missing ($*); install them as root: apt-get install $*" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$@" >/dev/null
