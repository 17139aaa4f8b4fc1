/* SPDX-License-Identifier: GPL-3.0-or-later */
/* BeamSupervisionCanvas in a window under Xvfb, on trees built here: the
 * layout (a parent in the middle of its children, no two boxes overlapping,
 * a big supervisor one "N children" box until expanded), the arrows moving
 * the selection along the tree, search, zoom to fit, and what a frame draws.
 * Keys go through the widget's own shortcuts, as a key press would.
 * Screenshots land in the build folder (screenshots/) to be looked at. */

#include <adwaita.h>

#include "beam-supervision-canvas-private.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-test-tree.h"

#define WIDTH  1100
#define HEIGHT 720

/* The hand-made tree's nodes, by index. */
enum
{
  TOP_SUP,
  CACHE,
  POOL_SUP,
  POOL_WORKER_1,
  POOL_WORKER_2,
  POOL_RESTARTING,
  STUCK_SUP,
  CONNS_SUP,
  FIRST_CONN,
  N_CONNS = 120,
  N_NODES = FIRST_CONN + N_CONNS,
};

static guint trees_freed;

static void
free_tree (gpointer tree)
{
  beam_test_tree_free (tree);
  trees_freed++;
}

/* demo_sup: a worker, a nested supervisor (two workers and one being
 * restarted), a supervisor that does not answer, and one with 120 children. */
static BeamSupervisionTree *
demo_tree (void)
{
  BeamTestTreeBuilder *builder = beam_test_tree_builder_new ("demo", "<0.80.0>");
  BeamSupervisionNode *node;
  guint index;

  index = beam_test_tree_add (builder, BEAM_SUPERVISION_NO_PARENT, BEAM_SUPERVISION_SUPERVISOR,
                              "demo_sup", NULL);
  g_assert_cmpuint (index, ==, TOP_SUP);
  node = beam_test_tree_node (builder, TOP_SUP);
  node->intensity = 10;
  node->period = 60;
  index = beam_test_tree_add (builder, TOP_SUP, BEAM_SUPERVISION_WORKER, "demo_cache",
                              "demo_cache");
  g_assert_cmpuint (index, ==, CACHE);
  beam_test_tree_node (builder, CACHE)->module = beam_test_tree_intern (builder, "demo_cache");
  beam_test_tree_add (builder, TOP_SUP, BEAM_SUPERVISION_SUPERVISOR, "demo_pool_sup",
                      "pool_sup");
  node = beam_test_tree_node (builder, POOL_SUP);
  node->strategy = beam_test_tree_intern (builder, "rest_for_one");
  beam_test_tree_add (builder, POOL_SUP, BEAM_SUPERVISION_WORKER, NULL, "{worker,1}");
  beam_test_tree_add (builder, POOL_SUP, BEAM_SUPERVISION_WORKER, NULL, "{worker,2}");
  beam_test_tree_node (builder, POOL_WORKER_2)->restart =
    beam_test_tree_intern (builder, "transient");
  beam_test_tree_add (builder, POOL_SUP, BEAM_SUPERVISION_WORKER, NULL, "{worker,3}");
  node = beam_test_tree_node (builder, POOL_RESTARTING);
  node->state = BEAM_SUPERVISION_RESTARTING;
  node->pid = NULL;
  beam_test_tree_add (builder, TOP_SUP, BEAM_SUPERVISION_SUPERVISOR, "demo_stuck_sup",
                      "stuck_sup");
  node = beam_test_tree_node (builder, STUCK_SUP);
  node->status = BEAM_SUPERVISOR_NOT_ANSWERING;
  node->strategy = NULL;
  beam_test_tree_add (builder, TOP_SUP, BEAM_SUPERVISION_SUPERVISOR, "demo_conns_sup",
                      "conns_sup");
  node = beam_test_tree_node (builder, CONNS_SUP);
  node->strategy = beam_test_tree_intern (builder, "simple_one_for_one");
  node->intensity = 0;
  node->period = 1;
  for (guint i = 0; i < N_CONNS; i++)
    {
      index = beam_test_tree_add (builder, CONNS_SUP, BEAM_SUPERVISION_WORKER, NULL, NULL);
      node = beam_test_tree_node (builder, index);
      node->module = beam_test_tree_intern (builder, "demo_conn");
      node->restart = beam_test_tree_intern (builder, "temporary");
      node->shutdown = beam_test_tree_intern (builder, "brutal_kill");
    }
  g_assert_cmpuint (index, ==, N_NODES - 1);
  return beam_test_tree_builder_end (builder);
}

/* ---- helpers ------------------------------------------------------------------- */

static GtkWidget *
canvas_in_window (GtkWidget **window_out)
{
  GtkWidget *window = g_object_ref_sink (gtk_window_new ());
  GtkWidget *canvas = beam_supervision_canvas_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  gtk_window_present (GTK_WINDOW (window));
  beam_test_wait_until (beam_test_is_drawn, canvas, 5000);
  gtk_widget_grab_focus (canvas);
  *window_out = window;
  return canvas;
}

static void
close_window (GtkWidget *window,
              GtkWidget *canvas)
{
  g_object_add_weak_pointer (G_OBJECT (canvas), (gpointer *) &canvas);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_null (canvas);
}

/* A key press, through the canvas's class shortcuts. */
static gboolean
press (GtkWidget       *widget,
       guint            keyval,
       GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint s = 0; s < g_list_model_get_n_items (G_LIST_MODEL (controller)); s++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), s);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_error ("no shortcut for %s", gdk_keyval_name (keyval));
  return FALSE;
}

static guint
selected (GtkWidget *canvas)
{
  return beam_supervision_canvas_get_selected (BEAM_SUPERVISION_CANVAS (canvas));
}

static gboolean
rect_contains (const graphene_rect_t *outer,
               const graphene_rect_t *inner)
{
  return inner->origin.x >= outer->origin.x - 0.01 &&
         inner->origin.y >= outer->origin.y - 0.01 &&
         inner->origin.x + inner->size.width <= outer->origin.x + outer->size.width + 0.01 &&
         inner->origin.y + inner->size.height <= outer->origin.y + outer->size.height + 0.01;
}

static double
centre_y (const graphene_rect_t *rect)
{
  return rect->origin.y + rect->size.height / 2;
}

/* The layout's invariants, whatever is expanded: every box inside the
 * bounds, none overlapping another, each child one column right of its
 * parent, each parent in the middle of its shown children (or beside its
 * summary box). Returns the number of summary boxes. */
static guint
check_layout (BeamSupervisionCanvas *canvas)
{
  const BeamSupervisionTree *tree = beam_supervision_canvas_get_tree (canvas);
  guint n_boxes = _beam_supervision_canvas_get_n_boxes (canvas);
  g_autofree graphene_rect_t *rects = g_new (graphene_rect_t, n_boxes);
  g_autofree BeamCanvasBoxKind *kinds = g_new (BeamCanvasBoxKind, n_boxes);
  g_autofree guint *nodes = g_new (guint, n_boxes);
  graphene_rect_t bounds, master = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  guint summaries = 0;

  _beam_supervision_canvas_get_bounds (canvas, &bounds);
  for (guint b = 0; b < n_boxes; b++)
    {
      _beam_supervision_canvas_get_box (canvas, b, &kinds[b], &nodes[b], &rects[b]);
      g_assert_true (rect_contains (&bounds, &rects[b]));
      if (kinds[b] == _BEAM_CANVAS_BOX_MASTER)
        master = rects[b];
      summaries += kinds[b] == _BEAM_CANVAS_BOX_SUMMARY;
    }
  for (guint a = 0; a < n_boxes; a++)
    for (guint b = a + 1; b < n_boxes; b++)
      g_assert_false (graphene_rect_intersection (&rects[a], &rects[b], NULL));

  /* The master is in column 0, in the middle of the top supervisor. */
  {
    graphene_rect_t top;

    g_assert_true (_beam_supervision_canvas_get_node_rect (canvas, TOP_SUP, &top));
    g_assert_cmpfloat (master.origin.x, <, top.origin.x);
    g_assert_cmpfloat_with_epsilon (centre_y (&master), centre_y (&top), 0.01);
  }

  for (guint i = 0; i < tree->n_nodes; i++)
    {
      const BeamSupervisionNode *node = &tree->nodes[i];
      graphene_rect_t parent, first, last, child;
      gboolean any = FALSE;

      if (!_beam_supervision_canvas_get_node_rect (canvas, i, &parent) ||
          node->n_child_nodes == 0)
        continue;
      for (guint c = 0; c < node->n_child_nodes; c++)
        {
          if (!_beam_supervision_canvas_get_node_rect (canvas, node->child_nodes[c], &child))
            continue;
          g_assert_cmpfloat (child.origin.x, >, parent.origin.x + parent.size.width);
          if (!any)
            first = child;
          last = child;
          any = TRUE;
        }
      if (!any)
        {
          /* Collapsed: its one summary box beside it. */
          guint found = 0;

          for (guint b = 0; b < n_boxes; b++)
            if (kinds[b] == _BEAM_CANVAS_BOX_SUMMARY && nodes[b] == i)
              {
                found++;
                g_assert_cmpfloat_with_epsilon (centre_y (&rects[b]), centre_y (&parent), 0.01);
                g_assert_cmpfloat (rects[b].origin.x, >, parent.origin.x);
              }
          g_assert_cmpuint (found, ==, 1);
          continue;
        }
      g_assert_cmpfloat_with_epsilon (centre_y (&parent),
                                      (centre_y (&first) + centre_y (&last)) / 2, 0.01);
    }
  return summaries;
}

/* What a key or a zoom just changed, drawn first. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  beam_test_run_for (100);
  beam_test_save_screenshot (widget, name);
}

/* ---- tests --------------------------------------------------------------------- */

static void
test_layout (void)
{
  GtkWidget *window;
  GtkWidget *widget = canvas_in_window (&window);
  BeamSupervisionCanvas *canvas = BEAM_SUPERVISION_CANVAS (widget);
  guint freed_before = trees_freed;
  graphene_rect_t rect;
  GtkAccessibleRole role;

  g_object_get (canvas, "accessible-role", &role, NULL);
  g_assert_cmpint (role, ==, GTK_ACCESSIBLE_ROLE_GROUP);

  beam_supervision_canvas_set_tree (canvas, demo_tree (), free_tree);
  /* Collapsed: master, the 8 nodes above the connections, one summary box. */
  g_assert_cmpuint (_beam_supervision_canvas_get_n_boxes (canvas), ==, 1 + FIRST_CONN + 1);
  g_assert_cmpuint (check_layout (canvas), ==, 1);
  g_assert_false (beam_supervision_canvas_get_expanded (canvas, CONNS_SUP));
  g_assert_false (_beam_supervision_canvas_get_node_rect (canvas, FIRST_CONN, &rect));
  /* Whole when it fits readably. */
  _beam_supervision_canvas_get_visible_rect (canvas, &rect);
  {
    graphene_rect_t bounds;

    _beam_supervision_canvas_get_bounds (canvas, &bounds);
    g_assert_true (rect_contains (&rect, &bounds));
  }

  {
    guint8 restarted[N_NODES] = { 0 };
    guint counts[N_NODES] = { 0 };

    restarted[CACHE] = 1;
    restarted[POOL_WORKER_2] = 1;
    counts[POOL_SUP] = 3;
    counts[TOP_SUP] = 1;
    beam_supervision_canvas_set_marks (canvas, restarted, counts);
  }
  beam_supervision_canvas_set_selected (canvas, POOL_SUP);
  save_screenshot (widget, "supervision-canvas.png");

  beam_supervision_canvas_set_expanded (canvas, CONNS_SUP, TRUE);
  g_assert_true (beam_supervision_canvas_get_expanded (canvas, CONNS_SUP));
  g_assert_cmpuint (_beam_supervision_canvas_get_n_boxes (canvas), ==, 1 + N_NODES);
  g_assert_cmpuint (check_layout (canvas), ==, 0);
  g_assert_true (_beam_supervision_canvas_get_node_rect (canvas, FIRST_CONN, &rect));

  /* A refresh keeps what was expanded and the selection. */
  beam_supervision_canvas_set_tree (canvas, demo_tree (), free_tree);
  g_assert_cmpuint (trees_freed, ==, freed_before + 1);
  g_assert_true (beam_supervision_canvas_get_expanded (canvas, CONNS_SUP));
  g_assert_cmpuint (selected (widget), ==, POOL_SUP);

  beam_supervision_canvas_set_expanded (canvas, CONNS_SUP, FALSE);
  g_assert_cmpuint (_beam_supervision_canvas_get_n_boxes (canvas), ==, 1 + FIRST_CONN + 1);
  g_assert_cmpuint (check_layout (canvas), ==, 1);

  close_window (window, widget);
  g_assert_cmpuint (trees_freed, ==, freed_before + 2);
}

static void
on_activate_node (BeamSupervisionCanvas *canvas G_GNUC_UNUSED,
                  guint                  index,
                  guint                 *activated)
{
  *activated = index;
}

static void
on_context_menu (BeamSupervisionCanvas *canvas,
                 guint                  index,
                 double                 x,
                 double                 y,
                 guint                 *menu_for)
{
  /* At the box, in the canvas's coordinates. */
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  g_assert_cmpfloat (x, <=, gtk_widget_get_width (GTK_WIDGET (canvas)));
  g_assert_cmpfloat (y, <=, gtk_widget_get_height (GTK_WIDGET (canvas)));
  *menu_for = index;
}

static void
test_keyboard (void)
{
  GtkWidget *window;
  GtkWidget *widget = canvas_in_window (&window);
  BeamSupervisionCanvas *canvas = BEAM_SUPERVISION_CANVAS (widget);
  guint activated = G_MAXUINT, menu_for = G_MAXUINT;
  graphene_rect_t visible, rect;

  beam_supervision_canvas_set_tree (canvas, demo_tree (), free_tree);
  g_signal_connect (canvas, "activate-node", G_CALLBACK (on_activate_node), &activated);
  g_assert_cmpuint (selected (widget), ==, BEAM_SUPERVISION_CANVAS_NO_NODE);

  /* The first arrow selects the top supervisor. */
  g_assert_true (press (widget, GDK_KEY_Right, 0));
  g_assert_cmpuint (selected (widget), ==, TOP_SUP);
  press (widget, GDK_KEY_Right, 0);
  g_assert_cmpuint (selected (widget), ==, CACHE);
  press (widget, GDK_KEY_Down, 0);
  g_assert_cmpuint (selected (widget), ==, POOL_SUP);
  press (widget, GDK_KEY_Right, 0);
  g_assert_cmpuint (selected (widget), ==, POOL_WORKER_1);
  press (widget, GDK_KEY_Down, 0);
  press (widget, GDK_KEY_Down, 0);
  g_assert_cmpuint (selected (widget), ==, POOL_RESTARTING);
  /* The last sibling: Down stays. */
  press (widget, GDK_KEY_Down, 0);
  g_assert_cmpuint (selected (widget), ==, POOL_RESTARTING);
  press (widget, GDK_KEY_Up, 0);
  g_assert_cmpuint (selected (widget), ==, POOL_WORKER_2);
  press (widget, GDK_KEY_Left, 0);
  g_assert_cmpuint (selected (widget), ==, POOL_SUP);
  press (widget, GDK_KEY_Left, 0);
  g_assert_cmpuint (selected (widget), ==, TOP_SUP);
  /* The top supervisor's parent is the master, which is not a process to select. */
  press (widget, GDK_KEY_Left, 0);
  g_assert_cmpuint (selected (widget), ==, TOP_SUP);

  /* Right into a collapsed supervisor expands it. */
  beam_supervision_canvas_set_selected (canvas, CONNS_SUP);
  g_assert_false (beam_supervision_canvas_get_expanded (canvas, CONNS_SUP));
  press (widget, GDK_KEY_Right, 0);
  g_assert_cmpuint (selected (widget), ==, FIRST_CONN);
  g_assert_true (beam_supervision_canvas_get_expanded (canvas, CONNS_SUP));
  /* ...and the selection is kept in view. */
  for (guint i = 0; i < 60; i++)
    press (widget, GDK_KEY_Down, 0);
  g_assert_cmpuint (selected (widget), ==, FIRST_CONN + 60);
  _beam_supervision_canvas_get_visible_rect (canvas, &visible);
  g_assert_true (_beam_supervision_canvas_get_node_rect (canvas, FIRST_CONN + 60, &rect));
  g_assert_true (rect_contains (&visible, &rect));
  /* Collapsed, it takes the selection from its child. */
  beam_supervision_canvas_set_expanded (canvas, CONNS_SUP, FALSE);
  g_assert_cmpuint (selected (widget), ==, CONNS_SUP);
  /* Plus and minus expand and collapse the selected supervisor. */
  g_assert_true (press (widget, GDK_KEY_plus, 0));
  g_assert_true (beam_supervision_canvas_get_expanded (canvas, CONNS_SUP));
  g_assert_true (press (widget, GDK_KEY_minus, 0));
  g_assert_false (beam_supervision_canvas_get_expanded (canvas, CONNS_SUP));

  press (widget, GDK_KEY_Return, 0);
  g_assert_cmpuint (activated, ==, CONNS_SUP);
  g_signal_connect (canvas, "context-menu", G_CALLBACK (on_context_menu), &menu_for);
  press (widget, GDK_KEY_Menu, 0);
  g_assert_cmpuint (menu_for, ==, CONNS_SUP);

  /* Zoom keys go through the actions. */
  {
    double zoom = beam_supervision_canvas_get_zoom (canvas);

    press (widget, GDK_KEY_minus, GDK_CONTROL_MASK);
    g_assert_cmpfloat (beam_supervision_canvas_get_zoom (canvas), <, zoom);
    press (widget, GDK_KEY_plus, GDK_CONTROL_MASK);
    g_assert_cmpfloat_with_epsilon (beam_supervision_canvas_get_zoom (canvas), zoom, 1e-9);
  }

  close_window (window, widget);
}

static void
test_search (void)
{
  GtkWidget *window;
  GtkWidget *widget = canvas_in_window (&window);
  BeamSupervisionCanvas *canvas = BEAM_SUPERVISION_CANVAS (widget);
  graphene_rect_t visible, rect;
  guint n_matches;

  beam_supervision_canvas_set_tree (canvas, demo_tree (), free_tree);

  g_assert_cmpuint (beam_supervision_canvas_set_search (canvas, "DEMO_CACHE"), ==, 1);
  g_assert_cmpuint (selected (widget), ==, CACHE);
  beam_supervision_canvas_next_match (canvas);
  g_assert_cmpuint (selected (widget), ==, CACHE);

  /* By pid. */
  g_assert_cmpuint (beam_supervision_canvas_set_search (canvas, "<0.102.0>"), ==, 1);
  g_assert_cmpuint (selected (widget), ==, POOL_SUP);

  /* The connections supervisor by name, its children by module. */
  g_assert_cmpuint (beam_supervision_canvas_set_search (canvas, "Demo_Conn"), ==, 1 + N_CONNS);
  g_object_get (canvas, "n-matches", &n_matches, NULL);
  g_assert_cmpuint (n_matches, ==, 1 + N_CONNS);
  g_assert_cmpuint (selected (widget), ==, CONNS_SUP);
  g_assert_false (beam_supervision_canvas_get_expanded (canvas, CONNS_SUP));
  save_screenshot (widget, "supervision-canvas-search.png");
  /* The next is inside the collapsed supervisor: it opens, and the match is centred. */
  beam_supervision_canvas_next_match (canvas);
  g_assert_cmpuint (selected (widget), ==, FIRST_CONN);
  g_assert_true (beam_supervision_canvas_get_expanded (canvas, CONNS_SUP));
  _beam_supervision_canvas_get_visible_rect (canvas, &visible);
  g_assert_true (_beam_supervision_canvas_get_node_rect (canvas, FIRST_CONN, &rect));
  g_assert_true (rect_contains (&visible, &rect));
  g_assert_cmpfloat_with_epsilon (visible.origin.y + visible.size.height / 2, centre_y (&rect),
                                  1.0);
  for (guint i = 1; i < N_CONNS; i++)
    beam_supervision_canvas_next_match (canvas);
  g_assert_cmpuint (selected (widget), ==, N_NODES - 1);
  /* Past the last: the first again. */
  beam_supervision_canvas_next_match (canvas);
  g_assert_cmpuint (selected (widget), ==, CONNS_SUP);

  g_assert_cmpuint (beam_supervision_canvas_set_search (canvas, "nothing like it"), ==, 0);
  g_assert_cmpuint (beam_supervision_canvas_set_search (canvas, NULL), ==, 0);

  close_window (window, widget);
}

static void
test_zoom_fit (void)
{
  GtkWidget *window;
  GtkWidget *widget = canvas_in_window (&window);
  BeamSupervisionCanvas *canvas = BEAM_SUPERVISION_CANVAS (widget);
  graphene_rect_t visible, bounds;
  gboolean with_text;
  guint drawn;

  beam_supervision_canvas_set_tree (canvas, demo_tree (), free_tree);
  beam_supervision_canvas_set_expanded (canvas, CONNS_SUP, TRUE);
  _beam_supervision_canvas_set_view (canvas, 0, 0, 1.0);
  _beam_supervision_canvas_get_bounds (canvas, &bounds);
  _beam_supervision_canvas_get_visible_rect (canvas, &visible);
  g_assert_false (rect_contains (&visible, &bounds));

  g_assert_true (gtk_widget_activate_action (widget, "canvas.zoom-fit", NULL));
  _beam_supervision_canvas_get_visible_rect (canvas, &visible);
  g_assert_true (rect_contains (&visible, &bounds));
  save_screenshot (widget, "supervision-canvas-fit.png");
  /* 129 rows in 720 px: too small for text, every box drawn plain. */
  drawn = _beam_supervision_canvas_get_n_drawn (canvas, &with_text);
  g_assert_false (with_text);
  g_assert_cmpuint (drawn, ==, _beam_supervision_canvas_get_n_boxes (canvas));

  /* At zoom 1 a frame draws what is on screen only. */
  _beam_supervision_canvas_set_view (canvas, 0, 0, 1.0);
  save_screenshot (widget, "supervision-canvas-top.png");
  drawn = _beam_supervision_canvas_get_n_drawn (canvas, &with_text);
  g_assert_true (with_text);
  g_assert_cmpuint (drawn, <, 3 * (HEIGHT / 72 + 2));

  close_window (window, widget);
}

/* A counted supervisor (only the first 50 of a million fetched) and links. */
static void
test_counted (void)
{
  GtkWidget *window;
  GtkWidget *widget = canvas_in_window (&window);
  BeamSupervisionCanvas *canvas = BEAM_SUPERVISION_CANVAS (widget);
  BeamTestTreeBuilder *builder = beam_test_tree_builder_new ("big", "<0.70.0>");
  guint sup, worker, linked, kinds[4] = { 0 };

  beam_test_tree_add (builder, BEAM_SUPERVISION_NO_PARENT, BEAM_SUPERVISION_SUPERVISOR,
                      "big_sup", NULL);
  worker = beam_test_tree_add (builder, 0, BEAM_SUPERVISION_WORKER, "big_listener", "listener");
  linked = beam_test_tree_add (builder, worker, BEAM_SUPERVISION_LINKED, NULL, NULL);
  beam_test_tree_node (builder, linked)->pid = beam_test_tree_intern (builder, "#Port<0.7>");
  sup = beam_test_tree_add (builder, 0, BEAM_SUPERVISION_SUPERVISOR, "big_conns_sup", NULL);
  beam_test_tree_node (builder, sup)->status = BEAM_SUPERVISOR_COUNTED;
  beam_test_tree_node (builder, sup)->children_count = 1000000;
  for (guint i = 0; i < 50; i++)
    beam_test_tree_add (builder, sup, BEAM_SUPERVISION_WORKER, NULL, NULL);
  beam_test_tree_add_link (builder, linked, sup);
  beam_supervision_canvas_set_tree (canvas, beam_test_tree_builder_end (builder), free_tree);

  /* master, big_sup, the listener, its port, big_conns_sup, its summary. */
  g_assert_cmpuint (_beam_supervision_canvas_get_n_boxes (canvas), ==, 6);
  save_screenshot (widget, "supervision-canvas-counted.png");
  beam_supervision_canvas_set_expanded (canvas, sup, TRUE);
  /* The 50 fetched, and one box for the rest. */
  g_assert_cmpuint (_beam_supervision_canvas_get_n_boxes (canvas), ==, 5 + 50 + 1);
  for (guint b = 0; b < _beam_supervision_canvas_get_n_boxes (canvas); b++)
    {
      BeamCanvasBoxKind kind;

      _beam_supervision_canvas_get_box (canvas, b, &kind, NULL, NULL);
      kinds[kind]++;
    }
  g_assert_cmpuint (kinds[_BEAM_CANVAS_BOX_MORE], ==, 1);
  g_assert_cmpuint (kinds[_BEAM_CANVAS_BOX_SUMMARY], ==, 0);

  close_window (window, widget);
}

static void
test_dark (void)
{
  GtkWidget *window;
  GtkWidget *widget = canvas_in_window (&window);
  BeamSupervisionCanvas *canvas = BEAM_SUPERVISION_CANVAS (widget);
  AdwStyleManager *style = adw_style_manager_get_default ();
  guint8 restarted[N_NODES] = { 0 };
  guint counts[N_NODES] = { 0 };

  restarted[POOL_RESTARTING] = 1;
  counts[POOL_SUP] = 2;
  beam_supervision_canvas_set_tree (canvas, demo_tree (), free_tree);
  beam_supervision_canvas_set_marks (canvas, restarted, counts);
  beam_supervision_canvas_set_selected (canvas, CACHE);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  save_screenshot (widget, "supervision-canvas-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  close_window (window, widget);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/supervision-canvas/layout", test_layout);
  g_test_add_func ("/supervision-canvas/keyboard", test_keyboard);
  g_test_add_func ("/supervision-canvas/search", test_search);
  g_test_add_func ("/supervision-canvas/zoom-fit", test_zoom_fit);
  g_test_add_func ("/supervision-canvas/counted", test_counted);
  g_test_add_func ("/supervision-canvas/dark", test_dark);
  return g_test_run ();
}
