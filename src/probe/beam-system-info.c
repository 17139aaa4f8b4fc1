/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The System page's question, asked as five calls in flight at once: the
 * system_info items and the statistics each go as one call of
 * lists:map(fun erlang:system_info/1, Items), then erlang:memory/0, whether
 * observer_backend loads, and the node's OS process (os-process.exprs, read
 * from /proc/self). So the whole page costs one round trip and five
 * short-lived rex workers on the node, whether or not it has runtime_tools.
 *
 * The run queues are a sixth call, sent alone once the five have answered:
 * while they run, our own rex workers (and rex, spawning them) are processes
 * ready to run, and an idle node's queues said 2 or 3 where observer_cli says
 * 0 (measured: asked in the same batch, [1,0,0,0] beside a run_queue of 3;
 * asked alone, always [0,0,0,0]). The worker answering that call is running,
 * so it is in no queue. One statistics(run_queue_lengths_all) gives every
 * queue at one instant, and the total is their sum, so the figures add up.
 *
 * The decoders run on the network thread and each fills its own part of one
 * BeamSystemInfo; the owner sees it only when all are in. process_limit is
 * also asked alone, for the Processes page's count. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "beam-erl-expr.h"
#include "beam-system-info.h"
#include "beam-wire-error.h"

typedef enum
{
  FIELD_STRING,
  FIELD_INT,
  FIELD_INT64,
  FIELD_BOOLEAN,
} FieldKind;

typedef struct
{
  const char *item;      /* the system_info/1 argument, an atom */
  const char *qualifier; /* with it, the argument is {item, qualifier} */
  FieldKind   kind;
  gsize       offset;
} SystemItem;

#define FIELD(name) G_STRUCT_OFFSET (BeamSystemInfo, name)

static const SystemItem system_items[] = {
  { "otp_release", NULL, FIELD_STRING, FIELD (otp_release) },
  { "version", NULL, FIELD_STRING, FIELD (erts_version) },
  { "system_version", NULL, FIELD_STRING, FIELD (system_version) },
  { "system_architecture", NULL, FIELD_STRING, FIELD (system_architecture) },
  { "wordsize", "internal", FIELD_INT, FIELD (wordsize_internal) },
  { "wordsize", "external", FIELD_INT, FIELD (wordsize_external) },
  { "smp_support", NULL, FIELD_BOOLEAN, FIELD (smp_support) },
  { "threads", NULL, FIELD_BOOLEAN, FIELD (threads) },
  { "kernel_poll", NULL, FIELD_BOOLEAN, FIELD (kernel_poll) },
  { "thread_pool_size", NULL, FIELD_INT, FIELD (thread_pool_size) },
  { "logical_processors", NULL, FIELD_INT, FIELD (logical_processors) },
  { "logical_processors_online", NULL, FIELD_INT, FIELD (logical_processors_online) },
  { "logical_processors_available", NULL, FIELD_INT, FIELD (logical_processors_available) },
  { "schedulers", NULL, FIELD_INT, FIELD (schedulers) },
  { "schedulers_online", NULL, FIELD_INT, FIELD (schedulers_online) },
  { "dirty_cpu_schedulers", NULL, FIELD_INT, FIELD (dirty_cpu_schedulers) },
  { "dirty_cpu_schedulers_online", NULL, FIELD_INT, FIELD (dirty_cpu_schedulers_online) },
  { "dirty_io_schedulers", NULL, FIELD_INT, FIELD (dirty_io_schedulers) },
  { "process_count", NULL, FIELD_INT64, FIELD (process_count) },
  { "process_limit", NULL, FIELD_INT64, FIELD (process_limit) },
  { "atom_count", NULL, FIELD_INT64, FIELD (atom_count) },
  { "atom_limit", NULL, FIELD_INT64, FIELD (atom_limit) },
  { "port_count", NULL, FIELD_INT64, FIELD (port_count) },
  { "port_limit", NULL, FIELD_INT64, FIELD (port_limit) },
  { "ets_count", NULL, FIELD_INT64, FIELD (ets_count) },
  { "ets_limit", NULL, FIELD_INT64, FIELD (ets_limit) },
  { "dist_buf_busy_limit", NULL, FIELD_INT64, FIELD (dist_buf_busy_limit) },
};

static const char * const statistics_items[] = {
  "wall_clock", "io", "reductions", "garbage_collection", "context_switches",
};

static const struct
{
  const char *key;
  gsize       offset;
} memory_items[] = {
#define MEMORY(name) { #name, G_STRUCT_OFFSET (BeamSystemInfo, memory.name) }
  MEMORY (total), MEMORY (processes), MEMORY (processes_used), MEMORY (system),
  MEMORY (atom), MEMORY (atom_used), MEMORY (binary), MEMORY (code), MEMORY (ets),
#undef MEMORY
};

#define N_CALLS 5

/* Linux's USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every
 * architecture Linux runs on (sysconf(_SC_CLK_TCK) says so, but on the node's
 * host, which only os:cmd could ask). */
#define USER_HZ 100

typedef struct
{
  BeamConnection *connection;
  BeamSystemInfo *info;
  guint           pending;
  GError         *error;
} Fetch;

void
beam_system_info_free (BeamSystemInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->node);
  g_free (info->otp_release);
  g_free (info->erts_version);
  g_free (info->system_version);
  g_free (info->system_architecture);
  g_clear_pointer (&info->run_queue_lengths, g_array_unref);
  g_free (info->os_process.absent_reason);
  g_free (info);
}

static BeamSystemInfo *
system_info_new (const char *node)
{
  BeamSystemInfo *info = g_new0 (BeamSystemInfo, 1);
  gint64 *memory = (gint64 *) &info->memory;

  info->node = g_strdup (node);
  for (guint i = 0; i < G_N_ELEMENTS (system_items); i++)
    {
      gpointer field = G_STRUCT_MEMBER_P (info, system_items[i].offset);
      if (system_items[i].kind == FIELD_INT)
        *(gint *) field = -1;
      else if (system_items[i].kind == FIELD_INT64)
        *(gint64 *) field = -1;
    }
  for (guint i = 0; i < sizeof (BeamMemory) / sizeof (gint64); i++)
    memory[i] = -1;
  info->uptime_ms = info->run_queue = info->io_input = info->io_output = -1;
  info->run_queue_normal = info->run_queue_dirty_cpu = info->run_queue_dirty_io = -1;
  info->reductions = info->garbage_collections = info->words_reclaimed = -1;
  info->context_switches = -1;
  info->run_queue_lengths = g_array_new (FALSE, FALSE, sizeof (gint64));
  return info;
}

/* [fun erlang:F/1, [Item, ...]]: the arguments of lists:map/2. */
static BeamTerm *
map_args (const char *function,
          GPtrArray  *items)
{
  return beam_term_new_list (2, beam_term_new_export_fun ("erlang", function, 1),
                             beam_term_new_list_take (items));
}

static gboolean
reply_is_list_of (const BeamTerm  *reply,
                  guint            n,
                  const char      *what,
                  GError         **error)
{
  if (reply->kind == BEAM_TERM_LIST && !reply->v.list.improper && reply->n_children == n)
    return TRUE;
  g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
               _("The node answered %s with something other than %u values"), what, n);
  return FALSE;
}

static gpointer
decode_system_items (const BeamTerm  *reply,
                     gpointer         user_data,
                     GError         **error)
{
  BeamSystemInfo *info = user_data;

  if (!reply_is_list_of (reply, G_N_ELEMENTS (system_items), "erlang:system_info/1", error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (system_items); i++)
    {
      const BeamTerm *value = reply->children[i];
      gpointer field = G_STRUCT_MEMBER_P (info, system_items[i].offset);
      gint64 number;

      switch (system_items[i].kind)
        {
        case FIELD_STRING:
          {
            g_autofree char *text = beam_term_dup_string (value);
            /* system_version ends in a newline; the banner reads better without it. */
            *(char **) field = text != NULL ? g_strdup (g_strstrip (text)) : NULL;
          }
          break;
        case FIELD_INT:
          if (beam_term_get_int64 (value, &number))
            *(gint *) field = (gint) number;
          break;
        case FIELD_INT64:
          if (beam_term_get_int64 (value, &number))
            *(gint64 *) field = number;
          break;
        case FIELD_BOOLEAN:
          *(gboolean *) field = beam_term_is_atom (value, "true");
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return GINT_TO_POINTER (TRUE);
}

static gint64
element_int (const BeamTerm *tuple,
             guint           index)
{
  gint64 value = -1;

  if (tuple != NULL && tuple->kind == BEAM_TERM_TUPLE && index < tuple->n_children)
    beam_term_get_int64 (tuple->children[index], &value);
  return value;
}

static gpointer
decode_statistics (const BeamTerm  *reply,
                   gpointer         user_data,
                   GError         **error)
{
  BeamSystemInfo *info = user_data;
  const BeamTerm *io;

  if (!reply_is_list_of (reply, G_N_ELEMENTS (statistics_items), "erlang:statistics/1", error))
    return NULL;

  info->uptime_ms = element_int (reply->children[0], 0);
  io = reply->children[1];
  if (io->kind == BEAM_TERM_TUPLE && io->n_children == 2)
    {
      info->io_input = element_int (io->children[0], 1);
      info->io_output = element_int (io->children[1], 1);
    }
  info->reductions = element_int (reply->children[2], 0);
  info->garbage_collections = element_int (reply->children[3], 0);
  info->words_reclaimed = element_int (reply->children[3], 1);
  info->context_switches = element_int (reply->children[4], 0);
  return GINT_TO_POINTER (TRUE);
}

/* statistics(run_queue_lengths_all): one length per normal scheduler, then
 * the dirty CPU queue, then the dirty IO queue (OTP 20 and later). A list
 * of any other shape leaves every figure unknown. */
static gpointer
decode_run_queues (const BeamTerm  *reply,
                   gpointer         user_data,
                   GError         **error)
{
  BeamSystemInfo *info = user_data;
  gint64 normal = 0;

  if (reply->kind != BEAM_TERM_LIST || reply->v.list.improper || reply->n_children < 3 ||
      reply->n_children > 100000)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                   _("The node answered erlang:statistics(run_queue_lengths_all) with "
                     "something other than a list of lengths"));
      return NULL;
    }
  for (guint i = 0; i < reply->n_children; i++)
    {
      gint64 length = -1;

      /* A queue longer than 2^40 is no queue: the sum stays a sum. */
      if (!beam_term_get_int64 (reply->children[i], &length) || length < 0 ||
          length > (G_GINT64_CONSTANT (1) << 40))
        {
          g_array_set_size (info->run_queue_lengths, 0);
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                       _("The node answered erlang:statistics(run_queue_lengths_all) with "
                         "something other than a list of lengths"));
          return NULL;
        }
      g_array_append_val (info->run_queue_lengths, length);
      if (i + 2 < reply->n_children)
        normal += length;
    }
  info->run_queue_normal = normal;
  info->run_queue_dirty_cpu = g_array_index (info->run_queue_lengths, gint64,
                                             reply->n_children - 2);
  info->run_queue_dirty_io = g_array_index (info->run_queue_lengths, gint64,
                                            reply->n_children - 1);
  info->run_queue = normal + info->run_queue_dirty_cpu + info->run_queue_dirty_io;
  return GINT_TO_POINTER (TRUE);
}

/* ---- the OS process ------------------------------------------------------ */

/* "Name:   1234 kB" in /proc/self/status, in bytes (a plain number for a
 * count, as Threads); -1 if absent. */
static gint64
status_value (const char *status,
              const char *key)
{
  gsize key_length = strlen (key);
  const char *line = status;
  gint64 value;
  char *end;

  while (line != NULL && !(strncmp (line, key, key_length) == 0 && line[key_length] == ':'))
    {
      line = strchr (line, '\n');
      if (line != NULL)
        line++;
    }
  if (line == NULL)
    return -1;
  line += key_length + 1;
  value = g_ascii_strtoll (line, &end, 10);
  if (end == line || value < 0 || value > G_MAXINT64 / 1024)
    return -1;
  while (*end == ' ' || *end == '\t')
    end++;
  return g_str_has_prefix (end, "kB") ? value * 1024 : value;
}

gboolean
beam_os_process_parse (BeamOsProcess *process,
                       const char    *stat,
                       const char    *status,
                       const char    *limits,
                       const char    *uptime)
{
  g_auto(GStrv) fields = NULL;
  g_autofree char *rest = NULL;
  const char *after_name;
  const char *line;
  gint64 utime, stime;

  g_return_val_if_fail (process != NULL, FALSE);

  process->rss = status_value (status, "VmRSS");
  process->virtual_size = status_value (status, "VmSize");
  process->threads = status_value (status, "Threads");

  /* The command's name is in parentheses and may hold spaces and ")": the
   * fields that follow start after the last one, with the state (field 3). */
  after_name = strrchr (stat, ')');
  if (after_name == NULL)
    return FALSE;
  rest = g_strstrip (g_strdup (after_name + 1));
  fields = g_strsplit (rest, " ", 0);
  if (g_strv_length (fields) < 22)
    return FALSE;
  /* man proc(5): utime is field 14, stime 15, starttime 22; field n is
   * fields[n - 3] here. */
  utime = g_ascii_strtoll (fields[14 - 3], NULL, 10);
  stime = g_ascii_strtoll (fields[15 - 3], NULL, 10);
  process->start_ticks = g_ascii_strtoll (fields[22 - 3], NULL, 10);
  if (utime < 0 || stime < 0 || utime > G_MAXINT64 / 2 || stime > G_MAXINT64 / 2)
    return FALSE;
  process->cpu_ticks = utime + stime;

  process->host_uptime_s = g_ascii_strtod (uptime, NULL);

  /* "Max open files            1024                 524288               files" */
  process->fd_limit = -1;
  line = strstr (limits, "Max open files");
  if (line != NULL)
    {
      const char *soft = line + strlen ("Max open files");
      char *end;
      gint64 limit;

      while (*soft == ' ')
        soft++;
      limit = g_ascii_strtoll (soft, &end, 10);
      if (end != soft && limit > 0)
        process->fd_limit = limit;
    }
  return TRUE;
}

double
beam_os_process_cpu_percent (const BeamOsProcess *now,
                             const BeamOsProcess *before)
{
  double seconds;
  gint64 ticks;

  g_return_val_if_fail (now != NULL, -1);

  if (!now->available || now->cpu_ticks < 0)
    return -1;
  if (before != NULL && before->available && before->os_pid == now->os_pid &&
      before->start_ticks == now->start_ticks && now->sampled_ms > before->sampled_ms &&
      now->cpu_ticks >= before->cpu_ticks)
    {
      ticks = now->cpu_ticks - before->cpu_ticks;
      seconds = (now->sampled_ms - before->sampled_ms) / 1000.0;
    }
  else
    {
      ticks = now->cpu_ticks;
      seconds = now->host_uptime_s - (double) now->start_ticks / USER_HZ;
    }
  if (seconds <= 0)
    return -1;
  return 100.0 * ticks / USER_HZ / seconds;
}

static char *
dup_binary_text (const BeamTerm *term)
{
  /* The files are ASCII but for the command's name, which is beam.smp. */
  return term->kind == BEAM_TERM_BINARY ? beam_term_dup_string (term) : NULL;
}

static gpointer
decode_os_process (const BeamTerm  *reply,
                   gpointer         user_data,
                   GError         **error G_GNUC_UNUSED)
{
  BeamOsProcess *process = &((BeamSystemInfo *) user_data)->os_process;
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autofree char *pid = NULL;
  g_autofree char *stat = NULL;
  g_autofree char *status = NULL;
  g_autofree char *limits = NULL;
  g_autofree char *uptime = NULL;

  process->os_pid = process->rss = process->virtual_size = process->threads = -1;
  process->cpu_ticks = process->start_ticks = process->open_fds = process->fd_limit = -1;
  process->sampled_ms = -1;
  process->cpu_percent = -1;

  /* Absent is an answer, not an error: the rest of the page stands. */
  if (value != NULL && beam_term_tagged (value, "not_linux", 2) != NULL)
    {
      process->absent_reason = g_strdup (_("Not a Linux node: /proc is not there to read"));
      return GINT_TO_POINTER (TRUE);
    }
  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 7 ||
      (pid = dup_binary_text (value->children[0])) == NULL ||
      (stat = dup_binary_text (value->children[1])) == NULL ||
      (status = dup_binary_text (value->children[2])) == NULL ||
      (limits = dup_binary_text (value->children[3])) == NULL ||
      (uptime = dup_binary_text (value->children[4])) == NULL ||
      !beam_term_get_int64 (value->children[5], &process->open_fds) ||
      !beam_term_get_int64 (value->children[6], &process->sampled_ms) ||
      !beam_os_process_parse (process, stat, status, limits, uptime))
    {
      process->absent_reason = g_strdup (_("The node could not read /proc/self"));
      return GINT_TO_POINTER (TRUE);
    }
  process->os_pid = g_ascii_strtoll (pid, NULL, 10);
  /* Listing /proc/self/fd opened the directory: that descriptor is ours. */
  if (process->open_fds > 0)
    process->open_fds--;
  process->available = process->os_pid > 0;
  process->cpu_percent = beam_os_process_cpu_percent (process, NULL);
  process->cpu_since_start = TRUE;
  if (!process->available)
    process->absent_reason = g_strdup (_("The node could not read /proc/self"));
  return GINT_TO_POINTER (TRUE);
}

static gpointer
decode_memory (const BeamTerm  *reply,
               gpointer         user_data,
               GError         **error)
{
  BeamSystemInfo *info = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (memory_items); i++)
    {
      const BeamTerm *value = beam_term_lookup (reply, memory_items[i].key);
      if (value != NULL)
        beam_term_get_int64 (value, G_STRUCT_MEMBER_P (info, memory_items[i].offset));
    }
  if (info->memory.total < 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                   _("The node's erlang:memory() has no total"));
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

static gpointer
decode_backend (const BeamTerm  *reply,
                gpointer         user_data,
                GError         **error G_GNUC_UNUSED)
{
  BeamSystemInfo *info = user_data;

  /* code:ensure_loaded/1 answers {module, observer_backend} or {error, Why}. */
  info->has_observer_backend = beam_term_tagged (reply, "module", 2) != NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
call_done (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_task_propagate_pointer (G_TASK (result), &error) == NULL && fetch->error == NULL)
    fetch->error = error;
  else
    g_clear_error (&error);

  if (--fetch->pending > 0)
    return;

  /* The five are in: now the run queues, alone (see the top of the file). */
  if (fetch->error == NULL && fetch->info->run_queue < 0 &&
      fetch->info->run_queue_lengths->len == 0 && fetch->connection != NULL)
    {
      g_autoptr(BeamConnection) connection = g_steal_pointer (&fetch->connection);

      fetch->pending = 1;
      beam_connection_call_task_async (connection, beam_system_info_fetch_async, &(BeamCall) {
                                         .module = "erlang", .function = "statistics",
                                         .args = beam_term_new_list (1, beam_term_new_atom (
                                                                       "run_queue_lengths_all")),
                                         .decode = decode_run_queues,
                                         .decode_data = fetch->info,
                                       }, g_task_get_cancellable (task), call_done,
                                       g_object_ref (task));
      return;
    }

  if (fetch->error != NULL)
    g_task_return_error (task, g_steal_pointer (&fetch->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&fetch->info),
                           (GDestroyNotify) beam_system_info_free);
}

static void
fetch_free (Fetch *fetch)
{
  g_clear_pointer (&fetch->info, beam_system_info_free);
  g_clear_object (&fetch->connection);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

void
beam_system_info_fetch_async (BeamConnection      *connection,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *system;
  GPtrArray *statistics;
  Fetch *fetch;

  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, beam_system_info_fetch_async);
  fetch = g_new0 (Fetch, 1);
  fetch->info = system_info_new (beam_connection_get_node_name (connection));
  fetch->pending = N_CALLS;
  fetch->connection = g_object_ref (connection);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  system = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (system_items); i++)
    {
      BeamTerm *item = beam_term_new_atom (system_items[i].item);
      if (system_items[i].qualifier != NULL)
        item = beam_term_new_tuple (2, item, beam_term_new_atom (system_items[i].qualifier));
      g_ptr_array_add (system, item);
    }
  statistics = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (statistics_items); i++)
    g_ptr_array_add (statistics, beam_term_new_atom (statistics_items[i]));

  {
    const BeamCall calls[N_CALLS] = {
      { .module = "lists", .function = "map", .args = map_args ("system_info", system),
        .decode = decode_system_items, .decode_data = fetch->info },
      { .module = "lists", .function = "map", .args = map_args ("statistics", statistics),
        .decode = decode_statistics, .decode_data = fetch->info },
      { .module = "erlang", .function = "memory", .args = beam_term_new_list (0),
        .decode = decode_memory, .decode_data = fetch->info },
      { .module = "code", .function = "ensure_loaded",
        .args = beam_term_new_list (1, beam_term_new_atom ("observer_backend")),
        .decode = decode_backend, .decode_data = fetch->info },
      { .module = "erl_eval", .function = "exprs",
        .args = beam_erl_source_args ("os-process", NULL),
        .decode = decode_os_process, .decode_data = fetch->info },
    };

    for (guint i = 0; i < N_CALLS; i++)
      beam_connection_call_task_async (connection, beam_system_info_fetch_async, &calls[i],
                                       cancellable, call_done, g_object_ref (task));
  }
}

BeamSystemInfo *
beam_system_info_fetch_finish (GAsyncResult  *result,
                               GError       **error)
{
  return beam_connection_call_task_finish (result, beam_system_info_fetch_async, error);
}

/* erlang:system_info(process_limit), as a gint64 of its own. */
static gpointer
decode_process_limit (const BeamTerm  *reply,
                      gpointer         user_data G_GNUC_UNUSED,
                      GError         **error)
{
  gint64 limit;

  if (!beam_term_get_int64 (reply, &limit) || limit <= 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                   _("The node answered erlang:system_info(process_limit) with something "
                     "other than a number"));
      return NULL;
    }
  return g_memdup2 (&limit, sizeof limit);
}

void
beam_system_info_process_limit_async (BeamConnection      *connection,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  BeamTerm *item;

  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  item = beam_term_new_atom ("process_limit");
  beam_connection_call_task_async (connection, beam_system_info_process_limit_async, &(BeamCall) {
                                     .module = "erlang", .function = "system_info",
                                     .args = beam_term_new_list (1, item),
                                     .decode = decode_process_limit, .result_free = g_free,
                                   }, cancellable, callback, user_data);
}

gint64
beam_system_info_process_limit_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_autofree gint64 *limit = beam_connection_call_task_finish (result,
                                                               beam_system_info_process_limit_async,
                                                               error);

  return limit != NULL ? *limit : -1;
}

static void
add_int (JsonBuilder *builder,
         const char  *key,
         gint64       value)
{
  json_builder_set_member_name (builder, key);
  if (value < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
add_boolean (JsonBuilder *builder,
             const char  *key,
             gboolean     value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_boolean_value (builder, value);
}

JsonNode *
beam_system_info_to_json (const BeamSystemInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (info != NULL, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "node", info->node);
  add_string (builder, "otp_release", info->otp_release);
  add_string (builder, "erts_version", info->erts_version);
  add_string (builder, "system_version", info->system_version);
  add_string (builder, "system_architecture", info->system_architecture);
  add_int (builder, "uptime_ms", info->uptime_ms);
  add_int (builder, "wordsize_internal", info->wordsize_internal);
  add_int (builder, "wordsize_external", info->wordsize_external);
  add_boolean (builder, "smp_support", info->smp_support);
  add_boolean (builder, "threads", info->threads);
  add_boolean (builder, "kernel_poll", info->kernel_poll);
  add_int (builder, "thread_pool_size", info->thread_pool_size);
  add_int (builder, "logical_processors", info->logical_processors);
  add_int (builder, "logical_processors_online", info->logical_processors_online);
  add_int (builder, "logical_processors_available", info->logical_processors_available);
  add_int (builder, "schedulers", info->schedulers);
  add_int (builder, "schedulers_online", info->schedulers_online);
  add_int (builder, "dirty_cpu_schedulers", info->dirty_cpu_schedulers);
  add_int (builder, "dirty_cpu_schedulers_online", info->dirty_cpu_schedulers_online);
  add_int (builder, "dirty_io_schedulers", info->dirty_io_schedulers);
  add_int (builder, "process_count", info->process_count);
  add_int (builder, "process_limit", info->process_limit);
  add_int (builder, "atom_count", info->atom_count);
  add_int (builder, "atom_limit", info->atom_limit);
  add_int (builder, "port_count", info->port_count);
  add_int (builder, "port_limit", info->port_limit);
  add_int (builder, "ets_count", info->ets_count);
  add_int (builder, "ets_limit", info->ets_limit);
  add_int (builder, "dist_buf_busy_limit", info->dist_buf_busy_limit);
  add_int (builder, "run_queue", info->run_queue);
  add_int (builder, "run_queue_normal", info->run_queue_normal);
  add_int (builder, "run_queue_dirty_cpu", info->run_queue_dirty_cpu);
  add_int (builder, "run_queue_dirty_io", info->run_queue_dirty_io);
  json_builder_set_member_name (builder, "run_queue_lengths");
  json_builder_begin_array (builder);
  for (guint i = 0; i < info->run_queue_lengths->len; i++)
    json_builder_add_int_value (builder, g_array_index (info->run_queue_lengths, gint64, i));
  json_builder_end_array (builder);
  add_int (builder, "io_input", info->io_input);
  add_int (builder, "io_output", info->io_output);
  add_int (builder, "reductions", info->reductions);
  add_int (builder, "garbage_collections", info->garbage_collections);
  add_int (builder, "words_reclaimed", info->words_reclaimed);
  add_int (builder, "context_switches", info->context_switches);
  add_boolean (builder, "observer_backend", info->has_observer_backend);

  json_builder_set_member_name (builder, "os_process");
  if (!info->os_process.available)
    {
      json_builder_begin_object (builder);
      add_string (builder, "absent", info->os_process.absent_reason);
      json_builder_end_object (builder);
    }
  else
    {
      const BeamOsProcess *process = &info->os_process;
      double cpu = beam_os_process_cpu_percent (process, NULL);

      json_builder_begin_object (builder);
      add_int (builder, "os_pid", process->os_pid);
      add_int (builder, "rss", process->rss);
      add_int (builder, "virtual_size", process->virtual_size);
      add_int (builder, "threads", process->threads);
      add_int (builder, "cpu_ticks", process->cpu_ticks);
      json_builder_set_member_name (builder, "cpu_percent_since_start");
      if (cpu < 0)
        json_builder_add_null_value (builder);
      else
        json_builder_add_double_value (builder, cpu);
      add_int (builder, "open_fds", process->open_fds);
      add_int (builder, "fd_limit", process->fd_limit);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "memory");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (memory_items); i++)
    add_int (builder, memory_items[i].key,
             G_STRUCT_MEMBER (gint64, info, memory_items[i].offset));
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
