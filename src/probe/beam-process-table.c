/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Flat process records and their interned strings. Sorting is a radix sort
 * of (key, index) pairs: a million records sort in tens of milliseconds,
 * where a comparison sort through callbacks takes hundreds. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <string.h>

#include "beam-process-table.h"

struct _BeamProcessTable
{
  gatomicrefcount    ref_count;
  char              *node;
  BeamProcessRecord *records;
  guint              n_records;
  guint              capacity;
  GStringChunk      *chunk;       /* the interned strings' bytes */
  GPtrArray         *strings;     /* id -> const char * (in chunk) */
  GHashTable        *string_ids;  /* const char * -> id + 1 */
  gsize              string_bytes;
  gint64             sampled_at;
  guint32            creation;
  guint              wordsize;
};

static const char * const status_names[] = {
  [BEAM_PROCESS_STATUS_UNKNOWN] = "unknown",
  [BEAM_PROCESS_STATUS_RUNNING] = "running",
  [BEAM_PROCESS_STATUS_RUNNABLE] = "runnable",
  [BEAM_PROCESS_STATUS_WAITING] = "waiting",
  [BEAM_PROCESS_STATUS_GARBAGE_COLLECTING] = "garbage_collecting",
  [BEAM_PROCESS_STATUS_SUSPENDED] = "suspended",
  [BEAM_PROCESS_STATUS_EXITING] = "exiting",
};

const char *
beam_process_status_to_string (BeamProcessStatus status)
{
  return status < G_N_ELEMENTS (status_names) ? status_names[status] : "unknown";
}

BeamProcessStatus
beam_process_status_from_string (const char *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (status, status_names[i]) == 0)
      return i;
  return BEAM_PROCESS_STATUS_UNKNOWN;
}

BeamProcessTable *
beam_process_table_new (const char *node)
{
  BeamProcessTable *self = g_new0 (BeamProcessTable, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->node = g_strdup (node);
  self->chunk = g_string_chunk_new (4096);
  self->strings = g_ptr_array_new ();
  self->string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  beam_process_table_intern (self, "");  /* id 0: nothing */
  self->wordsize = 8;
  return self;
}

BeamProcessTable *
beam_process_table_ref (BeamProcessTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
beam_process_table_unref (BeamProcessTable *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->node);
  g_free (self->records);
  g_string_chunk_free (self->chunk);
  g_ptr_array_unref (self->strings);
  g_hash_table_unref (self->string_ids);
  g_free (self);
}

const char *
beam_process_table_get_node (const BeamProcessTable *self)
{
  return self->node;
}

guint
beam_process_table_get_n_records (const BeamProcessTable *self)
{
  return self->n_records;
}

const BeamProcessRecord *
beam_process_table_get_record (const BeamProcessTable *self,
                               guint                   index)
{
  g_assert (index < self->n_records);
  return &self->records[index];
}

const char *
beam_process_table_get_string (const BeamProcessTable *self,
                               guint32                 id)
{
  return id < self->strings->len ? g_ptr_array_index (self->strings, id) : "";
}

guint
beam_process_table_get_n_strings (const BeamProcessTable *self)
{
  return self->strings->len;
}

void
beam_process_table_set_sampled_at (BeamProcessTable *self,
                                   gint64            when)
{
  self->sampled_at = when;
}

guint32
beam_process_table_get_creation (const BeamProcessTable *self)
{
  return self->creation;
}

void
beam_process_table_set_creation (BeamProcessTable *self,
                                 guint32           creation)
{
  self->creation = creation;
}

guint
beam_process_table_get_wordsize (const BeamProcessTable *self)
{
  return self->wordsize;
}

void
beam_process_table_set_wordsize (BeamProcessTable *self,
                                 guint             wordsize)
{
  if (wordsize == 4 || wordsize == 8)
    self->wordsize = wordsize;
}

gint
beam_process_table_find_pid (const BeamProcessTable *self,
                             guint32                 num,
                             guint32                 serial)
{
  for (guint i = 0; i < self->n_records; i++)
    if (self->records[i].pid_num == num && self->records[i].pid_serial == serial)
      return (gint) i;
  return -1;
}

gsize
beam_process_table_get_memory_size (const BeamProcessTable *self)
{
  /* Records, the string bytes, and the pool's pointer and hash entries. */
  return sizeof *self + (gsize) self->capacity * sizeof (BeamProcessRecord) +
         self->string_bytes + self->strings->len * (sizeof (gpointer) + 3 * sizeof (gpointer));
}

const char *
beam_process_table_get_display_name (const BeamProcessTable *self,
                                     guint                   index)
{
  const BeamProcessRecord *record = beam_process_table_get_record (self, index);

  return beam_process_table_get_string (self, record->name != 0 ? record->name
                                                              : record->initial_call);
}

const char *
beam_process_table_format_pid (const BeamProcessTable *self,
                               guint                   index,
                               char                   *buf)
{
  const BeamProcessRecord *record = beam_process_table_get_record (self, index);

  g_snprintf (buf, 32, "<0.%u.%u>", record->pid_num, record->pid_serial);
  return buf;
}

guint32
beam_process_table_intern (BeamProcessTable *self,
                           const char       *text)
{
  gpointer found = g_hash_table_lookup (self->string_ids, text);
  const char *copy;
  guint32 id;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  copy = g_string_chunk_insert_const (self->chunk, text);
  id = self->strings->len;
  g_ptr_array_add (self->strings, (gpointer) copy);
  g_hash_table_insert (self->string_ids, (gpointer) copy, GUINT_TO_POINTER (id + 1));
  self->string_bytes += strlen (text) + 1;
  return id;
}

BeamProcessRecord *
beam_process_table_append (BeamProcessTable *self)
{
  BeamProcessRecord *record;

  if (self->n_records == self->capacity)
    {
      self->capacity = MAX (1024, self->capacity * 2);
      self->records = g_renew (BeamProcessRecord, self->records, self->capacity);
    }
  record = &self->records[self->n_records++];
  memset (record, 0, sizeof *record);
  record->reductions_per_second = -1;
  return record;
}

void
beam_process_table_unappend (BeamProcessTable *self)
{
  g_return_if_fail (self->n_records > 0);
  self->n_records--;
}

static guint64
pid_key (const BeamProcessRecord *record)
{
  return ((guint64) record->pid_num << 32) | record->pid_serial;
}

/* A pid key (num << 32 | serial) fits a pointer on the 64-bit machines the
 * BEAM runs on. */
G_STATIC_ASSERT (sizeof (gpointer) >= sizeof (guint64));

static guint
pid_hash (gconstpointer key)
{
  guint64 pid = GPOINTER_TO_SIZE (key);

  return (guint) (pid >> 32) * 2654435761u ^ (guint) pid;
}

void
beam_process_table_compute_rates (BeamProcessTable       *self,
                                  const BeamProcessTable *previous)
{
  g_autoptr(GHashTable) before = NULL;
  double seconds;

  if (previous == NULL || previous->sampled_at <= 0 || self->sampled_at <= previous->sampled_at)
    return;
  /* A node restarted under the same name is another incarnation: its
   * reductions start again from zero, and a rate against the old ones
   * would be nonsense. */
  if (g_strcmp0 (self->node, previous->node) != 0 || self->creation != previous->creation)
    return;
  seconds = (self->sampled_at - previous->sampled_at) / (double) G_USEC_PER_SEC;

  /* Both tables list the processes in erlang:processes() order, slice by
   * slice: walk the previous one alongside, and look a pid up only where the
   * two part (a slice boundary, a process born or gone). The lookup table is
   * keyed by the pid packed into the pointer itself, and built only if needed. */
  for (guint i = 0, j = 0; i < self->n_records; i++)
    {
      BeamProcessRecord *record = &self->records[i];
      guint64 key = pid_key (record);
      const BeamProcessRecord *old = NULL;

      if (j < previous->n_records && pid_key (&previous->records[j]) == key)
        old = &previous->records[j++];
      else
        {
          guint found;

          if (before == NULL)
            {
              before = g_hash_table_new (pid_hash, g_direct_equal);
              for (guint k = 0; k < previous->n_records; k++)
                g_hash_table_insert (before,
                                     GSIZE_TO_POINTER ((gsize) pid_key (&previous->records[k])),
                                     GUINT_TO_POINTER (k + 1));
            }
          found = GPOINTER_TO_UINT (g_hash_table_lookup (before, GSIZE_TO_POINTER ((gsize) key)));
          if (found != 0)
            {
              old = &previous->records[found - 1];
              j = found;
            }
        }

      record->reductions_per_second = old != NULL
                                      ? MAX (0, record->reductions - old->reductions) / seconds
                                      : record->reductions / seconds;
    }
}

double
beam_process_table_get_number (const BeamProcessTable *self,
                               guint                   index,
                               BeamProcessColumn       column)
{
  const BeamProcessRecord *record = beam_process_table_get_record (self, index);

  switch (column)
    {
    case BEAM_PROCESS_COLUMN_REDUCTIONS:
      return record->reductions;
    case BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND:
      return record->reductions_per_second;
    case BEAM_PROCESS_COLUMN_MEMORY:
      return record->memory;
    case BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN:
      return record->message_queue_len;
    case BEAM_PROCESS_COLUMN_HEAP_SIZE:
      return record->heap_size;
    case BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE:
      return record->total_heap_size;
    case BEAM_PROCESS_COLUMN_STATUS:
      return record->status;
    case BEAM_PROCESS_COLUMN_PID:
    case BEAM_PROCESS_COLUMN_NAME:
    case BEAM_PROCESS_COLUMN_CURRENT_FUNCTION:
    case BEAM_PROCESS_N_COLUMNS:
    default:
      return 0;
    }
}

/* ---- sorting --------------------------------------------------------------- */

/* A stable LSD radix sort of `order` by `keys` (parallel arrays), 16 bits a
 * pass, skipping the passes where every key has the same digit. */
static void
radix_sort (guint64 *keys,
            guint32 *order,
            guint    n)
{
  g_autofree guint64 *keys_tmp = g_new (guint64, n);
  g_autofree guint32 *order_tmp = g_new (guint32, n);
  g_autofree guint32 *counts = g_new (guint32, 65536);

  for (guint shift = 0; shift < 64; shift += 16)
    {
      guint32 sum = 0;
      gboolean trivial;

      memset (counts, 0, 65536 * sizeof (guint32));
      for (guint i = 0; i < n; i++)
        counts[(keys[i] >> shift) & 0xffff]++;
      trivial = n == 0 || counts[(keys[0] >> shift) & 0xffff] == n;
      if (trivial)
        continue;
      for (guint d = 0; d < 65536; d++)
        {
          guint32 c = counts[d];
          counts[d] = sum;
          sum += c;
        }
      for (guint i = 0; i < n; i++)
        {
          guint32 slot = counts[(keys[i] >> shift) & 0xffff]++;
          keys_tmp[slot] = keys[i];
          order_tmp[slot] = order[i];
        }
      memcpy (keys, keys_tmp, n * sizeof (guint64));
      memcpy (order, order_tmp, n * sizeof (guint32));
    }
}

/* Order-preserving maps from values to unsigned keys. */
static guint64
int_key (gint64 value)
{
  return (guint64) value ^ G_GUINT64_CONSTANT (0x8000000000000000);
}

static guint64
float_key (float value)
{
  guint32 bits;

  memcpy (&bits, &value, sizeof bits);
  bits = (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
  return bits;
}

static int
compare_string_ids (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  GPtrArray *strings = user_data;
  const char *x = g_ptr_array_index (strings, *(const guint32 *) a);
  const char *y = g_ptr_array_index (strings, *(const guint32 *) b);

  return g_ascii_strcasecmp (x, y);
}

/* Each string id's place in alphabetical order: the pool is small, so
 * ranking it once makes a string column as cheap to sort as a number. */
static guint32 *
string_ranks (const BeamProcessTable *self)
{
  guint n = self->strings->len;
  g_autofree guint32 *ids = g_new (guint32, n);
  guint32 *ranks = g_new (guint32, n);

  for (guint i = 0; i < n; i++)
    ids[i] = i;
  g_qsort_with_data (ids, n, sizeof (guint32), compare_string_ids, self->strings);
  for (guint i = 0; i < n; i++)
    ranks[ids[i]] = i;
  return ranks;
}

guint32 *
beam_process_table_sort (const BeamProcessTable *self,
                         BeamProcessColumn       column,
                         gboolean                descending)
{
  guint n = self->n_records;
  guint32 *order = g_new (guint32, MAX (n, 1));
  g_autofree guint64 *keys = g_new (guint64, MAX (n, 1));
  g_autofree guint32 *ranks = NULL;

  /* First by pid, which also breaks every later tie the same way each time. */
  for (guint i = 0; i < n; i++)
    {
      order[i] = i;
      keys[i] = pid_key (&self->records[i]);
    }
  radix_sort (keys, order, n);
  if (column == BEAM_PROCESS_COLUMN_PID)
    {
      if (descending)
        for (guint i = 0; i < n / 2; i++)
          {
            guint32 t = order[i];
            order[i] = order[n - 1 - i];
            order[n - 1 - i] = t;
          }
      return order;
    }

  if (column == BEAM_PROCESS_COLUMN_NAME || column == BEAM_PROCESS_COLUMN_CURRENT_FUNCTION)
    ranks = string_ranks (self);

  for (guint i = 0; i < n; i++)
    {
      const BeamProcessRecord *record = &self->records[order[i]];
      guint64 key;

      switch (column)
        {
        case BEAM_PROCESS_COLUMN_NAME:
          /* Registered names first, as observer lists them; then the
           * others by label or initial call, as the column shows them. */
          key = ((guint64) !record->registered << 32) |
                ranks[record->name != 0 ? record->name : record->initial_call];
          break;
        case BEAM_PROCESS_COLUMN_CURRENT_FUNCTION:
          key = ranks[record->current_function];
          break;
        case BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND:
          key = float_key (record->reductions_per_second);
          break;
        case BEAM_PROCESS_COLUMN_STATUS:
          key = record->status;
          break;
        case BEAM_PROCESS_COLUMN_PID:
        case BEAM_PROCESS_COLUMN_REDUCTIONS:
        case BEAM_PROCESS_COLUMN_MEMORY:
        case BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN:
        case BEAM_PROCESS_COLUMN_HEAP_SIZE:
        case BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE:
        case BEAM_PROCESS_N_COLUMNS:
        default:
          key = int_key ((gint64) beam_process_table_get_number (self, order[i], column));
          break;
        }
      keys[i] = descending ? ~key : key;
    }
  radix_sort (keys, order, n);
  return order;
}

/* ---- playbooks -------------------------------------------------------------------- */

static int
compare_ranks (gconstpointer a,
               gconstpointer b)
{
  const BeamProcessRank *x = a, *y = b;

  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

GArray *
beam_process_table_top (const BeamProcessTable *self,
                        const BeamProcessTable *earlier,
                        BeamProcessColumn       column,
                        guint                   n)
{
  GArray *ranks = g_array_sized_new (FALSE, FALSE, sizeof (BeamProcessRank), self->n_records);
  g_autoptr(GHashTable) before = NULL;

  if (earlier != NULL)
    {
      before = g_hash_table_new (pid_hash, g_direct_equal);
      for (guint k = 0; k < earlier->n_records; k++)
        g_hash_table_insert (before, GSIZE_TO_POINTER ((gsize) pid_key (&earlier->records[k])),
                             GUINT_TO_POINTER (k + 1));
    }

  for (guint i = 0; i < self->n_records; i++)
    {
      BeamProcessRank rank = { i, beam_process_table_get_number (self, i, column) };

      if (before != NULL)
        {
          guint found = GPOINTER_TO_UINT (g_hash_table_lookup (before,
                                          GSIZE_TO_POINTER ((gsize) pid_key (&self->records[i]))));
          if (found != 0)
            rank.value -= beam_process_table_get_number (earlier, found - 1, column);
        }
      g_array_append_val (ranks, rank);
    }
  g_array_sort (ranks, compare_ranks);
  if (ranks->len > n)
    g_array_set_size (ranks, n);
  return ranks;
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const BeamProcessGroup *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return x->initial_call < y->initial_call ? -1 : x->initial_call > y->initial_call;
}

GArray *
beam_process_table_group_by_initial_call (const BeamProcessTable *self)
{
  g_autofree guint *counts = g_new0 (guint, MAX (self->strings->len, 1));
  GArray *groups = g_array_new (FALSE, FALSE, sizeof (BeamProcessGroup));

  for (guint i = 0; i < self->n_records; i++)
    counts[self->records[i].initial_call]++;
  for (guint id = 0; id < self->strings->len; id++)
    if (counts[id] > 0)
      {
        BeamProcessGroup group = { id, counts[id] };
        g_array_append_val (groups, group);
      }
  g_array_sort (groups, compare_groups);
  return groups;
}

GArray *
beam_process_table_in_module (const BeamProcessTable *self,
                              const char             *module)
{
  g_autofree char *prefix = g_strconcat (module, ":", NULL);
  g_autofree gboolean *in_module = g_new0 (gboolean, MAX (self->strings->len, 1));
  GArray *indices = g_array_new (FALSE, FALSE, sizeof (guint32));

  /* "m:f/a" strings of module m, found once per distinct string. */
  for (guint id = 0; id < self->strings->len; id++)
    in_module[id] = g_str_has_prefix (g_ptr_array_index (self->strings, id), prefix);
  for (guint32 i = 0; i < self->n_records; i++)
    if (in_module[self->records[i].current_function])
      g_array_append_val (indices, i);
  return indices;
}
