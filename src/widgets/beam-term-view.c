/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A GtkListView over a GtkTreeListModel whose items are BeamTermNodes: a
 * pointer into a shared, immutable tree of BeamTerms and a label. Children
 * are made only when a row is expanded, so a term of a million elements costs
 * rows for what is open, and its one-line print is limited in depth and width.
 * A binary longer than its row opens onto one row that shows it whole, 4 kB
 * at a time ("Show More"): a label of megabytes would stall the frame. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "beam-number-format.h"
#include "beam-term-view.h"

#define ROW_DEPTH 3
#define ROW_WIDTH 12
/* An expanded binary shows this much more at each "Show More". */
#define BINARY_STEP 4096

/* ---- the node items ---------------------------------------------------------- */

#define BEAM_TYPE_TERM_NODE (beam_term_node_get_type ())
G_DECLARE_FINAL_TYPE (BeamTermNode, beam_term_node, BEAM, TERM_NODE, GObject)

typedef struct
{
  gatomicrefcount  ref_count;
  GPtrArray       *terms;   /* the roots, owned */
} Roots;

struct _BeamTermNode
{
  GObject         parent_instance;
  Roots          *roots;    /* keeps the tree alive */
  const BeamTerm *term;
  char           *label;    /* "key =>", "3:", or a root's label */
  gsize           shown;    /* > 0: the row shows this binary's first `shown` bytes whole */
};

G_DEFINE_FINAL_TYPE (BeamTermNode, beam_term_node, G_TYPE_OBJECT)

static Roots *
roots_ref (Roots *roots)
{
  g_atomic_ref_count_inc (&roots->ref_count);
  return roots;
}

static void
roots_unref (Roots *roots)
{
  if (g_atomic_ref_count_dec (&roots->ref_count))
    {
      g_ptr_array_unref (roots->terms);
      g_free (roots);
    }
}

static void
beam_term_node_finalize (GObject *object)
{
  BeamTermNode *self = BEAM_TERM_NODE (object);

  roots_unref (self->roots);
  g_free (self->label);
  G_OBJECT_CLASS (beam_term_node_parent_class)->finalize (object);
}

static void
beam_term_node_class_init (BeamTermNodeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = beam_term_node_finalize;
}

static void
beam_term_node_init (BeamTermNode *self G_GNUC_UNUSED)
{
}

static BeamTermNode *
term_node_new (Roots          *roots,
               const BeamTerm *term,
               char           *label)
{
  BeamTermNode *node = g_object_new (BEAM_TYPE_TERM_NODE, NULL);

  node->roots = roots_ref (roots);
  node->term = term;
  node->label = label;
  return node;
}

static gboolean
is_binary (const BeamTerm *term)
{
  return term->kind == BEAM_TERM_BINARY || term->kind == BEAM_TERM_BITSTRING;
}

/* A binary longer than its row prints opens onto one row showing it whole. */
static gboolean
is_container (const BeamTerm *term)
{
  if (is_binary (term))
    return term->v.bytes.size > ROW_WIDTH;
  return (term->kind == BEAM_TERM_TUPLE || term->kind == BEAM_TERM_LIST ||
          term->kind == BEAM_TERM_MAP) &&
         term->n_children > 0;
}

/* ---- the view ----------------------------------------------------------------- */

struct _BeamTermView
{
  GtkWidget         parent_instance;
  GtkWidget        *scroller;
  GtkListView      *list_view;
  GtkTreeListModel *tree;
  Roots            *roots;
  BeamSyntax        syntax;
  char             *local_node;
};

G_DEFINE_FINAL_TYPE (BeamTermView, beam_term_view, GTK_TYPE_WIDGET)

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  BeamTermView *self = user_data;
  BeamTermNode *node = item;
  const BeamTerm *term = node->term;
  GListStore *store;

  if (node->shown > 0 || !is_container (term))
    return NULL;

  store = g_list_store_new (BEAM_TYPE_TERM_NODE);
  if (is_binary (term))
    {
      g_autoptr(BeamTermNode) whole = term_node_new (node->roots, term, NULL);

      whole->shown = MIN (term->v.bytes.size, BINARY_STEP);
      g_list_store_append (store, whole);
    }
  else if (term->kind == BEAM_TERM_MAP)
    {
      /* An entry shows as "key =>" with the value's own tree under it. */
      for (guint i = 0; i + 1 < term->n_children; i += 2)
        {
          g_autofree char *key = beam_term_print (term->children[i],
                                                  &(BeamPrintOptions) { self->syntax,
                                                                        self->local_node, 2, 6 });
          g_autoptr(BeamTermNode) child = term_node_new (node->roots, term->children[i + 1],
                                                         g_strdup_printf ("%s =>", key));
          g_list_store_append (store, child);
        }
    }
  else
    for (guint i = 0; i < term->n_children; i++)
      {
        gboolean tail = term->kind == BEAM_TERM_LIST && term->v.list.improper &&
                        i == term->n_children - 1;
        g_autoptr(BeamTermNode) child = term_node_new (node->roots, term->children[i],
                                                       tail ? g_strdup ("|")
                                                            : g_strdup_printf ("%u:", i + 1));
        g_list_store_append (store, child);
      }
  return G_LIST_MODEL (store);
}

/* The first `node->shown` bytes of a binary, printed with no width limit;
 * a cut falls between whole UTF-8 characters where the binary is text. */
static char *
print_binary_start (BeamTermView *self,
                    BeamTermNode *node)
{
  BeamPrintOptions options = { self->syntax, self->local_node, 0, 0 };
  const BeamTerm *term = node->term;
  const char *data = (const char *) term->v.bytes.data;
  const char *valid_end = NULL;
  gsize n = node->shown;
  g_autoptr(BeamTerm) start = NULL;

  if (n >= term->v.bytes.size)
    return beam_term_print (term, &options);
  g_utf8_validate_len (data, n, &valid_end);
  if (valid_end > data && n - (valid_end - data) < 4 &&
      g_utf8_get_char_validated (valid_end, term->v.bytes.size - (valid_end - data)) <
        (gunichar) -2)
    n = valid_end - data;
  start = beam_term_new_binary (data, n);
  return beam_term_print (start, &options);
}

/* Text in lines of WHOLE_LINE characters (taken). Pango breaking one long
 * word into lines shapes the rest of it again for each line: kilobytes of a
 * binary cost seconds wrapped, milliseconds broken here. */
#define WHOLE_LINE 100

static char *
break_lines (char *text)
{
  GString *out = g_string_sized_new (strlen (text) + strlen (text) / WHOLE_LINE + 1);
  guint column = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (column == WHOLE_LINE)
        {
          g_string_append_c (out, '\n');
          column = 0;
        }
      g_string_append_unichar (out, g_utf8_get_char (p));
      column++;
    }
  g_free (text);
  return g_string_free (out, FALSE);
}

static void show_row (BeamTermView *self,
                      GtkListItem  *item);

static void
on_show_more (GtkButton   *button,
              GtkListItem *item)
{
  BeamTermView *self = g_object_get_data (G_OBJECT (button), "view");
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  g_autoptr(BeamTermNode) node = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

  if (node == NULL || node->shown == 0)
    return;
  node->shown = MIN (node->term->v.bytes.size, node->shown + BINARY_STEP);
  show_row (self, item);
}

static void
setup_row (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *value = gtk_label_new (NULL);
  GtkWidget *more = gtk_button_new_with_label (_("Show More"));

  gtk_widget_set_valign (more, GTK_ALIGN_END);
  gtk_widget_add_css_class (more, "flat");
  g_object_set_data (G_OBJECT (more), "view", user_data);
  g_signal_connect (more, "clicked", G_CALLBACK (on_show_more), item);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "monospace");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), more);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (item, expander);
}

/* A row of the term, or of a binary shown whole: wrapped, with how much of
 * it is shown and a button for more. */
static void
show_row (BeamTermView *self,
          GtkListItem  *item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  g_autoptr(BeamTermNode) node = gtk_tree_list_row_get_item (row);
  GtkWidget *expander = gtk_list_item_get_child (item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (label);
  GtkWidget *more = gtk_widget_get_next_sibling (value);
  BeamPrintOptions options = { self->syntax, self->local_node, ROW_DEPTH, ROW_WIDTH };
  g_autofree char *text = NULL;
  g_autofree char *caption = NULL;
  gboolean whole = node->shown > 0;
  gboolean cut = whole && node->shown < node->term->v.bytes.size;

  if (whole)
    text = break_lines (print_binary_start (self, node));
  else
    text = beam_term_print (node->term, &options);
  if (cut)
    {
      g_autofree char *shown = beam_format_bytes ((gint64) node->shown);
      g_autofree char *size = beam_format_bytes ((gint64) node->term->v.bytes.size);

      /* TRANSLATORS: how much of a long binary shows, as "4 KiB of 1.0 MiB" */
      caption = g_strdup_printf (_("%s of %s"), shown, size);
    }

  gtk_label_set_label (GTK_LABEL (label), whole ? (caption != NULL ? caption : "")
                                          : node->label != NULL ? node->label : "");
  gtk_widget_set_visible (label, whole ? caption != NULL : node->label != NULL);
  gtk_widget_set_valign (label, whole ? GTK_ALIGN_START : GTK_ALIGN_FILL);
  gtk_label_set_label (GTK_LABEL (value), text);
  if (whole)
    gtk_widget_add_css_class (value, "whole");
  else
    gtk_widget_remove_css_class (value, "whole");
  gtk_label_set_ellipsize (GTK_LABEL (value), whole ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  gtk_widget_set_visible (more, cut);
}

static void
bind_row (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *expander = gtk_list_item_get_child (item);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  show_row (user_data, item);
}

static void
beam_term_view_dispose (GObject *object)
{
  BeamTermView *self = BEAM_TERM_VIEW (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->tree);
  g_clear_pointer (&self->roots, roots_unref);

  G_OBJECT_CLASS (beam_term_view_parent_class)->dispose (object);
}

static void
beam_term_view_finalize (GObject *object)
{
  g_free (BEAM_TERM_VIEW (object)->local_node);
  G_OBJECT_CLASS (beam_term_view_parent_class)->finalize (object);
}

static void
beam_term_view_class_init (BeamTermViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beam_term_view_dispose;
  object_class->finalize = beam_term_view_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "beamtermview");
}

static void
beam_term_view_init (BeamTermView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);

  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (NULL, factory));
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "navigation-sidebar");
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller),
                                 GTK_WIDGET (self->list_view));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  beam_term_view_set_terms (self, g_ptr_array_new (), NULL);
}

GtkWidget *
beam_term_view_new (void)
{
  return g_object_new (BEAM_TYPE_TERM_VIEW, NULL);
}

void
beam_term_view_set_terms (BeamTermView *self,
                          GPtrArray    *terms,
                          GStrv         labels)
{
  GListStore *store = g_list_store_new (BEAM_TYPE_TERM_NODE);
  GtkNoSelection *selection;

  g_return_if_fail (BEAM_IS_TERM_VIEW (self));

  g_ptr_array_set_free_func (terms, (GDestroyNotify) beam_term_free);
  g_clear_pointer (&self->roots, roots_unref);
  self->roots = g_new0 (Roots, 1);
  g_atomic_ref_count_init (&self->roots->ref_count);
  self->roots->terms = terms;

  for (guint i = 0; i < terms->len; i++)
    {
      const char *label = labels != NULL && i < g_strv_length (labels) ? labels[i] : NULL;
      g_autoptr(BeamTermNode) node = term_node_new (self->roots, g_ptr_array_index (terms, i),
                                                    g_strdup (label));
      g_list_store_append (store, node);
    }

  g_clear_object (&self->tree);
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (store), FALSE, FALSE, create_children,
                                        self, NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->tree)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

void
beam_term_view_set_syntax (BeamTermView *self,
                           BeamSyntax    syntax)
{
  g_return_if_fail (BEAM_IS_TERM_VIEW (self));

  if (self->syntax == syntax)
    return;
  self->syntax = syntax;
  /* A new tree over the same roots: the children's labels (map keys) are
   * made when a row opens, in the syntax of that moment. */
  {
    GListModel *roots = gtk_tree_list_model_get_model (self->tree);
    GListStore *store = g_list_store_new (BEAM_TYPE_TERM_NODE);
    GtkNoSelection *selection;

    for (guint i = 0; i < g_list_model_get_n_items (roots); i++)
      {
        g_autoptr(BeamTermNode) old = g_list_model_get_item (roots, i);
        g_autoptr(BeamTermNode) node = term_node_new (self->roots, old->term,
                                                      g_strdup (old->label));
        g_list_store_append (store, node);
      }
    g_clear_object (&self->tree);
    self->tree = gtk_tree_list_model_new (G_LIST_MODEL (store), FALSE, FALSE, create_children,
                                          self, NULL);
    selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->tree)));
    gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
    g_object_unref (selection);
  }
}

void
beam_term_view_set_local_node (BeamTermView *self,
                               const char   *node)
{
  g_return_if_fail (BEAM_IS_TERM_VIEW (self));
  g_free (self->local_node);
  self->local_node = g_strdup (node);
}

char *
beam_term_view_dup_text (BeamTermView *self)
{
  GString *text = g_string_new (NULL);
  BeamPrintOptions options = { self->syntax, self->local_node, 0, 0 };

  for (guint i = 0; i < self->roots->terms->len; i++)
    {
      beam_term_print_to (g_ptr_array_index (self->roots->terms, i), &options, text);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}
