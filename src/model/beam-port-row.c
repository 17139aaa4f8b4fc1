/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A row has many fields, all read-only properties: they are kept in two
 * arrays indexed by property, texts and figures, so that reading, setting
 * and declaring one is a line each. */

#define G_LOG_DOMAIN "beamscope-model"

#include <string.h>

#include "beam-port-row.h"
#include "beam-row-field.h"

enum {
  PROP_0,
  /* texts */
  PROP_ID,
  PROP_NAME,
  PROP_REGISTERED_NAME,
  PROP_CONNECTED,
  PROP_CONNECTED_NAME,
  PROP_OWNER_LABEL,
  PROP_LINKS,
  PROP_MONITORS,
  PROP_PROTOCOL,
  PROP_LOCAL,
  PROP_REMOTE,
  PROP_STATE,
  PROP_ACTIVE,
  /* figures */
  PROP_ID_NUMBER,
  PROP_N_LINKS,
  PROP_N_MONITORS,
  PROP_OS_PID,
  PROP_QUEUE_SIZE,
  PROP_MEMORY,
  PROP_INPUT,
  PROP_OUTPUT,
  PROP_RECV_OCT,
  PROP_RECV_CNT,
  PROP_SEND_OCT,
  PROP_SEND_CNT,
  PROP_SEND_PEND,
  PROP_BUFFER,
  PROP_RECBUF,
  PROP_SNDBUF,
  PROP_NODELAY,
  PROP_SEND_TIMEOUT,
  N_PROPS
};

#define FIRST_TEXT   PROP_ID
#define N_TEXTS      (PROP_ID_NUMBER - PROP_ID)
#define FIRST_FIGURE PROP_ID_NUMBER
#define N_FIGURES    (N_PROPS - PROP_ID_NUMBER)

struct _BeamPortRow
{
  GObject  parent_instance;
  char    *texts[N_TEXTS];
  gint64   figures[N_FIGURES];
};

G_DEFINE_FINAL_TYPE (BeamPortRow, beam_port_row, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

#define TEXT(self, prop)   ((self)->texts[(prop) - FIRST_TEXT])
#define FIGURE(self, prop) ((self)->figures[(prop) - FIRST_FIGURE])

static void
set_text (BeamPortRow *self,
          guint        prop,
          const char  *value)
{
  beam_row_field_set_string (G_OBJECT (self), &TEXT (self, prop), value, properties[prop]);
}

static void
set_figure (BeamPortRow *self,
            guint        prop,
            gint64       value)
{
  beam_row_field_set_int64 (G_OBJECT (self), &FIGURE (self, prop), value, properties[prop]);
}

static void
beam_port_row_finalize (GObject *object)
{
  BeamPortRow *self = BEAM_PORT_ROW (object);

  for (guint i = 0; i < N_TEXTS; i++)
    g_free (self->texts[i]);

  G_OBJECT_CLASS (beam_port_row_parent_class)->finalize (object);
}

static void
beam_port_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BeamPortRow *self = BEAM_PORT_ROW (object);

  if (prop_id >= FIRST_TEXT && prop_id < FIRST_TEXT + N_TEXTS)
    g_value_set_string (value, TEXT (self, prop_id));
  else if (prop_id >= FIRST_FIGURE && prop_id < N_PROPS)
    g_value_set_int64 (value, FIGURE (self, prop_id));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
beam_port_row_class_init (BeamPortRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  static const char * const texts[N_TEXTS] = {
    "id", "name", "registered-name", "connected", "connected-name", "owner-label", "links",
    "monitors", "protocol", "local", "remote", "state", "active",
  };
  static const char * const figures[N_FIGURES] = {
    "id-number", "n-links", "n-monitors", "os-pid", "queue-size", "memory", "input",
    "output", "recv-oct", "recv-cnt", "send-oct", "send-cnt", "send-pend", "buffer",
    "recbuf", "sndbuf", "nodelay", "send-timeout",
  };

  object_class->finalize = beam_port_row_finalize;
  object_class->get_property = beam_port_row_get_property;

  for (guint i = 0; i < N_TEXTS; i++)
    properties[FIRST_TEXT + i] = g_param_spec_string (texts[i], NULL, NULL, NULL, flags);
  for (guint i = 0; i < N_FIGURES; i++)
    properties[FIRST_FIGURE + i] = g_param_spec_int64 (figures[i], NULL, NULL, -1, G_MAXINT64,
                                                       -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_port_row_init (BeamPortRow *self)
{
  for (guint i = 0; i < N_FIGURES; i++)
    self->figures[i] = -1;
}

/* The port's number, the last in "#Port<0.12>", for sorting by id; -1 if
 * there is none. */
static gint64
id_number (const char *id)
{
  const char *dot = id != NULL ? strrchr (id, '.') : NULL;
  gint64 number = 0;

  if (dot == NULL || !g_ascii_isdigit (dot[1]))
    return -1;
  for (const char *p = dot + 1; g_ascii_isdigit (*p); p++)
    {
      if (number > (G_MAXINT64 - 9) / 10)
        return -1;
      number = number * 10 + (*p - '0');
    }
  return number;
}

static gint64
count_of (const char **items)
{
  return items != NULL ? g_strv_length ((char **) items) : 0;
}

static void
update_row (BeamPortRow    *self,
            const BeamPort *port)
{
  g_autofree char *links = port->links != NULL ? g_strjoinv ("\n", (char **) port->links) : NULL;
  g_autofree char *monitors = port->monitors != NULL
                              ? g_strjoinv ("\n", (char **) port->monitors) : NULL;

  g_object_freeze_notify (G_OBJECT (self));
  set_text (self, PROP_ID, port->id);
  set_text (self, PROP_NAME, port->name);
  set_text (self, PROP_REGISTERED_NAME, port->registered_name);
  set_text (self, PROP_CONNECTED, port->connected);
  set_text (self, PROP_CONNECTED_NAME, port->connected_name);
  set_text (self, PROP_OWNER_LABEL, port->connected_name != NULL ? port->connected_name
                                                                  : port->connected);
  set_text (self, PROP_LINKS, links);
  set_text (self, PROP_MONITORS, monitors);
  set_text (self, PROP_PROTOCOL, port->protocol);
  set_text (self, PROP_LOCAL, port->local);
  set_text (self, PROP_REMOTE, port->remote);
  set_text (self, PROP_STATE, port->state);
  set_text (self, PROP_ACTIVE, port->active);
  set_figure (self, PROP_ID_NUMBER, id_number (port->id));
  set_figure (self, PROP_N_LINKS, count_of (port->links));
  set_figure (self, PROP_N_MONITORS, count_of (port->monitors));
  set_figure (self, PROP_OS_PID, port->os_pid);
  set_figure (self, PROP_QUEUE_SIZE, port->queue_size);
  set_figure (self, PROP_MEMORY, port->memory);
  set_figure (self, PROP_INPUT, port->input);
  set_figure (self, PROP_OUTPUT, port->output);
  set_figure (self, PROP_RECV_OCT, port->recv_oct);
  set_figure (self, PROP_RECV_CNT, port->recv_cnt);
  set_figure (self, PROP_SEND_OCT, port->send_oct);
  set_figure (self, PROP_SEND_CNT, port->send_cnt);
  set_figure (self, PROP_SEND_PEND, port->send_pend);
  set_figure (self, PROP_BUFFER, port->buffer);
  set_figure (self, PROP_RECBUF, port->recbuf);
  set_figure (self, PROP_SNDBUF, port->sndbuf);
  set_figure (self, PROP_NODELAY, port->nodelay);
  set_figure (self, PROP_SEND_TIMEOUT, port->send_timeout);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
beam_port_row_get_id (BeamPortRow *self)
{
  g_return_val_if_fail (BEAM_IS_PORT_ROW (self), NULL);
  return TEXT (self, PROP_ID);
}

const char *
beam_port_row_get_name (BeamPortRow *self)
{
  g_return_val_if_fail (BEAM_IS_PORT_ROW (self), NULL);
  return TEXT (self, PROP_NAME);
}

const char *
beam_port_row_get_connected (BeamPortRow *self)
{
  g_return_val_if_fail (BEAM_IS_PORT_ROW (self), NULL);
  return TEXT (self, PROP_CONNECTED);
}

const char *
beam_port_row_get_owner_label (BeamPortRow *self)
{
  g_return_val_if_fail (BEAM_IS_PORT_ROW (self), NULL);
  return TEXT (self, PROP_OWNER_LABEL);
}

const char *
beam_port_row_get_local (BeamPortRow *self)
{
  g_return_val_if_fail (BEAM_IS_PORT_ROW (self), NULL);
  return TEXT (self, PROP_LOCAL);
}

const char *
beam_port_row_get_remote (BeamPortRow *self)
{
  g_return_val_if_fail (BEAM_IS_PORT_ROW (self), NULL);
  return TEXT (self, PROP_REMOTE);
}

gint64
beam_port_row_get_os_pid (BeamPortRow *self)
{
  g_return_val_if_fail (BEAM_IS_PORT_ROW (self), -1);
  return FIGURE (self, PROP_OS_PID);
}

gint64
beam_port_row_get_memory (BeamPortRow *self)
{
  g_return_val_if_fail (BEAM_IS_PORT_ROW (self), -1);
  return FIGURE (self, PROP_MEMORY);
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
beam_port_row_matches (BeamPortRow *self,
                       const char  *folded)
{
  static const guint searched[] = {
    PROP_ID, PROP_NAME, PROP_REGISTERED_NAME, PROP_CONNECTED, PROP_CONNECTED_NAME, PROP_LOCAL,
    PROP_REMOTE,
  };

  g_return_val_if_fail (BEAM_IS_PORT_ROW (self), FALSE);
  g_return_val_if_fail (folded != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (searched); i++)
    if (contains_folded (TEXT (self, searched[i]), folded))
      return TRUE;
  return FALSE;
}

void
beam_port_rows_update (GListStore         *store,
                       const BeamPortList *list)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_if_fail (G_IS_LIST_STORE (store));
  g_return_if_fail (list != NULL);

  for (guint i = 0; i < list->n_ports; i++)
    if (list->ports[i].id != NULL)
      g_hash_table_insert (by_id, (gpointer) list->ports[i].id, &list->ports[i]);

  /* Backwards, so that removing does not move what is still to see. */
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(BeamPortRow) row = g_list_model_get_item (G_LIST_MODEL (store), i - 1);
      const BeamPort *port = g_hash_table_lookup (by_id, TEXT (row, PROP_ID));

      if (port == NULL)
        g_list_store_remove (store, i - 1);
      else
        {
          update_row (row, port);
          g_hash_table_add (kept, (gpointer) port->id);
        }
    }
  /* New ones in one splice: one items-changed, one re-sort. */
  for (guint i = 0; i < list->n_ports; i++)
    if (list->ports[i].id != NULL && !g_hash_table_contains (kept, list->ports[i].id))
      {
        BeamPortRow *row = g_object_new (BEAM_TYPE_PORT_ROW, NULL);

        update_row (row, &list->ports[i]);
        g_ptr_array_add (added, row);
        g_hash_table_add (kept, (gpointer) list->ports[i].id);
      }
  g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0,
                       added->pdata, added->len);
}
