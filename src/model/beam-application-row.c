/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "beamscope-model"

#include "beam-application-row.h"
#include "beam-row-field.h"

struct _BeamApplicationRow
{
  GObject  parent_instance;
  char    *name;
  char    *description;
  char    *vsn;
  char    *start_type;
  char    *state;
  gboolean running;
  gboolean library;
  gint64   processes;
  gint64   memory;
  gint64   reductions;
};

G_DEFINE_FINAL_TYPE (BeamApplicationRow, beam_application_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_VSN,
  PROP_START_TYPE,
  PROP_STATE,
  PROP_RUNNING,
  PROP_LIBRARY,
  PROP_PROCESSES,
  PROP_MEMORY,
  PROP_REDUCTIONS,
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
beam_application_row_finalize (GObject *object)
{
  BeamApplicationRow *self = BEAM_APPLICATION_ROW (object);

  g_free (self->name);
  g_free (self->description);
  g_free (self->vsn);
  g_free (self->start_type);
  g_free (self->state);

  G_OBJECT_CLASS (beam_application_row_parent_class)->finalize (object);
}

static void
beam_application_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BeamApplicationRow *self = BEAM_APPLICATION_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_VSN: g_value_set_string (value, self->vsn); break;
    case PROP_START_TYPE: g_value_set_string (value, self->start_type); break;
    case PROP_STATE: g_value_set_string (value, self->state); break;
    case PROP_RUNNING: g_value_set_boolean (value, self->running); break;
    case PROP_LIBRARY: g_value_set_boolean (value, self->library); break;
    case PROP_PROCESSES: g_value_set_int64 (value, self->processes); break;
    case PROP_MEMORY: g_value_set_int64 (value, self->memory); break;
    case PROP_REDUCTIONS: g_value_set_int64 (value, self->reductions); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_application_row_class_init (BeamApplicationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = beam_application_row_finalize;
  object_class->get_property = beam_application_row_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_VSN] = g_param_spec_string ("vsn", NULL, NULL, NULL, flags);
  properties[PROP_START_TYPE] = g_param_spec_string ("start-type", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  properties[PROP_LIBRARY] = g_param_spec_boolean ("library", NULL, NULL, FALSE, flags);
  properties[PROP_PROCESSES] = g_param_spec_int64 ("processes", NULL, NULL,
                                                   -1, G_MAXINT64, -1, flags);
  properties[PROP_MEMORY] = g_param_spec_int64 ("memory", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_REDUCTIONS] = g_param_spec_int64 ("reductions", NULL, NULL,
                                                    -1, G_MAXINT64, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_application_row_init (BeamApplicationRow *self)
{
  self->processes = self->memory = self->reductions = -1;
}

static void
update_counts (BeamApplicationRow    *self,
               const BeamApplication *app)
{
  SET_INT64 (processes, app->processes, PROP_PROCESSES);
  SET_INT64 (memory, app->memory, PROP_MEMORY);
  SET_INT64 (reductions, app->reductions, PROP_REDUCTIONS);
}

static void
update_row (BeamApplicationRow        *self,
            const BeamApplicationList *list,
            const BeamApplication     *app)
{
  g_object_freeze_notify (G_OBJECT (self));
  SET_STRING (name, app->name, PROP_NAME);
  SET_STRING (description, app->description, PROP_DESCRIPTION);
  SET_STRING (vsn, app->vsn, PROP_VSN);
  /* A library application while the controller is busy: as it was. */
  if (app->state != BEAM_APPLICATION_UNKNOWN || self->state == NULL)
    {
      SET_STRING (state, beam_application_state_to_string (app->state), PROP_STATE);
      SET_BOOLEAN (running, app->running, PROP_RUNNING);
      SET_BOOLEAN (library, app->running && app->master_pid == NULL, PROP_LIBRARY);
    }
  if (list->types_known || !app->running)
    SET_STRING (start_type, app->running ? app->start_type : NULL, PROP_START_TYPE);
  if (list->counted || !app->running)
    update_counts (self, app);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
beam_application_row_get_name (BeamApplicationRow *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION_ROW (self), NULL);
  return self->name;
}

const char *
beam_application_row_get_description (BeamApplicationRow *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION_ROW (self), NULL);
  return self->description;
}

const char *
beam_application_row_get_vsn (BeamApplicationRow *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION_ROW (self), NULL);
  return self->vsn;
}

const char *
beam_application_row_get_start_type (BeamApplicationRow *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION_ROW (self), NULL);
  return self->start_type;
}

const char *
beam_application_row_get_state (BeamApplicationRow *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION_ROW (self), NULL);
  return self->state;
}

gboolean
beam_application_row_get_running (BeamApplicationRow *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION_ROW (self), FALSE);
  return self->running;
}

gboolean
beam_application_row_get_library (BeamApplicationRow *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION_ROW (self), FALSE);
  return self->library;
}

gint64
beam_application_row_get_processes (BeamApplicationRow *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION_ROW (self), -1);
  return self->processes;
}

gint64
beam_application_row_get_memory (BeamApplicationRow *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION_ROW (self), -1);
  return self->memory;
}

gint64
beam_application_row_get_reductions (BeamApplicationRow *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION_ROW (self), -1);
  return self->reductions;
}

/* Both sides are sorted by name: one merge pass. */
void
beam_application_rows_update (GListStore                *store,
                              const BeamApplicationList *list)
{
  guint position = 0, next = 0, n_rows;

  g_return_if_fail (G_IS_LIST_STORE (store));
  g_return_if_fail (list != NULL);

  while (next < list->n_applications)
    {
      const BeamApplication *app = &list->applications[next];
      g_autoptr(BeamApplicationRow) row = g_list_model_get_item (G_LIST_MODEL (store), position);
      int order = row != NULL ? g_strcmp0 (row->name, app->name) : 1;

      if (order < 0)
        {
          g_list_store_remove (store, position);   /* gone from the node */
          continue;
        }
      if (order > 0)
        {
          g_autoptr(BeamApplicationRow) added = g_object_new (BEAM_TYPE_APPLICATION_ROW, NULL);

          update_row (added, list, app);
          g_list_store_insert (store, position, added);
        }
      else
        update_row (row, list, app);
      position++;
      next++;
    }
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (store));
  if (position < n_rows)
    g_list_store_splice (store, position, n_rows - position, NULL, 0);
}

void
beam_application_rows_update_counts (GListStore                *store,
                                     const BeamApplicationList *list)
{
  guint n_rows;

  g_return_if_fail (G_IS_LIST_STORE (store));
  g_return_if_fail (list != NULL);

  if (!list->counted)
    return;
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(BeamApplicationRow) row = g_list_model_get_item (G_LIST_MODEL (store), i);
      const BeamApplication *app = beam_application_list_find (list, row->name);

      if (app == NULL)
        continue;
      g_object_freeze_notify (G_OBJECT (row));
      update_counts (row, app);
      g_object_thaw_notify (G_OBJECT (row));
    }
}
