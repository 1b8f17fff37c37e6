#!/usr/bin/env bash
# Installs what is missing and nothing else: npm packages (with Node 24 among them), the Debian
# packages OwnerBot runs (ffmpeg, chromium, fonts, espeak-ng, poppler), and Postgres/Redis when no
# server answers. Safe to run again; CI runs it on every `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

# --- npm packages (node_modules/.bin/node is Node 24 from the `node` package) ---
stamp=node_modules/.setup-stamp
if [ ! -x node_modules/.bin/node ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  say "installing npm packages"
  if [ -n "${CI:-}" ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
  touch "$stamp"
fi

# --- Debian packages ---
want=(ffmpeg chromium fonts-dejavu-core espeak-ng poppler-utils postgresql-client redis-tools)
missing=()
for p in "${want[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
need_services=()
if [ -z "${DATABASE_URL:-}" ] && ! answers 5432; then need_services+=(postgresql); fi
if [ -z "${REDIS_URL:-}" ] && ! answers 6379; then need_services+=(redis-server); fi
docker_ok=false
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then docker_ok=true; fi
if [ ${#need_services[@]} -gt 0 ] && ! $docker_ok; then missing+=("${need_services[@]}"); fi

if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if [ -n "$SUDO" ] && ! command -v sudo >/dev/null; then
    echo "missing packages: ${missing[*]} — install them as root (apt-get install ${missing[*]})" >&2; exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Postgres and Redis ---
if [ ${#need_services[@]} -gt 0 ]; then
  if $docker_ok; then
    say "starting postgres and redis with docker compose"
    docker compose up -d --wait postgres redis
  else
    for s in "${need_services[@]}"; do
      case "$s" in
        postgresql)
          say "starting PostgreSQL"
          v=$(ls /etc/postgresql | sort -V | tail -1)
          pg_ctlcluster --skip-systemctl-redirect "$v" main start || service postgresql start
          # Local development trusts loopback connections for the postgres user, as the CI machine does.
          ;;
        redis-server)
          say "starting Redis"
          redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --maxmemory-policy noeviction
          ;;
      esac
    done
  fi
  for port in 5432 6379; do
    for _ in $(seq 1 50); do answers $port && break; sleep 0.2; done
    answers $port || { echo "nothing answers on 127.0.0.1:$port; start PostgreSQL/Redis or set DATABASE_URL/REDIS_URL" >&2; exit 1; }
  done
fi
exit 0
