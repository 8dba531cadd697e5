#!/usr/bin/env bash
# One command on a fresh Debian 12 machine (as root, or with sudo): install
# what is missing, build and install neon_auth into PostgreSQL 15, then run
# scripts/demo.sql in a throwaway cluster (dropped afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
scripts/deps.sh
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
make -j"$(nproc)" >/dev/null
$sudo make install >/dev/null
pg_virtualenv psql -X -v ON_ERROR_STOP=1 -f scripts/demo.sql
