/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An Erlang term decoded from the external term format (ETF) into a tree of
 * plain C structs. Built on the network thread, handed to the GTK thread
 * read-only; no GObject, no GTK. The same tree encodes request arguments. */

typedef enum
{
  BEAM_TERM_INTEGER,      /* fits in gint64 */
  BEAM_TERM_BIG_INTEGER,  /* any other integer; decimal digits kept as text */
  BEAM_TERM_FLOAT,
  BEAM_TERM_ATOM,         /* UTF-8 name */
  BEAM_TERM_BINARY,       /* whole bytes */
  BEAM_TERM_BITSTRING,    /* bytes + a count of bits in the last byte */
  BEAM_TERM_TUPLE,
  BEAM_TERM_LIST,         /* proper or improper; "abc" strings decode to lists of integers */
  BEAM_TERM_MAP,          /* children are key, value, key, value, ... */
  BEAM_TERM_PID,
  BEAM_TERM_PORT,
  BEAM_TERM_REFERENCE,
  BEAM_TERM_FUN,
  BEAM_TERM_REPLY_PID,    /* encode only: stands for the pid the reply goes to */
} BeamTermKind;

typedef struct _BeamTerm BeamTerm;

/* Decoding fails with these rather than trusting what arrived on the wire. */
#define BEAM_TERM_ERROR (beam_term_error_quark ())

typedef enum
{
  BEAM_TERM_ERROR_TRUNCATED,    /* the buffer ends inside a term */
  BEAM_TERM_ERROR_MALFORMED,    /* bad tag, length, UTF-8, float, trailing bytes, ... */
  BEAM_TERM_ERROR_UNSUPPORTED,  /* valid ETF we do not handle: compressed, atom cache, old funs */
  BEAM_TERM_ERROR_TOO_DEEP,     /* nested deeper than BEAM_TERM_MAX_DEPTH */
  BEAM_TERM_ERROR_TOO_LARGE,    /* a bignum longer than BEAM_TERM_MAX_BIG_BYTES */
  BEAM_TERM_ERROR_ENCODE,       /* beam_term_encode() cannot express the term */
} BeamTermError;

/* Decoding, printing and freeing recurse once per level: a term this deep
 * takes about 3 MB of the decoding thread's stack. */
#define BEAM_TERM_MAX_DEPTH     10000
#define BEAM_TERM_MAX_BIG_BYTES 32768

GQuark      beam_term_error_quark      (void);

struct _BeamTerm
{
  BeamTermKind kind;
  guint        n_children;   /* tuple/list elements, map keys+values (2 per pair) */
  BeamTerm   **children;
  union {
    gint64 integer;
    double floating;
    struct {
      char    *digits;       /* BIG_INTEGER: decimal, with a leading '-' if negative */
    } big;
    struct {
      char    *name;         /* ATOM: UTF-8, NUL-terminated */
    } atom;
    struct {
      guint8  *data;
      gsize    size;         /* bytes */
      guint    last_bits;    /* BITSTRING: used bits of the last byte, 1..8 */
    } bytes;
    struct {
      gboolean improper;     /* LIST: the last child is the tail, not an element */
    } list;
    struct {
      char    *node;         /* PID/PORT/REFERENCE: UTF-8 node name */
      guint64  id;           /* PID: number; PORT: id */
      guint32  serial;       /* PID only */
      guint32  creation;
      guint32  ref_words[5]; /* REFERENCE: id words, ref_len of them */
      guint    ref_len;
    } ident;
    struct {
      char    *module;       /* FUN: UTF-8 */
      char    *function;     /* export funs: name; closures: NULL */
      guint    arity;
      gint64   index;        /* closures: old index */
      gint64   uniq;         /* closures: old uniq */
      gboolean is_export;    /* fun M:F/A vs a closure (free vars are children) */
    } fun;
  } v;
};

/* Decodes the term at *index and advances it (ei's convention), never reading
 * at or past buf[len]. */
BeamTerm   *beam_term_decode_at_len    (const char     *buf,
                                        gsize           len,
                                        int            *index,
                                        GError        **error);
void        beam_term_free             (BeamTerm       *term);
/* Checks, without building anything, that `buf` (version byte first) holds
 * exactly one well-formed term: after it, ei's own decoders may walk the
 * buffer without reading past its end. Hot paths decode that way. */
gboolean    beam_term_validate         (const char     *buf,
                                        gsize           len,
                                        GError        **error);

/* Builders, for request arguments. Atoms are only ever made from literals in
 * our own code, never from what a user typed, except by beam_term_parse(),
 * whose terms travel as binaries decoded with [safe]: see DESIGN.md. */
BeamTerm   *beam_term_new_integer      (gint64          value);
BeamTerm   *beam_term_new_atom         (const char     *name);
/* Bytes as a binary: how text a user typed travels, never as an atom. */
BeamTerm   *beam_term_new_binary       (gconstpointer   data,
                                        gsize           size);
BeamTerm   *beam_term_new_tuple        (guint           n_children,
                                        ...) G_GNUC_WARN_UNUSED_RESULT;   /* takes ownership */
BeamTerm   *beam_term_new_list         (guint           n_children,
                                        ...) G_GNUC_WARN_UNUSED_RESULT;   /* takes ownership */
BeamTerm   *beam_term_new_list_take    (GPtrArray      *children);          /* takes the array */
BeamTerm   *beam_term_new_tuple_take   (GPtrArray      *children);          /* takes the array */
/* A list of `elements` (taken) ending in `tail` (taken) instead of []: a
 * list tail is joined on, so [1 | [2]] is the proper list [1, 2]. */
BeamTerm   *beam_term_new_list_with_tail_take (GPtrArray *elements,
                                               BeamTerm  *tail);
/* Keys and values alternating (taken); the keys must be distinct terms, as
 * binary_to_term/1 refuses a map that repeats one. */
BeamTerm   *beam_term_new_map_take     (GPtrArray      *keys_and_values);
BeamTerm   *beam_term_new_float        (double          value);
/* An integer of any size from decimal digits, with a leading '-' if negative;
 * one that fits in gint64 is a BEAM_TERM_INTEGER, so that equal integers are
 * equal terms. NULL for anything but digits. */
BeamTerm   *beam_term_new_big_integer  (const char     *digits);
/* The first `n_bits` bits of `data`, most significant first: a
 * BEAM_TERM_BINARY when they are whole bytes, else a BEAM_TERM_BITSTRING. */
BeamTerm   *beam_term_new_bitstring    (gconstpointer   data,
                                        gsize           n_bits);
BeamTerm   *beam_term_new_export_fun   (const char     *module,
                                        const char     *function,
                                        guint           arity);   /* fun M:F/A */
BeamTerm   *beam_term_new_reply_pid    (void);
BeamTerm   *beam_term_copy             (const BeamTerm *term);

/* Encodes into an ei_x_buff (passed as void* to keep ei.h out of this header).
 * BEAM_TERM_REPLY_PID encodes as `reply_pid` (an erlang_pid *). Returns FALSE
 * with `error` set if the term cannot be encoded. */
gboolean    beam_term_encode           (const BeamTerm *term,
                                        void           *ei_x_buff,
                                        const void     *reply_pid,
                                        GError        **error);

/* The term as term_to_binary/1 writes it, version byte first: how a term a
 * user typed travels, as a binary the node decodes with
 * binary_to_term(B, [safe]), so that it makes no atom. */
GBytes     *beam_term_to_external      (const BeamTerm *term,
                                        GError        **error);

/* Exact equality, as =:= sees it: map pairs in any order, floats bit for bit. */
gboolean    beam_term_equal            (const BeamTerm *a,
                                        const BeamTerm *b);
/* The distinct atom names in `term` (char *, owned by the array), in the
 * order they first appear: what a term would add to a node's atom table. */
GPtrArray  *beam_term_collect_atoms    (const BeamTerm *term);

/* Accessors that make probe code short and safe on whatever the node sent. */
gboolean    beam_term_is_atom          (const BeamTerm *term,
                                        const char     *name);
gboolean    beam_term_get_int64        (const BeamTerm *term,
                                        gint64         *out_value);
/* A tuple of `arity` whose first element is the atom `tag`, or NULL. */
const BeamTerm *beam_term_tagged       (const BeamTerm *term,
                                        const char     *tag,
                                        guint           arity);
/* In a proplist [{Key, Value} | ...] with atom keys, the Value of `key`, or NULL. */
const BeamTerm *beam_term_lookup       (const BeamTerm *proplist,
                                        const char     *key);
/* In a map with atom keys, the value of `key`, or NULL. */
const BeamTerm *beam_term_map_get      (const BeamTerm *map,
                                        const char     *key);
/* A list of integers (a charlist) or a binary, as a new UTF-8 string, or NULL. */
char       *beam_term_dup_string       (const BeamTerm *term);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamTerm, beam_term_free)

G_END_DECLS
