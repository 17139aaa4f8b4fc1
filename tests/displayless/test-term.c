/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The term decoder, encoder and printers, checked against the real thing:
 * the fixtures in tests/fixtures/term_corpus.{erl,exs} are run at test time
 * on a local erl and elixir, which write each term's external format next
 * to how that node prints it. Every term is decoded here and must print
 * byte for byte the same. The rest checks what no node can show us: round
 * trips, hostile input, depth and width limits. */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include <ei.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "beam-term-private.h"
#include "beam-term-printer.h"

#define LOCAL_NODE "nonode@nohost"
#define MAX_REPORTED_MISMATCHES 40

typedef struct
{
  char   *syntax;    /* "erlang" or "elixir": whose printout `expected` is */
  char   *name;
  GBytes *etf;       /* with the version byte */
  char   *expected;  /* NULL where the generator gave no reference */
  guint   line;
} CorpusEntry;

typedef struct
{
  GPtrArray *entries;
  char      *skip_reason;  /* the generator's program is not installed */
} Corpus;

static void
corpus_entry_free (CorpusEntry *entry)
{
  g_free (entry->syntax);
  g_free (entry->name);
  g_bytes_unref (entry->etf);
  g_free (entry->expected);
  g_free (entry);
}

static GBytes *
hex_decode (const char *hex)
{
  gsize len = strlen (hex);
  guint8 *data;

  g_assert_cmpuint (len % 2, ==, 0);
  data = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      g_assert_cmpint (hi, >=, 0);
      g_assert_cmpint (lo, >=, 0);
      data[i] = (guint8) (hi * 16 + lo);
    }
  return g_bytes_new_take (data, len / 2);
}

/* Runs `program script OUTFILE` and parses what it wrote. */
static Corpus *
corpus_generate (const char *program,
                 const char *script)
{
  Corpus *corpus = g_new0 (Corpus, 1);
  const char *fixtures = g_getenv ("BEAMSCOPE_FIXTURES");
  g_autofree char *path = g_find_program_in_path (program);
  g_autofree char *script_path = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *err_text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  corpus->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) corpus_entry_free);

  if (fixtures == NULL)
    {
      corpus->skip_reason = g_strdup ("BEAMSCOPE_FIXTURES is not set: "
                                      "run this test with meson test");
      return corpus;
    }
  if (path == NULL)
    {
      corpus->skip_reason = g_strdup_printf ("“%s” is not on PATH: cannot generate %s",
                                             program, script);
      return corpus;
    }
  script_path = g_build_filename (fixtures, script, NULL);

  tmpdir = g_dir_make_tmp ("beamscope-term-XXXXXX", &error);
  g_assert_no_error (error);
  out_path = g_build_filename (tmpdir, "corpus.txt", NULL);

  {
    const char *argv[] = { path, script_path, out_path, NULL };

    g_spawn_sync (tmpdir, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                  NULL, NULL, NULL, &err_text, &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, &error))
      g_error ("%s %s failed: %s\n%s", program, script, error->message, err_text);
  }

  g_file_get_contents (out_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_unlink (out_path);
  g_rmdir (tmpdir);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      CorpusEntry *entry;

      if (lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, 4);

      entry = g_new0 (CorpusEntry, 1);
      entry->syntax = g_strdup (fields[0]);
      entry->name = g_strdup (fields[1]);
      entry->etf = hex_decode (fields[2]);
      entry->line = i + 1;
      if (strcmp (fields[3], "-") != 0)
        {
          g_autoptr(GBytes) printed = hex_decode (fields[3]);
          gsize n;
          const char *data = g_bytes_get_data (printed, &n);

          entry->expected = g_strndup (data, n);
          g_assert_true (g_utf8_validate (entry->expected, -1, NULL));
        }
      g_ptr_array_add (corpus->entries, entry);
    }

  g_assert_cmpuint (corpus->entries->len, >, 0);
  return corpus;
}

/* Each generator runs once per test binary, the first time it is needed. */
static Corpus *
erlang_corpus (void)
{
  static Corpus *corpus;

  if (corpus == NULL)
    corpus = corpus_generate ("escript", "term_corpus.erl");
  return corpus;
}

static Corpus *
elixir_corpus (void)
{
  static Corpus *corpus;

  if (corpus == NULL)
    corpus = corpus_generate ("elixir", "term_corpus.exs");
  return corpus;
}

static BeamTerm *
decode_entry (const CorpusEntry *entry,
              GError           **error)
{
  gsize n;
  const char *data = g_bytes_get_data (entry->etf, &n);

  return _beam_term_decode (data, n, TRUE, error);
}

static char *
print_as (const BeamTerm *term,
          BeamSyntax      syntax)
{
  BeamPrintOptions options = { syntax, LOCAL_NODE, 0, 0 };

  return beam_term_print (term, &options);
}

/* Structural equality, for round trips. */
static gboolean
terms_equal (const BeamTerm *a,
             const BeamTerm *b)
{
  if (a->kind != b->kind || a->n_children != b->n_children)
    return FALSE;
  for (guint i = 0; i < a->n_children; i++)
    if (!terms_equal (a->children[i], b->children[i]))
      return FALSE;

  switch (a->kind)
    {
    case BEAM_TERM_INTEGER:
      return a->v.integer == b->v.integer;
    case BEAM_TERM_BIG_INTEGER:
      return strcmp (a->v.big.digits, b->v.big.digits) == 0;
    case BEAM_TERM_FLOAT:
      return memcmp (&a->v.floating, &b->v.floating, sizeof (double)) == 0;
    case BEAM_TERM_ATOM:
      return strcmp (a->v.atom.name, b->v.atom.name) == 0;
    case BEAM_TERM_BINARY:
    case BEAM_TERM_BITSTRING:
      return a->v.bytes.size == b->v.bytes.size && a->v.bytes.last_bits == b->v.bytes.last_bits &&
             (a->v.bytes.size == 0 ||
              memcmp (a->v.bytes.data, b->v.bytes.data, a->v.bytes.size) == 0);
    case BEAM_TERM_LIST:
      return a->v.list.improper == b->v.list.improper;
    case BEAM_TERM_PID:
    case BEAM_TERM_PORT:
    case BEAM_TERM_REFERENCE:
      return strcmp (a->v.ident.node, b->v.ident.node) == 0 && a->v.ident.id == b->v.ident.id &&
             a->v.ident.serial == b->v.ident.serial && a->v.ident.creation == b->v.ident.creation &&
             a->v.ident.ref_len == b->v.ident.ref_len &&
             memcmp (a->v.ident.ref_words, b->v.ident.ref_words, sizeof a->v.ident.ref_words) == 0;
    case BEAM_TERM_FUN:
      return g_strcmp0 (a->v.fun.module, b->v.fun.module) == 0 &&
             g_strcmp0 (a->v.fun.function, b->v.fun.function) == 0 &&
             a->v.fun.arity == b->v.fun.arity && a->v.fun.is_export == b->v.fun.is_export &&
             a->v.fun.index == b->v.fun.index && a->v.fun.uniq == b->v.fun.uniq;
    case BEAM_TERM_TUPLE:
    case BEAM_TERM_MAP:
    case BEAM_TERM_REPLY_PID:
    default:
      return TRUE;
    }
}

static gboolean
is_closure (const BeamTerm *term)
{
  if (term->kind == BEAM_TERM_FUN && !term->v.fun.is_export)
    return TRUE;
  for (guint i = 0; i < term->n_children; i++)
    if (is_closure (term->children[i]))
      return TRUE;
  return FALSE;
}

/* Corpus comparisons */

static void
check_corpus (Corpus     *corpus,
              const char *syntax_name,
              BeamSyntax  syntax)
{
  guint n_compared = 0;
  guint n_unreferenced = 0;
  guint n_failed = 0;

  if (corpus->skip_reason != NULL)
    {
      g_test_skip (corpus->skip_reason);
      return;
    }

  for (guint i = 0; i < corpus->entries->len; i++)
    {
      const CorpusEntry *entry = g_ptr_array_index (corpus->entries, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(BeamTerm) term = NULL;
      g_autofree char *printed = NULL;
      g_autofree char *again = NULL;

      if (strcmp (entry->syntax, syntax_name) != 0)
        continue;

      term = decode_entry (entry, &error);
      if (term == NULL)
        {
          g_test_message ("term #%u “%s” (line %u) did not decode: %s",
                          i, entry->name, entry->line, error->message);
          n_failed++;
          continue;
        }

      printed = print_as (term, syntax);
      again = print_as (term, syntax);
      g_assert_cmpstr (printed, ==, again);

      /* No reference to compare with (see the generators): at least the
       * printout must be stable and show a fun. */
      if (entry->expected == NULL)
        {
          g_assert_nonnull (strstr (printed, syntax == BEAM_SYNTAX_ELIXIR ? "#Function<" : "fun "));
          n_unreferenced++;
          continue;
        }

      n_compared++;
      if (strcmp (printed, entry->expected) != 0)
        {
          if (n_failed < MAX_REPORTED_MISMATCHES)
            g_test_message ("term #%u “%s” (line %u) prints differently in %s:\n"
                            "  node:    %s\n  printed: %s",
                            i, entry->name, entry->line, syntax_name, entry->expected, printed);
          n_failed++;
        }
    }

  g_test_message ("%s: %u terms compared with the node, %u checked for stability only",
                  syntax_name, n_compared, n_unreferenced);
  g_assert_cmpuint (n_compared, >, 100);
  if (n_failed > 0)
    g_test_fail_printf ("%u %s terms did not decode or printed differently from the node",
                        n_failed, syntax_name);
}

static void
test_corpus_erlang (void)
{
  check_corpus (erlang_corpus (), "erlang", BEAM_SYNTAX_ERLANG);
}

/* The same Erlang printer on the terms the Elixir fixture made. */
static void
test_corpus_erlang_from_elixir (void)
{
  check_corpus (elixir_corpus (), "erlang", BEAM_SYNTAX_ERLANG);
}

static void
test_corpus_elixir (void)
{
  check_corpus (elixir_corpus (), "elixir", BEAM_SYNTAX_ELIXIR);
}

/* Round trips */

static void
check_reencode (const BeamTerm *term)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) back = NULL;
  ei_x_buff x;

  ei_x_new_with_version (&x);
  if (!beam_term_encode (term, &x, NULL, &error))
    {
      /* Only closures are beyond the encoder, and it must say so. */
      g_assert_true (is_closure (term));
      g_assert_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_ENCODE);
      g_assert_cmpint (x.index, ==, 1);
      ei_x_free (&x);
      return;
    }

  back = _beam_term_decode (x.buff, x.index, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (terms_equal (term, back));
  ei_x_free (&x);
}

static void
test_roundtrip_corpus (void)
{
  Corpus *corpora[] = { erlang_corpus (), elixir_corpus () };
  guint n = 0;

  for (guint c = 0; c < G_N_ELEMENTS (corpora); c++)
    {
      if (corpora[c]->skip_reason != NULL)
        continue;
      for (guint i = 0; i < corpora[c]->entries->len; i++)
        {
          const CorpusEntry *entry = g_ptr_array_index (corpora[c]->entries, i);
          g_autoptr(GError) error = NULL;
          g_autoptr(BeamTerm) term = decode_entry (entry, &error);
          g_autoptr(BeamTerm) copy = NULL;

          g_assert_no_error (error);
          check_reencode (term);

          copy = beam_term_copy (term);
          g_assert_true (terms_equal (term, copy));
          n++;
        }
    }

  if (n == 0)
    g_test_skip ("Neither escript nor elixir is on PATH");
}

static BeamTerm *
encode_decode (const BeamTerm   *term,
               const erlang_pid *reply_pid)
{
  g_autoptr(GError) error = NULL;
  BeamTerm *back;
  ei_x_buff x;

  ei_x_new (&x);
  g_assert_true (beam_term_encode (term, &x, reply_pid, &error));
  g_assert_no_error (error);
  back = _beam_term_decode (x.buff, x.index, FALSE, &error);
  g_assert_no_error (error);
  ei_x_free (&x);
  return back;
}

static void
test_roundtrip_builders (void)
{
  static const guint8 raw[] = { 0, 1, 2, 255 };
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_term_free);
  g_autoptr(BeamTerm) big = NULL;
  g_autoptr(BeamTerm) nbig = NULL;
  g_autoptr(BeamTerm) request = NULL;
  g_autoptr(BeamTerm) back = NULL;
  g_autoptr(BeamTerm) copy = NULL;
  g_autofree char *printed = NULL;
  erlang_pid me = { "beamscope@localhost", 7, 0, 3 };

  g_ptr_array_add (items, beam_term_new_integer (1));
  g_ptr_array_add (items, beam_term_new_integer (G_MININT64));
  g_ptr_array_add (items, beam_term_new_integer (G_MAXINT64));

  big = beam_term_new_integer (0);
  big->kind = BEAM_TERM_BIG_INTEGER;
  big->v.big.digits = g_strdup ("18446744073709551616");
  nbig = beam_term_new_integer (0);
  nbig->kind = BEAM_TERM_BIG_INTEGER;
  nbig->v.big.digits = g_strdup ("-1267650600228229401496703205376");

  request = beam_term_new_tuple (10,
                                 beam_term_new_atom ("call"),
                                 beam_term_new_atom ("λ"),
                                 beam_term_new_float (-0.5),
                                 _beam_term_new_string ("héllo"),
                                 beam_term_new_binary (raw, sizeof raw),
                                 beam_term_new_list_take (g_steal_pointer (&items)),
                                 beam_term_new_list (3,
                                                     g_steal_pointer (&big),
                                                     g_steal_pointer (&nbig),
                                                     beam_term_new_list (0)),
                                 beam_term_new_tuple (0),
                                 beam_term_new_reply_pid (),
                                 beam_term_new_export_fun ("erlang", "system_info", 1));

  back = encode_decode (request, &me);
  printed = beam_term_print (back, NULL);
  g_assert_cmpstr (printed, ==,
                   "{call,'λ',-0.5,<<\"héllo\"/utf8>>,<<0,1,2,255>>,"
                   "[1,-9223372036854775808,9223372036854775807],"
                   "[18446744073709551616,-1267650600228229401496703205376,[]],{},"
                   "<0.7.0>,fun erlang:system_info/1}");
  g_assert_cmpint (back->children[8]->kind, ==, BEAM_TERM_PID);
  g_assert_cmpuint (back->children[8]->v.ident.creation, ==, 3);

  /* A copy is deep and encodes the same. */
  copy = beam_term_copy (request);
  g_clear_pointer (&request, beam_term_free);
  {
    g_autoptr(BeamTerm) back2 = encode_decode (copy, &me);

    g_assert_true (terms_equal (back, back2));
  }
}

static void
test_encode_errors (void)
{
  g_autoptr(BeamTerm) nan = beam_term_new_float (NAN);
  g_autoptr(BeamTerm) reply = beam_term_new_tuple (2, beam_term_new_atom ("ok"),
                                                   beam_term_new_reply_pid ());
  g_autoptr(BeamTerm) long_atom = NULL;
  g_autoptr(BeamTerm) odd_map = beam_term_new_tuple (1, beam_term_new_atom ("k"));
  g_autoptr(BeamTerm) bad_big = beam_term_new_integer (0);
  g_autofree char *name = g_strnfill (256, 'x');
  const BeamTerm *cases[5];
  ei_x_buff x;

  long_atom = beam_term_new_atom (name);
  odd_map->kind = BEAM_TERM_MAP;
  bad_big->kind = BEAM_TERM_BIG_INTEGER;
  bad_big->v.big.digits = g_strdup ("12a");

  cases[0] = nan;
  cases[1] = reply;   /* no reply pid given */
  cases[2] = long_atom;
  cases[3] = odd_map;
  cases[4] = bad_big;

  ei_x_new_with_version (&x);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (beam_term_encode (cases[i], &x, NULL, &error));
      g_assert_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_ENCODE);
      /* Nothing half-written stays behind. */
      g_assert_cmpint (x.index, ==, 1);
    }
  ei_x_free (&x);
}

/* Hostile input */

static void
assert_decode_fails (const guint8 *data,
                     gsize         len,
                     gboolean      with_version,
                     int           code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) term = _beam_term_decode ((const char *) data, len, with_version, &error);

  g_assert_null (term);
  g_assert_error (error, BEAM_TERM_ERROR, code);
}

static GPtrArray *
all_entries (void)
{
  GPtrArray *all = g_ptr_array_new ();
  Corpus *corpora[] = { erlang_corpus (), elixir_corpus () };

  for (guint c = 0; c < G_N_ELEMENTS (corpora); c++)
    if (corpora[c]->skip_reason == NULL)
      for (guint i = 0; i < corpora[c]->entries->len; i++)
        {
          CorpusEntry *entry = g_ptr_array_index (corpora[c]->entries, i);

          /* The Elixir file lists each term twice, once per syntax. */
          if (strcmp (entry->syntax, "erlang") == 0)
            g_ptr_array_add (all, entry);
        }
  return all;
}

/* Every proper prefix of a valid term is a truncated term. */
static void
test_decode_truncated (void)
{
  g_autoptr(GPtrArray) entries = all_entries ();

  if (entries->len == 0)
    {
      g_test_skip ("Neither escript nor elixir is on PATH");
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const CorpusEntry *entry = g_ptr_array_index (entries, i);
      gsize len;
      const guint8 *data = g_bytes_get_data (entry->etf, &len);
      g_autofree guint8 *longer = NULL;
      /* Big terms: the ends in full, the middle sampled, to keep this fast. */
      gsize stride = len > 4096 ? 61 : 1;

      for (gsize cut = 0; cut < len; cut++)
        {
          g_autofree guint8 *copy = NULL;

          if (stride > 1 && cut > 256 && cut + 256 < len && cut % stride != 0)
            continue;
          /* An exact-size copy, so that a read past the end is a real one
           * under valgrind or ASan. */
          copy = g_memdup2 (data, MAX (cut, 1));
          assert_decode_fails (copy, cut, TRUE, BEAM_TERM_ERROR_TRUNCATED);
        }

      /* And one byte too many is not a term either. */
      longer = g_malloc (len + 1);
      memcpy (longer, data, len);
      longer[len] = 'j';
      assert_decode_fails (longer, len + 1, TRUE, BEAM_TERM_ERROR_MALFORMED);
    }
}

static void
decode_anything (const guint8 *data,
                 gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) term = _beam_term_decode ((const char *) data, len, TRUE, &error);

  if (term == NULL)
    {
      g_assert_nonnull (error);
      g_assert_cmpuint (error->domain, ==, BEAM_TERM_ERROR);
    }
  else
    {
      BeamPrintOptions options = { BEAM_SYNTAX_ELIXIR, LOCAL_NODE, 0, 0 };
      g_autofree char *erlang = beam_term_print (term, NULL);
      g_autofree char *elixir = beam_term_print (term, &options);

      g_assert_no_error (error);
      g_assert_true (g_utf8_validate (erlang, -1, NULL));
      g_assert_true (g_utf8_validate (elixir, -1, NULL));
    }
}

static void
test_decode_garbage (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250122);
  g_autoptr(GPtrArray) entries = all_entries ();

  /* Pure noise after a version byte. */
  for (guint round = 0; round < 20000; round++)
    {
      guint8 buf[48];
      gsize len = g_rand_int_range (rand, 1, sizeof buf + 1);

      buf[0] = 131;
      for (gsize i = 1; i < len; i++)
        buf[i] = (guint8) g_rand_int (rand);
      /* Bias towards real tags so that decoding gets somewhere. */
      if (len > 1 && g_rand_boolean (rand))
        buf[1] = "abcdefghijklmnopqrstuvwxyzFMPXYZ"[g_rand_int_range (rand, 0, 32)];
      decode_anything (buf, len);
    }

  /* Real terms with a few bytes changed. */
  for (guint i = 0; i < entries->len; i++)
    {
      const CorpusEntry *entry = g_ptr_array_index (entries, i);
      gsize len;
      const guint8 *data = g_bytes_get_data (entry->etf, &len);

      if (len > 4096 || len < 2)
        continue;
      for (guint round = 0; round < 20; round++)
        {
          g_autofree guint8 *copy = g_memdup2 (data, len);
          guint n_changes = g_rand_int_range (rand, 1, 4);

          for (guint k = 0; k < n_changes; k++)
            {
              gsize at = g_rand_int_range (rand, 1, (gint32) len);

              copy[at] = g_rand_boolean (rand) ? (guint8) g_rand_int (rand) : copy[at] ^ 0x80;
            }
          decode_anything (copy, len);
        }
    }
}

static void
test_decode_errors (void)
{
  static const guint8 empty[] = { 0 };
  static const guint8 only_version[] = { 131 };
  static const guint8 bad_version[] = { 130, 'j' };
  static const guint8 compressed[] = { 131, 'P', 0, 0, 0, 1, 0x78, 0x9c };
  static const guint8 unknown_tag[] = { 131, 'z' };
  static const guint8 huge_binary[] = { 131, 'm', 0xff, 0xff, 0xff, 0xff, 1, 2 };
  static const guint8 huge_list[] = { 131, 'l', 0x7f, 0xff, 0xff, 0xff, 'j' };
  static const guint8 huge_map[] = { 131, 't', 0x7f, 0xff, 0xff, 0xff, 'j', 'j' };
  static const guint8 huge_tuple[] = { 131, 'i', 0xff, 0xff, 0xff, 0xff, 'j' };
  static const guint8 bad_utf8_atom[] = { 131, 'w', 1, 0xff };
  static const guint8 nul_atom[] = { 131, 'w', 3, 'a', 0, 'b' };
  static const guint8 nan[] = { 131, 'F', 0x7f, 0xf8, 0, 0, 0, 0, 0, 0 };
  static const guint8 infinity[] = { 131, 'F', 0x7f, 0xf0, 0, 0, 0, 0, 0, 0 };
  static const guint8 ref_six_words[] = { 131, 'Z', 0, 6, 'w', 1, 'n', 0, 0, 0, 0,
                                          0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
                                          0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6 };
  static const guint8 old_fun[] = { 131, 'u', 0, 0, 0, 0 };
  static const guint8 bad_bits[] = { 131, 'M', 0, 0, 0, 1, 0, 0xff };
  static const guint8 bad_sign[] = { 131, 'n', 1, 2, 5 };
  static const guint8 export_bad_arity[] = { 131, 'q', 'w', 1, 'm', 'w', 1, 'f', 'b', 0, 0, 0, 1 };
  static const guint8 trailing[] = { 131, 'j', 'j' };
  static const guint8 atom_256[] = { 131, 'd', 1, 0 };
  g_autofree guint8 *big = NULL;
  gsize big_len = 1 + 1 + 4 + 1 + BEAM_TERM_MAX_BIG_BYTES + 1;

  assert_decode_fails (empty, 0, TRUE, BEAM_TERM_ERROR_TRUNCATED);
  assert_decode_fails (empty, 0, FALSE, BEAM_TERM_ERROR_TRUNCATED);
  assert_decode_fails (only_version, sizeof only_version, TRUE, BEAM_TERM_ERROR_TRUNCATED);
  assert_decode_fails (bad_version, sizeof bad_version, TRUE, BEAM_TERM_ERROR_MALFORMED);
  assert_decode_fails (compressed, sizeof compressed, TRUE, BEAM_TERM_ERROR_UNSUPPORTED);
  assert_decode_fails (unknown_tag, sizeof unknown_tag, TRUE, BEAM_TERM_ERROR_MALFORMED);
  assert_decode_fails (huge_binary, sizeof huge_binary, TRUE, BEAM_TERM_ERROR_TRUNCATED);
  assert_decode_fails (huge_list, sizeof huge_list, TRUE, BEAM_TERM_ERROR_TRUNCATED);
  assert_decode_fails (huge_map, sizeof huge_map, TRUE, BEAM_TERM_ERROR_TRUNCATED);
  assert_decode_fails (huge_tuple, sizeof huge_tuple, TRUE, BEAM_TERM_ERROR_TRUNCATED);
  assert_decode_fails (bad_utf8_atom, sizeof bad_utf8_atom, TRUE, BEAM_TERM_ERROR_MALFORMED);
  assert_decode_fails (nul_atom, sizeof nul_atom, TRUE, BEAM_TERM_ERROR_UNSUPPORTED);
  assert_decode_fails (nan, sizeof nan, TRUE, BEAM_TERM_ERROR_MALFORMED);
  assert_decode_fails (infinity, sizeof infinity, TRUE, BEAM_TERM_ERROR_MALFORMED);
  assert_decode_fails (ref_six_words, sizeof ref_six_words, TRUE, BEAM_TERM_ERROR_MALFORMED);
  assert_decode_fails (old_fun, sizeof old_fun, TRUE, BEAM_TERM_ERROR_UNSUPPORTED);
  assert_decode_fails (bad_bits, sizeof bad_bits, TRUE, BEAM_TERM_ERROR_MALFORMED);
  assert_decode_fails (bad_sign, sizeof bad_sign, TRUE, BEAM_TERM_ERROR_MALFORMED);
  assert_decode_fails (export_bad_arity, sizeof export_bad_arity, TRUE, BEAM_TERM_ERROR_MALFORMED);
  assert_decode_fails (trailing, sizeof trailing, TRUE, BEAM_TERM_ERROR_MALFORMED);
  assert_decode_fails (atom_256, sizeof atom_256, TRUE, BEAM_TERM_ERROR_MALFORMED);

  /* A bignum past the size limit: refused before the quadratic conversion. */
  big = g_malloc0 (big_len);
  big[0] = 131;
  big[1] = 'o';
  big[2] = (BEAM_TERM_MAX_BIG_BYTES + 1) >> 24;
  big[3] = ((BEAM_TERM_MAX_BIG_BYTES + 1) >> 16) & 0xff;
  big[4] = ((BEAM_TERM_MAX_BIG_BYTES + 1) >> 8) & 0xff;
  big[5] = (BEAM_TERM_MAX_BIG_BYTES + 1) & 0xff;
  big[big_len - 1] = 1;
  assert_decode_fails (big, big_len, TRUE, BEAM_TERM_ERROR_TOO_LARGE);
}

/* ei's convention: several terms in one buffer, an index moving along. */
static void
test_decode_at (void)
{
  static const guint8 two[] = { 131, 'a', 7, 'w', 2, 'o', 'k', 'j' };
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) first = NULL;
  g_autoptr(BeamTerm) second = NULL;
  g_autoptr(BeamTerm) third = NULL;
  g_autoptr(BeamTerm) none = NULL;
  int index = 1;

  first = beam_term_decode_at_len ((const char *) two, sizeof two, &index, &error);
  g_assert_no_error (error);
  g_assert_cmpint (index, ==, 3);
  second = _beam_term_decode_at ((const char *) two, &index, &error);
  g_assert_no_error (error);
  g_assert_cmpint (index, ==, 7);
  third = beam_term_decode_at_len ((const char *) two, sizeof two, &index, &error);
  g_assert_no_error (error);
  g_assert_cmpint (index, ==, 8);

  g_assert_true (beam_term_get_int64 (first, NULL));
  g_assert_true (beam_term_is_atom (second, "ok"));
  g_assert_cmpint (third->kind, ==, BEAM_TERM_LIST);
  g_assert_cmpuint (third->n_children, ==, 0);

  none = beam_term_decode_at_len ((const char *) two, sizeof two, &index, &error);
  g_assert_null (none);
  g_assert_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_TRUNCATED);
}

/* Lists nested `depth` deep around an atom, as ETF. */
static GByteArray *
nested_lists (guint depth)
{
  GByteArray *buf = g_byte_array_new ();
  static const guint8 head[] = { 'l', 0, 0, 0, 1 };
  static const guint8 atom[] = { 'w', 1, 'x' };
  static const guint8 nil = 'j';
  guint8 version = 131;

  g_byte_array_append (buf, &version, 1);
  for (guint i = 0; i < depth; i++)
    g_byte_array_append (buf, head, sizeof head);
  g_byte_array_append (buf, atom, sizeof atom);
  for (guint i = 0; i < depth; i++)
    g_byte_array_append (buf, &nil, 1);
  return buf;
}

static gpointer
decode_depth (gpointer data G_GNUC_UNUSED)
{
  g_autoptr(GByteArray) ok = nested_lists (BEAM_TERM_MAX_DEPTH);
  g_autoptr(GByteArray) too_deep = nested_lists (BEAM_TERM_MAX_DEPTH + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) term = NULL;
  g_autoptr(BeamTerm) back = NULL;
  g_autofree char *printed = NULL;

  term = _beam_term_decode ((const char *) ok->data, ok->len, TRUE, &error);
  g_assert_no_error (error);
  printed = beam_term_print (term, NULL);
  g_assert_cmpuint (strlen (printed), ==, 2 * BEAM_TERM_MAX_DEPTH + 1);
  back = encode_decode (term, NULL);
  g_assert_true (terms_equal (term, back));

  assert_decode_fails (too_deep->data, too_deep->len, TRUE, BEAM_TERM_ERROR_TOO_DEEP);
  return NULL;
}

/* The validator, decoder, printer, encoder and freer recurse once per level. A level takes a
 * few hundred bytes of stack, but several times that under ASan, where 10,000 levels overflow
 * the main thread's 8 MB: the walk runs on a thread given room for any build (GLib's threads
 * take no stack size). */
static void
test_decode_depth (void)
{
  pthread_attr_t attr;
  pthread_t thread;

  g_assert_cmpint (pthread_attr_init (&attr), ==, 0);
  g_assert_cmpint (pthread_attr_setstacksize (&attr, 256 * 1024 * 1024), ==, 0);
  g_assert_cmpint (pthread_create (&thread, &attr, decode_depth, NULL), ==, 0);
  g_assert_cmpint (pthread_join (thread, NULL), ==, 0);
  pthread_attr_destroy (&attr);
}

/* Printing with limits: not what a node prints, but ours to keep stable. */

/* {a,[1,2,3,4,5],#{k => {x,y},j => [1|2]},<<"hello">>,"abcdef",[{k,v},{l,w}],
 *  {1,{2,{3,{4}}}},<<1,2,3,4,5>>,<<1,2,3:2>>,"λ",[<<"λ"/utf8>>]} */
static const char limits_etf[] =
  "83680B640001616B0005010203040574000000026400016A6C00000001610161026400016B68026400"
  "0178640001796D0000000568656C6C6F6B00066162636465666C0000000268026400016B6400017668"
  "026400016C640001776A680261016802610268026103680161046D0000000501020304054D00000003"
  "020102C06C0000000162000003BB6A6C000000016D00000002CEBB6A";

static char *
print_limited (const BeamTerm *term,
               BeamSyntax      syntax,
               guint           depth,
               guint           width)
{
  BeamPrintOptions options = { syntax, LOCAL_NODE, depth, width };

  return beam_term_print (term, &options);
}

static void
test_print_limits (void)
{
  g_autoptr(GBytes) etf = hex_decode (limits_etf);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) term = NULL;
  gsize len;
  const char *data = g_bytes_get_data (etf, &len);
  struct {
    BeamSyntax  syntax;
    guint       depth;
    guint       width;
    const char *expected;
  } cases[] = {
    { BEAM_SYNTAX_ERLANG, 0, 0,
      "{a,[1,2,3,4,5],#{j => [1|2],k => {x,y}},<<\"hello\">>,\"abcdef\",[{k,v},{l,w}],"
      "{1,{2,{3,{4}}}},<<1,2,3,4,5>>,<<1,2,3:2>>,[955],[<<206,187>>]}" },
    { BEAM_SYNTAX_ELIXIR, 0, 0,
      "{:a, [1, 2, 3, 4, 5], %{j: [1 | 2], k: {:x, :y}}, \"hello\", 'abcdef', [k: :v, l: :w], "
      "{1, {2, {3, {4}}}}, <<1, 2, 3, 4, 5>>, <<1, 2, 3::size(2)>>, [955], [\"λ\"]}" },
    { BEAM_SYNTAX_ERLANG, 1, 0, "{...}" },
    { BEAM_SYNTAX_ELIXIR, 1, 0, "{...}" },
    { BEAM_SYNTAX_ERLANG, 2, 0,
      "{a,[...],#{...},<<\"hello\">>,\"abcdef\",[...],{...},"
      "<<1,2,3,4,5>>,<<1,2,3:2>>,[...],[...]}" },
    { BEAM_SYNTAX_ELIXIR, 3, 0,
      "{:a, [1, 2, 3, 4, 5], %{j: [...], k: {...}}, \"hello\", 'abcdef', [k: :v, l: :w], "
      "{1, {...}}, <<1, 2, 3, 4, 5>>, <<1, 2, 3::size(2)>>, [955], [\"λ\"]}" },
    { BEAM_SYNTAX_ERLANG, 0, 3,
      "{a,[1,2,3|...],#{j => [1|2],k => {x,y}},...}" },
    { BEAM_SYNTAX_ELIXIR, 0, 3,
      "{:a, [1, 2, 3, ...], %{j: [1 | 2], k: {:x, :y}}, ...}" },
    { BEAM_SYNTAX_ERLANG, 0, 1, "{a,...}" },
  };

  term = _beam_term_decode (data, len, TRUE, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *printed = print_limited (term, cases[i].syntax,
                                                cases[i].depth, cases[i].width);

      g_assert_cmpstr (printed, ==, cases[i].expected);
    }

  /* Width limits reach into strings and binaries, by character. */
  for (guint i = 3; i < term->n_children; i++)
    {
      static const char * const erlang[] = {
        NULL, NULL, NULL, "<<\"hel\"...>>", "\"abc\"...", "[{k,v},{l,w}]", "{1,{2,{3,{4}}}}",
        "<<1,2,3,...>>", "<<1,2,3:2>>", "[955]", "[<<206,187>>]",
      };
      static const char * const elixir[] = {
        NULL, NULL, NULL, "\"hel\" <> ...", "'abc' ++ ...", "[k: :v, l: :w]", "{1, {2, {3, {4}}}}",
        "<<1, 2, 3, ...>>", "<<1, 2, 3::size(2)>>", "[955]", "[\"λ\"]",
      };
      g_autofree char *e = print_limited (term->children[i], BEAM_SYNTAX_ERLANG, 0, 3);
      g_autofree char *x = print_limited (term->children[i], BEAM_SYNTAX_ELIXIR, 0, 3);

      g_assert_cmpstr (e, ==, erlang[i]);
      g_assert_cmpstr (x, ==, elixir[i]);
    }
}

/* Names as the process list holds them, in each syntax: the Elixir column
 * as Exception.format_mfa/3 and inspect/2 write them. */
static void
test_print_names (void)
{
  static const struct { const char *name; const char *erlang; const char *elixir; } cases[] = {
    { "Elixir.MyApp.Cache", "Elixir.MyApp.Cache", "MyApp.Cache" },
    { "Elixir.MyApp.Cache:init/1", "Elixir.MyApp.Cache:init/1", "MyApp.Cache.init/1" },
    { "gen_server:loop/7", "gen_server:loop/7", ":gen_server.loop/7" },
    { "erlang:+/2", "erlang:+/2", ":erlang.+/2" },
    { "Elixir.Foo:-fun/1-fun-0-/1", "Elixir.Foo:-fun/1-fun-0-/1", "Foo.\"-fun/1-fun-0-\"/1" },
    { "a b:c d/0", "a b:c d/0", ":\"a b\".\"c d\"/0" },
    { "code_server", "code_server", "code_server" },
    { "Elixir", "Elixir", "Elixir" },
    { "Elixir.lower", "Elixir.lower", "Elixir.lower" },
    { "undefined", "undefined", "undefined" },
    { "", "", "" },
    { ":/", ":/", ":/" },
  };
  g_autoptr(BeamTerm) mfa = beam_term_new_tuple (3, beam_term_new_atom ("Elixir.MyApp.Cache"),
                                                 beam_term_new_atom ("init"),
                                                 beam_term_new_integer (1));
  g_autoptr(BeamTerm) not_mfa = beam_term_new_tuple (2, beam_term_new_atom ("a"),
                                                     beam_term_new_integer (1));
  g_autofree char *erlang_mfa = beam_term_print_function (mfa, BEAM_SYNTAX_ERLANG);
  g_autofree char *elixir_mfa = beam_term_print_function (mfa, BEAM_SYNTAX_ELIXIR);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *erlang = beam_print_name (cases[i].name, BEAM_SYNTAX_ERLANG);
      g_autofree char *elixir = beam_print_name (cases[i].name, BEAM_SYNTAX_ELIXIR);

      g_assert_cmpstr (erlang, ==, cases[i].erlang);
      g_assert_cmpstr (elixir, ==, cases[i].elixir);
    }
  g_assert_cmpstr (erlang_mfa, ==, "Elixir.MyApp.Cache:init/1");
  g_assert_cmpstr (elixir_mfa, ==, "MyApp.Cache.init/1");
  g_assert_null (beam_term_print_function (not_mfa, BEAM_SYNTAX_ELIXIR));
}

/* Pids, ports and references of another node name it instead of 0. */
static void
test_print_remote (void)
{
  g_autoptr(BeamTerm) term = beam_term_new_list (1, beam_term_new_atom ("x"));
  BeamTerm *pid = term->children[0];
  BeamPrintOptions remote = { BEAM_SYNTAX_ERLANG, "other@host", 0, 0 };
  BeamPrintOptions any = { BEAM_SYNTAX_ELIXIR, NULL, 0, 0 };
  g_autofree char *erlang = NULL;
  g_autofree char *elixir = NULL;

  /* Turn the atom into a pid by hand: there is no pid builder. */
  g_free (pid->v.atom.name);
  memset (&pid->v, 0, sizeof pid->v);
  pid->kind = BEAM_TERM_PID;
  pid->v.ident.node = g_strdup ("a@b");
  pid->v.ident.id = 85;
  pid->v.ident.serial = 2;

  erlang = beam_term_print (term, &remote);
  elixir = beam_term_print (term, &any);
  g_assert_cmpstr (erlang, ==, "[<a@b.85.2>]");
  g_assert_cmpstr (elixir, ==, "[#PID<0.85.2>]");
}

/* Accessors */

/* [{name,"beam"},{pid_count,42},{bin,<<"λ"/utf8>>},{bad,[55296]},{nul,<<"a",0>>},
 *  {latin,<<255>>},{empty,[]},{improper,[97|98]},bare] */
static const char accessors_etf[] =
  "836C0000000968026400046E616D656B00046265616D68026400097069645F636F756E74612A6802"
  "64000362696E6D00000002CEBB68026400036261646C00000001620000D8006A68026400036E756C"
  "6D00000002610068026400056C6174696E6D00000001FF6802640005656D7074796A680264000869"
  "6D70726F7065726C0000000161616162640004626172656A";

static char *
dup_value (const BeamTerm *proplist,
           const char     *key)
{
  return beam_term_dup_string (beam_term_lookup (proplist, key));
}

static void
test_accessors (void)
{
  g_autoptr(GBytes) etf = hex_decode (accessors_etf);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) list = NULL;
  g_autofree char *name = NULL;
  g_autofree char *bin = NULL;
  g_autofree char *empty = NULL;
  gsize len;
  const char *data = g_bytes_get_data (etf, &len);
  gint64 count = 0;

  list = _beam_term_decode (data, len, TRUE, &error);
  g_assert_no_error (error);

  g_assert_true (beam_term_get_int64 (beam_term_lookup (list, "pid_count"), &count));
  g_assert_cmpint (count, ==, 42);
  g_assert_false (beam_term_get_int64 (beam_term_lookup (list, "name"), &count));
  g_assert_null (beam_term_lookup (list, "missing"));
  g_assert_null (beam_term_lookup (list, "bare"));
  g_assert_null (beam_term_lookup (beam_term_lookup (list, "pid_count"), "x"));

  name = dup_value (list, "name");
  bin = dup_value (list, "bin");
  empty = dup_value (list, "empty");
  g_assert_cmpstr (name, ==, "beam");
  g_assert_cmpstr (bin, ==, "λ");
  g_assert_cmpstr (empty, ==, "");
  g_assert_null (dup_value (list, "bad"));       /* a surrogate */
  g_assert_null (dup_value (list, "nul"));       /* C strings cannot hold it */
  g_assert_null (dup_value (list, "latin"));     /* not UTF-8 */
  g_assert_null (dup_value (list, "improper"));
  g_assert_null (dup_value (list, "pid_count"));

  g_assert_nonnull (beam_term_tagged (list->children[0], "name", 2));
  g_assert_null (beam_term_tagged (list->children[0], "name", 3));
  g_assert_null (beam_term_tagged (list->children[0], "other", 2));
  g_assert_null (beam_term_tagged (list, "name", 2));
  g_assert_true (beam_term_is_atom (list->children[8], "bare"));
  g_assert_false (beam_term_is_atom (list->children[8], "bar"));
  g_assert_false (beam_term_is_atom (NULL, "bare"));
}

int
main (int   argc,
      char *argv[])
{
  /* Mismatch reports carry UTF-8; without this GLib prints them as '?'. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  ei_init ();

  g_test_add_func ("/term/corpus/erlang", test_corpus_erlang);
  g_test_add_func ("/term/corpus/erlang-from-elixir", test_corpus_erlang_from_elixir);
  g_test_add_func ("/term/corpus/elixir", test_corpus_elixir);
  g_test_add_func ("/term/roundtrip/corpus", test_roundtrip_corpus);
  g_test_add_func ("/term/roundtrip/builders", test_roundtrip_builders);
  g_test_add_func ("/term/encode/errors", test_encode_errors);
  g_test_add_func ("/term/decode/truncated", test_decode_truncated);
  g_test_add_func ("/term/decode/garbage", test_decode_garbage);
  g_test_add_func ("/term/decode/errors", test_decode_errors);
  g_test_add_func ("/term/decode/at", test_decode_at);
  g_test_add_func ("/term/decode/depth", test_decode_depth);
  g_test_add_func ("/term/print/limits", test_print_limits);
  g_test_add_func ("/term/print/remote", test_print_remote);
  g_test_add_func ("/term/print/names", test_print_names);
  g_test_add_func ("/term/accessors", test_accessors);

  return g_test_run ();
}
