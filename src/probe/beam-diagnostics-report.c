/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the diagnostics say, once they have run: the names of the checks and
 * statuses, the default thresholds and the CLI's --threshold syntax, and the
 * results written out as a monitoring plugin's line (the Nagios plugin
 * guidelines' output and performance data, which Icinga, Zabbix and Sensu
 * read as well) and as JSON. Asking the node is beam-diagnostics.c's part;
 * nothing here talks to a node, so the tests check it without one. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "beam-diagnostics.h"
#include "beam-probe-json.h"

/* What a check's thresholds are counted in, which decides what --threshold
 * takes for it. */
typedef enum
{
  UNIT_MESSAGES,     /* a plain number */
  UNIT_SHARE,        /* a percentage of a limit or a total: 0 to 100 */
  UNIT_GROWTH,       /* a percentage of growth: 0 and over */
  UNIT_BYTES,        /* a number of bytes, or a size: 256MiB, 1GB */
} ThresholdUnit;

static const struct
{
  const char    *name;
  ThresholdUnit  unit;
  BeamThreshold  defaults;
} checks[BEAM_N_CHECKS] = {
  /* The and the seeds' figure: a queue of a thousand is a process
   * not keeping up; ten thousand is one heading for out of memory. */
  [BEAM_CHECK_MESSAGE_QUEUE]    = { "message_queue",    UNIT_MESSAGES, { 1000, 10000 } },
  /* Over the default 1 s window: 100 more messages a second is a queue
   * that will reach the critical size within two minutes. */
  [BEAM_CHECK_QUEUE_GROWTH]     = { "queue_growth",     UNIT_MESSAGES, { 100, 1000 } },
  [BEAM_CHECK_ATOMS]            = { "atoms",            UNIT_SHARE,    { 70, 90 } },
  [BEAM_CHECK_BINARY_MEMORY]    = { "binary_memory",    UNIT_SHARE,    { 50, 75 } },
  [BEAM_CHECK_SCHEDULERS]       = { "schedulers",       UNIT_SHARE,    { 80, 95 } },
  [BEAM_CHECK_DIRTY_SCHEDULERS] = { "dirty_schedulers", UNIT_SHARE,    { 80, 95 } },
  [BEAM_CHECK_PROCESS_LIMIT]    = { "process_limit",    UNIT_SHARE,    { 70, 90 } },
  [BEAM_CHECK_PORT_LIMIT]       = { "port_limit",       UNIT_SHARE,    { 70, 90 } },
  [BEAM_CHECK_ETS_LIMIT]        = { "ets_limit",        UNIT_SHARE,    { 70, 90 } },
  [BEAM_CHECK_ETS_MEMORY]       = { "ets_memory",       UNIT_SHARE,    { 30, 60 } },
  [BEAM_CHECK_PROCESS_MEMORY]   = { "process_memory",   UNIT_BYTES,
                                    { 256.0 * 1024 * 1024, 1024.0 * 1024 * 1024 } },
  [BEAM_CHECK_MEMORY_GROWTH]    = { "memory_growth",    UNIT_GROWTH,   { 10, 25 } },
};

static const char * const status_names[] = {
  [BEAM_CHECK_OK]       = "ok",
  [BEAM_CHECK_WARNING]  = "warning",
  [BEAM_CHECK_CRITICAL] = "critical",
  [BEAM_CHECK_UNKNOWN]  = "unknown",
};

const char *
beam_check_to_string (BeamCheck check)
{
  g_return_val_if_fail (check < BEAM_N_CHECKS, NULL);
  return checks[check].name;
}

gboolean
beam_check_from_string (const char *name,
                        BeamCheck  *out_check)
{
  g_return_val_if_fail (out_check != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    if (g_str_equal (name, checks[i].name))
      {
        *out_check = (BeamCheck) i;
        return TRUE;
      }
  return FALSE;
}

const char *
beam_check_status_to_string (BeamCheckStatus status)
{
  g_return_val_if_fail (status <= BEAM_CHECK_UNKNOWN, NULL);
  return status_names[status];
}

void
beam_diagnostics_options_init (BeamDiagnosticsOptions *options)
{
  g_return_if_fail (options != NULL);

  options->window_ms = 1000;
  options->top = 10;
  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    options->thresholds[i] = checks[i].defaults;
}

static void append_perf_number (GString *line,
                                double   value);

/* "message_queue, queue_growth, ...": for the message that names them. */
static char *
list_check_names (void)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", checks[i].name);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* A size's multiplier, its suffix matched without case ("256MiB", "1 GB"). */
static gboolean
size_multiplier (const char *suffix,
                 double     *multiplier)
{
  static const struct { const char *suffix; double multiplier; } units[] = {
    { "", 1 }, { "B", 1 },
    { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 }, { "TB", 1e12 },
    { "KiB", 1024.0 }, { "MiB", 1024.0 * 1024 }, { "GiB", 1024.0 * 1024 * 1024 },
    { "TiB", 1024.0 * 1024 * 1024 * 1024 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (suffix, units[i].suffix) == 0)
      {
        *multiplier = units[i].multiplier;
        return TRUE;
      }
  return FALSE;
}

/* One threshold of `check` as the user wrote it, in the check's unit. */
static gboolean
parse_value (BeamCheck    check,
             const char  *text,
             double      *value,
             GError     **error)
{
  const char *name = checks[check].name;
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  double number;

  /* g_ascii_strtod: "1.5" whatever the locale; digits first, so that "inf",
   * "nan" and hexadecimal are no numbers here. */
  if (!g_ascii_isdigit (copy[0]) && !(copy[0] == '.' && g_ascii_isdigit (copy[1])))
    goto not_a_number;
  number = g_ascii_strtod (copy, &end);
  if (end == copy || !isfinite (number) || copy[1] == 'x' || copy[1] == 'X')
    goto not_a_number;
  while (g_ascii_isspace (*end))
    end++;

  switch (checks[check].unit)
    {
    case UNIT_MESSAGES:
      if (*end != '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s counts messages: “%s” should be a plain number"), name, text);
          return FALSE;
        }
      break;

    case UNIT_SHARE:
    case UNIT_GROWTH:
      if (*end != '\0' && !g_str_equal (end, "%"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s is a percentage: “%s” should be a number, with or without %%"),
                       name, text);
          return FALSE;
        }
      if (checks[check].unit == UNIT_SHARE && number > 100)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s is a percentage of a limit or a total: “%s” is over 100 %%"),
                       name, text);
          return FALSE;
        }
      break;

    case UNIT_BYTES:
      {
        double multiplier;

        if (!size_multiplier (end, &multiplier))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("%s is a size: “%s” should be bytes, or a size such as 256MiB "
                           "or 1GB"), name, text);
            return FALSE;
          }
        number = round (number * multiplier);
      }
      break;

    default:
      g_assert_not_reached ();
    }
  *value = number;
  return TRUE;

not_a_number:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is no threshold for %s: give a number that is not negative"), text, name);
  return FALSE;
}

gboolean
beam_diagnostics_options_parse_threshold (BeamDiagnosticsOptions  *options,
                                          const char              *text,
                                          GError                 **error)
{
  g_autofree char *name = NULL;
  g_auto(GStrv) values = NULL;
  const char *equals;
  BeamThreshold threshold;
  BeamCheck check;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  equals = strchr (text, '=');
  if (equals == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is no threshold: write CHECK=WARNING or CHECK=WARNING,CRITICAL, "
                     "as message_queue=1000,10000"), text);
      return FALSE;
    }
  name = g_strstrip (g_strndup (text, (gsize) (equals - text)));
  if (!beam_check_from_string (name, &check))
    {
      g_autofree char *known = list_check_names ();

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is no check; the checks are %s"), name, known);
      return FALSE;
    }

  values = g_strsplit (equals + 1, ",", -1);
  if (values[0] == NULL || g_strv_length (values) > 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s”: give one threshold (warning) or two (warning,critical)"), text);
      return FALSE;
    }
  /* WARNING alone keeps the check's critical threshold. */
  threshold = options->thresholds[check];
  if (!parse_value (check, values[0], &threshold.warning, error))
    return FALSE;
  if (values[1] != NULL && !parse_value (check, values[1], &threshold.critical, error))
    return FALSE;
  if (threshold.critical < threshold.warning)
    {
      if (values[1] != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("“%s”: the critical threshold is below the warning one"), text);
      else
        {
          g_autoptr(GString) critical = g_string_new (NULL);

          append_perf_number (critical, threshold.critical);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s”: the warning threshold is over the critical one (%s); give "
                         "both, as %s=WARNING,CRITICAL"), text, critical->str, name);
        }
      return FALSE;
    }
  options->thresholds[check] = threshold;
  return TRUE;
}

/* How bad a status is for the whole, as Icinga ranks service states: a
 * critical finding is never hidden by a check that could not run, and a
 * check that could not run (a node that stopped answering part-way, say)
 * is not hidden by a warning, as what it could not see may be critical. */
static int
severity (BeamCheckStatus status)
{
  switch (status)
    {
    case BEAM_CHECK_OK:       return 0;
    case BEAM_CHECK_WARNING:  return 1;
    case BEAM_CHECK_UNKNOWN:  return 2;
    case BEAM_CHECK_CRITICAL: return 3;
    default:                  return 2;
    }
}

BeamCheckStatus
beam_diagnostics_worst (GPtrArray *results)
{
  BeamCheckStatus worst = BEAM_CHECK_OK;

  g_return_val_if_fail (results != NULL, BEAM_CHECK_UNKNOWN);

  if (results->len == 0)
    return BEAM_CHECK_UNKNOWN;
  for (guint i = 0; i < results->len; i++)
    {
      const BeamCheckResult *result = g_ptr_array_index (results, i);

      if (severity (result->status) > severity (worst))
        worst = result->status;
    }
  return worst;
}

/* Text from the node on the plugin's line: one line (a monitoring system
 * reads the first), valid UTF-8, and no '|', which would start the
 * performance data. */
static void
append_plugin_text (GString    *line,
                    const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  for (const char *c = valid; *c != '\0'; c++)
    {
      if (*c == '|')
        g_string_append_c (line, '/');
      else if ((guchar) *c < 0x20 || *c == 0x7f)
        g_string_append_c (line, ' ');
      else
        g_string_append_c (line, *c);
    }
}

/* A performance figure's number: [-0-9.] only, as the guidelines allow (no
 * exponent, a dot whatever the locale); empty for a threshold, minimum or
 * maximum that is not known. */
static void
append_perf_number (GString *line,
                    double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return;
  if (value == 0)
    value = 0;  /* -0 */
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_string_append (line, g_ascii_formatd (buffer, sizeof buffer, "%.0f", value));
      return;
    }
  g_ascii_formatd (buffer, sizeof buffer, "%.3f", value);
  /* 12.500 -> 12.5 */
  for (char *end = buffer + strlen (buffer) - 1; *end == '0' || *end == '.'; end--)
    {
      gboolean was_dot = *end == '.';

      *end = '\0';
      if (was_dot)
        break;
    }
  g_string_append (line, buffer);
}

/* The units of measure the guidelines define; any other is left out
 * rather than make the whole line unreadable to the monitoring system. */
static const char *
perf_unit (const char *unit)
{
  static const char * const valid[] = { "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c" };

  if (unit != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
      if (g_str_equal (unit, valid[i]))
        return valid[i];
  return "";
}

/* 'label'=value[unit];warning;critical;min;max. The label is quoted, a
 * quote in it doubled and '=' (which ends it) left out. */
static void
append_perf_figure (GString          *line,
                    const char       *fallback_label,
                    const BeamFigure *figure)
{
  const char *label = figure->label != NULL && *figure->label != '\0' ? figure->label
                                                                       : fallback_label;
  g_autofree char *valid = g_utf8_make_valid (label, -1);

  g_string_append_c (line, '\'');
  for (const char *c = valid; *c != '\0'; c++)
    {
      if (*c == '\'')
        g_string_append (line, "''");
      else if (*c == '=' || (guchar) *c < 0x20 || *c == 0x7f)
        g_string_append_c (line, '_');
      else
        g_string_append_c (line, *c);
    }
  g_string_append (line, "'=");
  /* A value that could not be read is 'U' (monitoring-plugins' guidelines). */
  if (isfinite (figure->value))
    {
      append_perf_number (line, figure->value);
      g_string_append (line, perf_unit (figure->unit));
    }
  else
    g_string_append_c (line, 'U');
  g_string_append_c (line, ';');
  append_perf_number (line, figure->warning);
  g_string_append_c (line, ';');
  append_perf_number (line, figure->critical);
  g_string_append_c (line, ';');
  append_perf_number (line, figure->min);
  g_string_append_c (line, ';');
  append_perf_number (line, figure->max);
}

char *
beam_diagnostics_plugin_summary (GPtrArray *results)
{
  g_autoptr(GString) line = g_string_new ("BEAM ");
  g_autofree char *status_word = NULL;
  BeamCheckStatus worst;
  gboolean first = TRUE;

  g_return_val_if_fail (results != NULL, NULL);

  worst = beam_diagnostics_worst (results);
  status_word = g_ascii_strup (beam_check_status_to_string (worst), -1);
  g_string_append_printf (line, "%s - ", status_word);

  /* The words are the plugin's, not translated: monitoring systems and the
   * people who grep their logs read them. */
  if (results->len == 0)
    g_string_append (line, "no checks ran");
  else if (worst == BEAM_CHECK_OK)
    g_string_append_printf (line, "all %u checks ok", results->len);
  else
    {
      /* Checks that say the same (a node that stopped answering times out
       * every one) share their summary: "atoms, schedulers: Timed out". */
      g_autofree gboolean *said = g_new0 (gboolean, results->len);

      for (guint i = 0; i < results->len; i++)
        {
          const BeamCheckResult *result = g_ptr_array_index (results, i);
          const char *summary = result->summary != NULL ? result->summary
                                                        : beam_check_status_to_string (worst);

          if (result->status != worst || said[i])
            continue;
          g_string_append_printf (line, "%s%s", first ? "" : "; ",
                                  beam_check_to_string (result->check));
          for (guint j = i + 1; j < results->len; j++)
            {
              const BeamCheckResult *other = g_ptr_array_index (results, j);

              if (other->status == worst && !said[j] && g_strcmp0 (other->summary, summary) == 0)
                {
                  g_string_append_printf (line, ", %s", beam_check_to_string (other->check));
                  said[j] = TRUE;
                }
            }
          g_string_append (line, ": ");
          append_plugin_text (line, summary);
          first = FALSE;
        }
    }

  first = TRUE;
  for (guint i = 0; i < results->len; i++)
    {
      const BeamCheckResult *result = g_ptr_array_index (results, i);

      for (guint f = 0; result->figures != NULL && f < result->figures->len; f++)
        {
          g_string_append (line, first ? " | " : " ");
          append_perf_figure (line, beam_check_to_string (result->check),
                              g_ptr_array_index (result->figures, f));
          first = FALSE;
        }
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* A figure as JSON: a whole number as an integer, one not known as null. */
static void
add_number (JsonBuilder *builder,
            const char  *member,
            double       value)
{
  json_builder_set_member_name (builder, member);
  if (!isfinite (value))
    json_builder_add_null_value (builder);
  else if (value == floor (value) && fabs (value) < 9007199254740992.0)  /* 2^53 */
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

static const char *
culprit_kind_to_string (BeamCulpritKind kind)
{
  switch (kind)
    {
    case BEAM_CULPRIT_PROCESS:   return "process";
    case BEAM_CULPRIT_PORT:      return "port";
    case BEAM_CULPRIT_TABLE:     return "table";
    case BEAM_CULPRIT_SCHEDULER: return "scheduler";
    default:                     return "unknown";
    }
}

static void
add_details (JsonBuilder           *builder,
             const BeamCheckResult *result)
{
  json_builder_set_member_name (builder, "details");
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "figures");
  json_builder_begin_array (builder);
  for (guint i = 0; result->figures != NULL && i < result->figures->len; i++)
    {
      const BeamFigure *figure = g_ptr_array_index (result->figures, i);

      json_builder_begin_object (builder);
      beam_json_add_string_or_null (builder, "label", figure->label);
      add_number (builder, "value", figure->value);
      beam_json_add_string_or_null (builder, "unit", figure->unit != NULL ? figure->unit : "");
      add_number (builder, "warning", figure->warning);
      add_number (builder, "critical", figure->critical);
      add_number (builder, "min", figure->min);
      add_number (builder, "max", figure->max);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "culprits");
  json_builder_begin_array (builder);
  for (guint i = 0; result->culprits != NULL && i < result->culprits->len; i++)
    {
      const BeamCulprit *culprit = g_ptr_array_index (result->culprits, i);

      json_builder_begin_object (builder);
      beam_json_add_string_or_null (builder, "kind", culprit_kind_to_string (culprit->kind));
      beam_json_add_string_or_null (builder, "id", culprit->id);
      beam_json_add_string_or_null (builder, "name", culprit->name);
      beam_json_add_string_or_null (builder, "detail", culprit->detail);
      add_number (builder, "value", culprit->value);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* When it answered, as ISO 8601 in UTC: what a log or a script reads. */
  json_builder_set_member_name (builder, "ran_at");
  if (result->ran_at > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (result->ran_at / G_USEC_PER_SEC);
      g_autoptr(GDateTime) precise = when != NULL
        ? g_date_time_add (when, result->ran_at % G_USEC_PER_SEC) : NULL;
      g_autofree char *text = precise != NULL ? g_date_time_format_iso8601 (precise) : NULL;

      if (text != NULL)
        json_builder_add_string_value (builder, text);
      else
        json_builder_add_null_value (builder);
    }
  else
    json_builder_add_null_value (builder);
  beam_json_add_count_or_null (builder, "reductions", result->reductions);
  beam_json_add_count_or_null (builder, "node_us", result->node_us);

  json_builder_end_object (builder);
}

JsonNode *
beam_diagnostics_to_json (GPtrArray *results)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (results != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      const BeamCheckResult *result = g_ptr_array_index (results, i);

      json_builder_begin_object (builder);
      beam_json_add_string_or_null (builder, "check", beam_check_to_string (result->check));
      beam_json_add_string_or_null (builder, "status",
                                    beam_check_status_to_string (result->status));
      beam_json_add_string_or_null (builder, "summary", result->summary);
      add_details (builder, result);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

JsonNode *
beam_bin_leak_to_json (GPtrArray *leaks)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (leaks != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < leaks->len; i++)
    {
      const BeamBinLeak *leak = g_ptr_array_index (leaks, i);

      json_builder_begin_object (builder);
      beam_json_add_string_or_null (builder, "pid", leak->pid);
      json_builder_set_member_name (builder, "value");
      json_builder_add_int_value (builder, leak->value);
      beam_json_add_string_or_null (builder, "name", leak->name);
      beam_json_add_string_or_null (builder, "initial_call", leak->initial_call);
      beam_json_add_string_or_null (builder, "current_function", leak->current_function);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}
