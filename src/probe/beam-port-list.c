/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every port and socket of a node: programs/ports.exprs, and its answer read
 * into BeamPortList; closing one port (programs/port-close.exprs). Nothing
 * the node says is trusted: a row of the wrong shape refuses the whole
 * reply, while a value missing (a port closing as it was asked) is -1 or
 * NULL. Addresses are printed here, as "1.2.3.4:80" and "[::1]:80". */

#define G_LOG_DOMAIN "beamscope-probe"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-port-list-private.h"
#include "beam-probe-json.h"
#include "beam-term-printer.h"

#define CALL_TIMEOUT_MS 30000
/* An inet port's row measured 307 bytes (4,000 connected TCP ports on OTP 25): the
 * BEAM_PORT_LIST_MAX ports fit in 31 MB. A bigger reply is refused before it is
 * decoded, as a decoded term costs twenty times its bytes here. */
#define MAX_REPLY_BYTES (40 * 1024 * 1024)
#define CLOSE_TIMEOUT_MS 10000

static const char *no_names[] = { NULL };

static const char *
intern (GStringChunk *strings,
        const char   *text)
{
  return text != NULL ? g_string_chunk_insert_const (strings, text) : NULL;
}

static const char *
intern_atom (GStringChunk   *strings,
             const BeamTerm *term)
{
  if (term == NULL || term->kind != BEAM_TERM_ATOM)
    return NULL;
  return g_string_chunk_insert_const (strings, term->v.atom.name);
}

static const char *
intern_printed (GStringChunk   *strings,
                const BeamTerm *term)
{
  g_autofree char *text = NULL;

  if (term == NULL)
    return NULL;
  text = beam_term_print (term, NULL);
  return g_string_chunk_insert_const (strings, text);
}

/* What is no text where text was asked for, as Erlang prints it, cut
 * short: a node may send anything there. */
static const char *
intern_odd (GStringChunk   *strings,
            const BeamTerm *term)
{
  const BeamPrintOptions options = { .syntax = BEAM_SYNTAX_ERLANG, .max_depth = 4,
                                     .max_width = 16 };
  g_autofree char *text = NULL;

  if (term == NULL)
    return NULL;
  text = beam_term_print (term, &options);
  return g_string_chunk_insert_const (strings, text);
}

/* A charlist or binary as text; anything else NULL. */
static const char *
intern_string (GStringChunk   *strings,
               const BeamTerm *term)
{
  g_autofree char *text = term != NULL ? beam_term_dup_string (term) : NULL;

  return intern (strings, text);
}

/* A charlist or binary as text, anything else (or text that is no UTF-8)
 * as intern_odd prints it. */
static const char *
intern_text (GStringChunk   *strings,
             const BeamTerm *term)
{
  const char *text = intern_string (strings, term);

  return text != NULL ? text : intern_odd (strings, term);
}

static gint64
count_of (const BeamTerm *term)
{
  gint64 value;

  return beam_term_get_int64 (term, &value) && value >= 0 ? value : -1;
}

static gboolean
is_proper_list (const BeamTerm *term)
{
  return term != NULL && term->kind == BEAM_TERM_LIST && !term->v.list.improper;
}

/* port_info/2's answer {Item, Value}: its Value, or NULL (undefined, a port
 * gone, or [] for no registered name). */
static const BeamTerm *
item_value (const BeamTerm *answer,
            const char     *item)
{
  const BeamTerm *tagged = beam_term_tagged (answer, item, 2);

  return tagged != NULL ? tagged->children[1] : NULL;
}

/* Every element of a list of pids and ports, printed; NULL-terminated. */
static const char **
intern_idents (BeamPortList   *list,
               const BeamTerm *term)
{
  const char **names;
  guint n = 0;

  if (!is_proper_list (term) || term->n_children == 0)
    return no_names;
  names = g_new0 (const char *, term->n_children + 1);
  g_ptr_array_add (list->arrays, names);
  for (guint i = 0; i < term->n_children; i++)
    {
      const BeamTerm *ident = term->children[i];

      if (ident->kind == BEAM_TERM_PID || ident->kind == BEAM_TERM_PORT)
        names[n++] = intern_printed (list->strings, ident);
    }
  return names;
}

/* {Address, Port} as "1.2.3.4:80" or "[::1]:80"; {local, Path} as its path;
 * anything else as Erlang prints it; NULL for undefined. */
static const char *
intern_address (GStringChunk   *strings,
                const BeamTerm *term)
{
  const BeamTerm *address;
  gint64 port;
  guint8 bytes[16];

  if (term == NULL || beam_term_is_atom (term, "undefined"))
    return NULL;
  if (term->kind == BEAM_TERM_TUPLE && term->n_children == 2 &&
      beam_term_is_atom (term->children[0], "local"))
    return intern_text (strings, term->children[1]);
  if (term->kind != BEAM_TERM_TUPLE || term->n_children != 2 ||
      (address = term->children[0])->kind != BEAM_TERM_TUPLE ||
      (address->n_children != 4 && address->n_children != 8) ||
      !beam_term_get_int64 (term->children[1], &port) || port < 0 || port > 65535)
    return intern_odd (strings, term);

  for (guint i = 0; i < address->n_children; i++)
    {
      gint64 part;
      gint64 top = address->n_children == 4 ? 255 : 65535;

      if (!beam_term_get_int64 (address->children[i], &part) || part < 0 || part > top)
        return intern_odd (strings, term);
      if (address->n_children == 4)
        bytes[i] = (guint8) part;
      else
        {
          bytes[2 * i] = (guint8) (part >> 8);
          bytes[2 * i + 1] = (guint8) (part & 0xff);
        }
    }
  {
    g_autoptr(GInetAddress) inet =
      g_inet_address_new_from_bytes (bytes, address->n_children == 4 ? G_SOCKET_FAMILY_IPV4
                                                                     : G_SOCKET_FAMILY_IPV6);
    g_autofree char *host = g_inet_address_to_string (inet);
    g_autofree char *text = address->n_children == 4
                            ? g_strdup_printf ("%s:%" G_GINT64_FORMAT, host, port)
                            : g_strdup_printf ("[%s]:%" G_GINT64_FORMAT, host, port);

    return intern (strings, text);
  }
}

/* A list of atoms joined by ", ", upper case if asked; NULL if empty. */
static char *
join_atoms (const BeamTerm *term,
            gboolean        upper)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!is_proper_list (term))
    return NULL;
  for (guint i = 0; i < term->n_children; i++)
    {
      const char *name = term->children[i]->kind == BEAM_TERM_ATOM
                         ? term->children[i]->v.atom.name : NULL;
      g_autofree char *upper_name = NULL;

      if (name == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      if (upper)
        name = upper_name = g_ascii_strup (name, -1);
      g_string_append (text, name);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static gboolean
is_triple (const BeamTerm *term)
{
  return term->kind == BEAM_TERM_TUPLE && term->n_children == 3;
}

/* The value the node sent, or NULL for undefined. */
static const BeamTerm *
known (const BeamTerm *term)
{
  return beam_term_is_atom (term, "undefined") ? NULL : term;
}

/* {{Stat, Local, Remote}, {Status, {Active, Buffer, Recbuf}, {Sndbuf,
 * Nodelay, SendTimeout}}}, Stat {RecvOct, RecvCnt, SendOct, SendCnt,
 * SendPend}: each undefined when not known. */
static gboolean
read_inet (BeamPortList   *list,
           const BeamTerm *inet,
           BeamPort       *port)
{
  GStringChunk *strings = list->strings;
  const BeamTerm *addresses, *status, *first, *second, *stat, *value;
  g_autofree char *state = NULL;

  if (inet->kind != BEAM_TERM_TUPLE || inet->n_children != 2 ||
      !is_triple (addresses = inet->children[0]) || !is_triple (status = inet->children[1]) ||
      !is_triple (first = status->children[1]) || !is_triple (second = status->children[2]))
    return FALSE;

  if (g_str_has_suffix (port->name, "_inet"))
    {
      g_autofree char *protocol = g_strndup (port->name, strlen (port->name) - 5);

      port->protocol = intern (strings, protocol);
    }
  stat = addresses->children[0];
  if (stat->kind == BEAM_TERM_TUPLE && stat->n_children == 5)
    {
      port->recv_oct = count_of (stat->children[0]);
      port->recv_cnt = count_of (stat->children[1]);
      port->send_oct = count_of (stat->children[2]);
      port->send_cnt = count_of (stat->children[3]);
      port->send_pend = count_of (stat->children[4]);
    }
  port->local = intern_address (strings, addresses->children[1]);
  port->remote = intern_address (strings, addresses->children[2]);
  state = join_atoms (status->children[0], TRUE);
  port->state = intern (strings, state);

  value = known (first->children[0]);
  if (value != NULL && (value->kind == BEAM_TERM_ATOM || value->kind == BEAM_TERM_INTEGER))
    port->active = intern_printed (strings, value);
  port->buffer = count_of (first->children[1]);
  port->recbuf = count_of (first->children[2]);
  port->sndbuf = count_of (second->children[0]);
  value = second->children[1];
  port->nodelay = beam_term_is_atom (value, "true") ? 1 : beam_term_is_atom (value, "false") ? 0
                  : -1;
  port->send_timeout = count_of (second->children[2]);
  return TRUE;
}

/* {{Port, Name, Connected}, {Links, MonitoredBy, Registered}, {{OsPid,
 * QueueSize, Memory}, {Input, Output}, OwnerName}}, Connected known to be
 * a pid: port_info/2's values, undefined when not known. */
static gboolean
read_port (BeamPortList   *list,
           const BeamTerm *row,
           BeamPort       *port)
{
  GStringChunk *strings = list->strings;
  const BeamTerm *first = row->children[0], *second = row->children[1];
  const BeamTerm *third = row->children[2], *sizes, *io;

  port->os_pid = port->queue_size = port->memory = port->input = port->output = -1;
  port->recv_oct = port->recv_cnt = port->send_oct = port->send_cnt = port->send_pend = -1;
  port->buffer = port->recbuf = port->sndbuf = port->send_timeout = -1;
  port->nodelay = -1;
  port->links = port->monitors = no_names;

  if (first->children[0]->kind != BEAM_TERM_PORT || !is_triple (second) || !is_triple (third) ||
      !is_triple (sizes = third->children[0]) ||
      (io = third->children[1])->kind != BEAM_TERM_TUPLE || io->n_children != 2)
    return FALSE;
  port->id = intern_printed (strings, first->children[0]);
  /* a binary; anything else (not from port_info/2) as the node sent it */
  port->name = intern_text (strings, first->children[1]);
  port->connected = intern_printed (strings, first->children[2]);
  port->links = intern_idents (list, second->children[0]);
  port->monitors = intern_idents (list, second->children[1]);
  port->registered_name = intern_atom (strings, known (second->children[2]));
  port->os_pid = count_of (sizes->children[0]);
  port->queue_size = count_of (sizes->children[1]);
  port->memory = count_of (sizes->children[2]);
  port->input = count_of (io->children[0]);
  port->output = count_of (io->children[1]);
  port->connected_name = intern_atom (strings, known (third->children[2]));
  return port->name != NULL;
}

static gint64
counter (const BeamTerm *counters,
         const char     *name)
{
  return count_of (beam_term_map_get (counters, name));
}

static gboolean
read_socket (BeamPortList   *list,
             const BeamTerm *row,
             BeamSocket     *socket)
{
  GStringChunk *strings = list->strings;
  const BeamTerm *info, *owner, *protocol, *counters;
  g_autofree char *rstates = NULL, *wstates = NULL;

  socket->read_byte = socket->read_pkg = socket->write_byte = socket->write_pkg = -1;
  if (row->kind != BEAM_TERM_TUPLE || row->n_children != 5 ||
      row->children[0]->kind != BEAM_TERM_BINARY)
    return FALSE;
  info = row->children[1];
  if (info->kind != BEAM_TERM_MAP && !beam_term_is_atom (info, "undefined"))
    return FALSE;

  socket->id = intern_text (strings, row->children[0]);
  owner = beam_term_map_get (info, "owner");
  if (owner != NULL && owner->kind == BEAM_TERM_PID)
    socket->owner = intern_printed (strings, owner);
  socket->owner_name = intern_atom (strings, item_value (row->children[4], "registered_name"));
  socket->domain = intern_atom (strings, beam_term_map_get (info, "domain"));
  socket->type = intern_atom (strings, beam_term_map_get (info, "type"));
  protocol = beam_term_map_get (info, "protocol");
  if (protocol != NULL && (protocol->kind == BEAM_TERM_ATOM || protocol->kind == BEAM_TERM_INTEGER))
    socket->protocol = intern_odd (strings, protocol);
  rstates = join_atoms (beam_term_map_get (info, "rstates"), FALSE);
  wstates = join_atoms (beam_term_map_get (info, "wstates"), FALSE);
  if (rstates != NULL && wstates != NULL)
    {
      g_autofree char *both = g_strconcat (rstates, ", ", wstates, NULL);

      socket->state = intern (strings, both);
    }
  else
    socket->state = intern (strings, rstates != NULL ? rstates : wstates);
  socket->local = intern_address (strings, row->children[2]);
  socket->remote = intern_address (strings, row->children[3]);
  counters = beam_term_map_get (info, "counters");
  socket->read_byte = counter (counters, "read_byte");
  socket->read_pkg = counter (counters, "read_pkg");
  socket->write_byte = counter (counters, "write_byte");
  socket->write_pkg = counter (counters, "write_pkg");
  return socket->id != NULL;
}

static int
by_count (gconstpointer a,
          gconstpointer b)
{
  const BeamPortType *x = a, *y = b;

  return x->count < y->count ? 1 : x->count > y->count ? -1 : g_strcmp0 (x->name, y->name);
}

/* Ports by name, most first, as recon:port_types/0 counts them. */
static void
count_types (BeamPortList *list)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer name, count;

  for (guint i = 0; i < list->n_ports; i++)
    {
      const char *port_name = list->ports[i].name;

      g_hash_table_insert (counts, (gpointer) port_name,
                           GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (counts,
                                                                                    port_name))
                                             + 1));
    }
  list->types = g_new0 (BeamPortType, MAX (g_hash_table_size (counts), 1));
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &name, &count))
    list->types[list->n_types++] = (BeamPortType) { name, (gint64) GPOINTER_TO_SIZE (count) };
  qsort (list->types, list->n_types, sizeof (BeamPortType), by_count);
}

/* The rows: a port that closed between erlang:ports() and port_info/2
 * (its connected process undefined) is left out; any other row must have
 * the shape asked for. */
static gboolean
read_ports (BeamPortList   *list,
            const BeamTerm *rows)
{
  list->ports = g_new0 (BeamPort, MAX (rows->n_children, 1));
  for (guint i = 0; i < rows->n_children; i++)
    {
      const BeamTerm *row = rows->children[i], *connected;

      if (!is_triple (row) || !is_triple (row->children[0]))
        return FALSE;
      connected = row->children[0]->children[2];
      if (beam_term_is_atom (connected, "undefined"))
        continue;
      if (connected->kind != BEAM_TERM_PID ||
          !read_port (list, row, &list->ports[list->n_ports++]))
        return FALSE;
    }
  return TRUE;
}

/* [{Port, Answers}] of the inet ports, matched to the rows by port. */
static gboolean
read_inets (BeamPortList   *list,
            const BeamTerm *inets)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < list->n_ports; i++)
    g_hash_table_insert (by_id, (gpointer) list->ports[i].id, &list->ports[i]);
  for (guint i = 0; i < inets->n_children; i++)
    {
      const BeamTerm *inet = inets->children[i];
      g_autofree char *id = NULL;
      BeamPort *port;

      if (inet->kind != BEAM_TERM_TUPLE || inet->n_children != 2 ||
          inet->children[0]->kind != BEAM_TERM_PORT)
        return FALSE;
      id = beam_term_print (inet->children[0], NULL);
      /* A port gone before port_info/1 asked, or one named twice: read once. */
      if ((port = g_hash_table_lookup (by_id, id)) == NULL || port->protocol != NULL)
        continue;
      if (!read_inet (list, inet->children[1], port))
        return FALSE;
    }
  return TRUE;
}

static gpointer
decode_ports (const BeamTerm  *reply,
              gpointer         user_data G_GNUC_UNUSED,
              GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(BeamPortList) list = NULL;
  const BeamTerm *rows, *inets, *sockets;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 5 ||
      !is_proper_list (rows = value->children[2]) || rows->n_children > BEAM_PORT_LIST_MAX ||
      !is_proper_list (inets = value->children[3]) || inets->n_children > rows->n_children ||
      ((sockets = value->children[4])->kind != BEAM_TERM_LIST &&
       !beam_term_is_atom (sockets, "none")) ||
      (sockets->kind == BEAM_TERM_LIST &&
       (sockets->v.list.improper || sockets->n_children > BEAM_PORT_LIST_MAX)))
    {
      beam_erl_set_bad_reply (error, "erlang:port_info/1");
      return NULL;
    }

  list = g_new0 (BeamPortList, 1);
  list->strings = g_string_chunk_new (4096);
  list->arrays = g_ptr_array_new_with_free_func (g_free);
  list->port_limit = count_of (value->children[0]);
  list->port_count = count_of (value->children[1]);
  if (!read_ports (list, rows))
    {
      beam_erl_set_bad_reply (error, "erlang:port_info/1");
      return NULL;
    }
  if (!read_inets (list, inets))
    {
      beam_erl_set_bad_reply (error, "inet:getstat/2");
      return NULL;
    }

  list->has_sockets = sockets->kind == BEAM_TERM_LIST;
  list->sockets = g_new0 (BeamSocket, MAX (sockets->n_children, 1));
  for (guint i = 0; list->has_sockets && i < sockets->n_children; i++)
    if (!read_socket (list, sockets->children[i], &list->sockets[list->n_sockets++]))
      {
        beam_erl_set_bad_reply (error, "socket:info/1");
        return NULL;
      }

  count_types (list);
  return g_steal_pointer (&list);
}

BeamPortList *
_beam_port_list_decode (const BeamTerm  *reply,
                        GError         **error)
{
  return decode_ports (reply, NULL, error);
}

void
beam_port_list_async (BeamConnection      *connection,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  beam_connection_call_task_async (connection, beam_port_list_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args (
                                       "ports",
                                       "Max", beam_term_new_integer (BEAM_PORT_LIST_MAX),
                                       NULL),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     .max_reply_bytes = MAX_REPLY_BYTES,
                                     .decode = decode_ports,
                                     .result_free = (GDestroyNotify) beam_port_list_free,
                                   }, cancellable, callback, user_data);
}

BeamPortList *
beam_port_list_finish (GAsyncResult  *result,
                       GError       **error)
{
  return beam_connection_call_task_finish (result, beam_port_list_async, error);
}

void
beam_port_list_free (BeamPortList *list)
{
  if (list == NULL)
    return;
  g_free (list->ports);
  g_free (list->sockets);
  g_free (list->types);
  g_clear_pointer (&list->arrays, g_ptr_array_unref);
  if (list->strings != NULL)
    g_string_chunk_free (list->strings);
  g_free (list);
}

static const char *
respelled (BeamPortList *list,
           const char   *name,
           BeamSyntax    syntax)
{
  g_autofree char *spelled = NULL;

  if (name == NULL)
    return NULL;
  spelled = beam_print_name (name, syntax);
  return g_strcmp0 (spelled, name) == 0 ? name : intern (list->strings, spelled);
}

void
beam_port_list_respell (BeamPortList *list,
                        BeamSyntax    syntax)
{
  g_return_if_fail (list != NULL);

  for (guint i = 0; i < list->n_ports; i++)
    {
      BeamPort *port = &list->ports[i];

      port->connected_name = respelled (list, port->connected_name, syntax);
      port->registered_name = respelled (list, port->registered_name, syntax);
    }
  for (guint i = 0; i < list->n_sockets; i++)
    list->sockets[i].owner_name = respelled (list, list->sockets[i].owner_name, syntax);
}

JsonNode *
beam_port_list_to_json (const BeamPortList *list)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (list != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < list->n_ports; i++)
    {
      const BeamPort *port = &list->ports[i];

      json_builder_begin_object (builder);
      beam_json_add_string_or_null (builder, "id", port->id);
      beam_json_add_string_or_null (builder, "name", port->name);
      beam_json_add_string_or_null (builder, "connected", port->connected);
      beam_json_add_count_or_null (builder, "os_pid", port->os_pid);
      beam_json_add_count_or_null (builder, "queue_size", port->queue_size);
      beam_json_add_count_or_null (builder, "memory", port->memory);
      beam_json_add_count_or_null (builder, "input", port->input);
      beam_json_add_count_or_null (builder, "output", port->output);
      if (port->protocol != NULL)
        {
          beam_json_add_string_or_null (builder, "protocol", port->protocol);
          beam_json_add_string_or_null (builder, "local", port->local);
          beam_json_add_string_or_null (builder, "remote", port->remote);
          beam_json_add_string_or_null (builder, "state", port->state);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* ---- closing a port -------------------------------------------------------------- */

static gpointer
decode_close (const BeamTerm  *reply,
              gpointer         user_data,
              GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);

  if (beam_term_is_atom (value, "closed"))
    return GINT_TO_POINTER (TRUE);
  if (beam_term_is_atom (value, "gone"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No port %s on the node"), (const char *) user_data);
      return NULL;
    }
  beam_erl_set_bad_reply (error, "erlang:port_close/1");
  return NULL;
}

void
beam_port_close_async (BeamConnection      *connection,
                       const char          *port_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (port_id != NULL && g_utf8_validate (port_id, -1, NULL));

  beam_connection_call_task_async (connection, beam_port_close_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args (
                                       "port-close",
                                       "Wanted", beam_term_new_binary (port_id, strlen (port_id)),
                                       NULL),
                                     .timeout_ms = CLOSE_TIMEOUT_MS,
                                     .decode = decode_close,
                                     .decode_data = g_strdup (port_id),
                                     .decode_data_free = g_free,
                                   }, cancellable, callback, user_data);
}

gboolean
beam_port_close_finish (GAsyncResult  *result,
                        GError       **error)
{
  return beam_connection_call_task_finish (result, beam_port_close_async, error) != NULL;
}
