# configs/hugepages.sh: sourced by tests and benchmarks that run the DPDK EAL on 2 MiB hugepages.
# huge_reserve DIR COUNT: reserve COUNT more 2 MiB pages and mount a hugetlbfs of them at DIR;
# returns 0 when both worked. huge_release puts the reservation and the mount back (safe to call
# twice, and from an EXIT trap). 2 MiB pages through sysfs whatever the default size (1 GiB on
# many DPDK boxes).
HP=/sys/kernel/mm/hugepages/hugepages-2048kB
huge_saved= huge_mounted= huge_dir=

huge_free() { cat $HP/free_hugepages; }

huge_reserve() {
	[ -w $HP/nr_hugepages ] && grep -q hugetlbfs /proc/filesystems || return 1
	huge_saved=$(cat $HP/nr_hugepages)
	echo $((huge_saved + $2)) >$HP/nr_hugepages
	mkdir -p "$1"
	[ "$(huge_free)" -ge "$2" ] && mount -t hugetlbfs -o pagesize=2M none "$1" || return 1
	huge_mounted=1 huge_dir=$1
}

huge_release() {
	[ -n "$huge_mounted" ] && umount "$huge_dir"
	[ -n "$huge_saved" ] && echo "$huge_saved" >$HP/nr_hugepages
	huge_saved= huge_mounted= huge_dir=
}
