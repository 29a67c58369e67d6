#!/usr/bin/env bash
# The lint step of action.yml: SARIF to a file, a readable list in the log, the exit code as an output.
set -uo pipefail
read -r -a paths <<< "${MESHREADY_PATHS:-.}"
config=()
if [ -n "${MESHREADY_CONFIG:-}" ]; then config=(--config "$MESHREADY_CONFIG"); fi
cli="$GITHUB_ACTION_PATH/dist/cli/main.js"
node "$cli" lint "${paths[@]}" "${config[@]}" --format sarif > "${MESHREADY_SARIF:-meshready.sarif}"
code=$?
node "$cli" lint "${paths[@]}" "${config[@]}" --format text || true
echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"
exit 0
