/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The erl_eval programs of beam-process-info: each finds the process first,
 *
 *   Found = [P || N <- Names, A <- [catch erlang:list_to_existing_atom(N)],
 *                 erlang:is_atom(A), P <- [erlang:whereis(A)], erlang:is_pid(P)]
 *           ++ [P || PidNodes -- [erlang:atom_to_list(erlang:node())] =:= [],
 *                    S <- Pids, P <- [catch erlang:list_to_pid(S)], erlang:is_pid(P)],
 *
 * Names and Pids are strings (the user's text, "Elixir."-prefixed as well
 * for an alias), so nothing the user types becomes an atom: a name the node
 * has never seen fails list_to_existing_atom/1 and finds nothing. Then:
 *
 *   info:  case Found of
 *            [P | _] -> case erlang:process_info(P, Items) of
 *                         undefined -> undefined;
 *                         I -> {P, I, Translated, Extra}
 *                       end;
 *            _ -> undefined
 *          end
 *
 *   where Extra is extra_expression()'s and Translated is, with the
 *   name the process gave itself (as the process list reads it),
 *
 *          case erlang:process_info(P, dictionary) of
 *            {dictionary, D} ->
 *              {case lists:keymember('$initial_call', 1, D) of
 *                 true -> proc_lib:translate_initial_call(P);
 *                 _ -> false
 *               end,
 *               lists:keyfind('$process_label', 1, D),
 *               lists:keyfind(process_name, 1, D)};
 *            _ -> {false, false, false}
 *          end
 *
 *   state: case Found of
 *            [P | _] -> case erlang:process_info(P, [initial_call, current_function]) of
 *                         [{initial_call, {proc_lib, init_p, _}},
 *                          {current_function, {erlang, hibernate, _}}] -> Ask;
 *                         [_, {current_function, {sys, suspend_loop, _}}] -> Ask;
 *                         [_, {current_function, {M, _, _}}] ->
 *                           case erlang:function_exported(M, system_continue, 3) of
 *                             true -> Ask;
 *                             _ -> {false, P}
 *                           end;
 *                         undefined -> undefined;
 *                         _ -> {false, P}
 *                       end;
 *            _ -> undefined
 *          end
 *
 *   where Ask is {ok, P, catch sys:get_state(P, Timeout)}.
 *
 * sys:get_state/2 sends a system message that only a loop handling system
 * messages reads; a plain receive loop would keep it in its mailbox for good.
 * Every sys-compliant loop (gen_server, gen_statem, gen_event, RabbitMQ's
 * gen_server2, ra's gen_batch_server, application_controller's gen_server,
 * a hand-written one) calls sys:handle_system_msg/6, which calls back its
 * module's system_continue/3: so a process waiting in a function of a module
 * that exports it is one. Also asked: a process suspended by sys (it waits
 * in sys's loop), and a proc_lib process hibernating (what it wakes into is
 * not shown; what hibernates through proc_lib is in practice a behaviour).
 * Such a process reads the message, now or after the messages queued before
 * it, and if it answers too late it answers a caller that has gone. Any other
 * process is said not to be one, and is sent nothing.
 *
 * The actions and the messages or dictionary answer {ok, P, Result} for the
 * process found. beam-process-info.c decodes the answers. */

#define G_LOG_DOMAIN "beamscope-probe"

#include "beam-erl-expr.h"
#include "beam-process-info-private.h"

static BeamTerm *
charlist (const char *utf8)
{
  GPtrArray *characters = g_ptr_array_new ();

  for (const char *c = utf8; *c != '\0'; c = g_utf8_next_char (c))
    g_ptr_array_add (characters, beam_term_new_integer (g_utf8_get_char (c)));
  return beam_term_new_list_take (characters);
}

/* The Names and Pids bindings for what the user typed. */
static void
candidates (const char  *who,
            BeamTerm   **out_names,
            BeamTerm   **out_pids,
            BeamTerm   **out_pid_nodes)
{
  g_autofree char *pid_node = NULL;
  g_autofree char *name = g_strstrip (g_strdup (who));
  GPtrArray *names = g_ptr_array_new ();
  GPtrArray *pids = g_ptr_array_new ();
  GPtrArray *pid_nodes = g_ptr_array_new ();
  guint32 num, serial;

  if (beam_process_info_parse_pid (who, NULL, &num, &serial, &pid_node))
    {
      g_autofree char *pid = g_strdup_printf ("<0.%u.%u>", num, serial);

      g_ptr_array_add (pids, charlist (pid));
      /* A pid pasted with its node finds nothing on another node. */
      if (pid_node != NULL)
        g_ptr_array_add (pid_nodes, charlist (pid_node));
    }
  else
    {
      /* Elixir users type MyApp.Cache and Erlang users 'my_server'. */
      if (name[0] == ':')
        memmove (name, name + 1, strlen (name));
      g_ptr_array_add (names, charlist (name));
      if (g_ascii_isupper (name[0]) && !g_str_has_prefix (name, "Elixir."))
        {
          g_autofree char *alias = g_strconcat ("Elixir.", name, NULL);
          g_ptr_array_add (names, charlist (alias));
        }
    }
  *out_names = beam_term_new_list_take (names);
  *out_pids = beam_term_new_list_take (pids);
  *out_pid_nodes = beam_term_new_list_take (pid_nodes);
}

#define VAR(name)          beam_erl_var (name)
#define ATOM(name)         beam_erl_atom (name)
#define CALL(m, f, n, ...) beam_erl_call (m, f, n, __VA_ARGS__)

/* [Expression]: a generator over one value. */
static BeamTerm *
one (BeamTerm *expression)
{
  return beam_erl_cons (expression, beam_erl_nil ());
}

static BeamTerm *
find_expression (void)
{
  BeamTerm *by_name, *by_pid;

  by_name = beam_erl_lc (VAR ("P"), 5,
                         beam_erl_generate (VAR ("N"), VAR ("Names")),
                         beam_erl_generate (VAR ("A"),
                                            one (beam_erl_catch (CALL ("erlang",
                                                                       "list_to_existing_atom",
                                                                       1, VAR ("N"))))),
                         CALL ("erlang", "is_atom", 1, VAR ("A")),
                         beam_erl_generate (VAR ("P"),
                                            one (CALL ("erlang", "whereis", 1, VAR ("A")))),
                         CALL ("erlang", "is_pid", 1, VAR ("P")));
  /* PidNodes -- [atom_to_list(node())] =:= []: a node named is this one. */
  by_pid = beam_erl_lc (VAR ("P"), 4,
                        beam_erl_op ("=:=",
                                     beam_erl_op ("--", VAR ("PidNodes"),
                                                  one (CALL ("erlang", "atom_to_list", 1,
                                                             CALL ("erlang", "node", 0, NULL)))),
                                     beam_erl_nil ()),
                        beam_erl_generate (VAR ("S"), VAR ("Pids")),
                        beam_erl_generate (VAR ("P"),
                                           one (beam_erl_catch (CALL ("erlang", "list_to_pid",
                                                                      1, VAR ("S"))))),
                        CALL ("erlang", "is_pid", 1, VAR ("P")));

  return beam_erl_match (VAR ("Found"), beam_erl_op ("++", by_name, by_pid));
}

static BeamTerm *
program (BeamTerm   *on_found,
         const char *who,
         const char *extra_name,
         BeamTerm   *extra_value)
{
  BeamTerm *names, *pids, *pid_nodes;
  BeamTerm *body;
  GPtrArray *exprs = g_ptr_array_new ();

  body = beam_erl_case (VAR ("Found"), 2,
                        beam_erl_clause (beam_erl_cons (VAR ("P"), VAR ("_")), NULL, on_found),
                        beam_erl_clause (VAR ("_"), NULL, ATOM ("undefined")));
  candidates (who, &names, &pids, &pid_nodes);
  g_ptr_array_add (exprs, find_expression ());
  g_ptr_array_add (exprs, body);
  return beam_erl_eval_args (exprs, "Names", names, "PidNodes", pid_nodes, "Pids", pids,
                             extra_name, extra_value, NULL);
}

/* {Wordsize, TraceFlags, Binaries}: what process_info/2's items do not say
 * as observer shows it. The binaries are summed on the node, and only the
 * first of them travel:
 *
 *   {erlang:system_info(wordsize),
 *    catch erlang:trace_info(P, flags),
 *    case erlang:process_info(P, binary) of
 *      {binary, B} -> {erlang:length(B), lists:sum([S || {_, S, _} <- B]),
 *                      lists:sublist(B, MaxBinaries)};
 *      _ -> {0, 0, []}
 *    end} */
static BeamTerm *
extra_expression (void)
{
  BeamTerm *sizes, *summary, *binaries;

  sizes = beam_erl_lc (VAR ("S"), 1,
                       beam_erl_generate (beam_erl_tuple (3, VAR ("_"), VAR ("S"), VAR ("_")),
                                          VAR ("B")));
  summary = beam_erl_tuple (3, CALL ("erlang", "length", 1, VAR ("B")),
                            CALL ("lists", "sum", 1, sizes),
                            CALL ("lists", "sublist", 2, VAR ("B"),
                                  beam_erl_integer (BEAM_PROCESS_INFO_MAX_BINARIES)));
  binaries = beam_erl_case (CALL ("erlang", "process_info", 2, VAR ("P"), ATOM ("binary")), 2,
                            beam_erl_clause (beam_erl_tuple (2, ATOM ("binary"), VAR ("B")),
                                             NULL, summary),
                            beam_erl_clause (VAR ("_"), NULL,
                                             beam_erl_tuple (3, beam_erl_integer (0),
                                                             beam_erl_integer (0),
                                                             beam_erl_nil ())));
  return beam_erl_tuple (3, CALL ("erlang", "system_info", 1, ATOM ("wordsize")),
                         beam_erl_catch (CALL ("erlang", "trace_info", 2, VAR ("P"),
                                               ATOM ("flags"))),
                         binaries);
}

BeamTerm *
_beam_process_info_program (const char *who)
{
  const char * const *items = beam_process_info_items ();
  GPtrArray *item_atoms = g_ptr_array_new ();
  BeamTerm *translate = CALL ("proc_lib", "translate_initial_call", 1, VAR ("P"));
  BeamTerm *initial_call;
  BeamTerm *translated;
  BeamTerm *found;
  BeamTerm *on_found;

  for (guint i = 0; items[i] != NULL; i++)
    g_ptr_array_add (item_atoms, beam_term_new_atom (items[i]));

  /* proc_lib answers proc_lib:init_p/5 for any process without
   * '$initial_call', a plain spawn(M, F, A) too: it is asked only of a
   * process that has one, as the process list does. */
  initial_call = beam_erl_case (CALL ("lists", "keymember", 3, ATOM ("$initial_call"),
                                      beam_erl_integer (1), VAR ("D")), 2,
                                beam_erl_clause (ATOM ("true"), NULL, translate),
                                beam_erl_clause (VAR ("_"), NULL, ATOM ("false")));
  translated = beam_erl_case (CALL ("erlang", "process_info", 2, VAR ("P"), ATOM ("dictionary")),
                              2,
                              beam_erl_clause (beam_erl_tuple (2, ATOM ("dictionary"), VAR ("D")),
                                               NULL,
                                               beam_erl_tuple (3, initial_call,
                                                               CALL ("lists", "keyfind", 3,
                                                                     ATOM ("$process_label"),
                                                                     beam_erl_integer (1),
                                                                     VAR ("D")),
                                                               CALL ("lists", "keyfind", 3,
                                                                     ATOM ("process_name"),
                                                                     beam_erl_integer (1),
                                                                     VAR ("D")))),
                              beam_erl_clause (VAR ("_"), NULL,
                                               beam_erl_tuple (3, ATOM ("false"), ATOM ("false"),
                                                               ATOM ("false"))));
  found = beam_erl_tuple (4, VAR ("P"), VAR ("I"), translated, extra_expression ());
  on_found = beam_erl_case (CALL ("erlang", "process_info", 2, VAR ("P"), VAR ("Items")), 2,
                            beam_erl_clause (ATOM ("undefined"), NULL, ATOM ("undefined")),
                            beam_erl_clause (VAR ("I"), NULL, found));
  return program (on_found, who, "Items", beam_term_new_list_take (item_atoms));
}

/* sys:Function(P, [Flag,] Timeout), caught. */
static BeamTerm *
sys_expression (BeamProcessSysRequest request)
{
  switch (request)
    {
    case BEAM_PROCESS_SYS_GET_STATE:
      return CALL ("sys", "get_state", 2, VAR ("P"), VAR ("Timeout"));
    case BEAM_PROCESS_SYS_SUSPEND:
      return CALL ("sys", "suspend", 2, VAR ("P"), VAR ("Timeout"));
    case BEAM_PROCESS_SYS_RESUME:
      return CALL ("sys", "resume", 2, VAR ("P"), VAR ("Timeout"));
    case BEAM_PROCESS_SYS_STATISTICS_ON:
      return CALL ("sys", "statistics", 3, VAR ("P"), ATOM ("true"), VAR ("Timeout"));
    case BEAM_PROCESS_SYS_STATISTICS_GET:
      return CALL ("sys", "statistics", 3, VAR ("P"), ATOM ("get"), VAR ("Timeout"));
    case BEAM_PROCESS_SYS_STATISTICS_OFF:
    default:
      return CALL ("sys", "statistics", 3, VAR ("P"), ATOM ("false"), VAR ("Timeout"));
    }
}

/* [{initial_call, Initial}, {current_function, Current}] */
static BeamTerm *
info_pattern (BeamTerm *initial,
              BeamTerm *current)
{
  return beam_erl_cons (beam_erl_tuple (2, ATOM ("initial_call"), initial),
                        one (beam_erl_tuple (2, ATOM ("current_function"), current)));
}

BeamTerm *
_beam_process_sys_program (const char            *who,
                           BeamProcessSysRequest  request,
                           guint                  timeout_ms)
{
  BeamTerm *ask = beam_erl_tuple (3, ATOM ("ok"), VAR ("P"),
                                  beam_erl_catch (sys_expression (request)));
  BeamTerm *info = CALL ("erlang", "process_info", 2, VAR ("P"),
                         beam_erl_cons (ATOM ("initial_call"), one (ATOM ("current_function"))));
  BeamTerm *refuse = beam_erl_tuple (2, ATOM ("false"), VAR ("P"));
  BeamTerm *hibernating, *suspended, *waiting, *handles_system;
  BeamTerm *on_found;

  /* Hibernating, started by proc_lib: the loop it wakes into is not shown,
   * but what hibernates through proc_lib is, in practice, a behaviour. */
  hibernating = info_pattern (beam_erl_tuple (3, ATOM ("proc_lib"), ATOM ("init_p"), VAR ("_")),
                              beam_erl_tuple (3, ATOM ("erlang"), ATOM ("hibernate"),
                                              VAR ("_")));
  /* Suspended by sys: only a process that handles system messages gets
   * there. */
  suspended = info_pattern (VAR ("_"), beam_erl_tuple (3, ATOM ("sys"), ATOM ("suspend_loop"),
                                                       VAR ("_")));
  /* Waiting in a loop whose module exports system_continue/3, as every
   * sys-compliant one must (gen_server, gen_statem, gen_event, gen_server2,
   * gen_batch_server, a loop of its own...). */
  waiting = info_pattern (VAR ("_"), beam_erl_tuple (3, VAR ("M"), VAR ("_"), VAR ("_")));
  handles_system = beam_erl_case (CALL ("erlang", "function_exported", 3, VAR ("M"),
                                        ATOM ("system_continue"), beam_erl_integer (3)), 2,
                                  beam_erl_clause (ATOM ("true"), NULL, beam_term_copy (ask)),
                                  beam_erl_clause (VAR ("_"), NULL, beam_term_copy (refuse)));
  on_found = beam_erl_case (info, 5,
                            beam_erl_clause (hibernating, NULL, beam_term_copy (ask)),
                            beam_erl_clause (suspended, NULL, ask),
                            beam_erl_clause (waiting, NULL, handles_system),
                            beam_erl_clause (ATOM ("undefined"), NULL, ATOM ("undefined")),
                            beam_erl_clause (VAR ("_"), NULL, refuse));

  return program (on_found, who, "Timeout", beam_term_new_integer (timeout_ms));
}

/* {ok, P, Result} for the process found, whatever Result is. */
static BeamTerm *
found_program (const char *who,
               BeamTerm   *result,
               const char *extra_name,
               BeamTerm   *extra_value)
{
  return program (beam_erl_tuple (3, ATOM ("ok"), VAR ("P"), result), who, extra_name,
                  extra_value);
}

BeamTerm *
_beam_process_action_program (const char        *who,
                BeamProcessAction  action,
                const char        *reason)
{
  BeamTerm *exit_reason;
  BeamTerm *existing;

  switch (action)
    {
    case BEAM_PROCESS_ACTION_GARBAGE_COLLECT:
      return found_program (who, CALL ("erlang", "garbage_collect", 1, VAR ("P")), NULL, NULL);

    case BEAM_PROCESS_ACTION_KILL:
    default:
      /* A typed reason is an atom only if the node has it already
       * (shutdown, normal...); otherwise it goes as the string typed. */
      existing = beam_erl_catch (CALL ("erlang", "list_to_existing_atom", 1, VAR ("Reason")));
      exit_reason = beam_erl_case (existing, 2,
                                   beam_erl_clause (VAR ("A"),
                                                    CALL ("erlang", "is_atom", 1, VAR ("A")),
                                                    VAR ("A")),
                                   beam_erl_clause (VAR ("_"), NULL, VAR ("Reason")));
      return found_program (who, CALL ("erlang", "exit", 2, VAR ("P"), exit_reason),
                            "Reason",
                            charlist (reason != NULL && *reason != '\0' ? reason : "kill"));
    }
}

/* {MemoryBefore, Collected, MemoryAfter}, one after the other:
 *
 *   case erlang:process_info(P, memory) of
 *     Before -> case erlang:garbage_collect(P) of
 *                 Collected -> {Before, Collected, erlang:process_info(P, memory)}
 *               end
 *   end */
BeamTerm *
_beam_process_collect_program (const char *who)
{
  BeamTerm *after = beam_erl_tuple (3, VAR ("Before"), VAR ("Collected"),
                                    CALL ("erlang", "process_info", 2, VAR ("P"),
                                          ATOM ("memory")));
  BeamTerm *collect = beam_erl_case (CALL ("erlang", "garbage_collect", 1, VAR ("P")), 1,
                                     beam_erl_clause (VAR ("Collected"), NULL, after));
  BeamTerm *before = beam_erl_case (CALL ("erlang", "process_info", 2, VAR ("P"),
                                          ATOM ("memory")), 1,
                                    beam_erl_clause (VAR ("Before"), NULL, collect));

  return found_program (who, before, NULL, NULL);
}

/* erlang:process_info(P, [memory, reductions, message_queue_len]) */
BeamTerm *
_beam_process_sample_program (const char *who)
{
  BeamTerm *items = beam_erl_cons (ATOM ("memory"),
                                   beam_erl_cons (ATOM ("reductions"),
                                                  one (ATOM ("message_queue_len"))));

  return found_program (who, CALL ("erlang", "process_info", 2, VAR ("P"), items), NULL, NULL);
}

/* case catch erlang:list_to_existing_atom(Text) of
 *   A when is_atom(A) -> true;
 *   _ -> false
 * end */
BeamTerm *
_beam_process_atom_program (const char *text)
{
  BeamTerm *existing = beam_erl_catch (CALL ("erlang", "list_to_existing_atom", 1,
                                             VAR ("Text")));
  BeamTerm *body = beam_erl_case (existing, 2,
                                  beam_erl_clause (VAR ("A"),
                                                   CALL ("erlang", "is_atom", 1, VAR ("A")),
                                                   ATOM ("true")),
                                  beam_erl_clause (VAR ("_"), NULL, ATOM ("false")));

  return beam_erl_eval_args (beam_erl_exprs (1, body), "Text", charlist (text), NULL);
}

/* [{Count, FirstN}] of the messages or the dictionary ([] if the process
 * went in between): the whole list is copied on the node (no BIF reads part
 * of a mailbox), but only `limit` entries travel. */
BeamTerm *
_beam_process_item_program (const char *who,
                            const char *item,
                            guint       limit)
{
  BeamTerm *count_and_first;
  BeamTerm *first;

  count_and_first = beam_erl_tuple (2, CALL ("erlang", "length", 1, VAR ("Q")),
                                    CALL ("lists", "sublist", 2, VAR ("Q"), VAR ("Limit")));
  first = beam_erl_lc (count_and_first, 1,
                       beam_erl_generate (beam_erl_tuple (2, VAR ("_"), VAR ("Q")),
                                          one (CALL ("erlang", "process_info", 2, VAR ("P"),
                                                     ATOM (item)))));

  return found_program (who, first, "Limit", beam_term_new_integer (limit));
}

#undef VAR
#undef ATOM
#undef CALL
