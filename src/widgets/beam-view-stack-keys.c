/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include "beam-view-stack-keys.h"

void
beam_view_stack_show_number (AdwViewStack *stack,
                             int           number)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);

  if (number >= 1 && (guint) number <= g_list_model_get_n_items (G_LIST_MODEL (pages)))
    gtk_selection_model_select_item (pages, (guint) number - 1, TRUE);
}

void
beam_view_stack_step (AdwViewStack *stack,
                      int           step)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n; i++)
    if (gtk_selection_model_is_selected (pages, i))
      {
        gtk_selection_model_select_item (pages, step > 0 ? (i + 1) % n : (i + n - 1) % n, TRUE);
        return;
      }
}
