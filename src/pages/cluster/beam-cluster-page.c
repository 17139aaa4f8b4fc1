/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Cluster page (issue 17): every node of the node's cluster at once,
 * live, with the outlier and the partition named in one line at the top.
 *
 * A view of the node's BeamClusterModel (beam_node_get_cluster), as the Load
 * page is of its load history: the page asks nothing itself. The model is
 * made on the page's first showing and started then, so a node whose
 * Cluster page was never opened is never crawled; it lives with the node,
 * so its history survives page switches.
 *
 * Nodes: one column view over the model's list, filtered to the nodes in
 * the cluster, and a smaller one below for those only EPMD lists (GTK 4.8
 * has no list sections). The model updates its rows in place; each cell
 * follows its row's notify::sample, ::state and ::outliers, is queued once
 * however many came, and is updated on a later main-loop turn, a band of
 * rows a frame (all 50 answers of a tick come in one turn: their cells
 * together would make one long frame); it sets only what changed, so a tick
 * costs a label or two per row, and a sparkline redraws only when its points
 * changed. A column's sorter compares the rows' values; the list is sorted
 * again after a tick that moved it while a column leads. A number column
 * sorts biggest first on its first click, as on the Processes page.
 *
 * Connectivity: the matrix, then the anomalies (partitions, missing and
 * one-way links, nodes that left) and the hidden nodes, rebuilt on the
 * model's "links-changed", which is rare. */

#define G_LOG_DOMAIN "beamscope-cluster"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "beam-cluster-page-private.h"
#include "beam-number-format.h"
#include "beam-sparkline.h"

#define NO_COLUMN -1
/* The most a turn spends updating cells: the rest wait for a later turn, so
 * 50 rows answering at once never hold a frame back. (A count of cells a
 * frame, taken anywhere in the list, was measured no better: a frame's
 * paint covers the extents of what changed, so cells spread over the list
 * cost a whole frame; hence the bands below.) */
#define CELL_UPDATE_BUDGET_US 4000
/* A band of about six rows a frame, and how long it waits for that frame
 * before the next band comes anyway. */
#define BAND_HEIGHT_PX        130
#define BAND_WAIT_MS          50
/* Outliers the summary names before "and 2 more". */
#define SUMMARY_OUTLIERS 3
/* The names of a partition's part the summary gives before "and 40 more". */
#define SUMMARY_MEMBERS 3

typedef enum
{
  CELL_NAME,
  CELL_STATE,
  CELL_OTP,
  CELL_VALUE,
} CellKind;

typedef struct
{
  const char *id;
  const char *title;
  CellKind    shows;
  int         column;      /* a BeamClusterColumn for CELL_VALUE */
  gboolean    sparkline;
  const char *summary;     /* how the summary line names an outlier of it */
} ColumnSpec;

static const ColumnSpec column_specs[] = {
  { "node", N_("Node"), CELL_NAME, NO_COLUMN, FALSE, NULL },
  { "state", N_("State"), CELL_STATE, NO_COLUMN, FALSE, NULL },
  { "otp", N_("OTP"), CELL_OTP, NO_COLUMN, FALSE, NULL },
  { "uptime", N_("Up Time"), CELL_VALUE, BEAM_CLUSTER_COLUMN_UPTIME, FALSE, N_("up time") },
  { "processes", N_("Processes"), CELL_VALUE, BEAM_CLUSTER_COLUMN_PROCESSES, FALSE,
    N_("processes") },
  { "memory", N_("Memory"), CELL_VALUE, BEAM_CLUSTER_COLUMN_MEMORY, FALSE, N_("memory") },
  { "binary", N_("Binary"), CELL_VALUE, BEAM_CLUSTER_COLUMN_BINARY, FALSE, N_("binary") },
  { "ets", N_("ETS"), CELL_VALUE, BEAM_CLUSTER_COLUMN_ETS, FALSE, N_("ETS") },
  { "usage", N_("Schedulers"), CELL_VALUE, BEAM_CLUSTER_COLUMN_USAGE, TRUE,
    N_("schedulers") },
  { "run-queue", N_("Run Queue"), CELL_VALUE, BEAM_CLUSTER_COLUMN_RUN_QUEUE, TRUE,
    N_("run queue") },
  { "max-queue", N_("Longest Queue"), CELL_VALUE, BEAM_CLUSTER_COLUMN_MAX_QUEUE, FALSE,
    N_("message queue") },
  { "atoms", N_("Atoms"), CELL_VALUE, BEAM_CLUSTER_COLUMN_ATOMS, FALSE, N_("atoms") },
};

/* A cell's style, kept to set its classes only when it changes. */
enum {
  STYLE_DOWN          = 1 << 0,
  STYLE_NOT_ANSWERING = 1 << 1,
  STYLE_OUTLIER       = 1 << 2,
  STYLE_SET           = 1 << 3,
};

struct _BeamClusterPage
{
  BeamPage            parent_instance;

  GtkLabel           *summary_label;
  GtkToggleButton    *pause_button;
  AdwViewStack       *views;
  gboolean            connectivity_dirty;  /* changed while not shown */
  GtkColumnView      *nodes_view;
  GtkColumnView      *others_view;
  GtkWidget          *others_box;
  BeamClusterMatrix  *matrix;
  GtkPopoverMenu     *context_menu;
  GtkListBox         *anomalies_list;
  GtkListBox         *hidden_list;

  GSettings          *settings;
  BeamClusterModel   *model;
  GBinding           *paused_binding;
  gboolean            started;
  guint               updates;
  gint64              sampled_us;    /* spent in on_model_sampled, for the benchmark */
  /* Cells whose row changed, updated a budget a turn (drain_cells); a row's
   * notify::sample, ::state and ::outliers of one answer come to one update. */
  GHashTable         *pending_cells;
  guint               drain_source;
  GdkFrameClock      *painted_clock;    /* weak; with painted_handler while a band waits */
  gulong              painted_handler;

  GtkFilterListModel *in_cluster;
  GtkFilterListModel *not_in_cluster;
  GtkCustomFilter    *in_cluster_filter;
  GtkCustomFilter    *not_in_cluster_filter;
  GString            *membership;    /* '1'/'0' per node at the last tick: refilter on change */

  /* Sorting: which column leads, found by asking the view's sorter. */
  gboolean            probing;
  const ColumnSpec   *asked;
  const ColumnSpec   *primary;
  GtkSorter          *primary_sorter;
  gboolean            sorting;
  gboolean            resorting;
};

G_DEFINE_FINAL_TYPE (BeamClusterPage, beam_cluster_page, BEAM_TYPE_PAGE)

/* What the cells did, over every page, for the tests' cost figures. */
static struct
{
  guint cell_updates;
  guint cell_binds;
} counters;

/* ---- figures as words ---------------------------------------------------------------- */

static char *
format_duration_ms (gint64 ms)
{
  gint64 s = ms / 1000;

  if (ms < 0)
    return g_strdup ("—");
  if (s >= 86400)
    /* Translators: an up time of days and hours: "3 d 04 h" */
    return g_strdup_printf (_("%d d %02d h"), (int) (s / 86400), (int) (s / 3600 % 24));
  return g_strdup_printf ("%02d:%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
}

/* A span of time, for how long an anomaly lasted: "40 s", "3 min", "2 h 05 min". */
static char *
format_span_us (gint64 us)
{
  gint64 s = MAX (us, 0) / G_USEC_PER_SEC;

  if (s < 60)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%d s"), (int) s);
  if (s < 3600)
    /* Translators: a duration in minutes */
    return g_strdup_printf (_("%d min"), (int) (s / 60));
  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (_("%d h %02d min"), (int) (s / 3600), (int) (s / 60 % 60));
}

static char *
format_clock (gint64 real_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (real_us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%H:%M:%S") : g_strdup ("—");
}

static const char *
state_text (BeamClusterNodeState state)
{
  switch (state)
    {
    case BEAM_CLUSTER_NODE_CONNECTED: return _("Connected");
    case BEAM_CLUSTER_NODE_NOT_ANSWERING: return _("Not answering");
    case BEAM_CLUSTER_NODE_DOWN:
    default: return _("Down");
    }
}

/* A column's figure alone, as its cell shows it. */
static char *
format_value (BeamClusterNode  *node,
              BeamClusterColumn column)
{
  const BeamClusterSample *sample = beam_cluster_node_get_sample (node);
  double value = beam_cluster_node_get_value (node, column);

  if (sample == NULL)
    return g_strdup ("—");
  switch (column)
    {
    case BEAM_CLUSTER_COLUMN_UPTIME:
      return format_duration_ms (sample->uptime_ms);
    case BEAM_CLUSTER_COLUMN_PROCESSES:
      {
        g_autofree char *count = beam_format_count (sample->process_count);
        g_autofree char *limit = beam_format_count (sample->process_limit);

        return g_strdup_printf ("%s / %s", count, limit);
      }
    case BEAM_CLUSTER_COLUMN_MEMORY:
      return beam_format_bytes (sample->memory_total);
    case BEAM_CLUSTER_COLUMN_BINARY:
      return beam_format_bytes (sample->memory_binary);
    case BEAM_CLUSTER_COLUMN_ETS:
      return beam_format_bytes (sample->memory_ets);
    case BEAM_CLUSTER_COLUMN_USAGE:
      if (isnan (value) || value < 0)
        return g_strdup ("—");
      return g_strdup_printf ("%.0f %%", value * 100);
    case BEAM_CLUSTER_COLUMN_RUN_QUEUE:
      return beam_format_count (sample->run_queue);
    case BEAM_CLUSTER_COLUMN_MAX_QUEUE:
      {
        g_autofree char *length = NULL;
        const char *who;

        if (isnan (value) || value < 0)
          return g_strdup ("—");
        length = beam_format_count ((gint64) value);
        who = sample->max_queue_name != NULL ? sample->max_queue_name : sample->max_queue_pid;
        if (who == NULL || value == 0)
          return g_steal_pointer (&length);
        return g_strdup_printf ("%s · %s", length, who);
      }
    case BEAM_CLUSTER_COLUMN_ATOMS:
      {
        g_autofree char *count = beam_format_count (sample->atom_count);
        g_autofree char *limit = beam_format_count (sample->atom_limit);

        return g_strdup_printf ("%s / %s", count, limit);
      }
    case BEAM_CLUSTER_N_COLUMNS:
    default:
      g_return_val_if_reached (g_strdup ("—"));
    }
}

/* How far from the median, as the outlier's tooltip and the summary say it. */
static char *
format_outlier (BeamClusterNode  *node,
                BeamClusterColumn column)
{
  double factor = beam_cluster_node_get_outlier_factor (node, column);

  if (isnan (factor))
    return NULL;
  /* A figure over a median of 0 (most nodes' queue is empty) is no
   * multiple of it, nor an up time of 0 a fraction. */
  if (isinf (factor))
    return g_strdup (column == BEAM_CLUSTER_COLUMN_UPTIME
                     /* Translators: an up time of 0 against the cluster's median */
                     ? _("restarted moments ago")
                     /* Translators: a figure far above a cluster's median of 0 */
                     : _("over a median of 0"));
  if (column == BEAM_CLUSTER_COLUMN_USAGE)
    /* Translators: scheduler utilisation far above the cluster's median */
    return g_strdup_printf (_("%.0f points over the median"), factor);
  if (column == BEAM_CLUSTER_COLUMN_UPTIME)
    /* Translators: an up time far below the cluster's median: a recent restart */
    return g_strdup_printf (_("restarted: %.1f × shorter than the median"), factor);
  /* Translators: a figure far above the cluster's median: "3.4 × the median" */
  return g_strdup_printf (_("%.1f × the median"), factor);
}

static const ColumnSpec *
spec_of_column (BeamClusterColumn column)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_specs); i++)
    if (column_specs[i].shows == CELL_VALUE && column_specs[i].column == (int) column)
      return &column_specs[i];
  return NULL;
}

/* ---- cells --------------------------------------------------------------------------- */

static char *
cell_text (const ColumnSpec *spec,
           BeamClusterNode  *node)
{
  const BeamClusterSample *sample = beam_cluster_node_get_sample (node);

  switch (spec->shows)
    {
    case CELL_NAME:
      return g_strdup (beam_cluster_node_get_name (node));
    case CELL_STATE:
      return g_strdup (state_text (beam_cluster_node_get_state (node)));
    case CELL_OTP:
      return g_strdup (sample != NULL && sample->otp_release != NULL ? sample->otp_release : "—");
    case CELL_VALUE:
    default:
      return format_value (node, spec->column);
    }
}

/* ---- column widths ------------------------------------------------------------------- */

/* A column's width is fixed and only grows: to its title's and then to the
 * widest figure it showed. A width that follows its cells would change at
 * any tick ("Connected" to "Not answering", 9.9 to 10.0 MiB), and every row
 * of the list is then measured and laid out again in one frame: 30-60 ms
 * at 50 rows when nodes stop. A column the user resized keeps its width. */

/* The natural width of `column`'s title in `view`'s header: the header is
 * the view's first child and holds a title per column, in their order. */
static int
title_width (GtkColumnView       *view,
             GtkColumnViewColumn *column)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (view));
  GtkWidget *title = header != NULL ? gtk_widget_get_first_child (header) : NULL;
  int natural = 0;

  for (guint i = 0; i < g_list_model_get_n_items (columns) && title != NULL; i++)
    {
      g_autoptr(GtkColumnViewColumn) at = g_list_model_get_item (columns, i);

      if (at == column)
        {
          gtk_widget_measure (title, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
          break;
        }
      title = gtk_widget_get_next_sibling (title);
    }
  return natural;
}

static void
on_column_width_set (GtkColumnViewColumn *column)
{
  if (!GPOINTER_TO_INT (g_object_get_data (G_OBJECT (column), "beam-fitting")))
    g_object_set_data (G_OBJECT (column), "beam-user-width", GINT_TO_POINTER (TRUE));
}

/* What a column is made wide enough for from the start: a figure near the
 * widest it shows (as the cell formats it, in the user's locale), so that
 * it seldom has to grow. NULL: as wide as its first cells. */
static char *
column_template (const ColumnSpec *spec)
{
  g_autofree char *count = beam_format_count (1048576);
  g_autofree char *days = NULL;
  g_autofree char *hours = NULL;

  if (spec->shows == CELL_STATE)
    /* The longest state and a reason beside it. */
    return g_strdup_printf ("%s      %s", state_text (BEAM_CLUSTER_NODE_NOT_ANSWERING),
                            _("connection lost"));
  if (spec->shows != CELL_VALUE)
    return NULL;
  switch (spec->column)
    {
    case BEAM_CLUSTER_COLUMN_UPTIME:
      days = format_duration_ms ((gint64) 999 * 86400 * 1000);
      hours = format_duration_ms (((gint64) 23 * 3600 + 59 * 60 + 59) * 1000);
      return g_strdup (strlen (days) > strlen (hours) ? days : hours);
    case BEAM_CLUSTER_COLUMN_PROCESSES:
    case BEAM_CLUSTER_COLUMN_ATOMS:
      return g_strdup_printf ("%s / %s", count, count);
    case BEAM_CLUSTER_COLUMN_MEMORY:
    case BEAM_CLUSTER_COLUMN_BINARY:
    case BEAM_CLUSTER_COLUMN_ETS:
      return beam_format_bytes ((gint64) 999 * 1024 * 1024 * 1024 + 900 * 1024 * 1024);
    case BEAM_CLUSTER_COLUMN_USAGE:
      return g_strdup ("100 %");
    case BEAM_CLUSTER_COLUMN_RUN_QUEUE:
      return beam_format_count (99999);
    case BEAM_CLUSTER_COLUMN_MAX_QUEUE:
      return g_strdup_printf ("%s · <0.12345.0>", count);
    case BEAM_CLUSTER_N_COLUMNS:
    default:
      return NULL;
    }
}

/* The template's width in `cell`: its text in the cell's label's font, and
 * what else the cell holds beside the label (a sparkline). */
static int
template_width (GtkWidget        *cell,
                const ColumnSpec *spec)
{
  g_autofree char *text = column_template (spec);
  GtkWidget *label = gtk_widget_get_first_child (cell);
  g_autoptr(PangoLayout) layout = NULL;
  int width = 0, sparkline = 0;

  if (text == NULL)
    return 0;
  layout = gtk_widget_create_pango_layout (label, text);
  pango_layout_get_pixel_size (layout, &width, NULL);
  if (spec->sparkline)
    {
      gtk_widget_measure (gtk_widget_get_last_child (cell), GTK_ORIENTATION_HORIZONTAL, -1,
                          NULL, &sparkline, NULL, NULL);
      width += gtk_box_get_spacing (GTK_BOX (cell)) + sparkline;
    }
  return width;
}

/* Widens `cell`'s column if its figure no longer fits, by 8 px steps. */
static void
fit_column (GtkWidget *cell)
{
  GtkColumnViewColumn *column = g_object_get_data (G_OBJECT (cell), "beam-column");
  const ColumnSpec *spec = g_object_get_data (G_OBJECT (cell), "beam-spec");
  GtkWidget *slot = gtk_widget_get_parent (cell);  /* the view's cell, with its padding */
  GtkColumnView *view;
  int natural, inner, width;

  if (column == NULL || slot == NULL ||
      g_object_get_data (G_OBJECT (column), "beam-user-width") != NULL)
    return;
  width = gtk_column_view_column_get_fixed_width (column);
  /* A reason longer than the template's is cut (its tooltip has it whole). */
  if (width >= 0 && spec->shows == CELL_STATE)
    return;
  gtk_widget_measure (slot, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  if (width < 0)
    {
      gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &inner, NULL, NULL);
      natural = MAX (natural, natural - inner + template_width (cell, spec));
      view = gtk_column_view_column_get_column_view (column);
      if (view != NULL)
        natural = MAX (natural, title_width (view, column));
    }
  if (natural <= width)
    return;
  g_object_set_data (G_OBJECT (column), "beam-fitting", GINT_TO_POINTER (TRUE));
  gtk_column_view_column_set_fixed_width (column, (natural + 7) / 8 * 8);
  g_object_set_data (G_OBJECT (column), "beam-fitting", NULL);
}

static void
update_cell (GtkWidget *cell)
{
  BeamClusterNode *node = g_object_get_data (G_OBJECT (cell), "beam-node");
  const ColumnSpec *spec = g_object_get_data (G_OBJECT (cell), "beam-spec");
  GtkLabel *label = GTK_LABEL (gtk_widget_get_first_child (cell));
  g_autofree char *text = NULL;
  guint style = STYLE_SET, was;

  if (node == NULL)
    return;
  counters.cell_updates++;
  text = cell_text (spec, node);
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
  if (spec->shows == CELL_STATE)
    {
      /* Why, beside the state: "cookie rejected", "Connecting…". */
      GtkLabel *reason = GTK_LABEL (gtk_widget_get_last_child (cell));
      const char *why = beam_cluster_node_get_reason (node);

      if (g_strcmp0 (gtk_label_get_label (reason), why != NULL ? why : "") != 0)
        gtk_label_set_label (reason, why != NULL ? why : "");
      gtk_widget_set_visible (GTK_WIDGET (reason), why != NULL);
    }
  if (spec->sparkline)
    beam_sparkline_set_values (BEAM_SPARKLINE (gtk_widget_get_last_child (cell)),
                               beam_cluster_node_dup_trend (node, spec->column));
  fit_column (cell);

  switch (beam_cluster_node_get_state (node))
    {
    case BEAM_CLUSTER_NODE_DOWN: style |= STYLE_DOWN; break;
    case BEAM_CLUSTER_NODE_NOT_ANSWERING: style |= STYLE_NOT_ANSWERING; break;
    case BEAM_CLUSTER_NODE_CONNECTED:
    default: break;
    }
  if (spec->shows == CELL_VALUE && (beam_cluster_node_get_outliers (node) & (1u << spec->column)))
    style |= STYLE_OUTLIER;
  was = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "beam-style"));
  if (style == was)
    return;
  g_object_set_data (G_OBJECT (cell), "beam-style", GUINT_TO_POINTER (style));
  /* On the cell: its label and sparkline take the colours and the dimming
   * from it. */
  if (style & STYLE_DOWN)
    gtk_widget_add_css_class (cell, "dim-label");
  else
    gtk_widget_remove_css_class (cell, "dim-label");
  if (style & STYLE_NOT_ANSWERING)
    gtk_widget_add_css_class (cell, "beam-not-answering");
  else
    gtk_widget_remove_css_class (cell, "beam-not-answering");
  if (style & STYLE_OUTLIER)
    gtk_widget_add_css_class (cell, "warning");
  else
    gtk_widget_remove_css_class (cell, "warning");
}

/* A cell's top on the page, or -1 if it is not on screen. */
static double
cell_top (BeamClusterPage *self,
          GtkWidget       *cell)
{
  graphene_point_t at;

  if (!gtk_widget_get_mapped (cell) ||
      !gtk_widget_compute_point (cell, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (0, 0), &at))
    return -1;
  return at.y;
}

static gboolean drain_cells (gpointer user_data);

/* The frame that shows a band is painted: the next band. */
static void
on_band_painted (GdkFrameClock   *clock,
                 BeamClusterPage *self)
{
  g_clear_signal_handler (&self->painted_handler, clock);
  g_clear_weak_pointer (&self->painted_clock);
  if (self->drain_source == 0)
    return;
  g_source_remove (self->drain_source);
  self->drain_source = g_idle_add (drain_cells, self);
  g_source_set_name_by_id (self->drain_source, "[beamscope] cluster cells");
}

/* A turn's cells: every waiting one off screen, and on screen those in the
 * band of rows from the highest waiting; the next band after the frame that
 * shows this one. GSK 4.8's cairo renderer skips what lies outside the
 * extents of what changed: a band of rows is a small frame, while a frame
 * of every row's new uptime and trends takes 13-16 ms to paint on this
 * machine's 1400 x 1000 Xvfb (tests/benchmarks/bench-cluster.c). */
static gboolean
drain_cells (gpointer user_data)
{
  BeamClusterPage *self = user_data;
  gint64 until = g_get_monotonic_time () + CELL_UPDATE_BUDGET_US;
  g_autoptr(GPtrArray) band = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) tops = g_array_sized_new (FALSE, FALSE, sizeof (double),
                                              g_hash_table_size (self->pending_cells));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  double band_top = G_MAXDOUBLE;
  gboolean on_screen = FALSE;
  GHashTableIter iter;
  gpointer cell;
  guint at = 0;

  self->drain_source = 0;
  /* Each cell's place once; the table is not changed between the passes,
   * so the second meets the cells in the same order. */
  g_hash_table_iter_init (&iter, self->pending_cells);
  while (g_hash_table_iter_next (&iter, &cell, NULL))
    {
      double top = cell_top (self, cell);

      g_array_append_val (tops, top);
      if (top >= 0)
        band_top = MIN (band_top, top);
    }
  g_hash_table_iter_init (&iter, self->pending_cells);
  while (g_hash_table_iter_next (&iter, &cell, NULL))
    {
      double top = g_array_index (tops, double, at++);

      if (top < 0 || top < band_top + BAND_HEIGHT_PX)
        {
          on_screen |= top >= 0;
          g_ptr_array_add (band, g_object_ref (cell));
          g_hash_table_iter_remove (&iter);
        }
    }
  for (guint i = 0; i < band->len; i++)
    {
      if (g_get_monotonic_time () >= until)
        {
          /* Over budget: the rest on a later turn. */
          g_hash_table_add (self->pending_cells, g_object_ref (band->pdata[i]));
          continue;
        }
      update_cell (band->pdata[i]);
    }
  if (g_hash_table_size (self->pending_cells) == 0)
    return G_SOURCE_REMOVE;
  if (on_screen && clock != NULL)
    {
      /* After its frame, or soon if nothing in it changed to be drawn. */
      self->drain_source = g_timeout_add (BAND_WAIT_MS, drain_cells, self);
      if (self->painted_clock != clock)
        {
          /* Realized again since: the old clock's handler goes with it. */
          if (self->painted_clock != NULL)
            g_clear_signal_handler (&self->painted_handler, self->painted_clock);
          self->painted_handler = 0;
          g_clear_weak_pointer (&self->painted_clock);
        }
      if (self->painted_handler == 0)
        {
          self->painted_handler = g_signal_connect (clock, "after-paint",
                                                    G_CALLBACK (on_band_painted), self);
          g_set_weak_pointer (&self->painted_clock, clock);
        }
    }
  else
    self->drain_source = g_idle_add (drain_cells, self);
  g_source_set_name_by_id (self->drain_source, "[beamscope] cluster cells");
  return G_SOURCE_REMOVE;
}

/* A cell's row changed: updated on a later turn, once however many of its
 * properties changed. */
static void
queue_cell (GtkWidget *cell)
{
  BeamClusterPage *self = g_object_get_data (G_OBJECT (cell), "beam-page");

  if (self == NULL || self->pending_cells == NULL)
    {
      update_cell (cell);
      return;
    }
  if (!g_hash_table_add (self->pending_cells, g_object_ref (cell)))
    return;
  if (self->drain_source == 0)
    {
      self->drain_source = g_idle_add (drain_cells, self);
      g_source_set_name_by_id (self->drain_source, "[beamscope] cluster cells");
    }
}

static void
forget_cell (GtkWidget *cell)
{
  BeamClusterPage *self = g_object_get_data (G_OBJECT (cell), "beam-page");

  if (self != NULL && self->pending_cells != NULL)
    g_hash_table_remove (self->pending_cells, cell);
}

/* Asked when shown, not set at each tick: most cells have nothing to say. */
static gboolean
on_cell_query_tooltip (GtkWidget  *cell,
                       int         x G_GNUC_UNUSED,
                       int         y G_GNUC_UNUSED,
                       gboolean    keyboard G_GNUC_UNUSED,
                       GtkTooltip *tooltip)
{
  BeamClusterNode *node = g_object_get_data (G_OBJECT (cell), "beam-node");
  const ColumnSpec *spec = g_object_get_data (G_OBJECT (cell), "beam-spec");
  const BeamClusterSample *sample;
  g_autofree char *text = NULL;

  if (node == NULL)
    return FALSE;
  sample = beam_cluster_node_get_sample (node);
  switch (spec->shows)
    {
    case CELL_STATE:
      if (beam_cluster_node_get_reason (node) == NULL)
        return FALSE;
      text = g_strdup (beam_cluster_node_get_reason (node));
      break;
    case CELL_NAME:
      text = g_strdup_printf ("%s\n%s", beam_cluster_node_get_name (node),
                              _("Double-click or Enter: open in a new window"));
      break;
    case CELL_VALUE:
      {
        g_autofree char *outlier = format_outlier (node, spec->column);
        g_autofree char *value = format_value (node, spec->column);

        if (outlier != NULL)
          text = g_strdup_printf ("%s, %s", outlier, value);
        else if (spec->column == BEAM_CLUSTER_COLUMN_MAX_QUEUE && sample != NULL &&
                 sample->max_queue_pid != NULL)
          /* Translators: the process with the longest message queue on a node */
          text = g_strdup_printf (_("%s, process %s"), value, sample->max_queue_pid);
        else
          return FALSE;
        break;
      }
    case CELL_OTP:
    default:
      return FALSE;
    }
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* A right click on a row: what can be done with its node. */
static void
on_cell_secondary_pressed (GtkGestureClick *gesture,
                           int              n_press G_GNUC_UNUSED,
                           double           x,
                           double           y,
                           gpointer         user_data G_GNUC_UNUSED)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  BeamClusterNode *node = g_object_get_data (G_OBJECT (cell), "beam-node");
  GtkWidget *page = gtk_widget_get_ancestor (cell, BEAM_TYPE_CLUSTER_PAGE);
  BeamClusterPage *self;
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) open = NULL;
  const BeamClusterSample *sample;
  graphene_point_t at;

  if (node == NULL || page == NULL)
    return;
  self = BEAM_CLUSTER_PAGE (page);
  menu = g_menu_new ();
  open = g_menu_item_new (_("_Open in New Window"), NULL);
  g_menu_item_set_action_and_target (open, "win.open-node", "s",
                                     beam_cluster_node_get_name (node));
  g_menu_append_item (menu, open);
  sample = beam_cluster_node_get_sample (node);
  if (sample != NULL && sample->max_queue_pid != NULL && sample->max_queue > 0)
    {
      const char *who = sample->max_queue_name != NULL ? sample->max_queue_name
                                                       : sample->max_queue_pid;
      g_auto(GStrv) parts = g_strsplit (who, "_", -1);
      g_autofree char *shown = g_strjoinv ("__", parts);  /* no mnemonic of its own */
      /* Translators: opens the window of the process with the node's longest
       * message queue; %s is its pid or registered name */
      g_autofree char *label = g_strdup_printf (_("Open _Process %s"), shown);
      g_autoptr(GMenuItem) process = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (process, "win.open-node-process", "(ss)",
                                         beam_cluster_node_get_name (node),
                                         sample->max_queue_pid);
      g_menu_append_item (menu, process);
    }
  gtk_popover_menu_set_menu_model (self->context_menu, G_MENU_MODEL (menu));
  if (!gtk_widget_compute_point (cell, page, &GRAPHENE_POINT_INIT (x, y), &at))
    at = GRAPHENE_POINT_INIT (0, 0);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) at.x, (int) at.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            const ColumnSpec         *spec)
{
  GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);

  /* Figures whole (the list scrolls sideways in a narrow window); a long
   * name shortened in its middle, where host names differ least. */
  if (spec->shows == CELL_NAME)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_width_chars (GTK_LABEL (label), 16);
    }
  gtk_widget_set_hexpand (label, TRUE);
  if (spec->shows == CELL_VALUE)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
    }
  else
    gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (cell), label);
  if (spec->shows == CELL_STATE)
    {
      GtkWidget *reason = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (reason), 0);
      gtk_label_set_ellipsize (GTK_LABEL (reason), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (reason), 28);
      /* Dimmed, not smaller: a font size of its own would be a font load
       * in the frame the first reason shows. */
      gtk_widget_add_css_class (reason, "dim-label");
      gtk_widget_set_visible (reason, FALSE);
      gtk_box_append (GTK_BOX (cell), reason);
    }
  if (spec->sparkline)
    {
      GtkWidget *sparkline = beam_sparkline_new ();

      gtk_widget_set_valign (sparkline, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (cell), sparkline);
    }
  g_object_set_data (G_OBJECT (cell), "beam-spec", (gpointer) spec);
  g_object_set_data (G_OBJECT (cell), "beam-page", g_object_get_data (G_OBJECT (factory),
                                                                     "beam-page"));
  g_object_set_data (G_OBJECT (cell), "beam-column", g_object_get_data (G_OBJECT (factory),
                                                                       "beam-column"));
  {
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (on_cell_secondary_pressed), NULL);
    gtk_widget_add_controller (cell, GTK_EVENT_CONTROLLER (click));
  }
  gtk_widget_set_has_tooltip (cell, TRUE);
  g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_cell_query_tooltip), NULL);
  gtk_list_item_set_child (item, cell);
}

static void
bind_cell (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
           GtkListItem              *item,
           const ColumnSpec         *spec)
{
  GtkWidget *cell = gtk_list_item_get_child (item);
  BeamClusterNode *node = gtk_list_item_get_item (item);

  counters.cell_binds++;
  g_object_set_data (G_OBJECT (cell), "beam-node", node);
  g_signal_connect_object (node, "notify::sample", G_CALLBACK (queue_cell), cell,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (node, "notify::state", G_CALLBACK (queue_cell), cell,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (node, "notify::outliers", G_CALLBACK (queue_cell), cell,
                           G_CONNECT_SWAPPED);
  if (spec->shows == CELL_STATE)
    g_signal_connect_object (node, "notify::reason", G_CALLBACK (queue_cell), cell,
                             G_CONNECT_SWAPPED);
  forget_cell (cell);
  update_cell (cell);
}

static void
unbind_cell (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
             GtkListItem              *item,
             const ColumnSpec         *spec G_GNUC_UNUSED)
{
  GtkWidget *cell = gtk_list_item_get_child (item);
  BeamClusterNode *node = gtk_list_item_get_item (item);

  if (node != NULL)
    g_signal_handlers_disconnect_by_data (node, cell);
  forget_cell (cell);
  g_object_set_data (G_OBJECT (cell), "beam-node", NULL);
}

/* ---- sorting ------------------------------------------------------------------------- */

typedef struct
{
  BeamClusterPage  *page;
  const ColumnSpec *spec;
} SortContext;

static int
compare_doubles (double a,
                 double b)
{
  /* Unknown sorts below every figure: last when biggest come first. */
  if (isnan (a))
    a = -INFINITY;
  if (isnan (b))
    b = -INFINITY;
  return (a > b) - (a < b);
}

static int
compare_nodes (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  SortContext *context = user_data;
  BeamClusterNode *node_a = (BeamClusterNode *) a, *node_b = (BeamClusterNode *) b;
  const BeamClusterSample *sample_a, *sample_b;
  int order = 0;

  if (context->page->probing)
    {
      /* Which column leads: the view's sorter asks it first (see on_sorter_changed). */
      context->page->asked = context->spec;
      return GTK_ORDERING_SMALLER;
    }
  switch (context->spec->shows)
    {
    case CELL_STATE:
      order = (int) beam_cluster_node_get_state (node_a) -
              (int) beam_cluster_node_get_state (node_b);
      break;
    case CELL_OTP:
      sample_a = beam_cluster_node_get_sample (node_a);
      sample_b = beam_cluster_node_get_sample (node_b);
      order = compare_doubles (sample_a != NULL && sample_a->otp_release != NULL
                               ? g_ascii_strtod (sample_a->otp_release, NULL) : NAN,
                               sample_b != NULL && sample_b->otp_release != NULL
                               ? g_ascii_strtod (sample_b->otp_release, NULL) : NAN);
      break;
    case CELL_VALUE:
      order = compare_doubles (beam_cluster_node_get_value (node_a, context->spec->column),
                               beam_cluster_node_get_value (node_b, context->spec->column));
      break;
    case CELL_NAME:
    default:
      break;
    }
  if (order == 0)
    order = g_strcmp0 (beam_cluster_node_get_name (node_a), beam_cluster_node_get_name (node_b));
  return order < 0 ? GTK_ORDERING_SMALLER : order > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static GtkColumnViewColumn *
find_column (GtkColumnView    *view,
             const ColumnSpec *spec)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_object_get_data (G_OBJECT (column), "beam-spec") == spec)
        return column;  /* the view holds it */
    }
  return NULL;
}

/* The view's sorter changed (a header clicked): find which column leads, by
 * asking it to compare two objects (each column's function answers only
 * "smaller" while probing, so only the leading one is asked); a number
 * column clicked first sorts biggest first. */
static void
on_sorter_changed (BeamClusterPage *self)
{
  GtkSorter *view_sorter = gtk_column_view_get_sorter (self->nodes_view);
  g_autoptr(GObject) probe1 = NULL;
  g_autoptr(GObject) probe2 = NULL;
  GtkOrdering ordering;
  const ColumnSpec *leading;
  GtkColumnViewColumn *column;

  if (self->resorting)
    return;
  probe1 = g_object_new (G_TYPE_OBJECT, NULL);
  probe2 = g_object_new (G_TYPE_OBJECT, NULL);
  self->probing = TRUE;
  self->asked = NULL;
  ordering = gtk_sorter_compare (view_sorter, probe1, probe2);
  self->probing = FALSE;
  leading = self->asked;
  column = leading != NULL ? find_column (self->nodes_view, leading) : NULL;

  if (leading != NULL && leading->shows == CELL_VALUE && ordering != GTK_ORDERING_LARGER &&
      !self->sorting && leading != self->primary)
    {
      self->primary = leading;
      self->sorting = TRUE;
      gtk_column_view_sort_by_column (self->nodes_view, column, GTK_SORT_DESCENDING);
      self->sorting = FALSE;
    }
  self->primary = leading;
  self->primary_sorter = column != NULL ? gtk_column_view_column_get_sorter (column) : NULL;
}

/* Whether the list shown is still in the view sorter's order: a sort
 * model told its order changed emits items-changed over the rows between
 * the first and last it moved, and the view rebinds every one of those
 * (12 cells each), so a tick that moved nothing must not say so. */
static gboolean
still_sorted (BeamClusterPage *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->nodes_view);
  GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (self->nodes_view));
  guint n = shown != NULL ? g_list_model_get_n_items (shown) : 0;
  g_autoptr(GObject) previous = n > 0 ? g_list_model_get_item (shown, 0) : NULL;

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (shown, i);

      if (gtk_sorter_compare (sorter, previous, item) == GTK_ORDERING_LARGER)
        return FALSE;
      g_set_object (&previous, item);
    }
  return TRUE;
}

/* After a tick: the figures moved, so the order may have. */
static void
resort (BeamClusterPage *self)
{
  if (self->primary_sorter == NULL || still_sorted (self))
    return;
  self->resorting = TRUE;
  gtk_sorter_changed (self->primary_sorter, GTK_SORTER_CHANGE_DIFFERENT);
  self->resorting = FALSE;
}

/* ---- the columns --------------------------------------------------------------------- */

static void
add_columns (BeamClusterPage *self,
             GtkColumnView   *view,
             gboolean         main_view)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_specs); i++)
    {
      const ColumnSpec *spec = &column_specs[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      SortContext *context = g_new0 (SortContext, 1);
      g_autoptr(GtkCustomSorter) sorter = NULL;
      g_autoptr(GtkColumnViewColumn) column = NULL;

      /* The page outlives its views' cells: they go with its template. */
      g_object_set_data (G_OBJECT (factory), "beam-page", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) spec);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) spec);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), (gpointer) spec);
      context->page = self;
      context->spec = spec;
      sorter = gtk_custom_sorter_new (compare_nodes, context, g_free);
      column = gtk_column_view_column_new (_(spec->title), factory);
      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      gtk_column_view_column_set_resizable (column, TRUE);
      if (spec->shows == CELL_NAME)
        gtk_column_view_column_set_expand (column, TRUE);
      g_object_set_data (G_OBJECT (column), "beam-spec", (gpointer) spec);
      /* Not a reference: the column holds the factory. */
      g_object_set_data (G_OBJECT (factory), "beam-column", column);
      g_signal_connect (column, "notify::fixed-width", G_CALLBACK (on_column_width_set), NULL);
      gtk_column_view_append_column (view, column);
    }
  if (main_view)
    g_signal_connect_object (gtk_column_view_get_sorter (view), "changed",
                             G_CALLBACK (on_sorter_changed), self, G_CONNECT_SWAPPED);
}

static gboolean
is_in_cluster (gpointer item,
               gpointer wanted)
{
  return !!beam_cluster_node_get_in_cluster (item) == !!GPOINTER_TO_INT (wanted);
}

static GtkFilterListModel *
filtered_view (GtkColumnView    *view,
               GtkCustomFilter **filter,
               gboolean          in_cluster)
{
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  GtkSingleSelection *selection;

  *filter = gtk_custom_filter_new (is_in_cluster, GINT_TO_POINTER (in_cluster), NULL);
  filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (*filter)));
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (filtered)),
                                    g_object_ref (gtk_column_view_get_sorter (view)));
  selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  return filtered;
}

/* ---- the summary line ---------------------------------------------------------------- */

static void
append_part (GString    *summary,
             const char *part)
{
  if (summary->len > 0)
    g_string_append (summary, " · ");
  g_string_append (summary, part);
}

static void
update_summary (BeamClusterPage *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autoptr(GPtrArray) partitions = NULL;
  GListModel *nodes;
  guint n, n_in = 0, n_others = 0, down, not_answering, not_joined, outliers = 0;
  GPtrArray *anomalies;
  g_autoptr(GString) left = g_string_new (NULL);

  if (self->model == NULL)
    {
      gtk_label_set_label (self->summary_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_label), NULL);
      return;
    }
  nodes = beam_cluster_model_get_nodes (self->model);
  n = g_list_model_get_n_items (nodes);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BeamClusterNode) node = g_list_model_get_item (nodes, i);

      if (beam_cluster_node_get_in_cluster (node))
        n_in++;
      else
        n_others++;
    }
  if (n == 0)
    g_string_append (summary, _("Looking for the cluster's nodes…"));
  else
    g_string_append_printf (summary, g_dngettext (GETTEXT_PACKAGE, "%u node", "%u nodes", n_in),
                            n_in);
  if (n_others > 0)
    {
      g_autofree char *part =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more not in the cluster",
                                      "%u more not in the cluster", n_others), n_others);
      append_part (summary, part);
    }
  down = beam_cluster_model_get_n_down (self->model);
  if (down > 0)
    {
      /* Translators: nodes that are down, in the summary line: "2 down" */
      g_autofree char *part = g_strdup_printf (_("%u down"), down);
      append_part (summary, part);
    }
  not_answering = beam_cluster_model_get_n_not_answering (self->model);
  if (not_answering > 0)
    {
      /* Translators: nodes that are not answering, in the summary line */
      g_autofree char *part = g_strdup_printf (_("%u not answering"), not_answering);
      append_part (summary, part);
    }
  not_joined = beam_cluster_model_get_n_not_joined (self->model);
  if (not_joined > 0)
    {
      /* Translators: the cluster-max-nodes limit was reached */
      g_autofree char *part = g_strdup_printf (_("%u not joined (the limit in Preferences)"),
                                               not_joined);
      append_part (summary, part);
    }

  partitions = beam_cluster_model_dup_partitions (self->model);
  if (partitions != NULL && partitions->len > 1)
    {
      g_autoptr(GString) part = g_string_new (_("partition: "));

      for (guint i = 0; i < partitions->len; i++)
        {
          GStrv members = g_ptr_array_index (partitions, i);
          guint n_members = g_strv_length (members);

          g_string_append (part, i > 0 ? " | {" : "{");
          /* A big part by its first names and its size: the line stays one line. */
          for (guint m = 0; m < n_members && m < SUMMARY_MEMBERS; m++)
            g_string_append_printf (part, "%s%s", m > 0 ? ", " : "", members[m]);
          if (n_members > SUMMARY_MEMBERS)
            /* Translators: the rest of a partition's nodes in the summary line */
            g_string_append_printf (part, _(" and %u more"), n_members - SUMMARY_MEMBERS);
          g_string_append (part, "}");
        }
      append_part (summary, part->str);
    }
  anomalies = beam_cluster_model_get_anomalies (self->model);
  for (guint i = 0; anomalies != NULL && i < anomalies->len; i++)
    {
      const BeamClusterAnomaly *anomaly = g_ptr_array_index (anomalies, i);

      if (anomaly->open && anomaly->left && strstr (left->str, anomaly->from) == NULL)
        g_string_append_printf (left, "%s%s", left->len > 0 ? ", " : "", anomaly->from);
    }
  if (left->len > 0)
    {
      /* Translators: nodes that left the cluster (in no node's nodes() now) */
      g_autofree char *part = g_strdup_printf (_("left the cluster: %s"), left->str);
      append_part (summary, part);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BeamClusterNode) node = g_list_model_get_item (nodes, i);
      guint bits = beam_cluster_node_get_outliers (node);

      for (guint c = 0; c < BEAM_CLUSTER_N_COLUMNS && bits != 0; c++)
        if (bits & (1u << c))
          {
            g_autofree char *how = format_outlier (node, c);
            const ColumnSpec *spec = spec_of_column (c);
            g_autofree char *part = NULL;

            if (how == NULL || spec == NULL || ++outliers > SUMMARY_OUTLIERS)
              continue;
            /* Translators: an outlier in the summary line: "memory: n2@host 3.4 × the median" */
            part = g_strdup_printf (_("%s: %s %s"), _(spec->summary),
                                    beam_cluster_node_get_name (node), how);
            append_part (summary, part);
          }
    }
  if (outliers > SUMMARY_OUTLIERS)
    {
      guint more = outliers - SUMMARY_OUTLIERS;
      g_autofree char *part =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more outlier", "%u more outliers",
                                      more), more);
      append_part (summary, part);
    }
  /* Every tick comes here: a label set again lays the page out again. */
  if (g_strcmp0 (gtk_label_get_label (self->summary_label), summary->str) != 0)
    {
      gtk_label_set_label (self->summary_label, summary->str);
      /* Cut after two lines: all of it on hover. */
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_label), summary->str);
    }
}

/* ---- connectivity lists -------------------------------------------------------------- */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  /* GTK 4.8 has no gtk_list_box_remove_all. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL &&
         GTK_IS_LIST_BOX_ROW (child))
    gtk_list_box_remove (list, child);
}

/* Titles and subtitles are node names: never markup. */
static GtkWidget *
text_row_new (const char *title,
              const char *subtitle,
              const char *icon_name,
              gboolean    warning)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  if (icon_name != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

      if (warning)
        gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  return row;
}

static char *
anomaly_title (const BeamClusterAnomaly *anomaly)
{
  if (anomaly->left)
    /* Translators: a node seen before that no node lists now */
    return g_strdup_printf (_("%s left the cluster"), anomaly->from);
  if (anomaly->kind == BEAM_CLUSTER_LINK_ONE_WAY)
    /* Translators: a one-way link; both are node names */
    return g_strdup_printf (_("One-way: %s sees %s, not the other way"), anomaly->from,
                            anomaly->to);
  /* Translators: a missing link; both are node names */
  return g_strdup_printf (_("Missing: %s and %s do not see each other"), anomaly->from,
                          anomaly->to);
}

static char *
anomaly_subtitle (const BeamClusterAnomaly *anomaly)
{
  g_autofree char *since = format_clock (anomaly->first_seen_us);
  g_autofree char *span = format_span_us (anomaly->last_seen_us - anomaly->first_seen_us);

  if (anomaly->open)
    {
      g_autofree char *lasted = format_span_us (g_get_real_time () - anomaly->first_seen_us);

      /* Translators: an open anomaly: "since 12:03:14, for 3 min" */
      return g_strdup_printf (_("since %s, for %s"), since, lasted);
    }
  /* Translators: an anomaly over: "from 12:03:14, closed after 40 s" */
  return g_strdup_printf (_("from %s, closed after %s"), since, span);
}

static void
rebuild_connectivity (BeamClusterPage *self)
{
  g_autoptr(GPtrArray) partitions = NULL;
  GPtrArray *anomalies, *hidden;

  self->connectivity_dirty = FALSE;
  clear_list (self->anomalies_list);
  clear_list (self->hidden_list);
  if (self->model == NULL)
    return;

  partitions = beam_cluster_model_dup_partitions (self->model);
  for (guint i = 0; partitions != NULL && partitions->len > 1 && i < partitions->len; i++)
    {
      g_autofree char *members = g_strjoinv (", ", g_ptr_array_index (partitions, i));
      /* Translators: one of the parts of a partitioned cluster, counted from 1 */
      g_autofree char *title = g_strdup_printf (_("Partition %u of %u"), i + 1, partitions->len);

      gtk_list_box_append (self->anomalies_list,
                           text_row_new (title, members, "dialog-warning-symbolic", TRUE));
    }
  anomalies = beam_cluster_model_get_anomalies (self->model);
  for (guint i = 0; anomalies != NULL && i < anomalies->len; i++)
    {
      const BeamClusterAnomaly *anomaly = g_ptr_array_index (anomalies, i);
      g_autofree char *title = anomaly_title (anomaly);
      g_autofree char *subtitle = anomaly_subtitle (anomaly);

      gtk_list_box_append (self->anomalies_list,
                           text_row_new (title, subtitle,
                                         anomaly->open ? "dialog-warning-symbolic"
                                                       : "dialog-information-symbolic",
                                         anomaly->open));
    }
  hidden = beam_cluster_model_get_hidden (self->model);
  for (guint i = 0; hidden != NULL && i < hidden->len; i++)
    {
      const BeamClusterHidden *node = g_ptr_array_index (hidden, i);
      guint n = node->seen_by != NULL ? g_strv_length (node->seen_by) : 0;
      g_autofree char *by = node->seen_by != NULL ? g_strjoinv (", ", node->seen_by)
                                                  : g_strdup ("");
      /* Translators: a hidden node, the nodes connected to it: "listed by 3 nodes: a, b, c" */
      g_autofree char *subtitle =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "listed by %u node: %s",
                                      "listed by %u nodes: %s", n), n, by);

      gtk_list_box_append (self->hidden_list, text_row_new (node->node, subtitle, NULL, FALSE));
    }
}

/* The lists of the Connectivity view, rebuilt only while it is shown: the
 * view stack measures its hidden view too at every layout of the page, and
 * new rows there (a node gone: 50 links missing) were measured in the
 * frames where nodes went down, 30-55 ms at 50 nodes. */
static void
update_connectivity (BeamClusterPage *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->views), "connectivity") != 0)
    {
      self->connectivity_dirty = TRUE;
      return;
    }
  rebuild_connectivity (self);
}

static void
on_view_shown (BeamClusterPage *self)
{
  if (self->connectivity_dirty)
    update_connectivity (self);
}

/* ---- following the model ------------------------------------------------------------- */

/* A node left the cluster or came into it: the two lists filter again. */
static void
refilter_if_moved (BeamClusterPage *self)
{
  GListModel *nodes = beam_cluster_model_get_nodes (self->model);
  guint n = g_list_model_get_n_items (nodes);
  g_autoptr(GString) membership = g_string_sized_new (n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BeamClusterNode) node = g_list_model_get_item (nodes, i);

      g_string_append_c (membership, beam_cluster_node_get_in_cluster (node) ? '1' : '0');
    }
  if (g_string_equal (membership, self->membership))
    return;
  g_string_assign (self->membership, membership->str);
  gtk_filter_changed (GTK_FILTER (self->in_cluster_filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->not_in_cluster_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* An open anomaly's "for 3 min" grows with time, not with links-changed. */
static gboolean
has_open_anomaly (BeamClusterPage *self)
{
  GPtrArray *anomalies = beam_cluster_model_get_anomalies (self->model);

  for (guint i = 0; anomalies != NULL && i < anomalies->len; i++)
    if (((const BeamClusterAnomaly *) g_ptr_array_index (anomalies, i))->open)
      return TRUE;
  return FALSE;
}

static void
on_model_sampled (BeamClusterPage *self)
{
  gint64 start = g_get_monotonic_time ();

  self->updates++;
  refilter_if_moved (self);
  resort (self);
  update_summary (self);
  if (has_open_anomaly (self))
    update_connectivity (self);
  self->sampled_us += g_get_monotonic_time () - start;
}

static void
on_links_changed (BeamClusterPage *self)
{
  update_connectivity (self);
  update_summary (self);
}

static void
on_others_changed (BeamClusterPage *self)
{
  gtk_widget_set_visible (self->others_box,
                          g_list_model_get_n_items (G_LIST_MODEL (self->not_in_cluster)) > 0);
}

static void
start_if_shown (BeamClusterPage *self)
{
  if (self->model == NULL || self->started || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->started = TRUE;
  beam_cluster_model_start (self->model);
}

/* The model's settings: the key in seconds, the model in milliseconds. */
static gboolean
seconds_to_ms (GValue   *value,
               GVariant *variant,
               gpointer  user_data G_GNUC_UNUSED)
{
  g_value_set_uint (value, g_variant_get_uint32 (variant) * 1000);
  return TRUE;
}

static void
unbind_settings (BeamClusterPage *self)
{
  static const char * const properties[] = {
    "interval-ms", "queue-scan-interval-ms", "max-nodes", "join-epmd-others", "outlier-ratio",
    "history-minutes",
  };

  for (guint i = 0; i < G_N_ELEMENTS (properties); i++)
    g_settings_unbind (self->model, properties[i]);
}

static void
bind_settings (BeamClusterPage *self)
{
  g_settings_bind (self->settings, "cluster-sample-interval", self->model, "interval-ms",
                   G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (self->settings, "cluster-queue-scan-interval", self->model,
                                "queue-scan-interval-ms", G_SETTINGS_BIND_GET, seconds_to_ms,
                                NULL, NULL, NULL);
  g_settings_bind (self->settings, "cluster-max-nodes", self->model, "max-nodes",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "cluster-join-epmd-others", self->model, "join-epmd-others",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "cluster-outlier-ratio", self->model, "outlier-ratio",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "cluster-history-minutes", self->model, "history-minutes",
                   G_SETTINGS_BIND_GET);
}

/* `started`: the model runs already, or is fed by a test; else the page
 * starts it when first shown. */
static void
set_model (BeamClusterPage  *self,
           BeamClusterModel *model,
           gboolean          started)
{
  if (self->model == model)
    return;
  if (self->model != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->model, self);
      unbind_settings (self);
      /* Held: the binding goes by itself if either end does first. */
      g_binding_unbind (self->paused_binding);
      g_clear_object (&self->paused_binding);
    }
  g_set_object (&self->model, model);
  self->started = started;
  g_string_truncate (self->membership, 0);
  gtk_filter_list_model_set_model (self->in_cluster,
                                   model != NULL ? beam_cluster_model_get_nodes (model) : NULL);
  gtk_filter_list_model_set_model (self->not_in_cluster,
                                   model != NULL ? beam_cluster_model_get_nodes (model) : NULL);
  beam_cluster_matrix_set_model (self->matrix, model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cluster.forget-down", model != NULL);
  if (model != NULL)
    {
      bind_settings (self);
      self->paused_binding = g_object_ref (g_object_bind_property (self->pause_button, "active",
                                                                   model, "paused",
                                                                   G_BINDING_SYNC_CREATE));
      g_signal_connect_object (model, "sampled", G_CALLBACK (on_model_sampled), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (model, "links-changed", G_CALLBACK (on_links_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (beam_cluster_model_get_nodes (model), "items-changed",
                               G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
    }
  update_connectivity (self);
  update_summary (self);
  start_if_shown (self);
}

static void
beam_cluster_page_node_changed (BeamPage *page,
                                BeamNode *node)
{
  BeamClusterPage *self = BEAM_CLUSTER_PAGE (page);

  /* The node's model: made here, started when the page is first shown,
   * stopped by the node when the window leaves it. */
  set_model (self, node != NULL ? beam_node_get_cluster (node) : NULL, FALSE);
}

/* ---- opening a node ------------------------------------------------------------------ */

static void
open_node (BeamClusterPage *self,
           const char      *name)
{
  if (name != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-node", "s", name);
}

static void
on_node_activated (BeamClusterPage *self,
                   guint            position,
                   GtkColumnView   *view)
{
  g_autoptr(BeamClusterNode) node =
    g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)), position);

  if (node != NULL)
    open_node (self, beam_cluster_node_get_name (node));
}

static void
on_matrix_activated (BeamClusterPage *self,
                     const char      *name)
{
  open_node (self, name);
}

static void
forget_down_action (GtkWidget  *widget,
                    const char *action_name G_GNUC_UNUSED,
                    GVariant   *parameter G_GNUC_UNUSED)
{
  BeamClusterPage *self = BEAM_CLUSTER_PAGE (widget);

  if (self->model != NULL)
    beam_cluster_model_forget_down (self->model);
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
beam_cluster_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (beam_cluster_page_parent_class)->map (widget);
  start_if_shown (BEAM_CLUSTER_PAGE (widget));
}

static void
beam_cluster_page_dispose (GObject *object)
{
  BeamClusterPage *self = BEAM_CLUSTER_PAGE (object);

  beam_page_set_node (BEAM_PAGE (self), NULL);
  set_model (self, NULL, FALSE);
  g_clear_handle_id (&self->drain_source, g_source_remove);
  if (self->painted_clock != NULL)
    g_clear_signal_handler (&self->painted_handler, self->painted_clock);
  g_clear_weak_pointer (&self->painted_clock);
  g_clear_pointer (&self->pending_cells, g_hash_table_unref);
  /* The view's sorter changes as its columns go: nothing to follow then. */
  if (self->nodes_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->nodes_view), self);
  self->primary_sorter = NULL;
  if (self->context_menu != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->context_menu));
      self->context_menu = NULL;
    }
  beam_page_dispose_template (BEAM_PAGE (self), BEAM_TYPE_CLUSTER_PAGE);
  g_clear_object (&self->in_cluster);
  g_clear_object (&self->not_in_cluster);
  g_clear_object (&self->in_cluster_filter);
  g_clear_object (&self->not_in_cluster_filter);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (beam_cluster_page_parent_class)->dispose (object);
}

static void
beam_cluster_page_finalize (GObject *object)
{
  BeamClusterPage *self = BEAM_CLUSTER_PAGE (object);

  g_string_free (self->membership, TRUE);
  G_OBJECT_CLASS (beam_cluster_page_parent_class)->finalize (object);
}

static void
beam_cluster_page_class_init (BeamClusterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BeamPageClass *page_class = BEAM_PAGE_CLASS (klass);

  object_class->dispose = beam_cluster_page_dispose;
  object_class->finalize = beam_cluster_page_finalize;
  widget_class->map = beam_cluster_page_map;
  page_class->node_changed = beam_cluster_page_node_changed;

  g_type_ensure (BEAM_TYPE_CLUSTER_MATRIX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-cluster-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamClusterPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BeamClusterPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, BeamClusterPage, views);
  gtk_widget_class_bind_template_child (widget_class, BeamClusterPage, nodes_view);
  gtk_widget_class_bind_template_child (widget_class, BeamClusterPage, others_view);
  gtk_widget_class_bind_template_child (widget_class, BeamClusterPage, others_box);
  gtk_widget_class_bind_template_child (widget_class, BeamClusterPage, matrix);
  gtk_widget_class_bind_template_child (widget_class, BeamClusterPage, anomalies_list);
  gtk_widget_class_bind_template_child (widget_class, BeamClusterPage, hidden_list);
  gtk_widget_class_bind_template_callback (widget_class, on_node_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_matrix_activated);
  gtk_widget_class_install_action (widget_class, "cluster.forget-down", NULL,
                                   forget_down_action);
}

static void
beam_cluster_page_init (BeamClusterPage *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  self->membership = g_string_new (NULL);
  self->pending_cells = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);

  /* The summary is always two lines high: a summary that grew a line as
   * nodes went down changed the list's height, and GTK measured every row
   * again, 35-55 ms at 50 rows (bench-cluster.c's second phase). */
  {
    g_autoptr(PangoLayout) two_lines = gtk_widget_create_pango_layout (
      GTK_WIDGET (self->summary_label), "X\nX");
    int height = 0;

    pango_layout_get_pixel_size (two_lines, NULL, &height);
    gtk_widget_set_size_request (GTK_WIDGET (self->summary_label), -1, height);
  }
  g_signal_connect_object (self->views, "notify::visible-child-name",
                           G_CALLBACK (on_view_shown), self, G_CONNECT_SWAPPED);
  add_columns (self, self->nodes_view, TRUE);
  add_columns (self, self->others_view, FALSE);
  self->in_cluster = filtered_view (self->nodes_view, &self->in_cluster_filter, TRUE);
  self->not_in_cluster = filtered_view (self->others_view, &self->not_in_cluster_filter, FALSE);
  g_signal_connect_object (self->not_in_cluster, "items-changed", G_CALLBACK (on_others_changed),
                           self, G_CONNECT_SWAPPED);

  placeholder = gtk_label_new (_("No partition, and no link missing"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->anomalies_list, placeholder);
  placeholder = gtk_label_new (_("No hidden node"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->hidden_list, placeholder);

  self->context_menu = GTK_POPOVER_MENU (gtk_popover_menu_new_from_model (NULL));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->context_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->context_menu), GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cluster.forget-down", FALSE);
  update_summary (self);
}

/* ---- for tests ----------------------------------------------------------------------- */

BeamClusterModel *
_beam_cluster_page_get_model (BeamClusterPage *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), NULL);
  return self->model;
}

void
_beam_cluster_page_set_model (BeamClusterPage  *self,
                              BeamClusterModel *model)
{
  g_return_if_fail (BEAM_IS_CLUSTER_PAGE (self));
  set_model (self, model, TRUE);
}

guint
_beam_cluster_page_get_updates (BeamClusterPage *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), 0);
  return self->updates;
}

guint
_beam_cluster_page_get_cell_updates (void)
{
  return counters.cell_updates;
}

guint
_beam_cluster_page_get_cell_binds (void)
{
  return counters.cell_binds;
}

gint64
_beam_cluster_page_get_sampled_us (BeamClusterPage *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), 0);
  return self->sampled_us;
}

GtkColumnView *
_beam_cluster_page_get_view (BeamClusterPage *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), NULL);
  return self->nodes_view;
}

GtkColumnView *
_beam_cluster_page_get_others_view (BeamClusterPage *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), NULL);
  return self->others_view;
}

BeamClusterMatrix *
_beam_cluster_page_get_matrix (BeamClusterPage *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), NULL);
  return self->matrix;
}

GtkListBox *
_beam_cluster_page_get_anomalies (BeamClusterPage *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), NULL);
  if (self->connectivity_dirty)
    rebuild_connectivity (self);
  return self->anomalies_list;
}

GtkListBox *
_beam_cluster_page_get_hidden (BeamClusterPage *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), NULL);
  if (self->connectivity_dirty)
    rebuild_connectivity (self);
  return self->hidden_list;
}

const char *
_beam_cluster_page_get_summary (BeamClusterPage *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), NULL);
  return gtk_label_get_label (self->summary_label);
}

gboolean
_beam_cluster_page_sort_by (BeamClusterPage   *self,
                            BeamClusterColumn  column)
{
  const ColumnSpec *spec;
  GtkColumnViewColumn *view_column;

  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), FALSE);

  spec = spec_of_column (column);
  view_column = spec != NULL ? find_column (self->nodes_view, spec) : NULL;
  if (view_column == NULL)
    return FALSE;
  /* As a first click does: GTK asks ascending, the page turns it around. */
  self->primary = NULL;
  gtk_column_view_sort_by_column (self->nodes_view, view_column, GTK_SORT_ASCENDING);
  return TRUE;
}

void
_beam_cluster_page_show_view (BeamClusterPage *self,
                              const char      *name)
{
  g_return_if_fail (BEAM_IS_CLUSTER_PAGE (self));
  adw_view_stack_set_visible_child_name (self->views, name);
}

BeamClusterNode *
_beam_cluster_page_get_row (BeamClusterPage *self,
                            guint            position)
{
  GListModel *rows;
  g_autoptr(BeamClusterNode) node = NULL;

  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), NULL);
  rows = G_LIST_MODEL (gtk_column_view_get_model (self->nodes_view));
  node = g_list_model_get_item (rows, position);
  /* The model holds its nodes. */
  return node;
}

static GtkWidget *
find_cell (GtkWidget        *widget,
           const char       *name,
           const ColumnSpec *spec)
{
  BeamClusterNode *node = g_object_get_data (G_OBJECT (widget), "beam-node");

  if (node != NULL && g_object_get_data (G_OBJECT (widget), "beam-spec") == spec &&
      g_strcmp0 (beam_cluster_node_get_name (node), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_cell (child, name, spec);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
_beam_cluster_page_get_cell (BeamClusterPage   *self,
                             const char        *name,
                             BeamClusterColumn  column)
{
  const ColumnSpec *spec;

  g_return_val_if_fail (BEAM_IS_CLUSTER_PAGE (self), NULL);
  spec = spec_of_column (column);
  return spec != NULL ? find_cell (GTK_WIDGET (self->nodes_view), name, spec) : NULL;
}
