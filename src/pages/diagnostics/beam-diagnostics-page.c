/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Diagnostics page: the seeds' "Common Performance Issues" run as checks
 * (probe/beam-diagnostics.h), one row each, with its status, its summary, the
 * figures behind it, the culprits named, when it last ran and what it cost the
 * node, and a button to the view that investigates it. At the top, the
 * verdict: the worst finding in words.
 *
 * The checks run on demand (Run Checks, Ctrl+R) and every
 * `diagnostics-refresh-interval` seconds while the page is on screen; a run
 * takes about the sample window (`diagnostics-window`), during which the last
 * results stay and a spinner turns. Thresholds are read from GSettings at
 * each run, so a changed one judges the next. While the page is open it
 * keeps the first atom count it saw, for the atom table's growth rate and
 * its time to exhaustion. The binary leak search (recon:bin_leak) collects
 * every process: it is asked first, and absent with --read-only. */

#define G_LOG_DOMAIN "beamscope-diagnostics"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "beam-diagnostics-page-private.h"
#include "beam-number-format.h"

#define LEAK_TOP 10

typedef enum
{
  UNIT_COUNT,       /* messages, atoms, processes */
  UNIT_CHANGE,      /* growth over the window */
  UNIT_BYTES,
  UNIT_BYTES_CHANGE,
  UNIT_PERCENT,
} CulpritUnit;

/* What a check is called on screen and how its culprits' values read. */
static const struct
{
  const char  *title;
  const char  *description;
  CulpritUnit  unit;
} check_specs[BEAM_N_CHECKS] = {
  [BEAM_CHECK_MESSAGE_QUEUE] = { N_("Message Queues"),
                                 N_("Processes with more messages waiting than the threshold"),
                                 UNIT_COUNT },
  [BEAM_CHECK_QUEUE_GROWTH] = { N_("Growing Message Queues"),
                                N_("Queues that grew over the sample window"), UNIT_CHANGE },
  [BEAM_CHECK_ATOMS] = { N_("Atom Table"),
                         N_("Atoms against the limit: atoms are never freed"), UNIT_COUNT },
  [BEAM_CHECK_BINARY_MEMORY] = { N_("Binary Memory"),
                                 N_("Binaries against the node's total memory"), UNIT_BYTES },
  [BEAM_CHECK_SCHEDULERS] = { N_("Scheduler Utilization"),
                              N_("Over the sample window, with the run queues"), UNIT_PERCENT },
  [BEAM_CHECK_DIRTY_SCHEDULERS] = { N_("Dirty CPU Schedulers"),
                                    N_("Utilization of the dirty CPU schedulers"),
                                    UNIT_PERCENT },
  [BEAM_CHECK_PROCESS_LIMIT] = { N_("Process Limit"),
                                 N_("Processes against the node's limit"), UNIT_COUNT },
  [BEAM_CHECK_PORT_LIMIT] = { N_("Port Limit"), N_("Ports against the node's limit"),
                              UNIT_COUNT },
  [BEAM_CHECK_ETS_LIMIT] = { N_("ETS Table Limit"), N_("ETS tables against the node's limit"),
                             UNIT_COUNT },
  [BEAM_CHECK_ETS_MEMORY] = { N_("Biggest ETS Tables"),
                              N_("The biggest table against the node's total memory"),
                              UNIT_BYTES },
  [BEAM_CHECK_PROCESS_MEMORY] = { N_("Biggest Processes"), N_("The processes with most memory"),
                                  UNIT_BYTES },
  [BEAM_CHECK_MEMORY_GROWTH] = { N_("Memory Growth"),
                                 N_("The node's total memory over the sample window"),
                                 UNIT_BYTES_CHANGE },
};

typedef struct
{
  AdwExpanderRow        *row;
  GtkImage              *icon;
  GtkButton             *investigate;
  GtkBox                *content;      /* rebuilt for every result, once expanded */
  const BeamCheckResult *result;       /* in the page's `results`, or NULL */
  char                  *growth;       /* the atom table's rate this session */
  BeamCheckStatus        status;
  gboolean               shown;        /* a result was shown */
  gboolean               stale;        /* `content` does not show `result` yet */
} CheckRow;

struct _BeamDiagnosticsPage
{
  BeamPage                parent_instance;

  GtkImage               *verdict_icon;
  GtkLabel               *verdict_label;
  GtkLabel               *run_label;
  GtkSpinner             *spinner;
  AdwPreferencesGroup    *checks_group;

  CheckRow                rows[BEAM_N_CHECKS];
  GPtrArray              *results;       /* the last run's, which the rows show */
  guint                   content_idle;  /* builds one stale, expanded row a turn */
  GtkWidget              *leak_button;
  GtkLabel               *leak_label;
  GtkGrid                *leak_grid;

  GSettings              *settings;
  /* The run's options live here: the probe reads them while it runs. */
  BeamDiagnosticsOptions  options;
  guint                   runs;
  guint                   leak_runs;
  gboolean                finding_leaks;

  /* The first atom count of the session, for the growth rate. */
  gboolean                atoms_seen;
  double                  first_atoms;
  gint64                  first_atoms_usec;   /* monotonic */
  gint64                  first_atoms_clock;  /* real time, for "since" */
};

G_DEFINE_FINAL_TYPE (BeamDiagnosticsPage, beam_diagnostics_page, BEAM_TYPE_PAGE)

/* The one place the page's actions are enabled or not. */
static void
update_actions (BeamDiagnosticsPage *self)
{
  /* A run already out is not asked again: Run Checks waits for it. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diagnostics.run",
                                 !beam_page_get_busy (BEAM_PAGE (self)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diagnostics.find-binary-leaks",
                                 !beam_page_get_read_only (BEAM_PAGE (self))
                                 && !self->finding_leaks);
}

/* ---- words and numbers ------------------------------------------------------------ */

static const char *
status_icon_name (BeamCheckStatus status)
{
  switch (status)
    {
    case BEAM_CHECK_OK: return "emblem-ok-symbolic";
    case BEAM_CHECK_WARNING: return "dialog-warning-symbolic";
    case BEAM_CHECK_CRITICAL: return "dialog-error-symbolic";
    case BEAM_CHECK_UNKNOWN:
    default: return "dialog-question-symbolic";
    }
}

static const char *
status_words (BeamCheckStatus status)
{
  switch (status)
    {
    case BEAM_CHECK_OK: return _("OK");
    case BEAM_CHECK_WARNING: return _("Warning");
    case BEAM_CHECK_CRITICAL: return _("Critical");
    case BEAM_CHECK_UNKNOWN:
    default: return _("Unknown");
    }
}

/* The icon's colour: Adwaita's success, warning and error classes. */
static void
style_status_icon (GtkImage        *icon,
                   BeamCheckStatus  status)
{
  static const char *classes[] = { "success", "warning", "error", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (icon), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (icon),
                            classes[MIN ((guint) status, G_N_ELEMENTS (classes) - 1)]);
  gtk_image_set_from_icon_name (icon, status_icon_name (status));
  gtk_widget_set_tooltip_text (GTK_WIDGET (icon), status_words (status));
}

static char *format_duration (double seconds);

/* "12.5 %", "1,234", "1.2 MiB", "3 h 5 min": a figure in its unit. */
static char *
format_value (double      value,
              const char *unit)
{
  if (isnan (value))
    return g_strdup ("—");
  if (g_strcmp0 (unit, "s") == 0)
    return format_duration (value);
  if (g_strcmp0 (unit, "%") == 0)
    return g_strdup_printf ("%.1f %%", value);
  if (g_strcmp0 (unit, "B") == 0)
    return beam_format_bytes ((gint64) value);
  if (value == floor (value) && fabs (value) < 1e15)
    return beam_format_count ((gint64) value);
  return g_strdup_printf ("%.2f", value);
}

static char *
format_culprit_value (CulpritUnit unit,
                      double      value)
{
  if (isnan (value))
    return g_strdup ("");
  switch (unit)
    {
    case UNIT_CHANGE: return beam_format_count_change ((gint64) value);
    case UNIT_BYTES: return beam_format_bytes ((gint64) value);
    case UNIT_BYTES_CHANGE: return beam_format_bytes_change ((gint64) value);
    case UNIT_PERCENT: return g_strdup_printf ("%.1f %%", value);
    case UNIT_COUNT:
    default: return beam_format_count ((gint64) value);
    }
}

/* "40 s", "12 min", "3 h 5 min", "9 days": how long until something. */
static char *
format_duration (double seconds)
{
  if (seconds < 90)
    return g_strdup_printf (_("%.0f s"), seconds);
  if (seconds < 90 * 60)
    return g_strdup_printf (_("%.0f min"), seconds / 60);
  if (seconds < 48 * 3600)
    return g_strdup_printf (_("%d h %d min"), (int) (seconds / 3600),
                            (int) fmod (seconds / 60, 60));
  if (seconds < 1000.0 * 86400)
    return g_strdup_printf (g_dngettext (NULL, "%.0f day", "%.0f days",
                                         (gulong) round (seconds / 86400)), seconds / 86400);
  return g_strdup (_("years"));
}

static char *
format_clock (gint64 real_usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (real_usec / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%H:%M:%S") : g_strdup ("?");
}

/* ---- building rows ---------------------------------------------------------------- */

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static GtkWidget *
text_label (const char *text,
            float       xalign,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = text_label (text, 0, "heading");

  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_set_margin_top (label, 6);
  return label;
}

/* A process, a table or a port as a flat button to its view; a scheduler as
 * text. */
static GtkWidget *
culprit_widget (const BeamCulprit *culprit)
{
  const char *shown = culprit->name != NULL ? culprit->name : culprit->id;
  GtkWidget *button;
  g_autofree char *tooltip = NULL;

  switch (culprit->kind)
    {
    case BEAM_CULPRIT_PROCESS:
      button = gtk_button_new_with_label (shown);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-process");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", culprit->id);
      tooltip = g_strdup_printf (_("%s: open this process"), culprit->id);
      break;
    case BEAM_CULPRIT_TABLE:
      button = gtk_button_new_with_label (shown);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-table");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", shown);
      tooltip = g_strdup_printf (_("%s: open this table"), culprit->id);
      break;
    case BEAM_CULPRIT_PORT:
      button = gtk_button_new_with_label (shown);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-page");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", "ports", "");
      tooltip = g_strdup_printf (_("%s: open the Ports page"), culprit->id);
      break;
    case BEAM_CULPRIT_SCHEDULER:
    default:
      {
        g_autofree char *text = g_strdup_printf (_("Scheduler %s"), culprit->id);
        return text_label (text, 0, NULL);
      }
    }
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_label_set_ellipsize (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))),
                           PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0);
  return button;
}

static const char *
culprits_heading (const BeamCheckResult *result)
{
  const BeamCulprit *first = g_ptr_array_index (result->culprits, 0);

  switch (first->kind)
    {
    case BEAM_CULPRIT_PROCESS: return _("Processes");
    case BEAM_CULPRIT_PORT: return _("Ports");
    case BEAM_CULPRIT_TABLE: return _("Tables");
    case BEAM_CULPRIT_SCHEDULER:
    default: return _("Schedulers");
    }
}

static const BeamFigure *
find_figure (const BeamCheckResult *result,
             const char            *label)
{
  for (guint i = 0; result->figures != NULL && i < result->figures->len; i++)
    {
      const BeamFigure *figure = g_ptr_array_index (result->figures, i);

      if (g_strcmp0 (figure->label, label) == 0)
        return figure;
    }
  return NULL;
}

/* The atom count and limit of the atoms check: its count figure, whose
 * maximum is the limit (or a figure of the limit of its own). */
static gboolean
atom_count (const BeamCheckResult *result,
            double                *count,
            double                *limit)
{
  static const char *count_labels[] = { "atom_count", "atoms", "count" };
  static const char *limit_labels[] = { "atom_limit", "limit" };
  const BeamFigure *figure = NULL;

  for (guint i = 0; figure == NULL && i < G_N_ELEMENTS (count_labels); i++)
    figure = find_figure (result, count_labels[i]);
  if (figure == NULL || isnan (figure->value) || g_strcmp0 (figure->unit, "%") == 0)
    return FALSE;
  *count = figure->value;
  *limit = figure->max;
  for (guint i = 0; isnan (*limit) && i < G_N_ELEMENTS (limit_labels); i++)
    {
      const BeamFigure *limit_figure = find_figure (result, limit_labels[i]);

      if (limit_figure != NULL)
        *limit = limit_figure->value;
    }
  return TRUE;
}

/* "Since 12:00:01: +1,234 atoms, 56.0 per minute; full in 3 h at that
 * rate": from the first count this page saw of the node. */
static char *
atom_growth_text (BeamDiagnosticsPage   *self,
                  const BeamCheckResult *result)
{
  double count, limit, minutes, rate;
  g_autofree char *since = NULL;
  g_autofree char *change = NULL;
  g_autofree char *per_minute = NULL;

  if (!atom_count (result, &count, &limit))
    return NULL;
  if (!self->atoms_seen)
    {
      self->atoms_seen = TRUE;
      self->first_atoms = count;
      self->first_atoms_usec = g_get_monotonic_time ();
      self->first_atoms_clock = g_get_real_time ();
      since = format_clock (self->first_atoms_clock);
      return g_strdup_printf (_("Growth while this page is open: counted from %s on"), since);
    }
  since = format_clock (self->first_atoms_clock);
  minutes = (g_get_monotonic_time () - self->first_atoms_usec) / (60.0 * G_USEC_PER_SEC);
  rate = minutes > 0 ? (count - self->first_atoms) / minutes : 0;
  change = count != self->first_atoms ? beam_format_count_change ((gint64) (count -
                                                                           self->first_atoms))
                                      : g_strdup ("0");
  per_minute = rate >= 100 ? beam_format_count ((gint64) rate) : g_strdup_printf ("%.1f", rate);
  if (rate > 0 && !isnan (limit) && limit > count)
    {
      g_autofree char *left = format_duration ((limit - count) / rate * 60);
      return g_strdup_printf (g_dngettext (NULL,
                                           "Since %s: %s atom, %s per minute; full in %s at "
                                           "that rate",
                                           "Since %s: %s atoms, %s per minute; full in %s at "
                                           "that rate", (gulong) fabs (count - self->first_atoms)),
                              since, change, per_minute, left);
    }
  if (rate > 0)
    return g_strdup_printf (g_dngettext (NULL, "Since %s: %s atom, %s per minute",
                                         "Since %s: %s atoms, %s per minute",
                                         (gulong) fabs (count - self->first_atoms)),
                            since, change, per_minute);
  return g_strdup_printf (g_dngettext (NULL, "Since %s: %s atom", "Since %s: %s atoms",
                                       (gulong) fabs (count - self->first_atoms)), since, change);
}

/* A button on screen moving to an action with another parameter type: the
 * name let go first, so GTK never sees the new name with the old target. */
static void
set_button_action (GtkButton  *button,
                   const char *action,
                   GVariant   *target)
{
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), NULL);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
}

/* The button at the end of a check's row: the view that investigates it.
 * The worst culprit's window where there is one, else the page to read. */
static void
set_investigate (GtkButton             *button,
                 BeamCheck              check,
                 const BeamCheckResult *result)
{
  const BeamCulprit *first = result != NULL && result->culprits != NULL
                             && result->culprits->len > 0
                             ? g_ptr_array_index (result->culprits, 0) : NULL;
  const char *page = NULL, *detail = "", *label = NULL;
  g_autofree char *tooltip = NULL;

  if (first != NULL && first->kind == BEAM_CULPRIT_PROCESS && first->id != NULL
      && (check == BEAM_CHECK_MESSAGE_QUEUE || check == BEAM_CHECK_QUEUE_GROWTH
          || check == BEAM_CHECK_PROCESS_MEMORY))
    {
      gtk_button_set_label (button, _("Open Process"));
      set_button_action (button, "win.open-process", g_variant_new_string (first->id));
      tooltip = g_strdup_printf (_("Open %s, the worst"), first->name != NULL ? first->name
                                                                           : first->id);
      gtk_widget_set_tooltip_text (GTK_WIDGET (button), tooltip);
      return;
    }
  if (first != NULL && first->kind == BEAM_CULPRIT_TABLE && check == BEAM_CHECK_ETS_MEMORY)
    {
      const char *table = first->name != NULL ? first->name : first->id;

      gtk_button_set_label (button, _("Open Table"));
      set_button_action (button, "win.open-table", g_variant_new_string (table));
      tooltip = g_strdup_printf (_("Open %s, the biggest"), table);
      gtk_widget_set_tooltip_text (GTK_WIDGET (button), tooltip);
      return;
    }

  switch (check)
    {
    case BEAM_CHECK_MESSAGE_QUEUE:
    case BEAM_CHECK_QUEUE_GROWTH:
      page = "processes", detail = "message_queue_len", label = _("Open Processes");
      break;
    case BEAM_CHECK_PROCESS_MEMORY:
    case BEAM_CHECK_PROCESS_LIMIT:
      page = "processes", detail = "memory", label = _("Open Processes");
      break;
    case BEAM_CHECK_ATOMS:
      page = "system", label = _("Open System");
      break;
    case BEAM_CHECK_BINARY_MEMORY:
    case BEAM_CHECK_MEMORY_GROWTH:
      page = "memory", label = _("Open Memory");
      break;
    case BEAM_CHECK_SCHEDULERS:
    case BEAM_CHECK_DIRTY_SCHEDULERS:
      page = "load", label = _("Open Load");
      break;
    case BEAM_CHECK_PORT_LIMIT:
      page = "ports", label = _("Open Ports");
      break;
    case BEAM_CHECK_ETS_LIMIT:
    case BEAM_CHECK_ETS_MEMORY:
    case BEAM_N_CHECKS:
    default:
      page = "tables", label = _("Open Tables");
      break;
    }
  gtk_button_set_label (button, label);
  set_button_action (button, "win.show-page", g_variant_new ("(ss)", page, detail));
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), NULL);
}

/* The figures as "label  value  of limit  warning · critical". */
static void
append_figures (GtkBox                *content,
                const BeamCheckResult *result)
{
  GtkWidget *grid;

  if (result->figures == NULL || result->figures->len == 0)
    return;
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  for (guint i = 0; i < result->figures->len; i++)
    {
      const BeamFigure *figure = g_ptr_array_index (result->figures, i);
      g_autofree char *value = format_value (figure->value, figure->unit);
      g_autofree char *limits = NULL;
      const char *name = beam_figure_get_title (figure);
      GtkWidget *label;

      if (!isnan (figure->max) && g_strcmp0 (figure->unit, "%") != 0
          && g_strcmp0 (figure->unit, "B") != 0 && figure->max > 0)
        {
          g_free (value);
          value = beam_format_count_of ((gint64) figure->value, (gint64) figure->max);
        }
      if (!isnan (figure->warning) && !isnan (figure->critical))
        {
          g_autofree char *warning = format_value (figure->warning, figure->unit);
          g_autofree char *critical = format_value (figure->critical, figure->unit);
          limits = g_strdup_printf (_("warning at %s, critical at %s"), warning, critical);
        }
      label = text_label (name, 0, "dim-label");
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_grid_attach (GTK_GRID (grid), label, 0, i, 1, 1);
      label = text_label (value, 1, "numeric");
      gtk_grid_attach (GTK_GRID (grid), label, 1, i, 1, 1);
      if (limits != NULL)
        {
          label = text_label (limits, 0, "dim-label");
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_widget_set_hexpand (label, TRUE);
          gtk_grid_attach (GTK_GRID (grid), label, 2, i, 1, 1);
        }
    }
  gtk_box_append (content, grid);
}

static void
append_culprits (GtkBox                *content,
                 BeamCheck              check,
                 const BeamCheckResult *result)
{
  GtkWidget *grid;

  if (result->culprits == NULL || result->culprits->len == 0)
    return;
  gtk_box_append (content, heading (culprits_heading (result)));
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 0);
  for (guint i = 0; i < result->culprits->len; i++)
    {
      const BeamCulprit *culprit = g_ptr_array_index (result->culprits, i);
      g_autofree char *value = format_culprit_value (check_specs[check].unit, culprit->value);
      GtkWidget *label;
      GtkWidget *who = culprit_widget (culprit);

      gtk_widget_set_size_request (who, 120, -1);
      gtk_grid_attach (GTK_GRID (grid), who, 0, i, 1, 1);
      if (culprit->name != NULL && culprit->kind != BEAM_CULPRIT_SCHEDULER)
        {
          label = text_label (culprit->id, 0, "dim-label");
          gtk_grid_attach (GTK_GRID (grid), label, 1, i, 1, 1);
        }
      label = text_label (value, 1, "numeric");
      gtk_grid_attach (GTK_GRID (grid), label, 2, i, 1, 1);
      label = text_label (culprit->detail != NULL ? culprit->detail : "", 0, "dim-label");
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_grid_attach (GTK_GRID (grid), label, 3, i, 1, 1);
    }
  gtk_box_append (content, grid);
}

/* "Last ran 12:03:05 · cost 1,234 reductions, 1,002 ms" */
static char *
cost_text (const BeamCheckResult *result)
{
  g_autofree char *clock = format_clock (result->ran_at);
  /* A check without a window takes a few ms: "0 ms" would say it cost nothing. */
  g_autofree char *ms = result->node_us < 10000
                        ? g_strdup_printf ("%.1f", MAX (result->node_us, 0) / 1000.0)
                        : beam_format_count (result->node_us / 1000);

  if (result->reductions >= 0)
    {
      g_autofree char *reductions = beam_format_count (result->reductions);
      return g_strdup_printf (g_dngettext (NULL, "Last ran %s · cost %s reduction, %s ms",
                                           "Last ran %s · cost %s reductions, %s ms",
                                           (gulong) result->reductions), clock, reductions, ms);
    }
  return g_strdup_printf (_("Last ran %s · cost %s ms"), clock, ms);
}

/* What a row shows under it: the figures, the atom table's rate, the
 * culprits and the cost. Tens of widgets for a check with culprits: built
 * only for a row that is open, one row per main-loop turn. */
static void
build_content (CheckRow *row)
{
  const BeamCheckResult *result = row->result;
  g_autofree char *cost = NULL;

  row->stale = FALSE;
  if (result == NULL)
    return;
  cost = cost_text (result);
  clear_box (row->content);
  append_figures (row->content, result);
  if (row->growth != NULL)
    {
      GtkWidget *label = text_label (row->growth, 0, NULL);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (row->content, label);
    }
  append_culprits (row->content, result->check, result);
  gtk_box_append (row->content, text_label (cost, 0, "dim-label"));
}

static gboolean
build_next_content (gpointer user_data)
{
  BeamDiagnosticsPage *self = user_data;

  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    if (self->rows[i].stale && adw_expander_row_get_expanded (self->rows[i].row))
      {
        build_content (&self->rows[i]);
        return G_SOURCE_CONTINUE;
      }
  self->content_idle = 0;
  return G_SOURCE_REMOVE;
}

static void
queue_content (BeamDiagnosticsPage *self)
{
  if (self->content_idle == 0)
    self->content_idle = g_idle_add (build_next_content, self);
}

static void
on_row_expanded (BeamDiagnosticsPage *self)
{
  queue_content (self);
}

/* A row's own line at once (status, summary, its view); what is under it
 * later (queue_content). */
static void
show_result (BeamDiagnosticsPage   *self,
             const BeamCheckResult *result)
{
  CheckRow *row = &self->rows[result->check];
  g_autofree char *escaped = g_markup_escape_text (result->summary != NULL ? result->summary
                                                                           : "", -1);
  gboolean worse = result->status == BEAM_CHECK_WARNING || result->status == BEAM_CHECK_CRITICAL;

  row->result = result;
  row->stale = TRUE;
  if (result->check == BEAM_CHECK_ATOMS)
    {
      g_free (row->growth);
      row->growth = atom_growth_text (self, result);
    }
  /* A finding that is new opens its row; one the user closed stays closed. */
  if (worse && (!row->shown || row->status != result->status))
    adw_expander_row_set_expanded (row->row, TRUE);
  row->status = result->status;
  row->shown = TRUE;
  style_status_icon (row->icon, result->status);
  /* The summary names the node's processes and tables: escaped, as the
   * subtitle is markup. */
  adw_expander_row_set_subtitle (row->row, escaped);
  set_investigate (row->investigate, result->check, result);
}

static void
show_verdict (BeamDiagnosticsPage *self,
              GPtrArray           *results)
{
  guint counts[BEAM_CHECK_UNKNOWN + 1] = { 0, };
  g_autofree char *text = NULL;
  BeamCheckStatus worst = beam_diagnostics_worst (results);

  for (guint i = 0; i < results->len; i++)
    {
      const BeamCheckResult *result = g_ptr_array_index (results, i);
      counts[MIN ((guint) result->status, (guint) BEAM_CHECK_UNKNOWN)]++;
    }

  if (counts[BEAM_CHECK_CRITICAL] > 0 && counts[BEAM_CHECK_WARNING] > 0)
    {
      g_autofree char *critical =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u critical finding",
                                      "%u critical findings", counts[BEAM_CHECK_CRITICAL]),
                         counts[BEAM_CHECK_CRITICAL]);
      g_autofree char *warnings =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings",
                                      counts[BEAM_CHECK_WARNING]),
                         counts[BEAM_CHECK_WARNING]);
      /* TRANSLATORS: "2 critical findings, 1 warning" */
      text = g_strdup_printf (_("%s, %s"), critical, warnings);
    }
  else if (counts[BEAM_CHECK_CRITICAL] > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u critical finding",
                                         "%u critical findings", counts[BEAM_CHECK_CRITICAL]),
                            counts[BEAM_CHECK_CRITICAL]);
  else if (counts[BEAM_CHECK_WARNING] > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings",
                                         counts[BEAM_CHECK_WARNING]),
                            counts[BEAM_CHECK_WARNING]);
  else if (counts[BEAM_CHECK_UNKNOWN] == results->len && results->len > 0)
    text = g_strdup (_("The node could not be asked"));
  else if (counts[BEAM_CHECK_UNKNOWN] > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u check could not run",
                                         "%u checks could not run", counts[BEAM_CHECK_UNKNOWN]),
                            counts[BEAM_CHECK_UNKNOWN]);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "All %u check passes",
                                         "All %u checks pass", results->len),
                            results->len);
  gtk_label_set_label (self->verdict_label, text);
  style_status_icon (self->verdict_icon, worst);
}

static void
show_run_time (BeamDiagnosticsPage *self)
{
  g_autofree char *clock = format_clock (g_get_real_time ());
  guint interval = beam_page_get_refresh_interval (BEAM_PAGE (self));
  g_autofree char *text = interval > 0
                          ? g_strdup_printf (_("Last run %s · again every %u s while shown"),
                                             clock, interval)
                          : g_strdup_printf (_("Last run %s"), clock);

  gtk_label_set_label (self->run_label, text);
}

/* A check's row: status icon, title, summary, the button to its view, and
 * what it found under it. */
static void
build_row (BeamDiagnosticsPage *self,
           BeamCheck            check)
{
  CheckRow *row = &self->rows[check];
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _(check_specs[check].title));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                 _(check_specs[check].description));
  row->row = ADW_EXPANDER_ROW (expander);
  row->icon = GTK_IMAGE (icon);
  row->investigate = GTK_BUTTON (button);
  row->content = GTK_BOX (content);
  row->status = BEAM_CHECK_UNKNOWN;

  style_status_icon (row->icon, BEAM_CHECK_UNKNOWN);
  gtk_widget_set_tooltip_text (icon, _("Not run yet"));
  adw_expander_row_add_prefix (row->row, icon);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  set_investigate (row->investigate, check, NULL);
  adw_expander_row_add_action (row->row, button);

  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_widget_set_margin_top (content, 8);
  gtk_widget_set_margin_bottom (content, 8);
  gtk_box_append (row->content,
                  text_label (_("Not run yet: the checks run while this page is shown"), 0,
                              "dim-label"));
  adw_expander_row_add_row (row->row, content);

  if (check == BEAM_CHECK_BINARY_MEMORY)
    {
      /* The leak search keeps its answer across runs of the checks. */
      GtkWidget *leaks = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = text_label (_("Binary leaks: garbage-collect every process and rank "
                                       "them by the reference-counted binaries that frees, as "
                                       "recon:bin_leak does"), 0, "dim-label");
      GtkWidget *grid = gtk_grid_new ();

      self->leak_button = gtk_button_new_with_mnemonic (_("_Find Binary Leaks…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->leak_button),
                                      "diagnostics.find-binary-leaks");
      gtk_widget_set_valign (self->leak_button, GTK_ALIGN_CENTER);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (header), label);
      gtk_box_append (GTK_BOX (header), self->leak_button);
      gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
      self->leak_label = GTK_LABEL (label);
      self->leak_grid = GTK_GRID (grid);
      gtk_box_append (GTK_BOX (leaks), header);
      gtk_box_append (GTK_BOX (leaks), grid);
      gtk_widget_set_margin_start (leaks, 12);
      gtk_widget_set_margin_end (leaks, 12);
      gtk_widget_set_margin_top (leaks, 8);
      gtk_widget_set_margin_bottom (leaks, 8);
      adw_expander_row_add_row (row->row, leaks);
    }
  g_signal_connect_object (expander, "notify::expanded", G_CALLBACK (on_row_expanded), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->checks_group, expander);
}

/* Every row back to "not run": another node, or none. */
static void
forget_results (BeamDiagnosticsPage *self)
{
  for (BeamCheck check = 0; check < BEAM_N_CHECKS; check++)
    {
      CheckRow *row = &self->rows[check];

      row->status = BEAM_CHECK_UNKNOWN;
      row->shown = FALSE;
      row->stale = FALSE;
      row->result = NULL;
      g_clear_pointer (&row->growth, g_free);
      style_status_icon (row->icon, BEAM_CHECK_UNKNOWN);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->icon), _("Not run yet"));
      adw_expander_row_set_subtitle (row->row, _(check_specs[check].description));
      set_investigate (row->investigate, check, NULL);
      clear_box (row->content);
      gtk_box_append (row->content,
                      text_label (_("Not run yet: the checks run while this page is shown"), 0,
                                  "dim-label"));
    }
  g_clear_pointer (&self->results, g_ptr_array_unref);
  clear_grid (self->leak_grid);
  gtk_label_set_label (self->verdict_label, _("The checks have not run yet"));
  style_status_icon (self->verdict_icon, BEAM_CHECK_UNKNOWN);
  gtk_label_set_label (self->run_label,
                       _("The seeds' common performance problems, checked on the node"));
  self->atoms_seen = FALSE;
}

/* ---- running the checks ------------------------------------------------------------ */

/* The options of a run: the window and every threshold from the settings. */
static void
read_options (BeamDiagnosticsPage *self)
{
  beam_diagnostics_options_init (&self->options);
  self->options.window_ms = g_settings_get_uint (self->settings, "diagnostics-window");
  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    {
      g_autofree char *name = g_strdup (beam_check_to_string (i));
      g_autofree char *key = NULL;

      g_strdelimit (name, "_", '-');
      key = g_strconcat ("diagnostics-threshold-", name, NULL);
      g_settings_get (self->settings, key, "(dd)", &self->options.thresholds[i].warning,
                      &self->options.thresholds[i].critical);
    }
}

static void
run_done (GObject      *object G_GNUC_UNUSED,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BeamDiagnosticsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = beam_diagnostics_run_finish (result, &error);
  BeamNode *node;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  beam_page_refresh_done (BEAM_PAGE (self), error);
  if (results == NULL)
    {
      /* The last results stay; the line under the verdict says why they are old. */
      g_autofree char *text = g_strdup_printf (_("Could not run the checks: %s"),
                                               error->message);
      gtk_label_set_label (self->run_label, text);
      return;
    }
  node = beam_page_get_node (BEAM_PAGE (self));
  /* The rows point into the results they show. */
  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = g_ptr_array_ref (results);
  for (guint i = 0; i < results->len; i++)
    {
      BeamCheckResult *check_result = g_ptr_array_index (results, i);

      if ((guint) check_result->check >= BEAM_N_CHECKS)
        continue;
      if (node != NULL)
        beam_check_result_respell (check_result, beam_node_get_syntax (node));
      show_result (self, check_result);
    }
  show_verdict (self, results);
  show_run_time (self);
  queue_content (self);
  self->runs++;
}

static void
beam_diagnostics_page_refresh (BeamPage       *page,
                               BeamConnection *connection,
                               GCancellable   *cancellable)
{
  BeamDiagnosticsPage *self = BEAM_DIAGNOSTICS_PAGE (page);

  read_options (self);
  beam_diagnostics_run_async (connection, &self->options, cancellable, run_done,
                              g_object_ref (self));
}

static void
run_action (GtkWidget  *widget,
            const char *action_name G_GNUC_UNUSED,
            GVariant   *parameter G_GNUC_UNUSED)
{
  beam_page_refresh (BEAM_PAGE (widget));
}

/* ---- binary leaks ------------------------------------------------------------------ */

static void
show_leaks (BeamDiagnosticsPage *self,
            GPtrArray           *leaks)
{
  GtkGrid *grid = self->leak_grid;

  clear_grid (grid);
  if (leaks->len == 0)
    {
      gtk_grid_attach (grid, text_label (_("No process freed reference-counted binaries"),
                                         0, "dim-label"), 0, 0, 3, 1);
      return;
    }
  gtk_grid_attach (grid, heading (_("Process")), 0, 0, 1, 1);
  gtk_grid_attach (grid, heading (_("Binaries Freed")), 1, 0, 1, 1);
  gtk_grid_attach (grid, heading (_("Current Function")), 2, 0, 1, 1);
  for (guint i = 0; i < leaks->len; i++)
    {
      const BeamBinLeak *leak = g_ptr_array_index (leaks, i);
      BeamCulprit culprit = { .kind = BEAM_CULPRIT_PROCESS, .id = leak->pid,
                              .name = leak->name };
      /* `value` is the change in binaries held: what was freed is its opposite. */
      g_autofree char *freed = beam_format_count (-leak->value);
      GtkWidget *label;

      gtk_grid_attach (grid, culprit_widget (&culprit), 0, i + 1, 1, 1);
      gtk_grid_attach (grid, text_label (freed, 1, "numeric"), 1, i + 1, 1, 1);
      label = text_label (leak->current_function != NULL ? leak->current_function : "", 0,
                          "dim-label");
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_grid_attach (grid, label, 2, i + 1, 1, 1);
    }
}

static void
leaks_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BeamDiagnosticsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leaks = beam_diagnostics_bin_leak_finish (result, &error);
  g_autofree char *clock = NULL;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->finding_leaks = FALSE;
  update_actions (self);
  if (leaks == NULL)
    {
      text = g_strdup_printf (_("Could not find binary leaks: %s"), error->message);
      gtk_label_set_label (self->leak_label, text);
      return;
    }
  clock = format_clock (g_get_real_time ());
  text = g_strdup_printf (_("Every process collected at %s; the ones that freed the most "
                            "reference-counted binaries first"), clock);
  gtk_label_set_label (self->leak_label, text);
  show_leaks (self, leaks);
  self->leak_runs++;
  /* What the collections freed shows in the figures at once. */
  beam_page_refresh (BEAM_PAGE (self));
}

void
beam_diagnostics_page_find_binary_leaks (BeamDiagnosticsPage *self)
{
  BeamConnection *connection;

  g_return_if_fail (BEAM_IS_DIAGNOSTICS_PAGE (self));

  connection = beam_page_get_connection (BEAM_PAGE (self));
  if (connection == NULL || self->finding_leaks || beam_page_get_read_only (BEAM_PAGE (self)))
    return;
  self->finding_leaks = TRUE;
  update_actions (self);
  gtk_label_set_label (self->leak_label, _("Collecting every process…"));
  beam_diagnostics_bin_leak_async (connection, LEAK_TOP,
                                   beam_page_get_cancellable (BEAM_PAGE (self)), leaks_done,
                                   g_object_ref (self));
}

static void
on_leak_confirmed (AdwMessageDialog    *dialog G_GNUC_UNUSED,
                   const char          *response,
                   BeamDiagnosticsPage *self)
{
  if (g_str_equal (response, "find"))
    beam_diagnostics_page_find_binary_leaks (self);
}

static void
confirm_find_leaks (BeamDiagnosticsPage *self)
{
  GtkWidget *dialog;

  if (beam_page_get_read_only (BEAM_PAGE (self)))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Garbage-Collect Every Process?"),
                                   _("Finding binary leaks garbage-collects every process on "
                                     "the node, one after the other, and ranks them by the "
                                     "reference-counted binaries that frees. On a node with "
                                     "many processes this costs CPU for seconds; on a "
                                     "production node, pick a quiet moment."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "find", _("_Find Leaks"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "find",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_leak_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
find_leaks_action (GtkWidget  *widget,
                   const char *action_name G_GNUC_UNUSED,
                   GVariant   *parameter G_GNUC_UNUSED)
{
  confirm_find_leaks (BEAM_DIAGNOSTICS_PAGE (widget));
}

/* ---- for tests -------------------------------------------------------------------- */

guint
beam_diagnostics_page_get_runs (BeamDiagnosticsPage *self)
{
  g_return_val_if_fail (BEAM_IS_DIAGNOSTICS_PAGE (self), 0);
  return self->runs;
}

BeamCheckStatus
beam_diagnostics_page_get_status (BeamDiagnosticsPage *self,
                                  BeamCheck            check)
{
  g_return_val_if_fail (BEAM_IS_DIAGNOSTICS_PAGE (self), BEAM_CHECK_UNKNOWN);
  g_return_val_if_fail (check < BEAM_N_CHECKS, BEAM_CHECK_UNKNOWN);
  return self->rows[check].status;
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
      else
        append_texts (child, out);
    }
}

char *
beam_diagnostics_page_dup_text (BeamDiagnosticsPage *self,
                                BeamCheck            check)
{
  CheckRow *row;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (BEAM_IS_DIAGNOSTICS_PAGE (self), NULL);
  g_return_val_if_fail (check < BEAM_N_CHECKS, NULL);

  row = &self->rows[check];
  if (row->stale)
    build_content (row);
  g_string_append_printf (out, "%s\n%s\n",
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row->row)),
                          adw_expander_row_get_subtitle (row->row));
  append_texts (GTK_WIDGET (row->content), out);
  return g_string_free (out, FALSE);
}

char *
beam_diagnostics_page_dup_verdict (BeamDiagnosticsPage *self)
{
  g_return_val_if_fail (BEAM_IS_DIAGNOSTICS_PAGE (self), NULL);
  return g_strdup_printf ("%s\n%s", gtk_label_get_label (self->verdict_label),
                          gtk_label_get_label (self->run_label));
}

AdwExpanderRow *
beam_diagnostics_page_get_row (BeamDiagnosticsPage *self,
                               BeamCheck            check)
{
  g_return_val_if_fail (BEAM_IS_DIAGNOSTICS_PAGE (self), NULL);
  g_return_val_if_fail (check < BEAM_N_CHECKS, NULL);
  return self->rows[check].row;
}

GtkWidget *
beam_diagnostics_page_get_investigate_button (BeamDiagnosticsPage *self,
                                              BeamCheck            check)
{
  g_return_val_if_fail (BEAM_IS_DIAGNOSTICS_PAGE (self), NULL);
  g_return_val_if_fail (check < BEAM_N_CHECKS, NULL);
  return GTK_WIDGET (self->rows[check].investigate);
}

GtkWidget *
beam_diagnostics_page_get_leak_button (BeamDiagnosticsPage *self)
{
  g_return_val_if_fail (BEAM_IS_DIAGNOSTICS_PAGE (self), NULL);
  return self->leak_button;
}

guint
beam_diagnostics_page_get_leak_runs (BeamDiagnosticsPage *self)
{
  g_return_val_if_fail (BEAM_IS_DIAGNOSTICS_PAGE (self), 0);
  return self->leak_runs;
}

char *
beam_diagnostics_page_dup_leak_text (BeamDiagnosticsPage *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (BEAM_IS_DIAGNOSTICS_PAGE (self), NULL);
  g_string_append_printf (out, "%s\n", gtk_label_get_label (self->leak_label));
  append_texts (GTK_WIDGET (self->leak_grid), out);
  return g_string_free (out, FALSE);
}

/* ---- GObject -------------------------------------------------------------------- */

static void
beam_diagnostics_page_node_changed (BeamPage *page,
                                    BeamNode *node)
{
  BeamDiagnosticsPage *self = BEAM_DIAGNOSTICS_PAGE (page);
  gboolean read_only = node != NULL && beam_node_get_read_only (node);

  self->finding_leaks = FALSE;
  forget_results (self);
  /* --read-only: nothing that changes the node exists. */
  gtk_widget_set_visible (self->leak_button, !read_only);
  gtk_label_set_label (self->leak_label,
                       read_only
                       ? _("Binary leaks: the search collects every process, which "
                           "--read-only forbids")
                       : _("Binary leaks: garbage-collect every process and rank them by the "
                           "reference-counted binaries that frees, as recon:bin_leak does"));
  update_actions (self);
}

static void
beam_diagnostics_page_dispose (GObject *object)
{
  BeamDiagnosticsPage *self = BEAM_DIAGNOSTICS_PAGE (object);

  g_clear_object (&self->settings);
  g_clear_handle_id (&self->content_idle, g_source_remove);
  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    {
      self->rows[i].result = NULL;
      g_clear_pointer (&self->rows[i].growth, g_free);
    }
  g_clear_pointer (&self->results, g_ptr_array_unref);
  beam_page_dispose_template (BEAM_PAGE (object), BEAM_TYPE_DIAGNOSTICS_PAGE);

  G_OBJECT_CLASS (beam_diagnostics_page_parent_class)->dispose (object);
}

static void
beam_diagnostics_page_class_init (BeamDiagnosticsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BeamPageClass *page_class = BEAM_PAGE_CLASS (klass);

  object_class->dispose = beam_diagnostics_page_dispose;
  page_class->refresh = beam_diagnostics_page_refresh;
  page_class->node_changed = beam_diagnostics_page_node_changed;
  beam_page_class_set_interval_key (page_class, "diagnostics-refresh-interval");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-diagnostics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamDiagnosticsPage, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, BeamDiagnosticsPage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, BeamDiagnosticsPage, run_label);
  gtk_widget_class_bind_template_child (widget_class, BeamDiagnosticsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, BeamDiagnosticsPage, checks_group);

  gtk_widget_class_install_action (widget_class, "diagnostics.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "diagnostics.find-binary-leaks", NULL,
                                   find_leaks_action);
}

static void
beam_diagnostics_page_init (BeamDiagnosticsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  beam_diagnostics_options_init (&self->options);
  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    build_row (self, i);
  /* The spinner turns while a run is out; the last results stay meanwhile. */
  g_object_bind_property (self, "busy", self->spinner, "spinning", G_BINDING_SYNC_CREATE);
  g_signal_connect (self, "notify::busy", G_CALLBACK (update_actions), NULL);
  update_actions (self);
}
