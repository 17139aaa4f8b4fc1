/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every icon name in src/ resolves (issue 16, item 3). A missing icon is drawn
 * as a broken-image square, with no warning: only a look-up finds it. The
 * names are read from the sources themselves ($BEAMSCOPE_SOURCE_ROOT/src), so a
 * name added anywhere is checked without editing this test: in .ui files, the
 * text of an icon property and any "…-symbolic" text; in C, any "…-symbolic"
 * string and a string handed to a *_icon_name () call. Each must be in
 * Adwaita, the theme of Debian 12's GNOME (adwaita-icon-theme 43), or in the
 * app's own resources (data/icons/symbolic/): not only in GTK's built-in
 * fallbacks or some other theme that happens to be installed here. */

#include <string.h>

#include "beam-test-display.h"
#include "config.h"

#define APP_ICONS_URI "resource:///io/github/beamscope/Beamscope/icons/"

/* The names the view switcher shows, one per page: they must be among the
 * names found, or the scan has stopped seeing src/beam-window.ui. */
static const char *const page_icons[] = {
  "computer-symbolic",
  "beamscope-load-symbolic",
  "beamscope-memory-symbolic",
  "beamscope-applications-symbolic",
  "beamscope-tables-symbolic",
  "beamscope-processes-symbolic",
  "network-transmit-receive-symbolic",
  "beamscope-diagnostics-symbolic",
  "network-workgroup-symbolic",
};

typedef struct
{
  GRegex *in_ui;
  GRegex *in_c;
} Patterns;

static void
add_matches (GHashTable *names,
             GRegex     *regex,
             const char *text,
             const char *path)
{
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (regex, text, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      /* Each alternative captures into its own group; the one that matched
       * is the only non-empty one. */
      for (int group = 1; group < g_match_info_get_match_count (match); group++)
        {
          g_autofree char *name = g_match_info_fetch (match, group);

          if (name != NULL && name[0] != '\0' && !g_hash_table_contains (names, name))
            g_hash_table_insert (names, g_steal_pointer (&name), g_strdup (path));
        }
    }
}

static void
collect_icon_names (GHashTable     *names,
                    const Patterns *patterns,
                    const char     *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &error);
  const char *entry;

  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, entry, NULL);
      g_autofree char *text = NULL;
      GRegex *regex = NULL;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          collect_icon_names (names, patterns, path);
          continue;
        }
      if (g_str_has_suffix (entry, ".ui"))
        regex = patterns->in_ui;
      else if (g_str_has_suffix (entry, ".c") || g_str_has_suffix (entry, ".h"))
        regex = patterns->in_c;
      else
        continue;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      add_matches (names, regex, text, path);
    }
}

static GHashTable *
icon_names_in_sources (void)
{
  const char *root = g_getenv ("BEAMSCOPE_SOURCE_ROOT");
  g_autofree char *src = NULL;
  g_autoptr(GError) error = NULL;
  Patterns patterns = { 0 };
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_nonnull (root);
  src = g_build_filename (root, "src", NULL);

  /* <property name="icon-name">, "start-icon-name" and the like, a menu's
   * <attribute name="icon">; or any text that is a symbolic icon's name. */
  patterns.in_ui = g_regex_new ("<(?:property|attribute) name=\"(?:[a-z-]*icon-name|icon)\""
                                "[^>]*>\\s*([^<\\s]+)\\s*<"
                                "|>\\s*([a-z0-9][a-z0-9-]*-symbolic)\\s*<",
                                G_REGEX_OPTIMIZE, 0, &error);
  g_assert_no_error (error);
  /* "…-symbolic" anywhere; or the first or second argument of a call to a
   * function whose name ends in icon_name, when it is a string. */
  patterns.in_c = g_regex_new ("\"([a-z0-9][a-z0-9-]*-symbolic)\""
                               "|icon_name\\s*\\(\\s*(?:[^,()\"]+,\\s*)?\"([^\"]+)\"",
                               G_REGEX_OPTIMIZE, 0, &error);
  g_assert_no_error (error);

  collect_icon_names (names, &patterns, src);
  g_regex_unref (patterns.in_ui);
  g_regex_unref (patterns.in_c);
  return names;
}

/* Where `theme` finds `name`: Adwaita's folder, or the app's resources. */
static gboolean
resolves_to_adwaita_or_app (GtkIconTheme *theme,
                            const char   *name,
                            char        **where)
{
  g_autoptr(GtkIconPaintable) icon = NULL;
  g_autoptr(GFile) file = NULL;

  icon = gtk_icon_theme_lookup_icon (theme, name, NULL, 16, 1, GTK_TEXT_DIR_LTR, 0);
  file = gtk_icon_paintable_get_file (icon);
  if (file == NULL)
    {
      *where = g_strdup ("(no file)");
      return FALSE;
    }
  *where = g_file_get_uri (file);
  return g_str_has_prefix (*where, APP_ICONS_URI) || strstr (*where, "/icons/Adwaita/") != NULL;
}

static void
test_every_icon_name_resolves (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autoptr(GHashTable) names = icon_names_in_sources ();
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autofree char *theme_name = gtk_icon_theme_get_theme_name (theme);
  GHashTableIter iter;
  gpointer name, path;

  g_assert_cmpstr (theme_name, ==, "Adwaita");
  g_test_message ("%u icon names in src/", g_hash_table_size (names));

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &name, &path))
    {
      g_autofree char *where = NULL;

      if (!gtk_icon_theme_has_icon (theme, name))
        g_string_append_printf (missing, "\n  %s (%s): in no theme nor resource", (char *) name,
                                (char *) path);
      else if (!resolves_to_adwaita_or_app (theme, name, &where))
        g_string_append_printf (missing, "\n  %s (%s): found at %s, not in Adwaita "
                                "nor the app's resources", (char *) name, (char *) path, where);
    }
  if (missing->len > 0)
    g_error ("icon names that do not resolve:%s", missing->str);

  for (guint i = 0; i < G_N_ELEMENTS (page_icons); i++)
    if (!g_hash_table_contains (names, page_icons[i]))
      g_error ("%s, a page's icon, not found in src/: is the scan blind to beam-window.ui, "
               "or did a page change its icon (update page_icons)?", page_icons[i]);
}

/* The app icon, which About shows, from the resources. */
static void
test_app_icon_resolves (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autofree char *where = NULL;

  g_autoptr(GFile) file = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID));
  g_assert_true (resolves_to_adwaita_or_app (theme, APPLICATION_ID, &where));

  /* And it decodes as GTK loads it, sniffing the type from its first bytes:
   * an SVG whose <svg> tag comes after a long comment reads as plain XML. */
  file = g_file_new_for_uri (where);
  stream = G_INPUT_STREAM (g_file_read (file, NULL, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, 64, 64, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 64);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(BeamApplication) app = NULL;

  beam_test_display_init (&argc, &argv, &app, NULL);
  /* Adwaita whatever the machine's settings say: it is the theme the names
   * were chosen from. */
  g_object_set (gtk_settings_get_default (), "gtk-icon-theme-name", "Adwaita", NULL);

  g_test_add_func ("/icons/every-icon-name-resolves", test_every_icon_name_resolves);
  g_test_add_func ("/icons/app-icon-resolves", test_app_icon_resolves);
  return g_test_run ();
}
