/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Ports probe's reader on any reply: a term decoded from the bytes (version byte first)
 * is read as the answer of ports.exprs; it gives a list or an error, never both, and a list
 * it gives is whole: every port has an id and a name, and it writes as JSON and respells. */

#include <stdint.h>

#include "beam-port-list-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *buf = g_memdup2 (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = NULL;
  g_autoptr(BeamPortList) list = NULL;
  gint64 counted = 0;
  int index = 1;

  if (size == 0 || !beam_term_validate (buf, size, NULL) ||
      (reply = beam_term_decode_at_len (buf, size, &index, NULL)) == NULL)
    return 0;

  list = _beam_port_list_decode (reply, &error);
  g_assert ((list == NULL) != (error == NULL));
  if (list == NULL)
    return 0;
  g_assert_cmpuint (list->n_ports, <=, BEAM_PORT_LIST_MAX);
  for (guint i = 0; i < list->n_ports; i++)
    {
      g_assert (list->ports[i].id != NULL && list->ports[i].name != NULL);
      g_assert (g_utf8_validate (list->ports[i].name, -1, NULL));
      g_assert (list->ports[i].links != NULL && list->ports[i].monitors != NULL);
    }
  for (guint i = 0; i < list->n_sockets; i++)
    g_assert (list->sockets[i].id != NULL);
  for (guint i = 0; i < list->n_types; i++)
    counted += list->types[i].count;
  g_assert_cmpint (counted, ==, list->n_ports);
  json_node_unref (beam_port_list_to_json (list));
  beam_port_list_respell (list, BEAM_SYNTAX_ELIXIR);
  return 0;
}
