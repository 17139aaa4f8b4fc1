/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences: every setting a user would change, bound to its GSettings key
 * (g_settings_bind, so a change applies as it is made and a change made
 * elsewhere, by a page's own control or the main menu, shows here). The
 * rows of numbers are made from one table below, each spin button's range
 * the key's range in the schema, so the two never disagree; a refresh
 * interval a page also offers as a dropdown is a combo row of the same
 * choices (beam_page_bind_choices), so the page's dropdown can always show
 * what is set. A threshold is a pair of numbers in one key, warning then
 * critical, kept in order. GTK 4.8 and libadwaita 1.2 only: spin buttons
 * and switches as suffixes of action rows, GtkFileChooserNative. */

#define G_LOG_DOMAIN "beamscope-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-cookie.h"
#include "beam-page.h"
#include "beam-preferences-window.h"

struct _BeamPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwComboRow          *term_syntax_row;
  AdwActionRow         *read_only_row;
  GtkSwitch            *read_only_switch;
  AdwComboRow          *size_units_row;
  AdwActionRow         *cookie_row;
  GtkWidget            *cookie_reset_button;
  AdwComboRow          *color_scheme_row;
  AdwActionRow         *system_tables_row;
  GtkSwitch            *system_tables_switch;
  AdwPreferencesGroup  *trace_group;
  AdwComboRow          *trace_limit_row;
  AdwPreferencesGroup  *refresh_group;
  AdwPreferencesGroup  *load_group;
  AdwPreferencesGroup  *cluster_group;
  AdwPreferencesGroup  *diagnostics_group;
  AdwPreferencesGroup  *thresholds_group;

  GSettings            *settings;
  GHashTable           *rows;         /* key → its AdwPreferencesRow, borrowed */
  GtkFileChooserNative *cookie_chooser;
};

G_DEFINE_FINAL_TYPE (BeamPreferencesWindow, beam_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* ---- combo rows of a string or enum key ------------------------------------------- */

/* The keys' values in the order of their combo rows' items (the .ui). */
static const char * const term_syntaxes[] = { "auto", "erlang", "elixir", NULL };
static const char * const size_units[] = { "binary", "decimal", NULL };
static const char * const color_schemes[] = { "default", "light", "dark", NULL };
static const char * const trace_limits[] = { "count", "rate", NULL };

static gboolean
index_from_nick (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
nick_from_index (const GValue       *value,
                 const GVariantType *type G_GNUC_UNUSED,
                 gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) nicks))
    return NULL;
  return g_variant_new_string (nicks[selected]);
}

static void
bind_nicks (BeamPreferencesWindow *self,
            const char            *key,
            AdwComboRow           *row,
            const char * const    *nicks)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                index_from_nick, nick_from_index, (gpointer) nicks, NULL);
  g_hash_table_insert (self->rows, (gpointer) key, row);
}

/* ---- rows of numbers -------------------------------------------------------------- */

typedef enum
{
  ROW_SPIN,       /* an unsigned key, its range from the schema */
  ROW_CHOICES,    /* an unsigned key offered as the page's dropdown offers it */
} RowKind;

/* Where a table's row goes. */
typedef enum
{
  GROUP_REFRESH,
  GROUP_LOAD,
  GROUP_CLUSTER,
  GROUP_DIAGNOSTICS,
  GROUP_TRACE,
} RowGroup;

/* The choices of the pages' own dropdowns (beam-processes-page.ui,
 * beam-load-page.ui), with the same labels. */
static const guint processes_intervals_s[] = { 1, 2, 5, 10, 30, 60, 0 };
static const char * const processes_interval_labels[] = {
  N_("Every 1 s"), N_("Every 2 s"), N_("Every 5 s"), N_("Every 10 s"), N_("Every 30 s"),
  N_("Every 60 s"), NULL,
};
static const guint load_intervals_ms[] = { 100, 250, 500, 1000, 2000, 5000, 10000, 0 };
static const char * const load_interval_labels[] = {
  N_("Every 100 ms"), N_("Every 250 ms"), N_("Every 500 ms"), N_("Every 1 s"), N_("Every 2 s"),
  N_("Every 5 s"), N_("Every 10 s"), NULL,
};
static const guint load_windows_min[] = { 1, 2, 5, 10, 0 };
static const char * const load_window_labels[] = {
  N_("1 minute"), N_("2 minutes"), N_("5 minutes"), N_("10 minutes"), NULL,
};

static const struct
{
  RowGroup            group;
  RowKind             kind;
  const char         *key;
  const char         *title;
  const char         *subtitle;   /* says the unit */
  const guint        *choices;    /* ROW_CHOICES: the values, 0-ended */
  const char * const *labels;     /* ROW_CHOICES: their labels */
} number_rows[] = {
  { GROUP_REFRESH, ROW_SPIN, "system-refresh-interval", N_("System"),
    N_("Seconds between refreshes"), NULL, NULL },
  { GROUP_REFRESH, ROW_SPIN, "memory-refresh-interval", N_("Memory"),
    N_("Seconds between refreshes"), NULL, NULL },
  { GROUP_REFRESH, ROW_SPIN, "applications-refresh-interval", N_("Applications"),
    N_("Seconds between refreshes"), NULL, NULL },
  { GROUP_REFRESH, ROW_CHOICES, "processes-refresh-interval", N_("Processes"),
    N_("How often the list refreshes"), processes_intervals_s, processes_interval_labels },
  { GROUP_REFRESH, ROW_SPIN, "ports-refresh-interval", N_("Ports"),
    N_("Seconds between refreshes"), NULL, NULL },
  { GROUP_REFRESH, ROW_SPIN, "tables-refresh-interval", N_("Tables"),
    N_("Seconds between refreshes"), NULL, NULL },
  { GROUP_REFRESH, ROW_SPIN, "process-sample-interval", N_("Process Windows"),
    N_("Seconds between samples of a process's memory, reductions and queue"), NULL, NULL },
  { GROUP_LOAD, ROW_CHOICES, "load-sample-interval", N_("Sampling"),
    N_("How often the node's load is sampled"), load_intervals_ms, load_interval_labels },
  { GROUP_LOAD, ROW_CHOICES, "load-window", N_("Charts Show"),
    N_("The time the Load page's charts span"), load_windows_min, load_window_labels },
  { GROUP_CLUSTER, ROW_SPIN, "cluster-sample-interval", N_("Sampling"),
    N_("Milliseconds between samples of each node"), NULL, NULL },
  { GROUP_CLUSTER, ROW_SPIN, "cluster-queue-scan-interval", N_("Longest Queue"),
    N_("Seconds between scans of each node's message queues; 0 for never"), NULL, NULL },
  { GROUP_CLUSTER, ROW_SPIN, "cluster-max-nodes", N_("Nodes at Most"),
    N_("Each node joined keeps Beamscope's name as one atom"), NULL, NULL },
  { GROUP_CLUSTER, ROW_SPIN, "cluster-history-minutes", N_("Trends Show"),
    N_("Minutes of utilization and run queue in each node's sparklines"), NULL, NULL },
  { GROUP_DIAGNOSTICS, ROW_SPIN, "diagnostics-refresh-interval", N_("Run Every"),
    N_("Seconds between runs of the checks while the page is on screen"), NULL, NULL },
  { GROUP_DIAGNOSTICS, ROW_SPIN, "diagnostics-window", N_("Sample Window"),
    N_("Milliseconds each check samples the node over: a run takes about this long"),
    NULL, NULL },
  { GROUP_TRACE, ROW_SPIN, "trace-count", N_("Events"),
    N_("A count-limited trace stops after this many events"), NULL, NULL },
  { GROUP_TRACE, ROW_SPIN, "trace-rate-events", N_("Rate: Events"),
    N_("A rate-limited trace stops when more events than this come within its interval"),
    NULL, NULL },
  { GROUP_TRACE, ROW_SPIN, "trace-rate-interval", N_("Rate: Interval"),
    N_("Milliseconds of the rate limit"), NULL, NULL },
  { GROUP_TRACE, ROW_SPIN, "trace-duration", N_("Duration"),
    N_("Seconds a trace runs at most; 0 for until its limit or Stop"), NULL, NULL },
};

static AdwPreferencesGroup *
group_of (BeamPreferencesWindow *self,
          RowGroup               group)
{
  switch (group)
    {
    case GROUP_REFRESH: return self->refresh_group;
    case GROUP_LOAD: return self->load_group;
    case GROUP_CLUSTER: return self->cluster_group;
    case GROUP_DIAGNOSTICS: return self->diagnostics_group;
    case GROUP_TRACE: return self->trace_group;
    default: g_return_val_if_reached (NULL);
    }
}

/* The range the schema gives an unsigned key. */
static void
key_range (GSettings  *settings,
           const char *key,
           guint      *min,
           guint      *max)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) detail = NULL;
  const char *kind;

  *min = 0;
  *max = G_MAXUINT32;
  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(&sv)", &kind, &detail);
  if (g_str_equal (kind, "range"))
    g_variant_get (detail, "(uu)", min, max);
}

static GtkWidget *
spin_button_new (double lower,
                 double upper,
                 guint  digits)
{
  double step = upper - lower >= 1000 ? 10 : 1;
  GtkAdjustment *adjustment = gtk_adjustment_new (lower, lower, upper, step, step * 10, 0);
  GtkWidget *spin = gtk_spin_button_new (adjustment, 1, digits);

  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  /* Wide enough for the numbers people type, not for the upper bound's
   * ten digits, which would leave the row's title no room. */
  if (upper >= 1e6)
    gtk_editable_set_width_chars (GTK_EDITABLE (spin), 7);
  return spin;
}

static void
add_number_rows (BeamPreferencesWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (number_rows); i++)
    {
      GtkWidget *row;

      if (number_rows[i].kind == ROW_CHOICES)
        {
          g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

          for (guint j = 0; number_rows[i].labels[j] != NULL; j++)
            gtk_string_list_append (labels, _(number_rows[i].labels[j]));
          row = adw_combo_row_new ();
          adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
          beam_page_bind_choices (self->settings, number_rows[i].key, row,
                                  number_rows[i].choices);
        }
      else
        {
          GtkWidget *spin;
          guint min, max;

          key_range (self->settings, number_rows[i].key, &min, &max);
          spin = spin_button_new (min, max, 0);
          row = adw_action_row_new ();
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
          g_settings_bind (self->settings, number_rows[i].key, spin, "value",
                           G_SETTINGS_BIND_DEFAULT);
        }
      /* Translations are text, not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(number_rows[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(number_rows[i].subtitle));
      adw_preferences_group_add (group_of (self, number_rows[i].group), row);
      g_hash_table_insert (self->rows, (gpointer) number_rows[i].key, row);
    }
}

/* The Cluster group's rows that are not unsigned numbers: the outlier ratio
 * (a double, its range from the schema) and whether EPMD's other nodes are
 * joined. */
static void
add_cluster_rows (BeamPreferencesWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) detail = NULL;
  const char *kind;
  double min = 1, max = 100;
  GtkWidget *row, *spin, *toggle;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, "cluster-outlier-ratio");
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(&sv)", &kind, &detail);
  if (g_str_equal (kind, "range"))
    g_variant_get (detail, "(dd)", &min, &max);
  spin = spin_button_new (min, max, 1);
  gtk_spin_button_set_increments (GTK_SPIN_BUTTON (spin), 0.5, 1);
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Outliers"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("A figure this many times the cluster's median stands out"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_settings_bind (self->settings, "cluster-outlier-ratio", spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (self->cluster_group, row);
  g_hash_table_insert (self->rows, (gpointer) "cluster-outlier-ratio", row);

  toggle = gtk_switch_new ();
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nodes Outside the Cluster"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Also join the nodes EPMD lists on the cluster's hosts"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_settings_bind (self->settings, "cluster-join-epmd-others", toggle, "active",
                   G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (self->cluster_group, row);
  g_hash_table_insert (self->rows, (gpointer) "cluster-join-epmd-others", row);
}

/* ---- thresholds ------------------------------------------------------------------- */

/* The Diagnostics page's checks, titled as the page titles them, in their
 * keys' order in the schema; a threshold is shown in `scale`s of its unit. */
static const struct
{
  const char *key;
  const char *title;
  const char *subtitle;   /* says the unit */
  double      upper;      /* in the shown unit */
  double      scale;      /* the key's unit per shown unit */
} thresholds[] = {
  { "diagnostics-threshold-message-queue", N_("Message Queues"),
    N_("Messages waiting in one process's queue"), 1e9, 1 },
  { "diagnostics-threshold-queue-growth", N_("Growing Message Queues"),
    N_("Messages a queue grew by over the sample window"), 1e9, 1 },
  { "diagnostics-threshold-atoms", N_("Atom Table"),
    N_("Percent of the atom limit in use"), 100, 1 },
  { "diagnostics-threshold-binary-memory", N_("Binary Memory"),
    N_("Percent of the node's total memory"), 100, 1 },
  { "diagnostics-threshold-schedulers", N_("Scheduler Utilization"),
    N_("Percent over the sample window"), 100, 1 },
  { "diagnostics-threshold-dirty-schedulers", N_("Dirty CPU Schedulers"),
    N_("Percent utilization over the sample window"), 100, 1 },
  { "diagnostics-threshold-process-limit", N_("Process Limit"),
    N_("Percent of the process limit"), 100, 1 },
  { "diagnostics-threshold-port-limit", N_("Port Limit"),
    N_("Percent of the port limit"), 100, 1 },
  { "diagnostics-threshold-ets-limit", N_("ETS Table Limit"),
    N_("Percent of the ETS table limit"), 100, 1 },
  { "diagnostics-threshold-ets-memory", N_("Biggest ETS Tables"),
    N_("The biggest table, in percent of the node's total memory"), 100, 1 },
  { "diagnostics-threshold-process-memory", N_("Biggest Processes"),
    N_("The biggest process's memory, in MiB"), 1024.0 * 1024, 1024.0 * 1024 },
  { "diagnostics-threshold-memory-growth", N_("Memory Growth"),
    N_("Percent the node's total memory grew by over the sample window"), 10000, 1 },
};

/* One threshold's row: its two spin buttons and the key they write. */
typedef struct
{
  GSettings     *settings;
  const char    *key;
  double         scale;
  GtkSpinButton *warning;
  GtkSpinButton *critical;
  gboolean       loading;
} ThresholdRow;

static void
threshold_row_free (gpointer data)
{
  ThresholdRow *threshold = data;

  g_object_unref (threshold->settings);
  g_free (threshold);
}

static void
threshold_load (ThresholdRow *threshold)
{
  double warning, critical;

  g_settings_get (threshold->settings, threshold->key, "(dd)", &warning, &critical);
  threshold->loading = TRUE;
  gtk_spin_button_set_value (threshold->warning, warning / threshold->scale);
  gtk_spin_button_set_value (threshold->critical, critical / threshold->scale);
  threshold->loading = FALSE;
}

/* The key changed, here or elsewhere (dconf, a test). */
static void
threshold_load_from_settings (GtkWidget *row)
{
  threshold_load (g_object_get_data (G_OBJECT (row), "beam-threshold"));
}

/* A warning over the critical threshold would never be seen: the other
 * value follows the one being changed. */
static void
on_threshold_changed (GtkSpinButton *spin,
                      ThresholdRow  *threshold)
{
  double warning, critical;

  if (threshold->loading)
    return;
  warning = gtk_spin_button_get_value (threshold->warning);
  critical = gtk_spin_button_get_value (threshold->critical);
  if (warning > critical)
    {
      threshold->loading = TRUE;
      if (spin == threshold->warning)
        gtk_spin_button_set_value (threshold->critical, critical = warning);
      else
        gtk_spin_button_set_value (threshold->warning, warning = critical);
      threshold->loading = FALSE;
    }
  g_settings_set (threshold->settings, threshold->key, "(dd)", warning * threshold->scale,
                  critical * threshold->scale);
}

static void
add_threshold_rows (BeamPreferencesWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (thresholds); i++)
    {
      ThresholdRow *threshold = g_new0 (ThresholdRow, 1);
      g_autofree char *signal = g_strconcat ("changed::", thresholds[i].key, NULL);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *warning = spin_button_new (0, thresholds[i].upper, 0);
      GtkWidget *critical = spin_button_new (0, thresholds[i].upper, 0);
      const char *title = _(thresholds[i].title);
      g_autofree char *warning_label = NULL;
      g_autofree char *critical_label = NULL;

      /* TRANSLATORS: the accessible name of a spin button; %s is a check, "Atom Table" */
      warning_label = g_strdup_printf (_("%s: warning threshold"), title);
      /* TRANSLATORS: the accessible name of a spin button; %s is a check, "Atom Table" */
      critical_label = g_strdup_printf (_("%s: critical threshold"), title);
      gtk_widget_set_tooltip_text (warning, _("Warning"));
      gtk_widget_set_tooltip_text (critical, _("Critical"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (warning), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      warning_label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (critical), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      critical_label, -1);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), warning);
      gtk_box_append (GTK_BOX (box), critical);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(thresholds[i].subtitle));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), warning);
      adw_preferences_group_add (self->thresholds_group, row);
      g_hash_table_insert (self->rows, (gpointer) thresholds[i].key, row);

      threshold->settings = g_object_ref (self->settings);
      threshold->key = thresholds[i].key;
      threshold->scale = thresholds[i].scale;
      threshold->warning = GTK_SPIN_BUTTON (warning);
      threshold->critical = GTK_SPIN_BUTTON (critical);
      /* The row owns the pair; both spin buttons go with it. */
      g_object_set_data_full (G_OBJECT (row), "beam-threshold", threshold, threshold_row_free);
      threshold_load (threshold);
      g_signal_connect (warning, "value-changed", G_CALLBACK (on_threshold_changed), threshold);
      g_signal_connect (critical, "value-changed", G_CALLBACK (on_threshold_changed), threshold);
      g_signal_connect_object (self->settings, signal, G_CALLBACK (threshold_load_from_settings),
                               row, G_CONNECT_SWAPPED);
    }
}

/* ---- the cookie file -------------------------------------------------------------- */

static void
update_cookie_row (BeamPreferencesWindow *self)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, "cookie-file");

  /* A path is text, not markup (the .ui says so too). */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->cookie_row), FALSE);
  if (*chosen == '\0')
    {
      g_autofree char *path = beam_cookie_dup_default_path ();
      /* TRANSLATORS: %s is a path, ~/.erlang.cookie */
      g_autofree char *text = g_strdup_printf (_("%s, as erl reads it"), path);

      adw_action_row_set_subtitle (self->cookie_row, text);
    }
  else
    adw_action_row_set_subtitle (self->cookie_row, chosen);
  gtk_widget_set_sensitive (self->cookie_reset_button, *chosen != '\0');
}

static void
on_cookie_reset_clicked (BeamPreferencesWindow *self)
{
  g_settings_reset (self->settings, "cookie-file");
}

static void
on_cookie_chosen (BeamPreferencesWindow *self,
                  int                    response,
                  GtkFileChooserNative  *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "cookie-file", path);
    }
  if (self->cookie_chooser == chooser)
    g_clear_object (&self->cookie_chooser);
}

static void
on_cookie_choose_clicked (BeamPreferencesWindow *self)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, "cookie-file");
  g_autofree char *path = *chosen != '\0' ? g_strdup (chosen) : beam_cookie_dup_default_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkFileChooserNative *chooser;

  if (self->cookie_chooser != NULL)
    return;  /* one is open already */
  chooser = gtk_file_chooser_native_new (_("Choose a Cookie File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Where the current one is (erl's file is hidden: selecting it shows it). */
  if (g_file_query_exists (file, NULL))
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL);
  else
    {
      g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), home, NULL);
    }
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_cookie_chosen), self,
                           G_CONNECT_SWAPPED);
  self->cookie_chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
beam_preferences_window_dispose (GObject *object)
{
  BeamPreferencesWindow *self = BEAM_PREFERENCES_WINDOW (object);

  if (self->cookie_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->cookie_chooser));
  g_clear_object (&self->cookie_chooser);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (beam_preferences_window_parent_class)->dispose (object);
}

static void
beam_preferences_window_finalize (GObject *object)
{
  BeamPreferencesWindow *self = BEAM_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (beam_preferences_window_parent_class)->finalize (object);
}

static void
beam_preferences_window_class_init (BeamPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_preferences_window_dispose;
  object_class->finalize = beam_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, term_syntax_row);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, read_only_row);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, read_only_switch);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, size_units_row);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, cookie_row);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow,
                                        cookie_reset_button);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, system_tables_row);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow,
                                        system_tables_switch);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, trace_group);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, trace_limit_row);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, refresh_group);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, load_group);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, cluster_group);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, diagnostics_group);
  gtk_widget_class_bind_template_child (widget_class, BeamPreferencesWindow, thresholds_group);
  gtk_widget_class_bind_template_callback (widget_class, on_cookie_reset_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cookie_choose_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
beam_preferences_window_init (BeamPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);

  bind_nicks (self, "term-syntax", self->term_syntax_row, term_syntaxes);
  bind_nicks (self, "size-units", self->size_units_row, size_units);
  bind_nicks (self, "color-scheme", self->color_scheme_row, color_schemes);
  bind_nicks (self, "trace-limit", self->trace_limit_row, trace_limits);
  g_settings_bind (self->settings, "read-only", self->read_only_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_hash_table_insert (self->rows, (gpointer) "read-only", self->read_only_row);
  g_settings_bind (self->settings, "show-system-tables", self->system_tables_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_hash_table_insert (self->rows, (gpointer) "show-system-tables", self->system_tables_row);
  g_hash_table_insert (self->rows, (gpointer) "cookie-file", self->cookie_row);
  g_signal_connect_object (self->settings, "changed::cookie-file",
                           G_CALLBACK (update_cookie_row), self, G_CONNECT_SWAPPED);
  update_cookie_row (self);
  add_number_rows (self);
  add_cluster_rows (self);
  add_threshold_rows (self);
}

BeamPreferencesWindow *
beam_preferences_window_new (void)
{
  return g_object_new (BEAM_TYPE_PREFERENCES_WINDOW, NULL);
}

AdwPreferencesRow *
beam_preferences_window_get_row (BeamPreferencesWindow *self,
                                 const char            *key)
{
  g_return_val_if_fail (BEAM_IS_PREFERENCES_WINDOW (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return self->rows != NULL ? g_hash_table_lookup (self->rows, key) : NULL;
}
