#!/usr/bin/env bash
# kesu, the peer (django-helpdesk 2.6.1) and the floor (a bare Django insert), measured one server
# at a time on the same PostgreSQL, within one sitting (see ../shared/bench/README.md: on these
# machines only a ratio measured side by side means anything).
#
#   bash bench/side_by_side.sh                       # 3 runs of 15 s per wrk scenario
#   DURATION=10 RUNS=1 bash bench/side_by_side.sh    # a quick trial
#
# Needs the data loaded once (the commands, from the repository root):
#   kesu:  createdb kesu_bench; DATABASE_URL=$KESU_DB .venv/bin/python -m kesu migrate
#          DATABASE_URL=$KESU_DB .venv/bin/python -m bench.generate --complaints 1000000
#          DATABASE_URL=$KESU_DB .venv/bin/python -m bench.sla_sweep --setup-only   # 3M clocks
#   peer:  PEERHD_RESET=1 bash $SHARED/bench/peer-helpdesk/setup.sh
#          (cd $PEERHD_ROOT/project && $PEERHD_ROOT/venv/bin/python \
#             $SHARED/bench/peer-helpdesk/load_data.py --tickets 1000000 --truncate)
#   floor: CREATE DATABASE floor OWNER peerhd; python floorapp.py (in its folder); 1M rows
#          inserted with generate_series (optional: the table has no secondary index).
# Writes $OUT/results.md (the table) and $OUT/{kesu,peer,floor}/ (raw wrk output, JSON).
# Created rows are deleted again in all three systems, so the data sets stay at N.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
PEER=$SHARED/bench/peer-helpdesk
FLOOR=$SHARED/bench/floor
export PEERHD_ROOT=${PEERHD_ROOT:-/tmp/peerhd} PEERHD_DB=pg PYTHONDONTWRITEBYTECODE=1
PY=${PY:-$REPO/.venv/bin/python}                  # kesu's virtualenv
PEER_PY=$PEERHD_ROOT/venv/bin/python              # the peer's (also serves the floor)
KESU_APP_DIR=${KESU_APP_DIR:-$REPO}               # the checkout gunicorn serves (a clean export?)
PG=${PG:-postgres://postgres@127.0.0.1:5432}
KESU_DB=${KESU_DB:-$PG/kesu_bench}
OUT=${OUT:-/tmp/side_by_side}
DURATION=${DURATION:-15}; RUNS=${RUNS:-3}; WARMUP=${WARMUP:-3}
QUIET_WAIT=${QUIET_WAIT:-60}                      # s to wait for < 20 % busy before each run
SERIAL_N=${SERIAL_N:-3}                           # samples of the peer's searches (~10 s each)
WORD2=${WORD2:-刹车}; WORD4=${WORD4:-刹车失灵}
KESU_TRIES=${KESU_TRIES:-3}; KESU_RETRY_WAIT=${KESU_RETRY_WAIT:-180}
PEERHD_PORT=${PEERHD_PORT:-8011}; FLOOR_PORT=${FLOOR_PORT:-8099}; export PEERHD_PORT
mkdir -p "$OUT"/{kesu,peer,floor}
rm -f "$OUT"/{kesu,peer,floor}/*
log() { printf '\n== %s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
quiet() { (cd "$REPO" && "$PY" -c "from bench.measure import wait_for_quiet as w; b = w($QUIET_WAIT)
print(f'  (machine {b:.0f} % busy before the run, load', open('/proc/loadavg').read().split()[0] + ')')"); }
FLOOR_PID=""
cleanup() { bash "$PEER/server.sh" stop >/dev/null 2>&1 || true; [ -z "$FLOOR_PID" ] || kill "$FLOOR_PID" 2>/dev/null || true; }
trap cleanup EXIT
date -u +%FT%TZ > "$OUT/started"

# wrk with a Lua script; one file per run: $OUT/<system>/<scenario>.run<r>.txt
wrk_to() { local file=$1; shift; timeout $((DURATION + 150)) wrk "$@" > "$file" 2>&1 || true; grep -h 'RESULT' "$file" || echo "  (no result: see $file)"; }

# ---------------------------------------------------------------- kesu: its own bench/ tools
log "kesu: measure ($KESU_APP_DIR, $KESU_DB)"
for try in $(seq 1 "$KESU_TRIES"); do
  if (cd "$KESU_APP_DIR" && "$PY" -m bench.measure --database-url "$KESU_DB" --app-dir "$KESU_APP_DIR" \
        --tokens "$REPO/bench/results/tokens.json" --duration "$DURATION" --runs "$RUNS" --warmup "$WARMUP" \
        --quiet-wait "$QUIET_WAIT" --word2 "$WORD2" --word4 "$WORD4" \
        --only queue_c1 search2_agent_c1 search4_agent_c1 search2_admin_c1 search4_admin_c1 create_c2 create_c16) 2>&1 | tee "$OUT/kesu/measure.log"
  then break; fi
  tail -5 "$KESU_APP_DIR"/bench/results/gunicorn-*.log 2>/dev/null | tail -5
  [ "$try" = "$KESU_TRIES" ] && { echo "kesu measure failed $try times; going on without it"; break; }
  echo "kesu measure failed (try $try; in-progress edits?): retrying in $KESU_RETRY_WAIT s"; sleep "$KESU_RETRY_WAIT"
done
json=$(grep -o 'written [^;]*measure-[0-9-]*\.json' "$OUT/kesu/measure.log" | tail -1 | cut -d' ' -f2 || true)
[ -z "$json" ] || cp "$json" "$OUT/kesu/measure.json"

log "kesu: SLA sweep, 10,000 clocks due"
(cd "$KESU_APP_DIR" && DATABASE_URL=$KESU_DB "$PY" -m bench.sla_sweep --skip-setup --due 10000 --runs "$RUNS" \
   --no-explain --quiet-wait "$QUIET_WAIT") 2>&1 | tee "$OUT/kesu/sla-sweep.log" || true
json=$(grep -o 'written .*sla-sweep-[0-9-]*\.json' "$OUT/kesu/sla-sweep.log" | tail -1 | cut -d' ' -f2 || true)
[ -z "$json" ] || cp "$json" "$OUT/kesu/sla-sweep.json"

# ---------------------------------------------------------------- the peer: its own scripts
log "peer: django-helpdesk on :$PEERHD_PORT"
bash "$PEER/server.sh" start
B=http://127.0.0.1:$PEERHD_PORT
eval "$("$PEER_PY" "$PEER/auth_info.py")"          # TOKEN, SESSION, QUEUE_ID, NQUEUES
COOKIE="sessionid=$SESSION"
urlq() { python3 -c "import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))" "$1"; }
# the DataTables JSON URL the list page calls (a base64 query built by helpdesk), as run.sh finds it
dt_url() { echo "/$(curl -s --max-time 300 -b "$COOKIE" "$B$1" | grep -o 'datatables_ticket_list/[^"]*' | head -1)?draw=1&start=0&length=25"; }
LIST=$(dt_url "/tickets/?queue=$QUEUE_ID&status=1")
S2=$(dt_url "/tickets/?q=$(urlq "$WORD2")&search_type=header")
S4=$(dt_url "/tickets/?q=$(urlq "$WORD4")&search_type=header")
printf '%s\n' "list_data $LIST" "search2 $S2" "search4 $S4" > "$OUT/peer/urls.txt"
MAXID=$("$PEER_PY" -c "import sys;sys.path.insert(0,'$PEERHD_ROOT/project');import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','peerhd.settings');django.setup()
from helpdesk.models import Ticket;from django.db.models import Max;print(Ticket.objects.aggregate(m=Max('id'))['m'])")
peer_wrk() { # scenario run threads conns method path; as run.sh: reads with the cookie, creates with the token
  local tok="" ck="$COOKIE"; [ "$5" = GET ] || { tok=$TOKEN; ck=""; }
  WRK_METHOD=$5 WRK_TOKEN=$tok WRK_COOKIE=$ck WRK_NQUEUES=$NQUEUES MAX_REQ=0 WRK_THREADS=$3 WRK_LABEL=$1 \
    wrk_to "$OUT/peer/$1.run$2.txt" -t"$3" -c"$4" -d"${DURATION}s" --timeout 120s -s "$PEER/bench.lua" "$B$6"
}
for p in 1 2 3; do curl -s -o /dev/null --max-time 300 -b "$COOKIE" "$B$LIST" || true; done   # warm-up
for r in $(seq 1 "$RUNS"); do quiet; peer_wrk list_data "$r" 1 1 GET "$LIST"; done
for s in search2:"$S2" search4:"$S4"; do   # seconds per request at 1M: a few sequential samples
  curl -s -o /dev/null --max-time 300 -b "$COOKIE" "$B${s#*:}" || true; quiet                # warm-up
  timeout 1900 "$PEER_PY" "$PEER/serial.py" "$B${s#*:}" -n "$SERIAL_N" -H "Cookie: $COOKIE" --max-time 300 \
    --deadline 900 --label "${s%%:*}" | tee "$OUT/peer/${s%%:*}.run1.txt" || true
done
WRK_METHOD=POST_TICKET WRK_TOKEN=$TOKEN WRK_NQUEUES=$NQUEUES MAX_REQ=0 WRK_THREADS=2 \
  timeout 60 wrk -t2 -c16 -d"${WARMUP}s" -s "$PEER/bench.lua" "$B/api/tickets/" >/dev/null 2>&1 || true
for r in $(seq 1 "$RUNS"); do
  quiet; peer_wrk create_c2 "$r" 2 2 POST_TICKET /api/tickets/
  quiet; peer_wrk create_c16 "$r" 2 16 POST_TICKET /api/tickets/
done
bash "$PEER/server.sh" stop
"$PEER_PY" -c "import sys;sys.path.insert(0,'$PEERHD_ROOT/project');import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','peerhd.settings');django.setup()
from helpdesk.models import Ticket;print('peer: deleted', Ticket.objects.filter(id__gt=$MAXID).delete())"

# ---------------------------------------------------------------- the floor
log "floor: bare Django insert on :$FLOOR_PORT"
FLOOR_MAX=$(psql "$PG/floor" -tAc 'select coalesce(max(id),0) from floor_row')
"$PEERHD_ROOT/venv/bin/gunicorn" -w 2 -b "127.0.0.1:$FLOOR_PORT" --chdir "$FLOOR" floorapp:application \
  > "$OUT/floor/gunicorn.log" 2>&1 & FLOOR_PID=$!
for i in $(seq 1 60); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$FLOOR_PORT/")" != 000 ] && break; sleep 0.5; done
# kesu's wrk script (it reports p95) with post.lua's body; the token column is ignored by the floor
body=$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$FLOOR/post.lua")
printf 'POST\t/c\t-\t%s\n' "$body" > "$OUT/floor/requests.tsv"
floor_wrk() { KESU_REQUESTS=$OUT/floor/requests.tsv wrk_to "$OUT/floor/$1.run$2.txt" -t2 -c"$3" -d"${4}s" \
  --timeout 10s -s "$REPO/bench/wrk/kesu.lua" "http://127.0.0.1:$FLOOR_PORT/c"; }
floor_wrk warmup 0 16 "$WARMUP" >/dev/null
for r in $(seq 1 "$RUNS"); do quiet; floor_wrk create_c2 "$r" 2 "$DURATION"; quiet; floor_wrk create_c16 "$r" 16 "$DURATION"; done
kill "$FLOOR_PID"; wait "$FLOOR_PID" 2>/dev/null || true; FLOOR_PID=""
psql "$PG/floor" -qc "delete from floor_row where id > $FLOOR_MAX"

# ---------------------------------------------------------------- the table
log "results"
"$PY" - "$OUT" "$DURATION" "$RUNS" "$WORD2" "$WORD4" <<'EOF' | tee "$OUT/results.md"
import glob, json, os, re, statistics as st, sys
out, duration, runs, W2, W4 = sys.argv[1:6]
def load(p):
    return json.load(open(p)) if os.path.exists(p) else {}
def wrk_runs(system, scenario):
    rows = []
    for f in sorted(glob.glob(f"{out}/{system}/{scenario}.run*.txt")):
        for line in open(f):
            m = re.match(r"(KESU_)?RESULT (.*)", line)
            if not m:
                continue
            r = json.loads(m.group(2))
            if m.group(1):  # kesu.lua: microseconds
                r = {"rps": r["requests"] / (r["duration_us"] / 1e6), "p50_ms": r["p50_us"] / 1e3, "p95_ms": r["p95_us"] / 1e3,
                     "errors": sum(v for k, v in r.items() if k.startswith("errors_"))}
            elif r.get("mode") == "serial":  # a few sequential samples: p95 = the slowest
                r = {"rps": r["rps"], "p50_ms": r["p50_ms"], "p95_ms": r["max_ms"], "serial": len(r["samples_ms"]),
                     "errors": sum(c != 200 for c in r["codes"])}
            else:
                r = {"rps": r["rps"], "p50_ms": r["p50_ms"], "p95_ms": r["p95_ms"], "errors": r["non_2xx"] + r["socket_errors"] + r["timeouts"]}
            rows.append(r)
    return rows
def med(rows):
    if not rows or any(r["p50_ms"] is None for r in rows):
        return None
    return {k: st.median(r[k] for r in rows) for k in ("rps", "p50_ms", "p95_ms")} | {
        "errors": sum(r["errors"] for r in rows), "serial": rows[0].get("serial")}
measure, sweep = load(f"{out}/kesu/measure.json"), load(f"{out}/kesu/sla-sweep.json")
kesu = {s["name"]: {k: s[k] for k in ("rps", "p50_ms", "p95_ms")} | {"serial": s["sequential"] and "few",
                    "errors": sum(r["errors"] for r in next(x for x in measure["scenarios"] if x["name"] == s["name"])["runs"])}
        for s in measure.get("summary", [])}
sw = sweep.get("summary", {}).get("10000")
if sw:
    kesu["sweep"] = {"rps": None, "p50_ms": sw["median_ms"], "p95_ms": sw["p95_ms"], "errors": 0, "serial": None}
peer = {s: med(wrk_runs("peer", s)) for s in ("create_c16", "create_c2", "list_data", "search2", "search4")}
floor = {s: med(wrk_runs("floor", s)) for s in ("create_c16", "create_c2")}
def cell(r, rate=False):
    if not r:
        return "—"
    t = f"{r['rps']:.1f} /s (p95 {r['p95_ms']:.1f} ms)" if rate else f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} ms"
    if r.get("serial"):
        t += f" (sequential, n={r['serial']}: p95 = slowest)"
    return t + (f" **{r['errors']} errors**" if r["errors"] else "")
git = measure.get("git", {})
print(f"## Side by side, started {open(out + '/started').read().strip()}, {os.cpu_count()} cores\n")
print(f"kesu `{git.get('commit')}` (uncommitted files in kesu/: {git.get('kesu_uncommitted_files')}), "
      f"{measure.get('database_complaints')} complaints; queue/search agent {measure.get('agent')} "
      f"({measure.get('agent_dealer_complaints')} complaints of its dealer). wrk: median of {runs} run(s) of {duration} s; "
      f"cells are median / p95 unless a rate.\n")
rows = [
    ("create, c=16", kesu.get("create_c16"), peer["create_c16"], floor["create_c16"], True),
    ("create, c=2", kesu.get("create_c2"), peer["create_c2"], floor["create_c2"], False),
    ("work queue by status, first page, c=1", kesu.get("queue_c1"), peer["list_data"], None, False),
    (f"search {W2}, all rows (kesu: administrator), c=1", kesu.get("search2_admin_c1"), peer["search2"], None, False),
    (f"search {W4}, all rows, c=1", kesu.get("search4_admin_c1"), peer["search4"], None, False),
    (f"search {W2}, a dealer's agent, c=1", kesu.get("search2_agent_c1"), None, None, False),
    (f"search {W4}, a dealer's agent, c=1", kesu.get("search4_agent_c1"), None, None, False),
    ("SLA sweep, 10,000 of 3M clocks due", kesu.get("sweep"), None, None, False),
]
print("| measure | kesu | django-helpdesk | floor |\n|---|---|---|---|")
for name, k, p, f, rate in rows:
    print(f"| {name} | {cell(k, rate)} | {cell(p, rate)} | {cell(f, rate)} |")
k, p, f = kesu.get("create_c16"), peer["create_c16"], floor["create_c16"]
if k and p and f:
    print(f"\ncreate c=16 ratios: kesu / floor {k['rps'] / f['rps']:.2f}, kesu / peer {k['rps'] / p['rps']:.1f}, "
          f"peer / floor {p['rps'] / f['rps']:.2f}")
EOF
log "done: $OUT/results.md"
