/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"

G_BEGIN_DECLS

/* Mnesia's tables on a node, as mnesia:table_info/2 tells them there
 * (programs/mnesia-tables.exprs), for the Tables page's Mnesia section and
 * the CLI's `mnesia`. Asking never starts or loads Mnesia: a node where it
 * does not run answers with `running` FALSE and no tables. */

typedef struct
{
  const char  *name;
  const char  *storage_type;      /* here: ram_copies, disc_copies, disc_only_copies,
                                   * or NULL where the node holds no copy */
  const char  *type;              /* set, ordered_set, bag */
  gint64       size;              /* records, -1 if not known */
  gint64       memory;            /* bytes, -1 if not known */
  const char  *record_name;
  const char **attributes;        /* NULL-terminated; the first is the key */
  const char **ram_copies;        /* nodes, NULL-terminated */
  const char **disc_copies;
  const char **disc_only_copies;
  const char  *where_to_read;     /* a node, or NULL for nowhere */
} BeamMnesiaTable;

typedef struct
{
  gboolean         running;
  BeamMnesiaTable *tables;        /* as mnesia:system_info(tables) lists them */
  guint            n_tables;
  GStringChunk    *strings;
  GPtrArray       *vectors;       /* the tables' NULL-terminated lists, freed with them */
} BeamMnesiaTables;

void              beam_mnesia_tables_async        (BeamConnection          *connection,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
BeamMnesiaTables *beam_mnesia_tables_finish       (GAsyncResult            *result,
                                                   GError                 **error);
void              beam_mnesia_tables_free         (BeamMnesiaTables        *tables);
/* By name. */
void              beam_mnesia_tables_sort         (BeamMnesiaTables        *tables);
/* ram, disc or disc_only for ram_copies, disc_copies or disc_only_copies;
 * NULL for no local copy: how the page and the CLI's text say it. */
const char       *beam_mnesia_storage_short_name  (const char              *storage_type);
/* [{"name", "storage_type", "type", "size", "memory", "record_name",
 *   "attributes", "ram_copies", "disc_copies", "disc_only_copies",
 *   "where_to_read"}], storage types as Mnesia names them, memory in bytes,
 * null for what is not known. */
JsonNode         *beam_mnesia_tables_to_json      (const BeamMnesiaTables  *tables);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamMnesiaTables, beam_mnesia_tables_free)

G_END_DECLS
