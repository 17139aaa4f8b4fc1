/* SPDX-License-Identifier: GPL-3.0-or-later */
/* BeamTermView on terms made here, with no node: an expanded binary shows
 * all of itself, 4 kB more at each "Show More", cut between characters; an
 * expanded map names its keys in the view's syntax. Screenshots land in the
 * build folder (screenshots/). */

#include "config.h"

#include <adwaita.h>

#include "beam-number-format.h"
#include "beam-term-parser.h"
#include "beam-term-view.h"
#include "beam-test-display.h"
#include "beam-test-node.h"

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* The first mapped widget of `type` under `widget`, or NULL. */
static GtkWidget *
find (GtkWidget *widget,
      GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (widget, type, found);
  return found->len > 0 ? found->pdata[0] : NULL;
}

/* The text of the row showing a binary whole, without its line breaks. */
static char *
whole_text (GtkWidget *view)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (view, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (labels->pdata[i], "whole"))
      {
        g_auto(GStrv) lines = g_strsplit (gtk_label_get_text (labels->pdata[i]), "\n", -1);

        return g_strjoinv ("", lines);
      }
  return NULL;
}

static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}

static GtkWidget *
show_more_button (GtkWidget *view)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (view, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "Show More") == 0)
      return buttons->pdata[i];
  return NULL;
}

static gboolean
has_whole_row (gpointer view)
{
  g_autofree char *text = whole_text (view);

  return text != NULL;
}

/* A redraw may be queued: its picture comes with the next frame. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  beam_test_run_for (100);
  beam_test_save_screenshot (widget, name);
}

static GtkWidget *
present_view (GtkWidget **window_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = beam_term_view_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  beam_test_wait_until (beam_test_is_drawn, view, 5000);
  *window_out = window;
  return view;
}

static void
expand_first_row (GtkWidget *view)
{
  GtkListView *list = GTK_LIST_VIEW (find (view, GTK_TYPE_LIST_VIEW));
  GListModel *rows = G_LIST_MODEL (gtk_list_view_get_model (list));
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, 0);

  g_assert_nonnull (row);
  gtk_tree_list_row_set_expanded (row, TRUE);
}

static void
test_binary_show_more (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) terms = g_ptr_array_new ();
  g_autofree char *whole = NULL;
  BeamTerm *binary;
  GtkWidget *window;
  GtkWidget *view = present_view (&window);
  g_autofree char *shown = NULL;
  g_autofree char *all = NULL;
  guint clicks = 0;

  /* 10,000 bytes of text, with a two-byte character across the 4 kB mark. */
  while (text->len < 4095)
    g_string_append_c (text, 'a' + text->len % 26);
  g_string_append (text, "é");
  while (text->len < 10000)
    g_string_append_c (text, 'a' + text->len % 26);
  binary = beam_term_new_binary (text->str, text->len);
  whole = beam_term_print (binary, NULL);
  g_ptr_array_add (terms, binary);
  beam_term_view_set_terms (BEAM_TERM_VIEW (view), g_steal_pointer (&terms), NULL);

  expand_first_row (view);
  beam_test_wait_until (has_whole_row, view, 5000);
  shown = whole_text (view);
  /* The first 4095 bytes: the character across the mark waits for more. */
  g_assert_true (g_str_has_prefix (shown, "<<\"abcdefghij"));
  g_assert_cmpuint (strlen (shown), ==, strlen ("<<\"\">>") + 4095);
  g_assert_nonnull (show_more_button (view));
  {
    g_autofree char *step = beam_format_bytes (4096);
    g_autofree char *size = beam_format_bytes (10000);
    g_autofree char *caption = g_strdup_printf ("%s of %s", step, size);

    g_assert_true (shows_label (view, caption));
  }
  save_screenshot (window, "term-view-binary.png");

  while (show_more_button (view) != NULL && clicks++ < 5)
    {
      g_signal_emit_by_name (show_more_button (view), "clicked");
      beam_test_run_for (100);
    }
  g_assert_cmpuint (clicks, ==, 2);  /* to 8 kB, then all 10,000 bytes */
  all = whole_text (view);
  g_assert_cmpstr (all, ==, whole);
  save_screenshot (window, "term-view-binary-whole.png");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_children_in_syntax (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = g_ptr_array_new ();
  GtkWidget *window;
  GtkWidget *view = present_view (&window);
  BeamTerm *term = beam_term_parse ("%{user: %MyApp.User{name: \"x\"}, mod: MyApp.Cache}",
                                    BEAM_SYNTAX_ELIXIR, &error);

  g_assert_no_error (error);
  g_ptr_array_add (terms, term);
  beam_term_view_set_syntax (BEAM_TERM_VIEW (view), BEAM_SYNTAX_ELIXIR);
  beam_term_view_set_terms (BEAM_TERM_VIEW (view), g_steal_pointer (&terms), NULL);
  expand_first_row (view);
  beam_test_run_for (300);
  g_assert_true (shows_label (view, ":user =>"));
  g_assert_true (shows_label (view, "%MyApp.User{name: \"x\"}"));
  g_assert_true (shows_label (view, "MyApp.Cache"));
  save_screenshot (window, "term-view-elixir.png");

  /* Another syntax: the keys are spelled anew. */
  beam_term_view_set_syntax (BEAM_TERM_VIEW (view), BEAM_SYNTAX_ERLANG);
  expand_first_row (view);
  beam_test_run_for (300);
  g_assert_true (shows_label (view, "user =>"));
  g_assert_true (shows_label (view, "'Elixir.MyApp.Cache'"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/term-view/binary-show-more", test_binary_show_more);
  g_test_add_func ("/term-view/children-in-syntax", test_children_in_syntax);
  return g_test_run ();
}
