/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The memory playbook's erl_eval programs, each shown in Erlang above its
 * builder. Every answer is chosen and bounded on the node, so a node with a
 * million processes or tables sends only the rows we show; sizes the node
 * gives in words come with its word size and are turned into bytes here. */

#define G_LOG_DOMAIN "beamscope-probe"

#include "beam-erl-expr.h"
#include "beam-memory-playbook.h"
#include "beam-term-printer.h"

#define VAR(name)          beam_erl_var (name)
#define ATOM(name)         beam_erl_atom (name)
#define CALL(m, f, n, ...) beam_erl_call (m, f, n, __VA_ARGS__)
#define CALL0(m, f)        beam_erl_call (m, f, 0)

static BeamTerm *
list_of_atoms (guint        n,
               const char **names)
{
  BeamTerm *list = beam_erl_nil ();

  for (guint i = n; i > 0; i--)
    list = beam_erl_cons (ATOM (names[i - 1]), list);
  return list;
}

/* [X] */
static BeamTerm *
singleton (BeamTerm *element)
{
  return beam_erl_cons (element, beam_erl_nil ());
}

static BeamTerm *
system_wordsize (void)
{
  return CALL ("erlang", "system_info", 1, ATOM ("wordsize"));
}

static BeamTerm *
binary_memory (void)
{
  return CALL ("erlang", "memory", 1, ATOM ("binary"));
}

/* {W, lists:sublist(lists:reverse(lists:keysort(Key, Rows)), Limit)} */
static BeamTerm *
biggest_first (BeamTerm *rows,
               gint64    key)
{
  return beam_erl_tuple (2, system_wordsize (),
                         CALL ("lists", "sublist", 2,
                               CALL ("lists", "reverse", 1,
                                     CALL ("lists", "keysort", 2, beam_erl_integer (key), rows)),
                               VAR ("Limit")));
}

/* [{T, O, N, ets:info(T, size), M}
 *  || T <- ets:all(), M <- [ets:info(T, memory)], is_integer(M),
 *     O <- [ets:info(T, owner)], is_pid(O),
 *     N <- [erlang:process_info(O, registered_name)], N =/= undefined]
 * A table deleted meanwhile answers undefined and drops out; so does one
 * whose owner died (process_info of a dead process is undefined: its table
 * goes with it, or to its heir, a moment later). N is {registered_name, Name}
 * or [] for an owner without a name. */
static BeamTerm *
ets_program (guint limit)
{
  BeamTerm *rows;

  rows = beam_erl_lc (beam_erl_tuple (5, VAR ("T"), VAR ("O"), VAR ("N"),
                                      CALL ("ets", "info", 2, VAR ("T"), ATOM ("size")),
                                      VAR ("M")),
                      7,
                      beam_erl_generate (VAR ("T"), CALL0 ("ets", "all")),
                      beam_erl_generate (VAR ("M"),
                                         singleton (CALL ("ets", "info", 2, VAR ("T"),
                                                          ATOM ("memory")))),
                      CALL ("erlang", "is_integer", 1, VAR ("M")),
                      beam_erl_generate (VAR ("O"),
                                         singleton (CALL ("ets", "info", 2, VAR ("T"),
                                                          ATOM ("owner")))),
                      CALL ("erlang", "is_pid", 1, VAR ("O")),
                      beam_erl_generate (VAR ("N"),
                                         singleton (CALL ("erlang", "process_info", 2, VAR ("O"),
                                                          ATOM ("registered_name")))),
                      beam_erl_op ("=/=", VAR ("N"), ATOM ("undefined")));

  return beam_erl_eval_args (beam_erl_exprs (1, biggest_first (rows, 5)),
                             "Limit", beam_term_new_integer (limit), NULL);
}

/* W = erlang:system_info(wordsize),
 * [{P, N, H, M} || P <- erlang:processes(),
 *                  [{registered_name, N}, {total_heap_size, H}, {memory, M}]
 *                      <- [erlang:process_info(P, [registered_name, total_heap_size, memory])],
 *                  H * W >= Threshold] */
static BeamTerm *
heaps_program (gint64 threshold,
               guint  limit)
{
  static const char *items[] = { "registered_name", "total_heap_size", "memory" };
  BeamTerm *pattern = beam_erl_nil ();
  BeamTerm *rows;

  pattern = beam_erl_cons (beam_erl_tuple (2, ATOM ("memory"), VAR ("M")), pattern);
  pattern = beam_erl_cons (beam_erl_tuple (2, ATOM ("total_heap_size"), VAR ("H")), pattern);
  pattern = beam_erl_cons (beam_erl_tuple (2, ATOM ("registered_name"), VAR ("N")), pattern);
  rows = beam_erl_lc (beam_erl_tuple (4, VAR ("P"), VAR ("N"), VAR ("H"), VAR ("M")),
                      3,
                      beam_erl_generate (VAR ("P"), CALL0 ("erlang", "processes")),
                      beam_erl_generate (pattern,
                                         singleton (CALL ("erlang", "process_info", 2, VAR ("P"),
                                                          list_of_atoms (G_N_ELEMENTS (items),
                                                                         items)))),
                      beam_erl_op (">=", beam_erl_op ("*", VAR ("H"), VAR ("W")),
                                   VAR ("Threshold")));

  return beam_erl_eval_args (beam_erl_exprs (2,
                                             beam_erl_match (VAR ("W"), system_wordsize ()),
                                             biggest_first (rows, 3)),
                             "Threshold", beam_term_new_integer (threshold),
                             "Limit", beam_term_new_integer (limit),
                             NULL);
}

/* B0 = erlang:memory(binary), Ps = erlang:processes(),
 * _ = [erlang:garbage_collect(P) || P <- Ps],
 * timer:sleep(250),
 * {B0, erlang:memory(binary), length(Ps)}
 *
 * The pause: a binary freed on one scheduler but allocated by another's
 * allocator instance goes back to that instance through a queue, and
 * erlang:memory(binary) counts it until the owner has taken it (measured:
 * under load, up to a few ms). */
static BeamTerm *
binary_collect_program (void)
{
  GPtrArray *body;

  body = beam_erl_exprs (5,
                         beam_erl_match (VAR ("B0"), binary_memory ()),
                         beam_erl_match (VAR ("Ps"), CALL0 ("erlang", "processes")),
                         beam_erl_lc (CALL ("erlang", "garbage_collect", 1, VAR ("P")), 1,
                                      beam_erl_generate (VAR ("P"), VAR ("Ps"))),
                         CALL ("timer", "sleep", 1, beam_erl_integer (250)),
                         beam_erl_tuple (3, VAR ("B0"), binary_memory (),
                                         CALL ("erlang", "length", 1, VAR ("Ps"))));
  return beam_erl_eval_args (body, NULL);
}

#undef VAR
#undef ATOM
#undef CALL
#undef CALL0

static void
ets_table_memory_free (BeamEtsTableMemory *table)
{
  g_free (table->table);
  g_free (table->owner);
  g_free (table->owner_name);
  g_free (table);
}

static void
heap_memory_free (BeamHeapMemory *heap)
{
  g_free (heap->pid);
  g_free (heap->name);
  g_free (heap);
}

/* {WordSize, Rows} with Rows a list of tuples of `arity` */
static const BeamTerm *
sized_rows (const BeamTerm *reply,
            gint64         *word_size)
{
  const BeamTerm *value = beam_erl_eval_value (reply);

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 2 ||
      !beam_term_get_int64 (value->children[0], word_size) ||
      value->children[1]->kind != BEAM_TERM_LIST)
    return NULL;
  return value->children[1];
}

static gpointer
decode_ets (const BeamTerm  *reply,
            gpointer         user_data G_GNUC_UNUSED,
            GError         **error)
{
  gint64 word_size;
  const BeamTerm *rows = sized_rows (reply, &word_size);
  GPtrArray *tables;

  if (rows == NULL)
    {
      beam_erl_set_bad_reply (error, "ets:info/2");
      return NULL;
    }
  tables = g_ptr_array_new_with_free_func ((GDestroyNotify) ets_table_memory_free);
  for (guint i = 0; i < rows->n_children; i++)
    {
      const BeamTerm *row = rows->children[i];
      BeamEtsTableMemory *table;

      const BeamTerm *name;

      if (row->kind != BEAM_TERM_TUPLE || row->n_children != 5 ||
          row->children[1]->kind != BEAM_TERM_PID)
        continue;
      table = g_new0 (BeamEtsTableMemory, 1);
      table->table = beam_term_print (row->children[0], NULL);
      table->owner = beam_term_print (row->children[1], NULL);
      name = beam_term_tagged (row->children[2], "registered_name", 2);
      if (name != NULL && name->children[1]->kind == BEAM_TERM_ATOM)
        table->owner_name = g_strdup (name->children[1]->v.atom.name);
      beam_term_get_int64 (row->children[3], &table->objects);
      beam_term_get_int64 (row->children[4], &table->bytes);
      table->bytes *= word_size;
      g_ptr_array_add (tables, table);
    }
  return tables;
}

static gpointer
decode_heaps (const BeamTerm  *reply,
              gpointer         user_data G_GNUC_UNUSED,
              GError         **error)
{
  gint64 word_size;
  const BeamTerm *rows = sized_rows (reply, &word_size);
  GPtrArray *heaps;

  if (rows == NULL)
    {
      beam_erl_set_bad_reply (error, "erlang:process_info/2");
      return NULL;
    }
  heaps = g_ptr_array_new_with_free_func ((GDestroyNotify) heap_memory_free);
  for (guint i = 0; i < rows->n_children; i++)
    {
      const BeamTerm *row = rows->children[i];
      BeamHeapMemory *heap;

      if (row->kind != BEAM_TERM_TUPLE || row->n_children != 4 ||
          row->children[0]->kind != BEAM_TERM_PID)
        continue;
      heap = g_new0 (BeamHeapMemory, 1);
      heap->pid = beam_term_print (row->children[0], NULL);
      /* process_info answers [] for a process without a name */
      if (row->children[1]->kind == BEAM_TERM_ATOM)
        heap->name = g_strdup (row->children[1]->v.atom.name);
      beam_term_get_int64 (row->children[2], &heap->heap_bytes);
      heap->heap_bytes *= word_size;
      beam_term_get_int64 (row->children[3], &heap->memory);
      g_ptr_array_add (heaps, heap);
    }
  return heaps;
}

static gpointer
decode_binary_collect (const BeamTerm  *reply,
                       gpointer         user_data G_GNUC_UNUSED,
                       GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  BeamBinaryCollection *collection;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 3)
    {
      beam_erl_set_bad_reply (error, "erlang:garbage_collect/1");
      return NULL;
    }
  collection = g_new0 (BeamBinaryCollection, 1);
  if (!beam_term_get_int64 (value->children[0], &collection->before) ||
      !beam_term_get_int64 (value->children[1], &collection->after) ||
      !beam_term_get_int64 (value->children[2], &collection->processes))
    {
      g_free (collection);
      beam_erl_set_bad_reply (error, "erlang:memory(binary)");
      return NULL;
    }
  return collection;
}

static void
start (BeamConnection      *connection,
       gpointer             tag,
       BeamTerm            *args,
       guint                timeout_ms,
       BeamReplyDecodeFunc  decode,
       GDestroyNotify       result_free,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  beam_connection_call_task_async (connection, tag, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs", .args = args,
                                     .timeout_ms = timeout_ms, .decode = decode,
                                     .result_free = result_free,
                                   }, cancellable, callback, user_data);
}

void
beam_memory_playbook_ets_async (BeamConnection      *connection,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  start (connection, beam_memory_playbook_ets_async, ets_program (limit), 30000, decode_ets,
         (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
beam_memory_playbook_ets_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return beam_connection_call_task_finish (result, beam_memory_playbook_ets_async, error);
}

void
beam_memory_playbook_heaps_async (BeamConnection      *connection,
                                  gint64               threshold,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  /* Every process is asked, on the node: a million of them take seconds. */
  start (connection, beam_memory_playbook_heaps_async, heaps_program (threshold, limit), 60000,
         decode_heaps, (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
beam_memory_playbook_heaps_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return beam_connection_call_task_finish (result, beam_memory_playbook_heaps_async, error);
}

void
beam_memory_playbook_binary_collect_async (BeamConnection      *connection,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  start (connection, beam_memory_playbook_binary_collect_async, binary_collect_program (), 120000,
         decode_binary_collect, g_free, cancellable, callback, user_data);
}

BeamBinaryCollection *
beam_memory_playbook_binary_collect_finish (GAsyncResult  *result,
                                            GError       **error)
{
  return beam_connection_call_task_finish (result, beam_memory_playbook_binary_collect_async,
                                           error);
}
