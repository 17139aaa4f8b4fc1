/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The process list, asked as one small program evaluated on the node by
 * erl_eval (nothing is loaded there):
 *
 *   (fun () ->
 *      Compact = ets:match_spec_compile(CompactSpec),
 *      Select = ets:match_spec_compile(SelectSpec),
 *      Ps = erlang:processes(),
 *      Starts = lists:seq(1, erlang:length(Ps), Size),
 *      lists:foreach(fun (S) ->
 *          Slice = lists:sublist(Ps, S, Size),
 *          erlang:spawn(fun () ->
 *              Rows = ets:match_spec_run(
 *                       lists:zip(Slice, lists:zipwith(fun erlang:process_info/2, Slice,
 *                                                      lists:duplicate(erlang:length(Slice), Items))),
 *                       Compact),
 *              ProcLib = ets:match_spec_run(Rows, Select),
 *              Reply ! {beamscope_procs,
 *                       lists:zip(ProcLib, lists:map(fun proc_lib:translate_initial_call/1, ProcLib)),
 *                       Rows}
 *            end)
 *        end, Starts),
 *      erlang:length(Starts)
 *    end)().
 *
 * erl_eval interprets only this outline; the work per process is done by
 * compiled code: lists:zipwith/3 calls process_info/2, and the compiled
 * match specs (the ones ets:select/2 would use) turn each answer into a
 * {Pid, RegisteredName, InitialCall, Memory, ...} tuple without its keys and
 * pick the proc_lib processes, whose initial call proc_lib translates, as
 * observer does. One short-lived process per slice collects
 * it, so a node with spare schedulers collects in parallel; each sends its
 * slice straight to our reply pid and ends. The call's reply is the number of
 * slices, and the call ends when that many have arrived. observer_backend's
 * procs_info/1 gives neither status nor heap sizes, which the page and `top`
 * need; this does, and works without runtime_tools. The slices are decoded
 * on the network thread as they come, straight into the flat table. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <ei.h>
#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-process-list.h"
#include "beam-term-printer.h"
#include "beam-wire-error.h"

#define CHUNK_SIZE       20000  /* processes per slice: about 2.5 MB a message */
#define FETCH_TIMEOUT_MS 120000

/* What process_info/2 is asked, in this order; the compact row is
 * {Pid, RegisteredName, InitialCall, Memory, Reductions, MessageQueueLen,
 *  CurrentFunction, Status, HeapSize, TotalHeapSize}. */
static const char * const items[] = {
  "registered_name", "initial_call", "memory", "reductions", "message_queue_len",
  "current_function", "status", "heap_size", "total_heap_size",
};

#define N_ITEMS     G_N_ELEMENTS (items)
#define ROW_ARITY   (1 + N_ITEMS)

static const char * const match_variables[] = {
  "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10",
};

G_STATIC_ASSERT (G_N_ELEMENTS (match_variables) == ROW_ARITY);

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

/* [{{'$1', [{registered_name, '$2'}, ...]}, [], [{{'$1', '$2', ...}}]}] */
static BeamTerm *
compact_spec (void)
{
  GPtrArray *pairs = g_ptr_array_new ();
  GPtrArray *row = g_ptr_array_new ();
  BeamTerm *head;
  BeamTerm *body;

  g_ptr_array_add (row, beam_term_new_atom (match_variables[0]));
  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_ptr_array_add (pairs, beam_term_new_tuple (2, beam_term_new_atom (items[i]),
                                                   beam_term_new_atom (match_variables[i + 1])));
      g_ptr_array_add (row, beam_term_new_atom (match_variables[i + 1]));
    }
  head = beam_term_new_tuple (2, beam_term_new_atom (match_variables[0]), beam_term_new_list_take (pairs));
  /* In a match spec body, a tuple is written {{...}}. */
  body = beam_term_new_tuple (1, beam_term_new_tuple_take (row));
  return beam_term_new_list (1, beam_term_new_tuple (3, head, beam_term_new_list (0),
                                                     beam_term_new_list (1, body)));
}

/* The processes started by proc_lib:
 * [{{'$1', '_', {proc_lib, init_p, '_'}, '_', ...}, [], ['$1']}] */
static BeamTerm *
select_spec (void)
{
  GPtrArray *head = g_ptr_array_new ();

  g_ptr_array_add (head, beam_term_new_atom ("$1"));
  g_ptr_array_add (head, beam_term_new_atom ("_"));
  g_ptr_array_add (head, beam_term_new_tuple (3, beam_term_new_atom ("proc_lib"), beam_term_new_atom ("init_p"),
                                              beam_term_new_atom ("_")));
  for (guint i = 3; i < ROW_ARITY; i++)
    g_ptr_array_add (head, beam_term_new_atom ("_"));
  return beam_term_new_list (1, beam_term_new_tuple (3, beam_term_new_tuple_take (head), beam_term_new_list (0),
                                                     beam_term_new_list (1, beam_term_new_atom ("$1"))));
}

BeamTerm *
beam_process_list_build_program (guint chunk_size)
{
  GPtrArray *item_atoms = g_ptr_array_new ();
  BeamTerm *rows;
  BeamTerm *worker;
  BeamTerm *per_slice;
  BeamTerm *body;
  GPtrArray *program;

  for (guint i = 0; i < N_ITEMS; i++)
    g_ptr_array_add (item_atoms, beam_term_new_atom (items[i]));

  rows = beam_erl_call ("ets", "match_spec_run", 2,
                        beam_erl_call ("lists", "zip", 2, beam_erl_var ("Slice"),
                                       beam_erl_call ("lists", "zipwith", 3,
                                                      beam_erl_export_fun ("erlang", "process_info", 2),
                                                      beam_erl_var ("Slice"),
                                                      beam_erl_call ("lists", "duplicate", 2,
                                                                     beam_erl_call ("erlang", "length", 1,
                                                                                    beam_erl_var ("Slice")),
                                                                     beam_erl_var ("Items")))),
                        beam_erl_var ("Compact"));

  worker = beam_erl_fun (g_ptr_array_new (),
                         ptr_array (3,
                                    beam_erl_match (beam_erl_var ("Rows"), rows),
                                    beam_erl_match (beam_erl_var ("ProcLib"),
                                                    beam_erl_call ("ets", "match_spec_run", 2,
                                                                   beam_erl_var ("Rows"), beam_erl_var ("Select"))),
                                    beam_erl_op ("!", beam_erl_var ("Reply"),
                                                 beam_erl_tuple (3,
                                                                 beam_erl_atom ("beamscope_procs"),
                                                                 beam_erl_call ("lists", "zip", 2,
                                                                                beam_erl_var ("ProcLib"),
                                                                                beam_erl_call ("lists", "map", 2,
                                                                                               beam_erl_export_fun ("proc_lib", "translate_initial_call", 1),
                                                                                               beam_erl_var ("ProcLib"))),
                                                                 beam_erl_var ("Rows")))));

  per_slice = beam_erl_fun (ptr_array (1, beam_erl_var ("S")),
                            ptr_array (2,
                                       beam_erl_match (beam_erl_var ("Slice"),
                                                       beam_erl_call ("lists", "sublist", 3, beam_erl_var ("Ps"),
                                                                      beam_erl_var ("S"), beam_erl_var ("Size"))),
                                       beam_erl_call ("erlang", "spawn", 1, worker)));

  /* Inside a fun, so that Ps (every pid) stays out of the bindings
   * erl_eval answers with. */
  body = beam_erl_fun (g_ptr_array_new (),
                       ptr_array (6,
                                  beam_erl_match (beam_erl_var ("Compact"),
                                                  beam_erl_call ("ets", "match_spec_compile", 1,
                                                                 beam_erl_var ("CompactSpec"))),
                                  beam_erl_match (beam_erl_var ("Select"),
                                                  beam_erl_call ("ets", "match_spec_compile", 1,
                                                                 beam_erl_var ("SelectSpec"))),
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
                             "CompactSpec", compact_spec (),
                             "Items", beam_term_new_list_take (item_atoms),
                             "Reply", beam_term_new_reply_pid (),
                             "SelectSpec", select_spec (),
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

static guint64
pid_key (const erlang_pid *pid)
{
  return ((guint64) pid->num << 32) | pid->serial;
}

static guint
pid_hash (gconstpointer key)
{
  guint64 pid = GPOINTER_TO_SIZE (key);

  return (guint) (pid >> 32) * 2654435761u ^ (guint) pid;
}

/* One compact row, or FALSE if it has another shape. */
static gboolean
decode_row (BeamProcessTable *table,
            GHashTable       *translated,
            const char       *buf,
            int              *index)
{
  BeamProcessRecord *record;
  erlang_pid pid;
  char atom[MAXATOMLEN_UTF8];
  int arity, type, size;
  gint64 number;
  gpointer name;

  if (ei_decode_tuple_header (buf, index, &arity) != 0 || arity != ROW_ARITY ||
      ei_decode_pid (buf, index, &pid) != 0)
    return FALSE;

  record = beam_process_table_append (table);
  record->pid_num = pid.num;
  record->pid_serial = pid.serial;

  /* registered_name: an atom, or [] when there is none. */
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

  if (!decode_mfa (table, buf, index, &record->initial_call) ||
      !decode_integer (buf, index, &record->memory) ||
      !decode_integer (buf, index, &record->reductions) ||
      !decode_integer (buf, index, &number) ||
      !decode_mfa (table, buf, index, &record->current_function) ||
      !decode_atom (buf, index, atom) ||
      !decode_integer (buf, index, &record->heap_size) ||
      !decode_integer (buf, index, &record->total_heap_size))
    return FALSE;
  record->message_queue_len = (guint32) CLAMP (number, 0, G_MAXUINT32);
  record->status = beam_process_status_from_string (atom);

  /* A proc_lib process: the initial call it was started for, as observer shows. */
  if (translated != NULL &&
      g_hash_table_lookup_extended (translated, GSIZE_TO_POINTER ((gsize) pid_key (&pid)), NULL, &name))
    record->initial_call = GPOINTER_TO_UINT (name);
  return TRUE;
}

/* [{Pid, {M, F, A}}, ...] into pid -> string id. */
static gboolean
decode_translations (BeamProcessTable *table,
                     GHashTable       *translated,
                     const char       *buf,
                     int              *index)
{
  int n, arity, size;

  if (ei_decode_list_header (buf, index, &n) != 0)
    return FALSE;
  for (int i = 0; i < n; i++)
    {
      erlang_pid pid;
      guint32 id;

      if (ei_decode_tuple_header (buf, index, &arity) != 0 || arity != 2 ||
          ei_decode_pid (buf, index, &pid) != 0 || !decode_mfa (table, buf, index, &id))
        return FALSE;
      g_hash_table_insert (translated, GSIZE_TO_POINTER ((gsize) pid_key (&pid)), GUINT_TO_POINTER (id));
    }
  return n == 0 || (ei_decode_list_header (buf, index, &size) == 0 && size == 0);
}

/* {beamscope_procs, Translations, Rows}. The message was validated first,
 * so ei cannot read past its end whatever the node sent. */
static void
on_slice (const char *buf,
          gsize       len,
          gpointer    user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) translated = g_hash_table_new (pid_hash, g_direct_equal);
  char tag[MAXATOMLEN_UTF8];
  int index = 0, version, arity, n;
  guint first = beam_process_table_get_n_records (fetch->table);

  if (!beam_term_validate (buf, len, &error))
    goto bad;
  if (ei_decode_version (buf, &index, &version) != 0 ||
      ei_decode_tuple_header (buf, &index, &arity) != 0 || arity != 3 ||
      !decode_atom (buf, &index, tag) || strcmp (tag, "beamscope_procs") != 0 ||
      !decode_translations (fetch->table, translated, buf, &index) ||
      ei_decode_list_header (buf, &index, &n) != 0)
    goto bad;

  for (int i = 0; i < n; i++)
    if (!decode_row (fetch->table, g_hash_table_size (translated) > 0 ? translated : NULL, buf, &index))
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
