#!/usr/bin/env bash
# What one engine needs beyond the default install: its Python extra (pyproject.toml) and, for
# PostgreSQL and Spark, Debian's server binaries or Java runtime. DuckDB needs nothing. Called by
# `make run` for $PERFDW_ENGINE and by `make test` for every engine; safe to run repeatedly.
# System packages are installed only as root; otherwise one line names the package to install.
set -euo pipefail

engine="${1:-duckdb}"
python="${PYTHON_BIN:-.venv/bin/python}"
stamp=".venv/.installed-$engine"

case "$engine" in
    duckdb) exit 0 ;;
    postgres)
        # A server of the user's own ($PERFDW_POSTGRES_URL) needs no local binaries.
        if [ -n "${PERFDW_POSTGRES_URL:-}" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
            packages=()
        else
            packages=(postgresql)
        fi ;;
    spark)
        if command -v java >/dev/null && java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
            packages=()
        else
            packages=(openjdk-17-jre-headless)
        fi ;;
    *) echo "install-engine: unknown engine '$engine' (duckdb, postgres or spark)" >&2; exit 2 ;;
esac

if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.lock -nt "$stamp" ]; then
    "$python" -m pip install --quiet -c requirements.lock -e ".[$engine]"
    touch "$stamp"
fi

if [ ${#packages[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-engine: the $engine engine needs ${packages[*]}; as root: apt-get install -y ${packages[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
