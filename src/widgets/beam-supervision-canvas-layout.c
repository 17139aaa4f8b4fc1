/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The tree is laid out once per tree (and again when a supervisor is
 * expanded or collapsed), in one walk of what is shown: leaves take
 * successive rows, a parent sits at the middle of its children's rows, one
 * column per depth. The result is a flat array of boxes sorted by column,
 * then by row, which is also the walk's order within a column: a frame finds
 * the boxes it shows by a binary search per visible column, so it costs what
 * is on screen, never what is in the tree, and a collapsed supervisor is one
 * "N children" box whatever N is.
 *
 * A box's span (the rows of its children) is sorted in a column as its row
 * is, because the spans of a column's boxes never overlap: the search on the
 * span finds a parent whose connector crosses the screen while it and its
 * children are off it. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <math.h>
#include <string.h>

#include "beam-supervision-canvas-internal.h"

/* ---- the tree ------------------------------------------------------------------ */

/* Drawn as one "N children" box: big, or counted (only some fetched), and
 * not expanded. */
gboolean
_beam_canvas_is_collapsed (BeamSupervisionCanvas *self,
                           guint                  node)
{
  const BeamSupervisionNode *n = _beam_canvas_node_at (self, node);

  if (self->expanded[node])
    return FALSE;
  if (_beam_canvas_n_children (self, node) > COLLAPSE_ABOVE)
    return TRUE;
  return _beam_canvas_is_supervisor (n) && n->status == BEAM_SUPERVISOR_COUNTED;
}

gboolean
_beam_canvas_can_collapse (BeamSupervisionCanvas *self,
                           guint                  node)
{
  const BeamSupervisionNode *n = _beam_canvas_node_at (self, node);

  return _beam_canvas_n_children (self, node) > COLLAPSE_ABOVE ||
         (_beam_canvas_is_supervisor (n) && n->status == BEAM_SUPERVISOR_COUNTED);
}

guint64
_beam_canvas_all_children_count (BeamSupervisionCanvas *self,
                                 guint                  node)
{
  const BeamSupervisionNode *n = _beam_canvas_node_at (self, node);
  guint64 fetched = _beam_canvas_n_children (self, node);

  return _beam_canvas_is_supervisor (n) ? MAX (n->children_count, fetched) : fetched;
}

/* Children the node has but the probe did not fetch. */
guint64
_beam_canvas_unfetched_count (BeamSupervisionCanvas *self,
                              guint                  node)
{
  const BeamSupervisionNode *n = _beam_canvas_node_at (self, node);

  if (!_beam_canvas_is_supervisor (n) ||
      (n->status != BEAM_SUPERVISOR_COUNTED && n->status != BEAM_SUPERVISOR_UNEXPLORED))
    return 0;
  return _beam_canvas_all_children_count (self, node) - _beam_canvas_n_children (self, node);
}

static BoxStyle
node_style (const BeamSupervisionNode *node)
{
  if (node->type == BEAM_SUPERVISION_LINKED)
    return STYLE_LINKED;
  if (node->state != BEAM_SUPERVISION_RUNNING)
    return STYLE_INACTIVE;
  if (!_beam_canvas_is_supervisor (node))
    return STYLE_WORKER;
  return node->status == BEAM_SUPERVISOR_NOT_ANSWERING ? STYLE_NOT_ANSWERING : STYLE_SUPERVISOR;
}

/* Children lists from the parents, in tree order: a counting sort, O(n). */
void
_beam_canvas_index_children (BeamSupervisionCanvas *self)
{
  guint n = self->tree->n_nodes;
  guint *fill;

  self->child_start = g_new0 (guint, n + 1);
  self->child_list = g_new (guint, MAX (n, 1));
  self->roots = g_new (guint, MAX (n, 1));
  self->n_roots = 0;
  for (guint i = 0; i < n; i++)
    {
      guint parent = _beam_canvas_parent_of (self, i);

      if (parent == NO_NODE)
        self->roots[self->n_roots++] = i;
      else
        self->child_start[parent + 1]++;
    }
  for (guint i = 0; i < n; i++)
    self->child_start[i + 1] += self->child_start[i];
  fill = g_memdup2 (self->child_start, sizeof (guint) * n);
  for (guint i = 0; i < n; i++)
    {
      guint parent = _beam_canvas_parent_of (self, i);

      if (parent != NO_NODE)
        self->child_list[fill[parent]++] = i;
    }
  g_free (fill);
}

/* ---- layout -------------------------------------------------------------------- */

typedef struct
{
  guint  node;       /* NO_NODE: the master */
  guint  box;        /* its box, in the walk's array */
  guint  next;       /* the next child to place */
  double first_row;  /* < 0 until a child is placed */
  double last_row;
} WalkFrame;

static guint
append_box (GArray            *boxes,
            BeamCanvasBoxKind  kind,
            BoxStyle           style,
            guint              node,
            guint              column)
{
  Box box = { .node = node, .column = column, .kind = kind, .style = style };

  g_array_append_val (boxes, box);
  return boxes->len - 1;
}

static void
place_leaf (GArray *boxes,
            guint   box,
            double  row)
{
  Box *b = &g_array_index (boxes, Box, box);

  b->row = b->span_top = b->span_bottom = row;
}

static void
child_placed (WalkFrame *parent,
              double     row)
{
  if (parent->first_row < 0)
    parent->first_row = row;
  parent->last_row = row;
}

void
_beam_canvas_relayout (BeamSupervisionCanvas *self)
{
  g_autoptr(GArray) walk = g_array_new (FALSE, FALSE, sizeof (Box));
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (WalkFrame));
  guint next_row = 0;
  guint *column_fill;
  WalkFrame master = { NO_NODE, 0, 0, -1, -1 };

  g_array_set_size (self->boxes, 0);
  g_clear_pointer (&self->column_start, g_free);
  self->n_columns = 0;
  self->n_rows = 0;
  if (self->tree == NULL)
    return;

  /* Preorder walk; a box's row is known when its children are placed. */
  master.box = append_box (walk, _BEAM_CANVAS_BOX_MASTER, STYLE_MASTER, NO_NODE, 0);
  g_array_append_val (stack, master);
  while (stack->len > 0)
    {
      WalkFrame *frame = &g_array_index (stack, WalkFrame, stack->len - 1);
      guint column = g_array_index (walk, Box, frame->box).column + 1;

      if (frame->next < _beam_canvas_n_children (self, frame->node))
        {
          guint child = _beam_canvas_children_of (self, frame->node)[frame->next++];
          const BeamSupervisionNode *node = _beam_canvas_node_at (self, child);
          guint box = append_box (walk, _BEAM_CANVAS_BOX_NODE, node_style (node), child, column);

          self->n_columns = MAX (self->n_columns, column + 1);
          if (_beam_canvas_is_collapsed (self, child))
            {
              guint summary = append_box (walk, _BEAM_CANVAS_BOX_SUMMARY, STYLE_SUMMARY, child,
                                          column + 1);

              self->n_columns = MAX (self->n_columns, column + 2);
              place_leaf (walk, box, next_row);
              place_leaf (walk, summary, next_row);
              g_array_index (walk, Box, box).has_children = TRUE;
              child_placed (frame, next_row++);
            }
          else if (_beam_canvas_n_children (self, child) == 0 &&
                   _beam_canvas_unfetched_count (self, child) == 0)
            {
              place_leaf (walk, box, next_row);
              child_placed (frame, next_row++);
            }
          else
            {
              WalkFrame below = { child, box, 0, -1, -1 };

              g_array_append_val (stack, below);
            }
          continue;
        }

      /* All its children are placed: then the ones not fetched, as one box. */
      if (frame->node != NO_NODE && _beam_canvas_unfetched_count (self, frame->node) > 0)
        {
          guint more = append_box (walk, _BEAM_CANVAS_BOX_MORE, STYLE_MORE, frame->node, column);

          self->n_columns = MAX (self->n_columns, column + 1);
          place_leaf (walk, more, next_row);
          child_placed (frame, next_row++);
        }
      {
        Box *box = &g_array_index (walk, Box, frame->box);
        WalkFrame done = *frame;

        if (done.first_row < 0)
          {
            place_leaf (walk, done.box, next_row);
            done.first_row = done.last_row = next_row++;
          }
        else
          {
            box->row = (done.first_row + done.last_row) / 2;
            box->span_top = done.first_row;
            box->span_bottom = done.last_row;
            box->has_children = TRUE;
          }
        g_array_set_size (stack, stack->len - 1);
        if (stack->len > 0)
          child_placed (&g_array_index (stack, WalkFrame, stack->len - 1),
                        g_array_index (walk, Box, done.box).row);
      }
    }
  self->n_columns = MAX (self->n_columns, 1);
  self->n_rows = MAX (next_row, 1);

  /* By column, keeping the walk's order (which is the rows' order) in each. */
  self->column_start = g_new0 (guint, self->n_columns + 1);
  for (guint i = 0; i < walk->len; i++)
    self->column_start[g_array_index (walk, Box, i).column + 1]++;
  for (guint c = 0; c < self->n_columns; c++)
    self->column_start[c + 1] += self->column_start[c];
  column_fill = g_memdup2 (self->column_start, sizeof (guint) * self->n_columns);
  g_array_set_size (self->boxes, walk->len);
  for (guint i = 0; i < walk->len; i++)
    {
      const Box *box = &g_array_index (walk, Box, i);

      g_array_index (self->boxes, Box, column_fill[box->column]++) = *box;
    }
  g_free (column_fill);

  for (guint i = 0; i < self->tree->n_nodes; i++)
    self->node_box[i] = NO_BOX;
  for (guint i = 0; i < self->boxes->len; i++)
    {
      const Box *box = &g_array_index (self->boxes, Box, i);

      if (box->kind == _BEAM_CANVAS_BOX_NODE)
        self->node_box[box->node] = i;
    }

  /* A match hidden in a collapsed supervisor marks the box that hides it. */
  memset (self->match_below, 0, self->tree->n_nodes);
  for (guint m = 0; m < self->matches->len; m++)
    {
      guint node = g_array_index (self->matches, guint, m);
      guint steps = 0;

      while (node != NO_NODE && self->node_box[node] == NO_BOX && steps++ < self->tree->n_nodes)
        node = _beam_canvas_parent_of (self, node);
      if (node != g_array_index (self->matches, guint, m) && node != NO_NODE)
        self->match_below[node] = TRUE;
    }
}

void
_beam_canvas_box_rect (const Box       *box,
                       graphene_rect_t *rect)
{
  graphene_rect_init (rect, _beam_canvas_box_left (box), _beam_canvas_row_top (box->row),
                      BOX_WIDTH, BOX_HEIGHT);
}

double
_beam_canvas_bounds_width (BeamSupervisionCanvas *self)
{
  return 2 * MARGIN + self->n_columns * COLUMN_PITCH - GAP_X;
}

double
_beam_canvas_bounds_height (BeamSupervisionCanvas *self)
{
  return 2 * MARGIN + self->n_rows * ROW_PITCH - GAP_Y;
}

/* The first box of `column` whose span reaches `row`. */
guint
_beam_canvas_first_box_reaching (BeamSupervisionCanvas *self,
                                 guint                  column,
                                 double                 row)
{
  guint low = self->column_start[column];
  guint high = self->column_start[column + 1];

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (g_array_index (self->boxes, Box, middle).span_bottom < row)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

/* The box under canvas point (x, y), or NO_BOX. */
guint
_beam_canvas_box_at (BeamSupervisionCanvas *self,
                     double                 x,
                     double                 y)
{
  double column_f = (x - MARGIN) / COLUMN_PITCH;
  double row = (y - MARGIN) / ROW_PITCH;
  guint column;

  if (self->boxes->len == 0 || column_f < 0 || column_f >= self->n_columns ||
      x - MARGIN - floor (column_f) * COLUMN_PITCH > BOX_WIDTH)
    return NO_BOX;
  column = (guint) column_f;
  for (guint i = _beam_canvas_first_box_reaching (self, column, row - BOX_HEIGHT / ROW_PITCH);
       i < self->column_start[column + 1]; i++)
    {
      const Box *box = &g_array_index (self->boxes, Box, i);

      if (box->span_top > row)
        break;
      if (row >= box->row && row <= box->row + BOX_HEIGHT / ROW_PITCH)
        return i;
    }
  return NO_BOX;
}
