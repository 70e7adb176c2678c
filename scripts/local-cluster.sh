#!/usr/bin/env bash
# A production-shaped Tessera cluster as separate processes on this machine, without Docker:
# a three-server ZooKeeper ensemble, two admins on MariaDB/MySQL, three agents (one with GPUs).
#
#   scripts/local-cluster.sh start     build nothing; start everything; wait until the admins answer
#   scripts/local-cluster.sh status    what runs, which admin leads
#   scripts/local-cluster.sh kill NAME kill -9 one process (zk-1..3, admin-1..2, agent-1..3), to try failover
#   scripts/local-cluster.sh stop      stop everything (TERM, then KILL after 15 s)
#
# Needs the packaged jars (mvn -B -q -DskipTests package) and a MariaDB or MySQL server.
# Environment (defaults in brackets):
#   TESSERA_LOCAL_DIR     state, logs and pid files        [./local-cluster]
#   TESSERA_LOCAL_PORTS   base of every port used          [20000]: ZooKeeper clients base+181..183,
#                         quorum base+2888.., election base+3888.., admins base+81..82, agents base+91..93
#   TESSERA_LOCAL_DB      database name, created if absent [tessera_local]
#   TESSERA_DB_HOST/PORT/USER/PASSWORD                     [127.0.0.1/3306/root/(empty)]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${TESSERA_LOCAL_DIR:-$root/local-cluster}
base=${TESSERA_LOCAL_PORTS:-20000}
db=${TESSERA_LOCAL_DB:-tessera_local}
db_host=${TESSERA_DB_HOST:-127.0.0.1}
db_port=${TESSERA_DB_PORT:-3306}
db_user=${TESSERA_DB_USER:-root}
db_password=${TESSERA_DB_PASSWORD:-}
admin_jar=$root/scheduler-admin/target/scheduler-admin.jar
agent_jar=$root/scheduler-executor/target/scheduler-agent.jar
zk_connect="127.0.0.1:$((base + 181)),127.0.0.1:$((base + 182)),127.0.0.1:$((base + 183))"

say() { echo "local-cluster: $*"; }
die() { echo "local-cluster: $*" >&2; exit 1; }

pid_of() { cat "$dir/pids/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

launch() {
  local name=$1; shift
  if alive "$name"; then say "$name already runs (pid $(pid_of "$name"))"; return; fi
  nohup "$@" >"$dir/logs/$name.log" 2>&1 &
  echo $! >"$dir/pids/$name.pid"
  say "started $name (pid $!, log $dir/logs/$name.log)"
}

start_zookeeper() {
  local id=$1 data=$dir/zk-$1
  mkdir -p "$data"
  echo "$id" >"$data/myid"
  {
    echo "tickTime=2000"; echo "initLimit=10"; echo "syncLimit=5"
    echo "dataDir=$data"; echo "clientPort=$((base + 180 + id))"
    echo "admin.enableServer=false"; echo "4lw.commands.whitelist=ruok,srvr,mntr"
    for n in 1 2 3; do echo "server.$n=127.0.0.1:$((base + 2887 + n)):$((base + 3887 + n))"; done
  } >"$data/zoo.cfg"
  # The admin jar carries ZooKeeper's server; Spring Boot's PropertiesLauncher runs another main from it.
  launch "zk-$id" java -Xmx256m -cp "$admin_jar" -Dloader.main=org.apache.zookeeper.server.quorum.QuorumPeerMain \
    org.springframework.boot.loader.launch.PropertiesLauncher "$data/zoo.cfg"
}

start_admin() {
  local id=$1
  launch "admin-$id" java -Xmx512m -jar "$admin_jar" \
    --server.port=$((base + 80 + id)) \
    --tessera.data-dir="$dir/admin-$id" \
    --tessera.zookeeper.connect="$zk_connect" \
    --tessera.zookeeper.session-timeout=6s \
    --tessera.engine.admin-id="admin-$id" \
    --tessera.advertised-host=127.0.0.1 \
    --tessera.cluster-secret-file="$dir/cluster-secret" \
    --tessera.api.bootstrap-token="$(cat "$dir/api-token")" \
    --spring.datasource.url="jdbc:mariadb://$db_host:$db_port/$db" \
    --spring.datasource.username="$db_user" \
    --spring.datasource.password="$db_password"
}

start_agent() {
  local id=$1; shift
  launch "agent-$id" java -Xmx256m -jar "$agent_jar" --secret-file "$dir/cluster-secret" \
    --zookeeper "$zk_connect" --host 127.0.0.1 --port $((base + 90 + id)) --data-dir "$dir/agent-$id" \
    --session-timeout 6 --allow-command --no-detect "$@"
}

# The ZooKeeper server's mode (leader, follower, standalone); empty while it serves no requests.
zk_mode() {
  { timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$((base + 180 + $1)); echo srvr >&3; cat <&3" 2>/dev/null || true; } \
    | sed -n 's/^Mode: //p'
}

admin_up() {
  curl -sf "http://127.0.0.1:$((base + 80 + $1))/actuator/health" >/dev/null 2>&1
}

cmd_start() {
  [ -f "$admin_jar" ] && [ -f "$agent_jar" ] || die "build the jars first: mvn -B -q -DskipTests package"
  command -v mysql >/dev/null 2>&1 || command -v mariadb >/dev/null 2>&1 || die "needs the mysql (or mariadb) client"
  mkdir -p "$dir/pids" "$dir/logs"
  [ -s "$dir/cluster-secret" ] || head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$dir/cluster-secret"
  [ -s "$dir/api-token" ] || head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$dir/api-token"
  chmod 600 "$dir/cluster-secret" "$dir/api-token"
  MYSQL_PWD="$db_password" mysql -h"$db_host" -P"$db_port" -u"$db_user" \
    -e "CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4" || die "cannot create database $db"
  for id in 1 2 3; do start_zookeeper "$id"; done
  for id in 1 2; do start_admin "$id"; done
  # Agents give up when ZooKeeper does not answer within 10 s; on a busy machine the ensemble takes
  # longer than that to elect a leader, so they start once it serves. (Admins wait by themselves.)
  for i in $(seq 1 180); do
    [ -n "$(zk_mode 1)$(zk_mode 2)$(zk_mode 3)" ] && break
    for name in zk-1 zk-2 zk-3; do
      alive "$name" || die "$name exited; see $dir/logs/$name.log"
    done
    [ "$i" -lt 180 ] || die "ZooKeeper did not serve within 180 s; see $dir/logs/zk-*.log"
    sleep 1
  done
  start_agent 1 --group default
  start_agent 2 --group default
  start_agent 3 --group default --accelerator GPU:nvidia:H100:81559:2
  for _ in $(seq 1 120); do
    if admin_up 1 && admin_up 2; then
      say "up: admins http://127.0.0.1:$((base + 81)) and :$((base + 82)); ZooKeeper $zk_connect"
      say "API token in $dir/api-token; try: curl -H \"Authorization: Bearer \$(cat $dir/api-token)\" http://127.0.0.1:$((base + 81))/api/v1/cluster"
      return
    fi
    for name in zk-1 zk-2 zk-3 admin-1 admin-2 agent-1 agent-2 agent-3; do
      alive "$name" || die "$name exited; see $dir/logs/$name.log"
    done
    sleep 1
  done
  die "the admins did not answer within 120 s; see $dir/logs/"
}

cmd_status() {
  for name in zk-1 zk-2 zk-3 admin-1 admin-2 agent-1 agent-2 agent-3; do
    if alive "$name"; then echo "$name: running (pid $(pid_of "$name"))"; else echo "$name: stopped"; fi
  done
  for id in 1 2; do
    if admin_up "$id"; then
      local health
      health=$(curl -s -H "Authorization: Bearer $(cat "$dir/api-token")" "http://127.0.0.1:$((base + 80 + id))/actuator/health")
      echo "admin-$id: $(echo "$health" | grep -o '"mode":"[A-Z]*"' | head -1), $(echo "$health" | grep -o '"leader":"[^"]*"' | head -1)"
    fi
  done
}

cmd_kill() {
  local name=${1:-}
  [ -n "$name" ] || die "kill needs a name: zk-1..3, admin-1..2, agent-1..3"
  alive "$name" || die "$name does not run"
  kill -9 "$(pid_of "$name")"
  say "killed $name with SIGKILL"
}

cmd_stop() {
  local pids=()
  for file in "$dir"/pids/*.pid; do
    [ -e "$file" ] || continue
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; pids+=("$pid"); fi
    rm -f "$file"
  done
  for _ in $(seq 1 15); do
    local left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ "$left" = 0 ] && break
    sleep 1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  say "stopped ${#pids[@]} process(es)"
}

case ${1:-} in
  start) cmd_start ;;
  status) cmd_status ;;
  kill) cmd_kill "${2:-}" ;;
  stop) cmd_stop ;;
  -h|--help|help|"") sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1'; try --help" ;;
esac
