/* SPDX-License-Identifier: GPL-3.0-or-later */
/* See the header. The order (a permutation of record indices, sorted and
 * filtered) is computed by a GTask thread from an immutable table; a
 * generation number drops the results of jobs that a newer table, sort or
 * filter has made stale, and at most one job runs at a time. */

#define G_LOG_DOMAIN "beamscope-model"

#include <string.h>

#include "beam-process-info.h"
#include "beam-process-model.h"

struct _BeamProcessRow
{
  GObject           parent_instance;
  BeamProcessModel *model;       /* not owned; cleared when the model goes */
  guint             position;
};

struct _BeamProcessModel
{
  GObject            parent_instance;

  BeamProcessTable  *table;      /* what the rows show */
  guint32           *order;
  guint              n_items;    /* what the list says it has */
  guint              n_ready;    /* what the order holds: more, while the list grows */
  guint              grow_id;
  GHashTable        *rows;       /* position -> BeamProcessRow (not owned) */

  BeamProcessTable  *wanted_table;
  BeamProcessColumn  sort_column;
  gboolean           descending;
  char              *filter;     /* case-folded, or NULL */
  char              *filter_text; /* as typed, or NULL */

  guint              generation; /* bumped by every change of what is wanted */
  guint              swapped;    /* orders swapped in */
  gboolean           running;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE (BeamProcessRow, beam_process_row, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE_WITH_CODE (BeamProcessModel, beam_process_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum { ROW_CHANGED, N_ROW_SIGNALS };
static guint row_signals[N_ROW_SIGNALS];

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ---- rows ------------------------------------------------------------------ */

static void
beam_process_row_finalize (GObject *object)
{
  BeamProcessRow *row = BEAM_PROCESS_ROW (object);

  if (row->model != NULL &&
      g_hash_table_lookup (row->model->rows, GUINT_TO_POINTER (row->position)) == row)
    g_hash_table_remove (row->model->rows, GUINT_TO_POINTER (row->position));

  G_OBJECT_CLASS (beam_process_row_parent_class)->finalize (object);
}

static void
beam_process_row_class_init (BeamProcessRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = beam_process_row_finalize;

  /* What is at the row's position changed: widgets showing it re-read it. */
  row_signals[ROW_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
beam_process_row_init (BeamProcessRow *row G_GNUC_UNUSED)
{
}

guint
beam_process_row_get_position (BeamProcessRow *row)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_ROW (row), 0);
  return row->position;
}

const BeamProcessRecord *
beam_process_row_get_record (BeamProcessRow    *row,
                             BeamProcessTable **out_table,
                             guint             *out_index)
{
  BeamProcessModel *model;

  g_return_val_if_fail (BEAM_IS_PROCESS_ROW (row), NULL);

  model = row->model;
  if (model == NULL || model->table == NULL || row->position >= model->n_items)
    return NULL;
  if (out_table != NULL)
    *out_table = model->table;
  if (out_index != NULL)
    *out_index = model->order[row->position];
  return beam_process_table_get_record (model->table, model->order[row->position]);
}

/* ---- GListModel ---------------------------------------------------------------- */

static GType
get_item_type (GListModel *list G_GNUC_UNUSED)
{
  return BEAM_TYPE_PROCESS_ROW;
}

static guint
get_n_items (GListModel *list)
{
  return BEAM_PROCESS_MODEL (list)->n_items;
}

static gpointer
get_item (GListModel *list,
          guint       position)
{
  BeamProcessModel *self = BEAM_PROCESS_MODEL (list);
  BeamProcessRow *row;

  if (position >= self->n_items)
    return NULL;

  row = g_hash_table_lookup (self->rows, GUINT_TO_POINTER (position));
  if (row != NULL)
    return g_object_ref (row);

  row = g_object_new (BEAM_TYPE_PROCESS_ROW, NULL);
  row->model = self;
  row->position = position;
  g_hash_table_insert (self->rows, GUINT_TO_POINTER (position), row);
  return row;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- ordering, on a worker thread ------------------------------------------------ */

typedef struct
{
  BeamProcessTable  *table;
  BeamProcessColumn  column;
  gboolean           descending;
  char              *filter;
  char              *filter_text;
  guint              generation;
  guint32           *order;      /* result */
  guint              n_items;    /* result */
} Job;

static void
job_free (Job *job)
{
  beam_process_table_unref (job->table);
  g_free (job->filter);
  g_free (job->filter_text);
  g_free (job->order);
  g_free (job);
}

/* Which interned strings contain the needle: a node has few, so this makes
 * the filter one array lookup per string of a record. */
static gboolean *
matching_strings (BeamProcessTable *table,
                  const char       *needle)
{
  guint n = beam_process_table_get_n_strings (table);
  gboolean *matches = g_new0 (gboolean, MAX (n, 1));

  for (guint32 id = 1; id < n; id++)
    {
      g_autofree char *folded = g_utf8_casefold (beam_process_table_get_string (table, id), -1);
      matches[id] = strstr (folded, needle) != NULL;
    }
  return matches;
}

static void
order_in_thread (GTask        *task,
                 gpointer      source_object G_GNUC_UNUSED,
                 gpointer      task_data,
                 GCancellable *cancellable G_GNUC_UNUSED)
{
  Job *job = task_data;
  guint n = beam_process_table_get_n_records (job->table);
  g_autofree char *pid_node = NULL;
  guint32 pid_num, pid_serial;

  job->order = beam_process_table_sort (job->table, job->column, job->descending);
  job->n_items = n;

  /* A pid in any form people paste (#PID<0.1.0>, rabbitmqctl's
   * <rabbit@host.1.522.0>...) is that process, and only it. */
  if (job->filter_text != NULL &&
      beam_process_info_parse_pid (job->filter_text, beam_process_table_get_node (job->table),
                                   &pid_num, &pid_serial, &pid_node))
    {
      guint kept = 0;

      for (guint k = 0; k < n && (pid_node == NULL ||
                                  g_strcmp0 (pid_node,
                                             beam_process_table_get_node (job->table)) == 0); k++)
        {
          const BeamProcessRecord *record = beam_process_table_get_record (job->table,
                                                                           job->order[k]);

          if (record->pid_num == pid_num && record->pid_serial == pid_serial)
            job->order[kept++] = job->order[k];
        }
      job->n_items = kept;
    }
  else if (job->filter != NULL && *job->filter != '\0')
    {
      g_autofree gboolean *strings = matching_strings (job->table, job->filter);
      gboolean pid_like = strpbrk (job->filter, "0123456789<.") != NULL;
      guint kept = 0;

      for (guint k = 0; k < n; k++)
        {
          guint i = job->order[k];
          const BeamProcessRecord *record = beam_process_table_get_record (job->table, i);
          gboolean match = strings[record->name] || strings[record->initial_call] ||
                           strings[record->current_function];
          char pid[32];

          if (!match && pid_like)
            match = strstr (beam_process_table_format_pid (job->table, i, pid),
                            job->filter) != NULL;
          if (match)
            job->order[kept++] = i;
        }
      job->n_items = kept;
    }
  g_task_return_boolean (task, TRUE);
}

static void start_job (BeamProcessModel *self);

/* GTK spends time in proportion to the rows one items-changed adds (a
 * million at once hold the GTK thread for 50 to 80 ms), so a big list grows
 * by GROW_STEP rows a main-loop turn, and frames keep coming meanwhile. */
#define GROW_STEP 50000

static gboolean
grow (gpointer user_data)
{
  BeamProcessModel *self = user_data;
  guint old_n = self->n_items;
  guint added = MIN (GROW_STEP, self->n_ready - old_n);

  self->n_items += added;
  if (added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, added);
  if (self->n_items < self->n_ready)
    return G_SOURCE_CONTINUE;
  self->grow_id = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  return G_SOURCE_REMOVE;
}

static void
swap_in (BeamProcessModel *self,
         Job              *job)
{
  guint old_n = self->n_items;
  GHashTableIter iter;
  gpointer value;

  g_clear_pointer (&self->table, beam_process_table_unref);
  self->table = beam_process_table_ref (job->table);
  g_free (self->order);
  self->order = g_steal_pointer (&job->order);
  self->n_ready = job->n_items;
  self->n_items = MIN (job->n_items, old_n);
  self->swapped++;

  /* The rows on screen re-read their position; only the tail is added or
   * removed, so GTK never rebuilds the rows that stay. */
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (BEAM_PROCESS_ROW (value)->position < self->n_items)
      g_signal_emit (value, row_signals[ROW_CHANGED], 0);

  if (self->n_items < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), self->n_items, old_n - self->n_items, 0);
  g_clear_handle_id (&self->grow_id, g_source_remove);
  if (grow (self))
    self->grow_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, grow, self, NULL);
}

static void
job_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data G_GNUC_UNUSED)
{
  BeamProcessModel *self = BEAM_PROCESS_MODEL (object);
  Job *job = g_task_get_task_data (G_TASK (result));

  self->running = FALSE;
  if (job->generation == self->generation)
    {
      swap_in (self, job);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  else
    start_job (self);  /* something changed meanwhile: order again */
}

static void
start_job (BeamProcessModel *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (self->running || self->wanted_table == NULL)
    return;

  job = g_new0 (Job, 1);
  job->table = beam_process_table_ref (self->wanted_table);
  job->column = self->sort_column;
  job->descending = self->descending;
  job->filter = g_strdup (self->filter);
  job->filter_text = g_strdup (self->filter_text);
  job->generation = self->generation;

  self->running = TRUE;
  task = g_task_new (self, NULL, job_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, order_in_thread);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
want_new_order (BeamProcessModel *self)
{
  self->generation++;
  start_job (self);
}

/* ---- the object ---------------------------------------------------------------- */

static void
beam_process_model_dispose (GObject *object)
{
  BeamProcessModel *self = BEAM_PROCESS_MODEL (object);
  GHashTableIter iter;
  gpointer value;

  /* Rows may outlive the model in a widget's hands; they then show nothing. */
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    BEAM_PROCESS_ROW (value)->model = NULL;
  g_hash_table_remove_all (self->rows);
  g_clear_handle_id (&self->grow_id, g_source_remove);

  G_OBJECT_CLASS (beam_process_model_parent_class)->dispose (object);
}

static void
beam_process_model_finalize (GObject *object)
{
  BeamProcessModel *self = BEAM_PROCESS_MODEL (object);

  g_clear_pointer (&self->table, beam_process_table_unref);
  g_clear_pointer (&self->wanted_table, beam_process_table_unref);
  g_free (self->order);
  g_free (self->filter);
  g_free (self->filter_text);
  g_hash_table_unref (self->rows);

  G_OBJECT_CLASS (beam_process_model_parent_class)->finalize (object);
}

static void
beam_process_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BeamProcessModel *self = BEAM_PROCESS_MODEL (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, beam_process_model_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_process_model_class_init (BeamProcessModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beam_process_model_dispose;
  object_class->finalize = beam_process_model_finalize;
  object_class->get_property = beam_process_model_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_process_model_init (BeamProcessModel *self)
{
  self->rows = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->sort_column = BEAM_PROCESS_COLUMN_PID;
}

BeamProcessModel *
beam_process_model_new (void)
{
  return g_object_new (BEAM_TYPE_PROCESS_MODEL, NULL);
}

BeamProcessTable *
beam_process_model_get_table (BeamProcessModel *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_MODEL (self), NULL);
  return self->table;
}

void
beam_process_model_set_table (BeamProcessModel *self,
                              BeamProcessTable *table)
{
  g_return_if_fail (BEAM_IS_PROCESS_MODEL (self));
  g_return_if_fail (table != NULL);

  g_clear_pointer (&self->wanted_table, beam_process_table_unref);
  self->wanted_table = beam_process_table_ref (table);
  want_new_order (self);
}

void
beam_process_model_set_sort (BeamProcessModel  *self,
                             BeamProcessColumn  column,
                             gboolean           descending)
{
  g_return_if_fail (BEAM_IS_PROCESS_MODEL (self));

  if (self->sort_column == column && self->descending == !!descending)
    return;
  self->sort_column = column;
  self->descending = !!descending;
  want_new_order (self);
}

void
beam_process_model_set_filter (BeamProcessModel *self,
                               const char       *text)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (BEAM_IS_PROCESS_MODEL (self));

  folded = text != NULL && *text != '\0' ? g_utf8_casefold (text, -1) : NULL;
  if (g_strcmp0 (folded, self->filter) == 0)
    return;
  g_free (self->filter);
  self->filter = g_steal_pointer (&folded);
  g_free (self->filter_text);
  self->filter_text = self->filter != NULL ? g_strdup (text) : NULL;
  want_new_order (self);
}

gint
beam_process_model_find_pid (BeamProcessModel *self,
                             guint32           num,
                             guint32           serial)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_MODEL (self), -1);

  for (guint k = 0; k < self->n_ready; k++)
    {
      const BeamProcessRecord *record = beam_process_table_get_record (self->table, self->order[k]);
      if (record->pid_num == num && record->pid_serial == serial)
        return (gint) k;
    }
  return -1;
}

gboolean
beam_process_model_get_busy (BeamProcessModel *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_MODEL (self), FALSE);
  return self->running || self->n_items < self->n_ready;
}

guint
beam_process_model_get_generation (BeamProcessModel *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_MODEL (self), 0);
  return self->swapped;
}

const BeamProcessRecord *
beam_process_model_get_record (BeamProcessModel  *self,
                               guint              position,
                               BeamProcessTable **out_table,
                               guint             *out_index)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_MODEL (self), NULL);

  if (self->table == NULL || position >= self->n_items)
    return NULL;
  if (out_table != NULL)
    *out_table = self->table;
  if (out_index != NULL)
    *out_index = self->order[position];
  return beam_process_table_get_record (self->table, self->order[position]);
}

/* A pid key (num << 32 | serial) fits a pointer on the 64-bit machines we
 * build for. */
G_STATIC_ASSERT (sizeof (gpointer) >= sizeof (guint64));

gpointer
beam_process_model_pid_key (guint32 num,
                            guint32 serial)
{
  return GSIZE_TO_POINTER (((gsize) num << 32) | serial);
}

GArray *
beam_process_model_find_positions (BeamProcessModel *self,
                                   GHashTable       *pids)
{
  GArray *positions = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (BEAM_IS_PROCESS_MODEL (self), positions);

  if (self->table == NULL || g_hash_table_size (pids) == 0)
    return positions;
  for (guint k = 0; k < self->n_items; k++)
    {
      const BeamProcessRecord *record = beam_process_table_get_record (self->table, self->order[k]);

      if (g_hash_table_contains (pids, beam_process_model_pid_key (record->pid_num,
                                                                   record->pid_serial)))
        g_array_append_val (positions, k);
    }
  return positions;
}
