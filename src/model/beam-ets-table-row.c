/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "beamscope-model"

#include "beam-ets-table-row.h"
#include "beam-row-field.h"

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
};

G_DEFINE_FINAL_TYPE (BeamEtsTableRow, beam_ets_table_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ID,
  PROP_TYPE,
  PROP_OWNER,
  PROP_OWNER_LABEL,
  PROP_PROTECTION,
  PROP_HEIR,
  PROP_OPTIONS,
  PROP_SIZE,
  PROP_MEMORY,
  PROP_KEYPOS,
  PROP_SYSTEM,
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
    case PROP_PROTECTION: g_value_set_string (value, self->protection); break;
    case PROP_HEIR: g_value_set_string (value, self->heir); break;
    case PROP_OPTIONS: g_value_set_string (value, self->options); break;
    case PROP_SIZE: g_value_set_int64 (value, self->size); break;
    case PROP_MEMORY: g_value_set_int64 (value, self->memory); break;
    case PROP_KEYPOS: g_value_set_int64 (value, self->keypos); break;
    case PROP_SYSTEM: g_value_set_boolean (value, self->system); break;
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
  properties[PROP_PROTECTION] = g_param_spec_string ("protection", NULL, NULL, NULL, flags);
  properties[PROP_HEIR] = g_param_spec_string ("heir", NULL, NULL, NULL, flags);
  properties[PROP_OPTIONS] = g_param_spec_string ("options", NULL, NULL, NULL, flags);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_MEMORY] = g_param_spec_int64 ("memory", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_KEYPOS] = g_param_spec_int64 ("keypos", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_SYSTEM] = g_param_spec_boolean ("system", NULL, NULL, FALSE, flags);
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
  SET_STRING (owner, table->owner, PROP_OWNER);
  SET_STRING (owner_label, table->owner_name != NULL ? table->owner_name : table->owner,
              PROP_OWNER_LABEL);
  SET_STRING (protection, table->protection, PROP_PROTECTION);
  SET_INT64 (size, table->size, PROP_SIZE);
  SET_INT64 (memory, table->memory, PROP_MEMORY);
  SET_INT64 (keypos, table->keypos, PROP_KEYPOS);
  SET_BOOLEAN (system, table->system, PROP_SYSTEM);
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
