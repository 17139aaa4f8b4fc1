/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One process's details, its messages and dictionary, sys requests and
 * actions: each one erl_eval program (beam-process-info-programs.c) that
 * finds the process first, by name or pid, and answers `undefined` when
 * there is none.
 *
 * The replies are checked against the programs' shapes here, on the network
 * thread, so that the window reads typed fields and never a term's insides:
 * a node can send anything, and whatever is not one of these shapes is one
 * error. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-process-info-private.h"
#include "beam-process-list.h"
#include "beam-term-printer.h"
#include "beam-wire-error.h"

#define MARGIN_MS 2000  /* our deadline is the node's timeout plus this */

G_DEFINE_QUARK (beam-process-info-error-quark, beam_process_info_error)

static const char * const items[] = {
  "registered_name", "initial_call", "current_function", "status", "message_queue_len",
  "memory", "heap_size", "total_heap_size", "stack_size", "reductions", "links", "monitors",
  "monitored_by", "trap_exit", "group_leader", "priority", "garbage_collection", "parent",
  "current_stacktrace", "last_calls", "catchlevel", "error_handler",
  "sequential_trace_token", NULL,
};

/* The items whose pids open a process from the window. */
static const char * const pid_items[] = {
  "links", "monitors", "monitored_by", "group_leader", "parent", NULL,
};

const char * const *
beam_process_info_items (void)
{
  return items;
}

static void
frame_clear (BeamProcessFrame *frame)
{
  g_free (frame->module);
  g_free (frame->function);
  g_free (frame->file);
}

void
beam_process_info_free (BeamProcessInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->pid, beam_term_free);
  g_clear_pointer (&info->items, beam_term_free);
  g_free (info->initial_call);
  g_free (info->registered_name);
  g_free (info->label);
  g_free (info->status);
  g_free (info->current_function);
  g_free (info->error_handler);
  g_strfreev (info->trace_flags);
  g_free (info->binaries);
  g_clear_pointer (&info->extra, beam_term_free);
  for (guint i = 0; i < info->n_fields; i++)
    {
      beam_term_free (info->fields[i].value);
      g_strfreev (info->fields[i].pids);
    }
  g_free (info->fields);
  for (guint i = 0; i < info->n_frames; i++)
    frame_clear (&info->frames[i]);
  g_free (info->frames);
  g_free (info);
}

const BeamProcessInfoItem *
beam_process_info_get_field (const BeamProcessInfo *info,
                             const char            *name)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < info->n_fields; i++)
    if (g_str_equal (info->fields[i].name, name))
      return &info->fields[i];
  return NULL;
}

void
beam_process_entries_free (BeamProcessEntries *entries)
{
  if (entries == NULL)
    return;
  g_clear_pointer (&entries->entries, g_ptr_array_unref);
  g_free (entries);
}

static gboolean
parse_number (const char *text,
              guint32    *value)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &number, NULL))
    return FALSE;
  if (value != NULL)
    *value = (guint32) number;
  return TRUE;
}

gboolean
beam_process_info_parse_pid (const char  *text,
                             const char  *local_node,
                             guint32     *out_num,
                             guint32     *out_serial,
                             char       **out_node)
{
  g_autofree char *inner = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *node = NULL;
  guint n, first;
  guint32 x;

  if (text == NULL)
    return FALSE;
  inner = g_strstrip (g_strdup (text));
  /* Elixir's inspect writes #PID<0.1.0>. */
  if (g_str_has_prefix (inner, "#PID<"))
    memmove (inner, inner + 4, strlen (inner + 4) + 1);
  if (g_str_has_prefix (inner, "<") && g_str_has_suffix (inner, ">") && strlen (inner) >= 2)
    {
      memmove (inner, inner + 1, strlen (inner));
      inner[strlen (inner) - 1] = '\0';
    }
  else if (strchr (inner, '<') != NULL || strchr (inner, '>') != NULL)
    return FALSE;

  if (strchr (inner, '@') != NULL)
    {
      /* A pid written with its node: <node@host.N.S> (erl_call), or
       * rabbitmqctl's <node@host.Creation.N.S>. The node's own name, when
       * known, says exactly where the numbers start; a host may hold dots. */
      const char *numbers = NULL;
      gsize local_len = local_node != NULL ? strlen (local_node) : 0;

      if (local_len > 0 && strncmp (inner, local_node, local_len) == 0 &&
          inner[local_len] == '.')
        {
          node = g_strdup (local_node);
          numbers = inner + local_len + 1;
          parts = g_strsplit (numbers, ".", -1);
          n = g_strv_length (parts);
          if (n != 2 && n != 3)
            return FALSE;
          first = n - 2;
        }
      else
        {
          guint node_parts;
          char *saved;

          parts = g_strsplit (inner, ".", -1);
          n = g_strv_length (parts);
          if (n < 3)
            return FALSE;
          node_parts = n - 2;
          /* One more number before them: rabbitmqctl's creation. */
          if (n >= 4 && parse_number (parts[n - 3], NULL))
            node_parts = n - 3;
          saved = parts[node_parts];
          parts[node_parts] = NULL;
          node = g_strjoinv (".", parts);
          parts[node_parts] = saved;
          if (strchr (node, '@') == NULL || g_str_has_suffix (node, "@") || node[0] == '@')
            return FALSE;
          first = n - 2;
        }
      if (!parse_number (parts[first], out_num) || !parse_number (parts[first + 1], out_serial))
        return FALSE;
      if (out_node != NULL)
        *out_node = g_steal_pointer (&node);
      return TRUE;
    }

  parts = g_strsplit (inner, ".", -1);
  if (g_strv_length (parts) != 3 || !parse_number (parts[0], &x) ||
      !parse_number (parts[1], out_num) || !parse_number (parts[2], out_serial))
    return FALSE;
  /* <0.N.S> is the node's own; <X.N.S> another node's, as this node knows it. */
  if (x != 0)
    return FALSE;
  if (out_node != NULL)
    *out_node = NULL;
  return TRUE;
}

char *
beam_process_info_normalize_pid (const char *text)
{
  guint32 num, serial;

  if (!beam_process_info_parse_pid (text, NULL, &num, &serial, NULL))
    return NULL;
  return g_strdup_printf ("<0.%u.%u>", num, serial);
}

/* ---- the replies ------------------------------------------------------------------ */

static void
set_no_such_process (GError     **error,
                     const char  *who)
{
  g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_SUCH_PROCESS,
               _("No process %s on the node: no such pid, or no process registered by that "
                 "name"), who);
}

static void
set_unexpected (GError     **error,
                const char  *who)
{
  g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
               _("Unexpected reply from the node about %s"), who);
}

static gboolean
is_proper_list (const BeamTerm *term)
{
  return term->kind == BEAM_TERM_LIST && !term->v.list.improper;
}

static gboolean
is_tuple (const BeamTerm *term,
          guint           arity)
{
  return term->kind == BEAM_TERM_TUPLE && term->n_children == arity;
}

/* What the program evaluated to: {value, Value, Bindings} -> Value. NULL,
 * with `error` set, for a reply of another shape and for the program's
 * `undefined`, which says that no such process was found. */
static const BeamTerm *
program_value (const BeamTerm  *reply,
               const char      *who,
               GError         **error)
{
  const BeamTerm *value = beam_term_tagged (reply, "value", 3) != NULL ? reply->children[1]
                                                                      : NULL;

  if (value == NULL)
    set_unexpected (error, who);
  else if (beam_term_is_atom (value, "undefined"))
    {
      set_no_such_process (error, who);
      value = NULL;
    }
  return value;
}

/* found_program's {ok, P, Result} -> Result */
static const BeamTerm *
found_result (const BeamTerm  *reply,
              const char      *who,
              GError         **error)
{
  const BeamTerm *value = program_value (reply, who, error);

  if (value == NULL)
    return NULL;
  if (beam_term_tagged (value, "ok", 3) == NULL || value->children[1]->kind != BEAM_TERM_PID)
    {
      set_unexpected (error, who);
      return NULL;
    }
  return value->children[2];
}

static char *
print_pid (const BeamTerm *pid,
           const char     *node)
{
  return beam_term_print (pid, &(BeamPrintOptions) { BEAM_SYNTAX_ERLANG, node, 0, 0 });
}

/* The pids in a value: a pid, a list of pids, monitors' {process, Pid}.
 * All are counted; the first BEAM_PROCESS_INFO_MAX_PIDS are kept. The value
 * is a list of flat entries, so the recursion is shallow. */
static void
collect_pids (const BeamTerm *term,
              const char     *node,
              GPtrArray      *pids,
              guint          *n_pids)
{
  if (term->kind == BEAM_TERM_PID)
    {
      if (pids->len < BEAM_PROCESS_INFO_MAX_PIDS)
        g_ptr_array_add (pids, print_pid (term, node));
      (*n_pids)++;
    }
  else if (term->kind == BEAM_TERM_LIST || term->kind == BEAM_TERM_TUPLE)
    for (guint i = 0; i < term->n_children; i++)
      collect_pids (term->children[i], node, pids, n_pids);
}

static gboolean
decode_frame (const BeamTerm   *term,
              BeamProcessFrame *frame)
{
  const BeamTerm *arity, *location, *file, *line;

  /* {M, F, Arity | Args, Location} */
  if (!is_tuple (term, 4) || term->children[0]->kind != BEAM_TERM_ATOM ||
      term->children[1]->kind != BEAM_TERM_ATOM || !is_proper_list (term->children[3]))
    return FALSE;
  arity = term->children[2];
  location = term->children[3];
  if (is_proper_list (arity))
    frame->arity = arity->n_children;
  else if (!beam_term_get_int64 (arity, &frame->arity))
    return FALSE;
  frame->module = beam_term_print (term->children[0], NULL);
  frame->function = beam_term_print (term->children[1], NULL);

  file = beam_term_lookup (location, "file");
  line = beam_term_lookup (location, "line");
  if (file != NULL && (frame->file = beam_term_dup_string (file)) == NULL)
    return FALSE;
  if (line != NULL && !beam_term_get_int64 (line, &frame->line))
    return FALSE;
  return TRUE;
}

static gboolean
decode_stack (BeamProcessInfo *info,
              const BeamTerm  *stack)
{
  if (!is_proper_list (stack))
    return FALSE;
  info->frames = g_new0 (BeamProcessFrame, stack->n_children);
  for (guint i = 0; i < stack->n_children; i++)
    {
      /* Counted first, so that a frame half filled is freed with the rest. */
      info->n_frames++;
      if (!decode_frame (stack->children[i], &info->frames[i]))
        return FALSE;
    }
  return TRUE;
}

/* A count or size: an integer, not negative. */
static gboolean
get_count (const BeamTerm *value,
           gint64         *out)
{
  return beam_term_get_int64 (value, out) && *out >= 0;
}

/* {M, F, A} as "m:f/a" (A an arity). */
static char *
print_mfa (const BeamTerm *mfa)
{
  gint64 arity;

  if (!is_tuple (mfa, 3) || mfa->children[0]->kind != BEAM_TERM_ATOM ||
      mfa->children[1]->kind != BEAM_TERM_ATOM || !beam_term_get_int64 (mfa->children[2], &arity))
    return NULL;
  return g_strdup_printf ("%s:%s/%" G_GINT64_FORMAT, mfa->children[0]->v.atom.name,
                          mfa->children[1]->v.atom.name, arity);
}

/* The typed reading of one item, beside its value. */
static gboolean
decode_field (BeamProcessInfo     *info,
              BeamProcessInfoItem *field,
              const BeamTerm      *value,
              const char          *node)
{
  if (g_str_equal (field->name, "memory"))
    return get_count (value, &info->memory);
  if (g_str_equal (field->name, "heap_size"))
    return get_count (value, &info->heap_size);
  if (g_str_equal (field->name, "total_heap_size"))
    return get_count (value, &info->total_heap_size);
  if (g_str_equal (field->name, "stack_size"))
    return get_count (value, &info->stack_size);
  if (g_str_equal (field->name, "reductions"))
    return get_count (value, &info->reductions);
  if (g_str_equal (field->name, "catchlevel"))
    return get_count (value, &info->catch_level);
  if (g_str_equal (field->name, "status"))
    {
      if (value->kind != BEAM_TERM_ATOM)
        return FALSE;
      info->status = g_strdup (value->v.atom.name);
      return TRUE;
    }
  if (g_str_equal (field->name, "error_handler"))
    {
      if (value->kind != BEAM_TERM_ATOM)
        return FALSE;
      info->error_handler = beam_term_print (value, NULL);
      return TRUE;
    }
  if (g_str_equal (field->name, "last_calls"))
    {
      /* false when off, else the calls saved, a list. */
      if (beam_term_is_atom (value, "false"))
        return TRUE;
      info->last_calls_on = TRUE;
      return is_proper_list (value);
    }
  if (g_str_equal (field->name, "current_function"))
    {
      /* An MFA, or undefined for native code. */
      info->current_function = print_mfa (value);
      info->sys_suspended = info->current_function != NULL &&
                            g_str_has_prefix (info->current_function, "sys:suspend_loop/");
      return info->current_function != NULL || value->kind == BEAM_TERM_ATOM;
    }
  if (g_str_equal (field->name, "registered_name"))
    {
      /* An atom, or [] for none. */
      if (value->kind == BEAM_TERM_ATOM)
        info->registered_name = g_strdup (value->v.atom.name);
      else if (!is_proper_list (value) || value->n_children != 0)
        return FALSE;
    }
  else if (g_str_equal (field->name, "message_queue_len"))
    {
      if (!beam_term_get_int64 (value, &info->message_queue_len) || info->message_queue_len < 0)
        return FALSE;
    }
  else if (g_str_equal (field->name, "current_stacktrace"))
    return decode_stack (info, value);
  else if (g_strv_contains (pid_items, field->name))
    {
      GPtrArray *pids = g_ptr_array_new ();

      collect_pids (value, node, pids, &field->n_pids);
      g_ptr_array_add (pids, NULL);
      field->pids = (GStrv) g_ptr_array_free (pids, FALSE);
    }
  return TRUE;
}

/* process_info/2's [{Item, Value}], exactly the items asked, in order. */
static gboolean
decode_items (BeamProcessInfo *info,
              const BeamTerm  *list,
              const char      *node)
{
  guint n_items = g_strv_length ((GStrv) items);

  if (!is_proper_list (list) || list->n_children != n_items)
    return FALSE;
  info->fields = g_new0 (BeamProcessInfoItem, n_items);
  for (guint i = 0; i < n_items; i++)
    {
      const BeamTerm *pair = list->children[i];
      BeamProcessInfoItem *field = &info->fields[i];

      if (!is_tuple (pair, 2) || !beam_term_is_atom (pair->children[0], items[i]))
        return FALSE;
      info->n_fields++;
      field->name = items[i];
      field->value = beam_term_copy (pair->children[1]);
      if (!decode_field (info, field, pair->children[1], node))
        return FALSE;
    }
  return TRUE;
}

/* proc_lib's translation, {M, F, A}, as "m:f/a"; an atom (false) for none. */
static gboolean
decode_initial_call (BeamProcessInfo *info,
                     const BeamTerm  *mfa)
{
  gint64 arity;

  if (beam_term_is_atom (mfa, "false"))
    return TRUE;
  if (!is_tuple (mfa, 3) || mfa->children[0]->kind != BEAM_TERM_ATOM ||
      mfa->children[1]->kind != BEAM_TERM_ATOM || !beam_term_get_int64 (mfa->children[2], &arity))
    return FALSE;
  info->initial_call = g_strdup_printf ("%s:%s/%" G_GINT64_FORMAT, mfa->children[0]->v.atom.name,
                                        mfa->children[1]->v.atom.name, arity);
  return TRUE;
}

/* {InitialCall, LabelEntry, ProcessNameEntry}: each entry {Key, Label} or
 * false; the OTP label wins over RabbitMQ's. */
static gboolean
decode_names (BeamProcessInfo *info,
              const BeamTerm  *names)
{
  if (!is_tuple (names, 3) || !decode_initial_call (info, names->children[0]))
    return FALSE;
  for (guint i = 1; i <= 2 && info->label == NULL; i++)
    if (is_tuple (names->children[i], 2))
      info->label = beam_process_label_text (names->children[i]->children[1]);
    else if (!beam_term_is_atom (names->children[i], "false"))
      return FALSE;
  return TRUE;
}

/* {Wordsize, TraceFlags, {Count, Bytes, FirstBinaries}} */
static gboolean
decode_extra (BeamProcessInfo *info,
              const BeamTerm  *extra)
{
  const BeamTerm *flags, *binaries, *listed;
  gint64 wordsize;
  GStrvBuilder *builder;

  if (!is_tuple (extra, 3) || !beam_term_get_int64 (extra->children[0], &wordsize) ||
      (wordsize != 4 && wordsize != 8))
    return FALSE;
  info->wordsize = wordsize;

  /* {flags, [Flag]}; anything else (the process went, a caught error) is none. */
  flags = extra->children[1];
  builder = g_strv_builder_new ();
  if (beam_term_tagged (flags, "flags", 2) != NULL)
    {
      const BeamTerm *list = flags->children[1];

      if (!is_proper_list (list))
        {
          g_strv_builder_unref (builder);
          return FALSE;
        }
      for (guint i = 0; i < list->n_children; i++)
        if (list->children[i]->kind == BEAM_TERM_ATOM)
          g_strv_builder_add (builder, list->children[i]->v.atom.name);
    }
  info->trace_flags = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  binaries = extra->children[2];
  if (!is_tuple (binaries, 3) || !get_count (binaries->children[0], &info->n_binaries) ||
      !get_count (binaries->children[1], &info->binary_bytes) ||
      !is_proper_list (binaries->children[2]))
    return FALSE;
  listed = binaries->children[2];
  if (listed->n_children > BEAM_PROCESS_INFO_MAX_BINARIES || listed->n_children > info->n_binaries)
    return FALSE;
  info->binaries = g_new0 (BeamProcessBinary, MAX (listed->n_children, 1));
  for (guint i = 0; i < listed->n_children; i++)
    {
      const BeamTerm *binary = listed->children[i];
      BeamProcessBinary *out = &info->binaries[i];

      /* {Id, Size, RefCount} */
      if (!is_tuple (binary, 3) || !get_count (binary->children[1], &out->size) ||
          !get_count (binary->children[2], &out->refcount))
        return FALSE;
      info->n_binaries_listed++;
    }
  return TRUE;
}

BeamProcessInfo *
_beam_process_info_decode (const BeamTerm  *reply,
                           const char      *who,
                           const char      *node,
                           GError         **error)
{
  const BeamTerm *value = program_value (reply, who, error);
  g_autoptr(BeamProcessInfo) info = NULL;

  if (value == NULL)
    return NULL;

  /* {P, Items, InitialCall, Extra} */
  info = g_new0 (BeamProcessInfo, 1);
  if (!is_tuple (value, 4) || value->children[0]->kind != BEAM_TERM_PID ||
      !decode_items (info, value->children[1], node) ||
      !decode_names (info, value->children[2]) ||
      !decode_extra (info, value->children[3]))
    {
      set_unexpected (error, who);
      return NULL;
    }
  /* No proc_lib initial call (a plain spawn): the process's own is the one. */
  if (info->initial_call == NULL)
    {
      const BeamProcessInfoItem *own = beam_process_info_get_field (info, "initial_call");

      if (own != NULL && !decode_initial_call (info, own->value))
        {
          set_unexpected (error, who);
          return NULL;
        }
    }
  info->pid = beam_term_copy (value->children[0]);
  info->items = beam_term_copy (value->children[1]);
  info->extra = beam_term_copy (value->children[3]);
  return g_steal_pointer (&info);
}

BeamProcessEntries *
_beam_process_entries_decode (const BeamTerm  *reply,
                              const char      *who,
                              gboolean         dictionary,
                              GError         **error)
{
  const BeamTerm *found = found_result (reply, who, error);
  const BeamTerm *first;
  g_autoptr(BeamProcessEntries) entries = NULL;

  if (found == NULL)
    return NULL;
  /* [] when the process went between being found and being read. */
  if (is_proper_list (found) && found->n_children == 0)
    {
      set_no_such_process (error, who);
      return NULL;
    }

  /* [{Count, FirstN}] */
  entries = g_new0 (BeamProcessEntries, 1);
  entries->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_term_free);
  if (!is_proper_list (found) || found->n_children != 1 || !is_tuple (found->children[0], 2) ||
      !beam_term_get_int64 (found->children[0]->children[0], &entries->count) ||
      entries->count < 0 || !is_proper_list (found->children[0]->children[1]))
    {
      set_unexpected (error, who);
      return NULL;
    }
  first = found->children[0]->children[1];
  for (guint i = 0; i < first->n_children; i++)
    {
      /* The dictionary is {Key, Value} pairs. */
      if (dictionary && !is_tuple (first->children[i], 2))
        {
          set_unexpected (error, who);
          return NULL;
        }
      g_ptr_array_add (entries->entries, beam_term_copy (first->children[i]));
    }
  return g_steal_pointer (&entries);
}

void
beam_process_statistics_free (BeamProcessStatistics *statistics)
{
  if (statistics == NULL)
    return;
  g_free (statistics->start_time);
  g_free (statistics->current_time);
  g_free (statistics);
}

/* {{Y, M, D}, {H, Mi, S}} as "Y-MM-DD HH:MM:SS". */
static char *
print_datetime (const BeamTerm *datetime)
{
  gint64 v[6];

  if (datetime == NULL || !is_tuple (datetime, 2))
    return NULL;
  for (guint half = 0; half < 2; half++)
    {
      const BeamTerm *part = datetime->children[half];

      if (!is_tuple (part, 3))
        return NULL;
      for (guint i = 0; i < 3; i++)
        if (!beam_term_get_int64 (part->children[i], &v[half * 3 + i]) || v[half * 3 + i] < 0 ||
            v[half * 3 + i] > 9999)
          return NULL;
    }
  return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02" G_GINT64_FORMAT "-%02" G_GINT64_FORMAT
                          " %02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                          v[0], v[1], v[2], v[3], v[4], v[5]);
}

/* sys:statistics(P, get)'s answer: {ok, no_statistics}, or {ok, [{start_time,
 * DateTime}, {current_time, DateTime}, {reductions, N}, {messages_in, N},
 * {messages_out, N}]}. */
static BeamProcessStatistics *
statistics_from_answer (const BeamTerm  *answer,
                        const char      *who,
                        GError         **error)
{
  g_autoptr(BeamProcessStatistics) statistics = g_new0 (BeamProcessStatistics, 1);
  const BeamTerm *list;
  const BeamTerm *value;

  if (beam_term_tagged (answer, "ok", 2) == NULL)
    goto bad;
  list = answer->children[1];
  if (beam_term_is_atom (list, "no_statistics"))
    return g_steal_pointer (&statistics);
  if (!is_proper_list (list))
    goto bad;
  statistics->collecting = TRUE;
  statistics->start_time = print_datetime (beam_term_lookup (list, "start_time"));
  statistics->current_time = print_datetime (beam_term_lookup (list, "current_time"));
  if (statistics->start_time == NULL || statistics->current_time == NULL)
    goto bad;
  if ((value = beam_term_lookup (list, "reductions")) == NULL ||
      !get_count (value, &statistics->reductions) ||
      (value = beam_term_lookup (list, "messages_in")) == NULL ||
      !get_count (value, &statistics->messages_in) ||
      (value = beam_term_lookup (list, "messages_out")) == NULL ||
      !get_count (value, &statistics->messages_out))
    goto bad;
  return g_steal_pointer (&statistics);

bad:
  set_unexpected (error, who);
  return NULL;
}

typedef struct
{
  char                  *who;
  char                  *node;      /* pids of this node print as <0.N.S> */
  guint                  timeout_ms;
  BeamProcessSysRequest  request;
  GDestroyNotify         result_free;
} Query;

static void
query_free (Query *query)
{
  g_free (query->who);
  g_free (query->node);
  g_free (query);
}

static gpointer
decode_info (const BeamTerm  *reply,
             gpointer         user_data,
             GError         **error)
{
  Query *query = user_data;

  return _beam_process_info_decode (reply, query->who, query->node, error);
}

static gpointer
decode_messages (const BeamTerm  *reply,
                 gpointer         user_data,
                 GError         **error)
{
  Query *query = user_data;

  return _beam_process_entries_decode (reply, query->who, FALSE, error);
}

static gpointer
decode_dictionary (const BeamTerm  *reply,
                   gpointer         user_data,
                   GError         **error)
{
  Query *query = user_data;

  return _beam_process_entries_decode (reply, query->who, TRUE, error);
}

static const char * const sys_names[] = {
  [BEAM_PROCESS_SYS_GET_STATE] = "sys:get_state",
  [BEAM_PROCESS_SYS_SUSPEND] = "sys:suspend",
  [BEAM_PROCESS_SYS_RESUME] = "sys:resume",
  [BEAM_PROCESS_SYS_STATISTICS_ON] = "sys:statistics",
  [BEAM_PROCESS_SYS_STATISTICS_GET] = "sys:statistics",
  [BEAM_PROCESS_SYS_STATISTICS_OFF] = "sys:statistics",
};

/* sys_program's {ok, P, Answer}: Answer, and P in `out_pid`. */
static const BeamTerm *
sys_answer (const BeamTerm  *reply,
            const Query     *query,
            const BeamTerm **out_pid,
            GError         **error)
{
  const BeamTerm *value = program_value (reply, query->who, error);
  const BeamTerm *answer;

  if (value == NULL)
    return NULL;
  if (beam_term_tagged (value, "false", 2) != NULL)
    {
      g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NOT_OTP,
                   _("%s is not an OTP process waiting in its loop (none that handles "
                     "system messages, as gen_server or gen_statem do): it might never read "
                     "one, so none was sent"),
                   query->who);
      return NULL;
    }
  if (beam_term_tagged (value, "ok", 3) == NULL || value->children[1]->kind != BEAM_TERM_PID)
    {
      set_unexpected (error, query->who);
      return NULL;
    }

  answer = value->children[2];
  if (beam_term_tagged (answer, "EXIT", 2) != NULL)
    {
      const BeamTerm *reason = answer->children[1];
      BeamPrintOptions options = { BEAM_SYNTAX_ERLANG, NULL, 4, 8 };
      g_autofree char *text = beam_term_print (reason, &options);

      if (beam_term_tagged (reason, "timeout", 2) != NULL)
        g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_ANSWER,
                     _("%s did not answer %s within %u ms"), query->who,
                     sys_names[query->request], query->timeout_ms);
      else
        g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_ANSWER,
                     _("%s of %s failed: %s"), sys_names[query->request], query->who, text);
      return NULL;
    }
  *out_pid = value->children[1];
  return answer;
}

static gpointer
decode_sys (const BeamTerm  *reply,
            gpointer         user_data,
            GError         **error)
{
  const BeamTerm *pid;
  const BeamTerm *answer = sys_answer (reply, user_data, &pid, error);

  return answer != NULL ? beam_term_copy (answer) : NULL;
}

static gpointer
decode_state (const BeamTerm  *reply,
              gpointer         user_data,
              GError         **error)
{
  const BeamTerm *pid;
  const BeamTerm *state = sys_answer (reply, user_data, &pid, error);

  if (state == NULL)
    return NULL;
  return beam_term_new_tuple (2, beam_term_copy (pid), beam_term_copy (state));
}

static gpointer
decode_action (const BeamTerm  *reply,
               gpointer         user_data,
               GError         **error)
{
  Query *query = user_data;
  const BeamTerm *result = found_result (reply, query->who, error);

  if (result == NULL)
    return NULL;
  /* exit/2 answers true; garbage_collect/1 true, or false for a process
   * that ended meanwhile, which needs collecting no more. */
  if (!beam_term_is_atom (result, "true") && !beam_term_is_atom (result, "false"))
    {
      set_unexpected (error, query->who);
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

static gpointer
decode_statistics (const BeamTerm  *reply,
                   gpointer         user_data,
                   GError         **error)
{
  const BeamTerm *pid;
  const BeamTerm *answer = sys_answer (reply, user_data, &pid, error);
  Query *query = user_data;

  if (answer == NULL)
    return NULL;
  return statistics_from_answer (answer, query->who, error);
}

BeamProcessStatistics *
_beam_process_statistics_decode (const BeamTerm  *reply,
                                 const char      *who,
                                 GError         **error)
{
  Query query = { (char *) who, NULL, 0, BEAM_PROCESS_SYS_STATISTICS_GET, NULL };

  return decode_statistics (reply, &query, error);
}

/* {{memory, Before}, Collected, {memory, After}}; a process that ended in
 * between answers undefined for a size, and counts as collected to 0. */
static gpointer
decode_collect (const BeamTerm  *reply,
                gpointer         user_data,
                GError         **error)
{
  Query *query = user_data;
  const BeamTerm *result = found_result (reply, query->who, error);
  g_autofree BeamProcessCollected *collected = NULL;
  gint64 *sizes[2];

  if (result == NULL)
    return NULL;
  collected = g_new0 (BeamProcessCollected, 1);
  sizes[0] = &collected->before;
  sizes[1] = &collected->after;
  if (!is_tuple (result, 3))
    goto bad;
  for (guint i = 0; i < 2; i++)
    {
      const BeamTerm *size = result->children[i * 2];

      if (beam_term_is_atom (size, "undefined"))
        *sizes[i] = 0;
      else if (beam_term_tagged (size, "memory", 2) == NULL ||
               !get_count (size->children[1], sizes[i]))
        goto bad;
    }
  if (beam_term_is_atom (result->children[0], "undefined"))
    {
      set_no_such_process (error, query->who);
      return NULL;
    }
  return g_steal_pointer (&collected);

bad:
  set_unexpected (error, query->who);
  return NULL;
}

/* [{memory, M}, {reductions, R}, {message_queue_len, Q}], or undefined. */
static gpointer
decode_sample (const BeamTerm  *reply,
               gpointer         user_data,
               GError         **error)
{
  Query *query = user_data;
  const BeamTerm *result = found_result (reply, query->who, error);
  g_autofree BeamProcessSample *sample = NULL;
  const BeamTerm *memory, *reductions, *queue;

  if (result == NULL)
    return NULL;
  if (beam_term_is_atom (result, "undefined"))
    {
      set_no_such_process (error, query->who);
      return NULL;
    }
  sample = g_new0 (BeamProcessSample, 1);
  if (!is_proper_list (result) || result->n_children != 3 ||
      (memory = beam_term_lookup (result, "memory")) == NULL ||
      (reductions = beam_term_lookup (result, "reductions")) == NULL ||
      (queue = beam_term_lookup (result, "message_queue_len")) == NULL ||
      !get_count (memory, &sample->memory) || !get_count (reductions, &sample->reductions) ||
      !get_count (queue, &sample->message_queue_len))
    {
      set_unexpected (error, query->who);
      return NULL;
    }
  return g_steal_pointer (&sample);
}

/* true or false; anything else is one error. The answer is a pointer: 1 for
 * false, 2 for true, as NULL is the error. */
static gpointer
decode_atom_exists (const BeamTerm  *reply,
                    gpointer         user_data,
                    GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);

  if (value != NULL && beam_term_is_atom (value, "true"))
    return GINT_TO_POINTER (2);
  if (value != NULL && beam_term_is_atom (value, "false"))
    return GINT_TO_POINTER (1);
  beam_erl_set_bad_reply (error, "erlang:list_to_existing_atom/1");
  return NULL;
}

/* ---- the calls -------------------------------------------------------------------- */

static void
call_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Query *query = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer value = beam_connection_call_finish (BEAM_CONNECTION (object), result, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, query->result_free);
}

static void
start (BeamConnection        *connection,
       gpointer               tag,
       const char            *who,
       BeamProcessSysRequest  request,
       guint                  timeout_ms,
       BeamTerm              *args,
       BeamReplyDecodeFunc    decode,
       GDestroyNotify         result_free,
       GCancellable          *cancellable,
       GAsyncReadyCallback    callback,
       gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Query *query = g_new0 (Query, 1);

  query->who = g_strdup (who);
  query->node = g_strdup (beam_connection_get_node_name (connection));
  query->timeout_ms = timeout_ms;
  query->request = request;
  query->result_free = result_free;
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, query, (GDestroyNotify) query_free);
  beam_connection_call_async (connection, &(BeamCall) {
                                .module = "erl_eval", .function = "exprs", .args = args,
                                .timeout_ms = timeout_ms + MARGIN_MS,
                                .decode = decode, .decode_data = query,
                                .result_free = result_free,
                              }, cancellable, call_done, g_object_ref (task));
}

void
beam_process_info_fetch_async (BeamConnection      *connection,
                               const char          *who,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_info_fetch_async, who, 0, 5000,
         _beam_process_info_program (who), decode_info,
         (GDestroyNotify) beam_process_info_free, cancellable, callback, user_data);
}

BeamProcessInfo *
beam_process_info_fetch_finish (GAsyncResult  *result,
                                GError       **error)
{
  return beam_connection_call_task_finish (result, beam_process_info_fetch_async, error);
}

void
beam_process_messages_fetch_async (BeamConnection      *connection,
                                   const char          *who,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_messages_fetch_async, who, 0, 15000,
         _beam_process_item_program (who, "messages", limit), decode_messages,
         (GDestroyNotify) beam_process_entries_free, cancellable, callback, user_data);
}

BeamProcessEntries *
beam_process_messages_fetch_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return beam_connection_call_task_finish (result, beam_process_messages_fetch_async, error);
}

void
beam_process_dictionary_fetch_async (BeamConnection      *connection,
                                     const char          *who,
                                     guint                limit,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_dictionary_fetch_async, who, 0, 15000,
         _beam_process_item_program (who, "dictionary", limit), decode_dictionary,
         (GDestroyNotify) beam_process_entries_free, cancellable, callback, user_data);
}

BeamProcessEntries *
beam_process_dictionary_fetch_finish (GAsyncResult  *result,
                                      GError       **error)
{
  return beam_connection_call_task_finish (result, beam_process_dictionary_fetch_async, error);
}

void
beam_process_sys_async (BeamConnection        *connection,
                        const char            *who,
                        BeamProcessSysRequest  request,
                        guint                  timeout_ms,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_sys_async, who, request, timeout_ms,
         _beam_process_sys_program (who, request, timeout_ms), decode_sys,
         (GDestroyNotify) beam_term_free, cancellable, callback, user_data);
}

BeamTerm *
beam_process_sys_finish (GAsyncResult  *result,
                         GError       **error)
{
  return beam_connection_call_task_finish (result, beam_process_sys_async, error);
}

void
beam_process_state_fetch_async (BeamConnection      *connection,
                                const char          *who,
                                guint                timeout_ms,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_state_fetch_async, who, BEAM_PROCESS_SYS_GET_STATE, timeout_ms,
         _beam_process_sys_program (who, BEAM_PROCESS_SYS_GET_STATE, timeout_ms), decode_state,
         (GDestroyNotify) beam_term_free, cancellable, callback, user_data);
}

BeamTerm *
beam_process_state_fetch_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return beam_connection_call_task_finish (result, beam_process_state_fetch_async, error);
}

void
beam_process_action_async (BeamConnection      *connection,
                           const char          *who,
                           BeamProcessAction    action,
                           const char          *reason,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_action_async, who, 0, 5000,
         _beam_process_action_program (who, action, reason), decode_action, NULL, cancellable,
         callback, user_data);
}

gboolean
beam_process_action_finish (GAsyncResult  *result,
                            GError       **error)
{
  return beam_connection_call_task_finish (result, beam_process_action_async, error) != NULL;
}

void
beam_process_statistics_fetch_async (BeamConnection      *connection,
                                     const char          *who,
                                     guint                timeout_ms,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_statistics_fetch_async, who, BEAM_PROCESS_SYS_STATISTICS_GET,
         timeout_ms, _beam_process_sys_program (who, BEAM_PROCESS_SYS_STATISTICS_GET, timeout_ms),
         decode_statistics, (GDestroyNotify) beam_process_statistics_free, cancellable, callback,
         user_data);
}

BeamProcessStatistics *
beam_process_statistics_fetch_finish (GAsyncResult  *result,
                                      GError       **error)
{
  return beam_connection_call_task_finish (result, beam_process_statistics_fetch_async, error);
}

void
beam_process_collect_async (BeamConnection      *connection,
                            const char          *who,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_collect_async, who, 0, 15000,
         _beam_process_collect_program (who), decode_collect, g_free, cancellable, callback,
         user_data);
}

BeamProcessCollected *
beam_process_collect_finish (GAsyncResult  *result,
                             GError       **error)
{
  return beam_connection_call_task_finish (result, beam_process_collect_async, error);
}

void
beam_process_sample_async (BeamConnection      *connection,
                           const char          *who,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (who != NULL);

  start (connection, beam_process_sample_async, who, 0, 5000, _beam_process_sample_program (who),
         decode_sample, g_free, cancellable, callback, user_data);
}

BeamProcessSample *
beam_process_sample_finish (GAsyncResult  *result,
                            GError       **error)
{
  return beam_connection_call_task_finish (result, beam_process_sample_async, error);
}

void
beam_process_atom_exists_async (BeamConnection      *connection,
                                const char          *text,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (text != NULL);

  start (connection, beam_process_atom_exists_async, text, 0, 5000,
         _beam_process_atom_program (text), decode_atom_exists, NULL, cancellable, callback,
         user_data);
}

gboolean
beam_process_atom_exists_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return GPOINTER_TO_INT (beam_connection_call_task_finish (result,
                                                            beam_process_atom_exists_async,
                                                            error)) == 2;
}
