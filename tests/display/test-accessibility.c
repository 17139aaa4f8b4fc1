/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a screen reader is told (issue 16, item 7), on the real windows with
 * a fixture node's data (beam_test_tour): every widget Beamscope draws itself
 * (charts, trend lines, the supervision tree, the memory bar, the System
 * page's meters) has a role, a name and a description or value, and they
 * follow the data; every button that shows only an icon, on every page and
 * window, has an accessible label or a tooltip, so that a new one without
 * fails here. GTK's test AT context is the one in use (NO_AT_BRIDGE). */

#include <string.h>

#include "beam-applications-page-private.h"
#include "beam-chart.h"
#include "beam-cluster-matrix.h"
#include "beam-sparkline.h"
#include "beam-supervision-canvas.h"
#include "beam-test-display.h"
#include "beam-test-node.h"

static BeamTestNode *node;
static BeamApplication *app;

/* A string property of `widget`'s accessible, or NULL when it is unset. */
static char *
dup_property (GtkWidget             *widget,
              GtkAccessibleProperty  property)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;
  /* check_property answers the value it found when it is not the one asked. */
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property,
                                             "\x01 never this");
}

static gboolean
hidden (GtkWidget *widget)
{
  return gtk_test_accessible_has_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN);
}

static void
assert_property_set (GtkWidget             *widget,
                     GtkAccessibleProperty  property,
                     const char            *what)
{
  g_autofree char *value = dup_property (widget, property);

  if (value == NULL || value[0] == '\0')
    g_error ("%s %s (%s) has no accessible %s", G_OBJECT_TYPE_NAME (widget),
             gtk_widget_get_name (widget), gtk_widget_get_css_name (widget), what);
}

typedef struct
{
  guint charts, sparklines, canvases, drawings, meters, icon_buttons;
  GPtrArray *unlabelled;
  GtkWidget *shown;  /* the page or window visited: its drawings have data */
} Seen;

/* Whether `widget` shows any text of its own (a label that is not empty). */
static gboolean
shows_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_text (GTK_LABEL (widget))[0] != '\0')
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child))
      return TRUE;
  return FALSE;
}

static void
check_icon_button (GtkWidget *button,
                   Seen      *seen)
{
  seen->icon_buttons++;
  /* Not "labelled by": GTK 4.8 has a button labelled by its own icon. */
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_widget_get_tooltip_text (button) != NULL)
    return;
  g_ptr_array_add (seen->unlabelled,
                   g_strdup_printf ("%s (icon %s) in %s in %s", G_OBJECT_TYPE_NAME (button),
                                    GTK_IS_BUTTON (button)
                                    ? gtk_button_get_icon_name (GTK_BUTTON (button))
                                    : gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (button)),
                                    G_OBJECT_TYPE_NAME (gtk_widget_get_parent (button)),
                                    G_OBJECT_TYPE_NAME (gtk_widget_get_ancestor (
                                      button, GTK_TYPE_WINDOW))));
}

/* Every icon-only button under `widget`, and every widget that draws
 * itself in the page or window visited (`in_shown`). */
static void
walk (GtkWidget *widget,
      Seen      *seen,
      gboolean   in_shown)
{
  in_shown = in_shown || widget == seen->shown;
  /* GTK's own: a spin button is named and read as one, its arrows with it;
   * a hidden widget is not read (a search bar's close button, unused). */
  if (GTK_IS_SPIN_BUTTON (widget) || !gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_MENU_BUTTON (widget))
    {
      /* Its inner toggle button is its own: the menu button is what is named. */
      if (!shows_text (widget))
        check_icon_button (widget, seen);
      return;
    }
  if (GTK_IS_BUTTON (widget) && !shows_text (widget))
    check_icon_button (widget, seen);

  if (!in_shown)
    ;
  else if (BEAM_IS_CHART (widget))
    {
      g_autofree char *description = dup_property (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

      seen->charts++;
      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_IMG);
      assert_property_set (widget, GTK_ACCESSIBLE_PROPERTY_LABEL, "label");
      /* Its time span and its newest values. */
      g_assert_nonnull (description);
      g_assert_true (g_str_has_prefix (description, "Last "));
      g_assert_nonnull (strstr (description, ": "));
    }
  else if (BEAM_IS_SPARKLINE (widget))
    {
      seen->sparklines++;
      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_IMG);
      assert_property_set (widget, GTK_ACCESSIBLE_PROPERTY_LABEL, "label");
      assert_property_set (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "description");
    }
  else if (BEAM_IS_SUPERVISION_CANVAS (widget))
    {
      seen->canvases++;
      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_GROUP);
      assert_property_set (widget, GTK_ACCESSIBLE_PROPERTY_LABEL, "label");
      assert_property_set (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "description");
      /* Arrows move its selection: it takes the keyboard. */
      g_assert_true (gtk_widget_get_focusable (widget));
    }
  else if (BEAM_IS_CLUSTER_MATRIX (widget))
    {
      g_autofree char *description = dup_property (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

      seen->drawings++;
      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_GROUP);
      assert_property_set (widget, GTK_ACCESSIBLE_PROPERTY_LABEL, "label");
      /* What its colours show, counted: "1 node, 0 links one-way, 0 missing". */
      g_assert_nonnull (description);
      g_assert_nonnull (strstr (description, "missing"));
      g_assert_true (gtk_widget_get_focusable (widget));
    }
  else if (GTK_IS_DRAWING_AREA (widget) && !hidden (widget))
    {
      /* A drawing that means something (a decoration is hidden). */
      seen->drawings++;
      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_IMG);
      assert_property_set (widget, GTK_ACCESSIBLE_PROPERTY_LABEL, "label");
      assert_property_set (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "description");
    }
  else if (GTK_IS_LEVEL_BAR (widget))
    {
      seen->meters++;
      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_METER);
      assert_property_set (widget, GTK_ACCESSIBLE_PROPERTY_LABEL, "label");
      assert_property_set (widget, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "value text");
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_PROPERTY_VALUE_NOW,
                                           gtk_level_bar_get_value (GTK_LEVEL_BAR (widget)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child, seen, in_shown);
}

typedef struct
{
  GtkWidget *widget;
  char      *before;
} Changed;

static gboolean
description_changed (gpointer data)
{
  Changed *changed = data;
  g_autofree char *now = dup_property (changed->widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  return g_strcmp0 (now, changed->before) != 0;
}

/* A chart's description follows its samples: the reductions per second,
 * exact, change at every sample (beamscope_busy spins). */
static void
check_load_page (GtkWidget *page)
{
  GtkWidget *chart = NULL;
  Changed changed;

  for (GtkWidget *found = beam_test_find_descendant (page, BEAM_TYPE_CHART);
       found != NULL; found = gtk_widget_get_next_sibling (found))
    if (g_strcmp0 (gtk_widget_get_name (found), "reductions") == 0)
      chart = found;
  g_assert_nonnull (chart);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (chart),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Reductions per Second"));
  changed.widget = chart;
  changed.before = dup_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  g_test_message ("reductions chart: %s", changed.before);
  g_assert_nonnull (strstr (changed.before, "Reductions: "));
  beam_test_wait_until (description_changed, &changed, 10000);
  g_free (changed.before);
}

/* The tree names its application and size, and says what is selected. */
static void
check_applications_page (GtkWidget *page)
{
  BeamSupervisionCanvas *canvas =
    beam_applications_page_get_canvas (BEAM_APPLICATIONS_PAGE (page));
  const BeamSupervisionTree *tree = beam_supervision_canvas_get_tree (canvas);
  g_autofree char *label = dup_property (GTK_WIDGET (canvas), GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_autofree char *description = NULL;
  g_autofree char *count = g_strdup_printf (", %u processes", tree->n_nodes);

  g_test_message ("canvas: %s", label);
  g_assert_nonnull (strstr (label, "beamscope_demo"));
  g_assert_nonnull (strstr (label, count));

  /* The tour searched "flaky", which selected it. */
  description = dup_property (GTK_WIDGET (canvas), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  g_test_message ("canvas: %s", description);
  g_assert_true (g_str_has_prefix (description, "Selected: "));
  g_assert_nonnull (strstr (description, "beamscope_demo_flaky"));
  g_clear_pointer (&description, g_free);

  g_assert_cmpuint (beam_supervision_canvas_set_search (canvas, "beamscope_demo_pool"), >=, 1);
  description = dup_property (GTK_WIDGET (canvas), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  g_assert_nonnull (strstr (description, "beamscope_demo_pool"));
}

/* The bar's parts in words. */
static void
check_memory_page (GtkWidget *page)
{
  GtkWidget *bar = NULL;
  g_autofree char *description = NULL;

  for (GtkWidget *found = beam_test_find_descendant (page, GTK_TYPE_DRAWING_AREA);
       found != NULL && bar == NULL; found = gtk_widget_get_next_sibling (found))
    if (!hidden (found))
      bar = found;
  g_assert_nonnull (bar);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (bar),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Memory by Category"));
  description = dup_property (bar, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  g_test_message ("memory bar: %s", description);
  g_assert_true (g_str_has_prefix (description, "processes "));
  g_assert_nonnull (strstr (description, "%"));
}

static void
visit (GtkWidget  *toplevel,
       GtkWidget  *shown,
       const char *name,
       gpointer    user_data)
{
  Seen *seen = user_data;

  g_test_message ("visiting %s", name);
  seen->shown = shown;
  walk (toplevel, seen, FALSE);
  if (g_str_has_suffix (name, "-load"))
    check_load_page (shown);
  else if (g_str_has_suffix (name, "-applications"))
    check_applications_page (shown);
  else if (g_str_has_suffix (name, "-memory"))
    check_memory_page (shown);
}

static void
test_every_window (void)
{
  Seen seen = { 0 };

  seen.unlabelled = g_ptr_array_new_with_free_func (g_free);
  beam_test_tour (app, node, visit, &seen);
  for (guint i = 0; i < seen.unlabelled->len; i++)
    g_test_message ("an icon-only button with neither label nor tooltip: %s",
                    (char *) seen.unlabelled->pdata[i]);
  g_assert_cmpuint (seen.unlabelled->len, ==, 0);
  g_test_message ("seen: %u charts, %u trend lines, %u trees, %u drawings, %u meters, "
                  "%u icon-only buttons", seen.charts, seen.sparklines, seen.canvases,
                  seen.drawings, seen.meters, seen.icon_buttons);
  /* Each kind was met: the Load page's six charts (every visit after it
   * walks the window again), the process window's three trends, the tree,
   * the memory bar, the System page's meters. */
  g_assert_cmpuint (seen.charts, >=, 6);
  g_assert_cmpuint (seen.sparklines, >=, 3);
  g_assert_cmpuint (seen.canvases, >=, 1);
  g_assert_cmpuint (seen.drawings, >=, 1);
  g_assert_cmpuint (seen.meters, >=, 4);
  g_assert_cmpuint (seen.icon_buttons, >=, 10);
  g_ptr_array_unref (seen.unlabelled);
}

int
main (int    argc,
      char **argv)
{
  int status;

  beam_test_display_init (&argc, &argv, &app, &node);

  g_test_add_func ("/accessibility/every-window", test_every_window);

  status = g_test_run ();
  beam_test_node_free (node);
  g_clear_object (&app);
  return status;
}
