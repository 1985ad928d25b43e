#!/usr/bin/env bash
# The real binary, as a user or cron calls it: exit codes from the process, output on the right
# streams, nothing written by a refused study. Usage: run.sh PATH/TO/respbench
set -uo pipefail
bin="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"
passed=0
failed=0

check() {  # check DESCRIPTION COMMAND...: passes when the command succeeds
  local what="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $what" >&2
  fi
}
expect_exit() {  # expect_exit CODE COMMAND...
  local want="$1"
  shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || { echo "exit $got, expected $want: $*" >&2; cat "$tmp/err" >&2; return 1; }
}

# The issue's own acceptance line, in real time.
check "init/check/plan/status --json on a new study" bash -c \
  "'$bin' init '$tmp/s' >/dev/null && '$bin' check --study '$tmp/s' >/dev/null && '$bin' plan --study '$tmp/s' >/dev/null && '$bin' status --study '$tmp/s' --json > '$tmp/status.json'"
check "status --json is JSON with 15 planned inquiries" python3 -c "
import json,sys; d=json.load(open('$tmp/status.json')); sys.exit(0 if d['totals']['planned']==15 and d['totals']['all']==15 else 1)"

# The sample study at the repository root is valid and plans 380 inquiries.
mkdir -p "$tmp/sample" && cp -r "$root/respbench.conf" "$root/companies.csv" "$root/probes" "$tmp/sample/"
check "check accepts the sample study" expect_exit 0 "$bin" check --study "$tmp/sample" --now 2026-03-01T18:00
check "plan plans the sample study" expect_exit 0 "$bin" plan --study "$tmp/sample" --now 2026-03-01T18:00
check "380 inquiries in the ledger" test "$(python3 -c "
import sqlite3; print(sqlite3.connect('$tmp/sample/respbench.db').execute('select count(*) from inquiries').fetchone()[0])")" = 380

# An invalid study: exit 2, all errors on stderr, no ledger.
mkdir -p "$tmp/bad" && cp -r "$root/respbench.conf" "$root/probes" "$tmp/bad/"
printf 'id,name,sector,email,facebook\na,A AG,banks,a@a.test,\nb,B AG,banks,not-an-address,\na,A2 AG,banks,x@a.test,\nc,"C AG,banks,c@c.test,\n' >"$tmp/bad/companies.csv"
check "an invalid study exits 2" expect_exit 2 "$bin" plan --study "$tmp/bad" --now 2026-03-01T18:00
check "all three errors are printed" test "$(grep -c '^companies.csv:[0-9]*:' "$tmp/err")" = 3
check "nothing written for an invalid study" test ! -e "$tmp/bad/respbench.db"

# A second writer while the study is locked: exit 75, silent with --quiet.
check "a locked study exits 75" bash -c "flock '$tmp/sample/respbench.lock' '$bin' plan --study '$tmp/sample' --quiet --now 2026-03-01T18:00 > '$tmp/locked.out' 2>&1; test \$? -eq 75 && test ! -s '$tmp/locked.out'"

check "a second run while one holds the study exits 75 at once, silently with --quiet" bash -c "flock '$tmp/sample/respbench.lock' '$bin' run --study '$tmp/sample' --quiet > '$tmp/locked.out' 2>&1; test \$? -eq 75 && test ! -s '$tmp/locked.out'"
check "docs/config-keys.md is what the key table says (regenerate: respbench help config --markdown)" \
  bash -c "'$bin' help config --markdown | diff -u '$root/docs/config-keys.md' -"
check "--version" expect_exit 0 "$bin" --version
check "unknown command exits 2" expect_exit 2 "$bin" frobnicate
check "report with an unknown language exits 2" expect_exit 2 "$bin" report --study "$tmp/sample" --lang fr
check "report --help lists its options" bash -c "'$bin' report --help | grep -q -- '--csv-dialect'"
for c in sent reply assign classify import-messenger; do
  check "$c --help shows its options although they are required" bash -c "'$bin' $c --help | grep -q -- 'Options of $c'"
done
check "status without a ledger exits 1" expect_exit 1 "$bin" status --study "$tmp/bad"

# explain: any message file, no study needed; JSON for scripts; stdin with "-".
check "explain works in a folder without a study (Postfix's real DSN)" bash -c "
  cd '$tmp' && '$(realpath "$bin")' explain '$root/tests/messages/postfix-dsn.eml' --json > explain.json" 
check "explain --json has kind, reasons and the bounce's details" python3 -c "
import json,sys; d=json.load(open('$tmp/explain.json'))
ok = d['kind']=='bounce' and d['reasons'] and d['status']=='5.1.1' and d['recipient']=='nobody@bounce.test' \
  and d['original_message_id']=='inq-42.7f3a@shopper.test' and d['hard'] is True and d['uncertain'] is False \
  and d['subject']=='Undelivered Mail Returned to Sender' and d['from']=='mailer-daemon@mail.rig.test' and d['message_id']
sys.exit(0 if ok else 1)"
check "explain reads standard input and prints the kind, the reasons and the text" bash -c "
  '$bin' explain - < '$root/tests/messages/ooo-de-exchange.eml' > '$tmp/explain.txt' &&
  grep -q '^kind: *out_of_office' '$tmp/explain.txt' && grep -q '^reasons: ' '$tmp/explain.txt' &&
  grep -q 'nicht im Büro' '$tmp/explain.txt'"
check "explain of a file that is no message still answers: other, not a mail message" bash -c "
  '$bin' explain --json '$root/tests/messages/other-not-a-message.txt' | python3 -c '
import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"kind\"]==\"other\" and d[\"malformed\"] else 1)'"
check "explain of an unreadable file exits 1 with an error" expect_exit 1 "$bin" explain "$tmp/no-such.eml"
check "  … and says which file" grep -q "no-such.eml" "$tmp/err"

rm -rf "$tmp"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
