%% SPDX-License-Identifier: GPL-3.0-or-later
%% bench-trace's side on the target node: a process calling traced/1 as fast
%% as it can (or at a set rate), the node's scheduler utilisation over a
%% while, and the baseline: a compiled rate tracer made as recon_trace's
%% rate_tracer is (recon is not packaged in Debian and cannot be fetched
%% here), forwarding every event to a formatter that prints it with ~p into
%% nothing, as recon's formatter prints to the shell.
-module(bench_trace).
-export([traced/1, hot_start/1, hot_stop/0, hot_rate/1, utilisation/1, recon_like/3,
         util_start/0, util_stop/0]).

%% The function traced. Called as ?MODULE:traced/1, a remote call, so a
%% global trace pattern sees every call.
traced(N) -> N + 1.

%% Starts the caller, registered bench_trace_hot: as fast as it can with
%% `max`, or about PerSecond calls a second (in bursts every 10 ms).
hot_start(Rate) ->
    hot_stop(),
    Counter = counters:new(1, [write_concurrency]),
    persistent_term:put(bench_trace_counter, Counter),
    Pid = spawn(fun() -> hot(Rate, Counter, 0) end),
    register(bench_trace_hot, Pid),
    Pid.

hot_stop() ->
    case whereis(bench_trace_hot) of
        undefined -> ok;
        Pid -> exit(Pid, kill), ok
    end.

hot(max, Counter, N) ->
    N1 = ?MODULE:traced(N),
    case N1 band 1023 of
        0 -> counters:add(Counter, 1, 1024);
        _ -> ok
    end,
    hot(max, Counter, N1);
hot(PerSecond, Counter, _N) ->
    paced(PerSecond, Counter, erlang:monotonic_time(microsecond), 0).

%% Makes the calls due by now since T0 at PerSecond, then sleeps a
%% millisecond: the rate holds whatever the sleep's granularity.
paced(PerSecond, Counter, T0, Done) ->
    Due = (erlang:monotonic_time(microsecond) - T0) * PerSecond div 1000000 - Done,
    case Due > 0 of
        true ->
            Burst = min(Due, 20000),
            burst(Burst, Done),
            counters:add(Counter, 1, Burst),
            paced(PerSecond, Counter, T0, Done + Burst);
        false ->
            timer:sleep(1),
            paced(PerSecond, Counter, T0, Done)
    end.

burst(0, _) -> ok;
burst(K, N) -> ?MODULE:traced(N), burst(K - 1, N + 1).

%% Calls a second the caller makes, over Ms.
hot_rate(Ms) ->
    Counter = persistent_term:get(bench_trace_counter),
    Before = counters:get(Counter, 1),
    timer:sleep(Ms),
    (counters:get(Counter, 1) - Before) * 1000 div Ms.

%% The mean utilisation of the normal schedulers over Ms, 0.0 to 1.0.
utilisation(Ms) ->
    Was = erlang:system_flag(scheduler_wall_time, true),
    First = lists:sort(erlang:statistics(scheduler_wall_time)),
    timer:sleep(Ms),
    Last = lists:sort(erlang:statistics(scheduler_wall_time)),
    erlang:system_flag(scheduler_wall_time, Was),
    Normal = erlang:system_info(schedulers),
    Pairs = [{A1 - A0, T1 - T0} || {{I, A0, T0}, {I, A1, T1}} <- lists:zip(First, Last),
                                   I =< Normal],
    lists:sum([A / T || {A, T} <- Pairs, T > 0]) / max(1, length(Pairs)).

%% Utilisation over a phase whose start and end the benchmark marks: a
%% registered holder keeps the scheduler_wall_time flag up meanwhile (the
%% flag belongs to the process that raised it).
util_start() ->
    Holder = spawn(fun() ->
                       erlang:system_flag(scheduler_wall_time, true),
                       First = lists:sort(erlang:statistics(scheduler_wall_time)),
                       receive {stop, From} -> From ! {util, First, lists:sort(
                                                           erlang:statistics(scheduler_wall_time))}
                       end
                   end),
    register(bench_trace_util, Holder),
    timer:sleep(10),
    ok.

util_stop() ->
    bench_trace_util ! {stop, self()},
    receive {util, First, Last} -> mean_utilisation(First, Last) after 5000 -> -1.0 end.

mean_utilisation(First, Last) ->
    Normal = erlang:system_info(schedulers),
    Pairs = [{A1 - A0, T1 - T0} || {{I, A0, T0}, {I, A1, T1}} <- lists:zip(First, Last),
                                   I =< Normal],
    lists:sum([A / T || {A, T} <- Pairs, T > 0]) / max(1, length(Pairs)).

%% The baseline: traces the caller's calls of traced/1 with a compiled tracer
%% that stops at more than Max events within WindowMs, as recon_trace's
%% rate_tracer does, and returns how long that took, the events formatted,
%% and the utilisation while it ran (or over TimeoutMs at most).
recon_like(Max, WindowMs, TimeoutMs) ->
    Hot = whereis(bench_trace_hot),
    Self = self(),
    Formatter = spawn(fun() -> formatter(Self, 0) end),
    Tracer = spawn(fun() -> rate_tracer(Formatter, Max, WindowMs, 0, os:timestamp()) end),
    Was = erlang:system_flag(scheduler_wall_time, true),
    First = lists:sort(erlang:statistics(scheduler_wall_time)),
    Ref = erlang:monitor(process, Tracer),
    Start = erlang:monotonic_time(microsecond),
    1 = erlang:trace_pattern({?MODULE, traced, 1}, [], [global]),
    1 = erlang:trace(Hot, true, [call, {tracer, Tracer}]),
    Tripped = receive {'DOWN', Ref, process, _, _} -> true
              after TimeoutMs -> exit(Tracer, kill), false
              end,
    Took = erlang:monotonic_time(microsecond) - Start,
    Last = lists:sort(erlang:statistics(scheduler_wall_time)),
    erlang:system_flag(scheduler_wall_time, Was),
    erlang:trace_pattern({?MODULE, traced, 1}, false, [global]),
    Formatter ! {done, Self},
    Formatted = receive {formatted, N} -> N after 5000 -> -1 end,
    Normal = erlang:system_info(schedulers),
    Pairs = [{A1 - A0, T1 - T0} || {{I, A0, T0}, {I, A1, T1}} <- lists:zip(First, Last),
                                   I =< Normal],
    #{tripped => Tripped, took_us => Took, formatted => Formatted,
      utilisation => lists:sum([A / T || {A, T} <- Pairs, T > 0]) / max(1, length(Pairs))}.

%% recon_trace:rate_tracer/4's logic: a new window once WindowMs has passed,
%% exit at the first event over Max within one.
rate_tracer(Formatter, Max, WindowMs, Count, Start) ->
    receive
        Msg ->
            Now = os:timestamp(),
            Delay = timer:now_diff(Now, Start) div 1000,
            if Delay > WindowMs ->
                   Formatter ! Msg,
                   rate_tracer(Formatter, Max, WindowMs, 1, Now);
               Max > Count ->
                   Formatter ! Msg,
                   rate_tracer(Formatter, Max, WindowMs, Count + 1, Start);
               true ->
                   exit(normal)
            end
    end.

formatter(Owner, N) ->
    receive
        {done, Owner} -> Owner ! {formatted, N};
        {trace, Pid, call, {M, F, Args}} ->
            _ = io_lib:format("~p ~p:~p(~p)~n", [Pid, M, F, Args]),
            formatter(Owner, N + 1);
        _ -> formatter(Owner, N)
    end.
