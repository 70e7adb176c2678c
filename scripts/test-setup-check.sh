#!/usr/bin/env bash
# Tests scripts/test.sh's checks for real, in a few seconds, without installing anything: it runs the
# script where a part is missing and asserts that the script stops at once, before Maven, naming
# that part in exactly one line.
#   1. chromedriver hidden (not on PATH, TESSERA_CHROMEDRIVER at a path that does not exist), the
#      real command as a user who cannot install (nobody, or TESSERA_TEST_NO_INSTALL=1 where that
#      is impossible): exit 1 within seconds, one line names chromedriver, Maven not started.
#   2. the same with --check (installs nothing, even as root).
#   3. MariaDB pointed at a port nothing listens on (TESSERA_TEST_DB_PORT): one line names MariaDB
#      and that port.
#   4. a port that is not a number: refused before anything else.
# Used by .ci/run before the suite; run it alone with `bash scripts/test-setup-check.sh`.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
script=$repo/scripts/test.sh
limit=20   # seconds; the checks take about one (mvn -v is the slowest)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
failures=0
pass() { echo "test-setup-check: ok: $*"; }
fail() { echo "test-setup-check: FAIL: $*" >&2; failures=$((failures + 1)); }

# A PATH with everything on this one except chromedriver.
bin=$work/bin
mkdir "$bin"
IFS=: read -r -a dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  [ -d "$dir" ] || continue
  for file in "$dir"/*; do
    name=${file##*/}
    [ -x "$file" ] && [ ! -e "$bin/$name" ] && [ "$name" != chromedriver ] && ln -s "$file" "$bin/$name"
  done
done
hidden_path=$bin
no_driver=$work/nowhere/chromedriver

# Who runs the script without the right to install: this user if not root, else nobody if it can
# read the repository, else root told not to install.
as_user=()
who="as $(id -un)"
if [ "$(id -u)" = 0 ]; then
  if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1 \
      && setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups test -x "$script"; then
    as_user=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
    who="as nobody"
  else
    as_user=(env TESSERA_TEST_NO_INSTALL=1)
    who="as root with TESSERA_TEST_NO_INSTALL=1"
  fi
fi

# run NAME ENV... -- ARGS...: runs the script, leaves its output in $out, exit status in $rc, seconds in $took
run() {
  local name=$1; shift
  local env=()
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  local started=$SECONDS
  rc=0
  (cd "$work" && "${as_user[@]}" env "${env[@]}" timeout $((limit * 3)) bash "$script" "$@") >"$work/$name.out" 2>&1 || rc=$?
  took=$((SECONDS - started))
  out=$(cat "$work/$name.out")
}

# expect_one NAME WORD LINE: the run exited 1 in time, exactly one line of its output mentions WORD
# (ignoring case), and that line starts with LINE (a missing part's line)
expect_one() {
  local name=$1 word=$2 line=$3 count
  count=$(grep -ci -- "$word" <<<"$out" || true)
  if [ "$rc" != 1 ]; then fail "$name: exit status $rc, expected 1"; sed 's/^/    /' <<<"$out" >&2; return; fi
  if [ "$took" -gt "$limit" ]; then fail "$name: took ${took}s, more than ${limit}s"; return; fi
  if [ "$count" != 1 ]; then fail "$name: $count lines mention '$word', expected 1"; sed 's/^/    /' <<<"$out" >&2; return; fi
  if ! grep -i -- "$word" <<<"$out" | grep -q -- "^$line"; then
    fail "$name: the line that mentions '$word' does not start with '$line'"; sed 's/^/    /' <<<"$out" >&2; return
  fi
  pass "$name ($who, ${took}s): $(grep -i -- "$word" <<<"$out")"
}

run no-chromedriver PATH="$hidden_path" TESSERA_CHROMEDRIVER="$no_driver" --
expect_one "no chromedriver, real command" chromedriver "test.sh: missing: chromedriver: $no_driver not found"
grep -q "Maven not started" <<<"$out" || fail "no chromedriver: no 'Maven not started'"
if grep -q "\[INFO\]\|BUILD" <<<"$out"; then fail "no chromedriver: Maven ran"; fi

run check-no-chromedriver PATH="$hidden_path" TESSERA_CHROMEDRIVER="$no_driver" -- --check
expect_one "no chromedriver, --check" chromedriver "test.sh: missing: chromedriver: $no_driver not found"

# A port nothing listens on: one that was free a moment ago.
port=
for candidate in 39171 41263 45337 47819 50923; do
  if ! timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$candidate" 2>/dev/null; then port=$candidate; break; fi
done
if [ -z "$port" ]; then
  fail "no free port found to point MariaDB at"
else
  run no-mariadb TESSERA_TEST_DB_PORT="$port" -- --check
  # "MariaDB:" is the server's line; a missing client has a line of its own ("MariaDB client:").
  expect_one "no MariaDB, --check" "MariaDB:" "test.sh: missing: MariaDB: nothing answers on 127.0.0.1:$port;"
fi

run bad-port TESSERA_TEST_DB_PORT=3306x -- --check
if [ "$rc" = 2 ] && grep -q "TESSERA_TEST_DB_PORT must be a TCP port" <<<"$out"; then
  pass "a port that is not a number is refused (exit 2)"
else
  fail "bad port: exit status $rc: $out"
fi

if [ "$failures" -gt 0 ]; then
  echo "test-setup-check: $failures failed" >&2
  exit 1
fi
echo "test-setup-check: all passed"
