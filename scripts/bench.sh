#!/usr/bin/env bash
# `make bench`: the benchmarks of every issue, printing figures (targets are shown next to them, not asserted).
#
#   BENCH_ONLY=http,startup,ingest,irt,pipelines,calibration,reports   sections to run (default: all)
#   BENCH_DIR=.seedtest-bench                                          where the benchmark databases live
#   BENCH_LEARNERS / BENCH_ITEMS / BENCH_DAYS                          pipeline data (default 100000 / 2000 / 90)
#   BENCH_BIN=path                                                     the binary to measure (default the release build),
#                                                                      e.g. an older build, to compare two on the same data
#
# The pipeline data set (about 10 million attempts) is generated once and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_BIN:-.build/release/seedtest-pipelines}
DIR=${BENCH_DIR:-.seedtest-bench}
ONLY=${BENCH_ONLY:-http,startup,ingest,irt,pipelines,calibration,reports}
LEARNERS=${BENCH_LEARNERS:-100000}
ITEMS=${BENCH_ITEMS:-2000}
DAYS=${BENCH_DAYS:-90}
TOKEN=bench-admin-token-0123456789
mkdir -p "$DIR"
SUMMARY="$DIR/summary.txt"
: > "$SUMMARY"

want() { [[ ",$ONLY," == *",$1,"* ]]; }
say() { echo "$*" | tee -a "$SUMMARY"; }
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
wait_ready() { for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.1; done; return 1; }
peak_rss_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
wrk_figures() { # url [extra wrk args...] → "N req/s, p99 X"
    local out
    out=$(wrk -t2 -c64 -d10s --latency "$@")
    echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s, p99 $(echo "$out" | awk '$1=="99%" {print $2}')"
}
serve() { # state-dir port → pid of the service
    PIPELINES_ADMIN_TOKEN=$TOKEN "$BIN" serve --state-dir "$1" --port "$2" > "$1.log" 2>&1 &
    echo $!
}
# `serve` runs in a command substitution, so the service is not this shell's child and `wait` cannot wait for it:
# poll until it (and with it the embedded PostgreSQL it stops) is gone.
stop() {
    kill -TERM "$1" 2>/dev/null || true
    while kill -0 "$1" 2>/dev/null; do sleep 0.1; done
}
post() { # port path json → response body; prints timing to stderr
    curl -sS --fail-with-body -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -X POST "http://127.0.0.1:$1$2" -d "$3"
}
count() { echo "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d$2)"; }

if want http; then
    say "== HTTP server (issue 2): wrk, 2 threads, 64 connections, 10 s; access log on"
    "$BIN" bench-server --port 18401 2>/dev/null &
    server=$!
    sleep 1
    say "GET /healthz: $(wrk_figures http://127.0.0.1:18401/healthz)   (target ≥ 90,000 req/s, p99 < 5 ms; issue 16)"
    say "GET /json-4k (4 KiB JSON, worker pool): $(wrk_figures http://127.0.0.1:18401/json-4k)   (target ≥ 40,000 req/s; issue 16)"
    say "GET /json-4k gzip: $(wrk_figures http://127.0.0.1:18401/json-4k -H 'Accept-Encoding: gzip')"
    python3 scripts/bench/idle_connections.py 127.0.0.1 18401 10000 > "$DIR/idle.txt" &
    idle=$!
    for _ in $(seq 1 600); do grep -q ready "$DIR/idle.txt" 2>/dev/null && break; sleep 0.1; done
    say "with 10,000 idle keep-alive connections, GET /healthz: $(wrk_figures http://127.0.0.1:18401/healthz)   (target p99 < 10 ms)"
    say "resident memory with 10,000 idle connections: $(peak_rss_mib $server) MiB peak   (target < 100 MiB)"
    kill "$idle"; stop "$server"
fi

if want startup; then
    say "== make run start-up (issue 3): fresh state directory, initdb, migrations, demo data, ready"
    rm -rf "$DIR/startup"
    start=$(now)
    PIPELINES_ADMIN_TOKEN=$TOKEN "$BIN" serve --state-dir "$DIR/startup" --port 18402 --load-demo-data > "$DIR/startup.log" 2>&1 &
    pid=$!
    wait_ready 18402
    say "ready after $(elapsed "$start") s   (target ≤ 15 s after the build)"
    stop "$pid"
fi

if want ingest; then
    say "== Ingest (issue 3): 1,000,000 attempts as gzip NDJSON in requests of 100,000"
    # Realistic input: the demo generator's answers (learners in sessions, day by day) as gzip NDJSON files of 100,000.
    if [[ ! -f "$DIR/ndjson/batch-009.ndjson.gz" ]]; then
        "$BIN" demo-data --learners 20000 --items 2000 --days 21 --answers-per-session 6 --seed 21 \
            --ndjson-out "$DIR/ndjson" > /dev/null
    fi
    ingest_files() { # port files... → attempts inserted
        local total=0 body
        for file in "${@:2}"; do
            body=$(curl -sS --fail-with-body -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-ndjson' \
                -H 'Content-Encoding: gzip' --data-binary "@$file" "http://127.0.0.1:$1/v1/attempts")
            # (no python here: its start-up would be timed with the requests)
            total=$((total + $(echo "$body" | grep -o '"inserted":[0-9]*' | cut -d: -f2)))
        done
        echo "$total"
    }
    files=("$DIR"/ndjson/batch-00?.ndjson.gz)
    rm -rf "$DIR/ingest"
    pid=$(serve "$DIR/ingest" 18403)
    wait_ready 18403
    start=$(now)
    inserted=$(ingest_files 18403 "${files[@]}")
    seconds=$(elapsed "$start")
    say "one client, 10 requests in turn: $inserted in $seconds s: $(echo "$inserted / $seconds" | bc) attempts/s"
    stop "$pid"
    rm -rf "$DIR/ingest"
    pid=$(serve "$DIR/ingest" 18403)
    wait_ready 18403
    start=$(now)
    ingest_files 18403 "${files[@]:0:5}" > "$DIR/ingest-a.txt" &
    first=$!
    ingest_files 18403 "${files[@]:5:5}" > "$DIR/ingest-b.txt" &
    second=$!
    wait "$first" "$second"
    seconds=$(elapsed "$start")
    inserted=$(( $(cat "$DIR/ingest-a.txt") + $(cat "$DIR/ingest-b.txt") ))
    say "two clients, 5 requests each: $inserted in $seconds s: $(echo "$inserted / $seconds" | bc) attempts/s   (target ≥ 150,000/s)"
    say "service peak resident memory: $(peak_rss_mib $pid) MiB"
    stop "$pid"
fi

if want irt; then
    say "== IRT engine (issue 4) and item fit (issue 17: fit adds ≤ 20 % to calibration)"
    "$BIN" irt bench | tee -a "$SUMMARY"
    say "item fit from the CLI: 5,000 × 50 complete with 5 planted misfits (misfits.csv lists them)"
    "$BIN" irt simulate --learners 5000 --items 50 --plant-misfits 5 --seed 7 --out "$DIR/irt-fit" 2>/dev/null
    "$BIN" irt calibrate --input "$DIR/irt-fit/responses.csv" --items-out "$DIR/irt-fit/items.out.csv" \
        --abilities-out "$DIR/irt-fit/abilities.out.csv" --item-fit-out "$DIR/irt-fit/fit.csv" 2>&1 | tee -a "$SUMMARY"
    say "== irt calibrate end to end (issue 16): 20,000 × 200, 4,000,000 responses (a 56 MB CSV)"
    "$BIN" irt simulate --learners 20000 --items 200 --seed 11 --out "$DIR/irt-large" 2>/dev/null
    start=$(now)
    "$BIN" irt calibrate --input "$DIR/irt-large/responses.csv" --items-out "$DIR/irt-large/items.out.csv" \
        --abilities-out "$DIR/irt-large/abilities.out.csv" 2> "$DIR/irt-large/calibrate.log"
    say "irt calibrate 20,000 × 200: $(elapsed "$start") s end to end   (target ≤ 1.2 s; before: 3.0–3.3 s)"
    say "   $(grep -o 'read [0-9.e-]* s, calibration [0-9.e-]* s, fit [0-9.e-]* s, write [0-9.e-]* s' "$DIR/irt-large/calibrate.log")"
fi

if want pipelines || want reports; then
    if [[ ! -f "$DIR/pipelines.loaded" ]]; then
        say "generating pipeline data: $LEARNERS learners, $ITEMS items, $DAYS days (once)"
        start=$(now)
        "$BIN" demo-data --state-dir "$DIR/pipelines" --learners "$LEARNERS" --items "$ITEMS" --days "$DAYS" \
            --answers-per-session 2 --seed 5 2> "$DIR/demo.log" | tee -a "$SUMMARY"
        say "generated in $(elapsed "$start") s"
        touch "$DIR/pipelines.loaded"
    fi
fi

if want pipelines; then
    say "== Pipelines (issue 5) on $LEARNERS learners, $ITEMS items, $DAYS days"
    pid=$(serve "$DIR/pipelines" 18404)
    wait_ready 18404
    for stage in compute-daily-kpis aggregate-features-daily detect-inactivity; do
        start=$(now)
        body=$(post 18404 "/v1/pipelines/$stage" '{}')
        say "$stage: $(elapsed "$start") s end to end; counts $(count "$body" "['counts']")"
    done
    say "   (targets: compute-daily-kpis ≤ 60 s, aggregate-features-daily over 7 days ≤ 30 s, detect-inactivity ≤ 15 s)"
    user=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:18404/v1/kpis?limit=1" | python3 -c "import json,sys; print(json.load(sys.stdin)['items'][0]['user_id'])")
    say "GET one learner's KPIs (cached): $(wrk_figures "http://127.0.0.1:18404/v1/users/$user/kpis" -H "Authorization: Bearer $TOKEN")   (target ≥ 10,000 req/s, p99 < 10 ms)"
    say "GET learners' KPIs, every request a cache miss: $(wrk_figures http://127.0.0.1:18404 -s scripts/bench/kpi_miss.lua -H "Authorization: Bearer $TOKEN")"
    say "service peak resident memory: $(peak_rss_mib $pid) MiB   (target ≤ 1 GiB)"
    stop "$pid"
fi

if want calibration; then
    say "== calibrate-irt (issue 6): 50,000 learners × 1,000 items, 2,000,000 responses"
    if [[ ! -f "$DIR/calibration.loaded" ]]; then
        "$BIN" demo-data --state-dir "$DIR/calibration" --learners 50000 --items 1000 --days 30 \
            --answers-per-session 6 --seed 9 2> "$DIR/demo-calibration.log" | tee -a "$SUMMARY"
        touch "$DIR/calibration.loaded"
    fi
    pid=$(serve "$DIR/calibration" 18405)
    wait_ready 18405
    start=$(now)
    body=$(post 18405 /v1/pipelines/calibrate-irt '{"max_obs": 2000000, "min_item_responses": 30}')
    say "calibrate-irt: $(elapsed "$start") s end to end (load, calibrate, write); counts $(count "$body" "['counts']")   (target ≤ 4 s, issue 16; before: 12.1–12.7 s)"
    phase() { grep "msg=\"\?$1" "$DIR/calibration.log" | tail -1 | grep -o 'seconds=[0-9.e-]*' | cut -d= -f2; }
    say "   load $(phase 'loaded responses') s, calibrate with EAP $(phase calibrated) s, fit $(phase 'analysed fit') s, write (with drift) $(phase 'wrote results') s"
    say "service peak resident memory: $(peak_rss_mib $pid) MiB   (target ≤ 1 GiB)"
    stop "$pid"
fi

if want reports; then
    say "== generate-weekly-report (issue 7) on $LEARNERS learners"
    pid=$(serve "$DIR/pipelines" 18406)
    wait_ready 18406
    week=$(python3 -c "import datetime as d; t=d.date.today(); m=t-d.timedelta(days=t.weekday()+7); print(m)")
    sunday=$(python3 -c "import datetime as d; print(d.date.fromisoformat('$week')+d.timedelta(days=6))")
    # As the nightly schedule leaves it: abilities fitted, the week's KPIs computed.
    post 18406 /v1/pipelines/calibrate-irt '{"max_obs": 2000000}' > /dev/null
    post 18406 /v1/pipelines/compute-daily-kpis "{\"date\": \"$sunday\"}" > /dev/null
    start=$(now)
    body=$(post 18406 /v1/pipelines/generate-weekly-report "{\"week_start\": \"$week\"}")
    say "generate-weekly-report for $week: $(elapsed "$start") s end to end; counts $(count "$body" "['counts']")   (target ≤ 300 s, median ≤ 30 KiB gzipped)"
    say "service peak resident memory: $(peak_rss_mib $pid) MiB"
    stop "$pid"
fi

echo
echo "Summary (also in $SUMMARY):"
cat "$SUMMARY"
