#!/usr/bin/env bash
# What the tests need on a fresh machine of this kind (Debian, root): Debian's redis-server,
# which the tests start themselves on loopback, installed only when missing; and a real helm
# (scripts/helm.sh, fetched once into .cache/helm/), with which the fidelity test re-checks
# the fixture charts' goldens. Where helm cannot be had, the goldens are read as they are.
set -euo pipefail
bash "$(dirname "$0")/helm.sh" >/dev/null || echo "no helm for the fidelity test: the fixture charts' goldens are read, not re-checked" >&2
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "the tests need redis-server: install Debian's package (apt-get install redis-server)" >&2
  exit 1
fi
echo "installing redis-server (Debian's package) for the tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq redis-server >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
