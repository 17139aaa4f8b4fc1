/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cookies are read the way OTP's auth.erl reads them, so that a node started
 * with `erl -sname x` and Beamscope agree without any flag: the first line of
 * the file, trailing blanks dropped, nothing but blanks after it, and a file
 * nobody else can read. */

#define G_LOG_DOMAIN "beamscope-wire"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "beam-cookie.h"
#include "beam-wire-error.h"

#define MAX_COOKIE_SIZE 512 /* EI_MAX_COOKIE_SIZE */

char *
beam_cookie_read_file (const char  *path,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  gsize len = 0;
  const char *end;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("Cannot read the cookie file %s: %s"), path, local_error->message);
      return NULL;
    }

  /* erl refuses a cookie file that group or others can read; say so rather
   * than connect with a cookie the node's own tools would not accept. */
  if (g_stat (path, &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("The cookie file %s must be accessible by its owner only (chmod 400)"), path);
      return NULL;
    }

  end = contents;
  while (*end != '\0' && *end != '\n' && *end != '\r')
    end++;
  for (const char *rest = end; *rest != '\0'; rest++)
    if (!g_ascii_isspace (*rest))
      {
        g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                     _("The cookie file %s has more than one line"), path);
        return NULL;
      }
  while (end > contents && g_ascii_isspace (end[-1]))
    end--;

  if (end == contents)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("The cookie file %s is empty"), path);
      return NULL;
    }
  if (end - contents >= MAX_COOKIE_SIZE)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                   _("The cookie in %s is longer than %d bytes"), path, MAX_COOKIE_SIZE - 1);
      return NULL;
    }

  return g_strndup (contents, end - contents);
}

char *
beam_cookie_dup_default_path (void)
{
  g_autofree char *home_cookie = g_build_filename (g_get_home_dir (), ".erlang.cookie", NULL);
  g_autofree char *xdg_cookie = g_build_filename (g_get_user_config_dir (), "erlang", ".erlang.cookie", NULL);

  if (g_file_test (home_cookie, G_FILE_TEST_EXISTS) || !g_file_test (xdg_cookie, G_FILE_TEST_EXISTS))
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

char *
beam_cookie_resolve (const char  *cookie,
                     const char  *cookie_file,
                     GError     **error)
{
  if (cookie != NULL && *cookie != '\0')
    {
      if (strlen (cookie) >= MAX_COOKIE_SIZE)
        {
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE,
                       _("The cookie is longer than %d bytes"), MAX_COOKIE_SIZE - 1);
          return NULL;
        }
      return g_strdup (cookie);
    }
  if (cookie_file != NULL)
    return beam_cookie_read_file (cookie_file, error);
  return beam_cookie_dup_default (error);
}
