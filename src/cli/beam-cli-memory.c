/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's commands about memory: `memory` (erlang:memory()),
 * `alloc` (the allocators, as recon_alloc), and the memory playbook's
 * `heaps` and `binary-gc`, whose rows print through one table of columns
 * (print_rows). */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-allocators.h"
#include "beam-cli-private.h"
#include "beam-erl-expr.h"
#include "beam-memory-playbook.h"

static struct
{
  gint64 min_bytes;
  int    count;
} heaps_opts = { 1024 * 1024, 10 };

GOptionEntry _beam_cli_heaps_options[] = {
  { "min-bytes", 0, 0, G_OPTION_ARG_INT64, &heaps_opts.min_bytes,
    N_("Only heaps of at least BYTES (default 1 MiB)"), N_("BYTES") },
  { "count", 'n', 0, G_OPTION_ARG_INT, &heaps_opts.count,
    N_("How many processes (default 10)"), N_("N") },
  G_OPTION_ENTRY_NULL
};

static gboolean binary_gc_yes;

GOptionEntry _beam_cli_binary_gc_options[] = {
  { "yes", 'y', 0, G_OPTION_ARG_NONE, &binary_gc_yes,
    N_("Yes, garbage-collect every process"), NULL },
  G_OPTION_ENTRY_NULL
};

static gboolean
is_memory_list (const BeamTerm *memory)
{
  gboolean has_total = FALSE;

  if (memory->kind != BEAM_TERM_LIST || memory->v.list.improper)
    return FALSE;
  for (guint i = 0; i < memory->n_children; i++)
    {
      const BeamTerm *pair = memory->children[i];
      gint64 bytes;

      if (pair->kind != BEAM_TERM_TUPLE || pair->n_children != 2 ||
          pair->children[0]->kind != BEAM_TERM_ATOM ||
          !beam_term_get_int64 (pair->children[1], &bytes) || bytes < 0)
        return FALSE;
      has_total |= beam_term_is_atom (pair->children[0], "total");
    }
  return has_total;
}

int
_beam_cli_memory (BeamCli *cli)
{
  g_autoptr(BeamTerm) memory = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int status = 0;

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_connection_rpc_async (cli->connection, "erlang", "memory", NULL, 0, NULL,
                             _beam_cli_stash, cli);
  memory = beam_connection_rpc_finish (cli->connection, _beam_cli_wait_and_close (cli), &error);
  if (memory == NULL)
    return _beam_cli_fail (error);

  /* [{total, Bytes}, ...], every key the node has, in its order: anything
   * else (no total, a negative size, another shape) is no answer to print. */
  if (!is_memory_list (memory))
    {
      beam_erl_set_bad_reply (&error, "erlang:memory/0");
      return _beam_cli_fail (error);
    }
  json_builder_begin_object (builder);
  for (guint i = 0; i < memory->n_children; i++)
    {
      const BeamTerm *pair = memory->children[i];
      gint64 bytes;

      beam_term_get_int64 (pair->children[1], &bytes);
      if (cli->json)
        {
          json_builder_set_member_name (builder, pair->children[0]->v.atom.name);
          json_builder_add_int_value (builder, bytes);
        }
      else
        {
          g_autofree char *size = beam_format_bytes (bytes);
          _beam_cli_print_row (pair->children[0]->v.atom.name, size);
        }
    }
  json_builder_end_object (builder);
  return cli->json ? _beam_cli_print_builder (builder) : 0;
}

int
_beam_cli_alloc (BeamCli *cli)
{
  g_autoptr(BeamAllocators) allocators = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_allocators_fetch_async (cli->connection, NULL, _beam_cli_stash, cli);
  allocators = beam_allocators_fetch_finish (_beam_cli_wait_and_close (cli), &error);
  if (allocators == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = beam_allocators_to_json (allocators);
      _beam_cli_print_json (root);
      return 0;
    }

  /* Translators: column headings, in capitals, each padded to a fixed width: keep each within it,
   * or the columns below shift. Widths: ALLOCATOR 16, ALLOCATED 12, USED 12, USAGE 7, MAX 12. */
  g_print ("%-16s %12s %12s %7s %12s\n", _("ALLOCATOR"), _("ALLOCATED"), _("USED"), _("USAGE"),
           _("MAX"));
  for (guint i = 0; i <= allocators->types->len; i++)
    {
      const BeamAllocator *allocator = i < allocators->types->len
                                       ? g_ptr_array_index (allocators->types, i) : NULL;
      gint64 allocated = allocator != NULL ? allocator->allocated : allocators->allocated;
      gint64 used = allocator != NULL ? allocator->used : allocators->used;
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *allocated_text = beam_format_bytes (allocated);
      g_autofree char *used_text = beam_format_bytes (used);
      g_autofree char *max_text = beam_format_bytes (allocator != NULL ? allocator->carriers_max
                                                                        : allocators->carriers_max);
      g_autofree char *usage = g_strdup_printf ("%.1f%%", allocated > 0
                                                ? 100.0 * used / allocated : 0.0);

      _beam_cli_append_cell (line, allocator != NULL ? allocator->type : _("total"), -16);
      _beam_cli_append_cell (line, allocated_text, 12);
      _beam_cli_append_cell (line, used_text, 12);
      _beam_cli_append_cell (line, usage, 7);
      _beam_cli_append_cell (line, max_text, 12);
      g_print ("%s\n", line->str);
    }
  if (allocators->cache_calls > 0)
    {
      g_autofree char *hits = beam_format_count (allocators->cache_hits);
      g_autofree char *calls = beam_format_count (allocators->cache_calls);

      g_print (_("segment cache hit rate %.1f%% (%s of %s)\n"),
               100.0 * allocators->cache_hits / allocators->cache_calls, hits, calls);
    }
  return 0;
}

/* A column of a list of structs the CLI prints: as a JSON member, or as a
 * column of text `width` wide (negative: left-aligned). */
typedef struct
{
  const char *key;
  const char *heading;
  int         width;
  gboolean    is_text;   /* a char * member, else a gint64 */
  gboolean    is_bytes;  /* a gint64 written as a size, else as a count */
  gsize       offset;
} Column;

static const char *
text_at (const char   *row,
         const Column *column)
{
  return *(char * const *) (row + column->offset);
}

static gint64
int_at (const char   *row,
        const Column *column)
{
  return *(const gint64 *) (row + column->offset);
}

static void
print_rows (const BeamCli *cli,
            GPtrArray     *rows,
            const Column  *columns,
            guint          n_columns)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        {
          const char *row = g_ptr_array_index (rows, i);

          json_builder_begin_object (builder);
          for (guint c = 0; c < n_columns; c++)
            {
              json_builder_set_member_name (builder, columns[c].key);
              if (columns[c].is_text)
                json_builder_add_string_value (builder, text_at (row, &columns[c]));
              else
                json_builder_add_int_value (builder, int_at (row, &columns[c]));
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      _beam_cli_print_builder (builder);
      return;
    }

  for (guint c = 0; c < n_columns; c++)
    g_print ("%*s%s", columns[c].width, _(columns[c].heading), c + 1 < n_columns ? " " : "\n");
  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = g_ptr_array_index (rows, i);

      for (guint c = 0; c < n_columns; c++)
        {
          const char *end = c + 1 < n_columns ? " " : "\n";

          g_autofree char *number = NULL;
          g_autoptr(GString) cell = g_string_new (NULL);

          if (!columns[c].is_text)
            number = columns[c].is_bytes ? beam_format_bytes (int_at (row, &columns[c]))
                                         : beam_format_count (int_at (row, &columns[c]));
          _beam_cli_append_cell (cell, number != NULL ? number : text_at (row, &columns[c]),
                                 columns[c].width);
          g_string_truncate (cell, cell->len - 1);
          g_print ("%s%s", cell->str, end);
        }
    }
}

int
_beam_cli_heaps (BeamCli *cli)
{
  static const Column columns[] = {
    { "pid", N_("PID"), -16, TRUE, FALSE, G_STRUCT_OFFSET (BeamHeapMemory, pid) },
    { "registered_name", N_("NAME"), -28, TRUE, FALSE, G_STRUCT_OFFSET (BeamHeapMemory, name) },
    { "total_heap_size", N_("HEAP"), 12, FALSE, TRUE,
      G_STRUCT_OFFSET (BeamHeapMemory, heap_bytes) },
    { "memory", N_("MEMORY"), 12, FALSE, TRUE, G_STRUCT_OFFSET (BeamHeapMemory, memory) },
  };
  g_autoptr(GPtrArray) heaps = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if ((status = _beam_cli_check_count (heaps_opts.count)) != 0)
    return status;
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_memory_playbook_heaps_async (cli->connection, heaps_opts.min_bytes, heaps_opts.count,
                                    NULL, _beam_cli_stash, cli);
  heaps = beam_memory_playbook_heaps_finish (_beam_cli_wait_and_close (cli), &error);
  if (heaps == NULL)
    return _beam_cli_fail (error);
  print_rows (cli, heaps, columns, G_N_ELEMENTS (columns));
  return 0;
}

int
_beam_cli_binary_gc (BeamCli *cli)
{
  g_autofree BeamBinaryCollection *collection = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!binary_gc_yes)
    return _beam_cli_usage_error (_("binary-gc garbage-collects every process on the node; "
                                    "pass --yes to do it"));
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_memory_playbook_binary_collect_async (cli->connection, NULL, _beam_cli_stash, cli);
  collection = beam_memory_playbook_binary_collect_finish (_beam_cli_wait_and_close (cli), &error);
  if (collection == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      _beam_cli_add_int (builder, "binary_before", collection->before);
      _beam_cli_add_int (builder, "binary_after", collection->after);
      _beam_cli_add_int (builder, "processes", collection->processes);
      json_builder_end_object (builder);
      return _beam_cli_print_builder (builder);
    }
  {
    g_autofree char *before = beam_format_bytes (collection->before);
    g_autofree char *after = beam_format_bytes (collection->after);
    g_autofree char *count = beam_format_count (collection->processes);

    _beam_cli_print_row (_("binary before"), before);
    _beam_cli_print_row (_("binary after"), after);
    _beam_cli_print_row (_("processes collected"), count);
  }
  return 0;
}
