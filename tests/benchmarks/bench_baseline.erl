%% SPDX-License-Identifier: GPL-3.0-or-later
%% The baselines of the benchmarks, as an Erlang hidden node does the same job
%% against the same target in the same run (for bench-rpc: connect, rpc one at
%% a time, rpc many at once), and helpers they load on the target. Each main/1
%% prints one JSON object on stdout and halts.
-module(bench_baseline).
-export([main/1, sampler_start/0, sampler_stop/0]).

%% bench-processes: how long an Erlang hidden node takes merely to receive
%% every process through observer_backend:procs_info/1, as observer does.
main(["procs", TargetText, RoundsText]) ->
    Target = list_to_atom(TargetText),
    true = net_kernel:connect_node(Target),
    Times = [begin
                 {Us, {Chunks, Records, Bytes}} = timer:tc(fun() -> procs_info(Target) end),
                 {Us, Chunks, Records, Bytes}
             end || _ <- lists:seq(1, list_to_integer(RoundsText))],
    {Us, Chunks, Records, Bytes} = lists:nth((length(Times) + 1) div 2, lists:sort(Times)),
    io:format("{\"procs_info_ms\": ~.3f, \"chunks\": ~b, \"records\": ~b, \"bytes\": ~b}~n",
              [Us / 1000, Chunks, Records, Bytes]),
    erlang:halt(0);

%% bench-applications: the supervision tree of App walked as observer's
%% appmon_info walks it, supervisor:which_children/1 for every supervisor,
%% here over rpc from this hidden node; the median of Rounds walks.
main(["tree", TargetText, TopText, RoundsText]) ->
    Target = list_to_atom(TargetText),
    true = net_kernel:connect_node(Target),
    Top = rpc:call(Target, erlang, whereis, [list_to_atom(TopText)]),
    Times = [timer:tc(fun() -> walk(Target, Top) end)
             || _ <- lists:seq(1, list_to_integer(RoundsText))],
    {Us, Processes} = lists:nth((length(Times) + 1) div 2, lists:sort(Times)),
    io:format("{\"which_children_walk_ms\": ~.3f, \"processes\": ~b}~n",
              [Us / 1000, Processes]),
    erlang:halt(0);

%% bench-load: the reductions observer's sampling costs the target, as
%% observer_perf_wx does it: observer_backend:fetch_stats/2 spawned on the
%% target, sending {stats, ...} every Interval ms, for N samples; and an idle
%% stretch of the same length, so that the node's own background and the
%% reader's cost can be taken out. The counter is read with the request
%% Beamscope's C-node sends to rex, so both sides pay the same for reading.
main(["fetch_stats", TargetText, IntervalText, NText]) ->
    Target = list_to_atom(TargetText),
    Interval = list_to_integer(IntervalText),
    N = list_to_integer(NText),
    true = net_kernel:connect_node(Target),
    process_flag(trap_exit, true),
    _ = fetch_stats(Target, Interval, 2),     % warm-up: observer_backend loaded
    timer:sleep(500),
    {IdleReds, IdleUs} = idle(Target, N * Interval),
    {Reds, Us} = fetch_stats(Target, Interval, N),
    io:format("{\"idle_reductions\": ~b, \"idle_ms\": ~.3f, "
              "\"observer_reductions\": ~b, \"observer_ms\": ~.3f}~n",
              [IdleReds, IdleUs / 1000, Reds, Us / 1000]),
    erlang:halt(0);

%% bench-table-window: observer's Table Viewer reading table Table of the
%% target, as observer_tv_table's holder does: rpc:call of
%% observer_backend:get_table/3 with the holder itself as Parent, which
%% spawns on the target a process that pushes the whole table in messages
%% {Pid, Rows} (ets:match(T, '$1', N) pages: [[Row], ...]) and ends with
%% {Pid, '$end_of_table'}. Rows are kept as the holder keeps them until the
%% end (parse_ets_data/3: each row onto a list, the widest tuple counted);
%% observer then merges and sorts them, which is not counted here. Meanwhile
%% the target's memory is sampled (this module is loaded there too) and its
%% reductions read; the client's memory is read with the rows still held.
main(["get_table", TargetText, TableText]) ->
    Target = list_to_atom(TargetText),
    Table = list_to_atom(TableText),
    true = net_kernel:connect_node(Target),
    ok = rpc:call(Target, ?MODULE, sampler_start, []),
    timer:sleep(100),
    true = garbage_collect(),
    ClientBefore = erlang:memory(total),
    {R0, _} = rpc:call(Target, erlang, statistics, [reductions]),
    T0 = erlang:monotonic_time(microsecond),
    Pid = rpc:call(Target, observer_backend, get_table, [self(), Table, ets]),
    {Messages, Rows, Columns} = receive_table(Pid, 0, [], 0),
    Us = erlang:monotonic_time(microsecond) - T0,
    {R1, _} = rpc:call(Target, erlang, statistics, [reductions]),
    {NodeBefore, NodePeak, Samples} = rpc:call(Target, ?MODULE, sampler_stop, []),
    ClientAfterNoGc = erlang:memory(total),
    true = garbage_collect(),
    ClientAfter = erlang:memory(total),
    io:format("{\"all_rows_ms\": ~.3f, \"rows\": ~b, \"messages\": ~b, \"columns\": ~b, "
              "\"node_before_bytes\": ~b, \"node_peak_growth_bytes\": ~b, "
              "\"node_samples\": ~b, \"node_reductions\": ~b, "
              "\"client_growth_bytes\": ~b, \"client_growth_before_gc_bytes\": ~b}~n",
              [Us / 1000, length(Rows), Messages, Columns, NodeBefore, NodePeak - NodeBefore,
               Samples, R1 - R0, ClientAfter - ClientBefore, ClientAfterNoGc - ClientBefore]),
    erlang:halt(0);

main([TargetText, NText]) ->
    Target = list_to_atom(TargetText),
    N = list_to_integer(NText),
    Connects = [connect_once(Target) || _ <- lists:seq(1, 10)],
    true = net_kernel:connect_node(Target),
    _ = [rpc:call(Target, erlang, node, []) || _ <- lists:seq(1, 100)],   % warm-up
    Rounds = [round(Target, N) || _ <- lists:seq(1, 5)],
    io:format("{\"connect_ms\": ~.3f, \"sequential_ms\": ~.3f, \"concurrent_ms\": ~.3f}~n",
              [median(Connects) / 1000, median([S || {S, _} <- Rounds]) / 1000,
               median([C || {_, C} <- Rounds]) / 1000]),
    erlang:halt(0).

%% rpc:call is what a shell user types; erpc requests in flight together are
%% the fastest an Erlang node can do the same calls.
round(Target, N) ->
    {Seq, _} = timer:tc(fun() ->
                                [Target = rpc:call(Target, erlang, node, [])
                                 || _ <- lists:seq(1, N)]
                        end),
    {Conc, _} = timer:tc(fun() ->
        Reqs = [erpc:send_request(Target, erlang, node, []) || _ <- lists:seq(1, N)],
        [Target = erpc:receive_response(R, 10000) || R <- Reqs]
    end),
    {Seq, Conc}.

connect_once(Target) ->
    erlang:disconnect_node(Target),
    wait_disconnected(Target),
    {Us, true} = timer:tc(fun() -> net_kernel:connect_node(Target) end),
    Us.

wait_disconnected(Target) ->
    case lists:member(Target, nodes(hidden)) of
        true -> timer:sleep(5), wait_disconnected(Target);
        false -> ok
    end.

procs_info(Target) ->
    process_flag(trap_exit, true),
    Pid = spawn_link(Target, observer_backend, procs_info, [self()]),
    collect(Pid, 0, 0, 0).

collect(Pid, Chunks, Records, Bytes) ->
    receive
        {procs_info, Pid, List} ->
            collect(Pid, Chunks + 1, Records + length(List), Bytes + erlang:external_size(List));
        {'EXIT', Pid, normal} ->
            {Chunks, Records, Bytes}
    end.

median(L) -> lists:nth((length(L) + 1) div 2, lists:sort(L)).

%% The node's reductions so far, asked as a C-node asks rex.
reductions(Target) ->
    {rex, Target} ! {self(), {call, erlang, statistics, [reductions], user}},
    receive
        {rex, {Total, _}} -> Total
    after 10000 -> error(no_reductions)
    end.

idle(Target, Ms) ->
    R0 = reductions(Target),
    T0 = erlang:monotonic_time(microsecond),
    timer:sleep(Ms),
    R1 = reductions(Target),
    {R1 - R0, erlang:monotonic_time(microsecond) - T0}.

%% From spawning the fetcher to its Nth sample; stopping it, as observer
%% does (any message), is not counted, nor is Beamscope's holder stop.
fetch_stats(Target, Interval, N) ->
    R0 = reductions(Target),
    T0 = erlang:monotonic_time(microsecond),
    Pid = spawn_link(Target, observer_backend, fetch_stats, [self(), Interval]),
    ok = stats(N),
    R1 = reductions(Target),
    Us = erlang:monotonic_time(microsecond) - T0,
    Pid ! exit,
    receive {'EXIT', Pid, _} -> ok after 10000 -> error(fetcher_stayed) end,
    flush_stats(),
    {R1 - R0, Us}.

stats(0) -> ok;
stats(N) ->
    receive
        {stats, 1, _, _, _} -> stats(N - 1)
    after 10000 -> error(no_stats)
    end.

flush_stats() ->
    receive {stats, 1, _, _, _} -> flush_stats() after 0 -> ok end.

%% The processes under Sup, itself included; one rpc per supervisor, each
%% waiting as long as the supervisor takes, as which_children/1 does. The
%% fixture's `hung` and `imposter` are not asked: the walk would never end.
walk(Target, Sup) ->
    Children = rpc:call(Target, supervisor, which_children, [Sup]),
    1 + lists:sum([case {Id, Type} of
                       {hung, _} -> 1;
                       {imposter, _} -> 1;
                       {_, supervisor} -> walk(Target, Pid);
                       {_, worker} -> 1
                   end || {Id, Pid, Type, _} <- Children, is_pid(Pid)]).

receive_table(Pid, Messages, Rows, Columns) ->
    receive
        {Pid, '$end_of_table'} -> {Messages, Rows, Columns};
        {Pid, Data} ->
            {Rows1, Columns1} = keep(Data, Rows, Columns),
            receive_table(Pid, Messages + 1, Rows1, Columns1)
    end.

keep([[Row] | More], Rows, Columns) -> keep(More, [Row | Rows], max(tuple_size(Row), Columns));
keep([], Rows, Columns) -> {Rows, Columns}.

%% bench-table-window, on the table node: the peak of erlang:memory(total)
%% sampled every 2 ms, from sampler_start/0 to sampler_stop/0 (which answers
%% {First, Peak, Samples}), by a process registered under a name that is an
%% atom of this module, so that sampling makes none.
sampler_start() ->
    catch sampler_stop(),
    Pid = spawn(fun() -> First = erlang:memory(total), sampler(First, First, 1) end),
    true = register(bench_table_sampler, Pid),
    ok.

sampler_stop() ->
    Pid = whereis(bench_table_sampler),
    true = is_pid(Pid),
    Ref = monitor(process, Pid),
    Pid ! {stop, self()},
    receive
        {bench_table_sampler, First, Peak, Samples} ->
            demonitor(Ref, [flush]),
            {First, Peak, Samples};
        {'DOWN', Ref, process, Pid, Reason} -> error({sampler_down, Reason})
    after 10000 -> error(sampler_silent)
    end.

sampler(First, Peak, Samples) ->
    receive
        {stop, From} -> From ! {bench_table_sampler, First, Peak, Samples}
    after 2 ->
        sampler(First, max(Peak, erlang:memory(total)), Samples + 1)
    end.
