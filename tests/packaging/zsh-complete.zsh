# zsh -f zsh-complete.zsh COMPLETIONS_DIR LINE
# Prints, one a line, the candidates zsh's completion system offers at the
# end of LINE, as an interactive zsh would on Tab: a zsh in a pseudo
# terminal (zpty) with compinit and _beamscope-cli from COMPLETIONS_DIR,
# whose compadd also prints what it adds between markers.
zmodload zsh/zpty || exit 77

compdir=$1
line=$2
output=

# Reads until MARKER has been printed (its echo is written <<<""MARKER>>>,
# so only the output matches), for 15 s at most.
wait_for() {
  local chunk deadline=$(( SECONDS + 15 ))
  while (( SECONDS < deadline )); do
    if zpty -r -t comp chunk; then
      output+=$chunk
      [[ $output == *"<<<$1>>>"* ]] && return 0
    else
      sleep 0.05
    fi
  done
  print -u2 "zsh-complete: no $1 from the zsh under test"
  return 1
}

# Runs COMMAND in the zsh under test, and waits for it to be done.
run() {
  zpty -w comp "$1; print -r -- '<<<''$2>>>'"
  wait_for $2
}

zpty comp zsh -f -i
run "PS1= PROMPT= RPROMPT= PROMPT_EOL_MARK=" prompt || exit 1
run "fpath=(${(q)compdir} \$fpath); autoload -Uz compinit; compinit -u -D" compinit || exit 1
run "zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no" styles || exit 1
# Candidates collected with -O, -A or -D are not offered: not printed.
run 'compadd() {
  if (( ${@[(I)-[OAD]*]} )); then builtin compadd "$@"; return; fi
  local -a found
  local one
  builtin compadd -A found "$@"
  for one in $found; do print -r -- $'"'"'\n'"'"'"<<<$one>>>"; done
  builtin compadd "$@"
}' hook || exit 1
output=
zpty -w -n comp "$line"$'\t'
# Kill the line, and mark the end once the completion has run.
zpty -w comp $'\C-e\C-u'"print -r -- '<<<''tabbed>>>'"
wait_for tabbed || exit 1
zpty -d comp

print -rl -- ${(u)${(M)${(f)output//$'\r'/}:#'<<<'*'>>>'}} |
  sed -n 's/^<<<\(.*\)>>>$/\1/p' | grep -vx tabbed
