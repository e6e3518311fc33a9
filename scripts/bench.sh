#!/usr/bin/env bash
# `make bench`: the benchmarks of every issue, printing figures (targets are shown next to them, not asserted).
#
#   BENCH_ONLY=http,startup,ingest,irt,pipelines,calibration,reports   sections to run (default: all)
#   BENCH_DIR=.seedtest-bench                                          where the benchmark databases live
#   BENCH_LEARNERS / BENCH_ITEMS / BENCH_DAYS                          pipeline data (default 100000 / 2000 / 90)
#   BENCH_BIN=path                                                     the binary to measure (default the release build),
#                                                                      e.g. an older build, to compare two on the same data
#   BENCH_DATA=state-dir                                               a stopped service's state directory holding the
#                                                                      pipeline data: copied instead of generating it
#
# The pipeline data set (about 10 million attempts) is generated (or copied from BENCH_DATA) once and reused by later
# runs. Issue 16's floors: each stage is timed beside PostgreSQL alone reading the stage's input (`bench-floor`), and
# the HTTP ingest beside binary COPY of the same rows pre-encoded by the ingest path's encoder (`bench-encode-attempts`).
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
rm -f "$DIR/floors.txt"

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
# The libpq connection string of the embedded cluster a running service started in a state directory: the socket
# directory and port from its postmaster.pid (lines 5 and 4).
database_url() {
    local pidfile="$1/postgres/data/postmaster.pid"
    [[ -f "$pidfile" ]] || { echo "no running cluster in $1 (its data directory moved?)" >&2; return 1; }
    echo "host=$(sed -n 5p "$pidfile") port=$(sed -n 4p "$pidfile") user=postgres dbname=seedtest"
}
reset_peak_rss() { echo 5 > "/proc/$1/clear_refs"; }  # resets VmHWM to the current resident size
min_of() { echo "$1 $2" | awk '{print ($1 < $2) ? $1 : $2}'; }
max_of() { echo "$1 $2" | awk '{print ($1 > $2) ? $1 : $2}'; }
ratio() { echo "$1 $2" | awk '{printf "%.2f", $1 / $2}'; }
seconds() { echo "$1" | awk '{printf "%.2f", $1}'; }
# A stage against its floor (issue 16): the stage through the service, then at once, on the same warm cache,
# PostgreSQL alone streaming the stage's input (`bench-floor`, the same parameters), twice; the better of each is
# printed, with the higher of the two peaks of the service's resident memory (reset before each stage).
stage_vs_floor() { # port service-pid state-dir stage json target-ratio
    local port=$1 pid=$2 state=$3 stage=$4 json=$5 target=$6
    local best_stage=999999 best_floor=999999 peak=0 rows="" body start seconds floor
    for _ in 1 2; do
        reset_peak_rss "$pid"
        start=$(now)
        body=$(post "$port" "/v1/pipelines/$stage" "$json")
        seconds=$(elapsed "$start")
        peak=$(max_of "$peak" "$(peak_rss_mib "$pid")")
        floor=$("$BIN" bench-floor --database-url "$(database_url "$state")" --stage "$stage" --parameters "$json")
        echo "$floor" | sed "s/^/   $stage floor, /" >> "$DIR/floors.txt"
        best_stage=$(min_of "$best_stage" "$seconds")
        best_floor=$(min_of "$best_floor" "$(echo "$floor" | awk '/^total:/ {print $2}')")
        rows=$(echo "$floor" | awk '/^total:/ {print $4}')
    done
    say "$stage $json: stage $(seconds "$best_stage") s, floor $(seconds "$best_floor") s ($rows rows read), ratio $(ratio "$best_stage" "$best_floor")   (target ≤ $target; better of two runs each)"
    say "   peak resident memory $peak MiB   (target ≤ 256 MiB); counts $(count "$body" "['counts']")"
}

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
    # Each figure is the better of two runs, as the floor's is, each run on a fresh state directory.
    one_client=0 two_clients=0
    for _ in 1 2; do
        rm -rf "$DIR/ingest"
        pid=$(serve "$DIR/ingest" 18403)
        wait_ready 18403
        start=$(now)
        inserted=$(ingest_files 18403 "${files[@]}")
        seconds=$(elapsed "$start")
        rate=$(echo "$inserted / $seconds" | bc)
        say "one client, 10 requests in turn: $inserted in $seconds s: $rate attempts/s"
        (( rate > one_client )) && one_client=$rate
        stop "$pid"
    done
    for round in 1 2; do
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
        rate=$(echo "$inserted / $seconds" | bc)
        say "two clients, 5 requests each: $inserted in $seconds s: $rate attempts/s   (target ≥ 150,000/s)"
        (( rate > two_clients )) && two_clients=$rate
        # The last service stays up: the floor is measured in its database.
        (( round == 2 )) || stop "$pid"
    done
    say "service peak resident memory: $(peak_rss_mib $pid) MiB"
    # The floor (issue 16): the same rows, encoded once by the ingest path's encoder into binary COPY files in
    # primary-key order, COPYed by psql into an empty copy of attempts (indexes and checks) in the same database, with
    # one COPY per file as the service makes one per request: one stream of all ten files, and two streams of five in
    # parallel, each twice into the table emptied before; the better of each.
    if [[ ! -f "$DIR/pgcopy/batch-009.pgcopy" ]]; then
        columns=$("$BIN" bench-encode-attempts --out "$DIR/pgcopy" "${files[@]}")
        echo "$columns" > "$DIR/pgcopy/columns"
    fi
    columns=$(cat "$DIR/pgcopy/columns")
    url=$(database_url "$DIR/ingest")
    psql "$url" -qX -v ON_ERROR_STOP=1 \
        -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS attempts_floor" -c "CREATE TABLE attempts_floor (LIKE attempts INCLUDING ALL)"
    copy_stream() { # files... : one psql session, one COPY per file
        for file in "$@"; do echo "\\copy attempts_floor ($columns) FROM '$file' WITH (FORMAT binary)"; done |
            psql "$url" -qX -v ON_ERROR_STOP=1 > /dev/null
    }
    copies=("$DIR"/pgcopy/batch-00?.pgcopy)
    one_floor=999999 two_floor=999999
    for _ in 1 2; do
        psql "$url" -qX -c "TRUNCATE attempts_floor" && psql "$url" -qX -c "CHECKPOINT"
        start=$(now)
        copy_stream "${copies[@]}"
        one_floor=$(min_of "$one_floor" "$(elapsed "$start")")
        psql "$url" -qX -c "TRUNCATE attempts_floor" && psql "$url" -qX -c "CHECKPOINT"
        start=$(now)
        copy_stream "${copies[@]:0:5}" &
        first=$!
        copy_stream "${copies[@]:5:5}" &
        second=$!
        wait "$first" "$second"
        two_floor=$(min_of "$two_floor" "$(elapsed "$start")")
    done
    floor_rows=$(psql "$url" -qXtA -c "SELECT count(*) FROM attempts_floor")
    psql "$url" -qX -c "DROP TABLE attempts_floor"
    one_rate=$(echo "$floor_rows / $one_floor" | bc)
    two_rate=$(echo "$floor_rows / $two_floor" | bc)
    say "floor, binary COPY of the same $floor_rows rows pre-encoded in primary-key order (better of two; clients too):"
    say "   one stream $(seconds "$one_floor") s: $one_rate rows/s; one client $one_client/s is $(ratio "$one_client" "$one_rate") of it   (target ≥ 0.9)"
    say "   two streams $(seconds "$two_floor") s: $two_rate rows/s; two clients $two_clients/s are $(ratio "$two_clients" "$two_rate") of it   (target ≥ 0.85)"
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
    if [[ ! -f "$DIR/pipelines.loaded" && -n "${BENCH_DATA:-}" ]]; then
        say "copying the pipeline data from $BENCH_DATA"
        rm -rf "$DIR/pipelines"
        cp -a "$BENCH_DATA" "$DIR/pipelines"
        rm -f "$DIR/pipelines/cluster.lock"
        touch "$DIR/pipelines.loaded"
    fi
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
        stage_vs_floor 18404 "$pid" "$DIR/pipelines" "$stage" '{}' 2
    done
    say "   (issue 5: compute-daily-kpis ≤ 60 s, aggregate-features-daily over 7 days ≤ 30 s, detect-inactivity ≤ 15 s)"
    user=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:18404/v1/kpis?limit=1" | python3 -c "import json,sys; print(json.load(sys.stdin)['items'][0]['user_id'])")
    say "GET one learner's KPIs (cached): $(wrk_figures "http://127.0.0.1:18404/v1/users/$user/kpis" -H "Authorization: Bearer $TOKEN")   (target ≥ 10,000 req/s, p99 < 10 ms)"
    say "GET learners' KPIs, every request a cache miss: $(wrk_figures http://127.0.0.1:18404 -s scripts/bench/kpi_miss.lua -H "Authorization: Bearer $TOKEN")"
    say "service peak resident memory over the section, reads included: $(peak_rss_mib $pid) MiB   (issue 5: ≤ 1 GiB)"
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
    echo 5 > "/proc/$pid/clear_refs"
    start=$(now)
    body=$(post 18405 /v1/pipelines/calibrate-irt '{"max_obs": 2000000, "min_item_responses": 30}')
    say "calibrate-irt: $(elapsed "$start") s end to end (load, calibrate, write); counts $(count "$body" "['counts']")   (target ≤ 4 s, issue 16; before: 12.1–12.7 s)"
    phase() { grep "msg=\"\?$1" "$DIR/calibration.log" | tail -1 | grep -o 'seconds=[0-9.e-]*' | cut -d= -f2; }
    say "   load $(phase 'loaded responses') s, calibrate with EAP $(phase calibrated) s, fit $(phase 'analysed fit') s, write (with drift) $(phase 'wrote results') s"
    say "service peak resident memory during the stage: $(peak_rss_mib $pid) MiB   (target ≤ 256 MiB, issue 16)"
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
    stage_vs_floor 18406 "$pid" "$DIR/pipelines" generate-weekly-report "{\"week_start\": \"$week\"}" 3
    say "   (issue 7: ≤ 300 s, median ≤ 30 KiB gzipped)"
    stop "$pid"
fi

[[ -f "$DIR/floors.txt" ]] && { echo; echo "Floors, read by read:"; cat "$DIR/floors.txt"; rm -f "$DIR/floors.txt"; }
echo
echo "Summary (also in $SUMMARY):"
cat "$SUMMARY"
