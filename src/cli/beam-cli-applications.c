/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's applications commands: `apps`, and `tree APP`, the
 * Applications page's supervision tree drawn as tree(1) draws folders. */

#include "config.h"

#include <glib/gi18n.h>

#include "beam-application-list.h"
#include "beam-cli-private.h"
#include "beam-supervision-tree.h"

#define DEFAULT_TREE_MAX_CHILDREN 100
/* As deep as the probe goes. */
#define MAX_TREE_DEPTH            1000

static struct
{
  int depth;
  int max_children;
} tree_opts = { 0, DEFAULT_TREE_MAX_CHILDREN };

GOptionEntry _beam_cli_tree_options[] = {
  { "depth", 'd', 0, G_OPTION_ARG_INT, &tree_opts.depth,
    N_("Only N levels below the top supervisor (default: all)"), N_("N") },
  { "max-children", 'm', 0, G_OPTION_ARG_INT, &tree_opts.max_children,
    N_("A supervisor with more children shows their count and the first N (default 100)"),
    N_("N") },
  G_OPTION_ENTRY_NULL
};

static const char *
or_dash (const char *text)
{
  return text != NULL ? text : "-";
}

int
_beam_cli_apps (BeamCli *cli)
{
  g_autoptr(BeamApplicationList) list = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  /* The CLI asks once: it can afford to count every process. */
  beam_application_list_async (cli->connection, TRUE, NULL, _beam_cli_stash, cli);
  list = beam_application_list_finish (_beam_cli_wait_and_close (cli), &error);
  if (list == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      _beam_cli_print_json (beam_application_list_to_json (list));
      return 0;
    }

  /* Translators: column headings, in capitals, each padded to a fixed width: keep each within it,
   * or the columns below shift. Widths: NAME 24, VSN (version) 10, TYPE 10, STATE 9, PROCESSES 10,
   * MEMORY 14. */
  g_print ("%-24s %-10s %-10s %-9s %10s %14s  %s\n", _("NAME"),
           /* Translators: an application's version (vsn), a column 10 wide. */ _("VSN"), _("TYPE"),
           _("STATE"), _("PROCESSES"), _("MEMORY"), _("DESCRIPTION"));
  for (guint i = 0; i < list->n_applications; i++)
    {
      const BeamApplication *app = &list->applications[i];
      g_autofree char *processes = beam_format_count (app->processes);
      g_autofree char *memory = beam_format_bytes (app->memory);
      g_autoptr(GString) line = g_string_new (NULL);

      _beam_cli_append_cell (line, app->name, -24);
      _beam_cli_append_cell (line, or_dash (app->vsn), -10);
      _beam_cli_append_cell (line, or_dash (app->start_type), -10);
      _beam_cli_append_cell (line, beam_application_state_to_string (app->state), -9);
      _beam_cli_append_cell (line, processes, 10);
      _beam_cli_append_cell (line, memory, 14);
      g_print ("%s %s\n", line->str, or_dash (app->description));
    }
  return 0;
}

/* "name <0.83.0>  supervisor one_for_one 10/60s", one node's line. */
static char *
describe (const BeamSupervisionNode *node)
{
  GString *line = g_string_new (NULL);

  g_string_append (line, node->name != NULL ? node->name : node->id != NULL ? node->id : "");
  if (node->pid != NULL)
    g_string_append_printf (line, "%s%s", line->len > 0 ? " " : "", node->pid);
  if (node->state == BEAM_SUPERVISION_RESTARTING)
    g_string_append (line, _(" (restarting)"));
  else if (node->state == BEAM_SUPERVISION_UNDEFINED)
    g_string_append (line, _(" (not running)"));

  switch (node->type)
    {
    case BEAM_SUPERVISION_SUPERVISOR:
      g_string_append (line, _("  supervisor"));
      if (node->status == BEAM_SUPERVISOR_NOT_ANSWERING)
        g_string_append (line, _(", not answering"));
      else if (node->status == BEAM_SUPERVISOR_UNEXPLORED)
        g_string_append (line, _(", not explored"));
      else
        {
          if (node->strategy != NULL)
            g_string_append_printf (line, " %s", node->strategy);
          if (node->intensity >= 0 && node->period >= 0)
            g_string_append_printf (line, " %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "s",
                                    node->intensity, node->period);
          if (node->status == BEAM_SUPERVISOR_COUNTED)
            {
              g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                        node->children_count);

              g_string_append_printf (line, g_dngettext (NULL, ", %s child", ", %s children",
                                                         node->children_count), count);
            }
        }
      break;
    case BEAM_SUPERVISION_WORKER:
      g_string_append (line, _("  worker"));
      break;
    case BEAM_SUPERVISION_LINKED:
      g_string_append (line, _("  linked"));
      break;
    default:
      g_assert_not_reached ();
    }
  if (node->restart != NULL)
    g_string_append_printf (line, " %s", node->restart);
  if (node->shutdown != NULL)
    g_string_append_printf (line, " %s", node->shutdown);
  return g_string_free (line, FALSE);
}

/* Recursive: the probe refuses trees deeper than it asks for. */
static void
print_node (const BeamSupervisionTree *tree,
            const BeamSupervisionNode *node,
            GString                   *prefix,
            gboolean                   last)
{
  g_autofree char *line = describe (node);
  gsize length = prefix->len;

  if (node->depth == 0)
    g_print ("%s\n", line);
  else
    g_print ("%s%s%s\n", prefix->str, last ? "└── " : "├── ", line);

  if (node->depth > 0)
    g_string_append (prefix, last ? "    " : "│   ");
  for (guint i = 0; i < node->n_child_nodes; i++)
    print_node (tree, &tree->nodes[node->child_nodes[i]], prefix,
                i + 1 == node->n_child_nodes &&
                node->children_count <= node->n_child_nodes);
  if (node->type == BEAM_SUPERVISION_SUPERVISOR && node->children_count > node->n_child_nodes)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                node->children_count - node->n_child_nodes);
      /* Translators: the children of a supervisor that are not listed */
      g_autofree char *more = g_strdup_printf (_("… %s more"), count);
      g_print ("%s└── %s\n", prefix->str, more);
    }
  g_string_truncate (prefix, length);
}

int
_beam_cli_tree (BeamCli *cli)
{
  g_autoptr(BeamSupervisionTree) tree = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) prefix = g_string_new (NULL);
  BeamSupervisionOptions options;
  int status;

  if (tree_opts.depth < 0 || tree_opts.depth > MAX_TREE_DEPTH)
    return _beam_cli_usage_error (_("--depth must be from 0 (all) to 1000"));
  if (!g_utf8_validate (cli->args[0], -1, NULL))
    return _beam_cli_usage_error (_("The application's name is not valid UTF-8"));
  if (tree_opts.max_children <= 0)
    return _beam_cli_usage_error (_("--max-children must be a positive number"));
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;

  beam_supervision_options_init (&options);
  options.max_depth = (guint) tree_opts.depth;
  options.max_children = (guint) tree_opts.max_children;
  options.fetch_limit = (guint) tree_opts.max_children;
  beam_supervision_tree_async (cli->connection, cli->args[0], &options, NULL,
                               _beam_cli_stash, cli);
  tree = beam_supervision_tree_finish (_beam_cli_wait_and_close (cli), &error);
  if (tree == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      _beam_cli_print_json (beam_supervision_tree_to_json (tree));
      return 0;
    }
  g_print (_("%s (application master %s)\n"), tree->application, tree->master_pid);
  print_node (tree, &tree->nodes[0], prefix, TRUE);
  return 0;
}
