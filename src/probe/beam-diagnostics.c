/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Diagnostics page's checks (programs/diagnostics.exprs) and
 * recon:bin_leak/1 (programs/bin-leak.exprs).
 *
 * Each check is one call whose program samples what it needs on the node and
 * answers its figures, its culprits already chosen and bounded there, and
 * its cost. Whatever the node answers is judged here, on the network
 * thread: shapes and ranges checked (a reply out of range is a bad reply,
 * never a crash nor a finding), and the status decided against the
 * thresholds, so the page, the CLI and the tests judge alike. A check the
 * node could not answer (a deadline, a bad reply, the program raising) is
 * BEAM_CHECK_UNKNOWN with the reason: only a cancellation fails the task.
 *
 * Names (registered names, functions) are kept as the node gave them, to be
 * spelled in the window's syntax by beam_check_result_respell(). */

#define G_LOG_DOMAIN "beamscope-probe"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <math.h>

#include "beam-diagnostics.h"
#include "beam-erl-expr.h"
#include "beam-number-format.h"
#include "beam-scheduler-usage.h"
#include "beam-wire-error.h"

/* How much longer than its window a check may take: a check over every
 * process of a node with a million of them takes seconds. */
#define MARGIN_MS 15000
/* bin_leak collects every process, one after the other. */
#define BIN_LEAK_TIMEOUT_MS 120000
/* No node has more processes, ports or tables than this (the VM's limits
 * are below 2^27): a count over it is no node's. */
#define MAX_COUNT (G_GINT64_CONSTANT (1) << 40)

static const char *check_atoms[BEAM_N_CHECKS] = {
  [BEAM_CHECK_MESSAGE_QUEUE] = "message_queue",
  [BEAM_CHECK_QUEUE_GROWTH] = "queue_growth",
  [BEAM_CHECK_ATOMS] = "atoms",
  [BEAM_CHECK_BINARY_MEMORY] = "binary_memory",
  [BEAM_CHECK_SCHEDULERS] = "schedulers",
  [BEAM_CHECK_DIRTY_SCHEDULERS] = "dirty_schedulers",
  [BEAM_CHECK_PROCESS_LIMIT] = "process_limit",
  [BEAM_CHECK_PORT_LIMIT] = "port_limit",
  [BEAM_CHECK_ETS_LIMIT] = "ets_limit",
  [BEAM_CHECK_ETS_MEMORY] = "ets_memory",
  [BEAM_CHECK_PROCESS_MEMORY] = "process_memory",
  [BEAM_CHECK_MEMORY_GROWTH] = "memory_growth",
};

/* What a person reads for each figure's label (the label itself stays the
 * monitoring plugin's and the JSON's key). */
static const struct { const char *label; const char *title; } figure_titles[] = {
  { "message_queue", N_("longest message queue") },
  { "queues_over", N_("queues over the threshold") },
  { "queue_growth", N_("fastest queue growth") },
  { "queues_grown", N_("queues growing") },
  { "atoms", N_("atom table used") },
  { "atom_count", N_("atoms") },
  { "atom_growth", N_("atom growth") },
  { "atom_exhaustion", N_("atom table full in") },
  { "binary_memory", N_("binary memory share") },
  { "binary", N_("binary memory") },
  { "schedulers", N_("scheduler usage") },
  { "busiest_scheduler", N_("busiest scheduler") },
  { "run_queue", N_("run queues") },
  { "dirty_schedulers", N_("dirty CPU scheduler usage") },
  { "busiest_dirty_scheduler", N_("busiest dirty CPU scheduler") },
  { "dirty_cpu_run_queue", N_("dirty CPU run queue") },
  { "process_limit", N_("process limit used") },
  { "process_count", N_("processes") },
  { "port_limit", N_("port limit used") },
  { "port_count", N_("ports") },
  { "ets_limit", N_("ETS table limit used") },
  { "ets_count", N_("ETS tables") },
  { "ets_memory", N_("biggest ETS table share") },
  { "ets_biggest", N_("biggest ETS table") },
  { "memory_total", N_("total memory") },
  { "process_memory", N_("biggest process") },
  { "memory_growth", N_("memory growth") },
};

const char *
beam_figure_get_title (const BeamFigure *figure)
{
  g_return_val_if_fail (figure != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (figure_titles); i++)
    if (g_strcmp0 (figure->label, figure_titles[i].label) == 0)
      return _(figure_titles[i].title);
  return figure->label != NULL ? figure->label : "";
}

static gboolean
check_needs_window (BeamCheck check)
{
  return check == BEAM_CHECK_QUEUE_GROWTH || check == BEAM_CHECK_ATOMS ||
         check == BEAM_CHECK_SCHEDULERS || check == BEAM_CHECK_DIRTY_SCHEDULERS ||
         check == BEAM_CHECK_MEMORY_GROWTH;
}

/* Results */

static void
culprit_free (BeamCulprit *culprit)
{
  g_free (culprit->id);
  g_free (culprit->name);
  g_free (culprit->detail);
  g_free (culprit->raw_name);
  g_free (culprit->raw_detail);
  g_free (culprit->detail_prefix);
  g_free (culprit);
}

static void
figure_free (BeamFigure *figure)
{
  g_free (figure->label);
  g_free (figure->unit);
  g_free (figure);
}

void
beam_check_result_free (BeamCheckResult *result)
{
  if (result == NULL)
    return;
  g_free (result->summary);
  g_free (result->finding);
  g_clear_pointer (&result->figures, g_ptr_array_unref);
  g_clear_pointer (&result->culprits, g_ptr_array_unref);
  g_free (result);
}

static BeamCheckResult *
check_result_new (BeamCheck check)
{
  BeamCheckResult *result = g_new0 (BeamCheckResult, 1);

  result->check = check;
  result->status = BEAM_CHECK_UNKNOWN;
  result->figures = g_ptr_array_new_with_free_func ((GDestroyNotify) figure_free);
  result->culprits = g_ptr_array_new_with_free_func ((GDestroyNotify) culprit_free);
  result->reductions = -1;
  result->node_us = -1;
  return result;
}

static BeamCheckResult *
check_result_unknown (BeamCheck   check,
                      const char *reason)
{
  BeamCheckResult *result = check_result_new (check);

  result->summary = g_strdup (reason);
  result->ran_at = g_get_real_time ();
  return result;
}

static void
add_figure (BeamCheckResult *result,
            const char      *label,
            double           value,
            const char      *unit,
            double           warning,
            double           critical,
            double           min,
            double           max)
{
  BeamFigure *figure = g_new0 (BeamFigure, 1);

  figure->label = g_strdup (label);
  figure->value = value;
  figure->unit = g_strdup (unit);
  figure->warning = warning;
  figure->critical = critical;
  figure->min = min;
  figure->max = max;
  g_ptr_array_add (result->figures, figure);
}

/* The check's own figure, with its thresholds. */
static void
add_main_figure (BeamCheckResult              *result,
                 const BeamDiagnosticsOptions *options,
                 double                        value,
                 const char                   *unit,
                 double                        max)
{
  const BeamThreshold *threshold = &options->thresholds[result->check];

  add_figure (result, check_atoms[result->check], value, unit, threshold->warning,
              threshold->critical, 0, max);
}

static void
judge (BeamCheckResult              *result,
       const BeamDiagnosticsOptions *options,
       double                        value)
{
  const BeamThreshold *threshold = &options->thresholds[result->check];

  result->status = value >= threshold->critical ? BEAM_CHECK_CRITICAL
                   : value >= threshold->warning ? BEAM_CHECK_WARNING
                   : BEAM_CHECK_OK;
}

static void
culprit_spell (BeamCulprit *culprit,
               BeamSyntax   syntax)
{
  g_autofree char *detail = NULL;

  g_free (culprit->name);
  culprit->name = culprit->raw_name != NULL ? beam_print_name (culprit->raw_name, syntax) : NULL;
  if (culprit->raw_detail != NULL)
    detail = beam_print_name (culprit->raw_detail, syntax);
  g_free (culprit->detail);
  if (culprit->detail_prefix != NULL && detail != NULL)
    culprit->detail = g_strdup_printf ("%s %s", culprit->detail_prefix, detail);
  else if (culprit->detail_prefix != NULL)
    culprit->detail = g_strdup (culprit->detail_prefix);
  else
    culprit->detail = g_steal_pointer (&detail);
}

/* "<0.123.0> my_server 43210 messages": the first culprit's id and name,
 * then the finding. */
static void
spell_summary (BeamCheckResult *result)
{
  const BeamCulprit *first;

  if (result->finding == NULL || result->culprits->len == 0)
    return;
  first = result->culprits->pdata[0];
  g_free (result->summary);
  /* a named table's id is its name */
  if (first->name != NULL && g_strcmp0 (first->raw_name, first->id) != 0)
    result->summary = g_strdup_printf ("%s %s %s", first->id, first->name, result->finding);
  else
    result->summary = g_strdup_printf ("%s %s", first->id, result->finding);
}

void
beam_check_result_respell (BeamCheckResult *result,
                           BeamSyntax       syntax)
{
  g_return_if_fail (result != NULL);

  for (guint i = 0; i < result->culprits->len; i++)
    culprit_spell (result->culprits->pdata[i], syntax);
  spell_summary (result);
}

static BeamCulprit *
add_culprit (BeamCheckResult *result,
             BeamCulpritKind  kind,
             char            *id,
             const char      *raw_name,
             char            *raw_detail,
             char            *detail_prefix,
             double           value)
{
  BeamCulprit *culprit = g_new0 (BeamCulprit, 1);

  culprit->kind = kind;
  culprit->id = id;
  culprit->raw_name = g_strdup (raw_name);
  culprit->raw_detail = raw_detail;
  culprit->detail_prefix = detail_prefix;
  culprit->value = value;
  culprit_spell (culprit, BEAM_SYNTAX_ERLANG);
  g_ptr_array_add (result->culprits, culprit);
  return culprit;
}

/* Reading the reply */

static gboolean
get_count (const BeamTerm *term,
           gint64         *out_value)
{
  return beam_term_get_int64 (term, out_value) && *out_value >= 0 && *out_value <= MAX_COUNT;
}

/* Sizes in bytes or words: anything from 0 to 2^62. */
static gboolean
get_size (const BeamTerm *term,
          gint64         *out_value)
{
  return beam_term_get_int64 (term, out_value) && *out_value >= 0 &&
         *out_value <= G_MAXINT64 / 16;
}

static gboolean
get_word_size (const BeamTerm *term,
               gint64         *out_value)
{
  return beam_term_get_int64 (term, out_value) && (*out_value == 4 || *out_value == 8);
}

static const BeamTerm *
tuple_of (const BeamTerm *term,
          guint           arity)
{
  return term != NULL && term->kind == BEAM_TERM_TUPLE && term->n_children == arity ? term : NULL;
}

static gboolean
is_list (const BeamTerm *term)
{
  return term->kind == BEAM_TERM_LIST && !term->v.list.improper;
}

/* A registered name: an atom, or [] for none; NULL for anything else. */
static gboolean
get_name (const BeamTerm  *term,
          const char     **out_name)
{
  if (term->kind == BEAM_TERM_ATOM)
    {
      *out_name = term->v.atom.name;
      return TRUE;
    }
  *out_name = NULL;
  return term->kind == BEAM_TERM_LIST && term->n_children == 0;
}

/* Pid, Name, Function at `first` in `row`, as the programs describe a
 * process: a culprit, its value and what to say before its function. */
static gboolean
add_process (BeamCheckResult *result,
             const BeamTerm  *row,
             guint            first,
             double           value,
             char            *detail_prefix)
{
  g_autofree char *prefix = detail_prefix;
  const char *name;

  if (row->n_children < first + 3 || row->children[first]->kind != BEAM_TERM_PID ||
      !get_name (row->children[first + 1], &name))
    return FALSE;
  add_culprit (result, BEAM_CULPRIT_PROCESS, beam_term_print (row->children[first], NULL), name,
               beam_term_print_function (row->children[first + 2], BEAM_SYNTAX_ERLANG),
               g_steal_pointer (&prefix), value);
  return TRUE;
}

static char *
format_percent (double percent)
{
  return g_strdup_printf (percent < 10 ? "%.1f %%" : "%.0f %%", percent);
}

/* A change, signed as beam_format_bytes_change signs one: "+3.9 %", "−3.9 %". */
static char *
format_percent_change (double percent)
{
  g_autofree char *size = format_percent (fabs (percent));

  return g_strconcat (percent < 0 ? "\u2212" : "+", size, NULL);
}

static char *
format_window (gint64 us)
{
  return g_strdup_printf (_("%.1f s"), us / 1e6);
}

static double
percent_of (gint64 part,
            gint64 whole)
{
  return whole > 0 ? 100.0 * (double) part / (double) whole : 0;
}

/* {Processes, Largest, Over, [{Length, Pid, Name, Function}]} */
static gboolean
decode_message_queue (const BeamTerm               *answer,
                      const BeamDiagnosticsOptions *options,
                      BeamCheckResult              *result)
{
  gint64 processes, largest, over;
  const BeamTerm *rows;

  if (tuple_of (answer, 4) == NULL || !get_count (answer->children[0], &processes) ||
      !get_count (answer->children[1], &largest) || !get_count (answer->children[2], &over) ||
      !is_list (rows = answer->children[3]) || rows->n_children > options->top ||
      rows->n_children > over)
    return FALSE;
  for (guint i = 0; i < rows->n_children; i++)
    {
      const BeamTerm *row = tuple_of (rows->children[i], 4);
      gint64 length;

      if (row == NULL || !get_count (row->children[0], &length) || length > largest ||
          !add_process (result, row, 1, length, NULL))
        return FALSE;
    }
  judge (result, options, largest);
  add_main_figure (result, options, largest, "", NAN);
  add_figure (result, "queues_over", over, "", NAN, NAN, 0, processes);
  if (result->culprits->len > 0)
    {
      const BeamCulprit *first = result->culprits->pdata[0];
      g_autofree char *messages = beam_format_count ((gint64) first->value);

      if (over > 1)
        {
          g_autofree char *others = beam_format_count (over - 1);
          g_autofree char *head = g_strdup_printf (g_dngettext (NULL, "%s message queued",
                                                                "%s messages queued",
                                                                (gulong) first->value),
                                                   messages);

          /* Translators: the first %s is "%s messages queued" above, the second a count. */
          result->finding = g_strdup_printf (g_dngettext (NULL,
                                                          "%s; %s more queue over the threshold",
                                                          "%s; %s more queues over the threshold",
                                                          (gulong) (over - 1)),
                                             head, others);
        }
      else
        result->finding = g_strdup_printf (g_dngettext (NULL, "%s message queued",
                                                        "%s messages queued",
                                                        (gulong) first->value), messages);
      spell_summary (result);
    }
  else
    {
      g_autofree char *count = beam_format_count (largest);
      result->summary = g_strdup_printf (_("No queue over the threshold (the longest: %s)"),
                                         count);
    }
  return TRUE;
}

/* {Processes, WindowUs, Grown, [{Delta, Value, Pid, Name, Function}]}, the
 * Growth of programs/diagnostics.exprs; its values are counts (queues) or
 * bytes (memory). */
static gboolean
decode_growth_rows (const BeamTerm               *answer,
                    const BeamDiagnosticsOptions *options,
                    BeamCheckResult              *result,
                    gboolean                      bytes,
                    gint64                        whole,
                    gint64                       *out_window_us,
                    gint64                       *out_grown,
                    gint64                       *out_largest)
{
  gint64 processes;
  const BeamTerm *rows;

  *out_largest = 0;
  if (tuple_of (answer, 4) == NULL || !get_count (answer->children[0], &processes) ||
      !get_size (answer->children[1], out_window_us) ||
      !get_count (answer->children[2], out_grown) || *out_grown > processes ||
      !is_list (rows = answer->children[3]) || rows->n_children > options->top ||
      rows->n_children > *out_grown)
    return FALSE;
  for (guint i = 0; i < rows->n_children; i++)
    {
      const BeamTerm *row = tuple_of (rows->children[i], 5);
      gint64 delta, value;
      char *prefix;

      if (row == NULL || !get_size (row->children[0], &delta) || delta == 0 ||
          !get_size (row->children[1], &value) || delta > value)
        return FALSE;
      if (bytes)
        {
          g_autofree char *grew = beam_format_bytes_change (delta);
          g_autofree char *now = beam_format_bytes (value);
          prefix = g_strdup_printf (_("%s, now %s,"), grew, now);
        }
      else
        {
          g_autofree char *grew = beam_format_count_change (delta);
          g_autofree char *now = beam_format_count (value);
          prefix = g_strdup_printf (_("%s, now %s,"), grew, now);
        }
      if (!add_process (result, row, 2, bytes ? percent_of (delta, whole) : (double) delta,
                        prefix))
        return FALSE;
      *out_largest = MAX (*out_largest, delta);
    }
  return TRUE;
}

static gboolean
decode_queue_growth (const BeamTerm               *answer,
                     const BeamDiagnosticsOptions *options,
                     BeamCheckResult              *result)
{
  gint64 window_us, grown, largest;
  g_autofree char *window = NULL;

  if (!decode_growth_rows (answer, options, result, FALSE, 0, &window_us, &grown, &largest))
    return FALSE;
  window = format_window (window_us);
  judge (result, options, largest);
  add_main_figure (result, options, largest, "", NAN);
  add_figure (result, "queues_grown", grown, "", NAN, NAN, 0, NAN);
  if (result->culprits->len > 0)
    {
      const BeamCulprit *first = result->culprits->pdata[0];
      g_autofree char *delta = beam_format_count_change ((gint64) first->value);

      /* Translators: "+120 messages in 10 s": how much a queue grew over the window. */
      result->finding = g_strdup_printf (g_dngettext (NULL, "%s message in %s",
                                                      "%s messages in %s",
                                                      (gulong) fabs (first->value)),
                                         delta, window);
      spell_summary (result);
    }
  else
    result->summary = g_strdup_printf (_("No queue grew in %s"), window);
  return TRUE;
}

/* {Count0, Count1, Limit, WindowUs} */
static gboolean
decode_atoms (const BeamTerm               *answer,
              const BeamDiagnosticsOptions *options,
              BeamCheckResult              *result)
{
  gint64 count0, count1, limit, window_us;
  double percent, rate = 0;
  g_autofree char *count = NULL, *of = NULL, *share = NULL;

  if (tuple_of (answer, 4) == NULL || !get_count (answer->children[0], &count0) ||
      !get_count (answer->children[1], &count1) || !get_count (answer->children[2], &limit) ||
      !get_size (answer->children[3], &window_us) || limit == 0 || count1 > limit ||
      count0 > count1)
    return FALSE;
  percent = percent_of (count1, limit);
  if (window_us > 0)
    rate = (double) (count1 - count0) * 1e6 / (double) window_us;
  judge (result, options, percent);
  add_main_figure (result, options, percent, "%", 100);
  add_figure (result, "atom_count", count1, "", NAN, NAN, 0, limit);
  add_figure (result, "atom_growth", rate, "", NAN, NAN, NAN, NAN);
  count = beam_format_count (count1);
  of = beam_format_count (limit);
  share = format_percent (percent);
  if (rate > 0)
    {
      double seconds = (double) (limit - count1) / rate;
      g_autofree char *eta = seconds < 120 ? g_strdup_printf (_("%.0f s"), seconds)
                             : seconds < 7200 ? g_strdup_printf (_("%.0f min"), seconds / 60)
                             : g_strdup_printf (_("%.0f h"), seconds / 3600);

      add_figure (result, "atom_exhaustion", seconds, "s", NAN, NAN, 0, NAN);
      result->summary = g_strdup_printf (g_dngettext (NULL,
                                                      "%s of %s atom (%s), growing %.0f/s: full "
                                                      "in %s",
                                                      "%s of %s atoms (%s), growing %.0f/s: full "
                                                      "in %s", (gulong) limit),
                                         count, of, share, rate, eta);
    }
  else
    result->summary = g_strdup_printf (g_dngettext (NULL, "%s of %s atom (%s), not growing",
                                                    "%s of %s atoms (%s), not growing",
                                                    (gulong) limit), count, of, share);
  return TRUE;
}

/* {Binary, Total} */
static gboolean
decode_binary_memory (const BeamTerm               *answer,
                      const BeamDiagnosticsOptions *options,
                      BeamCheckResult              *result)
{
  gint64 binary, total;
  double percent;
  g_autofree char *bytes = NULL, *of = NULL, *share = NULL;

  if (tuple_of (answer, 2) == NULL || !get_size (answer->children[0], &binary) ||
      !get_size (answer->children[1], &total) || total == 0 || binary > total)
    return FALSE;
  percent = percent_of (binary, total);
  judge (result, options, percent);
  add_main_figure (result, options, percent, "%", 100);
  add_figure (result, "binary", binary, "B", NAN, NAN, 0, total);
  bytes = beam_format_bytes (binary);
  of = beam_format_bytes (total);
  share = format_percent (percent);
  result->summary = g_strdup_printf (_("Binaries hold %s of %s (%s)"), bytes, of, share);
  return TRUE;
}

/* Indexes one sample's {Id, Active, Total} by id, as beam-scheduler-usage.c
 * does: at most n_ids entries, each id once. */
static gboolean
index_wall_times (const BeamTerm  *samples,
                  gint64           n_ids,
                  const BeamTerm **by_id)
{
  if (!is_list (samples) || samples->n_children > n_ids)
    return FALSE;
  for (guint i = 0; i < samples->n_children; i++)
    {
      const BeamTerm *sample = tuple_of (samples->children[i], 3);
      gint64 id;

      if (sample == NULL || !beam_term_get_int64 (sample->children[0], &id) || id < 1 ||
          id > n_ids || by_id[id] != NULL)
        return FALSE;
      by_id[id] = sample;
    }
  return TRUE;
}

static gint
compare_culprit_values (gconstpointer a,
                        gconstpointer b)
{
  const BeamCulprit *x = *(BeamCulprit * const *) a, *y = *(BeamCulprit * const *) b;

  return (x->value < y->value) - (x->value > y->value);
}

/* {S0, S1, WindowUs, Schedulers, DirtyCpu, DirtyIo, RunQueues} */
static gboolean
decode_schedulers (const BeamTerm               *answer,
                   const BeamDiagnosticsOptions *options,
                   BeamCheckResult              *result)
{
  gboolean dirty = result->check == BEAM_CHECK_DIRTY_SCHEDULERS;
  gint64 window_us, schedulers, dirty_cpu, dirty_io, n_ids, first, last;
  gint64 run_queue = 0, dirty_run_queue = -1;
  g_autofree const BeamTerm **before = NULL;
  g_autofree const BeamTerm **after = NULL;
  g_autofree char *window = NULL, *share = NULL;
  const BeamTerm *queues;
  double sum = 0, busiest = 0;
  guint measured = 0;

  if (tuple_of (answer, 7) == NULL || !get_size (answer->children[2], &window_us) ||
      !get_count (answer->children[3], &schedulers) ||
      !get_count (answer->children[4], &dirty_cpu) ||
      !get_count (answer->children[5], &dirty_io) || schedulers < 1 ||
      schedulers > BEAM_SCHEDULER_USAGE_MAX_SCHEDULERS ||
      dirty_cpu > BEAM_SCHEDULER_USAGE_MAX_SCHEDULERS ||
      dirty_io > BEAM_SCHEDULER_USAGE_MAX_SCHEDULERS)
    return FALSE;
  n_ids = schedulers + dirty_cpu + dirty_io;
  before = g_new0 (const BeamTerm *, n_ids + 1);
  after = g_new0 (const BeamTerm *, n_ids + 1);
  if (!index_wall_times (answer->children[0], n_ids, before) ||
      !index_wall_times (answer->children[1], n_ids, after))
    return FALSE;

  /* statistics(run_queue_lengths_all): the normal schedulers' queues, then
   * the dirty CPU one and the dirty IO one */
  queues = answer->children[6];
  if (!is_list (queues) || queues->n_children > (guint) schedulers + 2)
    return FALSE;
  for (guint i = 0; i < queues->n_children; i++)
    {
      gint64 length;

      if (!get_count (queues->children[i], &length))
        return FALSE;
      if (i < schedulers)
        run_queue += length;
      else if (i == schedulers)
        dirty_run_queue = length;
    }

  first = dirty ? schedulers + 1 : 1;
  last = dirty ? schedulers + dirty_cpu : schedulers;
  for (gint64 id = first; id <= last; id++)
    {
      gint64 active0, total0, active1, total1;
      double usage;

      if (before[id] == NULL || after[id] == NULL)
        continue;
      beam_term_get_int64 (before[id]->children[1], &active0);
      beam_term_get_int64 (before[id]->children[2], &total0);
      beam_term_get_int64 (after[id]->children[1], &active1);
      beam_term_get_int64 (after[id]->children[2], &total1);
      if (!beam_scheduler_usage_between (active0, total0, active1, total1, &usage))
        return FALSE;
      usage *= 100;
      sum += usage;
      busiest = MAX (busiest, usage);
      measured++;
      add_culprit (result, BEAM_CULPRIT_SCHEDULER, g_strdup_printf ("%" G_GINT64_FORMAT, id),
                   NULL, NULL, g_strdup (dirty ? _("dirty CPU scheduler") : _("scheduler")),
                   usage);
    }
  g_ptr_array_sort (result->culprits, compare_culprit_values);
  if (result->culprits->len > options->top)
    g_ptr_array_set_size (result->culprits, options->top);

  window = format_window (window_us);
  if (measured == 0)
    {
      result->status = dirty && dirty_cpu == 0 ? BEAM_CHECK_OK : BEAM_CHECK_UNKNOWN;
      result->summary = g_strdup (dirty && dirty_cpu == 0
                                  ? _("The node has no dirty CPU schedulers")
                                  : _("The node gave no scheduler wall times"));
      return TRUE;
    }
  judge (result, options, sum / measured);
  add_main_figure (result, options, sum / measured, "%", 100);
  add_figure (result, dirty ? "busiest_dirty_scheduler" : "busiest_scheduler", busiest, "%",
              NAN, NAN, 0, 100);
  share = format_percent (sum / measured);
  if (dirty)
    {
      add_figure (result, "dirty_cpu_run_queue", MAX (dirty_run_queue, 0), "", NAN, NAN, 0, NAN);
      /* Translators: "4 dirty CPU schedulers 12 % busy over 10 s, run queue 3". */
      result->summary = g_strdup_printf (g_dngettext (NULL, "%u dirty CPU scheduler %s busy over "
                                                      "%s, run queue %" PRId64,
                                                      "%u dirty CPU schedulers %s busy over "
                                                      "%s, run queue %" PRId64, measured),
                                         measured, share, window, MAX (dirty_run_queue, 0));
    }
  else
    {
      g_autofree char *top = format_percent (busiest);

      add_figure (result, "run_queue", run_queue, "", NAN, NAN, 0, NAN);
      /* Translators: "8 schedulers 40 % busy over 10 s (the busiest 95 %), run queues 2". */
      result->summary = g_strdup_printf (g_dngettext (NULL, "%u scheduler %s busy over %s (the "
                                                      "busiest %s), run queues %" PRId64,
                                                      "%u schedulers %s busy over %s (the "
                                                      "busiest %s), run queues %" PRId64,
                                                      measured),
                                         measured, share, window, top, run_queue);
    }
  return TRUE;
}

/* {Count, Limit} */
static gboolean
decode_limit (const BeamTerm               *answer,
              const BeamDiagnosticsOptions *options,
              BeamCheckResult              *result)
{
  static const char *labels[] = { "process_count", "port_count", "ets_count" };
  guint kind = result->check - BEAM_CHECK_PROCESS_LIMIT;
  gint64 count, limit;
  double percent;
  g_autofree char *counted = NULL, *of = NULL, *share = NULL;

  if (tuple_of (answer, 2) == NULL || !get_count (answer->children[0], &count) ||
      !get_count (answer->children[1], &limit) || limit == 0)
    return FALSE;
  /* ets_limit is a soft one that the node may exceed */
  percent = percent_of (count, limit);
  judge (result, options, percent);
  add_main_figure (result, options, percent, "%", NAN);
  add_figure (result, labels[kind], count, "", NAN, NAN, 0, limit);
  counted = beam_format_count (count);
  of = beam_format_count (limit);
  share = format_percent (percent);
  /* Translators: "1,234 of 262,144 processes (0.5 %)": a count against its limit. */
  result->summary = g_strdup_printf (kind == 0 ? g_dngettext (NULL, "%s of %s process (%s)",
                                                              "%s of %s processes (%s)",
                                                              (gulong) limit)
                                     : kind == 1 ? g_dngettext (NULL, "%s of %s port (%s)",
                                                                "%s of %s ports (%s)",
                                                                (gulong) limit)
                                     : g_dngettext (NULL, "%s of %s ETS table (%s)",
                                                    "%s of %s ETS tables (%s)", (gulong) limit),
                                     counted, of, share);
  return TRUE;
}

/* {WordSize, Total, Tables, [{Words, Table, Name, Owner, OwnerName}]} */
static gboolean
decode_ets_memory (const BeamTerm               *answer,
                   const BeamDiagnosticsOptions *options,
                   BeamCheckResult              *result)
{
  gint64 word_size, total, tables, biggest = 0;
  const BeamTerm *rows;
  double percent;

  if (tuple_of (answer, 4) == NULL || !get_word_size (answer->children[0], &word_size) ||
      !get_size (answer->children[1], &total) || !get_count (answer->children[2], &tables) ||
      total == 0 || !is_list (rows = answer->children[3]) || rows->n_children > options->top ||
      rows->n_children > tables)
    return FALSE;
  for (guint i = 0; i < rows->n_children; i++)
    {
      const BeamTerm *row = tuple_of (rows->children[i], 5);
      g_autofree char *owner = NULL, *bytes_text = NULL;
      const char *owner_name;
      gint64 words, bytes;

      if (row == NULL || !get_size (row->children[0], &words) || words > total / word_size ||
          (row->children[1]->kind != BEAM_TERM_ATOM &&
           row->children[1]->kind != BEAM_TERM_REFERENCE &&
           row->children[1]->kind != BEAM_TERM_INTEGER) ||
          row->children[2]->kind != BEAM_TERM_ATOM || row->children[3]->kind != BEAM_TERM_PID ||
          !get_name (row->children[4], &owner_name))
        return FALSE;
      bytes = words * word_size;
      biggest = MAX (biggest, bytes);
      owner = beam_term_print (row->children[3], NULL);
      bytes_text = beam_format_bytes (bytes);
      add_culprit (result, BEAM_CULPRIT_TABLE, beam_term_print (row->children[1], NULL),
                             row->children[2]->v.atom.name,
                             owner_name != NULL ? g_strdup (owner_name) : NULL,
                             g_strdup_printf (_("%s, owned by %s"), bytes_text, owner),
                             percent_of (bytes, total));
    }
  percent = percent_of (biggest, total);
  judge (result, options, percent);
  add_main_figure (result, options, percent, "%", 100);
  add_figure (result, "ets_biggest", biggest, "B", NAN, NAN, 0, total);
  if (result->culprits->len > 0)
    {
      g_autofree char *bytes = beam_format_bytes (biggest);
      g_autofree char *share = format_percent (percent);

      result->finding = g_strdup_printf (_("%s, %s of the node's memory"), bytes, share);
      spell_summary (result);
    }
  else
    result->summary = g_strdup (_("No ETS tables"));
  return TRUE;
}

/* {WordSize, Processes, [{Words, Pid, Name, Function}]} */
static gboolean
decode_process_memory (const BeamTerm               *answer,
                       const BeamDiagnosticsOptions *options,
                       BeamCheckResult              *result)
{
  gint64 word_size, processes, biggest = 0;
  const BeamTerm *rows;

  if (tuple_of (answer, 3) == NULL || !get_word_size (answer->children[0], &word_size) ||
      !get_count (answer->children[1], &processes) || !is_list (rows = answer->children[2]) ||
      rows->n_children > options->top || rows->n_children > processes)
    return FALSE;
  for (guint i = 0; i < rows->n_children; i++)
    {
      const BeamTerm *row = tuple_of (rows->children[i], 4);
      gint64 words;

      if (row == NULL || !get_size (row->children[0], &words) || words > G_MAXINT64 / 16 / 8 ||
          !add_process (result, row, 1, (double) (words * word_size), NULL))
        return FALSE;
      biggest = MAX (biggest, words * word_size);
    }
  judge (result, options, biggest);
  add_main_figure (result, options, biggest, "B", NAN);
  if (result->culprits->len > 0)
    {
      g_autofree char *bytes = beam_format_bytes (biggest);

      result->finding = g_strdup_printf (_("heap %s"), bytes);
      spell_summary (result);
    }
  else
    result->summary = g_strdup (_("No processes"));
  return TRUE;
}

/* {Total0, Total1, Growth}, Growth as queue_growth's answer */
static gboolean
decode_memory_growth (const BeamTerm               *answer,
                      const BeamDiagnosticsOptions *options,
                      BeamCheckResult              *result)
{
  gint64 total0, total1, window_us, grown, largest;
  g_autofree char *change = NULL, *window = NULL, *share = NULL;
  double percent;

  if (tuple_of (answer, 3) == NULL || !get_size (answer->children[0], &total0) ||
      !get_size (answer->children[1], &total1) || total0 == 0 ||
      !decode_growth_rows (answer->children[2], options, result, TRUE, total0, &window_us,
                           &grown, &largest))
    return FALSE;
  percent = percent_of (total1 - total0, total0);
  judge (result, options, percent);
  add_main_figure (result, options, percent, "%", NAN);
  add_figure (result, "memory_total", total1, "B", NAN, NAN, 0, NAN);
  change = beam_format_bytes_change (total1 - total0);
  window = format_window (options->window_ms * G_GINT64_CONSTANT (1000));
  share = format_percent_change (percent);
  if (result->culprits->len > 0 && total1 > total0)
    {
      result->finding = g_strdup_printf (_("grew the most; memory %s (%s) in %s"), change,
                                         share, window);
      spell_summary (result);
    }
  else
    result->summary = g_strdup_printf (_("Memory %s (%s) in %s"), change, share, window);
  return TRUE;
}

typedef gboolean (*CheckDecodeFunc) (const BeamTerm               *answer,
                                     const BeamDiagnosticsOptions *options,
                                     BeamCheckResult              *result);

static const CheckDecodeFunc check_decoders[BEAM_N_CHECKS] = {
  [BEAM_CHECK_MESSAGE_QUEUE] = decode_message_queue,
  [BEAM_CHECK_QUEUE_GROWTH] = decode_queue_growth,
  [BEAM_CHECK_ATOMS] = decode_atoms,
  [BEAM_CHECK_BINARY_MEMORY] = decode_binary_memory,
  [BEAM_CHECK_SCHEDULERS] = decode_schedulers,
  [BEAM_CHECK_DIRTY_SCHEDULERS] = decode_schedulers,
  [BEAM_CHECK_PROCESS_LIMIT] = decode_limit,
  [BEAM_CHECK_PORT_LIMIT] = decode_limit,
  [BEAM_CHECK_ETS_LIMIT] = decode_limit,
  [BEAM_CHECK_ETS_MEMORY] = decode_ets_memory,
  [BEAM_CHECK_PROCESS_MEMORY] = decode_process_memory,
  [BEAM_CHECK_MEMORY_GROWTH] = decode_memory_growth,
};

/* One call: one check, or message_queue and queue_growth `paired` in the
 * call "queues", from one sample of every queue (a full run asks them so). */
typedef struct
{
  BeamCheck              check;
  gboolean               paired;
  BeamDiagnosticsOptions options;
} CheckRequest;

static const char *
program_of (BeamCheck check)
{
  switch ((int) check)
    {
    case BEAM_CHECK_MESSAGE_QUEUE:
    case BEAM_CHECK_QUEUE_GROWTH:
    case BEAM_CHECK_PROCESS_MEMORY:
    case BEAM_CHECK_MEMORY_GROWTH:
      return "diagnostics-processes";
    case BEAM_CHECK_SCHEDULERS:
    case BEAM_CHECK_DIRTY_SCHEDULERS:
      return "diagnostics-schedulers";
    default:
      return "diagnostics";
    }
}

static gboolean
decode_answer (const BeamTerm     *answer,
               const CheckRequest *request,
               BeamCheck           check,
               gint64              reductions,
               gint64              node_us,
               GPtrArray          *results)
{
  g_autoptr(BeamCheckResult) result = check_result_new (check);

  if (!check_decoders[check] (answer, &request->options, result))
    return FALSE;
  result->reductions = reductions;
  result->node_us = node_us;
  result->ran_at = g_get_real_time ();
  g_ptr_array_add (results, g_steal_pointer (&result));
  return TRUE;
}

/* {Check, Reductions, NodeUs, Answer}; for the pair, Answer is
 * {MessageQueue, Reductions1, NodeUs1, QueueGrowth}, the first check's cost
 * when it was ready. A GPtrArray of the call's BeamCheckResults. */
static gpointer
decode_check (const BeamTerm  *reply,
              gpointer         user_data,
              GError         **error)
{
  const CheckRequest *request = user_data;
  const BeamTerm *value = tuple_of (beam_erl_eval_value (reply), 4);
  const char *name = request->paired ? "queues" : check_atoms[request->check];
  g_autoptr(GPtrArray) results = NULL;
  gint64 reductions, node_us, reductions1, node_us1;
  const BeamTerm *pair;

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_check_result_free);
  if (value == NULL || !beam_term_is_atom (value->children[0], name) ||
      !get_size (value->children[1], &reductions) || !get_size (value->children[2], &node_us))
    goto bad;
  if (!request->paired)
    {
      if (!decode_answer (value->children[3], request, request->check, reductions, node_us,
                          results))
        goto bad;
      return g_steal_pointer (&results);
    }
  if ((pair = tuple_of (value->children[3], 4)) == NULL ||
      !get_size (pair->children[1], &reductions1) || reductions1 > reductions ||
      !get_size (pair->children[2], &node_us1) || node_us1 > node_us ||
      !decode_answer (pair->children[0], request, BEAM_CHECK_MESSAGE_QUEUE, reductions1,
                      node_us1, results) ||
      !decode_answer (pair->children[3], request, BEAM_CHECK_QUEUE_GROWTH,
                      reductions - reductions1, node_us - node_us1, results))
    goto bad;
  return g_steal_pointer (&results);

bad:
  beam_erl_set_bad_reply (error, name);
  return NULL;
}

static BeamTerm *
check_program (const CheckRequest *request)
{
  const BeamDiagnosticsOptions *options = &request->options;
  double threshold = options->thresholds[request->check].warning;

  /* message_queue: the length that makes a culprit; memory_growth: the
   * growth (%) that makes it ask every process; no other check uses it */
  threshold = isfinite (threshold) ? CLAMP (threshold, 0, 1e15) : 1e15;
  return beam_erl_source_args (program_of (request->check),
                               "Check", beam_term_new_atom (request->paired ? "queues"
                                                            : check_atoms[request->check]),
                               "Window", beam_term_new_integer (options->window_ms),
                               "Top", beam_term_new_integer (options->top),
                               "Threshold", beam_term_new_integer ((gint64) ceil (threshold)),
                               "Reply", beam_term_new_reply_pid (),
                               NULL);
}

static void
start_call (BeamConnection      *connection,
            const CheckRequest  *request,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  guint window_ms = check_needs_window (request->check) || request->paired
                    ? request->options.window_ms : 0;

  /* a second window to find the processes that grew, when memory did */
  if (request->check == BEAM_CHECK_MEMORY_GROWTH)
    window_ms *= 2;
  beam_connection_call_async (connection, &(BeamCall) {
                                .module = "erl_eval", .function = "exprs",
                                .args = check_program (request),
                                .timeout_ms = window_ms + MARGIN_MS,
                                .interval_ms = window_ms,
                                .decode = decode_check,
                                .decode_data = g_memdup2 (request, sizeof *request),
                                .decode_data_free = g_free,
                                .result_free = (GDestroyNotify) g_ptr_array_unref,
                              }, cancellable, callback, user_data);
}

/* The results of a call started by start_call(), or, when the node could
 * not answer, UNKNOWN ones with the reason for the checks it asked; NULL
 * only when cancelled. */
static GPtrArray *
finish_call (GObject             *source,
             GAsyncResult        *result,
             const CheckRequest  *request,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  GPtrArray *results;

  results = beam_connection_call_finish (BEAM_CONNECTION (source), result, &local_error);
  if (results != NULL)
    return results;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_check_result_free);
  g_ptr_array_add (results, check_result_unknown (request->check, local_error->message));
  if (request->paired)
    g_ptr_array_add (results, check_result_unknown (BEAM_CHECK_QUEUE_GROWTH,
                                                    local_error->message));
  return results;
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) results = NULL;
  GError *error = NULL;

  results = finish_call (source, result, g_task_get_task_data (task),
                         g_task_get_cancellable (task), &error);
  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_ptr_array_steal_index (results, 0),
                           (GDestroyNotify) beam_check_result_free);
}

static CheckRequest *
check_request_new (BeamCheck                     check,
                   gboolean                      paired,
                   const BeamDiagnosticsOptions *options)
{
  CheckRequest *request = g_new (CheckRequest, 1);

  request->check = check;
  request->paired = paired;
  request->options = *options;
  request->options.top = CLAMP (request->options.top, 1, 1000);
  return request;
}

void
beam_diagnostics_check_async (BeamConnection               *connection,
                              BeamCheck                     check,
                              const BeamDiagnosticsOptions *options,
                              GCancellable                 *cancellable,
                              GAsyncReadyCallback           callback,
                              gpointer                      user_data)
{
  GTask *task;
  CheckRequest *request;

  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (check < BEAM_N_CHECKS);
  g_return_if_fail (options != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, beam_diagnostics_check_async);
  request = check_request_new (check, FALSE, options);
  g_task_set_task_data (task, request, g_free);
  start_call (connection, request, cancellable, check_done, task);
}

BeamCheckResult *
beam_diagnostics_check_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == beam_diagnostics_check_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Every check at once */

typedef struct
{
  GPtrArray *results;   /* BEAM_N_CHECKS slots, filled as they answer */
  guint      pending;
  GError    *error;     /* the first cancellation */
} RunState;

static void
run_state_free (RunState *state)
{
  g_ptr_array_unref (state->results);
  g_clear_error (&state->error);
  g_free (state);
}

typedef struct
{
  GTask        *task;
  CheckRequest *request;
} RunSlot;

static void
run_call_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  RunSlot *slot = user_data;
  g_autoptr(GTask) task = slot->task;
  g_autofree CheckRequest *request = slot->request;
  RunState *state = g_task_get_task_data (task);
  g_autoptr(GPtrArray) results = NULL;
  GError *error = NULL;

  g_free (slot);
  results = finish_call (source, result, request, g_task_get_cancellable (task), &error);
  if (results == NULL)
    {
      if (state->error == NULL)
        state->error = error;
      else
        g_error_free (error);
    }
  else
    while (results->len > 0)
      {
        BeamCheckResult *check_result = g_ptr_array_steal_index (results, 0);

        g_assert (state->results->pdata[check_result->check] == NULL);
        state->results->pdata[check_result->check] = check_result;
      }

  if (--state->pending > 0)
    return;
  if (state->error != NULL)
    g_task_return_error (task, g_steal_pointer (&state->error));
  else
    g_task_return_pointer (task, g_ptr_array_ref (state->results),
                           (GDestroyNotify) g_ptr_array_unref);
}

void
beam_diagnostics_run_async (BeamConnection               *connection,
                            const BeamDiagnosticsOptions *options,
                            GCancellable                 *cancellable,
                            GAsyncReadyCallback           callback,
                            gpointer                      user_data)
{
  g_autoptr(GTask) task = NULL;
  RunState *state;

  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (options != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, beam_diagnostics_run_async);
  state = g_new0 (RunState, 1);
  state->results = g_ptr_array_new_full (BEAM_N_CHECKS, (GDestroyNotify) beam_check_result_free);
  g_ptr_array_set_size (state->results, BEAM_N_CHECKS);
  g_task_set_task_data (task, state, (GDestroyNotify) run_state_free);

  /* one call per check, but message_queue and queue_growth share one */
  state->pending = BEAM_N_CHECKS - 1;
  for (guint check = 0; check < BEAM_N_CHECKS; check++)
    {
      RunSlot *slot;

      if (check == BEAM_CHECK_QUEUE_GROWTH)
        continue;
      slot = g_new (RunSlot, 1);
      slot->task = g_object_ref (task);
      slot->request = check_request_new (check, check == BEAM_CHECK_MESSAGE_QUEUE, options);
      start_call (connection, slot->request, cancellable, run_call_done, slot);
    }
}

GPtrArray *
beam_diagnostics_run_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == beam_diagnostics_run_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* bin_leak */

void
beam_bin_leak_free (BeamBinLeak *leak)
{
  if (leak == NULL)
    return;
  g_free (leak->pid);
  g_free (leak->name);
  g_free (leak->initial_call);
  g_free (leak->current_function);
  g_free (leak);
}

/* {Reductions, NodeUs, Processes, [{Delta, Pid, Name, InitialCall, CurrentFunction}]} */
static gpointer
decode_bin_leak (const BeamTerm  *reply,
                 gpointer         user_data,
                 GError         **error)
{
  guint top = GPOINTER_TO_UINT (user_data);
  const BeamTerm *value = tuple_of (beam_erl_eval_value (reply), 4);
  g_autoptr(GPtrArray) leaks = NULL;
  gint64 reductions, node_us, processes, previous = G_MININT64;
  const BeamTerm *rows;

  if (value == NULL || !get_size (value->children[0], &reductions) ||
      !get_size (value->children[1], &node_us) || !get_count (value->children[2], &processes) ||
      !is_list (rows = value->children[3]) || rows->n_children > top ||
      rows->n_children > processes)
    {
      beam_erl_set_bad_reply (error, "erlang:garbage_collect/1");
      return NULL;
    }
  g_debug ("bin_leak: %" G_GINT64_FORMAT " processes, %" G_GINT64_FORMAT " reductions, %"
           G_GINT64_FORMAT " us", processes, reductions, node_us);
  leaks = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_bin_leak_free);
  for (guint i = 0; i < rows->n_children; i++)
    {
      const BeamTerm *row = tuple_of (rows->children[i], 5);
      BeamBinLeak *leak;
      const char *name;
      gint64 delta;

      /* a change is at most every refc binary a process may hold, and the
       * rows come sorted, the most freed first */
      if (row == NULL || !beam_term_get_int64 (row->children[0], &delta) ||
          delta < -MAX_COUNT || delta > MAX_COUNT || delta < previous ||
          row->children[1]->kind != BEAM_TERM_PID || !get_name (row->children[2], &name))
        {
          beam_erl_set_bad_reply (error, "erlang:process_info(Pid, binary)");
          return NULL;
        }
      previous = delta;
      leak = g_new0 (BeamBinLeak, 1);
      leak->pid = beam_term_print (row->children[1], NULL);
      leak->value = delta;
      leak->name = g_strdup (name);
      leak->initial_call = beam_term_print_function (row->children[3], BEAM_SYNTAX_ERLANG);
      leak->current_function = beam_term_print_function (row->children[4], BEAM_SYNTAX_ERLANG);
      g_ptr_array_add (leaks, leak);
    }
  return g_steal_pointer (&leaks);
}

void
beam_diagnostics_bin_leak_async (BeamConnection      *connection,
                                 guint                top,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  top = CLAMP (top, 1, 1000);
  beam_connection_call_task_async (connection, beam_diagnostics_bin_leak_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args ("bin-leak", "Top",
                                                                   beam_term_new_integer (top),
                                                                   NULL),
                                     .timeout_ms = BIN_LEAK_TIMEOUT_MS,
                                     .decode = decode_bin_leak,
                                     .decode_data = GUINT_TO_POINTER (top),
                                     .result_free = (GDestroyNotify) g_ptr_array_unref,
                                   }, cancellable, callback, user_data);
}

GPtrArray *
beam_diagnostics_bin_leak_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return beam_connection_call_task_finish (result, beam_diagnostics_bin_leak_async, error);
}
