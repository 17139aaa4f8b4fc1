/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-application.h"
#include "beam-test-node.h"
#include "beam-window.h"

G_BEGIN_DECLS

/* What the display tests (tests/display/) share: their set-up, their
 * predicates on widgets and windows, and their screenshots. */

/* Before any test: the C-node library, GTK for tests, no animations (so that a
 * screenshot shows a settled page, not a crossfade halfway through). If `app`
 * is not NULL, the real application, registered (its stylesheet, icons, accels
 * and shortcuts window load as they do for a user) but never run: the tests
 * drive the windows; else libadwaita alone. If `node` is not NULL, a fixture
 * node (tests/beam-test-node.h) started. */
void              beam_test_display_init         (int               *argc,
                                                  char            ***argv,
                                                  BeamApplication  **app,
                                                  BeamTestNode     **node);

/* A main window of `app`, presented at width × height; the caller holds a
 * reference. */
BeamWindow       *beam_test_window_new           (BeamApplication   *app,
                                                  gboolean           read_only,
                                                  int                width,
                                                  int                height);
/* Connects `window` to `node` showing `page`, and waits (15 s at most) until
 * it is connected. */
void              beam_test_window_connect       (BeamWindow        *window,
                                                  BeamTestNode      *node,
                                                  const char        *page);
/* Predicate: the BeamWindow `window` has a node, and it is connected. */
gboolean          beam_test_window_is_connected  (gpointer           window);

/* Predicate: the BeamProcessWindow `window` has shown its process once. */
gboolean          beam_test_process_window_loaded (gpointer          window);
/* Predicate: the BeamTableWindow `window` is done opening its table. */
gboolean          beam_test_table_window_opened  (gpointer           window);

/* Predicate: `widget` is mapped and laid out (a window just presented is laid
 * out a frame later; on a busy machine, later than a fixed wait). */
gboolean          beam_test_is_drawn             (gpointer           widget);
/* What `widget` paints now, or NULL between a redraw being queued and its
 * frame (a dialog just closed over the window, on a busy machine). */
GskRenderNode    *beam_test_picture_of           (GtkWidget         *widget);
/* Predicate: beam_test_picture_of (widget) is not NULL. */
gboolean          beam_test_has_picture          (gpointer           widget);
/* What `widget` shows, once drawn, in device pixels (its size times its
 * scale factor). */
GdkTexture       *beam_test_render               (GtkWidget         *widget);
/* Saves what `widget` shows, once drawn, as `name` (a PNG, in a subfolder if
 * it names one) in the folder $BEAMSCOPE_SCREENSHOTS (the build's
 * screenshots/), in device pixels. */
void              beam_test_save_screenshot      (GtkWidget         *widget,
                                                  const char        *name);

/* Predicate: the caller's reference is the last one on the GObject `object`. */
gboolean          beam_test_nothing_else_holds   (gpointer           object);
/* Destroys the GtkWindow `window`, taking the caller's reference, and asserts
 * that it is finalized: work still in flight (a task holding a page until the
 * node answers) has a few seconds to let it go, and a page or refresher kept
 * alive by a reference cycle fails the test. */
void              beam_test_destroy_and_finalize (gpointer           window);

/* A label on screen (mapped: a hidden revealer's is not) under `widget`
 * showing `needle` in its text. */
gboolean          beam_test_shows_text           (GtkWidget         *widget,
                                                  const char        *needle);
/* A mapped label under `widget` showing exactly `text`. */
gboolean          beam_test_shows_label          (GtkWidget         *widget,
                                                  const char        *text);
/* Waits (timeout_ms at most) until beam_test_shows_label (widget, text). */
void              beam_test_wait_for_label       (GtkWidget         *widget,
                                                  const char        *text,
                                                  guint              timeout_ms);
/* `widget` or the first widget under it of `type`, depth first; or NULL. */
GtkWidget        *beam_test_find_descendant      (GtkWidget         *widget,
                                                  GType              type);
/* A visible toplevel window of `type`, or NULL. */
GtkWindow        *beam_test_find_toplevel        (GType              type);
/* A visible main window other than `than` (a BeamWindow), or NULL; and
 * whether there is one, for beam_test_wait_until. */
BeamWindow       *beam_test_other_window         (BeamWindow        *than);
gboolean          beam_test_has_other_window     (gpointer           than);
/* The header's view switcher that is on screen, or NULL when the header shows
 * the node's name instead (and the bar at the bottom switches). */
AdwViewSwitcher  *beam_test_find_header_switcher (GtkWidget         *widget);

/* Called by beam_test_tour for each page and window, once it shows the
 * node's answer: `toplevel` is the window, `shown` the page or the window
 * itself, `name` what a screenshot of it is called ("03-load",
 * "process-window"). */
typedef void (*BeamTestVisit) (GtkWidget  *toplevel,
                               GtkWidget  *shown,
                               const char *name,
                               gpointer    user_data);
/* A main window on `node` shows each of its pages in turn with the node's
 * data (the Applications page with beamscope_demo's tree, a node selected),
 * then a process window (beamscope_cache's, its trends sampled), a table
 * window (bs_records) and the Trace window with a finished trace; `visit`
 * sees each. Every window is closed and finalized at the end. */
void              beam_test_tour                 (BeamApplication   *app,
                                                  BeamTestNode      *node,
                                                  BeamTestVisit      visit,
                                                  gpointer           user_data);

G_END_DECLS
