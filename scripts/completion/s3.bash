
# pail: live s3:// completion for every command's targets, appended to argument-parser's
# script by scripts/completions.sh. argument-parser's own completion does not reach the
# default command (`pail s3://…`), and bash splits `s3://b/p` at ":" (COMP_WORDBREAKS), so
# the line up to the cursor goes to the hidden `pail complete-s3`, which lists with a short
# timeout, ends itself within 5 s and prints nothing but candidates.
_pail_with_s3() {
    local line="${COMP_LINE:0:COMP_POINT}"
    local word="${line##*[[:space:]]}"
    if [[ "${word}" == s3:* ]]; then
        local candidate
        COMPREPLY=()
        # bash replaces only what follows the last word break (":" or "="): keep that part.
        local head="${word%"${word##*[:=]}"}"
        while IFS='' read -r candidate; do
            COMPREPLY+=("${candidate#"${head}"}")
        done < <("${COMP_WORDS[0]}" complete-s3 --line "${line}" 2>/dev/null)
        compopt -o nospace 2>/dev/null
        return 0
    fi
    _pail "$@"
    if [[ "${COMP_CWORD}" -eq 1 && "${word}" != -* ]]; then
        # `pail NAME`: the bookmarks too (and s3:// itself).
        local candidate
        while IFS='' read -r candidate; do
            COMPREPLY+=("${candidate}")
        done < <("${COMP_WORDS[0]}" complete-s3 --line "${line}" 2>/dev/null)
    fi
}
complete -o filenames -F _pail_with_s3 pail
