/* Thread placement with hwloc: rx workers near the capture device, writers beside them. */
#include <errno.h>
#include <stdbool.h>
#include <hwloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/placement.h"

#define MAX_CPUS 1024

/* "0,2-3,8" into a list of CPU numbers. */
static int parse_cpu_list(const char *s, int *out, int max, char *errbuf)
{
	int n = 0;

	while (*s) {
		char *end;
		long a = strtol(s, &end, 10), b;

		if (end == s || a < 0 || a >= MAX_CPUS)
			goto bad;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a || b >= MAX_CPUS)
				goto bad;
		}
		for (long c = a; c <= b && n < max; c++)
			out[n++] = (int)c;
		if (*end == ',')
			end++;
		else if (*end)
			goto bad;
		s = end;
	}
	if (n == 0)
		goto bad;
	return n;
bad:
	snprintf(errbuf, TD_ERRBUF_SIZE, "invalid --cpus list '%s' (e.g. 0,2-3)", s);
	return -EINVAL;
}

/* One PU per core, cores of the wanted node first; the rest after them. Returns the count. */
static int cores_in_order(int numa_node, int *out, int max, int *on_node)
{
	hwloc_topology_t topo;
	hwloc_const_cpuset_t allowed;
	hwloc_obj_t node = NULL;
	int n = 0, depth;

	*on_node = 0;
	if (hwloc_topology_init(&topo) < 0)
		return 0;
	if (hwloc_topology_load(topo) < 0) {
		hwloc_topology_destroy(topo);
		return 0;
	}
	allowed = hwloc_topology_get_allowed_cpuset(topo);
	if (numa_node >= 0)
		node = hwloc_get_numanode_obj_by_os_index(topo, (unsigned)numa_node);
	depth = hwloc_get_type_depth(topo, HWLOC_OBJ_CORE);
	if (depth < 0)
		depth = hwloc_get_type_depth(topo, HWLOC_OBJ_PU);
	for (int pass = node ? 0 : 1; pass < 2; pass++) {
		unsigned count = hwloc_get_nbobjs_by_depth(topo, depth);
		for (unsigned i = 0; i < count && n < max; i++) {
			hwloc_obj_t core = hwloc_get_obj_by_depth(topo, depth, i);
			int pu;
			bool local = node && hwloc_bitmap_isincluded(core->cpuset, node->cpuset);

			if ((pass == 0) != local)
				continue;
			if (!hwloc_bitmap_intersects(core->cpuset, allowed))
				continue;
			pu = hwloc_bitmap_first(core->cpuset);
			if (pu >= 0) {
				out[n++] = pu;
				if (local)
					(*on_node)++;
			}
		}
	}
	hwloc_topology_destroy(topo);
	return n;
}

int placement_plan(const char *cpus, unsigned nworkers, unsigned nwriters, int numa_node, struct placement *pl,
		   char *errbuf, char *warnbuf)
{
	int list[MAX_CPUS], n, on_node = 0;
	unsigned k = 0;

	warnbuf[0] = '\0';
	pl->nspare = 0;
	if (nworkers > 64 || nwriters > 64) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "too many threads to place");
		return -EINVAL;
	}
	if (cpus) {
		n = parse_cpu_list(cpus, list, MAX_CPUS, errbuf);
		if (n < 0)
			return n;
	} else {
		n = cores_in_order(numa_node, list, MAX_CPUS, &on_node);
	}
	if (n <= 0) {
		/* Locality unknown (no hwloc view): let the scheduler place every thread. */
		for (unsigned i = 0; i < nworkers; i++)
			pl->worker_cpu[i] = -1;
		for (unsigned i = 0; i < nwriters; i++)
			pl->writer_cpu[i] = -1;
		return 0;
	}
	for (unsigned i = 0; i < nworkers; i++, k++)
		pl->worker_cpu[i] = list[k % (unsigned)n];
	for (unsigned i = 0; i < nwriters; i++, k++)
		pl->writer_cpu[i] = list[k % (unsigned)n];
	for (; k < (unsigned)n && pl->nspare < 64; k++)
		pl->spare_cpu[pl->nspare++] = list[k];
	if (!cpus && numa_node >= 0 && (unsigned)on_node < nworkers)
		snprintf(warnbuf, TD_ERRBUF_SIZE,
			 "%u rx worker(s) run on CPUs outside NUMA node %d of the capture device",
			 nworkers - (unsigned)on_node, numa_node);
	return 0;
}

int placement_pin(pthread_t thread, int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return -pthread_setaffinity_np(thread, sizeof(set), &set);
}
