/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-node.h"

G_BEGIN_DECLS

/* The base of every page of a node (as SysprofSection is of Sysprof's
 * sections). The window binds `node`; the page says how to ask the node
 * (`refresh`) and what to forget when the node changes (`node_changed`).
 * The base class owns the rest: a new cancellable for every node, asking
 * again `refresh-interval` seconds after each answer while the page is on
 * screen and not paused (the interval bound to the GSettings key the class
 * names), one question at a time, and the `stale` style class while the node
 * is away, which dims the widgets marked `dim-when-stale` (style.css). */

#define BEAM_TYPE_PAGE (beam_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (BeamPage, beam_page, BEAM, PAGE, AdwBin)

struct _BeamPageClass
{
  AdwBinClass parent_class;

  /* Asks the node. Called only while the page is mapped, the node connected
   * and no question out; the page answers with beam_page_refresh_done(),
   * except when its question was cancelled. NULL for a page that never
   * polls. */
  void (*refresh)      (BeamPage       *self,
                        BeamConnection *connection,
                        GCancellable   *cancellable);
  /* The node changed (to NULL when it went): forget what was shown. The
   * previous node's questions are cancelled already. */
  void (*node_changed) (BeamPage       *self,
                        BeamNode       *node);
  /* Another page sends the user here, with a detail of the target page's
   * own (the Processes page takes a column to sort by). */
  void (*show_detail)  (BeamPage       *self,
                        const char     *detail);

  /*< private >*/
  const char *interval_key;
  gpointer    padding[7];
};

/* The GSettings key of the seconds between refreshes; pages without one
 * refresh only when asked. */
void            beam_page_class_set_interval_key (BeamPageClass *klass,
                                                  const char    *key);

BeamNode       *beam_page_get_node               (BeamPage      *self);
void            beam_page_set_node               (BeamPage      *self,
                                                  BeamNode      *node);
/* The node's connection while it is connected, else NULL. */
BeamConnection *beam_page_get_connection         (BeamPage      *self);
/* Cancelled when the node changes and when the page goes. */
GCancellable   *beam_page_get_cancellable        (BeamPage      *self);
gboolean        beam_page_get_read_only          (BeamPage      *self);
/* Asks now, unless a question is out or the page cannot ask. */
void            beam_page_refresh                (BeamPage      *self);
/* The page's question was answered: `error` NULL for an answer, which
 * counts in `refreshes`. The next question is scheduled either way. */
void            beam_page_refresh_done           (BeamPage      *self,
                                                  const GError  *error);
gboolean        beam_page_get_busy               (BeamPage      *self);
gboolean        beam_page_get_paused             (BeamPage      *self);
void            beam_page_set_paused             (BeamPage      *self,
                                                  gboolean       paused);
/* For tests: whether the "Paused" label shows over the page. */
gboolean        beam_page_get_paused_label_shown (BeamPage      *self);
guint           beam_page_get_refresh_interval   (BeamPage      *self);
void            beam_page_set_refresh_interval   (BeamPage      *self,
                                                  guint          seconds);
/* Answers landed since the page was made: for tests and benchmarks. */
guint           beam_page_get_refreshes          (BeamPage      *self);
void            beam_page_show_detail            (BeamPage      *self,
                                                  const char    *detail);
/* A GtkDropDown or AdwComboRow whose n-th item stands for choices[n] (a 0
 * ends them), bound both ways to a GSettings key holding the value (the
 * page's dropdown and Preferences' row of the same key). */
void            beam_page_bind_choices           (GSettings     *settings,
                                                  const char    *key,
                                                  gpointer       chooser,
                                                  const guint   *choices);
/* For a page's dispose: lets go of the template the way AdwBin needs. */
void            beam_page_dispose_template       (BeamPage      *self,
                                                  GType          type);

G_END_DECLS
