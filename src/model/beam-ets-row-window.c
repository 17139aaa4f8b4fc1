/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A table window's rows: a GListModel as long as the table, filled a chunk
 * at a time from the node (beam-ets-window), one fetch at a time, the most
 * recently wanted chunk first. */

#define G_LOG_DOMAIN "beamscope-model"

#include <string.h>

#include <glib/gi18n.h>

#include "beam-ets-row-window.h"

#define CHUNK BEAM_ETS_ROW_WINDOW_CHUNK
/* Chunks waiting for a fetch; older wishes beyond these are dropped (a
 * scroll bar dragged far passes many chunks nobody looks at any more). */
#define MAX_WANTED 8
/* A jump's help (key index, bucket count) is read again once the table's
 * size moved this far (a fraction) from when it was read. */
#define JUMP_HELP_DRIFT 0.2
/* The key index samples about this many keys, whatever the table's size. */
#define KEY_INDEX_KEYS 1000
/* The set keys remembered to drop rows read twice: about 40 bytes each. */
#define MAX_SEEN_KEYS 500000

/* A key's 64-bit hash is kept as a pointer. */
G_STATIC_ASSERT (sizeof (gpointer) >= sizeof (guint64));

typedef struct
{
  guint      index;
  guint      leading;       /* empty positions before the first row (a chunk read
                             * backward up to the table's start) */
  GPtrArray *rows;          /* BeamTerm (NULL: too big); NULL until fetched */
  gint64    *row_bytes;
  BeamTerm  *before;
  BeamTerm  *after;
  GPtrArray *items;         /* BeamEtsRowItem per position, NULL until asked */
  guint64    used;
} Chunk;

struct _BeamEtsRowWindow
{
  GObject          parent_instance;

  BeamConnection  *connection;
  GCancellable    *cancellable;
  BeamTerm        *table;
  char            *name;
  char            *kind;
  char            *protection;
  gint64           keypos;
  gboolean         ordered;
  guint            columns;

  gint64           size;
  guint            n_items;
  GHashTable      *chunks;       /* index → Chunk */
  guint            n_held;
  guint64          tick;
  GQueue           wanted;       /* chunk indexes, most wanted first */
  gboolean         in_flight;
  guint            fetches;

  /* A set's keys read so far (a 64-bit hash of the printed key → the chunk
   * that showed it): a row read again after the table grew (its hash table
   * split a bucket already read) is dropped, not shown twice. Bounded by
   * MAX_SEEN_KEYS. */
  gboolean         unique_keys;
  GHashTable      *seen_keys;

  BeamEtsKeyIndex *key_index;
  gint64           buckets;
  gint64           buckets_size; /* the size when buckets was read */

  gboolean         deleted;
  char            *error;
};

static void beam_ets_row_window_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeamEtsRowWindow, beam_ets_row_window, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      beam_ets_row_window_list_model_init))

enum {
  PROP_0,
  PROP_SIZE,
  PROP_DELETED,
  PROP_ERROR,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void fetch_next (BeamEtsRowWindow *self);

/* ---- chunks --------------------------------------------------------------------- */

static void
chunk_drop_rows (Chunk *chunk)
{
  if (chunk->items != NULL)
    for (guint i = 0; i < chunk->items->len; i++)
      if (chunk->items->pdata[i] != NULL)
        beam_ets_row_item_forget (chunk->items->pdata[i]);
  g_clear_pointer (&chunk->rows, g_ptr_array_unref);
  g_clear_pointer (&chunk->row_bytes, g_free);
  g_clear_pointer (&chunk->before, beam_term_free);
  g_clear_pointer (&chunk->after, beam_term_free);
  chunk->leading = 0;
}

static void
chunk_free (Chunk *chunk)
{
  chunk_drop_rows (chunk);
  g_clear_pointer (&chunk->items, g_ptr_array_unref);
  g_free (chunk);
}

static void
item_unref (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static Chunk *
lookup_chunk (BeamEtsRowWindow *self,
              guint             index)
{
  return g_hash_table_lookup (self->chunks, GUINT_TO_POINTER (index));
}

static Chunk *
ensure_chunk (BeamEtsRowWindow *self,
              guint             index)
{
  Chunk *chunk = lookup_chunk (self, index);

  if (chunk == NULL)
    {
      chunk = g_new0 (Chunk, 1);
      chunk->index = index;
      g_hash_table_insert (self->chunks, GUINT_TO_POINTER (index), chunk);
    }
  return chunk;
}

static gboolean
is_fetched (const Chunk *chunk)
{
  return chunk != NULL && chunk->rows != NULL;
}

static guint
n_chunks (BeamEtsRowWindow *self)
{
  return (self->n_items + CHUNK - 1) / CHUNK;
}

static void
show_row (Chunk          *chunk,
          BeamEtsRowItem *item,
          guint           offset)
{
  guint row = offset - chunk->leading;

  if (offset < chunk->leading || row >= chunk->rows->len)
    {
      /* A position the chunk's rows did not reach: loaded, and empty. */
      beam_ets_row_item_set_row (item, NULL, 0);
      return;
    }
  beam_ets_row_item_set_row (item, chunk->rows->pdata[row],
                             chunk->row_bytes != NULL ? chunk->row_bytes[row] : 0);
}

/* The hash of a row's key as printed (FNV-1a, 64 bits: no two keys of
 * millions meet), or 0 for a row without one. */
static guint64
key_hash (BeamEtsRowWindow *self,
          const BeamTerm   *row)
{
  g_autofree char *printed = NULL;
  guint64 hash = 14695981039346656037ull;

  if (row == NULL || row->kind != BEAM_TERM_TUPLE || self->keypos < 1 ||
      self->keypos > row->n_children)
    return 0;
  printed = beam_term_print (row->children[self->keypos - 1], NULL);
  for (const guchar *c = (const guchar *) printed; *c != '\0'; c++)
    hash = (hash ^ *c) * 1099511628211ull;
  return hash != 0 ? hash : 1;
}

/* Which chunk showed the row with this key, if one did. */
static gboolean
key_shown_by (BeamEtsRowWindow *self,
              guint64           hash,
              guint            *index)
{
  gpointer owner;

  if (!g_hash_table_lookup_extended (self->seen_keys, GSIZE_TO_POINTER ((gsize) hash), NULL,
                                     &owner))
    return FALSE;
  *index = GPOINTER_TO_UINT (owner);
  return TRUE;
}

static void
remember_keys (BeamEtsRowWindow *self,
               Chunk            *chunk)
{
  if (!self->unique_keys)
    return;
  if (g_hash_table_size (self->seen_keys) + chunk->rows->len > MAX_SEEN_KEYS)
    g_hash_table_remove_all (self->seen_keys);   /* memory first: a row may come twice */
  for (guint i = 0; i < chunk->rows->len; i++)
    {
      guint64 hash = key_hash (self, chunk->rows->pdata[i]);
      guint owner;

      if (hash != 0 && !key_shown_by (self, hash, &owner))
        g_hash_table_insert (self->seen_keys, GSIZE_TO_POINTER ((gsize) hash),
                             GUINT_TO_POINTER (chunk->index));
    }
}

/* Keeps the BEAM_ETS_ROW_WINDOW_KEPT chunks used last. */
static void
drop_old_chunks (BeamEtsRowWindow *self)
{
  while (self->n_held > BEAM_ETS_ROW_WINDOW_KEPT)
    {
      GHashTableIter iter;
      Chunk *chunk, *oldest = NULL;

      g_hash_table_iter_init (&iter, self->chunks);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &chunk))
        if (is_fetched (chunk) && (oldest == NULL || chunk->used < oldest->used))
          oldest = chunk;
      if (oldest == NULL)
        return;
      g_hash_table_remove (self->chunks, GUINT_TO_POINTER (oldest->index));
      self->n_held--;
    }
}

/* ---- wanting and fetching ------------------------------------------------------- */

static void
want (BeamEtsRowWindow *self,
      guint             index,
      gboolean          first)
{
  GList *link;

  if (index >= n_chunks (self) || is_fetched (lookup_chunk (self, index)))
    return;
  link = g_queue_find (&self->wanted, GUINT_TO_POINTER (index));
  if (link != NULL)
    {
      if (!first)
        return;
      g_queue_delete_link (&self->wanted, link);
    }
  if (first)
    g_queue_push_head (&self->wanted, GUINT_TO_POINTER (index));
  else
    g_queue_push_tail (&self->wanted, GUINT_TO_POINTER (index));
  while (g_queue_get_length (&self->wanted) > MAX_WANTED)
    g_queue_pop_tail (&self->wanted);
}

static void
set_error (BeamEtsRowWindow *self,
           const char       *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_in_flight (BeamEtsRowWindow *self,
               gboolean          in_flight)
{
  if (self->in_flight == in_flight)
    return;
  self->in_flight = in_flight;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_size (BeamEtsRowWindow *self,
          gint64            size)
{
  guint old = self->n_items;
  guint now = (guint) CLAMP (size, 0, G_MAXUINT);

  if (self->size != size)
    {
      self->size = size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
    }
  if (now == old)
    return;
  self->n_items = now;
  if (now < old)
    {
      /* Chunks wholly past the new end go; the one across it keeps its rows. */
      GHashTableIter iter;
      Chunk *chunk;

      g_hash_table_iter_init (&iter, self->chunks);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &chunk))
        if ((guint64) chunk->index * CHUNK >= now)
          {
            if (is_fetched (chunk))
              self->n_held--;
            g_hash_table_iter_remove (&iter);
          }
      g_list_model_items_changed (G_LIST_MODEL (self), now, old - now, 0);
    }
  else
    g_list_model_items_changed (G_LIST_MODEL (self), old, 0, now - old);
}

static void
set_deleted (BeamEtsRowWindow *self)
{
  if (self->deleted)
    return;
  self->deleted = TRUE;
  g_queue_clear (&self->wanted);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
}

/* A fetch ended: deleted, failed, or on to the next wish. */
static gboolean
fetch_failed (BeamEtsRowWindow *self,
              GError           *error)
{
  set_in_flight (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TRUE;
  if (g_error_matches (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_DELETED))
    set_deleted (self);
  else
    set_error (self, error->message);
  return TRUE;
}

typedef struct
{
  BeamEtsRowWindow    *self;
  guint                index;
  BeamEtsReadDirection direction;
  gboolean             at_table_end;   /* a backward read of the table's last rows */
  gboolean             from_continuation;
  /* A set's chunk read forward in rounds: the rows kept so far (rows read
   * again dropped), topped up from where the last round ended. */
  GPtrArray           *kept;            /* BeamTerm, NULL for a row too big */
  GArray              *kept_bytes;      /* gint64 per kept row */
  BeamTerm            *first_before;
  guint                rounds;
} Fetch;

/* Rounds of reading for one chunk of a set whose rows keep coming again. */
#define MAX_TOP_UP_ROUNDS 8

static void
fetch_free (Fetch *fetch)
{
  g_clear_pointer (&fetch->kept, g_ptr_array_unref);
  g_clear_pointer (&fetch->kept_bytes, g_array_unref);
  g_clear_pointer (&fetch->first_before, beam_term_free);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

/* Moves the rows of `read` not seen in another chunk into fetch->kept;
 * returns whether any was dropped. */
static gboolean
keep_new_rows (BeamEtsRowWindow *self,
               Fetch            *fetch,
               BeamEtsChunk     *read)
{
  g_autoptr(GHashTable) here = g_hash_table_new (NULL, NULL);
  gboolean dropped = FALSE;

  if (fetch->kept == NULL)
    {
      fetch->kept = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_term_free);
      fetch->kept_bytes = g_array_new (FALSE, TRUE, sizeof (gint64));
    }
  for (guint i = 0; i < fetch->kept->len; i++)
    g_hash_table_add (here, GSIZE_TO_POINTER ((gsize) key_hash (self, fetch->kept->pdata[i])));
  for (guint i = 0; i < read->rows->len; i++)
    {
      guint64 hash = key_hash (self, read->rows->pdata[i]);
      gint64 bytes = read->row_bytes != NULL ? read->row_bytes[i] : 0;
      guint owner;

      if (hash != 0 &&
          (g_hash_table_contains (here, GSIZE_TO_POINTER ((gsize) hash)) ||
           (key_shown_by (self, hash, &owner) && owner != fetch->index)))
        {
          dropped = TRUE;
          continue;
        }
      if (hash != 0)
        g_hash_table_add (here, GSIZE_TO_POINTER ((gsize) hash));
      g_ptr_array_add (fetch->kept, g_steal_pointer (&read->rows->pdata[i]));
      g_array_append_val (fetch->kept_bytes, bytes);
    }
  return dropped;
}

static void
chunk_fetched (GObject      *object G_GNUC_UNUSED,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(BeamEtsRowWindow) self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamEtsChunk) read = beam_ets_window_read_finish (result, &error);
  Chunk *chunk;

  if (read == NULL)
    {
      if (g_error_matches (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_RESIZED) &&
          fetch->from_continuation)
        {
          /* The previous chunk's continuation no longer fits: jump instead. */
          Chunk *previous = lookup_chunk (self, fetch->index - 1);

          if (previous != NULL)
            g_clear_pointer (&previous->after, beam_term_free);
          set_in_flight (self, FALSE);
          want (self, fetch->index, TRUE);
          fetch_next (self);
          return;
        }
      fetch_failed (self, error);
      return;
    }
  set_in_flight (self, FALSE);
  set_error (self, NULL);
  self->fetches++;

  if (self->unique_keys && fetch->direction == BEAM_ETS_READ_FORWARD)
    {
      gboolean dropped = keep_new_rows (self, fetch, read);

      if (fetch->first_before == NULL)
        fetch->first_before = g_steal_pointer (&read->before);
      if (dropped && fetch->kept->len < CHUNK && read->after != NULL &&
          ++fetch->rounds < MAX_TOP_UP_ROUNDS)
        {
          /* Rows came again: read on for the ones the chunk still lacks. */
          g_autoptr(BeamTerm) cursor = g_steal_pointer (&read->after);
          guint missing = CHUNK - fetch->kept->len;
          Fetch *next = g_steal_pointer (&fetch);

          next->self = g_object_ref (self);   /* `self` lets the last round's go */
          next->from_continuation = beam_term_tagged (cursor, "cont", 2) != NULL;
          set_in_flight (self, TRUE);
          beam_ets_window_read_async (self->connection, self->table, BEAM_ETS_READ_FORWARD,
                                      cursor, missing, self->cancellable, chunk_fetched, next);
          return;
        }
      /* The rounds' rows as one read. */
      g_ptr_array_unref (read->rows);
      read->rows = g_steal_pointer (&fetch->kept);
      g_clear_pointer (&read->row_bytes, g_free);
      for (guint i = 0; i < fetch->kept_bytes->len; i++)
        if (g_array_index (fetch->kept_bytes, gint64, i) > 0)
          {
            read->row_bytes = g_memdup2 (fetch->kept_bytes->data,
                                         fetch->kept_bytes->len * sizeof (gint64));
            break;
          }
      if (read->before == NULL)
        read->before = g_steal_pointer (&fetch->first_before);
    }

  chunk = ensure_chunk (self, fetch->index);
  if (!is_fetched (chunk))
    {
      guint n = read->rows->len;
      guint positions = MIN (CHUNK, self->n_items - MIN (self->n_items, fetch->index * CHUNK));

      if (fetch->index + 1 == n_chunks (self) && read->after == NULL && n > positions)
        {
          /* A jump to the last chunk aims early: its rows are the table's
           * last ones, as many as the chunk has positions. */
          guint extra = n - positions;

          g_ptr_array_remove_range (read->rows, 0, extra);
          if (read->row_bytes != NULL)
            memmove (read->row_bytes, read->row_bytes + extra, positions * sizeof (gint64));
          n = positions;
        }
      chunk->rows = g_steal_pointer (&read->rows);
      chunk->row_bytes = g_steal_pointer (&read->row_bytes);
      chunk->before = g_steal_pointer (&read->before);
      chunk->after = g_steal_pointer (&read->after);
      /* Rows that end where the next chunk (or the table) begins, fewer than
       * the positions: the empty positions are the first ones. */
      if (fetch->direction == BEAM_ETS_READ_BACKWARD && !fetch->at_table_end && n < CHUNK)
        chunk->leading = CHUNK - n;
      else if (fetch->index + 1 == n_chunks (self) && chunk->after == NULL && n < positions &&
               fetch->index > 0)
        chunk->leading = positions - n;
      chunk->used = ++self->tick;
      self->n_held++;
      remember_keys (self, chunk);
      if (chunk->items != NULL)
        for (guint i = 0; i < chunk->items->len; i++)
          if (chunk->items->pdata[i] != NULL)
            show_row (chunk, chunk->items->pdata[i], i);
    }
  set_size (self, read->table_size);
  drop_old_chunks (self);
  fetch_next (self);
}

static void
read_chunk (BeamEtsRowWindow     *self,
            guint                 index,
            BeamEtsReadDirection  direction,
            const BeamTerm       *cursor,
            guint                 limit,
            gboolean              at_table_end)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->self = g_object_ref (self);
  fetch->index = index;
  fetch->direction = direction;
  fetch->at_table_end = at_table_end;
  fetch->from_continuation = cursor != NULL && beam_term_tagged (cursor, "cont", 2) != NULL;
  set_in_flight (self, TRUE);
  beam_ets_window_read_async (self->connection, self->table, direction, cursor, limit,
                              self->cancellable, chunk_fetched, fetch);
}

static gboolean
drifted (gint64 then,
         gint64 now)
{
  return then <= 0 || ABS (now - then) > JUMP_HELP_DRIFT * then;
}

static void
key_index_fetched (GObject      *object G_GNUC_UNUSED,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BeamEtsRowWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamEtsKeyIndex *index = beam_ets_window_key_index_finish (result, &error);

  if (index == NULL)
    {
      fetch_failed (self, error);
      return;
    }
  set_in_flight (self, FALSE);
  g_clear_pointer (&self->key_index, beam_ets_key_index_free);
  self->key_index = index;
  fetch_next (self);
}

static void
buckets_fetched (GObject      *object G_GNUC_UNUSED,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BeamEtsRowWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 buckets = beam_ets_window_buckets_finish (result, &error);

  if (buckets < 0)
    {
      fetch_failed (self, error);
      return;
    }
  set_in_flight (self, FALSE);
  self->buckets = MAX (buckets, 1);
  self->buckets_size = MAX (self->size, 1);
  fetch_next (self);
}

/* A chunk far from any fetched one: to about its position, by the key
 * index (ordered set) or the bucket there (hash table), read first if
 * missing or out of date. */
static void
jump_to (BeamEtsRowWindow *self,
         guint             index)
{
  gint64 position = (gint64) index * CHUNK;

  if (self->ordered)
    {
      gint64 sample;

      if (self->key_index == NULL || drifted (self->key_index->table_size, self->size))
        {
          want (self, index, TRUE);
          set_in_flight (self, TRUE);
          beam_ets_window_key_index_async (self->connection, self->table,
                                           MAX (self->size / KEY_INDEX_KEYS, CHUNK),
                                           self->cancellable, key_index_fetched,
                                           g_object_ref (self));
          return;
        }
      /* The index's i-th key is at position (i + 1) * step - 1: read after it. */
      sample = position / self->key_index->step - 1;
      if (sample < 0 || self->key_index->cursors->len == 0)
        read_chunk (self, index, BEAM_ETS_READ_FORWARD, NULL, CHUNK, FALSE);
      else
        read_chunk (self, index, BEAM_ETS_READ_FORWARD,
                    self->key_index->cursors->pdata[MIN (sample,
                                                         self->key_index->cursors->len - 1)],
                    CHUNK, FALSE);
      return;
    }

  if (self->buckets <= 0 || drifted (self->buckets_size, self->size))
    {
      want (self, index, TRUE);
      set_in_flight (self, TRUE);
      beam_ets_window_buckets_async (self->connection, self->table, self->cancellable,
                                     buckets_fetched, g_object_ref (self));
      return;
    }
  /* The last chunk: from about a chunk before the end, the end's rows kept. */
  if (index + 1 == n_chunks (self))
    position = MAX ((gint64) self->n_items - CHUNK - CHUNK / 2, 0);
  {
    g_autoptr(BeamTerm) cursor =
      beam_ets_cursor_new_bucket (beam_ets_bucket_of_position (position, self->size,
                                                               self->buckets));

    read_chunk (self, index, BEAM_ETS_READ_FORWARD, cursor, CHUNK, FALSE);
  }
}

static void
fetch_next (BeamEtsRowWindow *self)
{
  guint index;
  Chunk *previous, *next;

  if (self->in_flight || self->deleted || g_cancellable_is_cancelled (self->cancellable))
    return;
  for (;;)
    {
      if (g_queue_is_empty (&self->wanted))
        return;
      index = GPOINTER_TO_UINT (g_queue_pop_head (&self->wanted));
      if (index < n_chunks (self) && !is_fetched (lookup_chunk (self, index)))
        break;
    }

  previous = index > 0 ? lookup_chunk (self, index - 1) : NULL;
  next = lookup_chunk (self, index + 1);
  if (index == 0)
    read_chunk (self, index, BEAM_ETS_READ_FORWARD, NULL, CHUNK, FALSE);
  else if (is_fetched (previous) && previous->after != NULL)
    read_chunk (self, index, BEAM_ETS_READ_FORWARD, previous->after, CHUNK, FALSE);
  else if (self->ordered && is_fetched (next) && next->before != NULL && next->leading == 0)
    read_chunk (self, index, BEAM_ETS_READ_BACKWARD, next->before, CHUNK, FALSE);
  else if (self->ordered && index + 1 == n_chunks (self))
    read_chunk (self, index, BEAM_ETS_READ_BACKWARD, NULL,
                self->n_items - (guint) index * CHUNK, TRUE);
  else
    jump_to (self, index);
}

/* ---- the list ------------------------------------------------------------------- */

static GType
beam_ets_row_window_get_item_type (GListModel *model G_GNUC_UNUSED)
{
  return BEAM_TYPE_ETS_ROW_ITEM;
}

static guint
beam_ets_row_window_get_n_items (GListModel *model)
{
  return BEAM_ETS_ROW_WINDOW (model)->n_items;
}

static gpointer
beam_ets_row_window_get_item (GListModel *model,
                              guint       position)
{
  BeamEtsRowWindow *self = BEAM_ETS_ROW_WINDOW (model);
  guint index = position / CHUNK;
  guint offset = position % CHUNK;
  Chunk *chunk;
  BeamEtsRowItem *item;

  if (position >= self->n_items)
    return NULL;
  chunk = ensure_chunk (self, index);
  chunk->used = ++self->tick;
  if (chunk->items == NULL)
    {
      chunk->items = g_ptr_array_new_with_free_func (item_unref);
      g_ptr_array_set_size (chunk->items, CHUNK);
    }
  item = chunk->items->pdata[offset];
  if (item == NULL)
    {
      item = chunk->items->pdata[offset] = beam_ets_row_item_new (position);
      if (is_fetched (chunk))
        show_row (chunk, item, offset);
    }
  if (!is_fetched (chunk))
    {
      want (self, index, TRUE);
      want (self, index + 1, FALSE);
      fetch_next (self);
    }
  else if (offset >= CHUNK - CHUNK / 4)
    {
      /* Near the chunk's end: the next one before it is needed. */
      want (self, index + 1, FALSE);
      fetch_next (self);
    }
  return g_object_ref (item);
}

static void
beam_ets_row_window_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = beam_ets_row_window_get_item_type;
  iface->get_n_items = beam_ets_row_window_get_n_items;
  iface->get_item = beam_ets_row_window_get_item;
}

/* ---- public --------------------------------------------------------------------- */

static guint
uniform_arity (const GPtrArray *rows)
{
  guint arity = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const BeamTerm *row = rows->pdata[i];

      if (row == NULL)
        continue;
      if (row->kind != BEAM_TERM_TUPLE || row->n_children == 0 || row->n_children > 32 ||
          (arity != 0 && row->n_children != arity))
        return 0;
      arity = row->n_children;
    }
  return arity;
}

BeamEtsRowWindow *
beam_ets_row_window_new (BeamConnection      *connection,
                         BeamEtsWindowOpened *opened)
{
  BeamEtsRowWindow *self;
  Chunk *first;

  g_return_val_if_fail (BEAM_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (opened != NULL && opened->first != NULL, NULL);

  self = g_object_new (BEAM_TYPE_ETS_ROW_WINDOW, NULL);
  self->connection = g_object_ref (connection);
  self->table = g_steal_pointer (&opened->table);
  self->name = g_steal_pointer (&opened->name);
  self->kind = g_steal_pointer (&opened->type);
  self->protection = g_steal_pointer (&opened->protection);
  self->keypos = opened->keypos;
  self->ordered = g_strcmp0 (self->kind, "ordered_set") == 0;
  self->unique_keys = g_strcmp0 (self->kind, "set") == 0;
  self->size = opened->first->table_size;
  self->n_items = (guint) CLAMP (self->size, 0, G_MAXUINT);
  self->columns = uniform_arity (opened->first->rows);

  first = ensure_chunk (self, 0);
  first->rows = g_steal_pointer (&opened->first->rows);
  first->row_bytes = g_steal_pointer (&opened->first->row_bytes);
  first->before = g_steal_pointer (&opened->first->before);
  first->after = g_steal_pointer (&opened->first->after);
  first->used = ++self->tick;
  self->n_held = 1;
  remember_keys (self, first);
  beam_ets_window_opened_free (opened);
  return self;
}

const char *
beam_ets_row_window_get_name (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), NULL);
  return self->name;
}

const char *
beam_ets_row_window_get_kind (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), NULL);
  return self->kind;
}

const char *
beam_ets_row_window_get_protection (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), NULL);
  return self->protection;
}

gint64
beam_ets_row_window_get_keypos (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), 0);
  return self->keypos;
}

gint64
beam_ets_row_window_get_size (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), 0);
  return self->size;
}

guint
beam_ets_row_window_get_columns (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), 0);
  return self->columns;
}

gboolean
beam_ets_row_window_get_deleted (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), FALSE);
  return self->deleted;
}

const char *
beam_ets_row_window_get_error (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), NULL);
  return self->error;
}

gboolean
beam_ets_row_window_get_loading (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), FALSE);
  return self->in_flight;
}

const BeamTerm *
beam_ets_row_window_get_table (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), NULL);
  return self->table;
}

guint
beam_ets_row_window_get_fetches (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), 0);
  return self->fetches;
}

guint
beam_ets_row_window_get_held (BeamEtsRowWindow *self)
{
  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), 0);
  return self->n_held;
}

/* The size a request answered, or -1 having said why there is none. */
static gint64
answered_size (BeamEtsRowWindow *self,
               GAsyncResult     *result)
{
  g_autoptr(GError) error = NULL;
  gint64 size = beam_ets_window_size_finish (result, &error);

  if (size < 0)
    {
      if (g_error_matches (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_DELETED))
        set_deleted (self);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
    }
  return size;
}

static void
size_read (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BeamEtsRowWindow) self = user_data;
  gint64 size = answered_size (self, result);

  if (size < 0)
    return;
  set_size (self, size);
  fetch_next (self);
}

void
beam_ets_row_window_refresh (BeamEtsRowWindow *self)
{
  GHashTableIter iter;
  Chunk *chunk;

  g_return_if_fail (BEAM_IS_ETS_ROW_WINDOW (self));

  if (self->deleted)
    return;
  /* Chunks someone looked at that a failed fetch left empty. */
  g_hash_table_iter_init (&iter, self->chunks);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &chunk))
    if (!is_fetched (chunk) && chunk->items != NULL && self->error != NULL)
      want (self, chunk->index, FALSE);
  beam_ets_window_size_async (self->connection, self->table, self->cancellable, size_read,
                              g_object_ref (self));
}

static void
size_reread (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamEtsRowWindow) self = user_data;
  gint64 size = answered_size (self, result);
  guint old = self->n_items;

  if (size < 0)
    return;
  g_hash_table_remove_all (self->chunks);
  g_hash_table_remove_all (self->seen_keys);
  self->n_held = 0;
  g_queue_clear (&self->wanted);
  g_clear_pointer (&self->key_index, beam_ets_key_index_free);
  self->buckets = 0;
  if (self->size != size)
    {
      self->size = size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
    }
  self->n_items = (guint) CLAMP (size, 0, G_MAXUINT);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
}

void
beam_ets_row_window_reload (BeamEtsRowWindow *self)
{
  g_return_if_fail (BEAM_IS_ETS_ROW_WINDOW (self));

  if (self->deleted)
    return;
  beam_ets_window_size_async (self->connection, self->table, self->cancellable, size_reread,
                              g_object_ref (self));
}

static gint
compare_indexes (gconstpointer a,
                 gconstpointer b)
{
  guint left = *(const guint *) a, right = *(const guint *) b;

  return left < right ? -1 : left > right;
}

static gboolean
row_has (const BeamTerm *row,
         const char     *needle,
         BeamSyntax      syntax)
{
  BeamPrintOptions options = { .syntax = syntax, .max_depth = 12, .max_width = 256 };
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;

  if (row == NULL)
    return FALSE;
  text = beam_term_print (row, &options);
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, needle) != NULL;
}

gint64
beam_ets_row_window_find (BeamEtsRowWindow *self,
                          const char       *needle,
                          BeamSyntax        syntax,
                          gint64            from,
                          gboolean          forward)
{
  g_autofree char *folded = NULL;
  g_autoptr(GArray) indexes = NULL;
  GHashTableIter iter;
  Chunk *chunk;

  g_return_val_if_fail (BEAM_IS_ETS_ROW_WINDOW (self), -1);
  g_return_val_if_fail (needle != NULL, -1);

  if (needle[0] == '\0')
    return -1;
  folded = g_utf8_casefold (needle, -1);
  indexes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_hash_table_iter_init (&iter, self->chunks);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &chunk))
    if (is_fetched (chunk))
      g_array_append_val (indexes, chunk->index);
  g_array_sort (indexes, compare_indexes);

  for (guint n = 0; n < indexes->len; n++)
    {
      guint i = forward ? n : indexes->len - 1 - n;

      chunk = lookup_chunk (self, g_array_index (indexes, guint, i));
      for (guint r = 0; r < chunk->rows->len; r++)
        {
          guint row = forward ? r : chunk->rows->len - 1 - r;
          gint64 position = (gint64) chunk->index * CHUNK + chunk->leading + row;

          if ((forward ? position <= from : position >= from) || position >= self->n_items)
            continue;
          if (row_has (chunk->rows->pdata[row], folded, syntax))
            return position;
        }
    }
  return -1;
}

/* ---- GObject -------------------------------------------------------------------- */

static void
beam_ets_row_window_dispose (GObject *object)
{
  BeamEtsRowWindow *self = BEAM_ETS_ROW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (beam_ets_row_window_parent_class)->dispose (object);
}

static void
beam_ets_row_window_finalize (GObject *object)
{
  BeamEtsRowWindow *self = BEAM_ETS_ROW_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->chunks, g_hash_table_unref);
  g_clear_pointer (&self->seen_keys, g_hash_table_unref);
  g_queue_clear (&self->wanted);
  g_clear_pointer (&self->table, beam_term_free);
  g_clear_pointer (&self->key_index, beam_ets_key_index_free);
  g_free (self->name);
  g_free (self->kind);
  g_free (self->protection);
  g_free (self->error);

  G_OBJECT_CLASS (beam_ets_row_window_parent_class)->finalize (object);
}

static void
beam_ets_row_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BeamEtsRowWindow *self = BEAM_ETS_ROW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->in_flight);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_ets_row_window_class_init (BeamEtsRowWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beam_ets_row_window_dispose;
  object_class->finalize = beam_ets_row_window_finalize;
  object_class->get_property = beam_ets_row_window_get_property;

  properties[PROP_SIZE] =
    g_param_spec_int64 ("size", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_ets_row_window_init (BeamEtsRowWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->chunks = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) chunk_free);
  self->seen_keys = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->wanted);
}
