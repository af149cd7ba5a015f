/* -Z: switch to the named user so that every file of the run, the first one too, belongs to it. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/privs.h"

int privs_drop(const char *user, char *errbuf)
{
	struct passwd *pw = getpwnam(user);

	if (!pw) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "couldn't find user '%s'", user);
		return -ENOENT;
	}
	if (getuid() == pw->pw_uid && geteuid() == pw->pw_uid)
		return 0;
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
		int err = errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "couldn't change to user '%s' (uid %u gid %u): %s", user,
			 (unsigned)pw->pw_uid, (unsigned)pw->pw_gid, strerror(err));
		return -err;
	}
	return 0;
}
