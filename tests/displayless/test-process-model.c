/* SPDX-License-Identifier: GPL-3.0-or-later */
/* BeamProcessModel over tables built here, with no node: the order of every
 * sortable column both ways (ties by pid), the filter, rows that keep their
 * positions across a refresh with the same pids, and items-changed only for
 * the rows added or removed at the end, never for a whole refresh. */

#include "beam-process-model.h"
#include "beam-test-node.h"

typedef struct
{
  guint32     num;
  const char *name;          /* registered name, or NULL */
  const char *initial_call;
  const char *function;
  gint64      memory;
  gint64      reductions;
  guint32     queue;
  guint8      status;
} Process;

static const Process processes[] = {
  { 40, "code_server", "erlang:apply/2", "code_server:loop/1", 90000, 500, 0,
    BEAM_PROCESS_STATUS_WAITING },
  { 7, NULL, "pool_worker:init/1", "gen_server:loop/7", 2600, 70, 3,
    BEAM_PROCESS_STATUS_RUNNABLE },
  { 12, NULL, "pool_worker:init/1", "pool_worker:busy/2", 2600, 900, 0,
    BEAM_PROCESS_STATUS_RUNNING },
  { 3, "init", "otp_ring0:start/2", "init:loop/1", 30000, 70, 0,
    BEAM_PROCESS_STATUS_WAITING },
  { 25, NULL, "cache:fill/0", "ets:insert/2", 1200000, 12000, 40,
    BEAM_PROCESS_STATUS_GARBAGE_COLLECTING },
  { 8, "logger", "logger_olp:init/1", "gen_server:loop/7", 5000, 300, 1,
    BEAM_PROCESS_STATUS_WAITING },
  { 71, NULL, "pool_worker:init/1", "gen_server:loop/7", 2600, 0, 0,
    BEAM_PROCESS_STATUS_SUSPENDED },
  { 19, NULL, "shell:evaluator/4", "io:request/2", 70000, 4100, 0,
    BEAM_PROCESS_STATUS_EXITING },
};

#define N_PROCESSES ((guint) G_N_ELEMENTS (processes))

/* The first n processes; `bump` changes every value a refresh can change. */
static BeamProcessTable *
make_table (guint  n,
            gint64 bump)
{
  BeamProcessTable *table = beam_process_table_new ("synthetic@localhost");

  for (guint i = 0; i < n; i++)
    {
      const Process *p = &processes[i];
      BeamProcessRecord *record = beam_process_table_append (table);

      record->pid_num = p->num;
      record->pid_serial = 0;
      record->registered = p->name != NULL;
      record->name = p->name != NULL ? beam_process_table_intern (table, p->name) : 0;
      record->initial_call = beam_process_table_intern (table, p->initial_call);
      record->current_function = beam_process_table_intern (table, p->function);
      record->memory = p->memory + bump * (i % 3);
      record->reductions = p->reductions + bump * i;
      record->heap_size = p->memory / 8;
      record->total_heap_size = p->memory / 8 + 10;
      record->message_queue_len = p->queue;
      record->status = p->status;
    }
  return table;
}

typedef struct
{
  BeamProcessModel *model;
  guint             generation;
} Settled;

static gboolean
swapped_in (gpointer user_data)
{
  Settled *settled = user_data;

  return beam_process_model_get_generation (settled->model) != settled->generation &&
         !beam_process_model_get_busy (settled->model);
}

/* Waits for what the last change asked for to be in the list. */
#define AFTER(model, change) G_STMT_START {                                        \
    Settled settled_ = { (model), beam_process_model_get_generation (model) };     \
    change;                                                                        \
    beam_test_wait_until (swapped_in, &settled_, 10000);                           \
  } G_STMT_END

typedef struct
{
  guint position, removed, added;
} Change;

static void
on_items_changed (GListModel *list G_GNUC_UNUSED,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_changes (GArray *changes,
                guint   n,
                ...)
{
  va_list args;

  g_assert_cmpuint (changes->len, ==, n);
  va_start (args, n);
  for (guint i = 0; i < n; i++)
    {
      Change *change = &g_array_index (changes, Change, i);

      g_assert_cmpuint (change->position, ==, va_arg (args, guint));
      g_assert_cmpuint (change->removed, ==, va_arg (args, guint));
      g_assert_cmpuint (change->added, ==, va_arg (args, guint));
    }
  va_end (args);
  g_array_set_size (changes, 0);
}

static const BeamProcessRecord *
record_at (BeamProcessModel  *model,
           guint              position,
           BeamProcessTable **table)
{
  g_autoptr(BeamProcessRow) row = g_list_model_get_item (G_LIST_MODEL (model), position);
  const BeamProcessRecord *record;

  g_assert_nonnull (row);
  g_assert_cmpuint (beam_process_row_get_position (row), ==, position);
  record = beam_process_row_get_record (row, table, NULL);
  g_assert_nonnull (record);
  return record;
}

/* <0, 0, >0 as a sorts before, with, or after b in `column`, ascending. */
static int
compare_column (BeamProcessTable        *table,
                const BeamProcessRecord *a,
                const BeamProcessRecord *b,
                BeamProcessColumn        column)
{
  switch (column)
    {
    case BEAM_PROCESS_COLUMN_PID:
      return (a->pid_num > b->pid_num) - (a->pid_num < b->pid_num);
    case BEAM_PROCESS_COLUMN_NAME:
      if (a->registered != b->registered)
        return a->registered ? -1 : 1;  /* registered names first */
      return g_ascii_strcasecmp (beam_process_table_get_string (table, a->registered ?
                                                                a->name : a->initial_call),
                                 beam_process_table_get_string (table, b->registered ?
                                                                b->name : b->initial_call));
    case BEAM_PROCESS_COLUMN_CURRENT_FUNCTION:
      return g_ascii_strcasecmp (beam_process_table_get_string (table, a->current_function),
                                 beam_process_table_get_string (table, b->current_function));
    case BEAM_PROCESS_COLUMN_MEMORY:
      return (a->memory > b->memory) - (a->memory < b->memory);
    case BEAM_PROCESS_COLUMN_REDUCTIONS:
      return (a->reductions > b->reductions) - (a->reductions < b->reductions);
    case BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN:
      return (a->message_queue_len > b->message_queue_len) -
             (a->message_queue_len < b->message_queue_len);
    case BEAM_PROCESS_COLUMN_STATUS:
      return (a->status > b->status) - (a->status < b->status);
    case BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND:
    case BEAM_PROCESS_COLUMN_HEAP_SIZE:
    case BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE:
    case BEAM_PROCESS_N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
test_sort (void)
{
  g_autoptr(BeamProcessModel) model = beam_process_model_new ();
  g_autoptr(BeamProcessTable) table = make_table (N_PROCESSES, 0);
  const BeamProcessColumn columns[] = {
    BEAM_PROCESS_COLUMN_PID, BEAM_PROCESS_COLUMN_NAME, BEAM_PROCESS_COLUMN_CURRENT_FUNCTION,
    BEAM_PROCESS_COLUMN_MEMORY, BEAM_PROCESS_COLUMN_REDUCTIONS,
    BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN, BEAM_PROCESS_COLUMN_STATUS,
  };

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == BEAM_TYPE_PROCESS_ROW);
  AFTER (model, beam_process_model_set_table (model, table));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_PROCESSES);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), N_PROCESSES));

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    for (int descending = 1; descending >= 0; descending--)
      {
        g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

        AFTER (model, beam_process_model_set_sort (model, columns[c], descending));
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_PROCESSES);
        for (guint k = 0; k < N_PROCESSES; k++)
          {
            BeamProcessTable *shown = NULL;
            const BeamProcessRecord *record = record_at (model, k, &shown);

            g_assert_true (shown == table);
            g_assert_true (g_hash_table_add (seen, GUINT_TO_POINTER (record->pid_num)));
            g_assert_cmpint (beam_process_model_find_pid (model, record->pid_num, 0), ==, k);
            if (k > 0)
              {
                const BeamProcessRecord *before = record_at (model, k - 1, NULL);
                int order = compare_column (table, before, record, columns[c]);

                if (descending)
                  order = -order;
                /* Ties go by pid, ascending whichever way the column goes. */
                if (order == 0)
                  order = compare_column (table, before, record, BEAM_PROCESS_COLUMN_PID);
                g_assert_cmpint (order, <, 0);
              }
          }
      }
  g_assert_cmpint (beam_process_model_find_pid (model, 999, 0), ==, -1);
}

/* The test's own oracles: what the filter should keep, worked out on the
 * table apart from the model's worker. */
static gint
find_pid (BeamProcessTable *table,
          guint32           num)
{
  for (guint i = 0; i < beam_process_table_get_n_records (table); i++)
    if (beam_process_table_get_record (table, i)->pid_num == num)
      return (gint) i;
  return -1;
}

static gboolean
matches (BeamProcessTable *table,
         guint             index,
         const char       *needle)
{
  const BeamProcessRecord *record = beam_process_table_get_record (table, index);
  g_autofree char *name = g_utf8_casefold (beam_process_table_get_display_name (table, index), -1);
  const char *current = beam_process_table_get_string (table, record->current_function);
  g_autofree char *function = g_utf8_casefold (current, -1);
  char pid[32];

  beam_process_table_format_pid (table, index, pid);
  return strstr (pid, needle) != NULL || strstr (name, needle) != NULL ||
         strstr (function, needle) != NULL;
}

static guint
count_matching (BeamProcessTable *table,
                const char       *needle)
{
  guint n = 0;

  for (guint i = 0; i < beam_process_table_get_n_records (table); i++)
    n += matches (table, i, needle);
  return n;
}

static void
test_filter (void)
{
  g_autoptr(BeamProcessModel) model = beam_process_model_new ();
  g_autoptr(BeamProcessTable) table = make_table (N_PROCESSES, 0);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  const struct { const char *text; const char *folded; guint expected; } filters[] = {
    { "pool_WORKER", "pool_worker", 3 },   /* the initial call, any case */
    { "gen_server:loop", "gen_server:loop", 3 },  /* the current function */
    { "logger", "logger", 1 },             /* the registered name */
    { "<0.12.", "<0.12.", 1 },             /* the pid */
    { "no such thing", "no such thing", 0 },
  };

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), changes);
  /* With no table yet, a sort only says how the first one will be ordered. */
  beam_process_model_set_sort (model, BEAM_PROCESS_COLUMN_MEMORY, TRUE);
  AFTER (model, beam_process_model_set_table (model, table));
  assert_changes (changes, 1, 0, 0, N_PROCESSES);

  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      guint n;

      AFTER (model, beam_process_model_set_filter (model, filters[f].text));
      n = g_list_model_get_n_items (G_LIST_MODEL (model));
      g_assert_cmpuint (n, ==, filters[f].expected);
      g_assert_cmpuint (n, ==, count_matching (table, filters[f].folded));
      /* Fewer rows: the tail goes, the rows that stay re-read theirs. */
      assert_changes (changes, 1, n, N_PROCESSES - n, 0);
      for (guint k = 0; k < n; k++)
        {
          guint32 num = record_at (model, k, NULL)->pid_num;
          gint index = find_pid (table, num);

          g_assert_true (matches (table, index, filters[f].folded));
          if (k > 0)  /* still in the order asked for */
            g_assert_cmpint (record_at (model, k - 1, NULL)->memory, >=,
                             record_at (model, k, NULL)->memory);
        }
      AFTER (model, beam_process_model_set_filter (model, NULL));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_PROCESSES);
      assert_changes (changes, 1, n, 0, N_PROCESSES - n);
    }
}

/* A pid pasted in any form finds that process alone; the same numbers with
 * another node's name find nothing. */
static void
test_filter_by_pasted_pid (void)
{
  g_autoptr(BeamProcessModel) model = beam_process_model_new ();
  g_autoptr(BeamProcessTable) table = make_table (N_PROCESSES, 0);
  const struct { const char *text; guint expected; } filters[] = {
    { "<0.12.0>", 1 },
    { "0.12.0", 1 },
    { "#PID<0.12.0>", 1 },
    { "<synthetic@localhost.3.12.0>", 1 },  /* rabbitmqctl's, with the node's creation */
    { "<synthetic@localhost.12.0>", 1 },
    { "<elsewhere@localhost.3.12.0>", 0 },
    { "<0.12.1>", 0 },
  };

  AFTER (model, beam_process_model_set_table (model, table));
  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      g_test_message ("%s", filters[f].text);
      AFTER (model, beam_process_model_set_filter (model, filters[f].text));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                        filters[f].expected);
      if (filters[f].expected == 1)
        g_assert_cmpuint (record_at (model, 0, NULL)->pid_num, ==, 12);
    }
}

static void
on_row_changed (BeamProcessRow *row G_GNUC_UNUSED,
                guint          *count)
{
  (*count)++;
}

static gboolean
only_ours (gpointer object)
{
  return g_atomic_int_get (&G_OBJECT (object)->ref_count) == 1;
}

static void
test_refresh (void)
{
  g_autoptr(BeamProcessModel) model = beam_process_model_new ();
  g_autoptr(BeamProcessTable) first = make_table (N_PROCESSES, 0);
  g_autoptr(BeamProcessTable) again = make_table (N_PROCESSES, 0);
  g_autoptr(BeamProcessTable) bumped = make_table (N_PROCESSES, 100000);
  g_autoptr(BeamProcessTable) fewer = make_table (N_PROCESSES - 3, 0);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(BeamProcessRow) held = NULL;
  gint positions[N_PROCESSES];
  guint row_changes = 0;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), changes);
  AFTER (model, beam_process_model_set_table (model, first));
  assert_changes (changes, 1, 0, 0, N_PROCESSES);
  for (guint i = 0; i < N_PROCESSES; i++)
    positions[i] = beam_process_model_find_pid (model, processes[i].num, 0);

  /* A row a widget holds hears of every refresh, not the list's listeners. */
  held = g_list_model_get_item (G_LIST_MODEL (model), 2);
  g_signal_connect (held, "changed", G_CALLBACK (on_row_changed), &row_changes);

  /* The same pids again, by pid: every one where it was, nothing to tell. */
  AFTER (model, beam_process_model_set_table (model, again));
  g_assert_true (beam_process_model_get_table (model) == again);
  for (guint i = 0; i < N_PROCESSES; i++)
    g_assert_cmpint (beam_process_model_find_pid (model, processes[i].num, 0), ==, positions[i]);
  assert_changes (changes, 0);
  g_assert_cmpuint (row_changes, ==, 1);

  /* New values under the same pids: still where they were. */
  AFTER (model, beam_process_model_set_table (model, bumped));
  for (guint i = 0; i < N_PROCESSES; i++)
    g_assert_cmpint (beam_process_model_find_pid (model, processes[i].num, 0), ==, positions[i]);
  assert_changes (changes, 0);
  g_assert_cmpuint (row_changes, ==, 2);
  g_assert_cmpint (beam_process_row_get_record (held, NULL, NULL)->reductions, >=, 100000);

  /* A new order is a change of what the rows show, not of the list. */
  AFTER (model, beam_process_model_set_sort (model, BEAM_PROCESS_COLUMN_REDUCTIONS, TRUE));
  assert_changes (changes, 0);
  g_assert_cmpuint (row_changes, ==, 3);
  AFTER (model, beam_process_model_set_sort (model, BEAM_PROCESS_COLUMN_PID, FALSE));

  /* Processes gone: only the tail is removed; back again: only the tail added. */
  AFTER (model, beam_process_model_set_table (model, fewer));
  assert_changes (changes, 1, N_PROCESSES - 3, 3, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_PROCESSES - 3);
  AFTER (model, beam_process_model_set_table (model, first));
  assert_changes (changes, 1, N_PROCESSES - 3, 0, 3);
  for (guint i = 0; i < N_PROCESSES; i++)
    g_assert_cmpint (beam_process_model_find_pid (model, processes[i].num, 0), ==, positions[i]);

  /* The row outlives the model, showing nothing; the model leaves nothing
   * behind. (GTask's worker lets go of the model just after the callback.) */
  beam_test_wait_until (only_ours, model, 5000);
  g_assert_finalize_object (g_steal_pointer (&model));
  g_assert_null (beam_process_row_get_record (held, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/process-model/sort", test_sort);
  g_test_add_func ("/process-model/filter", test_filter);
  g_test_add_func ("/process-model/filter-by-pasted-pid", test_filter_by_pasted_pid);
  g_test_add_func ("/process-model/refresh", test_refresh);
  return g_test_run ();
}
