/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cookies are read the way OTP 25's auth.erl reads them, so that a node
 * started with `erl -sname x` and Beamscope agree without any flag: the
 * leading printable ASCII of the file, nothing after it but line ends and
 * spaces, and a regular file nobody else can read. The XDG file is used only
 * when ~/.erlang.cookie does not exist, as erl does. */

#define G_LOG_DOMAIN "beamscope-wire"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "beam-cookie-private.h"
#include "beam-wire-error.h"

#define MAX_COOKIE_SIZE      512 /* EI_MAX_COOKIE_SIZE */
#define MAX_COOKIE_FILE_SIZE (64 * 1024)

/* The cookie in a file's contents; `path` only names the file in errors. Apart from the
 * reading so that the fuzz target (tests/fuzz/fuzz-cookie.c) reaches it without a file. */
char *
_beam_cookie_parse (const char  *contents,
                    gsize        len,
                    const char  *path,
                    GError     **error)
{
  gsize end = 0;

  /* auth.erl's check_cookie/2: the cookie is the leading run of printable
   * ASCII, spaces included; after it only newlines, returns and spaces. */
  while (end < len && contents[end] >= ' ' && contents[end] <= '~')
    end++;
  for (gsize i = end; i < len; i++)
    if (contents[i] != '\n' && contents[i] != '\r' && contents[i] != ' ')
      {
        g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                     _("The cookie file %s has characters erl does not accept in a cookie"), path);
        return NULL;
      }

  if (end == 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("The cookie file %s is empty"), path);
      return NULL;
    }
  if (end >= MAX_COOKIE_SIZE)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   g_dngettext (NULL, "The cookie in %s is longer than %d byte",
                                "The cookie in %s is longer than %d bytes", MAX_COOKIE_SIZE - 1),
                   path, MAX_COOKIE_SIZE - 1);
      return NULL;
    }

  return g_strndup (contents, end);
}

char *
beam_cookie_read_file (const char  *path,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);

  /* Checked before reading: a FIFO would block us, and erl refuses a cookie
   * file that group or others can read. */
  if (g_stat (path, &st) != 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("Cannot read the cookie file %s: %s"), path, g_strerror (errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode) || st.st_size > MAX_COOKIE_FILE_SIZE)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("The cookie file %s is not a small regular file"), path);
      return NULL;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("The cookie file %s must be accessible by its owner only, as erl "
                     "requires: fix it with chmod 400 %s"), path, path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("Cannot read the cookie file %s: %s"), path, local_error->message);
      return NULL;
    }

  return _beam_cookie_parse (contents, len, path, error);
}

/* The user's configuration folder as erl on this machine sees it. In a
 * Flatpak sandbox XDG_CONFIG_HOME is the app's own folder; the host's
 * (whose erlang/ the manifest shares read-only) is HOST_XDG_CONFIG_HOME
 * where the host set one, else ~/.config. */
static char *
dup_host_config_dir (void)
{
  const char *host_config = g_getenv ("HOST_XDG_CONFIG_HOME");

  if (!g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return g_strdup (g_get_user_config_dir ());
  if (host_config != NULL && g_path_is_absolute (host_config))
    return g_strdup (host_config);
  return g_build_filename (g_get_home_dir (), ".config", NULL);
}

char *
beam_cookie_dup_default_path (void)
{
  g_autofree char *config_dir = dup_host_config_dir ();
  g_autofree char *home_cookie = g_build_filename (g_get_home_dir (), ".erlang.cookie", NULL);
  g_autofree char *xdg_cookie = g_build_filename (config_dir, "erlang", ".erlang.cookie", NULL);

  if (g_file_test (home_cookie, G_FILE_TEST_EXISTS) ||
      !g_file_test (xdg_cookie, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&home_cookie);
  return g_steal_pointer (&xdg_cookie);
}

char *
beam_cookie_dup_default (GError **error)
{
  g_autofree char *path = beam_cookie_dup_default_path ();

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("No cookie given and no %s: use --cookie or --cookie-file"), path);
      return NULL;
    }
  return beam_cookie_read_file (path, error);
}

static char *
check_given (const char  *cookie,
             const char  *source,
             GError     **error)
{
  if (*cookie == '\0')
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("The cookie given by %s is empty"), source);
      return NULL;
    }
  if (strlen (cookie) >= MAX_COOKIE_SIZE)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   g_dngettext (NULL, "The cookie given by %s is longer than %d byte",
                                "The cookie given by %s is longer than %d bytes",
                                MAX_COOKIE_SIZE - 1), source, MAX_COOKIE_SIZE - 1);
      return NULL;
    }
  return g_strdup (cookie);
}

char *
beam_cookie_resolve (const char  *cookie,
                     const char  *cookie_file,
                     GError     **error)
{
  return beam_cookie_resolve_from (cookie, cookie_file, NULL, NULL, error);
}

char *
beam_cookie_resolve_from (const char  *cookie,
                          const char  *cookie_file,
                          const char  *default_file,
                          char       **source,
                          GError     **error)
{
  const char *env = g_getenv (BEAM_COOKIE_ENV);
  g_autofree char *path = NULL;
  g_autofree char *where = NULL;
  char *found;

  if (cookie != NULL)
    {
      where = g_strdup (_("from --cookie"));
      found = check_given (cookie, "--cookie", error);
    }
  else if (cookie_file != NULL)
    {
      where = g_strdup_printf (_("from --cookie-file %s"), cookie_file);
      found = beam_cookie_read_file (cookie_file, error);
    }
  /* An environment variable, unlike an argument, is not shown to other
   * users by ps; an empty one is as good as unset, as in a script's
   * `BEAMSCOPE_COOKIE= beamscope-cli …`. */
  else if (env != NULL && *env != '\0')
    {
      where = g_strdup_printf (_("from $%s"), BEAM_COOKIE_ENV);
      found = check_given (env, BEAM_COOKIE_ENV, error);
    }
  /* Chosen once in Preferences: still after the environment, which is
   * chosen for one run. */
  else if (default_file != NULL && *default_file != '\0')
    {
      where = g_strdup_printf (_("from %s, as chosen in Preferences"), default_file);
      found = beam_cookie_read_file (default_file, error);
    }
  else
    {
      path = beam_cookie_dup_default_path ();
      where = g_strdup_printf (_("from %s, as erl reads it"), path);
      found = beam_cookie_dup_default (error);
    }
  if (source != NULL)
    *source = g_steal_pointer (&where);
  return found;
}

/* Overwrites `value` in place, so that /proc/PID/cmdline no longer holds it. */
static void
wipe (char *value)
{
  memset (value, 'x', strlen (value));
}

void
beam_cookie_scrub_argv (int    argc,
                        char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        return;
      if (g_str_equal (arg, "--cookie") || g_str_equal (arg, "-c"))
        {
          if (i + 1 < argc)
            wipe (argv[++i]);
        }
      else if (g_str_has_prefix (arg, "--cookie="))
        wipe (arg + strlen ("--cookie="));
      /* -cVALUE (grouped short options are left alone: only the command
       * knows which of its letters take values) */
      else if (arg[0] == '-' && arg[1] == 'c' && arg[2] != '\0')
        wipe (arg + 2);
    }
}
