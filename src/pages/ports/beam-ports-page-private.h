/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-ports-page.h"

G_BEGIN_DECLS

/* For tests: the ports and sockets shown (filtered and sorted), the filter,
 * the section on screen ("ports" or "sockets"), whether the node has the
 * socket module, the port types line, sorting by the column sorted on a
 * row's `property` as a click on its title does, selecting a port by id, the
 * details pane's text, the context menu, and the last toast's text. */
GListModel *beam_ports_page_get_shown         (BeamPortsPage *self);
GListModel *beam_ports_page_get_sockets_shown (BeamPortsPage *self);
void        beam_ports_page_set_filter        (BeamPortsPage *self,
                                               const char    *text);
const char *beam_ports_page_get_section       (BeamPortsPage *self);
gboolean    beam_ports_page_get_has_sockets   (BeamPortsPage *self);
const char *beam_ports_page_get_types_text    (BeamPortsPage *self);
void        beam_ports_page_sort_by           (BeamPortsPage *self,
                                               GtkColumnView *view,
                                               const char    *property);
GtkColumnView *beam_ports_page_get_ports_view (BeamPortsPage *self);
gboolean    beam_ports_page_select_port       (BeamPortsPage *self,
                                               const char    *id);
char       *beam_ports_page_dup_details_text  (BeamPortsPage *self);
GtkPopover *beam_ports_page_get_context_menu  (BeamPortsPage *self);
const char *beam_ports_page_get_last_toast    (BeamPortsPage *self);

/* The .ui's closures and cell callbacks. */
char      *beam_ports_page_format_bytes  (gpointer         unused,
                                          gint64           bytes);
char      *beam_ports_page_format_count  (gpointer         unused,
                                          gint64           count);
char      *beam_ports_page_format_pid    (gpointer         unused,
                                          gint64           os_pid);
gboolean   beam_ports_page_is_ports      (gpointer         unused,
                                          const char      *section);
void       beam_ports_page_open_owner    (GtkListItem     *list_item,
                                          GtkButton       *button);
void       beam_ports_page_cell_pressed  (GtkListItem     *list_item,
                                          int              n_press,
                                          double           x,
                                          double           y,
                                          GtkGestureClick *gesture);

G_END_DECLS
