/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-tables-page.h"

G_BEGIN_DECLS

/* For tests: the rows shown (filtered and sorted), the filter's text and
 * whether system tables show; Mnesia's rows shown, whether it runs, and the
 * section on screen ("ets" or "mnesia"); sorting the ETS tables by the
 * column sorted on `property` of the rows, as a click on its title does. */
GListModel *beam_tables_page_get_shown          (BeamTablesPage *self);
void        beam_tables_page_set_filter         (BeamTablesPage *self,
                                                 const char     *text,
                                                 gboolean        with_system);
/* Whether the system tables show (the toggle, and the show-system-tables setting). */
gboolean    beam_tables_page_get_with_system    (BeamTablesPage *self);
GListModel *beam_tables_page_get_mnesia_shown   (BeamTablesPage *self);
gboolean    beam_tables_page_get_mnesia_running (BeamTablesPage *self);
const char *beam_tables_page_get_section        (BeamTablesPage *self);
void        beam_tables_page_sort_by            (BeamTablesPage *self,
                                                 const char     *property);
/* What Enter on a row of the Mnesia list does. */
void        beam_tables_page_activate_mnesia    (BeamTablesPage *self,
                                                 guint           position);

/* The .ui's closures. */
char      *beam_tables_page_format_count         (gpointer    unused,
                                                  gint64      count);
char      *beam_tables_page_format_bytes         (gpointer    unused,
                                                  gint64      bytes);
char      *beam_tables_page_format_size_change   (gpointer    unused,
                                                  gint64      change);
char      *beam_tables_page_format_memory_change (gpointer    unused,
                                                  gint64      change);
char     **beam_tables_page_growth_classes       (gpointer    unused,
                                                  gint64      change);
gboolean   beam_tables_page_is_ets               (gpointer    unused,
                                                  const char *section);
char      *beam_tables_page_filter_placeholder   (gpointer    unused,
                                                  const char *section);
/* The owner cell's button: opens the row's owner process. */
void       beam_tables_page_open_owner           (GtkListItem *list_item,
                                                  GtkButton   *button);

G_END_DECLS
