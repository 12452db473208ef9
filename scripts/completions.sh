#!/bin/bash
# Shell completions for pail: argument-parser's scripts, plus live s3:// completion for bash,
# zsh and fish (scripts/completion/). Usage: scripts/completions.sh PAIL_BINARY OUTPUT_FOLDER
set -euo pipefail
bin="$1"
out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out/bash-completion/completions" "$out/zsh/site-functions" "$out/fish/vendor_completions.d"
bash_file="$out/bash-completion/completions/pail"
{ "$bin" --generate-completion-script bash; cat "$here/completion/s3.bash"; } > "$bash_file"
# zsh autoloads the file as the body of _pail: s3.zsh goes before the generated script's last
# lines (which call or register _pail), where it wraps the generated _pail. A generator that
# no longer ends that way fails here rather than shipping a script without s3:// completion.
zsh_generated="$("$bin" --generate-completion-script zsh)"
zsh_tail='if [[ "${funcstack[1]}" = _pail ]]; then'
if [[ "$zsh_generated" != *$'\n'"$zsh_tail"$'\n'* ]]; then
    echo "completions.sh: argument-parser's zsh script no longer ends with: $zsh_tail" >&2
    exit 1
fi
{
    printf '%s\n' "${zsh_generated%%"$zsh_tail"*}"
    cat "$here/completion/s3.zsh"
    printf '%s%s\n' "$zsh_tail" "${zsh_generated#*"$zsh_tail"}"
} > "$out/zsh/site-functions/_pail"
fish_file="$out/fish/vendor_completions.d/pail.fish"
{ "$bin" --generate-completion-script fish; cat "$here/completion/s3.fish"; } > "$fish_file"
