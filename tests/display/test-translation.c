/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Beamscope in German (issue 16, item 4): the real application, started with
 * LANGUAGE=de on a fixture node, is read as a screen reader reads it, through
 * the AT-SPI accessibility bus, and its accessible tree holds the German page
 * titles and labels, not the English ones. The catalogs come from the build
 * folder (BEAMSCOPE_LOCALEDIR), built from po/de.po. */

#include <atspi/atspi.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>

#include "beam-test-node.h"

/* Bounds on the walk: the app's tree is a few thousand objects at most. */
#define MAX_OBJECTS 20000
#define MAX_DEPTH 64

/* Atspi 2.46 declares no cleanup function of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAccessible, g_object_unref)

static BeamTestNode *node;

static void
collect_names (AtspiAccessible *accessible,
               GHashTable      *names,
               guint            depth,
               guint           *visited)
{
  g_autofree char *name = NULL;
  int n_children;

  if (depth > MAX_DEPTH || ++*visited > MAX_OBJECTS)
    return;

  name = atspi_accessible_get_name (accessible, NULL);
  if (name != NULL && name[0] != '\0')
    g_hash_table_add (names, g_steal_pointer (&name));

  n_children = atspi_accessible_get_child_count (accessible, NULL);
  for (int i = 0; i < n_children; i++)
    {
      g_autoptr(AtspiAccessible) child = atspi_accessible_get_child_at_index (accessible, i, NULL);

      if (child != NULL)
        collect_names (child, names, depth + 1, visited);
    }
}

/* The application on the bus whose process is `pid`, or NULL. */
static AtspiAccessible *
find_application (GPid pid)
{
  g_autoptr(AtspiAccessible) desktop = atspi_get_desktop (0);
  int n_apps = atspi_accessible_get_child_count (desktop, NULL);

  for (int i = 0; i < n_apps; i++)
    {
      g_autoptr(AtspiAccessible) app = atspi_accessible_get_child_at_index (desktop, i, NULL);

      if (app != NULL && atspi_accessible_get_process_id (app, NULL) == (guint) pid)
        return g_steal_pointer (&app);
    }
  return NULL;
}

static gboolean
has_all (GHashTable         *names,
         const char * const *wanted)
{
  for (guint i = 0; wanted[i] != NULL; i++)
    if (!g_hash_table_contains (names, wanted[i]))
      return FALSE;
  return TRUE;
}

static char **
german_environment (void)
{
  char **envp = g_get_environ ();

  envp = g_environ_setenv (envp, "LANGUAGE", "de", TRUE);
  envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LC_ALL");
  envp = g_environ_unsetenv (envp, "LC_MESSAGES");
  /* The display tests switch accessibility off; this one is about it. */
  envp = g_environ_unsetenv (envp, "GTK_A11Y");
  envp = g_environ_unsetenv (envp, "NO_AT_BRIDGE");
  return envp;
}

static GPid
spawn_app_in_german (void)
{
  const char *argv[] = { g_getenv ("BEAMSCOPE_APP"), "--node", node->name, "--cookie-file",
                         node->cookie_file, NULL };
  g_auto(GStrv) envp = german_environment ();
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  g_assert_true (g_spawn_async (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static void
test_pages_in_german (void)
{
  /* Page titles from the view switcher and a label of the System page. */
  const char *german[] = { "Prozesse", "Speicher", "Anwendungen", "Tabellen", "Diagnose", NULL };
  const char *english[] = { "Processes", "Memory", "Applications", "Tables", NULL };
  g_autoptr(GHashTable) names = NULL;
  GPid pid = spawn_app_in_german ();
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(AtspiAccessible) app = find_application (pid);
      guint visited = 0;

      g_clear_pointer (&names, g_hash_table_unref);
      names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (app != NULL)
        collect_names (app, names, 0, &visited);
      if (has_all (names, german))
        break;
      g_usleep (500 * 1000);
    }

  if (!has_all (names, german))
    {
      g_autoptr(GString) seen = g_string_new (NULL);
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, names);
      while (g_hash_table_iter_next (&iter, &key, NULL) && seen->len < 4000)
        g_string_append_printf (seen, "%s | ", (const char *) key);
      g_test_message ("accessible names seen: %s", seen->str);
    }
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);

  for (guint i = 0; german[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (names, german[i]));
  for (guint i = 0; english[i] != NULL; i++)
    g_assert_false (g_hash_table_contains (names, english[i]));
}

/* Every page in German, for a person to look at: `beamscope --screenshots`
 * saves them in the build folder's screenshots/de/. */
static void
test_screenshots_in_german (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("BEAMSCOPE_SCREENSHOTS"), "de", NULL);
  const char *argv[] = { g_getenv ("BEAMSCOPE_APP"), "--node", node->name, "--cookie-file",
                         node->cookie_file, "--screenshots", dir, NULL };
  g_auto(GStrv) envp = german_environment ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) paths = NULL;
  int status = 0;

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stdout:\n%s\nstderr:\n%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  paths = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (paths), >=, 8);
  for (guint i = 0; paths[i] != NULL; i++)
    g_assert_true (g_file_test (paths[i], G_FILE_TEST_IS_REGULAR));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The app keeps G_DEBUG=fatal-warnings; this reader does not. libatspi
   * warns when it asks an application still building its tree for its
   * cache ("AT-SPI: Error in GetItems"), and the loop below asks again. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_nonnull (g_getenv ("BEAMSCOPE_LOCALEDIR"));
  g_assert_cmpint (atspi_init (), ==, 0);

  node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/translation/pages-in-german", test_pages_in_german);
  g_test_add_func ("/translation/screenshots-in-german", test_screenshots_in_german);
  status = g_test_run ();

  beam_test_node_free (node);
  atspi_exit ();
  return status;
}
