/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The applications of a node: programs/applications.exprs, and its answer
 * read into a BeamApplicationList. */

#define G_LOG_DOMAIN "beamscope-probe"

#include "beam-application-list.h"
#include "beam-erl-expr.h"
#include "beam-probe-json.h"
#include "beam-term-printer.h"

/* How long application_controller has to tell the start types. It answers
 * at once unless it is starting or stopping an application. */
#define CONTROLLER_TIMEOUT_MS 1000

/* The whole call: a million processes are read in about 3 s. */
#define CALL_TIMEOUT_MS 30000

static const char *
intern_text (GStringChunk   *strings,
             const BeamTerm *term)
{
  g_autofree char *text = NULL;

  if (term->kind == BEAM_TERM_ATOM)
    return beam_term_is_atom (term, "undefined") ? NULL
                                                 : g_string_chunk_insert_const (strings,
                                                                                term->v.atom.name);
  text = beam_term_dup_string (term);
  return text != NULL ? g_string_chunk_insert_const (strings, text) : NULL;
}

static const char *
intern_pid (GStringChunk   *strings,
            const BeamTerm *term)
{
  g_autofree char *text = NULL;

  if (term->kind != BEAM_TERM_PID)
    return NULL;
  text = beam_term_print (term, NULL);
  return g_string_chunk_insert (strings, text);
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  const BeamApplication *x = a, *y = b;

  return g_strcmp0 (x->name, y->name);
}

static gboolean
read_application (GStringChunk    *strings,
                  const BeamTerm  *row,
                  BeamApplication *app)
{
  const BeamTerm *stats;

  if (row->kind != BEAM_TERM_TUPLE || row->n_children != 7 ||
      row->children[0]->kind != BEAM_TERM_ATOM)
    return FALSE;

  app->name = g_string_chunk_insert_const (strings, row->children[0]->v.atom.name);
  app->description = intern_text (strings, row->children[1]);
  app->vsn = intern_text (strings, row->children[2]);
  app->master_pid = intern_pid (strings, row->children[3]);
  app->start_type = row->children[4]->kind == BEAM_TERM_ATOM
                    ? intern_text (strings, row->children[4]) : NULL;
  if (beam_term_is_atom (row->children[5], "running"))
    app->state = BEAM_APPLICATION_RUNNING;
  else if (beam_term_is_atom (row->children[5], "starting"))
    app->state = BEAM_APPLICATION_STARTING;
  else if (beam_term_is_atom (row->children[5], "stopping"))
    app->state = BEAM_APPLICATION_STOPPING;
  else if (beam_term_is_atom (row->children[5], "loaded"))
    app->state = BEAM_APPLICATION_LOADED;
  else if (beam_term_is_atom (row->children[5], "unknown"))
    app->state = BEAM_APPLICATION_UNKNOWN;
  else
    return FALSE;
  app->running = app->state == BEAM_APPLICATION_RUNNING ||
                 app->state == BEAM_APPLICATION_STARTING ||
                 app->state == BEAM_APPLICATION_STOPPING;
  app->processes = app->memory = app->reductions = -1;

  stats = row->children[6];
  if (stats->kind == BEAM_TERM_TUPLE && stats->n_children == 3 &&
      (!beam_term_get_int64 (stats->children[0], &app->processes) ||
       !beam_term_get_int64 (stats->children[1], &app->memory) ||
       !beam_term_get_int64 (stats->children[2], &app->reductions)))
    return FALSE;
  return TRUE;
}

static gpointer
decode_applications (const BeamTerm  *reply,
                     gpointer         user_data,
                     GError         **error)
{
  gboolean counted = GPOINTER_TO_INT (user_data);
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(BeamApplicationList) list = NULL;
  const BeamTerm *rows;
  GArray *apps;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 2 ||
      value->children[0]->kind != BEAM_TERM_ATOM || value->children[1]->kind != BEAM_TERM_LIST ||
      value->children[1]->v.list.improper)
    {
      beam_erl_set_bad_reply (error, "application:loaded_applications()");
      return NULL;
    }
  rows = value->children[1];

  list = g_new0 (BeamApplicationList, 1);
  list->strings = g_string_chunk_new (4096);
  list->types_known = beam_term_is_atom (value->children[0], "true");
  list->counted = counted;

  apps = g_array_sized_new (FALSE, TRUE, sizeof (BeamApplication), rows->n_children);
  for (guint i = 0; i < rows->n_children; i++)
    {
      BeamApplication app = { 0 };

      if (!read_application (list->strings, rows->children[i], &app))
        {
          g_array_unref (apps);
          beam_erl_set_bad_reply (error, "application:loaded_applications()");
          return NULL;
        }
      g_array_append_val (apps, app);
    }
  g_array_sort (apps, compare_by_name);
  list->n_applications = apps->len;
  list->applications = (BeamApplication *) (gpointer) g_array_free (apps, FALSE);
  return g_steal_pointer (&list);
}

void
beam_application_list_async (BeamConnection      *connection,
                             gboolean             count_processes,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  beam_connection_call_task_async (connection, beam_application_list_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args (
                                       "applications",
                                       "Timeout", beam_term_new_integer (CONTROLLER_TIMEOUT_MS),
                                       "Counted", beam_term_new_atom (count_processes
                                                                      ? "true" : "false"),
                                       NULL),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     .max_reply_bytes = 16 * 1024 * 1024,
                                     .decode = decode_applications,
                                     .decode_data = GINT_TO_POINTER (count_processes),
                                     .result_free = (GDestroyNotify) beam_application_list_free,
                                   }, cancellable, callback, user_data);
}

BeamApplicationList *
beam_application_list_finish (GAsyncResult  *result,
                              GError       **error)
{
  return beam_connection_call_task_finish (result, beam_application_list_async, error);
}

void
beam_application_list_free (BeamApplicationList *list)
{
  if (list == NULL)
    return;
  g_free (list->applications);
  if (list->strings != NULL)
    g_string_chunk_free (list->strings);
  g_free (list);
}

const BeamApplication *
beam_application_list_find (const BeamApplicationList *list,
                            const char                *name)
{
  g_return_val_if_fail (list != NULL, NULL);

  for (guint i = 0; i < list->n_applications; i++)
    if (g_strcmp0 (list->applications[i].name, name) == 0)
      return &list->applications[i];
  return NULL;
}

JsonNode *
beam_application_list_to_json (const BeamApplicationList *list)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (list != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < list->n_applications; i++)
    {
      const BeamApplication *app = &list->applications[i];

      json_builder_begin_object (builder);
      beam_json_add_string_or_null (builder, "name", app->name);
      beam_json_add_string_or_null (builder, "description", app->description);
      beam_json_add_string_or_null (builder, "vsn", app->vsn);
      beam_json_add_string_or_null (builder, "type", app->start_type);
      beam_json_add_string_or_null (builder, "state",
                                    beam_application_state_to_string (app->state));
      json_builder_set_member_name (builder, "running");
      json_builder_add_boolean_value (builder, app->running);
      beam_json_add_string_or_null (builder, "master", app->master_pid);
      beam_json_add_count_or_null (builder, "processes", app->processes);
      beam_json_add_count_or_null (builder, "memory", app->memory);
      beam_json_add_count_or_null (builder, "reductions", app->reductions);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

const char *
beam_application_state_to_string (BeamApplicationState state)
{
  switch (state)
    {
    case BEAM_APPLICATION_LOADED: return "loaded";
    case BEAM_APPLICATION_STARTING: return "starting";
    case BEAM_APPLICATION_RUNNING: return "running";
    case BEAM_APPLICATION_STOPPING: return "stopping";
    case BEAM_APPLICATION_UNKNOWN: return "unknown";
    default: g_return_val_if_reached (NULL);
    }
}
