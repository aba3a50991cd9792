# Sourced by ./run.sh --profile NAME (and tests/Quoncept.Benchmarks/universe-bench.sh --profile NAME): starts the
# servers a components profile needs from Debian's packages, each on a free 127.0.0.1 port with its data under
# .data/profiles/NAME/, and exports where they are for the profile's component files (envRef):
#   QUONCEPT_REDIS_HOST            host:port of redis-server          (profiles redis, nats)
#   QUONCEPT_NATS_URL              nats://host:port of nats-server -js (profile nats)
#   QUONCEPT_POSTGRES_CONNECTION   a pgx connection string             (profile postgres)
# A variable already set means "use that server": nothing is started for it.
# profile_servers_stop (run at exit) stops what was started, cleanly (SIGTERM).

profile_pids=()

profile_free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "error: found no free port on 127.0.0.1" >&2; return 1
}

profile_need() { # binary package
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "error: $1 is not installed; install it with: apt-get install -y $2" >&2; exit 2
}

# Starts a server in the background and remembers it in its data folder (pid, and the command as one shell line):
# tests/Quoncept.Faults kills a server with SIGKILL and starts it again from these files.
profile_launch() { # data-dir command...
  local dir="$1"; shift
  "$@" &
  profile_pids+=($!)
  echo "$!" > "$dir/pid"
  printf '%q ' "$@" > "$dir/command"
}

profile_wait() { # what command...
  local what="$1"; shift
  for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "error: $what did not come up (see its log above)" >&2; exit 1
}

profile_start_redis() { # data-dir
  if [ -n "${QUONCEPT_REDIS_HOST:-}" ]; then echo "redis: using $QUONCEPT_REDIS_HOST"; return; fi
  profile_need redis-server redis-server
  local dir="$1/redis" port; port=$(profile_free_port); mkdir -p "$dir"
  profile_launch "$dir" redis-server "$PWD/components/redis/redis.conf" --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize no --logfile "$dir/redis.log"
  profile_wait "redis-server on 127.0.0.1:$port" sh -c "redis-cli -h 127.0.0.1 -p $port ping | grep -q PONG"
  export QUONCEPT_REDIS_HOST="127.0.0.1:$port"
  echo "redis: started redis-server on 127.0.0.1:$port (append-only file fsynced on every write; data and log in $dir)"
}

profile_start_nats() { # data-dir
  if [ -n "${QUONCEPT_NATS_URL:-}" ]; then echo "nats: using $QUONCEPT_NATS_URL"; return; fi
  profile_need nats-server nats-server
  local dir="$1/nats" port; port=$(profile_free_port); mkdir -p "$dir"
  profile_launch "$dir" nats-server -js -a 127.0.0.1 -p "$port" -sd "$dir/jetstream" -l "$dir/nats.log"
  profile_wait "nats-server on 127.0.0.1:$port" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
  export QUONCEPT_NATS_URL="nats://127.0.0.1:$port"
  echo "nats: started nats-server -js on 127.0.0.1:$port (JetStream store and log in $dir)"
}

profile_start_postgres() { # data-dir
  if [ -n "${QUONCEPT_POSTGRES_CONNECTION:-}" ]; then echo "postgres: using the server in QUONCEPT_POSTGRES_CONNECTION"; return; fi
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$bin/initdb" ] || { echo "error: PostgreSQL is not installed; install it with: apt-get install -y postgresql" >&2; exit 2; }
  local dir="$1/postgres" port; port=$(profile_free_port); mkdir -p "$dir"
  # PostgreSQL refuses to run as root: as root, the cluster belongs to the package's postgres user.
  local as=()
  if [ "$(id -u)" = 0 ]; then as=(setpriv --reuid postgres --regid postgres --init-groups); chown postgres "$dir"; fi
  if [ ! -f "$dir/cluster/PG_VERSION" ]; then
    [ -f "$dir/password" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=\n' > "$dir/password")
    [ "$(id -u)" = 0 ] && chown postgres "$dir/password"
    "${as[@]}" "$bin/initdb" -D "$dir/cluster" -U postgres --pwfile "$dir/password" --auth-host=scram-sha-256 --auth-local=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { echo "error: initdb failed, see $dir/initdb.log" >&2; exit 1; }
  fi
  profile_launch "$dir" "${as[@]}" "$bin/postgres" -D "$dir/cluster" -h 127.0.0.1 -p "$port" -k "$dir" >"$dir/postgres.log" 2>&1
  profile_wait "postgres on 127.0.0.1:$port" "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"
  export QUONCEPT_POSTGRES_CONNECTION="host=127.0.0.1 port=$port user=postgres password=$(cat "$dir/password") dbname=postgres"
  echo "postgres: started PostgreSQL on 127.0.0.1:$port (cluster and log in $dir)"
}

# Starts what profile $1 needs; $2 is the data folder. Unknown profile: the list of profiles.
profile_servers_start() {
  local name="$1" data="$2"
  [ -d "components/$name" ] && [ "$name" != "." ] || { echo "error: no profile '$name'; profiles: $(cd components && ls -d */ | tr -d / | tr '\n' ' ')" >&2; exit 2; }
  mkdir -p "$data"
  case "$name" in
    redis) profile_start_redis "$data" ;;
    nats) profile_start_redis "$data"; profile_start_nats "$data" ;;
    postgres) profile_start_postgres "$data" ;;
  esac
}

profile_servers_stop() {
  local pid
  for pid in "${profile_pids[@]+"${profile_pids[@]}"}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${profile_pids[@]+"${profile_pids[@]}"}"; do wait "$pid" 2>/dev/null || true; done
  profile_pids=()
}
