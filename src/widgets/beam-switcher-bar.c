/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The header's switcher title finds out that it has no room while the
 * header is being allocated. A bar revealed right then, as a binding of its
 * `reveal` to `title-visible` does, is allocated the height it had while
 * hidden, and GTK 4.8 warns of a box inside it given a height of -1 (fatal
 * in the display tests). So the bar follows a moment later, outside the
 * allocation: in the next frame. */

#include "beam-switcher-bar.h"

typedef struct
{
  GWeakRef bar;
  GWeakRef title;
} Follow;

static void
follow_free (gpointer data)
{
  Follow *follow = data;

  g_weak_ref_clear (&follow->bar);
  g_weak_ref_clear (&follow->title);
  g_free (follow);
}

static gboolean
reveal_now (gpointer data)
{
  Follow *follow = data;
  g_autoptr(AdwViewSwitcherBar) bar = g_weak_ref_get (&follow->bar);
  g_autoptr(AdwViewSwitcherTitle) title = g_weak_ref_get (&follow->title);

  if (bar != NULL && title != NULL)
    {
      g_object_set_data (G_OBJECT (bar), "beam-reveal-pending", NULL);
      adw_view_switcher_bar_set_reveal (bar, adw_view_switcher_title_get_title_visible (title));
    }
  return G_SOURCE_REMOVE;
}

static void
on_title_visible (AdwViewSwitcherTitle *title,
                  GParamSpec           *pspec G_GNUC_UNUSED,
                  AdwViewSwitcherBar   *bar)
{
  Follow *follow;

  if (g_object_get_data (G_OBJECT (bar), "beam-reveal-pending") != NULL)
    return;
  follow = g_new0 (Follow, 1);
  g_weak_ref_init (&follow->bar, bar);
  g_weak_ref_init (&follow->title, title);
  g_object_set_data (G_OBJECT (bar), "beam-reveal-pending", GINT_TO_POINTER (1));
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reveal_now, follow, follow_free);
}

void
beam_switcher_bar_follow_title (AdwViewSwitcherBar   *bar,
                                AdwViewSwitcherTitle *title)
{
  g_return_if_fail (ADW_IS_VIEW_SWITCHER_BAR (bar));
  g_return_if_fail (ADW_IS_VIEW_SWITCHER_TITLE (title));

  g_signal_connect_object (title, "notify::title-visible", G_CALLBACK (on_title_visible), bar,
                           0);
  adw_view_switcher_bar_set_reveal (bar, adw_view_switcher_title_get_title_visible (title));
}
