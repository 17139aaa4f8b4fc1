%% SPDX-License-Identifier: GPL-3.0-or-later
%% The baseline for bench-rpc: an Erlang hidden node doing what Beamscope does
%% against the same target in the same run: connect, rpc one at a time, rpc
%% many at once. Prints one JSON object on stdout and halts.
-module(bench_baseline).
-export([main/1]).

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
