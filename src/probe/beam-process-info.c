/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One process's details and its state, each one erl_eval program that finds
 * the process first:
 *
 *   Found = [P || N <- Names, A <- [catch erlang:list_to_existing_atom(N)],
 *                 erlang:is_atom(A), P <- [erlang:whereis(A)], erlang:is_pid(P)]
 *           ++ [P || S <- Pids, P <- [catch erlang:list_to_pid(S)], erlang:is_pid(P)],
 *
 * Names and Pids are strings (the user's text, "Elixir."-prefixed as well
 * for an alias), so nothing the user types becomes an atom: a name the node
 * has never seen fails list_to_existing_atom/1 and finds nothing. Then:
 *
 *   info:  case Found of
 *            [P | _] -> case erlang:process_info(P, Items) of
 *                         undefined -> undefined;
 *                         I -> {P, I, proc_lib:translate_initial_call(P)}
 *                       end;
 *            _ -> undefined
 *          end
 *
 *   state: case Found of
 *            [P | _] -> case erlang:process_info(P, [initial_call, current_function]) of
 *                         [{initial_call, {proc_lib, init_p, _}}, {current_function, {M, _, _}}]
 *                             when M =:= gen_server orelse M =:= gen_statem orelse
 *                                  M =:= gen_event orelse M =:= sys ->
 *                           {ok, P, catch sys:get_state(P, Timeout)};
 *                         [{initial_call, {proc_lib, init_p, _}}, {current_function, {erlang, hibernate, _}}] ->
 *                           {ok, P, catch sys:get_state(P, Timeout)};
 *                         undefined -> undefined;
 *                         _ -> {false, P}
 *                       end;
 *            _ -> undefined
 *          end
 *
 * sys:get_state/2 sends a system message that only the OTP receive loops
 * (gen_server, gen_statem, gen_event, and supervisors, GenServers and Agents
 * built on them) read. A plain process, even one started by proc_lib, would
 * keep it in its mailbox for good. So the state is asked only of a proc_lib
 * process found waiting in one of those loops, or hibernating in one: that
 * process reads the message, now or after the messages queued before it, and
 * if it answers too late it answers a caller that has gone. Nothing stays
 * behind. Any other process is said not to be one, and is sent nothing. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-process-info.h"
#include "beam-term-printer.h"
#include "beam-wire-error.h"

#define MARGIN_MS 2000  /* our deadline is the node's timeout plus this */

G_DEFINE_QUARK (beam-process-info-error-quark, beam_process_info_error)

static const char * const items[] = {
  "registered_name", "initial_call", "current_function", "status", "message_queue_len",
  "memory", "heap_size", "total_heap_size", "stack_size", "reductions", "links", "monitors",
  "monitored_by", "trap_exit", "group_leader", "priority", "garbage_collection", "parent",
  "current_stacktrace", NULL,
};

const char * const *
beam_process_info_items (void)
{
  return items;
}

void
beam_process_info_free (BeamProcessInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->pid, beam_term_free);
  g_clear_pointer (&info->items, beam_term_free);
  g_free (info->initial_call);
  g_free (info);
}

char *
beam_process_info_normalize_pid (const char *text)
{
  g_autofree char *inner = NULL;
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return NULL;
  inner = g_strstrip (g_strdup (text));
  if (g_str_has_prefix (inner, "<") && g_str_has_suffix (inner, ">"))
    {
      memmove (inner, inner + 1, strlen (inner));
      inner[strlen (inner) - 1] = '\0';
    }
  parts = g_strsplit (inner, ".", -1);
  if (g_strv_length (parts) != 3)
    return NULL;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT32, NULL, NULL))
      return NULL;
  return g_strdup_printf ("<%s.%s.%s>", parts[0], parts[1], parts[2]);
}

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
            BeamTerm   **out_pids)
{
  g_autofree char *pid = beam_process_info_normalize_pid (who);
  g_autofree char *name = g_strstrip (g_strdup (who));
  GPtrArray *names = g_ptr_array_new ();
  GPtrArray *pids = g_ptr_array_new ();

  if (pid != NULL)
    g_ptr_array_add (pids, charlist (pid));
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
}

#define VAR(name)          beam_erl_var (name)
#define ATOM(name)         beam_erl_atom (name)
#define CALL(m, f, n, ...) beam_erl_call (m, f, n, __VA_ARGS__)

static BeamTerm *
find_expression (void)
{
  BeamTerm *by_name = beam_erl_lc (VAR ("P"), 5,
                                   beam_erl_generate (VAR ("N"), VAR ("Names")),
                                   beam_erl_generate (VAR ("A"),
                                                      beam_erl_cons (beam_erl_catch (CALL ("erlang", "list_to_existing_atom", 1, VAR ("N"))),
                                                                     beam_erl_nil ())),
                                   CALL ("erlang", "is_atom", 1, VAR ("A")),
                                   beam_erl_generate (VAR ("P"),
                                                      beam_erl_cons (CALL ("erlang", "whereis", 1, VAR ("A")), beam_erl_nil ())),
                                   CALL ("erlang", "is_pid", 1, VAR ("P")));
  BeamTerm *by_pid = beam_erl_lc (VAR ("P"), 3,
                                  beam_erl_generate (VAR ("S"), VAR ("Pids")),
                                  beam_erl_generate (VAR ("P"),
                                                     beam_erl_cons (beam_erl_catch (CALL ("erlang", "list_to_pid", 1, VAR ("S"))),
                                                                    beam_erl_nil ())),
                                  CALL ("erlang", "is_pid", 1, VAR ("P")));

  return beam_erl_match (VAR ("Found"), beam_erl_op ("++", by_name, by_pid));
}

static BeamTerm *
program (BeamTerm   *on_found,
         const char *who,
         const char *extra_name,
         BeamTerm   *extra_value)
{
  BeamTerm *names, *pids;
  BeamTerm *body = beam_erl_case (VAR ("Found"), 2,
                                  beam_erl_clause (beam_erl_cons (VAR ("P"), VAR ("_")), NULL, on_found),
                                  beam_erl_clause (VAR ("_"), NULL, ATOM ("undefined")));
  GPtrArray *exprs = g_ptr_array_new ();

  candidates (who, &names, &pids);
  g_ptr_array_add (exprs, find_expression ());
  g_ptr_array_add (exprs, body);
  return beam_erl_eval_args (exprs, "Names", names, "Pids", pids, extra_name, extra_value, NULL);
}

static BeamTerm *
info_program (const char *who)
{
  GPtrArray *item_atoms = g_ptr_array_new ();
  BeamTerm *on_found;

  for (guint i = 0; items[i] != NULL; i++)
    g_ptr_array_add (item_atoms, beam_term_new_atom (items[i]));

  on_found = beam_erl_case (CALL ("erlang", "process_info", 2, VAR ("P"), VAR ("Items")), 2,
                            beam_erl_clause (ATOM ("undefined"), NULL, ATOM ("undefined")),
                            beam_erl_clause (VAR ("I"), NULL,
                                             beam_erl_tuple (3, VAR ("P"), VAR ("I"),
                                                             CALL ("proc_lib", "translate_initial_call", 1, VAR ("P")))));
  return program (on_found, who, "Items", beam_term_new_list_take (item_atoms));
}

/* The OTP receive loops that read system messages; sys's own is where a
 * suspended process waits. */
static const char * const otp_loop_modules[] = { "gen_server", "gen_statem", "gen_event", "sys" };

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

static BeamTerm *
sys_program (const char            *who,
             BeamProcessSysRequest  request,
             guint                  timeout_ms)
{
  BeamTerm *guard = NULL;
  BeamTerm *ask = beam_erl_tuple (3, ATOM ("ok"), VAR ("P"), beam_erl_catch (sys_expression (request)));
  BeamTerm *info = CALL ("erlang", "process_info", 2, VAR ("P"),
                         beam_erl_cons (ATOM ("initial_call"), beam_erl_cons (ATOM ("current_function"), beam_erl_nil ())));
  BeamTerm *on_found;

  /* M =:= gen_server orelse M =:= gen_statem orelse ... */
  for (guint i = 0; i < G_N_ELEMENTS (otp_loop_modules); i++)
    {
      BeamTerm *test = beam_erl_op ("=:=", VAR ("M"), ATOM (otp_loop_modules[i]));
      guard = guard == NULL ? test : beam_erl_op ("orelse", guard, test);
    }

  /* Started by proc_lib, and waiting in an OTP loop (or hibernating, which
   * such a loop wakes from): the message will be read, now or later. */
  on_found = beam_erl_case (info, 4,
                            beam_erl_clause (beam_erl_cons (beam_erl_tuple (2, ATOM ("initial_call"),
                                                                            beam_erl_tuple (3, ATOM ("proc_lib"), ATOM ("init_p"), VAR ("_"))),
                                                            beam_erl_cons (beam_erl_tuple (2, ATOM ("current_function"),
                                                                                           beam_erl_tuple (3, VAR ("M"), VAR ("_"), VAR ("_"))),
                                                                           beam_erl_nil ())),
                                             guard, ask),
                            beam_erl_clause (beam_erl_cons (beam_erl_tuple (2, ATOM ("initial_call"),
                                                                            beam_erl_tuple (3, ATOM ("proc_lib"), ATOM ("init_p"), VAR ("_"))),
                                                            beam_erl_cons (beam_erl_tuple (2, ATOM ("current_function"),
                                                                                           beam_erl_tuple (3, ATOM ("erlang"), ATOM ("hibernate"), VAR ("_"))),
                                                                           beam_erl_nil ())),
                                             NULL, beam_term_copy (ask)),
                            beam_erl_clause (ATOM ("undefined"), NULL, ATOM ("undefined")),
                            beam_erl_clause (VAR ("_"), NULL, beam_erl_tuple (2, ATOM ("false"), VAR ("P"))));

  return program (on_found, who, "Timeout", beam_term_new_integer (timeout_ms));
}

#undef VAR
#undef ATOM
#undef CALL

/* {value, Value, Bindings} -> Value */
static const BeamTerm *
eval_value (const BeamTerm *reply)
{
  return beam_term_tagged (reply, "value", 3) != NULL ? reply->children[1] : NULL;
}

static void
set_no_such_process (GError     **error,
                     const char  *who)
{
  g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_SUCH_PROCESS,
               _("No process %s on the node: no such pid, or no process registered by that name"), who);
}

typedef struct
{
  char                  *who;
  guint                  timeout_ms;
  BeamProcessSysRequest  request;
} Query;

static void
query_free (Query *query)
{
  g_free (query->who);
  g_free (query);
}

static gpointer
decode_info (const BeamTerm  *reply,
             gpointer         user_data,
             GError         **error)
{
  Query *query = user_data;
  const BeamTerm *value = eval_value (reply);
  BeamProcessInfo *info;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 3 ||
      value->children[0]->kind != BEAM_TERM_PID)
    {
      set_no_such_process (error, query->who);
      return NULL;
    }
  info = g_new0 (BeamProcessInfo, 1);
  info->pid = beam_term_copy (value->children[0]);
  info->items = beam_term_copy (value->children[1]);
  if (value->children[2]->kind == BEAM_TERM_TUPLE && value->children[2]->n_children == 3)
    {
      const BeamTerm *mfa = value->children[2];
      gint64 arity = 0;

      beam_term_get_int64 (mfa->children[2], &arity);
      if (mfa->children[0]->kind == BEAM_TERM_ATOM && mfa->children[1]->kind == BEAM_TERM_ATOM)
        info->initial_call = g_strdup_printf ("%s:%s/%" G_GINT64_FORMAT, mfa->children[0]->v.atom.name,
                                              mfa->children[1]->v.atom.name, arity);
    }
  return info;
}

static const char * const sys_names[] = {
  [BEAM_PROCESS_SYS_GET_STATE] = "sys:get_state",
  [BEAM_PROCESS_SYS_SUSPEND] = "sys:suspend",
  [BEAM_PROCESS_SYS_RESUME] = "sys:resume",
  [BEAM_PROCESS_SYS_STATISTICS_ON] = "sys:statistics",
  [BEAM_PROCESS_SYS_STATISTICS_GET] = "sys:statistics",
  [BEAM_PROCESS_SYS_STATISTICS_OFF] = "sys:statistics",
};

static gpointer
decode_state (const BeamTerm  *reply,
              gpointer         user_data,
              GError         **error)
{
  Query *query = user_data;
  const BeamTerm *value = eval_value (reply);
  const BeamTerm *state;

  if (value != NULL && beam_term_tagged (value, "false", 2) != NULL)
    {
      g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NOT_OTP,
                   _("%s is not an OTP process waiting in its loop (gen_server, gen_statem, "
                     "gen_event): it might never read a system message, so none was sent"),
                   query->who);
      return NULL;
    }
  if (value == NULL || beam_term_tagged (value, "ok", 3) == NULL)
    {
      set_no_such_process (error, query->who);
      return NULL;
    }

  state = value->children[2];
  if (beam_term_tagged (state, "EXIT", 2) != NULL)
    {
      const BeamTerm *reason = state->children[1];
      BeamPrintOptions options = { BEAM_SYNTAX_ERLANG, NULL, 4, 8 };
      g_autofree char *text = beam_term_print (reason, &options);

      if (beam_term_tagged (reason, "timeout", 2) != NULL)
        g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_ANSWER,
                     _("%s did not answer %s within %u ms"), query->who, sys_names[query->request],
                     query->timeout_ms);
      else
        g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_ANSWER,
                     _("%s of %s failed: %s"), sys_names[query->request], query->who, text);
      return NULL;
    }
  return beam_term_new_tuple (2, beam_term_copy (value->children[1]), beam_term_copy (state));
}

static void
call_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value = beam_connection_call_finish (BEAM_CONNECTION (object), result, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_task_get_source_tag (task) == beam_process_info_fetch_async
                                        ? (GDestroyNotify) beam_process_info_free
                                        : (GDestroyNotify) beam_term_free);
}

static void
start (BeamConnection      *connection,
       gpointer             tag,
       const char          *who,
       BeamProcessSysRequest request,
       guint                timeout_ms,
       BeamTerm            *args,
       BeamReplyDecodeFunc  decode,
       GDestroyNotify       result_free,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Query *query = g_new0 (Query, 1);

  query->who = g_strdup (who);
  query->timeout_ms = timeout_ms;
  query->request = request;
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, query, (GDestroyNotify) query_free);
  beam_connection_call_async (connection, &(BeamCall) {
                                .module = "erl_eval", .function = "exprs", .args = args,
                                .timeout_ms = timeout_ms + MARGIN_MS,
                                .decode = decode, .decode_data = query, .result_free = result_free,
                              }, cancellable, call_done, g_object_ref (task));
}

void
beam_process_info_fetch_async (BeamConnection      *connection,
                               const char          *who,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_info_fetch_async, who, 0, 5000, info_program (who), decode_info,
         (GDestroyNotify) beam_process_info_free, cancellable, callback, user_data);
}

BeamProcessInfo *
beam_process_info_fetch_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
beam_process_sys_async (BeamConnection        *connection,
                        const char            *who,
                        BeamProcessSysRequest  request,
                        guint                  timeout_ms,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_sys_async, who, request, timeout_ms,
         sys_program (who, request, timeout_ms), decode_state, (GDestroyNotify) beam_term_free,
         cancellable, callback, user_data);
}

void
beam_process_state_fetch_async (BeamConnection      *connection,
                                const char          *who,
                                guint                timeout_ms,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  beam_process_sys_async (connection, who, BEAM_PROCESS_SYS_GET_STATE, timeout_ms, cancellable,
                          callback, user_data);
}

BeamTerm *
beam_process_state_fetch_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- actions and the big items ------------------------------------------------ */

#define VAR(name)          beam_erl_var (name)
#define ATOM(name)         beam_erl_atom (name)
#define CALL(m, f, n, ...) beam_erl_call (m, f, n, __VA_ARGS__)

/* {ok, P, Result} for the process found, whatever Result is. */
static BeamTerm *
found_program (const char *who,
               BeamTerm   *result,
               const char *extra_name,
               BeamTerm   *extra_value)
{
  return program (beam_erl_tuple (3, ATOM ("ok"), VAR ("P"), result), who, extra_name, extra_value);
}

static BeamTerm *
action_program (const char        *who,
                BeamProcessAction  action,
                const char        *reason)
{
  BeamTerm *exit_reason;

  switch (action)
    {
    case BEAM_PROCESS_ACTION_GARBAGE_COLLECT:
      return found_program (who, CALL ("erlang", "garbage_collect", 1, VAR ("P")), NULL, NULL);

    case BEAM_PROCESS_ACTION_KILL:
    default:
      /* A typed reason is an atom only if the node has it already
       * (shutdown, normal...); otherwise it goes as the string typed. */
      exit_reason = beam_erl_case (beam_erl_catch (CALL ("erlang", "list_to_existing_atom", 1, VAR ("Reason"))), 2,
                                   beam_erl_clause (VAR ("A"), CALL ("erlang", "is_atom", 1, VAR ("A")), VAR ("A")),
                                   beam_erl_clause (VAR ("_"), NULL, VAR ("Reason")));
      return found_program (who, CALL ("erlang", "exit", 2, VAR ("P"), exit_reason),
                            "Reason", charlist (reason != NULL && *reason != '\0' ? reason : "kill"));
    }
}

/* [{Count, FirstN}] of the messages or the dictionary: the whole list is
 * copied on the node (no BIF reads part of a mailbox), but only `limit`
 * entries travel. */
static BeamTerm *
item_program (const char *who,
              const char *item,
              guint       limit)
{
  BeamTerm *first = beam_erl_lc (beam_erl_tuple (2, CALL ("erlang", "length", 1, VAR ("Q")),
                                                 CALL ("lists", "sublist", 2, VAR ("Q"), VAR ("Limit"))),
                                 1,
                                 beam_erl_generate (beam_erl_tuple (2, VAR ("_"), VAR ("Q")),
                                                    beam_erl_cons (CALL ("erlang", "process_info", 2, VAR ("P"), ATOM (item)),
                                                                   beam_erl_nil ())));

  return found_program (who, first, "Limit", beam_term_new_integer (limit));
}

#undef VAR
#undef ATOM
#undef CALL

static gpointer
decode_found (const BeamTerm  *reply,
              gpointer         user_data,
              GError         **error)
{
  Query *query = user_data;
  const BeamTerm *value = eval_value (reply);

  if (value == NULL || beam_term_tagged (value, "ok", 3) == NULL)
    {
      set_no_such_process (error, query->who);
      return NULL;
    }
  return beam_term_copy (value->children[2]);
}

void
beam_process_action_async (BeamConnection      *connection,
                           const char          *who,
                           BeamProcessAction    action,
                           const char          *reason,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_action_async, who, 0, 5000, action_program (who, action, reason),
         decode_found, (GDestroyNotify) beam_term_free, cancellable, callback, user_data);
}

void
beam_process_item_async (BeamConnection      *connection,
                         const char          *who,
                         BeamProcessItem      item,
                         guint                limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_item_async, who, 0, 15000,
         item_program (who, item == BEAM_PROCESS_ITEM_MESSAGES ? "messages" : "dictionary", limit),
         decode_found, (GDestroyNotify) beam_term_free, cancellable, callback, user_data);
}

BeamTerm *
beam_process_call_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
