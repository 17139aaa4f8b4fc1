/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beam-system-info's questions asked through the probe itself (the CLI's
 * `info` has its own test in test-cli): process_limit alone, against what
 * the node answers erl_call, on a node started with a limit of its own; the
 * run queues (their parts add up, and our own request is not counted); the
 * node's OS process against what /proc says of the test's node. */

#include <string.h>

#include "beam-allocators.h"
#include "beam-connection.h"
#include "beam-system-info.h"
#include "beam-test-node.h"

static BeamTestNode *node;

static void
test_process_limit (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(GError) error = NULL;
  g_autofree char *says = beam_test_node_erl_call (node, "erlang", "system_info",
                                                   "[process_limit]", &error);
  BeamTestWait wait = { 0 };
  gint64 limit;

  g_assert_no_error (error);
  beam_system_info_process_limit_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  limit = beam_system_info_process_limit_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpint (limit, ==, g_ascii_strtoll (g_strstrip (says), NULL, 10));
  /* +P 100000 asks for at least that many; the node rounds it up. */
  g_assert_cmpint (limit, >=, 100000);
  g_assert_cmpint (limit, <, 262144);
  beam_connection_close (connection);
}

/* A closed connection: the probe fails with an error, and -1. */
static void
test_process_limit_fails (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };

  beam_connection_close (connection);
  beam_system_info_process_limit_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  g_assert_cmpint (beam_system_info_process_limit_finish (wait.result, &error), ==, -1);
  g_object_unref (wait.result);
  g_assert_nonnull (error);
}

static BeamSystemInfo *
fetch_info (BeamConnection *connection)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamSystemInfo *info;

  beam_system_info_fetch_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  info = beam_system_info_fetch_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

/* run_queue_lengths_all is one length per normal scheduler, then dirty CPU,
 * then dirty IO; the total is their sum. The fixture is idle but for a
 * process busy 2 ms in 3: asked with the rest of the fetch, the queues held
 * our own rex workers (a total of 3 every time, measured); asked alone, an
 * idle moment reads 0. */
static void
test_run_queues (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  gint64 lowest = G_MAXINT64;

  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(BeamSystemInfo) info = fetch_info (connection);
      GArray *lengths = info->run_queue_lengths;
      gint64 normal = 0;

      g_assert_cmpint (info->schedulers, >, 0);
      g_assert_cmpuint (lengths->len, ==, (guint) info->schedulers + 2);
      for (guint i = 0; i < lengths->len - 2; i++)
        normal += g_array_index (lengths, gint64, i);
      g_assert_cmpint (info->run_queue_normal, ==, normal);
      g_assert_cmpint (info->run_queue_dirty_cpu, ==,
                       g_array_index (lengths, gint64, lengths->len - 2));
      g_assert_cmpint (info->run_queue_dirty_io, ==,
                       g_array_index (lengths, gint64, lengths->len - 1));
      g_assert_cmpint (info->run_queue, ==,
                       normal + info->run_queue_dirty_cpu + info->run_queue_dirty_io);
      lowest = MIN (lowest, info->run_queue);
    }
  g_assert_cmpint (lowest, ==, 0);
  beam_connection_close (connection);
}

static gint64
proc_status_kib (gint64      pid,
                 const char *key)
{
  g_autofree char *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/status", pid);
  g_autofree char *text = NULL;
  g_autofree char *needle = g_strdup_printf ("\n%s:", key);
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, needle);
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen (needle), NULL, 10);
}

static guint
proc_fd_count (gint64 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* The OS process the probe reads from /proc/self on the node is the test's
 * node (the same pid: erl execs the emulator), and its figures are what
 * /proc/<pid> tells us from outside. */
static void
test_os_process (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamSystemInfo) first = fetch_info (connection);
  g_autoptr(BeamSystemInfo) info = NULL;
  const BeamOsProcess *process;
  g_autofree char *limits_path = NULL;
  g_autofree char *limits = NULL;
  BeamOsProcess parsed = { 0 };
  gint64 rss_kib;
  double since_start, between;
  guint fds;

  /* Some work between the readings: the busy fixture process burns CPU. */
  beam_test_run_for (500);
  info = fetch_info (connection);
  process = &info->os_process;
  g_assert_true (process->available);
  g_assert_null (process->absent_reason);
  g_assert_cmpint (process->os_pid, ==, node->pid);

  rss_kib = proc_status_kib (process->os_pid, "VmRSS");
  /* The node's RSS moves a little between its reading and ours. */
  g_assert_cmpint (process->rss, >, 10 * 1024 * 1024);
  g_assert_cmpint (ABS (process->rss / 1024 - rss_kib), <, rss_kib / 5);
  g_assert_cmpint (process->virtual_size, >=, process->rss);
  g_assert_cmpint (ABS (process->virtual_size / 1024 -
                        proc_status_kib (process->os_pid, "VmSize")), <, 64 * 1024);
  g_assert_cmpint (process->threads, ==, proc_status_kib (process->os_pid, "Threads"));

  /* Our connection's socket comes and goes with erl_call's: a few apart. */
  fds = proc_fd_count (process->os_pid);
  g_assert_cmpint (process->open_fds, >, 3);
  g_assert_cmpint (ABS (process->open_fds - (gint64) fds), <=, 3);
  limits_path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/limits", process->os_pid);
  g_assert_true (g_file_get_contents (limits_path, &limits, NULL, NULL));
  g_assert_true (beam_os_process_parse (&parsed,
                                        "1 (x) S 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
                                        "", limits, "1.0"));
  g_assert_cmpint (process->fd_limit, ==, parsed.fd_limit);
  g_assert_cmpint (process->fd_limit, >, 0);

  /* The busy process is busy 2 ms in 3 on one scheduler: between 10% and
   * all the machine's CPUs over the half second. */
  between = beam_os_process_cpu_percent (process, &first->os_process);
  since_start = beam_os_process_cpu_percent (process, NULL);
  g_test_message ("CPU %.1f%% between readings, %.1f%% since start", between, since_start);
  g_assert_cmpfloat (between, >=, 10.0);
  g_assert_cmpfloat (between, <=, 100.0 * g_get_num_processors () + 1);
  g_assert_cmpfloat (since_start, >, 0.0);
  g_assert_cmpfloat (since_start, <=, 100.0 * g_get_num_processors () + 1);
  g_assert_cmpint (process->cpu_ticks, >=, first->os_process.cpu_ticks);
  beam_connection_close (connection);
}

/* A comm with spaces and parentheses, as a process may rename itself. */
static void
test_os_process_parse (void)
{
  BeamOsProcess process = { 0 };

  g_assert_true (beam_os_process_parse (&process,
                                        "42 (be am) (x)) R 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 "
                                        "7 0 1000 123 456",
                                        "Name:\tbeam\nVmSize:\t  2048 kB\nVmRSS:\t 1024 kB\n"
                                        "Threads:\t7\n",
                                        "Max open files            1024    4096    files\n",
                                        "30.00 10.00\n"));
  g_assert_cmpint (process.cpu_ticks, ==, 300);
  g_assert_cmpint (process.start_ticks, ==, 1000);
  g_assert_cmpint (process.rss, ==, 1024 * 1024);
  g_assert_cmpint (process.virtual_size, ==, 2048 * 1024);
  g_assert_cmpint (process.threads, ==, 7);
  g_assert_cmpint (process.fd_limit, ==, 1024);
  process.available = TRUE;
  /* 3 s of CPU over the 20 s since it started (at 10 s of the host's 30). */
  g_assert_cmpfloat_with_epsilon (beam_os_process_cpu_percent (&process, NULL), 15.0, 0.001);
  g_assert_false (beam_os_process_parse (&process, "no name here", "", "", ""));
}

static BeamAllocators *
fetch_allocators (BeamConnection *connection)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamAllocators *allocators;

  beam_allocators_fetch_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  allocators = beam_allocators_fetch_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return allocators;
}

/* The allocators' maxima (the Memory page's history and table): the most
 * each type's carriers ever held is at least what they hold now, sums add up,
 * and 20 MB of binary garbage raises binary_alloc's max by as much. */
static void
test_allocator_maxima (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamAllocators) before = fetch_allocators (connection);
  g_autoptr(BeamAllocators) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *made = NULL;
  gint64 sum = 0, eheap_before = -1, binary_before = -1, binary_after = -1, binary_now = -1;

  g_assert_cmpuint (before->types->len, >=, 5);
  for (guint i = 0; i < before->types->len; i++)
    {
      const BeamAllocator *allocator = g_ptr_array_index (before->types, i);

      g_assert_cmpint (allocator->mbcs_carriers_max, >=, allocator->mbcs_carriers_size);
      g_assert_cmpint (allocator->sbcs_carriers_max, >=, allocator->sbcs_carriers_size);
      g_assert_cmpint (allocator->carriers_max, ==,
                       allocator->mbcs_carriers_max + allocator->sbcs_carriers_max);
      g_assert_cmpint (allocator->carriers_max, >=, allocator->allocated);
      sum += allocator->carriers_max;
      if (g_str_equal (allocator->type, "eheap_alloc"))
        eheap_before = allocator->carriers_max;
      if (g_str_equal (allocator->type, "binary_alloc"))
        binary_before = allocator->carriers_max;
    }
  g_assert_cmpint (before->carriers_max, ==, sum);
  g_assert_cmpint (eheap_before, >, 0);

  made = beam_test_node_erl_call (node, "beamscope_fixture", "binary_garbage", "[20000000]",
                                  &error);
  g_assert_no_error (error);
  after = fetch_allocators (connection);
  for (guint i = 0; i < after->types->len; i++)
    {
      const BeamAllocator *allocator = g_ptr_array_index (after->types, i);

      if (g_str_equal (allocator->type, "binary_alloc"))
        {
          binary_after = allocator->carriers_max;
          binary_now = allocator->allocated;
        }
    }
  g_test_message ("binary_alloc max %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
                  ", now %" G_GINT64_FORMAT, binary_before, binary_after, binary_now);
  g_assert_cmpint (binary_after, >=, binary_before + 16 * 1000 * 1000);
  g_assert_cmpint (binary_after, >=, binary_now);
  beam_connection_close (connection);
}

int
main (int    argc,
      char **argv)
{
  const char * const args[] = { "+P", "100000", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (beam_connection_init_process (NULL));
  g_test_init (&argc, &argv, NULL);
  node = beam_test_node_start (args, &error);
  g_assert_no_error (error);

  g_test_add_func ("/system/process-limit", test_process_limit);
  g_test_add_func ("/system/process-limit-fails", test_process_limit_fails);
  g_test_add_func ("/system/run-queues", test_run_queues);
  g_test_add_func ("/system/os-process", test_os_process);
  g_test_add_func ("/system/os-process-parse", test_os_process_parse);
  g_test_add_func ("/system/allocator-maxima", test_allocator_maxima);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
