/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "beamscope-model"

#include "beam-mnesia-table-row.h"
#include "beam-row-field.h"

struct _BeamMnesiaTableRow
{
  GObject  parent_instance;
  char    *name;
  char    *storage;         /* ram, disc, disc_only, or NULL */
  char    *type;
  char    *record_name;
  char    *attributes;      /* "id, name, value" */
  char    *replicas;        /* "a@h (ram), b@h (disc)" */
  char    *where_to_read;
  gint64   size;
  gint64   memory;
  gint64   arity;           /* the record's, its name included, as Mnesia counts it */
};

G_DEFINE_FINAL_TYPE (BeamMnesiaTableRow, beam_mnesia_table_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_STORAGE,
  PROP_TYPE,
  PROP_RECORD_NAME,
  PROP_ATTRIBUTES,
  PROP_REPLICAS,
  PROP_WHERE_TO_READ,
  PROP_SIZE,
  PROP_MEMORY,
  PROP_ARITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define SET_STRING(field, value, prop) \
  beam_row_field_set_string (G_OBJECT (self), &self->field, (value), properties[prop])
#define SET_INT64(field, value, prop) \
  beam_row_field_set_int64 (G_OBJECT (self), &self->field, (value), properties[prop])

static void
beam_mnesia_table_row_finalize (GObject *object)
{
  BeamMnesiaTableRow *self = BEAM_MNESIA_TABLE_ROW (object);

  g_free (self->name);
  g_free (self->storage);
  g_free (self->type);
  g_free (self->record_name);
  g_free (self->attributes);
  g_free (self->replicas);
  g_free (self->where_to_read);

  G_OBJECT_CLASS (beam_mnesia_table_row_parent_class)->finalize (object);
}

static void
beam_mnesia_table_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BeamMnesiaTableRow *self = BEAM_MNESIA_TABLE_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_STORAGE: g_value_set_string (value, self->storage); break;
    case PROP_TYPE: g_value_set_string (value, self->type); break;
    case PROP_RECORD_NAME: g_value_set_string (value, self->record_name); break;
    case PROP_ATTRIBUTES: g_value_set_string (value, self->attributes); break;
    case PROP_REPLICAS: g_value_set_string (value, self->replicas); break;
    case PROP_WHERE_TO_READ: g_value_set_string (value, self->where_to_read); break;
    case PROP_SIZE: g_value_set_int64 (value, self->size); break;
    case PROP_MEMORY: g_value_set_int64 (value, self->memory); break;
    case PROP_ARITY: g_value_set_int64 (value, self->arity); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_mnesia_table_row_class_init (BeamMnesiaTableRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = beam_mnesia_table_row_finalize;
  object_class->get_property = beam_mnesia_table_row_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_STORAGE] = g_param_spec_string ("storage", NULL, NULL, NULL, flags);
  properties[PROP_TYPE] = g_param_spec_string ("type", NULL, NULL, NULL, flags);
  properties[PROP_RECORD_NAME] = g_param_spec_string ("record-name", NULL, NULL, NULL, flags);
  properties[PROP_ATTRIBUTES] = g_param_spec_string ("attributes", NULL, NULL, NULL, flags);
  properties[PROP_REPLICAS] = g_param_spec_string ("replicas", NULL, NULL, NULL, flags);
  properties[PROP_WHERE_TO_READ] = g_param_spec_string ("where-to-read", NULL, NULL, NULL,
                                                        flags);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_MEMORY] = g_param_spec_int64 ("memory", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_ARITY] = g_param_spec_int64 ("arity", NULL, NULL, -1, G_MAXINT64, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_mnesia_table_row_init (BeamMnesiaTableRow *self)
{
  self->size = self->memory = self->arity = -1;
}

static void
add_replicas (GString     *text,
              const char **nodes,
              const char  *kind)
{
  for (guint i = 0; nodes != NULL && nodes[i] != NULL; i++)
    g_string_append_printf (text, "%s%s (%s)", text->len > 0 ? ", " : "", nodes[i], kind);
}

static void
update_row (BeamMnesiaTableRow    *self,
            const BeamMnesiaTable *table)
{
  g_autofree char *attributes = g_strjoinv (", ", (char **) table->attributes);
  g_autoptr(GString) replicas = g_string_new (NULL);

  add_replicas (replicas, table->ram_copies, "ram");
  add_replicas (replicas, table->disc_copies, "disc");
  add_replicas (replicas, table->disc_only_copies, "disc_only");

  g_object_freeze_notify (G_OBJECT (self));
  SET_STRING (name, table->name, PROP_NAME);
  SET_STRING (storage, beam_mnesia_storage_short_name (table->storage_type), PROP_STORAGE);
  SET_STRING (type, table->type, PROP_TYPE);
  SET_STRING (record_name, table->record_name, PROP_RECORD_NAME);
  SET_STRING (attributes, attributes, PROP_ATTRIBUTES);
  SET_STRING (replicas, replicas->str, PROP_REPLICAS);
  SET_STRING (where_to_read, table->where_to_read, PROP_WHERE_TO_READ);
  SET_INT64 (size, table->size, PROP_SIZE);
  SET_INT64 (memory, table->memory, PROP_MEMORY);
  SET_INT64 (arity, 1 + (gint64) g_strv_length ((char **) table->attributes), PROP_ARITY);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
beam_mnesia_table_row_get_name (BeamMnesiaTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_MNESIA_TABLE_ROW (self), NULL);
  return self->name;
}

const char *
beam_mnesia_table_row_get_storage (BeamMnesiaTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_MNESIA_TABLE_ROW (self), NULL);
  return self->storage;
}

gint64
beam_mnesia_table_row_get_size (BeamMnesiaTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_MNESIA_TABLE_ROW (self), -1);
  return self->size;
}

gint64
beam_mnesia_table_row_get_memory (BeamMnesiaTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_MNESIA_TABLE_ROW (self), -1);
  return self->memory;
}

const char *
beam_mnesia_table_row_get_replicas (BeamMnesiaTableRow *self)
{
  g_return_val_if_fail (BEAM_IS_MNESIA_TABLE_ROW (self), NULL);
  return self->replicas;
}

void
beam_mnesia_table_rows_update (GListStore             *store,
                               const BeamMnesiaTables *tables)
{
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  guint n;

  g_return_if_fail (G_IS_LIST_STORE (store));
  g_return_if_fail (tables != NULL);

  for (guint i = 0; i < tables->n_tables; i++)
    g_hash_table_insert (by_name, (gpointer) tables->tables[i].name, &tables->tables[i]);

  /* Backwards, so that removing does not move what is still to see. */
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(BeamMnesiaTableRow) row = g_list_model_get_item (G_LIST_MODEL (store), i - 1);
      const BeamMnesiaTable *table = g_hash_table_lookup (by_name, row->name);

      if (table == NULL)
        g_list_store_remove (store, i - 1);
      else
        {
          update_row (row, table);
          g_hash_table_add (kept, (gpointer) table->name);
        }
    }
  for (guint i = 0; i < tables->n_tables; i++)
    if (!g_hash_table_contains (kept, tables->tables[i].name))
      {
        g_autoptr(BeamMnesiaTableRow) row = g_object_new (BEAM_TYPE_MNESIA_TABLE_ROW, NULL);

        update_row (row, &tables->tables[i]);
        g_list_store_append (store, row);
      }
}
