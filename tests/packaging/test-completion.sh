#!/usr/bin/env bash
# beamscope-cli's completion for one shell, against a real node.
#
# Usage: test-completion.sh bash|fish|zsh COMPLETIONS_SRC_DIR CLI
#
# Starts `erl -sname`, waits until EPMD lists it, and checks that completing
# `beamscope-cli --node ` offers its full name (and name@localhost after a
# typed @localhost), that the commands --help lists are offered, and that a
# host that does not answer costs a Tab at most a few seconds. The node is
# killed on exit, and halts by itself after two minutes should this script
# be killed first.
set -euo pipefail

shell=$1
src=$2
cli=$3

fail() { echo "FAIL ($shell): $*" >&2; exit 1; }

command -v "$shell" >/dev/null || { echo "SKIP: no $shell"; exit 77; }

bindir=$(mktemp -d)
node_pid=
cleanup() {
    [[ -n $node_pid ]] && kill "$node_pid" 2>/dev/null || true
    rm -rf "$bindir"
}
trap cleanup EXIT
# The completions call beamscope-cli by name, as installed.
ln -s "$(realpath "$cli")" "$bindir/beamscope-cli"
export PATH=$bindir:$PATH

alive=beamscope_compl_$$_$RANDOM
erl -sname "$alive" -noshell -setcookie "completion_$RANDOM" \
    -eval 'timer:apply_after(120000, erlang, halt, []).' </dev/null >/dev/null 2>&1 &
node_pid=$!
node=
for _ in $(seq 1 100); do
    node=$(beamscope-cli nodes --names | grep "^$alive@" || true)
    [[ -n $node ]] && break
    sleep 0.2
done
[[ -n $node ]] || fail "the node $alive never registered with EPMD"

commands=$(beamscope-cli --help | sed -n '/^Commands:$/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[[ $(wc -l <<<"$commands") -ge 10 ]] || fail "could not read the commands from --help"

# complete LINE: the candidates the shell offers at the end of LINE, one a line.
case $shell in
bash)
    bash_completion=/usr/share/bash-completion/bash_completion
    [[ -r $bash_completion ]] || { echo "SKIP: no bash-completion"; exit 77; }
    complete_line() {
        bash -c '
            source "$1"
            source "$2/beamscope-cli.bash"
            COMP_LINE=$3
            COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<<"$COMP_LINE"
            [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMPREPLY=()
            _beamscope_cli beamscope-cli "${COMP_WORDS[COMP_CWORD]}" \
                "${COMP_WORDS[COMP_CWORD - 1]}"
            [[ ${#COMPREPLY[@]} -eq 0 ]] || printf "%s\n" "${COMPREPLY[@]}"
        ' complete "$bash_completion" "$src" "$1"
    }
    ;;
fish)
    complete_line() {
        fish --no-config -c 'source $argv[1]/beamscope-cli.fish; complete -C $argv[2]' \
            "$src" "$1" | cut -f1
    }
    ;;
zsh)
    zsh -n "$src/_beamscope-cli" || fail "zsh -n: syntax error"
    complete_line() {
        zsh -f "$(dirname "$0")/zsh-complete.zsh" "$src" "$1"
    }
    ;;
*)
    fail "unknown shell"
    ;;
esac

offers() { # LINE CANDIDATE
    local got
    got=$(complete_line "$1")
    grep -qxF -- "$2" <<<"$got" || fail "“$1<Tab>” does not offer “$2”; it offers: $got"
}

offers "beamscope-cli --node " "$node"
offers "beamscope-cli --node ${alive:0:12}" "$node"
offers "beamscope-cli info --node @localhost" "$alive@localhost"
offers "beamscope-cli info --node ${alive:0:12}@localhost" "$alive@localhost"
offers "beamscope-cli --node $node --json top --" "--by"
offers "beamscope-cli --node $node --json top --" "--cookie-file"
offers "beamscope-cli ets --s" "--sort"
got=$(complete_line "beamscope-cli ")
for command in $commands; do
    grep -qxF -- "$command" <<<"$got" || fail "“beamscope-cli <Tab>” does not offer $command"
done

# A host that does not answer (TEST-NET-1, never routed): the Tab returns
# within about the two seconds the completions give beamscope-cli, beyond
# what a completion costs here anyway (zsh's compinit alone takes seconds
# on a loaded machine).
elapsed_ms() { # LINE
    local start=${EPOCHREALTIME/[.,]/}
    complete_line "$1" >/dev/null || true
    echo $(((${EPOCHREALTIME/[.,]/} - start) / 1000))
}
baseline=$(elapsed_ms "beamscope-cli ets --s")
unanswered=$(elapsed_ms "beamscope-cli --node x@192.0.2.1")
((unanswered <= baseline + 4000)) ||
    fail "a host that does not answer held the Tab ${unanswered} ms (a Tab: ${baseline} ms)"

echo "ok: $shell completes $node and $(wc -w <<<"$commands") commands"
