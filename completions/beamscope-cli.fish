# fish completion for beamscope-cli: commands, options, their fixed values,
# files for --cookie-file, and after --node the nodes EPMD knows on
# localhost, or on the host typed after the @.

set -l commands nodes cluster info procs top proc state sched memory alloc ets rows mnesia \
    ports heaps binary-gc apps tree diagnose binleak trace
set -l connecting cluster info procs top proc state sched memory alloc ets rows mnesia ports \
    heaps binary-gc apps tree diagnose binleak trace

# The nodes' full names (name@host), asking beamscope-cli for at most two
# seconds: a Tab must not hang on a host that does not answer. After an @
# the host typed is asked, and the part before it picks among its nodes.
function __beamscope_cli_nodes
    set -l word (string replace -r -- '^--node=' '' (commandline -ct))
    set -l host (string match -r -- '@(.+)$' $word)[2]
    set -l names
    if command -q timeout
        set names (timeout 2 beamscope-cli nodes --names --timeout 1000 $host 2>/dev/null)
    else
        set names (beamscope-cli nodes --names --timeout 1000 $host 2>/dev/null)
    end
    if test -n "$host"
        set -l prefix (string split -m1 @ -- $word)[1]
        string match -- "$prefix*" $names
    else
        printf '%s\n' $names
    end
end

function __beamscope_cli_using
    __fish_seen_subcommand_from $argv
end

complete -c beamscope-cli -f

# Commands
set -l no_command "not __fish_seen_subcommand_from $commands"
complete -c beamscope-cli -n $no_command -a nodes -d 'The nodes registered with EPMD on HOST'
complete -c beamscope-cli -n $no_command -a cluster -d 'Every node of the cluster, sampled'
complete -c beamscope-cli -n $no_command -a info -d 'What the node says of itself'
complete -c beamscope-cli -n $no_command -a procs -d 'Every process'
complete -c beamscope-cli -n $no_command -a top -d 'The biggest processes'
complete -c beamscope-cli -n $no_command -a proc -d 'One process'
complete -c beamscope-cli -n $no_command -a state -d 'sys:get_state of an OTP process'
complete -c beamscope-cli -n $no_command -a sched -d 'Scheduler usage'
complete -c beamscope-cli -n $no_command -a memory -d 'erlang:memory(), in bytes'
complete -c beamscope-cli -n $no_command -a alloc -d 'Allocators: carriers against blocks'
complete -c beamscope-cli -n $no_command -a ets -d 'Every ETS table'
complete -c beamscope-cli -n $no_command -a rows -d 'The rows of an ETS table'
complete -c beamscope-cli -n $no_command -a mnesia -d 'Mnesia tables'
complete -c beamscope-cli -n $no_command -a ports -d 'Every port and socket'
complete -c beamscope-cli -n $no_command -a heaps -d 'Processes with big heaps'
complete -c beamscope-cli -n $no_command -a binary-gc -d 'Binary memory before and after a GC'
complete -c beamscope-cli -n $no_command -a apps -d 'The applications'
complete -c beamscope-cli -n $no_command -a tree -d "An application's supervision tree"
complete -c beamscope-cli -n $no_command -a diagnose -d 'Performance checks, as a monitoring plugin'
complete -c beamscope-cli -n $no_command -a binleak -d 'Refc binaries freed by a GC'
complete -c beamscope-cli -n $no_command -a trace -d 'Trace sys events, calls or messages'

# Every command's options
complete -c beamscope-cli -s j -l json -d 'Print JSON'
complete -c beamscope-cli -s t -l timeout -x -d 'Give up on each question after MS milliseconds'
complete -c beamscope-cli -l units -x -a 'binary decimal' -d 'Size units'
complete -c beamscope-cli -s h -l help -d 'Show help'
complete -c beamscope-cli -n $no_command -l version -d 'Print the version'

# Those of the commands that connect (and of none yet)
set -l connects "$no_command; or __fish_seen_subcommand_from $connecting"
complete -c beamscope-cli -n $connects -l node -x -a '(__beamscope_cli_nodes)' \
    -d 'The node to inspect, as name@host'
complete -c beamscope-cli -n $connects -l connect-timeout -x \
    -d 'Give up connecting after MS milliseconds'
complete -c beamscope-cli -n $connects -s c -l cookie -x -d "The node's cookie"
complete -c beamscope-cli -n $connects -l cookie-file -r -F -d 'Read the cookie from FILE'
complete -c beamscope-cli -n $connects -l read-only -d 'Refuse the commands that change the node'

# Each command's own
complete -c beamscope-cli -n '__beamscope_cli_using nodes' -l names \
    -d 'Print only name@host, one a line'
complete -c beamscope-cli -n '__beamscope_cli_using nodes' -a '(__fish_print_hostnames)'
complete -c beamscope-cli -n '__beamscope_cli_using cluster' -l watch -x \
    -d 'Print again every SECONDS seconds'
complete -c beamscope-cli -n '__beamscope_cli_using cluster' -l ms -x \
    -d 'Sample every node every MS milliseconds'
complete -c beamscope-cli -n '__beamscope_cli_using cluster' -l around \
    -d 'Only the nodes around the node, asked once'
complete -c beamscope-cli -n '__beamscope_cli_using top' -l by -x \
    -a 'memory message_queue_len reductions heap_size total_heap_size' -d 'Rank by'
complete -c beamscope-cli -n '__beamscope_cli_using top ets heaps binleak' -s n -l count -x \
    -d 'How many'
complete -c beamscope-cli -n '__beamscope_cli_using top' -s w -l window -x \
    -d 'The growth over MS milliseconds'
complete -c beamscope-cli -n '__beamscope_cli_using state rows trace' -l syntax -x \
    -a 'erlang elixir' -d 'Term syntax'
complete -c beamscope-cli -n '__beamscope_cli_using sched' -l ms -x -d 'Sample for MS milliseconds'
complete -c beamscope-cli -n '__beamscope_cli_using ets' -s a -l all \
    -d 'Also the tables of kernel, stdlib and the runtime'
complete -c beamscope-cli -n '__beamscope_cli_using ets' -s s -l sort -x -a 'memory size name' \
    -d 'Sort by'
complete -c beamscope-cli -n '__beamscope_cli_using rows' -s l -l limit -x -d 'At most N rows'
complete -c beamscope-cli -n '__beamscope_cli_using rows' -s o -l offset -x \
    -d 'After the first N rows'
complete -c beamscope-cli -n '__beamscope_cli_using rows' -s k -l key -x -d 'The rows with this key'
complete -c beamscope-cli -n '__beamscope_cli_using rows' -s m -l match -x \
    -d 'The rows matching a pattern'
complete -c beamscope-cli -n '__beamscope_cli_using rows' -s s -l select -x \
    -d 'What a match specification selects'
complete -c beamscope-cli -n '__beamscope_cli_using heaps' -l min-bytes -x \
    -d 'Only heaps of at least BYTES'
complete -c beamscope-cli -n '__beamscope_cli_using binary-gc binleak' -s y -l yes \
    -d 'Yes, garbage-collect every process'
complete -c beamscope-cli -n '__beamscope_cli_using tree' -s d -l depth -x \
    -d 'Only N levels below the top supervisor'
complete -c beamscope-cli -n '__beamscope_cli_using tree' -s m -l max-children -x \
    -d 'Show the first N children of a supervisor'
complete -c beamscope-cli -n '__beamscope_cli_using diagnose' -s w -l window -x \
    -d 'Sample over MS milliseconds'
complete -c beamscope-cli -n '__beamscope_cli_using diagnose' -l threshold -x \
    -d "A check's warning and critical thresholds"
complete -c beamscope-cli -n '__beamscope_cli_using diagnose' -l top -x \
    -d 'Name at most N culprits per check'
complete -c beamscope-cli -n '__beamscope_cli_using trace' -s n -l count -x \
    -d 'Stop after N events'
complete -c beamscope-cli -n '__beamscope_cli_using trace' -l rate -x \
    -d 'Stop when more than N events come within MS'
complete -c beamscope-cli -n '__beamscope_cli_using trace' -s d -l duration -x \
    -d 'Stop after MS milliseconds'
complete -c beamscope-cli -n '__beamscope_cli_using trace' -s m -l match -x \
    -d 'calls: only calls whose arguments match'
complete -c beamscope-cli -n '__beamscope_cli_using trace' -s r -l return \
    -d 'calls: also the values returned'
complete -c beamscope-cli -n '__beamscope_cli_using trace' -s p -l pid -x -a 'all new' \
    -d 'calls: only this process'
complete -c beamscope-cli -n '__beamscope_cli_using trace' -l send \
    -d 'messages: only the messages sent'
complete -c beamscope-cli -n '__beamscope_cli_using trace' -l receive \
    -d 'messages: only the messages received'
complete -c beamscope-cli -n '__beamscope_cli_using trace; and not __fish_seen_subcommand_from sys calls messages' \
    -a 'sys calls messages'
