/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A trace event (beam-trace.h): its life, and its text as recon_trace's
 * formatter lays it out (recon_trace:format/1: time, pid, then "m:f(Args)",
 * "m:f/A --> Value", "m:f/A Class Reason", "< Msg", " > To: Msg") or as one
 * JSON object of the CLI's JSON Lines. Terms print in the syntax asked. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <string.h>

#include <json-glib/json-glib.h>

#include "beam-trace.h"

#define ELLIPSIS "…"

BeamTraceEvent *
beam_trace_event_new (BeamTraceEventKind kind)
{
  BeamTraceEvent *event = g_new0 (BeamTraceEvent, 1);

  event->kind = kind;
  event->ref_count = 1;
  return event;
}

BeamTraceEvent *
beam_trace_event_ref (BeamTraceEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (event->ref_count > 0, NULL);

  g_atomic_int_inc (&event->ref_count);
  return event;
}

void
beam_trace_event_unref (BeamTraceEvent *event)
{
  g_return_if_fail (event != NULL);
  g_return_if_fail (event->ref_count > 0);

  if (!g_atomic_int_dec_and_test (&event->ref_count))
    return;
  g_free (event->pid);
  g_free (event->name);
  g_free (event->mfa);
  g_clear_pointer (&event->term, beam_term_free);
  g_clear_pointer (&event->peer, beam_term_free);
  g_free (event->text);
  g_free (event);
}

const char *
beam_trace_event_kind_to_string (BeamTraceEventKind kind)
{
  switch (kind)
    {
    case BEAM_TRACE_EVENT_CALL:
      return "call";
    case BEAM_TRACE_EVENT_RETURN_FROM:
      return "return_from";
    case BEAM_TRACE_EVENT_EXCEPTION_FROM:
      return "exception_from";
    case BEAM_TRACE_EVENT_SEND:
      return "send";
    case BEAM_TRACE_EVENT_SEND_TO_NON_EXISTING:
      return "send_to_non_existing_process";
    case BEAM_TRACE_EVENT_RECEIVE:
      return "receive";
    case BEAM_TRACE_EVENT_SYS:
      return "sys";
    case BEAM_TRACE_EVENT_OTHER:
    default:
      return "other";
    }
}

static void
print_term (GString        *out,
            const BeamTerm *term,
            BeamSyntax      syntax)
{
  BeamPrintOptions options = { .syntax = syntax };

  if (term == NULL)
    g_string_append (out, syntax == BEAM_SYNTAX_ELIXIR ? "nil" : "undefined");
  else
    beam_term_print_to (term, &options, out);
}

/* An atom as ~p writes it in Erlang (quoted when it must be), or an Elixir
 * name as beam_print_name spells it. */
static void
print_atom (GString    *out,
            const char *name,
            BeamSyntax  syntax)
{
  g_autoptr(BeamTerm) atom = beam_term_new_atom (name);

  print_term (out, atom, syntax);
}

/* "mod:fun/arity" as the syntax writes it; with `args` (a list) the call
 * "mod:fun(A, B)" instead, as recon_trace's format_args does. */
static void
print_mfa (GString        *out,
           const char     *mfa,
           const BeamTerm *args,
           BeamSyntax      syntax)
{
  const char *colon = strchr (mfa, ':');
  const char *slash = strrchr (mfa, '/');
  gboolean shaped = colon != NULL && slash != NULL && slash > colon + 1 && colon > mfa;

  if (!shaped)
    g_string_append (out, mfa);
  else if (syntax == BEAM_SYNTAX_ELIXIR)
    {
      g_autofree char *named = beam_print_name (mfa, syntax);
      char *named_slash = strrchr (named, '/');

      if (args != NULL && named_slash != NULL)
        *named_slash = '\0';
      g_string_append (out, named);
    }
  else
    {
      g_autofree char *module = g_strndup (mfa, colon - mfa);
      g_autofree char *function = g_strndup (colon + 1, slash - colon - 1);

      print_atom (out, module, syntax);
      g_string_append_c (out, ':');
      print_atom (out, function, syntax);
      if (args == NULL)
        g_string_append (out, slash);
    }

  if (args == NULL)
    return;
  if (args->kind == BEAM_TERM_LIST && !args->v.list.improper)
    {
      g_string_append_c (out, '(');
      for (guint i = 0; i < args->n_children; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          print_term (out, args->children[i], syntax);
        }
      g_string_append_c (out, ')');
    }
  else if (args->kind == BEAM_TERM_INTEGER)
    g_string_append_printf (out, "/%" G_GINT64_FORMAT, args->v.integer);
  else
    {
      g_string_append_c (out, ' ');
      print_term (out, args, syntax);
    }
}

/* "13:05:11.148300", the local time of `time_us` */
static void
append_time (GString *out,
             gint64   time_us)
{
  gint64 seconds = time_us / G_USEC_PER_SEC;
  gint64 micros = time_us % G_USEC_PER_SEC;
  g_autoptr(GDateTime) time = NULL;

  if (micros < 0)
    {
      seconds -= 1;
      micros += G_USEC_PER_SEC;
    }
  time = g_date_time_new_from_unix_local (seconds);
  if (time == NULL)
    {
      g_string_append (out, "00:00:00.000000");
      return;
    }
  g_string_append_printf (out, "%02d:%02d:%02d.%06d", g_date_time_get_hour (time),
                          g_date_time_get_minute (time), g_date_time_get_second (time),
                          (int) micros);
}

/* Cuts `out` to at most `max_bytes` bytes, the last three of them "…",
 * on a character boundary. */
static void
cut_to (GString *out,
        gsize    max_bytes)
{
  gsize keep;

  if (max_bytes == 0 || out->len <= max_bytes)
    return;
  if (max_bytes < strlen (ELLIPSIS))
    {
      g_string_truncate (out, 0);
      return;
    }
  keep = max_bytes - strlen (ELLIPSIS);
  /* back to the first byte of a character */
  while (keep > 0 && ((guchar) out->str[keep] & 0xC0) == 0x80)
    keep--;
  g_string_truncate (out, keep);
  g_string_append (out, ELLIPSIS);
}

/* sys prints a long term over several lines (~tp): a line break and the
 * indentation after it become one space, so that an event stays a line. */
static void
flatten (GString *out)
{
  gsize to = 0;

  for (gsize from = 0; from < out->len; from++)
    {
      char c = out->str[from];

      if (c == '\n' || c == '\r')
        {
          while (to > 0 && out->str[to - 1] == ' ')
            to--;
          while (from + 1 < out->len && g_ascii_isspace (out->str[from + 1]))
            from++;
          c = ' ';
        }
      out->str[to++] = c;
    }
  g_string_truncate (out, to);
}

char *
beam_trace_event_to_line (const BeamTraceEvent *event,
                          BeamSyntax            syntax,
                          gsize                 max_bytes)
{
  GString *out;
  const char *mfa;

  g_return_val_if_fail (event != NULL, NULL);

  out = g_string_new (NULL);
  if (event->kind == BEAM_TRACE_EVENT_SYS && event->text != NULL)
    {
      g_string_append (out, event->text);
      while (out->len > 0 && g_ascii_isspace (out->str[out->len - 1]))
        g_string_truncate (out, out->len - 1);
      flatten (out);
      cut_to (out, max_bytes);
      return g_string_free (out, FALSE);
    }

  append_time (out, event->time_us);
  g_string_append_c (out, ' ');
  g_string_append (out, event->pid != NULL ? event->pid : "?");
  g_string_append_c (out, ' ');
  mfa = event->mfa != NULL ? event->mfa : "?";
  switch (event->kind)
    {
    case BEAM_TRACE_EVENT_CALL:
      print_mfa (out, mfa, event->term, syntax);
      break;
    case BEAM_TRACE_EVENT_RETURN_FROM:
      print_mfa (out, mfa, NULL, syntax);
      g_string_append (out, " --> ");
      print_term (out, event->term, syntax);
      break;
    case BEAM_TRACE_EVENT_EXCEPTION_FROM:
      print_mfa (out, mfa, NULL, syntax);
      g_string_append_c (out, ' ');
      if (event->term != NULL && event->term->kind == BEAM_TERM_TUPLE &&
          event->term->n_children == 2)
        {
          print_term (out, event->term->children[0], syntax);
          g_string_append_c (out, ' ');
          print_term (out, event->term->children[1], syntax);
        }
      else
        print_term (out, event->term, syntax);
      break;
    case BEAM_TRACE_EVENT_SEND:
    case BEAM_TRACE_EVENT_SEND_TO_NON_EXISTING:
      g_string_append (out, event->kind == BEAM_TRACE_EVENT_SEND ? " > " : " > (non_existent) ");
      print_term (out, event->peer, syntax);
      g_string_append (out, ": ");
      print_term (out, event->term, syntax);
      break;
    case BEAM_TRACE_EVENT_RECEIVE:
      g_string_append (out, "< ");
      print_term (out, event->term, syntax);
      break;
    case BEAM_TRACE_EVENT_SYS:
    case BEAM_TRACE_EVENT_OTHER:
    default:
      g_string_append (out, beam_trace_event_kind_to_string (event->kind));
      g_string_append_c (out, ' ');
      print_term (out, event->term, syntax);
      break;
    }
  cut_to (out, max_bytes);
  return g_string_free (out, FALSE);
}

/* ISO 8601 in UTC with microseconds: "2026-12-02T06:18:17.123456Z" */
static char *
format_iso8601 (gint64 time_us)
{
  gint64 seconds = time_us / G_USEC_PER_SEC;
  gint64 micros = time_us % G_USEC_PER_SEC;
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *date = NULL;

  if (micros < 0)
    {
      seconds -= 1;
      micros += G_USEC_PER_SEC;
    }
  time = g_date_time_new_from_unix_utc (seconds);
  if (time == NULL)
    return g_strdup ("1970-01-01T00:00:00.000000Z");
  date = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%06dZ", date, (int) micros);
}

static void
add_name (JsonBuilder *builder,
          const char  *key,
          const char  *name,
          BeamSyntax   syntax)
{
  g_autofree char *spelled = NULL;

  json_builder_set_member_name (builder, key);
  if (name == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  spelled = beam_print_name (name, syntax);
  json_builder_add_string_value (builder, spelled);
}

void
beam_trace_event_print_term (const BeamTraceEvent   *event,
                             const BeamPrintOptions *options,
                             GString                *out)
{
  const BeamTerm *args = event->term;

  g_return_if_fail (event != NULL && options != NULL && out != NULL);

  if (event->kind != BEAM_TRACE_EVENT_CALL || args == NULL || args->kind != BEAM_TERM_LIST ||
      args->v.list.improper)
    {
      if (args != NULL)
        beam_term_print_to (args, options, out);
      return;
    }
  g_string_append_c (out, '[');
  for (guint i = 0; i < args->n_children; i++)
    {
      if (options->max_width > 0 && i >= options->max_width)
        {
          g_string_append (out, options->syntax == BEAM_SYNTAX_ELIXIR ? ", ..." : ",...");
          break;
        }
      if (i > 0)
        g_string_append (out, options->syntax == BEAM_SYNTAX_ELIXIR ? ", " : ",");
      beam_term_print_to (args->children[i], options, out);
    }
  g_string_append_c (out, ']');
}

static void
add_event_term (JsonBuilder          *builder,
                const BeamTraceEvent *event,
                BeamSyntax            syntax)
{
  BeamPrintOptions options = { .syntax = syntax };
  g_autoptr(GString) text = g_string_new (NULL);

  if (event->term == NULL)
    print_term (text, NULL, syntax);
  else
    beam_trace_event_print_term (event, &options, text);
  json_builder_set_member_name (builder, "term");
  json_builder_add_string_value (builder, text->str);
}

static void
add_term (JsonBuilder    *builder,
          const char     *key,
          const BeamTerm *term,
          BeamSyntax      syntax)
{
  g_autoptr(GString) text = g_string_new (NULL);

  print_term (text, term, syntax);
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, text->str);
}

char *
beam_trace_event_to_json (const BeamTraceEvent *event,
                          BeamSyntax            syntax)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *time = NULL;

  g_return_val_if_fail (event != NULL, NULL);

  time = format_iso8601 (event->time_us);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_string_value (builder, event->pid != NULL ? event->pid : "");
  add_name (builder, "name", event->name, syntax);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, beam_trace_event_kind_to_string (event->kind));
  add_name (builder, "mfa", event->mfa, syntax);
  add_event_term (builder, event, syntax);
  if (event->kind == BEAM_TRACE_EVENT_SEND || event->kind == BEAM_TRACE_EVENT_SEND_TO_NON_EXISTING)
    add_term (builder, "to", event->peer, syntax);
  if (event->kind == BEAM_TRACE_EVENT_SYS)
    {
      /* One line, as the text lines print it: sys breaks a long term over
       * several (at column 80, so a longer pid can be what breaks it). */
      g_autoptr(GString) text = g_string_new (event->text != NULL ? event->text : "");

      while (text->len > 0 && g_ascii_isspace (text->str[text->len - 1]))
        g_string_truncate (text, text->len - 1);
      flatten (text);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text->str);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, FALSE);
  return json_generator_to_data (generator, NULL);
}
