#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Assay: bubblewrap (the sandbox), a C compiler (for the sandbox
# supervisor) and the language toolchains, then builds Assay. Safe to re-run: it installs only what is missing.
# Installs as root with apt-get, or through sudo when not root and sudo is there (no `sudo` in front of this
# script: it builds as you); with neither, it prints what to install and builds what it can.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# command-to-check:debian-package
wanted=(
  "bwrap:bubblewrap"
  "cc:gcc"
  "g++:g++"
  "/usr/bin/python3:python3-minimal"
  "/usr/lib/python3/dist-packages/numpy:python3-numpy"
  "node:nodejs"
  "tsc:node-typescript"
  "javac:default-jdk-headless"
  "/usr/lib/go-*/bin/go:golang-go"
  "/usr/bin/rustc:rustc"
  "lua5.4:lua5.4"
  "ruby:ruby"
  "php:php-cli"
  "/usr/share/nodejs/lodash:node-lodash"
  "/usr/share/lua/5.4/luaunit.lua:lua-unit"
  "/usr/include/openssl/md5.h:libssl-dev"
  "/usr/include/boost/any.hpp:libboost-dev"
  "perl:perl"
  "/usr/share/perl5/Test/Deep.pm:libtest-deep-perl"
  "/usr/share/perl5/Data/Compare.pm:libdata-compare-perl"
  "Rscript:r-base-core"
  "racket:racket"
  "gdc:gdc"
  "/usr/share/scala-2.*/lib/scala-compiler.jar:scala"
  "/usr/share/kotlin/kotlinc/lib/kotlin-compiler.jar:kotlin"
  "ocamlopt:ocaml-nox"
  "ghc:ghc"
  "gfortran:gfortran"
  "fpc:fp-compiler"
  "sbcl:sbcl"
  "tclsh:tcl"
  "erlc:erlang-nox"
  "elixir:elixir"
  "nim:nim"
  "gnatmake:gnat"
  "gawk:gawk"
  "/usr/share/java/clojure.jar:clojure"
  "crystal:crystal"
)
# Julia and Swift have toolchain files marked `unavailable`: Debian 12 packages neither (its `swift` is
# OpenStack's object store), so there is nothing to install for them.
missing=()
for entry in "${wanted[@]}"; do
  cmd="${entry%%:*}"; pkg="${entry##*:}"
  if [[ "$cmd" == /* ]]; then
    compgen -G "$cmd" > /dev/null || missing+=("$pkg")
  else
    command -v "$cmd" > /dev/null 2>&1 || missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  # Root needs no sudo (and a fresh machine, or CI, may not have it); others install through sudo if it is there,
  # asking for a password only at a terminal.
  as_root=() can_install=true
  if [[ $(id -u) != 0 ]]; then
    if ! command -v sudo > /dev/null 2>&1; then can_install=false
    elif [[ -t 0 ]]; then as_root=(sudo)
    else as_root=(sudo -n)
    fi
  fi
  if [[ $can_install == false ]]; then
    echo "setup: not root and no sudo; install these for full language coverage (as root): apt-get install ${missing[*]}" >&2
  elif ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq; then
    echo "setup: apt-get update failed; install these for full language coverage: apt-get install ${missing[*]}" >&2
  else
    echo "setup: installing ${missing[*]}" >&2
    # Install one by one so that a package missing from this distribution only loses its own language.
    for pkg in "${missing[@]}"; do
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" > /dev/null 2>&1 \
        || echo "setup: could not install $pkg; that language will show as missing in 'assay toolchains'" >&2
    done
  fi
fi

command -v bwrap > /dev/null 2>&1 || { echo "setup: bubblewrap is required: apt-get install bubblewrap" >&2; exit 1; }
command -v cc > /dev/null 2>&1 || { echo "setup: a C compiler is required to build the sandbox supervisor: apt-get install gcc" >&2; exit 1; }

echo "setup: building Assay" >&2
dotnet build "$root/Assay.slnx" -c Release -nologo -v q 2>&1 | grep -E "error|Warn|Elapsed" >&2 || true
# The CLI wrapper builds its own copy on first use; doing it here keeps the first `./assay` call quiet.
"$root/assay" --help > /dev/null
