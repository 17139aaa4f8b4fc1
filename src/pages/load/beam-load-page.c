/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Load page: charts of scheduler utilisation (per scheduler and in
 * total, dirty schedulers dashed), run queues, memory by category, IO, and
 * reductions, garbage collections and context switches per second.
 *
 * Sampling is not tied to the page being on screen: it runs from the moment
 * the node is connected, so the charts have their history whichever page is
 * open and while a big fetch runs (samples are small calls of their own).
 * A flag holder on the node keeps scheduler_wall_time raised while we are
 * connected, and drops it when we go. */

#define G_LOG_DOMAIN "beamscope-load"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-chart.h"
#include "beam-load-page.h"
#include "beam-load-sample.h"

static const guint intervals_ms[] = { 100, 250, 500, 1000, 2000, 5000, 10000 };
static const guint windows_min[] = { 1, 2, 5, 10 };

#define DEFAULT_INTERVAL 3  /* 1 s */
#define DEFAULT_WINDOW   0  /* 1 min */

/* The memory series, and their index in BeamLoadSample.memory. */
static const struct { const char *label; guint index; } memory_series[] = {
  { N_("total"), 0 }, { N_("processes"), 1 }, { N_("system"), 3 }, { N_("binary"), 6 },
  { N_("ets"), 8 }, { N_("atom"), 4 }, { N_("code"), 7 },
};

struct _BeamLoadPage
{
  AdwBin           parent_instance;

  GtkLabel        *status_label;
  GtkDropDown     *interval_dropdown;
  GtkDropDown     *window_dropdown;
  GtkToggleButton *pause_button;
  GtkBox          *charts_box;

  BeamNode        *node;
  GCancellable    *cancellable;
  BeamTerm        *holder;
  BeamLoadSample  *last;
  guint            timeout_id;
  gboolean         sampling;
  guint            samples;
  double           busiest;

  BeamChart       *usage_chart;
  BeamChart       *queue_chart;
  BeamChart       *memory_chart;
  BeamChart       *io_chart;
  BeamChart       *work_chart;
};

G_DEFINE_FINAL_TYPE (BeamLoadPage, beam_load_page, ADW_TYPE_BIN)

/* ---- charts ----------------------------------------------------------------- */

static void
on_legend_toggled (GtkToggleButton *button,
                   BeamChart       *chart)
{
  beam_chart_set_series_visible (chart, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "series")),
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
      GtkWidget *swatch = gtk_drawing_area_new ();
      g_autofree char *css = NULL;
      GdkRGBA color;
      g_autofree char *color_text = NULL;
      GtkCssProvider *provider = gtk_css_provider_new ();

      beam_chart_get_series_color (chart, s, &color);
      color_text = gdk_rgba_to_string (&color);
      css = g_strdup_printf ("* { background-color: %s; border-radius: 3px; }", color_text);
      gtk_css_provider_load_from_data (provider, css, -1);
      gtk_style_context_add_provider (gtk_widget_get_style_context (swatch), GTK_STYLE_PROVIDER (provider),
                                      GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_unref (provider);
      gtk_widget_set_size_request (swatch, 12, 12);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
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
  gint64 window_us = windows_min[gtk_drop_down_get_selected (self->window_dropdown)] * 60 * G_USEC_PER_SEC;
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
                               : dirty ? g_strdup_printf (_("dirty %u"), id) : g_strdup_printf ("%u", id);
      beam_chart_add_series (chart, label, dirty);
    }
  self->usage_chart = add_chart (self, _("Scheduler Utilisation (as recon:scheduler_usage)"), chart);

  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_COUNT));
  beam_chart_add_series (chart, _("total"), FALSE);
  for (guint i = 0; i < queues; i++)
    {
      g_autofree char *label = (gint) i < sample->schedulers ? g_strdup_printf ("%u", i + 1)
                               : (gint) i == sample->schedulers ? g_strdup (_("dirty CPU")) : g_strdup (_("dirty IO"));
      beam_chart_add_series (chart, label, (gint) i >= sample->schedulers);
    }
  self->queue_chart = add_chart (self, _("Run Queues"), chart);

  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_BYTES));
  for (guint i = 0; i < G_N_ELEMENTS (memory_series); i++)
    beam_chart_add_series (chart, _(memory_series[i].label), FALSE);
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

  beam_chart_set_window (self->usage_chart, window_us);
  beam_chart_set_window (self->queue_chart, window_us);
  beam_chart_set_window (self->memory_chart, window_us);
  beam_chart_set_window (self->io_chart, window_us);
  beam_chart_set_window (self->work_chart, window_us);
}

static void
clear_charts (BeamLoadPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->charts_box))) != NULL)
    gtk_box_remove (self->charts_box, child);
  self->usage_chart = self->queue_chart = self->memory_chart = self->io_chart = self->work_chart = NULL;
}

static void
chart_sample (BeamLoadPage   *self,
              BeamLoadSample *before,
              BeamLoadSample *after)
{
  g_autoptr(GArray) usage = NULL;
  g_autofree double *values = NULL;
  double total = 0;
  gint64 t = after->time_us;
  guint n;

  if (self->usage_chart == NULL)
    {
      if (after->wall->len == 0)
        return;  /* the holder has not raised the flag yet */
      build_charts (self, after);
    }

  usage = beam_load_sample_usage (before, after, &total);
  if (usage == NULL)
    return;
  n = beam_chart_get_n_series (self->usage_chart);
  values = g_new0 (double, MAX (n, 16));
  values[0] = total;
  self->busiest = 0;
  for (guint i = 0; i < usage->len && i + 1 < n; i++)
    {
      BeamSchedulerUsage *entry = &g_array_index (usage, BeamSchedulerUsage, i);
      values[i + 1] = entry->usage;
      if (entry->type == BEAM_SCHEDULER_NORMAL)
        self->busiest = MAX (self->busiest, entry->usage);
    }
  beam_chart_push (self->usage_chart, t, values);

  g_free (values);
  n = beam_chart_get_n_series (self->queue_chart);
  values = g_new0 (double, MAX (n, 1));
  for (guint i = 0; i < after->run_queues->len && i + 1 < n; i++)
    {
      values[i + 1] = g_array_index (after->run_queues, gint64, i);
      values[0] += values[i + 1];
    }
  beam_chart_push (self->queue_chart, t, values);

  {
    double memory[G_N_ELEMENTS (memory_series)];
    for (guint i = 0; i < G_N_ELEMENTS (memory_series); i++)
      memory[i] = after->memory[memory_series[i].index];
    beam_chart_push (self->memory_chart, t, memory);
  }
  {
    double io[2] = {
      beam_load_sample_rate (before, after, before->io_input, after->io_input),
      beam_load_sample_rate (before, after, before->io_output, after->io_output),
    };
    double work[3] = {
      beam_load_sample_rate (before, after, before->reductions, after->reductions),
      beam_load_sample_rate (before, after, before->garbage_collections, after->garbage_collections),
      beam_load_sample_rate (before, after, before->context_switches, after->context_switches),
    };
    beam_chart_push (self->io_chart, t, io);
    beam_chart_push (self->work_chart, t, work);
  }
  self->samples++;
}

/* ---- sampling ----------------------------------------------------------------- */

static void schedule_sample (BeamLoadPage *self);

static guint
interval_ms (BeamLoadPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->interval_dropdown);
  return intervals_ms[MIN (selected, G_N_ELEMENTS (intervals_ms) - 1)];
}

static void
sample_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamLoadPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamLoadSample *sample = beam_load_sample_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->sampling = FALSE;
  if (sample == NULL)
    gtk_label_set_label (self->status_label, error->message);
  else
    {
      g_autofree char *status = g_strdup_printf (_("Sampling every %u ms"), interval_ms (self));

      gtk_label_set_label (self->status_label, status);
      if (self->last != NULL)
        chart_sample (self, self->last, sample);
      g_clear_pointer (&self->last, beam_load_sample_free);
      self->last = sample;
    }
  schedule_sample (self);
}

static void
take_sample (BeamLoadPage *self)
{
  BeamConnection *connection;

  if (self->node == NULL || self->sampling)
    return;
  connection = beam_node_get_connection (self->node);
  if (beam_connection_get_state (connection) != BEAM_CONNECTION_STATE_CONNECTED)
    return;
  self->sampling = TRUE;
  beam_load_sample_async (connection, self->cancellable, sample_done, g_object_ref (self));
}

static gboolean
on_sample_timeout (gpointer user_data)
{
  BeamLoadPage *self = user_data;

  self->timeout_id = 0;
  if (!gtk_toggle_button_get_active (self->pause_button))
    take_sample (self);
  else
    schedule_sample (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_sample (BeamLoadPage *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->node != NULL)
    self->timeout_id = g_timeout_add (interval_ms (self), on_sample_timeout, self);
}

static void
holder_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamLoadPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamTerm *holder = beam_load_sample_flag_holder_start_finish (result, &error);

  if (holder == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->status_label, error->message);
      return;
    }
  g_clear_pointer (&self->holder, beam_term_free);
  self->holder = holder;
  take_sample (self);
}

/* Connected (again): a new holder, as the previous one went with the old
 * connection; the history stays. */
static void
on_node_state_changed (BeamLoadPage *self)
{
  if (beam_node_get_state (self->node) != BEAM_CONNECTION_STATE_CONNECTED)
    {
      gtk_widget_set_opacity (GTK_WIDGET (self->charts_box), 0.45);
      g_clear_pointer (&self->last, beam_load_sample_free);
      g_clear_pointer (&self->holder, beam_term_free);
      return;
    }
  gtk_widget_set_opacity (GTK_WIDGET (self->charts_box), 1.0);
  beam_load_sample_flag_holder_start_async (beam_node_get_connection (self->node), self->cancellable, holder_done,
                                     g_object_ref (self));
}

static void
on_interval_chosen (BeamLoadPage *self)
{
  if (self->timeout_id != 0)
    schedule_sample (self);
}

static void
on_window_chosen (BeamLoadPage *self)
{
  gint64 window_us = windows_min[gtk_drop_down_get_selected (self->window_dropdown)] * 60 * G_USEC_PER_SEC;
  BeamChart *charts[] = { self->usage_chart, self->queue_chart, self->memory_chart, self->io_chart, self->work_chart };

  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    if (charts[i] != NULL)
      beam_chart_set_window (charts[i], window_us);
}

/* ---- GObject -------------------------------------------------------------------- */

static void
beam_load_page_dispose (GObject *object)
{
  BeamLoadPage *self = BEAM_LOAD_PAGE (object);

  beam_load_page_set_node (self, NULL);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_LOAD_PAGE);

  G_OBJECT_CLASS (beam_load_page_parent_class)->dispose (object);
}

static void
beam_load_page_finalize (GObject *object)
{
  BeamLoadPage *self = BEAM_LOAD_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last, beam_load_sample_free);
  g_clear_pointer (&self->holder, beam_term_free);

  G_OBJECT_CLASS (beam_load_page_parent_class)->finalize (object);
}

static void
beam_load_page_class_init (BeamLoadPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_load_page_dispose;
  object_class->finalize = beam_load_page_finalize;

  g_type_ensure (BEAM_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/beamscope/Beamscope/beam-load-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamLoadPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeamLoadPage, interval_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BeamLoadPage, window_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BeamLoadPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, BeamLoadPage, charts_box);
  gtk_widget_class_bind_template_callback (widget_class, on_interval_chosen);
  gtk_widget_class_bind_template_callback (widget_class, on_window_chosen);
}

static void
beam_load_page_init (BeamLoadPage *self)
{
  g_autoptr(GtkStringList) intervals = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) windows = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < G_N_ELEMENTS (intervals_ms); i++)
    {
      g_autofree char *label = intervals_ms[i] < 1000 ? g_strdup_printf (_("Every %u ms"), intervals_ms[i])
                                                      : g_strdup_printf (_("Every %u s"), intervals_ms[i] / 1000);
      gtk_string_list_append (intervals, label);
    }
  for (guint i = 0; i < G_N_ELEMENTS (windows_min); i++)
    {
      g_autofree char *label = g_strdup_printf (ngettext ("%u minute", "%u minutes", windows_min[i]), windows_min[i]);
      gtk_string_list_append (windows, label);
    }
  gtk_drop_down_set_model (self->interval_dropdown, G_LIST_MODEL (intervals));
  gtk_drop_down_set_selected (self->interval_dropdown, DEFAULT_INTERVAL);
  gtk_drop_down_set_model (self->window_dropdown, G_LIST_MODEL (windows));
  gtk_drop_down_set_selected (self->window_dropdown, DEFAULT_WINDOW);
  gtk_label_set_label (self->status_label, _("Waiting for the node…"));
}

void
beam_load_page_set_node (BeamLoadPage *self,
                         BeamNode     *node)
{
  g_return_if_fail (BEAM_IS_LOAD_PAGE (self));

  if (self->node == node)
    return;
  if (self->node != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->node, self);
      /* The holder would go with the connection anyway; tell it now. */
      if (self->holder != NULL && beam_node_get_state (self->node) == BEAM_CONNECTION_STATE_CONNECTED)
        beam_load_sample_flag_holder_stop (beam_node_get_connection (self->node), self->holder);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_pointer (&self->last, beam_load_sample_free);
  g_clear_pointer (&self->holder, beam_term_free);
  self->sampling = FALSE;
  self->samples = 0;
  if (self->charts_box != NULL)
    clear_charts (self);

  g_set_object (&self->node, node);
  if (node != NULL)
    {
      g_signal_connect_object (node, "notify::state", G_CALLBACK (on_node_state_changed), self, G_CONNECT_SWAPPED);
      on_node_state_changed (self);
    }
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
  return self->busiest;
}
