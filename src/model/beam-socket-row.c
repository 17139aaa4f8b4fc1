/* SPDX-License-Identifier: GPL-3.0-or-later */
/* As BeamPortRow: texts and figures in two arrays indexed by property. */

#define G_LOG_DOMAIN "beamscope-model"

#include <string.h>

#include "beam-socket-row.h"
#include "beam-row-field.h"

enum {
  PROP_0,
  /* texts */
  PROP_ID,
  PROP_OWNER,
  PROP_OWNER_NAME,
  PROP_OWNER_LABEL,
  PROP_DOMAIN,
  PROP_TYPE,
  PROP_PROTOCOL,
  PROP_STATE,
  PROP_LOCAL,
  PROP_REMOTE,
  /* figures */
  PROP_READ_BYTE,
  PROP_READ_PKG,
  PROP_WRITE_BYTE,
  PROP_WRITE_PKG,
  N_PROPS
};

#define FIRST_TEXT   PROP_ID
#define N_TEXTS      (PROP_READ_BYTE - PROP_ID)
#define FIRST_FIGURE PROP_READ_BYTE
#define N_FIGURES    (N_PROPS - PROP_READ_BYTE)

struct _BeamSocketRow
{
  GObject  parent_instance;
  char    *texts[N_TEXTS];
  gint64   figures[N_FIGURES];
};

G_DEFINE_FINAL_TYPE (BeamSocketRow, beam_socket_row, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

#define TEXT(self, prop)   ((self)->texts[(prop) - FIRST_TEXT])
#define FIGURE(self, prop) ((self)->figures[(prop) - FIRST_FIGURE])

static void
set_text (BeamSocketRow *self,
          guint          prop,
          const char    *value)
{
  beam_row_field_set_string (G_OBJECT (self), &TEXT (self, prop), value, properties[prop]);
}

static void
set_figure (BeamSocketRow *self,
            guint          prop,
            gint64         value)
{
  beam_row_field_set_int64 (G_OBJECT (self), &FIGURE (self, prop), value, properties[prop]);
}

static void
beam_socket_row_finalize (GObject *object)
{
  BeamSocketRow *self = BEAM_SOCKET_ROW (object);

  for (guint i = 0; i < N_TEXTS; i++)
    g_free (self->texts[i]);

  G_OBJECT_CLASS (beam_socket_row_parent_class)->finalize (object);
}

static void
beam_socket_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BeamSocketRow *self = BEAM_SOCKET_ROW (object);

  if (prop_id >= FIRST_TEXT && prop_id < FIRST_TEXT + N_TEXTS)
    g_value_set_string (value, TEXT (self, prop_id));
  else if (prop_id >= FIRST_FIGURE && prop_id < N_PROPS)
    g_value_set_int64 (value, FIGURE (self, prop_id));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
beam_socket_row_class_init (BeamSocketRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  static const char * const texts[N_TEXTS] = {
    "id", "owner", "owner-name", "owner-label", "domain", "type", "protocol", "state",
    "local", "remote",
  };
  static const char * const figures[N_FIGURES] = {
    "read-byte", "read-pkg", "write-byte", "write-pkg",
  };

  object_class->finalize = beam_socket_row_finalize;
  object_class->get_property = beam_socket_row_get_property;

  for (guint i = 0; i < N_TEXTS; i++)
    properties[FIRST_TEXT + i] = g_param_spec_string (texts[i], NULL, NULL, NULL, flags);
  for (guint i = 0; i < N_FIGURES; i++)
    properties[FIRST_FIGURE + i] = g_param_spec_int64 (figures[i], NULL, NULL, -1, G_MAXINT64,
                                                       -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_socket_row_init (BeamSocketRow *self)
{
  for (guint i = 0; i < N_FIGURES; i++)
    self->figures[i] = -1;
}

static void
update_row (BeamSocketRow    *self,
            const BeamSocket *socket)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_text (self, PROP_ID, socket->id);
  set_text (self, PROP_OWNER, socket->owner);
  set_text (self, PROP_OWNER_NAME, socket->owner_name);
  set_text (self, PROP_OWNER_LABEL, socket->owner_name != NULL ? socket->owner_name
                                                               : socket->owner);
  set_text (self, PROP_DOMAIN, socket->domain);
  set_text (self, PROP_TYPE, socket->type);
  set_text (self, PROP_PROTOCOL, socket->protocol);
  set_text (self, PROP_STATE, socket->state);
  set_text (self, PROP_LOCAL, socket->local);
  set_text (self, PROP_REMOTE, socket->remote);
  set_figure (self, PROP_READ_BYTE, socket->read_byte);
  set_figure (self, PROP_READ_PKG, socket->read_pkg);
  set_figure (self, PROP_WRITE_BYTE, socket->write_byte);
  set_figure (self, PROP_WRITE_PKG, socket->write_pkg);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
beam_socket_row_get_id (BeamSocketRow *self)
{
  g_return_val_if_fail (BEAM_IS_SOCKET_ROW (self), NULL);
  return TEXT (self, PROP_ID);
}

const char *
beam_socket_row_get_owner (BeamSocketRow *self)
{
  g_return_val_if_fail (BEAM_IS_SOCKET_ROW (self), NULL);
  return TEXT (self, PROP_OWNER);
}

const char *
beam_socket_row_get_owner_label (BeamSocketRow *self)
{
  g_return_val_if_fail (BEAM_IS_SOCKET_ROW (self), NULL);
  return TEXT (self, PROP_OWNER_LABEL);
}

const char *
beam_socket_row_get_protocol (BeamSocketRow *self)
{
  g_return_val_if_fail (BEAM_IS_SOCKET_ROW (self), NULL);
  return TEXT (self, PROP_PROTOCOL);
}

const char *
beam_socket_row_get_local (BeamSocketRow *self)
{
  g_return_val_if_fail (BEAM_IS_SOCKET_ROW (self), NULL);
  return TEXT (self, PROP_LOCAL);
}

static gboolean
contains_folded (const char *haystack,
                 const char *folded)
{
  g_autofree char *folded_haystack = NULL;

  if (haystack == NULL)
    return FALSE;
  folded_haystack = g_utf8_casefold (haystack, -1);
  return strstr (folded_haystack, folded) != NULL;
}

gboolean
beam_socket_row_matches (BeamSocketRow *self,
                         const char    *folded)
{
  static const guint searched[] = {
    PROP_ID, PROP_OWNER, PROP_OWNER_NAME, PROP_PROTOCOL, PROP_LOCAL, PROP_REMOTE,
  };

  g_return_val_if_fail (BEAM_IS_SOCKET_ROW (self), FALSE);
  g_return_val_if_fail (folded != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (searched); i++)
    if (contains_folded (TEXT (self, searched[i]), folded))
      return TRUE;
  return FALSE;
}

void
beam_socket_rows_update (GListStore         *store,
                         const BeamPortList *list)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_if_fail (G_IS_LIST_STORE (store));
  g_return_if_fail (list != NULL);

  for (guint i = 0; i < list->n_sockets; i++)
    if (list->sockets[i].id != NULL)
      g_hash_table_insert (by_id, (gpointer) list->sockets[i].id, &list->sockets[i]);

  /* Backwards, so that removing does not move what is still to see. */
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(BeamSocketRow) row = g_list_model_get_item (G_LIST_MODEL (store), i - 1);
      const BeamSocket *socket = g_hash_table_lookup (by_id, TEXT (row, PROP_ID));

      if (socket == NULL)
        g_list_store_remove (store, i - 1);
      else
        {
          update_row (row, socket);
          g_hash_table_add (kept, (gpointer) socket->id);
        }
    }
  for (guint i = 0; i < list->n_sockets; i++)
    if (list->sockets[i].id != NULL && !g_hash_table_contains (kept, list->sockets[i].id))
      {
        BeamSocketRow *row = g_object_new (BEAM_TYPE_SOCKET_ROW, NULL);

        update_row (row, &list->sockets[i]);
        g_ptr_array_add (added, row);
        g_hash_table_add (kept, (gpointer) list->sockets[i].id);
      }
  g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0,
                       added->pdata, added->len);
}
