/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A stand-in for probe/beam-cluster-sample.c while that is written on its
 * own branch: built only while that file does not exist (src/meson.build),
 * so the model and its fed tests link. Asking a node fails; freeing a
 * sample and utilisation between two samples are the real thing. */

#define G_LOG_DOMAIN "beamscope-model"

#include "config.h"

#include "beam-cluster-sample.h"
#include "beam-wire-error.h"

void
beam_cluster_sample_free (BeamClusterSample *sample)
{
  if (sample == NULL)
    return;
  g_free (sample->node);
  g_free (sample->otp_release);
  g_clear_pointer (&sample->wall, g_array_unref);
  g_strfreev (sample->visible);
  g_strfreev (sample->hidden);
  g_free (sample->max_queue_pid);
  g_free (sample->max_queue_name);
  g_free (sample);
}

void
beam_cluster_sample_async (BeamConnection      *connection G_GNUC_UNUSED,
                           gboolean             scan G_GNUC_UNUSED,
                           guint                scan_limit G_GNUC_UNUSED,
                           guint                timeout_ms G_GNUC_UNUSED,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, beam_cluster_sample_async);
  g_task_return_new_error (task, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                           "The cluster sample is not built in yet");
}

BeamClusterSample *
beam_cluster_sample_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const BeamWallTime *
find_wall (const BeamClusterSample *sample,
           guint                    id)
{
  for (guint i = 0; sample->wall != NULL && i < sample->wall->len; i++)
    if (g_array_index (sample->wall, BeamWallTime, i).id == id)
      return &g_array_index (sample->wall, BeamWallTime, i);
  return NULL;
}

gboolean
beam_cluster_sample_usage (const BeamClusterSample *before,
                           const BeamClusterSample *after,
                           double                  *out_usage)
{
  gint64 active = 0, total = 0;

  if (before->creation != after->creation || before->wall == NULL || after->wall == NULL ||
      before->wall->len == 0 || after->wall->len == 0)
    return FALSE;
  for (gint id = 1; id <= after->schedulers; id++)
    {
      const BeamWallTime *a = find_wall (before, id), *b = find_wall (after, id);

      if (a == NULL || b == NULL)
        return FALSE;
      active += b->active - a->active;
      total += b->total - a->total;
    }
  if (total <= 0 || active < 0)
    return FALSE;
  *out_usage = (double) active / (double) total;
  return TRUE;
}
