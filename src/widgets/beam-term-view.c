/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A GtkListView over a GtkTreeListModel whose items are BeamTermNodes: a
 * pointer into a shared, immutable tree of BeamTerms and a label. Children
 * are made only when a row is expanded, so a term of a million elements costs
 * rows for what is open, and its one-line print is limited in depth and width. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-term-view.h"

#define ROW_DEPTH 3
#define ROW_WIDTH 12

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
is_container (const BeamTerm *term)
{
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
                 gpointer user_data G_GNUC_UNUSED)
{
  BeamTermNode *node = item;
  const BeamTerm *term = node->term;
  GListStore *store;

  if (!is_container (term))
    return NULL;

  store = g_list_store_new (BEAM_TYPE_TERM_NODE);
  if (term->kind == BEAM_TERM_MAP)
    {
      /* An entry shows as "key =>" with the value's own tree under it. */
      for (guint i = 0; i + 1 < term->n_children; i += 2)
        {
          g_autofree char *key = beam_term_print (term->children[i],
                                                  &(BeamPrintOptions) { BEAM_SYNTAX_ERLANG,
                                                                        NULL, 2, 6 });
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

static void
setup_row (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
           GtkListItem              *item,
           gpointer                  user_data G_GNUC_UNUSED)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *value = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "monospace");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), value);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (item, expander);
}

static void
bind_row (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
          GtkListItem              *item,
          gpointer                  user_data)
{
  BeamTermView *self = user_data;
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  BeamTermNode *node = gtk_tree_list_row_get_item (row);
  GtkWidget *expander = gtk_list_item_get_child (item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (label);
  BeamPrintOptions options = { self->syntax, self->local_node, ROW_DEPTH, ROW_WIDTH };
  g_autofree char *text = beam_term_print (node->term, &options);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_label (GTK_LABEL (label), node->label != NULL ? node->label : "");
  gtk_widget_set_visible (label, node->label != NULL);
  gtk_label_set_label (GTK_LABEL (value), text);
  g_object_unref (node);
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
                                        NULL, NULL);
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
  /* Rebind every row: a new selection model over the same tree. */
  {
    GtkNoSelection *selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->tree)));
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
