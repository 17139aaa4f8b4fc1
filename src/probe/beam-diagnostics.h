/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"
#include "beam-term-printer.h"

G_BEGIN_DECLS

/* The seeds' "Common Performance Issues" as checks (programs/diagnostics.exprs):
 * each check is one bounded call on the node, run in parallel with the
 * others, that samples what it needs over `window_ms` (timer:sleep/1 on the
 * node, never a selective receive) and answers its figures, its culprits
 * (the processes, ports, tables or schedulers involved, the worst first, at
 * most `top`) and what it cost the node (the reductions of the process that
 * ran it, and the node's time). The status is decided here, against the
 * thresholds, so that the page, the CLI and the tests judge alike. */

typedef enum
{
  BEAM_CHECK_MESSAGE_QUEUE,     /* "message_queue": queues over the threshold */
  BEAM_CHECK_QUEUE_GROWTH,      /* "queue_growth": queues that grew over the window,
                                 * as recon:proc_window(message_queue_len, ...) */
  BEAM_CHECK_ATOMS,             /* "atoms": count against limit (%), the growth
                                 * over the window and the time to exhaustion */
  BEAM_CHECK_BINARY_MEMORY,     /* "binary_memory": binary against total (%) */
  BEAM_CHECK_SCHEDULERS,        /* "schedulers": utilisation over the window (%),
                                 * with the run queues */
  BEAM_CHECK_DIRTY_SCHEDULERS,  /* "dirty_schedulers": the dirty CPU ones (%) */
  BEAM_CHECK_PROCESS_LIMIT,     /* "process_limit": count against limit (%) */
  BEAM_CHECK_PORT_LIMIT,        /* "port_limit": count against limit (%) */
  BEAM_CHECK_ETS_LIMIT,         /* "ets_limit": count against limit (%) */
  BEAM_CHECK_ETS_MEMORY,        /* "ets_memory": the biggest tables; the
                                 * biggest against total memory (%) */
  BEAM_CHECK_PROCESS_MEMORY,    /* "process_memory": the biggest processes by
                                 * heap; the biggest in bytes */
  BEAM_CHECK_MEMORY_GROWTH,     /* "memory_growth": total memory over the window (%) */
  BEAM_N_CHECKS
} BeamCheck;

typedef enum
{
  BEAM_CHECK_OK,
  BEAM_CHECK_WARNING,
  BEAM_CHECK_CRITICAL,
  BEAM_CHECK_UNKNOWN,           /* the node could not be asked */
} BeamCheckStatus;

/* A finding is at `warning` or over, and `critical` or over (in the check's
 * unit: messages, %, bytes). */
typedef struct
{
  double warning;
  double critical;
} BeamThreshold;

typedef struct
{
  guint         window_ms;      /* default 1000 */
  guint         top;            /* culprits per check, default 10 */
  BeamThreshold thresholds[BEAM_N_CHECKS];
} BeamDiagnosticsOptions;

typedef enum
{
  BEAM_CULPRIT_PROCESS,
  BEAM_CULPRIT_PORT,
  BEAM_CULPRIT_TABLE,
  BEAM_CULPRIT_SCHEDULER,
} BeamCulpritKind;

typedef struct
{
  BeamCulpritKind kind;
  char           *id;           /* pid, port, table id, scheduler number: printed */
  char           *name;         /* registered or table name, or NULL */
  char           *detail;       /* e.g. a process's current function, or NULL */
  double          value;        /* in the check's unit */
  /* What beam_check_result_respell() spells `name` and `detail` from: the
   * atom's text as the node gave it, and the detail's "m:f/a" or name
   * behind `detail_prefix` (e.g. a table owner's pid, or "+8 MB"). */
  char           *raw_name;
  char           *raw_detail;
  char           *detail_prefix;
} BeamCulprit;

/* One figure as monitoring plugins print performance data:
 * 'label'=value[unit];warning;critical;min;max */
typedef struct
{
  char   *label;
  double  value;
  char   *unit;                 /* "", "%", "B", "c" (a counter) */
  double  warning, critical;    /* NAN when the figure has none */
  double  min, max;             /* NAN when unknown */
} BeamFigure;

typedef struct
{
  BeamCheck        check;
  BeamCheckStatus  status;
  char            *summary;     /* one line: "<0.123.0> my_server 43210 messages" */
  GPtrArray       *figures;     /* BeamFigure */
  GPtrArray       *culprits;    /* BeamCulprit, the worst first */
  gint64           ran_at;      /* g_get_real_time () when it answered */
  gint64           reductions;  /* what it cost the node, -1 if unknown */
  gint64           node_us;     /* the node's time for it, window included */
  /* The summary after its first culprit's pid and name, when it opens with
   * them (NULL otherwise): beam_check_result_respell() writes it again. */
  char            *finding;
} BeamCheckResult;

/* The figure's label as a person reads it, translated ("queues over the
 * threshold" for queues_over); the label itself for one it does not know. */
const char     *beam_figure_get_title            (const BeamFigure             *figure);
const char     *beam_check_to_string             (BeamCheck                     check);
/* FALSE for a name that is no check. */
gboolean        beam_check_from_string           (const char                   *name,
                                                  BeamCheck                    *out_check);
const char     *beam_check_status_to_string      (BeamCheckStatus               status);
/* The defaults: window 1000 ms, top 10, and each check's thresholds. */
void            beam_diagnostics_options_init    (BeamDiagnosticsOptions       *options);
/* "CHECK=WARNING[,CRITICAL]" as the CLI's --threshold takes it. */
gboolean        beam_diagnostics_options_parse_threshold
                                                 (BeamDiagnosticsOptions       *options,
                                                  const char                   *text,
                                                  GError                      **error);

/* Runs one check. Never fails for what the node finds: a check the node could
 * not answer gives BEAM_CHECK_UNKNOWN with the reason as its summary; the
 * task fails only when cancelled. */
void             beam_diagnostics_check_async    (BeamConnection               *connection,
                                                  BeamCheck                     check,
                                                  const BeamDiagnosticsOptions *options,
                                                  GCancellable                 *cancellable,
                                                  GAsyncReadyCallback           callback,
                                                  gpointer                      user_data);
BeamCheckResult *beam_diagnostics_check_finish   (GAsyncResult                 *result,
                                                  GError                      **error);
/* Every check at once; the result is a GPtrArray of BeamCheckResult in
 * BeamCheck order. */
void             beam_diagnostics_run_async      (BeamConnection               *connection,
                                                  const BeamDiagnosticsOptions *options,
                                                  GCancellable                 *cancellable,
                                                  GAsyncReadyCallback           callback,
                                                  gpointer                      user_data);
GPtrArray       *beam_diagnostics_run_finish     (GAsyncResult                 *result,
                                                  GError                      **error);
void             beam_check_result_free          (BeamCheckResult              *result);
/* Spells the culprits' registered names in `syntax` (beam_print_name). */
void             beam_check_result_respell       (BeamCheckResult              *result,
                                                  BeamSyntax                    syntax);

/* The worst status of `results`. */
BeamCheckStatus  beam_diagnostics_worst          (GPtrArray                    *results);
/* The monitoring plugin's first line: "BEAM CRITICAL - message_queue: <0.123.0>
 * my_server 43210 messages | 'message_queue'=43210;1000;10000;0; ..." */
char            *beam_diagnostics_plugin_summary (GPtrArray                    *results);
/* [{"check", "status", "summary", "details": {"figures": [...], "culprits":
 *   [{"kind", "id", "name", "detail", "value"}], "ran_at", "reductions",
 *   "node_us"}}] */
JsonNode        *beam_diagnostics_to_json        (GPtrArray                    *results);

/* recon:bin_leak/1: garbage-collects every process and ranks them by the
 * change in refc binaries they hold (`value`, most freed first: negative).
 * It touches every process on the node: ask first, never with --read-only. */
typedef struct
{
  char   *pid;
  gint64  value;
  char   *name;                 /* registered, or NULL */
  char   *initial_call;         /* "m:f/a", or NULL */
  char   *current_function;     /* "m:f/a", or NULL */
} BeamBinLeak;

void        beam_diagnostics_bin_leak_async      (BeamConnection               *connection,
                                                  guint                         top,
                                                  GCancellable                 *cancellable,
                                                  GAsyncReadyCallback           callback,
                                                  gpointer                      user_data);
/* A GPtrArray of BeamBinLeak, most freed first, at most `top`. */
GPtrArray  *beam_diagnostics_bin_leak_finish     (GAsyncResult                 *result,
                                                  GError                      **error);
JsonNode   *beam_bin_leak_to_json                (GPtrArray                    *leaks);
void        beam_bin_leak_free                   (BeamBinLeak                  *leak);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamCheckResult, beam_check_result_free)

G_END_DECLS
