#!/usr/bin/env escript
%% SPDX-License-Identifier: GPL-3.0-or-later
%% Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/):
%% real terms as this OTP encodes them, a process-list slice as the node
%% sends it, the answer of ports.exprs on this node with a port of each
%% kind open, EPMD replies and cookie files, Cluster samples. Run from
%% tests/fuzz/ to renew the seeds (name targets to renew only theirs:
%% ./make-corpus.escript cluster-sample); reproducers of crashes are added
%% beside them by hand.
-mode(compile).

main([]) ->
    Terms = terms(),
    Ext = [{Name, term_to_binary(T)} || {Name, T} <- Terms]
        ++ [{"compressed", term_to_binary(lists:seq(1, 300), [compressed])},
            {"minor-0-float", term_to_binary(3.25, [{minor_version, 0}])}],
    write("term-decode", Ext),
    write("term-print", Ext),
    write("term-parse", texts()),
    write("process-list", slices()),
    write("port-list", port_lists()),
    write("epmd", epmd()),
    write("cookie", cookies()),
    write("cluster-sample", cluster_samples());
main(Targets) ->
    [write(T, (target_seeds(T))()) || T <- Targets],
    ok.

target_seeds("cluster-sample") -> fun cluster_samples/0.

%% The Cluster sample's calls (beam-cluster-sample.c) evaluated here, as
%% lists:zipwith3(fun erlang:apply/3, Ms, Fs, As) answers them, with a
%% cluster's names in place of this lone node's lists; and the scan form's
%% answers, as erl_eval gives cluster-sample.exprs's value.
cluster_samples() ->
    Calls = [{node, []}, {system_info, [creation]}, {system_info, [otp_release]},
             {system_info, [start_time]}, {system_info, [process_count]},
             {system_info, [process_limit]}, {system_info, [atom_count]},
             {system_info, [atom_limit]}, {system_info, [schedulers]},
             {system_info, [dirty_cpu_schedulers]}, {monotonic_time, []},
             {convert_time_unit, [1, second, native]}, {memory, [[total, binary, ets]]},
             {statistics, [scheduler_wall_time]}, {statistics, [total_run_queue_lengths_all]},
             {nodes, [visible]}, {nodes, [hidden]}, {node, [self()]}],
    Figures = fun() ->
                      [Node | Rest] = [apply(erlang, F, A) || {F, A} <- Calls],
                      {Front, [_Visible, _Hidden, _Own]} = lists:split(14, Rest),
                      [Node | Front] ++ [['n2@host', 'n3@host'],
                                         ['beamscope_1000_0@host', 'remsh@host'],
                                         'beamscope_1000_0@host']
              end,
    Plain = Figures(),
    erlang:system_flag(scheduler_wall_time, true),
    Wall = Figures(),
    erlang:system_flag(scheduler_wall_time, false),
    Scan = fun(Queue) -> term_to_binary({value, {Wall, Queue, 24400}, []}) end,
    [{"plain", term_to_binary(Plain)},
     {"plain-wall", term_to_binary(Wall)},
     {"scan", Scan({1500, self(), beamscope_mailbox})},
     {"scan-unnamed", Scan({12, self(), []})},
     {"scan-empty", Scan({0, none, []})},
     {"scan-skipped", Scan({skipped, 600000})}].

terms() ->
    Deep = lists:foldl(fun(_, Acc) -> [Acc] end, [], lists:seq(1, 60)),
    [{"atoms", [ok, 'hello world', 'ünïcode', '', true]},
     {"integers", [0, -1, 255, 256, -2147483648, 2147483647, 1 bsl 64, -(1 bsl 200)]},
     {"floats", [0.0, -1.5, 1.0e300, 3.141592653589793]},
     {"string", "hello \"world\"\n"},
     {"improper", [a, b | c]},
     {"tuple", {a, {}, {1, 2, {3}}, []}},
     {"map", #{a => 1, <<"k">> => [x], {t} => #{}}},
     {"big-map", maps:from_list([{I, I * I} || I <- lists:seq(1, 40)])},
     {"binaries", [<<>>, <<"text">>, <<255, 0, 1>>, <<1:3>>, <<"ünï"/utf8>>]},
     {"pid-port-ref", [self(), hd(erlang:ports()), make_ref()]},
     {"funs", [fun erlang:self/0, fun(X) -> {X, Deep} end]},
     {"deep", Deep},
     {"mixed", {reply, [{pid, self()}, {name, <<"<b>x</b>">>}, {n, 1 bsl 62}]}}].

texts() ->
    [{"erlang-tuple", <<"{ok, [1, 2.5, \"s\", <<\"b\">>, 'q a', #{k => v}]}.">>},
     {"erlang-binary", <<"<<1, 2:4, \"x\"/utf8, 255>>">>},
     {"erlang-numbers", <<"[16#ff, 2#101, -36#zz, 1.0e10, $a, $\\n, 1_000]">>},
     {"erlang-pattern", <<"{'$1', '_', [a | b]}">>},
     {"elixir-keyword", <<"[a: 1, b: \"two\", c: :three]">>},
     {"elixir-map", <<"%{\"k\" => {1, 2}, key: [0x1F, 0b11, 1.5e3]}">>},
     {"elixir-charlist", <<"{~c\"abc\", 'def', :\"quoted atom\", <<1, 2>>, nil}">>},
     {"elixir-sigils", <<"~s(text) # comment">>}].

slices() ->
    Self = self(),
    Other = spawn(fun() -> ok end),
    Row8 = {Self, [], {erlang, apply, 2}, 3000, 12345, 0, {io, wait, 1}, running},
    Row10 = {Other, some_name, {proc_lib, init_p, 5}, 1 bsl 40, 7, 3,
             {gen_server, loop, 7}, waiting, 233, 376},
    [{"slice", term_to_binary({beamscope_procs, [], [Row8, setelement(2, Row8, named)], [], 8})},
     {"slice-heaps", term_to_binary({beamscope_procs, [{Other, {my_mod, start, 1}}], [Row10],
                                     [], 8})},
     {"slice-labels", term_to_binary({beamscope_procs, [], [Row8],
                                      [{Self, <<"worker">>}, {Other, {queue, <<"q">>}}], 4})},
     {"slice-empty", term_to_binary({beamscope_procs, [], [], [], 8})}].

%% ports.exprs evaluated here, as the node's erl_eval answers it, with a
%% spawned OS process, TCP and UDP ports and a `socket` socket open.
port_lists() ->
    {ok, Listen} = gen_tcp:listen(0, [{ip, {127, 0, 0, 1}}]),
    {ok, ListenPort} = inet:port(Listen),
    {ok, _Client} = gen_tcp:connect({127, 0, 0, 1}, ListenPort, []),
    {ok, _Server} = gen_tcp:accept(Listen),
    {ok, _Udp} = gen_udp:open(0, [inet6, {ip, {0, 0, 0, 0, 0, 0, 0, 1}}]),
    _Cat = open_port({spawn, "cat"}, []),
    {ok, Socket} = socket:open(inet, stream, tcp),
    ok = socket:bind(Socket, #{family => inet, addr => {127, 0, 0, 1}, port => 0}),
    ok = socket:listen(Socket),
    {ok, Source} = file:read_file("../../src/probe/programs/ports.exprs"),
    {ok, Tokens, _} = erl_scan:string(binary_to_list(Source)),
    {ok, Exprs} = erl_parse:parse_exprs(Tokens),
    %% As the probe reads it: the program's value, without its bindings.
    Eval = fun(Max) ->
                   {value, Value, _} = erl_eval:exprs(Exprs, [{'Max', Max}]),
                   {value, Value, []}
           end,
    {value, {Limit, Count, Rows, Inet, Sockets}, _} = Reply = Eval(100000),
    [{"ports", term_to_binary(Reply)},
     {"ports-none", term_to_binary(Eval(0))},
     {"ports-no-socket-module", term_to_binary({value, {Limit, Count, Rows, Inet, none}, []})},
     {"ports-gone", term_to_binary({value, {Limit, Count, [{{hd(erlang:ports()), <<"x">>,
                                                               undefined}, {}, {}}],
                                           [], []}, []})},
     {"ports-odd-inet", term_to_binary({value, {Limit, Count, Rows,
                                                [{P, {{x, {local, <<255>>}, {{1, 2}, 3}},
                                                      {[a | b], {-1, 1 bsl 64, []},
                                                       {1.5, maybe, infinity}}}}
                                                 || {P, _} <- Inet],
                                                Sockets}, []})}].

epmd() ->
    Port = <<4369:32>>,
    [{"names", <<Port/binary, "name demo at port 40123\nname rabbit at port 25672\n">>},
     {"names-one", <<Port/binary, "name x at port 1\n">>},
     {"names-empty", Port},
     {"names-odd", <<Port/binary, "name  at port 0\nname a b at port 65536\njunk\n">>}].

cookies() ->
    [{"plain", <<"SECRETCOOKIE">>},
     {"newline", <<"ABC DEF\n">>},
     {"crlf", <<"COOKIE\r\n  \n">>},
     {"bad-char", <<"COOK\tIE">>},
     {"empty", <<>>}].

write(Target, Samples) ->
    Dir = filename:join("corpus", Target),
    ok = filelib:ensure_path(Dir),
    [ok = file:write_file(filename:join(Dir, Name), Bytes) || {Name, Bytes} <- Samples],
    ok.
