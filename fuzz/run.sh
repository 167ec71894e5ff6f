#!/usr/bin/env bash
# Runs every fuzz target, one after the other, each for SECONDS (default 600), from the
# committed seeds; findings go to fuzz/artifacts/<target>/. Needs nightly and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(interaction webhook api_json config render)
fi
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    dict=()
    if [ -f "dict/$t.dict" ]; then
        dict=("-dict=dict/$t.dict")
    fi
    echo "== $t: ${secs}s"
    cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$secs" -print_final_stats=1 "${dict[@]}"
done
