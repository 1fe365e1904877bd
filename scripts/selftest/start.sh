#!/usr/bin/env bash
# CI's self-test (.github/workflows/ci.yml): starts scripts/selftest/server.mjs in the background
# on $SELFTEST_SERVER's port, with a client secret made for this job, masked before anything else
# and handed to later steps as SELFTEST_CLIENT_SECRET. Arguments go to server.mjs
# (e.g. --trust-github AUDIENCE). Waits until discovery answers.
set -euo pipefail
port="${SELFTEST_SERVER##*:}"
secret="$(node -e "process.stdout.write(require('node:crypto').randomBytes(24).toString('base64url'))")"
echo "::add-mask::$secret"
echo "SELFTEST_CLIENT_SECRET=$secret" >> "$GITHUB_ENV"
log="$RUNNER_TEMP/selftest-server.log"
SELFTEST_CLIENT_SECRET="$secret" nohup node scripts/selftest/server.mjs --port "$port" "$@" > "$log" 2>&1 &
for _ in $(seq 100); do
  if curl -fsS "$SELFTEST_SERVER/.well-known/openid-configuration" > /dev/null 2>&1; then
    cat "$log"
    exit 0
  fi
  sleep 0.1
done
echo "::error::the self-test server did not start"
cat "$log"
exit 1
