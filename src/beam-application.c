/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application: command-line options, the about and preferences windows,
 * styling (light or dark, from the color-scheme setting). Not
 * unique: each `beamscope --node X` is its own process inspecting its own
 * node, so one stuck node can never take another window down with it. */

#define G_LOG_DOMAIN "beamscope"

#include "config.h"

#include <glib/gi18n.h>
#include <malloc.h>

#include "beam-application.h"
#include "beam-number-format.h"
#include "beam-preferences-window.h"
#include "beam-screenshots.h"
#include "beam-system-info.h"
#include "beam-window.h"

#define WEBSITE "https://github.com/beamscope/beamscope"
#define ISSUE_URL WEBSITE "/issues"

struct _BeamApplication
{
  AdwApplication  parent_instance;

  char           *node;
  char           *cookie;
  char           *cookie_file;
  char           *page;
  gboolean        read_only;
  char           *screenshots;  /* --screenshots DIR */
  int             exit_status;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (BeamApplication, beam_application, ADW_TYPE_APPLICATION)

/* --page names what the window's view stack holds, asked of a window that
 * is made for the question: the list of pages lives only in beam-window.ui. */
static gboolean
check_page (const char *page)
{
  BeamWindow *window;
  g_autofree char *names = NULL;
  gboolean found;

  if (page == NULL)
    return TRUE;
  if (!gtk_init_check ())
    return TRUE;  /* no display: the application says so itself */
  adw_init ();
  window = g_object_ref_sink (beam_window_new (NULL, FALSE));
  found = beam_window_has_page (window, page);
  names = beam_window_dup_page_names (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  if (!found)
    {
      /* TRANSLATORS: the first %s is what was given, the second the known pages */
      g_autofree char *message = g_strdup_printf (_("unknown --page “%s”; the pages are: %s"),
                                                  page, names);
      g_printerr ("beamscope: %s\n", message);
    }
  return found;
}

static int
beam_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  BeamApplication *self = BEAM_APPLICATION (app);

  g_variant_dict_lookup (options, "node", "s", &self->node);
  g_variant_dict_lookup (options, "cookie", "s", &self->cookie);
  g_variant_dict_lookup (options, "cookie-file", "^ay", &self->cookie_file);
  g_variant_dict_lookup (options, "page", "s", &self->page);
  g_variant_dict_lookup (options, "read-only", "b", &self->read_only);
  g_variant_dict_lookup (options, "screenshots", "^ay", &self->screenshots);

  if (self->cookie != NULL && self->cookie_file != NULL)
    {
      g_printerr ("beamscope: %s\n", _("give --cookie or --cookie-file, not both"));
      return 2;
    }
  if (self->screenshots != NULL && self->node == NULL)
    {
      g_printerr ("beamscope: %s\n", _("--screenshots needs --node"));
      return 2;
    }
  if (!check_page (self->page))
    return 2;
  return -1;
}

/* --screenshots: every page saved, or why not; then the application ends. */
static void
screenshots_done (GObject      *object G_GNUC_UNUSED,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BeamApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) paths = beam_screenshots_take_finish (result, &error);

  if (paths == NULL)
    {
      g_printerr ("beamscope: %s\n", error->message);
      self->exit_status = 1;
    }
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    g_print ("%s\n", paths[i]);
  g_application_quit (G_APPLICATION (self));
}

static void
beam_application_activate (GApplication *app)
{
  BeamApplication *self = BEAM_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (beam_window_new (ADW_APPLICATION (app), self->read_only));
  gtk_window_present (window);

  /* A cookie problem is shown in the window, and on stderr for a terminal
   * user; with no --node, a missing default cookie is no error yet. */
  if (!beam_window_launch (BEAM_WINDOW (window), self->node, self->cookie, self->cookie_file,
                           self->page, &error) &&
      (self->node != NULL || self->cookie != NULL || self->cookie_file != NULL))
    {
      g_printerr ("beamscope: %s\n", error->message);
      if (self->screenshots != NULL)
        {
          /* Nothing to take pictures of. */
          self->exit_status = 1;
          g_application_quit (app);
          return;
        }
    }
  if (self->screenshots != NULL)
    beam_screenshots_take_async (BEAM_WINDOW (window), self->screenshots, NULL,
                                 screenshots_done, g_object_ref (self));
}

/* What a bug report needs: the versions of what Beamscope runs on, and of
 * the node it was looking at, which the about window asks for itself. */
static char *
dup_debug_info (BeamNode             *node,
                const BeamSystemInfo *info,
                const char           *error)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "Beamscope %s (%s)\n", PACKAGE_VERSION, APPLICATION_ID);
  g_string_append_printf (text, "GTK %u.%u.%u (built with %d.%d.%d)\n",
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version (), GTK_MAJOR_VERSION, GTK_MINOR_VERSION,
                          GTK_MICRO_VERSION);
  g_string_append_printf (text, "libadwaita %u.%u.%u (built with %d.%d.%d)\n",
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version (), ADW_MAJOR_VERSION, ADW_MINOR_VERSION,
                          ADW_MICRO_VERSION);
  g_string_append_printf (text, "GLib %u.%u.%u\n", glib_major_version, glib_minor_version,
                          glib_micro_version);
  g_string_append_printf (text, "erl_interface (ei) %s\n", EI_VERSION);
  g_string_append (text, "\n");
  if (node == NULL)
    g_string_append (text, "Node: none connected\n");
  else
    {
      g_string_append_printf (text, "Node: %s%s\n", beam_node_get_name (node),
                              beam_node_get_read_only (node) ? " (read-only)" : "");
      if (info != NULL)
        g_string_append_printf (text, "OTP release: %s\nERTS: %s\nSystem: %s\n",
                                info->otp_release ? info->otp_release : "?",
                                info->erts_version ? info->erts_version : "?",
                                info->system_version ? info->system_version : "?");
      else if (error != NULL)
        g_string_append_printf (text, "OTP release: not known (%s)\n", error);
      else
        g_string_append (text, "OTP release: asking the node…\n");
    }
  return g_string_free (text, FALSE);
}

static void
node_versions_done (GObject      *object G_GNUC_UNUSED,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GWeakRef *about_ref = user_data;
  g_autoptr(AdwAboutWindow) about = g_weak_ref_get (about_ref);
  g_autoptr(BeamSystemInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  BeamNode *node;

  g_weak_ref_clear (about_ref);
  g_free (about_ref);
  info = beam_system_info_fetch_finish (result, &error);
  if (about == NULL)
    return;  /* closed before the node answered */
  node = g_object_get_data (G_OBJECT (about), "beam-node");
  text = dup_debug_info (node, info, error != NULL ? error->message : NULL);
  adw_about_window_set_debug_info (about, text);
}

static void
about_action (GSimpleAction *action G_GNUC_UNUSED,
              GVariant      *parameter G_GNUC_UNUSED,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *parent = gtk_application_get_active_window (app);
  BeamNode *node = BEAM_IS_WINDOW (parent) ? beam_window_get_node (BEAM_WINDOW (parent)) : NULL;
  const char *developers[] = { _("The Beamscope developers"), NULL };
  g_autofree char *debug_info = dup_debug_info (node, NULL, NULL);
  AdwAboutWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Beamscope"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Inspect running Erlang and Elixir nodes"),
                        "developers", developers,
                        /* Translators: your names, one a line, shown in the About window. */
                        "translator-credits", _("translator-credits"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", WEBSITE,
                        "issue-url", ISSUE_URL,
                        "debug-info", debug_info,
                        "debug-info-filename", "beamscope-debug-info.txt",
                        NULL);
  if (node != NULL && beam_node_get_state (node) == BEAM_CONNECTION_STATE_CONNECTED)
    {
      GWeakRef *about_ref = g_new0 (GWeakRef, 1);

      g_weak_ref_init (about_ref, about);
      g_object_set_data_full (G_OBJECT (about), "beam-node", g_object_ref (node), g_object_unref);
      beam_system_info_fetch_async (beam_node_get_connection (node), NULL, node_versions_done,
                                    about_ref);
    }
  gtk_window_present (GTK_WINDOW (about));
}

/* One Preferences window per application, in front of the window it was
 * asked from. */
static void
preferences_action (GSimpleAction *action G_GNUC_UNUSED,
                    GVariant      *parameter G_GNUC_UNUSED,
                    gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *parent = gtk_application_get_active_window (app);
  GtkWindow *preferences = NULL;

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (BEAM_IS_PREFERENCES_WINDOW (l->data))
      preferences = l->data;
  if (preferences == NULL)
    {
      preferences = GTK_WINDOW (beam_preferences_window_new ());
      gtk_window_set_application (preferences, app);
    }
  if (parent != NULL && parent != preferences)
    gtk_window_set_transient_for (preferences, parent);
  gtk_window_present (preferences);
}

static void
quit_action (GSimpleAction *action G_GNUC_UNUSED,
             GVariant      *parameter G_GNUC_UNUSED,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* Sizes are written in one place (beam-number-format): the setting goes
 * there, and every window shows its numbers again at once. */
static void
on_size_units_changed (BeamApplication *self)
{
  BeamSizeUnits units = g_settings_get_enum (self->settings, "size-units");

  beam_number_format_set_size_units (units);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (g_action_group_has_action (G_ACTION_GROUP (l->data), "refresh"))
      g_action_group_activate_action (G_ACTION_GROUP (l->data), "refresh", NULL);
}

/* Light, dark or the system's: libadwaita restyles every window at once. */
static void
on_color_scheme_changed (BeamApplication *self)
{
  static const AdwColorScheme schemes[] = {
    [BEAM_COLOR_SCHEME_DEFAULT] = ADW_COLOR_SCHEME_DEFAULT,
    [BEAM_COLOR_SCHEME_LIGHT] = ADW_COLOR_SCHEME_FORCE_LIGHT,
    [BEAM_COLOR_SCHEME_DARK] = ADW_COLOR_SCHEME_FORCE_DARK,
  };
  guint scheme = g_settings_get_enum (self->settings, "color-scheme");

  g_return_if_fail (scheme < G_N_ELEMENTS (schemes));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[scheme]);
}

static void
beam_application_startup (GApplication *app)
{
  BeamApplication *self = BEAM_APPLICATION (app);
  g_autoptr(GAction) size_units = NULL;
  g_autoptr(GAction) color_scheme = NULL;
  static const GActionEntry actions[] = {
    { "about", about_action, NULL, NULL, NULL, { 0 } },
    { "preferences", preferences_action, NULL, NULL, NULL, { 0 } },
    { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *refresh_accels[] = { "<Control>r", "F5", NULL };
  static const char *find_accels[] = { "<Control>f", NULL };
  static const char *trace_accels[] = { "<Control>t", NULL };
  static const char *previous_accels[] = { "<Control>Page_Up", NULL };
  static const char *next_accels[] = { "<Control>Page_Down", NULL };

  G_APPLICATION_CLASS (beam_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  size_units = g_settings_create_action (self->settings, "size-units");
  g_action_map_add_action (G_ACTION_MAP (app), size_units);
  g_signal_connect_swapped (self->settings, "changed::size-units",
                            G_CALLBACK (on_size_units_changed), self);
  beam_number_format_set_size_units (g_settings_get_enum (self->settings, "size-units"));
  /* The main menu's Style items and Preferences' row are the same key. */
  color_scheme = g_settings_create_action (self->settings, "color-scheme");
  g_action_map_add_action (G_ACTION_MAP (app), color_scheme);
  g_signal_connect_swapped (self->settings, "changed::color-scheme",
                            G_CALLBACK (on_color_scheme_changed), self);
  on_color_scheme_changed (self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.refresh", refresh_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.find", find_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.trace", trace_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.previous-page",
                                         previous_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.next-page", next_accels);
  /* Alt+1…9: the pages as the switcher lists them (beam-window.c). */
  for (int number = 1; number <= 9; number++)
    {
      g_autofree char *action = g_strdup_printf ("win.show-page-number(%d)", number);
      g_autofree char *accel = g_strdup_printf ("<Alt>%d", number);
      const char *accels[] = { accel, NULL };

      gtk_application_set_accels_for_action (GTK_APPLICATION (app), action, accels);
    }
}

/* Call once, first thing in main, in every program that stands for the
 * app (its benchmarks too). GTK 4.8's cairo renderer allocates an image
 * the window's size for every frame and frees it after. glibc's defaults
 * give that memory back to the kernel at the free (the heap's top shrinks)
 * and fault it in again at the next frame: measured, that was half of a
 * frame's time on the GTK thread once the Load page's charts changed every
 * frame (2.0 ms against 1.1, bench-chart). Kept up to these sizes, the
 * memory is reused instead. An image for a 4K window is 33 MB, so the
 * largest frames still come from and go back to the kernel. */
void
beam_application_tune_allocator (void)
{
  mallopt (M_MMAP_THRESHOLD, 16 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 32 * 1024 * 1024);
}

static void
beam_application_finalize (GObject *object)
{
  BeamApplication *self = BEAM_APPLICATION (object);

  g_free (self->node);
  if (self->cookie != NULL)
    memset (self->cookie, 0, strlen (self->cookie));
  g_free (self->cookie);
  g_free (self->cookie_file);
  g_free (self->page);
  g_free (self->screenshots);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (beam_application_parent_class)->finalize (object);
}

static void
beam_application_class_init (BeamApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = beam_application_finalize;
  app_class->handle_local_options = beam_application_handle_local_options;
  app_class->activate = beam_application_activate;
  app_class->startup = beam_application_startup;
}

static void
beam_application_init (BeamApplication *self)
{
  static const GOptionEntry options[] = {
    { "node", 'n', 0, G_OPTION_ARG_STRING, NULL,
      N_("Open straight on this node (name@host)"), N_("NAME") },
    { "cookie", 'c', 0, G_OPTION_ARG_STRING, NULL,
      N_("The node's cookie (other users can see it while Beamscope starts: prefer "
         "BEAMSCOPE_COOKIE or --cookie-file)"), N_("COOKIE") },
    { "cookie-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Read the cookie from FILE"), N_("FILE") },
    { "read-only", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Disable every action that changes the node"), NULL },
    { "page", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The page to open, as the window names it: system, load, memory, processes…"),
      N_("PAGE") },
    { "screenshots", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Save a picture of every page of --node in DIR, then quit (for a machine without "
         "a display, under Xvfb)"), N_("DIR") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

/* What main() returns after the application ran: not 0 when --screenshots
 * could not save every page. */
int
beam_application_get_exit_status (BeamApplication *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATION (self), 1);
  return self->exit_status;
}

BeamApplication *
beam_application_new (void)
{
  return g_object_new (BEAM_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/beamscope/Beamscope",
                       NULL);
}
