#!/usr/bin/env bash
# Installs the Debian 12 packages neon_auth needs to build, test and demo.
# Idempotent: apt runs only when something is missing. Needs root (or sudo).
set -euo pipefail
packages=(
	build-essential cmake pkg-config binutils
	postgresql-15 postgresql-server-dev-15 postgresql-common
	libsodium-dev libssl-dev nlohmann-json3-dev libgtest-dev
	postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
	postgresql-15-plpgsql-check
	clang libclang-rt-14-dev
	chromium
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js 20+ and npm for the Better Auth interop suite (test/interop).
command -v node >/dev/null || missing+=(nodejs)
[ ${#missing[@]} -eq 0 ] && command -v npm >/dev/null && exit 0
echo "installing: ${missing[*]:-npm}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
[ ${#missing[@]} -eq 0 ] ||
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's own nodejs package ships npm separately (NodeSource's includes it).
command -v npm >/dev/null ||
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
