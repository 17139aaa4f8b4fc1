/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Trace window's events (beam-trace-log.h). They live in a ring of
 * slots, at most `budget` of them: an append writes the batch's slots and
 * moves the ring's head past the oldest it drops, so it costs the batch and
 * never the log (no memmove of 100,000 pointers at 10,000 events a
 * second). A slot's BeamTraceEntry is made the first time a list asks for
 * it, so events nobody scrolls to cost no GObject. */

#define G_LOG_DOMAIN "beamscope-model"

#include "config.h"

#include <string.h>

#include "beam-trace-log.h"

/* The summary is cut at this many bytes; printing stops eliding about there. */
#define SUMMARY_MAX_BYTES 300
#define SUMMARY_MAX_WIDTH 300
#define SUMMARY_MAX_DEPTH 50
#define MIN_CAPACITY      64
#define N_SYNTAXES        2

/* ------------------------------------------------------------------------ */
/* BeamTraceEntry                                                            */

struct _BeamTraceEntry
{
  GObject         parent_instance;

  BeamTraceEvent *event;
  guint64         number;
  char           *time;
  char           *summary[N_SYNTAXES];
  char           *haystack[N_SYNTAXES];  /* casefolded, for matches() */
};

G_DEFINE_FINAL_TYPE (BeamTraceEntry, beam_trace_entry, G_TYPE_OBJECT)

static void
beam_trace_entry_finalize (GObject *object)
{
  BeamTraceEntry *self = BEAM_TRACE_ENTRY (object);

  g_clear_pointer (&self->event, beam_trace_event_unref);
  g_free (self->time);
  for (guint i = 0; i < N_SYNTAXES; i++)
    {
      g_free (self->summary[i]);
      g_free (self->haystack[i]);
    }
  G_OBJECT_CLASS (beam_trace_entry_parent_class)->finalize (object);
}

static void
beam_trace_entry_class_init (BeamTraceEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = beam_trace_entry_finalize;
}

static void
beam_trace_entry_init (BeamTraceEntry *self)
{
}

static BeamTraceEntry *
beam_trace_entry_new (BeamTraceEvent *event,
                      guint64         number)
{
  BeamTraceEntry *self = g_object_new (BEAM_TYPE_TRACE_ENTRY, NULL);

  self->event = beam_trace_event_ref (event);
  self->number = number;
  return self;
}

const BeamTraceEvent *
beam_trace_entry_get_event (BeamTraceEntry *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_ENTRY (self), NULL);

  return self->event;
}

guint64
beam_trace_entry_get_number (BeamTraceEntry *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_ENTRY (self), 0);

  return self->number;
}

const char *
beam_trace_entry_get_time (BeamTraceEntry *self)
{
  gint64 seconds;
  gint64 micros;
  g_autoptr(GDateTime) time = NULL;

  g_return_val_if_fail (BEAM_IS_TRACE_ENTRY (self), NULL);

  if (self->time != NULL)
    return self->time;
  seconds = self->event->time_us / G_USEC_PER_SEC;
  micros = self->event->time_us % G_USEC_PER_SEC;
  if (micros < 0)
    {
      seconds -= 1;
      micros += G_USEC_PER_SEC;
    }
  time = g_date_time_new_from_unix_local (seconds);
  if (time == NULL)
    self->time = g_strdup ("00:00:00.000000");
  else
    self->time = g_strdup_printf ("%02d:%02d:%02d.%06d", g_date_time_get_hour (time),
                                  g_date_time_get_minute (time),
                                  g_date_time_get_second (time), (int) micros);
  return self->time;
}

const char *
beam_trace_entry_get_process (BeamTraceEntry *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_ENTRY (self), NULL);

  if (self->event->name != NULL)
    return self->event->name;
  return self->event->pid != NULL ? self->event->pid : "";
}

/* Cuts `out` to at most `max_bytes`, the last three "…", between characters. */
static void
cut_summary (GString *out)
{
  gsize keep;

  if (out->len <= SUMMARY_MAX_BYTES)
    return;
  keep = SUMMARY_MAX_BYTES - strlen ("…");
  while (keep > 0 && ((guchar) out->str[keep] & 0xC0) == 0x80)
    keep--;
  g_string_truncate (out, keep);
  g_string_append (out, "…");
}

const char *
beam_trace_entry_get_summary (BeamTraceEntry *self,
                              BeamSyntax      syntax)
{
  BeamPrintOptions options = {
    .syntax = syntax,
    .max_depth = SUMMARY_MAX_DEPTH,
    .max_width = SUMMARY_MAX_WIDTH,
  };
  GString *out;
  guint i;

  g_return_val_if_fail (BEAM_IS_TRACE_ENTRY (self), NULL);

  i = syntax == BEAM_SYNTAX_ELIXIR ? 1 : 0;
  if (self->summary[i] != NULL)
    return self->summary[i];

  out = g_string_new (NULL);
  /* A send's summary names the destination first, as recon_trace's line does. */
  if (self->event->peer != NULL)
    {
      g_string_append (out, "→ ");
      beam_term_print_to (self->event->peer, &options, out);
      g_string_append (out, ": ");
    }
  beam_trace_event_print_term (self->event, &options, out);
  cut_summary (out);
  self->summary[i] = g_string_free (out, FALSE);
  return self->summary[i];
}

gboolean
beam_trace_entry_matches (BeamTraceEntry *self,
                          const char     *casefolded_text,
                          BeamSyntax      syntax)
{
  guint i;

  g_return_val_if_fail (BEAM_IS_TRACE_ENTRY (self), FALSE);

  if (casefolded_text == NULL || casefolded_text[0] == '\0')
    return TRUE;

  i = syntax == BEAM_SYNTAX_ELIXIR ? 1 : 0;
  if (self->haystack[i] == NULL)
    {
      const BeamTraceEvent *event = self->event;
      g_autofree char *joined = NULL;
      g_autofree char *mfa = event->mfa != NULL ? beam_print_name (event->mfa, syntax) : NULL;

      /* '\n' between the fields: a filter text never spans two of them. */
      joined = g_strjoin ("\n", beam_trace_entry_get_process (self),
                          event->pid != NULL ? event->pid : "",
                          beam_trace_event_kind_to_string (event->kind),
                          event->mfa != NULL ? event->mfa : "",
                          mfa != NULL ? mfa : "",
                          beam_trace_entry_get_summary (self, syntax),
                          NULL);
      self->haystack[i] = g_utf8_casefold (joined, -1);
    }
  return strstr (self->haystack[i], casefolded_text) != NULL;
}

/* ------------------------------------------------------------------------ */
/* BeamTraceLog                                                              */

typedef struct
{
  BeamTraceEvent *event;
  BeamTraceEntry *entry;   /* made on demand */
  guint64         number;
} Slot;

struct _BeamTraceLog
{
  GObject  parent_instance;

  Slot    *slots;      /* a ring: item i is slots[(head + i) % capacity] */
  guint    capacity;   /* grows by doubling up to budget */
  guint    head;
  guint    n_items;

  guint    budget;
  gboolean paused;
  guint64  n_dropped;
  guint64  n_missed;
  guint64  n_total;
  guint64  next_number;
};

static void beam_trace_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeamTraceLog, beam_trace_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      beam_trace_log_list_model_init))

enum {
  PROP_0,
  PROP_BUDGET,
  PROP_PAUSED,
  PROP_N_DROPPED,
  PROP_N_MISSED,
  PROP_N_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static inline Slot *
slot_at (BeamTraceLog *self,
         guint         position)
{
  return &self->slots[(self->head + position) % self->capacity];
}

static void
slot_clear (Slot *slot)
{
  g_clear_pointer (&slot->event, beam_trace_event_unref);
  g_clear_object (&slot->entry);
}

static GType
beam_trace_log_get_item_type (GListModel *model)
{
  return BEAM_TYPE_TRACE_ENTRY;
}

static guint
beam_trace_log_get_n_items (GListModel *model)
{
  return BEAM_TRACE_LOG (model)->n_items;
}

static gpointer
beam_trace_log_get_item (GListModel *model,
                         guint       position)
{
  BeamTraceLog *self = BEAM_TRACE_LOG (model);
  Slot *slot;

  if (position >= self->n_items)
    return NULL;
  slot = slot_at (self, position);
  if (slot->entry == NULL)
    slot->entry = beam_trace_entry_new (slot->event, slot->number);
  return g_object_ref (slot->entry);
}

static void
beam_trace_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = beam_trace_log_get_item_type;
  iface->get_n_items = beam_trace_log_get_n_items;
  iface->get_item = beam_trace_log_get_item;
}

/* Drops the `count` oldest items, without telling anyone. */
static void
drop_oldest (BeamTraceLog *self,
             guint         count)
{
  g_assert (count <= self->n_items);

  for (guint i = 0; i < count; i++)
    slot_clear (slot_at (self, i));
  if (self->capacity > 0)
    self->head = (self->head + count) % self->capacity;
  self->n_items -= count;
}

/* Moves the items into a ring of `capacity` (at least n_items), head at 0. */
static void
reshape (BeamTraceLog *self,
         guint         capacity)
{
  Slot *slots = g_new0 (Slot, capacity);

  g_assert (capacity >= self->n_items);

  for (guint i = 0; i < self->n_items; i++)
    slots[i] = *slot_at (self, i);
  g_free (self->slots);
  self->slots = slots;
  self->capacity = capacity;
  self->head = 0;
}

static void
clear_all (BeamTraceLog *self)
{
  guint old = self->n_items;

  drop_oldest (self, self->n_items);
  g_clear_pointer (&self->slots, g_free);
  self->capacity = 0;
  self->head = 0;
  if (old > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
}

static void
beam_trace_log_finalize (GObject *object)
{
  BeamTraceLog *self = BEAM_TRACE_LOG (object);

  drop_oldest (self, self->n_items);
  g_free (self->slots);
  G_OBJECT_CLASS (beam_trace_log_parent_class)->finalize (object);
}

static void
beam_trace_log_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BeamTraceLog *self = BEAM_TRACE_LOG (object);

  switch (prop_id)
    {
    case PROP_BUDGET:
      g_value_set_uint (value, self->budget);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_N_DROPPED:
      g_value_set_uint64 (value, self->n_dropped);
      break;
    case PROP_N_MISSED:
      g_value_set_uint64 (value, self->n_missed);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint64 (value, self->n_total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_trace_log_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BeamTraceLog *self = BEAM_TRACE_LOG (object);

  switch (prop_id)
    {
    case PROP_BUDGET:
      beam_trace_log_set_budget (self, g_value_get_uint (value));
      break;
    case PROP_PAUSED:
      beam_trace_log_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_trace_log_class_init (BeamTraceLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = beam_trace_log_finalize;
  object_class->get_property = beam_trace_log_get_property;
  object_class->set_property = beam_trace_log_set_property;

  properties[PROP_BUDGET] =
    g_param_spec_uint ("budget", NULL, NULL, 1, G_MAXUINT, BEAM_TRACE_LOG_DEFAULT_BUDGET,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DROPPED] =
    g_param_spec_uint64 ("n-dropped", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_MISSED] =
    g_param_spec_uint64 ("n-missed", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TOTAL] =
    g_param_spec_uint64 ("n-total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_trace_log_init (BeamTraceLog *self)
{
  self->budget = BEAM_TRACE_LOG_DEFAULT_BUDGET;
  self->next_number = 1;
}

BeamTraceLog *
beam_trace_log_new (guint budget)
{
  return g_object_new (BEAM_TYPE_TRACE_LOG, "budget", MAX (budget, 1), NULL);
}

void
beam_trace_log_set_budget (BeamTraceLog *self,
                           guint         budget)
{
  guint over;

  g_return_if_fail (BEAM_IS_TRACE_LOG (self));

  budget = MAX (budget, 1);
  if (budget == self->budget)
    return;
  self->budget = budget;
  over = self->n_items > budget ? self->n_items - budget : 0;
  if (over > 0)
    {
      drop_oldest (self, over);
      self->n_dropped += over;
    }
  if (self->capacity > budget)
    reshape (self, budget);

  g_object_freeze_notify (G_OBJECT (self));
  if (over > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, over, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DROPPED]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUDGET]);
  g_object_thaw_notify (G_OBJECT (self));
}

guint
beam_trace_log_get_budget (BeamTraceLog *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_LOG (self), 0);

  return self->budget;
}

/* Room for `n_items` in the ring, grown by doubling so that a log that
 * never fills its budget never holds it all. */
static void
reserve (BeamTraceLog *self,
         guint         n_items)
{
  guint capacity;

  g_assert (n_items <= self->budget);

  if (n_items <= self->capacity)
    return;
  capacity = MAX (self->capacity, MIN_CAPACITY);
  while (capacity < n_items)
    capacity = capacity > G_MAXUINT / 2 ? G_MAXUINT : capacity * 2;
  reshape (self, MIN (capacity, self->budget));
}

void
beam_trace_log_append (BeamTraceLog *self,
                       GPtrArray    *events)
{
  guint n_new;
  guint skipped;   /* of the batch, more than the budget holds */
  guint added;
  guint removed;
  guint old;

  g_return_if_fail (BEAM_IS_TRACE_LOG (self));
  g_return_if_fail (events != NULL);

  if (events->len == 0)
    return;
  n_new = events->len;
  g_object_freeze_notify (G_OBJECT (self));
  self->n_total += n_new;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
  if (self->paused)
    {
      self->n_missed += n_new;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MISSED]);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  skipped = n_new > self->budget ? n_new - self->budget : 0;
  added = n_new - skipped;
  removed = self->n_items + added > self->budget ? self->n_items + added - self->budget : 0;
  old = self->n_items;

  drop_oldest (self, removed);
  /* Everything replaced: one change. Else the oldest go, then the batch
   * comes, each a change of its own at its own end, so that a list view
   * keeps the rows in between. */
  if (removed > 0 && removed < old)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);

  reserve (self, self->n_items + added);
  for (guint i = 0; i < added; i++)
    {
      Slot *slot = slot_at (self, self->n_items + i);
      BeamTraceEvent *event = g_ptr_array_index (events, skipped + i);

      slot->event = beam_trace_event_ref (event);
      slot->entry = NULL;
      slot->number = self->next_number + skipped + i;
    }
  self->next_number += n_new;
  self->n_items += added;

  if (removed > 0 && removed == old)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), self->n_items - added, 0, added);

  if (removed + skipped > 0)
    {
      self->n_dropped += removed + skipped;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DROPPED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
beam_trace_log_set_paused (BeamTraceLog *self,
                           gboolean      paused)
{
  g_return_if_fail (BEAM_IS_TRACE_LOG (self));

  paused = !!paused;
  if (paused == self->paused)
    return;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
beam_trace_log_get_paused (BeamTraceLog *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_LOG (self), FALSE);

  return self->paused;
}

guint64
beam_trace_log_get_n_dropped (BeamTraceLog *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_LOG (self), 0);

  return self->n_dropped;
}

guint64
beam_trace_log_get_n_missed (BeamTraceLog *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_LOG (self), 0);

  return self->n_missed;
}

guint64
beam_trace_log_get_n_total (BeamTraceLog *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_LOG (self), 0);

  return self->n_total;
}

void
beam_trace_log_clear (BeamTraceLog *self)
{
  g_return_if_fail (BEAM_IS_TRACE_LOG (self));

  g_object_freeze_notify (G_OBJECT (self));
  clear_all (self);
  self->next_number = 1;
  if (self->n_dropped != 0)
    {
      self->n_dropped = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DROPPED]);
    }
  if (self->n_missed != 0)
    {
      self->n_missed = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MISSED]);
    }
  if (self->n_total != 0)
    {
      self->n_total = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

GBytes *
beam_trace_log_to_text (BeamTraceLog *self,
                        const char   *title,
                        BeamSyntax    syntax)
{
  GString *out;

  g_return_val_if_fail (BEAM_IS_TRACE_LOG (self), NULL);

  out = g_string_new (NULL);
  if (title != NULL)
    {
      g_autofree char *flat = g_strdelimit (g_strdup (title), "\r\n", ' ');

      g_string_append_printf (out, "# %s\n", flat);
    }
  for (guint i = 0; i < self->n_items; i++)
    {
      g_autofree char *line = beam_trace_event_to_line (slot_at (self, i)->event, syntax, 0);

      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_string_free_to_bytes (out);
}
