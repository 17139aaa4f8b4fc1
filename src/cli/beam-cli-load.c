/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's commands about load: `sched`, scheduler usage over an
 * interval as recon:scheduler_usage gives it. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-cli-private.h"
#include "beam-scheduler-usage.h"

/* A sample holds a process and the scheduler_wall_time flag on the node for
 * its whole length: a minute is plenty to see a load. */
#define MAX_SCHED_MS 60000

static int sched_ms = 1000;

GOptionEntry _beam_cli_sched_options[] = {
  { "ms", 0, 0, G_OPTION_ARG_INT, &sched_ms,
    N_("Sample for MS milliseconds, at most 60000 (default 1000)"), N_("MS") },
  G_OPTION_ENTRY_NULL
};

int
_beam_cli_sched (BeamCli *cli)
{
  g_autoptr(GArray) usage = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (sched_ms <= 0 || sched_ms > MAX_SCHED_MS)
    return _beam_cli_usage_error (_("--ms takes a number of milliseconds from 1 to 60000"));
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_scheduler_usage_async (cli->connection, sched_ms, NULL, _beam_cli_stash, cli);
  usage = beam_scheduler_usage_finish (_beam_cli_wait_and_close (cli), &error);
  if (usage == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < usage->len; i++)
        {
          BeamSchedulerUsage *entry = &g_array_index (usage, BeamSchedulerUsage, i);

          json_builder_begin_object (builder);
          _beam_cli_add_int (builder, "scheduler", entry->id);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder,
                                         beam_scheduler_usage_type_to_string (entry->type));
          json_builder_set_member_name (builder, "usage");
          json_builder_add_double_value (builder, entry->usage);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      return _beam_cli_print_builder (builder);
    }

  /* Translators: column headings, in capitals, each padded to a fixed width: keep each within it,
   * or the columns below shift. Widths: SCHEDULER 10, TYPE 10. */
  g_print ("%-10s %-10s %s\n", _("SCHEDULER"), _("TYPE"), _("USAGE"));
  for (guint i = 0; i < usage->len; i++)
    {
      BeamSchedulerUsage *entry = &g_array_index (usage, BeamSchedulerUsage, i);
      g_print ("%-10u %-10s %5.1f%%\n", entry->id,
               beam_scheduler_usage_type_to_string (entry->type), 100 * entry->usage);
    }
  return 0;
}
