#!/usr/bin/env bash
# CI: schemathesis against the real sandbox with docs/ticket-api.openapi.yaml — positive and
# negative generated requests, the coverage phase and stateful links (create → read, reply,
# close) — once with a customer token (the customer-only endpoints and the links from a
# created ticket), then with the admin token (staff and /v1/sandbox/*). Bounded: few examples per operation and a time
# budget per run; the sandbox (127.0.0.1, a temporary data dir) is always stopped after.
# Needs target/debug/paradarum-bot (built by `cargo test`) and python3 with venv.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/debug/paradarum-bot"
VENV="$TARGET/ci-venv"
# Pinned: the version this script was written and checked against.
SCHEMATHESIS_VERSION=4.32.5
SPEC=docs/ticket-api.openapi.yaml
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
# Per run; two runs stay well within the 3 minutes CI gives this script.
MAX_TIME="${SCHEMATHESIS_MAX_TIME:-45}"

[ -x "$BIN" ] || { echo "no $BIN: run cargo build first" >&2; exit 1; }
if [ "$("$VENV/bin/st" --version 2>/dev/null | grep -o '[0-9.]*$')" != "$SCHEMATHESIS_VERSION" ]; then
  echo "== installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  timeout 300 "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

DATA="$(mktemp -d)"
SANDBOX_PID=
cleanup() {
  if [ -n "$SANDBOX_PID" ]; then
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

# A free port: the OS picks one, and the sandbox binds it right after.
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
ADMIN="ci-admin-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

SANDBOX_LISTEN="127.0.0.1:$PORT" SANDBOX_ADMIN_TOKEN="$ADMIN" \
  DATABASE_URL="sqlite://$DATA/sandbox.db" \
  "$BIN" sandbox >"$DATA/sandbox.log" 2>&1 &
SANDBOX_PID=$!

ready=
for _ in $(seq 1 100); do
  if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$SANDBOX_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "the sandbox did not start:" >&2
  cat "$DATA/sandbox.log" >&2
  exit 1
fi

# A customer account, so the customer-only operations (create, account, properties) and
# the links from a created ticket are exercised too.
CUSTOMER="$(curl -fsS -X POST "$BASE/v1/sandbox/accounts" \
  -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"name":"Schemathesis"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

# What the spec cannot say, told to schemathesis: a cursor is opaque (a well-formed one the
# API did not give out is refused), `since` and `after` exclude each other, a `propertyId`
# must be one of the caller's account, too many attachments is refused with the
# documented 413 rather than a 400, `staffName` is for staff tokens only, and an
# `expectedStatus` that is not the ticket's is a 409.
cat >"$DATA/schemathesis.toml" <<'TOML'
# No state kept between runs (nor written into the work tree): each CI run is the same.
[cache]
enabled = false

# Every check (not `--checks all` on the command line, which would override the
# per-operation choices below).
[checks]
enabled = true

[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]

[[operations]]
include-operation-id = ["listTickets", "listEvents", "createTicket"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", 400, 401, 403, 404, 409, 429, "5xx"]

# Multipart parts are untyped text: a "wrong-typed" generated part (`true` for the body, a
# list sent as one file) is a valid text part or file to the server. Negative replies are
# covered by tests/api; every other check still runs on this operation.
#
# `staffName` is valid in a reply's schema but staff-only: a customer token sending it is
# refused with 400 (documented), so a schema-valid reply may be refused.
[[operations]]
include-operation-id = "replyToTicket"
checks.negative_data_rejection.enabled = false
checks.positive_data_acceptance.expected-statuses = ["2xx", 400, 401, 403, 404, 409, 413]

# `expectedStatus` is the status the caller saw: a generated one is usually not the
# ticket's, and that is the documented 409 `status_changed`.
[[operations]]
include-operation-id = "setStatus"
checks.positive_data_acceptance.expected-statuses = ["2xx", 401, 403, 404, 409]
TOML

run() {
  local who="$1" token="$2"
  echo "== schemathesis ($who token, ≤ $MAX_EXAMPLES examples per operation, ≤ ${MAX_TIME}s)"
  timeout $((MAX_TIME + 30)) "$VENV/bin/st" --config-file "$DATA/schemathesis.toml" run "$SPEC" \
    --url "$BASE" \
    -H "Authorization: Bearer $token" \
    --mode all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$MAX_EXAMPLES" \
    --max-time "$MAX_TIME" \
    --request-timeout 10 \
    --seed "${SCHEMATHESIS_SEED:-1}" \
    --output-sanitize true \
    --warnings off
}

status=0
# The customer first: its tickets are then there for the staff operations to act on.
run customer "$CUSTOMER" || status=1
run admin "$ADMIN" || status=1
if grep -q 'ERROR' "$DATA/sandbox.log"; then
  echo "the sandbox logged errors:" >&2
  grep 'ERROR' "$DATA/sandbox.log" >&2
  status=1
fi
if [ "$status" != 0 ]; then
  echo "== the sandbox's log (last 40 lines)" >&2
  tail -n 40 "$DATA/sandbox.log" >&2
fi
exit "$status"
