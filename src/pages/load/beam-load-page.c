/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Load page: charts of scheduler utilisation (per scheduler and in
 * total, dirty schedulers dashed), run queues, memory by category, IO, and
 * reductions, then garbage collections and context switches per second on a
 * chart of their own (under millions of reductions they were a flat line).
 *
 * A chart's legend is in groups, as a node's schedulers are: the total,
 * the normal schedulers, dirty CPU, dirty IO. A group's toggle shows or hides
 * all its members; each member still toggles alone. Series are named as
 * observer names them ("Scheduler 1").
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
  { N_("Total"), BEAM_MEMORY_TOTAL }, { N_("Processes"), BEAM_MEMORY_PROCESSES },
  { N_("System"), BEAM_MEMORY_SYSTEM }, { N_("Binary"), BEAM_MEMORY_BINARY },
  { N_("ETS"), BEAM_MEMORY_ETS }, { N_("Atom"), BEAM_MEMORY_ATOM },
  { N_("Code"), BEAM_MEMORY_CODE },
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
  BeamChart       *gc_chart;
};

/* A run of a chart's series toggled together by the legend. */
typedef struct
{
  const char *name;
  guint       first;
  guint       n;
} LegendGroup;

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

/* A group's toggle sets each member's, which shows or hides its series. */
static void
on_group_toggled (GtkToggleButton *group,
                  GtkWidget       *members)
{
  gboolean active = gtk_toggle_button_get_active (group);

  for (GtkWidget *child = gtk_widget_get_first_child (members); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *toggle = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), active);
    }
}

static GtkWidget *
series_toggle (BeamChart  *chart,
               guint       series,
               const char *label)
{
  GtkWidget *toggle = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GdkRGBA color;

  beam_chart_get_series_color (chart, series, &color);
  gtk_box_append (GTK_BOX (box), beam_palette_swatch_new (&color));
  gtk_box_append (GTK_BOX (box), gtk_label_new (label));
  gtk_button_set_child (GTK_BUTTON (toggle), box);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  gtk_widget_add_css_class (toggle, "flat");
  gtk_widget_set_tooltip_text (toggle, _("Show or hide this series"));
  g_object_set_data (G_OBJECT (toggle), "series", GUINT_TO_POINTER (series));
  gtk_widget_set_name (toggle, beam_chart_get_series_label (chart, series));
  g_signal_connect (toggle, "toggled", G_CALLBACK (on_legend_toggled), chart);
  return toggle;
}

/* The legend: a line per group, its toggle then its members' (a group of
 * one is its member's toggle alone). Toggles are named after their series
 * or group, for the tests. */
static GtkWidget *
legend_new (BeamChart         *chart,
            const LegendGroup *groups,
            guint              n_groups)
{
  GtkWidget *legend = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  for (guint g = 0; g < n_groups; g++)
    {
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *members = gtk_flow_box_new ();

      if (groups[g].n == 0)
        continue;
      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (members), GTK_SELECTION_NONE);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (members), 16);
      gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (members), 0);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (members), 0);
      gtk_widget_set_hexpand (members, TRUE);
      for (guint i = 0; i < groups[g].n; i++)
        gtk_flow_box_append (GTK_FLOW_BOX (members),
                             series_toggle (chart, groups[g].first + i,
                                            beam_chart_get_series_label (chart,
                                                                         groups[g].first + i)));
      if (groups[g].n > 1)
        {
          GtkWidget *group = gtk_toggle_button_new_with_label (groups[g].name);

          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (group), TRUE);
          gtk_widget_add_css_class (group, "flat");
          gtk_widget_add_css_class (gtk_button_get_child (GTK_BUTTON (group)), "heading");
          gtk_widget_set_valign (group, GTK_ALIGN_START);
          gtk_widget_set_tooltip_text (group, _("Show or hide the whole group"));
          gtk_widget_set_name (group, groups[g].name);
          g_signal_connect_object (group, "toggled", G_CALLBACK (on_group_toggled), members, 0);
          gtk_box_append (GTK_BOX (line), group);
        }
      gtk_box_append (GTK_BOX (line), members);
      gtk_box_append (GTK_BOX (legend), line);
    }
  return legend;
}

/* A titled chart with its legend. */
static BeamChart *
add_chart (BeamLoadPage      *self,
           const char        *name,
           const char        *title,
           BeamChart         *chart,
           const LegendGroup *groups,
           guint              n_groups)
{
  GtkWidget *label = gtk_label_new (title);
  LegendGroup all = { NULL, 0, beam_chart_get_n_series (chart) };

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_size_request (GTK_WIDGET (chart), -1, 180);
  gtk_widget_set_name (GTK_WIDGET (chart), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  gtk_box_append (self->charts_box, label);
  gtk_box_append (self->charts_box, GTK_WIDGET (chart));
  /* Without groups, every series alone on one line. */
  if (groups == NULL)
    {
      GtkWidget *legend = gtk_flow_box_new ();

      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (legend), GTK_SELECTION_NONE);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (legend), 12);
      for (guint s = 0; s < all.n; s++)
        gtk_flow_box_append (GTK_FLOW_BOX (legend),
                             series_toggle (chart, s, beam_chart_get_series_label (chart, s)));
      gtk_box_append (self->charts_box, legend);
    }
  else
    gtk_box_append (self->charts_box, legend_new (chart, groups, n_groups));
  return chart;
}

/* The scheduler ids of a node: 1..N normal, then dirty CPU, then dirty IO,
 * as scheduler_wall_time_all numbers them. */
static char *
scheduler_name (const BeamLoadSample *sample,
                guint                 id)
{
  gint normal = sample->schedulers;
  gint dirty_cpu = sample->dirty_cpu_schedulers;

  if ((gint) id <= normal)
    return g_strdup_printf (_("Scheduler %u"), id);
  if ((gint) id <= normal + dirty_cpu)
    return g_strdup_printf (_("Dirty CPU %u"), id - normal);
  return g_strdup_printf (_("Dirty IO %u"), id - normal - dirty_cpu);
}

static void
build_charts (BeamLoadPage         *self,
              const BeamLoadSample *sample)
{
  BeamChart *chart;
  gint64 window = window_us (self);
  guint queues = sample->run_queues->len;
  guint normal = 0, dirty_cpu = 0, dirty_io = 0;

  /* Scheduler utilisation: the total, then each scheduler. */
  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_FRACTION));
  beam_chart_add_series (chart, _("Total"), FALSE);
  for (guint i = 0; i < sample->wall->len; i++)
    {
      guint id = g_array_index (sample->wall, BeamWallTime, i).id;
      gboolean dirty = (gint) id > sample->schedulers;
      g_autofree char *label = scheduler_name (sample, id);

      if (!dirty)
        normal++;
      else if ((gint) id <= sample->schedulers + sample->dirty_cpu_schedulers)
        dirty_cpu++;
      else
        dirty_io++;
      beam_chart_add_series (chart, label, dirty);
    }
  {
    /* The history keeps the wall times sorted by id: normal, then dirty. */
    const LegendGroup groups[] = {
      { _("Total"), 0, 1 },
      { _("Normal schedulers"), 1, normal },
      { _("Dirty CPU schedulers"), 1 + normal, dirty_cpu },
      { _("Dirty IO schedulers"), 1 + normal + dirty_cpu, dirty_io },
    };
    self->usage_chart = add_chart (self, "usage",
                                   _("Scheduler Utilization (%, as recon:scheduler_usage)"),
                                   chart, groups, G_N_ELEMENTS (groups));
  }

  /* run_queue_lengths_all: one queue per normal scheduler, then the dirty
   * CPU queue and the dirty IO queue. */
  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_COUNT));
  beam_chart_add_series (chart, _("Total"), FALSE);
  normal = 0;
  for (guint i = 0; i < queues; i++)
    {
      g_autofree char *label = (gint) i < sample->schedulers
                               ? g_strdup_printf (_("Scheduler %u"), i + 1)
                               : (gint) i == sample->schedulers ? g_strdup (_("Dirty CPU"))
                                                                : g_strdup (_("Dirty IO"));
      if ((gint) i < sample->schedulers)
        normal++;
      beam_chart_add_series (chart, label, (gint) i >= sample->schedulers);
    }
  {
    const LegendGroup groups[] = {
      { _("Total"), 0, 1 },
      { _("Normal schedulers"), 1, normal },
      { _("Dirty CPU"), 1 + normal, MIN (1, queues - normal) },
      { _("Dirty IO"), 2 + normal, queues > normal + 1 ? queues - normal - 1 : 0 },
    };
    self->queue_chart = add_chart (self, "queues",
                                   _("Run Queues (processes and ports ready to run)"), chart,
                                   groups, G_N_ELEMENTS (groups));
  }

  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_BYTES));
  for (guint i = 0; i < G_N_ELEMENTS (memory_series); i++)
    {
      GdkRGBA color;
      guint series = beam_chart_add_series (chart, _(memory_series[i].label), FALSE);

      beam_palette_get_memory_color (memory_series[i].category, &color);
      beam_chart_set_series_color (chart, series, &color);
    }
  self->memory_chart = add_chart (self, "memory", _("Memory Usage"), chart, NULL, 0);

  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_BYTES_PER_SECOND));
  beam_chart_add_series (chart, _("Input"), FALSE);
  beam_chart_add_series (chart, _("Output"), FALSE);
  self->io_chart = add_chart (self, "io", _("IO Usage (bytes per second)"), chart, NULL, 0);

  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_RATE));
  beam_chart_add_series (chart, _("Reductions"), FALSE);
  self->work_chart = add_chart (self, "reductions", _("Reductions per Second"), chart, NULL, 0);

  chart = BEAM_CHART (beam_chart_new (BEAM_CHART_UNIT_RATE));
  beam_chart_add_series (chart, _("Garbage collections"), FALSE);
  beam_chart_add_series (chart, _("Context switches"), FALSE);
  self->gc_chart = add_chart (self, "gc", _("Garbage Collections and Context Switches per Second"),
                              chart, NULL, 0);

  beam_chart_set_window (self->usage_chart, window);
  beam_chart_set_window (self->queue_chart, window);
  beam_chart_set_window (self->memory_chart, window);
  beam_chart_set_window (self->io_chart, window);
  beam_chart_set_window (self->work_chart, window);
  beam_chart_set_window (self->gc_chart, window);
}

static void
clear_charts (BeamLoadPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->charts_box))) != NULL)
    gtk_box_remove (self->charts_box, child);
  self->usage_chart = self->queue_chart = self->memory_chart = self->io_chart =
    self->work_chart = self->gc_chart = NULL;
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
  const double *work = beam_load_history_get_values (history, point, BEAM_LOAD_GROUP_WORK);

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
  /* WORK is reductions, garbage collections, context switches. */
  beam_chart_push (self->work_chart, t, work);
  beam_chart_push (self->gc_chart, t, work + 1);
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
    self->gc_chart,
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

/* For tests: a chart by name ("usage", "queues", "memory", "io",
 * "reductions", "gc"), and a legend toggle by its group's or series' name. */
BeamChart *
beam_load_page_get_chart (BeamLoadPage *self,
                          const char   *name)
{
  g_return_val_if_fail (BEAM_IS_LOAD_PAGE (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->charts_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (BEAM_IS_CHART (child) && g_strcmp0 (gtk_widget_get_name (child), name) == 0)
      return BEAM_CHART (child);
  return NULL;
}

static GtkToggleButton *
find_toggle (GtkWidget  *widget,
             const char *name)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) && g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return GTK_TOGGLE_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkToggleButton *found = find_toggle (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkToggleButton *
beam_load_page_get_legend_toggle (BeamLoadPage *self,
                                  const char   *chart,
                                  const char   *name)
{
  BeamChart *found = beam_load_page_get_chart (self, chart);
  GtkWidget *legend;

  g_return_val_if_fail (found != NULL, NULL);
  /* The legend follows its chart. */
  legend = gtk_widget_get_next_sibling (GTK_WIDGET (found));
  return find_toggle (legend, name);
}
