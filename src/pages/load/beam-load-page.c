/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Load page: charts of scheduler utilisation (per scheduler and in
 * total, dirty schedulers dashed), run queues, memory by category, IO, and
 * reductions, garbage collections and context switches per second.
 *
 * A view of the node's BeamLoadHistory, which samples from the moment the
 * node is connected whichever page is open: when the page gets a node it
 * charts the history so far, then each new point. The sample interval and
 * the charts' window are settings, bound to the dropdowns. */

#define G_LOG_DOMAIN "beamscope-load"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-chart.h"
#include "beam-load-page-private.h"
#include "beam-palette.h"

/* As the dropdowns list them in the .ui; a 0 ends each. */
static const guint intervals_ms[] = { 100, 250, 500, 1000, 2000, 5000, 10000, 0 };
static const guint windows_min[] = { 1, 2, 5, 10, 0 };

/* The memory chart's series, of the history's memory group. */
static const struct { const char *label; BeamMemoryCategory category; } memory_series[] = {
  { N_("total"), BEAM_MEMORY_TOTAL }, { N_("processes"), BEAM_MEMORY_PROCESSES },
  { N_("system"), BEAM_MEMORY_SYSTEM }, { N_("binary"), BEAM_MEMORY_BINARY },
  { N_("ets"), BEAM_MEMORY_ETS }, { N_("atom"), BEAM_MEMORY_ATOM },
  { N_("code"), BEAM_MEMORY_CODE },
};

struct _BeamLoadPage
{
  BeamPage         parent_instance;

  GtkLabel        *status_label;
  GtkDropDown     *interval_dropdown;
  GtkDropDown     *window_dropdown;
  GtkToggleButton *pause_button;
  GtkBox          *charts_box;

  GSettings       *settings;
  BeamLoadHistory *history;
  GBinding        *paused_binding;
  guint            samples;

  BeamChart       *usage_chart;
  BeamChart       *queue_chart;
  BeamChart       *memory_chart;
  BeamChart       *io_chart;
  BeamChart       *work_chart;
};

G_DEFINE_FINAL_TYPE (BeamLoadPage, beam_load_page, BEAM_TYPE_PAGE)

static gint64
window_us (BeamLoadPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->window_dropdown);

  return windows_min[MIN (selected, G_N_ELEMENTS (windows_min) - 2)] * 60 * G_USEC_PER_SEC;
}

/* ---- charts ----------------------------------------------------------------- */

static void
on_legend_toggled (GtkToggleButton *button,
                   BeamChart       *chart)
{
  beam_chart_set_series_visible (chart,
                                 GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "series")),
                                 gtk_toggle_button_get_active (button));
}

/* A titled chart with a legend of toggles, one a series. */
static BeamChart *
add_chart (BeamLoadPage  *self,
           const char    *title,
           BeamChart     *chart)
{
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *legend = gtk_flow_box_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (legend), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (legend), 12);
  gtk_widget_set_size_request (GTK_WIDGET (chart), -1, 180);

  for (guint s = 0; s < beam_chart_get_n_series (chart); s++)
    {
      GtkWidget *toggle = gtk_toggle_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GdkRGBA color;
      GtkWidget *swatch;

      beam_chart_get_series_color (chart, s, &color);
      swatch = beam_palette_swatch_new (&color);
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), gtk_label_new (beam_chart_get_series_label (chart, s)));
      gtk_button_set_child (GTK_BUTTON (toggle), box);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
      gtk_widget_add_css_class (toggle, "flat");
      gtk_widget_set_tooltip_text (toggle, _("Show or hide this series"));
      g_object_set_data (G_OBJECT (toggle), "series", GUINT_TO_POINTER (s));
      g_signal_connect (toggle, "toggled", G_CALLBACK (on_legend_toggled), chart);
      gtk_flow_box_append (GTK_FLOW_BOX (legend), toggle);
    }

  gtk_box_append (self->charts_box, label);
  gtk_box_append (self->charts_box, GTK_WIDGET (chart));
  gtk_box_append (self->charts_box, legend);
  return chart;
}

static void
build_charts (BeamLoadPage         *self,
              const BeamLoadSample *sample)
{
  BeamChart *chart;
  gint64 window = window_us (self);
  guint queues = sample->run_queues->len;

  /* Scheduler utilisation: the total, then each scheduler. */
  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_FRACTION));
  beam_chart_add_series (chart, _("total"), FALSE);
  for (guint i = 0; i < sample->wall->len; i++)
    {
      guint id = g_array_index (sample->wall, BeamWallTime, i).id;
      gboolean dirty = (gint) id > sample->schedulers;
      g_autofree char *label = (gint) id > sample->schedulers + sample->dirty_cpu_schedulers
                               ? g_strdup_printf (_("io %u"), id)
                               : dirty ? g_strdup_printf (_("dirty %u"), id)
                                       : g_strdup_printf ("%u", id);
      beam_chart_add_series (chart, label, dirty);
    }
  self->usage_chart = add_chart (self, _("Scheduler Utilisation (as recon:scheduler_usage)"),
                                 chart);

  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_COUNT));
  beam_chart_add_series (chart, _("total"), FALSE);
  for (guint i = 0; i < queues; i++)
    {
      g_autofree char *label = (gint) i < sample->schedulers ? g_strdup_printf ("%u", i + 1)
                               : (gint) i == sample->schedulers ? g_strdup (_("dirty CPU"))
                                                                : g_strdup (_("dirty IO"));
      beam_chart_add_series (chart, label, (gint) i >= sample->schedulers);
    }
  self->queue_chart = add_chart (self, _("Run Queues"), chart);

  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_BYTES));
  for (guint i = 0; i < G_N_ELEMENTS (memory_series); i++)
    {
      GdkRGBA color;
      guint series = beam_chart_add_series (chart, _(memory_series[i].label), FALSE);

      beam_palette_get_memory_color (memory_series[i].category, &color);
      beam_chart_set_series_color (chart, series, &color);
    }
  self->memory_chart = add_chart (self, _("Memory"), chart);

  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_RATE));
  beam_chart_add_series (chart, _("input bytes"), FALSE);
  beam_chart_add_series (chart, _("output bytes"), FALSE);
  self->io_chart = add_chart (self, _("IO per Second"), chart);

  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_RATE));
  beam_chart_add_series (chart, _("reductions"), FALSE);
  beam_chart_add_series (chart, _("garbage collections"), FALSE);
  beam_chart_add_series (chart, _("context switches"), FALSE);
  self->work_chart = add_chart (self, _("Work per Second"), chart);

  beam_chart_set_window (self->usage_chart, window);
  beam_chart_set_window (self->queue_chart, window);
  beam_chart_set_window (self->memory_chart, window);
  beam_chart_set_window (self->io_chart, window);
  beam_chart_set_window (self->work_chart, window);
}

static void
clear_charts (BeamLoadPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->charts_box))) != NULL)
    gtk_box_remove (self->charts_box, child);
  self->usage_chart = self->queue_chart = self->memory_chart = self->io_chart =
    self->work_chart = NULL;
}

/* One point of the history on every chart. */
static void
chart_point (BeamLoadPage *self,
             guint         point)
{
  BeamLoadHistory *history = self->history;
  gint64 t = beam_load_history_get_time (history, point);
  const double *memory = beam_load_history_get_values (history, point, BEAM_LOAD_GROUP_MEMORY);
  double memory_values[G_N_ELEMENTS (memory_series)];

  /* The charts were built for the history's layout: its groups' sizes. */
  g_assert (beam_chart_get_n_series (self->usage_chart) ==
            beam_load_history_get_n_values (history, BEAM_LOAD_GROUP_USAGE));
  beam_chart_push (self->usage_chart, t,
                   beam_load_history_get_values (history, point, BEAM_LOAD_GROUP_USAGE));
  beam_chart_push (self->queue_chart, t,
                   beam_load_history_get_values (history, point, BEAM_LOAD_GROUP_RUN_QUEUES));
  for (guint i = 0; i < G_N_ELEMENTS (memory_series); i++)
    memory_values[i] = memory[memory_series[i].category];
  beam_chart_push (self->memory_chart, t, memory_values);
  beam_chart_push (self->io_chart, t,
                   beam_load_history_get_values (history, point, BEAM_LOAD_GROUP_IO));
  beam_chart_push (self->work_chart, t,
                   beam_load_history_get_values (history, point, BEAM_LOAD_GROUP_WORK));
  self->samples++;
}

/* ---- following the history -------------------------------------------------- */

static void
update_status (BeamLoadPage *self)
{
  g_autofree char *text = NULL;

  if (self->history == NULL)
    text = g_strdup ("");
  else if (beam_load_history_get_error (self->history) != NULL)
    text = g_strdup (beam_load_history_get_error (self->history));
  else if (beam_load_history_get_n_points (self->history) == 0)
    text = g_strdup (_("Waiting for the node…"));
  else
    text = g_strdup_printf (_("Sampling every %u ms"),
                            beam_load_history_get_interval_ms (self->history));
  /* Every sample comes here: a label set again relays the page out. */
  if (g_strcmp0 (gtk_label_get_label (self->status_label), text) != 0)
    gtk_label_set_label (self->status_label, text);
}

static void
on_history_sampled (BeamLoadPage *self)
{
  guint n = beam_load_history_get_n_points (self->history);

  if (n == 0)
    return;
  if (self->usage_chart == NULL)
    {
      /* The first point: charts shaped as the node is, with all the history. */
      build_charts (self, beam_load_history_get_layout (self->history));
      for (guint i = 0; i < n; i++)
        chart_point (self, i);
    }
  else
    chart_point (self, n - 1);
  update_status (self);
}

/* The node's shape changed: charts of the new shape, from the next point. */
static void
on_history_reset (BeamLoadPage *self)
{
  clear_charts (self);
}

static void
beam_load_page_node_changed (BeamPage *page,
                             BeamNode *node)
{
  BeamLoadPage *self = BEAM_LOAD_PAGE (page);

  if (self->history != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->history, self);
      g_settings_unbind (self->history, "interval-ms");
      /* Held: the binding goes by itself if either end does first. */
      g_binding_unbind (self->paused_binding);
      g_clear_object (&self->paused_binding);
    }
  g_clear_object (&self->history);
  clear_charts (self);
  self->samples = 0;

  if (node != NULL)
    {
      self->history = g_object_ref (beam_node_get_load_history (node));
      g_settings_bind (self->settings, "load-sample-interval", self->history, "interval-ms",
                       G_SETTINGS_BIND_GET);
      self->paused_binding = g_object_ref (g_object_bind_property (self->pause_button, "active",
                                                                   self->history, "paused",
                                                                   G_BINDING_SYNC_CREATE));
      g_signal_connect_object (self->history, "sampled", G_CALLBACK (on_history_sampled), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->history, "reset", G_CALLBACK (on_history_reset), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->history, "notify::error", G_CALLBACK (update_status), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->history, "notify::interval-ms", G_CALLBACK (update_status),
                               self, G_CONNECT_SWAPPED);
      on_history_sampled (self);
    }
  update_status (self);
}

static void
on_window_chosen (BeamLoadPage *self)
{
  BeamChart *charts[] = {
    self->usage_chart, self->queue_chart, self->memory_chart, self->io_chart, self->work_chart,
  };

  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    if (charts[i] != NULL)
      beam_chart_set_window (charts[i], window_us (self));
}

/* ---- GObject -------------------------------------------------------------------- */

static void
beam_load_page_dispose (GObject *object)
{
  BeamLoadPage *self = BEAM_LOAD_PAGE (object);

  beam_page_set_node (BEAM_PAGE (self), NULL);
  beam_page_dispose_template (BEAM_PAGE (self), BEAM_TYPE_LOAD_PAGE);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (beam_load_page_parent_class)->dispose (object);
}

static void
beam_load_page_class_init (BeamLoadPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BeamPageClass *page_class = BEAM_PAGE_CLASS (klass);

  object_class->dispose = beam_load_page_dispose;
  page_class->node_changed = beam_load_page_node_changed;

  g_type_ensure (BEAM_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/beam-load-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamLoadPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeamLoadPage, interval_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BeamLoadPage, window_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BeamLoadPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, BeamLoadPage, charts_box);
  gtk_widget_class_bind_template_callback (widget_class, on_window_chosen);
}

static void
beam_load_page_init (BeamLoadPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  beam_page_bind_choices (self->settings, "load-sample-interval", self->interval_dropdown,
                          intervals_ms);
  beam_page_bind_choices (self->settings, "load-window", self->window_dropdown, windows_min);
  update_status (self);
}

guint
beam_load_page_get_samples (BeamLoadPage *self)
{
  g_return_val_if_fail (BEAM_IS_LOAD_PAGE (self), 0);
  return self->samples;
}

double
beam_load_page_get_busiest (BeamLoadPage *self)
{
  g_return_val_if_fail (BEAM_IS_LOAD_PAGE (self), 0);
  return self->history != NULL ? beam_load_history_get_busiest (self->history) : 0;
}
