#!/bin/bash
# Shell completions for pail: argument-parser's scripts, plus live s3:// completion for bash
# and fish (scripts/completion/). Usage: scripts/completions.sh PAIL_BINARY OUTPUT_FOLDER
set -euo pipefail
bin="$1"
out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out/bash-completion/completions" "$out/zsh/site-functions" "$out/fish/vendor_completions.d"
bash_file="$out/bash-completion/completions/pail"
{ "$bin" --generate-completion-script bash; cat "$here/completion/s3.bash"; } > "$bash_file"
"$bin" --generate-completion-script zsh > "$out/zsh/site-functions/_pail"
fish_file="$out/fish/vendor_completions.d/pail.fish"
{ "$bin" --generate-completion-script fish; cat "$here/completion/s3.fish"; } > "$fish_file"
