/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Memory page: erlang:memory() now, as a bar and in MB; the allocators'
 * carriers against their blocks, with usage, fragmentation and mseg_alloc's
 * cache hit rate; and the memory playbook as steps: top consumers (the
 * Processes page by memory), binary memory around a node-wide garbage
 * collection (asked first, absent with --read-only), ETS tables by memory,
 * processes with big heaps.
 *
 * The overview and the allocators refresh while the page is on screen; the
 * playbook's steps run when asked, each answer bounded on the node. */

#define G_LOG_DOMAIN "beamscope-memory"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-allocators.h"
#include "beam-load-sample.h"
#include "beam-memory-page.h"
#include "beam-memory-playbook.h"
#include "beam-page-refresher.h"
#include "beam-process-window.h"

#define REFRESH_INTERVAL_S 5
#define PLAYBOOK_ROWS      20

/* The bar's categories: indexes into BeamLoadSample.memory, "other system"
 * being system less the categories of it shown apart. */
enum { MEMORY_TOTAL = 0, MEMORY_PROCESSES = 1, MEMORY_SYSTEM = 3, MEMORY_ATOM = 4,
       MEMORY_BINARY = 6, MEMORY_CODE = 7, MEMORY_ETS = 8 };

static const struct { const char *label; int index; const char *color; } bar_parts[] = {
  { N_("processes"), MEMORY_PROCESSES, "#3584e4" },
  { N_("binary"), MEMORY_BINARY, "#e66100" },
  { N_("ets"), MEMORY_ETS, "#33d17a" },
  { N_("code"), MEMORY_CODE, "#9141ac" },
  { N_("atom"), MEMORY_ATOM, "#f5c211" },
  { N_("other system"), -1, "#77767b" },
};

struct _BeamMemoryPage
{
  AdwBin             parent_instance;

  GtkWidget         *content;
  GtkLabel          *status_label;
  GtkDrawingArea    *memory_bar;
  GtkGrid           *memory_grid;
  GtkLabel          *cache_label;
  GtkGrid           *allocator_grid;
  AdwActionRow      *binary_row;
  GtkGrid           *ets_grid;
  GtkGrid           *heap_grid;
  GtkSpinButton     *heap_spin;

  BeamNode          *node;
  GCancellable      *cancellable;
  BeamPageRefresher *refresher;
  BeamLoadSample    *memory;       /* the last overview */
  guint              loads;
  gboolean           collecting;
};

G_DEFINE_FINAL_TYPE (BeamMemoryPage, beam_memory_page, ADW_TYPE_BIN)

static gint64
part_bytes (const BeamLoadSample *memory,
            guint                 part)
{
  gint64 other;

  if (bar_parts[part].index >= 0)
    return MAX (memory->memory[bar_parts[part].index], 0);
  other = memory->memory[MEMORY_SYSTEM] - memory->memory[MEMORY_ATOM] - memory->memory[MEMORY_BINARY] -
          memory->memory[MEMORY_CODE] - memory->memory[MEMORY_ETS];
  return MAX (other, 0);
}

/* ---- grids --------------------------------------------------------------------- */

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static GtkWidget *
cell (GtkGrid    *grid,
      int         column,
      int         row,
      const char *text,
      gboolean    numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (row == 0)
    gtk_widget_add_css_class (label, "heading");
  gtk_grid_attach (grid, label, column, row, 1, 1);
  return label;
}

static void
size_cell (GtkGrid *grid,
           int      column,
           int      row,
           gint64   bytes)
{
  g_autofree char *text = g_format_size (MAX (bytes, 0));
  cell (grid, column, row, text, TRUE);
}

static void
percent_cell (GtkGrid *grid,
              int      column,
              int      row,
              gint64   part,
              gint64   whole)
{
  g_autofree char *text = whole > 0 ? g_strdup_printf ("%.1f %%", 100.0 * part / whole) : g_strdup ("—");
  cell (grid, column, row, text, TRUE);
}

static void
on_pid_clicked (GtkButton      *button,
                BeamMemoryPage *self)
{
  BeamProcessWindow *window;

  if (self->node == NULL)
    return;
  window = beam_process_window_new (self->node, gtk_button_get_label (button));
  gtk_window_set_application (GTK_WINDOW (window),
                              gtk_window_get_application (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)))));
  gtk_window_present (GTK_WINDOW (window));
}

/* A pid that opens its process window. */
static void
pid_cell (BeamMemoryPage *self,
          GtkGrid        *grid,
          int             column,
          int             row,
          const char     *pid)
{
  GtkWidget *button = gtk_button_new_with_label (pid);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, _("Open this process"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_pid_clicked), self, 0);
  gtk_grid_attach (grid, button, column, row, 1, 1);
}

static void
grid_message (GtkGrid    *grid,
              const char *text)
{
  GtkWidget *label;

  clear_grid (grid);
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (grid, label, 0, 0, 1, 1);
}

/* ---- memory now ------------------------------------------------------------------- */

static void
draw_memory_bar (GtkDrawingArea *area G_GNUC_UNUSED,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  BeamMemoryPage *self = user_data;
  double x = 0, whole = 0;

  if (self->memory == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (bar_parts); i++)
    whole += part_bytes (self->memory, i);
  if (whole <= 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (bar_parts); i++)
    {
      double w = width * part_bytes (self->memory, i) / whole;
      GdkRGBA color;

      gdk_rgba_parse (&color, bar_parts[i].color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_rectangle (cr, x, 0, MAX (w - 1, 0), height);
      cairo_fill (cr);
      x += w;
    }
}

static GtkWidget *
swatch (const char *color_text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autofree char *css = g_strdup_printf ("box { background: %s; min-width: 12px; min-height: 12px; border-radius: 3px; }",
                                          color_text);
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_data (provider, css, -1);
  gtk_style_context_add_provider (gtk_widget_get_style_context (box), GTK_STYLE_PROVIDER (provider),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  return box;
}

static void
show_memory (BeamMemoryPage *self)
{
  const BeamLoadSample *memory = self->memory;
  gint64 total = memory->memory[MEMORY_TOTAL];

  clear_grid (self->memory_grid);
  for (guint i = 0; i < G_N_ELEMENTS (bar_parts); i++)
    {
      gint64 bytes = part_bytes (memory, i);
      GtkWidget *label = gtk_label_new (_(bar_parts[i].label));
      g_autofree char *size = g_format_size (bytes);
      g_autofree char *share = total > 0 ? g_strdup_printf ("%.1f %%", 100.0 * bytes / total) : g_strdup ("");
      GtkWidget *size_label = gtk_label_new (size);
      GtkWidget *share_label = gtk_label_new (share);

      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_xalign (GTK_LABEL (size_label), 1.0);
      gtk_label_set_xalign (GTK_LABEL (share_label), 1.0);
      gtk_widget_add_css_class (size_label, "numeric");
      gtk_widget_add_css_class (share_label, "dim-label");
      gtk_grid_attach (self->memory_grid, swatch (bar_parts[i].color), 0, i, 1, 1);
      gtk_grid_attach (self->memory_grid, label, 1, i, 1, 1);
      gtk_grid_attach (self->memory_grid, size_label, 2, i, 1, 1);
      gtk_grid_attach (self->memory_grid, share_label, 3, i, 1, 1);
    }
  {
    g_autofree char *size = g_format_size (total);
    GtkWidget *label = gtk_label_new (_("total"));
    GtkWidget *size_label = gtk_label_new (size);

    gtk_label_set_xalign (GTK_LABEL (label), 0.0);
    gtk_label_set_xalign (GTK_LABEL (size_label), 1.0);
    gtk_widget_add_css_class (label, "heading");
    gtk_widget_add_css_class (size_label, "heading");
    gtk_grid_attach (self->memory_grid, label, 1, G_N_ELEMENTS (bar_parts), 1, 1);
    gtk_grid_attach (self->memory_grid, size_label, 2, G_N_ELEMENTS (bar_parts), 1, 1);
  }
  gtk_widget_queue_draw (GTK_WIDGET (self->memory_bar));
}

/* ---- allocators ------------------------------------------------------------------- */

static void
show_allocators (BeamMemoryPage       *self,
                 const BeamAllocators *allocators)
{
  static const char *headings[] = {
    N_("Allocator"), N_("Allocated"), N_("Used"), N_("Usage"), "", N_("Multiblock carriers"),
    N_("Singleblock carriers"), N_("Multiblock usage"), N_("Instances"),
  };
  GtkGrid *grid = self->allocator_grid;
  guint row = 1;

  clear_grid (grid);
  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    cell (grid, i, 0, headings[i][0] != '\0' ? _(headings[i]) : "", i > 0);

  for (guint i = 0; i < allocators->types->len; i++, row++)
    {
      const BeamAllocator *allocator = g_ptr_array_index (allocators->types, i);
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);
      g_autofree char *instances = g_strdup_printf ("%u", allocator->instances);

      cell (grid, 0, row, allocator->type, FALSE);
      size_cell (grid, 1, row, allocator->allocated);
      size_cell (grid, 2, row, allocator->used);
      percent_cell (grid, 3, row, allocator->used, allocator->allocated);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar),
                               allocator->allocated > 0 ? (double) allocator->used / allocator->allocated : 0);
      /* High usage is good here: no "low/high" offsets colouring it as a warning. */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_widget_set_size_request (bar, 80, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_grid_attach (grid, bar, 4, row, 1, 1);
      size_cell (grid, 5, row, allocator->mbcs_carriers_size);
      size_cell (grid, 6, row, allocator->sbcs_carriers_size);
      percent_cell (grid, 7, row, allocator->mbcs_blocks_size, allocator->mbcs_carriers_size);
      cell (grid, 8, row, instances, TRUE);
    }

  gtk_widget_add_css_class (cell (grid, 0, row, _("total"), FALSE), "heading");
  size_cell (grid, 1, row, allocators->allocated);
  size_cell (grid, 2, row, allocators->used);
  percent_cell (grid, 3, row, allocators->used, allocators->allocated);

  if (allocators->cache_calls > 0)
    {
      g_autofree char *text = g_strdup_printf (_("Segment cache hit rate %.1f %%"),
                                               100.0 * allocators->cache_hits / allocators->cache_calls);
      gtk_label_set_label (self->cache_label, text);
    }
  else
    gtk_label_set_label (self->cache_label, _("No segment cache"));
}

/* ---- refreshing --------------------------------------------------------------------- */

static void
allocators_done (GObject      *object G_GNUC_UNUSED,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BeamMemoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamAllocators) allocators = beam_allocators_fetch_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  beam_page_refresher_done (self->refresher);
  if (allocators == NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  show_allocators (self, allocators);
  gtk_label_set_label (self->status_label, "");
  self->loads++;
}

static void
memory_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamMemoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamLoadSample *memory = beam_load_sample_finish (result, &error);
  BeamConnection *connection;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (memory == NULL)
    {
      beam_page_refresher_done (self->refresher);
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  g_clear_pointer (&self->memory, beam_load_sample_free);
  self->memory = memory;
  show_memory (self);

  /* The allocators next, as one question of the refresher's. */
  connection = self->node != NULL ? beam_node_get_connection (self->node) : NULL;
  if (connection == NULL)
    {
      beam_page_refresher_done (self->refresher);
      return;
    }
  beam_allocators_fetch_async (connection, self->cancellable, allocators_done, g_object_ref (self));
}

static void
fetch (GtkWidget      *page,
       BeamConnection *connection)
{
  BeamMemoryPage *self = BEAM_MEMORY_PAGE (page);

  beam_load_sample_async (connection, self->cancellable, memory_done, g_object_ref (self));
}

void
beam_memory_page_refresh (BeamMemoryPage *self)
{
  g_return_if_fail (BEAM_IS_MEMORY_PAGE (self));
  beam_page_refresher_refresh (self->refresher);
}

/* ---- the playbook ------------------------------------------------------------------- */

static BeamConnection *
connected (BeamMemoryPage *self)
{
  BeamConnection *connection = self->node != NULL ? beam_node_get_connection (self->node) : NULL;

  if (connection == NULL || beam_connection_get_state (connection) != BEAM_CONNECTION_STATE_CONNECTED)
    return NULL;
  return connection;
}

static void
ets_done (GObject      *object G_GNUC_UNUSED,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BeamMemoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tables = beam_memory_playbook_ets_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tables == NULL)
    {
      grid_message (self->ets_grid, error->message);
      return;
    }
  clear_grid (self->ets_grid);
  cell (self->ets_grid, 0, 0, _("Table"), FALSE);
  cell (self->ets_grid, 1, 0, _("Owner"), FALSE);
  cell (self->ets_grid, 2, 0, _("Objects"), TRUE);
  cell (self->ets_grid, 3, 0, _("Memory"), TRUE);
  for (guint i = 0; i < tables->len; i++)
    {
      const BeamEtsTableMemory *table = g_ptr_array_index (tables, i);
      g_autofree char *objects = g_strdup_printf ("%" G_GINT64_FORMAT, table->objects);

      gtk_label_set_ellipsize (GTK_LABEL (cell (self->ets_grid, 0, i + 1, table->table, FALSE)), PANGO_ELLIPSIZE_END);
      pid_cell (self, self->ets_grid, 1, i + 1, table->owner);
      cell (self->ets_grid, 2, i + 1, objects, TRUE);
      size_cell (self->ets_grid, 3, i + 1, table->bytes);
    }
  self->loads++;
}

static void
list_ets (BeamMemoryPage *self)
{
  BeamConnection *connection = connected (self);

  if (connection == NULL)
    return;
  grid_message (self->ets_grid, _("Asking the node…"));
  beam_memory_playbook_ets_async (connection, PLAYBOOK_ROWS, self->cancellable, ets_done, g_object_ref (self));
}

static void
heaps_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BeamMemoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) heaps = beam_memory_playbook_heaps_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (heaps == NULL)
    {
      grid_message (self->heap_grid, error->message);
      return;
    }
  if (heaps->len == 0)
    {
      grid_message (self->heap_grid, _("No process has a heap that big"));
      self->loads++;
      return;
    }
  clear_grid (self->heap_grid);
  cell (self->heap_grid, 0, 0, _("Process"), FALSE);
  cell (self->heap_grid, 1, 0, _("Name"), FALSE);
  cell (self->heap_grid, 2, 0, _("Heap"), TRUE);
  cell (self->heap_grid, 3, 0, _("Memory"), TRUE);
  for (guint i = 0; i < heaps->len; i++)
    {
      const BeamHeapMemory *heap = g_ptr_array_index (heaps, i);

      pid_cell (self, self->heap_grid, 0, i + 1, heap->pid);
      cell (self->heap_grid, 1, i + 1, heap->name != NULL ? heap->name : "", FALSE);
      size_cell (self->heap_grid, 2, i + 1, heap->heap_bytes);
      size_cell (self->heap_grid, 3, i + 1, heap->memory);
    }
  self->loads++;
}

static void
find_heaps (BeamMemoryPage *self)
{
  BeamConnection *connection = connected (self);
  gint64 threshold = (gint64) gtk_spin_button_get_value (self->heap_spin) * 1000 * 1000;

  if (connection == NULL)
    return;
  grid_message (self->heap_grid, _("Asking every process…"));
  beam_memory_playbook_heaps_async (connection, threshold, PLAYBOOK_ROWS, self->cancellable, heaps_done, g_object_ref (self));
}

static void
collect_done (GObject      *object G_GNUC_UNUSED,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BeamMemoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree BeamBinaryCollection *collection = beam_memory_playbook_binary_collect_finish (result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->collecting = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.collect-binaries",
                                 self->node != NULL && !beam_node_get_read_only (self->node));
  if (collection == NULL)
    text = g_strdup (error->message);
  else
    {
      g_autofree char *before = g_format_size (collection->before);
      g_autofree char *after = g_format_size (collection->after);
      g_autofree char *freed = g_format_size (MAX (collection->before - collection->after, 0));

      text = g_strdup_printf (_("Binary memory %s before, %s after: %s freed by collecting %" G_GINT64_FORMAT " processes"),
                              before, after, freed, collection->processes);
      self->loads++;
    }
  adw_action_row_set_subtitle (self->binary_row, text);
  beam_page_refresher_refresh (self->refresher);
}

void
beam_memory_page_collect_binaries (BeamMemoryPage *self)
{
  BeamConnection *connection;

  g_return_if_fail (BEAM_IS_MEMORY_PAGE (self));

  connection = connected (self);
  if (connection == NULL || self->collecting || beam_node_get_read_only (self->node))
    return;
  self->collecting = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.collect-binaries", FALSE);
  adw_action_row_set_subtitle (self->binary_row, _("Collecting every process…"));
  beam_memory_playbook_binary_collect_async (connection, self->cancellable, collect_done, g_object_ref (self));
}

static void
on_collect_confirmed (AdwMessageDialog *dialog G_GNUC_UNUSED,
                      const char       *response,
                      BeamMemoryPage   *self)
{
  if (g_str_equal (response, "collect"))
    beam_memory_page_collect_binaries (self);
}

static void
confirm_collect (BeamMemoryPage *self)
{
  GtkWidget *dialog;

  if (self->node == NULL || beam_node_get_read_only (self->node))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Collect Every Process?"),
                                   _("Every process on the node is garbage-collected, one after the other. "
                                     "On a node with many processes this costs CPU for seconds; on a "
                                     "production node, pick a quiet moment."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "collect", _("_Collect"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "collect", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_collect_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_activated (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter G_GNUC_UNUSED)
{
  BeamMemoryPage *self = BEAM_MEMORY_PAGE (widget);

  if (g_str_equal (name, "memory.list-ets"))
    list_ets (self);
  else if (g_str_equal (name, "memory.find-heaps"))
    find_heaps (self);
  else if (g_str_equal (name, "memory.collect-binaries"))
    confirm_collect (self);
  else if (g_str_equal (name, "memory.open-processes"))
    gtk_widget_activate_action (widget, "win.show-processes-by", "s", "memory");
}

/* ---- for tests -------------------------------------------------------------------- */

guint
beam_memory_page_get_loads (BeamMemoryPage *self)
{
  g_return_val_if_fail (BEAM_IS_MEMORY_PAGE (self), 0);
  return self->loads;
}

static void
append_texts (GtkWidget *widget,
              GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child))
        g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (child)));
      else if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) != NULL)
        g_string_append_printf (out, "%s\n", gtk_button_get_label (GTK_BUTTON (child)));
    }
}

char *
beam_memory_page_dup_text (BeamMemoryPage *self,
                           const char     *section)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (BEAM_IS_MEMORY_PAGE (self), NULL);

  if (g_str_equal (section, "memory"))
    append_texts (GTK_WIDGET (self->memory_grid), out);
  else if (g_str_equal (section, "allocators"))
    {
      append_texts (GTK_WIDGET (self->allocator_grid), out);
      g_string_append (out, gtk_label_get_label (self->cache_label));
    }
  else if (g_str_equal (section, "binary"))
    g_string_append (out, adw_action_row_get_subtitle (self->binary_row));
  else if (g_str_equal (section, "ets"))
    append_texts (GTK_WIDGET (self->ets_grid), out);
  else if (g_str_equal (section, "heaps"))
    append_texts (GTK_WIDGET (self->heap_grid), out);
  return g_string_free (out, FALSE);
}

/* ---- GObject -------------------------------------------------------------------- */

static void
beam_memory_page_dispose (GObject *object)
{
  BeamMemoryPage *self = BEAM_MEMORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->refresher, beam_page_refresher_free);
  g_clear_object (&self->node);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_MEMORY_PAGE);

  G_OBJECT_CLASS (beam_memory_page_parent_class)->dispose (object);
}

static void
beam_memory_page_finalize (GObject *object)
{
  BeamMemoryPage *self = BEAM_MEMORY_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->memory, beam_load_sample_free);

  G_OBJECT_CLASS (beam_memory_page_parent_class)->finalize (object);
}

static void
beam_memory_page_class_init (BeamMemoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_memory_page_dispose;
  object_class->finalize = beam_memory_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/beamscope/Beamscope/beam-memory-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, content);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, memory_bar);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, memory_grid);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, cache_label);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, allocator_grid);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, binary_row);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, ets_grid);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, heap_grid);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, heap_spin);

  gtk_widget_class_install_action (widget_class, "memory.list-ets", NULL, action_activated);
  gtk_widget_class_install_action (widget_class, "memory.find-heaps", NULL, action_activated);
  gtk_widget_class_install_action (widget_class, "memory.collect-binaries", NULL, action_activated);
  gtk_widget_class_install_action (widget_class, "memory.open-processes", NULL, action_activated);
}

static void
beam_memory_page_init (BeamMemoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->refresher = beam_page_refresher_new (GTK_WIDGET (self), self->content, REFRESH_INTERVAL_S, fetch);
  gtk_drawing_area_set_draw_func (self->memory_bar, draw_memory_bar, self, NULL);
  gtk_spin_button_set_value (self->heap_spin, 1);
  grid_message (self->ets_grid, _("The tables holding the most memory, with their owners"));
  grid_message (self->heap_grid, _("Every process is asked on the node; only those over the threshold come back"));
}

void
beam_memory_page_set_node (BeamMemoryPage *self,
                           BeamNode       *node)
{
  g_return_if_fail (BEAM_IS_MEMORY_PAGE (self));
  g_return_if_fail (node == NULL || BEAM_IS_NODE (node));

  if (self->node == node)
    return;

  /* Nothing of the previous node may show, or arrive late, on the next one. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->collecting = FALSE;

  g_set_object (&self->node, node);
  /* --read-only: nothing that changes the node exists. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.collect-binaries",
                                 node != NULL && !beam_node_get_read_only (node));
  if (node != NULL && beam_node_get_read_only (node))
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->binary_row), _("Beamscope was started with --read-only"));
  beam_page_refresher_set_node (self->refresher, node);
}
