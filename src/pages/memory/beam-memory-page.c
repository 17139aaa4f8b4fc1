/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Memory page: erlang:memory() now, as a bar and in bytes; the allocators'
 * carriers against their blocks, with usage, fragmentation, the most the
 * carriers ever held and mseg_alloc's cache hit rate, and their history while
 * the page is on screen, as observer's Memory Allocators tab draws it (carrier
 * size, and utilisation, per allocator type); and the memory playbook as steps: top consumers (the
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
#include "beam-chart.h"
#include "beam-load-sample.h"
#include "beam-number-format.h"
#include "beam-memory-page-private.h"
#include "beam-memory-playbook.h"
#include "beam-palette.h"

#define PLAYBOOK_ROWS      20
/* The allocator charts show 60 refreshes (5 min at the default 5 s), and
 * at least observer's minute. */
#define ALLOCATOR_POINTS    60

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
  GtkBox            *allocator_charts_box;
  BeamChart         *carrier_chart;      /* carriers' size: total, then each type */
  BeamChart         *utilization_chart;  /* used / carriers, the same series */
  char             **chart_types;        /* the types the charts were built for */
  AdwPreferencesGroup *ets_group;
  AdwPreferencesGroup *heap_group;
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
  g_autofree char *text = beam_format_bytes (bytes);
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

/* A process that opens its window: by its name where it has one (the pid
 * in the tooltip), else by its pid. */
static void
pid_cell (GtkGrid        *grid,
          int             column,
          int             row,
          const char     *pid,
          const char     *name)
{
  GtkWidget *button = gtk_button_new_with_label (name != NULL ? name : pid);
  g_autofree char *tooltip = name != NULL ? g_strdup_printf (_("%s: open this process"), pid)
                                          : g_strdup (_("Open this process"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-process");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", pid);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, tooltip);
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
  GString *description = g_string_new (NULL);

  clear_grid (self->memory_grid);
  for (guint i = 0; i < G_N_ELEMENTS (bar_parts); i++)
    {
      gint64 bytes = part_bytes (memory, i);
      GtkWidget *label = gtk_label_new (_(bar_parts[i].label));
      g_autofree char *size = beam_format_bytes (bytes);
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
      /* Translators: one part of the memory bar's description, "processes 12 MiB 40.1 %" */
      g_string_append_printf (description, i == 0 ? _("%s %s %s") : _(", %s %s %s"),
                              _(bar_parts[i].label), size, share);
    }
  /* The bar's parts as words, for a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->memory_bar),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str, -1);
  g_string_free (description, TRUE);
  {
    g_autofree char *size = beam_format_bytes (total);
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

/* The allocator charts, built for the node's allocator types (the first
 * answer's; again if another node has others), with one legend for both:
 * the same series in the same colours. */
static void
build_allocator_charts (BeamMemoryPage       *self,
                        const BeamAllocators *allocators)
{
  GStrvBuilder *types = g_strv_builder_new ();
  GtkWidget *legend = gtk_flow_box_new ();
  GtkWidget *child;
  BeamChart *charts[2];
  const char *titles[2] = { _("Carrier Size"), _("Carrier Utilization (%)") };

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->allocator_charts_box))) != NULL)
    gtk_box_remove (self->allocator_charts_box, child);

  charts[0] = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_BYTES));
  charts[1] = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_FRACTION));
  for (guint c = 0; c < G_N_ELEMENTS (charts); c++)
    {
      GtkWidget *title = gtk_label_new (titles[c]);

      beam_chart_add_series (charts[c], _("total"), FALSE);
      for (guint i = 0; i < allocators->types->len; i++)
        beam_chart_add_series (charts[c],
                               ((BeamAllocator *) g_ptr_array_index (allocators->types, i))->type,
                               FALSE);
      beam_chart_set_window (charts[c],
                             MAX (60, ALLOCATOR_POINTS *
                                      beam_page_get_refresh_interval (BEAM_PAGE (self)))
                             * G_USEC_PER_SEC);
      gtk_widget_set_size_request (GTK_WIDGET (charts[c]), -1, 150);
      gtk_accessible_update_property (GTK_ACCESSIBLE (charts[c]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      titles[c], -1);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_add_css_class (title, "heading");
      gtk_box_append (self->allocator_charts_box, title);
      gtk_box_append (self->allocator_charts_box, GTK_WIDGET (charts[c]));
    }
  for (guint i = 0; i < allocators->types->len; i++)
    g_strv_builder_add (types, ((BeamAllocator *) g_ptr_array_index (allocators->types, i))->type);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (legend), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (legend), 10);
  for (guint s = 0; s < beam_chart_get_n_series (charts[0]); s++)
    {
      GtkWidget *entry = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GdkRGBA color;

      beam_chart_get_series_color (charts[0], s, &color);
      gtk_box_append (GTK_BOX (entry), beam_palette_swatch_new (&color));
      gtk_box_append (GTK_BOX (entry), gtk_label_new (beam_chart_get_series_label (charts[0], s)));
      gtk_flow_box_append (GTK_FLOW_BOX (legend), entry);
    }
  gtk_box_append (self->allocator_charts_box, legend);

  g_strfreev (self->chart_types);
  self->chart_types = g_strv_builder_end (types);
  g_strv_builder_unref (types);
  self->carrier_chart = charts[0];
  self->utilization_chart = charts[1];
}

/* One point on the allocator charts: carriers' size, and blocks against
 * carriers (0 for a type without carriers). */
static void
chart_allocators (BeamMemoryPage       *self,
                  const BeamAllocators *allocators)
{
  guint n = allocators->types->len + 1;
  g_autofree double *sizes = g_new (double, n);
  g_autofree double *usage = g_new (double, n);
  gint64 now = g_get_monotonic_time ();
  gboolean same = self->chart_types != NULL && g_strv_length (self->chart_types) == n - 1;

  for (guint i = 0; same && i + 1 < n; i++)
    same = g_str_equal (self->chart_types[i],
                        ((BeamAllocator *) g_ptr_array_index (allocators->types, i))->type);
  if (!same)
    build_allocator_charts (self, allocators);

  sizes[0] = allocators->allocated;
  usage[0] = allocators->allocated > 0 ? (double) allocators->used / allocators->allocated : 0;
  for (guint i = 1; i < n; i++)
    {
      const BeamAllocator *allocator = g_ptr_array_index (allocators->types, i - 1);

      sizes[i] = allocator->allocated;
      usage[i] = allocator->allocated > 0 ? (double) allocator->used / allocator->allocated : 0;
    }
  beam_chart_push (self->carrier_chart, now, sizes);
  beam_chart_push (self->utilization_chart, now, usage);
}

static void
show_allocators (BeamMemoryPage       *self,
                 const BeamAllocators *allocators)
{
  static const char *headings[] = {
    N_("Allocator"), N_("Allocated"), N_("Max allocated"), N_("Used"), N_("Usage"), "",
    N_("Multiblock"), N_("Singleblock"), N_("Multiblock usage"), N_("Instances"),
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
      g_autofree char *instances = beam_format_count (allocator->instances);

      cell (grid, 0, row, allocator->type, FALSE);
      size_cell (grid, 1, row, allocator->allocated);
      size_cell (grid, 2, row, allocator->carriers_max);
      size_cell (grid, 3, row, allocator->used);
      percent_cell (grid, 4, row, allocator->used, allocator->allocated);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar),
                               allocator->allocated > 0
                               ? (double) allocator->used / allocator->allocated
                               : 0);
      /* High usage is good here: no "low/high" offsets colouring it as a warning. */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_widget_set_size_request (bar, 80, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      {
        /* Translators: the accessible name of an allocator's usage bar, %s its type */
        g_autofree char *name = g_strdup_printf (_("%s usage"), allocator->type);
        g_autofree char *percent = g_strdup_printf ("%.1f %%", allocator->allocated > 0
                                                   ? 100.0 * allocator->used / allocator->allocated
                                                   : 0.0);

        gtk_accessible_update_property (GTK_ACCESSIBLE (bar),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                        GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                        GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 1.0,
                                        GTK_ACCESSIBLE_PROPERTY_VALUE_NOW,
                                        gtk_level_bar_get_value (GTK_LEVEL_BAR (bar)),
                                        GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, percent, -1);
      }
      gtk_grid_attach (grid, bar, 5, row, 1, 1);
      size_cell (grid, 6, row, allocator->mbcs_carriers_size);
      size_cell (grid, 7, row, allocator->sbcs_carriers_size);
      percent_cell (grid, 8, row, allocator->mbcs_blocks_size, allocator->mbcs_carriers_size);
      cell (grid, 9, row, instances, TRUE);
    }

  gtk_widget_add_css_class (cell (grid, 0, row, _("total"), FALSE), "heading");
  size_cell (grid, 1, row, allocators->allocated);
  size_cell (grid, 2, row, allocators->carriers_max);
  size_cell (grid, 3, row, allocators->used);
  percent_cell (grid, 4, row, allocators->used, allocators->allocated);

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
  chart_allocators (self, allocators);
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

/* "Taken 12:03:05": when a playbook list was answered. */
static void
set_taken (AdwPreferencesGroup *group)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = g_date_time_format (now, "%X");
  g_autofree char *text = g_strdup_printf (_("Taken %s"), clock);
  /* The description is markup; the locale's clock is ours, but still. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_preferences_group_set_description (group, escaped);
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
  set_taken (self->ets_group);
  clear_grid (self->ets_grid);
  cell (self->ets_grid, 0, 0, _("Table"), FALSE);
  cell (self->ets_grid, 1, 0, _("Owner"), FALSE);
  cell (self->ets_grid, 2, 0, _("Objects"), TRUE);
  cell (self->ets_grid, 3, 0, _("Memory"), TRUE);
  for (guint i = 0; i < tables->len; i++)
    {
      const BeamEtsTableMemory *table = g_ptr_array_index (tables, i);
      g_autofree char *objects = beam_format_count (table->objects);

      gtk_label_set_ellipsize (GTK_LABEL (cell (self->ets_grid, 0, i + 1, table->table, FALSE)),
                               PANGO_ELLIPSIZE_END);
      pid_cell (self->ets_grid, 1, i + 1, table->owner, table->owner_name);
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
  set_taken (self->heap_group);
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

      pid_cell (self->heap_grid, 0, i + 1, heap->pid, NULL);
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
      g_autofree char *before = beam_format_bytes (collection->before);
      g_autofree char *after = beam_format_bytes (collection->after);
      g_autofree char *freed = beam_format_bytes (MAX (collection->before - collection->after, 0));
      g_autofree char *processes = beam_format_count (collection->processes);

      text = g_strdup_printf (g_dngettext (NULL,
                                           "Binary memory %s before, %s after: %s freed by "
                                           "collecting %s process",
                                           "Binary memory %s before, %s after: %s freed by "
                                           "collecting %s processes",
                                           (gulong) collection->processes),
                              before, after, freed, processes);
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
    {
      g_string_append_printf (out, "%s\n",
                              adw_preferences_group_get_description (self->ets_group));
      append_texts (GTK_WIDGET (self->ets_grid), out);
    }
  else if (g_str_equal (section, "heaps"))
    {
      g_string_append_printf (out, "%s\n",
                              adw_preferences_group_get_description (self->heap_group));
      append_texts (GTK_WIDGET (self->heap_grid), out);
    }
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
  /* Another node's allocators: a history of its own. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->allocator_charts_box))) != NULL)
      gtk_box_remove (self->allocator_charts_box, child);
    self->carrier_chart = self->utilization_chart = NULL;
    g_clear_pointer (&self->chart_types, g_strfreev);
  }
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
  g_clear_pointer (&self->chart_types, g_strfreev);

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
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, allocator_charts_box);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, ets_group);
  gtk_widget_class_bind_template_child (widget_class, BeamMemoryPage, heap_group);
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

BeamChart *
beam_memory_page_get_allocator_chart (BeamMemoryPage *self,
                                      gboolean        utilization)
{
  g_return_val_if_fail (BEAM_IS_MEMORY_PAGE (self), NULL);
  return utilization ? self->utilization_chart : self->carrier_chart;
}
