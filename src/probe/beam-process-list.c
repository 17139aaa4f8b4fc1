/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The process list, asked as one small program evaluated on the node by
 * erl_eval (nothing is loaded there):
 *
 *   Ps = erlang:processes(),
 *   Starts = lists:seq(1, erlang:length(Ps), Size),
 *   lists:foreach(fun (S) ->
 *       Slice = lists:sublist(Ps, S, Size),
 *       erlang:spawn(fun () ->
 *           Reply ! {beamscope_procs,
 *                    [{P, erlang:element(2, lists:unzip(I)), proc_lib:translate_initial_call(P)}
 *                     || P <- Slice, I <- [erlang:process_info(P, Items)], I =/= undefined]}
 *       end)
 *     end, Starts),
 *   erlang:length(Starts)
 *   end)().
 *
 * One short-lived process per slice collects it, so a node with spare
 * schedulers collects in parallel; each sends its slice straight to our
 * reply pid and ends. The call's reply is the number of slices, and the call
 * ends when that many have arrived. observer_backend:procs_info/1 gives no
 * status nor heap sizes, which the page and `top` need; this does, and works
 * without runtime_tools. The slices are decoded on the network thread as they
 * come, straight into the flat table. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <ei.h>
#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-process-list.h"
#include "beam-term-printer.h"
#include "beam-wire-error.h"

#define CHUNK_SIZE       10000
#define FETCH_TIMEOUT_MS 120000

/* The order of the values each process sends. */
static const char * const items[] = {
  "registered_name", "memory", "reductions", "message_queue_len",
  "current_function", "status", "heap_size", "total_heap_size",
};

enum { ITEM_NAME, ITEM_MEMORY, ITEM_REDUCTIONS, ITEM_QUEUE, ITEM_FUNCTION, ITEM_STATUS, ITEM_HEAP, ITEM_TOTAL_HEAP, N_ITEMS };

G_STATIC_ASSERT (G_N_ELEMENTS (items) == N_ITEMS);

typedef struct
{
  BeamProcessTable *table;     /* filled on the network thread */
  BeamProcessTable *previous;
  GError           *error;     /* the first chunk that could not be read */
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_pointer (&fetch->table, beam_process_table_unref);
  g_clear_pointer (&fetch->previous, beam_process_table_unref);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

static GPtrArray *
ptr_array (guint n,
           ...)
{
  GPtrArray *array = g_ptr_array_new ();
  va_list args;

  va_start (args, n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, va_arg (args, gpointer));
  va_end (args);
  return array;
}

BeamTerm *
beam_process_list_build_program (guint chunk_size)
{
  GPtrArray *item_atoms = g_ptr_array_new ();
  BeamTerm *collect;
  BeamTerm *worker;
  BeamTerm *per_slice;
  BeamTerm *body;
  GPtrArray *program;

  for (guint i = 0; i < N_ITEMS; i++)
    g_ptr_array_add (item_atoms, beam_term_new_atom (items[i]));

  collect = beam_erl_lc (beam_erl_tuple (3,
                                         beam_erl_var ("P"),
                                         beam_erl_call ("erlang", "element", 2, beam_erl_integer (2),
                                                        beam_erl_call ("lists", "unzip", 1, beam_erl_var ("I"))),
                                         beam_erl_call ("proc_lib", "translate_initial_call", 1,
                                                        beam_erl_var ("P"))),
                         3,
                         beam_erl_generate (beam_erl_var ("P"), beam_erl_var ("Slice")),
                         beam_erl_generate (beam_erl_var ("I"),
                                            beam_erl_cons (beam_erl_call ("erlang", "process_info", 2,
                                                                          beam_erl_var ("P"), beam_erl_var ("Items")),
                                                           beam_erl_nil ())),
                         beam_erl_op ("=/=", beam_erl_var ("I"), beam_erl_atom ("undefined")));

  /* fun () -> Reply ! {beamscope_procs, Collect} end */
  worker = beam_erl_fun (g_ptr_array_new (),
                         ptr_array (1, beam_erl_op ("!", beam_erl_var ("Reply"),
                                                    beam_erl_tuple (2, beam_erl_atom ("beamscope_procs"), collect))));

  /* fun (S) -> Slice = lists:sublist(Ps, S, Size), erlang:spawn(Worker) end */
  per_slice = beam_erl_fun (ptr_array (1, beam_erl_var ("S")),
                            ptr_array (2,
                                       beam_erl_match (beam_erl_var ("Slice"),
                                                       beam_erl_call ("lists", "sublist", 3, beam_erl_var ("Ps"),
                                                                      beam_erl_var ("S"), beam_erl_var ("Size"))),
                                       beam_erl_call ("erlang", "spawn", 1, worker)));

  /* Inside a fun, so that Ps (every pid) stays out of the bindings
   * erl_eval answers with. */
  body = beam_erl_fun (g_ptr_array_new (),
                       ptr_array (4,
                                  beam_erl_match (beam_erl_var ("Ps"), beam_erl_call ("erlang", "processes", 0)),
                                  beam_erl_match (beam_erl_var ("Starts"),
                                                  beam_erl_call ("lists", "seq", 3, beam_erl_integer (1),
                                                                 beam_erl_call ("erlang", "length", 1,
                                                                                beam_erl_var ("Ps")),
                                                                 beam_erl_var ("Size"))),
                                  beam_erl_call ("lists", "foreach", 2, per_slice, beam_erl_var ("Starts")),
                                  beam_erl_call ("erlang", "length", 1, beam_erl_var ("Starts"))));
  program = ptr_array (1, beam_erl_apply (body, 0));

  return beam_erl_eval_args (program,
                             "Items", beam_term_new_list_take (item_atoms),
                             "Reply", beam_term_new_reply_pid (),
                             "Size", beam_term_new_integer (chunk_size),
                             NULL);
}

/* ---- decoding, on the network thread ------------------------------------- */

static gboolean
decode_atom (const char *buf,
             int        *index,
             char       *atom)
{
  return ei_decode_atom_as (buf, index, atom, MAXATOMLEN_UTF8, ERLANG_UTF8, NULL, NULL) == 0;
}

static gboolean
decode_integer (const char *buf,
                int        *index,
                gint64     *value)
{
  long long v;

  if (ei_decode_longlong (buf, index, &v) != 0)
    return FALSE;
  *value = v;
  return TRUE;
}

/* {M, F, A} as "m:f/a", interned; an atom (as 'undefined') as itself. */
static gboolean
decode_mfa (BeamProcessTable *table,
            const char       *buf,
            int              *index,
            guint32          *id)
{
  char module[MAXATOMLEN_UTF8];
  char function[MAXATOMLEN_UTF8];
  char text[2 * MAXATOMLEN_UTF8 + 32];
  gint64 arity;
  int arity_header;
  int type, size;

  if (ei_get_type (buf, index, &type, &size) != 0)
    return FALSE;
  if (type == ERL_ATOM_EXT)
    {
      if (!decode_atom (buf, index, module))
        return FALSE;
      *id = beam_process_table_intern (table, module);
      return TRUE;
    }
  if (ei_decode_tuple_header (buf, index, &arity_header) != 0 || arity_header != 3 ||
      !decode_atom (buf, index, module) || !decode_atom (buf, index, function) ||
      !decode_integer (buf, index, &arity))
    return FALSE;
  g_snprintf (text, sizeof text, "%s:%s/%" G_GINT64_FORMAT, module, function, arity);
  *id = beam_process_table_intern (table, text);
  return TRUE;
}

/* One {Pid, Values, InitialCall} record, or FALSE if it has another shape. */
static gboolean
decode_record (BeamProcessTable *table,
               const char       *buf,
               int              *index)
{
  BeamProcessRecord *record;
  erlang_pid pid;
  char atom[MAXATOMLEN_UTF8];
  int arity, n_values, type, size;
  gint64 number;

  if (ei_decode_tuple_header (buf, index, &arity) != 0 || arity != 3 ||
      ei_decode_pid (buf, index, &pid) != 0 ||
      ei_decode_list_header (buf, index, &n_values) != 0 || n_values != N_ITEMS)
    return FALSE;

  record = beam_process_table_append (table);
  record->pid_num = pid.num;
  record->pid_serial = pid.serial;

  /* registered_name: an atom, or [] (an empty list) when there is none. */
  if (ei_get_type (buf, index, &type, &size) != 0)
    return FALSE;
  if (type == ERL_ATOM_EXT)
    {
      if (!decode_atom (buf, index, atom))
        return FALSE;
      record->name = beam_process_table_intern (table, atom);
      record->registered = TRUE;
    }
  else if (ei_decode_list_header (buf, index, &size) != 0 || size != 0)
    return FALSE;

  if (!decode_integer (buf, index, &record->memory) ||
      !decode_integer (buf, index, &record->reductions) ||
      !decode_integer (buf, index, &number) ||
      !decode_mfa (table, buf, index, &record->current_function) ||
      !decode_atom (buf, index, atom) ||
      !decode_integer (buf, index, &record->heap_size) ||
      !decode_integer (buf, index, &record->total_heap_size))
    return FALSE;
  record->message_queue_len = (guint32) CLAMP (number, 0, G_MAXUINT32);
  record->status = beam_process_status_from_string (atom);

  /* The list's tail, then the initial call. */
  if (ei_decode_list_header (buf, index, &size) != 0 || size != 0)
    return FALSE;
  return decode_mfa (table, buf, index, &record->initial_call);
}

/* {beamscope_procs, [Record, ...]}. The message was validated first, so ei
 * cannot read past its end whatever the node sent. */
static void
on_slice (const char *buf,
          gsize       len,
          gpointer    user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  char tag[MAXATOMLEN_UTF8];
  int index = 0, version, arity, n;
  guint first = beam_process_table_get_n_records (fetch->table);

  if (!beam_term_validate (buf, len, &error))
    goto bad;
  if (ei_decode_version (buf, &index, &version) != 0 ||
      ei_decode_tuple_header (buf, &index, &arity) != 0 || arity != 2 ||
      !decode_atom (buf, &index, tag) || strcmp (tag, "beamscope_procs") != 0 ||
      ei_decode_list_header (buf, &index, &n) != 0)
    goto bad;

  for (int i = 0; i < n; i++)
    if (!decode_record (fetch->table, buf, &index))
      goto bad;
  return;

bad:
  /* Keep what the other slices bring; say once that one could not be read. */
  while (beam_process_table_get_n_records (fetch->table) > first)
    beam_process_table_unappend (fetch->table);
  if (fetch->error == NULL)
    fetch->error = g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                                _("Part of the process list could not be read: %s"),
                                error != NULL ? error->message : _("unexpected shape"));
}

/* Runs on the network thread once every slice is in. */
static gpointer
finish_table (const BeamTerm  *reply,
              gpointer         user_data,
              GError         **error)
{
  Fetch *fetch = user_data;
  const BeamTerm *count = reply;

  /* erl_eval:exprs/2 answers {value, Value, Bindings}. */
  if (beam_term_tagged (reply, "value", 3) != NULL)
    count = reply->children[1];
  if (count->kind != BEAM_TERM_INTEGER)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                   _("Unexpected answer to the process list program"));
      return NULL;
    }
  if (fetch->error != NULL && beam_process_table_get_n_records (fetch->table) == 0)
    {
      g_propagate_error (error, g_steal_pointer (&fetch->error));
      return NULL;
    }

  beam_process_table_set_sampled_at (fetch->table, g_get_monotonic_time ());
  beam_process_table_compute_rates (fetch->table, fetch->previous);
  return beam_process_table_ref (fetch->table);
}

static void
fetch_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  BeamProcessTable *table = beam_connection_call_finish (BEAM_CONNECTION (object), result, &error);

  if (table == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, table, (GDestroyNotify) beam_process_table_unref);
}

void
beam_process_list_fetch_async (BeamConnection      *connection,
                               BeamProcessTable    *previous,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, beam_process_list_fetch_async);
  fetch = g_new0 (Fetch, 1);
  fetch->table = beam_process_table_new (beam_connection_get_target_node (connection));
  fetch->previous = previous != NULL ? beam_process_table_ref (previous) : NULL;
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  beam_connection_call_async (connection, &(BeamCall) {
                                .module = "erl_eval", .function = "exprs",
                                .args = beam_process_list_build_program (CHUNK_SIZE),
                                .timeout_ms = FETCH_TIMEOUT_MS,
                                .decode = finish_table, .decode_data = fetch,
                                .result_free = (GDestroyNotify) beam_process_table_unref,
                                .on_message = on_slice, .stream_data = fetch,
                                .counted = TRUE,
                              }, cancellable, fetch_done, g_object_ref (task));
}

BeamProcessTable *
beam_process_list_fetch_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
