/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The term parser (beam-term-parser.c) against the languages' own readers:
 * each text of a corpus is parsed here, sent as term_to_binary bytes, and
 * compared on a real node with what erl_eval (or Elixir's Code.eval_string)
 * makes of the same text. Then what no node shows us: the errors, round
 * trips through the printers, mutated texts, time on a big text, and that
 * binary_to_term(B, [safe]) refuses an atom the node does not know. */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "beam-erl-expr.h"
#include "beam-term-parser.h"
#include "beam-test-node.h"

typedef struct
{
  const char *text;
  const char *node_text;  /* what the node evaluates; NULL: the same text */
} Case;

static const Case erlang_cases[] = {
  { "42", NULL },
  { "-5", NULL },
  { "- 5", NULL },
  { "+7", NULL },
  { "0", NULL },
  { "007", NULL },
  { "16#ff", NULL },
  { "16#FF_FF", NULL },
  { "2#101", NULL },
  { "2#1_0_1", NULL },
  { "36#zz", NULL },
  { "1_000_000", NULL },
  { "$a", NULL },
  { "$\\n", NULL },
  { "$\\x{3bb}", NULL },
  { "$\\101", NULL },
  { "$\\^a", NULL },
  { "$ ", NULL },
  { "$λ", NULL },
  { "-$a", NULL },
  { "123456789012345678901234567890", NULL },
  { "-123456789012345678901234567890", NULL },
  { "9223372036854775807", NULL },
  { "9223372036854775808", NULL },
  { "-9223372036854775808", NULL },
  { "-9223372036854775809", NULL },
  { "16#ffffffffffffffffffffffffffffffff", NULL },
  { "1.5", NULL },
  { "1.0e10", NULL },
  { "-2.5e-3", NULL },
  { "1_000.5", NULL },
  { "0.1", NULL },
  { "6.02214076E23", NULL },
  { "1.0e-300", NULL },
  { "foo", NULL },
  { "'Quoted atom'", NULL },
  { "'a\\'b'", NULL },
  { "foo@bar", NULL },
  { "fooBar_1", NULL },
  { "true", NULL },
  { "'λ'", NULL },
  { "'\\x{3bb}x'", NULL },
  { "ñandú", NULL },
  { "'$1'", NULL },
  { "'case'", NULL },
  { "'\\n\\t'", NULL },
  { "'a\\x{1F600}'", NULL },
  { "\"abc\"", NULL },
  { "\"\"", NULL },
  { "\"a\\nb\\t\\\\\\\"\"", NULL },
  { "\"\\x{41}\\101\\x42\\7\"", NULL },
  { "\"\\e\\d\\s\\v\\b\\f\\r\\^z\"", NULL },
  { "\"ab\" \"cd\"", NULL },
  { "\"ab\"\n  \"cd\" \"\"", NULL },
  { "\"λ→😀\"", NULL },
  { "\"multi\nline\"", NULL },
  { "<<\"abc\">>", NULL },
  { "<<\"é\"/utf8>>", NULL },
  { "<<\"λ\"/utf8, 0>>", NULL },
  { "<<\"é\">>", NULL },
  { "<<1,2,3>>", NULL },
  { "<<>>", NULL },
  { "<< 1 , 2 >>", NULL },
  { "<<300>>", NULL },
  { "<<-1>>", NULL },
  { "<<1:4>>", NULL },
  { "<<1:1,0:3>>", NULL },
  { "<<5:3, 255>>", NULL },
  { "<<256:16/little>>", NULL },
  { "<<-1:16>>", NULL },
  { "<<1:64/big-signed>>", NULL },
  { "<<1:2/unit:8>>", NULL },
  { "<<1:100>>", NULL },
  { "<<-2:72/little>>", NULL },
  { "<<1.5/float>>", NULL },
  { "<<-1.5:32/float>>", NULL },
  { "<<2.5/float-little>>", NULL },
  { "<<3/float>>", NULL },
  { "<<\"ab\":16>>", NULL },
  { "<<\"ab\"/utf16-little>>", NULL },
  { "<<$a/utf16, 16#1F600/utf32-little, 16#1F600/utf16>>", NULL },
  { "<<$λ/utf8, \"x\">>", NULL },
  { "{}", NULL },
  { "{a,{b,{c}}}", NULL },
  { "[]", NULL },
  { "[1,2,3]", NULL },
  { "[1|2]", NULL },
  { "[a, b | c]", NULL },
  { "[1 | [2, 3]]", NULL },
  { "[1 | []]", NULL },
  { "[1 | [2 | 3]]", NULL },
  { "[$a | \"bc\"]", NULL },
  { "[[[[[[[[[[]]]]]]]]]]", NULL },
  { "#{}", NULL },
  { "#{a => 1, \"b\" => [2], {c} => #{d => e}}", NULL },
  { "#{a => 1, a => 2}", NULL },
  { "#{[1,2] => {<<\"k\">>, #{}}, 1 => 1.0, 1.0 => 1}", NULL },
  { "#{#{a => 1, b => 2} => x, #{b => 2, a => 1} => y}", NULL },
  { "#{k1 => 1, k2 => 2, k3 => 3, k4 => 4, k5 => 5, k6 => 6, k7 => 7, k8 => 8, k9 => 9, "
    "k10 => 10, k11 => 11, k12 => 12, k13 => 13, k14 => 14, k15 => 15, k16 => 16, k17 => 17, "
    "k18 => 18, k19 => 19, k20 => 20, k21 => 21, k22 => 22, k23 => 23, k24 => 24, k25 => 25, "
    "k26 => 26, k27 => 27, k28 => 28, k29 => 29, k30 => 30, k31 => 31, k32 => 32, "
    "k33 => 33, k1 => one}", NULL },
  { "{'$1', '_', '$2'}", NULL },
  { "_", "'_'" },
  { "_Name", "'_'" },
  { "{_, '$1', _Ignored}", "{'_', '$1', '_'}" },
  { "[{{'$1', '_'}, [], ['$_']}]", NULL },
  { "foo.", "foo" },
  { "  {a, 1}  .  ", "{a, 1}" },
  { "% a comment\n{a,\n 1} % the end", NULL },
  { "{\"ünïcödé\", 'ünïcödé', <<\"ü\"/utf8>>}", NULL },
  { "{1, -1, 1.0, -1.0e-300, 123456789012345678901234567890123456789}", NULL },
  { "[{k, v}, {'K', \"v\"}, {<<\"k\">>, [1, 2 | 3]}]", NULL },
};

static const Case elixir_cases[] = {
  { ":foo", NULL },
  /* A struct is read as the map it is, with no defaults: the node's
   * structs would need the module. */
  { "%URI{}", "%{__struct__: URI}" },
  { "%MyApp.User{age: 3, name: \"x\"}", "%{__struct__: MyApp.User, age: 3, name: \"x\"}" },
  { "%{__struct__: Foo, a: 1}", NULL },
  { "%Foo{__struct__: Bar}", "%{__struct__: Foo}" },
  { "%{__struct__: :foo, a: 1}", NULL },
  { "%{__struct__: Foo, a: %Bar{}}", "%{__struct__: Foo, a: %{__struct__: Bar}}" },
  { ":\"foo bar\"", NULL },
  { ":'single quoted'", NULL },
  { ":\"$1\"", NULL },
  { ":_", NULL },
  { "_", ":_" },
  { "_ignored", ":_" },
  { "Foo.Bar", NULL },
  { "Foo", NULL },
  { "Elixir.Foo", NULL },
  { "Elixir", NULL },
  { "true", NULL },
  { "false", NULL },
  { "nil", NULL },
  { ":foo@bar", NULL },
  { ":foo?", NULL },
  { ":ok!", NULL },
  { ":Foo", NULL },
  { ":+", NULL },
  { ":===", NULL },
  { ":<<>>", NULL },
  { ":%{}", NULL },
  { ":\"::\"", NULL },
  { ":λ", NULL },
  { ":\"with \\\"quotes\\\"\"", NULL },
  { "1_000", NULL },
  { "0x1F", NULL },
  { "0x1F_ff", NULL },
  { "0b101", NULL },
  { "0o17", NULL },
  { "-0b1", NULL },
  { "?a", NULL },
  { "?\\n", NULL },
  { "?λ", NULL },
  { "-5", NULL },
  { "123456789012345678901234567890", NULL },
  { "0xFFFFFFFFFFFFFFFFFFFFFFFF", NULL },
  { "1.5", NULL },
  { "1.0e10", NULL },
  { "-2.5e-3", NULL },
  { "1_000.25", NULL },
  { "\"binary\"", NULL },
  { "\"\"", NULL },
  { "\"é λ 😀\"", NULL },
  { "\"a\\nb\\t\\\\ \\\" \\#{x} #x\"", NULL },
  { "\"\\x41\\u00e9\\u{1F600}\\0\\a\\e\\d\\s\"", NULL },
  { "\"\\xFF\\x00\"", NULL },
  { "\"two\\\nlines\"", NULL },
  { "'abc'", NULL },
  { "'a\\'b'", NULL },
  { "'λ'", NULL },
  { "~c\"abc\"", NULL },
  { "~c'x\"y'", NULL },
  { "~c(a b)", NULL },
  { "~c[a]", NULL },
  { "~s{x y}", NULL },
  { "~s|a\\|b|", NULL },
  { "<<1, 2>>", NULL },
  { "<<\"a\", 0>>", NULL },
  { "<<>>", NULL },
  { "<<1::4>>", NULL },
  { "<<1::size(4)>>", NULL },
  { "<<5::3, 255>>", NULL },
  { "<<256::16-little>>", NULL },
  { "<<-1::size(2)-unit(8)>>", NULL },
  { "<<1.5::float>>", NULL },
  { "<<1.5::float-32-little>>", NULL },
  { "<<\"é\"::utf16>>", NULL },
  { "<<?λ::utf8, \"abc\"::binary, \"d\"::bytes>>", NULL },
  { "<<0x1F600::utf32>>", NULL },
  { "{}", NULL },
  { "{1, :a, \"b\"}", NULL },
  { "{1, a: 2, b: 3}", NULL },
  { "[]", NULL },
  { "[1, 2, 3]", NULL },
  { "[1 | 2]", NULL },
  { "[1, 2 | [3]]", NULL },
  { "[a: 1, b: 2]", NULL },
  { "[1, a: 2]", NULL },
  { "[\"quoted key\": 1, 'single': 2]", NULL },
  { "[Foo: 1, nil: 2, +: 3]", NULL },
  { "[1, 2,]", NULL },
  { "%{}", NULL },
  { "%{\"a\" => 1, b: 2}", NULL },
  { "%{:a => 1, [1] => {2}}", NULL },
  { "%{a: 1, a: 2}", NULL },
  { "%{a: %{b: [c: 1]}}", NULL },
  { "[{:\"$1\", [], [:\"$_\"]}]", NULL },
  { "{_, :\"$1\"}", "{:_, :\"$1\"}" },
  { "# a comment\n[1, # more\n 2]", NULL },
  { "{\"ünïcödé\", :ünïcödé, 'ü'}", NULL },
};

typedef struct
{
  const char *text;
  BeamSyntax  syntax;
  int         code;
  const char *message;  /* a part of the error's message */
} BadCase;

static const BadCase bad_cases[] = {
  { "", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "column 1: expected a term" },
  { "   ", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_SYNTAX, "expected a term" },
  { "Foo", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_VARIABLE,
    "column 1: `Foo` is a variable; match variables are written '$1', '$2', ..." },
  { "{a, X}", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_VARIABLE, "column 5: `X` is a variable" },
  { "foo", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_VARIABLE,
    "`foo` is a variable; write :foo for the atom" },
  { "\"a #{b}\"", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
    "column 4: interpolation `#{...}` is not supported" },
  { "~c\"#{1}\"", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "interpolation" },
  { ":\"#{x}\"", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "interpolation" },
  { "\"abc", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX,
    "column 1: the text ends before this quote is closed" },
  { "[1, \"abc]", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_SYNTAX,
    "column 5: the text ends before" },
  { "'abc", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "before this quote is closed" },
  { "<0.42.0>", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "pids cannot be typed" },
  { "{#PID<0.42.0>}", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
    "column 2: pids cannot be typed" },
  { "#PID<0.42.0>", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "pids cannot be typed" },
  { "#Ref<0.1.2.3>", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
    "references cannot be typed" },
  { "#Port<0.5>", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "ports cannot be typed" },
  { "fun erlang:now/0", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
    "funs cannot be typed" },
  { "&Enum.map/2", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "funs cannot be typed" },
  { "{a, b} c", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX,
    "column 8: unexpected `c` after the term" },
  { "{a, b}.x", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "unexpected `x` after the term" },
  { "{:a, :b}.", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_SYNTAX,
    "unexpected `.` after the term" },
  { "{a, b", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX,
    "column 6: expected `,` or `}`, found the end of the text" },
  { "{a b}", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "column 4: expected `,` or `}`" },
  { "[1, 2", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "expected `,`, `|` or `]`" },
  { "[1 | 2, 3]", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "`]` after the list's tail" },
  { "[1, 2,]", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "a term after `,`" },
  { "#{a => }", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "column 8: unexpected `}`" },
  { "#{a := 1}", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "expected `=>`" },
  { "[a: 1, 2]", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_SYNTAX,
    "keyword pairs (key: value) must come last" },
  { "{a,\n  b,\n  C}", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_VARIABLE,
    "line 3, column 3: `C` is a variable" },
  { "case", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "`case` is a reserved word" },
  { "foo(1)", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "function calls" },
  { "lists:seq(1, 2)", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "function calls" },
  { "String.upcase(\"a\")", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
    "function calls" },
  { "%URI[]", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_SYNTAX, "`{` after the struct's name" },
  { "\"\"\"\nheredoc\n\"\"\"", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
    "heredocs" },
  { "1.0e999", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_INVALID, "out of range" },
  { "37#1", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_INVALID, "base must be 2 to 36" },
  { "2#102", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "column 5: unexpected `2`" },
  { "1__0", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "unexpected `_`" },
  { "'\\x{110000}'", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_INVALID, "beyond Unicode" },
  { "'\\x{D800}'", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_INVALID, "not a Unicode character" },
  { "'a\\0b'", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_INVALID, "NUL" },
  { ":\"\\xFF\"", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_INVALID, "UTF-8" },
  { "<<1.5>>", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_INVALID, "must be of type float" },
  { "<<1/native>>", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "native" },
  { "<<1/foo>>", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "`foo` is not a binary" },
  { "<<a>>", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX,
    "expected an integer, a float or a string" },
  { "<<1.5:16/float>>", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "32 or 64 bits" },
  { "<<0:200000000>>", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_TOO_LARGE, "binaries of more" },
  { "<<\"ab\"::binary-size(3)>>", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_INVALID,
    "shorter than its size" },
  { "~r/x/", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "only the sigils ~c and ~s" },
  { "\xff", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_INVALID, "not valid UTF-8" },
  { "{a,\x01}", BEAM_SYNTAX_ERLANG, BEAM_TERM_PARSE_ERROR_SYNTAX, "unexpected U+0001" },
  { "fn x -> x end", BEAM_SYNTAX_ELIXIR, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "funs" },
};

static BeamTestNode *erlang_node;
static BeamTestNode *elixir_node;
static char *elixir_skip_reason;

/* The node's side: erl_eval runs this program with Cases bound to a list of
 * {Text, Bytes}, the text the node reads itself and our term's external
 * format; it answers ok or what differs for each. */
static const char compare_erlang[] =
  "[try\n"
  "   {ok, Tokens, _} = erl_scan:string(unicode:characters_to_list(<<Text/binary, \"\\n. \">>)),\n"
  "   {ok, [Expr]} = erl_parse:parse_exprs(Tokens),\n"
  "   {value, Expected, _} = erl_eval:expr(Expr, []),\n"
  "   case binary_to_term(Bytes) of\n"
  "     Expected -> ok;\n"
  "     Got -> {differs, Got, Expected}\n"
  "   end\n"
  " catch Class:Reason -> {node_failed, Class, Reason}\n"
  " end || {Text, Bytes} <- Cases].";

static const char compare_elixir[] =
  "{ok, _} = application:ensure_all_started(elixir),\n"
  "[try\n"
  "   {Expected, _} = 'Elixir.Code':eval_string(Text),\n"
  "   case binary_to_term(Bytes) of\n"
  "     Expected -> ok;\n"
  "     Got -> {differs, Got, Expected}\n"
  "   end\n"
  " catch Class:Reason -> {node_failed, Class, Reason}\n"
  " end || {Text, Bytes} <- Cases].";

/* Whether decoding is refused, and how many atoms that made. */
static const char safe_decode[] =
  "Before = erlang:system_info(atom_count),\n"
  "Result = try binary_to_term(Bytes, [safe]) catch error:badarg -> badarg end,\n"
  "{Result, erlang:system_info(atom_count) - Before}.";

static BeamTerm *
binary_of (const char *text)
{
  return beam_term_new_binary (text, strlen (text));
}

/* Runs `program` on the node through erl_eval, with the given bindings
 * (name, value taken, NULL-terminated), and returns its value. */
static BeamTerm *
run_program (BeamTestNode *node,
             const char   *program,
             ...) G_GNUC_NULL_TERMINATED;

static BeamTerm *
run_program (BeamTestNode *node,
             const char   *program,
             ...)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(GPtrArray) bindings = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = NULL;
  BeamTerm *tokens, *exprs, *value, *args;
  BeamTestWait wait = { 0 };
  const char *name;
  va_list ap;

  va_start (ap, program);
  while ((name = va_arg (ap, const char *)) != NULL)
    {
      BeamTerm *bound = va_arg (ap, BeamTerm *);

      g_ptr_array_add (bindings, beam_term_new_tuple (2, beam_term_new_atom (name), bound));
    }
  va_end (ap);

  /* element(2, erl_eval:exprs(parse_exprs(scan(Source)), Bindings)): the
   * program travels as a binary, as erl_call could not carry these bytes. */
#define SECOND(e) beam_erl_call ("erlang", "element", 2, beam_erl_integer (2), (e))
  tokens = SECOND (beam_erl_call ("erl_scan", "string", 1,
                                  beam_erl_call ("erlang", "binary_to_list", 1,
                                                 beam_erl_var ("Source"))));
  exprs = SECOND (beam_erl_call ("erl_parse", "parse_exprs", 1, tokens));
  value = SECOND (beam_erl_call ("erl_eval", "exprs", 2, exprs, beam_erl_var ("Bindings")));
#undef SECOND
  args = beam_erl_eval_args (beam_erl_exprs (1, value),
                             "Source", binary_of (program),
                             "Bindings", beam_term_new_list_take (g_steal_pointer (&bindings)),
                             NULL);

  beam_connection_rpc_async (connection, "erl_eval", "exprs", args, 60000, NULL,
                             beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 70000);
  reply = beam_connection_rpc_finish (connection, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  beam_connection_close (connection);

  g_assert_nonnull (beam_erl_eval_value (reply));
  return beam_term_copy (beam_erl_eval_value (reply));
}

static BeamTerm *
parse_or_fail (const char *text,
               BeamSyntax  syntax)
{
  g_autoptr(GError) error = NULL;
  BeamTerm *term = beam_term_parse (text, syntax, &error);

  if (term == NULL)
    g_error ("“%s” did not parse: %s", text, error->message);
  return term;
}

static void
compare_on_node (BeamTestNode *node,
                 const Case   *cases,
                 guint         n_cases,
                 BeamSyntax    syntax,
                 const char   *program)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new ();
  g_autoptr(BeamTerm) answers = NULL;
  BeamPrintOptions options = { syntax, NULL, 0, 0 };
  guint n_differ = 0;

  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(BeamTerm) term = parse_or_fail (cases[i].text, syntax);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = beam_term_to_external (term, &error);
      gsize size;
      const guint8 *data;

      g_assert_no_error (error);
      data = g_bytes_get_data (bytes, &size);
      g_assert_cmpuint (data[0], ==, 131);
      g_ptr_array_add (pairs, beam_term_new_tuple (2, binary_of (cases[i].node_text != NULL
                                                                 ? cases[i].node_text
                                                                 : cases[i].text),
                                                   beam_term_new_binary (data, size)));
    }

  answers = run_program (node, program,
                         "Cases", beam_term_new_list_take (g_steal_pointer (&pairs)), NULL);
  g_assert_cmpint (answers->kind, ==, BEAM_TERM_LIST);
  g_assert_cmpuint (answers->n_children, ==, n_cases);

  for (guint i = 0; i < n_cases; i++)
    {
      const BeamTerm *answer = answers->children[i];

      if (beam_term_is_atom (answer, "ok"))
        continue;
      n_differ++;
      {
        g_autofree char *printed = beam_term_print (answer, &options);

        g_test_message ("“%s”: %s", cases[i].text, printed);
      }
    }
  if (n_differ > 0)
    g_test_fail_printf ("%u of %u texts parse differently from the node", n_differ, n_cases);
}

static void
test_erlang_against_node (void)
{
  compare_on_node (erlang_node, erlang_cases, G_N_ELEMENTS (erlang_cases), BEAM_SYNTAX_ERLANG,
                   compare_erlang);
}

static void
test_elixir_against_node (void)
{
  if (elixir_skip_reason != NULL)
    {
      g_test_skip (elixir_skip_reason);
      return;
    }
  compare_on_node (elixir_node, elixir_cases, G_N_ELEMENTS (elixir_cases), BEAM_SYNTAX_ELIXIR,
                   compare_elixir);
}

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeamTerm) term = beam_term_parse (bad_cases[i].text, bad_cases[i].syntax,
                                                  &error);

      if (term != NULL)
        g_test_fail_printf ("“%s” parsed, and should not have", bad_cases[i].text);
      else if (!g_error_matches (error, BEAM_TERM_PARSE_ERROR, bad_cases[i].code) ||
               strstr (error->message, bad_cases[i].message) == NULL)
        g_test_fail_printf ("“%s”: error %d “%s”, expected %d with “%s”", bad_cases[i].text,
                            error->code, error->message, bad_cases[i].code,
                            bad_cases[i].message);
    }
}

static GString *
nested_text (guint       depth,
             const char *open,
             const char *close)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, open);
  g_string_append (text, "x");
  for (guint i = 0; i < depth; i++)
    g_string_append (text, close);
  return text;
}

static void
test_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deepest = nested_text (BEAM_TERM_PARSE_MAX_DEPTH, "{", "}");
  g_autoptr(GString) too_deep = nested_text (BEAM_TERM_PARSE_MAX_DEPTH + 1, "[", "]");
  g_autoptr(GString) mixed = nested_text (BEAM_TERM_PARSE_MAX_DEPTH + 1, "#{[<<>>] => [", "]}");
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autofree char *huge = g_strnfill (BEAM_TERM_PARSE_MAX_BYTES + 1, ' ');
  g_autoptr(GString) long_atom = g_string_new (NULL);
  g_autoptr(BeamTerm) term = NULL;
  g_autoptr(GBytes) bytes = NULL;

  term = parse_or_fail (deepest->str, BEAM_SYNTAX_ERLANG);
  bytes = beam_term_to_external (term, &error);
  g_assert_no_error (error);
  g_clear_pointer (&term, beam_term_free);

  g_assert_null (beam_term_parse (too_deep->str, BEAM_SYNTAX_ERLANG, &error));
  g_assert_error (error, BEAM_TERM_PARSE_ERROR, BEAM_TERM_PARSE_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "nested deeper than 1000 levels"));
  g_clear_error (&error);
  g_assert_null (beam_term_parse (mixed->str, BEAM_SYNTAX_ERLANG, &error));
  g_assert_error (error, BEAM_TERM_PARSE_ERROR, BEAM_TERM_PARSE_ERROR_TOO_DEEP);
  g_clear_error (&error);

  g_assert_null (beam_term_parse (huge, BEAM_SYNTAX_ERLANG, &error));
  g_assert_error (error, BEAM_TERM_PARSE_ERROR, BEAM_TERM_PARSE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_string_append_c (digits, '1');
  for (guint i = 0; i < BEAM_TERM_PARSE_MAX_DIGITS; i++)
    g_string_append_c (digits, '0');
  g_assert_null (beam_term_parse (digits->str, BEAM_SYNTAX_ERLANG, &error));
  g_assert_error (error, BEAM_TERM_PARSE_ERROR, BEAM_TERM_PARSE_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_string_truncate (digits, BEAM_TERM_PARSE_MAX_DIGITS);
  term = parse_or_fail (digits->str, BEAM_SYNTAX_ERLANG);
  g_assert_cmpint (term->kind, ==, BEAM_TERM_BIG_INTEGER);
  g_assert_cmpuint (strlen (term->v.big.digits), ==, BEAM_TERM_PARSE_MAX_DIGITS);
  g_clear_pointer (&term, beam_term_free);

  /* 255 characters, not bytes. */
  g_string_assign (long_atom, "'");
  for (guint i = 0; i < 256; i++)
    g_string_append (long_atom, "λ");
  g_string_append_c (long_atom, '\'');
  g_assert_null (beam_term_parse (long_atom->str, BEAM_SYNTAX_ERLANG, &error));
  g_assert_error (error, BEAM_TERM_PARSE_ERROR, BEAM_TERM_PARSE_ERROR_INVALID);
  g_clear_error (&error);
  g_string_erase (long_atom, 1, strlen ("λ"));
  term = parse_or_fail (long_atom->str, BEAM_SYNTAX_ERLANG);
  g_assert_cmpint (g_utf8_strlen (term->v.atom.name, -1), ==, 255);
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = beam_term_to_external (term, &error);
  g_assert_no_error (error);
}

/* Printing a parsed term and parsing the printout gives the same term. */
static void
check_round_trip (const BeamTerm *term,
                  BeamSyntax      syntax,
                  const char     *source)
{
  BeamPrintOptions options = { syntax, NULL, 0, 0 };
  g_autofree char *printed = beam_term_print (term, &options);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) again = beam_term_parse (printed, syntax, &error);

  if (again == NULL)
    g_error ("“%s” printed as “%s”, which does not parse: %s", source, printed, error->message);
  if (!beam_term_equal (term, again))
    g_error ("“%s” printed as “%s”, which parses to another term", source, printed);
}

static void
test_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (erlang_cases); i++)
    {
      g_autoptr(BeamTerm) term = parse_or_fail (erlang_cases[i].text, BEAM_SYNTAX_ERLANG);

      check_round_trip (term, BEAM_SYNTAX_ERLANG, erlang_cases[i].text);
      check_round_trip (term, BEAM_SYNTAX_ELIXIR, erlang_cases[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (elixir_cases); i++)
    {
      g_autoptr(BeamTerm) term = parse_or_fail (elixir_cases[i].text, BEAM_SYNTAX_ELIXIR);

      check_round_trip (term, BEAM_SYNTAX_ELIXIR, elixir_cases[i].text);
      check_round_trip (term, BEAM_SYNTAX_ERLANG, elixir_cases[i].text);
    }
}

static void
test_equal_and_atoms (void)
{
  g_autoptr(BeamTerm) a = parse_or_fail ("{a, [b, a | c], #{k => 'd e', 1 => 2.0}, \"x\"}",
                                         BEAM_SYNTAX_ERLANG);
  g_autoptr(BeamTerm) b = parse_or_fail ("{:a, [:b, :a | :c], %{1 => 2.0, k: :\"d e\"}, 'x'}",
                                         BEAM_SYNTAX_ELIXIR);
  g_autoptr(BeamTerm) c = parse_or_fail ("{a, [b, a | c], #{k => 'd e', 1 => 2}, \"x\"}",
                                         BEAM_SYNTAX_ERLANG);
  g_autoptr(GPtrArray) atoms = beam_term_collect_atoms (a);

  g_assert_true (beam_term_equal (a, b));
  g_assert_false (beam_term_equal (a, c));
  g_assert_cmpuint (atoms->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (atoms, 0), ==, "a");
  g_assert_cmpstr (g_ptr_array_index (atoms, 1), ==, "b");
  g_assert_cmpstr (g_ptr_array_index (atoms, 2), ==, "c");
  g_assert_cmpstr (g_ptr_array_index (atoms, 3), ==, "k");
  g_assert_cmpstr (g_ptr_array_index (atoms, 4), ==, "d e");
}

/* Anything at all gives a term or an error; a term prints and reads back. */
static void
parse_anything (const char *text,
                BeamSyntax  syntax)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) term = beam_term_parse (text, syntax, &error);

  if (term == NULL)
    {
      g_assert_nonnull (error);
      g_assert_cmpuint (error->domain, ==, BEAM_TERM_PARSE_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert_no_error (error);
  check_round_trip (term, syntax, text);
}

static void
test_mutations (void)
{
  static const char alphabet[] = "{}[]<>#%|,.:;'\"$?\\~-+_/=0189aeAZxX# \n\t";
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250611);
  guint n_texts = G_N_ELEMENTS (erlang_cases) + G_N_ELEMENTS (elixir_cases);
  guint n_variants = 0;

  for (guint round = 0; n_variants < 100000; round++)
    {
      guint which = round % n_texts;
      BeamSyntax syntax = which < G_N_ELEMENTS (erlang_cases) ? BEAM_SYNTAX_ERLANG
                                                              : BEAM_SYNTAX_ELIXIR;
      const char *source = syntax == BEAM_SYNTAX_ERLANG
                           ? erlang_cases[which].text
                           : elixir_cases[which - G_N_ELEMENTS (erlang_cases)].text;
      g_autoptr(GString) text = g_string_new (source);
      guint n_edits = g_rand_int_range (rand, 1, 4);

      for (guint k = 0; k < n_edits && text->len > 0; k++)
        {
          gsize at = g_rand_int_range (rand, 0, (gint32) text->len);
          char c = g_rand_boolean (rand) ? alphabet[g_rand_int_range (rand, 0,
                                                                      sizeof alphabet - 1)]
                                         : (char) g_rand_int_range (rand, 1, 256);

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              g_string_truncate (text, at);
              break;
            case 1:
              text->str[at] = c;
              break;
            case 2:
              g_string_insert_c (text, at, c);
              break;
            default:
              g_string_erase (text, at, 1);
              break;
            }
        }
      /* Both syntaxes read every text: a mutation may well be the other's. */
      parse_anything (text->str, syntax);
      parse_anything (text->str, syntax == BEAM_SYNTAX_ERLANG ? BEAM_SYNTAX_ELIXIR
                                                              : BEAM_SYNTAX_ERLANG);
      n_variants += 2;
    }

  /* Every prefix of every text. */
  for (guint i = 0; i < n_texts; i++)
    {
      BeamSyntax syntax = i < G_N_ELEMENTS (erlang_cases) ? BEAM_SYNTAX_ERLANG
                                                          : BEAM_SYNTAX_ELIXIR;
      const char *source = syntax == BEAM_SYNTAX_ERLANG
                           ? erlang_cases[i].text
                           : elixir_cases[i - G_N_ELEMENTS (erlang_cases)].text;

      for (gsize cut = 0; cut < strlen (source); cut++)
        {
          /* An exact-size copy, so that a read past the end is a real one
           * under valgrind or ASan. */
          g_autofree char *prefix = g_strndup (source, cut);

          parse_anything (prefix, syntax);
        }
    }
}

/* A list of nearly a megabyte parses in well under a second. */
static void
test_big_text (void)
{
  g_autoptr(GString) text = g_string_new ("[");
  g_autoptr(GString) elixir = g_string_new ("%{");
  g_autoptr(BeamTerm) term = NULL;
  g_autoptr(BeamTerm) map = NULL;
  gint64 start;
  gint64 elapsed;
  guint n = 0;

  for (; text->len < BEAM_TERM_PARSE_MAX_BYTES - 64; n++)
    g_string_append_printf (text, "%s{k%u,\"v\",%u.5}", n > 0 ? "," : "", n, n);
  g_string_append_c (text, ']');

  start = g_get_monotonic_time ();
  term = parse_or_fail (text->str, BEAM_SYNTAX_ERLANG);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("%zu bytes, %u elements: %" G_GINT64_FORMAT " µs", text->len, n, elapsed);
  g_assert_cmpuint (term->n_children, ==, n);
  g_assert_cmpint (elapsed, <, BEAM_TEST_SLOWDOWN * G_USEC_PER_SEC);

  /* A big map with every key distinct: hashing keeps it linear. */
  for (guint i = 0; elixir->len < BEAM_TERM_PARSE_MAX_BYTES - 64; i++)
    g_string_append_printf (elixir, "%s[%u, \"k\"] => %u", i > 0 ? ", " : "", i, i);
  g_string_append_c (elixir, '}');
  start = g_get_monotonic_time ();
  map = parse_or_fail (elixir->str, BEAM_SYNTAX_ELIXIR);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("%zu bytes, %u pairs: %" G_GINT64_FORMAT " µs", elixir->len,
                  map->n_children / 2, elapsed);
  g_assert_cmpint (elapsed, <, BEAM_TEST_SLOWDOWN * G_USEC_PER_SEC);
}

/* binary_to_term(B, [safe]) on the node refuses an atom it does not know,
 * and makes none; one it knows decodes. */
static void
test_safe_decode (void)
{
  g_autofree char *unknown = g_strdup_printf ("{key, beamscope_never_seen_%08x}",
                                              g_random_int ());
  struct {
    const char *text;
    gboolean    refused;
  } cases[] = {
    { unknown, TRUE },
    { "{ok, [1, <<\"x\">>, #{error => \"y\"}]}", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BeamTerm) term = parse_or_fail (cases[i].text, BEAM_SYNTAX_ERLANG);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = beam_term_to_external (term, &error);
      g_autoptr(BeamTerm) answer = NULL;
      gsize size;
      const guint8 *data;
      gint64 atoms_made = -1;

      g_assert_no_error (error);
      data = g_bytes_get_data (bytes, &size);
      answer = run_program (erlang_node, safe_decode,
                            "Bytes", beam_term_new_binary (data, size), NULL);
      g_assert_cmpint (answer->kind, ==, BEAM_TERM_TUPLE);
      g_assert_cmpuint (answer->n_children, ==, 2);
      g_assert_true (beam_term_get_int64 (answer->children[1], &atoms_made));
      g_assert_cmpint (atoms_made, ==, 0);
      if (cases[i].refused)
        g_assert_true (beam_term_is_atom (answer->children[0], "badarg"));
      else
        g_assert_true (beam_term_equal (answer->children[0], term));
    }
}

static void
start_elixir_node (void)
{
  g_autofree char *elixir = g_find_program_in_path ("elixir");
  g_autofree char *lib = NULL;
  g_autofree char *ebin = NULL;
  g_autoptr(GError) error = NULL;
  const char *args[3] = { "-pa", NULL, NULL };
  const char *lib_argv[] = { elixir, "-e", "IO.write(:code.lib_dir(:elixir))", NULL };

  if (elixir == NULL)
    {
      elixir_skip_reason = g_strdup ("Elixir is not installed");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) lib_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &lib, NULL, NULL, &error));
  g_assert_no_error (error);
  ebin = g_build_filename (lib, "ebin", NULL);
  args[1] = ebin;
  elixir_node = beam_test_node_start (args, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Failure messages carry UTF-8; without this GLib prints them as '?'. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  if (!beam_connection_init_process (&error))
    g_error ("%s", error->message);

  erlang_node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  start_elixir_node ();

  g_test_add_func ("/term-parser/erlang/node", test_erlang_against_node);
  g_test_add_func ("/term-parser/elixir/node", test_elixir_against_node);
  g_test_add_func ("/term-parser/errors", test_errors);
  g_test_add_func ("/term-parser/limits", test_limits);
  g_test_add_func ("/term-parser/round-trip", test_round_trip);
  g_test_add_func ("/term-parser/equal-and-atoms", test_equal_and_atoms);
  g_test_add_func ("/term-parser/mutations", test_mutations);
  g_test_add_func ("/term-parser/big-text", test_big_text);
  g_test_add_func ("/term-parser/safe-decode", test_safe_decode);

  status = g_test_run ();
  g_clear_pointer (&elixir_node, beam_test_node_free);
  g_clear_pointer (&erlang_node, beam_test_node_free);
  g_free (elixir_skip_reason);
  return status;
}
