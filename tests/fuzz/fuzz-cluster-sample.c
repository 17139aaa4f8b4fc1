/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Cluster sample's reader on any reply: a term decoded from the bytes
 * (version byte first) is read as the plain sample's answer and as the scan
 * form's; each read gives a sample or an error, never both, and a sample it
 * gives holds together: counts within their limits, memory parts within the
 * total, names checked and sorted, at most BEAM_CLUSTER_SAMPLE_MAX_NAMES,
 * scheduler ids within range, and a usage between two samples in 0..1. */

#include <stdint.h>
#include <string.h>

#include "beam-cluster-sample-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_names (GStrv names)
{
  guint n = 0;

  g_assert (names != NULL);
  for (; names[n] != NULL; n++)
    {
      g_assert (strchr (names[n], '@') != NULL);
      g_assert (n == 0 || strcmp (names[n - 1], names[n]) <= 0);
    }
  g_assert_cmpuint (n, <=, BEAM_CLUSTER_SAMPLE_MAX_NAMES);
}

static void
check_sample (const BeamClusterSample *sample,
              gboolean                 scan)
{
  double usage = -1;

  g_assert (sample->node != NULL && strchr (sample->node, '@') != NULL);
  g_assert (sample->otp_release != NULL && sample->otp_release[0] != '\0');
  g_assert_cmpint (sample->uptime_ms, >=, 0);
  g_assert_cmpint (sample->process_count, >=, 0);
  g_assert_cmpint (sample->process_count, <=, sample->process_limit);
  g_assert_cmpint (sample->atom_count, >=, 0);
  g_assert_cmpint (sample->atom_count, <=, sample->atom_limit);
  g_assert_cmpint (sample->memory_binary, >=, 0);
  g_assert_cmpint (sample->memory_ets, >=, 0);
  g_assert_cmpint (sample->memory_binary, <=, sample->memory_total);
  g_assert_cmpint (sample->memory_ets, <=, sample->memory_total);
  g_assert_cmpint (sample->schedulers, >=, 1);
  g_assert_cmpint (sample->run_queue, >=, 0);
  for (guint i = 0; i < sample->wall->len; i++)
    {
      const BeamWallTime *time = &g_array_index (sample->wall, BeamWallTime, i);

      g_assert_cmpuint (time->id, >=, 1);
      g_assert (i == 0 || g_array_index (sample->wall, BeamWallTime, i - 1).id < time->id);
      g_assert (time->active >= 0 && time->active <= time->total);
    }
  check_names (sample->visible);
  check_names (sample->hidden);
  g_assert (sample->scanned == scan);
  g_assert (sample->max_queue >= -1);
  g_assert ((sample->max_queue_pid != NULL) == (sample->max_queue > 0));
  g_assert (sample->max_queue_name == NULL || sample->max_queue_pid != NULL);
  g_assert (scan ? sample->reductions >= 0 : sample->reductions == -1);
  if (beam_cluster_sample_usage (sample, sample, &usage))
    g_assert (usage >= 0 && usage <= 1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *buf = g_memdup2 (data, size);
  g_autoptr(BeamTerm) reply = NULL;
  int index = 1;

  if (size == 0 || !beam_term_validate (buf, size, NULL) ||
      (reply = beam_term_decode_at_len (buf, size, &index, NULL)) == NULL)
    return 0;

  for (int scan = FALSE; scan <= TRUE; scan++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeamClusterSample) sample = _beam_cluster_sample_decode (reply,
                                                                         GINT_TO_POINTER (scan),
                                                                         &error);

      g_assert ((sample == NULL) != (error == NULL));
      if (sample != NULL)
        check_sample (sample, scan);
    }
  return 0;
}
