/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The System page: observer's System tab plus what the seeds look at beside
 * it (atoms against their limit, dirty schedulers, run queues, the node's OS
 * process). The rows are described once in `fields` below; each knows how to
 * word its value. Like observer's, the page fits one screen (1100×780): three
 * columns of compact rows (a title, a value, sometimes a small bar, one line
 * each; the title's explanation in its tooltip), fewer columns and a scroll
 * when the window is narrower. The page refreshes only while it is mapped,
 * and keeps its last data, dimmed, while the node is away. */

#define G_LOG_DOMAIN "beamscope-system"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "beam-number-format.h"
#include "beam-system-info.h"
#include "beam-system-page-private.h"

#define WARN_FRACTION      0.8  /* a limit 80% used is where the seeds start to worry */

typedef enum
{
  GROUP_SYSTEM,
  GROUP_CPUS,
  GROUP_MEMORY,
  GROUP_STATISTICS,
  GROUP_LIMITS,
  GROUP_OS_PROCESS,
  N_GROUPS
} Group;

static const char * const group_titles[N_GROUPS] = {
  N_("System and Architecture"),
  N_("CPUs and Threads"),
  N_("Memory Usage"),
  N_("Statistics"),
  N_("System Limits"),
  N_("OS Process"),
};

typedef char *(*FormatFunc) (const BeamSystemInfo *info);
/* For rows with a bar: how full, 0..1; negative for no bar. */
typedef double (*FractionFunc) (const BeamSystemInfo *info);

typedef enum
{
  ROW_PLAIN,
  ROW_PART,    /* a part of the row above it (the run queues): indented */
  ROW_WRAP,    /* a long value under its title, wrapped (the system version) */
} RowLayout;

typedef struct
{
  const char   *field;    /* as in `beamscope-cli info --json` */
  Group         group;
  const char   *title;
  const char   *subtitle; /* the title's tooltip */
  FormatFunc    format;
  FractionFunc  fraction;
  RowLayout     layout;
} Field;

typedef struct
{
  const Field *field;
  GtkLabel    *value;
  GtkLevelBar *bar;
} Row;

struct _BeamSystemPage
{
  BeamPage        parent_instance;

  GtkStack       *stack;
  AdwStatusPage  *loading_status;
  GtkLabel       *node_label;
  GtkLabel       *summary_label;
  GtkLabel       *backend_label;
  GtkFlowBox     *groups_box;
  GtkScrolledWindow *scroller;
  GtkWidget      *groups[N_GROUPS];

  BeamSystemInfo *info;
  GArray         *rows;          /* Row */
};

G_DEFINE_FINAL_TYPE (BeamSystemPage, beam_system_page, BEAM_TYPE_PAGE)

/* ---- wording ------------------------------------------------------------ */

/* One formatter for every number (beam-number-format): "—" for unknown. */
static char *
format_count (gint64 value)
{
  return beam_format_count (value);
}

static char *
format_size (gint64 bytes)
{
  return beam_format_bytes (bytes);
}

static char *
format_count_of (gint64 count,
                 gint64 limit)
{
  if (count >= 0 && limit <= 0)
    return beam_format_count (count);
  return beam_format_count_of (count, limit);
}

static char *
format_yes_no (gboolean value)
{
  return g_strdup (value ? _("Yes") : _("No"));
}

static double
fraction_of (gint64 count,
             gint64 limit)
{
  return count >= 0 && limit > 0 ? CLAMP ((double) count / limit, 0.0, 1.0) : -1.0;
}

static char *
format_duration_ms (gint64 ms)
{
  gint64 s = ms / 1000;

  if (ms < 0)
    return g_strdup (_("unknown"));
  if (s >= 86400)
    return g_strdup_printf (_("%" PRId64 " d %02d h %02d min"), s / 86400,
                            (int) (s / 3600 % 24), (int) (s / 60 % 60));
  return g_strdup_printf ("%02d:%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
}

/* The normal schedulers' queues: their sum, then each ("2: 1 0 1 0"), so
 * that the line adds up with dirty CPU and dirty IO to the total above. */
static char *
format_run_queue_normal (const BeamSystemInfo *info)
{
  g_autoptr(GString) text = NULL;
  GArray *lengths = info->run_queue_lengths;

  if (info->run_queue_normal < 0 || lengths->len < 3)
    return beam_format_count (-1);
  text = g_string_new (NULL);
  g_string_append_printf (text, "%" G_GINT64_FORMAT " =", info->run_queue_normal);
  for (guint i = 0; i + 2 < lengths->len; i++)
    g_string_append_printf (text, " %s%" G_GINT64_FORMAT, i > 0 ? "+ " : "",
                            g_array_index (lengths, gint64, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define STRING_FIELD(name) \
  static char *format_##name (const BeamSystemInfo *info) \
  { return info->name ? g_strdup (info->name) : beam_format_count (-1); }
#define COUNT_FIELD(name) \
  static char *format_##name (const BeamSystemInfo *info) { return format_count (info->name); }
#define BYTES_FIELD(name) \
  static char *format_memory_##name (const BeamSystemInfo *info) \
  { return format_size (info->memory.name); } \
  static double fraction_memory_##name (const BeamSystemInfo *info) \
  { return fraction_of (info->memory.name, info->memory.total); }
#define LIMIT_FIELD(name) \
  static char *format_##name##_count (const BeamSystemInfo *info) \
  { return format_count_of (info->name##_count, info->name##_limit); } \
  static double fraction_##name##_count (const BeamSystemInfo *info) \
  { return fraction_of (info->name##_count, info->name##_limit); }
#define YES_NO_FIELD(name) \
  static char *format_##name (const BeamSystemInfo *info) { return format_yes_no (info->name); }

STRING_FIELD (system_version)
STRING_FIELD (otp_release)
STRING_FIELD (erts_version)
STRING_FIELD (system_architecture)
COUNT_FIELD (wordsize_internal)
COUNT_FIELD (wordsize_external)
YES_NO_FIELD (smp_support)
YES_NO_FIELD (threads)
YES_NO_FIELD (kernel_poll)
COUNT_FIELD (thread_pool_size)
COUNT_FIELD (logical_processors)
COUNT_FIELD (logical_processors_online)
COUNT_FIELD (logical_processors_available)
COUNT_FIELD (dirty_io_schedulers)
COUNT_FIELD (run_queue)
COUNT_FIELD (run_queue_dirty_cpu)
COUNT_FIELD (run_queue_dirty_io)
COUNT_FIELD (reductions)
COUNT_FIELD (garbage_collections)
COUNT_FIELD (context_switches)
static char *format_memory_total (const BeamSystemInfo *info)
{ return format_size (info->memory.total); }
BYTES_FIELD (processes)
BYTES_FIELD (processes_used)
BYTES_FIELD (system)
BYTES_FIELD (atom)
BYTES_FIELD (atom_used)
BYTES_FIELD (binary)
BYTES_FIELD (code)
BYTES_FIELD (ets)
LIMIT_FIELD (process)
LIMIT_FIELD (atom)
LIMIT_FIELD (port)
LIMIT_FIELD (ets)

static char *
format_schedulers (const BeamSystemInfo *info)
{
  return format_count (info->schedulers);
}

static char *
format_schedulers_online (const BeamSystemInfo *info)
{
  return format_count_of (info->schedulers_online, info->schedulers);
}

static char *
format_dirty_cpu_schedulers (const BeamSystemInfo *info)
{
  if (info->dirty_cpu_schedulers < 0)
    return beam_format_count (-1);
  if (info->dirty_cpu_schedulers_online < 0)
    return format_count (info->dirty_cpu_schedulers);
  return g_strdup_printf (_("%d (%d online)"), info->dirty_cpu_schedulers,
                          info->dirty_cpu_schedulers_online);
}

static char *
format_uptime (const BeamSystemInfo *info)
{
  return format_duration_ms (info->uptime_ms);
}

static char *
format_io_input (const BeamSystemInfo *info)
{
  return format_size (info->io_input);
}

static char *
format_io_output (const BeamSystemInfo *info)
{
  return format_size (info->io_output);
}

static char *
format_dist_buf_busy_limit (const BeamSystemInfo *info)
{
  return format_size (info->dist_buf_busy_limit);
}

static char *
format_os_pid (const BeamSystemInfo *info)
{
  /* A pid is a name, not a quantity: no digit grouping. */
  if (info->os_process.os_pid < 0)
    return beam_format_count (-1);
  return g_strdup_printf ("%" G_GINT64_FORMAT, info->os_process.os_pid);
}

static char *
format_os_rss (const BeamSystemInfo *info)
{
  return format_size (info->os_process.rss);
}

static char *
format_os_virtual_size (const BeamSystemInfo *info)
{
  return format_size (info->os_process.virtual_size);
}

static char *
format_os_threads (const BeamSystemInfo *info)
{
  return format_count (info->os_process.threads);
}

/* Set by the page: between the last two refreshes, or since the start. */
static char *
format_os_cpu (const BeamSystemInfo *info)
{
  const BeamOsProcess *process = &info->os_process;

  if (process->cpu_percent < 0)
    return beam_format_count (-1);
  if (process->cpu_since_start)
    return g_strdup_printf (_("%.1f %% (average since start)"), process->cpu_percent);
  return g_strdup_printf ("%.1f %%", process->cpu_percent);
}

static char *
format_os_open_fds (const BeamSystemInfo *info)
{
  return format_count_of (info->os_process.open_fds, info->os_process.fd_limit);
}

static double
fraction_os_open_fds (const BeamSystemInfo *info)
{
  return fraction_of (info->os_process.open_fds, info->os_process.fd_limit);
}

static char *
format_observer_backend (const BeamSystemInfo *info)
{
  return g_strdup (info->has_observer_backend ? _("Available") : _("Missing: plain BIF calls"));
}

static const Field fields[] = {
  { "system_version", GROUP_SYSTEM, N_("System version"), NULL, format_system_version, NULL,
    ROW_WRAP },
  { "otp_release", GROUP_SYSTEM, N_("OTP release"), NULL, format_otp_release, NULL },
  { "erts_version", GROUP_SYSTEM, N_("ERTS version"), NULL, format_erts_version, NULL },
  { "system_architecture", GROUP_SYSTEM, N_("Compiled for"), NULL,
    format_system_architecture, NULL },
  { "wordsize_external", GROUP_SYSTEM, N_("Emulator word size"), N_("Bytes"),
    format_wordsize_external, NULL },
  { "wordsize_internal", GROUP_SYSTEM, N_("Process word size"), N_("Bytes"),
    format_wordsize_internal, NULL },
  { "smp_support", GROUP_SYSTEM, N_("SMP support"), NULL, format_smp_support, NULL },
  { "threads", GROUP_SYSTEM, N_("Thread support"), NULL, format_threads, NULL },
  { "kernel_poll", GROUP_SYSTEM, N_("Kernel poll"), NULL, format_kernel_poll, NULL },
  { "thread_pool_size", GROUP_SYSTEM, N_("Async thread pool size"), NULL,
    format_thread_pool_size, NULL },
  { "observer_backend", GROUP_SYSTEM, N_("observer_backend"),
    N_("runtime_tools on the node's code path"), format_observer_backend, NULL },

  { "logical_processors", GROUP_CPUS, N_("Logical CPUs"), NULL, format_logical_processors, NULL },
  { "logical_processors_online", GROUP_CPUS, N_("Online logical CPUs"), NULL,
    format_logical_processors_online, NULL },
  { "logical_processors_available", GROUP_CPUS, N_("Available logical CPUs"), NULL,
    format_logical_processors_available, NULL },
  { "schedulers", GROUP_CPUS, N_("Schedulers"), NULL, format_schedulers, NULL },
  { "schedulers_online", GROUP_CPUS, N_("Online schedulers"), NULL,
    format_schedulers_online, NULL },
  { "dirty_cpu_schedulers", GROUP_CPUS, N_("Dirty CPU schedulers"), NULL,
    format_dirty_cpu_schedulers, NULL },
  { "dirty_io_schedulers", GROUP_CPUS, N_("Dirty IO schedulers"), NULL,
    format_dirty_io_schedulers, NULL },

  { "memory.total", GROUP_MEMORY, N_("Total"), NULL, format_memory_total, NULL },
  { "memory.processes", GROUP_MEMORY, N_("Processes"), NULL,
    format_memory_processes, fraction_memory_processes },
  { "memory.processes_used", GROUP_MEMORY, N_("Processes used"), NULL,
    format_memory_processes_used, fraction_memory_processes_used },
  { "memory.system", GROUP_MEMORY, N_("System"), NULL,
    format_memory_system, fraction_memory_system },
  { "memory.atom", GROUP_MEMORY, N_("Atoms"), NULL, format_memory_atom, fraction_memory_atom },
  { "memory.atom_used", GROUP_MEMORY, N_("Atoms used"), NULL,
    format_memory_atom_used, fraction_memory_atom_used },
  { "memory.binary", GROUP_MEMORY, N_("Binaries"), NULL,
    format_memory_binary, fraction_memory_binary },
  { "memory.code", GROUP_MEMORY, N_("Code"), NULL, format_memory_code, fraction_memory_code },
  { "memory.ets", GROUP_MEMORY, N_("ETS"), NULL, format_memory_ets, fraction_memory_ets },

  { "uptime_ms", GROUP_STATISTICS, N_("Up time"), NULL, format_uptime, NULL },
  { "run_queue", GROUP_STATISTICS, N_("Run queues, total"),
    N_("Processes and ports ready to run, waiting for a scheduler (Beamscope's own request "
       "not counted); non-zero for long means contention"),
    format_run_queue, NULL },
  { "run_queue_normal", GROUP_STATISTICS, N_("Normal schedulers"),
    N_("The sum of the normal schedulers' queues, then each queue, scheduler 1 first"),
    format_run_queue_normal, NULL, ROW_PART },
  { "run_queue_dirty_cpu", GROUP_STATISTICS, N_("Dirty CPU"),
    N_("The dirty CPU schedulers' one queue"), format_run_queue_dirty_cpu, NULL, ROW_PART },
  { "run_queue_dirty_io", GROUP_STATISTICS, N_("Dirty IO"),
    N_("The dirty IO schedulers' one queue"), format_run_queue_dirty_io, NULL, ROW_PART },
  { "io_input", GROUP_STATISTICS, N_("IO input"), N_("Since the node started"),
    format_io_input, NULL },
  { "io_output", GROUP_STATISTICS, N_("IO output"), N_("Since the node started"),
    format_io_output, NULL },
  { "reductions", GROUP_STATISTICS, N_("Reductions"), NULL, format_reductions, NULL },
  { "garbage_collections", GROUP_STATISTICS, N_("Garbage collections"), NULL,
    format_garbage_collections, NULL },
  { "context_switches", GROUP_STATISTICS, N_("Context switches"), NULL,
    format_context_switches, NULL },

  { "process_count", GROUP_LIMITS, N_("Processes"), NULL,
    format_process_count, fraction_process_count },
  { "atom_count", GROUP_LIMITS, N_("Atoms"), N_("Atoms are never collected"),
    format_atom_count, fraction_atom_count },
  { "port_count", GROUP_LIMITS, N_("Ports"), NULL, format_port_count, fraction_port_count },
  { "ets_count", GROUP_LIMITS, N_("ETS tables"), NULL, format_ets_count, fraction_ets_count },
  { "dist_buf_busy_limit", GROUP_LIMITS, N_("Distribution buffer busy limit"), NULL,
    format_dist_buf_busy_limit, NULL },

  { "os_process.os_pid", GROUP_OS_PROCESS, N_("OS pid"), N_("os:getpid()"),
    format_os_pid, NULL },
  { "os_process.cpu", GROUP_OS_PROCESS, N_("CPU"),
    N_("Of one core, between the last two refreshes (as top)"), format_os_cpu, NULL },
  { "os_process.rss", GROUP_OS_PROCESS, N_("Resident memory"), N_("RSS, from /proc/self/status"),
    format_os_rss, NULL },
  { "os_process.virtual_size", GROUP_OS_PROCESS, N_("Virtual memory"),
    N_("VmSize, from /proc/self/status"), format_os_virtual_size, NULL },
  { "os_process.threads", GROUP_OS_PROCESS, N_("OS threads"), NULL, format_os_threads, NULL },
  { "os_process.open_fds", GROUP_OS_PROCESS, N_("Open files"),
    N_("File descriptors against their soft limit"), format_os_open_fds, fraction_os_open_fds },
};

/* ---- building ----------------------------------------------------------- */

/* Three columns of about the same height (16 rows each), side by side when
 * the window is wide, fewer when it is not (the flow box decides, by the
 * columns' minimum width). */
static const guint group_column[N_GROUPS] = {
  [GROUP_SYSTEM] = 0, [GROUP_LIMITS] = 0,
  [GROUP_CPUS] = 1, [GROUP_MEMORY] = 1,
  [GROUP_STATISTICS] = 2, [GROUP_OS_PROCESS] = 2,
};

/* A column is at least COLUMN_WIDTH wide, and says it would like to be
 * COLUMN_NATURAL at most (an AdwClamp caps its natural width, which the flow
 * box divides the line by: a long value's natural width would make it one
 * column). Three fit in 1100 px, two in 800. */
#define N_COLUMNS       3
#define COLUMN_WIDTH    260
#define COLUMN_NATURAL  320

static GtkWidget *
new_row (const Field *field,
         Row         *entry)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (field->layout == ROW_WRAP ? GTK_ORIENTATION_VERTICAL
                                                        : GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title = gtk_label_new (_(field->title));
  GtkWidget *value = gtk_label_new ("—");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field->title));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_start (box, field->layout == ROW_PART ? 24 : 10);
  gtk_widget_set_margin_end (box, 10);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  if (field->layout == ROW_PART)
    gtk_widget_add_css_class (title, "dim-label");
  if (field->subtitle != NULL)
    gtk_widget_set_tooltip_text (title, _(field->subtitle));
  gtk_box_append (GTK_BOX (box), title);

  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_add_css_class (value, "numeric");
  if (field->layout == ROW_WRAP)
    {
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (value, "dim-label");
    }
  else
    {
      /* The tooltip has it all. */
      gtk_label_set_xalign (GTK_LABEL (value), 1.0);
      gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
    }

  entry->field = field;
  entry->value = GTK_LABEL (value);
  entry->bar = NULL;
  if (field->fraction != NULL)
    {
      GtkWidget *bar = gtk_level_bar_new_for_interval (0.0, 1.0);

      gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW,
                                      WARN_FRACTION);
      gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH, 0.95);
      gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL, 1.0);
      gtk_widget_set_size_request (bar, 48, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      /* A meter (GtkLevelBar's role) named as its row; its value text is the row's value. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(field->title), -1);
      gtk_box_append (GTK_BOX (box), bar);
      entry->bar = GTK_LEVEL_BAR (bar);
    }
  gtk_box_append (GTK_BOX (box), value);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
build_rows (BeamSystemPage *self)
{
  static const Group order[N_GROUPS] = {
    GROUP_SYSTEM, GROUP_LIMITS, GROUP_CPUS, GROUP_MEMORY, GROUP_STATISTICS, GROUP_OS_PROCESS,
  };
  GtkWidget *columns[N_COLUMNS];

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkWidget *clamp = adw_clamp_new ();

      columns[c] = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      gtk_widget_set_size_request (columns[c], COLUMN_WIDTH, -1);
      adw_clamp_set_maximum_size (ADW_CLAMP (clamp), COLUMN_NATURAL);
      adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), COLUMN_NATURAL);
      adw_clamp_set_child (ADW_CLAMP (clamp), columns[c]);
      gtk_widget_set_valign (clamp, GTK_ALIGN_START);
      gtk_flow_box_append (self->groups_box, clamp);
    }

  for (guint i = 0; i < N_GROUPS; i++)
    {
      Group g = order[i];

      self->groups[g] = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->groups[g]),
                                       _(group_titles[g]));
      gtk_box_append (GTK_BOX (columns[group_column[g]]), self->groups[g]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      Row entry;
      GtkWidget *row = new_row (&fields[i], &entry);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[fields[i].group]), row);
      g_array_append_val (self->rows, entry);
    }
}

/* Memory bars read against the node's total, limit bars against the limit:
 * only the latter are warnings, so only they turn orange and red. */
static void
update_rows (BeamSystemPage *self)
{
  const BeamSystemInfo *info = self->info;
  g_autofree char *uptime = format_duration_ms (info->uptime_ms);
  g_autofree char *online = format_count (info->schedulers_online);
  g_autofree char *summary = NULL;
  const char *tooltip;

  gtk_label_set_label (self->node_label, info->node);
  /* Translators: "OTP 26 · up 3 d 04 h 05 min · 8 schedulers online". */
  summary = g_strdup_printf (g_dngettext (NULL, "OTP %s · up %s · %s scheduler online",
                                          "OTP %s · up %s · %s schedulers online",
                                          (gulong) MAX (info->schedulers_online, 0)),
                             info->otp_release ? info->otp_release : "?", uptime, online);
  gtk_label_set_label (self->summary_label, summary);
  gtk_label_set_label (self->backend_label,
                       info->has_observer_backend ? _("observer_backend") : _("Plain BIF mode"));
  tooltip = info->has_observer_backend
            ? _("runtime_tools is on the node's code path: bulk views use observer_backend")
            : _("runtime_tools is missing on the node: views use plain BIF calls");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->backend_label), tooltip);

  /* Absent on a node that is not Linux: the group says so, rows go. */
  {
    g_autofree char *escaped = info->os_process.available || !info->os_process.absent_reason
                               ? NULL : g_markup_escape_text (info->os_process.absent_reason, -1);

    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->groups[GROUP_OS_PROCESS]),
                                           escaped);
  }

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);
      g_autofree char *text = row->field->format (info);
      GtkWidget *list_row = gtk_widget_get_ancestor (GTK_WIDGET (row->value),
                                                     GTK_TYPE_LIST_BOX_ROW);

      if (row->field->group == GROUP_OS_PROCESS)
        gtk_widget_set_visible (list_row, info->os_process.available);
      gtk_label_set_label (row->value, text);
      /* Only a change: setting a tooltip asks the X server where the
       * pointer is, a round trip for each of 40 rows. */
      if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (row->value)), text) != 0)
        gtk_widget_set_tooltip_text (GTK_WIDGET (row->value), text);
      if (row->bar != NULL)
        {
          double fraction = row->field->fraction (info);
          gtk_widget_set_visible (GTK_WIDGET (row->bar), fraction >= 0);
          gtk_level_bar_set_value (row->bar, MAX (fraction, 0.0));
          /* GTK 4.8's level bar tells its range but not its value. */
          gtk_accessible_update_property (GTK_ACCESSIBLE (row->bar),
                                          GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                          GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 1.0,
                                          GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, MAX (fraction, 0.0),
                                          GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
          if (row->field->group == GROUP_MEMORY)
            gtk_level_bar_set_mode (row->bar, GTK_LEVEL_BAR_MODE_CONTINUOUS);
        }
    }
}

/* ---- refreshing ----------------------------------------------------------- */

static void
fetch_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BeamSystemPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamSystemInfo *info = beam_system_info_fetch_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  beam_page_refresh_done (BEAM_PAGE (self), error);

  if (info == NULL)
    {
      /* Keep what we showed; a first failure gets the status page. */
      if (self->info == NULL)
        {
          adw_status_page_set_icon_name (self->loading_status, "dialog-warning-symbolic");
          adw_status_page_set_title (self->loading_status, _("Could not read the node"));
          {
            /* The description is markup; the message may quote the node. */
            g_autofree char *escaped = g_markup_escape_text (error->message, -1);

            adw_status_page_set_description (self->loading_status, escaped);
          }
        }
      g_debug ("System refresh failed: %s", error->message);
      return;
    }

  /* CPU between this refresh and the last; the first (or the first of a new
   * OS process), since the start, as the probe falls back to it. */
  info->os_process.cpu_percent =
    beam_os_process_cpu_percent (&info->os_process,
                                 self->info != NULL ? &self->info->os_process : NULL);
  info->os_process.cpu_since_start =
    beam_os_process_cpu_percent (&info->os_process, NULL) == info->os_process.cpu_percent;
  g_clear_pointer (&self->info, beam_system_info_free);
  self->info = info;
  update_rows (self);
  gtk_stack_set_visible_child_name (self->stack, "content");
}

static void
beam_system_page_refresh (BeamPage       *page,
                          BeamConnection *connection,
                          GCancellable   *cancellable)
{
  beam_system_info_fetch_async (connection, cancellable, fetch_done, g_object_ref (page));
}

static void
beam_system_page_node_changed (BeamPage *page,
                               BeamNode *node G_GNUC_UNUSED)
{
  BeamSystemPage *self = BEAM_SYSTEM_PAGE (page);

  g_clear_pointer (&self->info, beam_system_info_free);
  adw_status_page_set_icon_name (self->loading_status, "content-loading-symbolic");
  adw_status_page_set_title (self->loading_status, _("Asking the node…"));
  adw_status_page_set_description (self->loading_status, NULL);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

/* ---- GObject ------------------------------------------------------------- */

static void
beam_system_page_dispose (GObject *object)
{
  beam_page_dispose_template (BEAM_PAGE (object), BEAM_TYPE_SYSTEM_PAGE);

  G_OBJECT_CLASS (beam_system_page_parent_class)->dispose (object);
}

static void
beam_system_page_finalize (GObject *object)
{
  BeamSystemPage *self = BEAM_SYSTEM_PAGE (object);

  g_clear_pointer (&self->info, beam_system_info_free);
  g_clear_pointer (&self->rows, g_array_unref);

  G_OBJECT_CLASS (beam_system_page_parent_class)->finalize (object);
}

static void
beam_system_page_class_init (BeamSystemPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BeamPageClass *page_class = BEAM_PAGE_CLASS (klass);

  object_class->dispose = beam_system_page_dispose;
  object_class->finalize = beam_system_page_finalize;
  page_class->refresh = beam_system_page_refresh;
  page_class->node_changed = beam_system_page_node_changed;
  beam_page_class_set_interval_key (page_class, "system-refresh-interval");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-system-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamSystemPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BeamSystemPage, loading_status);
  gtk_widget_class_bind_template_child (widget_class, BeamSystemPage, node_label);
  gtk_widget_class_bind_template_child (widget_class, BeamSystemPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BeamSystemPage, backend_label);
  gtk_widget_class_bind_template_child (widget_class, BeamSystemPage, groups_box);
  gtk_widget_class_bind_template_child (widget_class, BeamSystemPage, scroller);
}

static void
beam_system_page_init (BeamSystemPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  build_rows (self);
}

char *
beam_system_page_dup_field_text (BeamSystemPage *self,
                                 const char     *field)
{
  g_return_val_if_fail (BEAM_IS_SYSTEM_PAGE (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);
      if (g_strcmp0 (row->field->field, field) == 0)
        return g_strdup (gtk_label_get_label (row->value));
    }
  return NULL;
}

GStrv
beam_system_page_list_fields (BeamSystemPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (BEAM_IS_SYSTEM_PAGE (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_strv_builder_add (builder, fields[i].field);
  return g_strv_builder_end (builder);
}

GtkScrolledWindow *
beam_system_page_get_scroller (BeamSystemPage *self)
{
  g_return_val_if_fail (BEAM_IS_SYSTEM_PAGE (self), NULL);
  return self->scroller;
}
