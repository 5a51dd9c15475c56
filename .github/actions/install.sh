#!/usr/bin/env bash
# Installs cachetsync for the GitHub Action (action.yml) and puts it on PATH.
#
# VERSION: a release tag (v1.2.3): its archive for this runner is downloaded
# and checked against the release's checksums.txt. Empty: the action's own
# tag (ACTION_REF) when it is a release, else the action's source is built
# with the runner's Go ("source" forces that).
# Uses RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_ACTION_PATH, GITHUB_PATH.
set -euo pipefail

version="${VERSION:-}"
if [ -z "$version" ]; then
  case "${ACTION_REF:-}" in
    v[0-9]*) version="$ACTION_REF" ;;
    *) version=source ;;
  esac
fi
bin="$RUNNER_TEMP/cachetsync-bin"
mkdir -p "$bin"

if [ "$version" = source ]; then
  (cd "$GITHUB_ACTION_PATH" && go build -trimpath -o "$bin/cachetsync" .)
else
  case "$version" in
    v[0-9]*) ;;
    *) echo "::error::cachetsync: version must be a release tag such as v1.2.3, or source; got $version" >&2; exit 1 ;;
  esac
  case "$RUNNER_OS" in
    Linux) os=linux ;;
    macOS) os=darwin ;;
    Windows) os=windows ;;
    *) echo "::error::cachetsync: no release for the runner OS $RUNNER_OS" >&2; exit 1 ;;
  esac
  case "$RUNNER_ARCH" in
    X64) arch=amd64 ;;
    ARM64) arch=arm64 ;;
    *) echo "::error::cachetsync: no release for the runner architecture $RUNNER_ARCH" >&2; exit 1 ;;
  esac
  archive="cachetsync_${version#v}_${os}_${arch}.tar.gz"
  if [ "$os" = windows ]; then archive="${archive%.tar.gz}.zip"; fi
  base="https://github.com/cachetsync/cachetsync/releases/download/$version"
  work="$RUNNER_TEMP/cachetsync-download"
  mkdir -p "$work"
  cd "$work"
  curl -fsSL --retry 3 -o "$archive" "$base/$archive"
  curl -fsSL --retry 3 -o checksums.txt "$base/checksums.txt"
  if ! grep -q " $archive\$" checksums.txt; then
    echo "::error::cachetsync: $archive is not in the checksums of $version" >&2
    exit 1
  fi
  grep " $archive\$" checksums.txt > "$archive.sha256"
  if command -v sha256sum >/dev/null; then
    sha256sum -c --quiet "$archive.sha256"
  else
    shasum -a 256 -c --quiet "$archive.sha256"
  fi
  if [ "$os" = windows ]; then
    unzip -o -q "$archive" cachetsync.exe -d "$bin"
  else
    tar -xzf "$archive" -C "$bin" cachetsync
  fi
fi

echo "$bin" >> "$GITHUB_PATH"
"$bin/cachetsync" version
