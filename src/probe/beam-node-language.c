/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether the node runs Elixir: programs/node-language.exprs. */

#define G_LOG_DOMAIN "beamscope-probe"

#include "beam-erl-expr.h"
#include "beam-node-language.h"

#define CALL_TIMEOUT_MS 10000

/* The task's result cannot be NULL for a successful call: these two stand
 * for the answers. */
static const char answer_erlang[] = "erlang";
static const char answer_elixir[] = "elixir";

static gpointer
decode_language (const BeamTerm  *reply,
                 gpointer         user_data G_GNUC_UNUSED,
                 GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);

  if (beam_term_is_atom (value, "true"))
    return (gpointer) answer_elixir;
  if (beam_term_is_atom (value, "false"))
    return (gpointer) answer_erlang;
  beam_erl_set_bad_reply (error, "erlang:module_loaded('Elixir.Kernel')");
  return NULL;
}

void
beam_node_language_async (BeamConnection      *connection,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  beam_connection_call_task_async (connection, beam_node_language_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args ("node-language", NULL),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     .max_reply_bytes = 64 * 1024,
                                     .decode = decode_language,
                                   }, cancellable, callback, user_data);
}

gboolean
beam_node_language_finish (GAsyncResult  *result,
                           gboolean      *runs_elixir,
                           GError       **error)
{
  const char *answer = beam_connection_call_task_finish (result, beam_node_language_async,
                                                         error);

  g_return_val_if_fail (runs_elixir != NULL, FALSE);

  *runs_elixir = answer == answer_elixir;
  return answer != NULL;
}
