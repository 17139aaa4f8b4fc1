/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "beamscope-model"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-supervision-item.h"

struct _BeamSupervisionItem
{
  GObject  parent_instance;
  guint    index;
  gboolean is_more;
  gboolean restarted;
  char    *title;
  char    *pid;
  char    *type;
  char    *restart;
  gint64   memory;
  gint64   message_queue_len;
  gint64   reductions;
};

G_DEFINE_FINAL_TYPE (BeamSupervisionItem, beam_supervision_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_PID,
  PROP_TYPE,
  PROP_RESTART,
  PROP_MEMORY,
  PROP_MESSAGE_QUEUE_LEN,
  PROP_REDUCTIONS,
  PROP_RESTARTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
beam_supervision_item_finalize (GObject *object)
{
  BeamSupervisionItem *self = BEAM_SUPERVISION_ITEM (object);

  g_free (self->title);
  g_free (self->pid);
  g_free (self->type);
  g_free (self->restart);

  G_OBJECT_CLASS (beam_supervision_item_parent_class)->finalize (object);
}

static void
beam_supervision_item_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BeamSupervisionItem *self = BEAM_SUPERVISION_ITEM (object);

  switch (prop_id)
    {
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_PID: g_value_set_string (value, self->pid); break;
    case PROP_TYPE: g_value_set_string (value, self->type); break;
    case PROP_RESTART: g_value_set_string (value, self->restart); break;
    case PROP_MEMORY: g_value_set_int64 (value, self->memory); break;
    case PROP_MESSAGE_QUEUE_LEN: g_value_set_int64 (value, self->message_queue_len); break;
    case PROP_REDUCTIONS: g_value_set_int64 (value, self->reductions); break;
    case PROP_RESTARTED: g_value_set_boolean (value, self->restarted); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_supervision_item_class_init (BeamSupervisionItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = beam_supervision_item_finalize;
  object_class->get_property = beam_supervision_item_get_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_PID] = g_param_spec_string ("pid", NULL, NULL, NULL, flags);
  properties[PROP_TYPE] = g_param_spec_string ("type", NULL, NULL, NULL, flags);
  properties[PROP_RESTART] = g_param_spec_string ("restart", NULL, NULL, NULL, flags);
  properties[PROP_MEMORY] = g_param_spec_int64 ("memory", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_MESSAGE_QUEUE_LEN] = g_param_spec_int64 ("message-queue-len", NULL, NULL,
                                                           -1, G_MAXINT64, -1, flags);
  properties[PROP_REDUCTIONS] = g_param_spec_int64 ("reductions", NULL, NULL,
                                                    -1, G_MAXINT64, -1, flags);
  properties[PROP_RESTARTED] = g_param_spec_boolean ("restarted", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_supervision_item_init (BeamSupervisionItem *self)
{
  self->memory = self->message_queue_len = self->reductions = -1;
}

static void
replace_text (char       **field,
              const char  *value)
{
  if (*field == value)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

/* Copies what the row shows of node `index`; TRUE if any of it changed. */
static gboolean
fill (BeamSupervisionItem       *self,
      const BeamSupervisionTree *tree,
      guint                      index,
      gboolean                   restarted)
{
  const BeamSupervisionNode *node = &tree->nodes[index];
  g_autofree char *title = g_strdup (node->name != NULL ? node->name
                                     : node->id != NULL ? node->id
                                     : node->pid != NULL ? node->pid : "");
  const char *type = node->type == BEAM_SUPERVISION_SUPERVISOR ? _("supervisor")
                     : node->type == BEAM_SUPERVISION_WORKER ? _("worker")
                     : _("linked");
  gboolean changed;

  changed = self->index != index || self->restarted != restarted ||
            g_strcmp0 (self->title, title) != 0 || g_strcmp0 (self->pid, node->pid) != 0 ||
            g_strcmp0 (self->type, type) != 0 || g_strcmp0 (self->restart, node->restart) != 0 ||
            self->memory != node->memory ||
            self->message_queue_len != node->message_queue_len ||
            self->reductions != node->reductions;
  self->index = index;
  self->restarted = restarted;
  replace_text (&self->title, title);
  replace_text (&self->pid, node->pid);
  replace_text (&self->type, type);
  replace_text (&self->restart, node->restart);
  self->memory = node->memory;
  self->message_queue_len = node->message_queue_len;
  self->reductions = node->reductions;
  return changed;
}

BeamSupervisionItem *
beam_supervision_item_new (const BeamSupervisionTree *tree,
                           guint                      index,
                           gboolean                   restarted)
{
  BeamSupervisionItem *self;

  g_return_val_if_fail (tree != NULL && index < tree->n_nodes, NULL);

  self = g_object_new (BEAM_TYPE_SUPERVISION_ITEM, NULL);
  fill (self, tree, index, restarted);
  return self;
}

void
beam_supervision_item_update (BeamSupervisionItem       *self,
                              const BeamSupervisionTree *tree,
                              gboolean                   restarted)
{
  g_return_if_fail (BEAM_IS_SUPERVISION_ITEM (self));
  g_return_if_fail (tree != NULL && self->index < tree->n_nodes);

  /* One notification for the cells to show it all again. */
  if (fill (self, tree, self->index, restarted))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

BeamSupervisionItem *
beam_supervision_item_new_more (guint   supervisor,
                                guint64 not_shown)
{
  BeamSupervisionItem *self = g_object_new (BEAM_TYPE_SUPERVISION_ITEM, NULL);
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, not_shown);

  self->index = supervisor;
  self->is_more = TRUE;
  self->title = g_strdup_printf (ngettext ("… %s more child", "… %s more children",
                                           (unsigned long) MIN (not_shown, G_MAXULONG)),
                                 count);
  return self;
}

guint
beam_supervision_item_get_index (BeamSupervisionItem *self)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_ITEM (self), BEAM_SUPERVISION_NO_PARENT);
  return self->index;
}

const char *
beam_supervision_item_get_pid (BeamSupervisionItem *self)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_ITEM (self), NULL);
  return self->pid;
}

gboolean
beam_supervision_item_get_is_more (BeamSupervisionItem *self)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_ITEM (self), FALSE);
  return self->is_more;
}

GListModel *
beam_supervision_item_list_children (const BeamSupervisionTree *tree,
                                     guint                      index,
                                     const guint8              *restarted)
{
  const BeamSupervisionNode *node;
  GListStore *children;

  g_return_val_if_fail (tree != NULL, NULL);

  if (index >= tree->n_nodes)
    return NULL;
  node = &tree->nodes[index];
  if (node->n_child_nodes == 0 && node->children_count == 0)
    return NULL;

  children = g_list_store_new (BEAM_TYPE_SUPERVISION_ITEM);
  for (guint i = 0; i < node->n_child_nodes; i++)
    {
      guint child = node->child_nodes[i];
      g_autoptr(BeamSupervisionItem) item =
        beam_supervision_item_new (tree, child, restarted != NULL && restarted[child]);

      g_list_store_append (children, item);
    }
  if (node->type == BEAM_SUPERVISION_SUPERVISOR && node->children_count > node->n_child_nodes)
    {
      g_autoptr(BeamSupervisionItem) more =
        beam_supervision_item_new_more (index, node->children_count - node->n_child_nodes);

      g_list_store_append (children, more);
    }
  return G_LIST_MODEL (children);
}
