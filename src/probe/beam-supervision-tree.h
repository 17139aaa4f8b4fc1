/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"
#include "beam-term-printer.h"

G_BEGIN_DECLS

/* One application's supervision tree, gathered on the node by one short-lived
 * program (programs/supervision-tree.exprs) that asks every supervisor
 * with gen:call/4 and a deadline, never the infinite which_children/1: a
 * supervisor that does not answer in time is a node marked NOT_ANSWERING, the
 * rest of the tree still comes, and nothing is left waiting on the node. */

typedef enum
{
  BEAM_SUPERVISION_SUPERVISOR,
  BEAM_SUPERVISION_WORKER,
  /* Links mode: a process or port linked to the tree that no supervisor owns. */
  BEAM_SUPERVISION_LINKED,
} BeamSupervisionType;

typedef enum
{
  BEAM_SUPERVISION_RUNNING,
  BEAM_SUPERVISION_RESTARTING,   /* its supervisor is restarting it: no pid */
  BEAM_SUPERVISION_UNDEFINED,    /* not running (a temporary child gone, a failed start) */
} BeamSupervisionState;

/* What is known of a supervisor's children. */
typedef enum
{
  BEAM_SUPERVISOR_ANSWERED,      /* all children are in the tree */
  BEAM_SUPERVISOR_NOT_ANSWERING, /* it did not answer within the deadline */
  BEAM_SUPERVISOR_COUNTED,       /* too many: counted, and only the first ones fetched
                                  * (none past 100,000 children) */
  BEAM_SUPERVISOR_UNEXPLORED,    /* below the depth asked for, or past the tree's size limit */
} BeamSupervisorStatus;

typedef struct _BeamSupervisionNode BeamSupervisionNode;

/* Strings are held by the tree (interned); NULL means unknown or none. */
struct _BeamSupervisionNode
{
  guint                 index;          /* in the tree's array */
  guint                 parent;         /* index, or BEAM_SUPERVISION_NO_PARENT for the root */
  guint                 depth;          /* 0 for the root */
  BeamSupervisionType   type;
  BeamSupervisionState  state;
  const char           *pid;            /* "<0.83.0>", "#Port<0.5>"; NULL unless running */
  const char           *name;           /* registered name */
  const char           *id;             /* child id as Erlang prints it, shortened; NULL
                                         * for dynamic children (simple_one_for_one,
                                         * DynamicSupervisor) */
  guint                 id_hash;        /* of the whole id, which `id` may shorten */
  const char           *module;         /* a supervisor's callback module, a worker's
                                         * first module of its child spec */
  const char           *restart;        /* permanent, transient, temporary */
  const char           *shutdown;       /* brutal_kill, infinity, or milliseconds */

  /* Supervisors only */
  BeamSupervisorStatus  status;
  const char           *strategy;       /* one_for_one, ... */
  gint64                intensity;      /* -1: unknown */
  gint64                period;         /* seconds; -1: unknown */
  guint64               children_count; /* all its children, fetched or not */
  guint                *child_nodes;    /* indices of the children fetched, in start order,
                                         * then the LINKED nodes linked to it (links mode) */
  guint                 n_child_nodes;

  /* From one batched process_info over the tree; -1 when unknown (gone, a port). */
  gint64                memory;         /* bytes */
  gint64                message_queue_len;
  gint64                reductions;
};

#define BEAM_SUPERVISION_NO_PARENT G_MAXUINT

typedef struct
{
  guint first;   /* node indices */
  guint second;
} BeamSupervisionLink;

typedef struct
{
  char                *application;
  char                *master_pid;      /* the application master */
  BeamSupervisionNode *nodes;           /* breadth first: a parent before its children;
                                         * nodes[0] is the top supervisor */
  guint                n_nodes;
  BeamSupervisionLink *links;           /* links mode: from a node of the tree to a LINKED
                                         * node (which is also its child) */
  guint                n_links;
  GStringChunk        *strings;
  guint               *child_slots;     /* every node's child_nodes, in one array */
} BeamSupervisionTree;

typedef struct
{
  guint    max_depth;        /* 0: no limit */
  guint    max_children;     /* a supervisor with more is COUNTED: the first these are fetched */
  guint    fetch_limit;      /* a supervisor with up to this many children has all fetched */
  guint    timeout_ms;       /* the deadline for each supervisor to answer */
  gboolean links;           /* also the processes and ports linked to the tree */
  /* Counted supervisors (pid text -> GUINT_TO_POINTER (n)) whose first n
   * children the user asked to see, fetched whatever their number; or NULL. */
  GHashTable *more_children;
  /* Supervisors (a set of pid texts) that did not answer lately: marked as
   * not answering without being asked, since every question left unanswered
   * stays in a hung supervisor's mailbox; or NULL. */
  GHashTable *silent;
} BeamSupervisionOptions;

/* Defaults: no depth limit, 50 children shown of a bigger supervisor,
 * all fetched up to 10,000, 1 s per supervisor, no links. */
void                 beam_supervision_options_init (BeamSupervisionOptions *options);

#define BEAM_SUPERVISION_ERROR (beam_supervision_error_quark ())
GQuark beam_supervision_error_quark (void);

typedef enum
{
  BEAM_SUPERVISION_ERROR_UNKNOWN_APPLICATION,  /* no such application is loaded */
  BEAM_SUPERVISION_ERROR_NOT_RUNNING,          /* loaded, not started */
  BEAM_SUPERVISION_ERROR_NO_PROCESSES,         /* a library application: no master */
  BEAM_SUPERVISION_ERROR_NOT_ANSWERING,        /* a supervisor past its deadline */
  BEAM_SUPERVISION_ERROR_NO_SUCH_PROCESS,      /* the pid is not (or no longer) a process */
  BEAM_SUPERVISION_ERROR_NOT_A_SUPERVISOR,     /* a process a spec calls a supervisor */
} BeamSupervisionError;

/* `application` is the name a user typed: it is matched on the node against
 * the loaded applications' names, never made an atom. */
void                 beam_supervision_tree_async  (BeamConnection               *connection,
                                                   const char                   *application,
                                                   const BeamSupervisionOptions *options,
                                                   GCancellable                 *cancellable,
                                                   GAsyncReadyCallback           callback,
                                                   gpointer                      user_data);
BeamSupervisionTree *beam_supervision_tree_finish (GAsyncResult                 *result,
                                                   GError                      **error);

void                 beam_supervision_tree_free   (BeamSupervisionTree          *tree);

const BeamSupervisionNode *beam_supervision_tree_get_root (const BeamSupervisionTree *tree);
/* Spells the registered names and modules of a fresh tree (atoms' text, as
 * Erlang has them) in `syntax`, as beam_print_name does: MyApp.Cache. */
void                 beam_supervision_tree_respell (BeamSupervisionTree *tree,
                                                    BeamSyntax           syntax);

/* Rooted at the top supervisor, each node {"pid", "name", "id", "type":
 * "supervisor" | "worker" | "linked", "module", "restart", "shutdown",
 * "memory", "message_queue_len", "reductions", "children": [...]} (null for
 * what is unknown; "state" for a child restarting or undefined), a
 * supervisor's also with "strategy", "intensity", "period" and
 * "children_count" (all its children, of which "children" may hold only the
 * first), or "not_answering": true, or "unexplored": true. */
JsonNode            *beam_supervision_tree_to_json (const BeamSupervisionTree *tree);

/* What one supervisor tells of itself (programs/supervisor-details.exprs):
 * supervisor:count_children/1, and supervisor:get_childspec/2 of its first
 * children (one for a simple_one_for_one: they share it), each asked with a
 * deadline. */
typedef struct
{
  gint64     specs;
  gint64     active;
  gint64     supervisors;
  gint64     workers;
  GPtrArray *child_specs;   /* each as Erlang prints it */
} BeamSupervisorDetails;

/* `pid` as the node prints it, <0.95.0>. A supervisor that does not answer
 * fails with BEAM_SUPERVISION_ERROR_NOT_ANSWERING. */
void                   beam_supervisor_details_async  (BeamConnection        *connection,
                                                       const char            *pid,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
BeamSupervisorDetails *beam_supervisor_details_finish (GAsyncResult          *result,
                                                       GError               **error);
void                   beam_supervisor_details_free   (BeamSupervisorDetails *details);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamSupervisionTree, beam_supervision_tree_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamSupervisorDetails, beam_supervisor_details_free)

G_END_DECLS
