/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Every process of a node at one moment, as flat records: a million rows
 * take 64 MB here, not a million objects. Strings (names, initial calls,
 * current functions) are interned: a node has few distinct ones. Built on
 * the network thread, then read-only and shared by reference. */

typedef enum
{
  BEAM_PROCESS_STATUS_UNKNOWN,
  BEAM_PROCESS_STATUS_RUNNING,
  BEAM_PROCESS_STATUS_RUNNABLE,
  BEAM_PROCESS_STATUS_WAITING,
  BEAM_PROCESS_STATUS_GARBAGE_COLLECTING,
  BEAM_PROCESS_STATUS_SUSPENDED,
  BEAM_PROCESS_STATUS_EXITING,
} BeamProcessStatus;

typedef enum
{
  BEAM_PROCESS_COLUMN_PID,
  BEAM_PROCESS_COLUMN_NAME,
  BEAM_PROCESS_COLUMN_REDUCTIONS,
  BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND,
  BEAM_PROCESS_COLUMN_MEMORY,
  BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN,
  BEAM_PROCESS_COLUMN_HEAP_SIZE,
  BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE,
  BEAM_PROCESS_COLUMN_CURRENT_FUNCTION,
  BEAM_PROCESS_COLUMN_STATUS,
  BEAM_PROCESS_N_COLUMNS,
} BeamProcessColumn;

typedef struct
{
  gint64  memory;               /* bytes */
  gint64  reductions;
  gint64  heap_size;            /* words */
  gint64  total_heap_size;      /* words */
  guint32 pid_num;
  guint32 pid_serial;
  guint32 name;                 /* string id: the registered name; for a process
                                 * not registered, the label it gave itself
                                 * (proc_lib:set_label, RabbitMQ's process_name)
                                 * or 0 */
  guint32 initial_call;         /* string id: "m:f/a", proc_lib's translated */
  guint32 current_function;     /* string id: "m:f/a" */
  guint32 message_queue_len;
  float   reductions_per_second; /* since the previous table; < 0 when unknown */
  guint8  status;               /* BeamProcessStatus */
  guint8  registered;           /* `name` is a registered name */
} BeamProcessRecord;

typedef struct _BeamProcessTable BeamProcessTable;

BeamProcessTable        *beam_process_table_new              (const char             *node);
BeamProcessTable        *beam_process_table_ref              (BeamProcessTable       *self);
void                     beam_process_table_unref            (BeamProcessTable       *self);

guint                    beam_process_table_get_n_records    (const BeamProcessTable *self);
/* The node the table lists, as its name. */
const char              *beam_process_table_get_node         (const BeamProcessTable *self);
const BeamProcessRecord *beam_process_table_get_record       (const BeamProcessTable *self,
                                                              guint                   index);
const char              *beam_process_table_get_string       (const BeamProcessTable *self,
                                                              guint32                 id);
/* Ids run from 0 (the empty string) to this, excluded. */
guint                    beam_process_table_get_n_strings    (const BeamProcessTable *self);
/* Bytes this table holds, records and strings, for the memory budget. */
gsize                    beam_process_table_get_memory_size  (const BeamProcessTable *self);

/* What the Name column shows: the registered name, else the process's
 * label, else the initial call. */
const char              *beam_process_table_get_display_name (const BeamProcessTable *self,
                                                              guint                   index);
/* "<0.123.0>" into `buf` (at least 32 bytes). */
const char              *beam_process_table_format_pid       (const BeamProcessTable *self,
                                                              guint                   index,
                                                              char                   *buf);
const char              *beam_process_status_to_string       (BeamProcessStatus       status);
BeamProcessStatus        beam_process_status_from_string     (const char             *status);

/* Building (one thread at a time, before the table is shared). */
guint32                  beam_process_table_intern           (BeamProcessTable       *self,
                                                              const char             *text);
BeamProcessRecord       *beam_process_table_append           (BeamProcessTable       *self);
/* Takes back the last record appended (a slice that turned out unreadable). */
void                     beam_process_table_unappend         (BeamProcessTable       *self);
void                     beam_process_table_set_sampled_at   (BeamProcessTable       *self,
                                                              gint64                  when);
/* The node's incarnation (its pids' creation), 0 until known: rates are
 * never computed across two incarnations. */
guint32                  beam_process_table_get_creation     (const BeamProcessTable *self);
void                     beam_process_table_set_creation     (BeamProcessTable       *self,
                                                              guint32                 creation);
/* The node's word size in bytes (heap sizes are in words); 8 until known. */
guint                    beam_process_table_get_wordsize     (const BeamProcessTable *self);
void                     beam_process_table_set_wordsize     (BeamProcessTable       *self,
                                                              guint                   wordsize);
/* The pid as parsed by beam_process_info_parse_pid(): its position, or -1. */
gint                     beam_process_table_find_pid         (const BeamProcessTable *self,
                                                              guint32                 num,
                                                              guint32                 serial);
/* Fills reductions_per_second against an earlier table of the same node
 * and incarnation; against any other, they stay unknown. */
void                     beam_process_table_compute_rates    (BeamProcessTable       *self,
                                                              const BeamProcessTable *previous);

/* Record indices in the order of `column`; ties broken by pid so that the
 * order is stable from one refresh to the next. g_free() the result. */
guint32                 *beam_process_table_sort             (const BeamProcessTable *self,
                                                              BeamProcessColumn       column,
                                                              gboolean                descending);
/* The value of a numeric column, for sorting and for `top`. */
double                   beam_process_table_get_number       (const BeamProcessTable *self,
                                                              guint                   index,
                                                              BeamProcessColumn       column);

/* The playbooks. */
typedef struct
{
  guint32 index;   /* record */
  double  value;
} BeamProcessRank;

/* recon:proc_count/2: the `n` biggest by `column`, biggest first; with
 * `earlier`, recon:proc_window/3: by growth since that table (a process born
 * since counts whole). Ties by pid. */
GArray                  *beam_process_table_top              (const BeamProcessTable *self,
                                                              const BeamProcessTable *earlier,
                                                              BeamProcessColumn       column,
                                                              guint                   n);
typedef struct
{
  guint32 initial_call;  /* string id */
  guint   count;
} BeamProcessGroup;

/* Processes counted by initial call, most first. */
GArray                  *beam_process_table_group_by_initial_call (const BeamProcessTable *self);
/* The records whose current function is in `module`. */
GArray                  *beam_process_table_in_module        (const BeamProcessTable *self,
                                                              const char             *module);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamProcessTable, beam_process_table_unref)

G_END_DECLS
