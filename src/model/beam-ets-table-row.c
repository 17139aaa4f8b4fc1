/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "beamscope-model"

#include "beam-ets-table-row.h"
#include "beam-row-field.h"

#define HISTORY BEAM_ETS_TABLE_ROW_HISTORY

/* The last samples of one figure, in a ring, and the first one ever. */
typedef struct
{
  gint64 samples[HISTORY];
  guint  n;        /* kept, up to HISTORY */
  guint  next;     /* where the next one goes */
  guint  steady;   /* how many of the newest samples are equal */
  gint64 first;
} History;

struct _BeamEtsTableRow
{
  GObject  parent_instance;
  char    *name;
  char    *id;
  char    *type;
  char    *owner;         /* pid */
  char    *owner_label;   /* its registered name, else the pid */
  char    *protection;
  char    *heir;          /* pid, or NULL */
  char    *options;       /* read and write concurrency, compressed, decentralized counters */
  gint64   size;
  gint64   memory;
  gint64   keypos;
  gboolean system;
  History  size_history;
  History  memory_history;
  gint64   size_change;
  gint64   memory_change;
};

G_DEFINE_FINAL_TYPE (BeamEtsTableRow, beam_ets_table_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ID,
  PROP_TYPE,
  PROP_OWNER,
  PROP_OWNER_LABEL,
  PROP_OWNER_TARGET,
  PROP_PROTECTION,
  PROP_HEIR,
  PROP_OPTIONS,
  PROP_SIZE,
  PROP_MEMORY,
  PROP_KEYPOS,
  PROP_SYSTEM,
  PROP_SIZE_CHANGE,
  PROP_MEMORY_CHANGE,
  PROP_SIZE_HISTORY,
  PROP_MEMORY_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One field of `self` set, and its property notified if it changed. */
#define SET_STRING(field, value, prop) \
  beam_row_field_set_string (G_OBJECT (self), &self->field, (value), properties[prop])
#define SET_INT64(field, value, prop) \
  beam_row_field_set_int64 (G_OBJECT (self), &self->field, (value), properties[prop])
#define SET_BOOLEAN(field, value, prop) \
  beam_row_field_set_boolean (G_OBJECT (self), &self->field, (value), properties[prop])

/* Adds a sample. Whether what the ring holds, oldest first, changed: it does
 * not when a full ring of equal samples takes one more, as most tables'
 * rings do on most refreshes, so their sparklines are not redrawn. */
static gboolean
history_push (History *history,
              gint64   value)
{
  gboolean was_full = history->n == HISTORY;
  gint64 newest = history->samples[(history->next + HISTORY - 1) % HISTORY];

  if (history->n == 0)
    history->first = value;
  history->steady = history->n > 0 && value == newest ? history->steady + 1 : 1;
  history->samples[history->next] = value;
  history->next = (history->next + 1) % HISTORY;
  history->n = MIN (history->n + 1, HISTORY);
  return !was_full || history->steady <= HISTORY;
}

/* The samples, oldest first: made only when a view reads them, which only
 * rows on screen do. */
static GVariant *
history_to_variant (const History *history)
{
  gint64 ordered[HISTORY];
  guint oldest = (history->next + HISTORY - history->n) % HISTORY;

  for (guint i = 0; i < history->n; i++)
    ordered[i] = history->samples[(oldest + i) % HISTORY];
  return g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ordered, history->n, sizeof (gint64));
}

static gint64
history_change (const History *history)
{
  return history->n > 0 ? history->samples[(history->next + HISTORY - 1) % HISTORY] -
                          history->first
                        : 0;
}

static void
beam_ets_table_row_finalize (GObject *object)
{
  BeamEtsTableRow *self = BEAM_ETS_TABLE_ROW (object);

  g_free (self->name);
  g_free (self->id);
  g_free (self->type);
  g_free (self->owner);
  g_free (self->owner_label);
  g_free (self->protection);
  g_free (self->heir);
  g_free (self->options);

  G_OBJECT_CLASS (beam_ets_table_row_parent_class)->finalize (object);
}

static void
beam_ets_table_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BeamEtsTableRow *self = BEAM_ETS_TABLE_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_TYPE: g_value_set_string (value, self->type); break;
    case PROP_OWNER: g_value_set_string (value, self->owner); break;
    case PROP_OWNER_LABEL: g_value_set_string (value, self->owner_label); break;
    case PROP_OWNER_TARGET:
      g_value_set_variant (value, self->owner != NULL ? g_variant_new_string (self->owner)
                                                      : NULL);
      break;
    case PROP_PROTECTION: g_value_set_string (value, self->protection); break;
    case PROP_HEIR: g_value_set_string (value, self->heir); break;
    case PROP_OPTIONS: g_value_set_string (value, self->options); break;
    case PROP_SIZE: g_value_set_int64 (value, self->size); break;
    case PROP_MEMORY: g_value_set_int64 (value, self->memory); break;
    case PROP_KEYPOS: g_value_set_int64 (value, self->keypos); break;
    case PROP_SYSTEM: g_value_set_boolean (value, self->system); break;
    case PROP_SIZE_CHANGE: g_value_set_int64 (value, self->size_change); break;
    case PROP_MEMORY_CHANGE: g_value_set_int64 (value, self->memory_change); break;
    case PROP_SIZE_HISTORY:
      g_value_take_variant (value, history_to_variant (&self->size_history));
      break;
    case PROP_MEMORY_HISTORY:
      g_value_take_variant (value, history_to_variant (&self->memory_history));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_ets_table_row_class_init (BeamEtsTableRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = beam_ets_table_row_finalize;
  object_class->get_property = beam_ets_table_row_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_TYPE] = g_param_spec_string ("type", NULL, NULL, NULL, flags);
  properties[PROP_OWNER] = g_param_spec_string ("owner", NULL, NULL, NULL, flags);
  properties[PROP_OWNER_LABEL] = g_param_spec_string ("owner-label", NULL, NULL, NULL, flags);
  /* The owner's pid as an action's target: a button opens its process. */
  properties[PROP_OWNER_TARGET] = g_param_spec_variant ("owner-target", NULL, NULL,
                                                        G_VARIANT_TYPE_STRING, NULL, flags);
  properties[PROP_PROTECTION] = g_param_spec_string ("protection", NULL, NULL, NULL, flags);
  properties[PROP_HEIR] = g_param_spec_string ("heir", NULL, NULL, NULL, flags);
  properties[PROP_OPTIONS] = g_param_spec_string ("options", NULL, NULL, NULL, flags);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_MEMORY] = g_param_spec_int64 ("memory", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_KEYPOS] = g_param_spec_int64 ("keypos", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_SYSTEM] = g_param_spec_boolean ("system", NULL, NULL, FALSE, flags);
  properties[PROP_SIZE_CHANGE] = g_param_spec_int64 ("size-change", NULL, NULL,
                                                     G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_MEMORY_CHANGE] = g_param_spec_int64 ("memory-change", NULL, NULL,
                                                       G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_SIZE_HISTORY] = g_param_spec_variant ("size-history", NULL, NULL,
                                                        G_VARIANT_TYPE ("ax"), NULL, flags);
  properties[PROP_MEMORY_HISTORY] = g_param_spec_variant ("memory-history", NULL, NULL,
                                                          G_VARIANT_TYPE ("ax"), NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_ets_table_row_init (BeamEtsTableRow *self)
{
  self->size = self->memory = self->keypos = -1;
}

/* "read_concurrency, write_concurrency: auto, compressed": the options
 * ets:new/2 was given, as they read there; empty for none. */
static char *
describe_options (const BeamEtsTable *table)
{
  g_autoptr(GPtrArray) options = g_ptr_array_new ();

  if (table->read_concurrency)
    g_ptr_array_add (options, (gpointer) "read_concurrency");
  if (g_strcmp0 (table->write_concurrency, "true") == 0)
    g_ptr_array_add (options, (gpointer) "write_concurrency");
  else if (g_strcmp0 (table->write_concurrency, "auto") == 0)
    g_ptr_array_add (options, (gpointer) "write_concurrency: auto");
  if (table->compressed)
    g_ptr_array_add (options, (gpointer) "compressed");
  if (table->decentralized_counters)
    g_ptr_array_add (options, (gpointer) "decentralized_counters");
  g_ptr_array_add (options, NULL);
  return g_strjoinv (", ", (char **) options->pdata);
}

static void
add_sample (BeamEtsTableRow    *self,
            const BeamEtsTable *table)
{
  if (table->size >= 0 && history_push (&self->size_history, table->size))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE_HISTORY]);
  if (table->memory >= 0 && history_push (&self->memory_history, table->memory))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_HISTORY]);
  SET_INT64 (size_change, history_change (&self->size_history), PROP_SIZE_CHANGE);
  SET_INT64 (memory_change, history_change (&self->memory_history), PROP_MEMORY_CHANGE);
}

static void
update_row (BeamEtsTableRow    *self,
            const BeamEtsTable *table)
{
  g_autofree char *options = describe_options (table);

  g_object_freeze_notify (G_OBJECT (self));
  SET_STRING (heir, table->heir, PROP_HEIR);
  SET_STRING (options, options, PROP_OPTIONS);
  SET_STRING (name, table->name, PROP_NAME);
  SET_STRING (id, table->id, PROP_ID);
  SET_STRING (type, table->type, PROP_TYPE);
  if (g_strcmp0 (self->owner, table->owner) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWNER_TARGET]);
  SET_STRING (owner, table->owner, PROP_OWNER);
  SET_STRING (owner_label, table->owner_name != NULL ? table->owner_name : table->owner,
              PROP_OWNER_LABEL);
  SET_STRING (protection, table->protection, PROP_PROTECTION);
  SET_INT64 (size, table->size, PROP_SIZE);
  SET_INT64 (memory, table->memory, PROP_MEMORY);
  SET_INT64 (keypos, table->keypos, PROP_KEYPOS);
  SET_BOOLEAN (system, table->system, PROP_SYSTEM);
  add_sample (self, table);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
beam_ets_table_row_get_name (BeamEtsTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_TABLE_ROW (self), NULL);
  return self->name;
}

const char *
beam_ets_table_row_get_id (BeamEtsTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_TABLE_ROW (self), NULL);
  return self->id;
}

const char *
beam_ets_table_row_get_owner (BeamEtsTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_TABLE_ROW (self), NULL);
  return self->owner;
}

gboolean
beam_ets_table_row_get_system (BeamEtsTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_TABLE_ROW (self), FALSE);
  return self->system;
}

gint64
beam_ets_table_row_get_size_change (BeamEtsTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_TABLE_ROW (self), 0);
  return self->size_change;
}

gint64
beam_ets_table_row_get_memory_change (BeamEtsTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_TABLE_ROW (self), 0);
  return self->memory_change;
}

guint
beam_ets_table_row_get_n_samples (BeamEtsTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_TABLE_ROW (self), 0);
  return self->size_history.n;
}

void
beam_ets_table_rows_update (GListStore          *store,
                            const BeamEtsTables *tables)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  guint n;

  g_return_if_fail (G_IS_LIST_STORE (store));
  g_return_if_fail (tables != NULL);

  for (guint i = 0; i < tables->n_tables; i++)
    g_hash_table_insert (by_id, (gpointer) tables->tables[i].id, &tables->tables[i]);

  /* Backwards, so that removing does not move what is still to see. */
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(BeamEtsTableRow) row = g_list_model_get_item (G_LIST_MODEL (store), i - 1);
      const BeamEtsTable *table = g_hash_table_lookup (by_id, row->id);

      if (table == NULL)
        g_list_store_remove (store, i - 1);
      else
        {
          update_row (row, table);
          g_hash_table_add (kept, (gpointer) table->id);
        }
    }
  for (guint i = 0; i < tables->n_tables; i++)
    if (!g_hash_table_contains (kept, tables->tables[i].id))
      {
        g_autoptr(BeamEtsTableRow) row = g_object_new (BEAM_TYPE_ETS_TABLE_ROW, NULL);

        update_row (row, &tables->tables[i]);
        g_list_store_append (store, row);
      }
}
