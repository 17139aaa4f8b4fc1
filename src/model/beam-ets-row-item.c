/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A position of a table window, and the row at it once its chunk came. */

#define G_LOG_DOMAIN "beamscope-model"

#include <glib/gi18n.h>

#include "beam-number-format.h"
#include "beam-ets-row-item.h"

struct _BeamEtsRowItem
{
  GObject         parent_instance;

  guint           position;
  const BeamTerm *term;             /* the window's */
  gint64          too_big_bytes;
  gboolean        loaded;
};

G_DEFINE_FINAL_TYPE (BeamEtsRowItem, beam_ets_row_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

BeamEtsRowItem *
beam_ets_row_item_new (guint position)
{
  BeamEtsRowItem *self = g_object_new (BEAM_TYPE_ETS_ROW_ITEM, NULL);

  self->position = position;
  return self;
}

gboolean
beam_ets_row_item_get_loaded (BeamEtsRowItem *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_ITEM (self), FALSE);
  return self->loaded;
}

guint
beam_ets_row_item_get_position (BeamEtsRowItem *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_ITEM (self), 0);
  return self->position;
}

const BeamTerm *
beam_ets_row_item_get_term (BeamEtsRowItem *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_ITEM (self), NULL);
  return self->term;
}

gint64
beam_ets_row_item_get_too_big_bytes (BeamEtsRowItem *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_ITEM (self), 0);
  return self->too_big_bytes;
}

static void
cut (GString *text)
{
  const char *end;

  if (g_utf8_strlen (text->str, -1) <= BEAM_ETS_ROW_CELL_CHARS)
    return;
  end = g_utf8_offset_to_pointer (text->str, BEAM_ETS_ROW_CELL_CHARS - 1);
  g_string_truncate (text, end - text->str);
  g_string_append (text, "…");
}

char *
beam_ets_row_item_dup_cell (BeamEtsRowItem *self,
                            guint           column,
                            BeamSyntax      syntax)
{
  /* Limits that keep a cell's printing short whatever the row holds. */
  BeamPrintOptions options = { .syntax = syntax, .max_depth = 6, .max_width = 24 };
  const BeamTerm *cell;
  GString *text;

  g_return_val_if_fail (BEAM_IS_ETS_ROW_ITEM (self), NULL);

  if (self->too_big_bytes > 0)
    {
      g_autofree char *size = beam_format_bytes (self->too_big_bytes);

      return column <= 1 ? g_strdup_printf (_("Row too big to show (%s)"), size) : g_strdup ("");
    }
  if (self->term == NULL)
    return g_strdup ("");
  cell = self->term;
  if (column > 0)
    {
      if (cell->kind != BEAM_TERM_TUPLE || column > cell->n_children)
        return g_strdup ("");
      cell = cell->children[column - 1];
    }
  text = g_string_new (NULL);
  beam_term_print_to (cell, &options, text);
  cut (text);
  return g_string_free (text, FALSE);
}

GPtrArray *
beam_ets_row_item_dup_terms (BeamEtsRowItem *self)
{
  GPtrArray *terms;

  g_return_val_if_fail (BEAM_IS_ETS_ROW_ITEM (self), NULL);

  if (self->term == NULL)
    return NULL;
  terms = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_term_free);
  g_ptr_array_add (terms, beam_term_copy (self->term));
  return terms;
}

void
beam_ets_row_item_set_row (BeamEtsRowItem *self,
                           const BeamTerm *term,
                           gint64          too_big_bytes)
{
  g_return_if_fail (BEAM_IS_ETS_ROW_ITEM (self));

  self->term = term;
  self->too_big_bytes = too_big_bytes;
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

void
beam_ets_row_item_forget (BeamEtsRowItem *self)
{
  g_return_if_fail (BEAM_IS_ETS_ROW_ITEM (self));

  if (!self->loaded)
    return;
  self->term = NULL;
  self->too_big_bytes = 0;
  self->loaded = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
beam_ets_row_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BeamEtsRowItem *self = BEAM_ETS_ROW_ITEM (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_ets_row_item_class_init (BeamEtsRowItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = beam_ets_row_item_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_ets_row_item_init (BeamEtsRowItem *self G_GNUC_UNUSED)
{
}
