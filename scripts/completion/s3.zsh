# pail: live s3:// completion for every command's targets (see scripts/completions.sh, which
# puts this before the generated script's last lines, so it runs when zsh autoloads _pail).
# argument-parser completes an `s3://` argument only where the command asks for it (the
# browser's), so argument-parser's `_pail` is kept as `_pail_argparser` for options and the
# rest, and a word starting with s3: goes to the hidden `pail complete-s3`, which lists with a
# short timeout, ends itself within 5 s and prints nothing but candidates.
functions[_pail_argparser]="${functions[_pail]}"

_pail() {
    emulate -L zsh
    if [[ "${PREFIX}" == s3:* ]]; then
        local -a candidates folders objects
        local line="${(j: :)${(@)words[1,CURRENT-1]}} ${PREFIX}"
        # Unquoted, so an empty answer is no candidate rather than an empty one.
        candidates=(${(f)"$("${words[1]}" complete-s3 --line "${line}" 2>/dev/null)"})
        # A prefix is completed without a space after it, so the next level can follow.
        folders=("${(@M)candidates:#*/}")
        objects=("${(@)candidates:#*/}")
        local ret=1
        (( ${#folders} )) && compadd -S '' -- "${folders[@]}" && ret=0
        (( ${#objects} )) && compadd -- "${objects[@]}" && ret=0
        return "${ret}"
    fi
    _pail_argparser "$@"
}

