#!/usr/bin/env bash
# The README's "run the whole test suite" command. Checks everything the suite needs before Maven
# starts, installs what is missing where it can (Debian/Ubuntu, as root), and otherwise says in one
# line per missing part what to install and stops; then runs `mvn -B verify`.
#
#   scripts/test.sh                      check, install what is missing, mvn -B verify
#   scripts/test.sh -pl scheduler-core   the same; arguments after the options go to Maven
#   scripts/test.sh --check              only check and report; installs and starts nothing; exit 0 or 1
#
# What the suite needs: Java 17 or newer (a JDK, also the one Maven runs on), Maven 3.8+, a MariaDB
# on 127.0.0.1 that lets root in with an empty password, its client (mariadb or mysql), Chromium and
# chromedriver of the same version, curl and pgrep, and mariadbd with mariadb-install-db (the chaos
# test starts a database server of its own).
# Environment (defaults in brackets):
#   TESSERA_TEST_DB_PORT    port of that MariaDB                            [3306]
#   TESSERA_CHROMIUM        Chromium the UI test drives                     [/usr/bin/chromium]
#   TESSERA_CHROMEDRIVER    chromedriver for it                             [/usr/bin/chromedriver]
#   TESSERA_TEST_NO_INSTALL 1: never install or start anything, even as root (report and stop)
# The tests read the same three variables, so they use what was checked here.
set -euo pipefail
cd "$(dirname "$0")/.."

db_port=${TESSERA_TEST_DB_PORT:-3306}
chromium=${TESSERA_CHROMIUM:-/usr/bin/chromium}
chromedriver=${TESSERA_CHROMEDRIVER:-/usr/bin/chromedriver}

# Pipelines end in `sed -n 1p`, never `head`: with pipefail, head would kill the writer with SIGPIPE.
say() { echo "test.sh: $*"; }
have() { command -v "$1" >/dev/null 2>&1; }

check_only=
maven_args=()
for arg in "$@"; do
  case $arg in
    --check) check_only=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) maven_args+=("$arg") ;;
  esac
done

case $db_port in
  ''|*[!0-9]*) say "TESSERA_TEST_DB_PORT must be a TCP port, was '$db_port'" >&2; exit 2 ;;
esac

can_install=
if [ -z "$check_only" ] && [ -z "${TESSERA_TEST_NO_INSTALL:-}" ] && [ "$(id -u)" = 0 ] && have apt-get; then
  can_install=1
fi
sudo=
[ "$(id -u)" = 0 ] || sudo="sudo "

# How to get a Debian package here, or what to do on a system without apt-get.
install_hint() {
  if have apt-get; then echo "${sudo}apt-get install -y $1"; else echo "$2"; fi
}

# --- probes: each records an ok line or a missing part (its Debian packages and one line saying what to do)
ok=()
missing=()
packages=()
db_state=
db_client=

found() { ok+=("$1"); }
lacks() { missing+=("$1"); [ -z "${2:-}" ] || packages+=($2); }

# "17.0.15" -> 17, "1.8.0_392" -> 8, "21-ea" -> 21
java_major() {
  local v=$1
  case $v in 1.*) v=${v#1.} ;; esac
  v=${v%%[!0-9]*}
  echo "${v:-0}"
}

probe_java() {
  if ! have java; then
    lacks "Java 17: no java on PATH; $(install_hint openjdk-17-jdk-headless 'install a Java 17 (or newer) JDK and put its bin/ on PATH')" openjdk-17-jdk-headless
    return
  fi
  local out version
  out=$(java -version 2>&1 || true)
  version=$(sed -n 's/.*version "\([^"]*\)".*/\1/p' <<<"$out" | sed -n 1p)
  if [ "$(java_major "$version")" -lt 17 ]; then
    lacks "Java 17: java on PATH ($(command -v java)) is ${version:-of unknown version}, the build needs 17 or newer; $(install_hint openjdk-17-jdk-headless 'install a Java 17 JDK and put it first on PATH')" openjdk-17-jdk-headless
  else
    found "Java $version ($(command -v java))"
  fi
}

probe_maven() {
  if ! have mvn; then
    lacks "Maven 3.8+: no mvn on PATH; $(install_hint maven 'install Maven 3.8 or newer from https://maven.apache.org/download.cgi')" maven
    return
  fi
  local out version java runtime major minor
  out=$(mvn -B -v 2>&1 | sed 's/\x1b\[[0-9;]*m//g' || true)
  version=$(sed -n 's/^Apache Maven \([0-9][0-9.]*\).*/\1/p' <<<"$out" | sed -n 1p)
  java=$(sed -n 's/^Java version: \([^,]*\),.*/\1/p' <<<"$out" | sed -n 1p)
  runtime=$(sed -n 's/.*, runtime: \(.*\)$/\1/p' <<<"$out" | sed -n 1p)
  IFS=. read -r major minor _ <<<"${version:-0.0}"
  if [ "${major:-0}" -lt 3 ] || { [ "$major" -eq 3 ] && [ "${minor:-0}" -lt 8 ]; }; then
    lacks "Maven 3.8+: mvn ($(command -v mvn)) is ${version:-of unknown version}; install Maven 3.8 or newer (https://maven.apache.org/download.cgi) and put it first on PATH"
  elif [ "$(java_major "$java")" -lt 17 ]; then
    lacks "Maven's Java: mvn runs on Java ${java:-of unknown version} (${runtime:-?}); set JAVA_HOME to a Java 17 (or newer) JDK"
  elif [ -n "$runtime" ] && [ ! -x "$runtime/bin/javac" ]; then
    lacks "Maven's Java: mvn runs on $runtime, which has no javac (a JRE); $(install_hint openjdk-17-jdk-headless 'install a Java 17 JDK and set JAVA_HOME to it')" openjdk-17-jdk-headless
  else
    found "Maven $version on Java $java"
  fi
}

# Sets db_state: up, down, denied, error (another answer) or unknown (no client to ask with).
probe_mariadb() {
  db_client=
  if have mariadb; then db_client=mariadb; elif have mysql; then db_client=mysql; fi
  if [ -z "$db_client" ]; then
    lacks "MariaDB client: no mariadb or mysql command (this script checks the server with it, local-cluster.sh creates its database with it); $(install_hint mariadb-client 'install the MariaDB (or MySQL) command-line client')" mariadb-client
    if timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$db_port" 2>/dev/null; then db_state=unknown; else db_state=down; fi
  else
    local out
    if out=$("$db_client" --no-defaults --protocol=TCP -h127.0.0.1 -P"$db_port" -uroot --connect-timeout=5 \
        -N -s -e 'SELECT VERSION()' 2>&1); then
      db_state=up
      found "MariaDB $(sed -n 1p <<<"$out") on 127.0.0.1:$db_port (root, no password)"
      return
    fi
    case $out in
      *"ERROR 1045"*|*"ERROR 1698"*) db_state=denied ;;
      *"ERROR 2002"*|*"ERROR 2003"*|*"ERROR 2005"*|*"ERROR 2013"*) db_state=down ;;
      *) db_state=error ;;
    esac
    if [ "$db_state" = error ]; then
      lacks "MariaDB: root with an empty password cannot use 127.0.0.1:$db_port: $(sed -n 1p <<<"$out")"
      return
    elif [ "$db_state" = denied ]; then
      lacks "MariaDB: 127.0.0.1:$db_port answers but root with an empty password cannot log in ($(sed -n 1p <<<"$out")); the tests log in so: on a test machine, ${sudo}mariadb -e \"ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')\""
      return
    fi
  fi
  if [ "$db_state" = down ]; then
    if [ -x /usr/sbin/mariadbd ] || have mariadbd; then
      lacks "MariaDB: nothing answers on 127.0.0.1:$db_port; start it (${sudo}mariadbd --user=mysql --bind-address=127.0.0.1 --port=$db_port &), or set TESSERA_TEST_DB_PORT to the port yours listens on"
    else
      lacks "MariaDB: nothing answers on 127.0.0.1:$db_port; install and start one ($(install_hint mariadb-server 'install MariaDB'), then ${sudo}mariadbd --user=mysql --bind-address=127.0.0.1 --port=$db_port &), or set TESSERA_TEST_DB_PORT to the port yours listens on" mariadb-server
    fi
  fi
}

# The major version in "Chromium 120.0.6099.224 built on Debian…" or "ChromeDriver 120.0.6099.224 (…)".
browser_major() { sed -n 's/^[^0-9]*\([0-9][0-9]*\)\..*/\1/p' <<<"$1" | sed -n 1p; }

probe_browser() {
  local chromium_version= driver_version=
  if [ -x "$chromium" ]; then
    chromium_version=$("$chromium" --version 2>/dev/null | sed -n 1p || true)
    found "${chromium_version:-Chromium} ($chromium)"
  else
    lacks "Chromium: $chromium not found (the UI end-to-end test drives it); $(install_hint chromium 'install Chromium, or set TESSERA_CHROMIUM to its binary')" chromium
  fi
  if [ -x "$chromedriver" ]; then
    driver_version=$("$chromedriver" --version 2>/dev/null | sed -n 1p || true)
    if [ -n "$chromium_version" ] && [ -n "$driver_version" ] \
        && [ "$(browser_major "$chromium_version")" != "$(browser_major "$driver_version")" ]; then
      lacks "chromedriver: $chromedriver is $driver_version, which cannot drive ${chromium_version%% built*}; $(install_hint 'chromium chromium-driver' 'install the chromedriver of the same version as your Chromium')" "chromium chromium-driver"
    else
      found "${driver_version:-chromedriver} ($chromedriver)"
    fi
  else
    lacks "chromedriver: $chromedriver not found (the UI end-to-end test drives Chromium through it); $(install_hint chromium-driver 'install the chromedriver of your Chromium version, or set TESSERA_CHROMEDRIVER to it')" chromium-driver
  fi
}

probe_tools() {
  if have curl; then found "curl ($(command -v curl))"; else
    lacks "curl: not on PATH (local-cluster.sh, which LocalClusterIT runs, polls the admins with it); $(install_hint curl 'install curl')" curl
  fi
  # ChaosShortIT starts a MariaDB of its own (own port and data directory) so that it can kill and restart it.
  if { [ -x /usr/sbin/mariadbd ] || have mariadbd; } && have mariadb-install-db; then
    found "mariadbd and mariadb-install-db (ChaosShortIT starts its own database server with them)"
  else
    lacks "mariadbd, mariadb-install-db: not found (ChaosShortIT starts a database server of its own with them, to restart it); $(install_hint mariadb-server 'install the MariaDB server package')" mariadb-server
  fi
  if have pgrep; then found "pgrep ($(command -v pgrep))"; else
    lacks "pgrep: not on PATH (the agent's command handler stops a shard's child processes with it); $(install_hint procps 'install procps')" procps
  fi
}

probe_all() {
  ok=(); missing=(); packages=(); db_state=
  probe_java
  probe_maven
  probe_mariadb
  probe_browser
  probe_tools
}

report() {
  local line
  for line in "${ok[@]}"; do say "ok: $line"; done
  for line in "${missing[@]}"; do say "missing: $line" >&2; done
}

# --- set-up, as root on Debian/Ubuntu

start_mariadb() {
  [ -x /usr/sbin/mariadbd ] || return 0
  if have pgrep && pgrep -x mariadbd >/dev/null; then
    say "a mariadbd runs but does not answer on 127.0.0.1:$db_port; not starting a second one"
    return 0
  fi
  say "starting MariaDB on 127.0.0.1:$db_port"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- \
    --user=mysql --bind-address=127.0.0.1 --port="$db_port"
  for _ in $(seq 1 60); do
    probe_mariadb >/dev/null 2>&1
    [ "$db_state" = down ] || return 0
    sleep 1
  done
}

set_up() {
  local installed_server=
  if [ ${#packages[@]} -gt 0 ]; then
    local unique
    unique=$(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ')
    say "installing ${unique% }"
    export DEBIAN_FRONTEND=noninteractive
    case " $unique " in *" mariadb-server "*) installed_server=1 ;; esac
    # shellcheck disable=SC2086 # one word per package
    if ! { apt-get update -qq && apt-get install -y -qq $unique >/dev/null; }; then
      say "apt-get could not install everything; what is still missing follows" >&2
    fi
    hash -r
    probe_all
  fi
  if [ "$db_state" = down ]; then
    start_mariadb
    probe_all
  fi
  # A MariaDB this run installed lets root in only through the socket; the tests log in over TCP.
  if [ "$db_state" = denied ] && [ -n "$installed_server" ] && [ -n "$db_client" ]; then
    say "letting root log in to the new MariaDB with an empty password, as the tests do"
    "$db_client" -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" || true
    probe_all
  fi
}

probe_all
if [ ${#missing[@]} -gt 0 ] && [ -n "$can_install" ]; then
  set_up
fi
report
if [ ${#missing[@]} -gt 0 ]; then
  if [ -n "$check_only" ]; then
    say "${#missing[@]} missing; scripts/test.sh (as root on Debian/Ubuntu) installs them" >&2
  else
    say "${#missing[@]} missing (above); Maven not started" >&2
  fi
  exit 1
fi
[ -z "$check_only" ] || exit 0

export TESSERA_TEST_DB_PORT=$db_port TESSERA_CHROMIUM=$chromium TESSERA_CHROMEDRIVER=$chromedriver
say "mvn -B verify ${maven_args[*]}"
exec mvn -B verify "${maven_args[@]}"
