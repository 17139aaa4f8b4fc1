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
#include "beam-memory-page-private.h"
#include "beam-memory-playbook.h"
#include "beam-palette.h"

#define PLAYBOOK_ROWS      20

/* The bar's categories, "other system" being system less the categories of
 * it shown apart. */
static const struct { const char *label; BeamMemoryCategory category; } bar_parts[] = {
  { N_("processes"), BEAM_MEMORY_PROCESSES },
  { N_("binary"), BEAM_MEMORY_BINARY },
  { N_("ets"), BEAM_MEMORY_ETS },
  { N_("code"), BEAM_MEMORY_CODE },
  { N_("atom"), BEAM_MEMORY_ATOM },
  { N_("other system"), BEAM_MEMORY_OTHER_SYSTEM },
};

struct _BeamMemoryPage
{
  BeamPage           parent_instance;

  GtkLabel          *status_label;
  GtkDrawingArea    *memory_bar;
  GtkGrid           *memory_grid;
  GtkLabel          *cache_label;
  GtkGrid           *allocator_grid;
  AdwActionRow      *binary_row;
  GtkWidget         *binary_button;
  GtkGrid           *ets_grid;
  GtkGrid           *heap_grid;
  GtkSpinButton     *heap_spin;

  BeamLoadSample    *memory;       /* the last overview */
  guint              loads;
  gboolean           collecting;
};

G_DEFINE_FINAL_TYPE (BeamMemoryPage, beam_memory_page, BEAM_TYPE_PAGE)

/* The one place the page's actions are enabled or not. */
static void
update_actions (BeamMemoryPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.collect-binaries",
                                 !beam_page_get_read_only (BEAM_PAGE (self)) && !self->collecting);
}

static gint64
part_bytes (const BeamLoadSample *memory,
            guint                 part)
{
  const gint64 *bytes = memory->memory;
  gint64 other;

  if (bar_parts[part].category != BEAM_MEMORY_OTHER_SYSTEM)
    return MAX (bytes[bar_parts[part].category], 0);
  other = bytes[BEAM_MEMORY_SYSTEM] - bytes[BEAM_MEMORY_ATOM] - bytes[BEAM_MEMORY_BINARY] -
          bytes[BEAM_MEMORY_CODE] - bytes[BEAM_MEMORY_ETS];
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
  g_autofree char *text = whole > 0 ? g_strdup_printf ("%.1f %%", 100.0 * part / whole)
                                    : g_strdup ("—");
  cell (grid, column, row, text, TRUE);
}

/* A pid that opens its process window. */
static void
pid_cell (GtkGrid        *grid,
          int             column,
          int             row,
          const char     *pid)
{
  GtkWidget *button = gtk_button_new_with_label (pid);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-process");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", pid);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, _("Open this process"));
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

      beam_palette_get_memory_color (bar_parts[i].category, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_rectangle (cr, x, 0, MAX (w - 1, 0), height);
      cairo_fill (cr);
      x += w;
    }
}

static void
show_memory (BeamMemoryPage *self)
{
  const BeamLoadSample *memory = self->memory;
  gint64 total = memory->memory[BEAM_MEMORY_TOTAL];

  clear_grid (self->memory_grid);
  for (guint i = 0; i < G_N_ELEMENTS (bar_parts); i++)
    {
      gint64 bytes = part_bytes (memory, i);
      GtkWidget *label = gtk_label_new (_(bar_parts[i].label));
      g_autofree char *size = g_format_size (bytes);
      g_autofree char *share = total > 0 ? g_strdup_printf ("%.1f %%", 100.0 * bytes / total)
                                         : g_strdup ("");
      GtkWidget *size_label = gtk_label_new (size);
      GtkWidget *share_label = gtk_label_new (share);
      GdkRGBA color;

      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_xalign (GTK_LABEL (size_label), 1.0);
      gtk_label_set_xalign (GTK_LABEL (share_label), 1.0);
      gtk_widget_add_css_class (size_label, "numeric");
      gtk_widget_add_css_class (share_label, "dim-label");
      beam_palette_get_memory_color (bar_parts[i].category, &color);
      gtk_grid_attach (self->memory_grid, beam_palette_swatch_new (&color), 0, i, 1, 1);
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
                               allocator->allocated > 0
                               ? (double) allocator->used / allocator->allocated
                               : 0);
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
                                               100.0 * allocators->cache_hits
                                               / allocators->cache_calls);
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
  beam_page_refresh_done (BEAM_PAGE (self), error);
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
      beam_page_refresh_done (BEAM_PAGE (self), error);
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  g_clear_pointer (&self->memory, beam_load_sample_free);
  self->memory = memory;
  show_memory (self);

  /* The allocators next, as the second half of one refresh. */
  connection = beam_page_get_connection (BEAM_PAGE (self));
  if (connection == NULL)
    {
      beam_page_refresh_done (BEAM_PAGE (self), NULL);
      return;
    }
  beam_allocators_fetch_async (connection, beam_page_get_cancellable (BEAM_PAGE (self)),
                               allocators_done, g_object_ref (self));
}

static void
beam_memory_page_refresh (BeamPage       *page,
                          BeamConnection *connection,
                          GCancellable   *cancellable)
{
  beam_load_sample_async (connection, cancellable, memory_done, g_object_ref (page));
}

/* ---- the playbook ------------------------------------------------------------------- */

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

      gtk_label_set_ellipsize (GTK_LABEL (cell (self->ets_grid, 0, i + 1, table->table, FALSE)),
                               PANGO_ELLIPSIZE_END);
      pid_cell (self->ets_grid, 1, i + 1, table->owner);
      cell (self->ets_grid, 2, i + 1, objects, TRUE);
      size_cell (self->ets_grid, 3, i + 1, table->bytes);
    }
  self->loads++;
}

static void
list_ets (BeamMemoryPage *self)
{
  BeamConnection *connection = beam_page_get_connection (BEAM_PAGE (self));

  if (connection == NULL)
    return;
  grid_message (self->ets_grid, _("Asking the node…"));
  beam_memory_playbook_ets_async (connection, PLAYBOOK_ROWS,
                                  beam_page_get_cancellable (BEAM_PAGE (self)),
                                  ets_done, g_object_ref (self));
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

      pid_cell (self->heap_grid, 0, i + 1, heap->pid);
      cell (self->heap_grid, 1, i + 1, heap->name != NULL ? heap->name : "", FALSE);
      size_cell (self->heap_grid, 2, i + 1, heap->heap_bytes);
      size_cell (self->heap_grid, 3, i + 1, heap->memory);
    }
  self->loads++;
}

static void
find_heaps (BeamMemoryPage *self)
{
  BeamConnection *connection = beam_page_get_connection (BEAM_PAGE (self));
  gint64 threshold = (gint64) gtk_spin_button_get_value (self->heap_spin) * 1000 * 1000;

  if (connection == NULL)
    return;
  grid_message (self->heap_grid, _("Asking every process…"));
  beam_memory_playbook_heaps_async (connection, threshold, PLAYBOOK_ROWS,
                        beam_page_get_cancellable (BEAM_PAGE (self)), heaps_done,
                        g_object_ref (self));
}

static void
collect_done (GObject      *object G_GNUC_UNUSED,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BeamMemoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree BeamBinaryCollection *collection =
    beam_memory_playbook_binary_collect_finish (result, &error);
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->collecting = FALSE;
  update_actions (self);
  if (collection == NULL)
    text = g_strdup (error->message);
  else
    {
      g_autofree char *before = g_format_size (collection->before);
      g_autofree char *after = g_format_size (collection->after);
      g_autofree char *freed = g_format_size (MAX (collection->before - collection->after, 0));

      text = g_strdup_printf (_("Binary memory %s before, %s after: %s freed by collecting "
                                "%" G_GINT64_FORMAT " processes"),
                              before, after, freed, collection->processes);
      self->loads++;
    }
  /* The row's subtitle is markup (the title of the .ui's row is), and an error may quote
   * the node. */
  escaped = g_markup_escape_text (text, -1);
  adw_action_row_set_subtitle (self->binary_row, escaped);
  beam_page_refresh (BEAM_PAGE (self));
}

void
beam_memory_page_collect_binaries (BeamMemoryPage *self)
{
  BeamConnection *connection;

  g_return_if_fail (BEAM_IS_MEMORY_PAGE (self));

  connection = beam_page_get_connection (BEAM_PAGE (self));
  if (connection == NULL || self->collecting || beam_page_get_read_only (BEAM_PAGE (self)))
    return;
  self->collecting = TRUE;
  update_actions (self);
  adw_action_row_set_subtitle (self->binary_row, _("Collecting every process…"));
  beam_memory_playbook_binary_collect_async (connection,
                                             beam_page_get_cancellable (BEAM_PAGE (self)),
                                             collect_done, g_object_ref (self));
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

  if (beam_page_get_read_only (BEAM_PAGE (self)))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Collect Every Process?"),
                                   _("Every process on the node is garbage-collected, one after "
                                     "the other. On a node with many processes this costs CPU "
                                     "for seconds; on a production node, pick a quiet moment."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "collect", _("_Collect"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "collect",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_collect_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
list_ets_action (GtkWidget  *widget,
                 const char *action_name G_GNUC_UNUSED,
                 GVariant   *parameter G_GNUC_UNUSED)
{
  list_ets (BEAM_MEMORY_PAGE (widget));
}

static void
find_heaps_action (GtkWidget  *widget,
                   const char *action_name G_GNUC_UNUSED,
                   GVariant   *parameter G_GNUC_UNUSED)
{
  find_heaps (BEAM_MEMORY_PAGE (widget));
}

static void
collect_binaries_action (GtkWidget  *widget,
                         const char *action_name G_GNUC_UNUSED,
                         GVariant   *parameter G_GNUC_UNUSED)
{
  confirm_collect (BEAM_MEMORY_PAGE (widget));
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
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
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
beam_memory_page_node_changed (BeamPage *page,
                               BeamNode *node)
{
  BeamMemoryPage *self = BEAM_MEMORY_PAGE (page);

  self->collecting = FALSE;
  update_actions (self);
  /* --read-only: nothing that changes the node exists. */
  gtk_widget_set_visible (self->binary_button, node == NULL || !beam_node_get_read_only (node));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->binary_row),
                               node != NULL && beam_node_get_read_only (node)
                               ? _("Beamscope was started with --read-only") : NULL);
}

static void
beam_memory_page_dispose (GObject *object)
{
  beam_page_dispose_template (BEAM_PAGE (object), BEAM_TYPE_MEMORY_PAGE);

  G_OBJECT_CLASS (beam_memory_page_parent_class)->dispose (object);
}

static void
beam_memory_page_finalize (GObject *object)
{
  BeamMemoryPage *self = BEAM_MEMORY_PAGE (object);

  g_clear_pointer (&self->memory, beam_load_sample_free);

  G_OBJECT_CLASS (beam_memory_page_parent_class)->finalize (object);
}

static void
beam_memory_page_class_init (BeamMemoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BeamPageClass *page_class = BEAM_PAGE_CLASS (klass);

  object_class->dispose = beam_memory_page_dispose;
  object_class->finalize = beam_memory_page_finalize;
  page_class->refresh = beam_memory_page_refresh;
  page_class->node_changed = beam_memory_page_node_changed;
  beam_page_class_set_interval_key (page_class, "memory-refresh-interval");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-memory-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, memory_bar);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, memory_grid);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, cache_label);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, allocator_grid);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, binary_row);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, binary_button);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, ets_grid);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, heap_grid);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, heap_spin);

  gtk_widget_class_install_action (widget_class, "memory.list-ets", NULL, list_ets_action);
  gtk_widget_class_install_action (widget_class, "memory.find-heaps", NULL, find_heaps_action);
  gtk_widget_class_install_action (widget_class, "memory.collect-binaries", NULL,
                                   collect_binaries_action);
}

static void
beam_memory_page_init (BeamMemoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->memory_bar, draw_memory_bar, self, NULL);
  gtk_spin_button_set_value (self->heap_spin, 1);
  grid_message (self->ets_grid, _("The tables holding the most memory, with their owners"));
  grid_message (self->heap_grid,
                _("Every process is asked on the node; only those over the threshold come back"));
  update_actions (self);
}
