/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The process list, asked as one small program evaluated on the node by
 * erl_eval (nothing is loaded there):
 *
 *   (fun () ->
 *      Compact = ets:match_spec_compile(CompactSpec),
 *      Select = ets:match_spec_compile(SelectSpec),
 *      Ps = erlang:processes(),
 *      Len = erlang:length(Ps),
 *      Schedulers = erlang:system_info(schedulers_online),
 *      Size = erlang:min(MaxSize, erlang:max(MinSize, Len div (4 * Schedulers) + 1)),
 *      K = erlang:max(1, erlang:min(Schedulers, (Len + Size - 1) div Size)),
 *      Parts = [lists:sublist(Ps, 1 + I * Big, Big) || Big <- [(Len + K - 1) div K],
 *                                                    I <- lists:seq(0, K - 1)],
 *      lists:foreach(fun (Part) ->
 *          erlang:spawn(erl_eval, exprs, [Worker, [{'Compact', Compact}, {'Items', Items},
 *                                                  {'Part', Part}, {'Reply', Reply},
 *                                                  {'Select', Select}, {'Size', Size}]])
 *        end, Parts),
 *      lists:sum([(erlang:length(P) + Size - 1) div Size || P <- Parts])
 *    end)().
 *
 * where Worker, one per scheduler, goes through its part a slice at a time:
 *
 *   lists:foreach(fun (S) ->
 *       Slice = lists:sublist(Part, S, Size),
 *       Rows = ets:match_spec_run(
 *                lists:zip(Slice, lists:zipwith(fun erlang:process_info/2, Slice,
 *                                               lists:duplicate(erlang:length(Slice), Items))),
 *                Compact),
 *       ProcLib = ets:match_spec_run(Rows, Select),
 *       Unnamed = ets:match_spec_run(Rows, SelectUnnamed),
 *       Labels = case Keyed of
 *                  true -> ets:match_spec_run(
 *                            lists:zip(Unnamed, lists:zipwith(fun erlang:process_info/2, Unnamed,
 *                                        lists:duplicate(erlang:length(Unnamed), LabelItems))),
 *                            KeyedLabel);
 *                  _ -> Dicts = ets:match_spec_run(
 *                                 lists:zip(Unnamed, lists:zipwith(fun erlang:process_info/2,
 *                                   Unnamed, lists:duplicate(erlang:length(Unnamed),
 *                                                            dictionary))), Dictionaries),
 *                       {LPs, Ds} = lists:unzip(Dicts),
 *                       ets:match_spec_run(
 *                         lists:zip3(LPs, lists:zipwith(fun proplists:get_value/2,
 *                                           lists:duplicate(erlang:length(LPs), LabelKey1), Ds),
 *                                    lists:zipwith(fun proplists:get_value/2,
 *                                           lists:duplicate(erlang:length(LPs), LabelKey2), Ds)),
 *                         DictLabel)
 *                end,
 *       Reply ! {beamscope_procs,
 *                lists:zip(ProcLib, lists:map(fun proc_lib:translate_initial_call/1, ProcLib)),
 *                Rows, Labels, erlang:system_info(wordsize)}
 *     end, lists:seq(1, erlang:length(Part), Size)).
 *
 * erl_eval interprets only this outline; the work per process is done by
 * compiled code: lists:zipwith/3 calls process_info/2, and the compiled match
 * specs (what ets:select/2 runs) turn each answer into a {Pid, Name,
 * InitialCall, Memory, ...} tuple without its keys, and pick the proc_lib
 * processes, whose initial call proc_lib translates, as observer does. The
 * workers run on all schedulers at once and each sends its slices straight to
 * our reply pid as it goes, so they arrive steadily while the rest is
 * collected; the call's reply is the number of slices, and the call ends when
 * that many are in. Workers get only the bindings they need: a fun would
 * carry every binding in scope, Ps (every pid) among them, into each.
 *
 * A process that is not registered may have given itself a name: OTP 27's
 * proc_lib:set_label/1 (and Elixir's Process.set_label/1) keep it in the
 * dictionary as '$process_label', RabbitMQ keeps process_name there. Only
 * unregistered processes are asked. Where the node has proc_lib:get_label/1
 * (Keyed), process_info/2 reads just those keys ({dictionary, Key}, OTP
 * 26.2); elsewhere the dictionary is copied and proplists looks the keys up,
 * compiled code in both cases.
 *
 * observer_backend:procs_info/1 has neither status nor heap sizes, which the
 * page and `top` need; this has, and works without runtime_tools. The slices
 * are decoded on the network thread as they come, straight into the table. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <ei.h>
#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-process-list-private.h"
#include "beam-term-printer.h"
#include "beam-wire-error.h"

#define CHUNK_SIZE       20000  /* at most, processes per slice: about 2.5 MB a message */
#define MIN_CHUNK_SIZE   1000   /* at least: below, a slice costs more than it saves */
#define FETCH_TIMEOUT_MS 120000
/* A slice is about 2.5 MB: long names or many of them may make it several
 * times that, never this. The cap is per message, so a million processes
 * fit. */
#define MAX_SLICE_BYTES  (32 * 1024 * 1024)

/* What process_info/2 is asked, in this order; the compact row is
 * {Pid, RegisteredName, InitialCall, Memory, Reductions, MessageQueueLen,
 *  CurrentFunction, Status[, HeapSize, TotalHeapSize]}. */
static const char * const items[] = {
  "registered_name", "initial_call", "memory", "reductions", "message_queue_len",
  "current_function", "status", "heap_size", "total_heap_size",
};

#define N_ITEMS      G_N_ELEMENTS (items)
#define N_PAGE_ITEMS (N_ITEMS - 2)  /* without the heap sizes, which take time to ask */
#define ROW_ARITY    (1 + N_ITEMS)

static const char * const match_variables[] = {
  "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10",
};

G_STATIC_ASSERT (G_N_ELEMENTS (match_variables) == ROW_ARITY);

typedef struct
{
  BeamProcessTable *table;     /* filled on the network thread */
  BeamProcessTable *previous;
  GError           *error;     /* the first chunk that could not be read */
  GHashTable       *strings;   /* Span -> string id + 1: terms seen before, by their bytes */
  GHashTable       *statuses;  /* Span -> BeamProcessStatus + 1 */
  GHashTable       *labels;    /* Span -> string id + 1 */
} Fetch;

/* The bytes of a term in a message. A node has few distinct names, initial
 * calls and current functions, so most are found by their bytes without
 * being decoded or formatted again: at a million rows that halves the time. */
typedef struct
{
  const char *bytes;
  gsize       len;
} Span;

static guint
span_hash (gconstpointer key)
{
  const Span *span = key;
  guint hash = 5381;

  for (gsize i = 0; i < span->len; i++)
    hash = hash * 33 + (guchar) span->bytes[i];
  return hash;
}

static gboolean
span_equal (gconstpointer a,
            gconstpointer b)
{
  const Span *x = a, *y = b;

  return x->len == y->len && memcmp (x->bytes, y->bytes, x->len) == 0;
}

static Span *
span_copy (const Span *span)
{
  Span *copy = g_malloc (sizeof (Span) + span->len);

  copy->bytes = memcpy ((char *) (copy + 1), span->bytes, span->len);
  copy->len = span->len;
  return copy;
}

static void
fetch_free (Fetch *fetch)
{
  g_clear_pointer (&fetch->strings, g_hash_table_unref);
  g_clear_pointer (&fetch->statuses, g_hash_table_unref);
  g_clear_pointer (&fetch->labels, g_hash_table_unref);
  g_clear_pointer (&fetch->table, beam_process_table_unref);
  g_clear_pointer (&fetch->previous, beam_process_table_unref);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

/* [{{'$1', [{registered_name, '$2'}, ...]}, [], [{{'$1', '$2', ...}}]}] */
static BeamTerm *
compact_spec (guint n_items)
{
  GPtrArray *pairs = g_ptr_array_new ();
  GPtrArray *row = g_ptr_array_new ();
  BeamTerm *head;
  BeamTerm *body;

  g_ptr_array_add (row, beam_term_new_atom (match_variables[0]));
  for (guint i = 0; i < n_items; i++)
    {
      g_ptr_array_add (pairs, beam_term_new_tuple (2, beam_term_new_atom (items[i]),
                                                   beam_term_new_atom (match_variables[i + 1])));
      g_ptr_array_add (row, beam_term_new_atom (match_variables[i + 1]));
    }
  head = beam_term_new_tuple (2, beam_term_new_atom (match_variables[0]),
                              beam_term_new_list_take (pairs));
  /* In a match spec body, a tuple is written {{...}}. */
  body = beam_term_new_tuple (1, beam_term_new_tuple_take (row));
  return beam_term_new_list (1, beam_term_new_tuple (3, head, beam_term_new_list (0),
                                                     beam_term_new_list (1, body)));
}

/* The processes started by proc_lib:
 * [{{'$1', '_', {proc_lib, init_p, '_'}, '_', ...}, [], ['$1']}] */
static BeamTerm *
select_spec (guint n_items)
{
  GPtrArray *head = g_ptr_array_new ();
  BeamTerm *body;

  g_ptr_array_add (head, beam_term_new_atom ("$1"));
  g_ptr_array_add (head, beam_term_new_atom ("_"));
  g_ptr_array_add (head, beam_term_new_tuple (3, beam_term_new_atom ("proc_lib"),
                                              beam_term_new_atom ("init_p"),
                                              beam_term_new_atom ("_")));
  for (guint i = 3; i < 1 + n_items; i++)
    g_ptr_array_add (head, beam_term_new_atom ("_"));
  body = beam_term_new_list (1, beam_term_new_atom ("$1"));
  return beam_term_new_list (1, beam_term_new_tuple (3, beam_term_new_tuple_take (head),
                                                     beam_term_new_list (0), body));
}

/* The pids of the rows with no registered name:
 * [{{'$1', [], '_', ...}, [], ['$1']}] */
static BeamTerm *
select_unnamed_spec (guint n_items)
{
  GPtrArray *head = g_ptr_array_new ();
  BeamTerm *body = beam_term_new_list (1, beam_term_new_atom ("$1"));

  g_ptr_array_add (head, beam_term_new_atom ("$1"));
  g_ptr_array_add (head, beam_term_new_list (0));
  for (guint i = 2; i < 1 + n_items; i++)
    g_ptr_array_add (head, beam_term_new_atom ("_"));

  return beam_term_new_list (1, beam_term_new_tuple (3, beam_term_new_tuple_take (head),
                                                     beam_term_new_list (0), body));
}

/* The dictionary keys where processes keep a name for themselves, first
 * found first. */
static const char * const label_keys[] = { "$process_label", "process_name" };

/* {'$1', Pattern} whose '$2' is not undefined, as {'$1', '$2'}. */
static BeamTerm *
label_clause (BeamTerm *head)
{
  BeamTerm *guard = beam_term_new_tuple (3, beam_term_new_atom ("=/="), beam_term_new_atom ("$2"),
                                         beam_term_new_atom ("undefined"));
  BeamTerm *body = beam_term_new_tuple (1, beam_term_new_tuple (2, beam_term_new_atom ("$1"),
                                                                beam_term_new_atom ("$2")));

  return beam_term_new_tuple (3, head, beam_term_new_list (1, guard), beam_term_new_list (1, body));
}

/* [{dictionary, Key}, ...]: what process_info/2 is asked where it can. */
static BeamTerm *
label_items (void)
{
  return beam_term_new_list (2,
                             beam_term_new_tuple (2, beam_term_new_atom ("dictionary"),
                                                  beam_term_new_atom (label_keys[0])),
                             beam_term_new_tuple (2, beam_term_new_atom ("dictionary"),
                                                  beam_term_new_atom (label_keys[1])));
}

/* On {P, [{_, V1}, {_, V2}]}: the first value that is not undefined. */
static BeamTerm *
keyed_label_spec (void)
{
  BeamTerm *first = beam_term_new_list (2, beam_term_new_tuple (2, beam_term_new_atom ("_"),
                                                                 beam_term_new_atom ("$2")),
                                         beam_term_new_atom ("_"));
  BeamTerm *second = beam_term_new_list (2, beam_term_new_atom ("_"),
                                         beam_term_new_tuple (2, beam_term_new_atom ("_"),
                                                              beam_term_new_atom ("$2")));

  return beam_term_new_list (2,
                             label_clause (beam_term_new_tuple (2, beam_term_new_atom ("$1"),
                                                                first)),
                             label_clause (beam_term_new_tuple (2, beam_term_new_atom ("$1"),
                                                                second)));
}

/* On {P, {dictionary, D}}: {P, D} for a dictionary that is not empty. */
static BeamTerm *
dictionaries_spec (void)
{
  BeamTerm *head = beam_term_new_tuple (2, beam_term_new_atom ("$1"),
                                        beam_term_new_tuple (2, beam_term_new_atom ("dictionary"),
                                                             beam_term_new_atom ("$2")));
  BeamTerm *guard = beam_term_new_tuple (3, beam_term_new_atom ("=/="), beam_term_new_atom ("$2"),
                                         beam_term_new_list (0));
  BeamTerm *body = beam_term_new_tuple (1, beam_term_new_tuple (2, beam_term_new_atom ("$1"),
                                                                beam_term_new_atom ("$2")));

  return beam_term_new_list (1, beam_term_new_tuple (3, head, beam_term_new_list (1, guard),
                                                     beam_term_new_list (1, body)));
}

/* On {P, V1, V2}: the first value that is not undefined. */
static BeamTerm *
dictionary_label_spec (void)
{
  return beam_term_new_list (2,
                             label_clause (beam_term_new_tuple (3, beam_term_new_atom ("$1"),
                                                                beam_term_new_atom ("$2"),
                                                                beam_term_new_atom ("_"))),
                             label_clause (beam_term_new_tuple (3, beam_term_new_atom ("$1"),
                                                                beam_term_new_atom ("_"),
                                                                beam_term_new_atom ("$2"))));
}

/* Shorthands for the program below. */
#define VAR(name)            beam_erl_var (name)
#define ATOM(name)           beam_erl_atom (name)
#define CALL(m, f, n, ...)   beam_erl_call (m, f, n, __VA_ARGS__)
#define INT(value)           beam_erl_integer (value)
#define OP(op, left, right)  beam_erl_op (op, left, right)
#define EXPRS(n, ...)        beam_erl_exprs (n, __VA_ARGS__)

/* (Dividend + Divisor - 1) div Divisor: how many parts of Divisor make
 * Dividend, the last one short. */
static BeamTerm *
div_up (BeamTerm   *dividend,
        const char *divisor)
{
  return OP ("div", OP ("-", OP ("+", dividend, VAR (divisor)), INT (1)), VAR (divisor));
}

/* Rows = ets:match_spec_run(lists:zip(Slice, lists:zipwith(fun erlang:process_info/2,
 *          Slice, lists:duplicate(length(Slice), Items))), Compact) */
static BeamTerm *
slice_rows (void)
{
  BeamTerm *infos = CALL ("lists", "zipwith", 3,
                          beam_erl_export_fun ("erlang", "process_info", 2), VAR ("Slice"),
                          CALL ("lists", "duplicate", 2,
                                CALL ("erlang", "length", 1, VAR ("Slice")), VAR ("Items")));

  return CALL ("ets", "match_spec_run", 2, CALL ("lists", "zip", 2, VAR ("Slice"), infos),
               VAR ("Compact"));
}

/* lists:duplicate(erlang:length(List), Value) */
static BeamTerm *
as_many (const char *list,
         BeamTerm   *value)
{
  return CALL ("lists", "duplicate", 2, CALL ("erlang", "length", 1, VAR (list)), value);
}

/* lists:zipwith(fun erlang:process_info/2, Unnamed, as_many(Unnamed, Item)) */
static BeamTerm *
unnamed_info (BeamTerm *item)
{
  return CALL ("lists", "zipwith", 3, beam_erl_export_fun ("erlang", "process_info", 2),
               VAR ("Unnamed"), as_many ("Unnamed", item));
}

/* lists:zipwith(fun proplists:get_value/2, as_many(LPs, Key), Ds) */
static BeamTerm *
dictionary_values (const char *key)
{
  return CALL ("lists", "zipwith", 3, beam_erl_export_fun ("proplists", "get_value", 2),
               as_many ("LPs", ATOM (key)), VAR ("Ds"));
}

/* Labels = case Keyed of ... end: [{Pid, Label}] of the unnamed processes
 * that have one (see the program at the top). */
static BeamTerm *
slice_labels (void)
{
  BeamTerm *keyed, *copied, *looked_up;

  keyed = CALL ("ets", "match_spec_run", 2,
                CALL ("lists", "zip", 2, VAR ("Unnamed"), unnamed_info (VAR ("LabelItems"))),
                VAR ("KeyedLabel"));
  copied = beam_erl_match (beam_erl_tuple (2, VAR ("LPs"), VAR ("Ds")),
                           CALL ("lists", "unzip", 1,
                                 CALL ("ets", "match_spec_run", 2,
                                       CALL ("lists", "zip", 2, VAR ("Unnamed"),
                                             unnamed_info (ATOM ("dictionary"))),
                                       VAR ("Dictionaries"))));
  looked_up = CALL ("ets", "match_spec_run", 2,
                    CALL ("lists", "zip3", 3, VAR ("LPs"), dictionary_values (label_keys[0]),
                          dictionary_values (label_keys[1])),
                    VAR ("DictLabel"));
  return beam_erl_match (VAR ("Labels"),
                         beam_erl_case (VAR ("Keyed"), 2,
                                        beam_erl_clause (ATOM ("true"), NULL, keyed),
                                        beam_erl_clause (VAR ("_"), NULL,
                                                         beam_erl_block (EXPRS (2, copied,
                                                                                looked_up)))));
}

/* Reply ! {beamscope_procs, lists:zip(ProcLib, lists:map(fun
 *          proc_lib:translate_initial_call/1, ProcLib)), Rows, Labels,
 *          erlang:system_info(wordsize)} */
static BeamTerm *
send_slice (void)
{
  BeamTerm *translated = CALL ("lists", "map", 2,
                               beam_erl_export_fun ("proc_lib", "translate_initial_call", 1),
                               VAR ("ProcLib"));

  return OP ("!", VAR ("Reply"),
             beam_erl_tuple (5, ATOM ("beamscope_procs"),
                             CALL ("lists", "zip", 2, VAR ("ProcLib"), translated),
                             VAR ("Rows"), VAR ("Labels"),
                             CALL ("erlang", "system_info", 1, ATOM ("wordsize"))));
}

/* Each worker goes through its part slice by slice, so that slices reach
 * us steadily, from the first one on, while the rest is collected. */
static BeamTerm *
worker_program (void)
{
  BeamTerm *per_slice;

  per_slice = beam_erl_fun (EXPRS (1, VAR ("S")),
                            EXPRS (6,
                                   beam_erl_match (VAR ("Slice"),
                                                   CALL ("lists", "sublist", 3, VAR ("Part"),
                                                         VAR ("S"), VAR ("Size"))),
                                   beam_erl_match (VAR ("Rows"), slice_rows ()),
                                   beam_erl_match (VAR ("ProcLib"),
                                                   CALL ("ets", "match_spec_run", 2,
                                                         VAR ("Rows"), VAR ("Select"))),
                                   beam_erl_match (VAR ("Unnamed"),
                                                   CALL ("ets", "match_spec_run", 2,
                                                         VAR ("Rows"), VAR ("SelectUnnamed"))),
                                   slice_labels (),
                                   send_slice ()));
  return beam_term_new_list (1, CALL ("lists", "foreach", 2, per_slice,
                                      CALL ("lists", "seq", 3, INT (1),
                                            CALL ("erlang", "length", 1, VAR ("Part")),
                                            VAR ("Size"))));
}

/* fun (Part) -> erlang:spawn(erl_eval, exprs, [Worker, Bindings]) end, with
 * Bindings [{'Compact', Compact}, {'Items', Items}, ...]: an orddict, sorted.
 * The worker gets these bindings only: a fun would carry every binding in
 * scope, Ps (every pid) among them, into every worker. */
static BeamTerm *
spawn_worker (void)
{
  static const char * const worker_variables[] = {
    "Compact", "DictLabel", "Dictionaries", "Items", "Keyed", "KeyedLabel", "LabelItems", "Part",
    "Reply", "Select", "SelectUnnamed", "Size",
  };
  BeamTerm *bindings = beam_erl_nil ();

  for (gint i = G_N_ELEMENTS (worker_variables) - 1; i >= 0; i--)
    bindings = beam_erl_cons (beam_erl_tuple (2, ATOM (worker_variables[i]),
                                              VAR (worker_variables[i])),
                              bindings);
  return beam_erl_fun (EXPRS (1, VAR ("Part")),
                       EXPRS (1, CALL ("erlang", "spawn", 3, ATOM ("erl_eval"), ATOM ("exprs"),
                                       beam_erl_cons (VAR ("Worker"),
                                                      beam_erl_cons (bindings,
                                                                     beam_erl_nil ())))));
}

/* Size = min(MaxSize, max(MinSize, Len div (4 * Schedulers) + 1)) */
static BeamTerm *
slice_size (void)
{
  return CALL ("erlang", "min", 2, VAR ("MaxSize"),
               CALL ("erlang", "max", 2, VAR ("MinSize"),
                     OP ("+", OP ("div", VAR ("Len"), OP ("*", INT (4), VAR ("Schedulers"))),
                         INT (1))));
}

/* K = max(1, min(Schedulers, (Len + Size - 1) div Size)) */
static BeamTerm *
n_workers (void)
{
  return CALL ("erlang", "max", 2, INT (1),
               CALL ("erlang", "min", 2, VAR ("Schedulers"), div_up (VAR ("Len"), "Size")));
}

/* Parts = [lists:sublist(Ps, 1 + I * Big, Big) || Big <- [(Len + K - 1) div K],
 *                                                 I <- lists:seq(0, K - 1)] */
static BeamTerm *
parts (void)
{
  return beam_erl_lc (CALL ("lists", "sublist", 3, VAR ("Ps"),
                            OP ("+", INT (1), OP ("*", VAR ("I"), VAR ("Big"))), VAR ("Big")),
                      2,
                      beam_erl_generate (VAR ("Big"),
                                         beam_erl_cons (div_up (VAR ("Len"), "K"),
                                                        beam_erl_nil ())),
                      beam_erl_generate (VAR ("I"),
                                         CALL ("lists", "seq", 2, INT (0),
                                               OP ("-", VAR ("K"), INT (1)))));
}

/* Name = ets:match_spec_compile(NameSpec) */
static BeamTerm *
compile_spec (const char *name)
{
  g_autofree char *spec = g_strconcat (name, "Spec", NULL);

  return beam_erl_match (VAR (name), CALL ("ets", "match_spec_compile", 1, VAR (spec)));
}

BeamTerm *
beam_process_list_build_program (guint    chunk_size,
                                 gboolean with_heap_sizes)
{
  guint n_items = with_heap_sizes ? N_ITEMS : N_PAGE_ITEMS;
  GPtrArray *item_atoms = g_ptr_array_new ();
  BeamTerm *body;

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (item_atoms, beam_term_new_atom (items[i]));

  /* Inside a fun, so that Ps stays out of the bindings erl_eval answers with. */
  body = beam_erl_fun (g_ptr_array_new (),
                       EXPRS (15,
                              beam_erl_match (VAR ("Compact"), CALL ("ets", "match_spec_compile", 1,
                                                                     VAR ("CompactSpec"))),
                              compile_spec ("SelectUnnamed"),
                              compile_spec ("KeyedLabel"),
                              compile_spec ("Dictionaries"),
                              compile_spec ("DictLabel"),
                              beam_erl_match (VAR ("Keyed"),
                                              CALL ("erlang", "function_exported", 3,
                                                    ATOM ("proc_lib"), ATOM ("get_label"),
                                                    INT (1))),
                              beam_erl_match (VAR ("Select"), CALL ("ets", "match_spec_compile", 1,
                                                                    VAR ("SelectSpec"))),
                              beam_erl_match (VAR ("Ps"), CALL ("erlang", "processes", 0, NULL)),
                              beam_erl_match (VAR ("Len"),
                                              CALL ("erlang", "length", 1, VAR ("Ps"))),
                              beam_erl_match (VAR ("Schedulers"),
                                              CALL ("erlang", "system_info", 1,
                                                    ATOM ("schedulers_online"))),
                              beam_erl_match (VAR ("Size"), slice_size ()),
                              beam_erl_match (VAR ("K"), n_workers ()),
                              beam_erl_match (VAR ("Parts"), parts ()),
                              CALL ("lists", "foreach", 2, spawn_worker (), VAR ("Parts")),
                              /* The number of slices: sum of (length(P) + Size - 1) div Size */
                              CALL ("lists", "sum", 1,
                                    beam_erl_lc (div_up (CALL ("erlang", "length", 1, VAR ("P")),
                                                         "Size"),
                                                 1,
                                                 beam_erl_generate (VAR ("P"), VAR ("Parts"))))));

  return beam_erl_eval_args (EXPRS (1, beam_erl_apply (body, 0)),
                             "CompactSpec", compact_spec (n_items),
                             "DictLabelSpec", dictionary_label_spec (),
                             "DictionariesSpec", dictionaries_spec (),
                             "Items", beam_term_new_list_take (item_atoms),
                             "KeyedLabelSpec", keyed_label_spec (),
                             "LabelItems", label_items (),
                             "MaxSize", beam_term_new_integer (chunk_size),
                             "MinSize", beam_term_new_integer (MIN_CHUNK_SIZE),
                             "Reply", beam_term_new_reply_pid (),
                             "SelectSpec", select_spec (n_items),
                             "SelectUnnamedSpec", select_unnamed_spec (n_items),
                             "Worker", worker_program (),
                             NULL);
}

#undef VAR
#undef ATOM
#undef CALL
#undef INT
#undef OP
#undef EXPRS

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

/* Skips the term at *index; if its bytes were seen before, the value they
 * had. Otherwise *index is left at the term and `span` says where it is. */
static gboolean
find_span (GHashTable *seen,
           const char *buf,
           int        *index,
           Span       *span,
           guint      *value)
{
  int start = *index;
  gpointer found;

  if (ei_skip_term (buf, index) != 0)
    return FALSE;
  span->bytes = buf + start;
  span->len = *index - start;
  if ((found = g_hash_table_lookup (seen, span)) != NULL)
    {
      *value = GPOINTER_TO_UINT (found) - 1;
      return TRUE;
    }
  *index = start;
  return FALSE;
}

/* An atom or {M, F, A} as a string id, by its bytes when seen before. */
static gboolean
decode_string_cached (Fetch      *fetch,
                      const char *buf,
                      int        *index,
                      guint32    *id)
{
  Span span = { NULL, 0 };
  guint value;

  if (find_span (fetch->strings, buf, index, &span, &value))
    {
      *id = value;
      return TRUE;
    }
  if (span.bytes == NULL || !decode_mfa (fetch->table, buf, index, id))
    return FALSE;
  g_hash_table_insert (fetch->strings, span_copy (&span), GUINT_TO_POINTER (*id + 1));
  return TRUE;
}

static gboolean
decode_status_cached (Fetch      *fetch,
                      const char *buf,
                      int        *index,
                      guint8     *status)
{
  char atom[MAXATOMLEN_UTF8];
  Span span = { NULL, 0 };
  guint value;

  if (find_span (fetch->statuses, buf, index, &span, &value))
    {
      *status = value;
      return TRUE;
    }
  if (span.bytes == NULL || !decode_atom (buf, index, atom))
    return FALSE;
  *status = beam_process_status_from_string (atom);
  g_hash_table_insert (fetch->statuses, span_copy (&span), GUINT_TO_POINTER (*status + 1));
  return TRUE;
}

static guint
pid_hash (gconstpointer key)
{
  guint64 pid = GPOINTER_TO_SIZE (key);

  return (guint) (pid >> 32) * 2654435761u ^ (guint) pid;
}

/* One compact row, or FALSE if it has another shape. */
static gboolean
decode_row (Fetch            *fetch,
            GHashTable       *translated,
            GHashTable       *labels,
            const char       *buf,
            int              *index)
{
  BeamProcessTable *table = fetch->table;
  BeamProcessRecord *record;
  erlang_pid pid;
  int arity, type, size;
  gint64 number;
  gpointer name;

  if (ei_decode_tuple_header (buf, index, &arity) != 0 ||
      (arity != ROW_ARITY && arity != 1 + N_PAGE_ITEMS) ||
      ei_decode_pid (buf, index, &pid) != 0)
    return FALSE;

  record = beam_process_table_append (table);
  record->pid_num = pid.num;
  record->pid_serial = pid.serial;
  if (beam_process_table_get_creation (table) == 0)
    beam_process_table_set_creation (table, pid.creation);

  /* registered_name: an atom, or [] when there is none. */
  if (ei_get_type (buf, index, &type, &size) != 0)
    return FALSE;
  if (type == ERL_ATOM_EXT)
    {
      if (!decode_string_cached (fetch, buf, index, &record->name))
        return FALSE;
      record->registered = TRUE;
    }
  else if (ei_decode_list_header (buf, index, &size) != 0 || size != 0)
    return FALSE;

  if (!decode_string_cached (fetch, buf, index, &record->initial_call) ||
      !decode_integer (buf, index, &record->memory) ||
      !decode_integer (buf, index, &record->reductions) ||
      !decode_integer (buf, index, &number) ||
      !decode_string_cached (fetch, buf, index, &record->current_function) ||
      !decode_status_cached (fetch, buf, index, &record->status))
    return FALSE;
  if (arity == ROW_ARITY)
    {
      if (!decode_integer (buf, index, &record->heap_size) ||
          !decode_integer (buf, index, &record->total_heap_size))
        return FALSE;
    }
  else
    record->heap_size = record->total_heap_size = -1;
  record->message_queue_len = (guint32) CLAMP (number, 0, G_MAXUINT32);
  /* sys:suspend leaves a process "waiting" in sys's loop: it is suspended
   * all the same, until sys:resume. */
  if (record->status == BEAM_PROCESS_STATUS_WAITING &&
      g_str_has_prefix (beam_process_table_get_string (table, record->current_function),
                        "sys:suspend_loop/"))
    record->status = BEAM_PROCESS_STATUS_SUSPENDED;

  /* A proc_lib process: the initial call it was started for, as observer shows. */
  if (translated != NULL &&
      g_hash_table_lookup_extended (translated, GSIZE_TO_POINTER ((gsize) pid_key (&pid)), NULL,
                                    &name))
    record->initial_call = GPOINTER_TO_UINT (name);

  /* A process that named itself. */
  if (!record->registered && labels != NULL &&
      g_hash_table_lookup_extended (labels, GSIZE_TO_POINTER ((gsize) pid_key (&pid)), NULL,
                                    &name))
    record->name = GPOINTER_TO_UINT (name);
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
      g_hash_table_insert (translated, GSIZE_TO_POINTER ((gsize) pid_key (&pid)),
                           GUINT_TO_POINTER (id));
    }
  return n == 0 || (ei_decode_list_header (buf, index, &size) == 0 && size == 0);
}

#define MAX_LABEL_BYTES 200  /* a label is a name: more is cut */

/* A label as the Name column shows it: a string as itself, anything else
 * printed (shallow, as a name should be), cut at MAX_LABEL_BYTES. */
char *
beam_process_label_text (const BeamTerm *term)
{
  g_autofree char *text = NULL;
  const char *end;

  if (term->kind == BEAM_TERM_ATOM)
    text = g_strdup (term->v.atom.name);
  else if ((term->kind == BEAM_TERM_BINARY || term->kind == BEAM_TERM_LIST) &&
           (text = beam_term_dup_string (term)) != NULL &&
           (!g_utf8_validate (text, -1, NULL) || *text == '\0'))
    g_clear_pointer (&text, g_free);
  if (text == NULL)
    text = beam_term_print (term, &(BeamPrintOptions) { BEAM_SYNTAX_ERLANG, NULL, 4, 8 });
  if (strlen (text) <= MAX_LABEL_BYTES)
    return g_steal_pointer (&text);
  end = g_utf8_find_prev_char (text, text + MAX_LABEL_BYTES);
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}

/* [{Pid, Label}, ...] into pid -> string id, labels seen before found by
 * their bytes. */
static gboolean
decode_labels (Fetch      *fetch,
               GHashTable *labels,
               const char *buf,
               gsize       len,
               int        *index)
{
  int n, arity, size;

  if (ei_decode_list_header (buf, index, &n) != 0)
    return FALSE;
  for (int i = 0; i < n; i++)
    {
      erlang_pid pid;
      Span span = { NULL, 0 };
      guint id;

      if (ei_decode_tuple_header (buf, index, &arity) != 0 || arity != 2 ||
          ei_decode_pid (buf, index, &pid) != 0)
        return FALSE;
      if (!find_span (fetch->labels, buf, index, &span, &id))
        {
          g_autoptr(BeamTerm) term = NULL;
          g_autofree char *text = NULL;

          if (span.bytes == NULL ||
              (term = beam_term_decode_at_len (buf, len, index, NULL)) == NULL)
            return FALSE;
          text = beam_process_label_text (term);
          id = beam_process_table_intern (fetch->table, text);
          g_hash_table_insert (fetch->labels, span_copy (&span), GUINT_TO_POINTER (id + 1));
        }
      g_hash_table_insert (labels, GSIZE_TO_POINTER ((gsize) pid_key (&pid)),
                           GUINT_TO_POINTER (id));
    }
  return n == 0 || (ei_decode_list_header (buf, index, &size) == 0 && size == 0);
}

/* {beamscope_procs, Translations, Rows, Labels, Wordsize}. The message was
 * validated first, so ei cannot read past its end whatever the node sent. */
static void
on_slice (const char *buf,
          gsize       len,
          gpointer    user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) translated = g_hash_table_new (pid_hash, g_direct_equal);
  g_autoptr(GHashTable) labels = g_hash_table_new (pid_hash, g_direct_equal);
  char tag[MAXATOMLEN_UTF8];
  int index = 0, version, arity, n, rows_at;
  guint first = beam_process_table_get_n_records (fetch->table);

  if (!beam_term_validate (buf, len, &error))
    goto bad;
  if (ei_decode_version (buf, &index, &version) != 0 ||
      ei_decode_tuple_header (buf, &index, &arity) != 0 || arity != 5 ||
      !decode_atom (buf, &index, tag) || strcmp (tag, "beamscope_procs") != 0 ||
      !decode_translations (fetch->table, translated, buf, &index))
    goto bad;
  /* The labels and the word size come after the rows, and are needed first. */
  rows_at = index;
  {
    gint64 wordsize;

    if (ei_skip_term (buf, &index) != 0 || !decode_labels (fetch, labels, buf, len, &index) ||
        !decode_integer (buf, &index, &wordsize))
      goto bad;
    beam_process_table_set_wordsize (fetch->table, (guint) CLAMP (wordsize, 0, 8));
  }
  index = rows_at;
  if (ei_decode_list_header (buf, &index, &n) != 0)
    goto bad;

  for (int i = 0; i < n; i++)
    if (!decode_row (fetch, g_hash_table_size (translated) > 0 ? translated : NULL,
                     g_hash_table_size (labels) > 0 ? labels : NULL, buf, &index))
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

/* The call's own task ends first; ours holds the Fetch its decoders fill
 * until then, so it is the one the caller gets. */
static void
fetch_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  BeamProcessTable *table = g_task_propagate_pointer (G_TASK (result), &error);

  if (table == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, table, (GDestroyNotify) beam_process_table_unref);
}

void
beam_process_list_fetch_async (BeamConnection      *connection,
                               BeamProcessTable    *previous,
                               gboolean             with_heap_sizes,
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
  fetch->table = beam_process_table_new (beam_connection_get_node_name (connection));
  fetch->previous = previous != NULL ? beam_process_table_ref (previous) : NULL;
  fetch->strings = g_hash_table_new_full (span_hash, span_equal, g_free, NULL);
  fetch->statuses = g_hash_table_new_full (span_hash, span_equal, g_free, NULL);
  fetch->labels = g_hash_table_new_full (span_hash, span_equal, g_free, NULL);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  beam_connection_call_task_async (connection, beam_process_list_fetch_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_process_list_build_program (CHUNK_SIZE,
                                                                              with_heap_sizes),
                                     .timeout_ms = FETCH_TIMEOUT_MS,
                                     .max_reply_bytes = MAX_SLICE_BYTES,
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
  return beam_connection_call_task_finish (result, beam_process_list_fetch_async, error);
}

gboolean
_beam_process_list_decode_slice (BeamProcessTable  *table,
                                 const char        *buf,
                                 gsize              len,
                                 GError           **error)
{
  Fetch fetch = {
    .table = table,
    .strings = g_hash_table_new_full (span_hash, span_equal, g_free, NULL),
    .statuses = g_hash_table_new_full (span_hash, span_equal, g_free, NULL),
    .labels = g_hash_table_new_full (span_hash, span_equal, g_free, NULL),
  };

  on_slice (buf, len, &fetch);
  g_hash_table_unref (fetch.strings);
  g_hash_table_unref (fetch.statuses);
  g_hash_table_unref (fetch.labels);
  if (fetch.error != NULL)
    {
      g_propagate_error (error, fetch.error);
      return FALSE;
    }
  return TRUE;
}
