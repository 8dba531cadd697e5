#!/usr/bin/env bash
# Installs the Debian 12 packages neon_auth needs to build, test and demo.
# Idempotent: apt runs only when something is missing. Needs root (or sudo).
set -euo pipefail
packages=(
	build-essential cmake pkg-config binutils
	postgresql-15 postgresql-server-dev-15 postgresql-common
	libsodium-dev libssl-dev libgtest-dev
	postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
