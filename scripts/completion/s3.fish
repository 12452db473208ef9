
# pail: live s3:// completion for every command's targets (see scripts/completions.sh).
complete -c pail -f -n 'string match -q -- "s3:*" (commandline -ct)' \
    -a '(pail complete-s3 --line (commandline -cp) 2>/dev/null)'
