# bash completion for beamscope-cli                        -*- shell-script -*-
# Commands, options, their fixed values, files for --cookie-file, and after
# --node the nodes EPMD knows on localhost, or on the host typed after the @.

# Asks beamscope-cli, never for more than two seconds: a Tab must not hang
# on a host that does not answer.
_beamscope_cli_ask()
{
    if type -P timeout &>/dev/null; then
        timeout 2 beamscope-cli "$@" 2>/dev/null
    else
        beamscope-cli "$@" 2>/dev/null
    fi
}

# The nodes' full names (name@host) for the word being completed. After an
# @ the host typed is asked, and the part before it picks among its nodes.
_beamscope_cli_nodes()
{
    local cur=$1 host= prefix=$1 name
    if [[ $cur == *@?* ]]; then
        host=${cur#*@}
        prefix=${cur%%@*}
    fi
    COMPREPLY=()
    while IFS= read -r name; do
        [[ -n $name && $name == "$prefix"* ]] && COMPREPLY+=("$name")
    done < <(_beamscope_cli_ask nodes --names --timeout 1000 ${host:+"$host"})
}

_beamscope_cli()
{
    local cur prev words cword split
    _init_completion -s || return

    local commands='nodes cluster info procs top proc state sched memory alloc ets rows mnesia
        ports heaps binary-gc apps tree diagnose binleak trace'
    local common='--json --timeout --units --help'
    local connection='--node --connect-timeout --cookie --cookie-file --read-only'

    # The command: the first word that is neither an option nor the value of
    # one of the options that may come before it.
    local i command=
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -t | --timeout | --units | --node | --connect-timeout | -c | --cookie | --cookie-file)
                ((i++))
                ;;
            -*) ;;
            *)
                command=${words[i]}
                break
                ;;
        esac
    done

    case $prev in
        --node)
            _beamscope_cli_nodes "$cur"
            return
            ;;
        --cookie-file)
            _filedir
            return
            ;;
        --units)
            COMPREPLY=($(compgen -W 'binary decimal' -- "$cur"))
            return
            ;;
        --syntax)
            COMPREPLY=($(compgen -W 'erlang elixir' -- "$cur"))
            return
            ;;
        --by)
            COMPREPLY=($(compgen -W 'memory message_queue_len reductions heap_size
                total_heap_size' -- "$cur"))
            return
            ;;
        --sort)
            COMPREPLY=($(compgen -W 'memory size name' -- "$cur"))
            return
            ;;
        --pid)
            COMPREPLY=($(compgen -W 'all new' -- "$cur"))
            return
            ;;
        --threshold)
            compopt -o nospace
            COMPREPLY=($(compgen -S = -W 'message_queue queue_growth atoms binary_memory
                schedulers dirty_schedulers process_limit port_limit ets_limit ets_memory
                process_memory memory_growth' -- "$cur"))
            return
            ;;
        -t | --timeout | --connect-timeout | -c | --cookie | --ms | -w | --window | -n | --count | \
            -l | --limit | -o | --offset | -k | --key | -m | --match | -s | --select | \
            --min-bytes | -d | --depth | --max-children | --top | --rate | --duration | -p | \
            --watch)
            return
            ;;
    esac
    $split && return

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$common $connection --version" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi

    local own=
    case $command in
        nodes) own='--names' ;;
        cluster) own='--watch --ms --around' ;;
        top) own='--by --count --window' ;;
        state) own='--syntax' ;;
        sched) own='--ms' ;;
        ets) own='--all --count --sort' ;;
        rows) own='--limit --offset --syntax --key --match --select' ;;
        heaps) own='--min-bytes --count' ;;
        binary-gc) own='--yes' ;;
        tree) own='--depth --max-children' ;;
        diagnose) own='--window --threshold --top' ;;
        binleak) own='--count --yes' ;;
        trace) own='--count --rate --duration --match --return --pid --send --receive --syntax' ;;
    esac

    if [[ $cur == -* ]]; then
        [[ $command != nodes ]] && own="$own $connection"
        COMPREPLY=($(compgen -W "$own $common" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
    elif [[ $command == trace && $prev == trace ]]; then
        COMPREPLY=($(compgen -W 'sys calls messages' -- "$cur"))
    elif [[ $command == nodes && $prev == nodes ]]; then
        _known_hosts_real -- "$cur"
    fi
} &&
    complete -F _beamscope_cli beamscope-cli

# ex: filetype=sh
