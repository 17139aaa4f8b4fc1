/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a user asks a trace for (BeamTraceSpec): read from what was typed,
 * checked before anything reaches the node, and said back as a CLI line.
 * Errors are G_IO_ERROR_INVALID_ARGUMENT with a sentence to act on. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-term-parser.h"
#include "beam-trace-private.h"

/* An all-process trace of every function of a module is where a trace hurts
 * a node most (recon_trace's warning): its count may be at most this, and
 * its rate at most this many events a second. */
#define WHOLE_MODULE_MAX_COUNT      10000
#define WHOLE_MODULE_MAX_PER_SECOND 10000
/* Atom names are at most 255 characters. */
#define MAX_NAME_CHARS              255

BeamTraceSpec *
beam_trace_spec_new (BeamTraceKind kind)
{
  BeamTraceSpec *spec = g_new0 (BeamTraceSpec, 1);

  spec->kind = kind;
  spec->arity = -1;
  /* recon_trace:calls/2 traces every process unless told otherwise */
  spec->processes = kind == BEAM_TRACE_CALLS ? BEAM_TRACE_PROCESSES_ALL
                                             : BEAM_TRACE_PROCESSES_LISTED;
  spec->targets = g_ptr_array_new_with_free_func (g_free);
  spec->count = BEAM_TRACE_DEFAULT_COUNT;
  return spec;
}

void
beam_trace_spec_free (BeamTraceSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->module);
  g_free (spec->function);
  g_clear_pointer (&spec->match_spec, beam_term_free);
  g_clear_pointer (&spec->targets, g_ptr_array_unref);
  g_free (spec);
}

BeamTraceSpec *
beam_trace_spec_copy (const BeamTraceSpec *spec)
{
  BeamTraceSpec *copy;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_new0 (BeamTraceSpec, 1);
  *copy = *spec;
  copy->module = g_strdup (spec->module);
  copy->function = g_strdup (spec->function);
  copy->match_spec = spec->match_spec != NULL ? beam_term_copy (spec->match_spec) : NULL;
  copy->targets = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; spec->targets != NULL && i < spec->targets->len; i++)
    g_ptr_array_add (copy->targets, g_strdup (g_ptr_array_index (spec->targets, i)));
  return copy;
}

void
beam_trace_spec_add_target (BeamTraceSpec *spec,
                            const char    *pid_or_name)
{
  g_return_if_fail (spec != NULL && pid_or_name != NULL);

  g_ptr_array_add (spec->targets, g_strstrip (g_strdup (pid_or_name)));
}

static gboolean
set_invalid (GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* An atom's name as typed, its quotes ('Elixir.Foo') taken off; NULL if empty,
 * too long or with spaces or control characters. */
static char *
name_from_text (const char *start,
                gsize       len)
{
  g_autofree char *text = g_strndup (start, len);
  gsize n = strlen (text);

  if (n >= 2 && text[0] == '\'' && text[n - 1] == '\'')
    {
      memmove (text, text + 1, n - 2);
      text[n - 2] = '\0';
    }
  if (text[0] == '\0' || !g_utf8_validate (text, -1, NULL) ||
      g_utf8_strlen (text, -1) > MAX_NAME_CHARS)
    return NULL;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == '/' || c == ':')
        return NULL;
    }
  return g_steal_pointer (&text);
}

/* "_" or a number of arguments, 0 to 255. */
static gboolean
parse_arity (const char *text,
             gint       *out_arity)
{
  guint64 value;

  if (g_str_equal (text, "_"))
    {
      *out_arity = -1;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, 255, &value, NULL))
    return FALSE;
  *out_arity = (gint) value;
  return TRUE;
}

gboolean
beam_trace_spec_set_function (BeamTraceSpec  *spec,
                              const char     *text,
                              BeamSyntax      syntax,
                              GError        **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *module = NULL;
  g_autofree char *function = NULL;
  const char *slash, *colon, *rest = NULL;
  gint arity = -1;
  gsize module_len;

  g_return_val_if_fail (spec != NULL && text != NULL, FALSE);

  stripped = g_strstrip (g_strdup (text));
  slash = strrchr (stripped, '/');
  if (slash != NULL)
    {
      if (!parse_arity (slash + 1, &arity))
        return set_invalid (error, _("“%s” is not an arity: write a number of arguments "
                                     "from 0 to 255, or _ for any"), slash + 1);
    }
  else
    slash = stripped + strlen (stripped);

  colon = stripped[0] != ':' ? strchr (stripped, ':') : NULL;
  if (colon != NULL && colon < slash)
    {
      /* Erlang's mod:fun/2, in either syntax */
      module_len = colon - stripped;
      rest = colon + 1;
    }
  else if (syntax == BEAM_SYNTAX_ELIXIR)
    {
      /* Mod.Sub.fun/2 or :mod.fun/2: the module is up to the last dot before
       * a segment that does not start with a capital (Elixir's aliases) */
      const char *start = stripped[0] == ':' ? stripped + 1 : stripped;
      const char *dot = NULL;

      if (stripped[0] == ':')
        dot = memchr (start, '.', slash - start);
      else
        for (const char *p = start; p < slash; p++)
          if (*p == '.' && !g_ascii_isupper (p[1]))
            {
              dot = p;
              break;
            }
      module_len = (dot != NULL ? dot : slash) - stripped;
      rest = dot != NULL ? dot + 1 : NULL;
      if (stripped[0] == ':')
        {
          g_autofree char *bare = name_from_text (stripped + 1, module_len - 1);

          if (bare == NULL)
            return set_invalid (error, _("“%s” does not name a module"), stripped);
          module = g_steal_pointer (&bare);
        }
      else if (g_ascii_isupper (stripped[0]))
        {
          g_autofree char *alias = name_from_text (stripped, module_len);

          if (alias == NULL)
            return set_invalid (error, _("“%s” does not name a module"), stripped);
          /* an alias, unless written as the module's whole name */
          module = g_str_has_prefix (alias, "Elixir.") ? g_steal_pointer (&alias)
                                                       : g_strconcat ("Elixir.", alias, NULL);
        }
    }
  else
    {
      module_len = slash - stripped;
      rest = NULL;
    }

  if (module == NULL)
    module = name_from_text (stripped, module_len);
  if (module == NULL)
    return set_invalid (error, _("“%s” does not name a module: write module, module:function "
                                 "or module:function/arity"), stripped);

  if (rest != NULL && rest < slash)
    {
      function = name_from_text (rest, slash - rest);
      if (function == NULL)
        return set_invalid (error, _("“%.*s” is not a function name"),
                            (int) (slash - rest), rest);
      if (g_str_equal (function, "_"))
        g_clear_pointer (&function, g_free);
    }
  else if (rest != NULL || *slash == '/')
    {
      if (*slash == '/' && rest == NULL)
        return set_invalid (error, _("An arity needs a function: write module:function/%d"),
                            arity);
      return set_invalid (error, _("“%s” names no function after its module"), stripped);
    }

  g_free (spec->module);
  spec->module = g_steal_pointer (&module);
  g_free (spec->function);
  spec->function = g_steal_pointer (&function);
  spec->arity = spec->function != NULL || arity >= 0 ? arity : -1;
  return TRUE;
}

/* A list whose every element is {Head, Guards, Body} with lists for guards
 * and body. */
static gboolean
is_match_spec (const BeamTerm *term)
{
  if (term->kind != BEAM_TERM_LIST || term->v.list.improper || term->n_children == 0)
    return FALSE;
  for (guint i = 0; i < term->n_children; i++)
    {
      const BeamTerm *clause = term->children[i];

      if (clause->kind != BEAM_TERM_TUPLE || clause->n_children != 3 ||
          clause->children[1]->kind != BEAM_TERM_LIST ||
          clause->children[2]->kind != BEAM_TERM_LIST)
        return FALSE;
    }
  return TRUE;
}

gboolean
beam_trace_spec_set_match (BeamTraceSpec  *spec,
                           const char     *text,
                           BeamSyntax      syntax,
                           GError        **error)
{
  g_autoptr(BeamTerm) term = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (spec != NULL, FALSE);

  stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*stripped == '\0')
    {
      g_clear_pointer (&spec->match_spec, beam_term_free);
      return TRUE;
    }

  term = beam_term_parse (text, syntax, &parse_error);
  if (term == NULL)
    return set_invalid (error, _("Cannot read the match: %s"), parse_error->message);

  if (beam_term_is_atom (term, "_"))
    {
      /* any arguments */
      g_clear_pointer (&spec->match_spec, beam_term_free);
      return TRUE;
    }
  if (term->kind != BEAM_TERM_LIST || term->v.list.improper)
    return set_invalid (error, _("The match is neither an argument list such as [1, _] nor a "
                                 "match specification such as [{['$1'], [], []}]"));

  g_clear_pointer (&spec->match_spec, beam_term_free);
  if (is_match_spec (term))
    spec->match_spec = g_steal_pointer (&term);
  else
    spec->match_spec = beam_term_new_list (1, beam_term_new_tuple (3, g_steal_pointer (&term),
                                                                   beam_term_new_list (0),
                                                                   beam_term_new_list (0)));
  return TRUE;
}

gboolean
beam_trace_spec_set_rate (BeamTraceSpec  *spec,
                          const char     *text,
                          GError        **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 events, ms;

  g_return_val_if_fail (spec != NULL && text != NULL, FALSE);

  parts = g_strsplit (text, "/", 2);
  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 1, G_MAXUINT, &events, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 1, G_MAXUINT, &ms, NULL))
    return set_invalid (error, _("“%s” is not a rate: write events/milliseconds, as 1000/1000 "
                                 "for at most 1000 events a second"), text);
  spec->count = 0;
  spec->rate_events = (guint) events;
  spec->rate_ms = (guint) ms;
  return TRUE;
}

static gboolean
is_banned_module (const char *module)
{
  /* recon_trace's: tracing these for any function and arguments catches the
   * tracer's own work (formatting, sending) and floods the node */
  static const char * const banned[] = { "io", "lists", "recon_trace", "_", NULL };

  return g_strv_contains (banned, module);
}

gboolean
beam_trace_spec_validate (const BeamTraceSpec  *spec,
                          GError              **error)
{
  guint n_targets;

  g_return_val_if_fail (spec != NULL, FALSE);

  n_targets = spec->targets != NULL ? spec->targets->len : 0;

  if (spec->count == 0 && spec->rate_events == 0)
    return set_invalid (error, _("A trace needs a limit: a count of events (100 by default) "
                                 "or a rate such as 1000/1000"));
  if (spec->count == 0 && spec->rate_ms == 0)
    return set_invalid (error, _("A rate needs a time window of at least 1 ms"));
  if (n_targets > BEAM_TRACE_MAX_TARGETS)
    return set_invalid (error, g_dngettext (NULL,
                                            "At most %d process can be traced at once, not %u",
                                            "At most %d processes can be traced at once, not %u",
                                            BEAM_TRACE_MAX_TARGETS),
                        BEAM_TRACE_MAX_TARGETS, n_targets);
  for (guint i = 0; i < n_targets; i++)
    {
      const char *target = g_ptr_array_index (spec->targets, i);

      if (target == NULL || *target == '\0' || !g_utf8_validate (target, -1, NULL))
        return set_invalid (error, _("An empty or unreadable process name"));
    }

  switch (spec->kind)
    {
    case BEAM_TRACE_SYS:
      if (n_targets != 1)
        return set_invalid (error, _("A sys trace follows exactly one OTP process"));
      break;

    case BEAM_TRACE_MESSAGES:
      if (n_targets == 0)
        return set_invalid (error, _("Name the processes whose messages to trace"));
      break;

    case BEAM_TRACE_CALLS:
      if (spec->module == NULL || *spec->module == '\0')
        return set_invalid (error, _("A call trace needs a module: Beamscope does not trace "
                                     "every module's calls"));
      if (spec->arity < -1 || spec->arity > 255)
        return set_invalid (error, _("An arity is from 0 to 255"));
      if (is_banned_module (spec->module) &&
          (spec->function == NULL || spec->match_spec == NULL))
        return set_invalid (error, _("Tracing any call of %s would trace the tracing itself "
                                     "and flood the node: name a function and an argument "
                                     "pattern"), spec->module);
      if (spec->match_spec != NULL)
        {
          g_autoptr(GPtrArray) atoms = beam_term_collect_atoms (spec->match_spec);

          for (guint i = 0; i < atoms->len; i++)
            if (_beam_trace_match_variable (g_ptr_array_index (atoms, i)) >
                BEAM_TRACE_MAX_MATCH_VARIABLE)
              return set_invalid (error, _("A match uses %s: match variables go up to '$%d'"),
                                  (const char *) g_ptr_array_index (atoms, i),
                                  BEAM_TRACE_MAX_MATCH_VARIABLE);
        }
      if (spec->processes == BEAM_TRACE_PROCESSES_LISTED && n_targets == 0)
        return set_invalid (error, _("Name the processes whose calls to trace, or trace all "
                                     "or new processes"));
      if (spec->processes != BEAM_TRACE_PROCESSES_LISTED && spec->function == NULL &&
          (spec->count > WHOLE_MODULE_MAX_COUNT ||
           (spec->count == 0 &&
            (guint64) spec->rate_events * 1000 >
            (guint64) WHOLE_MODULE_MAX_PER_SECOND * spec->rate_ms)))
        return set_invalid (error, g_dngettext (NULL,
                                                "Every call of every function of %s in every "
                                                "process is too much to trace at that limit: "
                                                "name a function, or limit it to %d event or "
                                                "%d a second",
                                                "Every call of every function of %s in every "
                                                "process is too much to trace at that limit: "
                                                "name a function, or limit it to %d events or "
                                                "%d a second", WHOLE_MODULE_MAX_COUNT),
                            spec->module, WHOLE_MODULE_MAX_COUNT,
                            WHOLE_MODULE_MAX_PER_SECOND);
      break;

    default:
      return set_invalid (error, _("Unknown kind of trace"));
    }
  return TRUE;
}

/* A word of the CLI line, quoted for a POSIX shell when it needs to be. */
static void
append_word (GString    *out,
             const char *word)
{
  gboolean plain = *word != '\0';

  for (const char *p = word; *p != '\0' && plain; p++)
    plain = g_ascii_isalnum (*p) || strchr ("._:/<>@-+", *p) != NULL;
  g_string_append_c (out, ' ');
  if (plain && word[0] != '<')
    g_string_append (out, word);
  else
    {
      g_autofree char *quoted = g_shell_quote (word);

      g_string_append (out, quoted);
    }
}

char *
beam_trace_spec_describe (const BeamTraceSpec *spec)
{
  GString *out = g_string_new ("trace");

  g_return_val_if_fail (spec != NULL, NULL);

  switch (spec->kind)
    {
    case BEAM_TRACE_SYS:
      g_string_append (out, " sys");
      break;
    case BEAM_TRACE_MESSAGES:
      g_string_append (out, " messages");
      break;
    case BEAM_TRACE_CALLS:
    default:
      {
        g_autoptr(GString) mfa = g_string_new (spec->module != NULL ? spec->module : "_");

        g_string_append (out, " calls");
        if (spec->function != NULL || spec->arity >= 0)
          g_string_append_printf (mfa, ":%s", spec->function != NULL ? spec->function : "_");
        if (spec->arity >= 0)
          g_string_append_printf (mfa, "/%d", spec->arity);
        append_word (out, mfa->str);
      }
      break;
    }

  if (spec->kind != BEAM_TRACE_CALLS)
    for (guint i = 0; i < spec->targets->len; i++)
      append_word (out, g_ptr_array_index (spec->targets, i));

  if (spec->kind == BEAM_TRACE_CALLS)
    {
      if (spec->match_spec != NULL)
        {
          g_autofree char *match = beam_term_print (spec->match_spec, NULL);

          g_string_append (out, " --match");
          append_word (out, match);
        }
      if (spec->return_trace)
        g_string_append (out, " --return");
      if (spec->processes == BEAM_TRACE_PROCESSES_ALL)
        g_string_append (out, " --pid all");
      else if (spec->processes == BEAM_TRACE_PROCESSES_NEW)
        g_string_append (out, " --pid new");
      else
        for (guint i = 0; i < spec->targets->len; i++)
          {
            g_string_append (out, " --pid");
            append_word (out, g_ptr_array_index (spec->targets, i));
          }
    }

  if (spec->kind == BEAM_TRACE_MESSAGES && spec->send != spec->receive)
    g_string_append (out, spec->send ? " --send" : " --receive");

  if (spec->count > 0)
    g_string_append_printf (out, " --count %u", spec->count);
  else
    g_string_append_printf (out, " --rate %u/%u", spec->rate_events, spec->rate_ms);
  if (spec->duration_ms > 0)
    g_string_append_printf (out, " --duration %u", spec->duration_ms);
  return g_string_free (out, FALSE);
}
