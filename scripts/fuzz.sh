#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer target (Sources/FuzzTargets) for a set time and prints what it did.
#
#   FUZZ_SECONDS=300              time per target
#   FUZZ_TARGETS=request-head,…   targets to run (default: all five)
#   FUZZ_DIR=.seedtest-fuzz       the growing corpora and any findings
#
# The build is separate (.build-fuzz), instrumented for coverage and AddressSanitizer (the -Xswiftc spelling as well:
# with only the two --sanitize options, the driver handed some modules just one of them). Each target starts from its
# seed corpus in Fuzz/Corpus/<target> and grows a working corpus of its own under $FUZZ_DIR. A crash, a sanitizer
# report or a violated invariant is saved as $FUZZ_DIR/findings/<target>/crash-…; add it to Fuzz/Corpus/<target>/
# once fixed, and `make test` replays it from then on. Exits 1 when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${FUZZ_SECONDS:-300}
TARGETS=${FUZZ_TARGETS:-request-head,chunked,json,gzip,attempt-scanner}
DIR=${FUZZ_DIR:-.seedtest-fuzz}
BIN=.build-fuzz/release/seedtest-fuzz

swift build -c release --product seedtest-fuzz --scratch-path .build-fuzz \
    --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING

found=0
printf '%-16s %12s %10s %6s %8s %8s %s\n' target executions exec/s cov features corpus findings
for target in ${TARGETS//,/ }; do
    corpus="$DIR/corpus/$target"
    findings="$DIR/findings/$target"
    mkdir -p "$corpus" "$findings"
    dict=()
    [[ -f "Fuzz/Dictionaries/$target.dict" ]] && dict=("-dict=Fuzz/Dictionaries/$target.dict")
    log="$DIR/$target.log"
    # Only what this run finds counts: a finding of an earlier run stays in $findings until someone removes it.
    before=$(find "$findings" -type f | wc -l)
    # libFuzzer exits non-zero when it stops on a finding (a crash it writes again overwrites its old file).
    status=0
    SEEDTEST_FUZZ_TARGET=$target "$BIN" "$corpus" "Fuzz/Corpus/$target" "${dict[@]}" \
        -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$findings/" > "$log" 2>&1 || status=$?
    executions=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log")
    rate=$(awk '/^stat::average_exec_per_sec:/ {print $2}' "$log")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
    features=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | awk '{print $2}')
    files=$(find "$corpus" -type f | wc -l)
    crashes=$(($(find "$findings" -type f | wc -l) - before))
    if [[ $crashes -gt 0 || $status -ne 0 ]]; then found=1; fi
    if [[ $status -ne 0 && $crashes -eq 0 ]]; then crashes="exit $status"; fi
    # A fuzzer that never reported its statistics did not run (or died before libFuzzer could write them).
    if [[ -z "$executions" ]]; then
        echo "$target: libFuzzer printed no statistics; see $log" >&2
        found=1
    fi
    printf '%-16s %12s %10s %6s %8s %8s %s\n' "$target" "${executions:-?}" "${rate:-?}" "${cov:-?}" \
        "${features:-?}" "$files" "$crashes"
done
if [[ $found -ne 0 ]]; then
    echo "findings are in $DIR/findings (replay one with: .build/debug/seedtest-fuzz TARGET FILE)"
    exit 1
fi
