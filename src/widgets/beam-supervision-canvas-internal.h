/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-supervision-canvas-private.h"

G_BEGIN_DECLS

/* BeamSupervisionCanvas's internals, shared by the files that make it and
 * included by no other: its sizes, its boxes, the instance struct, and the
 * functions one of its files calls in another, grouped by the file that
 * defines them. beam-supervision-canvas.c is the widget (its view, selection,
 * properties, signals, actions and public API); beam-supervision-canvas-layout.c
 * the tree's children index and the layout of its boxes;
 * beam-supervision-canvas-draw.c the texts, colours and cairo drawing of a frame;
 * beam-supervision-canvas-input.c the gestures, keys and scrolling.
 * What the tests read is in beam-supervision-canvas-private.h. */

/* Canvas units: logical pixels at zoom 1. */
#define BOX_WIDTH      208.0
#define BOX_HEIGHT     60.0
#define GAP_X          44.0
#define GAP_Y          12.0
#define COLUMN_PITCH   (BOX_WIDTH + GAP_X)
#define ROW_PITCH      (BOX_HEIGHT + GAP_Y)
#define MARGIN         24.0
#define BOX_PADDING    10.0
#define CORNER_RADIUS  8.0

/* As observer does: a supervisor with more children than this is shown as
 * one box until asked. */
#define COLLAPSE_ABOVE 50

/* The body text is about 12 px at zoom 1: under this zoom it would be under 6 px. */
#define TEXT_MIN_ZOOM  0.5
#define ZOOM_MAX       4.0
#define ZOOM_MIN       0.1   /* or less, if that is what the whole tree needs */
#define ZOOM_STEP      1.25
/* A wheel notch pans this many pixels. */
#define SCROLL_STEP    64.0
/* Room kept between a selection scrolled into view and the widget's edge. */
#define SCROLL_MARGIN  24.0
/* Layouts kept; more than are on screen at the smallest zoom with text. */
#define TEXT_CACHE_MAX 2048

#define NO_BOX G_MAXUINT
#define NO_NODE BEAM_SUPERVISION_CANVAS_NO_NODE

typedef enum
{
  STYLE_MASTER,
  STYLE_SUPERVISOR,
  STYLE_WORKER,
  STYLE_INACTIVE,       /* a child restarting or undefined: no process */
  STYLE_NOT_ANSWERING,
  STYLE_LINKED,
  STYLE_SUMMARY,
  STYLE_MORE,
  N_STYLES
} BoxStyle;

typedef struct
{
  guint  node;         /* NO_NODE for the master; the supervisor for a summary or more box */
  guint  column;
  double row;          /* of its centre, in rows */
  double span_top;     /* the rows of its children's centres, or its own row */
  double span_bottom;
  guint8 kind;         /* BeamCanvasBoxKind */
  guint8 style;        /* BoxStyle */
  guint8 has_children; /* shown ones: it draws the connector to them */
} Box;

typedef struct
{
  PangoLayout *text;   /* title, subtitle, detail: one line each */
  PangoLayout *count;  /* "↻ N", or NULL */
  int          text_height;
  int          count_width;
  int          count_height;
} BoxText;

typedef struct
{
  GdkRGBA fg;
  GdkRGBA view_bg;
  GdkRGBA accent;      /* text and lines on the view */
  GdkRGBA fill[N_STYLES];
  GdkRGBA outline[N_STYLES];
  GdkRGBA connector;
  GdkRGBA selection;
  GdkRGBA search;
  GdkRGBA warning_bg;
  GdkRGBA warning_fg;
  GdkRGBA warning_text;
} Colors;

struct _BeamSupervisionCanvas
{
  GtkWidget            parent_instance;

  BeamSupervisionTree *tree;
  GDestroyNotify       free_tree;

  /* Per tree, parallel to tree->nodes. Children are found from the nodes'
   * parents, so a linked process's links hang under it too. */
  guint               *child_start;      /* n_nodes + 1 */
  guint               *child_list;
  guint               *roots;            /* the nodes with no parent: the master's children */
  guint                n_roots;
  guint8              *expanded;         /* asked for: shown even when big */
  guint8              *matched;
  guint8              *restarted;
  guint               *restart_counts;
  guint               *node_box;         /* its box in `boxes`, or NO_BOX if hidden */
  guint8              *match_below;      /* a shown node with a match hidden under it */

  /* Per layout. */
  GArray              *boxes;            /* Box, by column then row */
  guint               *column_start;     /* n_columns + 1 */
  guint                n_columns;
  guint                n_rows;

  /* The canvas point at the widget's top left, and logical pixels per canvas unit. */
  double               view_x;
  double               view_y;
  double               zoom;
  gboolean             view_placed;      /* for this application, by the first allocation */
  double               drag_view_x;
  double               drag_view_y;
  double               pinch_zoom;
  double               pointer_x;        /* < 0: the pointer is elsewhere */
  double               pointer_y;

  guint                selected;
  char                *search;           /* case-folded; NULL: none */
  GArray              *matches;          /* guint node indices, in tree order */
  guint                current_match;

  Colors               colors;
  gboolean             colors_valid;
  GHashTable          *texts;            /* box key -> BoxText */
  PangoLayout         *restarted_layout;
  GArray              *visible;          /* guint box indices, a frame's scratch */
  guint                n_drawn;
  gboolean             drawn_with_text;
};

/* ---- beam-supervision-canvas-layout.c: the tree ---- */

static inline const BeamSupervisionNode *
_beam_canvas_node_at (BeamSupervisionCanvas *self,
                      guint                  index)
{
  return &self->tree->nodes[index];
}

static inline guint
_beam_canvas_n_children (BeamSupervisionCanvas *self,
                         guint                  node)
{
  return node == NO_NODE ? self->n_roots
                         : self->child_start[node + 1] - self->child_start[node];
}

static inline const guint *
_beam_canvas_children_of (BeamSupervisionCanvas *self,
                          guint                  node)
{
  return node == NO_NODE ? self->roots : self->child_list + self->child_start[node];
}

static inline guint
_beam_canvas_parent_of (BeamSupervisionCanvas *self,
                        guint                  node)
{
  guint parent = _beam_canvas_node_at (self, node)->parent;

  return parent < self->tree->n_nodes && parent != node ? parent : NO_NODE;
}

static inline gboolean
_beam_canvas_is_supervisor (const BeamSupervisionNode *node)
{
  return node->type == BEAM_SUPERVISION_SUPERVISOR;
}

gboolean _beam_canvas_is_collapsed       (BeamSupervisionCanvas *self,
                                          guint                  node);
gboolean _beam_canvas_can_collapse       (BeamSupervisionCanvas *self,
                                          guint                  node);
guint64  _beam_canvas_all_children_count (BeamSupervisionCanvas *self,
                                          guint                  node);
guint64  _beam_canvas_unfetched_count    (BeamSupervisionCanvas *self,
                                          guint                  node);
void     _beam_canvas_index_children     (BeamSupervisionCanvas *self);

/* ---- beam-supervision-canvas-layout.c: the layout ---- */

static inline double
_beam_canvas_box_left (const Box *box)
{
  return MARGIN + box->column * COLUMN_PITCH;
}

static inline double
_beam_canvas_row_top (double row)
{
  return MARGIN + row * ROW_PITCH;
}

static inline double
_beam_canvas_row_centre (double row)
{
  return MARGIN + row * ROW_PITCH + BOX_HEIGHT / 2;
}

void     _beam_canvas_relayout           (BeamSupervisionCanvas *self);
void     _beam_canvas_box_rect           (const Box             *box,
                                          graphene_rect_t       *rect);
double   _beam_canvas_bounds_width       (BeamSupervisionCanvas *self);
double   _beam_canvas_bounds_height      (BeamSupervisionCanvas *self);
guint    _beam_canvas_first_box_reaching (BeamSupervisionCanvas *self,
                                          guint                  column,
                                          double                 row);
guint    _beam_canvas_box_at             (BeamSupervisionCanvas *self,
                                          double                 x,
                                          double                 y);

/* ---- beam-supervision-canvas-draw.c: text, colours and drawing ---- */

/* Widget coordinates of canvas ones. */
static inline double
_beam_canvas_screen_x (BeamSupervisionCanvas *self,
                       double                 x)
{
  return (x - self->view_x) * self->zoom;
}

static inline double
_beam_canvas_screen_y (BeamSupervisionCanvas *self,
                       double                 y)
{
  return (y - self->view_y) * self->zoom;
}

void     _beam_canvas_drop_texts         (BeamSupervisionCanvas     *self);
void     _beam_canvas_box_text_free      (gpointer                   data);
char    *_beam_canvas_supervisor_detail  (const BeamSupervisionNode *node);
char    *_beam_canvas_worker_detail      (const BeamSupervisionNode *node);
void     _beam_canvas_draw               (BeamSupervisionCanvas     *self,
                                          GtkSnapshot               *snapshot);

/* ---- beam-supervision-canvas.c: the widget ---- */

enum
{
  ACTIVATE_NODE,
  CONTEXT_MENU,
  FETCH_MORE,
  N_SIGNALS
};

/* Created by the class, emitted by the input too. */
extern guint _beam_canvas_signals[N_SIGNALS];

void     _beam_canvas_set_view           (BeamSupervisionCanvas *self,
                                          double                 x,
                                          double                 y,
                                          double                 zoom);
void     _beam_canvas_zoom_at            (BeamSupervisionCanvas *self,
                                          double                 zoom,
                                          double                 x,
                                          double                 y);
void     _beam_canvas_select_node        (BeamSupervisionCanvas *self,
                                          guint                  index,
                                          gboolean               scroll);
void     _beam_canvas_set_expanded       (BeamSupervisionCanvas *self,
                                          guint                  index,
                                          gboolean               expanded);

/* ---- beam-supervision-canvas-input.c: gestures and keys ---- */

void     _beam_canvas_input_class_init   (GtkWidgetClass        *widget_class);
void     _beam_canvas_input_init         (BeamSupervisionCanvas *self);

G_END_DECLS
