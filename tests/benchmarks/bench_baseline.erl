%% SPDX-License-Identifier: GPL-3.0-or-later
%% The baseline for bench-rpc: an Erlang hidden node doing what Beamscope does
%% against the same target in the same run: connect, rpc one at a time, rpc
%% many at once. Prints one JSON object on stdout and halts.
-module(bench_baseline).
-export([main/1]).

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
    {Seq, _} = timer:tc(fun() -> [Target = rpc:call(Target, erlang, node, []) || _ <- lists:seq(1, N)] end),
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

median(L) -> lists:nth((length(L) + 1) div 2, lists:sort(L)).
